"""The site's own pages: the accessibility statement and the contacts."""

import datetime

from django.shortcuts import render

# When the accessibility statement was prepared and last reviewed: change these, not the
# template, when it is assessed again.
ACCESSIBILITY_STATEMENT_PREPARED = datetime.date(2026, 11, 27)
ACCESSIBILITY_STATEMENT_REVIEWED = datetime.date(2026, 11, 27)


def accessibility(request):
    return render(
        request,
        "portal/accessibility.html",
        {
            "prepared_on": ACCESSIBILITY_STATEMENT_PREPARED,
            "reviewed_on": ACCESSIBILITY_STATEMENT_REVIEWED,
        },
    )


def contacts(request):
    return render(request, "portal/contacts.html")
