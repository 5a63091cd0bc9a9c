"""Every persona walks the whole portal on the demo data: no server error anywhere, and no page
that would run script or break the Content-Security-Policy.

Each persona (anonymous, then each role of tests/personas.py) starts from the home pages in both
languages, robots.txt, the sitemap, the OpenAPI document and the API root, and follows every
same-host address it is given: links and GET forms in HTML, sitemap and feed entries, calendar
URLs, open-data files and the URLs in API answers. The walk is bounded per URL pattern (a few
query variants of a list are the same code), so it ends in a few minutes.
"""

from collections import Counter, deque

import pytest
from django.urls import Resolver404, resolve
from django.utils import translation

from tests.conformance.markup import links, read_html
from tests.personas import DEMO_NAMES, PERSONAS

START = [
    "/",
    "/sk/",
    "/en/",
    "/robots.txt",
    "/sitemap.xml",
    "/api/v1/openapi.json",
    "/api/v1/plans/",
    "/en/plans/ap-og-24-26/open-data/",
    "/sk/plans/ap-og-24-26/open-data/",
]
# Addresses of one URL pattern in one language visited at most: every kind of page and filter
# is reached many times over with fewer.
PER_PATTERN = 8
# A PDF is rendered in the request here (TASKS_BACKEND=immediate): one per document kind does.
PER_PDF_PATTERN = 2
# Signing out would end the persona's walk; the admin's many list orderings add nothing.
SKIPPED = ("/logout/", "/static/", "/media/")


def _pattern(path):
    """The URL pattern's name with the page's language: the two languages are two walks."""
    path = path.split("?")[0]
    language = path.split("/")[1] if path.split("/")[1] in {"sk", "en"} else ""
    try:
        with translation.override(language or "en"):
            match = resolve(path)
    except Resolver404:
        return f"{language}:404"
    return f"{language}:{match.view_name or match.route}"


def walk(client, start=START, limit_per_pattern=PER_PATTERN, pages=None, skipped=SKIPPED):
    """Visit everything reachable from `start`; returns ({path: status}, {pattern: count},
    [(path, issue)]). `pages`, a dict, gets the first HTML page of each pattern."""
    queue = deque(start)
    visited, per_pattern, issues = {}, Counter(), []
    while queue:
        path = queue.popleft()
        if path in visited or any(part in path for part in skipped):
            continue
        pattern = _pattern(path)
        limit = PER_PDF_PATTERN if pattern.endswith("pdf") else limit_per_pattern
        if per_pattern[pattern] >= limit:
            continue
        per_pattern[pattern] += 1
        response = client.get(path)
        visited[path] = response.status_code
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html") and not response.streaming:
            page = read_html(response.content.decode("utf-8", "replace"))
            issues += [(path, issue) for issue in page.script_issues + page.csp_issues]
            if pages is not None and response.status_code == 200 and pattern not in pages:
                pages[pattern] = (path, response.content.decode())
        for link in links("http://testserver" + path, response):
            if link not in visited:
                queue.append(link)
        if response.streaming:
            response.close()
    return visited, per_pattern, issues


@pytest.fixture
def quiet_errors(caplog):
    """A 5xx is counted by the test, not also printed as a traceback per request."""
    caplog.set_level("CRITICAL", logger="django.request")


def test_every_persona_walks_every_link_without_a_server_error(
    client, demo_site, capsys, quiet_errors
):
    from django.contrib.auth.models import User

    client.raise_request_exception = False
    summary, failures = [], {}
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(User.objects.get(username=DEMO_NAMES.get(persona, persona)))
        visited, per_pattern, issues = walk(client)
        errors = {path: status for path, status in visited.items() if status >= 500}
        statuses = Counter(status // 100 * 100 for status in visited.values())
        summary.append(
            f"{persona:>12}: {len(visited):4} URLs, {len(per_pattern):3} URL patterns, "
            f"{statuses[200]} 2xx, {statuses[300]} 3xx, {statuses[400]} 4xx, "
            f"server errors {len(errors)}, script or inline-style findings {len(issues)}"
        )
        if errors or issues:
            failures[persona] = {"server errors": errors, "findings": issues[:30]}
        assert len(visited) > 50, f"{persona} reached only {sorted(visited)}"
    with capsys.disabled():
        print("\ncrawl of the demo data, per persona:\n" + "\n".join(summary))
    assert failures == {}, failures
