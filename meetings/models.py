"""Meetings of a plan (co-creation, the CoLaboratory Board, dialogues…) and annotations on them.

A meeting's date may be known only to the month or the year: the sources for past events often
say no more, and the record must not pretend otherwise (`date_precision`, `date_note`).

Every edit of a meeting or an annotation goes through meetings.services, which bumps
`version` with a conditional UPDATE (a stale edit changes nothing) and writes a revision row.
"""

import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplan.models import (
    LANGUAGE_CHOICES,
    ActionPlan,
    ActionStep,
    Institution,
    Priority,
    Sector,
    StakeholderGroup,
)
from actionplan.models.roles import Role, institution_ids, plan_roles, plans_with_role, roles
from core.content import column_label, columns
from core.languages import current_language
from core.models import Revision, TranslatedContent

# Who reads board-only annotations of a plan; who writes annotations.
BOARD_READERS = frozenset({Role.COORDINATOR, Role.BOARD, Role.MONITOR})
ANNOTATORS = frozenset({Role.COORDINATOR, Role.BOARD})


class Labelled:
    """Labels for the field names and stored values a revision records (see Revision)."""

    PART_LABELS = {}

    @classmethod
    def field_label(cls, name):
        if name in cls.PART_LABELS:
            return cls.PART_LABELS[name]
        return column_label(cls, name)

    @classmethod
    def value_label(cls, name, value):
        if value in ("", None):
            return "–"
        if name in cls.PART_LABELS:
            return value
        field = cls._meta.get_field(name)
        if isinstance(field, models.BooleanField):
            return _("yes") if value == "yes" else _("no")
        return dict(field.flatchoices).get(value, value) if field.choices else value


class MeetingQuerySet(models.QuerySet):
    def public(self):
        """Published meetings of public plans: what anyone may see."""
        return self.filter(Meeting.public_rule())

    def visible_to(self, user):
        """What the user may see: the public meetings, the drafts of the plans they coordinate,
        and the drafts their institution organises."""
        rule = Meeting.public_rule()
        if user.is_authenticated:
            coordinated = plans_with_role(user, Role.COORDINATOR)
            if coordinated is None:  # an administrator
                return self
            if Role.COORDINATOR in roles(user):
                rule |= Q(plan_id__in=coordinated)
            own = institution_ids(user)
            if own:
                rule |= Q(organiser_id__in=own)
        return self.filter(rule)


class Meeting(Labelled, TranslatedContent):
    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Co-creation workshop")
        BOARD = "board", _("CoLaboratory Board meeting")
        BREAKFAST = "breakfast", _("Internal Breakfast")
        DIALOGUE = "dialogue", _("Public dialogue")
        CONFERENCE = "conference", _("Conference")
        CHECK_IN = "check_in", _("Monitoring check-in")
        OTHER = "other", _("Other")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    class Audience(models.TextChoices):
        OPEN = "open", _("Open to the public")
        INVITED = "invited", _("Invited participants")
        INTERNAL = "internal", _("Internal to the municipal office")

    class DatePrecision(models.TextChoices):
        DAY = "day", _("Day")
        MONTH = "month", _("Month")
        YEAR = "year", _("Year")

    required_texts = ("title",)  # in at least one language
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("plan")
    )
    slug = models.SlugField(_("address"), max_length=80)
    title = models.CharField(_("title"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.WORKSHOP)
    audience = models.CharField(
        _("who could take part"),
        max_length=20,
        choices=Audience,
        blank=True,
        help_text=_("Only meetings open to the public count as public-facing."),
    )
    start_date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_date = models.DateField(
        _("last day"), null=True, blank=True, help_text=_("Only for a meeting over several days.")
    )
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    date_precision = models.CharField(
        _("the date is known to the"),
        max_length=10,
        choices=DatePrecision,
        default=DatePrecision.DAY,
    )
    date_note = models.CharField(
        _("note on the date"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “end of September” when only the month is known."),
    )
    format = models.CharField(_("format"), max_length=20, choices=Format, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("link to join online"), max_length=500, blank=True)
    organiser = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("organising institution"),
    )
    priorities = models.ManyToManyField(
        Priority, blank=True, related_name="meetings", verbose_name=_("related priorities")
    )
    steps = models.ManyToManyField(
        ActionStep, blank=True, related_name="meetings", verbose_name=_("related action steps")
    )
    description = models.TextField(_("what the meeting is about"), blank=True)
    outcomes = models.TextField(
        _("outcomes and minutes"), blank=True, help_text=_("Markdown: **bold**, lists, links.")
    )
    is_public = models.BooleanField(
        _("published"), default=False, help_text=_("A draft is seen only by its editors.")
    )
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last updated"), default=timezone.now, editable=False)

    # The records kept with a meeting: name in the revision history → (related name, label).
    PARTS = {
        "agenda": ("agenda_items", _("Agenda")),
        "participation": ("participation", _("Participation")),
        "attendees": ("attendees", _("Named attendees")),
        "documents": ("documents", _("Documents and links")),
    }
    PART_LABELS = {name: label for name, (_related, label) in PARTS.items()}
    # What the edit form changes and the revision history records, in the form's order.
    EDITABLE_FIELDS = (
        *columns("title"),
        "kind",
        "audience",
        "start_date",
        "start_time",
        "end_date",
        "end_time",
        "date_precision",
        *columns("date_note"),
        "format",
        *columns("place"),
        "online_url",
        "organiser",
        "priorities",
        "steps",
        *columns("description", "outcomes"),
        "is_public",
        "source_url",
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-start_time", "title"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(fields=["plan", "slug"], name="meeting_slug_unique_per_plan"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="meeting_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["plan", "start_date"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:meeting", kwargs={"plan_slug": self.plan.slug, "slug": self.slug})

    @classmethod
    def public_rule(cls, path=""):
        """Published meetings of public plans, as a condition on a related meeting:
        public_rule("meeting__") keeps the rows of such meetings."""
        return Q(**{f"{path}is_public": True}) & ActionPlan.public_rule(f"{path}plan__")

    @property
    def last_day(self):
        return self.end_date or self.start_date

    @property
    def has_exact_date(self):
        return self.date_precision == self.DatePrecision.DAY

    @property
    def is_all_day(self):
        return self.start_time is None

    def is_upcoming(self, today=None):
        return self.last_day >= (today or timezone.localdate())

    @property
    def is_public_facing(self):
        return self.audience == self.Audience.OPEN

    def starts_at(self):
        """Aware start, or None when only the date is known."""
        if self.start_time is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(self.start_date, self.start_time))

    def ends_at(self):
        if self.end_time is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(self.last_day, self.end_time))

    def clean(self):
        # All the meeting's errors at once: a missing title must not hide a missing place.
        errors = self.missing_texts()
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("The last day cannot be before the first.")
        if self.end_time and not self.start_time:
            errors["end_time"] = _("Give the start time too, or leave both empty.")
        elif (
            self.start_time
            and self.end_time
            and self.start_date
            and self.end_date in (None, self.start_date)
            and self.end_time <= self.start_time
        ):
            errors["end_time"] = _("The meeting cannot end before it starts.")
        if self.date_precision != self.DatePrecision.DAY:
            if self.start_time or self.end_time or self.end_date:
                errors["date_precision"] = _(
                    "A meeting known only to the month or year has no times and no last day."
                )
            elif self.start_date:
                # Stored as the first day of the period, so that sorting and filtering stay simple.
                self.start_date = self.start_date.replace(
                    day=1,
                    month=1
                    if self.date_precision == self.DatePrecision.YEAR
                    else self.start_date.month,
                )
        errors.update(self._venue_errors())
        if errors:
            raise ValidationError(errors)

    def _venue_errors(self):
        """People need a place or a link to attend, so a meeting still to come must give them.

        A past meeting is a record: sources often do not say where it was or what the link was.
        """
        if not self.start_date or not self.is_upcoming():
            return {}
        errors = {}
        needs_place = self.format in (self.Format.IN_PERSON, self.Format.HYBRID)
        needs_link = self.format in (self.Format.ONLINE, self.Format.HYBRID)
        if needs_place and not self.place.strip():
            # On the first language's column: the form and the file have no other place field.
            errors[columns("place")[0]] = _("Say where the meeting takes place.")
        if needs_link and not self.online_url:
            errors["online_url"] = _("Give the link to join online.")
        return errors


class MeetingPart(models.Model):
    """Something recorded as part of one meeting (a `meeting` foreign key in each subclass):
    edited with it, in its form, and versioned with it."""

    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["meeting", "order", "id"]


class AgendaItem(MeetingPart, TranslatedContent):
    required_texts = ("title",)  # in at least one language
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    title = models.CharField(_("agenda item"), max_length=300, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    step = models.ForeignKey(
        ActionStep,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("related action step"),
    )

    class Meta(MeetingPart.Meta):
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.step_id and self.meeting_id and self.step.plan_id != self.meeting.plan_id:
            raise ValidationError({"step": _("The action step belongs to another plan.")})

    def summary(self):
        """One line for the meeting's revision history."""
        parts = [self.title]
        if self.duration_minutes:
            parts.append(f"({self.duration_minutes} min)")
        if self.step_id:
            parts.append(f"[{self.step.code}]")
        return " ".join(parts)


class Participation(MeetingPart, TranslatedContent):
    """How many people of one sector or stakeholder group took part; rows add up to the total.

    The count may be unknown: that a group took part is worth recording even without a number.
    """

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="participation",
        verbose_name=_("meeting"),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector, blank=True)
    group = models.ForeignKey(
        StakeholderGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stakeholder group"),
    )
    description = models.CharField(
        _("who they were"), max_length=200, blank=True, help_text=_("E.g. “students”.")
    )
    count = models.PositiveIntegerField(
        _("number of people"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty when the number is not known."),
    )

    class Meta(MeetingPart.Meta):
        verbose_name = _("participation")
        verbose_name_plural = _("participation")
        constraints = [
            models.CheckConstraint(
                condition=Q(count__isnull=True) | Q(count__gte=1),
                name="participation_count_positive",
            )
        ]

    def __str__(self):
        return f"{self.count or '?'} × {self.label()}"

    def save(self, *args, **kwargs):
        # A group says which sector its people come from, unless the row says otherwise.
        if self.group_id and not self.sector:
            self.sector = self.group.sector
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if (
            self.group_id
            and self.meeting_id
            and self.group.jurisdiction_id != self.meeting.plan.jurisdiction_id
        ):
            raise ValidationError({"group": _("The group belongs to another city.")})

    def label(self):
        return (
            self.description
            or (self.group.name if self.group_id else "")
            or (self.get_sector_display() if self.sector else str(_("participants")))
        )

    def summary(self):
        parts = [str(self.count or "?"), self.label()]
        if self.sector:
            parts.append(f"({self.sector})")
        return " ".join(parts)


class Attendee(MeetingPart):
    """A named participant. The name is shown only with the person's consent to be named."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendees", verbose_name=_("meeting")
    )
    name = models.CharField(_("name"), max_length=200)
    affiliation = models.CharField(_("affiliation"), max_length=300, blank=True)
    consents_to_be_named = models.BooleanField(
        _("agreed to be named publicly"),
        default=False,
        help_text=_("Without this agreement the name is never shown."),
    )

    class Meta(MeetingPart.Meta):
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")

    def __str__(self):
        return self.name

    def summary(self):
        # The history is shown to editors only, but a name without consent stays out of it too.
        if not self.consents_to_be_named:
            return str(_("(a person who did not agree to be named)"))
        return f"{self.name}, {self.affiliation}" if self.affiliation else self.name


def document_path(instance, filename):
    """A server-made name: the uploader's file name never reaches the file system."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"meetings/{uuid.uuid4().hex}{suffix}"


class MeetingDocument(MeetingPart, TranslatedContent):
    required_texts = ("title",)  # in at least one language
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="documents", verbose_name=_("meeting")
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(
        _("file"),
        upload_to=document_path,
        blank=True,
        help_text=_(
            "A PDF, an image or an office document, checked by its content. It is offered as a "
            "download to those who may see the meeting."
        ),
    )
    # Of an uploaded file, as checked by core.files: what the download is called and its type.
    file_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    content_type = models.CharField(_("content type"), max_length=100, blank=True, editable=False)

    class Meta(MeetingPart.Meta):
        verbose_name = _("document or link")
        verbose_name_plural = _("documents and links")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if not self.url and not self.file:
            raise ValidationError(_("Give a link or a file."))

    def summary(self):
        return f"{self.title} <{self.url or self.file.name}>"


class MeetingRevision(Revision):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="revisions")
    subject = Meeting

    class Meta(Revision.Meta):
        verbose_name = _("meeting revision")
        verbose_name_plural = _("meeting revisions")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="meeting_revision_once")
        ]

    def __str__(self):
        return f"{self.meeting_id} v{self.version}"


class AnnotationQuerySet(models.QuerySet):
    def public(self):
        """Public annotations, withdrawn ones included (their pages say they were withdrawn)."""
        return self.filter(Annotation.public_rule())

    def visible_to(self, user, plan_id):
        """Annotations of one plan's meetings the user may read: board-only ones only for the
        plan's coordinators, board members and monitors. Meeting visibility is the caller's."""
        if plan_roles(user, plan_id) & BOARD_READERS:
            return self
        return self.public()


class Annotation(Labelled, models.Model):
    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        DECISION = "decision", _("Decision")
        FOLLOW_UP = "follow_up", _("Follow-up")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        BOARD = "board", _("Board only")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="annotations", verbose_name=_("meeting")
    )
    agenda_item = models.ForeignKey(
        # An agenda item removed later leaves its annotations on the meeting, not deleted.
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="annotations",
        verbose_name=_("agenda item"),
    )
    author = models.ForeignKey(
        # Set by services.create_annotation, never by a form.
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.NOTE)
    text = models.TextField(_("text"), help_text=_("Markdown: **bold**, lists, links."))
    language = models.CharField(
        _("language of the text"), max_length=8, choices=LANGUAGE_CHOICES, default=current_language
    )
    visibility = models.CharField(
        _("who can read it"), max_length=10, choices=Visibility, default=Visibility.PUBLIC
    )
    step = models.ForeignKey(
        ActionStep,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="annotations",
        verbose_name=_("related action step"),
        help_text=_("The annotation is also shown on that step's page."),
    )
    owner = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("institution responsible"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked done by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("written at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last edited"), default=timezone.now, editable=False)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("annotation")
        verbose_name_plural = _("annotations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="follow_up")
                | (Q(owner__isnull=False) & Q(due_date__isnull=False)),
                name="annotation_follow_up_has_owner_and_due_date",
            ),
        ]
        indexes = [models.Index(fields=["kind", "done_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.meeting_id} ({self.get_visibility_display()})"

    @classmethod
    def public_rule(cls, path=""):
        """Annotations anyone may read (not board-only), as a condition on a related one."""
        return Q(**{f"{path}visibility": cls.Visibility.PUBLIC})

    @property
    def is_withdrawn(self):
        return self.withdrawn_at is not None

    @property
    def is_follow_up(self):
        return self.kind == self.Kind.FOLLOW_UP

    @property
    def is_board_only(self):
        return self.visibility == self.Visibility.BOARD

    def is_overdue(self, today=None):
        return bool(
            self.is_follow_up
            and not self.done_at
            and not self.withdrawn_at
            and self.due_date < (today or timezone.localdate())
        )

    def clean(self):
        errors = {}
        if self.kind == self.Kind.FOLLOW_UP:
            if not self.owner_id:
                errors["owner"] = _("Say which institution follows this up.")
            if not self.due_date:
                errors["due_date"] = _("Give the date by which it is to be done.")
        else:
            if self.owner_id:
                errors["owner"] = _("Only a follow-up has an institution responsible.")
            if self.due_date:
                errors["due_date"] = _("Only a follow-up has a due date.")
        if self.meeting_id:
            plan = self.meeting.plan
            if self.agenda_item_id and self.agenda_item.meeting_id != self.meeting_id:
                errors["agenda_item"] = _("The agenda item belongs to another meeting.")
            if self.step_id and self.step.plan_id != plan.pk:
                errors["step"] = _("The action step belongs to another plan.")
            if self.owner_id and self.owner.jurisdiction_id != plan.jurisdiction_id:
                errors["owner"] = _("The institution belongs to another city.")
        if errors:
            raise ValidationError(errors)


class AnnotationRevision(Revision):
    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="revisions")
    subject = Annotation
    text = models.TextField(_("text at this version"))

    class Meta(Revision.Meta):
        verbose_name = _("annotation revision")
        verbose_name_plural = _("annotation revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["annotation", "version"], name="annotation_revision_once"
            )
        ]

    def __str__(self):
        return f"{self.annotation_id} v{self.version}"


# --- The register of reasoned responses -----------------------------------------------------------


class ReasonedResponseQuerySet(models.QuerySet):
    def public(self):
        """Published entries of public plans: a proposed response is the board's draft."""
        return self.filter(ActionPlan.public_rule("plan__"), is_published=True)


class ReasonedResponse(TranslatedContent):
    """One input received while the plan was made or carried out, and what the city did with it.

    OGP's standards ask for a reasoned response to each: adopted or not, and why. A board member
    may propose the response; the coordinator publishes it, and only then is the entry public.
    """

    class SourceKind(models.TextChoices):
        MEETING = "meeting", _("Proposal at a meeting")
        PUBLIC = "public", _("Submission from the public")
        BOARD = "board", _("Board recommendation")

    class Response(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        PARTLY = "partly", _("Partly adopted")
        NOT_ADOPTED = "not_adopted", _("Not adopted")
        CONSIDERING = "considering", _("Under consideration")

    required_texts = ("text",)  # in at least one language
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="responses", verbose_name=_("plan")
    )
    source_kind = models.CharField(_("kind of source"), max_length=20, choices=SourceKind)
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("meeting"),
    )
    received_on = models.DateField(_("received on"))
    group = models.ForeignKey(
        StakeholderGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stakeholder group"),
        help_text=_("Leave empty for an input from a resident."),
    )
    # A person is named only with their consent; otherwise the entry says "a resident".
    author_name = models.CharField(_("name of the author"), max_length=200, blank=True)
    author_consents = models.BooleanField(_("the author agreed to be named"), default=False)
    text = models.TextField(_("the input"), blank=True)
    response = models.CharField(
        _("response"), max_length=20, choices=Response, default=Response.CONSIDERING
    )
    reason = models.TextField(_("reason"), blank=True)
    step = models.ForeignKey(
        ActionStep,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("step it led to"),
    )
    is_published = models.BooleanField(_("published"), default=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    is_sample = models.BooleanField(
        _("sample entry"),
        default=False,
        help_text=_("Summarised by the portal team where the sources give no register entry."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = ReasonedResponseQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "received_on", "order", "id"]
        verbose_name = _("reasoned response")
        verbose_name_plural = _("reasoned responses")

    def __str__(self):
        return f"{self.received_on} {self.text[:40]}"

    def clean(self):
        super().clean()
        errors = {}
        if self.author_name and not self.author_consents:
            errors["author_name"] = _("Name a person only when they agreed to be named.")
        if self.meeting_id and self.plan_id and self.meeting.plan_id != self.plan_id:
            errors["meeting"] = _("The meeting belongs to another plan.")
        if self.step_id and self.plan_id and self.step.plan_id != self.plan_id:
            errors["step"] = _("The step belongs to another plan.")
        if self.response != self.Response.CONSIDERING and not any(
            getattr(self, f"reason_{code}", None) for code, _name in settings.LANGUAGES
        ):
            errors[f"reason_{settings.LANGUAGE_CODE}"] = _("Give the reason for the response.")
        if errors:
            raise ValidationError(errors)

    def source_label(self):
        """Who the input came from, as the public reads it: never an unconsented name."""
        if self.author_name and self.author_consents:
            return self.author_name
        if self.group_id:
            return self.group.name
        return _("a resident")
