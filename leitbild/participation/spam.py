"""Spam protection without third parties: ALTCHA proof of work, a honeypot and rate limits.

Also the keyed hashes that let us recognise a visitor or an address without storing it.
"""

import logging
import time

import altcha
from django.conf import settings

from leitbild.core import security

log = logging.getLogger(__name__)

HONEYPOT_FIELD = "website"
VISITOR_COOKIE = "lb_besucher"
VISITOR_COOKIE_SALT = "leitbild.participation.visitor"


def _setting(name: str, default):
    return getattr(settings, name, default)


def keyed_hash(value: str, *, purpose: str) -> str:
    return security.keyed_hash(value, salt=f"leitbild.participation.{purpose}")


def keyed_hash_candidates(value: str, *, purpose: str) -> list[str]:
    """``value``'s hashes under the current key and every fallback: for every lookup."""
    return security.keyed_hash_candidates(value, salt=f"leitbild.participation.{purpose}")


def email_hash(email: str) -> str:
    return keyed_hash(email.strip().lower(), purpose="email")


def email_hash_candidates(email: str) -> list[str]:
    return keyed_hash_candidates(email.strip().lower(), purpose="email")


def visitor_hash(token: str) -> str:
    return keyed_hash(token, purpose="visitor")


def visitor_hash_candidates(token: str) -> list[str]:
    return keyed_hash_candidates(token, purpose="visitor")


client_key = security.client_key


# --- Rate limits ---------------------------------------------------------------------------
# (requests, seconds) per client and action; generous for people, tight for scripts.
DEFAULT_RATE_LIMITS = {
    "submit": (10, 3600),
    "comment": (30, 3600),
    "support": (120, 3600),
    "report": (20, 3600),
    "similar": (300, 600),
    "challenge": (120, 600),
    # Ideas and comments sent without an ALTCHA solution (no JavaScript) go to pre-moderation
    # and have a much smaller allowance of their own, on top of the one above.
    "submit_nojs": (3, 3600),
    "comment_nojs": (5, 3600),
}


def rate_limited(request, action: str) -> bool:
    """Count one request of ``action``; True once the client has used up its allowance."""
    limits = _setting("LEITBILD_PARTICIPATION_RATE_LIMITS", {})
    allowed, window = limits.get(action, DEFAULT_RATE_LIMITS[action])
    return security.rate_limited(request, f"participation:{action}", allowed=allowed, window=window)


def post_rate_limited(request, action: str) -> bool:
    """Count a sent idea or comment form (``action`` "submit" or "comment"); one without an
    ALTCHA solution also counts against the stricter ``<action>_nojs`` allowance."""
    if rate_limited(request, action):
        return True
    return not request.POST.get(ALTCHA_FIELD) and rate_limited(request, f"{action}_nojs")


# --- ALTCHA --------------------------------------------------------------------------------
ALTCHA_FIELD = "altcha"


def _altcha_key() -> str:
    return _setting("LEITBILD_ALTCHA_HMAC_KEY", "") or keyed_hash("altcha", purpose="altcha-key")


def altcha_challenge() -> dict:
    """A new signed challenge for the widget (ALTCHA v2, PBKDF2). Stateless until solved."""
    expires = int(time.time()) + int(_setting("LEITBILD_ALTCHA_EXPIRES", 20 * 60))
    challenge = altcha.create_challenge(
        algorithm=_setting("LEITBILD_ALTCHA_ALGORITHM", "PBKDF2/SHA-256"),
        cost=int(_setting("LEITBILD_ALTCHA_COST", 5_000)),
        key_prefix=_setting("LEITBILD_ALTCHA_KEY_PREFIX", "00"),
        expires_at=expires,
        hmac_secret=_altcha_key(),
    )
    return challenge.to_dict()


def altcha_verify(payload: str) -> tuple[bool, str]:
    """Check a solved challenge once. Returns (ok, reason) with reason in
    {"", "missing", "invalid", "expired", "replayed"}.

    A solution is accepted only once: its signature is marked used in the store all workers
    share (``security.use_once``) until the challenge expires, so a replayed form is refused.
    """
    if not payload:
        return False, "missing"
    if len(payload) > 4000:
        return False, "invalid"
    try:
        result = altcha.verify_solution(payload, _altcha_key())
    except Exception:  # malformed input of any kind must not become a server error
        log.info("altcha payload could not be read")
        return False, "invalid"
    if result.expired:
        return False, "expired"
    if not result.verified:
        return False, "invalid"
    try:
        parsed = altcha.Payload.from_base64(payload)
        signature = parsed.challenge.signature or ""
        expires_at = int(parsed.challenge.parameters.expires_at or 0)
    except Exception:
        return False, "invalid"
    ttl = max(60, expires_at - int(time.time()) + 60)
    if not security.use_once(f"altcha:{signature}", ttl=ttl):
        return False, "replayed"
    return True, ""
