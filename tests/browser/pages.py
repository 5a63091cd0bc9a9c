"""What the browser tests do on a page: check it with axe, sign in through the form."""

import json
import re
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def _scriptless_copy(page):
    """axe needs JavaScript, which a page opened without it cannot run. Its HTML, scripts
    removed, is loaded at the same URL in a context with JavaScript, so axe sees the DOM and the
    styles the no-JS reader gets."""
    html = re.sub(r"<script\b[^>]*>.*?</script>", "", page.content(), flags=re.S | re.I)
    context = page.context.browser.new_context(viewport=page.viewport_size, locale="en-GB")
    copy = context.new_page()
    url = page.url
    copy.route(
        lambda candidate: candidate == url,
        lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"),
    )
    copy.goto(url)
    return copy


def axe_violations(page):
    """axe-core's WCAG 2.0/2.1 A and AA violations on the page as it is now."""
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci`")
    checked = page if getattr(page, "javascript", True) else _scriptless_copy(page)
    try:
        checked.add_script_tag(path=str(AXE))
        result = checked.evaluate(
            """async () => await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
        )
    finally:
        if checked is not page:
            checked.context.close()
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], f"{page.url}:\n{json.dumps(violations, indent=2)}"


def sign_in(page, username, password="demo"):
    """Sign in through the form, as a person would; the page ends on My steps."""
    page.goto("/en/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/en/my-steps/")
