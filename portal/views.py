"""The site's own pages: the accessibility statement and the contacts."""

import datetime

from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse

from core.http import require_safe

# When the accessibility statement was prepared and last reviewed: change these, not the
# template, when it is assessed again.
ACCESSIBILITY_STATEMENT_PREPARED = datetime.date(2026, 11, 27)
ACCESSIBILITY_STATEMENT_REVIEWED = datetime.date(2026, 11, 27)


@require_safe
def accessibility(request):
    return render(
        request,
        "portal/accessibility.html",
        {
            "prepared_on": ACCESSIBILITY_STATEMENT_PREPARED,
            "reviewed_on": ACCESSIBILITY_STATEMENT_REVIEWED,
        },
    )


@require_safe
def contacts(request):
    return render(request, "portal/contacts.html")


# Areas that are no public content, and the PDF downloads (each may queue a render).
ROBOTS_DISALLOWED = ("/*/accounts/", "/*/admin/", "/*/my-steps/", "/*/pdf/")


@require_safe
def robots(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOWED)]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request):
    """Asked for by browsers and feed readers that do not read the page's <link rel="icon">."""
    return HttpResponsePermanentRedirect(static("icons/favicon.svg"))
