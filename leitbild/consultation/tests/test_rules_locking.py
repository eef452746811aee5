"""Rules are locked once the first ballot is cast (or the first survey answered)."""

import pytest
from django.core.exceptions import ValidationError

from leitbild.consultation import services
from leitbild.consultation.questionnaire import parse_options


def test_rules_can_change_until_the_first_ballot(make_weighting, fields):
    weighting = make_weighting("pick", pick_k=2)
    changed = services.weighting_configure(
        actor=None,
        phase=weighting.phase,
        fields=fields,
        mode="open",
        method="points",
        points_total=10,
    )
    assert changed.method == "points" and changed.locked_at is None


def test_the_first_ballot_locks_method_fields_and_mode(make_weighting, fields, cast):
    weighting = make_weighting("pick", pick_k=2)
    cast(weighting, [fields[0].pk])
    weighting.refresh_from_db()
    assert weighting.is_locked
    for change in (
        {"method": "rank"},
        {"pick_k": 3},
        {"mode": "codes"},
        {"fields": fields[:3]},
        {"allow_changes": True},
    ):
        arguments = {"fields": fields, "mode": "open", "method": "pick", "pick_k": 2} | change
        with pytest.raises(ValidationError, match="gesperrt"):
            services.weighting_configure(actor=None, phase=weighting.phase, **arguments)


def test_intro_minimum_and_publication_stay_editable_after_locking(make_weighting, fields, cast):
    weighting = make_weighting("pick", pick_k=2)
    cast(weighting, [fields[0].pk])
    services.weighting_configure(
        actor=None,
        phase=weighting.phase,
        fields=fields,
        mode="open",
        method="pick",
        pick_k=2,
        intro="Neu",
        minimum_group_size=10,
    )
    weighting.refresh_from_db()
    assert weighting.intro == "Neu" and weighting.minimum_group_size == 10


def test_a_refused_first_ballot_does_not_lock(make_weighting, cast):
    weighting = make_weighting("pick", pick_k=2)
    with pytest.raises(ValidationError):
        cast(weighting, [])
    weighting.refresh_from_db()
    assert not weighting.is_locked


def test_demographic_questions_are_locked_with_the_rules(
    make_weighting, fields, cast, demographics
):
    weighting = make_weighting("pick", pick_k=2)
    question = demographics(weighting.phase)
    cast(weighting, [fields[0].pk], {"alter": "jung"})
    with pytest.raises(ValidationError):
        demographics(weighting.phase, key="bezirk", text="Bezirk?")
    with pytest.raises(ValidationError):
        services.demographic_question_delete(actor=None, question=question)


def test_the_survey_is_locked_by_the_first_submission(make_survey, client):
    from leitbild.consultation.models import SurveySection

    survey = make_survey()
    section = SurveySection.objects.filter(survey=survey).first()
    draft, token = services.survey_draft_start(survey=survey)
    question = section.questions.first()
    draft.answers = {str(question.pk): "nein"}
    draft.save()
    services.survey_submit(survey=survey, token=token, identity_hash="x" * 64)
    with pytest.raises(ValidationError, match="gesperrt"):
        services.survey_question_save(
            actor=None, section=section, kind="single", text="Neu", options=parse_options("a\nb")
        )


def test_pick_rules_must_fit_the_fields(make_phase, fields):
    phase = make_phase()
    with pytest.raises(ValidationError):
        services.weighting_configure(
            actor=None, phase=phase, fields=fields, mode="open", method="pick", pick_k=9
        )
    with pytest.raises(ValidationError):
        services.weighting_configure(
            actor=None,
            phase=phase,
            fields=fields,
            mode="open",
            method="points",
            points_total=100,
            points_cap=10,
        )
