"""The questionnaire builder (staff): sections and questions of a survey, fixed once the
first response is submitted."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from leitbild.core.audit import audit_record, snapshot

from ..audit import ConsultationAction
from ..models import (
    QuestionKind,
    Survey,
    SurveyQuestion,
    SurveySection,
)
from .configuration import LOCKED


def _survey_unlocked(survey: Survey) -> None:
    if Survey.objects.filter(pk=survey.pk, locked_at__isnull=False).exists():
        raise ValidationError(LOCKED)


@transaction.atomic
def survey_section_save(
    *,
    actor,
    survey: Survey,
    title: str,
    description: str = "",
    position: int = 0,
    section: SurveySection | None = None,
) -> SurveySection:
    _survey_unlocked(survey)
    before = snapshot(section)
    section = section or SurveySection(survey=survey)
    section.title, section.description, section.position = title, description, position
    section.save()
    audit_record(
        actor=actor,
        action=ConsultationAction.SURVEY_SECTION_SAVE,
        obj=section,
        before=before,
        after=snapshot(section),
    )
    return section


@transaction.atomic
def survey_section_delete(*, actor, section: SurveySection) -> None:
    _survey_unlocked(section.survey)
    audit_record(
        actor=actor,
        action=ConsultationAction.SURVEY_SECTION_DELETE,
        obj=section,
        before=snapshot(section),
    )
    section.delete()


def survey_questions(survey: Survey) -> list[SurveyQuestion]:
    """All questions in questionnaire order (section, then question)."""
    return list(
        SurveyQuestion.objects.filter(section__survey=survey)
        .select_related("section")
        .order_by("section__position", "section_id", "position", "pk")
    )


@transaction.atomic
def survey_question_save(
    *,
    actor,
    section: SurveySection,
    kind: str,
    text: str,
    help_text: str = "",
    required: bool = False,
    options: list[dict[str, str]] | None = None,
    number_min: int | None = None,
    number_max: int | None = None,
    condition_question: SurveyQuestion | None = None,
    condition_value: str = "",
    position: int = 0,
    question: SurveyQuestion | None = None,
) -> SurveyQuestion:
    survey = section.survey
    _survey_unlocked(survey)
    options = options or []
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(options) < 2:
        raise ValidationError({"options": _("Geben Sie mindestens zwei Antworten an.")})
    if kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        options = []
    if number_min is not None and number_max is not None and number_min > number_max:
        raise ValidationError({"number_max": _("Die größte Zahl ist kleiner als die kleinste.")})
    before = snapshot(question)
    question = question or SurveyQuestion()
    question.section, question.kind, question.text = section, kind, text
    question.help_text, question.required, question.options = help_text, required, options
    question.number_min, question.number_max = number_min, number_max
    question.position = position
    question.condition_question, question.condition_value = None, ""
    if condition_question is not None:

        def order(q_section: SurveySection, q_position: int, pk: int | None) -> tuple:
            return (q_section.position, q_section.pk, q_position, pk or 10**18)

        mine = order(section, position, question.pk)
        earlier = [
            q.pk
            for q in survey_questions(survey)
            if q.pk != question.pk and order(q.section, q.position, q.pk) < mine
        ]
        if condition_question.pk not in earlier or condition_question.kind not in (
            QuestionKind.SINGLE,
            QuestionKind.MULTIPLE,
            QuestionKind.LIKERT,
        ):
            raise ValidationError(
                {
                    "condition_question": _(
                        "Bedingungen beziehen sich auf eine frühere Auswahl- oder Zustimmungsfrage."
                    )
                }
            )
        if condition_value not in condition_question.values:
            raise ValidationError(
                {"condition_value": _("Diese Antwort gibt es bei der gewählten Frage nicht.")}
            )
        question.condition_question, question.condition_value = (
            condition_question,
            condition_value,
        )
    question.save()
    audit_record(
        actor=actor,
        action=ConsultationAction.SURVEY_QUESTION_SAVE,
        obj=question,
        before=before,
        after=snapshot(question),
    )
    return question


@transaction.atomic
def survey_question_delete(*, actor, question: SurveyQuestion) -> None:
    _survey_unlocked(question.section.survey)
    audit_record(
        actor=actor,
        action=ConsultationAction.SURVEY_QUESTION_DELETE,
        obj=question,
        before=snapshot(question),
    )
    question.delete()
