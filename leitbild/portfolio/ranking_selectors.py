"""Reads of the ranking and the portfolio of a prioritisation round.

The inputs of a round (assessors' scores, computed criteria, weights, bounds) come from
``round_selectors.criteria_matrix``. What ``ranking.py`` computes from them is stored as JSON on
the round, together with a *fingerprint* of those inputs: a page compares the stored
fingerprint with that of today's inputs and shows a result computed from other inputs as
stale. Everything here reads; nothing writes.

Shapes: ``scores`` (assessors, projects, criteria) with NaN where nobody scored;
``values`` (projects,) the weighted sum of normalised criterion values in [0, 1].
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from leitbild.numerics import mcda
from leitbild.numerics import portfolio as engine

from .models import (
    Assessment,
    BudgetYear,
    PrioritisationRound,
    Project,
    RoundDecision,
    RoundExclusion,
    Stage,
)
from .round_selectors import criteria_matrix
from .selectors import _goal_links, budget_emergency, money, primary_field, project_finance

# Shares of the optimal portfolios: at least CORE is the core, at most EXTERIOR the exterior.
CORE = 0.95
EXTERIOR = 0.05


# --- Inputs ---------------------------------------------------------------------------------


@dataclass
class RoundInputs:
    """What the engine takes, with the rows it stands for."""

    projects: list
    criteria: list
    scores: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    benefit: np.ndarray
    weights: np.ndarray | None

    @property
    def mean(self) -> np.ndarray:
        """Per project and criterion the assessors' mean (NaN if nobody scored)."""
        if self.scores.shape[0] == 0:
            return np.full(self.scores.shape[1:], np.nan)
        with np.errstate(all="ignore"):
            counts = np.sum(~np.isnan(self.scores), axis=0)
            sums = np.nansum(self.scores, axis=0)
            return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)

    def normalised(self) -> np.ndarray:
        return mcda.normalise(self.mean, lower=self.lower, upper=self.upper, benefit=self.benefit)

    def chosen_weights(self) -> np.ndarray:
        """The round's weights; uniform when staff chose "no weights"."""
        if self.weights is None:
            m = len(self.criteria)
            return np.full(m, 1.0 / m) if m else np.zeros(0)
        return np.asarray(self.weights, dtype=float)


def round_inputs(round: PrioritisationRound) -> RoundInputs:
    matrix = criteria_matrix(round)
    weights = getattr(matrix, "weights", None)
    return RoundInputs(
        projects=list(matrix.projects),
        criteria=list(matrix.criteria),
        scores=np.asarray(matrix.scores, dtype=float),
        lower=np.asarray(matrix.lower, dtype=float),
        upper=np.asarray(matrix.upper, dtype=float),
        benefit=np.asarray(matrix.benefit, dtype=bool),
        weights=None if weights is None else np.asarray(weights, dtype=float),
    )


def _digest(data) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _rounded(array: np.ndarray) -> list:
    return [None if np.isnan(v) else round(float(v), 6) for v in np.asarray(array).ravel()]


def ranking_fingerprint(round: PrioritisationRound, inputs: RoundInputs) -> str:
    """Changes whenever anything the ranking and SMAA depend on changes."""
    return _digest(
        {
            "projects": [p.pk for p in inputs.projects],
            "criteria": [c.pk for c in inputs.criteria],
            "shape": list(inputs.scores.shape),
            "scores": _rounded(inputs.scores),
            "lower": _rounded(inputs.lower),
            "upper": _rounded(inputs.upper),
            "benefit": [bool(b) for b in inputs.benefit],
            "weights": None if inputs.weights is None else _rounded(inputs.weights),
            "method": round.weight_method,
            "concentration": round.concentration,
            "draws": round.draws,
            "top_k": round.top_k,
        }
    )


def results_state(round: PrioritisationRound, inputs: RoundInputs | None = None) -> str:
    """ "none", "stale" or "current": whether the stored ranking fits today's inputs."""
    if not round.results:
        return "none"
    inputs = inputs or round_inputs(round)
    return (
        "current"
        if round.results.get("fingerprint") == ranking_fingerprint(round, inputs)
        else "stale"
    )


# --- The stored ranking, ready for a page ----------------------------------------------------


@dataclass
class RankedProject:
    id: int
    title: str
    value: float
    rank: int
    interval: tuple[int, int]
    top_k: float
    robust: bool
    acceptability: list[float]
    sensitivity: list[dict]
    explanation: str = ""
    decision: RoundDecision | None = None
    in_optimal: bool | None = None
    in_greedy: bool | None = None
    robust_share: float | None = None
    robust_class: str = ""


def percent_points(change: float) -> str:
    """A weight change (fraction) as German percentage points: 4,5."""
    from leitbild.core.charts import format_number

    return format_number(abs(change) * 100, 1)


def sensitivity_sentence(entry: dict, criteria: dict[int, str], *, rank: int) -> str:
    """One plain German sentence: which weight must change by how much for the rank to move."""
    title = criteria.get(entry["criterion"], "?")
    points = percent_points(entry["change"])
    new_rank = entry["new_rank"]
    up = entry.get("direction", 1) > 0
    if new_rank < rank:
        template = (
            _(
                "Rückt auf Rang %(rank)d vor, wenn das Gewicht von „%(criterion)s“ um "
                "%(points)s Prozentpunkte steigt."
            )
            if up
            else _(
                "Rückt auf Rang %(rank)d vor, wenn das Gewicht von „%(criterion)s“ um "
                "%(points)s Prozentpunkte sinkt."
            )
        )
    else:
        template = (
            _(
                "Fällt auf Rang %(rank)d zurück, wenn das Gewicht von „%(criterion)s“ um "
                "%(points)s Prozentpunkte steigt."
            )
            if up
            else _(
                "Fällt auf Rang %(rank)d zurück, wenn das Gewicht von „%(criterion)s“ um "
                "%(points)s Prozentpunkte sinkt."
            )
        )
    return template % {"rank": new_rank, "criterion": title, "points": points}


def explanation(project: dict, criteria: dict[int, str]) -> str:
    """For a project whose place is not robust: the smallest change that moves it up and the
    smallest that moves it down (one-at-a-time, the other weights shrinking in proportion)."""
    entries = project.get("sensitivity") or []
    rank = project["rank"]
    parts = []
    for better in (True, False):
        moves = [e for e in entries if (e["new_rank"] < rank) == better and e["new_rank"] != rank]
        if moves:
            smallest = min(moves, key=lambda e: abs(e["change"]))
            parts.append(sensitivity_sentence(smallest, criteria, rank=rank))
    if not parts:
        return _(
            "Keine einzelne Gewichtsänderung verschiebt den Rang; die Unsicherheit kommt aus "
            "den unterschiedlichen Bewertungen."
        )
    return " ".join(parts)


@dataclass
class RankingPage:
    round: PrioritisationRound
    state: str
    projects: list[RankedProject]
    criteria: list[dict]
    draws: int = 0
    top_k: int = 0
    computed_at: str = ""
    missing: list[str] = field(default_factory=list)

    @property
    def robust_count(self) -> int:
        return sum(1 for p in self.projects if p.robust)


def ranking_page(round: PrioritisationRound, *, inputs: RoundInputs | None = None) -> RankingPage:
    results = round.results or {}
    state = results_state(round, inputs) if results else "none"
    criteria = results.get("criteria", [])
    titles = {c["id"]: c["title"] for c in criteria}
    decisions = {d.project_id: d for d in RoundDecision.objects.filter(round=round)}
    portfolio = results.get("portfolio") or {}
    optimal = set(portfolio.get("optimal", {}).get("selected", [])) if portfolio else set()
    greedy = set(portfolio.get("greedy", {}).get("selected", [])) if portfolio else set()
    robust = {p["id"]: p for p in (round.robust or {}).get("projects", [])}
    projects = []
    for item in results.get("projects", []):
        ranked = RankedProject(
            id=item["id"],
            title=item["title"],
            value=item["value"],
            rank=item["rank"],
            interval=tuple(item["interval"]),
            top_k=item["top_k"],
            robust=item["robust"],
            acceptability=item["acceptability"],
            sensitivity=item.get("sensitivity", []),
            decision=decisions.get(item["id"]),
            in_optimal=(item["id"] in optimal) if portfolio else None,
            in_greedy=(item["id"] in greedy) if portfolio else None,
        )
        if not ranked.robust:
            ranked.explanation = explanation(item, titles)
        if item["id"] in robust:
            ranked.robust_share = robust[item["id"]]["share"]
            ranked.robust_class = robust[item["id"]]["class"]
        projects.append(ranked)
    return RankingPage(
        round=round,
        state=state,
        projects=projects,
        criteria=criteria,
        draws=results.get("draws", 0),
        top_k=results.get("top_k", 0),
        computed_at=results.get("computed_at", ""),
    )


# --- What-if --------------------------------------------------------------------------------


def what_if(inputs: RoundInputs, weights: np.ndarray) -> list[dict]:
    """The plain ranking under other weights (fractions summing to 1); writes nothing."""
    normalised = inputs.normalised()
    from .ranking import ordinal_ranks

    titles = [p.title for p in inputs.projects]
    values = mcda.weighted_values(np.nan_to_num(normalised), weights)
    ranks = ordinal_ranks(values, titles)
    base_values = mcda.weighted_values(np.nan_to_num(normalised), inputs.chosen_weights())
    base_ranks = ordinal_ranks(base_values, titles)
    rows = [
        {
            "id": p.pk,
            "title": p.title,
            "value": float(values[i]),
            "rank": int(ranks[i]),
            "base_rank": int(base_ranks[i]),
            "moved": int(base_ranks[i]) - int(ranks[i]),
            "steps": abs(int(base_ranks[i]) - int(ranks[i])),
        }
        for i, p in enumerate(inputs.projects)
    ]
    return sorted(rows, key=lambda r: (r["rank"], r["title"]))


def missing_values(inputs: RoundInputs) -> list[str]:
    """ "Project: criterion" for every value nobody has given yet."""
    mean = inputs.mean
    return [
        f"{p.title}: {c.title}"
        for i, p in enumerate(inputs.projects)
        for j, c in enumerate(inputs.criteria)
        if np.isnan(mean[i, j])
    ]


# --- The portfolio problem -------------------------------------------------------------------


@dataclass
class PortfolioInputs:
    """The optimisation problem of a round and the rows, years and names it stands for."""

    projects: list[Project]
    years: list[int]
    budgets: list[Decimal]  # what is left for the round: the budget less the committed
    costs: list[list[Decimal]]  # per project, per year: the city's own share
    mandatory: set[int]
    exclusions: list[tuple[Project, Project]]
    dependencies: list[tuple[Project, Project]]  # (b, a): b needs a
    outside_dependencies: list[tuple[Project, Project]]
    fields: dict[int, Any]  # project id -> its field of action (strongest goal)
    per_field_minimum: bool
    full_budgets: list[Decimal] = field(default_factory=list)  # BudgetYear as entered
    committed: list[Decimal] = field(default_factory=list)  # own share of running projects
    committed_projects: list[Project] = field(default_factory=list)

    def budget_rows(self) -> list[tuple[int, Decimal, Decimal, Decimal]]:
        """(year, budget, committed to running projects, left for the round)."""
        return list(zip(self.years, self.full_budgets, self.committed, self.budgets, strict=True))

    def index(self) -> dict[int, int]:
        return {p.pk: i for i, p in enumerate(self.projects)}

    def problem(self, values) -> engine.PortfolioProblem:
        at = self.index()
        groups: tuple = ()
        if self.per_field_minimum:
            by_field: dict[int, set[int]] = {}
            for project in self.projects:
                found = self.fields.get(project.pk)
                if found is not None:
                    by_field.setdefault(found.pk, set()).add(at[project.pk])
            groups = tuple(frozenset(members) for _pk, members in sorted(by_field.items()))
        costs = np.array([[float(c) for c in row] for row in self.costs], dtype=float).reshape(
            len(self.projects), len(self.years)
        )
        return engine.PortfolioProblem(
            values=np.asarray(values, dtype=float),
            costs=costs,
            budgets=np.array([float(b) for b in self.budgets], dtype=float),
            mandatory=frozenset(at[pk] for pk in self.mandatory if pk in at),
            exclusions=tuple((at[a.pk], at[b.pk]) for a, b in self.exclusions),
            dependencies=tuple((at[b.pk], at[a.pk]) for b, a in self.dependencies),
            groups=groups,
        )

    def fingerprint(self) -> str:
        return _digest(
            {
                "projects": [p.pk for p in self.projects],
                "years": self.years,
                "budgets": [str(b) for b in self.budgets],
                "costs": [[str(c) for c in row] for row in self.costs],
                "mandatory": sorted(self.mandatory),
                "exclusions": sorted((a.pk, b.pk) for a, b in self.exclusions),
                "dependencies": sorted((b.pk, a.pk) for b, a in self.dependencies),
                "per_field": self.per_field_minimum,
            }
        )


def _finance_prefetch(prefix: str = "") -> list:
    return [
        f"{prefix}costs",
        f"{prefix}third_party",
        Prefetch(f"{prefix}assessments", queryset=Assessment.objects.select_related("programme")),
    ]


def portfolio_inputs(round: PrioritisationRound) -> PortfolioInputs:
    """Costs are each project's own share per budget year, as in the financing plan (the
    applied funding programme's share and third parties' money taken off).

    Projects of the strategy that are already being implemented (or completed) and not part
    of the round have a claim on the budget first: the round optimises what is left."""
    entries = list(
        round.entries.select_related("project").prefetch_related(
            *_finance_prefetch("project__"),
            "project__depends_on",
            Prefetch("project__goal_links", queryset=_goal_links().queryset),
        )
    )
    entries.sort(key=lambda e: (e.project.title, e.project.pk))
    projects = [e.project for e in entries]
    in_round = {p.pk for p in projects}
    budget_rows = list(BudgetYear.objects.order_by("year"))
    years = [b.year for b in budget_rows]
    emergency = budget_emergency()
    costs = []
    for project in projects:
        finance = project_finance(project, emergency=emergency)
        costs.append([finance.own_share.get(y, Decimal(0)) for y in years])
    running = list(
        Project.objects.filter(
            strategy_id=round.strategy_id, stage__in=[Stage.IMPLEMENTING, Stage.COMPLETED]
        )
        .exclude(pk__in=in_round)
        .prefetch_related(*_finance_prefetch())
        .order_by("title", "pk")
    )
    committed = [Decimal(0)] * len(years)
    for project in running:
        finance = project_finance(project, emergency=emergency)
        committed = [
            c + finance.own_share.get(y, Decimal(0)) for c, y in zip(committed, years, strict=True)
        ]
    full = [b.own_share_budget for b in budget_rows]
    left = [max(b - c, Decimal(0)) for b, c in zip(full, committed, strict=True)]
    dependencies: list[tuple[Project, Project]] = []
    outside: list[tuple[Project, Project]] = []
    for project in projects:
        for needed in project.depends_on.all():
            (dependencies if needed.pk in in_round else outside).append((project, needed))
    exclusions = [
        (x.a, x.b)
        for x in RoundExclusion.objects.filter(round=round).select_related("a", "b").order_by("pk")
        if x.a_id in in_round and x.b_id in in_round
    ]
    return PortfolioInputs(
        projects=projects,
        years=years,
        budgets=left,
        costs=costs,
        mandatory={e.project_id for e in entries if e.mandatory},
        exclusions=exclusions,
        dependencies=dependencies,
        outside_dependencies=outside,
        fields={p.pk: primary_field(p) for p in projects},
        per_field_minimum=round.per_field_minimum,
        full_budgets=full,
        committed=committed,
        committed_projects=running,
    )


def _titles(inputs: PortfolioInputs, indexes) -> str:
    return ", ".join(f"„{inputs.projects[i].title}“" for i in indexes)


def reason_text(reason: dict, inputs: PortfolioInputs) -> str:
    """A Reason of the engine ({"code", "detail"}) in plain German."""
    code, detail = reason.get("code", ""), reason.get("detail", {}) or {}
    if code == "budget_year":
        year_index = detail.get("year_index", 0)
        year = inputs.years[year_index] if year_index < len(inputs.years) else "?"
        projects = detail.get("projects")
        text = _(
            "Im Haushaltsjahr %(year)s brauchen die Projekte, die gesetzt sind, zusammen "
            "%(needed)s € Eigenanteil; verfügbar sind nur %(budget)s €."
        ) % {
            "year": year,
            "needed": money(Decimal(str(detail.get("needed", 0)))),
            "budget": money(Decimal(str(detail.get("budget", 0)))),
        }
        if projects:
            text += " " + _("Betroffen: %(projects)s.") % {"projects": _titles(inputs, projects)}
        return text
    if code == "mandatory_exclusion":
        return _(
            "%(projects)s sind beide als Pflicht gesetzt, schließen sich aber gegenseitig aus."
        ) % {"projects": _titles(inputs, detail.get("projects") or detail.get("pair") or [])}
    if code == "mandatory_dependency_excluded":
        return _(
            "Ein Pflichtprojekt hängt von einem Projekt ab, das nicht gewählt werden kann: "
            "%(projects)s."
        ) % {"projects": _titles(inputs, detail.get("projects") or [])}
    if code == "dependency_cycle":
        return _(
            "Die Abhängigkeiten bilden einen Kreis: %(projects)s. Lösen Sie eine der "
            "Abhängigkeiten im Projekt."
        ) % {
            "projects": " → ".join(
                f"„{inputs.projects[i].title}“" for i in detail.get("projects", [])
            )
        }
    if code == "group_unreachable":
        return _(
            "In einem Handlungsfeld lässt sich kein Projekt im Rahmen der Bedingungen wählen: "
            "%(projects)s."
        ) % {"projects": _titles(inputs, detail.get("projects") or detail.get("group") or [])}
    if code in ("group_conflict", "group_not_covered"):
        return _(
            "Die Vorgabe „mindestens ein Projekt je Handlungsfeld“ lässt sich mit den übrigen "
            "Bedingungen nicht erfüllen%(projects)s."
        ) % {
            "projects": (": " + _titles(inputs, detail["projects"]))
            if detail.get("projects")
            else ""
        }
    if code == "exclusion_conflict":
        return _("Die gegenseitigen Ausschlüsse widersprechen den übrigen Bedingungen.")
    if code == "mandatory_conflict":
        return _(
            "Die gesetzten Projekte lassen sich nicht alle zugleich verwirklichen: %(projects)s."
        ) % {"projects": _titles(inputs, detail.get("projects") or [])}
    if code == "time_limit":
        return _("Die Berechnung hat zu lange gedauert. Bitte versuchen Sie es erneut.")
    return _("Die Bedingungen lassen sich nicht gleichzeitig erfüllen (%(code)s).") % {"code": code}


def portfolio_state(round: PrioritisationRound, inputs: PortfolioInputs | None = None) -> str:
    stored = (round.results or {}).get("portfolio")
    if not stored:
        return "none"
    inputs = inputs or portfolio_inputs(round)
    fingerprint = _digest([inputs.fingerprint(), (round.results or {}).get("fingerprint")])
    return "current" if stored.get("fingerprint") == fingerprint else "stale"


def portfolio_fingerprint(round: PrioritisationRound, inputs: PortfolioInputs) -> str:
    return _digest([inputs.fingerprint(), (round.results or {}).get("fingerprint")])


def robust_classes(shares) -> list[str]:
    return [
        "core" if s >= CORE - 1e-9 else "exterior" if s <= EXTERIOR + 1e-9 else "borderline"
        for s in shares
    ]


def robust_label(name: str) -> str:
    labels = {
        "core": _("Kern"),
        "borderline": _("Grenzbereich"),
        "exterior": _("außerhalb"),
    }
    return labels.get(name, "")


def year_count_text(n: int) -> str:
    return ngettext("%(n)d Haushaltsjahr", "%(n)d Haushaltsjahre", n) % {"n": n}


# --- Published ---------------------------------------------------------------------------------


def published_round(*, strategy=None) -> PrioritisationRound | None:
    """The newest published round (of ``strategy``, if given)."""
    rounds = PrioritisationRound.objects.filter(published_at__isnull=False)
    if strategy is not None:
        rounds = rounds.filter(strategy=strategy)
    return rounds.order_by("-published_at", "-pk").first()


def publication(round: PrioritisationRound | None) -> dict | None:
    """The snapshot recorded at publication (criteria, weights, aggregated scores, ranks,
    robustness, portfolio membership, decisions): the only thing the public sees."""
    if round is None or not round.results:
        return None
    return round.results.get("published")


def public_prioritisation(*, strategy=None) -> tuple[PrioritisationRound, dict] | None:
    """The newest published round and its snapshot, with only the projects that are public
    now (a project staff have not published is left out; the others keep their rank)."""
    found = published_round(strategy=strategy)
    snapshot = publication(found)
    if found is None or snapshot is None:
        return None
    ids = [p["id"] for p in snapshot["projects"]]
    public = set(Project.objects.filter(pk__in=ids, is_public=True).values_list("pk", flat=True))
    projects = [p for p in snapshot["projects"] if p["id"] in public]
    return found, {**snapshot, "projects": projects, "hidden": len(ids) - len(projects)}
