"""Annotations and minutes are Markdown written by people: whatever they write renders inert.

Each payload is written as an annotation (a public follow-up on an agenda item, referencing a
step) and as the meeting's minutes, then looked for everywhere annotations appear: the meeting
page, the fragments HTMX swaps in, the step page's list, the follow-ups list, the edit form.
"""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from core.markup import render_markdown
from tests.meetings.factories import add_meeting, annotate, follow_up_values

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "[click]( javascript:alert(1) )",
    "![x](javascript:alert(1))",
    '![x" onerror="alert(1)](https://example.org/x.png)',
    '[x](https://example.org/" onclick="alert(1))',
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    '<a href="https://example.org" onclick="alert(1)">x</a>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<style>body{background:url("javascript:alert(1)")}</style>',
    '<div onmouseover="alert(1)">hover</div>',
    "<body onload=alert(1)>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    '"><script>alert(1)</script>',
    '<img """><script>alert(1)</script>">',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<link rel=stylesheet href=javascript:alert(1)>",
    '<base href="javascript:alert(1)//">',
    "<!--<script>alert(1)</script>-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "**bold** <b onclick=alert(1)>b</b> <i style=x>i</i>",
    "<unclosed <b>broken <i>html",
]
ALLOWED_SCHEMES = ("http://", "https://", "mailto:", "/", "#")
DANGEROUS_TAGS = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "img",
    "form",
    "input",
    "button",
    "meta",
    "link",
    "base",
    "details",
    "body",
    "noscript",
    "textarea",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "srcdoc", "xlink:href"}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def assert_inert(html, *, form=False):
    """No script or event handler can run from `html`, and no link leaves for a bad scheme.

    A form (form=True) shows the text in a textarea, escaped; its own controls are allowed.
    """
    lowered = html.lower()
    assert "<script" not in lowered
    for tag in re.findall(r"<[a-z][^>]*>", lowered):
        # Quoted values may contain " onclick=" as inert text (escaped quotes): look outside them.
        bare = re.sub(r'"[^"]*"|\'[^\']*\'', '""', tag)
        assert not re.search(r"\son[a-z]+\s*=", bare), f"an event handler attribute in {tag}"
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        if not form:
            assert tag not in DANGEROUS_TAGS, f"<{tag}> survived"
        for name, value in attrs:
            assert not name.startswith("on"), f"{name} on <{tag}>"
            assert name != "style", f"style on <{tag}>"
            if name in URL_ATTRIBUTES:
                scheme_ok = (value or "").strip().lower().startswith(ALLOWED_SCHEMES)
                assert scheme_ok, f"{name}={value!r}"
    if not form:
        assert "javascript:" not in lowered and "vbscript:" not in lowered
        assert "data:text" not in lowered


def _fragment(page, start, end):
    return page[page.index(start) : page.index(end, page.index(start))]


@pytest.fixture
def written(meetings_world, request):
    world = meetings_world
    payload = request.param
    world.meeting = add_meeting(world, outcomes=payload)
    item = world.meeting.agenda_items.get()
    world.annotation = annotate(
        world,
        world.meeting,
        agenda_item=item,
        step=world.step_a,
        **follow_up_values(world, text=payload),
    )
    return world


def _tag(template, user, **context):
    request = RequestFactory().get("/en/")
    request.user = user
    return Template("{% load meetings %}" + template).render(
        Context({"request": request, **context})
    )


def test_there_are_at_least_thirty_payloads():
    assert len(PAYLOADS) >= 30


@pytest.mark.parametrize(
    "live",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:x">x</a>',
        '<p style="color:red">x</p>',
        '<a href="data:text/html,x">x</a>',
    ],
)
def test_the_check_itself_catches_live_html(live):
    with pytest.raises(AssertionError):
        assert_inert(live)


@pytest.mark.parametrize("written", PAYLOADS, indirect=True, ids=range(len(PAYLOADS)))
def test_payload_renders_inert_everywhere(client, written):
    world, pk = written, written.annotation.pk
    page = client.get(world.meeting.get_absolute_url()).content.decode()
    assert_inert(_fragment(page, '<article class="app-annotation', "</article>"))
    assert_inert(_fragment(page, 'id="outcomes"', 'id="meeting-record"'))

    client.force_login(world.users["board"])  # the author: sees edit, withdraw and forms
    page = client.get(world.meeting.get_absolute_url()).content.decode()
    assert_inert(_fragment(page, f'id="annotation-{pk}"', "</article>"), form=True)
    fragment = client.get(reverse("meetings:annotation", args=[pk]), HTTP_HX_REQUEST="true")
    assert_inert(fragment.content.decode(), form=True)
    edit_form = client.get(reverse("meetings:edit_annotation", args=[pk]), HTTP_HX_REQUEST="true")
    assert_inert(edit_form.content.decode(), form=True)
    record = client.post(
        reverse("meetings:add_annotation", args=[world.plan.slug, world.meeting.slug]),
        {"kind": "note", "visibility": "public", "text": world.annotation.text},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    annotations = _fragment(record, 'class="app-annotation', 'id="add-annotation-heading"')
    assert_inert(annotations, form=True)

    assert_inert(_tag("{% step_annotations step %}", AnonymousUser(), step=world.step_a))
    follow_ups = _tag("{% follow_ups %}", world.users["staff_a"])
    assert_inert(_fragment(follow_ups, 'class="govuk-body app-prose"', "</div>"))


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_markdown_renderer_output_is_inert(payload):
    assert_inert(render_markdown(payload))


def test_safe_markdown_keeps_its_formatting_and_marks_links():
    html = render_markdown("**Agreed**: see [the minutes](https://example.org/m) or *ask*.")
    assert "<strong>Agreed</strong>" in html and "<em>ask</em>" in html
    assert '<a href="https://example.org/m" rel="noopener noreferrer nofollow">' in html
