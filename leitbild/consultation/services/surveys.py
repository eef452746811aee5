"""Answering a survey: a draft per browser, saved section by section, submitted once in
``transaction.atomic(durable=True)`` (into the ballot box, see ``ballot_box``)."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leitbild.participation.models import Phase

from .. import identity
from ..models import (
    DemographicQuestion,
    Mode,
    PendingResponse,
    Survey,
    SurveyQuestion,
    SurveyResponse,
)
from ..questionnaire import check_answers, visible_questions
from ..selectors import SurveyPage
from .ballot_box import _mix_when_full, _schedule_flush
from .demographics import _clean_demographics
from .identities import (
    Access,
    Identity,
    ParticipationRefused,
    _claim,
    code_check,
    participation_identity,
    proven_hash,
)
from .survey_builder import survey_questions


def survey_draft_start(
    *, survey: Survey, now: datetime | None = None
) -> tuple[SurveyResponse, str]:
    """A new draft and the token for the participant's cookie."""
    token = identity.new_token()
    response = SurveyResponse.objects.create(
        survey=survey, draft_key=identity.draft_key(token), draft_updated_at=now or timezone.now()
    )
    return response, token


def survey_draft_get(*, survey: Survey, token: str) -> SurveyResponse | None:
    if not token:
        return None
    return SurveyResponse.objects.filter(
        survey=survey, submitted=False, draft_key=identity.draft_key(token)
    ).first()


def survey_draft_save(
    *,
    survey: Survey,
    response: SurveyResponse,
    questions,
    raw,
    section_index: int,
    demographics: Mapping[str, object] | None = None,
    now: datetime | None = None,
) -> dict[int, str]:
    """Save the answers of one section (given as raw form values); returns errors by question.

    Valid answers are saved even if others are not, so nothing typed is lost. Answers to
    questions of this section that are not shown (their condition is not met) are dropped.
    """
    answers = {k: v for k, v in response.answers.items()}
    section_ids = {str(q.pk) for q in questions}
    for key in section_ids:
        answers.pop(key, None)
    checked = check_answers(questions, raw)
    answers.update(checked.answers)
    all_questions = survey_questions(survey)
    shown = {str(q.pk) for q in visible_questions(all_questions, answers)}
    answers = {k: v for k, v in answers.items() if k in shown}
    fields = {
        "answers": answers,
        "section_index": section_index,
        "draft_updated_at": now or timezone.now(),
    }
    if demographics is not None:
        questions_demo = list(DemographicQuestion.objects.filter(phase_id=survey.phase_id))
        try:
            fields["demographics"], _codes = _clean_demographics(questions_demo, demographics)
        except ValidationError:
            pass
    SurveyResponse.objects.filter(pk=response.pk, submitted=False).update(**fields)
    for key, value in fields.items():
        setattr(response, key, value)
    return checked.errors


def survey_missing(survey: Survey, answers: Mapping[str, object]) -> list[SurveyQuestion]:
    """Required questions that are shown but not answered."""
    return _missing(survey_questions(survey), answers)


def _missing(
    questions: Sequence[SurveyQuestion], answers: Mapping[str, object]
) -> list[SurveyQuestion]:
    return [
        q for q in visible_questions(questions, answers) if q.required and str(q.pk) not in answers
    ]


@transaction.atomic(durable=True)
def survey_submit(
    *,
    survey: Survey,
    token: str,
    code: str = "",
    identity_hash: str = "",
    now: datetime | None = None,
) -> None:
    """Submit a draft. Raises ValidationError listing unanswered required questions (the
    draft stays), ParticipationRefused for identity or phase problems."""
    now = now or timezone.now()
    phase = Phase.objects.get(pk=survey.phase_id)
    if not phase.is_open(now) or not token:
        raise ParticipationRefused
    response = (
        SurveyResponse.objects.select_for_update()
        .filter(survey=survey, submitted=False, draft_key=identity.draft_key(token))
        .first()
    )
    if response is None:
        raise ParticipationRefused
    missing = survey_missing(survey, response.answers)
    if missing:
        raise ValidationError([_("Bitte beantworten Sie: %(q)s") % {"q": q.text} for q in missing])
    # The draft (with its timestamps and key) goes; the answers wait in the ballot box.
    _response_into_box(
        survey=survey,
        phase=phase,
        answers=response.answers,
        demographics=response.demographics,
        code=code,
        identity_hash=identity_hash,
        now=now,
    )
    SurveyResponse.objects.filter(pk=response.pk).delete()
    survey_id = survey.pk
    transaction.on_commit(lambda: _mix_when_full("survey", survey_id), robust=True)


@transaction.atomic
def survey_responses_submit_many(
    *, survey: Survey, responses: Iterable[Mapping], now: datetime | None = None
) -> int:
    """Submit many complete responses in one transaction, each checked as the pages and
    ``survey_submit`` check it (valid answers, answers to questions not shown dropped,
    required questions answered, valid demographics), claimed and put into the same ballot
    box: for loading many at once (the demo city), without a draft and a durable commit each.
    All or nothing: the first invalid or refused response raises (``ValidationError``,
    ``ParticipationRefused``) and nothing is stored. Each response is a mapping of ``raw``
    (form values by question id, as the pages send them), ``demographics`` (by key) and
    ``code`` or ``identity_hash``. Returns how many were submitted."""
    now = now or timezone.now()
    phase = Phase.objects.get(pk=survey.phase_id)
    if not phase.is_open(now):
        raise ParticipationRefused
    questions = survey_questions(survey)
    demographic_questions = list(DemographicQuestion.objects.filter(phase_id=survey.phase_id))
    count = 0
    for response in responses:
        checked = check_answers(questions, response["raw"])
        if checked.errors:
            raise ValidationError(list(checked.errors.values()))
        shown = {str(q.pk) for q in visible_questions(questions, checked.answers)}
        answers = {k: v for k, v in checked.answers.items() if k in shown}
        missing = _missing(questions, answers)
        if missing:
            raise ValidationError(
                [_("Bitte beantworten Sie: %(q)s") % {"q": q.text} for q in missing]
            )
        demographics, _codes = _clean_demographics(
            demographic_questions, response.get("demographics")
        )
        _response_into_box(
            survey=survey,
            phase=phase,
            answers=answers,
            demographics=demographics,
            code=response.get("code", ""),
            identity_hash=response.get("identity_hash", ""),
            now=now,
        )
        count += 1
    survey_id = survey.pk
    transaction.on_commit(lambda: _mix_when_full("survey", survey_id), robust=True)
    return count


def _response_into_box(
    *,
    survey: Survey,
    phase: Phase,
    answers,
    demographics,
    code: str,
    identity_hash: str,
    now: datetime,
) -> None:
    """Claim the identity, put the answers into the ballot box, lock the questionnaire with
    the first response."""
    _claim(phase=phase, mode=survey.mode, code=code, identity_hash=identity_hash)
    PendingResponse.objects.create(survey=survey, answers=answers, demographics=demographics)
    if survey.locked_at is None:
        if Survey.objects.filter(pk=survey.pk, locked_at__isnull=True).update(locked_at=now):
            transaction.on_commit(lambda: _schedule_flush(phase), robust=True)
        survey.locked_at = now


# --- The steps of a visitor ----------------------------------------------------------------------
@dataclass(frozen=True)
class SurveyStart:
    draft_token: str  # for the draft cookie
    proof: str  # to keep for the browser as a grant ("code:…"), or "" if nothing new


def survey_start(*, survey: Survey, access: Access) -> SurveyStart | None:
    """Start a draft for a visitor who may take part in the survey's mode: codes — a valid,
    unused code (``ParticipationRefused`` otherwise; it is claimed only on submission);
    e-mail, OIDC — an identity the browser proved (None while it has not: the start page asks
    for it); open — anyone."""
    proof = ""
    if survey.mode == Mode.CODES:
        if not code_check(phase=survey.phase, code=access.code):
            raise ParticipationRefused
        proof = "code:" + access.code
    elif survey.mode in (Mode.EMAIL, Mode.OIDC) and not proven_hash(access.proof):
        return None
    _response, token = survey_draft_start(survey=survey)
    return SurveyStart(draft_token=token, proof=proof)


@dataclass(frozen=True)
class SurveyStep:
    """What follows the answers to one page of the questionnaire."""

    AUTOSAVED = "autosaved"  # saved in the background: nothing to show
    SECTION = "section"  # go to the page ``index``
    SUBMIT = "submit"  # the answers are complete: submit the questionnaire
    STAY = "stay"  # show the page again, with ``errors`` by question id

    next: str
    index: int
    errors: dict[int, str]


def survey_step(
    *,
    survey: Survey,
    response: SurveyResponse,
    page: SurveyPage,
    action: str,
    raw: Mapping[str, object],
    demographics: Mapping[str, object] | None = None,
) -> SurveyStep:
    """Save the answers of one page (``survey_draft_save``: whatever is valid is kept) and
    decide the next step for ``action``: "zwischenspeichern" (autosave), "zurueck", "weiter"
    or "absenden". Going back needs no complete page; going on or submitting needs every
    required question of the page that is shown."""
    errors = survey_draft_save(
        survey=survey,
        response=response,
        questions=page.questions,
        raw=raw,
        section_index=page.index,
        demographics=demographics,
    )
    if action == "zwischenspeichern":
        return SurveyStep(SurveyStep.AUTOSAVED, page.index, errors)
    if not errors and action == "zurueck" and page.index > 0:
        return SurveyStep(SurveyStep.SECTION, page.index - 1, {})
    if not errors and action != "zurueck":
        shown = visible_questions(page.all_questions, response.answers)
        here = [q for q in shown if q in page.questions]
        answers = {str(q.pk): response.answers.get(str(q.pk)) for q in here}
        errors = check_answers(here, answers, require=True).errors
    if not errors and action == "weiter" and page.index + 1 < page.pages:
        return SurveyStep(SurveyStep.SECTION, page.index + 1, {})
    if not errors and action == "absenden":
        return SurveyStep(SurveyStep.SUBMIT, page.index, {})
    return SurveyStep(SurveyStep.STAY, page.index, errors)


def survey_finish(*, survey: Survey, token: str, access: Access) -> Identity:
    """Submit the draft for the identity that counts in the survey's mode
    (``participation_identity``); raises what ``survey_submit`` raises."""
    who = participation_identity(phase=survey.phase, mode=survey.mode, access=access)
    survey_submit(survey=survey, token=token, code=who.code, identity_hash=who.identity_hash)
    return who
