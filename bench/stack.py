"""The production profile as the HTTP, cluster and fault runs start it: a fresh PostgreSQL
database with the demo data and a 200-step plan, a Redis database, gunicorn processes (with
gunicorn.conf.py), the task worker and, for the cluster, nginx in front. Everything runs as
child processes of the script and is stopped when it ends."""

import contextlib
import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG = ["-h", "127.0.0.1", "-U", "postgres"]


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def environment(database, redis_url, media_root, **extra):
    """The production settings (DEBUG off) on the given database, Redis and media folder."""
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-secret-key-not-for-production-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(media_root),
        "TASKS_BACKEND": "database",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": str(ROOT),
    }
    env.update({key: str(value) for key, value in extra.items()})
    return env


def manage(env, *args, capture=False):
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
    )
    return result.stdout


def fresh_database(name):
    subprocess.run(["dropdb", *PG, "--if-exists", "--force", name], check=True)
    subprocess.run(["createdb", *PG, name], check=True)


def flush_redis(redis_url):
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def load_demo_data(env, sample_steps=200):
    """The Makefile's demo-data target, and one generated plan of `sample_steps` steps."""
    log("migrate, collectstatic, demo data")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "import_plan", "fixtures/banska-bystrica.yaml", "-v0")
    manage(env, "import_meetings", "fixtures/banska-bystrica-meetings.yaml", "-v0")
    manage(env, "import_monitoring", "fixtures/banska-bystrica-monitoring.yaml", "-v0")
    # create_demo_accounts refuses to run with DEBUG off: the accounts are for demos only.
    manage({**env, "DEBUG": "1", "TASKS_BACKEND": "immediate"}, "create_demo_accounts", "-v0")
    if sample_steps:
        log(f"generate_sample_data: a plan of {sample_steps} steps")
        manage(
            env,
            "generate_sample_data",
            "--plans=1",
            f"--steps={sample_steps}",
            "--updates=3",
            "--seed=1",
            "-v0",
        )


def django_shell(env, code):
    """Run Python inside the project (settings loaded) and return what it prints as JSON."""
    return json.loads(manage(env, "shell", "-v0", "-c", code, capture=True).splitlines()[-1])


class Processes:
    """Child processes, stopped (TERM, then KILL) in reverse order when the block ends."""

    def __init__(self, logdir):
        # BENCH_LOGS keeps the processes' logs after the run, to read when a check fails.
        self.logdir = Path(os.environ.get("BENCH_LOGS") or logdir)
        self.logdir.mkdir(parents=True, exist_ok=True)
        self.running = {}

    def start(self, name, args, env, cwd=ROOT):
        out = open(self.logdir / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.running[name] = (process, out)
        return process

    def gunicorn(self, name, env, port, workers=2):
        env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)}
        env["GUNICORN_PROC_NAME"] = name
        process = self.start(name, [GUNICORN, "-c", "gunicorn.conf.py"], env)
        wait_healthy(f"http://127.0.0.1:{port}/healthz")
        return process

    def worker(self, name, env):
        return self.start(
            name,
            [PYTHON, "manage.py", "db_worker", "--worker-id", name, "--no-reload", "--interval=1"],
            env,
        )

    def stop(self, name, sig=signal.SIGTERM, timeout=20):
        process, out = self.running.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        out.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for name in reversed(list(self.running)):
            self.stop(name)


def get(url, timeout=10, headers=None):
    """(status, headers, body) of a GET, whatever the status."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def wait_healthy(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if get(url, timeout=2)[0] == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer 200 within {timeout} s")


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def _ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * _UNITS[unit]


def wrk(url, duration=10, connections=8, threads=2):
    """Requests per second, p99 latency (ms), requests and errors (non-2xx/3xx, socket errors)."""
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "--latency",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket:
        errors += sum(int(n) for n in socket.groups())
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p99_ms": _ms(p99.group(1)) if p99 else None,
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "errors": errors,
    }


def replace_section(path, marker, text):
    """Put `text` between <!-- marker:start --> and <!-- marker:end --> in the file (appended
    with the markers the first time)."""
    path = Path(path)
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    content = path.read_text()
    block = f"{start}\n{text.rstrip()}\n{end}"
    if start in content:
        before, rest = content.split(start, 1)
        content = before + block + rest.split(end, 1)[1]
    else:
        content = content.rstrip() + "\n\n" + block + "\n"
    path.write_text(content)


class Browser:
    """A visitor with a cookie jar, sending forms as a browser would (CSRF token included)."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def request(self, url, data=None, timeout=30):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers={"Referer": url})
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def form(self, url):
        """The fields of the page's form that posts to the page itself, as a browser would send
        them unchanged."""
        status, _headers, body = self.request(url)
        if status != 200:
            raise RuntimeError(f"GET {url}: {status}")
        parser = _FormParser(urllib.parse.urlsplit(url).path)
        parser.feed(body.decode())
        return parser.fields

    def submit(self, url, changes):
        fields = self.form(url)
        fields.update(changes)
        return self.request(url, fields)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class _FormParser(HTMLParser):
    def __init__(self, path):
        super().__init__()
        self.path, self.fields, self.inside, self.done = path, {}, False, False
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done:
            self.inside = attrs.get("method") == "post" and attrs.get("action") in ("", self.path)
            self.fields = {} if self.inside else self.fields
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "file"):
                self.fields[name] = attrs.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields[self.select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields[name] = ""

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form" and self.inside:
            self.inside = False
            self.done = True


def nginx_config(prefix, port, upstreams):
    """A throwaway nginx configuration: a round-robin proxy to the app servers, as
    deploy/nginx-portal.conf does it, logging the upstream that answered."""
    servers = "\n".join(f"        server 127.0.0.1:{p};" for p in upstreams)
    return f"""
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    upstream portal_app {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 12m;
        location / {{
            proxy_pass http://portal_app;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""
