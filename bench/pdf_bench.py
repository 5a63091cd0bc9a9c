"""How long the PDF documents take: cold (rendered) and cached (served from MEDIA_ROOT/reports).

    DEBUG=1 uv run python bench/pdf_bench.py [--repeat 3]

Runs against a throwaway SQLite database and media directory in a temporary folder, loaded with
the demo plans (fixtures/) and a generated plan of 200 steps (generate_sample_data --plans 1
--steps 200 --updates 3 --seed 1). Each figure is the median of --repeat runs of a full request
through the Django test client (data, key, HTML, PDF, storage), with the immediate task backend
so that a cold request includes the render.

Machines differ, so every time is also given as a ratio to a baseline measured in the same run:
rendering a minimal document (base_print.html with an empty body: the fixed cost of the
stylesheet and the embedded font). The README quotes a run of this script.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(workdir):
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["MEDIA_ROOT"] = str(Path(workdir) / "media")
    os.environ["TASKS_BACKEND"] = "immediate"
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.management import call_command

    os.chdir(ROOT)
    call_command("migrate", verbosity=0)
    call_command("import_plan", "fixtures/banska-bystrica.yaml", verbosity=0)
    call_command("import_monitoring", "fixtures/banska-bystrica-monitoring.yaml", verbosity=0)
    call_command("generate_sample_data", plans=1, steps=200, updates=3, seed=1, verbosity=0)


def median_time(action, repeat, before=None):
    times = []
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as workdir:
        setup(workdir)
        import weasyprint
        from django.conf import settings
        from django.template.loader import render_to_string
        from django.test import Client
        from django.urls import reverse
        from django.utils import timezone, translation
        from portal.context_processors import site
        from pypdf import PdfReader

        from actionplan.models import ActionPlan
        from monitoring import pdf
        from monitoring.models import MonitoringReport, RenderedPdf

        settings.ALLOWED_HOSTS = ["*"]
        client = Client()

        def baseline():
            with translation.override("en"):
                html = render_to_string("base_print.html", site(None))
            weasyprint.HTML(
                string=html,
                base_url=pdf.DEFAULT_BASE_URL,
                url_fetcher=pdf.StaticFilesFetcher(pdf.DEFAULT_BASE_URL),
            ).write_pdf(pdf_variant="pdf/ua-1")

        def clear_cache():
            pdf.prune(older_than=timezone.now())
            assert not RenderedPdf.objects.exists()

        real = ActionPlan.objects.get(slug="ap-og-24-26")
        sample = ActionPlan.objects.get(jurisdiction__slug="sample-city-1")
        report = MonitoringReport.objects.filter(status="published").first()
        first_step = real.steps.order_by("order", "code").first()
        with translation.override("en"):
            documents = [
                (
                    f"Progress report, {real.code} ({real.steps.count()} steps)",
                    reverse("publishing:progress_report_pdf", kwargs={"plan_slug": real.slug}),
                ),
                (
                    f"Progress report, generated plan ({sample.steps.count()} steps)",
                    reverse("publishing:progress_report_pdf", kwargs={"plan_slug": sample.slug}),
                ),
                (
                    f"Step sheet, {first_step.code}",
                    reverse(
                        "publishing:step_sheet_pdf",
                        kwargs={"plan_slug": real.slug, "code": first_step.code},
                    ),
                ),
                (
                    f"Monitoring report, {report.get_kind_display()} {report.plan.code}",
                    reverse(
                        "publishing:report_pdf",
                        kwargs={"plan_slug": report.plan.slug, "pk": report.pk},
                    ),
                ),
            ]

        def fetch(url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            body = b"".join(response.streaming_content)
            assert body.startswith(b"%PDF")
            return body

        baseline()  # warm-up: imports, template loading, font decoding
        base = median_time(baseline, args.repeat)
        rows = []
        for label, url in documents:
            fetch(url)  # warm-up
            cold = median_time(lambda url=url: fetch(url), args.repeat, before=clear_cache)
            cached = median_time(lambda url=url: fetch(url), args.repeat)
            pages = len(PdfReader(io.BytesIO(fetch(url))).pages)
            rows.append((label, pages, cold, cached))

        print(f"Baseline (minimal document): {base * 1000:.0f} ms\n")
        print("| Document | Pages | Cold | Cold ÷ baseline | Cached | Cached ÷ baseline |")
        print("|---|---:|---:|---:|---:|---:|")
        for label, pages, cold, cached in rows:
            print(
                f"| {label} | {pages} | {cold:.2f} s | {cold / base:.0f}× | "
                f"{cached * 1000:.0f} ms | {cached / base:.2f}× |"
            )


if __name__ == "__main__":
    main()
