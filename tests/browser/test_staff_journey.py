"""A member of staff keeps a step up to date: with HTMX, without JavaScript, and when someone
else saves first. axe checks every staff page, and the page again after each HTMX swap."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from actionplan.models import ActionStep, StepUpdate
from tests.browser.pages import assert_accessible, sign_in

STEP = "/en/plans/ap-og-24-26/steps/SKBBA0004/"
PERSON = "Demo Staff (participation)"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
DEPARTMENT = "Department of the Participation and Innovation in Open Governance"


@pytest.fixture
def accounts(demo_accounts):
    return demo_accounts


def card(page, code):
    return page.locator("li.app-step-list__item", has=page.locator(f"text={code}"))


@pytest.mark.parametrize("viewport", ["narrow", "wide"])
def test_staff_updates_a_step_with_htmx_and_the_public_page_shows_it(new_page, accounts, viewport):
    page = new_page(viewport)
    page.goto("/en/accounts/login/")
    assert_accessible(page)
    sign_in(page, "staff")
    assert_accessible(page)

    step = card(page, "SKBBA0004")
    step.get_by_role("link", name="Update SKBBA0004").click()
    form = page.locator("form[data-hx-post]")
    form.wait_for()
    assert page.url.endswith("/en/my-steps/")  # swapped in, not a new page
    assert_accessible(page)

    form.get_by_label("Progress (%)").fill("101")
    form.get_by_role("button", name="Save update").click()
    page.locator(".govuk-error-summary").wait_for()
    # focused, so that a screen reader announces it (htmx honours autofocus after the swap)
    # (expect, not wait_for_function: a string predicate is eval'ed, which the CSP refuses)
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert "Say in a sentence what happened." in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)

    form = page.locator("form[data-hx-post]")
    form.get_by_label("Progress (%)").fill("65")
    form.get_by_label("What happened").fill("Second CoLaboratory session held.")
    form.get_by_label("Files (optional)").set_input_files(
        {"name": "minutes.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    form.get_by_role("button", name="Save update").click()
    page.get_by_text("Saved. The public page of SKBBA0004 shows the change.").wait_for()
    saved = card(page, "SKBBA0004")
    assert "Recorded by " + PERSON in saved.inner_text()
    with page.expect_download() as download:
        saved.get_by_role("link", name="minutes.pdf").click()
    assert download.value.suggested_filename == "minutes.pdf"
    assert_accessible(page)

    public = new_page(viewport)
    public.goto(STEP)
    text = public.locator("main").inner_text()
    assert "65%" in text
    assert "Second CoLaboratory session held." in text
    assert DEPARTMENT in text and PERSON not in text


def test_staff_updates_a_step_inline_on_its_public_page(new_page, accounts):
    page = new_page("wide")
    sign_in(page, "staff")
    page.goto(STEP)
    page.get_by_role("link", name="Update this step").click()
    form = page.locator("form[data-hx-post]")
    form.wait_for()
    assert_accessible(page)
    form.get_by_label("What happened").fill("<script>alert(1)</script>")
    form.get_by_role("button", name="Save update").click()
    page.locator(".govuk-error-summary").wait_for()  # the 422 fragment is swapped in
    assert "without HTML tags" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    form = page.locator("form[data-hx-post]")
    form.get_by_label("Progress (%)").fill("70")
    form.get_by_label("What happened").fill("Guidelines for facilitators drafted.")
    form.get_by_role("button", name="Save update").click()
    page.get_by_text("Saved. The public page of SKBBA0004 shows the change.").wait_for()
    main = page.locator("main").inner_text()
    assert "70%" in main and "Guidelines for facilitators drafted." in main
    assert PERSON in main  # staff see who recorded it
    assert_accessible(page)


def test_a_stale_edit_is_refused_and_shows_both_versions(new_page, accounts):
    staff = new_page("wide")
    sign_in(staff, "staff")
    coordinator = new_page("wide")
    sign_in(coordinator, "coordinator")
    for page in (staff, coordinator):
        card(page, "SKBBA0004").get_by_role("link", name="Update SKBBA0004").click()
        page.locator("form[data-hx-post]").wait_for()

    coordinator.get_by_label("Status").select_option("on_hold")
    coordinator.get_by_label("What happened").fill("Paused until the new budget.")
    coordinator.get_by_role("button", name="Save update").click()
    coordinator.get_by_text("Saved. The public page of SKBBA0004 shows the change.").wait_for()

    staff.get_by_label("Progress (%)").fill("80")
    staff.get_by_label("What happened").fill("Evaluation report finished.")
    staff.get_by_role("button", name="Save update").click()
    conflict = staff.locator(".app-conflict")
    conflict.wait_for()
    text = conflict.inner_text()
    assert "Someone saved this step while you were editing it" in text
    assert "On hold" in text and "Paused until the new budget." in text
    assert staff.get_by_label("What happened").input_value() == "Evaluation report finished."
    assert_accessible(staff)

    # Saving again applies the kept input (status included) over the coordinator's version.
    staff.get_by_label("Status").select_option("on_hold")
    staff.get_by_role("button", name="Save update").click()
    staff.get_by_text("Saved. The public page of SKBBA0004 shows the change.").wait_for()
    step = ActionStep.objects.get(code="SKBBA0004")
    assert (step.status, step.progress) == ("on_hold", 80)
    assert list(
        StepUpdate.objects.filter(step=step).order_by("created_at").values_list("note", flat=True)
    ) == ["Paused until the new budget.", "Evaluation report finished."]


def test_the_same_without_javascript(new_page, accounts):
    page = new_page("narrow", javascript=False)
    sign_in(page, "staff")
    card(page, "SKBBA0004").get_by_role("link", name="Update SKBBA0004").click()
    page.wait_for_url("**/steps/SKBBA0004/update/?next=**")  # a full page
    assert_accessible(page)
    page.get_by_label("Progress (%)").fill("abc")
    page.get_by_role("button", name="Save update").click()
    errors = page.locator(".govuk-error-summary").inner_text()
    assert "Enter the progress as a whole number" in errors
    assert_accessible(page)

    # Someone saves meanwhile: the no-JS form gets the conflict page too.
    other = new_page("narrow", javascript=False)
    sign_in(other, "coordinator")
    other.goto("/en/plans/ap-og-24-26/steps/SKBBA0004/update/")
    other.get_by_label("What happened").fill("Dates confirmed.")
    other.get_by_label("Progress (%)").fill("55")
    other.get_by_role("button", name="Save update").click()
    other.wait_for_url("**" + STEP)

    page.get_by_label("Progress (%)").fill("60")
    page.get_by_label("What happened").fill("Workshop for staff held.")
    page.get_by_role("button", name="Save update").click()
    assert "Someone saved this step" in page.locator(".app-conflict").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Save update").click()
    page.wait_for_url("**/en/my-steps/")
    assert "Saved." in page.locator("main").inner_text()

    public = new_page("narrow", javascript=False)
    public.goto(STEP)
    assert "Workshop for staff held." in public.locator("main").inner_text()


def test_staff_of_another_office_cannot_update_the_step(new_page, accounts):
    # In the demo data both offices lead SKBBA0004; the department alone leads P1.1.
    page = new_page("wide")
    sign_in(page, "staff2")
    assert card(page, "P1.1").count() == 0
    response = page.goto("/en/plans/ap-og-24-26/steps/P1.1/update/")
    assert response.status == 403  # the step is public: seen, not editable
    page.goto("/en/plans/ap-og-24-26/steps/P1.1/")
    assert page.get_by_role("link", name="Update this step").count() == 0
    assert User.objects.get(username="staff2").is_authenticated
