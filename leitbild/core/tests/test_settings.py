"""Settings from the environment; production refuses to start with missing or wrong ones."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GOOD_KEY = "k" * 30 + "-eine-lange-zufaellige-zeichenkette-" + "x" * 20


def _run(env_changes: dict, *args: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "LEITBILD_ENV",
            "DEBUG",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "EMAIL_URL",
        }
    }
    env.update(env_changes)
    return subprocess.run(
        [sys.executable, "-m", "leitbild", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production(tmp_path, **extra) -> dict:
    return {
        "LEITBILD_ENV": "production",
        "LEITBILD_DATA_DIR": str(tmp_path),
        "SECRET_KEY": GOOD_KEY,
        "ALLOWED_HOSTS": "strategie.musterstadt.example",
        "EMAIL_URL": "smtp+tls://leitbild:geheim@mail.musterstadt.example:587",
        **extra,
    }


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_URL"])
def test_production_stops_with_one_message_naming_a_missing_setting(tmp_path, missing):
    env = production(tmp_path)
    del env[missing]
    result = _run(env, "check")
    assert result.returncode != 0
    assert f"{missing} is required when LEITBILD_ENV=production" in result.stderr
    assert result.stderr.count("\n") < 40


def test_a_wrong_database_url_is_named(tmp_path):
    result = _run(production(tmp_path, DATABASE_URL="kein-schema"), "check")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_a_wrong_boolean_is_named(tmp_path):
    result = _run(production(tmp_path, DEBUG="vielleicht"), "check")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_check_deploy_passes_with_production_settings_once_static_files_are_collected(tmp_path):
    env = production(tmp_path, LEITBILD_STATIC_COMPRESS="false")  # compressing takes 30 s
    result = _run(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "leitbild.E001" in result.stderr
    assert _run(env, "collectstatic", "--noinput", "-v", "0").returncode == 0
    result = _run(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_embedded_default_generates_and_keeps_a_secret_key(tmp_path):
    env = {"LEITBILD_DATA_DIR": str(tmp_path)}
    show_key = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = _run(env, "shell", "-v", "0", "-c", show_key)
    second = _run(env, "shell", "-v", "0", "-c", show_key)
    assert first.stdout == second.stdout and len(first.stdout.strip()) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_sqlite_is_tuned_for_concurrent_use(tmp_path):
    script = (
        "from django.db import connection; c = connection.cursor();"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0],"
        " c.execute('PRAGMA busy_timeout').fetchone()[0])"
    )
    result = _run({"LEITBILD_DATA_DIR": str(tmp_path)}, "shell", "-v", "0", "-c", script)
    assert result.stdout.split() == ["wal", "5000"]


def test_hsts_and_secure_cookies_in_production(tmp_path):
    script = (
        "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.DEBUG)"
    )
    result = _run(production(tmp_path), "shell", "-v", "0", "-c", script)
    assert result.stdout.split() == ["31536000", "True", "True", "False"]


def test_the_demo_serves_like_production_over_plain_http(tmp_path):
    script = (
        "from django.conf import settings as s; print(s.DEBUG,"
        " s.STORAGES['staticfiles']['BACKEND'].rsplit('.', 1)[1],"
        " s.CACHES['default']['BACKEND'].rsplit('.', 1)[1],"
        " s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    )
    result = _run(
        {"LEITBILD_ENV": "demo", "LEITBILD_DATA_DIR": str(tmp_path)},
        "shell",
        "-v",
        "0",
        "-c",
        script,
    )
    assert result.stdout.split() == [
        "False",
        "ManifestStaticFilesStorage",
        "DatabaseCache",
        "False",
        "False",
        "0",
    ], result.stderr
