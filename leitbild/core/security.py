"""Keyed hashes, the client's address and rate limits, shared by every app that takes visitors'
input.

Limits are counted where every worker sees them: in the table ``core.RateLimit`` by default, in
Redis when ``REDIS_URL`` is set. (A per-process cache would multiply every limit by the number
of gunicorn workers and accept one solved challenge once per worker.)
"""

import hashlib
import ipaddress
import logging
import random
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

log = logging.getLogger(__name__)

# Expired counters are deleted by about one counted request in PRUNE_EVERY.
PRUNE_EVERY = 200


# --- Keyed hashes ----------------------------------------------------------------------------
def _secrets() -> list:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return list(dict.fromkeys(keys))


def keyed_hash(value: str, *, salt: str) -> str:
    """A stable, keyed SHA-256 of ``value`` under ``SECRET_KEY``: equal inputs match, the input
    cannot be read back. Use it to *store* a new identity."""
    return salted_hmac(salt, value, algorithm="sha256").hexdigest()


def keyed_hash_candidates(value: str, *, salt: str) -> list[str]:
    """The hashes ``value`` may be stored under: ``SECRET_KEY`` first, then every key of
    ``SECRET_KEY_FALLBACKS``. Every *lookup* of an identity filters with ``__in=`` these, so a
    key rotation neither forgets who took part nor lets them take part again."""
    return [
        salted_hmac(salt, value, secret=key, algorithm="sha256").hexdigest() for key in _secrets()
    ]


def stored_hash(candidates: list[str], queryset, field: str) -> str:
    """The hash to record an identity under: the candidate it is already stored under in
    ``field`` of ``queryset`` (an earlier key's), else the current key's (``candidates[0]``).

    Recording under the old hash lets the unique constraint that de-duplicates the identity
    refuse a second participation after a key rotation, as it does before one."""
    found = set(queryset.filter(**{f"{field}__in": candidates}).values_list(field, flat=True))
    return next((candidate for candidate in candidates if candidate in found), candidates[0])


# --- The client ------------------------------------------------------------------------------
def client_address(request) -> str:
    """The client's IP address. Behind ``LEITBILD_TRUSTED_PROXY_COUNT`` reverse proxies it is
    the N-th address from the right of ``X-Forwarded-For`` (each proxy appends the address it
    was connected from; everything left of that may be forged by the client)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    trusted = int(getattr(settings, "LEITBILD_TRUSTED_PROXY_COUNT", 0) or 0)
    if trusted > 0:
        forwarded = [
            part.strip()
            for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
            if part.strip()
        ]
        if forwarded:
            candidate = forwarded[-trusted] if len(forwarded) >= trusted else forwarded[0]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote or "unknown"


def client_key(request) -> str:
    """The rate-limit key of a client: a hash of its address, never the address itself.

    An IPv6 client usually holds a whole /64, so that network counts as one client."""
    address = client_address(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        pass
    else:
        if parsed.version == 6 and parsed.ipv4_mapped is None:
            address = str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return hashlib.sha256(address.encode()).hexdigest()[:32]


# --- Shared counters -------------------------------------------------------------------------
_redis_clients: dict = {}


def _redis():
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return None
    client = _redis_clients.get(url)
    if client is None:
        import redis

        client = _redis_clients[url] = redis.Redis.from_url(url, socket_timeout=5)
    return client


def _counter_key(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


def _db_take(key: str, *, allowed: int, window: int, count: bool) -> bool:
    from .models import RateLimit

    now = timezone.now()
    if not count:
        used = (
            RateLimit.objects.filter(key=key, expires_at__gt=now)
            .values_list("count", flat=True)
            .first()
        )
        return (used or 0) < allowed
    # The row lock (SELECT … FOR UPDATE on PostgreSQL, the IMMEDIATE transaction's write lock
    # on SQLite) makes concurrent workers count one after the other.
    with transaction.atomic():
        RateLimit.objects.bulk_create(
            [RateLimit(key=key, count=0, expires_at=now + timedelta(seconds=window))],
            ignore_conflicts=True,
        )
        row = RateLimit.objects.select_for_update().get(key=key)
        if row.expires_at <= now:
            row.count, row.expires_at = 0, now + timedelta(seconds=window)
        taken = row.count < allowed
        if taken:
            row.count += 1
        row.save(update_fields=["count", "expires_at"])
    if random.randrange(PRUNE_EVERY) == 0:
        RateLimit.objects.filter(expires_at__lt=now).delete()
    return taken


def _redis_take(client, key: str, *, allowed: int, window: int, count: bool) -> bool:
    name = f"lb:rl:{key}"
    if not count:
        return int(client.get(name) or 0) < allowed
    pipe = client.pipeline()  # MULTI … EXEC: nobody counts between SET and INCR
    pipe.set(name, 0, ex=window, nx=True)
    pipe.incr(name)
    return pipe.execute()[1] <= allowed


def take(name: str, *, allowed: int, window: int, count: bool = True) -> bool:
    """Use one of ``allowed`` uses of ``name`` per ``window`` seconds, counted for all workers;
    False once they are used up. With ``count=False`` only look whether one is left."""
    key = _counter_key(name)
    client = _redis()
    if client is not None:
        import redis

        try:
            return _redis_take(client, key, allowed=allowed, window=window, count=count)
        except redis.RedisError:
            # Limits must not fail open, nor turn a Redis outage into errors for visitors.
            log.warning("redis unavailable, counting rate limits in the database")
    return _db_take(key, allowed=allowed, window=window, count=count)


def rate_limited(request, key: str, *, allowed: int, window: int, count: bool = True) -> bool:
    """Count one request under ``key`` for this client; True once the allowance is used up.

    ``request`` None counts for everybody together (e.g. failed logins of one account).
    With ``count=False`` only look whether the allowance is used up already.
    """
    name = key if request is None else f"{key}:{client_key(request)}"
    return not take(name, allowed=allowed, window=window, count=count)


def use_once(key: str, *, ttl: int) -> bool:
    """True the first time ``key`` is used within ``ttl`` seconds, False ever after (across all
    workers). For single-use proofs such as a solved ALTCHA challenge."""
    return take(f"once:{key}", allowed=1, window=ttl)
