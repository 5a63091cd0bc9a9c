"""Accountability journeys: staff file a period report with a challenge, the coordinator closes
the period, the public reads the period page and a step's period-over-period change, a board member
proposes a reasoned response that the coordinator publishes, and a moved step shows its baseline on
its page and in its PDF. axe checks each new page."""

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from actionplan.models import PeriodReport, ReportingPeriod
from meetings.models import ReasonedResponse
from tests.browser.pages import assert_accessible, sign_in

PLAN = "/en/plans/ap-og-24-26"


def test_staff_file_a_report_with_a_challenge_and_the_coordinator_closes_the_period(
    new_page, demo_accounts
):
    page = new_page("wide")
    sign_in(page, "staff")
    page.goto(f"{PLAN}/periods/7/")
    assert_accessible(page)
    page.get_by_role("link", name="File the report P1.1").click()
    page.get_by_label("Status at the end of the period").select_option(label="In progress")
    page.get_by_label("Progress (%)").fill("65")
    page.get_by_label("The step is behind schedule").check()
    page.get_by_label("What happened in the period").fill("The evaluation waits for approval.")
    page.get_by_role("button", name="File the report").click()
    # Behind schedule without a challenge: refused, with the error summary.
    page.locator(".govuk-error-summary").wait_for()
    assert_accessible(page)
    page.get_by_role("group", name="Challenges").get_by_label("Delay in approvals").check()
    page.get_by_role("button", name="File the report").click()
    page.get_by_text("Report filed for P1.1.").wait_for()
    row = page.locator("tr#step-p11")
    assert "Delay in approvals" in row.inner_text() and "65" in row.inner_text()
    report = PeriodReport.objects.get(period__number=7, step__code="P1.1")
    assert report.challenges == ["approvals"] and not report.is_correction

    coordinator = new_page("wide")
    sign_in(coordinator, "coordinator")
    coordinator.goto(f"{PLAN}/periods/7/")
    coordinator.get_by_role("link", name="Change the dates or the state of this period").click()
    assert_accessible(coordinator)
    coordinator.get_by_role("group", name="State").get_by_label("Closed").check()
    coordinator.get_by_role("button", name="Save the period").click()
    coordinator.get_by_text("Period 7 saved.").wait_for()
    assert ReportingPeriod.objects.get(plan__slug="ap-og-24-26", number=7).is_closed

    # Filed after closing: a correction, shown beside the report, which stays as it was.
    page.goto(f"{PLAN}/periods/7/steps/P1.1/report/")
    page.get_by_label("Progress (%)").fill("60")
    page.get_by_role("group", name="Challenges").get_by_label("Delay in approvals").check()
    page.get_by_label("The step is behind schedule").check()
    page.get_by_label("What happened in the period").fill("Correction: it was 60, not 65.")
    page.get_by_role("button", name="File the correction").click()
    page.get_by_text("Correction filed for P1.1").wait_for()
    assert "Correction" in page.locator("tr#step-p11").inner_text()
    assert PeriodReport.objects.filter(step__code="P1.1", period__number=7).count() == 2


def test_the_public_reads_the_period_page_and_the_change_on_the_step(new_page, demo_data):
    page = new_page("wide", javascript=False)
    page.goto(f"{PLAN}/")
    page.get_by_role("link", name="Reporting periods").first.click()
    page.get_by_role("link", name="Period 5:").click()
    text = page.locator("main").inner_text()
    assert "Who has filed" in text and "Not filed" in text
    assert "Druhé kolo" in text or "druhé kolo" in text  # a report kept in its language
    assert_accessible(page)

    page.goto(f"{PLAN}/steps/P1.2/")
    table = page.locator("table.app-step-periods")
    period_5 = table.locator("tr", has_text="Period 5")
    assert "+15 points" in period_5.inner_text()  # 15 % at the end of period 4, 30 % at 5
    assert "Correction" in table.locator("tr", has_text="Period 4").inner_text()
    assert_accessible(page)


def test_the_board_proposes_a_response_and_the_coordinator_publishes_it(new_page, demo_accounts):
    call_command("import_meetings", "fixtures/banska-bystrica-meetings.yaml", verbosity=0)
    call_command("import_meetings", "fixtures/banska-bystrica-responses.yaml", verbosity=0)
    text = "Put a bench by every bus stop in the centre."

    board = new_page("wide")
    sign_in(board, "board")
    board.goto(f"{PLAN}/responses/")
    assert_accessible(board)
    board.get_by_role("link", name="Propose a response to an input").click()
    board.get_by_role("group", name="Kind of source").get_by_label(
        "Submission from the public"
    ).check()
    board.get_by_label("Received on").fill("2025-04-02")
    board.get_by_label("The input, in English").fill(text)
    board.get_by_role("group", name="Response").get_by_label("Partly adopted").check()
    board.get_by_label("Reason, in English").fill("Benches come with the stops being rebuilt.")
    assert_accessible(board)
    board.get_by_role("button", name="Save the proposal").click()
    board.get_by_text("The response is proposed. A coordinator publishes it.").wait_for()
    assert board.get_by_role("button", name="Publish").count() == 0  # the board cannot publish

    public = new_page("wide", javascript=False)
    public.goto(f"{PLAN}/responses/")
    assert text not in public.locator("main").inner_text()

    coordinator = new_page("wide")
    sign_in(coordinator, "coordinator")
    coordinator.goto(f"{PLAN}/responses/")
    proposed = coordinator.locator("section.app-proposed")
    assert text in proposed.inner_text()
    proposed.get_by_role("button", name="Publish").first.click()
    coordinator.get_by_text("The response is published in the register.").wait_for()
    assert ReasonedResponse.objects.get(text_en=text).is_published

    public.goto(f"{PLAN}/responses/?response=partly")
    assert text in public.locator("main").inner_text()
    public.goto(f"{PLAN}/co-creation/")
    assert "inputs received" in public.locator("main").inner_text()


def test_a_moved_step_shows_its_baseline_on_the_page_and_in_the_pdf(
    new_page, demo_data, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    page = new_page("wide")
    page.goto(f"{PLAN}/steps/P1.2/")
    summary = page.locator("dl.govuk-summary-list").first.inner_text()
    assert "originally due" in summary and "moved twice" in summary
    assert "Why the dates moved" in page.locator("main").inner_text()

    page.goto(f"{PLAN}/")
    assert page.locator("rect.app-timeline__baseline").count() == 2  # P1.2 and P3.5
    assert "2 steps have moved" in page.locator("main").inner_text()

    page.goto(f"{PLAN}/steps/P1.2/sheet/")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    pdf = PdfReader(download.value.path())
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert "originally due" in text and "moved twice" in text


@pytest.mark.parametrize("number", [5])
def test_the_period_progress_report_is_a_pdf(new_page, demo_data, settings, tmp_path, number):
    settings.MEDIA_ROOT = tmp_path
    page = new_page("wide")
    page.goto(f"{PLAN}/periods/{number}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Period progress report (PDF)").click()
    text = " ".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert f"Reporting period {number}" in text and "Delay in approvals" in text
