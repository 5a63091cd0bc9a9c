"""Shared pieces of the permission tests: the personas and their world, a matrix row, and the
URLconf walk.

The matrix itself is tests/portal/test_permission_matrix.py; the meetings and monitoring folders
define their rows (permission_rows.py) and the matrix takes them in.
"""

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.models import User
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver

from actionplan.models import ActionStep, Institution, StepInstitution
from portal.accounts import create_demo_accounts

PERSONAS = ["anonymous", "staff_a", "staff_b", "coordinator", "board", "monitor", "admin"]
DEMO_NAMES = {"staff_a": "staff", "staff_b": "staff2"}  # the demo accounts' usernames


def create_demo_site_accounts(password="demo"):
    """The demo accounts of `make run` on the imported demo plan (fixtures/banska-bystrica.yaml):
    staff at the participation department, staff2 at the city architect's office.
    password=None: sign in with force_login only."""
    from actionplan.models import ActionPlan

    plan = ActionPlan.objects.get(slug="ap-og-24-26")
    institutions = plan.jurisdiction.institutions
    create_demo_accounts(
        plan,
        institutions.get(slug="participation-innovation-department"),
        institutions.get(slug="city-architect-office"),
        password=password,
    )
    return plan


def build_world(plan, jurisdiction, priority, password=None):
    """The plan with two institutions, `step_a` led by `institution_a` and `step_b` by
    `institution_b` (each with a milestone), and the personas as the demo accounts:
    `users[persona]`, None for anonymous. password=None: sign in with force_login only."""
    institution_a = Institution.objects.create(jurisdiction=jurisdiction, slug="a", name="Office A")
    institution_b = Institution.objects.create(jurisdiction=jurisdiction, slug="b", name="Office B")
    steps = {}
    for name, institution in (("A", institution_a), ("B", institution_b)):
        steps[name] = ActionStep.objects.create(
            plan=plan,
            priority=priority,
            code=f"S-{name}",
            title=f"Step of {institution}",
            start_date=datetime.date(2024, 9, 1),
            end_date=datetime.date(2026, 6, 30),
        )
        StepInstitution.objects.create(step=steps[name], institution=institution)
        steps[name].milestones.create(title="First milestone", due_date=datetime.date(2025, 1, 31))
    create_demo_accounts(plan, institution_a, institution_b, password=password)
    users = {"anonymous": None}
    for persona in PERSONAS[1:]:
        users[persona] = User.objects.get(username=DEMO_NAMES.get(persona, persona))
    return SimpleNamespace(
        plan=plan,
        jurisdiction=jurisdiction,
        institution_a=institution_a,
        institution_b=institution_b,
        step_a=steps["A"],
        step_b=steps["B"],
        users=users,
    )


@dataclass
class Row:
    allowed: set  # personas that may; the rest must not
    request: object  # (world, persona) -> (method, url, data)
    changed: object  # (world, persona) -> bool: did it take effect? (run after the request)


def url_patterns(patterns=None, namespace=()):
    """(namespaces, URLPattern) for every URL of the URLconf."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = (*namespace, entry.namespace) if entry.namespace else namespace
            yield from url_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            yield namespace, entry


def changes_data(pattern):
    return getattr(pattern.callback, "changes_data", False)


def data_changing_url_names():
    """The names ("namespace:name") of every URL whose view is marked @changes_data."""
    for namespace, pattern in url_patterns():
        if changes_data(pattern):
            yield ":".join((*namespace, pattern.name))


def is_sign_in(response, htmx=False):
    """The answer sends the user to the sign-in page: a redirect for a plain request, and for an
    HTMX request an HX-Redirect, since HTMX would swap a redirected page into the form."""
    login = resolve_url(settings.LOGIN_URL)
    if htmx:
        location = response.get("HX-Redirect", "")
        return response.status_code == 204 and location.startswith(login)
    return response.status_code == 302 and response.get("Location", "").startswith(login)
