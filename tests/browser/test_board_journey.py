"""A board member annotates a meeting's agenda item in place (HTMX) and sets follow-ups; the
department's staff find the public follow-up in My steps; the public reads only what is public.
axe checks the meeting page, and again after each HTMX swap."""

from datetime import timedelta

import pytest
from django.template.defaultfilters import date as format_date
from django.utils import timezone, translation

from tests.browser.pages import assert_accessible, sign_in

MEETING = "Agents of Co-Existence network meeting in Banská Bystrica"
MEETING_URL = "/en/plans/ap-og-24-26/meetings/2024-03-agents-of-co-existence-meeting/"
ITEM = "Workshop on the flow of information inside the municipal office"
DEPARTMENT = "Department of the Participation and Innovation in Open Governance"
PUBLIC_NOTE = "The workshop mapped who hears about a decision first."
PUBLIC_FOLLOW_UP = "Publish the map of information flows on the intranet."
BOARD_NOTE = "Two heads of department did not come; ask them privately why."
BOARD_FOLLOW_UP = "Raise the missing heads of department with the mayor."


@pytest.fixture
def accounts(demo_accounts, meetings_data):
    return demo_accounts


@pytest.fixture
def due():
    """A due date still ahead whenever the test runs: (value for the date input, as shown)."""
    day = timezone.localdate() + timedelta(days=90)
    with translation.override("en"):
        return day.isoformat(), format_date(day)


def agenda_item(page):
    return page.locator("li.app-agenda__item", has=page.get_by_role("heading", name=ITEM))


def annotate(page, text, *, visibility="Public", follow_up=False, owner=DEPARTMENT, due=""):
    """Fill the inline form under the agenda and send it."""
    form = page.locator("form.app-annotation-form")
    form.get_by_label("Agenda item").select_option(label=ITEM)
    kind = page.get_by_role("group", name="Kind")
    kind.get_by_label("Follow-up" if follow_up else "Note", exact=True).check()
    page.get_by_role("group", name="Who can read it").get_by_label(visibility, exact=True).check()
    form.get_by_label("Text", exact=True).fill(text)
    if follow_up:
        form.get_by_label("Institution responsible").select_option(label=owner)
        form.get_by_label("Due date").fill(due)
    form.get_by_role("button", name="Add the annotation").click()


def wait_for_added(page, text):
    """Returns once HTMX has swapped in the record with the new annotation under its item."""
    agenda_item(page).locator("article", has_text=text).wait_for()
    assert page.url.endswith(MEETING_URL)  # swapped in, not a new page
    announced = page.locator("#meeting-record [role=status]").inner_text()
    assert announced == "Your annotation was added."


def test_board_annotates_an_agenda_item_staff_see_the_follow_up_and_the_public_the_public_note(
    new_page, accounts, due
):
    due_value, due_shown = due
    board = new_page("wide")
    sign_in(board, "board")
    board.goto("/en/plans/ap-og-24-26/meetings/")  # the plan's meetings, in the meetings list
    board.get_by_role("link", name=MEETING).click()
    board.wait_for_url("**" + MEETING_URL)
    assert board.get_by_role("heading", level=1).inner_text() == MEETING
    assert_accessible(board)

    annotate(board, PUBLIC_NOTE)
    wait_for_added(board, PUBLIC_NOTE)
    assert PUBLIC_NOTE in agenda_item(board).inner_text()
    assert_accessible(board)

    # A follow-up without its institution and date comes back in place, with the errors.
    annotate(board, PUBLIC_FOLLOW_UP, follow_up=True, owner="---------")
    board.locator("#meeting-record .govuk-error-summary").wait_for()
    summary = board.locator(".govuk-error-summary").inner_text()
    assert "Say which institution follows this up." in summary
    assert "Give the date by which it is to be done." in summary
    assert board.url.endswith(MEETING_URL)
    assert_accessible(board)

    annotate(board, PUBLIC_FOLLOW_UP, follow_up=True, due=due_value)
    wait_for_added(board, PUBLIC_FOLLOW_UP)
    follow_up = agenda_item(board).locator("article", has_text=PUBLIC_FOLLOW_UP)
    assert f"Responsible: {DEPARTMENT} · due {due_shown} · open" in follow_up.inner_text()
    assert_accessible(board)

    annotate(board, BOARD_NOTE, visibility="Board only")
    wait_for_added(board, BOARD_NOTE)
    annotate(board, BOARD_FOLLOW_UP, visibility="Board only", follow_up=True, due=due_value)
    wait_for_added(board, BOARD_FOLLOW_UP)
    board_only = agenda_item(board).locator("article.app-annotation--board")
    assert board_only.count() == 2
    tags = board_only.locator(".govuk-tag--purple").all_text_contents()
    assert tags == ["Board only", "Board only"]
    assert_accessible(board)

    # The department's staff act on the public follow-up; the board-only one goes to the
    # coordinators only.
    staff = new_page("wide")
    sign_in(staff, "staff")
    follow_ups = staff.locator("section.app-follow-ups").inner_text()
    assert PUBLIC_FOLLOW_UP in follow_ups and f"Due {due_shown}" in follow_ups
    assert BOARD_FOLLOW_UP not in follow_ups
    assert_accessible(staff)
    staff.goto(MEETING_URL)
    assert BOARD_NOTE not in staff.locator("main").text_content()

    coordinator = new_page("wide")
    sign_in(coordinator, "coordinator")
    follow_ups = coordinator.locator("section.app-follow-ups").inner_text()
    assert PUBLIC_FOLLOW_UP in follow_ups and BOARD_FOLLOW_UP in follow_ups

    for javascript in (True, False):
        public = new_page("narrow", javascript=javascript)
        public.goto(MEETING_URL)
        item = agenda_item(public).inner_text()
        assert PUBLIC_NOTE in item and PUBLIC_FOLLOW_UP in item
        # The source text, hidden parts included, not only what CSS shows.
        main = public.locator("main").text_content()
        assert BOARD_NOTE not in main and BOARD_FOLLOW_UP not in main and "Board only" not in main
        assert public.locator("form.app-annotation-form").count() == 0
        assert_accessible(public)
