"""Two app servers behind nginx, one worker: nothing may live in one process.

    uv run python bench/cluster.py

Starts, on a fresh PostgreSQL database (portal_cluster), Redis database 6 and one media folder:
gunicorn A (port 8771) and B (8772), each with its own workers, the PDF worker, and nginx (from
apt, run in the foreground with a throwaway prefix, not the system service) on port 8770 in
front of both. Then proves, and exits non-zero if any of it fails:

1. nginx sends requests to both app servers, and /healthz answers through it;
2. a person signed in through A is signed in on B (the session is in the database);
3. a step updated through B shows at once on A, to the signed-in person and to the public
   (A's page cache is keyed by the data version both servers read from the database);
4. a PDF asked for through A is rendered by the worker and downloaded through B (the queue is a
   table, the file is in the shared storage);
5. failed sign-ins count across both servers: after LOGIN_FAILURE_LIMIT failures, spread over A
   and B, the right password is refused too (django-axes keeps them in the database).
"""

import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import stack

DATABASE = "portal_cluster"
REDIS_URL = "redis://127.0.0.1:6379/6"
PORTS = {"a": 8771, "b": 8772}
NGINX_PORT = 8770
FAILURE_LIMIT = 3
URLS = """
import json
from actionplan.models import Jurisdiction
from actionplan.selectors import current_plan
plan = current_plan(Jurisdiction.objects.get(slug="banska-bystrica"))
step = plan.steps.order_by("code").first()
print(json.dumps({"plan": plan.slug, "step": step.code}))
"""

failures = []


def check(claim, ok, detail=""):
    stack.log(f"{'PASS' if ok else 'FAIL'}  {claim}{f' ({detail})' if detail and not ok else ''}")
    if not ok:
        failures.append(claim)


def sign_in(browser, base, username, password):
    url = f"{base}/en/accounts/login/"
    return browser.submit(url, {"username": username, "password": password})[0]


def main():
    keep_data = "--keep-data" in sys.argv[1:]  # reuse portal_cluster as it is (faster reruns)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    with tempfile.TemporaryDirectory() as tmp, stack.Processes(Path(tmp) / "logs") as processes:
        media = Path(tmp) / "media"
        env = stack.environment(
            DATABASE, REDIS_URL, media, LOGIN_FAILURE_LIMIT=FAILURE_LIMIT, PAGE_CACHE_SECONDS=3600
        )
        stack.flush_redis(REDIS_URL)
        if keep_data:
            stack.manage(env, "collectstatic", "--noinput", "-v0")
            stack.manage(env, "axes_reset", "-v0")
        else:
            stack.fresh_database(DATABASE)
            stack.load_demo_data(env, sample_steps=0)
        ids = stack.django_shell(env, URLS)
        a, b = (f"http://127.0.0.1:{port}" for port in PORTS.values())
        for name, port in PORTS.items():
            processes.gunicorn(f"gunicorn-{name}", env, port, workers=1)
        processes.worker("worker-1", env)
        prefix = Path(tmp) / "nginx"
        prefix.mkdir()
        (prefix / "nginx.conf").write_text(stack.nginx_config(prefix, NGINX_PORT, PORTS.values()))
        processes.start("nginx", [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf")], env)
        front = f"http://127.0.0.1:{NGINX_PORT}"
        stack.wait_healthy(f"{front}/healthz")

        # 1. nginx in front of both
        upstreams = {stack.get(f"{front}/en/")[1]["X-Upstream"] for _ in range(6)}
        check("nginx sends requests to both app servers", len(upstreams) == 2, str(upstreams))
        status, _headers, body = stack.get(f"{front}/healthz")
        check("/healthz answers through nginx", status == 200 and b'"status": "ok"' in body)

        # 2. signed in through A, signed in on B
        person = stack.Browser()
        check("sign in through A", sign_in(person, a, "coordinator", "demo") == 302)
        check("B knows the session", person.request(f"{b}/en/my-steps/")[0] == 200)

        # 3. edit through B, seen from A at once
        step_path = f"/en/plans/{ids['plan']}/steps/{ids['step']}/"
        public = stack.Browser()
        check("A caches the public step page", public.request(f"{a}{step_path}")[0] == 200)
        cached = public.request(f"{a}{step_path}")[1].get("X-Page-Cache") == "hit"
        check("A's second answer comes from the page cache", cached)
        note = f"Cluster check {time.time():.0f}: edited through B"
        fields = person.form(f"{b}{step_path}update/")
        fields.update(progress=str((int(fields["progress"]) + 7) % 100), note=note)
        status = person.request(f"{b}{step_path}update/", fields)[0]
        check("the staff step update through B is saved", status in (302, 303), str(status))
        own = person.request(f"{a}{step_path}")[2].decode()
        check("A shows the change to the signed-in person", note in own)
        status, headers, seen = public.request(f"{a}{step_path}")
        check("A shows the change to the public at once", note in seen.decode())
        check("…from a fresh render, not the cache", headers.get("X-Page-Cache") != "hit")

        # 4. a PDF queued through A, rendered by the worker, downloaded through B
        pdf_path = f"{step_path}sheet/pdf/"
        status = stack.get(f"{a}{pdf_path}")[0]
        check("A queues the PDF (202)", status == 202, str(status))
        deadline, status = time.monotonic() + 120, None
        while time.monotonic() < deadline:
            status, headers, pdf = stack.get(f"{b}{pdf_path}")
            if status == 200:
                break
            time.sleep(1)
        check(
            "B serves the PDF the worker rendered",
            status == 200 and pdf.startswith(b"%PDF"),
            f"last status {status}",
        )
        check("the file is in the shared media folder", any((media / "reports").glob("*.pdf")))

        # 5. sign-in failures count across A and B
        intruder = stack.Browser()
        for n in range(FAILURE_LIMIT):
            sign_in(intruder, (a, b)[n % 2], "board", "wrong password")
        status = sign_in(stack.Browser(), b, "board", "demo")
        check(
            f"after {FAILURE_LIMIT} failures over A and B, B refuses the right password (429)",
            status == 429,
            str(status),
        )
        status = sign_in(stack.Browser(), a, "board", "demo")
        check("…and so does A", status == 429, str(status))
    if failures:
        stack.log(f"{len(failures)} check(s) failed")
        sys.exit(1)
    stack.log("every check passed")


if __name__ == "__main__":
    main()
