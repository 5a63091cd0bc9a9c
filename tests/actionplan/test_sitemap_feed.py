"""The sitemap lists every public page in both languages; the Atom feed tells the step changes."""

import re
import xml.etree.ElementTree as ET

import pytest

from actionplan.models import ActionStep

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "atom": "http://www.w3.org/2005/Atom",
}


@pytest.fixture
def sitemap(client, city):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {
        url.findtext("sm:loc", namespaces=NS): {
            link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", NS)
        }
        for url in root.findall("sm:url", NS)
    }


PUBLIC_PATHS = [
    "",
    "network/",
    "plans/test-plan/",
    "plans/test-plan/steps/",
    "plans/test-plan/co-creation/",
    "plans/test-plan/periods/",
    "plans/test-plan/responses/",
    "plans/test-plan/priorities/P1/",
    "plans/test-plan/steps/S1/",
    "plans/test-plan/steps/S2/",
    "plans/test-plan/steps/S3/",
    "plans/old-plan/",
    "plans/old-plan/steps/",
    "plans/old-plan/co-creation/",
    "plans/old-plan/periods/",
    "plans/old-plan/responses/",
    "meetings/",
    "plans/test-plan/monitoring/",
    "plans/test-plan/progress-report/",
    "plans/test-plan/open-data/",
    "plans/old-plan/monitoring/",
    "plans/old-plan/progress-report/",
    "plans/old-plan/open-data/",
    "accessibility/",
    "contacts/",
    "cities/test-city/institutions/",
    "cities/test-city/institutions/dept/",
    "cities/test-city/institutions/ngo/",
    "cities/test-city/stakeholders/",
]


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_sitemap_lists_each_public_page_in_both_languages_with_alternates(sitemap, path):
    for language in ["sk", "en"]:
        alternates = sitemap[f"http://testserver/{language}/{path}"]
        assert alternates == {
            "sk": f"http://testserver/sk/{path}",
            "en": f"http://testserver/en/{path}",
            "x-default": f"http://testserver/{path}",
        }


def test_sitemap_leaves_out_draft_plans(sitemap):
    assert not [loc for loc in sitemap if "draft-plan" in loc]
    # Two languages for each public page, nothing else.
    assert len(sitemap) == 2 * len(PUBLIC_PATHS)


@pytest.fixture
def feed(client, city):
    response = client.get("/en/plans/test-plan/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return response.content.decode(), ET.fromstring(response.content)


def test_feed_has_an_entry_per_step_version_newest_first(feed):
    _text, root = feed
    entries = root.findall("atom:entry", NS)
    titles = [entry.findtext("atom:title", namespaces=NS) for entry in entries]

    assert root.findtext("atom:title", namespaces=NS) == "TP 24–26: changes to action steps"
    # S1 was created then changed twice in one update; S2 and S3 were created after.
    assert titles[0] == "S3: step added to the plan"
    assert titles[1] == "S2: step added to the plan"
    assert titles[2] == "S1: milestone “Kick-off” completed on not set → Sept. 2, 2024"
    assert re.fullmatch(
        r"S1: status Not started → In progress; progress 0% → 40%; end date June 30, 2025 → .+",
        titles[3],
    )
    assert titles[4] == "S1: step added to the plan"
    assert len(titles) == 5


def test_feed_entry_links_the_step_version_and_names_the_institution_not_the_person(feed):
    text, root = feed
    entry = root.findall("atom:entry", NS)[3]

    assert entry.find("atom:link", NS).get("href") == (
        "http://testserver/en/plans/test-plan/steps/S1/#version-2"
    )
    assert entry.findtext("atom:author/atom:name", namespaces=NS) == "Department"
    assert "Work sessions started." in entry.findtext("atom:summary", namespaces=NS)
    assert "clerk.jana" not in text


def test_feed_notes_are_text_and_entry_ids_are_absolute(feed):
    """RFC 4287: an id is an absolute IRI; a note marked as text is never read as markup."""
    _text, root = feed
    for entry in root.findall("atom:entry", NS):
        assert entry.findtext("atom:id", namespaces=NS).startswith("http://testserver/en/")
        summary = entry.find("atom:summary", NS)
        assert summary is None or summary.get("type") == "text"


def test_feed_follows_new_changes(client, city):
    ActionStep.objects.filter(code="S3").update(status=ActionStep.Status.COMPLETED, progress=100)

    root = ET.fromstring(client.get("/en/plans/test-plan/feed/").content)

    first = root.find("atom:entry", NS).findtext("atom:title", namespaces=NS)
    assert first == "S3: status Not started → Completed; progress 0% → 100%"


def test_the_kept_sitemap_shows_a_new_step_on_the_next_request(client, city):
    """The sitemap is kept under the data version even with the page cache off: a write moves the
    version on, so the next request renders it again."""
    first = client.get("/sitemap.xml").content
    assert client.get("/sitemap.xml").content == first
    step = ActionStep.objects.filter(plan__slug="test-plan").first()
    ActionStep.objects.filter(pk=step.pk).update(code="S99")
    assert b"/steps/S99/" in client.get("/sitemap.xml").content
