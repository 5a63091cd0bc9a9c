"""The production settings plus one bare view (bench/urls.py), for the HTTP benchmarks only."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
PAGE_CACHE_UNCACHED_PATHS = (*PAGE_CACHE_UNCACHED_PATHS, "/bench/ok")  # noqa: F405
