"""Reads of the implementation concept, each with a constant number of queries.

The financing plan is computed here, not stored: it follows from the cost plans, the applied
assessments (one programme per project), the third-party money and the city's budget. A
programme's share of a year is the project's eligible costs of that year times the programme's
rate (the emergency rate if the city is in a budget emergency), rounded to the cent; the city's
own share is what remains after the programme's and third parties' shares.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from leitbild.core.charts import format_number
from leitbild.core.fields import parse_key, query_text
from leitbild.participation.models import Idea

from .models import (
    Assessment,
    BudgetYear,
    CostItem,
    CostType,
    FinanceSetting,
    Programme,
    Project,
    ProjectGoal,
    Stage,
    Strength,
)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
STRENGTH_ORDER = {Strength.STRONG: 0, Strength.MEDIUM: 1, Strength.WEAK: 2}
PUBLIC_STAGES = [s for s in Stage.values if s != Stage.DISCARDED]


def _goal_links() -> Prefetch:
    return Prefetch(
        "goal_links",
        queryset=ProjectGoal.objects.select_related("goal__field").order_by(
            "goal__field__order", "goal__order", "goal__pk"
        ),
    )


def project_list(
    *,
    strategy=None,
    stage: str = "",
    public: bool = False,
    field_id: int | None = None,
    goal_id: int | None = None,
) -> QuerySet[Project]:
    projects = Project.objects.select_related("lead_unit").prefetch_related(_goal_links())
    projects = projects.annotate(idea_count=Count("idea_links", distinct=True))
    if strategy is not None:
        projects = projects.filter(strategy=strategy)
    if public:
        projects = projects.filter(is_public=True)
    if stage:
        projects = projects.filter(stage=stage)
    if field_id:
        projects = projects.filter(goal_links__goal__field_id=field_id).distinct()
    if goal_id:
        projects = projects.filter(goal_links__goal_id=goal_id).distinct()
    return projects.order_by("priority", "title", "pk")


def project_get(*, pk: int, public: bool = False) -> Project | None:
    projects = Project.objects.select_related("lead_unit", "strategy").prefetch_related(
        _goal_links(), "partner_units", "depends_on", "costs", "third_party", "stage_changes__by"
    )
    if public:
        projects = projects.filter(is_public=True)
    return projects.filter(pk=pk).first()


def project_ideas(*, project: Project, public: bool = False) -> list[Idea]:
    ideas = (
        Idea.objects.filter(project_links__project=project)
        .select_related("process", "workshop")
        .order_by("pk")
    )
    if public:
        ideas = ideas.public()
    return list(ideas)


def idea_projects(*, idea: Idea) -> list[Project]:
    """The public projects an idea went into (for the public idea page)."""
    return list(
        Project.objects.filter(idea_links__idea=idea, is_public=True)
        .order_by("title")
        .only("pk", "title")
    )


def primary_field(project: Project):
    """The field of the goal the project serves most (strongest, then first in order)."""
    links = sorted(project.goal_links.all(), key=lambda g: STRENGTH_ORDER.get(g.strength, 3))
    return links[0].goal.field if links else None


def projects_by_goal(*, goal_ids: list[int]) -> dict[int, list[Project]]:
    """Public projects per goal id, for the strategy's field and goal pages (one query)."""
    result: dict[int, list[Project]] = defaultdict(list)
    links = (
        ProjectGoal.objects.filter(goal_id__in=goal_ids, project__is_public=True)
        .exclude(project__stage=Stage.DISCARDED)
        .select_related("project")
        .order_by("project__priority", "project__title")
    )
    for link in links:
        result[link.goal_id].append(link.project)
    return dict(result)


def stage_counts(*, strategy=None, public: bool = True) -> dict[str, int]:
    projects = Project.objects.all()
    if strategy is not None:
        projects = projects.filter(strategy=strategy)
    if public:
        projects = projects.filter(is_public=True)
    return dict(projects.values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))


def map_points(*, strategy=None) -> list[Project]:
    projects = Project.objects.filter(is_public=True, lat__isnull=False).exclude(
        stage=Stage.DISCARDED
    )
    if strategy is not None:
        projects = projects.filter(strategy=strategy)
    return list(projects.only("pk", "title", "lat", "lon", "stage"))


# --- Money ----------------------------------------------------------------------------------


def budget_emergency() -> bool:
    setting = FinanceSetting.objects.first()
    return bool(setting and setting.budget_emergency)


def effective_rate(programme: Programme, *, emergency: bool) -> Decimal:
    if emergency and programme.emergency_rate is not None:
        return programme.emergency_rate
    return programme.rate


@dataclass
class ProjectFinance:
    """One project's money per year: costs, eligible costs and the shares of each source."""

    project: Project
    programme: Programme | None
    rate: Decimal
    years: list[int]
    costs: dict[int, Decimal]
    costs_by_type: dict[tuple[int, str], Decimal]
    eligible: dict[int, Decimal]
    programme_share: dict[int, Decimal]
    third_party: dict[int, Decimal]
    own_share: dict[int, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.costs.values(), ZERO)

    @property
    def total_eligible(self) -> Decimal:
        return sum(self.eligible.values(), ZERO)

    @property
    def total_programme(self) -> Decimal:
        return sum(self.programme_share.values(), ZERO)

    @property
    def total_third_party(self) -> Decimal:
        return sum(self.third_party.values(), ZERO)

    @property
    def total_own(self) -> Decimal:
        return sum(self.own_share.values(), ZERO)

    def rows(self):
        """Per year: (year, costs, eligible, programme share, third parties, own share)."""
        return [
            (
                y,
                self.costs.get(y, ZERO),
                self.eligible.get(y, ZERO),
                self.programme_share.get(y, ZERO),
                self.third_party.get(y, ZERO),
                self.own_share.get(y, ZERO),
            )
            for y in self.years
        ]


def project_finance(
    project: Project, *, programme: Programme | None = None, emergency: bool | None = None
) -> ProjectFinance:
    """The money of ``project`` funded by ``programme`` (its applied assessment if None).

    Uses the prefetched ``costs``/``third_party``/``assessments`` when present.
    """
    if emergency is None:
        emergency = budget_emergency()
    if programme is None:
        applied = [a for a in project.assessments.all() if a.applied]
        programme = applied[0].programme if applied else None
    costs: dict[int, Decimal] = defaultdict(lambda: ZERO)
    by_type: dict[tuple[int, str], Decimal] = {}
    eligible: dict[int, Decimal] = defaultdict(lambda: ZERO)
    eligible_types = set(programme.eligible_cost_types) if programme else set()
    for item in project.costs.all():
        costs[item.year] += item.amount
        by_type[(item.year, item.cost_type)] = item.amount
        if item.cost_type in eligible_types:
            eligible[item.year] += item.amount
    third: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for item in project.third_party.all():
        third[item.year] += item.amount
    rate = effective_rate(programme, emergency=emergency) if programme else ZERO
    share = {y: (eligible[y] * rate / 100).quantize(CENT, ROUND_HALF_UP) for y in eligible}
    years = sorted(set(costs) | set(third))
    own = {
        y: max(costs.get(y, ZERO) - share.get(y, ZERO) - third.get(y, ZERO), ZERO) for y in years
    }
    return ProjectFinance(
        project,
        programme,
        rate,
        years,
        dict(costs),
        by_type,
        dict(eligible),
        share,
        dict(third),
        own,
    )


@dataclass
class Warning:
    kind: str  # "cap" or "budget"
    message: str


@dataclass
class FinancingPlan:
    years: list[int]
    projects: list[ProjectFinance]
    programmes: list[Programme]
    # year → source label → amount; sources: each programme, "third", "own"
    by_source: dict[str, dict[int, Decimal]]
    source_labels: dict[str, str]
    by_field: list[tuple[str, dict[int, Decimal], Decimal]]
    budgets: dict[int, Decimal]
    phase_use: list[tuple[object, Decimal]]
    warnings: list[Warning] = field(default_factory=list)
    emergency: bool = False

    def year_total(self, year: int) -> Decimal:
        return sum((s.get(year, ZERO) for s in self.by_source.values()), ZERO)

    @property
    def totals(self) -> dict[int, Decimal]:
        return {y: self.year_total(y) for y in self.years}

    @property
    def grand_total(self) -> Decimal:
        return sum(self.totals.values(), ZERO)

    def source_rows(self):
        """(label, [amount per year], total) per source, for tables and the XLSX."""
        return [
            (
                self.source_labels[key],
                [values.get(y, ZERO) for y in self.years],
                sum(values.values(), ZERO),
            )
            for key, values in self.by_source.items()
        ]

    def field_rows(self):
        return [
            (label, [values.get(y, ZERO) for y in self.years], total)
            for label, values, total in self.by_field
        ]

    def own_rows(self):
        """(year, own share, budget or None, over budget?)."""
        own = self.by_source.get("own", {})
        return [
            (
                y,
                own.get(y, ZERO),
                self.budgets.get(y),
                y in self.budgets and own.get(y, ZERO) > self.budgets[y],
            )
            for y in self.years
        ]


def financing_plan(*, strategy=None) -> FinancingPlan:
    """The financing plan of all projects that are not discarded, in six queries."""
    projects = (
        Project.objects.exclude(stage=Stage.DISCARDED)
        .prefetch_related(
            "costs",
            "third_party",
            _goal_links(),
            Prefetch(
                "assessments", queryset=Assessment.objects.select_related("programme", "phase")
            ),
        )
        .order_by("priority", "title", "pk")
    )
    if strategy is not None:
        projects = projects.filter(strategy=strategy)
    emergency = budget_emergency()
    finances = [project_finance(p, emergency=emergency) for p in projects]
    programmes: dict[int, Programme] = {}
    by_source: dict[str, dict[int, Decimal]] = {}
    labels: dict[str, str] = {}
    field_sums: dict[str, dict[int, Decimal]] = {}
    phase_sums: dict[int, tuple[object, Decimal]] = {}
    years: set[int] = set()
    no_field = _("ohne Handlungsfeld")
    for finance in finances:
        years.update(finance.years)
        if finance.programme is not None:
            key = f"programme-{finance.programme.pk}"
            programmes[finance.programme.pk] = finance.programme
            labels[key] = str(finance.programme)
            target = by_source.setdefault(key, {})
            for y, amount in finance.programme_share.items():
                target[y] = target.get(y, ZERO) + amount
            applied = next(a for a in finance.project.assessments.all() if a.applied)
            if applied.phase is not None:
                phase, used = phase_sums.get(applied.phase_id, (applied.phase, ZERO))
                phase_sums[applied.phase_id] = (phase, used + finance.total_programme)
        for key, label, values in (
            ("third", _("Drittmittel"), finance.third_party),
            ("own", _("Eigenanteil der Stadt"), finance.own_share),
        ):
            labels[key] = label
            target = by_source.setdefault(key, {})
            for y, amount in values.items():
                target[y] = target.get(y, ZERO) + amount
        main = primary_field(finance.project)
        label = f"{main.code} {main.name}" if main else no_field
        target = field_sums.setdefault(label, {})
        for y, amount in finance.costs.items():
            target[y] = target.get(y, ZERO) + amount
    # Programmes first, then third parties, then the city's own share.
    order = sorted(by_source, key=lambda k: (k == "own", k == "third", labels[k]))
    by_source = {k: by_source[k] for k in order}
    budgets = dict(BudgetYear.objects.values_list("year", "own_share_budget"))
    plan = FinancingPlan(
        years=sorted(years),
        projects=finances,
        programmes=sorted(programmes.values(), key=str),
        by_source=by_source,
        source_labels=labels,
        by_field=[
            (label, values, sum(values.values(), ZERO))
            for label, values in sorted(field_sums.items())
        ],
        budgets=budgets,
        phase_use=sorted(phase_sums.values(), key=lambda p: str(p[0])),
        emergency=emergency,
    )
    for phase, used in plan.phase_use:
        if used > phase.cap:
            plan.warnings.append(
                Warning(
                    "cap",
                    _(
                        "Die Förderung aus „%(phase)s“ (%(used)s €) übersteigt den Höchstbetrag "
                        "von "
                        "%(cap)s €."
                    )
                    % {"phase": phase, "used": money(used), "cap": money(phase.cap)},
                )
            )
    for year, own, budget, over in plan.own_rows():
        if over:
            plan.warnings.append(
                Warning(
                    "budget",
                    _(
                        "Der Eigenanteil %(year)d (%(own)s €) übersteigt die Haushaltsmittel von "
                        "%(budget)s €."
                    )
                    % {"year": year, "own": money(own), "budget": money(budget)},
                )
            )
    return plan


def money(value: Decimal | None) -> str:
    """Whole euros with the active language's thousands separator: 1.234.567 in German,
    1,234,567 in English."""
    if value is None:
        return "–"
    return format_number(int(value.quantize(Decimal(1), ROUND_HALF_UP)), 0)


def cost_types() -> list[tuple[str, str]]:
    return list(CostType.choices)


def programme_list() -> QuerySet[Programme]:
    return Programme.objects.prefetch_related("phases", "criteria").annotate(
        assessment_count=Count("assessments", distinct=True)
    )


def assessments_of(*, project: Project) -> list[Assessment]:
    return list(
        project.assessments.select_related("programme", "phase")
        .prefetch_related("scores__criterion")
        .order_by("programme__name")
    )


def cost_plan_totals(*, project: Project) -> dict:
    items = CostItem.objects.filter(project=project)
    return {"total": sum((c.amount for c in items), ZERO)}


def ideas_search(
    *, strategy, query: str = "", exclude_project: Project | None = None, limit: int = 20
) -> list[Idea]:
    """Public ideas of the strategy's participation, found by title or number."""
    ideas = Idea.objects.public().filter(process__strategy=strategy).select_related("process")
    query = query_text(query).strip()
    number = parse_key(query)
    if number is not None:
        ideas = ideas.filter(pk=number)
    elif query:
        ideas = ideas.filter(Q(title__icontains=query) | Q(description__icontains=query))
    if exclude_project is not None:
        ideas = ideas.exclude(project_links__project=exclude_project)
    return list(ideas.order_by("-support_count", "pk")[:limit])


# The profile ("Steckbrief") in the order of the national knowledge platform.
PROFILE_FIELDS = (
    "problem",
    "aim",
    "steps",
    "data_needed",
    "data_produced",
    "continuation",
    "transferability",
    "open_source",
)


def project_profile(project: Project) -> list[tuple[str, str]]:
    """The profile's sections as (label, text), for the project page."""
    sections = []
    for name in PROFILE_FIELDS:
        field = Project._meta.get_field(name)
        assert isinstance(field, models.Field)  # the profile's names are text fields
        sections.append((str(field.verbose_name), getattr(project, name)))
    return sections
