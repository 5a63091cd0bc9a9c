"""Request and response helpers every app's views share: one HTMX-aware login_required, the
mark of views that change data, and safe redirects."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme


def changes_data(view):
    """Mark a view that changes data. tests/portal/test_permission_matrix.py finds every marked
    view in the URLconf and fails unless the matrix has a row for it, so no such endpoint goes
    untested.

    Put it outermost or innermost: functools.wraps copies the mark through other decorators.
    """
    view.changes_data = True
    return view


def login_required(view):
    """Like Django's, but an HTMX request whose session has expired gets HX-Redirect to the
    sign-in page (with the page the user was on as `next`) instead of the sign-in page's HTML
    swapped into the middle of the form."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if getattr(request, "htmx", False):
            login = redirect_to_login(request.htmx.current_url_abs_path or request.get_full_path())
            return hx_redirect(login["Location"])
        return redirect_to_login(request.get_full_path())

    return wrapper


def client_ip(request):
    """The client's address: the connection's own, or behind settings.TRUSTED_PROXY_COUNT proxies
    the address the outermost trusted proxy saw. Entries further left in X-Forwarded-For were
    written by the client itself and prove nothing."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [address for address in forwarded if address]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def hx_redirect(url):
    """Tell HTMX to load `url` as a whole page (a plain redirect would be swapped in)."""
    response = HttpResponse(status=204)
    response["HX-Redirect"] = url
    return response


def safe_next(request, candidate):
    """`candidate` if it is a local address to return to after a form, else None."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None
