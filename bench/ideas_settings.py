"""Settings for bench/ideas_bench.py: the real settings plus one URL for the minimal view."""

from leitbild.settings import *  # noqa: F403

ROOT_URLCONF = "bench.ideas_urls"
# Requests are timed, not logged: the JSON request log would cost the same on every view.
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
