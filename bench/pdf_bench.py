"""How long the PDF documents take: cold (rendered) and cached (served from MEDIA_ROOT/reports).

    DEBUG=1 uv run python bench/pdf_bench.py [--repeat 3] [--against translations]

Runs against a throwaway SQLite database and media directory in a temporary folder, loaded with
the demo plans (fixtures/) and a generated plan of 200 steps (generate_sample_data --plans 1
--steps 200 --updates 3 --seed 1). Each figure is the median of --repeat runs of a full request
through the Django test client (data, key, HTML, PDF, storage), with the immediate task backend
so that a cold request includes the render.

Machines differ, so every time is also given as a ratio to a baseline measured in the same run:
rendering a minimal document (base_print.html with an empty body: the fixed cost of the
stylesheet and the embedded font). The README quotes a run of this script.

With --against REV the same measurements are made, in the same run, on a git worktree of REV
(checked out in the temporary folder, its stylesheets built with this checkout's node_modules):
each tree is measured by its own long-lived worker process, and the two workers take turns
measurement by measurement, so that a busy moment of a shared machine falls on both alike.
The table then compares the two (REV first, this checkout second).

--pdf-dir DIR also writes each document once per tree into DIR/<tree>/ (for comparing page
images, e.g. with `pdftoppm -png -r 60`).
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What is measured, in the order the table shows it.
DOCUMENTS = ("real-progress", "sample-progress", "step-sheet", "monitoring-report")


# --- The worker: runs inside one tree (its code, templates and static/build) ---------------------


def setup(workdir):
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["MEDIA_ROOT"] = str(Path(workdir) / "media")
    os.environ["TASKS_BACKEND"] = "immediate"
    os.environ.setdefault("DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("import_plan", "fixtures/banska-bystrica.yaml", verbosity=0)
    call_command("import_monitoring", "fixtures/banska-bystrica-monitoring.yaml", verbosity=0)
    call_command("generate_sample_data", plans=1, steps=200, updates=3, seed=1, verbosity=0)


class Worker:
    """Measures one tree's documents; the driver asks for one measurement at a time."""

    def __init__(self):
        from django.conf import settings
        from django.test import Client
        from django.urls import reverse
        from django.utils import translation

        from actionplan.models import ActionPlan
        from monitoring.models import MonitoringReport

        settings.ALLOWED_HOSTS = ["*"]
        self.client = Client()
        real = ActionPlan.objects.get(slug="ap-og-24-26")
        sample = ActionPlan.objects.get(jurisdiction__slug="sample-city-1")
        report = MonitoringReport.objects.filter(status="published").order_by("pk").first()
        first_step = real.steps.order_by("order", "code").first()
        with translation.override("en"):
            self.urls = {
                "real-progress": reverse(
                    "publishing:progress_report_pdf", kwargs={"plan_slug": real.slug}
                ),
                "sample-progress": reverse(
                    "publishing:progress_report_pdf", kwargs={"plan_slug": sample.slug}
                ),
                "step-sheet": reverse(
                    "publishing:step_sheet_pdf",
                    kwargs={"plan_slug": real.slug, "code": first_step.code},
                ),
                "monitoring-report": reverse(
                    "publishing:report_pdf",
                    kwargs={"plan_slug": report.plan.slug, "pk": report.pk},
                ),
            }
        with translation.override("en"):
            self.labels = {
                "real-progress": f"Progress report, {real.code} ({real.steps.count()} steps)",
                "sample-progress": "Progress report, generated plan "
                f"({sample.steps.count()} steps)",
                "step-sheet": f"Step sheet, {first_step.code}",
                "monitoring-report": f"Monitoring report, {report.get_kind_display()} "
                f"{report.plan.code}",
            }

    def baseline(self):
        """The minimal document, rendered the way the documents are."""
        from django.template.loader import render_to_string
        from django.utils import translation

        from core.context_processors import site
        from publishing import rendering
        from publishing.documents import DEFAULT_BASE_URL

        with translation.override("en"):
            html = render_to_string("base_print.html", site(None))
        if hasattr(rendering, "write_pdf"):  # this branch: the stylesheet parsed once
            return rendering.write_pdf(html, DEFAULT_BASE_URL)
        import weasyprint

        return weasyprint.HTML(
            string=html,
            base_url=DEFAULT_BASE_URL,
            url_fetcher=rendering.StaticFilesFetcher(DEFAULT_BASE_URL),
        ).write_pdf(pdf_variant="pdf/ua-1")

    def parse_stylesheet(self):
        """Parsing the PDFs' stylesheets alone (with their font): what a process pays once."""
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        from publishing import rendering
        from publishing.documents import DEFAULT_BASE_URL

        font_config = FontConfiguration()
        for relative in getattr(rendering, "PRINT_STYLESHEETS", ["build/print.css"]):
            weasyprint.CSS(
                url=f"{DEFAULT_BASE_URL}static/{relative}",
                url_fetcher=rendering.StaticFilesFetcher(DEFAULT_BASE_URL),
                font_config=font_config,
            )

    def fetch(self, name):
        response = self.client.get(self.urls[name])
        assert response.status_code == 200, (name, response.status_code)
        body = b"".join(response.streaming_content)
        assert body.startswith(b"%PDF")
        return body

    def clear_cache(self):
        from django.utils import timezone

        from publishing import delivery
        from publishing.models import RenderedPdf

        delivery.prune(older_than=timezone.now())
        assert not RenderedPdf.objects.exists()

    def measure(self, what):
        """One timing, (wall, CPU) seconds: "baseline", "stylesheet", "cold:<doc>" or
        "cached:<doc>". The CPU time is this process's: on a shared machine it moves far less
        than the wall-clock time, which includes waiting for a core."""
        kind, _, name = what.partition(":")
        if kind == "cold":
            self.clear_cache()
        action = {
            "baseline": self.baseline,
            "stylesheet": self.parse_stylesheet,
            "cold": lambda: self.fetch(name),
            "cached": lambda: self.fetch(name),
        }[kind]
        started, cpu = time.perf_counter(), time.process_time()
        action()
        return time.perf_counter() - started, time.process_time() - cpu

    def info(self, pdf_dir=None):
        from pypdf import PdfReader

        pages = {}
        for name in DOCUMENTS:
            body = self.fetch(name)
            pages[name] = len(PdfReader(io.BytesIO(body)).pages)
            if pdf_dir:
                Path(pdf_dir).mkdir(parents=True, exist_ok=True)
                (Path(pdf_dir) / f"{name}.pdf").write_bytes(body)
        if pdf_dir:
            (Path(pdf_dir) / "empty.pdf").write_bytes(self.baseline())
        return {"pages": pages, "labels": self.labels}


def serve(tree):
    """The worker's loop: one JSON request a line on stdin, one JSON answer a line on stdout."""
    os.chdir(tree)
    sys.path.insert(0, str(tree))
    out = sys.stdout
    sys.stdout = sys.stderr  # whatever the app prints must not garble the answers
    with tempfile.TemporaryDirectory() as workdir:
        setup(workdir)
        worker = Worker()
        worker.baseline()  # warm-up: imports, template loading, font decoding
        for name in DOCUMENTS:
            worker.fetch(name)
        out.write(json.dumps({"ready": True}) + "\n")
        out.flush()
        for line in sys.stdin:
            request = json.loads(line)
            if "measure" in request:
                answer = dict(zip(("wall", "cpu"), worker.measure(request["measure"]), strict=True))
            else:
                answer = worker.info(request.get("pdf_dir"))
            out.write(json.dumps(answer) + "\n")
            out.flush()


# --- The driver ----------------------------------------------------------------------------------


class Tree:
    """A long-lived worker process measuring one checkout."""

    def __init__(self, name, path):
        self.name = name
        self.path = path
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--worker", str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, request):
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return self.read()

    def read(self):
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the worker for {self.name} ended; see its errors above")
        return json.loads(line)

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def checkout(rev, workdir):
    """A worktree of REV with its stylesheets built and its messages compiled."""
    path = Path(workdir) / "baseline"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(path), rev],
        check=True,
    )
    (path / "node_modules").symlink_to(ROOT / "node_modules")
    subprocess.run(["node", "static/src/build.mjs"], cwd=path, check=True)
    subprocess.run(
        [sys.executable, "manage.py", "compilemessages", "-v0", "--ignore=node_modules"],
        cwd=path,
        check=True,
        env={**os.environ, "DEBUG": "1"},
    )
    return path


def remove_checkout(path):
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)], check=False
    )


def seconds(value):
    return f"{value:.2f} s" if value >= 1 else f"{value * 1000:.0f} ms"


def table(trees, times, info, repeat):
    """The Markdown table: one tree alone, or the baseline revision against this checkout."""
    median = {key: statistics.median(values) for key, values in times.items()}
    this = trees[-1]
    rows = [("Minimal document (the baseline)", "baseline", None)]
    rows.append(("Parsing the stylesheets alone (once per process)", "stylesheet", None))
    rows += [(f"{info[this.name]['labels'][n]}, cold", f"cold:{n}", n) for n in DOCUMENTS]
    rows += [(f"{info[this.name]['labels'][n]}, cached", f"cached:{n}", n) for n in DOCUMENTS]
    lines = [
        f"Medians of {repeat} runs; wall-clock time, and the CPU time of the measuring process."
    ]
    if len(trees) == 1:
        lines.append("")
        lines.append("| Measurement | Pages | Wall | CPU | CPU ÷ baseline's CPU |")
        lines.append("|---|---:|---:|---:|---:|")
        base = median[this, "baseline", "cpu"]
        for label, what, name in rows:
            wall, cpu = median[this, what, "wall"], median[this, what, "cpu"]
            pages = info[this.name]["pages"][name] if name else ""
            lines.append(
                f"| {label} | {pages} | {seconds(wall)} | {seconds(cpu)} | {cpu / base:.2f}× |"
            )
        return "\n".join(lines)
    old = trees[0]
    lines.append("")
    lines.append(
        f"| Measurement | Pages | Wall, {old.name} | Wall, {this.name} | CPU, {old.name} "
        f"| CPU, {this.name} | CPU {this.name} ÷ {old.name} | Speed-up (CPU) |"
    )
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, what, name in rows:
        before, after = median[old, what, "cpu"], median[this, what, "cpu"]
        pages = ""
        if name:
            pages = f"{info[old.name]['pages'][name]} → {info[this.name]['pages'][name]}"
        lines.append(
            f"| {label} | {pages} | {seconds(median[old, what, 'wall'])} "
            f"| {seconds(median[this, what, 'wall'])} | {seconds(before)} | {seconds(after)} "
            f"| {after / before:.0%} | {before / after:.1f}× |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--against", metavar="REV", help="also measure this git revision")
    parser.add_argument("--pdf-dir", type=Path, help="write each tree's documents here")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return serve(Path(args.worker))

    with tempfile.TemporaryDirectory() as workdir:
        baseline_path = checkout(args.against, workdir) if args.against else None
        trees = []
        try:
            if baseline_path:
                trees.append(Tree(args.against, baseline_path))
            trees.append(Tree("this checkout" if args.against else "this", ROOT))
            for tree in trees:
                tree.read()  # ready: data loaded, every document rendered once
            info = {
                tree.name: tree.ask(
                    {"pdf_dir": str(args.pdf_dir / tree.name.replace(" ", "-"))}
                    if args.pdf_dir
                    else {}
                )
                for tree in trees
            }
            measurements = ["baseline", "stylesheet"]
            measurements += [f"{kind}:{name}" for name in DOCUMENTS for kind in ("cold", "cached")]
            times = {}
            for _ in range(args.repeat):
                for what in measurements:
                    for tree in trees:  # taking turns
                        result = tree.ask({"measure": what})
                        for clock in ("wall", "cpu"):
                            times.setdefault((tree, what, clock), []).append(result[clock])
            for tree in trees:
                tree.close()
        finally:
            for tree in trees:
                if tree.process.poll() is None:
                    tree.process.kill()
            if baseline_path:
                remove_checkout(baseline_path)
        print(table(trees, times, info, args.repeat))


if __name__ == "__main__":
    main()
