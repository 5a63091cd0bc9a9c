"""The public page cache: anonymous pages served from a shared cache, keyed by the data version.

A page is stored under its URL (language included, since it is in the path), the HX-Request
header, the day (overdue flags and "3 months ago" move with it) and the data version, which every
write moves on (core.dataversion). So a change shows on the very next request and nothing has to
be invalidated by hand; old entries simply stop being asked for and expire.

Who is served from it: GET and HEAD requests without a session or messages cookie, i.e. visitors
who are not signed in. Signed-in users always get a fresh page. What is stored: complete 200
answers that set no cookie and do not say private or no-store. Each stored page carries an ETag
and a Last-Modified, so a browser's conditional request is answered 304 without a body (Django's
ConditionalGetMiddleware, placed above this one).
"""

import datetime
import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

from core import dataversion

CACHED_STATUS = 200
PRIVATE = ("private", "no-store")


def _identified(request):
    """The request carries a session or pending messages: it may show personal content."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies


def page_key(request, version, day):
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    htmx = "hx" if request.headers.get("HX-Request") == "true" else "page"
    return f"page:{version}:{day.isoformat()}:{htmx}:{path}"


def _storable(response):
    if response.status_code != CACHED_STATUS or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "")
    return not any(word in cache_control for word in PRIVATE)


def _mark(response, changed_at, day):
    """ETag from the body; Last-Modified no earlier than today's start (the day is in the key)."""
    response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    start_of_day = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    modified = max(changed_at or start_of_day, start_of_day)
    response["Last-Modified"] = http_date(modified.timestamp())
    # Browsers keep the page but ask again each time; the answer is usually a 304.
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method not in ("GET", "HEAD")
            or _identified(request)
            or not settings.PAGE_CACHE_SECONDS  # 0 turns the cache off
            # Pages that must not even read the data version first (/healthz: with the
            # database down it still answers, to say so).
            or request.path in settings.PAGE_CACHE_UNCACHED_PATHS
        ):
            return self.get_response(request)
        cache = caches[settings.PAGE_CACHE_ALIAS]
        version, changed_at = request.data_version = dataversion.current()
        day = timezone.localdate()
        key = page_key(request, version, day)
        response = cache.get(key)
        if response is not None:
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if request.method == "GET" and _storable(response):
            _mark(response, changed_at, day)
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response


def cached_by_data_version(view):
    """Keep a costly public view's answer (the sitemap) in the pages cache under the data
    version, for everyone and even when the page cache is off (PAGE_CACHE_SECONDS=0): it shows
    no personal content, and any write moves the version on. VIEW_CACHE_SECONDS=0 turns it off.
    Costs the data version query, unless the page cache read it for this request already."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        seconds = settings.VIEW_CACHE_SECONDS
        if not seconds or request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        version, _changed_at = getattr(request, "data_version", None) or dataversion.current()
        key = "view:" + page_key(request, version, timezone.localdate())
        cache = caches[settings.PAGE_CACHE_ALIAS]
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()  # a TemplateResponse: stored with its content
            if _storable(response):
                cache.set(key, response, seconds)
        return response

    return wrapped
