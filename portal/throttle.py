"""A looser limit on failed sign-ins per client address, beside django-axes' per (username,
address) lockout: one machine cannot go on guessing passwords of many different accounts."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver

from core.http import client_ip
from portal.accounts import locked_out


def _key(request):
    return f"login-failures:{client_ip(request)}"


@receiver(user_login_failed, dispatch_uid="throttle_count_failure")
def _count_failure(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    key = _key(request)
    window = int(settings.AXES_COOLOFF_TIME.total_seconds())
    if not cache.add(key, 1, window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, window)


def throttled_by_address(view):
    """Refuse sign-in attempts (429, the lockout page) from an address with too many failures."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and (cache.get(_key(request)) or 0) >= (
            settings.LOGIN_IP_FAILURE_LIMIT
        ):
            return locked_out(request)
        return view(request, *args, **kwargs)

    return wrapper
