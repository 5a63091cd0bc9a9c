"""Shared pieces of the permission tests: the personas, a matrix row, and the URLconf walk.

The matrix itself is tests/test_permission_matrix.py; the meetings and monitoring modules define
their rows next to their other tests and the matrix takes them in.
"""

from dataclasses import dataclass

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver

PERSONAS = ["anonymous", "staff_a", "staff_b", "coordinator", "board", "monitor", "admin"]
DEMO_NAMES = {"staff_a": "staff", "staff_b": "staff2"}  # the demo accounts' usernames


@dataclass
class Row:
    allowed: set  # personas that may; the rest must not
    request: object  # (world, persona) -> (method, url, data)
    changed: object  # (world, persona) -> bool: did it take effect? (run after the request)


def data_changing_url_names(patterns=None, namespace=()):
    """The names ("namespace:name") of every URL whose view is marked @changes_data."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = (*namespace, entry.namespace) if entry.namespace else namespace
            yield from data_changing_url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and getattr(entry.callback, "changes_data", False):
            yield ":".join((*namespace, entry.name))


def is_sign_in(response):
    login = resolve_url(settings.LOGIN_URL)
    location = response.get("HX-Redirect") or response.get("Location") or ""
    return response.status_code in (204, 302) and location.startswith(login)
