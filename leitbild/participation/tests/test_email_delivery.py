"""What a visitor's click sends, through Django's real SMTP backend to a local server.

The request only queues the e-mail (it opens no SMTP connection); the task worker delivers it.
"""

import smtplib

import pytest

from leitbild.core.tests.mailserver import LocalSmtpServer, run_worker, use_email_url
from leitbild.participation.models import Support

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def smtp(settings):
    with LocalSmtpServer() as server:
        use_email_url(settings, server.url)
        yield server


@pytest.fixture
def no_smtp_in_requests(monkeypatch):
    """Fails any SMTP connection until the test calls the returned function."""
    connect = smtplib.SMTP.connect

    def refuse(*args, **kwargs):
        raise AssertionError("a request opened an SMTP connection")

    monkeypatch.setattr(smtplib.SMTP, "connect", refuse)
    return lambda: monkeypatch.setattr(smtplib.SMTP, "connect", connect)


def test_support_by_email_is_sent_by_the_worker(
    client, smtp, no_smtp_in_requests, make_process, make_idea
):
    process = make_process("mit-mail", support_requires_verified_email=True)
    idea = make_idea(process)
    url = f"/beteiligung/{process.slug}/ideen/{idea.pk}/unterstuetzen/per-e-mail/"
    response = client.post(url, {"email": "eva@example.org"})
    assert response.status_code in (200, 302)
    assert smtp.messages == []

    no_smtp_in_requests()
    run_worker()
    [(recipients, message)] = smtp.messages
    assert recipients == ["eva@example.org"]
    assert message["Subject"] == "Bitte bestätigen Sie Ihre Unterstützung"
    body = message.get_content()
    link = next(line for line in body.splitlines() if "/unterstuetzung/" in line)
    client.post(link[link.index("/beteiligung/") :])
    assert Support.objects.filter(idea=idea).count() == 1


def test_an_idea_with_an_address_gets_its_confirmation_by_smtp(
    client, smtp, no_smtp_in_requests, process, action_fields, altcha_payload
):
    response = client.post(
        f"/beteiligung/{process.slug}/ideen/neu/",
        {
            "title": "Sitzbänke am Seeufer",
            "description": "Am Seeufer gibt es zu wenige Bänke für ältere Menschen.",
            "action_fields": [action_fields[0].pk],
            "email": "anna@example.org",
            "privacy": "on",
            "website": "",
            "altcha": altcha_payload(),
        },
    )
    assert response.status_code == 302
    assert smtp.messages == []

    no_smtp_in_requests()
    run_worker()  # the confirmation task renders the e-mail, send_email delivers it
    [(recipients, message)] = smtp.messages
    assert recipients == ["anna@example.org"]
    from leitbild.participation.models import Submitter

    # Django folds a long encoded subject onto the next line; Python's parser keeps the space.
    assert message["Subject"].strip() == "Musterstadt: Bitte bestätigen Sie Ihre E-Mail-Adresse"
    body = message.get_content()
    assert "„Sitzbänke am Seeufer“" in body and Submitter.objects.get().token in body
