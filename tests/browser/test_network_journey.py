"""A visitor finds a city among many, pages through the cities, then compares the cities' plans
and sorts them: on a phone, on a desktop, and without JavaScript. axe checks every page.

With PORTAL_SCREENSHOTS=<folder> set, each page is saved there as a full-page screenshot.
"""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.pages import assert_accessible


@pytest.fixture
def network(transactional_db):
    call_command(
        "generate_sample_data",
        cities=30,
        plans=3,
        steps=4,
        updates=2,
        seed=11,
        stdout=StringIO(),
    )


def snapshot(page, name):
    folder = os.environ.get("PORTAL_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(
    ("viewport", "javascript"),
    [("narrow", True), ("wide", True), ("narrow", False)],
    ids=["narrow", "wide", "no-javascript"],
)
def test_a_visitor_finds_a_city_and_compares_the_cities_plans(
    new_page, network, viewport, javascript
):
    page = new_page(viewport, javascript=javascript)
    page.goto("/en/")
    assert page.locator("h3[id^='city-']").count() == 10
    assert_accessible(page)
    snapshot(page, f"home-{viewport}")

    page.get_by_role("link", name="Next page").click()
    page.wait_for_url("**/en/?page=2")
    assert page.locator("h3[id^='city-']").count() == 10
    assert page.locator(".govuk-pagination [aria-current='page']").inner_text() == "2"
    assert_accessible(page)

    page.get_by_label("Search").fill("plzen")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/en/?q=plzen")
    assert page.locator("#results-heading").inner_text() == "3 cities match “plzen”"
    assert page.get_by_role("heading", name="Plzeň (sample 3)").is_visible()
    assert_accessible(page)
    snapshot(page, f"home-search-{viewport}")

    page.get_by_role("link", name="Compare the cities’ plans").click()
    page.wait_for_url("**/en/network/")
    assert page.locator("tbody tr").count() == 30
    assert_accessible(page)
    snapshot(page, f"network-{viewport}")

    page.get_by_role("link", name="Mean progress").click()
    page.wait_for_url("**/en/network/?sort=progress")
    page.get_by_role("link", name="Mean progress").click()
    page.wait_for_url("**/en/network/?sort=-progress")
    header = page.locator("th[aria-sort]")
    assert header.get_attribute("aria-sort") == "descending"
    assert "Mean progress" in header.inner_text()
    assert_accessible(page)

    page.goto("/sk/network/?sort=-overdue")
    assert page.get_by_role("heading", level=1).inner_text() == "Porovnanie plánov miest"
    assert_accessible(page)
    snapshot(page, f"network-sk-{viewport}")
