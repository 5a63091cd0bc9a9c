"""Faults under load: PostgreSQL restarted, the PDF worker killed in the middle of a render.

    uv run python bench/fault.py [--restart-postgresql] [--seconds 60] [--write]

The production profile (gunicorn, 2 sync workers, DEBUG off, Redis cache, the page cache off so
that every request reads the database) on a fresh database portal_fault with the demo data.

1. Database outage during `--seconds` of load: four visitors read public pages and /healthz
   without pause, and a coordinator saves a step update about twice a second. After a quarter of
   the time the database goes away: with --restart-postgresql the whole server is restarted
   (`pg_ctlcluster 15 main restart`; this interrupts every other user of the server), otherwise
   only this database is cut off for 5 s (its connections terminated and new ones refused), which
   leaves other users of the server alone. Reported: requests, errors, when the errors happened
   relative to the outage, how long after the database was back the first request succeeded,
   and every edit checked in the database: each one saved whole (its update row and the changes
   its versions recorded) or not at all.
2. Worker killed: a progress report is queued, the worker is killed (SIGKILL) while it renders,
   and started again as deploy/portal-worker.service does (recover_tasks, then db_worker). The
   job must be closed as lost and the PDF rendered by the new worker; reported: time from the
   kill to the PDF.

No step depends on the machine's speed; --write puts the figures into bench/README.md.
"""

import argparse
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import stack

DATABASE = "portal_fault"
REDIS_URL = "redis://127.0.0.1:6379/7"
PORT = 8781
README = Path(__file__).resolve().parent / "README.md"
IDS = """
import json
from actionplan.models import Jurisdiction
from actionplan.selectors import current_plan
plan = current_plan(Jurisdiction.objects.get(slug="banska-bystrica"))
step = plan.steps.order_by("code").first()
print(json.dumps({"plan": plan.slug, "step": step.code}))
"""
EDITS = """
import json
from actionplan.models import StepChange, StepUpdate
result = []
for update in StepUpdate.objects.filter(note__startswith="fault-edit-"):
    versions = range(update.from_version + 1, update.to_version + 1)
    changed = {c.version for c in StepChange.objects.filter(step=update.step, version__in=versions)}
    result.append([update.note, update.to_version - update.from_version, len(changed)])
print(json.dumps(result))
"""


def _psql(query):
    return subprocess.run(
        ["psql", *stack.PG, "-d", DATABASE, "-Atc", query],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def cut_off_database(seconds):
    """This database only: refuse new connections, end the open ones, wait, allow again."""

    def sql(statement):
        subprocess.run(["psql", *stack.PG, "-q", "-d", "postgres", "-c", statement], check=True)

    sql(f"ALTER DATABASE {DATABASE} ALLOW_CONNECTIONS false")
    sql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{DATABASE}'")
    time.sleep(seconds)
    sql(f"ALTER DATABASE {DATABASE} ALLOW_CONNECTIONS true")


def restart_postgresql():
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    subprocess.run(["pg_ctlcluster", version, "main", "restart"], check=True)


class Load:
    """Visitors and an editor, each a thread, recording (time, ok, what) for every request."""

    def __init__(self, base, ids):
        self.base, self.ids = base, ids
        self.records, self.edits = [], []
        self.run_id = f"{time.time():.0f}"  # notes of this run only, even on a reused database
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def record(self, ok, what):
        with self.lock:
            self.records.append((time.monotonic(), ok, what))

    def visitor(self, paths):
        n = 0
        while not self.stop.is_set():
            path = paths[n % len(paths)]
            n += 1
            try:
                status = stack.get(self.base + path, timeout=10)[0]
            except OSError:
                status = None
            self.record(status == 200, status)

    def editor(self):
        browser = stack.Browser()
        url = f"{self.base}/en/plans/{self.ids['plan']}/steps/{self.ids['step']}/update/"
        signed_in = False
        n = 0
        while not self.stop.is_set():
            n += 1
            note = f"fault-edit-{self.run_id}-{n}"
            try:
                if not signed_in:
                    login = f"{self.base}/en/accounts/login/"
                    signed_in = browser.submit(
                        login, {"username": "coordinator", "password": "demo"}
                    )[0] in (302, 303)
                    continue
                fields = browser.form(url)
                fields.update(progress=str(n % 100), note=note)
                status = browser.request(url, fields)[0]
            except (OSError, RuntimeError):
                status = None
            saved = status in (302, 303)
            self.edits.append((note, saved))
            self.record(saved, f"edit {status}")
            time.sleep(0.5)

    def run(self, seconds, fault, fault_at):
        step = f"/en/plans/{self.ids['plan']}/steps/{self.ids['step']}/"
        paths = [step, f"/en/plans/{self.ids['plan']}/", "/healthz", "/en/"]
        threads = [threading.Thread(target=self.visitor, args=(paths,)) for _ in range(4)]
        threads.append(threading.Thread(target=self.editor))
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(fault_at)
        fault_start = time.monotonic()
        fault()
        fault_end = time.monotonic()
        time.sleep(max(0, seconds - (fault_end - started)))
        self.stop.set()
        for thread in threads:
            thread.join()
        return started, fault_start, fault_end


def database_fault(processes, env, ids, seconds, restart):
    processes.gunicorn("gunicorn", env, PORT, workers=2)
    load = Load(f"http://127.0.0.1:{PORT}", ids)
    fault = restart_postgresql if restart else (lambda: cut_off_database(5))
    stack.log(f"{seconds} s of load; the database goes away after {seconds // 4} s")
    _started, fault_start, fault_end = load.run(seconds, fault, seconds // 4)
    errors = [t for t, ok, _what in load.records if not ok]
    kinds = Counter(str(what) for _t, ok, what in load.records if not ok)
    after = [t for t, ok, _what in load.records if ok and t > fault_end]
    edits = stack.django_shell(env, EDITS.replace("fault-edit-", f"fault-edit-{load.run_id}-"))
    saved = {note for note, ok in load.edits if ok}
    stored = {note: (versions, changed) for note, versions, changed in edits}
    half = [n for n, (versions, changed) in stored.items() if versions < 1 or changed != versions]
    processes.stop("gunicorn")
    return {
        "kind": "PostgreSQL restarted" if restart else "database cut off for 5 s",
        "requests": len(load.records),
        "errors": len(errors),
        "error_kinds": dict(kinds),
        "outage_s": fault_end - fault_start,
        "errors_from_s": (min(errors) - fault_start) if errors else None,
        "errors_until_s": (max(errors) - fault_end) if errors else None,
        "recovered_after_s": (min(after) - fault_end) if after else None,
        "edits_tried": len(load.edits),
        "edits_saved": len(saved),
        "edits_stored": len(stored),
        "edits_saved_but_missing": len(saved - set(stored)),
        "edits_half_written": len(half),
    }


def worker_fault(processes, env, ids):
    processes.gunicorn("gunicorn", env, PORT, workers=2)
    base = f"http://127.0.0.1:{PORT}"
    url = f"{base}/en/plans/{ids['plan']}/progress-report/pdf/"
    processes.worker("worker-1", env)
    status = stack.get(url)[0]
    state = """
import json
from publishing.models import RenderedPdf
from django_tasks_db.models import DBTaskResult
print(json.dumps([list(RenderedPdf.objects.values_list("status", flat=True)),
                  list(DBTaskResult.objects.values_list("status", "exception_class_path"))]))
"""
    # psql rather than a Django shell: it answers in milliseconds, well inside the render.
    deadline, rendering = time.monotonic() + 60, False
    while time.monotonic() < deadline and not rendering:
        rendering = "rendering" in _psql("SELECT status FROM monitoring_renderedpdf")
    time.sleep(0.3)  # well inside the render
    processes.stop("worker-1", sig=signal.SIGKILL)
    killed = time.monotonic()
    stuck = stack.django_shell(env, state)
    stack.log(f"worker killed; PDF rows {stuck[0]}, jobs {stuck[1]}")
    # Started again as deploy/portal-worker.service does it.
    stack.manage(env, "recover_tasks", "--worker-id", "worker-1")
    processes.worker("worker-1", env)
    status = None
    while time.monotonic() < killed + 180:
        status = stack.get(url)[0]
        if status == 200:
            break
        time.sleep(0.5)
    after = stack.django_shell(env, state)
    processes.stop("worker-1")
    processes.stop("gunicorn")
    return {
        "killed_mid_render": rendering and "rendering" in str(stuck[0]),
        "first_status": status,
        "stuck_before_recovery": stuck,
        "after": after,
        "pdf_after_kill_s": time.monotonic() - killed if status == 200 else None,
        "served": status == 200,
    }


def _relative(seconds):
    if seconds is None:
        return "–"
    return f"{abs(seconds):.1f} s {'after' if seconds >= 0 else 'before'} it was back"


def report(db):
    def s(value):
        return "–" if value is None else f"{value:.1f} s"

    return "\n".join(
        [
            f"**{db['kind']}** during load: {db['requests']:,} requests, {db['errors']} errors "
            f"({', '.join(f'{n}× {kind}' for kind, n in db['error_kinds'].items())}); "
            f"the database was away for {s(db['outage_s'])}; the first error came "
            f"{s(db['errors_from_s'])} after it went, the last {_relative(db['errors_until_s'])}, "
            f"and the first success {s(db['recovered_after_s'])} after it was back (the app "
            "servers were not restarted).",
            "",
            f"Edits: {db['edits_tried']} tried, {db['edits_saved']} confirmed to the editor, "
            f"{db['edits_stored']} in the database, {db['edits_saved_but_missing']} confirmed "
            f"but missing, {db['edits_half_written']} half-written (an update row without all "
            "the changes of its versions).",
        ]
    )


def worker_report(worker):
    def s(value):
        return "–" if value is None else f"{value:.1f} s"

    left = worker["stuck_before_recovery"]
    return (
        f"**Worker killed** (SIGKILL) "
        f"{'in the middle of rendering' if worker['killed_mid_render'] else 'NOT mid-render'} "
        f"the progress report: PDF rows {left[0]}, jobs {left[1]} (the job stuck as RUNNING); "
        "`recover_tasks --worker-id` at the worker's restart closed it as lost and queued the "
        f"PDF again; jobs afterwards: {worker['after'][1]}. The PDF was served "
        f"{s(worker['pdf_after_kill_s'])} after the kill."
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--restart-postgresql", action="store_true")
    parser.add_argument("--keep-data", action="store_true")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--worker-only", action="store_true", help="skip the database outage")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, stack.Processes(Path(tmp) / "logs") as processes:
        env = stack.environment(
            DATABASE,
            REDIS_URL,
            Path(tmp) / "media",
            PAGE_CACHE_SECONDS=0,
            RATE_LIMIT_POSTS=100000,  # the editor saves far more often than a person
        )
        stack.flush_redis(REDIS_URL)
        if args.keep_data:
            stack.manage(env, "collectstatic", "--noinput", "-v0")
        else:
            stack.fresh_database(DATABASE)
            stack.load_demo_data(env, sample_steps=0)
        ids = stack.django_shell(env, IDS)
        db = None
        if not args.worker_only:
            db = database_fault(processes, env, ids, args.seconds, args.restart_postgresql)
            stack.log(str(db))
        worker = worker_fault(processes, env, ids)
        stack.log(str(worker))
    failed = not worker["served"] or not worker["killed_mid_render"]
    if db:
        print(report(db))
        failed = failed or (
            db["edits_half_written"]
            or db["edits_saved_but_missing"]
            or db["recovered_after_s"] is None
        )
    print(worker_report(worker))
    if args.write:
        if db:
            stack.replace_section(README, "fault-database", report(db))
        stack.replace_section(README, "fault-worker", worker_report(worker))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
