"""Reporting periods of a plan, and the period report the lead institution files for each step.

A period report is a statement at the period's end: status, progress, what happened, what held
the step back (coded challenges) and evidence. Reports are only ever added: filing again in an
open period supersedes the earlier row, and a report added after the period closed is shown as a
correction. A database trigger refuses UPDATE (actionplan/history_sql.py).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplan.models.history import EvidenceItem
from actionplan.models.plans import LANGUAGE_CHOICES, ActionPlan, ActionStep, Institution
from core.languages import current_language


class ReportingPeriod(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Open for reports")
        SUBMITTED = "submitted", _("Submitted, under review")
        CLOSED = "closed", _("Closed")

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="periods", verbose_name=_("plan")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    # Both days inclusive: a period ends at the end of its `end` day.
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="period_number_unique"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_ordered"),
        ]

    def __str__(self):
        return f"{self.plan.code} {self.number}: {self.start} – {self.end}"

    def get_absolute_url(self):
        return reverse(
            "actionplan:period", kwargs={"plan_slug": self.plan.slug, "number": self.number}
        )

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The period cannot end before it starts.")})

    @property
    def is_closed(self):
        return self.state == self.State.CLOSED

    def has_ended(self, today=None):
        return self.end < (today or timezone.localdate())


class Challenge(models.TextChoices):
    """What held a step back, coded as Canada's national-plan tracker does."""

    RESOURCES = "resources", _("Lack of resources")
    FUNDING = "funding", _("Change of funding")
    PRIORITIES = "priorities", _("Shift in priorities")
    APPROVALS = "approvals", _("Delay in approvals")
    DEPENDENCY = "dependency", _("Depends on other activities")
    OTHER = "other", _("Other")


class PeriodReport(models.Model):
    # A report in one of these states must name at least one challenge.
    NEEDS_CHALLENGE = (ActionStep.Status.NOT_STARTED, ActionStep.Status.ON_HOLD)

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="reports", verbose_name=_("period")
    )
    step = models.ForeignKey(
        ActionStep, on_delete=models.PROTECT, related_name="period_reports", verbose_name=_("step")
    )
    status = models.CharField(_("status"), max_length=20, choices=ActionStep.Status)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    narrative = models.TextField(_("what happened in the period"))
    # Staff notes stay in the language they were written in, like StepUpdate.note.
    language = models.CharField(
        _("language"), max_length=8, choices=LANGUAGE_CHOICES, default=current_language
    )
    challenges = models.JSONField(_("challenges"), default=list, blank=True)
    behind_schedule = models.BooleanField(_("behind schedule"), default=False)
    institution = models.ForeignKey(
        Institution,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filed for"),
    )
    actor = models.ForeignKey(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    created_at = models.DateTimeField(_("filed at"), default=timezone.now, db_index=True)
    # Filed after the period was closed: shown as a correction of the report it follows.
    is_correction = models.BooleanField(_("correction"), default=False)
    is_sample = models.BooleanField(_("sample values"), default=False)

    class Meta:
        ordering = ["period", "step", "created_at", "id"]
        verbose_name = _("period report")
        verbose_name_plural = _("period reports")
        indexes = [models.Index(fields=["step", "period"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100), name="report_progress_0_100"
            )
        ]

    def __str__(self):
        return f"{self.step_id} {self.period_id}: {self.status} {self.progress}"

    def challenge_labels(self):
        labels = dict(Challenge.choices)
        return [labels.get(code, code) for code in self.challenges]


class ReportEvidence(EvidenceItem):
    """A link or a file attached to a period report."""

    report = models.ForeignKey(
        PeriodReport, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("report")
    )

    class Meta:
        ordering = ["report", "id"]
        verbose_name = _("report evidence")
        verbose_name_plural = _("report evidence")
        constraints = [
            models.CheckConstraint(
                condition=EvidenceItem.LINK_OR_FILE, name="report_evidence_is_a_link_or_a_file"
            )
        ]
