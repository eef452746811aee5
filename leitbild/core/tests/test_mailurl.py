"""EMAIL_URL: every form the README documents, and the wrong ones that stop start-up."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from leitbild.core.mailurl import parse

SMTP = "django.core.mail.backends.smtp.EmailBackend"
ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("url", ["", "console://", "consolemail://", "CONSOLE://"])
def test_the_default_and_the_old_default_print_on_the_console(url):
    assert parse(url) == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}


def test_plain_smtp_uses_port_25_without_login():
    assert parse("smtp://mail.stadt.example") == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "mail.stadt.example",
        "EMAIL_PORT": 25,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 30,
    }


def test_smtp_with_a_port():
    settings = parse("smtp://127.0.0.1:2525")
    assert (settings["EMAIL_HOST"], settings["EMAIL_PORT"]) == ("127.0.0.1", 2525)


def test_smtp_tls_is_starttls_on_587_with_login():
    settings = parse("smtp+tls://leitbild:geheim@mail.stadt.example")
    assert settings["EMAIL_PORT"] == 587
    assert settings["EMAIL_USE_TLS"] is True and settings["EMAIL_USE_SSL"] is False
    assert (settings["EMAIL_HOST_USER"], settings["EMAIL_HOST_PASSWORD"]) == ("leitbild", "geheim")


@pytest.mark.parametrize("scheme", ["smtp+ssl", "smtps"])
def test_smtp_ssl_and_smtps_are_implicit_tls_on_465(scheme):
    settings = parse(f"{scheme}://u:p@mail.stadt.example")
    assert settings["EMAIL_PORT"] == 465
    assert settings["EMAIL_USE_SSL"] is True and settings["EMAIL_USE_TLS"] is False


def test_user_and_password_are_url_decoded():
    settings = parse("smtp+tls://post%40stadt.example:p%40ss%3Aw%2Fort%25@mail.example:587")
    assert settings["EMAIL_HOST_USER"] == "post@stadt.example"
    assert settings["EMAIL_HOST_PASSWORD"] == "p@ss:w/ort%"


def test_timeout_in_seconds():
    assert parse("smtp://mail.example?timeout=5")["EMAIL_TIMEOUT"] == 5
    assert parse("smtp://mail.example:25/?timeout=2.5")["EMAIL_TIMEOUT"] == 2.5


def test_an_ipv6_host():
    assert parse("smtp://[::1]:1025")["EMAIL_HOST"] == "::1"


def test_files_locmem_and_dummy():
    assert parse("file:///var/mail/leitbild") == {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": "/var/mail/leitbild",
    }
    assert parse("locmem://")["EMAIL_BACKEND"].endswith("locmem.EmailBackend")
    assert parse("dummy://")["EMAIL_BACKEND"].endswith("dummy.EmailBackend")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("smtp+starttls://mail.example", "unknown scheme"),
        ("mail.example:25", "unknown scheme"),
        ("smtp://", "host is missing"),
        ("smtp+tls://user:pass@:587", "host is missing"),
        ("smtp://mail.example:port", "Port"),
        ("smtp://mail.example:99999", "out of range"),
        ("smtp://mail.example?tls=true", "unknown option 'tls'"),
        ("smtp://mail.example?timeout=bald", "timeout must be"),
        ("smtp://mail.example?timeout=0", "timeout must be"),
        ("smtps://u:p@mail.example:587", "use smtp+tls://"),
        ("smtp+tls://u:p@mail.example:465", "use smtp+ssl://"),
        ("smtp://mail.example/pfad", "no path"),
        ("console://irgendwo", "takes no host"),
        ("console://?timeout=3", "only to SMTP"),
        ("file://relativ/pfad", "absolute directory"),
    ],
)
def test_a_wrong_url_is_refused_naming_email_url(url, reason):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL") as error:
        parse(url)
    assert reason in str(error.value)


def test_the_password_is_not_repeated_in_the_error():
    with pytest.raises(ImproperlyConfigured) as error:
        parse("smtp+tls://u:streng-geheim@mail.example:465")
    assert "streng-geheim" not in str(error.value) and "u:***@mail.example" in str(error.value)


def test_a_wrong_email_url_stops_start_up(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(LEITBILD_DATA_DIR=str(tmp_path), EMAIL_URL="smtp+starttls://mail.example")
    result = subprocess.run(
        [sys.executable, "-m", "leitbild", "check"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "EMAIL_URL" in result.stderr and result.stderr.count("\n") < 40
