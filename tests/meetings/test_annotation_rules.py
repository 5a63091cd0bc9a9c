"""Annotations: who reads one is always chosen, never defaulted; an author who leaves the board
loses the right to change their notes; a text that sanitising would leave empty is refused."""

import re

import pytest
from django.urls import reverse

from actionplan.models import PlanRole, Role
from meetings.admin import AnnotationAdminForm
from meetings.models import Annotation
from tests.meetings.factories import add_meeting, annotate

HTMX = {"HTTP_HX_REQUEST": "true"}
EMPTY_ONCE_SANITISED = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "[](javascript:alert(1))",
    "<style>body{display:none}</style>\n\n<iframe src='https://example.org'></iframe>",
    "&nbsp;",
]


@pytest.fixture
def world(meetings_world):
    meetings_world.meeting = add_meeting(meetings_world)
    return meetings_world


def add_url(world):
    return reverse("meetings:add_annotation", args=[world.plan.slug, world.meeting.slug])


def visibility_radios(html):
    return re.findall(r'<input[^>]*name="[^"]*visibility"[^>]*>', html)


def test_the_form_of_a_new_annotation_has_no_visibility_chosen(client, world):
    client.force_login(world.users["board"])
    for url in (add_url(world), world.meeting.get_absolute_url()):
        radios = visibility_radios(client.get(url).content.decode())
        assert len(radios) == 2
        assert not any("checked" in radio for radio in radios)


@pytest.mark.parametrize("htmx", [False, True], ids=["html", "htmx"])
def test_an_annotation_without_a_chosen_visibility_is_refused_with_422(client, world, htmx):
    client.force_login(world.users["board"])
    response = client.post(
        add_url(world), {"kind": "note", "text": "Confidential?"}, **(HTMX if htmx else {})
    )
    assert response.status_code == 422
    assert "Choose who can read the annotation" in response.content.decode()
    assert not Annotation.objects.exists()


def test_editing_keeps_the_visibility_chosen_before(client, world):
    note = annotate(world, world.meeting, visibility=Annotation.Visibility.BOARD)
    client.force_login(world.users["board"])
    form = client.get(reverse("meetings:edit_annotation", args=[note.pk]), **HTMX)
    checked = [r for r in visibility_radios(form.content.decode()) if "checked" in r]
    assert len(checked) == 1 and 'value="board"' in checked[0]


def test_the_admin_asks_for_the_visibility_too(world):
    form = AnnotationAdminForm(
        {"meeting": world.meeting.pk, "kind": "note", "text": "From the admin"}
    )
    assert not form.is_valid()
    assert "visibility" in form.errors
    assert form.fields["visibility"].initial is None


@pytest.mark.parametrize("text", EMPTY_ONCE_SANITISED)
def test_a_text_that_sanitising_empties_is_refused_with_a_message(client, world, text):
    client.force_login(world.users["board"])
    response = client.post(add_url(world), {"kind": "note", "visibility": "public", "text": text})
    assert response.status_code == 422
    assert "Nothing of this text would be shown" in response.content.decode()
    assert not Annotation.objects.exists()
    form = AnnotationAdminForm(
        {"meeting": world.meeting.pk, "kind": "note", "visibility": "public", "text": text}
    )
    assert "text" in form.errors


def test_an_edit_that_sanitising_empties_is_refused(client, world):
    note = annotate(world, world.meeting, text="Readable")
    client.force_login(world.users["board"])
    prefix = f"annotation-{note.pk}"
    data = {
        f"{prefix}-version": 1,
        f"{prefix}-kind": "note",
        f"{prefix}-visibility": "public",
        f"{prefix}-text": "<script>alert(1)</script>",
    }
    response = client.post(reverse("meetings:edit_annotation", args=[note.pk]), data)
    assert response.status_code == 422
    assert Annotation.objects.get(pk=note.pk).text == "Readable"


def test_text_with_something_left_to_show_is_kept(client, world):
    client.force_login(world.users["board"])
    data = {"kind": "note", "visibility": "public", "text": "<script>x</script> Still *this*."}
    assert client.post(add_url(world), data).status_code == 302


def test_a_former_board_member_can_no_longer_edit_or_withdraw(client, world):
    note = annotate(world, world.meeting, text="Written while on the board")
    board = world.users["board"]
    PlanRole.objects.filter(user=board, role=Role.BOARD).delete()
    client.force_login(board)
    edit = reverse("meetings:edit_annotation", args=[note.pk])
    assert client.get(edit).status_code == 403
    prefix = f"annotation-{note.pk}"
    data = {
        f"{prefix}-version": 1,
        f"{prefix}-kind": "note",
        f"{prefix}-visibility": "board",
        f"{prefix}-text": "Changed after leaving",
    }
    assert client.post(edit, data).status_code == 403
    withdraw = reverse("meetings:withdraw_annotation", args=[note.pk])
    assert client.post(withdraw, {"version": 1}).status_code == 403
    note.refresh_from_db()
    assert (note.text, note.withdrawn_at) == ("Written while on the board", None)
    page = client.get(world.meeting.get_absolute_url()).content.decode()
    assert edit not in page and withdraw not in page


def test_a_board_member_still_on_the_board_keeps_the_right(client, world):
    note = annotate(world, world.meeting)
    client.force_login(world.users["board"])
    assert client.get(reverse("meetings:edit_annotation", args=[note.pk])).status_code == 200
