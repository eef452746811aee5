"""Reads of project progress, each with a constant number of queries.

Public are the projects the implementation concept publishes (``Project.is_public``) in the
stages prioritised, implementing and completed; their money (planned and spent) only when
their costs are published too (``Project.costs_public``), as on the portfolio's pages.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from leitbild.core.inbox import InboxEntry, Section
from leitbild.core.roles import Role, has_role
from leitbild.portfolio.models import CostItem, Project, ProjectGoal, Stage
from leitbild.portfolio.selectors import primary_field

from .progress_models import Milestone, ProgressUpdate, Spending

PUBLIC_STAGES = (Stage.PRIORITISED, Stage.IMPLEMENTING, Stage.COMPLETED)
# Projects whose progress staff report: not yet completed.
MONITORED_STAGES = (Stage.PRIORITISED, Stage.IMPLEMENTING)
STALE_DAYS = 90
ZERO = Decimal("0.00")
MONEY: DecimalField = DecimalField(max_digits=16, decimal_places=2)


def _sum_of(model, column: str = "amount") -> Coalesce:
    rows = (
        model.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum(column))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=MONEY), Value(ZERO), output_field=MONEY)


def _latest(column: str):
    rows = ProgressUpdate.objects.filter(project=OuterRef("pk")).order_by("-date", "-pk")
    return Subquery(rows.values(column)[:1])


def with_progress(projects: QuerySet[Project]) -> QuerySet[Project]:
    """Annotated: ``planned`` and ``spent`` (€), the latest report's ``percent``,
    ``progress_status`` and ``last_report`` date, the number of ``late_milestones``."""
    today = timezone.localdate()
    late = (
        Milestone.objects.filter(
            project=OuterRef("pk"), actual_on__isnull=True, planned_on__lt=today
        )
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return projects.annotate(
        planned=_sum_of(CostItem),
        spent=_sum_of(Spending),
        percent=_latest("percent"),
        progress_status=_latest("status"),
        last_report=_latest("date"),
        late_milestones=Coalesce(Subquery(late, output_field=IntegerField()), Value(0)),
    )


def public_projects() -> QuerySet[Project]:
    return Project.objects.filter(is_public=True, stage__in=PUBLIC_STAGES)


def _goal_links() -> Prefetch:
    return Prefetch(
        "goal_links",
        queryset=ProjectGoal.objects.select_related("goal__field").order_by(
            "goal__field__order", "goal__order", "goal__pk"
        ),
    )


# --- The public Umsetzungsmonitor -----------------------------------------------------------


@dataclass
class FieldRow:
    """One field of action (or "ohne Handlungsfeld") of the overview."""

    label: str
    order: tuple
    counts: dict[str, int] = field(default_factory=lambda: {s: 0 for s in PUBLIC_STAGES})
    planned: Decimal = ZERO
    spent: Decimal = ZERO
    projects: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def spent_share(self) -> float | None:
        return float(self.spent / self.planned) if self.planned else None


@dataclass
class MonitorOverview:
    fields: list[FieldRow]
    totals: FieldRow
    costs_hidden: int  # public projects whose money is not published


def monitor_overview() -> MonitorOverview:
    """The public projects by their primary field of action (the field of the goal they serve
    most) and stage, with planned and spent money of those whose costs are public. Two
    queries."""
    projects = with_progress(public_projects()).prefetch_related(_goal_links())
    rows: dict[object, FieldRow] = {}
    totals = FieldRow(_("Alle Handlungsfelder"), (0,))
    hidden = 0
    for project in projects.order_by("priority", "title", "pk"):
        primary = primary_field(project)
        key = primary.pk if primary else None
        if key not in rows:
            rows[key] = (
                FieldRow(primary.name, (0, primary.order, primary.pk))
                if primary
                else FieldRow(_("ohne Handlungsfeld"), (1,))
            )
        for row in (rows[key], totals):
            row.counts[project.stage] += 1
            if project.costs_public:
                row.planned += project.planned  # type: ignore[attr-defined]
                row.spent += project.spent  # type: ignore[attr-defined]
        rows[key].projects.append(project)
        hidden += 0 if project.costs_public else 1
    return MonitorOverview(sorted(rows.values(), key=lambda r: r.order), totals, hidden)


@dataclass
class YearMoney:
    year: int
    planned: Decimal
    spent: Decimal | None


@dataclass
class ProjectProgress:
    project: Project
    milestones: list[Milestone]
    updates: list[ProgressUpdate]
    money: list[YearMoney] | None  # None: the costs are not public

    @property
    def latest(self) -> ProgressUpdate | None:
        return self.updates[0] if self.updates else None

    @property
    def planned_total(self) -> Decimal:
        return sum((y.planned for y in self.money or []), ZERO)

    @property
    def spent_total(self) -> Decimal:
        return sum((y.spent or ZERO for y in self.money or []), ZERO)


def year_money(project: Project) -> list[YearMoney]:
    """Planned (cost plan) and spent money per year, from the prefetched ``costs`` and
    ``spendings``."""
    planned: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for item in project.costs.all():
        planned[item.year] += item.amount
    spent = {s.year: s.amount for s in project.spendings.all()}
    years = sorted(set(planned) | set(spent))
    return [YearMoney(y, planned.get(y, ZERO), spent.get(y)) for y in years]


def project_progress(*, pk: int, public: bool = True) -> ProjectProgress | None:
    """A project with its milestones, reports (newest first) and money. Five queries."""
    projects = public_projects() if public else Project.objects.all()
    project = (
        projects.select_related("lead_unit")
        .prefetch_related(
            "milestones", "costs", "spendings", Prefetch("progress_updates", to_attr="updates")
        )
        .filter(pk=pk)
        .first()
    )
    if project is None:
        return None
    money = year_money(project) if (project.costs_public or not public) else None
    return ProjectProgress(project, list(project.milestones.all()), project.updates, money)


def feed_updates(*, project: Project | None = None, limit: int = 50) -> list[ProgressUpdate]:
    """The newest progress reports of public projects, for the Atom feeds. One query."""
    updates = ProgressUpdate.objects.filter(
        project__is_public=True, project__stage__in=PUBLIC_STAGES
    )
    if project is not None:
        updates = updates.filter(project=project)
    return list(updates.select_related("project__lead_unit").order_by("-date", "-pk")[:limit])


# --- Staff ----------------------------------------------------------------------------------


# --- Who reports: the Strategie-Redaktion for every project, a project team for its unit's ---


def report_scope(user) -> list[int] | None:
    """The units whose projects ``user`` reports on: None for all (Strategie-Redaktion and
    Administration), else the units whose project team the user belongs to (role
    Projektteam; may be empty). One query for a project team."""
    if has_role(user, Role.EDITOR):
        return None
    if not has_role(user, Role.PROJECT_TEAM):
        return []
    return list(user.org_units.values_list("pk", flat=True))


def may_report(user, project: Project) -> bool:
    """Whether ``user`` may record progress, milestones and spending of ``project``."""
    units = report_scope(user)
    return units is None or (project.lead_unit_id is not None and project.lead_unit_id in units)


def _in_scope(queryset: QuerySet, units: list[int] | None, path: str = "lead_unit_id"):
    return queryset if units is None else queryset.filter(**{f"{path}__in": units})


def monitored_projects(*, units: list[int] | None = None) -> QuerySet[Project]:
    """Projects under monitoring (of ``units`` only if given)."""
    projects = Project.objects.filter(stage__in=MONITORED_STAGES).select_related("lead_unit")
    return with_progress(_in_scope(projects, units)).order_by("priority", "title", "pk")


def late_milestones(
    *, today: datetime.date | None = None, units: list[int] | None = None
) -> list[Milestone]:
    """Milestones of projects not yet completed whose planned date has passed without an
    actual date, the longest overdue first (of ``units``' projects only if given). One
    query."""
    today = today or timezone.localdate()
    milestones = Milestone.objects.filter(
        project__stage__in=MONITORED_STAGES, actual_on__isnull=True, planned_on__lt=today
    )
    return list(
        _in_scope(milestones, units, "project__lead_unit_id")
        .select_related("project")
        .order_by("planned_on", "pk")
    )


def stale_projects(
    *, today: datetime.date | None = None, units: list[int] | None = None
) -> list[Project]:
    """Projects in implementation with no progress report for ``STALE_DAYS`` days (none at
    all counts too), the longest silent first (of ``units``' projects only if given). One
    query."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=STALE_DAYS)
    recent = ProgressUpdate.objects.filter(project=OuterRef("pk"), date__gt=since)
    projects = (
        _in_scope(Project.objects.filter(stage=Stage.IMPLEMENTING), units)
        .exclude(Exists(recent))
        .annotate(last_report=Max("progress_updates__date"))
        .select_related("lead_unit")
    )
    return sorted(
        projects,
        key=lambda p: (p.last_report or datetime.date.min, p.title),  # type: ignore[attr-defined]
    )


def inbox_progress(user) -> list[InboxEntry]:
    """Late milestones and silent projects: all for the Strategie-Redaktion, a project team's
    own. At most three queries."""
    units = report_scope(user)
    if units == []:
        return []
    url = reverse("monitoring:progress_staff_index")
    entries = []
    late = len(late_milestones(units=units))
    if late:
        entries.append(
            InboxEntry(
                Section.WAITS,
                ngettext("Meilenstein überfällig", "Meilensteine überfällig", late),
                f"{url}#verspaetet",
                count=late,
            )
        )
    stale = len(stale_projects(units=units))
    if stale:
        entries.append(
            InboxEntry(
                Section.WAITS,
                ngettext(
                    "Projekt ohne Fortschrittsbericht seit 90 Tagen",
                    "Projekte ohne Fortschrittsbericht seit 90 Tagen",
                    stale,
                ),
                f"{url}#ohne-bericht",
                count=stale,
            )
        )
    return entries


def progress_for_api(project: Project) -> dict | None:
    """A published project's progress as ``GET /api/v1/projects/{id}`` gives it: milestones,
    reports (newest first, without author or photo), planned and spent money per year when
    the costs are public. Five queries."""
    found = project_progress(pk=project.pk, public=True)
    if found is None:
        return None
    latest = found.latest
    return {
        "percent": latest.percent if latest else None,
        "status": latest.status if latest else None,
        "last_report": latest.date if latest else None,
        "milestones": [
            {
                "title": m.title,
                "planned_on": m.planned_on,
                "actual_on": m.actual_on,
                "late": m.is_late,
            }
            for m in found.milestones
        ],
        "reports": [
            {
                "date": u.date,
                "percent": u.percent,
                "status": u.status,
                "status_label": str(u.get_status_display()),
                "text": u.text,
            }
            for u in found.updates
        ],
        "money": (
            [{"year": y.year, "planned": y.planned, "spent": y.spent} for y in found.money]
            if found.money is not None
            else None
        ),
    }
