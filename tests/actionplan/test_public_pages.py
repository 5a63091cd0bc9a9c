"""The public pages of a plan: every page in both languages, what each must show, the filters."""

import itertools
import re

import pytest
from django.urls import reverse
from django.utils import translation

from actionplan.models import Institution

LANGUAGES = ["sk", "en"]


def url_in(language, name, **kwargs):
    with translation.override(language):
        return reverse(f"actionplan:{name}", kwargs=kwargs)


def get_html(client, language, name, **kwargs):
    response = client.get(url_in(language, name, **kwargs))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


PAGES = [
    ("home", {}),
    ("plan", {"plan_slug": "test-plan"}),
    ("priority", {"plan_slug": "test-plan", "code": "P1"}),
    ("steps", {"plan_slug": "test-plan"}),
    ("step", {"plan_slug": "test-plan", "code": "S1"}),
    ("step", {"plan_slug": "test-plan", "code": "S2"}),
    ("cocreation", {"plan_slug": "test-plan"}),
    ("institutions", {"jurisdiction_slug": "test-city"}),
    ("institution", {"jurisdiction_slug": "test-city", "slug": "dept"}),
    ("stakeholders", {"jurisdiction_slug": "test-city"}),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_page_renders_with_one_h1_a_title_and_a_description(client, city, language, name, kwargs):
    html = get_html(client, language, name, **kwargs)

    assert f'<html lang="{language}"' in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert re.search(r"<title>[^<]+</title>", html)
    assert re.search(r'<meta name="description" content="[^"]+">', html)
    main = html[html.index("<main") : html.index("</main>")]
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", main)]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("plan", {"plan_slug": "no-such-plan"}),
        ("plan", {"plan_slug": "draft-plan"}),
        ("step", {"plan_slug": "test-plan", "code": "S99"}),
        ("step", {"plan_slug": "old-plan", "code": "S1"}),
        ("priority", {"plan_slug": "test-plan", "code": "P9"}),
        ("steps", {"plan_slug": "draft-plan"}),
        ("cocreation", {"plan_slug": "no-such-plan"}),
        ("feed", {"plan_slug": "no-such-plan"}),
        ("institutions", {"jurisdiction_slug": "nowhere"}),
        ("institution", {"jurisdiction_slug": "test-city", "slug": "nobody"}),
        ("stakeholders", {"jurisdiction_slug": "nowhere"}),
    ],
)
def test_missing_or_unpublished_objects_are_404(client, city, name, kwargs):
    assert client.get(url_in("en", name, **kwargs)).status_code == 404


def test_home_lists_the_current_plan_first_and_hides_drafts(client, city):
    html = get_html(client, "en", "home")

    assert html.index("Test plan") < html.index("First plan")
    assert "Current plan" in html
    assert "Plan in the making" not in html


def test_overview_shows_priorities_chart_timeline_and_recent_changes(client, city):
    html = get_html(client, "en", "plan", plan_slug="test-plan")

    feed = "/en/plans/test-plan/feed/"
    assert f'<link rel="alternate" type="application/atom+xml" href="{feed}"' in html
    assert 'role="img" aria-labelledby="plan-status-chart-title"' in html
    counts = "Not started 2, In progress 1, Completed 0, On hold 0, Withdrawn 0, Not reported 0."
    assert f"3 steps: {counts}" in html
    # Mean progress of S1 (40) and S3 (0) in P1; S2 without a priority listed apart.
    assert "Mean progress of 2 steps: 20%" in html
    assert "Steps without a priority" in html
    assert 'class="app-timeline__today"' in html
    assert "Steps whose dates are not known" in html
    assert '<strong class="app-overdue">Overdue</strong>' in html
    assert "Sample values" in html
    assert "Work sessions started." in html
    assert "clerk.jana" not in html
    assert re.search(r'lang="en">\s*<p class="govuk-body">A city that decides', html)


def test_overview_names_institutions_in_the_local_language_only_on_local_pages(client, city):
    sk = get_html(client, "sk", "plan", plan_slug="test-plan")
    en = get_html(client, "en", "plan", plan_slug="test-plan")

    assert ">Oddelenie</a>" in sk  # the page is Slovak: no lang of its own
    assert ">Department</a>" in en and "Oddelenie" not in en


def test_dates_follow_the_ui_language(client, city):
    sk = get_html(client, "sk", "step", plan_slug="test-plan", code="S1")
    en = get_html(client, "en", "step", plan_slug="test-plan", code="S1")

    assert "1. júna 2024" in sk  # the month in the genitive, as Slovak writes a date
    assert "June 1, 2024" in en


def test_step_page_shows_every_field_and_its_history_without_people(client, city):
    html = get_html(client, "en", "step", plan_slug="test-plan", code="S1")

    for text in [
        "First step",
        "In progress",
        "40%",
        "Civic participation",
        "Kick-off",
        "Decisions are made without residents.",
        "First priority",
        'href="/en/cities/test-city/institutions/dept/"',
        'id="version-2"',
        'id="version-3"',
        'Not started <span aria-hidden="true">→</span>',
        "Milestone “Kick-off” completed on: not set",
        "Step added to the plan.",
    ]:
        assert text in html, text
    # One update made versions 2 and 3: one entry, its note shown once.
    assert html.count("Work sessions started.") == 1
    assert "clerk.jana" not in html
    assert "Derived from the plan" not in html


def test_derived_sample_step_is_marked_and_says_its_dates_are_unknown(client, city):
    html = get_html(client, "en", "step", plan_slug="test-plan", code="S2")

    assert "Derived from the plan's narrative, not the official commitment text." in html
    assert "Sample values" in html
    assert "not known" in html
    assert 'href="/en/cities/test-city/institutions/ngo/"' in html


def test_institution_page_lists_steps_it_leads_and_supports(client, city):
    dept = get_html(client, "en", "institution", jurisdiction_slug="test-city", slug="dept")
    ngo = get_html(client, "en", "institution", jurisdiction_slug="test-city", slug="ngo")

    assert "It leads 1 action step." in dept and "First step" in dept
    assert "It supports 1 action step." in ngo and "Derived step" in ngo


def test_stakeholders_are_grouped_and_cocreation_shows_the_plans_groups(client, city):
    stakeholders = get_html(client, "sk", "stakeholders", jurisdiction_slug="test-city")
    cocreation = get_html(client, "en", "cocreation", plan_slug="test-plan")

    assert ">Rada Spolupracovne<" in stakeholders  # Slovak on a Slovak page: no lang of its own
    assert stakeholders.count("Alena Example") == 2
    assert "Residents, students and council members." in cocreation
    assert "Endorsers" in cocreation and "CoLaboratory Board" not in cocreation
    assert ">8<" in cocreation


# --- The steps list and its filters ------------------------------------------------------------


def listed_codes(client, query, status=200):
    response = client.get(url_in("en", "steps", plan_slug="test-plan") + query)
    assert response.status_code == status
    return re.findall(r'<span class="app-timeline__code">(S\d+)</span>', response.content.decode())


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("", ["S1", "S2", "S3"]),
        ("?priority=P1", ["S1", "S3"]),
        ("?institution=ngo", ["S2"]),
        ("?status=in_progress", ["S1"]),
        ("?value=access_to_information", ["S2"]),
        ("?overdue=1", ["S3"]),
        ("?q=derived", ["S2"]),
        ("?q=WITHOUT+RESIDENTS", ["S1"]),
        ("?q=s3", ["S3"]),
        ("?priority=P1&status=not_started", ["S3"]),
        ("?priority=P1&institution=dept&value=civic_participation&q=first", ["S1"]),
    ],
)
def test_each_filter_and_their_combination_narrow_the_list(client, city, query, codes):
    assert listed_codes(client, query) == codes


def test_filters_are_get_parameters_in_a_labelled_form(client, city):
    html = get_html(client, "en", "steps", plan_slug="test-plan")

    assert '<form method="get" action="/en/plans/test-plan/steps/"' in html
    for name in ["q", "priority", "institution", "status", "value", "overdue"]:
        assert re.search(rf'<label class="govuk-label[^"]*" for="id_{name}">', html), name
        assert f'name="{name}"' in html


def test_chosen_filters_stay_selected_and_are_summarised(client, city):
    response = client.get("/en/plans/test-plan/steps/?status=in_progress&overdue=1")

    html = response.content.decode()
    assert '<option value="in_progress" selected>' in html
    assert re.search(r'<input type="checkbox" name="overdue" value="1"[^>]* checked>', html)
    assert "Status: <strong>In progress</strong>" in html


def test_an_empty_result_says_so_and_offers_to_clear_the_filters(client, city):
    response = client.get("/en/plans/test-plan/steps/?q=nothing+like+this")

    html = response.content.decode()
    assert response.status_code == 200
    assert "No action step matches these filters." in html
    assert 'href="/en/plans/test-plan/steps/">Clear filters and show all steps' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?priority=P9", "This plan has no priority “P9”."),
        ("?institution=nobody", "No institution “nobody” takes part in this plan."),
        ("?status=finished", "“finished” is not a status of an action step."),
        ("?value=happiness", "“happiness” is not an OGP value."),
        ("?overdue=yes", "To show only overdue steps, use overdue=1."),
    ],
)
def test_an_invalid_filter_is_explained_with_status_400(client, city, query, message):
    response = client.get(f"/en/plans/test-plan/steps/{query}")

    html = response.content.decode()
    assert response.status_code == 400
    assert 'class="govuk-error-summary"' in html
    assert message in html
    assert "<title>Error:" in html


def test_the_valid_filters_apply_beside_an_invalid_one(client, city):
    assert listed_codes(client, "?status=finished&priority=P1", status=400) == ["S1", "S3"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        # Slovak order: "č" after "c", "ch" after "h"; the English page sorts its own names.
        ("sk", ["Cestný úrad", "Čistota mesta", "Hasiči", "Chránené územia"]),
        ("en", ["Clean city", "Fire brigade", "Protected areas", "Road office"]),
    ],
)
def test_institutions_are_listed_in_the_alphabetical_order_of_the_page_language(
    client, jurisdiction, language, expected
):
    names = [
        ("Chránené územia", "Protected areas"),
        ("Hasiči", "Fire brigade"),
        ("Čistota mesta", "Clean city"),
        ("Cestný úrad", "Road office"),
    ]
    for n, (sk, en) in enumerate(names):
        Institution.objects.create(jurisdiction=jurisdiction, slug=f"i{n}", name_sk=sk, name_en=en)
    with translation.override(language):
        response = client.get(reverse("actionplan:institutions", args=[jurisdiction.slug]))
        listed = [str(i.name) for i in response.context["institutions"]]
    assert listed == expected
