"""The monitoring body's texts in the completeness table (core.content.completeness). They are the
body's own to write, so the table links to the admin only for those who may change them there."""

from django.utils.translation import gettext_lazy as _

from actionplan.models import OgpValue
from core.content import ContentKind, admin_url, register_content_kind, text_of
from monitoring.models import Assessment, MonitoringReport, explanation_field


def register():
    register_content_kind(
        ContentKind(
            _("Monitoring reports"),
            ("title", "summary", *MonitoringReport.LEARNING_SECTIONS),
            lambda plan: MonitoringReport.objects.filter(plan=plan),
            lambda r: text_of(r, "title").text,
            admin_url,
            order=90,
        )
    )
    register_content_kind(
        ContentKind(
            _("Assessments"),
            ("narrative", *(explanation_field(value) for value in OgpValue.values)),
            lambda plan: Assessment.objects.filter(step__plan=plan).select_related("step"),
            lambda a: a.step.code,
            admin_url,
            order=100,
        )
    )
