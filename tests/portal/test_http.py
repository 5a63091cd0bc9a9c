"""HTTP conformance: every view says which methods it answers; HEAD works wherever GET does;
other methods get 405 with Allow (not the CSRF check's 403); robots.txt and the icon."""

import datetime

import pytest
from django.urls import reverse

from core.http import allowed_methods
from meetings.models import Meeting
from tests.personas import url_patterns

pytestmark = pytest.mark.django_db


def test_every_view_outside_the_admin_says_which_methods_it_answers():
    silent = [
        ":".join((*namespace, pattern.name or str(pattern.pattern)))
        for namespace, pattern in url_patterns()
        if "admin" not in namespace and allowed_methods(pattern.callback) is None
    ]
    assert silent == []


@pytest.fixture
def urls(plan, step):
    meeting = Meeting.objects.create(
        plan=plan, slug="m", title="M", start_date=datetime.date(2025, 3, 4), is_public=True
    )
    by_plan = {"plan_slug": plan.slug}
    return [
        reverse("actionplan:home"),
        reverse("actionplan:plan", kwargs=by_plan),
        reverse("actionplan:feed", kwargs=by_plan),
        reverse("meetings:plan_calendar", kwargs=by_plan),
        reverse("meetings:meeting_calendar", kwargs={**by_plan, "slug": meeting.slug}),
        reverse("publishing:api_openapi"),
        reverse("publishing:api_plans"),
        reverse("publishing:api_dataset", kwargs={**by_plan, "dataset": "steps"}),
        reverse("publishing:download_csv", kwargs={**by_plan, "dataset": "steps"}),
        "/sitemap.xml",
        "/robots.txt",
    ]


def test_head_works_wherever_get_does(client, urls):
    for url in urls:
        get, head = client.get(url), client.head(url)
        assert head.status_code == get.status_code == 200, url
        assert head["Content-Type"] == get["Content-Type"], url
        assert head.content == b"", url


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_other_methods_get_405_with_allow_not_403(client, urls, method):
    for url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 405, (url, response.status_code)
        assert set(response["Allow"].split(", ")) == {"GET", "HEAD"}, url


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_from_pdfs(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /*/pdf/" in text and "Disallow: /*/accounts/" in text


def test_there_is_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
    assert 'rel="icon"' in client.get(reverse("actionplan:home")).content.decode()
