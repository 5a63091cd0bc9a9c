"""Following without an account: the form, the confirmation mail (double opt-in), its expiry."""

import time
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from following.models import OutboxMail, Subscriber, Subscription
from tests.following.conftest import SITE_URL
from tests.smtp_server import html_links, local, parts, text_links

pytestmark = pytest.mark.django_db


@pytest.fixture
def follow(committed):
    def post(client, step, email="reader@example.org", language="en", frequency="immediate"):
        url = reverse("following:follow_step", args=[step.plan.slug, step.code])
        data = {"email": email, "language": language, "frequency": frequency}
        return committed(client.post, url, data)

    return post


def confirm_link(message):
    text, html = parts(message)
    links = [u for u in text_links(text) if "/follow/confirm/" in u]
    assert links and links[0] in html_links(html)
    return local(links[0], SITE_URL)


def test_the_follow_page_carries_the_form_and_is_never_cached(client, step):
    response = client.get(reverse("following:follow_step", args=[step.plan.slug, step.code]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert 'name="email"' in html and "csrfmiddlewaretoken" in html
    assert "Action step S1 First step" in html


def test_public_pages_link_to_the_follow_page_without_a_form(client, step):
    page = client.get(reverse("actionplan:step", args=[step.plan.slug, step.code]))
    html = page.content.decode()
    assert reverse("following:follow_step", args=[step.plan.slug, step.code]) in html
    assert reverse("actionplan:step_feed", args=[step.plan.slug, step.code]) in html
    assert "csrfmiddlewaretoken" not in html  # the page stays cacheable
    plan_page = client.get(reverse("actionplan:plan", args=[step.plan.slug])).content.decode()
    assert reverse("following:follow_plan", args=[step.plan.slug]) in plan_page
    priority = client.get(reverse("actionplan:priority", args=[step.plan.slug, "P1"]))
    assert reverse("following:follow_priority", args=[step.plan.slug, "P1"]) in (
        priority.content.decode()
    )


def test_following_mails_a_link_that_confirms_on_post(client, step, smtp, follow):
    response = follow(client, step)
    assert response.status_code == 302 and "/follow/sent/" in response["Location"]
    assert Subscriber.objects.get().confirmed_at is None
    [message] = smtp.messages
    assert message["To"] == "reader@example.org"
    assert "Confirm that you want to follow action step S1 First step" in message["Subject"]
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Content-Language"] == "en"
    link = confirm_link(message)
    # Opening the link (as a mail scanner might) confirms nothing; the button does.
    page = client.get(link)
    assert page.status_code == 200 and "Yes, follow it" in page.content.decode()
    assert Subscription.objects.get().confirmed_at is None
    done = client.post(link)
    assert done.status_code == 200
    assert Subscription.objects.get().confirmed_at is not None
    assert Subscriber.objects.get().is_active


def test_the_confirmation_mail_speaks_the_chosen_language(client, step, smtp, follow):
    follow(client, step, language="sk")
    [message] = smtp.messages
    _text, html = parts(message)
    assert message["Content-Language"] == "sk"
    assert '<html lang="sk">' in html
    assert "/sk/follow/confirm/" in confirm_link(message)
    assert "Potvrďte" in message["Subject"], message["Subject"]


def test_a_confirmation_link_expires(client, step, smtp, settings, follow):
    settings.FOLLOWING_CONFIRM_HOURS = 1
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 2 * 3600):
        follow(client, step)
    response = client.post(confirm_link(smtp.messages[0]))
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None


def test_a_forged_link_confirms_nothing(client, step, smtp, follow):
    follow(client, step)
    link = confirm_link(smtp.messages[0])
    response = client.post(link[:-3] + "xx/")
    assert response.status_code == 400
    assert Subscription.objects.get().confirmed_at is None


def test_asking_again_sends_no_second_mail_and_says_the_same(client, step, smtp, follow):
    first = follow(client, step)
    second = follow(client, step, email="Reader@Example.org")
    assert first["Location"] == second["Location"]
    assert len(smtp.messages) == 1
    client.post(confirm_link(smtp.messages[0]))
    third = follow(client, step)
    assert third["Location"] == first["Location"]
    assert len(smtp.messages) == 1  # already following: nothing to confirm
    assert OutboxMail.objects.count() == 1


def test_an_invalid_address_is_explained(client, step):
    url = reverse("following:follow_step", args=[step.plan.slug, step.code])
    response = client.post(url, {"email": "not an address", "language": "en", "frequency": "x"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter an email address like name@example.org." in html
    assert Subscriber.objects.count() == 0


def test_a_draft_plan_cannot_be_followed(client, step):
    step.plan.status = "draft"
    step.plan.save()
    response = client.get(reverse("following:follow_step", args=[step.plan.slug, step.code]))
    assert response.status_code == 404


def test_the_follow_form_posts_with_its_own_csrf_token(step, smtp):
    client = Client(enforce_csrf_checks=True)
    url = reverse("following:follow_step", args=[step.plan.slug, step.code])
    page = client.get(url)
    token = page.context["csrf_token"]
    response = client.post(
        url,
        {
            "email": "a@example.org",
            "language": "en",
            "frequency": "weekly",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    assert Subscriber.objects.get().frequency == "weekly"
