"""Each public page costs the same number of queries for a plan of 5 steps as for one of 200.

A page that loads a relation lazily in a loop would grow with the plan; pinning the count at both
sizes catches it. Each expected count lists its queries.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from actionplan import periods
from actionplan.models import (
    ActionPlan,
    Membership,
    PeriodReport,
    ReportEvidence,
    Stakeholder,
    StakeholderGroup,
    StepUpdate,
)


@pytest.fixture(params=[5, 200], ids=lambda size: f"{size}-steps")
def sample_plan(request, db):
    """A generated plan (4 priorities, 10 departments, milestones, two updates a step) with the
    updates recorded for an institution and two stakeholder groups, which the generator leaves out.
    """
    size = request.param
    call_command("generate_sample_data", plans=1, steps=size, updates=2, seed=7, stdout=StringIO())
    plan = ActionPlan.objects.select_related("jurisdiction").get(slug="sample-7-1")
    city = plan.jurisdiction
    StepUpdate.objects.filter(step__plan=plan).update(
        institution=city.institutions.get(slug="dept-1")
    )
    people = Stakeholder.objects.bulk_create(
        Stakeholder(jurisdiction=city, slug=f"person-{n}", name=f"Person {n}") for n in range(6)
    )
    for slug, group_plan in [("board", None), ("endorsers", plan)]:
        group = StakeholderGroup.objects.create(
            jurisdiction=city, slug=slug, name=slug, plan=group_plan
        )
        Membership.objects.bulk_create(Membership(group=group, stakeholder=p) for p in people)
    # Reporting periods, with a report and a link of evidence for every step in the first one.
    first = periods.ensure_periods(plan)[0]
    reports = PeriodReport.objects.bulk_create(
        PeriodReport(period=first, step=step, status="in_progress", progress=10, narrative="n")
        for step in plan.steps.all()
    )
    ReportEvidence.objects.bulk_create(
        ReportEvidence(report=report, url="https://example.org/") for report in reports
    )
    assert plan.steps.count() == size
    return plan


PAGES = {
    # 1 count of the cities with a public plan, 2 the page of them, 3 their public plans with
    # step count and mean progress (tests/actionplan/test_network.py pins it at 1 and 100 cities)
    "home": ({}, "", 3),
    # 1 plan + jurisdiction, 2 priorities, 3 steps + priority, 4 latest step versions,
    # 5 their StepChange rows + step + milestone, 6 their StepUpdates + institution + jurisdiction,
    # 7 public meetings up to submission, 8 their participation rows + group (co-creation figures)
    "plan": ({"plan_slug": "sample-7-1"}, "", 8),
    # 1 plan + jurisdiction, 2 priority, 3 its steps + priority,
    # 4 roles + institution + jurisdiction, 5 edits of the priority's texts
    "priority": ({"plan_slug": "sample-7-1", "code": "P1"}, "", 5),
    # 1 plan + jurisdiction, 2 step + priority, 3 roles + institution + jurisdiction,
    # 4 milestones, 5 StepChange rows + milestone, 6 StepUpdates + institution + jurisdiction,
    # 7 their evidence, 8 the plan's periods, 9 the step's period reports + institution, 10 their
    # evidence, 11 the step's history rows (its state at each period's end),
    # 12 published assessment (its evidence files are one more query when there is one),
    # 13 public annotations that reference the step + meeting, 14 edits of the step's texts
    "step": ({"plan_slug": "sample-7-1", "code": "P1.1"}, "", 14),
    # 1 plan + jurisdiction, 2 priorities (filter), 3 institutions of the plan (filter),
    # 4 steps + priority, 5 roles + institution + jurisdiction
    "steps": ({"plan_slug": "sample-7-1"}, "", 5),
    "steps-filtered": (
        {"plan_slug": "sample-7-1"},
        "?priority=P1&institution=dept-2&value=public_accountability&q=P1.1",
        5,
    ),
    # 1 plan + jurisdiction, 2 the plan's groups, 3 memberships + stakeholder,
    # 4 public meetings up to submission, 5 their participation rows + group (figures),
    # 6 published reasoned responses counted by response
    "cocreation": ({"plan_slug": "sample-7-1"}, "", 6),
    # 1 plan + jurisdiction, 2 latest step versions, 3 StepChange rows, 4 StepUpdates
    "feed": ({"plan_slug": "sample-7-1"}, "", 4),
    # The city's pages: 1 jurisdiction, 2 its current plan (for the navigation), then
    # 3 institutions with counts of lead and supporting roles
    "institutions": ({"jurisdiction_slug": "sample-city-7"}, "", 3),
    # 3 institution, 4 its roles + step + plan + jurisdiction + priority
    "institution": ({"jurisdiction_slug": "sample-city-7", "slug": "dept-1"}, "", 4),
    # 3 groups + plan, 4 memberships + stakeholder
    "stakeholders": ({"jurisdiction_slug": "sample-city-7"}, "", 4),
    # 1 plan + jurisdiction, 2 periods with their count of steps reported, 3 count of steps
    "periods": ({"plan_slug": "sample-7-1"}, "", 3),
    # 1 plan + jurisdiction, 2 the period, 3 all periods (the previous one), 4 the history at the
    # period's end (a later period adds one at the previous one's end), 5 steps + priority,
    # 6 roles + institution + jurisdiction, 7 the period's reports + institution, 8 their evidence
    "period": ({"plan_slug": "sample-7-1", "number": 1}, "", 8),
}


# Pages of other apps about a plan.
NAMED_PAGES = {
    # 1 plan + jurisdiction, 2 priorities (filter), 3 published entries + meeting, group, step,
    # 4 their counts by response
    "meetings:responses": ({"plan_slug": "sample-7-1"}, "?response=adopted&q=x&priority=P1", 4),
}


@pytest.mark.parametrize("page", NAMED_PAGES)
def test_named_page_query_count_does_not_grow_with_the_plan(
    client, sample_plan, page, django_assert_num_queries
):
    kwargs, query, expected = NAMED_PAGES[page]
    with translation.override("en"):
        url = reverse(page, kwargs=kwargs) + query

    with django_assert_num_queries(expected):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_page_query_count_does_not_grow_with_the_plan(
    client, sample_plan, page, django_assert_num_queries
):
    kwargs, query, expected = PAGES[page]
    with translation.override("en"):
        url = reverse(f"actionplan:{page.removesuffix('-filtered')}", kwargs=kwargs) + query

    with django_assert_num_queries(expected):
        response = client.get(url)

    assert response.status_code == 200
    if page.startswith("steps"):
        assert response.context["steps"]  # an empty list would skip the roles query


def test_sitemap_query_count_does_not_grow_with_the_plan(
    client, sample_plan, django_assert_num_queries
):
    # The sitemap is kept under the data version (core.pagecache.cached_by_data_version):
    # 1 the data version, then 2 jurisdictions, 3 priorities + plan, 4 steps + plan,
    # 5 institutions + jurisdiction, 6 public plans (each plan's pages in every app),
    # 7 public meetings + plan, 8 published reports + plan
    with django_assert_num_queries(8):
        response = client.get("/sitemap.xml")
    assert response.status_code == 200
    # Then only the data version, until something is written.
    with django_assert_num_queries(1):
        again = client.get("/sitemap.xml")
    assert again.content == response.content
