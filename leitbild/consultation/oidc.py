"""Participation through OpenID Connect: authorization code flow with PKCE, nothing more.

Configured by three settings (read with ``getattr``; absent means the mode is not offered):

* ``LEITBILD_OIDC_ISSUER`` – e.g. ``https://login.stadt.example/realms/buerger``
* ``LEITBILD_OIDC_CLIENT_ID``
* ``LEITBILD_OIDC_CLIENT_SECRET`` – empty for a public client (PKCE alone)

The redirect URI to register at the provider is ``SITE_URL`` + ``/mitmachen/oidc/rueckkehr/``.

The protocol is Authlib's (``OAuth2Session``: PKCE, client authentication, token exchange) and
the ID token is checked with joserfc, the JOSE library Authlib itself uses: its signature
against the issuer's published keys (``jwks_uri``, asymmetric algorithms only), then issuer,
audience, authorized party, expiry and nonce. A key the cached key set does not know makes us
fetch the set once more, so the provider can rotate its keys. Every endpoint must be HTTPS
(plain HTTP only on the loopback interface, for tests). Only ``sub`` is used, as a keyed hash;
no profile data is requested (scope ``openid``).
"""

import hashlib
import json
import secrets
import urllib.parse
from dataclasses import dataclass

import requests
from authlib.integrations.requests_client import OAuth2Session, OAuthError
from authlib.oidc.core import CodeIDToken
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from leitbild.core.errors import InvalidInput

from .identity import oidc_identity_candidates, same

TIMEOUT = 5
MAX_BYTES = 1_000_000
LEEWAY = 120  # seconds of clock difference tolerated for exp and iat
LOOPBACK = ("127.0.0.1", "localhost", "::1")
CACHE_SECONDS = 3600
# Public-key algorithms only: "none" and HMAC (keyed with the client secret) are never accepted.
ALGORITHMS = (
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "EdDSA",
)


class OidcError(InvalidInput):
    """The login did not work. ``reason`` is for the log and never shown: the visitor only
    learns that the login failed (``str(exc)``)."""

    code = "oidc_failed"
    default_message = gettext_lazy(
        "Die Anmeldung hat nicht geklappt. Bitte versuchen Sie es noch einmal."
    )

    def __init__(self, reason: str = "") -> None:
        self.reason = reason
        super().__init__()


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


def _get_json(url: str) -> dict:
    """A JSON object from ``url``: HTTPS, a timeout, no redirects, at most ``MAX_BYTES``."""
    if not _secure_url(url):
        raise OidcError(f"refusing insecure URL {url}")
    try:
        with requests.get(
            url,
            headers={"Accept": "application/json"},
            timeout=TIMEOUT,
            allow_redirects=False,
            stream=True,
        ) as response:
            if response.status_code != 200:
                raise OidcError(f"HTTP {response.status_code} from {url}")
            body = b""
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > MAX_BYTES:
                    raise OidcError(f"response from {url} too large")
    except requests.RequestException as error:
        raise OidcError(f"cannot reach {url}: {error}") from None
    try:
        data = json.loads(body)
    except ValueError:
        raise OidcError(f"response from {url} is not JSON") from None
    if not isinstance(data, dict):
        raise OidcError(f"response from {url} is not a JSON object")
    return data


def _cache_key(kind: str, url: str) -> str:
    return f"lb:oidc:{kind}:" + hashlib.sha256(url.encode()).hexdigest()[:16]


def discovery() -> dict:
    """The provider's discovery document, cached for an hour."""
    config = oidc_settings()
    key = _cache_key("discovery", config.issuer)
    document = cache.get(key)
    if document is None:
        document = _get_json(config.issuer + "/.well-known/openid-configuration")
        if str(document.get("issuer", "")).rstrip("/") != config.issuer:
            raise OidcError("issuer in the discovery document does not match")
        for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not isinstance(document.get(name), str) or not _secure_url(document[name]):
                raise OidcError(f"{name} missing or insecure")
        cache.set(key, document, CACHE_SECONDS)
    return document


def _key_set(document: dict, *, fresh: bool = False) -> KeySet:
    """The issuer's public keys from ``jwks_uri``, cached for an hour unless ``fresh``."""
    key = _cache_key("jwks", document["jwks_uri"])
    data = None if fresh else cache.get(key)
    if data is not None:
        return KeySet.import_key_set(data)
    data = _get_json(document["jwks_uri"])
    try:
        key_set = KeySet.import_key_set(data)
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise OidcError(f"the issuer's key set cannot be read: {error}") from None
    cache.set(key, data, CACHE_SECONDS)  # only a set that could be read
    return key_set


def _session(document: dict, redirect_uri: str) -> OAuth2Session:
    config = oidc_settings()
    if config.client_secret:
        methods = document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
        method = (
            "client_secret_basic" if "client_secret_basic" in methods else ("client_secret_post")
        )
    else:
        method = "none"
    return OAuth2Session(
        client_id=config.client_id,
        client_secret=config.client_secret or None,
        token_endpoint_auth_method=method,
        scope="openid",
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
    )


def login_start(*, phase_id: int, redirect_uri: str) -> tuple[str, dict]:
    """The provider's authorization URL and the state to keep in a signed cookie."""
    document = discovery()
    state = {
        "phase": phase_id,
        "state": secrets.token_urlsafe(24),
        "nonce": secrets.token_urlsafe(24),
        "verifier": secrets.token_urlsafe(48),
    }
    with _session(document, redirect_uri) as session:
        url, _ = session.create_authorization_url(
            document["authorization_endpoint"],
            state=state["state"],
            code_verifier=state["verifier"],
            nonce=state["nonce"],
        )
    return url, state


def _exchange(document: dict, *, code: str, verifier: str, redirect_uri: str) -> dict:
    with _session(document, redirect_uri) as session:
        try:
            return dict(
                session.fetch_token(
                    document["token_endpoint"],
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=verifier,
                    timeout=TIMEOUT,
                    allow_redirects=False,
                )
            )
        except OAuthError as error:
            raise OidcError(f"token endpoint answered {error.error}") from None
        except requests.RequestException as error:
            raise OidcError(f"cannot reach the token endpoint: {error}") from None
        except (ValueError, KeyError, TypeError):  # not a JSON object, or not a token
            raise OidcError("token endpoint answered something unreadable") from None


def _verified_claims(
    document: dict, id_token: str, *, nonce: str, access_token: str, now: float | None = None
) -> dict:
    """The ID token's claims once its signature and claims are checked; else ``OidcError``."""
    config = oidc_settings()
    supported = document.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = [name for name in ALGORITHMS if name in supported]
    if not algorithms:
        raise OidcError("the issuer offers no public-key signature algorithm")
    registry = JWSRegistry(algorithms=algorithms)
    try:
        try:
            token = jwt.decode(id_token, _key_set(document), registry=registry)
        except InvalidKeyIdError:
            # Perhaps the provider rotated its keys since we cached them.
            token = jwt.decode(id_token, _key_set(document, fresh=True), registry=registry)
        claims = CodeIDToken(
            token.claims,
            token.header,
            {
                "iss": {"essential": True, "value": document["issuer"]},
                "aud": {"essential": True, "value": config.client_id},
            },
            {"nonce": nonce, "client_id": config.client_id, "access_token": access_token},
        )
        claims.validate(now=None if now is None else int(now), leeway=LEEWAY)
    except JoseError as error:
        raise OidcError(f"ID token refused: {error}") from None
    except (ValueError, TypeError) as error:
        raise OidcError(f"ID token cannot be read: {error}") from None
    return dict(claims)


def login_finish(*, stored: dict, params, redirect_uri: str, now: float | None = None) -> str:
    """Exchange the code and check the ID token; returns the identity hash of ``sub`` (the
    one it took part in ``stored["phase"]`` under, if it did, whichever key made it)."""
    config = oidc_settings()
    if params.get("error"):
        raise OidcError(f"provider answered {str(params.get('error'))[:100]}")
    code, state = params.get("code", ""), params.get("state", "")
    if not code or not isinstance(stored, dict) or not same(str(state), str(stored.get("state"))):
        raise OidcError("state does not match")
    nonce = stored.get("nonce")
    if not isinstance(nonce, str) or not nonce:
        raise OidcError("no nonce kept")
    document = discovery()
    tokens = _exchange(
        document, code=code, verifier=str(stored.get("verifier", "")), redirect_uri=redirect_uri
    )
    id_token = tokens.get("id_token")
    if not isinstance(id_token, str):
        raise OidcError("no ID token")
    claims = _verified_claims(
        document, id_token, nonce=nonce, access_token=str(tokens.get("access_token", "")), now=now
    )
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise OidcError("no subject")
    candidates = oidc_identity_candidates(config.issuer, subject)
    phase_id = stored.get("phase")
    if not isinstance(phase_id, int):
        return candidates[0]
    from .selectors import identity_hash_for

    return identity_hash_for(phase=phase_id, candidates=candidates)
