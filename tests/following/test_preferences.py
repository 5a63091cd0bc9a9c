"""The preferences page reached from any mail: what is followed, how often, the language; the
export and the deletion of the address (GDPR articles 15 and 17); the privacy text."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from following.models import OutboxMail, Subscriber, Subscription
from tests.following.test_digest import subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscriber(step):
    subscriber = subscribe("step", step.plan, step=step)
    subscribe("plan", step.plan)
    return subscriber


def test_the_page_lists_what_is_followed_and_is_never_cached(client, subscriber):
    response = client.get(reverse("following:manage", args=[subscriber.token]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "reader@example.org" in html
    assert "Action step S1 First step" in html or "action step S1 First step" in html
    assert "action plan TP 24–26 Test plan" in html


def test_preferences_change_frequency_language_and_what_is_followed(client, subscriber):
    step_follow = Subscription.objects.get(kind="step")
    url = reverse("following:manage", args=[subscriber.token])
    response = client.post(
        url, {"keep": [str(step_follow.pk)], "language": "sk", "frequency": "weekly"}
    )
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert (subscriber.language, subscriber.frequency) == ("sk", "weekly")
    assert list(Subscription.objects.values_list("kind", flat=True)) == ["step"]


def test_an_unknown_token_is_a_404(client, subscriber):
    assert client.get(reverse("following:manage", args=["nope"])).status_code == 404
    assert client.get(reverse("following:export", args=["nope"])).status_code == 404


def test_the_export_holds_everything_kept_about_the_address(client, subscriber):
    OutboxMail.objects.create(
        kind="digest",
        subscriber=subscriber,
        to=subscriber.email,
        subject="S",
        text="t",
        html="h",
        message_id="<x@y>",
    )
    response = client.get(reverse("following:export", args=[subscriber.token]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="following.json"'
    data = json.loads(response.content)
    assert data["email"] == "reader@example.org"
    assert len(data["following"]) == 2 and data["mails"][0]["subject"] == "S"
    assert data["following"][0]["address"].startswith("http://portal.test/en/")


def test_deleting_forgets_the_address_and_its_mails(client, subscriber):
    OutboxMail.objects.create(
        kind="digest",
        subscriber=subscriber,
        to=subscriber.email,
        subject="S",
        text="t",
        html="h",
        message_id="<x@y>",
    )
    response = client.post(reverse("following:delete", args=[subscriber.token]))
    assert response.status_code == 200
    assert not Subscriber.objects.exists()
    assert not Subscription.objects.exists() and not OutboxMail.objects.exists()


def test_unsubscribe_asks_on_get_and_acts_on_post(client, subscriber):
    url = reverse("following:unsubscribe", args=[subscriber.token])
    page = client.get(url)
    assert page.status_code == 200 and "Stop all mails?" in page.content.decode()
    assert Subscriber.objects.exists()
    assert client.post(url).status_code == 200
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize(
    ("language", "phrase"),
    [("en", "article 17"), ("sk", "článok 17")],
)
def test_the_privacy_text_is_there_in_both_languages(client, language, phrase):
    with translation.override(language):
        url = reverse("following:privacy")
    response = client.get(url)
    assert response.status_code == 200
    assert phrase in response.content.decode()
