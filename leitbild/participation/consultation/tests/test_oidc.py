"""Participation through OpenID Connect, against a fake provider on 127.0.0.1 that signs its
ID tokens (RS256) with a key it publishes at its JWKS endpoint, like a real one."""

import base64
import hashlib
import json
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
                    return self._json(200, {
                        "issuer": issuer.url, "authorization_endpoint": issuer.url + "/auth",
                        "token_endpoint": issuer.url + "/token",
                        "jwks_uri": issuer.url + "/jwks",
                        "id_token_signing_alg_values_supported": ["RS256"],
                        "token_endpoint_auth_methods_supported": ["client_secret_basic"]})
                if url.path == "/jwks":
                    issuer.jwks_requests += 1
                    return self._json(200, {"keys": [
                        key.as_dict(private=False) for key in issuer.published]})
                if url.path == "/auth":
                    query = dict(urllib.parse.parse_qsl(url.query))
                    code = f"code-{len(issuer.grants)}"
                    issuer.grants[code] = query
                    target = query["redirect_uri"] + "?" + urllib.parse.urlencode(
                        {"code": code, "state": query["state"]})
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.end_headers()
                    return None
                return self._json(404, {})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                expected = "Basic " + base64.b64encode(b"leitbild:geheim").decode()
                if self.headers.get("Authorization") != expected:
                    return self._json(401, {"error": "invalid_client"})
                grant = issuer.grants.pop(form.get("code"), None)
                if grant is None:
                    return self._json(400, {"error": "invalid_grant"})
                challenge = base64.urlsafe_b64encode(hashlib.sha256(
                    form["code_verifier"].encode()).digest()).rstrip(b"=").decode()
                if challenge != grant["code_challenge"]:
                    return self._json(400, {"error": "invalid_grant"})
                claims = {"iss": issuer.url, "aud": "leitbild", "sub": issuer.subject,
                          "nonce": grant["nonce"], "iat": int(time.time()),
                          "exp": int(time.time()) + 300} | issuer.tamper
                key = issuer.signing_key
                token = jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)
                if issuer.forge:
                    token = issuer.forge(token, claims)
                return self._json(200, {"access_token": "x", "token_type": "Bearer",
                                        "id_token": token})

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


@pytest.mark.parametrize("tamper", [{"nonce": "falsch"}, {"aud": "andere-app"},
                                    {"iss": "http://127.0.0.1:1"}, {"exp": 1}])
def test_a_token_that_does_not_fit_is_refused(issuer, make_weighting, tamper):
    weighting = make_weighting("pick", mode="oidc", pick_k=2)
    issuer.tamper = tamper
    client = Client()
    response = _login(client, weighting.phase_id)
    assert response.status_code == 400
    assert "Anmeldung hat nicht geklappt" in response.content.decode()


def test_a_callback_with_a_wrong_state_is_refused(issuer, make_weighting):
    weighting = make_weighting("pick", mode="oidc", pick_k=2)
    client = Client()
    client.post(reverse("consultation:oidc_start", args=[weighting.phase_id]))
    response = client.get(reverse("consultation:oidc_callback"), {"code": "x",
                                                                   "state": "falsch"})
    assert response.status_code == 400


def test_plain_http_issuers_are_refused_except_on_loopback(settings):
    from leitbild.participation.consultation.oidc import oidc_configured

    settings.LEITBILD_OIDC_CLIENT_ID = "leitbild"
    settings.LEITBILD_OIDC_ISSUER = "http://login.stadt.example"
    assert not oidc_configured()
    settings.LEITBILD_OIDC_ISSUER = "https://login.stadt.example"
    assert oidc_configured()
