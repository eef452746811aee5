"""Limits hold across gunicorn workers: three worker processes, one shared store.

The server runs against its own database (SQLite in a temporary data directory, or a fresh
PostgreSQL database when the suite runs on PostgreSQL), once with the database store and once
with Redis. It trusts one proxy, so every test is a client of its own through X-Forwarded-For.
"""

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import altcha
import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = "redis://127.0.0.1:6379/11"
WORKERS = 3
LOGIN_FAILURES = 4  # each failed login costs an Argon2 hash, even for unknown addresses

SEED = """
from datetime import timedelta
from django.utils import timezone
from leitbild.accounts.models import User
from leitbild.participation import services
from leitbild.participation.models import Phase, Process
from leitbild.strategy.models import ActionField, Strategy

strategy = Strategy.objects.create(title="Smart City", slug="smart-city", edition="2021")
field = ActionField.objects.create(strategy=strategy, code="MOB", name="Mobilität", order=0)
process = Process.objects.create(strategy=strategy, title="Ideenaufruf", slug="ideenaufruf",
                                 moderation=Process.Moderation.POST)
now = timezone.now()
Phase.objects.create(process=process, kind=Phase.Kind.IDEAS, title="Ideen sammeln",
                     starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=7))
for title in ("Mehr Fahrradbügel am Bahnhof", "Ein Bücherschrank am Markt"):
    services.idea_submit(process=process, title=title, fields=[field], now=now,
                         description="Eine Beschreibung, die lang genug ist.")
User.objects.create_user(email="rita@stadt.example", password="geheim-und-lang-1", name="Rita")
"""


def _free_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def _redis_available() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except Exception:
        return False
    return True


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A migrated and seeded database of the server's own: (environment, data directory)."""
    data_dir = tmp_path_factory.mktemp("workers")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        LEITBILD_DATA_DIR=str(data_dir),
        DEBUG="false",
        LEITBILD_ENV="test",
        LEITBILD_ALTCHA_COST="1",
        LEITBILD_TRUSTED_PROXY_COUNT="1",
        LEITBILD_LOGIN_FAILURES=str(LOGIN_FAILURES),
    )
    suite_url = os.environ.get("DATABASE_URL", "")
    admin_url = dbname = None
    if suite_url.startswith(("postgres://", "postgresql://")):
        dbname = f"leitbild_workers_{os.getpid()}"
        admin_url = suite_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(
            admin_url.replace("postgres://", "postgresql://", 1), autocommit=True
        ) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {dbname}")
            conn.execute(f"CREATE DATABASE {dbname}")
        env["DATABASE_URL"] = suite_url.rsplit("/", 1)[0] + f"/{dbname}"
    subprocess.run(
        [sys.executable, "-m", "leitbild", "migrate", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    subprocess.run(
        [sys.executable, "-m", "leitbild", "shell", "-c", SEED],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    yield env, data_dir
    if dbname:
        with psycopg.connect(
            admin_url.replace("postgres://", "postgresql://", 1), autocommit=True
        ) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")


@pytest.fixture(scope="module", params=["database", "redis"])
def server(request, database):
    """gunicorn with three sync workers; yields (base URL, path of its access log)."""
    env, data_dir = database
    env = dict(env)
    if request.param == "redis":
        if not _redis_available():
            pytest.skip("no Redis on 127.0.0.1:6379")
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter("lb:rl:*"):
            client.delete(key)
        env["REDIS_URL"] = REDIS_URL
    port = _free_port()
    access_log = data_dir / f"access-{request.param}.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "leitbild.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--preload",
            "--timeout",
            "60",
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            "%(p)s %(s)s %(U)s",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:  # refused, reset or timed out while the workers start
                time.sleep(0.2)
        yield request.param, base, access_log
    finally:
        process.terminate()
        process.wait(timeout=20)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One visitor: a cookie jar shared by all its threads, one address."""

    def __init__(self, base: str, address: str):
        self.base, self.address = base, address
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def request(self, path: str, data: dict | None = None, **headers) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(
            self.base + path, data=body, headers={"X-Forwarded-For": self.address, **headers}
        )
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def csrf(self, path: str) -> str:
        status, page = self.request(path)
        assert status == 200, page[:500]
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _parallel(function, count: int, threads: int = 16) -> list:
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda _n: function(), range(count)))


def _idea_path(store: str) -> str:
    return f"/beteiligung/ideenaufruf/ideen/{1 if store == 'database' else 2}/"


def test_a_limit_of_n_lets_exactly_n_requests_through_across_workers(server):
    store, base, access_log = server
    visitor = Browser(base, f"198.51.100.{10 if store == 'database' else 20}")
    statuses = _parallel(lambda: visitor.request("/beteiligung/altcha/")[0], 130)
    assert statuses.count(200) == 120  # the "challenge" allowance, not 120 per worker
    assert statuses.count(429) == 10
    pids = {
        line.split()[0]
        for line in access_log.read_text().splitlines()
        if "/beteiligung/altcha/" in line
    }
    assert len(pids) >= 2, "the requests were answered by several workers"
    # Another client behind the same proxy has its own allowance.
    other = Browser(base, f"198.51.100.{11 if store == 'database' else 21}")
    assert other.request("/beteiligung/altcha/")[0] == 200


def test_a_solved_challenge_is_accepted_once_across_workers(server):
    store, base, _log = server
    visitor = Browser(base, f"198.51.100.{30 if store == 'database' else 40}")
    path = _idea_path(store)
    token = visitor.csrf(path)
    status, body = visitor.request("/beteiligung/altcha/")
    challenge = altcha.Challenge.from_dict(json.loads(body))
    payload = altcha.Payload(challenge, altcha.solve_challenge(challenge)).to_base64()
    form = {"csrfmiddlewaretoken": token, "text": "Gute Idee, bitte umsetzen.", "altcha": payload}
    statuses = _parallel(lambda: visitor.request(path + "kommentieren/", form)[0], 8, threads=8)
    assert statuses.count(302) == 1, statuses
    assert statuses.count(400) == 7


def test_fifty_concurrent_first_clicks_count_once(server):
    store, base, _log = server
    visitor = Browser(base, f"198.51.100.{50 if store == 'database' else 60}")
    path = _idea_path(store)
    token = visitor.csrf(path)  # the first visit: a CSRF cookie, no visitor cookie yet
    assert not any(cookie.name == "lb_besucher" for cookie in visitor.jar)
    statuses = _parallel(
        lambda: visitor.request(
            path + "unterstuetzen/", {"csrfmiddlewaretoken": token}, **{"HX-Request": "true"}
        )[0],
        50,
        threads=25,
    )
    assert statuses == [200] * 50
    status, page = Browser(base, "198.51.100.99").request(path)
    assert "1 Person unterstützt diese Idee." in page


def test_failed_logins_are_limited_across_workers(server):
    store, base, _log = server
    visitor = Browser(base, f"198.51.100.{70 if store == 'database' else 80}")
    token = visitor.csrf("/anmelden/")
    answers = []
    for attempt in range(LOGIN_FAILURES + 1):  # wrong guesses, then a real account's password
        last = attempt == LOGIN_FAILURES
        email = "rita@stadt.example" if last else f"niemand-{attempt}@stadt.example"
        password = "geheim-und-lang-1" if last else f"falsch-{attempt}"
        answers.append(
            visitor.request(
                "/anmelden/", {"csrfmiddlewaretoken": token, "email": email, "password": password}
            )[1]
        )
    assert all("nicht richtig" in page for page in answers[:-1])
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in answers[-1]
