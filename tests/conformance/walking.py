"""Walking the portal as one signed-in (or anonymous) client: every same-host address a response
leads to, bounded per URL pattern and language."""

from collections import Counter, deque

from django.urls import Resolver404, resolve
from django.utils import translation

from tests.conformance.markup import links, read_html

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
