"""PDF documents: what each shows, the key it is cached under, rendering and delivery.

A document's key is a hash over the data it shows (for each included table the count, highest
id and latest update or version, or the rows themselves for small tables without timestamps),
its language, its as-of day and the version of the templates. A change to any included record
makes a new key; a repeat request for an unchanged document is served from MEDIA_ROOT/reports.

Rendering the plan's progress report takes seconds for a plan of 200 steps (see bench/), so a
first request does not render: it queues a task (monitoring.tasks) and answers with a page that
refreshes itself until the file is ready.
"""

import datetime
import hashlib
import json
import mimetypes
import time
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Sum
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from weasyprint.urls import URLFetcher, URLFetcherResponse

from meetings.models import Annotation, Meeting
from actionplan.models import (
    ActionPlan,
    Institution,
    Jurisdiction,
    Milestone,
    Priority,
    StepChange,
    StepInstitution,
    StepUpdate,
)
from monitoring import progress
from monitoring.models import (
    Assessment,
    AssessmentEvidence,
    AssessmentRevision,
    MonitoringBody,
    MonitoringReport,
    RenderedPdf,
)
from portal.context_processors import site
from portal.models import PlanRole, Role

# The embedded text font (SIL Open Font License, shipped by ID-SK Frontend); every Slovak letter.
TEXT_FONT_PREFIX = "build/fonts/SourceSansPro-"
# Links in a PDF made without a request (bench, shell) point here.
DEFAULT_BASE_URL = "http://localhost/"
# A rendering not finished this long after it was asked for is taken to have died with its
# worker (or failed) and is queued again by the next request for the document.
RETRY_AFTER = datetime.timedelta(minutes=10)


# --- Fingerprints -------------------------------------------------------------------------------


def _aggregate(queryset, *, updated=None, version=None):
    """Count and highest id of the rows, with their latest update and version sum if they have
    them: enough to notice an insert, a delete or an edit."""
    parts = {"count": Count("pk"), "last": Max("pk")}
    if updated:
        parts["updated"] = Max(updated)
    if version:
        parts["version"] = Sum(version)
    return queryset.order_by().aggregate(**parts)


def _rows(queryset):
    """All columns of every row, for small tables that have no timestamp to go by."""
    return list(queryset.order_by("pk").values_list())


def plan_fingerprint(plan):
    steps = plan.steps.all()
    assessments = Assessment.objects.filter(step__plan=plan)
    return [
        _rows(ActionPlan.objects.filter(pk=plan.pk)),
        _rows(Jurisdiction.objects.filter(pk=plan.jurisdiction_id)),
        _rows(Priority.objects.filter(plan=plan)),
        _aggregate(steps, updated="updated_at", version="version"),
        _rows(StepInstitution.objects.filter(step__plan=plan)),
        _rows(Institution.objects.filter(step_roles__step__plan=plan).distinct()),
        _rows(Milestone.objects.filter(step__plan=plan)),
        _aggregate(StepChange.objects.filter(step__plan=plan)),
        _aggregate(StepUpdate.objects.filter(step__plan=plan), updated="created_at"),
        _aggregate(assessments, updated="updated_at", version="version"),
        _aggregate(AssessmentRevision.objects.filter(assessment__step__plan=plan)),
        _aggregate(AssessmentEvidence.objects.filter(assessment__step__plan=plan)),
        _rows(MonitoringBody.objects.filter(plan=plan)),
        list(  # the body's members are named
            PlanRole.objects.filter(plan=plan, role=Role.MONITOR)
            .order_by("user_id")
            .values_list("user_id", "user__first_name", "user__last_name", "user__username")
        ),
        _aggregate(
            MonitoringReport.objects.filter(plan=plan), updated="updated_at", version="version"
        ),
        _aggregate(Meeting.objects.filter(plan=plan), updated="updated_at", version="version"),
        _aggregate(Annotation.objects.filter(meeting__plan=plan), updated="updated_at"),
    ]


@lru_cache(maxsize=1)
def _template_version_cached():
    return _template_version()


def _template_version():
    """A hash of every template and of print.css: an edited template makes new PDFs."""
    digest = hashlib.sha256()
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    for root in roots:
        for path in sorted(root.rglob("*.html")):
            digest.update(path.read_bytes())
    css = _static_path("build/print.css")
    if css:
        digest.update(css.read_bytes())
    return digest.hexdigest()[:16]


def template_version():
    # In development templates change under a running server; in production only on deploy.
    return _template_version() if settings.DEBUG else _template_version_cached()


# --- Documents ----------------------------------------------------------------------------------


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
            self.fingerprint(),
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
    template_name = "monitoring/progress_report.html"

    def context(self):
        return {"progress": progress.plan_progress(self.plan, self.as_of)}


class StepSheet(Document):
    kind = "step"
    template_name = "monitoring/step_sheet.html"

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


class ReportDocument(Document):
    kind = "report"
    template_name = "monitoring/report.html"
    supports_as_of = False  # a report is a dated document already

    def title_slug(self):
        return f"{self.obj.get_kind_display()}-{self.obj.pk}"

    def context(self):
        return {"report": self.obj, **progress.report_details(self.obj)}


DOCUMENTS = {cls.kind: cls for cls in (ProgressReport, StepSheet, ReportDocument)}


def document_for(row):
    """The Document a RenderedPdf row was requested for."""
    cls = DOCUMENTS[row.kind]
    plan = ActionPlan.objects.select_related("jurisdiction").get(pk=row.plan_id)
    obj = None
    if cls is StepSheet:
        obj = get_object_or_404(plan.steps.all(), pk=row.object_id)
    elif cls is ReportDocument:
        obj = get_object_or_404(MonitoringReport.objects.filter(plan=plan), pk=row.object_id)
        obj.plan = plan
    return cls(plan, row.language, row.as_of, obj, row.base_url)


# --- Rendering ----------------------------------------------------------------------------------


def _static_path(relative):
    found = finders.find(relative)
    if found:
        return Path(found)
    collected = Path(settings.STATIC_ROOT) / relative
    return collected if collected.is_file() else None


class StaticFilesFetcher(URLFetcher):
    """Reads the report's stylesheet, fonts and images from disk and refuses everything else:
    rendering never makes a network request, not even for an address a user typed.

    Of the fonts only the text font is read: the icon fonts the stylesheet also declares are
    not used in the documents, and decoding them took most of a short document's render time.
    """

    def __init__(self, base_url):
        super().__init__()
        self.static_prefix = urljoin(base_url, settings.STATIC_URL)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):  # the stylesheet's inline icons
            return super().fetch(url, headers)
        if not url.startswith(self.static_prefix):
            raise ValueError(f"not fetched while rendering a PDF: {url}")
        relative = urlsplit(url).path.removeprefix(settings.STATIC_URL)
        if relative.endswith((".woff", ".woff2", ".ttf", ".otf")) and not relative.startswith(
            TEXT_FONT_PREFIX
        ):
            raise ValueError(f"font not embedded in PDFs: {url}")
        path = _static_path(relative)
        if path is None:
            raise FileNotFoundError(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )


def render_html(document, base_template="base_print.html"):
    with translation.override(document.language):
        return render_to_string(
            document.template_name,
            {
                **site(None),
                "plan": document.plan,
                "jurisdiction": document.plan.jurisdiction,
                **document.context(),
                "base_template": base_template,
                "for_pdf": base_template == "base_print.html",
                "as_of": document.as_of,
                "generated_at": timezone.now(),
            },
        )


def render_pdf(document):
    html = render_html(document)
    return weasyprint.HTML(
        string=html, base_url=document.base_url, url_fetcher=StaticFilesFetcher(document.base_url)
    ).write_pdf(pdf_variant="pdf/ua-1")


def render_row(row_id):
    """Render the PDF of a queued RenderedPdf row (the background task's body).

    Claims the row with a conditional UPDATE so that two workers never render the same one.
    If the data changed while rendering, the result would not match the key: the row is dropped
    and the next request for the document queues a fresh one.
    """
    claimed = RenderedPdf.objects.filter(pk=row_id, status=RenderedPdf.Status.QUEUED).update(
        status=RenderedPdf.Status.RENDERING, started_at=timezone.now()
    )
    if not claimed:
        return "not queued"
    row = RenderedPdf.objects.get(pk=row_id)
    started = time.perf_counter()
    try:
        document = document_for(row)
        pdf = render_pdf(document)
        if document.key() != row.key:
            row.delete()
            return "data changed"
    except Exception as exc:
        RenderedPdf.objects.filter(pk=row.pk).update(
            status=RenderedPdf.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    row.file.save(f"{row.key}.pdf", ContentFile(pdf), save=False)
    RenderedPdf.objects.filter(pk=row.pk).update(
        file=row.file.name,
        status=RenderedPdf.Status.READY,
        rendered_at=timezone.now(),
        render_seconds=time.perf_counter() - started,
        error="",
    )
    return "ready"


# --- Delivery -----------------------------------------------------------------------------------


def request_pdf(document):
    """The cached RenderedPdf for the document, queueing its rendering when there is none yet,
    its file has gone, or an earlier attempt failed or died long enough ago. The caller serves
    the file when the row is READY and otherwise says that it is being prepared."""
    key = document.key()
    row = RenderedPdf.objects.filter(key=key).first()
    if row is None:
        try:
            with transaction.atomic():
                row = RenderedPdf.objects.create(
                    key=key,
                    kind=document.kind,
                    plan=document.plan,
                    object_id=document.object_id,
                    language=document.language,
                    as_of=document.as_of,
                    base_url=document.base_url,
                )
        except IntegrityError:
            # Someone asked for the same document a moment ago; theirs is queued already.
            return RenderedPdf.objects.get(key=key)
        return _enqueue(row)
    if row.status == RenderedPdf.Status.READY:
        if row.file and row.file.storage.exists(row.file.name):
            return row
        return _requeue(row, RenderedPdf.Status.READY)  # the file was removed from disk
    if row.requested_at < timezone.now() - RETRY_AFTER:
        return _requeue(row, row.status)
    return row


def _requeue(row, from_status):
    requeued = RenderedPdf.objects.filter(pk=row.pk, status=from_status).update(
        status=RenderedPdf.Status.QUEUED, requested_at=timezone.now(), started_at=None, error=""
    )
    if not requeued:  # another request did it first
        row.refresh_from_db()
        return row
    return _enqueue(row)


def _enqueue(row):
    from monitoring.tasks import render_document

    # After commit: a worker must find the row it is asked to render.
    transaction.on_commit(lambda: render_document.enqueue(row.pk))
    # With the immediate backend the task has run by now; the row may even be gone, if the data
    # changed during rendering: then the in-memory row (queued) makes the caller ask again.
    return RenderedPdf.objects.filter(pk=row.pk).first() or row


def prune(older_than):
    """Delete cached PDFs rendered before `older_than`; returns how many went."""
    rows = list(RenderedPdf.objects.filter(requested_at__lt=older_than))
    for row in rows:
        if row.file:
            row.file.storage.delete(row.file.name)
        row.delete()
    return len(rows)
