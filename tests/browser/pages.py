"""What the browser tests do on a page: check it with axe and for Content-Security-Policy
violations, sign in through the form."""

import json
import re
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# axe is loaded from the portal's own static files: a script tag with its text inline would be
# refused by the Content-Security-Policy like any other inline script.
AXE_URL = "/static/build/axe.min.js"

# Chromium reports each violation twice: on the console ("Refused to apply inline style because
# it violates the following Content Security Policy directive…", "[Report Only] Refused…"), and
# as a securitypolicyviolation event in the page. Both are collected; either is a failure.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__portalCspViolation(
    `${event.disposition} ${event.effectiveDirective} blocked ${event.blockedURI || "inline"}` +
    ` at ${event.documentURI}${event.sample ? ": " + event.sample : ""}`
  );
});
"""


def watch_csp(page):
    """Collect every CSP violation on `page` from now on, across navigations and HTMX swaps."""
    page.csp_violations = []
    page.expose_binding(
        "__portalCspViolation", lambda source, text: page.csp_violations.append(text)
    )
    page.add_init_script(_CSP_LISTENER)

    def on_console(message):
        if "Content Security Policy" in message.text:
            page.csp_violations.append(f"console at {page.url}: {message.text}")

    page.on("console", on_console)


def csp_violations(page):
    return list(getattr(page, "csp_violations", []))


def assert_no_csp_violations(page):
    violations = csp_violations(page)
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


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
        checked.add_script_tag(url=AXE_URL)
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
    """axe finds nothing, and nothing on the page so far has broken the CSP: the journeys call
    this on each page and after each HTMX swap."""
    assert_no_csp_violations(page)
    violations = axe_violations(page)
    assert violations == [], f"{page.url}:\n{json.dumps(violations, indent=2)}"
    assert_no_csp_violations(page)


def sign_in(page, username, password="demo"):
    """Sign in through the form, as a person would; the page ends on My steps."""
    page.goto("/en/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/en/my-steps/")
