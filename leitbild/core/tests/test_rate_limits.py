"""One rate-limit mechanism: counters every worker sees, the client behind trusted proxies."""

import uuid
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from leitbild.core import security
from leitbild.core.models import RateLimit


def _request(remote="203.0.113.7", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.fixture(params=["database", "redis"])
def store(request, settings, db):
    """Both stores: the database table by default, Redis when REDIS_URL is set."""
    if request.param == "redis":
        settings.REDIS_URL = "redis://127.0.0.1:6379/11"
        try:
            security._redis().ping()
        except Exception:
            pytest.skip("no Redis on 127.0.0.1:6379")
    else:
        settings.REDIS_URL = ""
    return request.param


def _scope() -> str:
    return f"test:{uuid.uuid4().hex}"  # Redis keeps counters between test runs


def test_it_lets_exactly_the_allowance_through(store):
    scope, request = _scope(), _request()
    results = [security.rate_limited(request, scope, allowed=3, window=60) for _ in range(5)]
    assert results == [False, False, False, True, True]


def test_it_counts_each_client_apart(store):
    scope = _scope()
    assert not security.rate_limited(_request("203.0.113.7"), scope, allowed=1, window=60)
    assert security.rate_limited(_request("203.0.113.7"), scope, allowed=1, window=60)
    assert not security.rate_limited(_request("203.0.113.8"), scope, allowed=1, window=60)


def test_looking_does_not_count(store):
    scope, request = _scope(), _request()
    for _ in range(3):
        assert not security.rate_limited(request, scope, allowed=1, window=60, count=False)
    security.rate_limited(request, scope, allowed=1, window=60)
    assert security.rate_limited(request, scope, allowed=1, window=60, count=False)


def test_without_a_request_everybody_counts_together(store):
    scope = _scope()
    assert not security.rate_limited(None, scope, allowed=1, window=60)
    assert security.rate_limited(None, scope, allowed=1, window=60)


def test_a_mark_is_used_once(store):
    key = _scope()
    assert security.use_once(key, ttl=60) is True
    assert security.use_once(key, ttl=60) is False


def test_the_window_starts_again_when_it_has_ended(settings, db):
    settings.REDIS_URL = ""
    scope, request = _scope(), _request()
    assert not security.rate_limited(request, scope, allowed=1, window=60)
    assert security.rate_limited(request, scope, allowed=1, window=60)
    RateLimit.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not security.rate_limited(request, scope, allowed=1, window=60)


def test_the_table_holds_hashes_only_and_old_rows_are_pruned(settings, db, monkeypatch):
    settings.REDIS_URL = ""
    RateLimit.objects.create(key="a" * 64, count=3, expires_at=timezone.now() - timedelta(hours=1))
    monkeypatch.setattr(security.random, "randrange", lambda n: 0)
    security.rate_limited(_request(), "participation:support", allowed=5, window=60)
    keys = list(RateLimit.objects.values_list("key", flat=True))
    assert len(keys) == 1 and len(keys[0]) == 64
    assert "203.0.113.7" not in keys[0] and "support" not in keys[0]


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "client"),
    [
        (0, "203.0.113.7", "198.51.100.1", "203.0.113.7"),  # no proxy: the header is the client's
        (1, "10.0.0.2", "198.51.100.1", "198.51.100.1"),
        (1, "10.0.0.2", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # forged left part ignored
        (2, "10.0.0.2", "6.6.6.6, 198.51.100.1, 10.0.0.1", "198.51.100.1"),
        (2, "10.0.0.2", "198.51.100.1", "198.51.100.1"),  # fewer entries than proxies
        (1, "10.0.0.2", "kein-ip", "10.0.0.2"),
        (1, "10.0.0.2", "", "10.0.0.2"),
        (1, "10.0.0.2", None, "10.0.0.2"),
    ],
)
def test_the_client_is_taken_from_the_trusted_proxies(settings, count, remote, forwarded, client):
    settings.LEITBILD_TRUSTED_PROXY_COUNT = count
    assert security.client_address(_request(remote, forwarded)) == client


def test_an_ipv6_network_counts_as_one_client():
    a = security.client_key(_request("2001:db8:1:2::1"))
    b = security.client_key(_request("2001:db8:1:2:ffff::9"))
    c = security.client_key(_request("2001:db8:1:3::1"))
    assert a == b != c


def test_keyed_hashes_are_tried_under_every_key(settings):
    settings.SECRET_KEY = "neu-" + "n" * 50
    settings.SECRET_KEY_FALLBACKS = ["alt-" + "a" * 50]
    candidates = security.keyed_hash_candidates("wert", salt="test")
    assert candidates[0] == security.keyed_hash("wert", salt="test")
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "alt-" + "a" * 50, []
    assert candidates[1] == security.keyed_hash("wert", salt="test")


def test_without_redis_the_database_counts(settings, db):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    scope = _scope()
    assert not security.rate_limited(None, scope, allowed=1, window=60)
    assert security.rate_limited(None, scope, allowed=1, window=60)
    assert RateLimit.objects.count() == 1
