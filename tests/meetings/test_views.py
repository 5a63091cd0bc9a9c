"""Meeting and annotation pages: full-page and HTMX paths, 422 on invalid input, 409 on stale edits,
the history each edit writes, follow-ups."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from actionplan.models import ActionPlan
from meetings.models import (
    AgendaItem,
    Annotation,
    AnnotationRevision,
    Attendee,
    Meeting,
    MeetingRevision,
    Participation,
)
from tests.meetings.factories import add_meeting, annotate, follow_up_values, meeting_form_data

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world(meetings_world):
    meetings_world.meeting = add_meeting(meetings_world, outcomes="**Agreed**: a new forum.")
    return meetings_world


def login(client, world, persona):
    client.force_login(world.users[persona])


# --- The list ------------------------------------------------------------------------------------


def test_list_splits_upcoming_and_past_and_filters_by_kind_and_plan(client, world):
    soon = datetime.date.today() + datetime.timedelta(days=10)
    add_meeting(
        world,
        title="Dialogue to come",
        kind=Meeting.Kind.DIALOGUE,
        start_date=soon,
        format=Meeting.Format.ONLINE,
        online_url="https://meet.example.org/x",
    )
    page = client.get(reverse("meetings:list")).content.decode()
    upcoming, past = page.split(">Past<")
    assert "Dialogue to come" in upcoming and "Board session" in past
    filtered = client.get(reverse("meetings:list"), {"kind": "dialogue", "plan": world.plan.slug})
    assert "Dialogue to come" in filtered.content.decode()
    assert "Board session" not in filtered.content.decode()


def test_list_answers_htmx_with_the_results_only_and_varies_on_it(client, world):
    response = client.get(reverse("meetings:list"), {"kind": "board"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and 'id="meeting-results"' in body and "Board session" in body
    assert "HX-Request" in response["Vary"]


def test_list_reports_an_unknown_filter_value_and_still_lists(client, world):
    body = client.get(reverse("meetings:list"), {"kind": "picnic"}).content.decode()
    assert "govuk-error-summary" in body and "Board session" in body


def test_drafts_are_listed_for_their_editors_only(client, world):
    add_meeting(world, title="Draft session", is_public=False)
    assert "Draft session" not in client.get(reverse("meetings:list")).content.decode()
    login(client, world, "staff_a")
    assert "Draft session" in client.get(reverse("meetings:list")).content.decode()


def test_list_search_finds_public_annotation_text(client, world):
    annotate(world, world.meeting, text="Pilot the participatory budget")
    body = client.get(reverse("meetings:list"), {"q": "participatory budget"}).content.decode()
    assert "Board session" in body


# --- The meeting page ------------------------------------------------------------------------


def test_meeting_page_shows_the_record_and_only_consenting_names(client, world):
    meeting = world.meeting
    Participation.objects.create(
        meeting=meeting, count=12, description="students", sector="citizens"
    )
    Attendee.objects.create(meeting=meeting, name="Named Person", consents_to_be_named=True)
    Attendee.objects.create(meeting=meeting, name="Private Person", consents_to_be_named=False)
    body = client.get(meeting.get_absolute_url()).content.decode()
    assert "<strong>Agreed</strong>" in body
    assert "Progress of the plan" in body and "students" in body and ">12<" in body
    assert "Named Person" in body and "Private Person" not in body
    assert reverse("meetings:meeting_calendar", args=[world.plan.slug, meeting.slug]) in body
    assert len(re.findall(r"<h1[ >]", body)) == 1


def test_meeting_of_a_draft_plan_is_not_found(client, world):
    ActionPlan.objects.filter(pk=world.plan.pk).update(status=ActionPlan.Status.DRAFT)
    assert client.get(world.meeting.get_absolute_url()).status_code == 404


def test_anonymous_is_sent_to_sign_in_from_the_forms(client, world):
    for url in (
        reverse("meetings:create", args=[world.plan.slug]),
        reverse("meetings:edit", args=[world.plan.slug, world.meeting.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


# --- Creating and editing a meeting ----------------------------------------------------------


def _new_meeting(world, **fields):
    draft = Meeting(
        plan=world.plan,
        title="Co-creation workshop",
        kind=Meeting.Kind.WORKSHOP,
        start_date=datetime.date(2025, 2, 1),
        organiser=world.institution_a,
    )
    return meeting_form_data(draft, **fields)


def test_staff_create_a_meeting_and_the_history_records_it(client, world):
    login(client, world, "staff_a")
    url = reverse("meetings:create", args=[world.plan.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        _new_meeting(
            world,
            **{
                "agenda-TOTAL_FORMS": 1,
                "agenda-0-order": 1,
                "agenda-0-title_en": "Welcome",
                "agenda-0-duration_minutes": 15,
            },
        ),
    )
    meeting = Meeting.objects.get(title="Co-creation workshop")
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.agenda_items.get().title == "Welcome"
    revision = meeting.revisions.get()
    assert revision.version == 1 and revision.actor == world.users["staff_a"]
    assert ["agenda", "", "Welcome (15 min)"] in revision.changes


def test_htmx_create_redirects_the_browser_to_the_new_meeting(client, world):
    login(client, world, "coordinator")
    response = client.post(
        reverse("meetings:create", args=[world.plan.slug]), _new_meeting(world), **HTMX
    )
    assert response.status_code == 204
    created = Meeting.objects.get(title="Co-creation workshop")
    assert response["HX-Redirect"] == created.get_absolute_url()


@pytest.mark.parametrize("htmx", [False, True], ids=["html", "htmx"])
def test_invalid_meeting_is_answered_422_with_the_errors_in_the_form(client, world, htmx):
    login(client, world, "staff_a")
    soon = (datetime.date.today() + datetime.timedelta(days=5)).isoformat()
    response = client.post(
        reverse("meetings:create", args=[world.plan.slug]),
        _new_meeting(world, title="", start_date=soon, format="in_person"),
        **(HTMX if htmx else {}),
    )
    body = response.content.decode()
    assert response.status_code == 422
    # The title in no language: the error is on the first language's field.
    assert "govuk-error-summary" in body and 'id="id_title_sk_error"' in body
    assert "Say where the meeting takes place." in body  # an upcoming meeting needs a place
    assert ("<html" in body) is not htmx and 'id="meeting-form"' in body
    assert Meeting.objects.count() == 1  # only the world's own meeting


def test_staff_cannot_name_another_institution_as_organiser(client, world):
    login(client, world, "staff_a")
    response = client.post(
        reverse("meetings:create", args=[world.plan.slug]),
        _new_meeting(world, organiser=world.institution_b.pk),
    )
    assert response.status_code == 422
    assert not Meeting.objects.filter(title="Co-creation workshop").exists()


def test_edit_records_each_changed_field_from_and_to(client, world):
    login(client, world, "staff_a")
    meeting = world.meeting
    data = meeting_form_data(meeting, title="Board session, spring", place="Town hall")
    response = client.post(reverse("meetings:edit", args=[world.plan.slug, meeting.slug]), data)
    assert response.status_code == 302
    revision = MeetingRevision.objects.get(meeting=meeting)
    assert revision.version == 2
    # Each language of a text is a field of its own in the history.
    assert ["title_en", "Board session", "Board session, spring"] in revision.changes
    assert ["place_en", "", "Town hall"] in revision.changes
    assert ("Title (English)", "Board session", "Board session, spring") in [
        (str(label), old, new) for label, old, new in revision.entries()
    ]


def test_editors_see_the_history_and_the_public_does_not(client, world):
    login(client, world, "staff_a")
    meeting = world.meeting
    client.post(
        reverse("meetings:edit", args=[world.plan.slug, meeting.slug]),
        meeting_form_data(meeting, title="Renamed session"),
    )
    assert "History of changes" in client.get(meeting.get_absolute_url()).content.decode()
    client.logout()
    assert (
        "History of changes"
        not in client.get(Meeting.objects.get(pk=meeting.pk).get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize("htmx", [False, True], ids=["html", "htmx"])
def test_stale_meeting_edit_is_rejected_with_409_and_both_values(client, world, htmx):
    meeting = world.meeting
    url = reverse("meetings:edit", args=[world.plan.slug, meeting.slug])
    login(client, world, "coordinator")
    assert client.post(url, meeting_form_data(meeting, title="Saved first")).status_code == 302
    login(client, world, "staff_a")
    stale = meeting_form_data(meeting, title="Saved second")  # still version 1
    response = client.post(url, stale, **(HTMX if htmx else {}))
    body = response.content.decode()
    assert response.status_code == 409
    assert "Saved first" in body and "Saved second" in body  # theirs, and the user's input
    assert 'name="version" value="2"' in body
    assert Meeting.objects.get(pk=meeting.pk).title == "Saved first"
    resent = client.post(url, {**stale, "version": 2})
    assert resent.status_code == 302 and Meeting.objects.get(pk=meeting.pk).title == "Saved second"


def test_agenda_items_keep_their_annotations_when_the_agenda_is_edited(client, world):
    meeting = world.meeting
    item = meeting.agenda_items.get()
    note = annotate(world, meeting, agenda_item=item, text="On the first item")
    login(client, world, "coordinator")
    data = meeting_form_data(meeting, **{"agenda-0-title_en": "Progress of the plan (renamed)"})
    client.post(reverse("meetings:edit", args=[world.plan.slug, meeting.slug]), data)
    assert AgendaItem.objects.get(pk=item.pk).title == "Progress of the plan (renamed)"
    assert Annotation.objects.get(pk=note.pk).agenda_item_id == item.pk


# --- Annotations ---------------------------------------------------------------------------------


def _add_url(world):
    return reverse("meetings:add_annotation", args=[world.plan.slug, world.meeting.slug])


def test_board_annotates_an_agenda_item_without_javascript(client, world):
    item = world.meeting.agenda_items.get()
    login(client, world, "board")
    response = client.post(
        _add_url(world),
        {
            "agenda_item": item.pk,
            "kind": "decision",
            "visibility": "public",
            "text": "The forum meets *monthly*.",
        },
    )
    annotation = Annotation.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#annotation-{annotation.pk}")
    page = client.get(world.meeting.get_absolute_url()).content.decode()
    item_html = page.split(f'id="agenda-item-{item.pk}"')[1].split("</li>")[0]
    assert "<em>monthly</em>" in item_html


def test_htmx_add_returns_the_record_with_the_new_annotation(client, world):
    login(client, world, "board")
    response = client.post(
        _add_url(world), {"kind": "note", "visibility": "board", "text": "Ask the council."}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert body.lstrip().startswith('<div id="meeting-record"')
    assert "Ask the council." in body and "Board only" in body
    assert 'name="text"' in body  # a fresh form for the next one


@pytest.mark.parametrize("htmx", [False, True], ids=["html", "htmx"])
def test_invalid_annotation_is_answered_422_in_the_same_fragment(client, world, htmx):
    login(client, world, "board")
    response = client.post(
        _add_url(world),
        {"kind": "follow_up", "visibility": "public", "text": ""},
        **(HTMX if htmx else {}),
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "govuk-error-summary" in body
    assert "Say which institution follows this up." in body
    assert "Give the date by which it is to be done." in body
    assert ('id="meeting-record"' in body) is htmx
    assert not Annotation.objects.exists()


def test_author_edits_and_every_version_is_kept(client, world):
    note = annotate(world, world.meeting, text="First wording")
    login(client, world, "board")
    url = reverse("meetings:edit_annotation", args=[note.pk])
    form = client.get(url, **HTMX).content.decode()
    assert f'id="annotation-{note.pk}"' in form and "First wording" in form
    prefix = f"annotation-{note.pk}"
    response = client.post(
        url,
        {
            f"{prefix}-version": 1,
            f"{prefix}-kind": "note",
            f"{prefix}-visibility": "public",
            f"{prefix}-text": "Second wording",
        },
        **HTMX,
    )
    assert response.status_code == 200 and "Second wording" in response.content.decode()
    texts = list(
        AnnotationRevision.objects.filter(annotation=note)
        .order_by("version")
        .values_list("text", flat=True)
    )
    assert texts == ["First wording", "Second wording"]


@pytest.mark.parametrize("htmx", [False, True], ids=["html", "htmx"])
def test_stale_annotation_edit_is_rejected_with_409(client, world, htmx):
    note = annotate(world, world.meeting, text="First wording")
    login(client, world, "board")
    url = reverse("meetings:edit_annotation", args=[note.pk])
    prefix = f"annotation-{note.pk}"
    data = {f"{prefix}-version": 1, f"{prefix}-kind": "note", f"{prefix}-visibility": "public"}
    assert client.post(url, {**data, f"{prefix}-text": "From the first tab"}).status_code == 302
    response = client.post(
        url, {**data, f"{prefix}-text": "From the second tab"}, **(HTMX if htmx else {})
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "From the first tab" in body and "From the second tab" in body
    assert Annotation.objects.get(pk=note.pk).text == "From the first tab"


@pytest.mark.parametrize("htmx", [False, True], ids=["html", "htmx"])
def test_withdrawn_annotation_shows_as_withdrawn_without_its_text(client, world, htmx):
    note = annotate(world, world.meeting, text="Regrettable wording")
    login(client, world, "board")
    response = client.post(
        reverse("meetings:withdraw_annotation", args=[note.pk]),
        {"version": 1},
        **(HTMX if htmx else {}),
    )
    assert response.status_code == (200 if htmx else 302)
    client.logout()
    page = client.get(world.meeting.get_absolute_url()).content.decode()
    assert "Withdrawn by its author" in page and "Regrettable wording" not in page


def test_withdrawing_someone_elses_annotation_is_forbidden(client, world):
    note = annotate(world, world.meeting, author="coordinator")
    login(client, world, "board")
    response = client.post(reverse("meetings:withdraw_annotation", args=[note.pk]), {"version": 1})
    assert response.status_code == 403
    assert Annotation.objects.get(pk=note.pk).withdrawn_at is None


@pytest.mark.parametrize("version", ["abc", "-1", "99999999999999999999"])
def test_a_button_with_a_tampered_version_is_a_bad_request_and_changes_nothing(
    client, world, version
):
    note = annotate(world, world.meeting, text="Kept")
    login(client, world, "board")
    url = reverse("meetings:withdraw_annotation", args=[note.pk])
    assert client.post(url, {"version": version}).status_code == 400
    assert Annotation.objects.get(pk=note.pk).withdrawn_at is None


def _render(template, request, **context):
    return Template("{% load meetings %}" + template).render(
        Context({"request": request, **context})
    )


def _request_as(user):
    request = RequestFactory().get("/en/my-steps/")
    request.user = user
    return request


def test_follow_up_is_listed_for_the_owner_until_marked_done(client, world):
    follow_up = annotate(world, world.meeting, **follow_up_values(world))
    staff_a, staff_b = world.users["staff_a"], world.users["staff_b"]
    assert "Publish the minutes." in _render("{% follow_ups %}", _request_as(staff_a))
    assert "Publish the minutes." not in _render("{% follow_ups %}", _request_as(staff_b))
    coordinator = _request_as(world.users["coordinator"])
    assert "Publish the minutes." in _render("{% follow_ups plan %}", coordinator, plan=world.plan)
    login(client, world, "staff_a")
    response = client.post(
        reverse("meetings:mark_done", args=[follow_up.pk]), {"version": 1, "next": "/en/my-steps/"}
    )
    assert response.status_code == 302 and response["Location"] == "/en/my-steps/"
    assert Annotation.objects.get(pk=follow_up.pk).done_by == staff_a
    assert "Publish the minutes." not in _render("{% follow_ups %}", _request_as(staff_a))


def test_mark_done_ignores_a_next_address_on_another_site(client, world):
    follow_up = annotate(world, world.meeting, **follow_up_values(world))
    login(client, world, "coordinator")
    response = client.post(
        reverse("meetings:mark_done", args=[follow_up.pk]),
        {"version": 1, "next": "https://evil.example.org/"},
    )
    assert response["Location"].endswith(f"#annotation-{follow_up.pk}")


def test_step_page_tag_shows_annotations_that_reference_the_step(world):
    annotate(world, world.meeting, step=world.step_a, text="Step A is on track")
    annotate(
        world,
        world.meeting,
        step=world.step_a,
        text="Board worry about A",
        visibility=Annotation.Visibility.BOARD,
    )
    tag = "{% step_annotations step %}"
    html = _render(tag, _request_as(world.users["staff_a"]), step=world.step_a)
    assert "Step A is on track" in html and "Board worry about A" not in html
    board = _request_as(world.users["board"])
    assert "Board worry about A" in _render(tag, board, step=world.step_a)
