"""The survey's next step is a service: start, save a page, go on or back, submit."""

import pytest

from leitbild.consultation import selectors, services
from leitbild.consultation.models import Participation, SurveyResponse
from leitbild.consultation.services import Access, SurveyStep

from .conftest import stored_responses

TOKEN = "b" * 32


def _page(survey, index):
    return selectors.survey_page(survey=survey, index=index)


def _first_question(page):
    return page.questions[0]


def test_the_questionnaire_has_one_page_per_section_and_one_for_demographics(
    make_survey, demographics
):
    survey = make_survey()
    assert _page(survey, 0).pages == 2 and _page(survey, 2) is None
    demographics(survey.phase)
    last = _page(survey, 2)
    assert last.pages == 3 and last.on_demographics and last.is_last
    assert last.section is None and last.questions == []
    assert _page(survey, -1) is None


def test_an_open_survey_starts_for_anyone(make_survey):
    survey = make_survey()
    start = services.survey_start(survey=survey, access=Access())
    assert start.proof == ""
    assert services.survey_draft_get(survey=survey, token=start.draft_token) is not None


def test_a_code_survey_starts_only_with_a_valid_code_and_claims_it_later(make_survey):
    survey = make_survey(mode="codes")
    batch = services.codes_generate(actor=None, phase=survey.phase, count=1)
    code = services.batch_codes(batch)[0]
    with pytest.raises(services.ParticipationRefused):
        services.survey_start(survey=survey, access=Access(code="FALSCH"))
    start = services.survey_start(survey=survey, access=Access(code=code))
    assert start.proof == "code:" + code
    assert not Participation.objects.exists()


@pytest.mark.parametrize("mode", ["email", "oidc"])
def test_an_email_or_oidc_survey_waits_for_a_proven_identity(make_survey, mode, settings):
    settings.LEITBILD_OIDC_ISSUER = "https://login.stadt.example"
    settings.LEITBILD_OIDC_CLIENT_ID = "leitbild"
    survey = make_survey(mode=mode)
    assert services.survey_start(survey=survey, access=Access(proof="code:X")) is None
    assert SurveyResponse.objects.count() == 0
    start = services.survey_start(survey=survey, access=Access(proof="hash:abc"))
    assert start is not None and start.proof == ""


def _step(survey, draft, index, action, raw):
    return services.survey_step(
        survey=survey, response=draft, page=_page(survey, index), action=action, raw=raw
    )


def test_the_next_step_follows_the_action_and_the_required_answers(make_survey):
    survey = make_survey()
    start = services.survey_start(survey=survey, access=Access())
    draft = services.survey_draft_get(survey=survey, token=start.draft_token)
    first = _first_question(_page(survey, 0))
    missing = _step(survey, draft, 0, "weiter", {str(first.pk): ""})
    assert missing.next == SurveyStep.STAY and first.pk in missing.errors
    assert _step(survey, draft, 0, "zwischenspeichern", {}).next == SurveyStep.AUTOSAVED
    assert _step(survey, draft, 0, "zurueck", {}) == SurveyStep(SurveyStep.STAY, 0, {})
    on = _step(survey, draft, 0, "weiter", {str(first.pk): "nein"})
    assert on == SurveyStep(SurveyStep.SECTION, 1, {})
    assert draft.answers == {str(first.pk): "nein"} and draft.section_index == 0
    assert _step(survey, draft, 1, "zurueck", {}) == SurveyStep(SurveyStep.SECTION, 0, {})
    assert _step(survey, draft, 1, "weiter", {}) == SurveyStep(SurveyStep.STAY, 1, {})
    assert _step(survey, draft, 1, "absenden", {}) == SurveyStep(SurveyStep.SUBMIT, 1, {})


def test_an_invalid_answer_keeps_the_page_and_keeps_the_valid_ones(make_survey):
    survey = make_survey()
    start = services.survey_start(survey=survey, access=Access())
    draft = services.survey_draft_get(survey=survey, token=start.draft_token)
    page = _page(survey, 1)
    number = next(q for q in page.questions if q.kind == "number")
    text = next(q for q in page.questions if q.kind == "text")
    step = _step(survey, draft, 1, "absenden", {str(number.pk): "viel", str(text.pk): "Mehr!"})
    assert step.next == SurveyStep.STAY and list(step.errors) == [number.pk]
    assert draft.answers[str(text.pk)] == "Mehr!"


def test_survey_finish_submits_for_the_identity_of_the_mode(make_survey):
    survey = make_survey()
    start = services.survey_start(survey=survey, access=Access())
    draft = services.survey_draft_get(survey=survey, token=start.draft_token)
    first = _first_question(_page(survey, 0))
    _step(survey, draft, 0, "weiter", {str(first.pk): "ja"})
    who = services.survey_finish(
        survey=survey, token=start.draft_token, access=Access(browser_token=TOKEN)
    )
    assert who.new_browser_token == "" and not who.grant_spent
    assert Participation.objects.get().identity_hash == who.identity_hash
    assert [r.answers for r in stored_responses(survey=survey)] == [{str(first.pk): "ja"}]
    with pytest.raises(services.ParticipationRefused):
        services.survey_finish(
            survey=survey, token=start.draft_token, access=Access(browser_token=TOKEN)
        )
