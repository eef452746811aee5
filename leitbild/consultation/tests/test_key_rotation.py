"""After SECRET_KEY is rotated (the old key in SECRET_KEY_FALLBACKS) nobody takes part twice:
not with the same code, e-mail address, OIDC subject or browser."""

import pytest
from django.test import Client
from django.urls import reverse

from leitbild.consultation import identity, services
from leitbild.consultation.models import Participation, ParticipationCode
from leitbild.documents.letters import generate_codes, hash_code

from .conftest import stored_ballots
from .test_oidc import _login, issuer  # noqa: F401  (the fake provider fixture)

OLD_KEY = "der-alte-schluessel-" + "x" * 40
NEW_KEY = "der-neue-schluessel-" + "y" * 40


@pytest.fixture
def rotate(settings):
    settings.SECRET_KEY = OLD_KEY
    settings.SECRET_KEY_FALLBACKS = []

    def do():
        settings.SECRET_KEY = NEW_KEY
        settings.SECRET_KEY_FALLBACKS = [OLD_KEY]

    return do


def test_the_same_browser_cannot_vote_again_in_open_mode(client, rotate, make_weighting, fields):
    weighting = make_weighting("pick", pick_k=2)
    url = reverse("consultation:ballot", args=[weighting.phase_id])
    assert client.post(url, {"auswahl": [fields[0].pk]}).status_code == 302
    rotate()
    # Only the browser cookie is left: the identity, not the ballot's change token, decides.
    client.cookies.pop(f"lb_stimme_{weighting.phase_id}", None)
    assert client.post(url, {"auswahl": [fields[1].pk]}).status_code == 403
    assert len(stored_ballots()) == 1


def test_the_same_email_address_cannot_vote_again(
    rotate, make_weighting, fields, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    weighting = make_weighting("pick", mode="email", pick_k=2)

    def confirmed_identity() -> str:
        with django_capture_on_commit_callbacks(execute=True):  # the e-mail is queued on commit
            services.email_identity_request(phase=weighting.phase, email="Eva@Example.org ")
        found = services.email_identity_confirm(token=_token_from(mailoutbox[-1].body))
        assert found is not None
        return found.email_hash

    services.ballot_cast(
        weighting=weighting,
        choices=[fields[0].pk],
        demographics={},
        identity_hash=confirmed_identity(),
    )
    rotate()
    with pytest.raises(services.ParticipationRefused):
        services.ballot_cast(
            weighting=weighting,
            choices=[fields[1].pk],
            demographics={},
            identity_hash=confirmed_identity(),
        )
    assert Participation.objects.count() == 1


def _token_from(body: str) -> str:
    link = next(word for word in body.split() if "/bestaetigen/" in word)
    return link.rstrip("/").rsplit("/", 1)[-1]


def test_the_same_oidc_subject_cannot_vote_again(
    issuer,  # noqa: F811  (the fake provider fixture, imported above)
    rotate,
    make_weighting,
    fields,
):
    weighting = make_weighting("pick", mode="oidc", pick_k=2)
    url = reverse("consultation:ballot", args=[weighting.phase_id])
    first = Client()
    _login(first, weighting.phase_id)
    assert first.post(url, {"auswahl": [fields[0].pk]}).status_code == 302
    rotate()
    again = Client()
    assert _login(again, weighting.phase_id).status_code == 302
    assert again.post(url, {"auswahl": [fields[1].pk]}).status_code == 403
    assert len(stored_ballots()) == 1


def test_a_code_works_once_across_the_rotation(rotate, make_weighting, fields, cast):
    weighting = make_weighting("pick", mode="codes", pick_k=2)
    used, unused = generate_codes(2)
    ParticipationCode.objects.bulk_create(
        [ParticipationCode(phase=weighting.phase, code_hash=hash_code(c)) for c in (used, unused)]
    )
    cast(weighting, [fields[0].pk], code=used, identity_hash="")
    rotate()
    assert not services.code_check(phase=weighting.phase, code=used)
    assert services.code_check(phase=weighting.phase, code=unused)
    with pytest.raises(services.ParticipationRefused):
        cast(weighting, [fields[1].pk], code=used, identity_hash="")
    cast(weighting, [fields[1].pk], code=unused, identity_hash="")
    assert len(stored_ballots()) == 2


def test_a_new_identity_is_stored_under_the_current_key(rotate, make_weighting):
    weighting = make_weighting("pick", pick_k=2)
    rotate()
    candidates = identity.browser_identity_candidates("ein-neuer-browser-token-1234")
    assert len(candidates) == 2
    assert candidates[0] == identity.browser_identity("ein-neuer-browser-token-1234")
    from leitbild.consultation.selectors import identity_hash_for

    assert identity_hash_for(phase=weighting.phase, candidates=candidates) == candidates[0]
