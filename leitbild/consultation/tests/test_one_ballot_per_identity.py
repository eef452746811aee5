"""One ballot per identity: codes, browsers, e-mail identities, concurrent submissions."""

import threading

import pytest
from django.db import close_old_connections, connection
from django.urls import reverse

from leitbild.consultation import identity, services
from leitbild.consultation.models import Participation, ParticipationCode
from leitbild.documents.letters import generate_codes, hash_code

from .conftest import close, stored_ballots


def _codes(phase, n=3):
    codes = generate_codes(n)
    ParticipationCode.objects.bulk_create(
        [ParticipationCode(phase=phase, code_hash=hash_code(c)) for c in codes]
    )
    return codes


def test_a_code_can_be_used_once(make_weighting, fields, cast):
    weighting = make_weighting("pick", mode="codes", pick_k=2)
    code = _codes(weighting.phase)[0]
    cast(weighting, [fields[0].pk], code=code.lower().replace("-", " "), identity_hash="")
    with pytest.raises(services.ParticipationRefused):
        cast(weighting, [fields[1].pk], code=code, identity_hash="")
    assert len(stored_ballots()) == 1
    assert ParticipationCode.objects.filter(used=True).count() == 1


@pytest.mark.parametrize("kind", ["used", "unknown", "malformed", "ended", "other_phase"])
def test_every_refusal_shows_the_same_message(client, make_weighting, make_phase, fields, kind):
    weighting = make_weighting("pick", mode="codes", pick_k=2)
    code = _codes(weighting.phase)[0]
    url = reverse("consultation:ballot", args=[weighting.phase_id])
    data = {"auswahl": [fields[0].pk], "code": code}
    if kind == "used":
        assert client.post(url, data).status_code == 302
    elif kind == "unknown":
        data["code"] = generate_codes(1)[0]
    elif kind == "malformed":
        data["code"] = "1234"
    elif kind == "other_phase":
        other = make_weighting("pick", mode="codes", pick_k=2)
        data["code"] = _codes(other.phase)[0]
    response = client.post(url, data)
    if kind == "ended":
        close(weighting.phase)
        response = client.post(url, data)
        assert response.status_code == 200
        assert "beendet" in response.content.decode()
        return
    assert response.status_code == 403
    assert str(services.REFUSAL) in response.content.decode()
    assert "checked" in response.content.decode()  # the choices are kept


def test_a_ballot_after_the_end_is_refused_by_the_service(make_weighting, fields, cast):
    weighting = make_weighting("pick", pick_k=2)
    close(weighting.phase)
    with pytest.raises(services.ParticipationRefused):
        cast(weighting, [fields[0].pk])


def test_one_ballot_per_browser_in_open_mode(client, make_weighting, fields):
    weighting = make_weighting("pick", pick_k=2)
    url = reverse("consultation:ballot", args=[weighting.phase_id])
    assert client.post(url, {"auswahl": [fields[0].pk]}).status_code == 302
    second = client.post(url, {"auswahl": [fields[1].pk]})
    assert second.status_code == 403
    assert len(stored_ballots()) == 1


def test_guessing_codes_is_rate_limited(client, settings, make_weighting, fields):
    settings.LEITBILD_CONSULTATION_RATE_LIMITS = {"refused": (3, 3600)}
    weighting = make_weighting("pick", mode="codes", pick_k=2)
    good = _codes(weighting.phase)[0]
    url = reverse("consultation:ballot", args=[weighting.phase_id])
    for guess in generate_codes(3):
        client.post(url, {"auswahl": [fields[0].pk], "code": guess})
    response = client.post(url, {"auswahl": [fields[0].pk], "code": good})
    assert response.status_code == 403
    assert not stored_ballots()


def test_a_ballot_can_be_changed_from_the_same_browser_only(client, make_weighting, fields):
    from django.test import Client

    weighting = make_weighting("pick", pick_k=2, allow_changes=True)
    url = reverse("consultation:ballot", args=[weighting.phase_id])
    assert client.post(url, {"auswahl": [fields[0].pk]}).status_code == 302
    page = client.get(url).content.decode()
    assert "Stimme ändern" in page
    assert client.post(url, {"auswahl": [fields[2].pk, fields[3].pk]}).status_code == 302
    ballot = stored_ballots()[0]
    assert ballot.choices == [fields[2].pk, fields[3].pk]
    assert Participation.objects.count() == 1
    # Another browser with a forged cookie cannot find it.
    other = Client()
    other.cookies[f"lb_stimme_{weighting.phase_id}"] = "erfunden"
    assert "Stimme ändern" not in other.get(url).content.decode()


def _submit_in_threads(weighting, choices, code: str, workers: int = 8) -> list[str]:
    barrier = threading.Barrier(workers)
    outcomes: list[str] = []

    def attempt():
        try:
            barrier.wait(timeout=10)
            for _try in range(50):
                try:
                    services.ballot_cast(weighting=weighting, choices=choices, code=code)
                    outcomes.append("accepted")
                    return
                except services.ParticipationRefused:
                    outcomes.append("refused")
                    return
                except Exception as error:  # SQLite in-memory: "table is locked"; retry
                    if "locked" not in str(error):
                        outcomes.append(f"error: {error!r}")
                        return
                    threading.Event().wait(0.02)
            outcomes.append("gave up")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_the_same_code_from_parallel_requests_gives_exactly_one_ballot(make_weighting, fields):
    """Runs on whichever database is configured; on PostgreSQL the row lock and the unique
    constraint are what make it hold, on SQLite the serialised write transactions."""
    weighting = make_weighting("pick", mode="codes", pick_k=2)
    code = _codes(weighting.phase, 1)[0]
    outcomes = _submit_in_threads(weighting, [fields[0].pk], code)
    assert outcomes.count("accepted") == 1, outcomes
    assert outcomes.count("refused") == len(outcomes) - 1, outcomes
    assert len(stored_ballots(weighting=weighting)) == 1
    assert Participation.objects.filter(phase=weighting.phase).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_unique_constraint_alone_stops_a_second_participation(make_weighting, fields):
    """Without codes (e-mail, OIDC, browser) only the constraint guards: same identity from
    parallel threads, exactly one ballot."""
    weighting = make_weighting("pick", mode="email", pick_k=2)
    same = identity.email_identity("ada@example.org")
    barrier = threading.Barrier(6)
    outcomes: list[str] = []

    def attempt():
        try:
            barrier.wait(timeout=10)
            for _try in range(50):
                try:
                    services.ballot_cast(
                        weighting=weighting, choices=[fields[1].pk], identity_hash=same
                    )
                    outcomes.append("accepted")
                    return
                except services.ParticipationRefused:
                    outcomes.append("refused")
                    return
                except Exception as error:
                    if "locked" not in str(error):
                        outcomes.append(repr(error))
                        return
                    threading.Event().wait(0.02)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes.count("accepted") == 1, outcomes
    assert len(stored_ballots(weighting=weighting)) == 1
