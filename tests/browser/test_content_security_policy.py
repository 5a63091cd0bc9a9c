"""The browser-side CSP watch of the shared fixtures (pages.watch_csp) sees a violation: were it
blind, every journey would pass whatever the templates did."""

from tests.browser.pages import csp_violations


def test_the_csp_watch_catches_an_inline_script_and_an_inline_style(new_page, db):
    page = new_page()
    response = page.goto("/en/accessibility/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert csp_violations(page) == []

    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.injected = true";
          document.body.append(script);
          document.body.setAttribute("style", "color: red");
        }"""
    )
    for _ in range(100):  # the reports arrive through the binding, asynchronously
        seen = "\n".join(csp_violations(page))
        if "script-src" in seen and "style-src" in seen:
            break
        page.wait_for_timeout(20)
    assert "script-src" in seen and "style-src" in seen, seen
    assert page.evaluate("window.injected") is None  # and the browser refused to run it
    page.csp_violations.clear()  # seen on purpose: the fixture must not fail this test
