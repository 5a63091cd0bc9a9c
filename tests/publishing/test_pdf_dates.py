"""Which past days a PDF may show: for anyone, the ends of months and the days monitoring reports
were published; any other day only for the portal's team, signed in. So nobody can queue a render
for each day of the plan."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from actionplan.models import StepChange
from monitoring.models import MonitoringReport, Publication

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ODD_DAY = "2025-02-11"


@pytest.fixture
def world(monitoring_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = IMMEDIATE
    # The plan's history begins before the days asked for (the triggers only write the present).
    moment = timezone.make_aware(datetime.datetime(2024, 6, 1, 12))
    StepChange.objects.create(
        step=monitoring_world.step_a, version=1, changed_at=moment, field="created"
    )
    return monitoring_world


def report(world, day, status=Publication.PUBLISHED):
    return MonitoringReport.objects.create(
        plan=world.plan,
        kind=MonitoringReport.Kind.INCEPTION,
        title_en=f"Report of {day}",
        status=status,
        published_on=day,
    )


def urls(world, language="en"):
    kwargs = {"plan_slug": world.plan.slug}
    with translation.override(language):
        return [
            reverse("publishing:progress_report_pdf", kwargs=kwargs),
            reverse("publishing:step_sheet_pdf", kwargs={**kwargs, "code": "S-A"}),
        ]


def get(client, url, **params):
    # The render is queued and runs at commit, which a test transaction never reaches: the
    # answer says the PDF is being prepared (202) once the options are accepted.
    return client.get(url, params)


@pytest.mark.parametrize("params", [{}, {"as_of": "2025-01-31"}, {"as_of": "2024-12-31"}])
def test_anyone_gets_the_current_state_and_month_ends(client, world, params):
    for url in urls(world):
        assert get(client, url, **params).status_code == 202


def test_anyone_gets_the_day_a_report_was_published(client, world):
    report(world, datetime.date(2025, 2, 11))
    for url in urls(world):
        assert get(client, url, as_of=ODD_DAY).status_code == 202


def test_other_days_are_refused_to_the_public_with_the_days_available(client, world):
    report(world, datetime.date(2025, 3, 20))
    report(world, datetime.date(2025, 2, 11), status=Publication.DRAFT)  # not a public date
    for url in urls(world):
        response = get(client, url, as_of=ODD_DAY)
        assert response.status_code == 400
        body = response.content.decode()
        assert "choose the last day of a month or a day a monitoring report" in body
        assert "03/20/2025" in body  # the one published report's day, in the page's format
        assert "02/11/2025" not in body


def test_the_refusal_speaks_slovak_on_slovak_pages(client, world):
    url = urls(world, "sk")[0]
    response = get(client, url, as_of=ODD_DAY)
    assert response.status_code == 400
    with translation.override("sk"):
        expected = translation.gettext(
            "Without signing in, choose the last day of a month. Other days are for the "
            "portal's team, signed in."
        )
    assert expected.startswith("Bez prihlásenia")
    assert expected in response.content.decode()


@pytest.mark.parametrize("persona", ["staff_a", "coordinator", "board", "monitor", "admin"])
def test_the_team_may_choose_any_past_day(client, world, persona):
    client.force_login(world.users[persona])
    for url in urls(world):
        assert get(client, url, as_of=ODD_DAY).status_code == 202


def test_the_progress_page_explains_too(client, world):
    kwargs = {"plan_slug": world.plan.slug}
    page = client.get(reverse("publishing:progress_report", kwargs=kwargs), {"as_of": ODD_DAY})
    assert page.status_code == 400
    assert "choose the last day of a month" in page.content.decode()
