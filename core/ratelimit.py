"""Rate limits per client address, kept in the shared cache (Redis in production), so that they
count across every app server. A fixed window per bucket: cheap, and good enough to stop floods.

Buckets and limits are in settings.RATE_LIMITS: {bucket: (requests, seconds)}; a bucket left out
is not limited. "post" covers every form POST (RateLimitMiddleware); views add their own buckets
with `limited(bucket)`, or ask `allow(request, bucket)` before expensive work.
"""

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from core.http import client_ip


class RateLimited(Exception):
    def __init__(self, retry_after):
        super().__init__(f"rate limited; retry after {retry_after} s")
        self.retry_after = retry_after


def check(request, bucket):
    """Count one request of `bucket` for the client; RateLimited when over the limit."""
    limit = settings.RATE_LIMITS.get(bucket)
    if not limit:
        return
    count, seconds = limit
    window = int(time.time() // seconds)
    key = f"ratelimit:{bucket}:{client_ip(request)}:{window}"
    cache.add(key, 0, seconds + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.add(key, 1, seconds + 1)
        used = 1
    if used > count:
        raise RateLimited(retry_after=seconds - int(time.time() % seconds))


def too_many_requests(request, retry_after):
    response = render(
        request, "core/too_many_requests.html", {"retry_after": retry_after}, status=429
    )
    response["Retry-After"] = str(retry_after)
    return response


def limited(bucket):
    """A view decorator: the view's POSTs count in `bucket` too; beyond its limit, the 429 page.
    Showing the form (GET) costs nothing."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                try:
                    check(request, bucket)
                except RateLimited as limit:
                    return too_many_requests(request, limit.retry_after)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class RateLimitMiddleware:
    """Every POST counts in the "post" bucket, before the view (and the CSRF check) runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            try:
                check(request, "post")
            except RateLimited as limit:
                return too_many_requests(request, limit.retry_after)
        return self.get_response(request)
