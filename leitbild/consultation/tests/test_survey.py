"""Surveys: sections, conditional questions, saving as the participant goes, submission."""

import pytest
from django.test import Client
from django.urls import reverse

from leitbild.consultation import questionnaire, services
from leitbild.consultation.models import Participation, SurveyResponse

from .conftest import stored_responses


def _questions(survey):
    return {q.text: q for q in services.survey_questions(survey)}


def _start(client, survey):
    response = client.post(reverse("consultation:survey", args=[survey.phase_id]))
    assert response.status_code == 302
    return response


def _section(survey, index):
    return reverse("consultation:survey_section", args=[survey.phase_id, index])


def test_a_conditional_question_is_shown_only_after_the_matching_answer(make_survey):
    survey = make_survey()
    q = _questions(survey)
    ordered = services.survey_questions(survey)
    took_part, satisfied = q["Schon beteiligt?"], q["Zufrieden?"]
    assert satisfied not in questionnaire.visible_questions(ordered, {})
    assert satisfied not in questionnaire.visible_questions(ordered, {str(took_part.pk): "nein"})
    assert satisfied in questionnaire.visible_questions(ordered, {str(took_part.pk): "ja"})


def test_the_server_drops_answers_to_questions_whose_condition_is_not_met(client, make_survey):
    survey = make_survey()
    q = _questions(survey)
    _start(client, survey)
    client.post(
        _section(survey, 0),
        {
            f"frage_{q['Schon beteiligt?'].pk}": "nein",
            f"frage_{q['Zufrieden?'].pk}": "5",
            "aktion": "weiter",
        },
    )
    draft = SurveyResponse.objects.get()
    assert draft.answers == {str(q["Schon beteiligt?"].pk): "nein"}


def test_a_required_question_stops_the_next_step_but_keeps_other_answers(client, make_survey):
    survey = make_survey()
    q = _questions(survey)
    _start(client, survey)
    response = client.post(
        _section(survey, 0), {f"frage_{q['Zufrieden?'].pk}": "4", "aktion": "weiter"}
    )
    assert response.status_code == 400
    assert "Bitte beantworten Sie diese Frage." in response.content.decode()


def test_answers_are_saved_as_the_participant_goes_and_survive_a_reload(client, make_survey):
    survey = make_survey()
    q = _questions(survey)
    _start(client, survey)
    client.post(
        _section(survey, 0), {f"frage_{q['Schon beteiligt?'].pk}": "ja", "aktion": "weiter"}
    )
    # The script saves while typing (204, no redirect).
    autosave = client.post(
        _section(survey, 1),
        {
            f"frage_{q['Welche Wege?'].pk}": ["app", "brief"],
            f"frage_{q['Was noch?'].pk}": "Mehr Bänke",
            "aktion": "zwischenspeichern",
        },
    )
    assert autosave.status_code == 204
    page = client.get(_section(survey, 1)).content.decode()
    assert "Mehr Bänke" in page
    assert page.count("checked") == 2
    first = client.get(_section(survey, 0)).content.decode()
    assert 'value="ja" id="frage-' in first and "checked" in first
    # Coming back to the start page offers to continue, not to start again.
    start = client.get(reverse("consultation:survey", args=[survey.phase_id]))
    assert "Umfrage fortsetzen" in start.content.decode()


def test_submitting_stores_the_response_and_one_participation(client, make_survey):
    survey = make_survey()
    q = _questions(survey)
    _start(client, survey)
    client.post(
        _section(survey, 0),
        {
            f"frage_{q['Schon beteiligt?'].pk}": "ja",
            f"frage_{q['Zufrieden?'].pk}": "4",
            "aktion": "weiter",
        },
    )
    response = client.post(
        _section(survey, 1), {f"frage_{q['Minuten im Monat?'].pk}": "30", "aktion": "absenden"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    stored = stored_responses()[0]
    assert not SurveyResponse.objects.filter(submitted=False).exists()  # the draft is gone
    assert stored.answers[str(q["Minuten im Monat?"].pk)] == 30
    assert Participation.objects.count() == 1
    # A second round in the same browser is refused at submission.
    _start(client, survey)
    client.post(
        _section(survey, 0), {f"frage_{q['Schon beteiligt?'].pk}": "nein", "aktion": "weiter"}
    )
    again = client.post(_section(survey, 1), {"aktion": "absenden"})
    assert again.status_code == 403
    assert len(stored_responses()) == 1


def test_an_invalid_number_is_refused_and_shown_again(client, make_survey):
    survey = make_survey()
    q = _questions(survey)
    _start(client, survey)
    response = client.post(
        _section(survey, 1), {f"frage_{q['Minuten im Monat?'].pk}": "9999", "aktion": "speichern"}
    )
    assert response.status_code == 400
    assert "von 0 bis 600" in response.content.decode()
    assert 'value="9999"' in response.content.decode()


def test_a_survey_with_codes_checks_the_code_first_and_claims_it_at_the_end(make_survey):
    survey = make_survey(mode="codes")
    batch = services.codes_generate(actor=None, phase=survey.phase, count=1)
    code = services.batch_codes(batch)[0]
    q = _questions(survey)
    client = Client()
    url = reverse("consultation:survey", args=[survey.phase_id])
    assert client.post(url, {"code": "AAAA-BBBB-CCCC"}).status_code == 403
    assert client.post(url, {"code": code}).status_code == 302
    client.post(
        _section(survey, 0), {f"frage_{q['Schon beteiligt?'].pk}": "nein", "aktion": "weiter"}
    )
    assert client.post(_section(survey, 1), {"aktion": "absenden"}).status_code == 302
    other = Client()
    assert other.post(url, {"code": code}).status_code == 403


@pytest.mark.parametrize(
    "kind,value,expected",
    [
        ("number", "12", 12),
        ("number", "1.000", 1000),
        ("text", " Hallo ", "Hallo"),
        ("single", "ja", "ja"),
        ("likert", "3", "3"),
    ],
)
def test_answers_are_cleaned_by_kind(make_survey, kind, value, expected):
    from leitbild.consultation.models import SurveyQuestion

    question = SurveyQuestion(
        pk=1,
        kind=kind,
        text="?",
        options=[{"value": "ja", "label": "Ja"}, {"value": "nein", "label": "Nein"}],
    )
    assert questionnaire.check_answers([question], {"1": value}).answers == {"1": expected}
