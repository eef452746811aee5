"""Many ballots or survey responses at once (the demo city loads its consultation so): each is
checked, claimed and put into the ballot box as one from the form, and a bad one stores none."""

import json

import pytest
from django.core.exceptions import ValidationError

from leitbild.consultation import identity, services
from leitbild.consultation.models import Participation, ParticipationCode, Weighting

from .conftest import stored_ballots, stored_responses


def _fresh() -> str:
    return identity.browser_identity(identity.new_token())


def test_many_ballots_are_stored_like_single_ones(make_weighting, fields, demographics, cast):
    weighting = make_weighting("pick", pick_k=2)
    demographics(weighting.phase)
    mob, bil, umw = fields[0].pk, fields[1].pk, fields[2].pk
    cast(weighting, [umw, mob], {"alter": "jung"})
    single = stored_ballots(weighting=weighting)[0]
    count = services.ballots_cast_many(
        weighting=weighting,
        ballots=[
            {"choices": [umw, mob], "demographics": {"alter": "jung"}, "identity_hash": _fresh()},
            {"choices": [bil], "demographics": {"alter": ""}, "identity_hash": _fresh()},
        ],
    )
    assert count == 2
    ballots = stored_ballots(weighting=weighting)
    assert len(ballots) == 3
    assert Participation.objects.filter(phase=weighting.phase).count() == 3
    # The same ballot from the form and in a batch is stored identically (one codec).
    twin = next(b for b in ballots[1:] if b.choices == single.choices)
    assert (twin.vector, twin.demographics) == (single.vector, single.demographics)
    assert Weighting.objects.get(pk=weighting.pk).locked_at is not None


def test_one_ballot_against_the_rules_stores_none_of_the_batch(make_weighting, fields):
    weighting = make_weighting("pick", pick_k=2)
    good = {"choices": [fields[0].pk], "identity_hash": _fresh()}
    too_many = {"choices": [f.pk for f in fields[:3]], "identity_hash": _fresh()}
    with pytest.raises(ValidationError):
        services.ballots_cast_many(weighting=weighting, ballots=[good, too_many])
    assert stored_ballots(weighting=weighting) == []
    assert not Participation.objects.exists()


def test_a_used_code_in_a_batch_is_refused_and_nothing_is_stored(make_weighting, fields):
    weighting = make_weighting("pick", mode="codes", pick_k=2)
    batch = services.codes_generate(actor=None, phase=weighting.phase, count=2)
    first, second = services.batch_codes(batch)
    ballots = [
        {"choices": [fields[0].pk], "code": first},
        {"choices": [fields[1].pk], "code": second},
        {"choices": [fields[2].pk], "code": first},
    ]
    with pytest.raises(services.ParticipationRefused):
        services.ballots_cast_many(weighting=weighting, ballots=ballots)
    assert stored_ballots(weighting=weighting) == []
    assert not ParticipationCode.objects.filter(used=True).exists()
    assert services.ballots_cast_many(weighting=weighting, ballots=ballots[:2]) == 2
    assert ParticipationCode.objects.filter(used=True).count() == 2


def test_no_batch_of_ballots_after_the_phase(make_weighting, fields):
    weighting = make_weighting("pick", pick_k=2, open_now=False)
    with pytest.raises(services.ParticipationRefused):
        services.ballots_cast_many(
            weighting=weighting, ballots=[{"choices": [fields[0].pk], "identity_hash": _fresh()}]
        )
    assert stored_ballots(weighting=weighting) == []


def _questions(survey):
    return {q.text: q for q in services.survey_questions(survey)}


def test_many_responses_are_checked_as_the_pages_check_them(make_survey, demographics):
    survey = make_survey()
    demographics(survey.phase)
    q = _questions(survey)
    took_part, satisfied = str(q["Schon beteiligt?"].pk), str(q["Zufrieden?"].pk)
    ways, minutes = str(q["Welche Wege?"].pk), str(q["Minuten im Monat?"].pk)
    count = services.survey_responses_submit_many(
        survey=survey,
        responses=[
            {
                "raw": {took_part: "ja", satisfied: "4", ways: ["brief", "app"], minutes: "30"},
                "demographics": {"alter": "alt"},
                "identity_hash": _fresh(),
            },
            # Not shown after "nein": the answer to "Zufrieden?" is dropped, as on the page.
            {"raw": {took_part: "nein", satisfied: "5"}, "identity_hash": _fresh()},
        ],
    )
    assert count == 2
    stored = sorted(
        json.dumps([r.answers, r.demographics], sort_keys=True)
        for r in stored_responses(survey=survey)
    )
    expected = [
        [{took_part: "ja", satisfied: "4", ways: ["app", "brief"], minutes: 30}, {"alter": "alt"}],
        [{took_part: "nein"}, {}],
    ]
    assert stored == sorted(json.dumps(e, sort_keys=True) for e in expected)
    assert Participation.objects.filter(phase=survey.phase).count() == 2
    survey.refresh_from_db()
    assert survey.locked_at is not None


@pytest.mark.parametrize(
    "raw",
    [
        {},  # the required question left out
        {"Schon beteiligt?": "vielleicht"},  # no such answer
        {"Schon beteiligt?": "ja", "Minuten im Monat?": "9999"},  # out of range
    ],
)
def test_one_bad_response_stores_none_of_the_batch(make_survey, raw):
    survey = make_survey()
    q = _questions(survey)
    good = {"raw": {str(q["Schon beteiligt?"].pk): "ja"}, "identity_hash": _fresh()}
    bad = {
        "raw": {str(q[text].pk): value for text, value in raw.items()},
        "identity_hash": _fresh(),
    }
    with pytest.raises(ValidationError):
        services.survey_responses_submit_many(survey=survey, responses=[good, bad])
    assert stored_responses(survey=survey) == []
    assert not Participation.objects.exists()


def test_the_same_identity_twice_in_a_batch_is_refused(make_survey):
    survey = make_survey()
    q = _questions(survey)
    same = _fresh()
    response = {"raw": {str(q["Schon beteiligt?"].pk): "nein"}, "identity_hash": same}
    with pytest.raises(services.ParticipationRefused):
        services.survey_responses_submit_many(survey=survey, responses=[response, response])
    assert stored_responses(survey=survey) == []
