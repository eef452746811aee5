"""E-mail mode: double opt-in with a link, then one ballot per address."""

import re

from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from leitbild.consultation.models import EmailIdentity

from .conftest import stored_ballots


def _confirm(client, phase_id, email):
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):  # the e-mail is queued on commit
        response = client.post(
            reverse("consultation:email_request", args=[phase_id]), {"email": email}
        )
    assert response.status_code == 200
    assert "Postfach" in response.content.decode()
    link = re.search(r"https?://\S+/mitmachen/bestaetigen/\S+/", mail.outbox[0].body).group(0)
    return client.get(link[link.index("/mitmachen/") :])


def test_a_confirmed_address_votes_once(make_weighting, fields):
    weighting = make_weighting("pick", mode="email", pick_k=2)
    url = reverse("consultation:ballot", args=[weighting.phase_id])
    client = Client()
    assert "Link anfordern" in client.get(url).content.decode()
    assert _confirm(client, weighting.phase_id, "Ada@Example.org").status_code == 302
    assert client.post(url, {"auswahl": [fields[0].pk]}).status_code == 302
    stored = EmailIdentity.objects.get()
    assert "example" not in stored.email_hash and "@" not in stored.email_hash
    assert stored.confirmed_at is not None
    other = Client()
    _confirm(other, weighting.phase_id, "ada@example.org ")
    assert other.post(url, {"auswahl": [fields[1].pk]}).status_code == 403
    assert len(stored_ballots()) == 1


def test_without_confirmation_there_is_no_ballot_form(client, make_weighting, fields):
    weighting = make_weighting("pick", mode="email", pick_k=2)
    url = reverse("consultation:ballot", args=[weighting.phase_id])
    assert client.post(url, {"auswahl": [fields[0].pk]}).status_code == 403
    assert not stored_ballots()


def test_an_unknown_link_is_refused(client, db):
    response = client.get(reverse("consultation:email_confirm", args=["x" * 40]))
    assert response.status_code == 404


def test_the_address_is_never_stored(make_weighting):
    weighting = make_weighting("pick", mode="email", pick_k=2)
    _confirm(Client(), weighting.phase_id, "grace@example.org")
    row = EmailIdentity.objects.values().get()
    assert "grace" not in str(row)
