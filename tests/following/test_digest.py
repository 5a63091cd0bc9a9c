"""From a change to one mail per subscriber: the note, the evidence, the links, both parts, the
headers of a one-click unsubscribe, the batch window, and nothing sent twice."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actionplan import editing
from actionplan.models import ActionStep, StepInstitution
from following.models import Notice, OutboxMail, Subscriber, Subscription
from following.tasks import run_round
from tests.following.conftest import SITE_URL, later
from tests.smtp_server import html_links, local, parts, text_links

pytestmark = pytest.mark.django_db


def subscribe(target_kind, plan, email="reader@example.org", language="en", **objects):
    """A confirmed subscriber (the confirmation itself is tested in test_follow)."""
    now = timezone.now()
    subscriber, _ = Subscriber.objects.get_or_create(
        email=email, defaults={"language": language, "confirmed_at": now}
    )
    obj = objects.get("step") or objects.get("priority") or plan
    Subscription.objects.create(
        subscriber=subscriber,
        kind=target_kind,
        plan=plan,
        target=f"{target_kind}:{obj.pk}",
        confirmed_at=now,
        **objects,
    )
    return subscriber


def report(step, note, progress=40, links=()):
    user = User.objects.get_or_create(username="coordinator")[0]
    step.refresh_from_db()
    return editing.update_step(
        step,
        user=user,
        version=step.version,
        status="in_progress",
        progress=progress,
        completed_milestones=set(),
        note=note,
        links=links,
    )


def test_a_step_update_arrives_as_one_multipart_mail_with_note_links_and_unsubscribe(
    step, smtp, started
):
    subscriber = subscribe("step", step.plan, step=step)
    update = report(step, "The first workshop took place.", links=["https://example.org/minutes"])
    # Within the batch window nothing goes yet; after it, one mail.
    assert run_round().mails == 0
    assert smtp.messages == []
    result = run_round(later())
    assert result.mails == 1 and result.queued == 1
    [message] = smtp.messages
    assert message["To"] == "reader@example.org"
    assert message["Subject"].endswith("S1 First step: Action step updated")
    unsubscribe = reverse("following:unsubscribe", args=[subscriber.token])
    assert message["List-Unsubscribe"].strip() == f"<{SITE_URL}{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"] and message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    text, html = parts(message)
    step_url = f"{SITE_URL}/en/plans/test-plan/steps/S1/#version-{update.to_version}"
    for part, links in ((text, text_links(text)), (html, html_links(html))):
        assert "The first workshop took place." in part
        assert "Status Not started → In progress" in part
        assert "Otvorená samospráva · Open Government" in part  # the portal's name
        assert "https://example.org/minutes" in links
        assert step_url in links
        assert f"{SITE_URL}{unsubscribe}" in links
        assert f"{SITE_URL}{reverse('following:manage', args=[subscriber.token])}" in links
    assert '<html lang="en">' in html and "<h2>" in html
    # Nothing more, however often the rounds run.
    run_round(later(120))
    run_round(later(600))
    assert len(smtp.messages) == 1


def test_the_links_in_the_mail_lead_to_the_pages(client, step, smtp, started):
    subscribe("step", step.plan, step=step)
    report(step, "Links checked.")
    run_round(later())
    text, _html = parts(smtp.messages[0])
    for url in text_links(text):
        if url.startswith(SITE_URL):
            response = client.get(local(url, SITE_URL))
            assert response.status_code == 200, url


def test_ten_updates_in_the_window_make_one_mail_with_ten_items(
    plan, priority, institution, smtp, started
):
    steps = []
    for n in range(10):
        steps.append(
            ActionStep.objects.create(plan=plan, priority=priority, code=f"T{n}", title=f"Step {n}")
        )
        StepInstitution.objects.create(step=steps[-1], institution=institution)
    subscribe("plan", plan)
    subscribe("priority", plan, email="other@example.org", language="sk", priority=priority)
    for n, step in enumerate(steps):
        report(step, f"Note number {n}.")
    run_round(later())
    assert sorted(m["To"] for m in smtp.messages) == ["other@example.org", "reader@example.org"]
    [english] = smtp.to("reader@example.org")
    assert "10 changes in what you follow" in english["Subject"]
    text, html = parts(english)
    for n in range(10):
        assert f"Note number {n}." in text and f"Note number {n}." in html
    [slovak] = smtp.to("other@example.org")
    text, html = parts(slovak)
    assert '<html lang="sk">' in html
    assert f"{SITE_URL}/sk/plans/test-plan/steps/T0/" in text


def test_a_weekly_subscriber_gets_one_digest_a_week(step, smtp, started):
    subscriber = subscribe("step", step.plan, step=step)
    Subscriber.objects.filter(pk=subscriber.pk).update(frequency="weekly")
    report(step, "Monday's news.")
    run_round(later())
    assert smtp.messages == []  # confirmed just now: the first week is not over
    run_round(timezone.now() + datetime.timedelta(days=7, seconds=1))
    [message] = smtp.messages
    assert "Weekly digest: 1 change in what you follow" in message["Subject"]
    report(step, "Tuesday's news.", progress=50)
    run_round(timezone.now() + datetime.timedelta(days=8))
    assert len(smtp.messages) == 1  # the next one a week after this one


def test_followers_of_another_step_hear_nothing(step, plan, priority, smtp, started):
    other = ActionStep.objects.create(plan=plan, priority=priority, code="S9", title="Other")
    subscribe("step", plan, step=other)
    report(step, "Not about S9.")
    run_round(later())
    assert smtp.messages == []
    assert Notice.objects.count() == 0


def test_one_click_unsubscribe_stops_everything(step, smtp, started):
    subscriber = subscribe("step", step.plan, step=step)
    report(step, "First.")
    run_round(later())
    [message] = smtp.messages
    url = message["List-Unsubscribe"].strip().strip("<>")
    # RFC 8058: the mail client posts this body, with no cookie and no CSRF token.
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        local(url, SITE_URL),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscriber.objects.filter(pk=subscriber.pk).exists()
    assert not OutboxMail.objects.filter(to="reader@example.org").exists()
    report(step, "Second.", progress=60)
    run_round(later(200))
    assert len(smtp.messages) == 1
    # Asked again (a second click), it says the same.
    again = client.post(
        local(url, SITE_URL),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert again.status_code == 200


def test_a_change_before_the_baseline_is_not_news(step, smtp):
    subscribe("step", step.plan, step=step)
    report(step, "Before following started.")
    run_round(later())  # the first round ever records what is there as the baseline
    run_round(later(200))
    assert smtp.messages == []
