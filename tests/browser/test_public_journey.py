"""A resident follows the plan from the home page to the institution behind a step, then reads the
same page in Slovak: on a phone, on a desktop, and without JavaScript. axe checks every page."""

import pytest

from tests.browser.pages import assert_accessible

PLAN_TITLE = "Action plan – Banská Bystrica, Slovak Republic, 2024 – 2026"
ARCHITECT = "Office of the City Architect"
ARCHITECT_SK = "Oddelenie architekta mesta"
INSTITUTION = "/cities/banska-bystrica/institutions/city-architect-office/"
# The office takes part in these three steps. Their end dates (Feb.–Aug. 2026) have passed and
# none is completed, so all three are overdue; P3.3 alone is on hold.
ARCHITECT_STEPS = ["P3.3", "P3.5", "SKBBA0004"]


def heading(page):
    return page.get_by_role("heading", level=1).inner_text()


def found_codes(page):
    """The codes of the steps listed under the results heading, in page order."""
    results = page.locator("#results-heading ~ *").locator("a[href*='/steps/']")
    return [
        href.rstrip("/").rsplit("/", 1)[-1]
        for href in results.evaluate_all("links => links.map(link => link.getAttribute('href'))")
    ]


def apply_filters(page, **choices):
    filters = page.locator("form.app-filters")
    for label, option in choices.items():
        filters.get_by_label(label, exact=True).select_option(label=option)
    filters.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/steps/?*")


@pytest.mark.parametrize(
    ("viewport", "javascript"),
    [("narrow", True), ("wide", True), ("narrow", False)],
    ids=["narrow", "wide", "no-javascript"],
)
def test_a_resident_goes_from_the_plan_to_a_steps_institution_and_reads_it_in_slovak(
    new_page, demo_data, viewport, javascript
):
    page = new_page(viewport, javascript=javascript)
    page.goto("/")  # the language is chosen from the browser's (en-GB)
    page.wait_for_url("**/en/")
    assert heading(page) == "Open government action plans"
    assert_accessible(page)

    page.get_by_role("link", name=PLAN_TITLE).click()
    page.wait_for_url("**/en/plans/ap-og-24-26/")
    assert heading(page) == PLAN_TITLE
    assert "AP OG 24–26" in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="All action steps, with filters").click()
    page.wait_for_url("**/en/plans/ap-og-24-26/steps/")
    assert heading(page) == "Action steps"
    assert_accessible(page)

    apply_filters(page, Institution=ARCHITECT)
    assert sorted(found_codes(page)) == ARCHITECT_STEPS
    assert page.locator("#results-heading").inner_text() == "3 action steps"
    assert_accessible(page)

    page.get_by_label("Only overdue steps").check()
    apply_filters(page, Status="On hold")
    assert found_codes(page) == ["P3.3"]
    applied = page.locator(".app-filters__applied").inner_text()
    assert ARCHITECT in applied and "On hold" in applied
    assert_accessible(page)

    page.locator("#results-heading ~ *").get_by_role("link", name="P3.3").click()
    page.wait_for_url("**/en/plans/ap-og-24-26/steps/P3.3/")
    assert page.locator(".govuk-caption-l").first.inner_text() == "Action step P3.3"
    leads = page.locator(".govuk-summary-list__row", has_text="Lead institutions")
    assert leads.locator("dd").inner_text().strip() == ARCHITECT
    assert_accessible(page)

    leads.get_by_role("link", name=ARCHITECT).click()
    page.wait_for_url("**/en" + INSTITUTION)
    assert heading(page) == ARCHITECT
    listed = page.locator("main").inner_text()
    assert all(code in listed for code in ARCHITECT_STEPS)
    assert_accessible(page)

    page.get_by_role("navigation", name="Language").get_by_role("link", name="Slovenčina").click()
    page.wait_for_url("**/sk" + INSTITUTION)  # the same page, in the other language
    assert page.locator("html").get_attribute("lang") == "sk"
    assert heading(page) == ARCHITECT_SK
    assert page.title().startswith(ARCHITECT_SK)
    # The site's own words are Slovak too, not only the data.
    assert page.locator("a.govuk-skip-link").inner_text() == "Preskočiť na hlavný obsah"
    nav = page.locator("a[aria-current='true']", has_text="Inštitúcie")
    assert nav.count() == 1
    assert all(code in page.locator("main").inner_text() for code in ARCHITECT_STEPS)
    assert_accessible(page)
