"""The step history: changes written by database triggers, and who made them and why."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from actionplan.models.plans import LANGUAGE_CHOICES, ActionStep, Institution, Milestone, Priority
from core.content import column_label
from core.languages import current_language
from core.models import Revision


class StepChange(models.Model):
    """One changed field of a step, written by database triggers (migration 0002), never by Python.

    Triggers catch every path that reaches the table: forms, the admin, import_plan, a bulk
    QuerySet.update() and raw SQL in data migrations. Another trigger rejects UPDATE, so the
    history is append-only; PROTECT keeps a step with history from being deleted (withdraw it).
    """

    class Field(models.TextChoices):
        CREATED = "created", _("Step created")
        STATUS = "status", _("Status")
        PROGRESS = "progress", _("Progress")
        START_DATE = "start_date", _("Start date")
        END_DATE = "end_date", _("End date")
        MILESTONE = "milestone", _("Milestone completed on")

    step = models.ForeignKey(ActionStep, on_delete=models.PROTECT, related_name="changes")
    version = models.PositiveIntegerField(_("version"))
    changed_at = models.DateTimeField(_("changed at"), db_index=True)
    field = models.CharField(_("field"), max_length=20, choices=Field)
    milestone = models.ForeignKey(
        # No constraint and no cascade: the row must never be updated, even when the milestone goes.
        Milestone,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        db_constraint=False,
        related_name="+",
    )
    # NULL, not "": the triggers copy the column as it was, and an unset date is NULL there.
    old_value = models.CharField(_("from"), max_length=40, null=True, blank=True)  # noqa: DJ001
    new_value = models.CharField(_("to"), max_length=40, null=True, blank=True)  # noqa: DJ001
    # A past change brought in by an import with its real date (actionplan.backfill), before the
    # portal kept the history. Only the importer may insert such a row (a trigger refuses others);
    # it has version 0, as it precedes the versions the portal counts.
    backfilled = models.BooleanField(_("backfilled"), default=False, db_default=False)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("step change")
        verbose_name_plural = _("step changes")
        indexes = [models.Index(fields=["step", "version"])]

    def __str__(self):
        return f"{self.step_id} v{self.version} {self.field}: {self.old_value} → {self.new_value}"


class StepUpdate(models.Model):
    """Who made the changes recorded as versions from_version+1 … to_version of a step, and why.

    The changes themselves are in StepChange; this row adds what a trigger cannot know. One edit
    can produce several versions (the step, then each milestone), hence a range.
    """

    step = models.ForeignKey(ActionStep, on_delete=models.PROTECT, related_name="updates")
    from_version = models.PositiveIntegerField(_("from version"))
    to_version = models.PositiveIntegerField(_("to version"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    source = models.CharField(_("source"), max_length=20, default="portal")
    note = models.TextField(_("note"))
    language = models.CharField(
        _("language of the note"), max_length=8, choices=LANGUAGE_CHOICES, default=current_language
    )
    # Why the step's dates moved, when this update moved them (required then).
    date_reason = models.TextField(_("reason for the new dates"), blank=True)
    # Brought in with its real date by an import (see StepChange.backfilled).
    backfilled = models.BooleanField(_("backfilled"), default=False, db_default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("step update")
        verbose_name_plural = _("step updates")
        indexes = [models.Index(fields=["step", "to_version"])]

    def __str__(self):
        return f"{self.step_id} v{self.from_version}–{self.to_version}: {self.note[:40]}"


def evidence_file_name(instance, filename):
    """A server-made name: nothing of the uploader's file name reaches the file system.

    The upload form has already replaced `filename` with one whose extension comes from the
    detected content type (see core.files.detect_file_type).
    """
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class EvidenceItem(models.Model):
    """A link or a file that shows what a record says happened: checked and served the same way
    whatever it is attached to (a step update, a period report)."""

    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_file_name, max_length=200, blank=True)
    # The uploader's name for the file, cleaned, offered as the name of the download.
    title = models.CharField(_("title"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)

    LINK_OR_FILE = (Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file=""))

    class Meta:
        abstract = True

    def __str__(self):
        return self.title or self.url

    @property
    def is_file(self):
        return bool(self.file)


class Evidence(EvidenceItem):
    """A link or a file attached to a step update, to show what the update says happened."""

    update = models.ForeignKey(
        StepUpdate, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("update")
    )

    class Meta:
        ordering = ["update", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=EvidenceItem.LINK_OR_FILE, name="evidence_is_a_link_or_a_file"
            )
        ]


class TextRevision(Revision):
    """One saved edit of a step's or a priority's texts (and, for a step, its milestones' titles),
    each language a field of its own: [column, from, to] with column "title_sk" or, for a
    milestone, "milestone:<order>:title_sk".

    The version counts the subject's text edits; the unique constraints make two editors who
    started from the same version unable to both save, which is how a stale edit is found.
    """

    step = models.ForeignKey(
        ActionStep, on_delete=models.CASCADE, null=True, blank=True, related_name="text_revisions"
    )
    priority = models.ForeignKey(
        Priority, on_delete=models.CASCADE, null=True, blank=True, related_name="text_revisions"
    )

    class Meta(Revision.Meta):
        verbose_name = _("text revision")
        verbose_name_plural = _("text revisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(step__isnull=True) ^ Q(priority__isnull=True),
                name="text_revision_of_one_subject",
            ),
            models.UniqueConstraint(fields=["step", "version"], name="step_text_revision_once"),
            models.UniqueConstraint(
                fields=["priority", "version"], name="priority_text_revision_once"
            ),
        ]

    def __str__(self):
        return f"{self.step_id or self.priority_id} v{self.version}"

    def entries(self):
        """(what changed, from, to): a column's label and language; a milestone's by its order."""
        subject = ActionStep if self.step_id else Priority
        labels = {}
        for name, _old, _new in self.changes:
            if name.startswith("milestone:"):
                _kind, number, column = name.split(":", 2)
                labels[name] = format_lazy(
                    "{} {}: {}", _("milestone"), number, column_label(Milestone, column)
                )
            else:
                labels[name] = column_label(subject, name)
        return [(labels[name], old, new) for name, old, new in self.changes]
