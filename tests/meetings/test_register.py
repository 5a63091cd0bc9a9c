"""The register of reasoned responses: what the public sees, how it is counted and filtered, and
that nobody is named without consent."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from meetings import register
from meetings.models import ReasonedResponse
from publishing import opendata

R = ReasonedResponse.Response
DAY = datetime.date(2024, 5, 1)


def entry(plan, text, response=R.ADOPTED, published=True, **extra):
    return ReasonedResponse.objects.create(
        plan=plan,
        source_kind="public",
        received_on=DAY,
        text_en=text,
        response=response,
        reason_en="Because." if response != R.CONSIDERING else "",
        is_published=published,
        **extra,
    )


def test_the_public_sees_published_entries_only_and_their_figures(client, plan, english):
    entry(plan, "More benches")
    entry(plan, "Fewer cars", R.NOT_ADOPTED)
    entry(plan, "A secret draft", published=False)

    page = client.get(f"/en/plans/{plan.slug}/responses/").content.decode()

    assert "More benches" in page and "Fewer cars" in page
    assert "A secret draft" not in page
    figures = register.figures(plan)
    assert (figures.total, figures.adopted, figures.not_adopted) == (2, 1, 1)
    assert "2 inputs received" in client.get(f"/en/plans/{plan.slug}/co-creation/").content.decode()


def test_the_register_filters_by_response_and_words(client, plan, english):
    entry(plan, "More benches")
    entry(plan, "Fewer cars", R.NOT_ADOPTED)

    page = client.get(f"/en/plans/{plan.slug}/responses/?response=not_adopted").content.decode()
    assert "Fewer cars" in page and "More benches" not in page
    page = client.get(f"/en/plans/{plan.slug}/responses/?q=bench").content.decode()
    assert "More benches" in page and "Fewer cars" not in page


def test_a_person_is_named_only_with_consent(plan):
    anonymous = entry(plan, "Input", author_name="")
    assert str(anonymous.source_label()) == "a resident"
    with pytest.raises(ValidationError):
        ReasonedResponse(
            plan=plan, source_kind="public", received_on=DAY, text_en="x", author_name="Jana"
        ).full_clean()
    named = entry(plan, "Input", author_name="Jana", author_consents=True)
    assert named.source_label() == "Jana"


def test_a_response_needs_its_reason(plan):
    with pytest.raises(ValidationError):
        ReasonedResponse(
            plan=plan, source_kind="public", received_on=DAY, text_en="x", response=R.PARTLY
        ).full_clean()


def test_open_data_lists_published_entries_without_names(plan):
    entry(plan, "Published")
    entry(plan, "Draft", published=False)

    rows = opendata.BY_NAME["responses"].records(opendata.published_responses(plan))

    assert [r["text_en"] for r in rows] == ["Published"]
    assert rows[0]["source"] == "a resident" and rows[0]["response"] == "adopted"
