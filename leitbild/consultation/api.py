"""Open data of weighting and surveys, mounted at the API root.

``/api/v1/processes``, ``/api/v1/processes/{id}/weighting/results`` and
``/api/v1/processes/{id}/survey/results``. Results are public once published or once the
phase has ended; before that the API answers 403. Small groups are suppressed exactly as on
the pages (the same selectors); free-text answers and identities are never part of the API.
"""

from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy
from ninja import Router, Schema
from ninja.pagination import paginate

try:
    from ninja.responses import Status
except ImportError:  # django-ninja before 1.7 takes (status, body) tuples

    def Status(status_code, value):  # noqa: N802
        return status_code, value


from leitbild.core.api_common import ERRORS, Error, Key, Pages, Text
from leitbild.numerics.intervals import Estimate
from leitbild.participation.models import Phase

from . import selectors
from .models import QuestionKind
from .statistics import sample_supports_inference

router = Router()


class PhaseOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    starts_at: datetime
    ends_at: datetime
    participation_mode: str | None
    results_public: bool | None
    url: str | None
    results_url: str | None


class ProcessOut(Schema):
    id: int
    slug: str
    title: str
    strategy: str
    phases: list[PhaseOut]


class EstimateOut(Schema):
    value: float
    low: float | None
    high: float | None
    n: int
    n_effective: float


class FieldResultOut(Schema):
    field_id: int
    code: str
    name: str
    n: int
    estimate: EstimateOut | None
    top_share: EstimateOut | None = None
    distribution: list[EstimateOut] | None = None


class GroupOut(Schema):
    label: str | None
    n: int | None
    suppressed: bool
    fields: list[FieldResultOut] | None = None


class WeightingResultsOut(Schema):
    process_id: int
    phase_id: int
    method: str
    participation_mode: str
    representative: bool
    ballots: int
    minimum_group_size: int
    suppressed: bool
    weighted: bool
    weighting_available: bool
    weighting_error: str
    weighting_targets: list[str]
    n_effective: float | None
    fields: list[FieldResultOut] | None
    by: str | None
    groups: list[GroupOut] | None


class OptionOut(Schema):
    value: str
    label: str
    estimate: EstimateOut


class QuestionOut(Schema):
    id: int
    section: str
    kind: str
    text: str
    n: int
    suppressed: bool
    options: list[OptionOut]
    mean: EstimateOut | None


class SurveyGroupOut(Schema):
    label: str | None
    n: int | None
    suppressed: bool
    questions: list[QuestionOut] | None = None


class SurveyResultsOut(Schema):
    process_id: int
    phase_id: int
    participation_mode: str
    representative: bool
    responses: int
    minimum_group_size: int
    suppressed: bool
    weighted: bool
    weighting_available: bool
    weighting_error: str
    n_effective: float | None
    questions: list[QuestionOut] | None
    by: str | None
    groups: list[SurveyGroupOut] | None


def _estimate(estimate: Estimate | None) -> dict | None:
    if estimate is None:
        return None
    return {
        "value": estimate.value,
        "low": estimate.low,
        "high": estimate.high,
        "n": estimate.n,
        "n_effective": estimate.n_effective,
    }


def _phase_out(phase: Phase) -> dict:
    consultation = (
        selectors.configuration(phase)
        if phase.kind in (Phase.Kind.WEIGHTING, Phase.Kind.SURVEY)
        else None
    )
    url = results_url = None
    if consultation is not None:
        weighting = phase.kind == Phase.Kind.WEIGHTING
        url = reverse(
            "consultation:ballot" if weighting else "consultation:survey", args=[phase.pk]
        )
        results_url = reverse(
            "consultation:weighting_results" if weighting else "consultation:survey_results",
            args=[phase.pk],
        )
    return {
        "id": phase.pk,
        "kind": phase.kind,
        "kind_label": str(phase.get_kind_display()),
        "title": phase.title,
        "starts_at": phase.starts_at,
        "ends_at": phase.ends_at,
        "participation_mode": consultation.mode if consultation else None,
        "results_public": selectors.results_public(consultation) if consultation else None,
        "url": url,
        "results_url": results_url,
    }


@router.get(
    "/processes",
    response={200: list[ProcessOut], **ERRORS},
    summary="Beteiligungsverfahren mit Phasen",
)
@paginate(Pages, page_size=50)
def processes(request):
    """Alle Beteiligungsverfahren mit ihren Phasen; bei Gewichtungen und Umfragen die Art der
    Teilnahme und ob die Ergebnisse öffentlich sind."""
    return [
        {
            "id": p.pk,
            "slug": p.slug,
            "title": p.title,
            "strategy": p.strategy.slug,
            "phases": [_phase_out(phase) for phase in p.phases.all()],
        }
        for p in selectors.processes_with_phases()
    ]


def _consultation_of(process_id: int, kind: str, phase_id: int | None):
    phases = [
        p
        for p in Phase.objects.filter(process_id=process_id, kind=kind)
        .select_related("weighting", "survey", "process")
        .order_by("-starts_at", "-pk")
        if selectors.configuration(p) is not None
    ]
    if phase_id is not None:
        phases = [p for p in phases if p.pk == phase_id]
    return selectors.configuration(phases[0]) if phases else None


def _field_out(results, result) -> dict:
    field = next(f for f in results.fields if f.pk == result.field)
    return {
        "field_id": field.pk,
        "code": field.code,
        "name": field.name,
        "n": result.n,
        "estimate": _estimate(result.estimate),
        "top_share": _estimate(result.top_share),
        "distribution": [_estimate(e) for e in result.distribution]
        if result.distribution
        else None,
    }


# In the language the client asks for (Accept-Language), German by default.
NOT_PUBLIC = gettext_lazy("Die Ergebnisse sind noch nicht veröffentlicht.")
NOT_FOUND = gettext_lazy("Dieses Verfahren hat keine eingerichtete Phase dieser Art.")
UNKNOWN_QUESTION = gettext_lazy("Unbekannte Frage für by (Kurzname einer Frage zur Person).")


@router.get(
    "/processes/{process_id}/weighting/results",
    response={200: WeightingResultsOut, 403: Error, **ERRORS},
    summary="Ergebnisse der Gewichtung",
)
def weighting_results(
    request, process_id: Key, weighted: bool = False, by: Text = "", phase: Key | None = None
):
    """Je Handlungsfeld Anteil (bzw. mittlere Punkte, mittlerer Platz, mittlere Bewertung) mit
    95-%-Konfidenzintervall und n. `weighted=true`: an die Bevölkerung angepasst (Raking),
    `by=KURZNAME`: nach einer Frage zur Person aufgeschlüsselt, kleine Gruppen unterdrückt.
    `phase`: eine bestimmte Phase, sonst die jüngste."""
    weighting = _consultation_of(process_id, Phase.Kind.WEIGHTING, phase)
    if weighting is None:
        return Status(404, {"detail": str(NOT_FOUND)})
    if not selectors.results_public(weighting):
        return Status(403, {"detail": str(NOT_PUBLIC)})
    if by and by not in {q.key for q in selectors.demographic_questions(weighting.phase_id)}:
        return Status(400, {"detail": str(UNKNOWN_QUESTION), "parameter": "by"})
    results = selectors.weighting_results(weighting=weighting, weighted=weighted, by=by)
    raking = results.raking
    groups = None
    if results.breakdowns:
        groups = [
            {
                "label": g.label,
                "n": g.n,
                "suppressed": g.suppressed,
                "fields": [_field_out(results, r) for r in g.fields] if g.fields else None,
            }
            for g in results.breakdowns[0].groups
        ]
    return Status(
        200,
        {
            "process_id": process_id,
            "phase_id": weighting.phase_id,
            "method": weighting.method,
            "participation_mode": weighting.mode,
            "representative": sample_supports_inference(weighting.mode),
            "ballots": results.n,
            "minimum_group_size": results.minimum,
            "suppressed": results.suppressed,
            "weighted": results.weighted,
            "weighting_available": raking is not None and raking.ok,
            "weighting_error": raking.error if raking else "",
            "weighting_targets": raking.targets if raking else [],
            "n_effective": raking.n_effective if raking and raking.ok and weighted else None,
            "fields": [_field_out(results, r) for r in results.main] if results.main else None,
            "by": by or None,
            "groups": groups,
        },
    )


def _question_out(result) -> dict:
    return {
        "id": result.question.pk,
        "section": result.question.section.title,
        "kind": result.question.kind,
        "text": result.question.text,
        "n": result.n,
        "suppressed": result.hidden,
        "options": [
            {"value": o.value, "label": o.label, "estimate": _estimate(o.estimate)}
            for o in result.options
        ],
        "mean": _estimate(result.mean),
    }


@router.get(
    "/processes/{process_id}/survey/results",
    response={200: SurveyResultsOut, 403: Error, **ERRORS},
    summary="Ergebnisse der Umfrage",
)
def survey_results(
    request, process_id: Key, weighted: bool = False, by: Text = "", phase: Key | None = None
):
    """Je Frage Anteile der Antworten mit 95-%-Konfidenzintervall, bei Likert-Fragen die
    Verteilung und der Mittelwert, bei Zahlen der Mittelwert. Freitexte sind nicht enthalten.
    `weighted`, `by` und `phase` wie bei der Gewichtung."""
    survey = _consultation_of(process_id, Phase.Kind.SURVEY, phase)
    if survey is None:
        return Status(404, {"detail": str(NOT_FOUND)})
    if not selectors.results_public(survey):
        return Status(403, {"detail": str(NOT_PUBLIC)})
    if by and by not in {q.key for q in selectors.demographic_questions(survey.phase_id)}:
        return Status(400, {"detail": str(UNKNOWN_QUESTION), "parameter": "by"})
    results = selectors.survey_results(survey=survey, weighted=weighted, by=by)
    raking = results.raking
    answerable = [r for r in results.results if r.question.kind != QuestionKind.TEXT]
    return Status(
        200,
        {
            "process_id": process_id,
            "phase_id": survey.phase_id,
            "participation_mode": survey.mode,
            "representative": sample_supports_inference(survey.mode),
            "responses": results.n,
            "minimum_group_size": results.minimum,
            "suppressed": results.suppressed,
            "weighted": results.weighted,
            "weighting_available": raking is not None and raking.ok,
            "weighting_error": raking.error if raking else "",
            "n_effective": raking.n_effective if raking and raking.ok and weighted else None,
            "questions": None if results.suppressed else [_question_out(r) for r in answerable],
            "by": by or None,
            "groups": [
                {
                    "label": g.label,
                    "n": g.n,
                    "suppressed": g.suppressed,
                    "questions": [_question_out(r) for r in g.questions]
                    if g.questions is not None
                    else None,
                }
                for g in results.groups
            ]
            if results.by
            else None,
        },
    )
