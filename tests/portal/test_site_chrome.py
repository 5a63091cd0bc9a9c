"""The site chrome (base templates, header, footer, language links) and the site's own pages."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from actionplan.models import ActionPlan

SITE_PAGES = ["portal:accessibility", "portal:contacts"]


def url_in(language, name, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def count(pattern, html):
    return len(re.findall(pattern, html))


@pytest.mark.parametrize("language", ["sk", "en"])
@pytest.mark.parametrize("name", SITE_PAGES)
def test_site_page_renders_with_one_h1_title_description_and_footer_links(client, name, language):
    response = client.get(url_in(language, name))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert count(r"<h1[\s>]", html) == 1
    assert re.search(r"<title>[^<]+</title>", html)
    assert re.search(r'<meta name="description" content="[^"]+">', html)
    footer = html[html.index('<footer class="idsk-footer"') :]
    for page in SITE_PAGES:
        assert f'href="{url_in(language, page)}"' in footer


def test_site_pages_make_no_database_queries_for_the_public(client, db, django_assert_num_queries):
    # Nothing in the chrome may touch the database for an anonymous reader: no session, no user.
    with django_assert_num_queries(0):
        client.get(url_in("en", "portal:accessibility"))


def test_language_links_lead_to_the_same_page_in_each_language(client):
    response = client.get("/en/contacts/?from=footer")

    html = response.content.decode()
    assert (
        '<a class="govuk-link app-language__link" href="/sk/contacts/?from=footer" lang="sk" '
        'hreflang="sk">' in html
    )
    assert (
        '<a class="govuk-link app-language__link" href="/en/contacts/?from=footer" lang="en" '
        'hreflang="en" aria-current="true">' in html
    )
    for code in ("sk", "en"):
        alternate = f"http://testserver/{code}/contacts/?from=footer"
        assert f'<link rel="alternate" hreflang="{code}" href="{alternate}">' in html


def test_anonymous_pages_carry_no_csrf_token(client):
    response = client.get(url_in("sk", "portal:contacts"))

    html = response.content.decode()
    assert "X-CSRFToken" not in html
    assert "csrfmiddlewaretoken" not in html
    assert "csrftoken" not in response.cookies


def test_signed_in_pages_send_the_csrf_token_with_htmx_requests(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("staff", password="x"))

    response = client.get(url_in("en", "portal:contacts"))

    body = re.search(r"<body[^>]*>", response.content.decode()).group(0)
    assert re.search(r"""hx-headers='\{"X-CSRFToken": "\w+"\}'""", body)
    assert response.cookies["csrftoken"].value


def test_base_template_has_skip_link_first_and_landmarks(client):
    html = client.get(url_in("en", "portal:accessibility")).content.decode()

    body = html[html.index("<body") :]
    first_link = re.search(r"<a [^>]*>", body).group(0)
    assert 'href="#main-content"' in first_link
    assert "govuk-skip-link" in first_link
    assert count(r"<header[\s>]", body) == 1
    assert count(r'<main [^>]*id="main-content"', body) == 1
    assert count(r"<footer[\s>]", body) == 1
    assert '<nav class="app-language" aria-label="Language">' in body
    assert '<nav class="govuk-breadcrumbs" aria-label="Breadcrumbs">' in body
    assert 'href="/static/build/portal.css"' in html
    assert re.search(r'<script src="/static/build/htmx.min.js" defer>', html)


def test_contact_email_is_shown_when_configured(client, settings):
    settings.SITE_CONTACT_EMAIL = "otvorena@example.org"

    html = client.get(url_in("en", "portal:contacts")).content.decode()

    assert '<a class="govuk-link" href="mailto:otvorena@example.org">' in html


def test_header_names_the_plan_and_marks_the_current_page(rf, plan, django_assert_num_queries):
    plan = ActionPlan.objects.select_related("jurisdiction").get(pk=plan.pk)
    steps_url = url_in("en", "actionplan:steps", plan_slug=plan.slug)
    request = rf.get(steps_url)

    # The chrome reads only what the view gave it: the plan with its jurisdiction joined.
    with django_assert_num_queries(0), translation.override("en"):
        html = render_to_string("base.html", {"plan": plan}, request=request)

    header = html[html.index("<header") : html.index("</header>")]
    assert '<span class="app-header__title">Test City</span>' in header
    assert '<span class="app-header__subtitle">TP 24–26</span>' in header
    navigation = header[header.index('<nav class="app-nav"') :]
    assert f'href="{steps_url}" aria-current="page">Steps</a>' in navigation
    # The plan's own link is a prefix of the steps page but is not marked: the page itself is.
    assert count("aria-current=", navigation) == 1
    for name, kwargs in [
        ("actionplan:plan", {"plan_slug": plan.slug}),
        ("actionplan:cocreation", {"plan_slug": plan.slug}),
        ("actionplan:institutions", {"jurisdiction_slug": "test-city"}),
        ("actionplan:stakeholders", {"jurisdiction_slug": "test-city"}),
    ]:
        assert f'href="{url_in("en", name, **kwargs)}"' in navigation


def test_header_marks_the_section_of_a_page_below_the_navigation(rf, plan):
    plan = ActionPlan.objects.select_related("jurisdiction").get(pk=plan.pk)
    step_url = url_in("en", "actionplan:step", plan_slug=plan.slug, code="S1")

    with translation.override("en"):
        html = render_to_string("base.html", {"plan": plan}, request=rf.get(step_url))

    steps_url = url_in("en", "actionplan:steps", plan_slug=plan.slug)
    assert f'href="{steps_url}" aria-current="true">Steps</a>' in html


def test_print_base_has_the_print_stylesheet_and_no_navigation(rf):
    with translation.override("en"):
        html = render_to_string("base_print.html", {}, request=rf.get("/en/"))

    assert 'href="/static/build/print.css"' in html
    assert "<nav" not in html
    assert "<script" not in html
    assert count(r'<main [^>]*id="main-content"', html) == 1
