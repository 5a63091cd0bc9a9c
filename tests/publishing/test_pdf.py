"""PDF documents: what they say (read back with pypdf), the as-of state, the cache and the
background rendering."""

import datetime
import io
import re
import signal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from actionplan.history import plan_state_as_of
from actionplan.models import ActionPlan, ActionStep, StepChange
from monitoring.models import Assessment, MonitoringReport
from publishing import delivery, fingerprints, progress, rendering
from publishing.documents import ProgressReport, StepSheet
from publishing.models import RenderedPdf

SLOVAK = "áäčďéíĺľňóôŕšťúýž"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def world(monitoring_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = IMMEDIATE
    world = monitoring_world
    world.plan.title_sk = f"Akčný plán – skúška {SLOVAK}"
    world.plan.save()
    world.priority = world.step_a.priority
    world.priority.title_sk = "Prvá priorita"
    world.priority.save()
    world.step_a.title_sk = f"Krok s diakritikou {SLOVAK}"
    world.step_a.save()
    return world


def get_pdf(client, url, django_capture_on_commit_callbacks, **params):
    """The PDF, from the cache or rendered: the test transaction runs the task when the first
    request's transaction "commits", so a first request answers 202 and the next one has it."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url, params)
    if response.status_code == 202:
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


@pytest.fixture
def run_worker(monkeypatch):
    """Runs the queued tasks the way production does (`manage.py db_worker`) until none is left.

    Between tasks the worker closes connections it finds inside a transaction, as the test's
    connection always is; on PostgreSQL that would end the test, so it is kept open. The worker
    also installs its own signal handlers; they are put back so that Ctrl+C still stops pytest."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    handlers = {sig: signal.getsignal(sig) for sig in signals}

    def run():
        try:
            call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)

    return run


def slovak(message, **values):
    """A message of the interface as a Slovak document shows it (translated once it is)."""
    with translation.override("sk"):
        return translation.gettext(message) % values


def text_of(data):
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def progress_url(plan, language="en"):
    with translation.override(language):
        return reverse("publishing:progress_report_pdf", kwargs={"plan_slug": plan.slug})


def test_the_progress_report_pdf_is_a_tagged_document_with_the_plans_content(
    client, world, django_capture_on_commit_callbacks
):
    Assessment.objects.create(
        step=world.step_b,
        status="published",
        completion="limited",
        narrative="Published assessment words.",
    )
    Assessment.objects.create(step=world.step_a, status="draft", narrative="Draft words.")
    data = get_pdf(client, progress_url(world.plan, "sk"), django_capture_on_commit_callbacks)
    reader, text = text_of(data)
    assert reader.metadata.title == f"{slovak('Progress report')} – TP 24–26"
    assert reader.trailer["/Root"]["/Lang"] == "sk"
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    for expected in (
        "Akčný plán – skúška",
        "P1 Prvá priorita",
        "S-A",
        "S-B",
        SLOVAK,
        "Published assessment words.",
        slovak("Independent monitoring"),
    ):
        assert expected in text, expected
    assert "Draft words." not in text
    assert re.search(r"\d+ / \d+", text)  # page numbers
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    # Every text is in the embedded font, the chart labels too: no fallback font crept in.
    assert fonts and all("Source-Sans-Pro" in name for name in fonts), fonts


def test_a_monitoring_report_and_a_step_sheet_render_as_pdf(
    client, world, django_capture_on_commit_callbacks
):
    report = MonitoringReport.objects.create(
        plan=world.plan,
        kind="final_learning",
        title="Záverečné učenie",
        authors="Katarína Vitálišová",
        status="published",
        what_worked="Dialógy fungovali.",
    )
    url = reverse("publishing:report_pdf", kwargs={"plan_slug": world.plan.slug, "pk": report.pk})
    _reader, text = text_of(get_pdf(client, url, django_capture_on_commit_callbacks))
    assert "Záverečné učenie" in text and "Katarína Vitálišová" in text
    assert "Dialógy fungovali." in text
    url = reverse("publishing:step_sheet_pdf", kwargs={"plan_slug": world.plan.slug, "code": "S-A"})
    _reader, text = text_of(get_pdf(client, url, django_capture_on_commit_callbacks, lang="sk"))
    assert slovak("Action step %(code)s", code="S-A") in text
    assert SLOVAK in text and "First milestone" in text


def backdate(step, day, field, old, new, version):
    """A history row as if written on `day` (the triggers only ever write the present)."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    StepChange.objects.create(
        step=step, version=version, changed_at=moment, field=field, old_value=old, new_value=new
    )


def test_the_as_of_report_shows_the_plan_as_it_stood_that_day(
    client, world, django_capture_on_commit_callbacks
):
    step = world.step_a
    for field, value in (("created", None), ("status", "not_started"), ("progress", "0")):
        backdate(step, datetime.date(2025, 1, 10), field, None, value, 1)
    backdate(step, datetime.date(2025, 3, 1), "status", "not_started", "in_progress", 2)
    backdate(step, datetime.date(2025, 3, 1), "progress", "0", "40", 2)
    ActionStep.objects.filter(pk=step.pk).update(status="completed", progress=100)

    as_of = datetime.date(2025, 2, 1)
    report = progress.plan_progress(world.plan, as_of)
    states = plan_state_as_of(world.plan, as_of)
    assert (
        {s.pk: (s.status, s.progress) for s in report.steps}
        == {pk: (state.status, state.progress) for pk, state in states.items()}
        == {step.pk: ("not_started", 0)}
    )  # S-B did not exist yet
    later = progress.plan_progress(world.plan, datetime.date(2025, 4, 1))
    assert [(s.code, s.status, s.progress) for s in later.steps] == [("S-A", "in_progress", 40)]

    client.force_login(world.users["staff_a"])  # any day, not only month ends: the team
    _reader, text = text_of(
        get_pdf(
            client,
            progress_url(world.plan),
            django_capture_on_commit_callbacks,
            as_of="2025-02-01",
        )
    )
    assert "Feb. 1, 2025" in text and "Not started" in text
    assert "S-B" not in text and "Completed: 1" not in text


def test_an_as_of_day_in_the_future_is_refused(client, world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.get(progress_url(world.plan), {"as_of": tomorrow.isoformat()})
    assert response.status_code == 400
    assert b"not in the future" in response.content


def test_a_repeat_download_comes_from_the_cache_and_a_change_makes_a_new_pdf(
    client, world, django_capture_on_commit_callbacks, monkeypatch
):
    renders = []
    real = rendering.render_pdf
    monkeypatch.setattr(
        rendering, "render_pdf", lambda document: renders.append(1) or real(document)
    )
    url = reverse("publishing:step_sheet_pdf", kwargs={"plan_slug": world.plan.slug, "code": "S-B"})
    first = get_pdf(client, url, django_capture_on_commit_callbacks)
    again = get_pdf(client, url, django_capture_on_commit_callbacks)
    assert first == again and len(renders) == 1
    assert RenderedPdf.objects.get().file.name.startswith("reports/")

    # A change to any record the document shows, even one a bulk update makes, is a new key.
    ActionStep.objects.filter(pk=world.step_b.pk).update(progress=70)
    changed = get_pdf(client, url, django_capture_on_commit_callbacks)
    assert len(renders) == 2 and changed != first
    world.step_b.milestones.update(title="Renamed milestone")
    get_pdf(client, url, django_capture_on_commit_callbacks)
    assert len(renders) == 3
    get_pdf(client, url, django_capture_on_commit_callbacks, lang="sk")  # another language
    assert len(renders) == 4


def test_a_first_request_queues_the_render_and_says_the_pdf_is_being_prepared(
    client, world, settings, django_capture_on_commit_callbacks, run_worker
):
    settings.TASKS = DATABASE
    url = reverse("publishing:step_sheet_pdf", kwargs={"plan_slug": world.plan.slug, "code": "S-A"})
    with django_capture_on_commit_callbacks(execute=True):
        waiting = client.get(url)
    assert waiting.status_code == 202
    assert b'<meta http-equiv="refresh" content="3">' in waiting.content
    assert waiting["Retry-After"] == "3"
    assert DBTaskResult.objects.get().status == "READY"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 202  # asked again: still the same queued render
    assert DBTaskResult.objects.count() == 1

    run_worker()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert get_pdf(client, url, django_capture_on_commit_callbacks).startswith(b"%PDF")


def test_the_queue_holds_one_pending_job_per_document_while_the_data_changes(
    client, world, settings, django_capture_on_commit_callbacks, run_worker
):
    """Each change of the data makes a new key; a loop of edits and requests must still queue
    one render at a time for the document, not one per key."""
    settings.TASKS = DATABASE
    url = reverse("publishing:step_sheet_pdf", kwargs={"plan_slug": world.plan.slug, "code": "S-A"})
    for percent in (10, 20, 30):
        ActionStep.objects.filter(pk=world.step_a.pk).update(progress=percent)
        with django_capture_on_commit_callbacks(execute=True):
            assert client.get(url).status_code == 202
    assert DBTaskResult.objects.count() == 1 and RenderedPdf.objects.count() == 1
    run_worker()  # renders the data of its key, finds it changed, drops the file
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 202  # now the current data is queued
    run_worker()
    assert get_pdf(client, url, django_capture_on_commit_callbacks).startswith(b"%PDF")


def test_a_failed_render_is_reported_and_retried_later(
    client, world, settings, django_capture_on_commit_callbacks, monkeypatch, run_worker
):
    settings.TASKS = DATABASE
    monkeypatch.setattr(rendering, "render_pdf", lambda document: 1 / 0)
    url = reverse("publishing:step_sheet_pdf", kwargs={"plan_slug": world.plan.slug, "code": "S-A"})
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)
    run_worker()
    assert DBTaskResult.objects.get().status == "FAILED"
    response = client.get(url)
    assert response.status_code == 503 and b"could not be prepared" in response.content
    RenderedPdf.objects.update(requested_at=timezone.now() - delivery.RETRY_AFTER * 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 202  # queued again
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_rendering_reads_static_files_from_disk_and_fetches_nothing_else():
    fetcher = rendering.StaticFilesFetcher("https://portal.example/")
    css = fetcher.fetch("https://portal.example/static/build/documents.css")
    assert css.content_type == "text/css" and b"@page" in css.read()
    for url in (
        "https://elsewhere.example/x.css",
        "file:///etc/passwd",
        "https://portal.example/media/secret.pdf",
        "https://portal.example/static/build/fonts/fa-solid-900.woff2",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_the_template_version_changes_when_a_template_does(settings, tmp_path):
    (tmp_path / "a.html").write_text("one")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    before = fingerprints._template_version()
    (tmp_path / "a.html").write_text("two")
    assert fingerprints._template_version() != before


def _words(text):
    """The text with every run of whitespace as one space: pypdf breaks lines where the PDF did."""
    return " ".join(text.split())


def test_the_progress_report_pdf_says_every_step_milestone_and_update(db):
    """What the lean print stylesheet and the stylesheet parsed once must not lose: all the
    report's texts, with page numbers, in the embedded font."""
    call_command("generate_sample_data", plans=1, steps=12, updates=2, seed=3, verbosity=0)
    plan = ActionPlan.objects.select_related("jurisdiction").get()
    reader, text = text_of(rendering.render_pdf(ProgressReport(plan, "en")))
    text = _words(text)
    steps = list(plan.steps.order_by("code"))
    assert len(steps) == 12
    expected = ["Progress report", "Contents", "Summary", "Timeline", "Meetings held"]
    expected += ["Independent monitoring", "Latest updates", "Milestones", "Sample values"]
    for step in steps:
        expected += [f"{step.code} {_words(step.title_en)}", step.get_status_display()]
        expected += [_words(m.title_en) for m in step.milestones.all()]
        expected += [_words(u.note) for u in step.updates.order_by("-created_at")[:3]]
    missing = [words for words in expected if words not in text]
    assert not missing, missing
    assert re.search(r"\b2 / \d+\b", text)  # page numbers in the footer
    fonts = [
        font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()
    ]
    # The text font is embedded (a font file in its descriptor), not merely named.
    for font in fonts:
        if "/DescendantFonts" in font:
            font = font["/DescendantFonts"][0].get_object()
        assert "Source-Sans-Pro" in str(font["/BaseFont"])
        descriptor = font["/FontDescriptor"]
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), descriptor


def test_the_print_stylesheet_is_parsed_once_per_process(world, monkeypatch):
    parsed = []
    real_css = rendering.weasyprint.CSS
    monkeypatch.setattr(
        rendering.weasyprint, "CSS", lambda **kw: parsed.append(kw["url"]) or real_css(**kw)
    )
    monkeypatch.setattr(rendering, "_print_stylesheets", rendering._PrintStylesheets())
    first = rendering.render_pdf(ProgressReport(world.plan, "en"))
    second = rendering.render_pdf(StepSheet(world.plan, "sk", obj=world.step_a))
    assert parsed == [
        "http://localhost/static/build/documents.css",
        "http://localhost/static/build/print.css",
    ]
    # Each document still has its styles: the cover's page without a number, Slovak letters.
    assert "First milestone" in text_of(first)[1]
    assert SLOVAK in text_of(second)[1]


def test_the_pdf_stylesheets_hold_what_the_documents_use_and_not_the_whole_design_system():
    documents, rules = (
        rendering.static_path(relative).read_text() for relative in rendering.PRINT_STYLESHEETS
    )
    site = rendering.static_path("build/portal.css").read_text()
    # The documents' components, the page rules and the font …
    for used in (".govuk-summary-list__key", ".app-status--completed", ".app-timeline__row"):
        assert used in documents, used
    assert "@page" in documents and 'font-family:"Source Sans Pro"' in documents
    # … but none of the site's forms, navigation styles or icon fonts.
    for unused in (".govuk-checkboxes__input", ".app-nav__link", "FontAwesome", ":hover"):
        assert unused in site and unused not in documents, unused
    assert len(documents) < len(site) / 4
    # The print rules are whole, for the browser's print of any page, and only in print.css.
    for rule in (".mon-cover", ".app-no-print{display:none", "body:has(.mon-cover)"):
        assert rule in rules and rule not in site, rule


def test_a_page_prints_with_the_print_stylesheet(client, plan):
    with translation.override("en"):
        html = client.get(reverse("actionplan:plan", kwargs={"plan_slug": plan.slug})).content
    assert b'<link rel="stylesheet" href="/static/build/print.css" media="print">' in html
    assert b"documents.css" not in html  # a browser has the whole design system in portal.css
