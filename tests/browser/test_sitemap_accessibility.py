"""axe-core finds no WCAG 2.0/2.1 A or AA violation, and Chromium no Content-Security-Policy
violation, on any page the sitemap lists, in either language, with the demo plan, its meetings
and its monitoring records loaded."""

import json
from xml.etree import ElementTree

from tests.browser.pages import axe_violations, csp_violations

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_urls(page):
    response = page.request.get("/sitemap.xml")
    assert response.ok, response.status
    root = ElementTree.fromstring(response.body())
    return [loc.text for loc in root.iterfind("sm:url/sm:loc", SITEMAP_NS)]


def test_every_page_in_the_sitemap_has_no_axe_violations(new_page, meetings_data, capsys):
    page = new_page("narrow")  # one page, reused: a fresh context per URL only adds time
    urls = sitemap_urls(page)
    languages = {url.split("/")[3] for url in urls}
    assert languages == {"en", "sk"}
    assert any("/meetings/20" in url for url in urls)  # the meeting pages are among them

    failures = {}
    for url in urls:
        response = page.goto(url)
        if response.status != 200:
            failures[url] = f"HTTP {response.status}"
        elif violations := axe_violations(page):
            failures[url] = violations
        if csp := csp_violations(page):
            failures[url] = {"csp": csp}
            page.csp_violations.clear()  # reported here, per page
    with capsys.disabled():
        print(f"\naxe checked {len(urls)} sitemap URLs, {len(failures)} with violations")
    # Every URL is checked before failing, so one run lists all the pages to fix.
    assert failures == {}, json.dumps(failures, indent=2, ensure_ascii=False)
