"""Accounts: the forms of the sign-in pages, the lockout page, and the demo accounts that
`make run` creates."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.shortcuts import render

from actionplan.models import Affiliation, PlanRole, Role
from core.forms import GovukForm


class LoginForm(GovukForm, auth_forms.AuthenticationForm):
    pass


class PasswordChangeForm(GovukForm, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(GovukForm, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(GovukForm, auth_forms.SetPasswordForm):
    pass


def locked_out(request, original_response=None, credentials=None):
    """django-axes calls this when a sign-in is refused for too many failures (429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


@dataclass
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: str | None  # a group; None for the superuser
    institution: object = None  # for staff: the Institution they work for
    superuser: bool = False


def demo_accounts(staff_institution, staff2_institution):
    return [
        DemoAccount("admin", "Demo", "Administrator", Role.ADMINISTRATOR, superuser=True),
        DemoAccount("coordinator", "Demo", "Coordinator", Role.COORDINATOR),
        DemoAccount("staff", "Demo", "Staff (participation)", Role.STAFF, staff_institution),
        DemoAccount("staff2", "Demo", "Staff (city architect)", Role.STAFF, staff2_institution),
        DemoAccount("board", "Demo", "Board member", Role.BOARD),
        DemoAccount("monitor", "Demo", "Monitor", Role.MONITOR),
    ]


@transaction.atomic
def create_demo_accounts(plan, staff_institution, staff2_institution, password="demo"):
    """Create or reset the demo accounts for `plan`; returns [(username, created), ...].

    Running it again resets their passwords and roles to the demo state, so it is safe to run on
    every `make run`. password=None leaves the accounts without a usable password (tests that
    sign in with force_login need no slow password hashing).
    """
    results = []
    for account in demo_accounts(staff_institution, staff2_institution):
        user, created = User.objects.get_or_create(username=account.username)
        user.first_name, user.last_name = account.first_name, account.last_name
        user.email = f"{account.username}@example.org"
        user.is_superuser = user.is_staff = account.superuser
        user.is_active = True
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        user.save()
        # get_or_create: a flushed test database has lost the groups its migration made
        user.groups.set([Group.objects.get_or_create(name=account.role)[0]])
        if account.institution is not None:
            Affiliation.objects.get_or_create(user=user, institution=account.institution)
        if account.role in (Role.COORDINATOR, Role.BOARD, Role.MONITOR):
            PlanRole.objects.get_or_create(user=user, plan=plan, role=account.role)
        results.append((account.username, created))
    return results
