"""A production start as the README describes it, against the database of this test run.

In a fresh data directory with ``LEITBILD_ENV=production``: migrate, collect the static files,
``check --deploy``, load the demo city, start gunicorn with two workers and request one page of
every public page type and the API, as a reverse proxy that terminated TLS would. On
PostgreSQL (``DATABASE_URL``) it uses a throw-away database on the same server.
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
SECRET_KEY = "produktionsstart-" + "Zq8vKp3wLx7Rt2Nm5Bc9Hd4Gf6Js1Ya0Ue" * 2
HOST = "127.0.0.1"
DEBUG_PAGE_MARKERS = ("Traceback", "Technical 404", "URLconf", "DEBUG = True", "Exception Value")

# URL names of the public pages (one of each type), with parameters from the demo city.
PUBLIC_PAGES = [
    "core:home",
    "core:page_detail",
    "accounts:login",
    "strategy:overview",
    "strategy:field_detail",
    "strategy:history",
    "strategy:version_detail",
    "strategy:version_field",
    "strategy:compare",
    "participation:process_list",
    "participation:process_detail",
    "participation:idea_list",
    "participation:idea_detail",
    "participation:idea_map",
    "participation:idea_submit",
    "consultation:index",
    "consultation:ballot",
    "consultation:weighting_results",
    "consultation:survey",
    "consultation:survey_results",
]
# Printed by `leitbild shell` in the production instance: the paths to request.
URLS_SCRIPT = (
    f"PUBLIC_PAGES = {PUBLIC_PAGES!r}\n"
    + """
import json
from django.templatetags.static import static
from django.urls import reverse
from leitbild.core.tests.url_samples import extra_samples
from leitbild.participation.demo import PROCESS_SLUG
from leitbild.participation.models import Idea, IdeaStatus

samples = {"core:page_detail": {"slug": "impressum"}, **extra_samples()}
idea = Idea.objects.filter(process__slug=PROCESS_SLUG, status=IdeaStatus.PUBLISHED,
                           merged_into__isnull=True).order_by("pk").first()
samples["participation:idea_detail"] = {"slug": PROCESS_SLUG, "pk": idea.pk}
pages = {name: reverse(name, kwargs=samples.get(name, {})) for name in PUBLIC_PAGES}
api = ["openapi.json", "strategy", "strategy/versions", "processes",
       f"ideas?process={PROCESS_SLUG}", f"ideas/{idea.pk}",
       reverse("api:weighting_results", kwargs=samples["api:weighting_results"])[8:],
       reverse("api:survey_results", kwargs=samples["api:survey_results"])[8:]]
print(json.dumps({"pages": pages, "api": ["/api/v1/" + path for path in api],
                  "static": static("vendor/kern/kern.min.css")}))
"""
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _get(url: str, https: bool = True) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"} if https else {})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def _postgres_database() -> tuple[str, object] | None:
    """A fresh database next to the test run's, and how to drop it; None on SQLite."""
    url = urlsplit(os.environ.get("DATABASE_URL", ""))
    if url.scheme not in {"postgres", "postgresql"}:
        return None
    import psycopg

    name = f"leitbild_prodstart_{os.getpid()}"
    admin = url._replace(scheme="postgresql", path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    return url._replace(path=f"/{name}").geturl(), drop


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("production")
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "DEBUG",
            "LEITBILD_ENV",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "REDIS_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "STATIC_ROOT",
            "MEDIA_ROOT",
            "EMAIL_URL",
        }
    }
    env.update(
        LEITBILD_ENV="production",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS=HOST,
        LEITBILD_DATA_DIR=str(data_dir),
        SITE_URL=f"https://{HOST}",
        # Required in production; no worker runs here, so nothing is sent.
        EMAIL_URL="smtp://127.0.0.1:2525",
        # Pre-compressing the files takes half a minute; hashing and the manifest,
        # which production needs to serve any page, stay on.
        LEITBILD_STATIC_COMPRESS="false",
    )
    postgres = _postgres_database()
    if postgres:
        env["DATABASE_URL"] = postgres[0]

    def leitbild(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "leitbild", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    steps = {}
    steps["migrate"] = leitbild("migrate", "--noinput", "-v", "0")
    steps["check before collectstatic"] = leitbild("check", "--deploy")
    steps["collectstatic"] = leitbild("collectstatic", "--noinput", "-v", "0")
    steps["check"] = leitbild(
        "check", "--deploy", "--database", "default", "--fail-level", "WARNING"
    )
    steps["demo"] = leitbild("demo", "--no-serve")
    steps["urls"] = leitbild("shell", "-v", "0", "-c", URLS_SCRIPT)
    for name, step in steps.items():
        if name != "check before collectstatic":
            assert step.returncode == 0, f"{name}: {step.stdout}\n{step.stderr}"
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "leitbild.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            "2",
            "--threads",
            "2",
            "--worker-class",
            "gthread",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if _get(base + "/healthz")[0] == 200:
                    break
            except OSError:  # not listening yet, or busy loading the application
                pass
            assert server.poll() is None, "gunicorn stopped"
            time.sleep(0.2)
        yield {"base": base, "steps": steps, **json.loads(steps["urls"].stdout)}
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        finally:
            log = server.stderr.read()
            if postgres:
                postgres[1]()
        assert "Traceback" not in log, log[-5000:]


def _no_debug_page(body: str) -> None:
    for marker in DEBUG_PAGE_MARKERS:
        assert marker not in body


def test_check_deploy_refuses_static_files_that_were_not_collected(production):
    step = production["steps"]["check before collectstatic"]
    assert step.returncode != 0
    assert "leitbild.E001" in step.stderr and "collectstatic" in step.stderr


def test_check_deploy_passes_once_they_are(production):
    assert "no issues" in production["steps"]["check"].stdout


def test_every_public_page_type_answers_200(production):
    failures = {}
    for name, path in production["pages"].items():
        status, headers, body = _get(production["base"] + path)
        _no_debug_page(body)
        if status != 200:
            failures[name] = (path, status)
        else:
            assert "/static/vendor/kern/kern.min." in body  # a hashed name from the manifest
            assert "Strict-Transport-Security" in headers
    assert failures == {}


def test_the_api_answers_200(production):
    for path in production["api"]:
        status, headers, body = _get(production["base"] + path)
        assert status == 200, (path, body[:300])
        assert headers["Content-Type"].startswith(("application/json", "application/geo+json"))
        json.loads(body)
    status, _headers, body = _get(production["base"] + "/api/v1/docs")
    assert status == 200 and "/static/ninja/swagger-ui-bundle." in body


def test_a_missing_page_is_the_friendly_404(production):
    status, _headers, body = _get(production["base"] + "/gibt-es-nicht/")
    assert status == 404
    assert "Seite nicht gefunden" in body and "/static/vendor/kern/kern.min." in body
    _no_debug_page(body)


def test_static_files_are_served_under_hashed_names_for_a_year(production):
    path = production["static"]
    assert re.fullmatch(r"/static/vendor/kern/kern\.min\.[0-9a-f]{12}\.css", path)
    status, headers, _body = _get(production["base"] + path)
    assert status == 200
    assert "immutable" in headers["Cache-Control"]


def test_plain_http_is_redirected_to_https(production):
    status, headers, _body = _get(production["base"] + "/", https=False)
    assert status == 301
    assert headers["Location"].startswith(f"https://{HOST}:")
