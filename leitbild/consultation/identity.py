"""Keyed hashes and cookies: how a participant is recognised without being stored.

Every identity (a code, an e-mail address, an OIDC subject, a browser) becomes a keyed
HMAC-SHA256 with ``SECRET_KEY`` and a purpose of its own, so the same person has unrelated
hashes in different uses, and a copy of the database alone cannot test guesses.
"""

import hashlib
import hmac
import secrets

from django.utils.crypto import constant_time_compare

from leitbild.core import security
from leitbild.documents.letters import code_hash_candidates, normalize_code

_SALT = "leitbild.consultation"

# Cookies. Values are signed (``set_signed_cookie``), so a visitor cannot forge them.
BROWSER_COOKIE = "lb_mitmachen"  # open mode: one random token per browser
IDENTITY_COOKIE = "lb_zugang_{phase}"  # a random token of an AccessGrant (never the proof)
BALLOT_COOKIE = "lb_stimme_{phase}"  # the per-ballot token that allows changing a ballot
DRAFT_COOKIE = "lb_umfrage_{phase}"  # the token of a survey draft
OIDC_COOKIE = "lb_oidc"  # state, nonce and PKCE verifier during the login round trip
COOKIE_SALT = "leitbild.consultation.cookie"


def keyed_hash(value: str, *, purpose: str) -> str:
    return security.keyed_hash(value, salt=f"{_SALT}.{purpose}")


def keyed_hash_candidates(value: str, *, purpose: str) -> list[str]:
    """``value``'s hashes under the current key and every fallback: for every lookup."""
    return security.keyed_hash_candidates(value, salt=f"{_SALT}.{purpose}")


def email_identity(email: str) -> str:
    return keyed_hash(email.strip().lower(), purpose="email")


def email_identity_candidates(email: str) -> list[str]:
    return keyed_hash_candidates(email.strip().lower(), purpose="email")


def oidc_identity(issuer: str, subject: str) -> str:
    return keyed_hash(f"{issuer}\n{subject}", purpose="oidc")


def oidc_identity_candidates(issuer: str, subject: str) -> list[str]:
    return keyed_hash_candidates(f"{issuer}\n{subject}", purpose="oidc")


def browser_identity(token: str) -> str:
    return keyed_hash(token, purpose="browser")


def browser_identity_candidates(token: str) -> list[str]:
    return keyed_hash_candidates(token, purpose="browser")


def code_candidates(raw: str) -> list[str]:
    """Hashes under which a typed code may be stored (current key and fallbacks); [] if the
    input is not even shaped like a code."""
    code = normalize_code(raw) if isinstance(raw, str) else None
    return code_hash_candidates(code) if code else []


def new_token() -> str:
    return secrets.token_urlsafe(32)


def ballot_key(token: str) -> str:
    """Stored on the ballot; found again with the token from the participant's cookie."""
    return keyed_hash(token, purpose="ballot-token")


def participation_key(token: str) -> str:
    """Stored on the participation: a *different* keyed hash of the same token, so the two
    rows cannot be paired by anyone who does not hold the token."""
    return keyed_hash(token, purpose="participation-token")


def draft_key(token: str) -> str:
    return keyed_hash(token, purpose="survey-draft")


def token_hash(token: str) -> str:
    return keyed_hash(token, purpose="email-confirmation")


def grant_key(token: str) -> str:
    """How an ``AccessGrant`` is found from the token in the browser's cookie."""
    return keyed_hash(token, purpose="access-grant")


def _pad(token: str, length: int) -> bytes:
    # HMAC-SHA256 keyed with the token itself (not with SECRET_KEY) in counter mode: a key
    # stream only the browser can recreate. Each token seals exactly one value.
    blocks = [
        hmac.new(token.encode(), f"{_SALT}.grant-pad.{i}".encode(), hashlib.sha256).digest()
        for i in range(-(-length // 32))
    ]
    return b"".join(blocks)[:length]


def seal(value: str, token: str) -> str:
    """``value`` encrypted with a key derived from ``token``: unreadable without the token."""
    data = value.encode()
    return bytes(a ^ b for a, b in zip(data, _pad(token, len(data)), strict=True)).hex()


def unseal(sealed: str, token: str) -> str:
    try:
        data = bytes.fromhex(sealed)
        return bytes(a ^ b for a, b in zip(data, _pad(token, len(data)), strict=True)).decode()
    except ValueError:  # not hex, or a wrong token giving no UTF-8
        return ""


def same(a: str, b: str) -> bool:
    return constant_time_compare(a, b)


def cookie_name(template: str, phase_id: int) -> str:
    return template.format(phase=phase_id)
