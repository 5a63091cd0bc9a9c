from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.http import changes_data, login_required
from core.ratelimit import limited
from portal import accounts, mfa, mfa_views
from portal.throttle import throttled_by_address


def titled(title):
    return {"title": title}


app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        throttled_by_address(
            auth_views.LoginView.as_view(
                authentication_form=accounts.LoginForm,
                redirect_authenticated_user=True,
                extra_context=titled(_("Sign in")),
            )
        ),
        name="login",
    ),
    # POST only (Django's LogoutView), so a link on another site cannot sign anyone out.
    path("logout/", mfa.mfa_exempt(auth_views.LogoutView.as_view()), name="logout"),
    # The second factor, after the password (portal.mfa). Not marked changes_data: they change
    # only the signed-in person's own second factor, allowed by their session, not by a role.
    path("code/", mfa_views.verify, name="mfa_verify"),
    path("code/set-up/", mfa_views.enrol, name="mfa_enrol"),
    path("code/recovery-codes/", mfa_views.recovery_codes, name="mfa_recovery_codes"),
    path(
        "password/",
        # Our login_required before Django's own: an expired session gets HX-Redirect under HTMX.
        changes_data(
            login_required(
                auth_views.PasswordChangeView.as_view(
                    form_class=accounts.PasswordChangeForm,
                    success_url=reverse_lazy("accounts:password_change_done"),
                    extra_context=titled(_("Change your password")),
                )
            )
        ),
        name="password_change",
    ),
    path(
        "password/changed/",
        auth_views.PasswordChangeDoneView.as_view(
            extra_context=titled(_("Your password has been changed"))
        ),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        limited("password_reset")(
            auth_views.PasswordResetView.as_view(
                form_class=accounts.PasswordResetForm,
                success_url=reverse_lazy("accounts:password_reset_done"),
                email_template_name="registration/password_reset_email.txt",
                subject_template_name="registration/password_reset_subject.txt",
                extra_email_context={"site_name": settings.SITE_NAME},
                extra_context=titled(_("Reset your password")),
            )
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(extra_context=titled(_("Check your email"))),
        name="password_reset_done",
    ),
    # Not marked changes_data: the emailed token, not a role, is what allows this change; see
    # tests/test_accounts.py.
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=accounts.SetPasswordForm,
            success_url=reverse_lazy("accounts:password_reset_complete"),
            extra_context=titled(_("Choose a new password")),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            extra_context=titled(_("Your new password is set"))
        ),
        name="password_reset_complete",
    ),
]
