"""Failed staff logins are limited per client and per account, counted for all workers.

Django's ``authenticate`` has no limit of its own, and django-otp delays only wrong codes of
one device; together with these limits password guessing stays slow from many addresses
(per account) and against many accounts (per client).
"""

from django.conf import settings

from leitbild.core import security

# (failures, seconds) before further attempts are refused until the window ends.
DEFAULT_LOGIN_FAILURES = (10, 15 * 60)


def _limits() -> tuple[int, int]:
    allowed, window = getattr(settings, "LEITBILD_LOGIN_FAILURES", DEFAULT_LOGIN_FAILURES)
    return int(allowed), int(window)


def _counters(request, step: str, account: str) -> list[tuple[object, str]]:
    account_key = security.keyed_hash(account.strip().lower(), salt="leitbild.accounts.login")
    counters: list[tuple[object, str]] = [(None, f"accounts:{step}:account:{account_key}")]
    if request is not None:
        counters.append((request, f"accounts:{step}:client"))
    return counters


def login_blocked(request, *, step: str, account: str) -> bool:
    """Whether this client or this account used up its failed attempts of ``step``
    ("password" or "totp")."""
    allowed, window = _limits()
    return any(
        security.rate_limited(who, key, allowed=allowed, window=window, count=False)
        for who, key in _counters(request, step, account)
    )


def login_failed(request, *, step: str, account: str) -> None:
    """Count one failed attempt of ``step`` for this client and this account."""
    allowed, window = _limits()
    for who, key in _counters(request, step, account):
        security.rate_limited(who, key, allowed=allowed, window=window)
