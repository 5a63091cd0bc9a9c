"""The second factor (django-otp): a code from an authenticator app (TOTP), or a recovery code.

Who is asked: with settings.MFA_REQUIRED (on unless DEBUG) everyone with a role (institution
staff, coordinators, board members, monitors, administrators); otherwise only those who have
enrolled. Such a person signed in with a password alone is half signed in: SecondFactorMiddleware
sends every request of theirs to the code page (or to enrolment, at the first sign-in), except
the views marked `mfa_exempt` (the code pages themselves and signing out). The admin is behind it
too, and its site says the same (portal.admin_site).

django-otp remembers in the session which device verified the sign-in; its OTPMiddleware checks,
at each request, that the device still exists, so an administrator who removes someone's
authenticator ends that verification.
"""

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from actionplan.models.roles import is_team_member
from core.http import hx_redirect
from portal import audit
from portal.models import SignInEvent

RECOVERY_CODES = 10
TOTP_DIGITS = 6  # django-otp's default, which every authenticator app reads
# Session keys: set at sign-in when the account has an authenticator; the secret being enrolled.
ENROLLED_KEY = "mfa_enrolled"
SECRET_SESSION_KEY = "mfa_secret"
NEW_CODES_KEY = "mfa_new_codes"
DEVICE_NAME = "authenticator app"


def has_role(user):
    return user.is_authenticated and (user.is_staff or user.is_superuser or is_team_member(user))


def is_enrolled(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


@receiver(user_logged_in, dispatch_uid="mfa_note_enrolment")
def _note_enrolment(sender, request, user, **kwargs):
    # One query at sign-in, so that later requests need none to know a code is due.
    if request is not None and hasattr(request, "session"):
        request.session[ENROLLED_KEY] = is_enrolled(user)


def is_verified(request):
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


def code_is_due(request):
    """Whether this signed-in person must still give a code before anything else."""
    user = request.user
    if not user.is_authenticated or is_verified(request):
        return False
    if request.session.get(ENROLLED_KEY):
        return True
    return settings.MFA_REQUIRED and has_role(user)


def mfa_exempt(view):
    """A view a person may use while a code is due (the code pages, signing out)."""
    view.mfa_exempt = True
    return view


def code_page_url(next_url):
    return with_next("accounts:mfa_verify", next_url)


def with_next(url_name, next_url):
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class SecondFactorMiddleware:
    """Sends a person whose code is due to the code page, whatever they asked for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if getattr(view, "mfa_exempt", False) or not code_is_due(request):
            return None
        if getattr(request, "htmx", False):
            return hx_redirect(code_page_url(request.htmx.current_url_abs_path or ""))
        return redirect(code_page_url(request.get_full_path() if request.method == "GET" else ""))


# --- Enrolment and verification -------------------------------------------------------------------


def enrolment_secret(request):
    """The secret of the authenticator being enrolled, kept in the session until confirmed."""
    if SECRET_SESSION_KEY not in request.session:
        request.session[SECRET_SESSION_KEY] = secrets.token_hex(20)
    return request.session[SECRET_SESSION_KEY]


def unsaved_device(user, secret):
    return TOTPDevice(user=user, name=DEVICE_NAME, key=secret, confirmed=False)


def _totp(device):
    return TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)


def normalised(code):
    return "".join(code.split()).replace("-", "").lower()


@transaction.atomic
def enrol(request, secret, code):
    """Confirm the authenticator with its first code: save it, make recovery codes, count the
    sign-in as verified. Returns the recovery codes, or None when the code is wrong."""
    user = request.user
    device = unsaved_device(user, secret)
    totp = _totp(device)
    code = normalised(code)
    if not code.isdigit() or not totp.verify(int(code), device.tolerance):
        return None
    TOTPDevice.objects.filter(user=user).delete()  # unconfirmed leftovers
    device.confirmed = True
    device.last_t = totp.t()  # the code just used cannot be used again
    device.save()
    codes = new_recovery_codes(user)
    signed_in_fully(request, device)
    request.session.pop(SECRET_SESSION_KEY, None)
    request.session[ENROLLED_KEY] = True
    audit.record(SignInEvent.Kind.MFA_ENROLLED, request=request, user=user)
    return codes


def new_recovery_codes(user):
    """Replace the user's recovery codes with new ones; returns them (shown once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def signed_in_fully(request, device):
    """Remember the device that verified the sign-in, under a new session key: a session id
    seen before the code was given is worth nothing after."""
    request.session.cycle_key()
    otp_login(request, device)


class Throttled(Exception):
    """Too many wrong codes in a row: django-otp makes the device wait before the next try."""


def verify(request, code):
    """Check a code against the user's authenticator or, for anything but six digits, their
    recovery codes. On success the sign-in is verified and the device returned; on failure None
    (the failure is logged). Throttled while the device is still waiting after earlier failures.
    """
    user = request.user
    code = normalised(code)
    if code.isdigit() and len(code) == TOTP_DIGITS:
        candidates = TOTPDevice.objects.devices_for_user(user, confirmed=True)
    else:
        candidates = StaticDevice.objects.devices_for_user(user, confirmed=True)
    candidates = list(candidates)
    allowed = [device for device in candidates if device.verify_is_allowed()[0]]
    if candidates and not allowed:
        audit.record(SignInEvent.Kind.MFA_FAILED, request=request, user=user, detail="throttled")
        raise Throttled
    for device in allowed:
        with transaction.atomic():
            accepted = device.verify_token(code)
        if accepted:
            signed_in_fully(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                audit.record(
                    SignInEvent.Kind.RECOVERY_CODE_USED,
                    request=request,
                    user=user,
                    detail=f"{left} left",
                )
            return device
    audit.record(SignInEvent.Kind.MFA_FAILED, request=request, user=user)
    return None


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="mfa_removed")
def _removed(sender, instance, **kwargs):
    # An administrator removed someone's authenticator (a lost phone): they enrol again.
    if instance.confirmed:
        audit.record(SignInEvent.Kind.MFA_REMOVED, user=instance.user)
