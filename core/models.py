from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """One row, moved on by database triggers at every write to the tables the public pages show
    (core.dataversion installs them). The public page cache keys its pages by it, so a change
    shows on the very next request, whichever path wrote it: a form, the admin, an import, a
    trigger, a data migration or raw SQL."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = "data version"

    def __str__(self):
        return f"data version {self.version}"


class Provenance(models.TextChoices):
    """Where the text in a language comes from; the pages say so for anything but official."""

    OFFICIAL = "official", _("the city's own wording")
    TEAM = "team", _("translated by the portal team")
    MACHINE = "machine", _("machine-assisted translation")


class TranslatedContent(models.Model):
    """A model whose texts have a column per language (registered in its app's translation.py),
    with the provenance of each text that is not the city's own wording.

    `provenance` maps "<field>_<language>" (title_sk) to a Provenance value; a text not named is
    official. Kept beside the texts so that an import, an export and the editor carry it along.
    """

    provenance = models.JSONField(_("provenance of the translations"), default=dict, blank=True)
    # Translated fields that need a text in at least one language (a title, a name).
    required_texts = ()

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if missing := self.missing_texts():
            raise ValidationError(missing)

    def missing_texts(self):
        """Errors for the required texts given in no language, for a clean() that collects more."""
        return {
            f"{field}_{settings.LANGUAGE_CODE}": _("Give it in at least one language.")
            for field in self.required_texts
            if not any(getattr(self, f"{field}_{code}", None) for code, _name in settings.LANGUAGES)
        }

    def provenance_of(self, field, language):
        return self.provenance.get(f"{field}_{language}", Provenance.OFFICIAL)


class Revision(models.Model):
    """One saved edit: who, when, and each changed field as [name, from, to] (strings).

    Values are stored as the app writes them (choice keys, "yes"/"no", ISO dates) and labelled
    when shown by `subject` (field_label, value_label), so the history reads in the reader's
    language. Meetings, annotations and the plan's texts keep their edits this way.
    """

    subject = None  # the model whose fields the changes name

    version = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("saved at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    source = models.CharField(_("source"), max_length=20, default="portal")
    changes = models.JSONField(_("changes"), default=list)

    class Meta:
        abstract = True
        ordering = ["-version"]

    def entries(self):
        """(field label, from, to) for each change, values in words."""
        return [
            (
                self.subject.field_label(name),
                self.subject.value_label(name, old),
                self.subject.value_label(name, new),
            )
            for name, old, new in self.changes
        ]
