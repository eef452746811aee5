"""Keyed hashes and per-client rate limits, shared by every app that takes visitors' input."""

import hashlib
import time

from django.core.cache import cache
from django.utils.crypto import salted_hmac


def keyed_hash(value: str, *, salt: str) -> str:
    """A stable, keyed SHA-256 of ``value``: equal inputs match, the input cannot be read back."""
    return salted_hmac(salt, value, algorithm="sha256").hexdigest()


def client_key(request) -> str:
    """The rate-limit key of a client: a hash of its address, never the address itself."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return hashlib.sha256(address.encode()).hexdigest()[:32]


def rate_limited(request, key: str, *, allowed: int, window: int, count: bool = True) -> bool:
    """Count one request under ``key`` for this client; True once the allowance is used up.

    With ``count=False`` only look whether the allowance is used up already.
    """
    slot = f"lb:rl:{key}:{client_key(request)}:{int(time.time() // window)}"
    if not count:
        return (cache.get(slot) or 0) >= allowed
    cache.add(slot, 0, window)
    try:
        used = cache.incr(slot)
    except ValueError:  # the entry expired between add and incr
        cache.set(slot, 1, window)
        used = 1
    return used > allowed
