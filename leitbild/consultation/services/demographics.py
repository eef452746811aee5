"""Demographic questions of a phase, population targets for weighting, and the check of the
answers a participant gives to them."""

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from leitbild.core.audit import audit_record, snapshot
from leitbild.core.charts import format_number
from leitbild.core.districts import district_names
from leitbild.participation.models import Phase

from ..audit import ConsultationAction
from ..models import (
    DemographicQuestion,
    PopulationTarget,
)
from ..questionnaire import parse_options, target_categories
from .configuration import LOCKED, phase_is_locked


@transaction.atomic
def demographic_question_save(
    *,
    actor,
    phase: Phase,
    key: str,
    text: str,
    options: list[dict[str, str]],
    position: int = 0,
    question: DemographicQuestion | None = None,
    options_from_districts: bool = False,
) -> DemographicQuestion:
    """Save a demographic question. With ``options_from_districts`` its answers are the
    districts of the map's base layer (``core.districts``, the setting
    ``LEITBILD_MAP_DISTRICTS``) in the order of the file, instead of ``options``."""
    if phase_is_locked(phase):
        raise ValidationError(LOCKED)
    if options_from_districts:
        names = district_names()
        if not names:
            raise ValidationError(
                {
                    "options_from_districts": _(
                        "Für die Karte sind keine Stadtteile eingestellt "
                        "(LEITBILD_MAP_DISTRICTS). Geben Sie die Antworten selbst ein."
                    )
                }
            )
        options = parse_options("\n".join(names))
    if len(options) < 2:
        raise ValidationError({"options": _("Geben Sie mindestens zwei Antworten an.")})
    if (
        DemographicQuestion.objects.filter(phase=phase, key=key)
        .exclude(pk=question.pk if question else None)
        .exists()
    ):
        raise ValidationError({"key": _("Diesen Kurznamen hat schon eine andere Frage.")})
    before = snapshot(question)
    question = question or DemographicQuestion(phase=phase)
    question.key, question.text, question.options = key, text, options
    question.position = position
    question.save()
    audit_record(
        actor=actor,
        action=ConsultationAction.DEMOGRAPHIC_QUESTION_SAVE,
        obj=question,
        before=before,
        after=snapshot(question),
    )
    return question


@transaction.atomic
def demographic_question_delete(*, actor, question: DemographicQuestion) -> None:
    if phase_is_locked(question.phase):
        raise ValidationError(LOCKED)
    audit_record(
        actor=actor,
        action=ConsultationAction.DEMOGRAPHIC_QUESTION_DELETE,
        obj=question,
        before=snapshot(question),
    )
    question.delete()


@transaction.atomic
def population_target_save(
    *,
    actor,
    phase: Phase,
    question: DemographicQuestion,
    second_question: DemographicQuestion | None,
    shares: Mapping[str, float],
    source: str = "",
) -> PopulationTarget:
    """Population shares for one question (or a pair). Allowed at any time: weighting is
    computed when results are read, so targets may arrive after the phase."""
    if question.phase_id != phase.pk or (
        second_question is not None and second_question.phase_id != phase.pk
    ):
        raise ValidationError(_("Die Fragen gehören nicht zu dieser Phase."))
    if second_question is not None and second_question.pk == question.pk:
        raise ValidationError({"second_question": _("Wählen Sie zwei verschiedene Fragen.")})
    allowed = {key for key, _label in target_categories(question, second_question)}
    clean: dict[str, float] = {}
    for key, value in shares.items():
        if key not in allowed:
            raise ValidationError(_("Unbekannte Kategorie „%(key)s“.") % {"key": key})
        share = float(value)
        if not 0.0 <= share <= 1.0:
            raise ValidationError(_("Anteile liegen zwischen 0 und 100 %."))
        clean[key] = share
    total = sum(clean.values())
    if abs(total - 1.0) > 0.01:
        raise ValidationError(
            _("Die Anteile ergeben zusammen %(sum)s %% statt 100 %%.")
            % {"sum": format_number(total * 100)}
        )
    target = PopulationTarget.objects.filter(
        phase=phase, question=question, second_question=second_question
    ).first()
    before = snapshot(target)
    target = target or PopulationTarget(
        phase=phase, question=question, second_question=second_question
    )
    target.shares, target.source = clean, source
    target.save()
    audit_record(
        actor=actor,
        action=ConsultationAction.POPULATION_TARGET_SAVE,
        obj=target,
        before=before,
        after=snapshot(target),
    )
    return target


@transaction.atomic
def population_target_delete(*, actor, target: PopulationTarget) -> None:
    audit_record(
        actor=actor,
        action=ConsultationAction.POPULATION_TARGET_DELETE,
        obj=target,
        before=snapshot(target),
    )
    target.delete()


def _clean_demographics(
    questions: Sequence[DemographicQuestion], answers: Mapping[str, object] | None
) -> tuple[dict[str, str], list[int]]:
    """Valid answers by question key and one code per question (−1: no answer)."""
    clean: dict[str, str] = {}
    codes: list[int] = []
    answers = answers if isinstance(answers, Mapping) else {}
    for question in questions:
        value = answers.get(question.key)
        if value in (None, ""):
            codes.append(-1)
            continue
        if not isinstance(value, str) or value not in question.values:
            raise ValidationError(
                _("Die Angabe zu „%(q)s“ ist nicht möglich.") % {"q": question.text}
            )
        clean[question.key] = value
        codes.append(question.values.index(value))
    return clean, codes
