"""What a PDF's cache key is made of: a fingerprint of the data it shows and the templates' version.

For each table a document includes: the count, highest id and latest update or version of its rows,
or the rows themselves for small tables without timestamps. A change to any included record makes a
new key, so a cached PDF is never stale.
"""

import hashlib
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max, Sum

from actionplan.models import (
    ActionPlan,
    Institution,
    Jurisdiction,
    Milestone,
    PlanRole,
    Priority,
    Role,
    StepChange,
    StepInstitution,
    StepUpdate,
)
from meetings.models import Annotation, Meeting
from monitoring.models import (
    Assessment,
    AssessmentEvidence,
    AssessmentRevision,
    MonitoringBody,
    MonitoringReport,
)
from publishing.staticfiles import static_path


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
    """A hash of every template and of the PDFs' stylesheets: an edited one makes new PDFs."""
    digest = hashlib.sha256()
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    for root in roots:
        for path in sorted(root.rglob("*.html")):
            digest.update(path.read_bytes())
    for relative in ("build/documents.css", "build/print.css"):  # rendering.PRINT_STYLESHEETS
        css = static_path(relative)
        if css:
            digest.update(css.read_bytes())
    return digest.hexdigest()[:16]


def template_version():
    # In development templates change under a running server; in production only on deploy.
    return _template_version() if settings.DEBUG else _template_version_cached()
