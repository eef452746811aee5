"""The confirmation link of the e-mail mode, through real SMTP and the task worker."""

import pytest
from django.urls import reverse

from leitbild.core.tests.mailserver import LocalSmtpServer, run_worker, use_email_url

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_confirmation_link_arrives_by_smtp_after_the_request(client, settings, make_weighting):
    weighting = make_weighting("pick", mode="email", pick_k=2)
    with LocalSmtpServer() as smtp:
        use_email_url(settings, smtp.url)
        response = client.post(
            reverse("consultation:email_request", args=[weighting.phase_id]),
            {"email": "Ada@Example.org "},
        )
        assert response.status_code == 200 and smtp.messages == []
        run_worker()
    [(recipients, message)] = smtp.messages
    assert recipients == ["Ada@Example.org"]
    assert message["Subject"].strip() == "Bitte bestätigen Sie Ihre Teilnahme"
    body = message.get_content()
    assert "/mitmachen/bestaetigen/" in body and "Schwerpunkte" in body
