"""The OGP Local action plan: jurisdictions, plans, priorities, action steps and who does them.

Content (titles, narrative) is stored in the language it was written in; `content_language` on the
plan and `local_name` on institutions let templates mark it with the right `lang` attribute.
"""

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LANGUAGE_CHOICES = [("sk", _("Slovak")), ("en", _("English"))]


class Sector(models.TextChoices):
    PUBLIC_ADMINISTRATION = "public", _("Public administration")
    ELECTED = "elected", _("Elected representatives")
    CIVIL_SOCIETY = "civil", _("Civil society")
    ACADEMIA = "academia", _("Academia")
    PRIVATE = "private", _("Private sector")
    INTERNATIONAL = "international", _("International partners")
    PUBLIC = "citizens", _("Residents and the public")
    CROSS_SECTOR = "cross", _("Cross-sector")


class Jurisdiction(models.Model):
    name = models.CharField(_("name"), max_length=200)
    local_name = models.CharField(_("local name"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), unique=True)
    country = models.CharField(_("country"), max_length=100)
    local_language = models.CharField(
        _("local language"), max_length=8, choices=LANGUAGE_CHOICES, default="sk"
    )
    website = models.URLField(_("website"), blank=True)
    ogp_member_since = models.DateField(_("OGP Local member since"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")

    def __str__(self):
        return self.name


class ActionPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        IN_IMPLEMENTATION = "implementation", _("In implementation")
        CLOSED = "closed", _("Closed")

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="plans", verbose_name=_("jurisdiction")
    )
    slug = models.SlugField(_("slug"), unique=True)
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    local_title = models.CharField(_("title in the local language"), max_length=300, blank=True)
    content_language = models.CharField(
        _("language of the content"), max_length=8, choices=LANGUAGE_CHOICES, default="en"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)

    foreword = models.TextField(_("foreword"), blank=True)
    vision = models.TextField(_("long-term vision"), blank=True)
    achievements = models.TextField(_("achievements to date"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    medium_term_goals = models.TextField(_("medium-term goals"), blank=True)
    contribution_to_vision = models.TextField(_("contribution to the vision"), blank=True)
    cocreation_spaces = models.TextField(_("co-creation spaces"), blank=True)
    diversity_measures = models.TextField(_("measures for diversity"), blank=True)
    participants = models.TextField(_("who participated"), blank=True)
    declared_groups = models.PositiveIntegerField(
        _("groups that participated (declared)"), null=True, blank=True
    )
    declared_public_meetings = models.PositiveIntegerField(
        _("public-facing meetings (declared)"), null=True, blank=True
    )

    NARRATIVE_FIELDS = (
        "foreword",
        "vision",
        "achievements",
        "challenges",
        "medium_term_goals",
        "contribution_to_vision",
        "cocreation_spaces",
        "diversity_measures",
        "participants",
    )

    class Meta:
        ordering = ["jurisdiction__name", "-period_start"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "code"], name="actionplan_code_unique_per_jurisdiction"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="actionplan_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.title}"

    def get_absolute_url(self):
        return reverse("actionplan:plan", kwargs={"plan_slug": self.slug})

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})

    def narrative_sections(self):
        """(field name, label, text) for each narrative section that has text, in plan order."""
        return [
            (name, self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in self.NARRATIVE_FIELDS
            if getattr(self, name)
        ]


class Priority(models.Model):
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="priorities", verbose_name=_("plan")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    local_title = models.CharField(_("title in the local language"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["plan", "order", "code"]
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="priority_code_unique_per_plan")
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse(
            "actionplan:priority", kwargs={"plan_slug": self.plan.slug, "code": self.code}
        )


class Institution(models.Model):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Municipal department")
        LEADERSHIP = "leadership", _("Municipal office leadership")
        PUBLIC_BODY = "public_body", _("Public body")
        NGO = "ngo", _("Non-governmental organisation")
        ACADEMIA = "academia", _("Academia")
        NETWORK = "network", _("Network")
        OTHER = "other", _("Other")

    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="institutions",
        verbose_name=_("jurisdiction"),
    )
    slug = models.SlugField(_("slug"))
    name = models.CharField(_("name"), max_length=300)
    local_name = models.CharField(_("name in the local language"), max_length=300, blank=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.OTHER)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "slug"], name="institution_slug_unique_per_jurisdiction"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "actionplan:institution",
            kwargs={"jurisdiction_slug": self.jurisdiction.slug, "slug": self.slug},
        )


class OgpValue(models.TextChoices):
    """The four OGP values; a step's relevance to each is a boolean column named value_<key>."""

    ACCESS_TO_INFORMATION = "access_to_information", _("Access to information")
    CIVIC_PARTICIPATION = "civic_participation", _("Civic participation")
    PUBLIC_ACCOUNTABILITY = "public_accountability", _("Public accountability")
    TECHNOLOGY_INNOVATION = (
        "technology_innovation",
        _("Technology and innovation for transparency and accountability"),
    )


class ActionStepQuerySet(models.QuerySet):
    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(end_date__lt=today).exclude(status__in=ActionStep.NEVER_OVERDUE)

    def with_value(self, value):
        return self.filter(**{f"value_{OgpValue(value).value}": True})


class ActionStep(models.Model):
    """An OGP commitment, or one action step of a plan, with its current status and progress."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        ON_HOLD = "on_hold", _("On hold")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        # The sources say nothing of the step's state (e.g. an old plan's commitment).
        NOT_REPORTED = "not_reported", _("Not reported")

    # Done, dropped or unknown: such a step is never flagged as late.
    NEVER_OVERDUE = (Status.COMPLETED, Status.WITHDRAWN, Status.NOT_REPORTED)
    # Their progress figure says nothing about how far the plan has come.
    NOT_MEASURED = (Status.WITHDRAWN, Status.NOT_REPORTED)

    class Origin(models.TextChoices):
        OFFICIAL = "official", _("Official commitment text")
        DERIVED = "derived", _("Derived from the plan's narrative")

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="steps", verbose_name=_("plan")
    )
    priority = models.ForeignKey(
        Priority,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="steps",
        verbose_name=_("priority"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=400)
    local_title = models.CharField(_("title in the local language"), max_length=400, blank=True)
    problem = models.TextField(_("problem addressed"), blank=True)
    description = models.TextField(_("description"), blank=True)
    expected_result = models.TextField(_("expected result"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    value_access_to_information = models.BooleanField(
        OgpValue.ACCESS_TO_INFORMATION.label, default=False
    )
    value_civic_participation = models.BooleanField(
        OgpValue.CIVIC_PARTICIPATION.label, default=False
    )
    value_public_accountability = models.BooleanField(
        OgpValue.PUBLIC_ACCOUNTABILITY.label, default=False
    )
    value_technology_innovation = models.BooleanField(
        OgpValue.TECHNOLOGY_INNOVATION.label, default=False
    )
    origin = models.CharField(
        _("origin of the text"), max_length=20, choices=Origin, default=Origin.OFFICIAL
    )
    is_sample = models.BooleanField(
        _("sample values"),
        default=False,
        help_text=_("Dates or progress are illustrative, not reported by the city."),
    )
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    institutions = models.ManyToManyField(
        Institution, through="StepInstitution", related_name="steps", verbose_name=_("institutions")
    )
    # Bumped by a database trigger on every change to a tracked column (see actionplan.history);
    # an edit form carries the version it started from so a concurrent save is detected.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = ActionStepQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "order", "code"]
        verbose_name = _("action step")
        verbose_name_plural = _("action steps")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="step_code_unique_per_plan"),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100), name="step_progress_0_100"
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(progress=100),
                name="step_completed_means_100",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="step_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("actionplan:step", kwargs={"plan_slug": self.plan.slug, "code": self.code})

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.status == self.Status.COMPLETED and self.progress != 100:
            errors["progress"] = _("A completed step has progress 100%.")
        if self.priority_id and self.plan_id and self.priority.plan_id != self.plan_id:
            errors["priority"] = _("The priority belongs to another plan.")
        if errors:
            raise ValidationError(errors)

    @property
    def ogp_values(self):
        return [value for value in OgpValue if getattr(self, f"value_{value.value}")]

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return bool(
            self.end_date and self.end_date < today and self.status not in self.NEVER_OVERDUE
        )

    def leads(self):
        """Lead institutions; uses the prefetched `roles` when the view prefetched them."""
        return [r.institution for r in self.roles.all() if r.role == StepInstitution.Role.LEAD]

    def supporters(self):
        return [
            r.institution for r in self.roles.all() if r.role == StepInstitution.Role.SUPPORTING
        ]


class StepInstitution(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        SUPPORTING = "supporting", _("Supporting")

    step = models.ForeignKey(ActionStep, on_delete=models.CASCADE, related_name="roles")
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="step_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.LEAD)

    class Meta:
        ordering = ["role", "institution__name"]
        verbose_name = _("institution of a step")
        verbose_name_plural = _("institutions of a step")
        constraints = [
            models.UniqueConstraint(fields=["step", "institution"], name="step_institution_once")
        ]

    def __str__(self):
        return f"{self.institution} ({self.get_role_display()})"

    def clean(self):
        if (
            self.step_id
            and self.institution_id
            and self.institution.jurisdiction_id != self.step.plan.jurisdiction_id
        ):
            raise ValidationError({"institution": _("The institution belongs to another city.")})


class Milestone(models.Model):
    step = models.ForeignKey(
        ActionStep,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("action step"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=400)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        ordering = ["step", "order", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title

    @property
    def is_done(self):
        return self.completed_on is not None

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return bool(self.due_date and not self.completed_on and self.due_date < today)


class StakeholderGroup(models.Model):
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="stakeholder_groups",
        verbose_name=_("jurisdiction"),
    )
    plan = models.ForeignKey(
        ActionPlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stakeholder_groups",
        verbose_name=_("plan"),
        help_text=_("Set when the group belongs to one plan, e.g. its endorsers."),
    )
    slug = models.SlugField(_("slug"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=300)
    local_name = models.CharField(_("name in the local language"), max_length=300, blank=True)
    sector = models.CharField(
        _("sector"), max_length=20, choices=Sector, default=Sector.CROSS_SECTOR
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["jurisdiction", "order", "name"]
        verbose_name = _("stakeholder group")
        verbose_name_plural = _("stakeholder groups")
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "slug"], name="group_slug_unique_per_jurisdiction"
            )
        ]

    def __str__(self):
        return self.name


class Stakeholder(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")

    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="stakeholders",
        verbose_name=_("jurisdiction"),
    )
    slug = models.SlugField(_("slug"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.PERSON)
    name = models.CharField(_("name"), max_length=300)
    affiliation = models.CharField(_("affiliation"), max_length=300, blank=True)
    public_role = models.CharField(_("public role"), max_length=300, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    groups = models.ManyToManyField(
        StakeholderGroup,
        through="Membership",
        related_name="stakeholders",
        verbose_name=_("groups"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "slug"], name="stakeholder_slug_unique_per_jurisdiction"
            )
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    group = models.ForeignKey(
        StakeholderGroup, on_delete=models.CASCADE, related_name="memberships"
    )
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="memberships"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    role = models.CharField(_("role in the group"), max_length=200, blank=True)

    class Meta:
        ordering = ["group", "order", "stakeholder__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["group", "stakeholder"], name="membership_once")
        ]

    def __str__(self):
        return f"{self.stakeholder} in {self.group}"


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
    detected content type (see actionplan.forms.detect_file_type).
    """
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class Evidence(models.Model):
    """A link or a file attached to a step update, to show what the update says happened."""

    update = models.ForeignKey(
        StepUpdate, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("update")
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_file_name, max_length=200, blank=True)
    # The uploader's name for the file, cleaned, offered as the name of the download.
    title = models.CharField(_("title"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)

    class Meta:
        ordering = ["update", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="evidence_is_a_link_or_a_file",
            )
        ]

    def __str__(self):
        return self.title or self.url

    @property
    def is_file(self):
        return bool(self.file)
