"""Reading what the portal sent: the links a response leads to, and anything in an HTML page
that would run script or break the Content-Security-Policy."""

import contextlib
import json
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

# Attributes holding an address a browser may load or navigate to.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc"}
# Elements that bring in other documents or plug-ins; the portal uses none of them.
FOREIGN_ELEMENTS = {"iframe", "frame", "object", "embed", "applet", "base"}
_CONTROL = re.compile(r"[\x00-\x20]+")


def _scheme(value):
    """The scheme of an address as a browser reads it: whitespace and control characters are
    dropped wherever they are (`java\\tscript:` is javascript:)."""
    cleaned = _CONTROL.sub("", value or "").lower()
    return cleaned.split(":", 1)[0] if ":" in cleaned.split("/", 1)[0] else ""


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []  # (tag, attribute, value)
        self.get_forms = []  # actions of GET forms
        self.script_issues = []  # would run script
        self.csp_issues = []  # inline style or script the policy refuses
        self._script = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.script_issues.append(f"<{tag} {name}=…> event handler")
            if name in URL_ATTRIBUTES and _scheme(value) in {"javascript", "vbscript"}:
                self.script_issues.append(f"<{tag} {name}={value[:60]!r}>")
            if name in URL_ATTRIBUTES and _scheme(value) == "data" and tag != "img":
                self.script_issues.append(f"<{tag} {name}=data:…>")
            if name == "style":
                self.csp_issues.append(f"<{tag} style={value[:40]!r}>")
        if tag in FOREIGN_ELEMENTS:
            self.script_issues.append(f"<{tag}> element")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            target = (attributes.get("content") or "").split("url=", 1)[-1]
            if _scheme(target) in {"javascript", "data"}:
                self.script_issues.append(f"<meta refresh to {target[:60]!r}>")
        if tag == "script":
            src = attributes.get("src") or ""
            if not src.startswith("/static/"):
                self.script_issues.append(f"<script src={src[:60]!r}> not from our static files")
            self._script = []
        if tag == "style":
            self.csp_issues.append("<style> element")
        if tag in {"a", "link", "area"} and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag == "form" and (attributes.get("method") or "get").lower() == "get":
            self.get_forms.append(attributes.get("action") or "")

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            if "".join(self._script).strip():
                self.script_issues.append("<script> with inline code")
            self._script = None


def read_html(html):
    page = _Page()
    page.feed(html)
    page.close()
    return page


def script_issues(html):
    """What in `html` would run script: event-handler attributes, javascript: addresses,
    <script> not loaded from /static/, frames and plug-ins."""
    return read_html(html).script_issues


def _json_strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)
    elif isinstance(value, str):
        yield value


def links(url, response):
    """The addresses a response leads to, absolute on the test server (HTML links and GET
    forms, sitemap and feed addresses, calendar URLs, robots.txt's sitemap, URLs in JSON)."""
    content_type = response.get("Content-Type", "").split(";")[0]
    location = response.get("Location")
    found = [location] if location else []
    if getattr(response, "streaming", False):
        return found
    text = response.content.decode("utf-8", "replace")
    if content_type == "text/html":
        page = read_html(text)
        found += page.links + page.get_forms
    elif content_type.endswith("xml"):
        found += re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", text)
        found += re.findall(r'\bhref="([^"]+)"', text)
        found += re.findall(r"<id>\s*(https?://[^<\s]+)\s*</id>", text)
    elif content_type == "application/json":
        with contextlib.suppress(ValueError):
            found += [s for s in _json_strings(json.loads(text)) if s.startswith(("/", "http"))]
    elif content_type == "text/calendar":
        found += re.findall(r"^URL[^:]*:(\S+)", text.replace("\r\n ", ""), re.M)
    elif content_type == "text/plain":
        found += re.findall(r"^Sitemap:\s*(\S+)", text, re.M)
    return [absolute for href in found if (absolute := same_site(url, href))]


def same_site(base, href):
    """`href` read from the page at `base` as a path with query on the test server, or None for
    another host, another scheme or a fragment of the same page."""
    href = (href or "").replace("&amp;", "&").strip()
    if not href or href.startswith("#"):
        return None
    parts = urlsplit(urljoin(base, href))
    if parts.scheme not in {"http", "https"} or parts.netloc not in {"", "testserver"}:
        return None
    return urlunsplit(("", "", parts.path, parts.query, ""))
