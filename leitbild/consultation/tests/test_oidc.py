"""Participation through OpenID Connect, against a fake provider on 127.0.0.1 that signs its
ID tokens (RS256) with a key it publishes at its JWKS endpoint, like a real one."""

import base64
import hashlib
import json
import logging
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client
from django.urls import reverse
from joserfc import jwt
from joserfc.jwk import RSAKey

from .conftest import stored_ballots


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _rsa_key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid})


class FakeIssuer:
    """Discovery, a key set, an authorization endpoint that approves at once, a token endpoint
    that checks the client secret and PKCE and signs the ID token with ``signing_key``.
    ``tamper`` changes claims of the ID tokens, ``forge`` (if set) replaces their text."""

    def __init__(self):
        self.grants: dict[str, dict] = {}
        self.subject = "person-1"
        self.tamper: dict = {}
        self.key = _rsa_key("schluessel-1")
        self.published = [self.key]
        self.signing_key = self.key
        self.forge = None
        self.jwks_requests = 0
        self.public_client = False  # PKCE alone, no client secret
        self.delay = 0.0  # seconds the token endpoint takes
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                if url.path == "/.well-known/openid-configuration":
                    return self._json(
                        200,
                        {
                            "issuer": issuer.url,
                            "authorization_endpoint": issuer.url + "/auth",
                            "token_endpoint": issuer.url + "/token",
                            "jwks_uri": issuer.url + "/jwks",
                            "id_token_signing_alg_values_supported": ["RS256"],
                            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
                        },
                    )
                if url.path == "/jwks":
                    issuer.jwks_requests += 1
                    if issuer.published is None:
                        return self._json(500, {})
                    return self._json(
                        200,
                        {
                            "keys": [
                                key if isinstance(key, dict) else key.as_dict(private=False)
                                for key in issuer.published
                            ]
                        },
                    )
                if url.path == "/auth":
                    query = dict(urllib.parse.parse_qsl(url.query))
                    code = f"code-{len(issuer.grants)}"
                    issuer.grants[code] = query
                    target = (
                        query["redirect_uri"]
                        + "?"
                        + urllib.parse.urlencode({"code": code, "state": query["state"]})
                    )
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.end_headers()
                    return None
                return self._json(404, {})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                time.sleep(issuer.delay)
                if issuer.public_client:
                    authenticated = (
                        "Authorization" not in self.headers and form.get("client_id") == "leitbild"
                    )
                else:
                    authenticated = self.headers.get("Authorization") == (
                        "Basic " + base64.b64encode(b"leitbild:geheim").decode()
                    )
                if not authenticated:
                    return self._json(401, {"error": "invalid_client"})
                grant = issuer.grants.pop(form.get("code"), None)
                if grant is None:
                    return self._json(400, {"error": "invalid_grant"})
                challenge = (
                    base64.urlsafe_b64encode(
                        hashlib.sha256(form["code_verifier"].encode()).digest()
                    )
                    .rstrip(b"=")
                    .decode()
                )
                if challenge != grant["code_challenge"]:
                    return self._json(400, {"error": "invalid_grant"})
                claims = {
                    "iss": issuer.url,
                    "aud": "leitbild",
                    "sub": issuer.subject,
                    "nonce": grant["nonce"],
                    "iat": int(time.time()),
                    "exp": int(time.time()) + 300,
                } | issuer.tamper
                key = issuer.signing_key
                token = jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)
                if issuer.forge:
                    token = issuer.forge(token, claims)
                return self._json(
                    200, {"access_token": "x", "token_type": "Bearer", "id_token": token}
                )

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def issuer(settings):
    with FakeIssuer() as fake:
        settings.LEITBILD_OIDC_ISSUER = fake.url
        settings.LEITBILD_OIDC_CLIENT_ID = "leitbild"
        settings.LEITBILD_OIDC_CLIENT_SECRET = "geheim"
        yield fake


def _login(client: Client, phase_id: int) -> object:
    start = client.post(reverse("consultation:oidc_start", args=[phase_id]))
    assert start.status_code == 302
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(start["Location"]).query))
    assert query["code_challenge_method"] == "S256" and query["scope"] == "openid"

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(start["Location"], timeout=5)
    except urllib.error.HTTPError as redirect:
        back = redirect.headers["Location"]
    parts = urllib.parse.urlsplit(back)
    return client.get(parts.path + "?" + parts.query)


def test_a_resident_logs_in_and_votes_once(issuer, make_weighting, fields):
    weighting = make_weighting("pick", mode="oidc", pick_k=2)
    url = reverse("consultation:ballot", args=[weighting.phase_id])
    client = Client()
    assert "Anmelden und teilnehmen" in client.get(url).content.decode()
    callback = _login(client, weighting.phase_id)
    assert callback.status_code == 302 and callback["Location"] == url
    assert client.post(url, {"auswahl": [fields[0].pk]}).status_code == 302
    # The same person in another browser is refused.
    other = Client()
    assert _login(other, weighting.phase_id).status_code == 302
    assert other.post(url, {"auswahl": [fields[1].pk]}).status_code == 403
    # Someone else may vote.
    issuer.subject = "person-2"
    third = Client()
    _login(third, weighting.phase_id)
    assert third.post(url, {"auswahl": [fields[1].pk]}).status_code == 302
    assert len(stored_ballots()) == 2


def _refused(client: Client, phase_id: int, caplog, reason: str) -> None:
    with caplog.at_level(logging.WARNING):
        response = _login(client, phase_id)
    assert response.status_code == 400
    assert "Anmeldung hat nicht geklappt" in response.content.decode()
    assert reason in caplog.text


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        ({"nonce": "falsch"}, "invalid_claim: Invalid claim: 'nonce'"),
        ({"aud": "andere-app"}, "invalid_claim: Invalid claim: 'aud'"),
        ({"iss": "http://127.0.0.1:1"}, "invalid_claim: Invalid claim: 'iss'"),
        ({"exp": int(time.time()) - 3600}, "expired_token"),
    ],
)
def test_a_token_whose_claims_do_not_fit_is_refused(issuer, make_weighting, caplog, tamper, reason):
    weighting = make_weighting("pick", mode="oidc", pick_k=2)
    issuer.tamper = tamper
    _refused(Client(), weighting.phase_id, caplog, reason)
    assert stored_ballots() == []


def _flip_signature(token: str, claims: dict) -> str:
    head, payload, signature = token.split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
    raw[0] ^= 0xFF
    return f"{head}.{payload}.{base64.urlsafe_b64encode(bytes(raw)).rstrip(b'=').decode()}"


def _other_claims(token: str, claims: dict) -> str:
    """The signature of the real token on claims the issuer never signed."""
    head, _, signature = token.split(".")
    return f"{head}.{_b64(claims | {'sub': 'jemand-anderes'})}.{signature}"


def _unsigned(token: str, claims: dict) -> str:
    return f"{_b64({'alg': 'none'})}.{_b64(claims)}."


@pytest.mark.parametrize(
    ("forge", "reason"),
    [
        (_flip_signature, "bad_signature"),
        (_other_claims, "bad_signature"),
        (_unsigned, "unsupported_algorithm"),
    ],
)
def test_a_token_with_a_bad_signature_is_refused(issuer, make_weighting, caplog, forge, reason):
    weighting = make_weighting("pick", mode="oidc", pick_k=2)
    issuer.forge = forge
    _refused(Client(), weighting.phase_id, caplog, reason)
    assert stored_ballots() == []


def test_a_token_signed_by_a_key_the_issuer_does_not_publish_is_refused(
    issuer, make_weighting, caplog
):
    weighting = make_weighting("pick", mode="oidc", pick_k=2)
    issuer.signing_key = _rsa_key("fremder-schluessel")
    _refused(Client(), weighting.phase_id, caplog, "invalid_key_id")
    assert issuer.jwks_requests == 2  # the cached set, then a fresh one in case of a rotation


def test_a_token_signed_by_another_key_under_the_published_key_id_is_refused(
    issuer, make_weighting, caplog
):
    weighting = make_weighting("pick", mode="oidc", pick_k=2)
    issuer.signing_key = _rsa_key(issuer.key.kid)
    _refused(Client(), weighting.phase_id, caplog, "bad_signature")


def test_a_rotated_issuer_key_is_fetched_once_and_then_cached(issuer, make_weighting):
    weighting = make_weighting("pick", mode="oidc", pick_k=2)
    assert _login(Client(), weighting.phase_id).status_code == 302
    assert _login(Client(), weighting.phase_id).status_code == 302
    assert issuer.jwks_requests == 1
    issuer.signing_key = _rsa_key("schluessel-2")
    issuer.published = [issuer.key, issuer.signing_key]
    assert _login(Client(), weighting.phase_id).status_code == 302
    assert issuer.jwks_requests == 2


def test_an_unreachable_key_set_is_a_refusal_not_an_error(issuer, make_weighting, caplog):
    weighting = make_weighting("pick", mode="oidc", pick_k=2)
    issuer.published = None  # the JWKS endpoint answers 500
    _refused(Client(), weighting.phase_id, caplog, "HTTP 500")


def test_an_unreadable_key_set_is_a_refusal_and_not_cached(issuer, make_weighting, caplog):
    weighting = make_weighting("pick", mode="oidc", pick_k=2)
    good, issuer.published = issuer.published, [{"kty": "RSA", "kid": "kaputt"}]
    _refused(Client(), weighting.phase_id, caplog, "key set cannot be read")
    issuer.published = good
    assert _login(Client(), weighting.phase_id).status_code == 302


def test_a_token_endpoint_that_refuses_the_code_is_a_refusal(
    issuer, make_weighting, caplog, settings
):
    weighting = make_weighting("pick", mode="oidc", pick_k=2)
    settings.LEITBILD_OIDC_CLIENT_SECRET = "falsch"
    _refused(Client(), weighting.phase_id, caplog, "invalid_client")


def test_a_public_client_logs_in_with_pkce_alone(issuer, make_weighting, settings):
    weighting = make_weighting("pick", mode="oidc", pick_k=2)
    settings.LEITBILD_OIDC_CLIENT_SECRET = ""
    issuer.public_client = True
    assert _login(Client(), weighting.phase_id).status_code == 302


def test_a_token_response_without_an_id_token_is_a_refusal(issuer, make_weighting, caplog):
    weighting = make_weighting("pick", mode="oidc", pick_k=2)
    issuer.forge = lambda token, claims: None  # the endpoint answers {"id_token": null}
    _refused(Client(), weighting.phase_id, caplog, "no ID token")


def test_a_slow_token_endpoint_is_a_refusal(issuer, make_weighting, caplog, monkeypatch):
    from leitbild.consultation import oidc

    weighting = make_weighting("pick", mode="oidc", pick_k=2)
    monkeypatch.setattr(oidc, "TIMEOUT", 0.2)
    issuer.delay = 1.0
    _refused(Client(), weighting.phase_id, caplog, "cannot reach the token endpoint")


def test_a_callback_with_a_wrong_state_is_refused(issuer, make_weighting):
    weighting = make_weighting("pick", mode="oidc", pick_k=2)
    client = Client()
    client.post(reverse("consultation:oidc_start", args=[weighting.phase_id]))
    response = client.get(reverse("consultation:oidc_callback"), {"code": "x", "state": "falsch"})
    assert response.status_code == 400


def test_plain_http_issuers_are_refused_except_on_loopback(settings):
    from leitbild.consultation.oidc import oidc_configured

    settings.LEITBILD_OIDC_CLIENT_ID = "leitbild"
    settings.LEITBILD_OIDC_ISSUER = "http://login.stadt.example"
    assert not oidc_configured()
    settings.LEITBILD_OIDC_ISSUER = "https://login.stadt.example"
    assert oidc_configured()
