import datetime

import pytest
from django.core.cache import caches
from django.utils import translation

from actionplan.models import (
    ActionPlan,
    ActionStep,
    Institution,
    Jurisdiction,
    Milestone,
    Priority,
    StepInstitution,
)


@pytest.fixture(autouse=True)
def page_cache(settings):
    """The public page cache is off unless a test turns it on (the cache tests, the browser
    journeys): query counts then measure the views themselves, and pages without data need no
    database. When on, each test starts empty: a test's rolled-back writes move the data version
    back, so a page another test cached under the same version must not be served."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.RATE_LIMITS = {}  # tests post far more often than people; test_ratelimit turns it on
    for alias in ("pages", "default"):  # the default cache counts sign-in failures, rate limits
        caches[alias].clear()


@pytest.fixture(autouse=True)
def english():
    """Tests read English unless they ask for another language (the site's default is Slovak)."""
    with translation.override("en"):
        yield


@pytest.fixture
def jurisdiction(db):
    return Jurisdiction.objects.create(
        name_en="Test City", name_sk="Testovo", slug="test-city", country="Slovakia"
    )


@pytest.fixture
def plan(jurisdiction):
    return ActionPlan.objects.create(
        jurisdiction=jurisdiction,
        slug="test-plan",
        code="TP 24–26",
        title="Test plan",
        status=ActionPlan.Status.IN_IMPLEMENTATION,
        period_start=datetime.date(2024, 6, 1),
        period_end=datetime.date(2026, 8, 31),
    )


@pytest.fixture
def priority(plan):
    return Priority.objects.create(plan=plan, order=1, code="P1", title="First priority")


@pytest.fixture
def institution(jurisdiction):
    return Institution.objects.create(
        jurisdiction=jurisdiction, slug="dept", name="Department", kind=Institution.Kind.DEPARTMENT
    )


@pytest.fixture
def step(plan, priority, institution):
    step = ActionStep.objects.create(
        plan=plan,
        priority=priority,
        code="S1",
        title="First step",
        start_date=datetime.date(2024, 6, 1),
        end_date=datetime.date(2025, 6, 30),
    )
    StepInstitution.objects.create(step=step, institution=institution)
    Milestone.objects.create(
        step=step, order=1, title="Kick-off", due_date=datetime.date(2024, 9, 1)
    )
    return step
