"""The rules of a questionnaire: which questions are shown, and which answers are valid.

Plain functions over questions and answer dictionaries, shared by the survey form, the survey
services and the results. Answers are stored by question id (as a string key, JSON-style):
single choice and Likert → the value ("3" for Likert), multiple choice → a list of values,
number → an int, free text → a string.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import DemographicQuestion, QuestionKind, SurveyQuestion

TEXT_MAX_LENGTH = 2000
NUMBER_LIMIT = 10**9


def parse_options(text: str) -> list[dict[str, str]]:
    """Options from one label per line; values are short slugs, unique within the list."""
    options: list[dict[str, str]] = []
    seen: set[str] = set()
    for line in text.splitlines():
        label = line.strip()
        if not label:
            continue
        base = slugify(label)[:36] or "antwort"
        value, suffix = base, 2
        while value in seen:
            value, suffix = f"{base}-{suffix}", suffix + 1
        seen.add(value)
        options.append({"value": value, "label": label[:200]})
    return options


def options_text(options: Sequence[Mapping[str, str]]) -> str:
    return "\n".join(option["label"] for option in options)


def _matches(question: SurveyQuestion, answer: object, expected: str) -> bool:
    if answer is None:
        return False
    if question.kind == QuestionKind.MULTIPLE:
        return isinstance(answer, list) and expected in answer
    return str(answer) == expected


def visible_questions(
    questions: Sequence[SurveyQuestion], answers: Mapping[str, object]
) -> list[SurveyQuestion]:
    """The questions shown for these answers, in order.

    A conditional question is shown if its condition question is itself shown and answered
    with the condition value. Conditions may only point backwards, so one pass suffices; a
    condition pointing to a question that does not come earlier hides the question.
    """
    shown: dict[int, SurveyQuestion] = {}
    for question in questions:
        condition = question.condition_question_id
        if condition is None:
            shown[question.pk] = question
            continue
        source = shown.get(condition)
        if source is not None and _matches(
            source, answers.get(str(condition)), question.condition_value
        ):
            shown[question.pk] = question
    return list(shown.values())


@dataclass
class Checked:
    answers: dict[str, object]
    errors: dict[int, str]


def check_answers(
    questions: Iterable[SurveyQuestion], raw: Mapping[str, object], *, require: bool = False
) -> Checked:
    """Validate raw answers (strings or lists of strings from a form) for ``questions``.

    Returns the clean answers (questions not answered are left out) and a German message per
    question id for invalid ones. With ``require``, a required question left empty is an error
    too: sections are saved as they are, the survey is only submitted complete.
    """
    answers: dict[str, object] = {}
    errors: dict[int, str] = {}
    for question in questions:
        value = raw.get(str(question.pk))
        try:
            clean = _clean(question, value)
        except ValueError as error:
            errors[question.pk] = str(error)
            continue
        if clean is None:
            if require and question.required:
                errors[question.pk] = _("Bitte beantworten Sie diese Frage.")
            continue
        answers[str(question.pk)] = clean
    return Checked(answers, errors)


def _single(value: object) -> str | None:
    if isinstance(value, list | tuple):
        value = value[0] if len(value) == 1 else (None if not value else value)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        raise ValueError(_("Diese Antwort ist nicht möglich."))
    return value.strip()


def _clean(question: SurveyQuestion, value: object) -> object:
    kind = question.kind
    if kind == QuestionKind.MULTIPLE:
        if value is None or value == "" or value == []:
            return None
        items = value if isinstance(value, list | tuple) else [value]
        allowed = question.values
        chosen: list[str] = []
        for item in items:
            if not isinstance(item, str) or item not in allowed:
                raise ValueError(_("Diese Antwort ist nicht möglich."))
            if item not in chosen:
                chosen.append(item)
        return [v for v in allowed if v in chosen]
    text = _single(value)
    if text is None or text == "":
        return None
    if kind in (QuestionKind.SINGLE, QuestionKind.LIKERT):
        if text not in question.values:
            raise ValueError(_("Diese Antwort ist nicht möglich."))
        return text
    if kind == QuestionKind.NUMBER:
        try:
            number = int(text.replace(".", "").replace(" ", ""))
        except ValueError:
            raise ValueError(_("Bitte geben Sie eine ganze Zahl ein.")) from None
        low = question.number_min if question.number_min is not None else -NUMBER_LIMIT
        high = question.number_max if question.number_max is not None else NUMBER_LIMIT
        if not low <= number <= high:
            raise ValueError(
                _("Bitte geben Sie eine Zahl von %(low)d bis %(high)d ein.")
                % {"low": low, "high": high}
            )
        return number
    if len(text) > TEXT_MAX_LENGTH:
        raise ValueError(
            _("Bitte fassen Sie sich kürzer (höchstens %(n)d Zeichen).") % {"n": TEXT_MAX_LENGTH}
        )
    # NUL characters cannot be stored in PostgreSQL text; nobody types them.
    return text.replace("\x00", "")


def target_categories(
    question: DemographicQuestion, second: DemographicQuestion | None
) -> list[tuple[str, str]]:
    """(key, label) of every category of a target: the answers, or every pair of answers."""
    if second is None:
        return list(zip(question.values, question.labels, strict=True))
    return [
        (f"{v1}|{v2}", f"{l1} × {l2}")
        for v1, l1 in zip(question.values, question.labels, strict=True)
        for v2, l2 in zip(second.values, second.labels, strict=True)
    ]
