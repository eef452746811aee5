"""Ballot secrecy: nothing links a ballot or a survey response to an identity, neither a
column nor what the database keeps about rows (PostgreSQL's xmin and ctid, SQLite's rowid,
the order of keys). See docs/security.md, "Ballot secrecy"."""

import csv
import io
import json
import threading

import pytest
from django.db import connection, models
from django.test import Client, TestCase
from django.urls import reverse

from leitbild.consultation import identity, selectors, services
from leitbild.consultation.models import (
    AccessGrant,
    Ballot,
    CodeBatch,
    EmailIdentity,
    Participation,
    ParticipationCode,
    PendingBallot,
    PendingResponse,
    SurveyResponse,
)
from leitbild.documents.letters import hash_code, normalize_code

from .conftest import close, stored_ballots

IDENTITY_MODELS = (Participation, ParticipationCode, EmailIdentity, CodeBatch, AccessGrant)
BALLOT_MODELS = (Ballot, PendingBallot, SurveyResponse, PendingResponse)


def test_ballots_and_responses_have_no_link_to_identity_tables():
    for model in BALLOT_MODELS:
        for field in model._meta.get_fields():
            target = getattr(field, "related_model", None)
            assert target not in IDENTITY_MODELS, f"{model.__name__}.{field.name}"
    for model in IDENTITY_MODELS:
        for field in model._meta.get_fields():
            assert getattr(field, "related_model", None) not in BALLOT_MODELS


def test_ballots_and_participations_carry_no_order_or_time():
    for model in (*BALLOT_MODELS, Participation):
        assert isinstance(model._meta.pk, models.UUIDField)
    for model in (Ballot, PendingBallot, PendingResponse, Participation):
        kinds = {type(f) for f in model._meta.concrete_fields}
        assert not kinds & {models.DateTimeField, models.DateField}, model


def test_the_change_token_is_hashed_differently_on_ballot_and_participation(
    make_weighting, fields, cast
):
    weighting = make_weighting("pick", pick_k=2, allow_changes=True)
    token = cast(weighting, [fields[0].pk])
    ballot, participation = stored_ballots()[0], Participation.objects.get()
    assert token and token not in (ballot.change_key, participation.change_key)
    assert ballot.change_key == identity.ballot_key(token)
    assert participation.change_key == identity.participation_key(token)
    assert ballot.change_key != participation.change_key


def test_the_code_is_stored_only_as_a_keyed_hash(make_weighting, fields, cast):
    weighting = make_weighting("pick", mode="codes", pick_k=2)
    batch = services.codes_generate(actor=None, phase=weighting.phase, count=2)
    code = services.batch_codes(batch)[0]
    cast(weighting, [fields[0].pk], code=code, identity_hash="")
    dump = json.dumps(
        [list(m.objects.values()) for m in (Ballot, Participation, ParticipationCode)], default=str
    )
    assert code not in dump and code.replace("-", "") not in dump


def test_exports_and_api_hold_no_identity(client, make_weighting, fields, cast, demographics):
    weighting = make_weighting("pick", pick_k=2, allow_changes=True)
    demographics(weighting.phase)
    for i in range(6):
        cast(weighting, [fields[i % 4].pk], {"alter": "jung"})
    weighting.results_published = True
    weighting.save()
    secrets = (
        {p.identity_hash for p in Participation.objects.all()}
        | {b.change_key for b in Ballot.objects.all()}
        | {str(b.pk) for b in Ballot.objects.all()}
    )
    url = reverse("consultation:weighting_export", args=[weighting.phase_id, "stimmzettel", "csv"])
    body = client.get(url).content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(body), delimiter=";"))
    assert header == [f.name for f in fields] + ["Wie alt sind Sie?"]
    api = client.get(f"/api/v1/processes/{weighting.phase.process_id}/weighting/results")
    page = client.get(reverse("consultation:weighting_results", args=[weighting.phase_id]))
    for text in (body, api.content.decode(), page.content.decode()):
        assert not any(secret in text for secret in secrets)


# --- The ballot box --------------------------------------------------------------------------
def test_a_ballot_waits_in_the_box_until_k_ballots_are_there(
    settings, make_weighting, fields, cast
):
    settings.LEITBILD_BALLOT_MIX_MIN = 3
    weighting = make_weighting("pick", pick_k=2)
    for i in range(2):
        cast(weighting, [fields[i].pk])
    assert services.ballot_box_mix(kind="weighting", pk=weighting.pk) == 0
    assert PendingBallot.objects.count() == 2 and not Ballot.objects.exists()
    cast(weighting, [fields[2].pk])
    assert services.ballot_box_mix(kind="weighting", pk=weighting.pk) == 3
    assert not PendingBallot.objects.exists()
    assert sorted(b.choices[0] for b in Ballot.objects.all()) == sorted(f.pk for f in fields[:3])


def test_results_count_the_box_and_the_mixed_ballots(make_weighting, fields, cast):
    weighting = make_weighting("pick", pick_k=2)
    for _i in range(3):
        cast(weighting, [fields[0].pk])
    services.ballot_box_mix(kind="weighting", pk=weighting.pk, flush=True)
    for _i in range(3):
        cast(weighting, [fields[1].pk])
    assert Ballot.objects.count() == 3 and PendingBallot.objects.count() == 3
    assert selectors.ballot_count(weighting) == 6
    results = selectors.weighting_results(weighting=weighting)
    assert results.n == 6 and not results.suppressed
    assert len(selectors.ballot_rows(weighting)) == 6


def test_the_rest_is_mixed_only_once_the_phase_has_ended(make_weighting, fields, cast):
    weighting = make_weighting("pick", pick_k=2)
    cast(weighting, [fields[0].pk])
    assert services.ballot_boxes_flush(phase=weighting.phase) == 0
    close(weighting.phase)
    assert services.ballot_boxes_flush(phase=weighting.phase) == 1
    assert Ballot.objects.count() == 1 and not PendingBallot.objects.exists()


def test_a_ballot_can_be_changed_in_the_box_and_after_mixing(make_weighting, fields, cast):
    weighting = make_weighting("pick", pick_k=2, allow_changes=True)
    token = cast(weighting, [fields[0].pk])
    services.ballot_change(weighting=weighting, token=token, choices=[fields[1].pk])
    assert PendingBallot.objects.get().choices == [fields[1].pk]
    services.ballot_box_mix(kind="weighting", pk=weighting.pk, flush=True)
    assert selectors.ballot_for_token(weighting=weighting, token=token) is not None
    services.ballot_change(weighting=weighting, token=token, choices=[fields[2].pk])
    assert Ballot.objects.get().choices == [fields[2].pk]
    with pytest.raises(services.ParticipationRefused):
        services.ballot_change(
            weighting=weighting, token=identity.new_token(), choices=[fields[3].pk]
        )


def test_a_submitted_response_goes_into_the_box_and_its_draft_away(make_survey):
    survey = make_survey()
    first = survey.sections.first().questions.first()
    draft, token = services.survey_draft_start(survey=survey)
    SurveyResponse.objects.filter(pk=draft.pk).update(answers={str(first.pk): "ja"})
    services.survey_submit(
        survey=survey, token=token, identity_hash=identity.browser_identity(identity.new_token())
    )
    assert not SurveyResponse.objects.exists()
    assert PendingResponse.objects.get().answers == {str(first.pk): "ja"}
    assert selectors.survey_results(survey=survey).n == 1
    services.ballot_box_mix(kind="survey", pk=survey.pk, flush=True)
    moved = SurveyResponse.objects.get()
    assert moved.submitted and moved.pk != draft.pk and moved.draft_updated_at is None


def test_the_purge_mixes_what_waits_in_the_box(make_weighting, fields, cast):
    weighting = make_weighting("pick", pick_k=2)
    cast(weighting, [fields[0].pk])
    counts = services.personal_data_purge(actor=None, phase=weighting.phase)
    assert counts["mixed"] == 1
    assert Ballot.objects.count() == 1 and not PendingBallot.objects.exists()


# --- Codes in random order -------------------------------------------------------------------
def test_codes_are_not_stored_in_the_order_of_the_letters(make_weighting):
    weighting = make_weighting("pick", mode="codes", pick_k=2)
    batch = services.codes_generate(actor=None, phase=weighting.phase, count=200)
    letters = {
        hash_code(normalize_code(code)): i for i, code in enumerate(services.batch_codes(batch))
    }
    physical = "ctid" if connection.vendor == "postgresql" else "rowid"
    for order in ("id", physical):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT code_hash FROM consultation_participationcode "
                f"WHERE batch_id = %s ORDER BY {order}",
                [batch.pk],
            )
            positions = [letters[row[0]] for row in cursor.fetchall()]
        assert sorted(positions) == list(range(200))
        same_place = sum(i == position for i, position in enumerate(positions))
        assert same_place < 10, (order, same_place)  # a random order: about 1
        assert abs(_rank_correlation(positions)) < 0.3, order


def _rank_correlation(positions: list[int]) -> float:
    n = len(positions)
    d2 = sum((i - p) ** 2 for i, p in enumerate(positions))
    return 1 - 6 * d2 / (n * (n * n - 1))


# --- No code and no identity hash in a cookie ------------------------------------------------
def _cookie_token(client, name: str) -> str:
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.COOKIES[name] = client.cookies[name].value
    return request.get_signed_cookie(name, salt=identity.COOKIE_SALT)


def test_the_access_cookie_of_a_code_holds_only_a_random_reference(make_survey):
    from leitbild.consultation.models import Mode

    survey = make_survey(mode=Mode.CODES)
    batch = services.codes_generate(actor=None, phase=survey.phase, count=1)
    code = services.batch_codes(batch)[0]
    client = Client()
    url = reverse("consultation:survey", args=[survey.phase_id])
    assert client.post(url, {"code": code}).status_code == 302
    name = identity.cookie_name(identity.IDENTITY_COOKIE, survey.phase_id)
    raw = client.cookies[name].value
    token = _cookie_token(client, name)
    code_hash = ParticipationCode.objects.get().code_hash
    for secret in (code, normalize_code(code), code.replace("-", ""), code_hash):
        assert secret not in raw and secret not in token
    grant = AccessGrant.objects.get()
    assert grant.token_hash == identity.grant_key(token) and token not in grant.sealed
    assert code not in grant.sealed and code_hash not in json.dumps(
        list(AccessGrant.objects.values()), default=str
    )
    first = survey.sections.first().questions.first()
    section = reverse("consultation:survey_section", args=[survey.phase_id, 0])
    client.post(section, {f"frage_{first.pk}": "nein", "aktion": "weiter"})
    done = client.post(
        reverse("consultation:survey_section", args=[survey.phase_id, 1]), {"aktion": "absenden"}
    )
    assert done.status_code == 302
    assert not AccessGrant.objects.exists()  # deleted on use
    assert ParticipationCode.objects.get().used


def test_the_access_cookie_of_an_email_holds_no_identity_hash(make_weighting, fields):
    import re

    from django.core import mail

    weighting = make_weighting("pick", mode="email", pick_k=2)
    client = Client()
    with TestCase.captureOnCommitCallbacks(execute=True):  # the e-mail is queued on commit
        client.post(
            reverse("consultation:email_request", args=[weighting.phase_id]),
            {"email": "ada@example.org"},
        )
    link = re.search(r"/mitmachen/bestaetigen/\S+/", mail.outbox[0].body).group(0)
    assert client.get(link).status_code == 302
    name = identity.cookie_name(identity.IDENTITY_COOKIE, weighting.phase_id)
    email_hash = identity.email_identity("ada@example.org")
    assert email_hash not in client.cookies[name].value
    assert email_hash not in _cookie_token(client, name)
    assert email_hash not in AccessGrant.objects.get().sealed
    url = reverse("consultation:ballot", args=[weighting.phase_id])
    assert client.post(url, {"auswahl": [fields[0].pk]}).status_code == 302
    assert not AccessGrant.objects.exists()
    assert Participation.objects.get().identity_hash == email_hash


def test_an_expired_or_unknown_grant_proves_nothing(make_weighting):
    from datetime import timedelta

    from django.utils import timezone

    weighting = make_weighting("pick", mode="email", pick_k=2)
    phase = weighting.phase
    token = services.access_grant(phase=phase, proof="hash:abc", max_age=60)
    assert selectors.access_proof(phase=phase, token=token) == "hash:abc"
    assert selectors.access_proof(phase=phase, token=identity.new_token()) == ""
    later = timezone.now() + timedelta(seconds=61)
    assert selectors.access_proof(phase=phase, token=token, now=later) == ""
    services.access_grant(phase=phase, proof="hash:def", max_age=60, now=later)
    assert AccessGrant.objects.count() == 1  # the expired one went


# --- What the database keeps about rows cannot pair ballots with participations --------------
def _column(sql: str, params: list) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _paired_in_order(
    ballot_table: str, key: str, parent: str, pk: int, phase_id: int, order: str, truth: dict
) -> int:
    """How many ballots an attacker pairs correctly by lining both tables up by ``order``."""
    ballots = _column(
        f"SELECT {key} FROM {ballot_table} WHERE {parent} = %s{_only(ballot_table)} "
        f"ORDER BY {order}",
        [pk],
    )
    participations = _column(
        f"SELECT {_truth_column(truth)} FROM consultation_participation "
        f"WHERE phase_id = %s ORDER BY {order}",
        [phase_id],
    )
    assert len(ballots) == len(participations)
    return sum(truth[_norm(b)] == p for b, p in zip(ballots, participations, strict=True))


def _paired_by_xmin(ballot_table: str, key: str, parent: str, pk: int, truth: dict) -> int:
    """How many ballots share their transaction id with their own participation."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT b.{key}, p.{_truth_column(truth)} FROM {ballot_table} b "
            f"JOIN consultation_participation p ON b.xmin = p.xmin "
            f"WHERE b.{parent} = %s{_only(ballot_table, 'b.')}",
            [pk],
        )
        return sum(truth[_norm(b)] == p for b, p in cursor.fetchall())


def _only(ballot_table: str, prefix: str = "") -> str:
    """Drafts share the table of submitted responses; they are no ballots."""
    return f" AND {prefix}submitted" if ballot_table == "consultation_surveyresponse" else ""


def _truth_column(truth: dict) -> str:
    return truth["__column__"]


def _norm(value) -> str:
    """A ballot's key as the truth has it: JSON (text on SQLite, parsed on PostgreSQL)."""
    if isinstance(value, str) and value.startswith("{"):
        value = json.loads(value)
    return json.dumps(value, sort_keys=True) if isinstance(value, dict) else value


def _in_threads(work, items: list, workers: int = 6) -> list[str]:
    """Run ``work(item)`` for all items from several threads at once (retrying SQLite's
    "table is locked" of the shared in-memory test database)."""
    barrier = threading.Barrier(workers)
    errors: list[str] = []
    chunks = [items[i::workers] for i in range(workers)]

    def run(chunk):
        try:
            barrier.wait(timeout=10)
            for item in chunk:
                for _try in range(200):
                    try:
                        work(item)
                        break
                    except Exception as error:
                        if "locked" not in str(error):
                            errors.append(repr(error))
                            break
                        threading.Event().wait(0.01)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(chunk,)) for chunk in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def _attacks(
    ballot_table: str, key: str, parent: str, pk: int, phase_id: int, truth: dict
) -> dict[str, int]:
    if connection.vendor == "postgresql":
        return {
            "xmin": _paired_by_xmin(ballot_table, key, parent, pk, truth),
            "ctid": _paired_in_order(ballot_table, key, parent, pk, phase_id, "ctid", truth),
            "id": _paired_in_order(ballot_table, key, parent, pk, phase_id, "id", truth),
        }
    return {
        "rowid": _paired_in_order(ballot_table, key, parent, pk, phase_id, "rowid", truth),
        "id": _paired_in_order(ballot_table, key, parent, pk, phase_id, "id", truth),
    }


BALLOTS = 60
MIX_MIN = 20
# A random order within each batch pairs about one ballot per batch by chance; a link pairs
# all of them. A quarter is far above chance (P < 1e-6 for three batches of 20).
CHANCE_BOUND = BALLOTS // 4


@pytest.mark.django_db(transaction=True)
def test_concurrent_ballots_cannot_be_paired_with_participations(settings, make_weighting, fields):
    """On PostgreSQL by xmin, ctid order and id order; on SQLite by rowid and id order."""
    settings.LEITBILD_BALLOT_MIX_MIN = MIX_MIN
    weighting = make_weighting("points", allow_changes=True)
    tokens: list[str] = []
    lock = threading.Lock()

    def vote(i: int) -> None:
        token = services.ballot_cast(
            weighting=weighting,
            choices={fields[i % 4].pk: 60, fields[(i + 1) % 4].pk: 40},
            identity_hash=identity.browser_identity(identity.new_token()),
        )
        with lock:
            tokens.append(token)

    # The attack works on what is still in the box: every ballot is paired there.
    for i in range(5):
        vote(i)
    truth = {identity.ballot_key(t): identity.participation_key(t) for t in tokens}
    truth["__column__"] = "change_key"
    before = _attacks(
        "consultation_pendingballot",
        "change_key",
        "weighting_id",
        weighting.pk,
        weighting.phase_id,
        truth,
    )
    assert before[next(iter(before))] == 5, before

    assert _in_threads(vote, list(range(5, BALLOTS))) == []
    assert len(tokens) == BALLOTS
    assert Ballot.objects.count() >= MIX_MIN  # mixed by the task after the casts
    close(weighting.phase)
    services.ballot_boxes_flush(phase=weighting.phase)
    assert not PendingBallot.objects.exists()
    assert Ballot.objects.count() == Participation.objects.count() == BALLOTS
    truth = {identity.ballot_key(t): identity.participation_key(t) for t in tokens}
    truth["__column__"] = "change_key"
    after = _attacks(
        "consultation_ballot", "change_key", "weighting_id", weighting.pk, weighting.phase_id, truth
    )
    if "xmin" in after:
        assert after["xmin"] == 0, after
    assert all(paired < CHANCE_BOUND for paired in after.values()), after
    assert selectors.weighting_results(weighting=weighting).n == BALLOTS


@pytest.mark.django_db(transaction=True)
def test_concurrent_survey_responses_cannot_be_paired_with_participations(settings, make_survey):
    """Free text included: the response of each participant carries a unique answer."""
    settings.LEITBILD_BALLOT_MIX_MIN = MIX_MIN
    survey = make_survey()
    first = survey.sections.first().questions.first()
    text = next(q for q in survey_questions(survey) if q.kind == "text")
    truth: dict[str, str] = {"__column__": "identity_hash"}
    lock = threading.Lock()

    def respond(i: int) -> None:
        draft, token = services.survey_draft_start(survey=survey)
        answers = {str(first.pk): "ja", str(text.pk): f"Antwort {i}"}
        SurveyResponse.objects.filter(pk=draft.pk).update(answers=answers)
        who = identity.browser_identity(identity.new_token())
        with lock:
            truth[json.dumps(answers, sort_keys=True)] = who
        try:
            services.survey_submit(survey=survey, token=token, identity_hash=who)
        except Exception:
            SurveyResponse.objects.filter(pk=draft.pk).delete()
            raise

    for i in range(5):
        respond(i)
    before = _attacks(
        "consultation_pendingresponse", "answers", "survey_id", survey.pk, survey.phase_id, truth
    )
    assert before[next(iter(before))] == 5, before
    assert _in_threads(respond, list(range(5, BALLOTS))) == []
    close(survey.phase)
    services.ballot_boxes_flush(phase=survey.phase)
    assert not PendingResponse.objects.exists()
    assert SurveyResponse.objects.filter(submitted=True).count() == BALLOTS
    after = _attacks(
        "consultation_surveyresponse", "answers", "survey_id", survey.pk, survey.phase_id, truth
    )
    if "xmin" in after:
        assert after["xmin"] == 0, after
    assert all(paired < CHANCE_BOUND for paired in after.values()), after


def survey_questions(survey):
    return services.survey_questions(survey)


def test_the_first_ballot_and_a_new_end_schedule_the_flush_for_the_end(
    settings, make_weighting, fields, cast, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django_tasks import default_task_backend

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}
    }
    weighting = make_weighting("pick", pick_k=2)
    phase = weighting.phase
    with django_capture_on_commit_callbacks(execute=True):
        cast(weighting, [fields[0].pk])
        cast(weighting, [fields[1].pk])
    first_end = phase.ends_at
    later = first_end + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.phase_schedule(actor=None, phase=phase, starts_at=phase.starts_at, ends_at=later)
    flushes = [
        (r.args, r.task.run_after)
        for r in default_task_backend.results
        if r.task.name == "ballot_boxes_flush_task"
    ]
    # Once for the first ballot (not for the second), once for the new end.
    assert flushes == [([phase.pk], first_end), ([phase.pk], later)]
