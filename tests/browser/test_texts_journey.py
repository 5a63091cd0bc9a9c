"""A coordinator edits a step's texts in both languages, sees what is not yet translated, and
the public sees a missing translation marked, never an empty heading. axe checks each page."""

import pytest

from actionplan.models import ActionStep
from tests.browser.pages import assert_accessible, sign_in

STEP = "/en/plans/ap-og-24-26/steps/P2.1/"


@pytest.mark.parametrize("viewport", ["narrow", "wide"])
def test_coordinator_edits_the_texts_side_by_side(new_page, demo_accounts, viewport):
    page = new_page(viewport)
    sign_in(page, "coordinator")
    page.goto(STEP)
    page.get_by_role("link", name="Edit the texts in both languages").click()
    page.wait_for_url("**/steps/P2.1/texts/")
    assert_accessible(page)

    form = page.locator("#texts-form")
    form.get_by_label("Title (Slovak)", exact=True).fill("")
    form.get_by_label("Title (English)", exact=True).fill("")
    form.get_by_role("button", name="Save the texts").click()
    page.locator(".govuk-error-summary").wait_for()
    assert (
        "Give the title in at least one language."
        in page.locator(".govuk-error-summary").inner_text()
    )
    assert page.url.endswith("/texts/")  # swapped in by HTMX: the same page, with the errors
    assert_accessible(page)

    form = page.locator("#texts-form")
    form.get_by_label("Title (Slovak)", exact=True).fill("Vzdelávanie zamestnancov úradu")
    form.get_by_label("Title (English)", exact=True).fill("Training the office's staff")
    form.get_by_label("Wording – Title (English)").select_option("team")
    form.get_by_role("button", name="Save the texts").click()
    page.wait_for_url("**/steps/P2.1/#texts")
    assert page.locator("h1").inner_text() == "Training the office's staff"
    assert page.get_by_text("1 edit of these texts").is_visible()
    assert "translated by the portal team" in page.locator(".app-translation-note").inner_text()
    assert_accessible(page)


def test_coordinator_finds_what_is_missing_and_the_public_sees_it_marked(new_page, demo_accounts):
    ActionStep.objects.filter(plan__slug="ap-og-24-26", code="P2.1").update(title_sk="")
    page = new_page("wide")
    sign_in(page, "coordinator")
    page.goto("/en/plans/ap-og-24-26/translations/")
    assert_accessible(page)
    page.locator("table").first.get_by_role("link", name="Action steps").click()
    page.get_by_role("link", name="P2.1", exact=False).first.click()
    page.wait_for_url("**/steps/P2.1/texts/")

    public = new_page("narrow", javascript=False)
    public.goto("/sk/plans/ap-og-24-26/steps/P2.1/")
    heading = public.locator("h1")
    assert heading.locator("span[lang=en]").inner_text().startswith("Capacity building")
    assert "zatiaľ nie je dostupné" in heading.inner_text()
    assert_accessible(public)
