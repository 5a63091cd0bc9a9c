"""The monitoring body's texts in each site language (see actionplan/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from actionplan.models import OgpValue
from monitoring.models import (
    Assessment,
    ChecklistAnswer,
    CommitmentResult,
    MonitoringBody,
    MonitoringReport,
    explanation_field,
)


@register(MonitoringBody)
class MonitoringBodyText(TranslationOptions):
    fields = ("name", "description")


@register(Assessment)
class AssessmentText(TranslationOptions):
    fields = ("narrative", *(explanation_field(value) for value in OgpValue.values))


@register(MonitoringReport)
class MonitoringReportText(TranslationOptions):
    fields = ("title", "summary", *MonitoringReport.LEARNING_SECTIONS)


@register(ChecklistAnswer)
class ChecklistAnswerText(TranslationOptions):
    fields = ("explanation",)


@register(CommitmentResult)
class CommitmentResultText(TranslationOptions):
    fields = ("explanation",)
