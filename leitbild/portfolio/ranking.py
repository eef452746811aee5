"""Writes of the ranking, the portfolio, the decisions and the publication of a round.

The ranking is the weighted sum of normalised criterion values (the assessors' mean per
criterion). SMAA then draws weights around the chosen ones (Dirichlet with the round's
concentration, or uniformly over all weights when staff chose "no weights") and the assessors'
scores per project, and reports per project how likely each rank is. A project whose place is
not robust gets a one-at-a-time sensitivity: which weight would have to change by how many
percentage points for it to move. All of it is a JSON snapshot on the round with the inputs'
fingerprint (``ranking_selectors.ranking_fingerprint``), so a page can say when it is stale.

The portfolio maximises the total value under the yearly own-share budgets (exact MILP,
``numerics.portfolio``), next to "the ranking from the top until the money runs out". The
robust portfolio repeats the optimisation for SMAA draws (``tasks.robust_portfolio_task``).

Every write validates, writes and records an audit entry in one transaction; refused input is a
``ValidationError`` with a message in plain German and leaves nothing half written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leitbild.core.audit import audit_record
from leitbild.numerics import mcda
from leitbild.numerics import portfolio as engine

from . import ranking_selectors as sel
from . import services
from .audit import PortfolioAction
from .models import (
    PrioritisationRound,
    Project,
    RoundDecision,
    RoundExclusion,
    RoundProject,
    Stage,
    WeightMethod,
)
from .rounds import round_locked

RESULTS_FORMAT = 1
# The robust portfolio repeats the MILP per draw; more than this takes too long for staff.
ROBUST_DRAWS = 1000
MAX_ROBUST_DRAWS = 5000


def _refuse_if_published(round: PrioritisationRound) -> None:
    if round.published_at is not None:
        raise ValidationError(
            _(
                "Diese Runde ist veröffentlicht und bleibt so nachvollziehbar. Für eine neue "
                "Priorisierung legen Sie bitte eine neue Runde an."
            )
        )


def _engine_error(exc: mcda.InputError) -> ValidationError:
    messages = {
        "weights_sum": _("Die Gewichte ergeben zusammen nicht 100 Prozent."),
        "weights_negative": _("Ein Gewicht ist negativ."),
        "scores_range": _("Ein Punktwert liegt außerhalb der Skala."),
        "no_projects": _("Die Runde hat keine bewerteten Projekte."),
    }
    return ValidationError(messages.get(exc.code, str(exc)), code=exc.code)


# --- Ranking and SMAA ----------------------------------------------------------------------------


def _check_inputs(inputs: sel.RoundInputs) -> None:
    if not inputs.projects:
        raise ValidationError(_("Die Runde hat noch keine Projekte."), code="no_projects")
    if not inputs.criteria:
        raise ValidationError(_("Die Runde hat noch keine Kriterien."), code="no_criteria")
    if inputs.scores.shape[0] == 0 or np.all(np.isnan(inputs.scores)):
        raise ValidationError(
            _("Es liegen noch keine Bewertungen vor. Die Rangfolge braucht mindestens eine."),
            code="no_scores",
        )
    missing = sel.missing_values(inputs)
    if missing:
        shown = "; ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        raise ValidationError(
            _("Für %(n)d Werte gibt es noch keine Bewertung: %(list)s.")
            % {"n": len(missing), "list": shown},
            code="missing_scores",
        )


def compute_results(round: PrioritisationRound, inputs: sel.RoundInputs) -> dict:
    """The ranking, SMAA and sensitivity of ``inputs`` as the JSON stored on the round."""
    _check_inputs(inputs)
    weights = inputs.chosen_weights()
    try:
        if inputs.weights is not None:
            weights = np.asarray(mcda.check_weights(weights), dtype=float)
        normalised = inputs.normalised()
        values = mcda.weighted_values(normalised, weights)
        ranks = ordinal_ranks(values, [p.title for p in inputs.projects])
        smaa = mcda.smaa(
            inputs.scores,
            lower=inputs.lower,
            upper=inputs.upper,
            benefit=inputs.benefit,
            weights=None if round.weight_method == WeightMethod.NONE else weights,
            concentration=round.concentration,
            draws=round.draws,
            top_k=min(round.top_k, len(inputs.projects)),
            seed=round.pk or 0,
        )
    except mcda.InputError as exc:
        raise _engine_error(exc) from exc
    projects = []
    for i, project in enumerate(inputs.projects):
        robust = bool(smaa.robust[i])
        sensitivity = []
        if not robust:
            for entry in mcda.sensitivity(normalised, weights, i):
                if entry.change != entry.change:  # NaN: this weight never moves the rank
                    continue
                sensitivity.append(
                    {
                        "criterion": inputs.criteria[entry.criterion].pk,
                        "direction": int(entry.direction),
                        "change": float(entry.change),
                        "new_rank": int(entry.new_rank),
                    }
                )
        projects.append(
            {
                "id": project.pk,
                "title": project.title,
                "value": round_float(values[i]),
                "rank": int(ranks[i]),
                "interval": [int(smaa.rank_interval[i][0]), int(smaa.rank_interval[i][1])],
                "top_k": round_float(smaa.top_k[i]),
                "expected_rank": round_float(smaa.expected_rank[i]),
                "robust": robust,
                "acceptability": [round_float(p) for p in smaa.rank_acceptability[i]],
                "mean": [None if np.isnan(v) else round_float(v) for v in inputs.mean[i]],
                "sensitivity": sensitivity,
            }
        )
    projects.sort(key=lambda p: (p["rank"], p["title"]))
    return {
        "format": RESULTS_FORMAT,
        "fingerprint": sel.ranking_fingerprint(round, inputs),
        "computed_at": timezone.now().isoformat(),
        "weight_method": round.weight_method,
        "concentration": round.concentration,
        "draws": int(smaa.draws),
        "top_k": min(round.top_k, len(inputs.projects)),
        "assessors": int(inputs.scores.shape[0]),
        "criteria": [
            {
                "id": c.pk,
                "key": c.key,
                "title": c.title,
                "description": c.description,
                "kind": c.kind,
                "benefit": bool(c.benefit),
                "scale": [c.scale_min, c.scale_max],
                "weight": round_float(weights[j]),
            }
            for j, c in enumerate(inputs.criteria)
        ],
        "projects": projects,
    }


def ordinal_ranks(values, titles: list[str]) -> list[int]:
    """1 = highest value; equal values are ordered by title, so every rank is taken once and
    the table reads in rank order (the engine's ``ranks`` averages ties: 1.5)."""
    order = sorted(range(len(titles)), key=lambda i: (-float(values[i]), titles[i]))
    result = [0] * len(titles)
    for position, i in enumerate(order, start=1):
        result[i] = position
    return result


def round_float(value) -> float:
    return round(float(value), 6)


def _cents(value) -> float:
    return round(float(value), 2)


@transaction.atomic
def ranking_run(*, actor, round: PrioritisationRound) -> PrioritisationRound:
    """Computes and stores the ranking with SMAA; an earlier portfolio becomes stale."""
    round = round_locked(round)
    _refuse_if_published(round)
    inputs = sel.round_inputs(round)
    results = compute_results(round, inputs)
    previous = round.results or {}
    if "portfolio" in previous:
        results["portfolio"] = previous["portfolio"]
    round.results = results
    round.results_at = timezone.now()
    round.save(update_fields=["results", "results_at"])
    audit_record(
        actor=actor,
        action=PortfolioAction.ROUND_RANKING,
        obj=round,
        after={"fingerprint": results["fingerprint"], "draws": results["draws"]},
    )
    return round


def what_if_weights(inputs: sel.RoundInputs, raw: list) -> np.ndarray:
    """Percent per criterion from the what-if form → fractions; a clear message if unusable."""
    try:
        values = [float(v) for v in raw]
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("Bitte geben Sie für jedes Gewicht eine Zahl an.")) from exc
    if len(values) != len(inputs.criteria):
        raise ValidationError(_("Bitte geben Sie für jedes Kriterium ein Gewicht an."))
    if any(v < 0 for v in values):
        raise ValidationError(_("Ein Gewicht ist negativ."))
    total = sum(values)
    if total <= 0:
        raise ValidationError(_("Mindestens ein Gewicht muss größer als null sein."))
    # Staff move single weights; the others need not be adjusted by hand: scaled to 100.
    return np.array(values, dtype=float) / total


# --- Constraints of the portfolio ---------------------------------------------------------------


@transaction.atomic
def constraints_set(
    *,
    actor,
    round: PrioritisationRound,
    mandatory: set[int],
    exclusions: list[tuple[Project, Project]],
    per_field_minimum: bool,
) -> PrioritisationRound:
    """Mandatory projects, mutual exclusions and the per-field option of a round."""
    round = round_locked(round)
    _refuse_if_published(round)
    entries = {e.project_id: e for e in RoundProject.objects.filter(round=round)}
    unknown = [pk for pk in mandatory if pk not in entries]
    if unknown:
        raise ValidationError({"mandatory": _("Nur Projekte der Runde können gesetzt werden.")})
    pairs = set()
    for a, b in exclusions:
        if a.pk == b.pk:
            raise ValidationError(
                {"exclusions": _("Ein Projekt kann sich nicht selbst ausschließen.")}
            )
        if a.pk not in entries or b.pk not in entries:
            raise ValidationError(
                {"exclusions": _("Ausschlüsse gelten nur zwischen Projekten der Runde.")}
            )
        pairs.add((min(a.pk, b.pk), max(a.pk, b.pk)))
    before = {
        "mandatory": sorted(pk for pk, e in entries.items() if e.mandatory),
        "exclusions": sorted(
            RoundExclusion.objects.filter(round=round).values_list("a_id", "b_id")
        ),
        "per_field_minimum": round.per_field_minimum,
    }
    for pk, entry in entries.items():
        if entry.mandatory != (pk in mandatory):
            entry.mandatory = pk in mandatory
            entry.save(update_fields=["mandatory"])
    RoundExclusion.objects.filter(round=round).delete()
    RoundExclusion.objects.bulk_create(
        [RoundExclusion(round=round, a_id=a, b_id=b) for a, b in sorted(pairs)]
    )
    round.per_field_minimum = per_field_minimum
    round.save(update_fields=["per_field_minimum"])
    audit_record(
        actor=actor,
        action=PortfolioAction.ROUND_CONSTRAINTS,
        obj=round,
        before=before,
        after={
            "mandatory": sorted(mandatory),
            "exclusions": sorted(pairs),
            "per_field_minimum": per_field_minimum,
        },
    )
    return round


# --- The portfolio -----------------------------------------------------------------------------


def _result_json(result: engine.PortfolioResult, inputs: sel.PortfolioInputs) -> dict:
    selected = [inputs.projects[i].pk for i, chosen in enumerate(result.selected) if chosen]
    return {
        "feasible": bool(result.feasible),
        "selected": selected,
        "value": round_float(result.value) if result.feasible else 0.0,
        "spent": [_cents(s) for s in result.spent],
        "reasons": [
            {"code": r.code, "detail": _json_safe(r.detail)} for r in (result.reasons or ())
        ],
    }


def _json_safe(value):
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_json_safe(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


def _values_in_order(round: PrioritisationRound, inputs: sel.PortfolioInputs) -> np.ndarray:
    stored = {p["id"]: p["value"] for p in (round.results or {}).get("projects", [])}
    missing = [p.title for p in inputs.projects if p.pk not in stored]
    if missing:
        raise ValidationError(
            _("Bitte berechnen Sie zuerst die Rangfolge (es fehlen Werte für %(list)s).")
            % {"list": ", ".join(missing[:5])}
        )
    return np.array([stored[p.pk] for p in inputs.projects], dtype=float)


def compute_portfolio(round: PrioritisationRound, inputs: sel.PortfolioInputs) -> dict:
    if not (round.results or {}).get("projects"):
        raise ValidationError(_("Bitte berechnen Sie zuerst die Rangfolge."))
    if not inputs.years:
        raise ValidationError(
            _(
                "Es sind keine Haushaltsmittel für den Eigenanteil eingetragen. Tragen Sie sie "
                "im Finanzierungsplan ein."
            )
        )
    values = _values_in_order(round, inputs)
    problem = inputs.problem(values)
    n = len(inputs.projects)
    cycle = engine.check_dependencies(n, problem.dependencies)
    if cycle:
        raise ValidationError(
            sel.reason_text({"code": "dependency_cycle", "detail": {"projects": cycle}}, inputs),
            code="dependency_cycle",
        )
    optimal = engine.optimal_portfolio(problem)
    order = [int(i) for i in np.argsort(-values, kind="stable")]
    greedy = engine.greedy_portfolio(problem, order)
    return {
        "fingerprint": sel.portfolio_fingerprint(round, inputs),
        "computed_at": timezone.now().isoformat(),
        "years": inputs.years,
        "budgets": [round_float(b) for b in inputs.budgets],
        "costs": {
            str(p.pk): [_cents(c) for c in inputs.costs[i]] for i, p in enumerate(inputs.projects)
        },
        "mandatory": sorted(inputs.mandatory),
        "optimal": _result_json(optimal, inputs),
        "greedy": _result_json(greedy, inputs),
    }


@transaction.atomic
def portfolio_run(*, actor, round: PrioritisationRound) -> PrioritisationRound:
    """The exact optimal portfolio and the greedy one, stored with the ranking."""
    round = round_locked(round)
    _refuse_if_published(round)
    inputs = sel.portfolio_inputs(round)
    result = compute_portfolio(round, inputs)
    round.results = {**(round.results or {}), "portfolio": result}
    round.save(update_fields=["results"])
    audit_record(
        actor=actor,
        action=PortfolioAction.ROUND_PORTFOLIO,
        obj=round,
        after={
            "feasible": result["optimal"]["feasible"],
            "optimal": result["optimal"]["selected"],
            "greedy": result["greedy"]["selected"],
        },
    )
    return round


def compute_robust(
    round: PrioritisationRound,
    *,
    draws: int = ROBUST_DRAWS,
    report: Callable[[int, int], None] | None = None,
) -> dict:
    """The share of optimal portfolios containing each project, over SMAA draws."""
    if not (round.results or {}).get("portfolio"):
        raise ValidationError(_("Bitte berechnen Sie zuerst das Portfolio."))
    inputs = sel.round_inputs(round)
    _check_inputs(inputs)
    pinputs = sel.portfolio_inputs(round)
    at = {p.pk: i for i, p in enumerate(inputs.projects)}
    order = [at[p.pk] for p in pinputs.projects]
    weights = inputs.chosen_weights()
    try:
        value_draws = mcda.value_draws(
            inputs.scores,
            lower=inputs.lower,
            upper=inputs.upper,
            benefit=inputs.benefit,
            weights=None if round.weight_method == WeightMethod.NONE else weights,
            concentration=round.concentration,
            draws=draws,
            seed=round.pk or 0,
            score_uncertainty=True,
        )
    except mcda.InputError as exc:
        raise _engine_error(exc) from exc
    value_draws = np.asarray(value_draws)[:, order]
    problem = pinputs.problem(_values_in_order(round, pinputs))
    if engine.check_dependencies(len(pinputs.projects), problem.dependencies):
        raise ValidationError(_("Die Abhängigkeiten der Projekte bilden einen Kreis."))
    result = engine.robust_portfolio(
        problem, value_draws, progress=report, workers=settings.LEITBILD_ROBUST_WORKERS
    )
    shares = [float(s) for s in result.share]
    classes = sel.robust_classes(shares)
    return {
        "fingerprint": sel.portfolio_fingerprint(round, pinputs),
        "computed_at": timezone.now().isoformat(),
        "draws": int(result.draws),
        "projects": [
            {"id": p.pk, "title": p.title, "share": round_float(shares[i]), "class": classes[i]}
            for i, p in enumerate(pinputs.projects)
        ],
    }


@transaction.atomic
def robust_store(*, actor, round: PrioritisationRound, robust: dict) -> PrioritisationRound:
    round = round_locked(round)
    round.robust = robust
    round.robust_at = timezone.now()
    round.save(update_fields=["robust", "robust_at"])
    audit_record(
        actor=actor,
        action=PortfolioAction.ROUND_ROBUST,
        obj=round,
        after={"draws": robust["draws"]},
    )
    return round


def robust_run(
    *,
    actor,
    round: PrioritisationRound,
    draws: int = ROBUST_DRAWS,
    report: Callable[[int, int], None] | None = None,
) -> PrioritisationRound:
    """Computes outside a transaction (it takes a while), then stores in one."""
    robust = compute_robust(round, draws=draws, report=report)
    return robust_store(actor=actor, round=round, robust=robust)


@transaction.atomic
def robust_start(*, actor, round: PrioritisationRound, draws: int = ROBUST_DRAWS):
    """Starts the robust portfolio as a background task; returns its ``TaskProgress``."""
    from leitbild.core.progress import progress_start

    from .tasks import robust_portfolio_task

    round = round_locked(round)
    _refuse_if_published(round)
    if not 10 <= draws <= MAX_ROBUST_DRAWS:
        raise ValidationError(
            {
                "draws": _("Bitte wählen Sie zwischen 10 und %(max)d Ziehungen.")
                % {"max": MAX_ROBUST_DRAWS}
            }
        )
    if sel.portfolio_state(round) != "current":
        raise ValidationError(_("Bitte berechnen Sie zuerst das Portfolio (neu)."))
    progress = progress_start(
        label=_("Robustes Portfolio: %(round)s") % {"round": round.title},
        started_by=actor,
        task=robust_portfolio_task,
        args=(round.pk, draws),
    )
    round.robust_task_id = str(progress.pk)
    round.save(update_fields=["robust_task_id"])
    audit_record(
        actor=actor, action=PortfolioAction.ROUND_ROBUST_START, obj=round, after={"draws": draws}
    )
    return progress


# --- Decisions and publication -----------------------------------------------------------------


@dataclass(frozen=True)
class DecisionRow:
    project: Project
    prioritised: bool
    justification: str


@transaction.atomic
def decisions_set(
    *, actor, round: PrioritisationRound, rows: list[DecisionRow]
) -> list[RoundDecision]:
    """Records "priorisiert" or not, each with a justification (required)."""
    round = round_locked(round)
    _refuse_if_published(round)
    in_round = set(RoundProject.objects.filter(round=round).values_list("project_id", flat=True))
    errors = {}
    for i, row in enumerate(rows):
        if row.project.pk not in in_round:
            errors[f"decision-{i}-project"] = _("Dieses Projekt gehört nicht zur Runde.")
        elif not row.justification.strip():
            errors[f"decision-{i}-justification"] = _("Bitte begründen Sie die Entscheidung.")
    if errors:
        raise ValidationError(errors)
    saved = []
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    for row in rows:
        decision, _created = RoundDecision.objects.update_or_create(
            round=round,
            project=row.project,
            defaults={
                "prioritised": row.prioritised,
                "justification": row.justification.strip(),
                "by": user,
                "at": now,
            },
        )
        saved.append(decision)
    audit_record(
        actor=actor,
        action=PortfolioAction.ROUND_DECISIONS,
        obj=round,
        after={str(r.project.pk): r.prioritised for r in rows},
    )
    return saved


def _publication_snapshot(round: PrioritisationRound, inputs: sel.RoundInputs) -> dict:
    results = round.results or {}
    portfolio = results.get("portfolio") or {}
    optimal = set(portfolio.get("optimal", {}).get("selected", []))
    greedy = set(portfolio.get("greedy", {}).get("selected", []))
    robust = {p["id"]: p for p in (round.robust or {}).get("projects", [])}
    decisions = {d.project_id: d for d in RoundDecision.objects.filter(round=round)}
    projects = []
    for item in results.get("projects", []):
        decision = decisions.get(item["id"])
        projects.append(
            {
                "id": item["id"],
                "title": item["title"],
                "value": item["value"],
                "rank": item["rank"],
                "interval": item["interval"],
                "top_k": item["top_k"],
                "robust": item["robust"],
                "acceptability": item["acceptability"],
                # The assessors' mean per criterion: aggregated, never one person's points.
                "mean": item["mean"],
                "in_portfolio": item["id"] in optimal,
                "in_greedy": item["id"] in greedy,
                "robust_share": robust.get(item["id"], {}).get("share"),
                "robust_class": robust.get(item["id"], {}).get("class", ""),
                "prioritised": decision.prioritised if decision else None,
                "justification": decision.justification if decision else "",
            }
        )
    return {
        "round": {"id": round.pk, "number": round.number, "title": round.title},
        "weight_method": results.get("weight_method"),
        "concentration": results.get("concentration"),
        "draws": results.get("draws"),
        "top_k": results.get("top_k"),
        "assessors": results.get("assessors"),
        "criteria": results.get("criteria", []),
        "projects": projects,
        "portfolio": {
            "years": portfolio.get("years", []),
            "budgets": portfolio.get("budgets", []),
            "value": portfolio.get("optimal", {}).get("value"),
            "greedy_value": portfolio.get("greedy", {}).get("value"),
        },
        "robust_draws": (round.robust or {}).get("draws"),
    }


@transaction.atomic
def round_publish(*, actor, round: PrioritisationRound) -> PrioritisationRound:
    """Records criteria, weights, aggregated scores, robustness, portfolio and decisions and
    publishes them; prioritised projects move to "priorisiert" and get their rank."""
    round = round_locked(round)
    _refuse_if_published(round)
    inputs = sel.round_inputs(round)
    if not round.results or sel.results_state(round, inputs) != "current":
        raise ValidationError(
            _(
                "Die Rangfolge ist nicht aktuell. Bitte berechnen Sie sie neu, bevor Sie "
                "veröffentlichen."
            )
        )
    if sel.portfolio_state(round) != "current":
        raise ValidationError(
            _(
                "Das Portfolio ist nicht aktuell. Bitte berechnen Sie es neu, bevor Sie "
                "veröffentlichen."
            )
        )
    decisions = {d.project_id: d for d in RoundDecision.objects.filter(round=round)}
    undecided = [p.title for p in inputs.projects if p.pk not in decisions]
    if undecided:
        raise ValidationError(
            _("Für diese Projekte fehlt noch die Entscheidung: %(list)s.")
            % {"list": ", ".join(f"„{t}“" for t in undecided)}
        )
    snapshot = _publication_snapshot(round, inputs)
    round.results = {**round.results, "published": snapshot}
    round.published_at = timezone.now()
    round.published_by = actor if getattr(actor, "is_authenticated", False) else None
    round.save(update_fields=["results", "published_at", "published_by"])
    # The prioritised projects in the order of the ranking; the others lose an old rank.
    position = 0
    by_id = {p.pk: p for p in Project.objects.filter(pk__in=decisions).select_for_update()}
    for item in snapshot["projects"]:
        project = by_id.get(item["id"])
        decision = decisions.get(item["id"])
        if project is None or decision is None:
            continue
        if decision.prioritised:
            position += 1
            project.priority = position
            project.save(update_fields=["priority", "updated_at"])
            if project.stage in (Stage.POOL, Stage.QUALIFYING):
                services.project_stage_set(
                    actor=actor,
                    project=project,
                    stage=Stage.PRIORITISED,
                    reason=_("Priorisierungsrunde „%(round)s“: %(why)s")
                    % {"round": round.title, "why": decision.justification},
                )
        elif project.stage in (Stage.POOL, Stage.QUALIFYING, Stage.PRIORITISED):
            project.priority = None
            project.save(update_fields=["priority", "updated_at"])
            if project.stage == Stage.PRIORITISED:
                services.project_stage_set(
                    actor=actor,
                    project=project,
                    stage=Stage.QUALIFYING,
                    reason=_("Priorisierungsrunde „%(round)s“, nicht priorisiert: %(why)s")
                    % {"round": round.title, "why": decision.justification},
                )
    audit_record(
        actor=actor,
        action=PortfolioAction.ROUND_PUBLISH,
        obj=round,
        after={"projects": len(snapshot["projects"])},
    )
    return round
