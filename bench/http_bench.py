"""Requests per second of every public page kind, under the production profile.

    uv run python bench/http_bench.py [--duration 10] [--write]

One run: a fresh PostgreSQL database (portal_bench) with the demo data (the Makefile's demo-data
target) and a generated plan of 200 steps; Redis database 5 as the cache; gunicorn with
gunicorn.conf.py, 2 sync workers, DEBUG off, and the bench settings (bench/settings.py), which add
a bare view. Each URL is loaded with `wrk -t2 -c8 -d10s` twice: cold (the page cache off,
PAGE_CACHE_SECONDS=0) and cached (on, after one request filled it).

Every figure is also given as a share of the bare view measured cold in the same run: a view
that returns "ok" through the whole middleware (the page cache off), i.e. the cost of Django
itself on this machine. Shares carry over between machines better than requests per second.
--write puts the table into bench/README.md between the http-bench markers.
"""

import argparse
import datetime
import json
import platform
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import stack

README = Path(__file__).resolve().parent / "README.md"
DATABASE = "portal_bench"
REDIS_URL = "redis://127.0.0.1:6379/5"
PORT = 8765

URLS = """
import json
from django.contrib.staticfiles.storage import staticfiles_storage
from django.urls import reverse
from django.utils import translation
from actionplan.models import ActionPlan, Institution
from meetings.models import Meeting
translation.activate("sk")
from actionplan.models import Jurisdiction
from actionplan.selectors import current_plan
real = current_plan(Jurisdiction.objects.get(slug="banska-bystrica"))
big = ActionPlan.objects.get(jurisdiction__slug="sample-city-1")
step = real.steps.order_by("code").first()
priority = real.priorities.order_by("code").first()
institution = Institution.objects.filter(jurisdiction=real.jurisdiction).order_by("slug").first()
meeting = Meeting.objects.filter(plan=real).public().order_by("-start_date").first()
def plan_url(name, plan, **kw):
    return reverse(name, kwargs={"plan_slug": plan.slug, **kw})
print(json.dumps([
    ("bare Django view returning “ok”", "/bench/ok"),
    ("static CSS through WhiteNoise", staticfiles_storage.url("build/portal.css")),
    ("home", reverse("actionplan:home")),
    ("plan overview, real plan (%d steps)" % real.steps.count(), plan_url("actionplan:plan", real)),
    ("plan overview, 200-step plan", plan_url("actionplan:plan", big)),
    ("steps list, real plan", plan_url("actionplan:steps", real)),
    ("steps list, 200-step plan", plan_url("actionplan:steps", big)),
    ("step page", plan_url("actionplan:step", real, code=step.code)),
    ("priority", plan_url("actionplan:priority", real, code=priority.code)),
    ("institution", reverse("actionplan:institution", kwargs={
        "jurisdiction_slug": real.jurisdiction.slug, "slug": institution.slug})),
    ("meetings list", reverse("meetings:list")),
    ("meeting page", plan_url("meetings:meeting", real, slug=meeting.slug)),
    ("`/sitemap.xml`", reverse("sitemap")),
    ("feed (RSS)", plan_url("actionplan:feed", real)),
    ("open data", plan_url("publishing:open_data", real)),
]))
"""


def measure(processes, env, urls, duration, label):
    base = f"http://127.0.0.1:{PORT}"
    processes.gunicorn(label, env, PORT, workers=2)
    results = {}
    for name, path in urls:
        status, _headers, _body = stack.get(base + path)
        if status != 200:
            raise RuntimeError(f"{path}: {status} before measuring")
        stack.get(base + path)  # the second request is a hit when the page cache is on
        results[name] = stack.wrk(base + path, duration=duration)
        r = results[name]
        stack.log(f"{label:7} {r['rps']:9.1f} req/s  p99 {r['p99_ms']:7.1f} ms  {name}")
    processes.stop(label)
    return results


def _rps(value):
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def _ms(value):
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.0f} ms"


def table(urls, cold, cached):
    bare = cold[urls[0][0]]["rps"]
    lines = [
        "| URL | cold req/s | cold p99 | cold share | cached req/s | cached p99 | cached share |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, _path in urls:
        c, h = cold[name], cached[name]
        lines.append(
            f"| {name} | {_rps(c['rps'])} | {_ms(c['p99_ms'])} | {c['rps'] / bare:.1%} "
            f"| {_rps(h['rps'])} | {_ms(h['p99_ms'])} | {h['rps'] / bare:.1%} |"
        )
    errors = sum(r["errors"] for r in (*cold.values(), *cached.values()))
    requests = sum(r["requests"] for r in (*cold.values(), *cached.values()))
    lines.append("")
    lines.append(f"{requests:,} requests, {errors} errors (non-2xx/3xx or socket errors).")
    return "\n".join(lines).replace("%", " %")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per URL")
    parser.add_argument("--write", action="store_true", help="write the table into README.md")
    parser.add_argument("--keep-data", action="store_true", help="reuse portal_bench as it is")
    parser.add_argument("--only", help="measure only URLs whose name contains this")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, stack.Processes(Path(tmp) / "logs") as processes:
        env = stack.environment(DATABASE, REDIS_URL, Path(tmp) / "media")
        if not args.keep_data:
            stack.fresh_database(DATABASE)
            stack.load_demo_data(env)
        else:
            stack.manage(env, "collectstatic", "--noinput", "-v0")
        urls = stack.django_shell(env, URLS)
        if args.only:
            urls = [urls[0]] + [u for u in urls[1:] if args.only in u[0]]
        stack.flush_redis(REDIS_URL)
        cold = measure(processes, {**env, "PAGE_CACHE_SECONDS": "0"}, urls, args.duration, "cold")
        cached = measure(
            processes, {**env, "PAGE_CACHE_SECONDS": "3600"}, urls, args.duration, "cached"
        )
    result = table(urls, cold, cached)
    print(result)
    print(json.dumps({"cold": cold, "cached": cached}), file=sys.stderr)
    if args.write:
        header = (
            f"Run of {datetime.date.today():%-d %B %Y}: `wrk -t2 -c8 -d{args.duration}s` per URL, "
            f"gunicorn 2 sync workers, DEBUG off, PostgreSQL, Redis cache; "
            f"Python {platform.python_version()}, {_cores()} cores. Shares are of the bare view, "
            "cold, in the same run."
        )
        stack.replace_section(README, "http-bench", f"{header}\n\n{result}")


def _cores():
    import os

    return os.cpu_count()


if __name__ == "__main__":
    main()
