"""The OGP Local action plan: jurisdictions, plans, priorities, action steps and who does them.

Every text a visitor reads has a column per site language (actionplan/translation.py), with the
provenance of each translation (core.models.TranslatedContent).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TranslatedContent

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


class Jurisdiction(TranslatedContent):
    required_texts = ("name",)  # in at least one language
    name = models.CharField(_("name"), max_length=200, blank=True)
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


class ActionPlanQuerySet(models.QuerySet):
    def public(self):
        """Plans the public sees: a draft is still being written by the city."""
        return self.filter(ActionPlan.public_rule())

    def current_first(self):
        """The plans in implementation or published first, then the others; newest first."""
        return self.annotate(
            is_past=models.Case(
                models.When(status__in=ActionPlan.CURRENT_STATUSES, then=models.Value(0)),
                default=models.Value(1),
                output_field=models.IntegerField(),
            )
        ).order_by("is_past", "-period_start")


class ActionPlan(TranslatedContent):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        IN_IMPLEMENTATION = "implementation", _("In implementation")
        CLOSED = "closed", _("Closed")

    PUBLIC_STATUSES = (Status.PUBLISHED, Status.IN_IMPLEMENTATION, Status.CLOSED)
    CURRENT_STATUSES = (Status.IN_IMPLEMENTATION, Status.PUBLISHED)

    required_texts = ("title",)  # in at least one language
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="plans", verbose_name=_("jurisdiction")
    )
    slug = models.SlugField(_("slug"), unique=True)
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=300, blank=True)
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

    objects = ActionPlanQuerySet.as_manager()

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
        errors = self.missing_texts()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self):
        return self.status in self.PUBLIC_STATUSES

    @classmethod
    def public_rule(cls, path=""):
        """The public plans as a condition on a related plan, for querysets of other models:
        public_rule("step__plan__") keeps the rows of public plans' steps."""
        return Q(**{f"{path}status__in": cls.PUBLIC_STATUSES})

    def narrative_sections(self):
        """(field name, label, text) for each narrative section that has text, in plan order."""
        return [
            (name, self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in self.NARRATIVE_FIELDS
            if getattr(self, name)
        ]


class Priority(TranslatedContent):
    required_texts = ("title",)  # in at least one language
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="priorities", verbose_name=_("plan")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=300, blank=True)
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


class Institution(TranslatedContent):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Municipal department")
        LEADERSHIP = "leadership", _("Municipal office leadership")
        PUBLIC_BODY = "public_body", _("Public body")
        NGO = "ngo", _("Non-governmental organisation")
        ACADEMIA = "academia", _("Academia")
        NETWORK = "network", _("Network")
        OTHER = "other", _("Other")

    required_texts = ("name",)  # in at least one language
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="institutions",
        verbose_name=_("jurisdiction"),
    )
    slug = models.SlugField(_("slug"))
    name = models.CharField(_("name"), max_length=300, blank=True)
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
    def public(self):
        """Steps of the plans the public sees."""
        return self.filter(ActionPlan.public_rule("plan__"))

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(end_date__lt=today).exclude(status__in=ActionStep.NEVER_OVERDUE)

    def with_value(self, value):
        return self.filter(**{f"value_{OgpValue(value).value}": True})


class ActionStep(TranslatedContent):
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

    required_texts = ("title",)  # in at least one language
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
    title = models.CharField(_("title"), max_length=400, blank=True)
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
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("How much the step counts in its priority's and the plan's progress."),
    )
    # The dates the step had when the plan was adopted; later moves are measured against them.
    # Filled from start_date and end_date by a database trigger when a step is created without.
    baseline_start_date = models.DateField(_("originally from"), null=True, blank=True)
    baseline_end_date = models.DateField(_("originally due"), null=True, blank=True)
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
            models.CheckConstraint(condition=Q(weight__gte=1), name="step_weight_positive"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("actionplan:step", kwargs={"plan_slug": self.plan.slug, "code": self.code})

    def clean(self):
        # All the step's errors at once, the missing texts among them.
        errors = self.missing_texts()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.status == self.Status.COMPLETED and self.progress != 100:
            errors["progress"] = _("A completed step has progress 100%.")
        if self.priority_id and self.plan_id and self.priority.plan_id != self.plan_id:
            errors["priority"] = _("The priority belongs to another plan.")
        if errors:
            raise ValidationError(errors)

    @property
    def end_moved_days(self):
        """Days the end date moved from its baseline (later is positive), or None."""
        if self.end_date and self.baseline_end_date:
            return (self.end_date - self.baseline_end_date).days
        return None

    @property
    def is_moved(self):
        return bool(
            (self.baseline_end_date and self.end_date != self.baseline_end_date)
            or (self.baseline_start_date and self.start_date != self.baseline_start_date)
        )

    @property
    def ogp_values(self):
        return [value for value in OgpValue if getattr(self, f"value_{value.value}")]

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return bool(
            self.end_date and self.end_date < today and self.status not in self.NEVER_OVERDUE
        )

    def _roles(self):
        # The prefetched rows as they are: .all() would clone a queryset for every step listed.
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("roles")
        return self.roles.all() if prefetched is None else prefetched

    def leads(self):
        """Lead institutions; uses the prefetched `roles` when the view prefetched them."""
        return [r.institution for r in self._roles() if r.role == StepInstitution.Role.LEAD]

    def supporters(self):
        return [r.institution for r in self._roles() if r.role == StepInstitution.Role.SUPPORTING]


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


class Milestone(TranslatedContent):
    required_texts = ("title",)  # in at least one language
    step = models.ForeignKey(
        ActionStep,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("action step"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=400, blank=True)
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
