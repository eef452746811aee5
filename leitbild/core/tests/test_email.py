"""E-mail through the task worker: delivered by real SMTP, retried, then shown as failed.

These tests use a real SMTP server on loopback and the real worker (``leitbild worker
--batch``) with the database task queue, so they need committed transactions.
"""

import pytest
from django.core import mail as django_mail
from django_tasks_db.models import DBTaskResult

from leitbild.core.mail import TASK_PATH, email_enqueue, is_permanent, mask
from leitbild.core.roles import Role

from .mailserver import LocalSmtpServer, free_port, run_worker, use_email_url

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def smtp(settings):
    with LocalSmtpServer() as server:
        use_email_url(settings, server.url)
        settings.DEFAULT_FROM_EMAIL = "beteiligung@musterstadt.example"
        yield server


@pytest.fixture
def broken_smtp(settings):
    """A mail server that refuses every connection; attempts follow each other at once."""
    use_email_url(settings, f"smtp://127.0.0.1:{free_port()}?timeout=2")
    settings.LEITBILD_EMAIL_RETRY_DELAYS = (0, 0)


def _email_tasks():
    return DBTaskResult.objects.filter(task_path=TASK_PATH).order_by("enqueued_at")


def test_the_worker_delivers_by_smtp_and_keeps_neither_address_nor_body(smtp):
    email_enqueue(
        to="anna@example.org",
        subject="Grüße aus Musterstadt",
        body="Ihr Link: https://musterstadt.example/geheim/",
    )
    assert smtp.messages == [] and django_mail.outbox == []
    run_worker()
    [(recipients, message)] = smtp.messages
    assert recipients == ["anna@example.org"]
    assert message["To"] == "anna@example.org"
    assert message["From"] == "beteiligung@musterstadt.example"
    assert message["Subject"] == "Grüße aus Musterstadt"
    assert "https://musterstadt.example/geheim/" in message.get_content()
    [stored] = _email_tasks()
    assert stored.status == "SUCCESSFUL" and stored.return_value["sent"] is True
    assert "anna@" not in str(stored.args_kwargs) and "geheim" not in str(stored.args_kwargs)
    assert stored.args_kwargs["kwargs"]["to"] == ["…@example.org"]


def test_nothing_is_queued_for_a_rolled_back_write(smtp):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        email_enqueue(to="anna@example.org", subject="Nie", body="Nie")
        raise RuntimeError
    assert not _email_tasks().exists()


def test_a_refused_connection_is_retried_then_failed_and_reported(broken_smtp, client, make_user):
    email_enqueue(
        to="bert@example.org",
        subject="Bitte bestätigen Sie Ihre Teilnahme",
        body="Link: https://musterstadt.example/token/",
    )
    run_worker()
    attempts = list(_email_tasks())
    assert [a.status for a in attempts] == ["SUCCESSFUL", "SUCCESSFUL", "FAILED"]
    assert [a.return_value and a.return_value["sent"] for a in attempts] == [False, False, None]
    assert attempts[-1].exception_class_path == "leitbild.core.mail.EmailNotSent"
    assert "ConnectionRefusedError (attempt 3)" in attempts[-1].traceback
    stored = str([(a.args_kwargs, a.traceback) for a in attempts])
    assert "bert@" not in stored and "token" not in stored

    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
    assert health.json()["email"] == {"failed": 1}

    client.force_login(make_user("admin@stadt.example", roles=[Role.ADMIN]))
    home = client.get("/verwaltung/").content.decode()
    assert "1 E-Mail wurde nicht gesendet" in home
    assert "Bitte bestätigen Sie Ihre Teilnahme" in home and "…@example.org" in home
    assert "bert@example.org" not in home
    listing = client.get("/verwaltung/system/e-mails/").content.decode()
    assert "ConnectionRefusedError" in listing and "bert@" not in listing

    client.post("/verwaltung/system/e-mails/")
    assert client.get("/healthz").json()["status"] == "ok"
    assert "wurde nicht gesendet" not in client.get("/verwaltung/").content.decode()
    from leitbild.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="email.failures_dismiss").exists()


def test_the_next_attempt_waits_for_its_pause(broken_smtp, settings):
    settings.LEITBILD_EMAIL_RETRY_DELAYS = (600,)
    email_enqueue(to="c@example.org", subject="Später", body="…")
    run_worker()
    first, second = _email_tasks()
    assert first.status == "SUCCESSFUL" and second.status == "READY"
    assert (second.run_after - first.started_at).total_seconds() >= 599
    assert second.args_kwargs["kwargs"]["attempt"] == 2


def test_other_staff_do_not_see_the_failures(broken_smtp, client, make_user):
    email_enqueue(to="d@example.org", subject="Kein Glück", body="…")
    run_worker()
    client.force_login(make_user("redaktion@stadt.example", roles=[Role.EDITOR]))
    assert "Kein Glück" not in client.get("/verwaltung/").content.decode()
    assert client.get("/verwaltung/system/e-mails/").status_code == 403


def test_permanent_refusals_are_not_retried():
    import smtplib

    assert is_permanent(smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"unknown")}))
    assert not is_permanent(smtplib.SMTPRecipientsRefused({"x@example.org": (451, b"later")}))
    assert not is_permanent(ConnectionRefusedError())
    assert mask("anna@example.org") == "…@example.org" and mask("kaputt") == "…"


@pytest.mark.django_db(transaction=False)
def test_with_the_default_email_url_the_worker_prints_the_email(tmp_path):
    """What `make demo` runs: no EMAIL_URL, the worker process prints each e-mail."""
    import os
    import subprocess
    import sys

    from .test_settings import ROOT

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "EMAIL_URL", "LEITBILD_TASK_BACKEND", "LEITBILD_ENV"}
    }
    env["LEITBILD_DATA_DIR"] = str(tmp_path)

    def leitbild(*args):
        return subprocess.run(
            [sys.executable, "-m", "leitbild", *args],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )

    leitbild("migrate", "-v", "0")
    leitbild(
        "shell",
        "-v",
        "0",
        "-c",
        "from leitbild.core.mail import email_enqueue; "
        "email_enqueue(to='anna@example.org', subject='Hallo Demo', body='Im Terminal')",
    )
    printed = leitbild("worker", "--batch").stdout
    assert "Subject: Hallo Demo" in printed and "To: anna@example.org" in printed
    assert "Im Terminal" in printed


def test_any_other_error_fails_at_once_without_keeping_the_address(smtp, monkeypatch):
    from leitbild.core import mail

    def broken(**kwargs):
        raise ValueError(f"cannot encode {kwargs['to'][0]}")

    monkeypatch.setattr(mail, "email_deliver", broken)
    email_enqueue(to="erik@example.org", subject="Kaputt", body="…")
    run_worker()
    [stored] = _email_tasks()
    assert stored.status == "FAILED"
    assert "erik@" not in str(stored.args_kwargs) + stored.traceback
    assert stored.args_kwargs["kwargs"]["error"] == "ValueError"
