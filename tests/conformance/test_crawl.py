"""Every persona walks the whole portal on the demo data: no server error anywhere, and no page
that would run script or break the Content-Security-Policy.

Each persona (anonymous, then each role of tests/personas.py) starts from the home pages in both
languages, robots.txt, the sitemap, the OpenAPI document and the API root, and follows every
same-host address it is given: links and GET forms in HTML, sitemap and feed entries, calendar
URLs, open-data files and the URLs in API answers. The walk is bounded per URL pattern (a few
query variants of a list are the same code), so it ends in a few minutes.
"""

from collections import Counter

import pytest

from tests.conformance.walking import walk
from tests.personas import DEMO_NAMES, PERSONAS


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
