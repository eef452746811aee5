"""Reads of prioritisation rounds: the catalogue and weights, the AHP state, the computed
criteria, the assessors' progress, the aggregation of their scores and the matrix the ranking
engine takes (``criteria_matrix``). Each read costs a constant number of queries.

Individual assessors' scores are internal: they are read here for staff pages only, never for
the public page or the API.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext

from leitbild.accounts.models import User
from leitbild.core.inbox import InboxEntry, Section
from leitbild.core.roles import Role

from .models import (
    AgreedValue,
    Assessment,
    AssessorSubmission,
    CriterionKind,
    PairwiseComparison,
    PrioritisationRound,
    Project,
    ProjectGoal,
    RoundCriterion,
    RoundProject,
    Score,
    WeightMethod,
)

GOAL_POINTS = {"stark": 3, "mittel": 2, "gering": 1}
FUNDING_POINTS = {"hoch": 5, "mittel": 3, "gering": 1}
COMPUTED_MAX = 5.0


# --- Rounds and catalogue -------------------------------------------------------------------


def round_list():
    return (
        PrioritisationRound.objects.select_related("strategy")
        .annotate(
            n_projects=Count("entries", distinct=True),
            n_submitted=Count("submissions", distinct=True),
        )
        .order_by("strategy__title", "-number")
    )


def _count(qs):
    return Coalesce(Subquery(qs.order_by().values("round").annotate(n=Count("pk")).values("n")), 0)


def inbox_scoring(user) -> list[InboxEntry]:
    """For an assessor: each unpublished round with projects and assessed criteria that they
    have not submitted yet, with how many of its scores they have entered. One query."""
    rounds = (
        PrioritisationRound.objects.filter(published_at__isnull=True)
        .exclude(submissions__assessor=user)
        .annotate(
            n_projects=_count(RoundProject.objects.filter(round=OuterRef("pk"))),
            n_criteria=_count(
                RoundCriterion.objects.filter(round=OuterRef("pk"), kind=CriterionKind.ASSESSED)
            ),
            n_own=_count(
                Score.objects.filter(round=OuterRef("pk"), assessor=user, value__isnull=False)
            ),
        )
        .filter(n_projects__gt=0, n_criteria__gt=0)
        .order_by("-created_at", "pk")
    )
    return [
        InboxEntry(
            Section.WAITS,
            gettext("Zu bewertende Projekte in „%(round)s“") % {"round": round_.title},
            reverse("portfolio:round_scoring", kwargs={"pk": round_.pk}),
            count=round_.n_projects,
            done=round_.n_own,
            total=round_.n_projects * round_.n_criteria,
        )
        for round_ in rounds
    ]


def round_get(*, pk: int) -> PrioritisationRound | None:
    return PrioritisationRound.objects.select_related("strategy").filter(pk=pk).first()


def round_criteria(round: PrioritisationRound) -> list[RoundCriterion]:
    return list(RoundCriterion.objects.filter(round=round).order_by("order", "pk"))


def round_projects(round: PrioritisationRound) -> list[Project]:
    """The projects taking part, by title; ``entry_mandatory`` set on each."""
    entries = RoundProject.objects.filter(round=round).select_related("project")
    projects = []
    for entry in sorted(entries, key=lambda e: (e.project.title, e.project_id)):
        entry.project.entry_mandatory = entry.mandatory  # type: ignore[attr-defined]
        projects.append(entry.project)
    return projects


def weight_percent(criterion: RoundCriterion) -> float:
    return float(criterion.weight) * 100


@dataclass
class AhpState:
    criteria: list[RoundCriterion]
    values: dict[tuple[int, int], float]  # (row id, col id) -> value, upper triangle
    result: Any = None  # numerics.mcda.AhpResult when every pair is given

    @property
    def complete(self) -> bool:
        n = len(self.criteria)
        return n >= 2 and len(self.values) == n * (n - 1) // 2


def ahp_state(round: PrioritisationRound) -> AhpState:
    """The stored comparisons and, when complete, the weights and consistency ratio derived
    from them (2 queries)."""
    criteria = round_criteria(round)
    position = {c.pk: i for i, c in enumerate(criteria)}
    values: dict[tuple[int, int], float] = {}
    for c in PairwiseComparison.objects.filter(round=round):
        if c.row_id in position and c.col_id in position:
            values[(c.row_id, c.col_id)] = c.value
    state = AhpState(criteria, values)
    if state.complete:
        from leitbild.numerics.mcda import InputError, ahp_from_upper, ahp_weights

        upper = {(position[r], position[c]): v for (r, c), v in values.items()}
        try:
            state.result = ahp_weights(ahp_from_upper(upper, len(criteria)))
        except InputError:
            state.result = None
    return state


# --- Computed criteria ----------------------------------------------------------------------


@dataclass
class ResidentsSource:
    """Where the residents' priority comes from: one published weighting of the strategy."""

    phase: Any = None  # participation.Phase
    field_priority: dict[int, float] = field(default_factory=dict)  # field id -> 0..5
    n: int = 0

    @property
    def available(self) -> bool:
        return bool(self.field_priority)


def residents_source(strategy_id: int) -> ResidentsSource:
    """The field priorities from the newest published weighting of the strategy's processes.

    Read through the consultation's own selectors (phases, ``results_public``,
    ``weighting_results``), so suppression and weighting to the population apply as on the
    public results page. Each field's estimate (share choosing it, mean points, mean rating,
    or mean place where lower is better) is scaled so that the best field counts 5 and the
    weakest 0. Without published results the source is empty and every project gets 0.
    """
    from leitbild.consultation import selectors as consultation
    from leitbild.consultation.models import Method

    candidates = [
        phase
        for phase in consultation.consultation_phases()
        if phase.process.strategy_id == strategy_id
        and phase.kind == phase.Kind.WEIGHTING
        and (weighting := consultation.configuration(phase)) is not None
        and consultation.results_public(weighting)
    ]
    if not candidates:
        return ResidentsSource()
    phase = max(candidates, key=lambda p: (p.ends_at, p.pk))
    weighting = phase.weighting
    results = consultation.weighting_results(weighting=weighting, weighted=True)
    main = results.main
    if results.suppressed or not main:
        return ResidentsSource(phase=phase, n=results.n)
    # The results' fields are the ActionField ids.
    estimates: dict[int, float] = {
        int(r.field): r.estimate.value  # type: ignore[call-overload]
        for r in main
        if r.estimate is not None
    }
    if not estimates:
        return ResidentsSource(phase=phase, n=results.n)
    if weighting.method == Method.RANK:
        estimates = {k: -v for k, v in estimates.items()}
    low, high = min(estimates.values()), max(estimates.values())
    span = high - low
    priority: dict[int, float] = {
        k: (COMPUTED_MAX * (v - low) / span if span > 0 else COMPUTED_MAX)
        for k, v in estimates.items()
    }
    return ResidentsSource(phase=phase, field_priority=priority, n=results.n)


def computed_values(
    round: PrioritisationRound,
    projects: list[Project] | None = None,
    *,
    source: ResidentsSource | None = None,
) -> dict[str, dict[int, float]]:
    """Values 0..5 of the computed criteria per kind and project id.

    goals: per goal link stark 3, mittel 2, gering 1 points, summed and capped at 5.
    residents: mean over the distinct fields of the project's goals of the field priority
    (``residents_source``); 0 without goals or without published results.
    funding: the best funding assessment's potential, hoch 5, mittel 3, gering 1, none 0.
    ``source``: the residents' source if the caller has read it already (the round's page
    shows it too), so the weighting results are read once.
    """
    if projects is None:
        projects = round_projects(round)
    ids = [p.pk for p in projects]
    links = list(
        ProjectGoal.objects.filter(project_id__in=ids).values_list(
            "project_id", "strength", "goal__field_id"
        )
    )
    goals: dict[int, float] = dict.fromkeys(ids, 0.0)
    fields: dict[int, set[int]] = defaultdict(set)
    for project_id, strength, field_id in links:
        goals[project_id] = min(COMPUTED_MAX, goals[project_id] + GOAL_POINTS.get(strength, 0))
        fields[project_id].add(field_id)
    funding: dict[int, float] = dict.fromkeys(ids, 0.0)
    for project_id, potential in Assessment.objects.filter(project_id__in=ids).values_list(
        "project_id", "potential"
    ):
        funding[project_id] = max(funding[project_id], float(FUNDING_POINTS.get(potential, 0)))
    residents: dict[int, float] = dict.fromkeys(ids, 0.0)
    kinds = set(RoundCriterion.objects.filter(round=round).values_list("kind", flat=True))
    if CriterionKind.RESIDENTS in kinds:
        if source is None:
            source = residents_source(round.strategy_id)
        for project_id in ids:
            values = [source.field_priority.get(f, 0.0) for f in fields[project_id]]
            residents[project_id] = sum(values) / len(values) if values else 0.0
    return {
        CriterionKind.GOALS: goals,
        CriterionKind.RESIDENTS: residents,
        CriterionKind.FUNDING: funding,
    }


# --- Assessors and progress -----------------------------------------------------------------


def assessors(round: PrioritisationRound) -> list[User]:
    """Everyone holding the role Bewertung, and anyone else who has scored in the round."""
    return list(
        User.objects.filter(Q(role_assignments__role=Role.ASSESSOR) | Q(round_scores__round=round))
        .distinct()
        .order_by("name", "email", "pk")
    )


@dataclass
class Progress:
    assessor: User
    scored: int
    total: int
    submitted_at: Any = None

    @property
    def percent(self) -> int:
        return round(100 * self.scored / self.total) if self.total else 0


def progress(round: PrioritisationRound) -> list[Progress]:
    """Per assessor: scores given out of (projects × assessed criteria), and when submitted."""
    assessed = [
        pk
        for pk, kind in RoundCriterion.objects.filter(round=round).values_list("pk", "kind")
        if kind == CriterionKind.ASSESSED
    ]
    n_projects = RoundProject.objects.filter(round=round).count()
    counts = dict(
        Score.objects.filter(
            round=round,
            criterion_id__in=assessed,
            project__round_entries__round=round,
        )
        .values_list("assessor_id")
        .annotate(n=Count("pk"))
        .values_list("assessor_id", "n")
    )
    submitted = dict(
        AssessorSubmission.objects.filter(round=round).values_list("assessor_id", "submitted_at")
    )
    total = len(assessed) * n_projects
    return [
        Progress(user, counts.get(user.pk, 0), total, submitted.get(user.pk))
        for user in assessors(round)
    ]


def has_submitted(round: PrioritisationRound, user) -> bool:
    return AssessorSubmission.objects.filter(round=round, assessor=user).exists()


def own_scores(round: PrioritisationRound, user) -> dict[tuple[int, int], Score]:
    """The user's scores by (project id, criterion id)."""
    return {
        (s.project_id, s.criterion_id): s for s in Score.objects.filter(round=round, assessor=user)
    }


def others_scores(round: PrioritisationRound, user, project: Project) -> list[Score] | None:
    """The other assessors' scores of one project, or None while the round is blind and the
    user has not submitted (they must not see them yet)."""
    if round.blind and not has_submitted(round, user):
        return None
    return list(
        Score.objects.filter(round=round, project=project)
        .exclude(assessor=user)
        .select_related("assessor", "criterion")
        .order_by("criterion__order", "assessor__name", "pk")
    )


# --- Aggregation ----------------------------------------------------------------------------


@dataclass
class Cell:
    criterion: RoundCriterion
    values: list[int]
    agreed: AgreedValue | None
    disagreement_range: int

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.values) if self.values else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.values) if self.values else None

    @property
    def spread(self) -> int | None:
        return max(self.values) - min(self.values) if self.values else None

    @property
    def disagreement(self) -> bool:
        return self.spread is not None and self.spread >= self.disagreement_range

    @property
    def open_disagreement(self) -> bool:
        return self.disagreement and self.agreed is None


@dataclass
class ProjectRow:
    project: Project
    cells: list[Cell]

    @property
    def disagreements(self) -> int:
        return sum(c.disagreement for c in self.cells)


def aggregation(round: PrioritisationRound) -> list[ProjectRow]:
    """Per project and assessed criterion: the scores (mean, median, spread = max − min),
    flagged when the spread reaches ``round.disagreement_range``, and any agreed value
    (4 queries)."""
    criteria = [c for c in round_criteria(round) if c.kind == CriterionKind.ASSESSED]
    projects = round_projects(round)
    values: dict[tuple[int, int], list[int]] = defaultdict(list)
    for project_id, criterion_id, value in Score.objects.filter(round=round).values_list(
        "project_id", "criterion_id", "value"
    ):
        values[(project_id, criterion_id)].append(value)
    agreed = {
        (a.project_id, a.criterion_id): a
        for a in AgreedValue.objects.filter(round=round).select_related("by")
    }
    return [
        ProjectRow(
            project,
            [
                Cell(
                    c,
                    sorted(values.get((project.pk, c.pk), [])),
                    agreed.get((project.pk, c.pk)),
                    round.disagreement_range,
                )
                for c in criteria
            ],
        )
        for project in projects
    ]


def cell_scores(round: PrioritisationRound, project: Project, criterion: RoundCriterion):
    """Every assessor's score and justification for one cell (for the discussion)."""
    return list(
        Score.objects.filter(round=round, project=project, criterion=criterion)
        .select_related("assessor")
        .order_by("value", "assessor__name", "pk")
    )


# --- The engine's input ---------------------------------------------------------------------


@dataclass
class CriteriaMatrix:
    """What ``numerics.mcda.smaa`` and ``normalise`` take, with the rows and columns named.

    ``scores`` has shape (n_assessors, n_projects, n_criteria); NaN = not scored.
    ``weights`` is None for the method "no weights" (uniform over all weightings).
    """

    round: PrioritisationRound
    assessors: list[User]
    projects: list[Project]
    criteria: list[RoundCriterion]
    scores: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    benefit: np.ndarray
    weights: np.ndarray | None

    @property
    def empty(self) -> bool:
        return self.scores.size == 0


def criteria_matrix(round: PrioritisationRound) -> CriteriaMatrix:
    """The round as arrays for the ranking engine (a constant 9 queries or fewer).

    - Assessors: those who have *submitted* their assessment (a draft may be half done), in
      the order of their names; projects: those taking part, by title; criteria: the
      catalogue in its order.
    - Assessed criteria: each assessor's own score; NaN where they gave none.
    - An agreed value (after discussing a disagreement) replaces the assessors' scores of
      that cell: every assessor row takes the agreed value, so the disagreement no longer
      enters the SMAA draws for it.
    - Computed criteria (goals, residents, funding; see ``computed_values``) are the same
      for every assessor row.
    - ``lower``/``upper`` are each criterion's ``scale_min``/``scale_max``, ``benefit`` its
      direction, ``weights`` the stored fractions (None for the method "no weights").

    With nobody submitted the first axis has length 0; the ranking refuses that with a message.
    """
    criteria = round_criteria(round)
    projects = round_projects(round)
    submitted = list(
        AssessorSubmission.objects.filter(round=round)
        .select_related("assessor")
        .order_by("assessor__name", "assessor__email", "assessor_id")
    )
    people = [s.assessor for s in submitted]
    a_index = {u.pk: i for i, u in enumerate(people)}
    p_index = {p.pk: i for i, p in enumerate(projects)}
    c_index = {c.pk: i for i, c in enumerate(criteria)}
    scores = np.full((len(people), len(projects), len(criteria)), np.nan)
    if people and projects and criteria:
        for assessor_id, project_id, criterion_id, value in Score.objects.filter(
            round=round, assessor_id__in=list(a_index)
        ).values_list("assessor_id", "project_id", "criterion_id", "value"):
            if project_id in p_index and criterion_id in c_index:
                scores[a_index[assessor_id], p_index[project_id], c_index[criterion_id]] = value
        for project_id, criterion_id, value in AgreedValue.objects.filter(round=round).values_list(
            "project_id", "criterion_id", "value"
        ):
            if project_id in p_index and criterion_id in c_index:
                scores[:, p_index[project_id], c_index[criterion_id]] = value
        computed = computed_values(round, projects)
        for j, criterion in enumerate(criteria):
            if criterion.kind != CriterionKind.ASSESSED:
                column = computed[criterion.kind]
                scores[:, :, j] = [column[p.pk] for p in projects]
    weights = None
    if round.weight_method != WeightMethod.NONE:
        weights = np.array([float(c.weight) for c in criteria], dtype=float)
    return CriteriaMatrix(
        round=round,
        assessors=people,
        projects=projects,
        criteria=criteria,
        scores=scores,
        lower=np.array([float(c.scale_min) for c in criteria], dtype=float),
        upper=np.array([float(c.scale_max) for c in criteria], dtype=float),
        benefit=np.array([c.benefit for c in criteria], dtype=bool),
        weights=weights,
    )


def rounds_for_assessor():
    """Rounds an assessor may score (all rounds with projects; newest first)."""
    return (
        PrioritisationRound.objects.select_related("strategy")
        .annotate(n_projects=Count("entries", distinct=True))
        .filter(n_projects__gt=0)
        .prefetch_related(Prefetch("criteria", queryset=RoundCriterion.objects.order_by("order")))
        .order_by("-created_at", "-pk")
    )
