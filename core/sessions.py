"""An absolute lifetime for sign-ins: SESSION_COOKIE_AGE ends a session after inactivity, this
ends it SESSION_ABSOLUTE_SECONDS after the sign-in, however active it has been since."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver

from core.http import hx_redirect

SIGNED_IN_AT = "signed_in_at"


@receiver(user_logged_in, dispatch_uid="core_session_signed_in_at")
def _remember_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = int(time.time())


class AbsoluteSessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SIGNED_IN_AT)
            if started is None or time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                login = redirect_to_login(request.get_full_path())
                if request.headers.get("HX-Request") == "true":  # before django-htmx has run
                    return hx_redirect(login["Location"])
                return login
        return self.get_response(request)
