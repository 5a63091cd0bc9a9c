"""The pages of the second factor: the code asked for after the password, enrolment at the first
sign-in (a QR code drawn on the server, and the secret as text), and the recovery codes, shown
once. See portal.mfa for who is asked and when."""

from base64 import b32encode

import segno
from django import forms
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.forms import GovukForm
from core.http import login_required, require_http_methods, require_safe, safe_next
from core.ratelimit import limited
from portal import mfa


class CodeForm(GovukForm, forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        strip=True,
        error_messages={"required": _("Enter the code.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "class": "govuk-input govuk-input--width-10",
            }
        ),
    )

    def __init__(self, *args, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = help_text


WRONG_CODE = _(
    "That code is not right. Check the time on your phone, wait for the next code and try "
    "again, or use one of your recovery codes."
)
WRONG_FIRST_CODE = _(
    "That code is not right. Check that the app shows the portal's account and that the time "
    "on your phone is right, then enter the code it shows now."
)
THROTTLED = _("Too many wrong codes in a row. Wait a minute, then try again.")


def _next(request):
    return safe_next(request, request.POST.get("next") or request.GET.get("next"))


def _continue(request):
    return redirect(_next(request) or "staff:my_steps")


def _form_page(request, template, form, status, **context):
    return render(
        request,
        template,
        {"form": form, "next": _next(request) or "", **context},
        status=status,
    )


@mfa.mfa_exempt
@login_required
@limited("mfa")
@require_http_methods(["GET", "POST"])
def verify(request):
    """The code asked for after the password."""
    if not mfa.is_enrolled(request.user):
        return redirect(mfa.with_next("accounts:mfa_enrol", _next(request)))
    if mfa.is_verified(request):
        return _continue(request)
    help_text = _(
        "The 6-digit code your authenticator app shows for this portal, or one of your recovery "
        "codes."
    )
    form = CodeForm(request.POST or None, help_text=help_text)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                device = mfa.verify(request, form.cleaned_data["code"])
            except mfa.Throttled:
                form.add_error("code", THROTTLED)
                status = 429
            else:
                if device is not None:
                    return _continue(request)
                form.add_error("code", WRONG_CODE)
    return _form_page(
        request, "registration/mfa_verify.html", form, status, title=_("Enter your code")
    )


@mfa.mfa_exempt
@login_required
@limited("mfa")
@require_http_methods(["GET", "POST"])
def enrol(request):
    """First sign-in: add the portal to an authenticator app and confirm with its first code."""
    if mfa.is_enrolled(request.user):
        return redirect(mfa.with_next("accounts:mfa_verify", _next(request)))
    secret = mfa.enrolment_secret(request)
    device = mfa.unsaved_device(request.user, secret)
    form = CodeForm(
        request.POST or None, help_text=_("The 6-digit code the app shows for this portal now.")
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            codes = mfa.enrol(request, secret, form.cleaned_data["code"])
            if codes is not None:
                request.session[mfa.NEW_CODES_KEY] = codes
                return redirect(mfa.with_next("accounts:mfa_recovery_codes", _next(request)))
            form.add_error("code", WRONG_FIRST_CODE)
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, light="#fff", title=str(_("QR code to scan"))
    )
    return _form_page(
        request,
        "registration/mfa_enrol.html",
        form,
        status,
        title=_("Set up sign-in with a code"),
        qr_svg=mark_safe(qr),  # segno's own markup: the URL is escaped into path data
        secret=_spaced(b32encode(device.bin_key).decode("ascii")),
    )


def _spaced(secret):
    """The secret in groups of four, as authenticator apps show and accept it."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@require_safe
def recovery_codes(request):
    """The recovery codes made at enrolment, shown once: the session forgets them here."""
    codes = request.session.pop(mfa.NEW_CODES_KEY, None)
    return render(
        request,
        "registration/mfa_recovery_codes.html",
        {
            "title": _("Your recovery codes"),
            "codes": codes,
            "next": _next(request) or "",
        },
    )
