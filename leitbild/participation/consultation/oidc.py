"""Participation through OpenID Connect: authorization code flow with PKCE, nothing more.

Configured by three settings (read with ``getattr``; absent means the mode is not offered):

* ``LEITBILD_OIDC_ISSUER`` – e.g. ``https://login.stadt.example/realms/buerger``
* ``LEITBILD_OIDC_CLIENT_ID``
* ``LEITBILD_OIDC_CLIENT_SECRET`` – empty for a public client (PKCE alone)

The redirect URI to register at the provider is ``SITE_URL`` + ``/mitmachen/oidc/rueckkehr/``.

Why no signature check of the ID token: it is received directly from the token endpoint over
TLS in this flow, where OpenID Connect Core 1.0 §3.1.3.7 (6) allows TLS server validation in
place of the signature. Hence HTTPS is required for every endpoint (plain HTTP only on the
loopback interface, for tests), and issuer, audience, expiry and nonce are still checked.
Only ``sub`` is used, as a keyed hash; no profile data is requested (scope ``openid``).
"""

import base64
import hashlib
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from .identity import oidc_identity_candidates, same

TIMEOUT = 5
MAX_BYTES = 1_000_000
LEEWAY = 120  # seconds of clock difference tolerated for exp and iat
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class OidcError(Exception):
    """The login did not work; the message is for the log, never shown to the visitor."""


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_secret: str


def oidc_settings() -> OidcSettings:
    return OidcSettings(
        issuer=str(getattr(settings, "LEITBILD_OIDC_ISSUER", "") or "").rstrip("/"),
        client_id=str(getattr(settings, "LEITBILD_OIDC_CLIENT_ID", "") or ""),
        client_secret=str(getattr(settings, "LEITBILD_OIDC_CLIENT_SECRET", "") or ""),
    )


def _secure_url(url: str) -> bool:
    """HTTPS, or plain HTTP on the loopback interface only (the test provider)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return True
    return parts.scheme == "http" and parts.hostname in LOOPBACK


def oidc_configured() -> bool:
    config = oidc_settings()
    return bool(config.issuer and config.client_id and _secure_url(config.issuer))


def _fetch_json(request: urllib.request.Request) -> dict:
    if not _secure_url(request.full_url):
        raise OidcError(f"refusing insecure URL {request.full_url}")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise OidcError(f"HTTP {error.code} from {request.full_url}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise OidcError(f"cannot reach {request.full_url}: {error}") from None
    if len(body) > MAX_BYTES:
        raise OidcError("response too large")
    try:
        data = json.loads(body)
    except ValueError:
        raise OidcError("response is not JSON") from None
    if not isinstance(data, dict):
        raise OidcError("response is not a JSON object")
    return data


def discovery() -> dict:
    """The provider's discovery document, cached for an hour."""
    config = oidc_settings()
    key = "lb:oidc:discovery:" + hashlib.sha256(config.issuer.encode()).hexdigest()[:16]
    document = cache.get(key)
    if document is None:
        document = _fetch_json(urllib.request.Request(
            config.issuer + "/.well-known/openid-configuration",
            headers={"Accept": "application/json"}))
        if document.get("issuer", "").rstrip("/") != config.issuer:
            raise OidcError("issuer in the discovery document does not match")
        for name in ("authorization_endpoint", "token_endpoint"):
            if not isinstance(document.get(name), str) or not _secure_url(document[name]):
                raise OidcError(f"{name} missing or insecure")
        cache.set(key, document, 3600)
    return document


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def login_start(*, phase_id: int, redirect_uri: str) -> tuple[str, dict]:
    """The provider's authorization URL and the state to keep in a signed cookie."""
    config = oidc_settings()
    document = discovery()
    state = {
        "phase": phase_id,
        "state": secrets.token_urlsafe(24),
        "nonce": secrets.token_urlsafe(24),
        "verifier": secrets.token_urlsafe(48),
    }
    challenge = _b64url(hashlib.sha256(state["verifier"].encode("ascii")).digest())
    query = urllib.parse.urlencode({
        "response_type": "code",
        "client_id": config.client_id,
        "redirect_uri": redirect_uri,
        "scope": "openid",
        "state": state["state"],
        "nonce": state["nonce"],
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    })
    endpoint = document["authorization_endpoint"]
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}", state


def _claims(id_token: str) -> dict:
    try:
        payload = id_token.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        raise OidcError("ID token cannot be read") from None
    if not isinstance(data, dict):
        raise OidcError("ID token payload is not an object")
    return data


def login_finish(*, stored: dict, params, redirect_uri: str, now: float | None = None) -> str:
    """Exchange the code and check the ID token; returns the identity hash of ``sub`` (the
    one it took part in ``stored["phase"]`` under, if it did, whichever key made it)."""
    config = oidc_settings()
    if params.get("error"):
        raise OidcError(f"provider answered {str(params.get('error'))[:100]}")
    code, state = params.get("code", ""), params.get("state", "")
    if not code or not isinstance(stored, dict) or not same(str(state), str(stored.get("state"))):
        raise OidcError("state does not match")
    document = discovery()
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            "code_verifier": stored.get("verifier", ""), "client_id": config.client_id}
    headers = {"Accept": "application/json",
               "Content-Type": "application/x-www-form-urlencoded"}
    methods = document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    if config.client_secret:
        if "client_secret_basic" in methods:
            pair = (urllib.parse.quote(config.client_id, safe="") + ":"
                    + urllib.parse.quote(config.client_secret, safe=""))
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        else:
            form["client_secret"] = config.client_secret
    tokens = _fetch_json(urllib.request.Request(
        document["token_endpoint"], data=urllib.parse.urlencode(form).encode(),
        headers=headers, method="POST"))
    id_token = tokens.get("id_token")
    if not isinstance(id_token, str):
        raise OidcError("no ID token")
    claims = _claims(id_token)
    now = time.time() if now is None else now
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if str(claims.get("iss", "")).rstrip("/") != config.issuer:
        raise OidcError("wrong issuer")
    if config.client_id not in audiences:
        raise OidcError("wrong audience")
    if len(audiences) > 1 and claims.get("azp") != config.client_id:
        raise OidcError("wrong authorized party")
    exp = claims.get("exp")
    if not isinstance(exp, int | float) or exp + LEEWAY < now:
        raise OidcError("ID token expired")
    iat = claims.get("iat")
    if isinstance(iat, int | float) and iat - LEEWAY > now:
        raise OidcError("ID token issued in the future")
    if not same(str(claims.get("nonce", "")), str(stored.get("nonce", ""))):
        raise OidcError("nonce does not match")
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise OidcError("no subject")
    candidates = oidc_identity_candidates(config.issuer, subject)
    phase_id = stored.get("phase")
    if not isinstance(phase_id, int):
        return candidates[0]
    from .selectors import identity_hash_for

    return identity_hash_for(phase=phase_id, candidates=candidates)
