"""Request and response helpers every app's views share: one HTMX-aware login_required, the
mark of views that change data, and safe redirects."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseNotAllowed
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators import http as django_http


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


# --- Allowed methods ---------------------------------------------------------------------------
# Every view says which methods it answers. AllowedMethodsMiddleware refuses the others with 405
# and an Allow header before the CSRF check runs, which would otherwise answer 403.


def require_http_methods(methods):
    """Django's decorator, and the methods marked on the view for AllowedMethodsMiddleware."""

    def decorator(view):
        view = django_http.require_http_methods(methods)(view)
        view.allowed_methods = frozenset(methods)
        return view

    return decorator


require_safe = require_http_methods(["GET", "HEAD"])
require_POST = require_http_methods(["POST"])


def allowed_methods(view):
    """The methods a URL's view answers, or None if it does not say (the admin's views)."""
    marked = getattr(view, "allowed_methods", None)
    if marked is not None:
        return marked
    view_class = getattr(view, "view_class", None)
    if view_class is None:
        return None
    methods = {m.upper() for m in view_class.http_method_names if hasattr(view_class, m)}
    if "GET" in methods:
        methods.add("HEAD")  # View.setup answers HEAD with get()
    return frozenset(methods)


class AllowedMethodsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        methods = allowed_methods(view)
        if methods is not None and request.method not in methods:
            return HttpResponseNotAllowed(sorted(methods))
        return None
