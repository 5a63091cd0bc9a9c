"""Valid HTML on every kind of page, in both languages, by the Nu HTML Checker (vnu.jar from the
vnu-jar npm package, run with the machine's Java): one page of each URL pattern as the public and
as each role sees it, and a meeting page full of hostile annotations.

.ci/run installs Java and runs `npm ci`, and sets PORTAL_REQUIRE_VNU=1 so that a missing checker
fails there instead of skipping.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from meetings.models import Annotation, Meeting
from tests.conformance.walking import SKIPPED, START, walk

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PERSONAS = ["anonymous", "staff", "coordinator", "board", "monitor"]
HOSTILE_TEXTS = [
    "<script>alert(1)</script> and <b onclick=alert(1)>bold</b>",
    '<a href="javascript:alert(1)" rel="x">a link</a> [md](javascript:alert(1)) <a rel=nofollow>',
    '"><img src=x onerror=alert(1)><svg onload=alert(1)><iframe src=//evil.example></iframe>',
    "<time datetime='x'>now</time><div aria-labelledby=x>",
    "x" * 30_000,
    "**bold** _em_ <table><tr><td>cell</td></tr></table> </p></div></main>",
]


def _checker():
    java = shutil.which("java")
    if java and VNU.exists():
        return java
    message = f"the Nu HTML Checker needs java (apt-get install default-jre-headless) and {VNU}"
    if os.environ.get("PORTAL_REQUIRE_VNU"):
        pytest.fail(message)
    pytest.skip(message)


def _hostile_meeting(plan):
    meeting = Meeting.objects.filter(plan=plan, is_public=True).order_by("start_date").first()
    board = User.objects.get(username="board")
    for number, text in enumerate(HOSTILE_TEXTS):
        Annotation.objects.create(
            meeting=meeting,
            author=board,
            text=text,
            visibility="public" if number % 2 else "board",
            kind=Annotation.Kind.NOTE,
        )
    return f"/en/plans/{plan.slug}/meetings/{meeting.slug}/"


def test_every_kind_of_page_is_valid_html(client, demo_site, tmp_path, capsys):
    java = _checker()
    meeting = _hostile_meeting(demo_site)
    pages = {}
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(User.objects.get(username=persona))
        start = [*START, meeting, meeting.replace("/en/", "/sk/", 1)]
        kept = {}
        walk(client, start, limit_per_pattern=1, pages=kept, skipped=(*SKIPPED, "/admin/"))
        # the hostile meeting page itself, whichever meeting the walk met first
        for path in (meeting, meeting.replace("/en/", "/sk/", 1)):
            kept[f"hostile {path}"] = (path, client.get(path).content.decode())
        for pattern, (path, html) in kept.items():
            if html.lstrip().lower().startswith("<!doctype html"):
                pages.setdefault(f"{persona} {pattern}", (path, html))

    files = {}
    for number, (kind, (path, html)) in enumerate(sorted(pages.items())):
        file = tmp_path / f"page-{number:03}.html"
        file.write_text(html, encoding="utf-8")
        files[file.name] = f"{kind} {path}"
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors = [
        f"{files.get(Path(m.get('url', '')).name, m.get('url'))}: line {m.get('lastLine')}: "
        f"{m.get('message')}"
        for m in messages
        if m.get("type") == "error"
    ]
    languages = {path.split("/")[1] for path, _ in pages.values()}
    with capsys.disabled():
        print(
            f"\nNu HTML Checker: {len(pages)} pages ({', '.join(sorted(languages))}), "
            f"{len(errors)} errors"
        )
    assert {"sk", "en"} <= languages
    assert errors == [], "\n".join(errors[:80])
