"""Writes of prioritisation rounds: the round, its criteria catalogue, the weights (direct, by
pairwise comparison or none), the assessors' scores and submissions, and agreed values.

Every function validates, writes and records an audit entry in one transaction. A round
freezes when the first score is entered (``frozen_at``): from then on its criteria, weights
and projects are refused with the hint to start a new round (``round_copy``), so the scores
always belong to the catalogue they were given against. Ranking, portfolio, decisions and
publication are in ``portfolio.ranking``.

Errors are ``ValidationError``s keyed by the form field they belong to.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leitbild.core.audit import audit_record, snapshot

from .audit import PortfolioAction
from .models import (
    SCORE_MAX,
    AgreedValue,
    AssessorSubmission,
    CriterionKind,
    PairwiseComparison,
    PrioritisationRound,
    Project,
    RoundCriterion,
    RoundExclusion,
    RoundProject,
    Score,
    Stage,
    WeightMethod,
)

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

FOUR_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class DefaultCriterion:
    key: str
    title: "StrOrPromise"
    description: "StrOrPromise"
    kind: str
    benefit: bool = True


# The default catalogue of issue #11; the city may change it as long as the round is open.
DEFAULT_CRITERIA = (
    DefaultCriterion(
        "ziele",
        gettext_lazy("Beitrag zu den strategischen Zielen"),
        gettext_lazy(
            "Berechnet aus den Zielen, denen das Projekt dient: je Ziel stark 3, mittel 2, "
            "gering 1 Punkte, zusammen höchstens 5."
        ),
        CriterionKind.GOALS,
    ),
    DefaultCriterion(
        "buergerschaft",
        gettext_lazy("Priorität der Bürgerinnen und Bürger"),
        gettext_lazy(
            "Berechnet aus den veröffentlichten Ergebnissen der Gewichtung der Handlungsfelder: "
            "das Handlungsfeld mit dem besten Ergebnis zählt 5, das mit dem schwächsten 0; das "
            "Projekt erhält den Mittelwert der Handlungsfelder, zu denen seine Ziele gehören."
        ),
        CriterionKind.RESIDENTS,
    ),
    DefaultCriterion(
        "gemeinwohl",
        gettext_lazy("Gemeinwohl"),
        gettext_lazy("Nutzen für die Allgemeinheit, auch für Menschen ohne eigene Lobby."),
        CriterionKind.ASSESSED,
    ),
    DefaultCriterion(
        "machbarkeit",
        gettext_lazy("Umsetzbarkeit"),
        gettext_lazy("Lässt sich das Projekt mit Personal, Zeit und Technik der Stadt umsetzen?"),
        CriterionKind.ASSESSED,
    ),
    DefaultCriterion(
        "kosten-nutzen",
        gettext_lazy("Kosten-Nutzen-Verhältnis"),
        gettext_lazy("Steht der Nutzen in einem guten Verhältnis zu den Kosten?"),
        CriterionKind.ASSESSED,
    ),
    DefaultCriterion(
        "uebertragbarkeit",
        gettext_lazy("Übertragbarkeit"),
        gettext_lazy("Können andere Kommunen die Lösung übernehmen?"),
        CriterionKind.ASSESSED,
    ),
    DefaultCriterion(
        "open-source",
        gettext_lazy("Open Source und Datensouveränität"),
        gettext_lazy(
            "Offene Lizenzen, offene Schnittstellen, Daten bleiben in der Hand der Stadt."
        ),
        CriterionKind.ASSESSED,
    ),
    DefaultCriterion(
        "dringlichkeit",
        gettext_lazy("Dringlichkeit"),
        gettext_lazy("Wie dringend ist das Problem, das das Projekt löst?"),
        CriterionKind.ASSESSED,
    ),
    DefaultCriterion(
        "foerderung",
        gettext_lazy("Förderpotenzial"),
        gettext_lazy(
            "Berechnet aus der Förderbewertung: Förderpotenzial hoch 5, mittel 3, gering 1, "
            "ohne Bewertung 0 (das beste Programm zählt)."
        ),
        CriterionKind.FUNDING,
    ),
)

# Stages whose projects take part in a new round by default.
ROUND_STAGES = (Stage.POOL, Stage.QUALIFYING, Stage.PRIORITISED)


def frozen_message() -> str:
    return _(
        "In dieser Runde wurde schon bewertet; Kriterien, Gewichte und Projekte sind "
        "eingefroren. Starten Sie eine neue Runde („Neue Runde“), um sie zu ändern."
    )


def _round_snapshot(round_: PrioritisationRound) -> dict | None:
    return snapshot(round_, exclude=("results", "robust"))


def round_locked(round_: PrioritisationRound) -> PrioritisationRound:
    """The round read again under a row lock (inside a transaction): every write to a round's
    own fields goes through it, so two staff saving at once are serialised."""
    return PrioritisationRound.objects.select_for_update().get(pk=round_.pk)


def _refuse_if_frozen(round_: PrioritisationRound) -> None:
    if round_.frozen_at is not None:
        raise ValidationError(frozen_message(), code="frozen")


def _weight_snapshot(round_: PrioritisationRound) -> dict:
    return {
        "method": round_.weight_method,
        "weights": {c.key: str(c.weight) for c in round_.criteria.all()},
    }


def _fractions(values: Sequence[Decimal]) -> list[Decimal]:
    """Fractions rounded to four places that still sum to exactly 1 (the rest on the largest)."""
    total = sum(values, Decimal(0))
    if not values or total <= 0:
        return [Decimal(0) for _v in values]
    rounded = [(v / total).quantize(FOUR_PLACES, ROUND_HALF_UP) for v in values]
    rest = Decimal(1) - sum(rounded, Decimal(0))
    largest = max(range(len(rounded)), key=lambda i: rounded[i])
    rounded[largest] += rest
    return rounded


def _set_uniform(round_: PrioritisationRound) -> None:
    criteria = list(round_.criteria.all())
    for criterion, weight in zip(criteria, _fractions([Decimal(1)] * len(criteria)), strict=True):
        criterion.weight = weight
    RoundCriterion.objects.bulk_update(criteria, ["weight"])


# --- Rounds ---------------------------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    actor,
    strategy,
    title: str,
    blind: bool = True,
    disagreement_range: int = 3,
    projects: Sequence[Project] | None = None,
) -> PrioritisationRound:
    """A new round with the default criteria (equal weights) and, unless ``projects`` is
    given, every project of the strategy in the pool, in qualification or prioritised."""
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Bitte geben Sie einen Titel ein.")})
    if not 1 <= disagreement_range <= SCORE_MAX:
        raise ValidationError(
            {"disagreement_range": _("Bitte eine Spannweite von 1 bis 5 angeben.")}
        )
    # Lock the strategy's rounds so that two editors do not take the same number.
    numbers = PrioritisationRound.objects.select_for_update().filter(strategy=strategy)
    number = (numbers.aggregate(n=Max("number"))["n"] or 0) + 1
    round_ = PrioritisationRound.objects.create(
        strategy=strategy,
        number=number,
        title=title,
        blind=blind,
        disagreement_range=disagreement_range,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    RoundCriterion.objects.bulk_create(
        [
            RoundCriterion(
                round=round_,
                key=c.key,
                title=str(c.title),
                description=str(c.description),
                kind=c.kind,
                benefit=c.benefit,
                order=i,
            )
            for i, c in enumerate(DEFAULT_CRITERIA)
        ]
    )
    _set_uniform(round_)
    if projects is None:
        projects = list(Project.objects.filter(strategy=strategy, stage__in=ROUND_STAGES))
    _check_projects(round_, projects)
    RoundProject.objects.bulk_create([RoundProject(round=round_, project=p) for p in projects])
    audit_record(
        actor=actor,
        action=PortfolioAction.ROUND_CREATE,
        obj=round_,
        after={**(_round_snapshot(round_) or {}), "projects": sorted(p.pk for p in projects)},
    )
    return round_


@transaction.atomic
def round_update(
    *,
    actor,
    round: PrioritisationRound,
    title: str,
    blind: bool,
    disagreement_range: int,
    concentration: float | None = None,
    draws: int | None = None,
    top_k: int | None = None,
    per_field_minimum: bool | None = None,
) -> PrioritisationRound:
    """The round's settings; these may change after freezing (they do not change scores)."""
    round_ = round_locked(round)
    before = _round_snapshot(round_)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Bitte geben Sie einen Titel ein.")})
    if not 1 <= disagreement_range <= SCORE_MAX:
        raise ValidationError(
            {"disagreement_range": _("Bitte eine Spannweite von 1 bis 5 angeben.")}
        )
    if concentration is not None and not 1 <= concentration <= 100_000:
        raise ValidationError({"concentration": _("Bitte einen Wert von 1 bis 100000 angeben.")})
    if draws is not None and not 100 <= draws <= 100_000:
        raise ValidationError({"draws": _("Bitte 100 bis 100000 Ziehungen angeben.")})
    if top_k is not None and not 1 <= top_k <= 100:
        raise ValidationError({"top_k": _("Bitte einen Wert von 1 bis 100 angeben.")})
    round_.title, round_.blind, round_.disagreement_range = title, blind, disagreement_range
    for name, value in (
        ("concentration", concentration),
        ("draws", draws),
        ("top_k", top_k),
        ("per_field_minimum", per_field_minimum),
    ):
        if value is not None:
            setattr(round_, name, value)
    round_.save()
    audit_record(
        actor=actor,
        action=PortfolioAction.ROUND_UPDATE,
        obj=round_,
        before=before,
        after=_round_snapshot(round_),
    )
    return round_


def _check_projects(round_: PrioritisationRound, projects: Sequence[Project]) -> None:
    foreign = [p for p in projects if p.strategy_id != round_.strategy_id]
    if foreign:
        raise ValidationError(
            {
                "projects": _("Diese Projekte gehören zu einer anderen Strategie: %(projects)s.")
                % {"projects": ", ".join(f"„{p}“" for p in foreign)}
            }
        )


@transaction.atomic
def round_projects_set(
    *,
    actor,
    round: PrioritisationRound,
    projects: Sequence[Project],
    mandatory: Sequence[Project] = (),
) -> None:
    """Which projects take part (refused once frozen) and which are mandatory (set in the
    portfolio; may change at any time)."""
    round_ = round_locked(round)
    wanted = {p.pk for p in projects}
    entries = {e.project_id: e for e in RoundProject.objects.filter(round=round_)}
    if wanted != set(entries):
        _refuse_if_frozen(round_)
    _check_projects(round_, projects)
    must = {p.pk for p in mandatory}
    if must - wanted:
        raise ValidationError(
            {"mandatory": _("Gesetzt kann nur ein Projekt sein, das an der Runde teilnimmt.")}
        )
    before = {
        "projects": sorted(entries),
        "mandatory": sorted(k for k, e in entries.items() if e.mandatory),
    }
    RoundProject.objects.filter(round=round_).exclude(project_id__in=wanted).delete()
    RoundProject.objects.bulk_create(
        [RoundProject(round=round_, project=p) for p in projects if p.pk not in entries]
    )
    RoundProject.objects.filter(round=round_).update(mandatory=False)
    RoundProject.objects.filter(round=round_, project_id__in=must).update(mandatory=True)
    audit_record(
        actor=actor,
        action=PortfolioAction.ROUND_PROJECTS,
        obj=round_,
        before=before,
        after={"projects": sorted(wanted), "mandatory": sorted(must)},
    )


@transaction.atomic
def round_copy(*, actor, round: PrioritisationRound, title: str = "") -> PrioritisationRound:
    """ "Neue Runde": a new, open round with the criteria, weights, comparisons, projects and
    settings of ``round``; the old round and its scores stay as they are."""
    old = PrioritisationRound.objects.get(pk=round.pk)
    numbers = PrioritisationRound.objects.select_for_update().filter(strategy_id=old.strategy_id)
    number = (numbers.aggregate(n=Max("number"))["n"] or 0) + 1
    new = PrioritisationRound.objects.create(
        strategy_id=old.strategy_id,
        number=number,
        title=(
            title.strip()
            or _("%(title)s (Runde %(number)s)") % {"title": old.title, "number": number}
        )[:200],
        weight_method=old.weight_method,
        blind=old.blind,
        disagreement_range=old.disagreement_range,
        concentration=old.concentration,
        draws=old.draws,
        top_k=old.top_k,
        per_field_minimum=old.per_field_minimum,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    mapping: dict[int, RoundCriterion] = {}
    for criterion in old.criteria.all():
        old_pk = criterion.pk
        criterion.pk = None
        criterion.round = new
        criterion.save()
        mapping[old_pk] = criterion
    PairwiseComparison.objects.bulk_create(
        [
            PairwiseComparison(
                round=new, row=mapping[c.row_id], col=mapping[c.col_id], value=c.value
            )
            for c in old.comparisons.all()
        ]
    )
    RoundProject.objects.bulk_create(
        [
            RoundProject(round=new, project_id=e.project_id, mandatory=e.mandatory)
            for e in old.entries.all()
        ]
    )
    RoundExclusion.objects.bulk_create(
        [RoundExclusion(round=new, a_id=x.a_id, b_id=x.b_id) for x in old.exclusions.all()]
    )
    audit_record(
        actor=actor,
        action=PortfolioAction.ROUND_COPY,
        obj=new,
        before={"copied_from": old.pk},
        after=_round_snapshot(new),
    )
    return new


# --- Criteria -------------------------------------------------------------------------------


@transaction.atomic
def criterion_save(
    *,
    actor,
    round: PrioritisationRound,
    criterion: RoundCriterion | None = None,
    key: str,
    title: str,
    description: str = "",
    kind: str = CriterionKind.ASSESSED,
    benefit: bool = True,
    scale_min: int = 0,
    scale_max: int = SCORE_MAX,
) -> RoundCriterion:
    """A criterion of the catalogue. A new one starts with weight 0 (with the method "none"
    all weights are made equal again); the weights then have to be set anew."""
    round_ = round_locked(round)
    _refuse_if_frozen(round_)
    if criterion is not None and criterion.round_id != round_.pk:
        raise ValidationError(_("Dieses Kriterium gehört zu einer anderen Runde."))
    key, title = key.strip(), title.strip()
    others = RoundCriterion.objects.filter(round=round_)
    if criterion is not None:
        others = others.exclude(pk=criterion.pk)
    if others.filter(key=key).exists():
        raise ValidationError({"key": _("Dieses Kürzel gibt es in der Runde schon.")})
    if kind not in CriterionKind.values:
        raise ValidationError({"kind": _("Bitte wählen Sie eine Art.")})
    if kind != CriterionKind.ASSESSED and others.filter(kind=kind).exists():
        raise ValidationError(
            {"kind": _("Jedes berechnete Kriterium kann in einer Runde nur einmal vorkommen.")}
        )
    if not 0 <= scale_min < scale_max <= SCORE_MAX:
        raise ValidationError(
            {
                "scale_max": _(
                    "Die Skala muss innerhalb von 0 bis 5 liegen, „von“ kleiner als „bis“."
                )
            }
        )
    before = snapshot(criterion)
    if criterion is None:
        criterion = RoundCriterion(round=round_, order=others.count(), weight=Decimal(0))
    criterion.key, criterion.title, criterion.description = key, title, description.strip()
    criterion.kind, criterion.benefit = kind, benefit
    criterion.scale_min, criterion.scale_max = scale_min, scale_max
    criterion.full_clean(exclude=["round"], validate_unique=False)
    criterion.save()
    if before is None and round_.weight_method == WeightMethod.NONE:
        _set_uniform(round_)
        criterion.refresh_from_db()
    audit_record(
        actor=actor,
        action=PortfolioAction.CRITERION_UPDATE if before else PortfolioAction.CRITERION_CREATE,
        obj=criterion,
        before=before,
        after=snapshot(criterion),
    )
    return criterion


@transaction.atomic
def criterion_delete(*, actor, criterion: RoundCriterion) -> None:
    round_ = round_locked(criterion.round)
    _refuse_if_frozen(round_)
    if round_.criteria.count() <= 1:
        raise ValidationError(_("Eine Runde braucht mindestens ein Kriterium."))
    audit_record(
        actor=actor,
        action=PortfolioAction.CRITERION_DELETE,
        obj=criterion,
        before=snapshot(criterion),
    )
    criterion.delete()
    if round_.weight_method == WeightMethod.NONE:
        _set_uniform(round_)


# --- Weights --------------------------------------------------------------------------------


def weight_field(criterion: RoundCriterion) -> str:
    return f"w_{criterion.pk}"


@transaction.atomic
def weights_set_direct(
    *, actor, round: PrioritisationRound, percents: Mapping[int, Decimal | None]
) -> None:
    """Weights in percent per criterion id; together exactly 100. Errors name the field
    ``w_<id>`` of a bad entry or ``weights`` for the sum."""
    round_ = round_locked(round)
    _refuse_if_frozen(round_)
    criteria = list(round_.criteria.all())
    before = _weight_snapshot(round_)
    errors: dict[str, str] = {}
    for criterion in criteria:
        value = percents.get(criterion.pk)
        if value is None:
            errors[weight_field(criterion)] = _("Bitte ein Gewicht angeben (auch 0 ist möglich).")
        elif value < 0 or value > 100:
            errors[weight_field(criterion)] = _("Ein Gewicht liegt zwischen 0 und 100 Prozent.")
    if errors:
        raise ValidationError(errors)
    values = [Decimal(percents[c.pk] or 0) for c in criteria]
    total = sum(values, Decimal(0))
    if abs(total - 100) > Decimal("0.01"):
        raise ValidationError(
            {
                "weights": _(
                    "Die Gewichte ergeben zusammen %(total)s Prozent; es müssen genau 100 sein."
                )
                % {"total": f"{total:.2f}".rstrip("0").rstrip(".").replace(".", ",")}
            }
        )
    for criterion, weight in zip(criteria, _fractions(values), strict=True):
        criterion.weight = weight
    RoundCriterion.objects.bulk_update(criteria, ["weight"])
    round_.weight_method = WeightMethod.DIRECT
    round_.save(update_fields=["weight_method"])
    audit_record(
        actor=actor,
        action=PortfolioAction.ROUND_WEIGHTS,
        obj=round_,
        before=before,
        after=_weight_snapshot(round_),
    )


@transaction.atomic
def weights_set_none(*, actor, round: PrioritisationRound) -> None:
    """ "No weights": the analysis then draws weights uniformly over all weightings; the stored
    weights are equal (for the plain ranking)."""
    round_ = round_locked(round)
    _refuse_if_frozen(round_)
    before = _weight_snapshot(round_)
    _set_uniform(round_)
    round_.weight_method = WeightMethod.NONE
    round_.save(update_fields=["weight_method"])
    audit_record(
        actor=actor,
        action=PortfolioAction.ROUND_WEIGHTS,
        obj=round_,
        before=before,
        after=_weight_snapshot(round_),
    )


def pair_field(row: RoundCriterion, col: RoundCriterion) -> str:
    return f"p_{row.pk}_{col.pk}"


def saaty_ok(value: float) -> bool:
    """1..9 or 1/9..1/2 (a reciprocal of a whole number), as on Saaty's scale."""
    if value <= 0:
        return False
    whole = value if value >= 1 else 1 / value
    return 1 <= whole <= 9 + 1e-9 and abs(whole - round(whole)) < 1e-6


@transaction.atomic
def comparisons_set(
    *, actor, round: PrioritisationRound, values: Mapping[tuple[int, int], float | None]
):
    """Pairwise comparisons for every pair above the diagonal (criteria in their order):
    ``values[(row_id, col_id)]`` says how much more important row is than col, on Saaty's
    1/9..9 scale. Derives the weights (principal eigenvector) and sets the method to AHP.

    Returns the engine's ``AhpResult`` (weights, consistency ratio, ``inconsistent`` above 0.10).
    A missing or zero entry is named by its field ``p_<row>_<col>``.
    """
    round_ = round_locked(round)
    _refuse_if_frozen(round_)
    from leitbild.numerics.mcda import InputError, ahp_from_upper, ahp_weights

    criteria = list(round_.criteria.all())
    if len(criteria) < 2:
        raise ValidationError(
            _("Für einen paarweisen Vergleich braucht es mindestens zwei Kriterien.")
        )
    errors: dict[str, str] = {}
    upper: dict[tuple[int, int], float] = {}
    rows = []
    for i, row in enumerate(criteria):
        for j in range(i + 1, len(criteria)):
            col = criteria[j]
            value = values.get((row.pk, col.pk))
            if value is None:
                errors[pair_field(row, col)] = _("Bitte wählen Sie einen Wert für dieses Paar.")
            elif value == 0:
                errors[pair_field(row, col)] = _("Ein Vergleich kann nicht 0 sein.")
            elif not saaty_ok(float(value)):
                errors[pair_field(row, col)] = _("Bitte einen Wert der Skala 1/9 bis 9 wählen.")
            else:
                upper[(i, j)] = float(value)
                rows.append(PairwiseComparison(round=round_, row=row, col=col, value=float(value)))
    if errors:
        raise ValidationError(errors)
    try:
        result = ahp_weights(ahp_from_upper(upper, len(criteria)))
    except InputError as error:
        raise ValidationError(
            _("Der Vergleich lässt sich nicht auswerten (%(code)s).") % {"code": error.code}
        ) from error
    before = {
        **_weight_snapshot(round_),
        "comparisons": {f"{c.row_id}:{c.col_id}": c.value for c in round_.comparisons.all()},
    }
    PairwiseComparison.objects.filter(round=round_).delete()
    PairwiseComparison.objects.bulk_create(rows)
    fractions = _fractions([Decimal(str(float(w))) for w in result.weights])
    for criterion, weight in zip(criteria, fractions, strict=True):
        criterion.weight = weight
    RoundCriterion.objects.bulk_update(criteria, ["weight"])
    round_.weight_method = WeightMethod.AHP
    round_.save(update_fields=["weight_method"])
    audit_record(
        actor=actor,
        action=PortfolioAction.ROUND_COMPARISONS,
        obj=round_,
        before=before,
        after={
            **_weight_snapshot(round_),
            "comparisons": {f"{r.row_id}:{r.col_id}": r.value for r in rows},
            "consistency_ratio": float(result.consistency_ratio),
        },
    )
    return result


# --- Scores ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreInput:
    criterion_id: int
    value: int | None  # None: not scored yet (a draft may leave criteria open)
    justification: str = ""


def _check_assessable(round_: PrioritisationRound, project: Project) -> None:
    if not RoundProject.objects.filter(round=round_, project=project).exists():
        raise ValidationError(_("Dieses Projekt nimmt an der Runde nicht teil."))


@transaction.atomic
def scores_save(
    *, actor, round: PrioritisationRound, project: Project, scores: Sequence[ScoreInput]
) -> list[Score]:
    """The assessor's own scores for one project (a draft: open criteria stay open).

    Each assessor only writes rows with their own ``assessor``, one row per (round, project,
    criterion, assessor) under a unique constraint, so two assessors saving at once never
    touch each other's rows. The first score freezes the round. Refused after the assessor
    has submitted, for a project outside the round and for a value outside the scale (errors
    ``c_<criterion id>``)."""
    round_ = round_locked(round)
    _check_assessable(round_, project)
    if AssessorSubmission.objects.filter(round=round_, assessor=actor).exists():
        raise ValidationError(
            _("Sie haben Ihre Bewertung dieser Runde schon abgeschlossen.")
        ) from None
    criteria = {c.pk: c for c in round_.criteria.all() if c.kind == CriterionKind.ASSESSED}
    errors: dict[str, str] = {}
    for item in scores:
        criterion = criteria.get(item.criterion_id)
        if criterion is None:
            errors[f"c_{item.criterion_id}"] = _("Dieses Kriterium wird nicht bewertet.")
        elif (
            item.value is not None and not criterion.scale_min <= item.value <= criterion.scale_max
        ):
            errors[f"c_{item.criterion_id}"] = _(
                "Bitte einen Wert von %(min)s bis %(max)s wählen."
            ) % {"min": criterion.scale_min, "max": criterion.scale_max}
    if errors:
        raise ValidationError(errors)
    existing = {
        s.criterion_id: s
        for s in Score.objects.filter(round=round_, project=project, assessor=actor)
    }
    before = {str(k): [s.value, s.justification] for k, s in existing.items()}
    saved: list[Score] = []
    for item in scores:
        row = existing.get(item.criterion_id)
        if item.value is None:
            if row is not None:
                row.delete()
            continue
        if row is None:
            row = Score(
                round=round_, project=project, criterion_id=item.criterion_id, assessor=actor
            )
        row.value, row.justification = item.value, item.justification.strip()
        row.save()
        saved.append(row)
    if saved and round_.frozen_at is None:
        round_.frozen_at = timezone.now()
        round_.save(update_fields=["frozen_at"])
    audit_record(
        actor=actor,
        action=PortfolioAction.ROUND_SCORES,
        object_type="portfolio.Project",
        object_id=str(project.pk),
        object_repr=f"{round_} – {project}",
        before=before or None,
        after={str(s.criterion_id): [s.value, s.justification] for s in saved},
    )
    return saved


@transaction.atomic
def assessment_submit(*, actor, round: PrioritisationRound) -> AssessorSubmission:
    """ "Bewertung abschließen": only when every project has a score for every assessed
    criterion. Afterwards the assessor sees the others' scores (blind rounds) and can no
    longer change their own."""
    round_ = round_locked(round)
    assessed = [c.pk for c in round_.criteria.all() if c.kind == CriterionKind.ASSESSED]
    projects = list(round_.entries.values_list("project_id", flat=True))
    if not assessed or not projects:
        raise ValidationError(_("In dieser Runde gibt es nichts zu bewerten."))
    done = Score.objects.filter(
        round=round_, assessor=actor, criterion_id__in=assessed, project_id__in=projects
    ).count()
    missing = len(assessed) * len(projects) - done
    if missing:
        raise ValidationError(
            _("Es fehlen noch %(n)s Bewertungen; bitte bewerten Sie alle Projekte vollständig.")
            % {"n": missing}
        )
    try:
        with transaction.atomic():
            submission = AssessorSubmission.objects.create(round=round_, assessor=actor)
    except IntegrityError:
        raise ValidationError(
            _("Sie haben Ihre Bewertung dieser Runde schon abgeschlossen.")
        ) from None
    audit_record(
        actor=actor,
        action=PortfolioAction.ROUND_SUBMIT,
        obj=round_,
        after={"assessor": actor.pk, "scores": done},
    )
    return submission


# --- Agreed values --------------------------------------------------------------------------


@transaction.atomic
def agreed_value_save(
    *,
    actor,
    round: PrioritisationRound,
    project: Project,
    criterion: RoundCriterion,
    value: int | None,
    note: str = "",
    version: int = 0,
) -> AgreedValue | None:
    """The value agreed after discussing a disagreement; ``None`` removes it. ``version`` is
    the version the editor saw (0: none yet): if someone saved in between, the form is stale
    and refused, so nobody overwrites an agreement they have not seen."""
    round_ = round_locked(round)
    _check_assessable(round_, project)
    if criterion.round_id != round_.pk or criterion.kind != CriterionKind.ASSESSED:
        raise ValidationError(_("Dieses Kriterium wird in der Runde nicht bewertet."))
    if value is not None and not criterion.scale_min <= value <= criterion.scale_max:
        raise ValidationError(
            {
                "value": _("Bitte einen Wert von %(min)s bis %(max)s wählen.")
                % {"min": criterion.scale_min, "max": criterion.scale_max}
            }
        )
    current = (
        AgreedValue.objects.select_for_update()
        .filter(round=round_, project=project, criterion=criterion)
        .first()
    )
    if (current.version if current else 0) != version:
        raise ValidationError(
            _(
                "Inzwischen hat jemand anderes einen Wert gespeichert. Bitte prüfen Sie den "
                "aktuellen Stand und speichern Sie dann erneut."
            ),
            code="stale",
        )
    before = snapshot(current)
    if value is None:
        if current is not None:
            current.delete()
        result = None
    else:
        if current is None:
            current = AgreedValue(round=round_, project=project, criterion=criterion, version=0)
        current.value, current.note = value, note.strip()
        current.by = actor if getattr(actor, "is_authenticated", False) else None
        current.at = timezone.now()
        current.version += 1
        current.save()
        result = current
    audit_record(
        actor=actor,
        action=PortfolioAction.ROUND_AGREED_VALUE,
        object_type="portfolio.AgreedValue",
        object_id=str(getattr(result, "pk", "") or ""),
        object_repr=f"{round_} – {project} – {criterion}",
        before=before,
        after=snapshot(result),
    )
    return result
