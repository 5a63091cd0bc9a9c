"""The independent monitoring body of a plan: its assessments of action steps and its reports.

The scales are those of the OGP Independent Reporting Mechanism (IRM) as used by OGP Local; see
the OGP glossary (https://www.opengovpartnership.org/glossary/completion/ and its other entries),
the OGP Local Handbook (https://opengovpartnership.org/documents/ogp-local-handbook) and the OGP
Local end-of-commitment assessment form
(https://www.opengovpartnership.org/ogp-local-end-of-commitment-assessment-form). A blank choice
means "not assessed yet", never a default judgement.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from actionplan.models import ActionPlan, ActionStep, OgpValue
from actionplan.models.roles import Role, has_plan_role
from core.content import columns
from core.models import TranslatedContent


class Publication(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Verifiability(models.TextChoices):
    VERIFIABLE = "verifiable", _("Verifiable")
    NOT_VERIFIABLE = "not_verifiable", _("Not verifiable")


# The IRM scales share English words with each other and with step statuses ("Substantial",
# "Not started") but not their Slovak translations, hence a context for each scale.
class PotentialForResults(models.TextChoices):
    UNCLEAR = "unclear", pgettext_lazy("IRM potential for results", "Unclear")
    MODEST = "modest", pgettext_lazy("IRM potential for results", "Modest")
    SUBSTANTIAL = "substantial", pgettext_lazy("IRM potential for results", "Substantial")


class Completion(models.TextChoices):
    NO_EVIDENCE = "no_evidence", pgettext_lazy("IRM completion", "No evidence available")
    NOT_STARTED = "not_started", pgettext_lazy("IRM completion", "Not started")
    LIMITED = "limited", pgettext_lazy("IRM completion", "Limited")
    SUBSTANTIAL = "substantial", pgettext_lazy("IRM completion", "Substantial")
    COMPLETE = "complete", pgettext_lazy("IRM completion", "Complete")


class EarlyResults(models.TextChoices):
    """ "Did it open government?" """

    WORSENED = "worsened", _("Worsened")
    DID_NOT_CHANGE = "did_not_change", _("Did not change")
    MARGINAL = "marginal", _("Marginal")
    MAJOR = "major", _("Major")
    OUTSTANDING = "outstanding", _("Outstanding")


def relevance_field(value):
    return f"relevance_{value}"


def explanation_field(value):
    return f"relevance_{value}_explanation"


# One column of each kind per OGP value; the explanations' labels are written out below so that
# makemessages finds them.
def _relevance(value):
    return models.BooleanField(value.label, null=True, blank=True)


def _explanation(label):
    return models.TextField(label, blank=True)


def _result(value):
    return models.CharField(value.label, max_length=20, choices=EarlyResults, blank=True)


class MonitoringBody(TranslatedContent):
    """Who monitors a plan. Its members are the users holding the monitor role for the plan.

    A plan may name no body yet: the 2024–26 plan says "TBC", and the page says so.
    """

    plan = models.OneToOneField(
        ActionPlan,
        on_delete=models.CASCADE,
        related_name="monitoring_body",
        verbose_name=_("plan"),
    )
    name = models.CharField(
        _("name"),
        max_length=300,
        blank=True,
        help_text=_("Leave empty while the body is to be confirmed."),
    )
    description = models.TextField(_("description"), blank=True)
    contact_details = models.TextField(
        _("contact details"),
        blank=True,
        help_text=_("Shown publicly. “TBC” is a valid answer while the body is being selected."),
    )
    email = models.EmailField(_("public e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    selected_on = models.DateField(_("selected on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        verbose_name = _("monitoring body")
        verbose_name_plural = _("monitoring bodies")

    def __str__(self):
        return self.name or str(_("Monitoring body of %(plan)s") % {"plan": self.plan.code})


class PublicationQuerySet(models.QuerySet):
    def published(self):
        """What the public reads; drafts stay with the monitoring body."""
        return self.filter(status=Publication.PUBLISHED)

    def visible_to(self, user, plan_id):
        """The published ones, and drafts too for the plan's monitors (and administrators)."""
        if has_plan_role(user, plan_id, Role.MONITOR):
            return self
        return self.published()


class Assessment(TranslatedContent):
    """The monitoring body's assessment of one action step, on the IRM indicators."""

    step = models.OneToOneField(
        ActionStep,
        on_delete=models.PROTECT,
        related_name="assessment",
        verbose_name=_("action step"),
    )
    verifiability = models.CharField(
        _("verifiability"), max_length=20, choices=Verifiability, blank=True
    )
    relevance_access_to_information = _relevance(OgpValue.ACCESS_TO_INFORMATION)
    relevance_access_to_information_explanation = _explanation(
        _("explanation: access to information")
    )
    relevance_civic_participation = _relevance(OgpValue.CIVIC_PARTICIPATION)
    relevance_civic_participation_explanation = _explanation(_("explanation: civic participation"))
    relevance_public_accountability = _relevance(OgpValue.PUBLIC_ACCOUNTABILITY)
    relevance_public_accountability_explanation = _explanation(
        _("explanation: public accountability")
    )
    relevance_technology_innovation = _relevance(OgpValue.TECHNOLOGY_INNOVATION)
    relevance_technology_innovation_explanation = _explanation(
        _("explanation: technology and innovation")
    )
    potential_for_results = models.CharField(
        _("potential for results"), max_length=20, choices=PotentialForResults, blank=True
    )
    completion = models.CharField(_("completion"), max_length=20, choices=Completion, blank=True)
    early_results = models.CharField(
        _("did it open government?"), max_length=20, choices=EarlyResults, blank=True
    )
    narrative = models.TextField(_("narrative"), blank=True)
    evidence_links = models.TextField(
        _("evidence links"), blank=True, help_text=_("One web address per line.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Publication, default=Publication.DRAFT
    )
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    # An edit form carries the version it started from; a save with an older one is a conflict.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last edited by"),
    )

    # What a revision records and what the exports publish, in form order.
    # What the monitoring body assesses, each text in every site language.
    ASSESSED_FIELDS = (
        "verifiability",
        *[
            name
            for value in OgpValue.values
            for name in (relevance_field(value), *columns(explanation_field(value)))
        ],
        "potential_for_results",
        "completion",
        "early_results",
        *columns("narrative"),
        "evidence_links",
        "status",
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["step__plan", "step__order", "step__code"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self):
        return str(_("Assessment of %(step)s") % {"step": self.step.code})

    @property
    def is_published(self):
        return self.status == Publication.PUBLISHED

    def relevance(self):
        """(OGP value, yes/no/None, the explanation's field, "" when it has no text in any
        language) for each of the four values; pages show the explanation with {% text %}."""
        rows = []
        for value in OgpValue:
            explanation = explanation_field(value.value)
            given = any(getattr(self, column) for column in columns(explanation))
            rows.append((value, getattr(self, relevance_field(value.value)), explanation * given))
        return rows

    def links(self):
        return [line.strip() for line in self.evidence_links.splitlines() if line.strip()]

    def snapshot(self):
        return {name: getattr(self, name) for name in self.ASSESSED_FIELDS}


class AssessmentRevision(models.Model):
    """The assessment as saved at one version: append-only, written by services.save_assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(_("version"))
    saved_at = models.DateTimeField(_("saved at"), db_index=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    data = models.JSONField(_("values"))

    class Meta:
        ordering = ["-version"]
        verbose_name = _("assessment revision")
        verbose_name_plural = _("assessment revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "version"], name="revision_once_per_version"
            )
        ]

    def __str__(self):
        return f"{self.assessment_id} v{self.version}"


def evidence_upload_to(instance, filename):
    """A server-made name. The form (core.files.EvidenceFilesField) has already replaced
    the extension with the one the file's content shows; the uploader's name is only a label."""
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"monitoring/evidence/{uuid.uuid4().hex}.{extension}"


class AssessmentEvidence(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="evidence_files"
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("monitoring:evidence", kwargs={"pk": self.pk})


class MonitoringReport(TranslatedContent):
    class Kind(models.TextChoices):
        INCEPTION = "inception", _("Inception report")
        END_OF_COMMITMENT = "end_of_commitment", _("End-of-commitment report")
        FINAL_LEARNING = "final_learning", _("Final learning exercise")

    required_texts = ("title",)  # in at least one language
    plan = models.ForeignKey(
        ActionPlan,
        on_delete=models.CASCADE,
        related_name="monitoring_reports",
        verbose_name=_("plan"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    title = models.CharField(_("title"), max_length=300, blank=True)
    authors = models.CharField(
        _("authors"), max_length=500, help_text=_("The evaluators' names, as they sign the report.")
    )
    period_start = models.DateField(_("covers from"), null=True, blank=True)
    period_end = models.DateField(_("covers until"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    steps = models.ManyToManyField(
        ActionStep, blank=True, related_name="monitoring_reports", verbose_name=_("steps covered")
    )
    summary = models.TextField(_("summary"), blank=True)
    # The final learning exercise's narrative sections.
    what_worked = models.TextField(_("what worked"), blank=True)
    what_did_not_work = models.TextField(_("what did not work"), blank=True)
    lessons = models.TextField(_("lessons"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    source_url = models.URLField(
        _("published original"),
        max_length=500,
        blank=True,
        help_text=_("Where the report is published elsewhere, e.g. on the OGP website."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Publication, default=Publication.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last edited by"),
    )

    LEARNING_SECTIONS = ("what_worked", "what_did_not_work", "lessons", "recommendations")

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "kind", "-published_on", "id"]
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("monitoring:report", kwargs={"plan_slug": self.plan.slug, "pk": self.pk})

    @property
    def is_published(self):
        return self.status == Publication.PUBLISHED

    def learning_sections(self):
        """(label, field name, whether it has a text in any language): pages show it with
        {% text_block %}, which says when it is in the other language."""
        return [
            (
                self._meta.get_field(name).verbose_name,
                name,
                any(getattr(self, column) for column in columns(name)),
            )
            for name in self.LEARNING_SECTIONS
        ]


class ChecklistQuestion(models.TextChoices):
    """The OGP Local inception form's co-creation questions, as published.

    Sources: the form, https://opengovpartnership.org/?p=57265, and the Banská Bystrica 2021–22
    inception report:
    https://www.opengovpartnership.org/documents/inception-report-action-plan-banska-bystrica-slovak-republic-2021-2022/

    1.1 and 1.2 are numbered in the form; the others are named only in its "quick tips", so they
    carry no number here.
    """

    FORUM_EXISTS = "1.1", _("1.1 Does a forum exist?")
    FORUM_MULTI_STAKEHOLDER = "1.2", _("1.2 Is the forum multi-stakeholder?")
    ENDORSED = (
        "endorsed",
        _(
            "Did non-government stakeholders endorse or approve the action plan before it was "
            "submitted?"
        ),
    )
    WEBPAGE = (
        "webpage",
        _(
            "Is there an OGP Local webpage, online without access barriers, covering the process "
            "and updated at least every four months?"
        ),
    )
    INFORMATION_SHARED = (
        "information_shared",
        _(
            "Did the government share relevant information with stakeholders before co-creation "
            "meetings?"
        ),
    )


class ChecklistAnswer(TranslatedContent):
    report = models.ForeignKey(MonitoringReport, on_delete=models.CASCADE, related_name="checklist")
    question = models.CharField(_("question"), max_length=20, choices=ChecklistQuestion)
    answer = models.BooleanField(_("answer"), null=True, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("Links or a description."))

    class Meta:
        ordering = ["report", "id"]
        verbose_name = _("co-creation checklist answer")
        verbose_name_plural = _("co-creation checklist answers")
        constraints = [
            models.UniqueConstraint(fields=["report", "question"], name="checklist_question_once")
        ]

    def __str__(self):
        return f"{self.report_id} {self.question}"


class CommitmentResult(TranslatedContent):
    """One step's results in an end-of-commitment report: completion, and per OGP value whether
    it opened government (blank: the value does not apply)."""

    report = models.ForeignKey(MonitoringReport, on_delete=models.CASCADE, related_name="results")
    step = models.ForeignKey(ActionStep, on_delete=models.PROTECT, related_name="+")
    completion = models.CharField(_("completion"), max_length=20, choices=Completion, blank=True)
    result_access_to_information = _result(OgpValue.ACCESS_TO_INFORMATION)
    result_civic_participation = _result(OgpValue.CIVIC_PARTICIPATION)
    result_public_accountability = _result(OgpValue.PUBLIC_ACCOUNTABILITY)
    result_technology_innovation = _result(OgpValue.TECHNOLOGY_INNOVATION)
    explanation = models.TextField(_("explanation"), blank=True)

    class Meta:
        ordering = ["report", "step__order", "step__code"]
        verbose_name = _("commitment result")
        verbose_name_plural = _("commitment results")
        constraints = [
            models.UniqueConstraint(fields=["report", "step"], name="result_once_per_step")
        ]

    def __str__(self):
        return f"{self.report_id} {self.step_id}"

    def results_by_value(self):
        """(OGP value, EarlyResults label or None) for each value."""
        return [
            (value, getattr(self, f"get_result_{value.value}_display")() or None)
            for value in OgpValue
        ]
