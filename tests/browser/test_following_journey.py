"""A visitor follows step P1.1 by email and hears of its update: the confirmation and the digest
arrive at a real SMTP server started by the test; one click unsubscribes, and nothing more
arrives. The test runs the scheduler's rounds itself (following.tasks.run_round)."""

import datetime

import pytest
from django.utils import timezone

from following.tasks import run_round
from tests.browser.pages import assert_accessible, sign_in
from tests.smtp_server import html_links, parts, start_server, text_links, use_server

STEP = "/en/plans/ap-og-24-26/steps/P1.1/"
READER = "reader@example.org"


@pytest.fixture
def smtp(settings, live_server):
    controller, inbox = start_server()
    use_server(settings, controller)
    settings.SITE_URL = live_server.url  # the links in the mails lead to the test's server
    yield inbox
    controller.stop()


def later(seconds):
    return timezone.now() + datetime.timedelta(seconds=seconds)


def update(page, progress, note):
    page.goto(STEP)
    page.get_by_role("link", name="Update this step").click()
    form = page.locator("form[data-hx-post]")
    form.wait_for()
    form.get_by_label("Progress (%)").fill(str(progress))
    form.get_by_label("What happened").fill(note)
    form.get_by_role("button", name="Save update").click()
    page.get_by_text("Saved. The public page of P1.1 shows the change.").wait_for()


def test_a_visitor_follows_a_step_hears_of_its_update_and_unsubscribes(
    new_page, demo_accounts, smtp, live_server
):
    # The scheduler's first round: what exists is the baseline. (It also reminds the staff of
    # steps without a report for too long: mail to them, which this journey leaves aside.)
    run_round()
    visitor = new_page("narrow", javascript=False)
    visitor.goto(STEP)
    visitor.get_by_role("link", name="Follow by email").click()
    assert_accessible(visitor)
    visitor.get_by_label("Email address").fill(READER)
    visitor.get_by_label("English").check()
    visitor.get_by_label("As it happens (a few minutes after a change)").check()
    visitor.get_by_role("button", name="Follow").click()
    visitor.get_by_role("heading", name="Check your mail").wait_for()

    [confirmation] = smtp.wait_for(1, to=READER)
    assert confirmation["To"] == READER
    text, html = parts(confirmation)
    [link] = [url for url in text_links(text) if "/follow/confirm/" in url]
    assert link in html_links(html) and link.startswith(live_server.url)
    visitor.goto(link)
    assert_accessible(visitor)
    visitor.get_by_role("button", name="Yes, follow it").click()
    visitor.get_by_role("heading", name="You are following it").wait_for()

    staff = new_page("wide")
    sign_in(staff, "staff")
    update(staff, 75, "Second pilot of the participatory tool finished.")
    run_round()  # within the batch window: nothing yet
    assert len(smtp.to(READER)) == 1
    run_round(later(3600))
    [_confirmation, digest] = smtp.wait_for(2, to=READER)
    assert digest["To"] == READER
    text, html = parts(digest)
    for part in (text, html):
        assert "Second pilot of the participatory tool finished." in part
        assert "Progress 60% → 75%" in part
    assert f"{live_server.url}{STEP}#version-" in " ".join(text_links(text))

    # One click in the mail client: RFC 8058's POST, without cookies or a form of ours.
    unsubscribe = digest["List-Unsubscribe"].strip().strip("<>")
    response = visitor.request.post(unsubscribe, form={"List-Unsubscribe": "One-Click"})
    assert response.status == 200
    visitor.goto(unsubscribe)
    assert "You are unsubscribed" in visitor.locator("h1").inner_text()

    update(staff, 80, "Third pilot planned.")
    run_round(later(7200))
    run_round(later(7200 * 2))
    assert len(smtp.to(READER)) == 2
