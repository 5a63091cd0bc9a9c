"""The PDF documents: what each shows (its template and context), its cache key and file name."""

import hashlib
import json

from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from actionplan import periods
from actionplan.models import ActionPlan
from monitoring.models import MonitoringReport
from monitoring.selectors import report_details
from publishing import progress
from publishing.fingerprints import plan_fingerprint, template_version

# Links in a PDF made without a request (bench, shell) point here.
DEFAULT_BASE_URL = "http://localhost/"


class Document:
    """One PDF: a kind, a plan (and one of its objects), a language and an as-of day."""

    kind = ""
    template_name = ""
    supports_as_of = True

    def __init__(self, plan, language, as_of=None, obj=None, base_url=DEFAULT_BASE_URL):
        self.plan = plan
        self.language = language
        self.as_of = as_of if self.supports_as_of else None
        self.obj = obj
        self.base_url = base_url

    @property
    def object_id(self):
        return self.obj.pk if self.obj is not None else None

    def key(self):
        # The same in every process: the web request that queues the render reads the data with
        # its page's language active, the worker with none, and modeltranslation's querysets
        # read the translated columns by the active language.
        with translation.override(None):
            fingerprint = self.fingerprint()
        parts = [
            template_version(),
            self.kind,
            self.plan.pk,
            self.object_id,
            self.language,
            self.as_of,
            self.base_url,
            # Overdue flags and "today" in a current report change with the day itself.
            None if self.as_of else timezone.localdate(),
            fingerprint,
        ]
        payload = json.dumps(parts, default=str, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()

    def fingerprint(self):
        return plan_fingerprint(self.plan)

    def filename(self):
        parts = [self.plan.code, self.title_slug(), self.language]
        if self.as_of:
            parts.append(self.as_of.isoformat())
        # "AP OG 24–26", "P1.1": dashes and dots would vanish in slugify, running numbers together.
        name = "-".join(str(p) for p in parts).replace("–", "-").replace(".", "-")
        return slugify(name) + ".pdf"

    def title_slug(self):
        return self.kind

    def context(self):
        raise NotImplementedError


class ProgressReport(Document):
    kind = "progress"
    template_name = "publishing/progress_report.html"

    def context(self):
        return {"progress": progress.plan_progress(self.plan, self.as_of)}


class StepSheet(Document):
    kind = "step"
    template_name = "publishing/step_sheet.html"

    def fingerprint(self):
        # The sheet shows one step, but its priority, institutions and the body come from the
        # plan: the plan-wide fingerprint is cheap and never misses one of them.
        return plan_fingerprint(self.plan)

    def title_slug(self):
        return self.obj.code

    def context(self):
        return {
            "step": progress.step_sheet(self.plan, self.obj.pk, self.as_of),
            "requested_step": self.obj,
            "today": self.as_of or timezone.localdate(),
        }


class PeriodProgressReport(Document):
    """The progress report as the plan stood at a reporting period's end, with its reports."""

    kind = "period"
    template_name = "publishing/period_report.html"

    def __init__(self, plan, language, as_of=None, obj=None, base_url=DEFAULT_BASE_URL):
        super().__init__(plan, language, None, obj, base_url)
        # The period's end once it is over; until then the plan as it stands.
        self.as_of = obj.end if obj.end < timezone.localdate() else None

    def fingerprint(self):
        # The period's state and reports are part of the document.
        latest = self.obj.reports.order_by("-id").values_list("id", flat=True).first()
        return f"{plan_fingerprint(self.plan)}:{self.obj.state}:{self.obj.start}:{latest}"

    def title_slug(self):
        return f"period-{self.obj.number}"

    def context(self):
        return {
            "progress": progress.plan_progress(self.plan, self.as_of),
            "period": self.obj,
            "overview": periods.period_overview(self.plan, self.obj),
            "editable": set(),
            "doc_title": _("Period %(number)s progress report") % {"number": self.obj.number},
        }


class ReportDocument(Document):
    kind = "report"
    template_name = "monitoring/report.html"
    supports_as_of = False  # a report is a dated document already

    def title_slug(self):
        return f"{self.obj.get_kind_display()}-{self.obj.pk}"

    def context(self):
        return {"report": self.obj, **report_details(self.obj)}


DOCUMENTS = {
    cls.kind: cls for cls in (ProgressReport, StepSheet, PeriodProgressReport, ReportDocument)
}


def document_for(row):
    """The Document a RenderedPdf row was requested for."""
    cls = DOCUMENTS[row.kind]
    plan = ActionPlan.objects.select_related("jurisdiction").get(pk=row.plan_id)
    obj = None
    if cls is StepSheet:
        obj = get_object_or_404(plan.steps.all(), pk=row.object_id)
    elif cls is PeriodProgressReport:
        obj = get_object_or_404(plan.periods.all(), pk=row.object_id)
        obj.plan = plan
    elif cls is ReportDocument:
        obj = get_object_or_404(MonitoringReport.objects.filter(plan=plan), pk=row.object_id)
        obj.plan = plan
    return cls(plan, row.language, row.as_of, obj, row.base_url)
