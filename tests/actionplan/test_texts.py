"""The plan's texts in both languages: the coordinators' editor, its history, the completeness
table, and the fallback the public pages show for a text missing in the reader's language."""

import pytest
from django.urls import reverse
from django.utils import translation

from actionplan.models import ActionStep, Priority, TextRevision
from core.models import Provenance
from tests.personas import build_world

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world(plan, jurisdiction, priority):
    return build_world(plan, jurisdiction, priority)


def editor(world, subject, kind="steps"):
    return reverse("staff:edit_texts", args=[world.plan.slug, kind, subject.code])


def form_data(subject, version=0, **changes):
    """What the editor posts when nothing is touched, with `changes` applied."""
    data = {"version": version}
    fields = ("title", "problem", "description", "expected_result")
    if isinstance(subject, Priority):
        fields = ("title", "description")
    for field in fields:
        for code in ("sk", "en"):
            column = f"{field}_{code}"
            data[column] = getattr(subject, column) or ""
            data[f"provenance_{column}"] = subject.provenance_of(field, code)
    for milestone in getattr(subject, "milestones", Priority.objects.none()).all():
        for code in ("sk", "en"):
            column = f"milestone_{milestone.pk}_title_{code}"
            data[column] = getattr(milestone, f"title_{code}") or ""
            data[f"provenance_{column}"] = milestone.provenance_of("title", code)
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("persona", "status"),
    [("coordinator", 200), ("admin", 200), ("staff_a", 403), ("board", 403), ("monitor", 403)],
)
def test_only_the_plans_coordinators_open_the_editor(client, world, persona, status):
    client.force_login(world.users[persona])
    assert client.get(editor(world, world.step_a)).status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(editor(world, world.step_a))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("kind, code", [("steps", "NOPE"), ("milestones", "S-A")])
def test_an_unknown_subject_is_404(client, world, kind, code):
    client.force_login(world.users["coordinator"])
    url = reverse("staff:edit_texts", args=[world.plan.slug, kind, code])
    assert client.get(url).status_code == 404


def test_a_saved_edit_changes_the_texts_records_a_revision_and_shows_on_the_public_page(
    client, world
):
    step = world.step_a
    client.force_login(world.users["coordinator"])
    response = client.post(
        editor(world, step),
        form_data(
            step,
            title_sk="Krok úradu A",
            provenance_title_sk=Provenance.TEAM,
            description_en="<script>alert(1)</script> Plain words.",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == f"{step.get_absolute_url()}#texts"
    step.refresh_from_db()
    assert step.title_sk == "Krok úradu A" and step.provenance == {"title_sk": "team"}
    revision = TextRevision.objects.get(step=step)
    assert revision.version == 1 and revision.actor == world.users["coordinator"]
    assert sorted(name for name, _old, _new in revision.changes) == ["description_en", "title_sk"]

    client.logout()
    with translation.override("sk"):
        page = client.get(step.get_absolute_url()).content.decode()
    assert "Krok úradu A" in page
    assert "<script>alert(1)</script>" not in page
    assert "1 úprava týchto textov" in page or "edit of these texts" in page
    # The public history says when and what, not who.
    assert "coordinator" not in page.split('id="texts"')[1].split("</section>")[0]


def test_a_milestone_title_is_edited_with_its_step(client, world):
    step = world.step_a
    milestone = step.milestones.get()
    client.force_login(world.users["coordinator"])
    data = form_data(step, **{f"milestone_{milestone.pk}_title_sk": "Prvý míľnik"})
    assert client.post(editor(world, step), data).status_code == 302
    milestone.refresh_from_db()
    assert milestone.title_sk == "Prvý míľnik"
    assert TextRevision.objects.get(step=step).changes == [
        [f"milestone:{milestone.order}:title_sk", "", "Prvý míľnik"]
    ]


@pytest.mark.parametrize("htmx", [False, True], ids=["html", "htmx"])
def test_a_title_in_no_language_is_refused_with_422_and_nothing_changes(client, world, htmx):
    step = world.step_a
    client.force_login(world.users["coordinator"])
    response = client.post(
        editor(world, step), form_data(step, title_sk="", title_en=""), **(HTMX if htmx else {})
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "Give the title in at least one language." in body
    assert ("<html" in body) is not htmx and 'id="texts-form"' in body
    step.refresh_from_db()
    assert step.title_en == "Step of Office A" and not TextRevision.objects.exists()


def test_an_unknown_provenance_is_refused(client, world):
    client.force_login(world.users["coordinator"])
    data = form_data(world.step_a, provenance_title_en="guessed")
    assert client.post(editor(world, world.step_a), data).status_code == 422
    assert not TextRevision.objects.exists()


def test_saving_nothing_new_says_so(client, world):
    client.force_login(world.users["coordinator"])
    response = client.post(editor(world, world.step_a), form_data(world.step_a))
    assert response.status_code == 422
    assert "Nothing changed" in response.content.decode()


def test_a_stale_edit_is_409_shows_both_versions_and_saves_nothing(client, world):
    step = world.step_a
    client.force_login(world.users["coordinator"])
    first = form_data(step, title_sk="Prvá verzia")
    second = form_data(step, title_sk="Druhá verzia")  # opened at the same version, 0
    assert client.post(editor(world, step), first).status_code == 302

    response = client.post(editor(world, step), second, **HTMX)

    body = response.content.decode()
    assert response.status_code == 409
    assert "Prvá verzia" in body and "Druhá verzia" in body
    assert 'name="version" value="1"' in body  # saving again applies the input over theirs
    step.refresh_from_db()
    assert step.title_sk == "Prvá verzia" and TextRevision.objects.count() == 1


def test_a_priority_has_the_same_editor(client, world, priority):
    client.force_login(world.users["coordinator"])
    data = form_data(priority, title_sk="Prvá priorita")
    response = client.post(editor(world, priority, "priorities"), data)
    assert response.status_code == 302
    assert TextRevision.objects.get(priority=priority).changes == [
        ["title_sk", "", "Prvá priorita"]
    ]


def test_completeness_counts_each_language_and_links_the_missing_texts(client, world, priority):
    ActionStep.objects.filter(pk=world.step_a.pk).update(title_sk="Krok A")
    client.force_login(world.users["coordinator"])

    response = client.get(reverse("staff:translations", args=[world.plan.slug]))

    assert response.status_code == 200
    rows = {str(row.kind.label): row for row in response.context["kinds"]}
    steps = rows["Action steps"]
    assert steps.total == 2 and steps.written == {"sk": 1, "en": 2}
    assert [(name, language) for name, _label, language, _url in steps.missing] == [
        ("S-B Step of Office B", "Slovak")
    ]
    body = response.content.decode()
    assert editor(world, world.step_b) in body
    assert rows["Priorities"].written == {"sk": 0, "en": 1}


@pytest.mark.parametrize("persona, status", [("staff_a", 403), ("board", 403)])
def test_completeness_is_for_coordinators(client, world, persona, status):
    client.force_login(world.users[persona])
    url = reverse("staff:translations", args=[world.plan.slug])
    assert client.get(url).status_code == status


def test_a_missing_slovak_title_shows_the_english_one_marked_and_never_an_empty_heading(
    client, world
):
    with translation.override("sk"):
        page = client.get(world.step_a.get_absolute_url()).content.decode()
    heading = page.split('<h1 class="govuk-heading-l">')[1].split("</h1>")[0]
    assert '<span lang="en">Step of Office A</span>' in heading
    assert "zatiaľ nie je po slovensky" in heading or "app-fallback" in heading
