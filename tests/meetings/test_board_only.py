"""Board-only annotations reach board members, coordinators and monitors of the plan, and nobody
else: not the public, not institution staff, in no page, fragment, feed, calendar, sitemap or
search."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps.views import sitemap
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from meetings.models import Annotation
from meetings.sitemaps import SITEMAPS
from tests.meetings.factories import add_meeting, annotate, follow_up_values

SECRET = "Confidential-board-remark"
BOARD = Annotation.Visibility.BOARD


@pytest.fixture
def world(meetings_world):
    world = meetings_world
    world.meeting = add_meeting(world, description="The plan's progress.")
    item = world.meeting.agenda_items.get()
    annotate(world, world.meeting, text=f"{SECRET} on the meeting", visibility=BOARD)
    annotate(world, world.meeting, text=f"{SECRET} on an item", visibility=BOARD, agenda_item=item)
    annotate(world, world.meeting, text=f"{SECRET} on a step", visibility=BOARD, step=world.step_a)
    annotate(
        world,
        world.meeting,
        **follow_up_values(world, text=f"{SECRET} to follow up", visibility=BOARD),
    )
    annotate(world, world.meeting, text="A public remark", step=world.step_a)
    return world


def _outputs(client, world, user):
    """Everything a reader receives from the public side, as text."""
    if user is not None:
        client.force_login(user)
    plan, meeting = world.plan.slug, world.meeting
    pages = {
        "meeting page": meeting.get_absolute_url(),
        "list": reverse("meetings:list"),
        "list of the plan": reverse("meetings:list") + f"?plan={plan}",
        "plan calendar": reverse("meetings:plan_calendar", args=[plan]),
        "meeting calendar": reverse("meetings:meeting_calendar", args=[plan, meeting.slug]),
        "plan feed": reverse("actionplan:feed", args=[plan]),
        "sitemap": "/sitemap.xml",
    }
    texts = {name: client.get(url).content.decode() for name, url in pages.items()}
    # The search results (the page itself repeats the query the reader typed).
    search = client.get(pages["list"], {"q": SECRET}, HTTP_HX_REQUEST="true")
    texts["search"] = search.content.decode()
    request = RequestFactory().get("/sitemap.xml")
    texts["meetings sitemap"] = sitemap(request, sitemaps=SITEMAPS).render().content.decode()
    request.user = user or AnonymousUser()
    for tag in (
        "{% step_annotations step %}",
        "{% follow_ups %}",
        "{% follow_ups plan %}",
        "{% cocreation_figures plan %}",
    ):
        texts[tag] = Template("{% load meetings %}" + tag).render(
            Context({"request": request, "step": world.step_a, "plan": world.plan})
        )
    return texts


@pytest.mark.parametrize("persona", ["anonymous", "staff_a", "staff_b"])
def test_board_only_content_reaches_no_public_output(client, world, persona):
    for where, text in _outputs(client, world, world.users[persona]).items():
        assert SECRET not in text, where


def test_search_does_not_find_a_meeting_by_board_only_text(client, world):
    body = client.get(reverse("meetings:list"), {"q": SECRET}).content.decode()
    assert "0 meetings" in body and world.meeting.title not in body


def test_public_annotations_do_appear_in_the_same_outputs(client, world):
    outputs = _outputs(client, world, None)
    assert "A public remark" in outputs["meeting page"]
    assert "A public remark" in outputs["{% step_annotations step %}"]


@pytest.mark.parametrize("persona", ["board", "coordinator", "monitor", "admin"])
def test_board_readers_see_every_board_only_annotation(client, world, persona):
    client.force_login(world.users[persona])
    page = client.get(world.meeting.get_absolute_url()).content.decode()
    for place in ("on the meeting", "on an item", "on a step", "to follow up"):
        assert f"{SECRET} {place}" in page


def test_the_coordinator_acts_on_board_only_follow_ups(world):
    request = RequestFactory().get("/")
    request.user = world.users["coordinator"]
    html = Template("{% load meetings %}{% follow_ups %}").render(Context({"request": request}))
    assert f"{SECRET} to follow up" in html
