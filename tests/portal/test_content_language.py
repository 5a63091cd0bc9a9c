"""The demo plan's public pages, read in each language: no text of the other language appears
unmarked. A text shown in the other language (its own is missing) must sit in an element with
that language's `lang`, so that screen readers pronounce it right and the note says so."""

from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from modeltranslation.translator import translator

from actionplan.models import ActionPlan
from meetings.models import Meeting
from monitoring.models import MonitoringReport

pytestmark = pytest.mark.django_db

OTHER = {"sk": "en", "en": "sk"}
# Shorter texts (codes, names such as "Slovakia") read the same in both languages.
MIN_LENGTH = 16
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@pytest.fixture
def demo(db):
    call_command("import_plan", "fixtures/banska-bystrica.yaml", verbosity=0)
    call_command("import_meetings", "fixtures/banska-bystrica-meetings.yaml", verbosity=0)
    call_command("import_meetings", "fixtures/banska-bystrica-responses.yaml", verbosity=0)
    call_command("import_monitoring", "fixtures/banska-bystrica-monitoring.yaml", verbosity=0)


class TextsByLanguage(HTMLParser):
    """The text of the page's body, as (language, text) runs: each element's own `lang` or the
    one it inherits."""

    def __init__(self):
        super().__init__()
        self.stack = []
        self.runs = []
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.in_body = True
        if tag in VOID:
            return
        lang = dict(attrs).get("lang") or (self.stack[-1][1] if self.stack else None)
        self.stack.append((tag, lang))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.in_body and data.strip() and self.stack and self.stack[-1][0] != "script":
            self.runs.append((self.stack[-1][1], " ".join(data.split())))


def foreign_texts(language):
    """Starts of the texts written in the other language that differ from this language's."""
    other = OTHER[language]
    starts = set()
    for model in translator.get_registered_models():
        fields = translator.get_options_for_model(model).fields
        for row in model.objects.values(*(f"{f}_{code}" for f in fields for code in OTHER)):
            for field in fields:
                own, foreign = row[f"{field}_{language}"], row[f"{field}_{other}"]
                if own and foreign and own != foreign:
                    first_line = " ".join(foreign.strip().splitlines()[0].split())
                    if len(first_line) >= MIN_LENGTH:
                        starts.add(first_line[:40])
    return starts


def public_urls():
    urls = [reverse("actionplan:home"), reverse("actionplan:network"), reverse("meetings:list")]
    for plan in ActionPlan.objects.public().prefetch_related("steps", "priorities"):
        slug = plan.slug
        urls += [
            reverse("actionplan:plan", args=[slug]),
            reverse("actionplan:steps", args=[slug]),
            reverse("actionplan:cocreation", args=[slug]),
            reverse("monitoring:body", args=[slug]),
            reverse("actionplan:periods", args=[slug]),
            reverse("meetings:responses", args=[slug]),
        ]
        urls += [
            reverse("actionplan:period", args=[slug, period.number])
            for period in plan.periods.all()
        ]
        urls += [step.get_absolute_url() for step in plan.steps.all()]
        urls += [priority.get_absolute_url() for priority in plan.priorities.all()]
    urls += [meeting.get_absolute_url() for meeting in Meeting.objects.public()]
    urls += [
        reverse("monitoring:report", args=[report.plan.slug, report.pk])
        for report in MonitoringReport.objects.filter(status="published").select_related("plan")
    ]
    return urls


@pytest.mark.parametrize("language", ["sk", "en"])
def test_no_text_of_the_other_language_is_left_unmarked(client, demo, language):
    with translation.override(language):
        foreign = foreign_texts(language)
        urls = public_urls()
        unmarked = []
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            parser = TextsByLanguage()
            parser.feed(response.content.decode())
            for lang, text in parser.runs:
                if lang != OTHER[language]:
                    unmarked += [(url, start) for start in foreign if start in text]
    assert len(urls) > 40 and len(foreign) > 100
    assert unmarked == [], sorted({start for _url, start in unmarked})
