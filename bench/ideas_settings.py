"""Settings for bench/ideas_bench.py: the real settings plus one URL for the minimal view.

``LEITBILD_BENCH_CACHE=none`` swaps the cache for Django's DummyCache, so that every request
renders (the cold figures); ``LEITBILD_BENCH_RUN`` prefixes the cache keys, so that a Redis
database shared between runs cannot hand one run the pages of another.
"""

import os

from leitbild.settings import *  # noqa: F403

ROOT_URLCONF = "bench.ideas_urls"
# Requests are timed, not logged: the JSON request log would cost the same on every view.
LOGGING["root"]["level"] = "WARNING"  # noqa: F405

if os.environ.get("LEITBILD_BENCH_CACHE") == "none":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
CACHES["default"]["KEY_PREFIX"] = os.environ.get("LEITBILD_BENCH_RUN", "")  # noqa: F405
