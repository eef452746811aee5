"""Whole-page caching of public pages for visitors without a session.

A public list page is the same for every anonymous visitor until the data behind it changes.
``cache_public_page`` stores the rendered page under a key made of the URL, the language and
a *version* that the view's ``version`` function reads cheaply from the database (e.g. the
newest change of any idea in the process). A write changes the version, so no explicit
invalidation is needed and it works with per-process caches as well as Redis.

Not cached: requests with a session (staff, or anyone with a message waiting), non-GET
requests, and responses other than 200. A view whose page changes at a known moment without
any write (e.g. when a phase ends) sets ``response.page_cache_timeout`` to the seconds until
then; the page is kept no longer than that.
"""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

PERSONAL_COOKIES = ("messages",)
T = TypeVar("T")


def versioned_key(namespace: str, *parts: object, version: object) -> str:
    """The one key scheme of everything cached under a version: a namespace, then a hash of
    the version and of what else tells the entries apart (path, filter, language, …). A new
    version makes new keys; the old entries are never read again and expire."""
    raw = repr((str(version), *parts))
    return f"leitbild:{namespace}:" + hashlib.sha256(raw.encode()).hexdigest()


def versioned_get_or_build(
    namespace: str, *parts: object, version: object, build: Callable[[], T], timeout: int
) -> tuple[T, bool]:
    """The value cached under ``versioned_key``, else ``build()`` stored there; and whether
    it came from the cache. ``build`` must not return None (None means "not cached")."""
    key = versioned_key(namespace, *parts, version=version)
    value: Any = cache.get(key)
    if value is not None:
        return value, True
    value = build()
    cache.set(key, value, timeout)
    return value, False


def _cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and not any(
        name in cookies for name in PERSONAL_COOKIES
    )


def cache_public_page(*, version: Callable[..., object], timeout: int = 600):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            key = versioned_key(
                "page",
                request.get_full_path(),
                getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
                version=version(request, *args, **kwargs),
            )
            hit = cache.get(key)
            if hit is not None:
                content, content_type = hit
                response = HttpResponse(content, content_type=content_type)
                response["X-Leitbild-Cache"] = "hit"
            else:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                keep = min(timeout, getattr(response, "page_cache_timeout", timeout))
                if (
                    response.status_code == 200
                    and not response.cookies
                    and not getattr(response, "streaming", False)
                    and keep > 0
                ):
                    cache.set(key, (response.content, response["Content-Type"]), keep)
                response["X-Leitbild-Cache"] = "miss"
            patch_vary_headers(response, ["Cookie"])
            return response

        return wrapped

    return decorator
