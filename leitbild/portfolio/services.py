"""Writes to the implementation concept. Every function validates, writes and records an audit
entry in one transaction, so that refused input leaves nothing half-saved.

Errors are ``ValidationError``s keyed by the form field they belong to; rows of the cost plan
use the formset's prefixes (``costs-3-amount``) so that the page shows them in their row.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leitbild.core.audit import audit_record, audited_save, snapshot
from leitbild.participation.models import Idea, IdeaStatus

from .audit import STAGE_ACTIONS, PortfolioAction
from .models import (
    Assessment,
    BudgetYear,
    CostItem,
    CostType,
    Criterion,
    CriterionScore,
    FinanceSetting,
    OrgUnit,
    Potential,
    Programme,
    ProgrammePhase,
    Project,
    ProjectGoal,
    ProjectIdea,
    Stage,
    StageChange,
    Strength,
    ThirdPartyFunding,
)

# Years a cost plan may cover when the project has no start and duration yet.
YEAR_MIN, YEAR_MAX = 2000, 2100
# Idea statuses from which an idea can still be taken up in a project.
LINKABLE_STATUSES = {
    IdeaStatus.PUBLISHED,
    IdeaStatus.IN_REVIEW,
    IdeaStatus.ACCEPTED,
    IdeaStatus.REJECTED,
}


def _project_snapshot(project: Project) -> dict | None:
    return snapshot(project, exclude=("ideas", "goals", "partner_units", "depends_on"))


def _names(objects: Iterable) -> str:
    return ", ".join(f"„{o}“" for o in objects)


# --- Organisational units -------------------------------------------------------------------


@transaction.atomic
def orgunit_save(
    *,
    actor,
    unit: OrgUnit | None = None,
    name: str,
    short_name: str = "",
    kind: str = OrgUnit.Kind.DEPARTMENT,
    members: Iterable | None = None,
) -> OrgUnit:
    """Creates or changes a unit; ``members`` (users, None: unchanged) are its project team,
    who report the progress of the projects the unit leads (role Projektteam)."""
    name = name.strip()
    if OrgUnit.objects.filter(name__iexact=name).exclude(pk=getattr(unit, "pk", None)).exists():
        raise ValidationError(
            {"name": _("Eine Organisationseinheit mit diesem Namen gibt es schon.")}
        )
    before = snapshot(unit)
    unit = unit or OrgUnit(order=OrgUnit.objects.count())
    values = {"name": name, "short_name": short_name.strip(), "kind": kind}
    unit = audited_save(
        actor=actor,
        obj=unit,
        action=PortfolioAction.ORGUNIT_UPDATE if before else PortfolioAction.ORGUNIT_CREATE,
        before=before,
        values=values,
        validate_unique=False,  # the name was checked above, case-insensitively
    )
    if members is not None:
        _orgunit_members_set(actor=actor, unit=unit, members=members)
    return unit


def _orgunit_members_set(*, actor, unit: OrgUnit, members: Iterable) -> None:
    old = sorted(unit.members.values_list("pk", flat=True))
    new = sorted({m.pk for m in members})
    if old == new:
        return
    unit.members.set(new)
    audit_record(
        actor=actor,
        action=PortfolioAction.ORGUNIT_MEMBERS,
        obj=unit,
        before={"members": old},
        after={"members": new},
    )


@transaction.atomic
def orgunit_delete(*, actor, unit: OrgUnit) -> None:
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    used = list(Project.objects.filter(lead_unit=unit) | Project.objects.filter(partner_units=unit))
    if used:
        raise ValidationError(
            _("„%(unit)s“ wird noch von diesen Projekten genutzt: %(projects)s.")
            % {"unit": unit, "projects": _names(dict.fromkeys(used))}
        )
    audit_record(
        actor=actor, action=PortfolioAction.ORGUNIT_DELETE, obj=unit, before=snapshot(unit)
    )
    unit.delete()


# --- Projects -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalLink:
    goal: object  # strategy.Goal
    strength: str = Strength.MEDIUM


def _check_goals(strategy_id: int, goals: Sequence[GoalLink]) -> None:
    foreign = [link.goal for link in goals if link.goal.strategy_id != strategy_id]
    if foreign:
        raise ValidationError(
            {
                "goals": _("Diese Ziele gehören zu einer anderen Strategie: %(goals)s.")
                % {"goals": _names(foreign)}
            }
        )
    if len({link.goal.pk for link in goals}) != len(goals):
        raise ValidationError({"goals": _("Jedes Ziel kann nur einmal gewählt werden.")})
    if any(link.strength not in Strength.values for link in goals):
        raise ValidationError({"goals": _("Bitte wählen Sie stark, mittel oder gering.")})


def _check_dependencies(project: Project, depends_on: Sequence[Project]) -> None:
    """Refuses a project that depends on itself or closes a cycle of dependencies.

    Should be called while holding a lock on the strategy's projects, so that two editors
    cannot close a cycle from both ends at once.
    """
    if any(other.pk == project.pk for other in depends_on):
        raise ValidationError({"depends_on": _("Ein Projekt kann nicht von sich selbst abhängen.")})
    if any(other.strategy_id != project.strategy_id for other in depends_on):
        raise ValidationError(
            {"depends_on": _("Abhängigkeiten nur zu Projekten derselben Strategie.")}
        )
    if project.pk is None:
        return  # nothing can depend on a project that does not exist yet
    edges: dict[int, list[int]] = {}
    through = Project.depends_on.through
    for source, target in through.objects.exclude(from_project_id=project.pk).values_list(
        "from_project_id", "to_project_id"
    ):
        edges.setdefault(source, []).append(target)
    edges[project.pk] = [other.pk for other in depends_on]
    # Depth-first search from the project; reaching it again is a cycle.
    path: list[int] = [project.pk]

    def reaches_start(node: int, seen: set[int]) -> bool:
        for nxt in edges.get(node, []):
            if nxt == project.pk:
                return True
            if nxt not in seen:
                seen.add(nxt)
                path.append(nxt)
                if reaches_start(nxt, seen):
                    return True
                path.pop()
        return False

    if reaches_start(project.pk, {project.pk}):
        titles = dict(Project.objects.filter(pk__in=path).values_list("pk", "title"))
        chain = " → ".join(titles[pk] for pk in [*path, project.pk])
        raise ValidationError(
            {
                "depends_on": _("Diese Abhängigkeit ergäbe einen Kreis: %(chain)s.")
                % {"chain": chain}
            }
        )


PROJECT_FIELDS = (
    "title",
    "summary",
    "description",
    "priority",
    "lead_unit",
    "external_partners",
    "starts_on",
    "duration_months",
    "risks",
    "lat",
    "lon",
    "problem",
    "aim",
    "steps",
    "data_needed",
    "data_produced",
    "continuation",
    "transferability",
    "open_source",
    "is_public",
    "costs_public",
)


def _project_write(
    *,
    actor,
    project: Project,
    goals: Sequence[GoalLink],
    partner_units: Iterable[OrgUnit],
    depends_on: Sequence[Project],
    data: dict,
) -> Project:
    before = _project_snapshot(project) if project.pk else None
    list(
        Project.objects.select_for_update()
        .filter(strategy_id=project.strategy_id)
        .values_list("pk", flat=True)
    )
    for name in PROJECT_FIELDS:
        if name in data:
            setattr(project, name, data[name])
    if (project.lat is None) != (project.lon is None):
        raise ValidationError(
            {"lat": _("Bitte geben Sie Breite und Länge an oder keins von beiden.")}
        )
    _check_goals(project.strategy_id, goals)
    _check_dependencies(project, depends_on)
    project.full_clean(exclude=["strategy"])
    if project.pk:
        _check_cost_years(
            project,
            [c.year for c in project.costs.all()] + [t.year for t in project.third_party.all()],
            key="duration_months",
        )
    project.save()
    project.partner_units.set(list(partner_units))
    project.depends_on.set(list(depends_on))
    ProjectGoal.objects.filter(project=project).delete()
    ProjectGoal.objects.bulk_create(
        [ProjectGoal(project=project, goal=link.goal, strength=link.strength) for link in goals]
    )
    after = _project_snapshot(project)
    after["goals"] = {link.goal.code: link.strength for link in goals}
    after["depends_on"] = sorted(p.pk for p in depends_on)
    audit_record(
        actor=actor,
        action=PortfolioAction.PROJECT_UPDATE if before else PortfolioAction.PROJECT_CREATE,
        obj=project,
        before=before,
        after=after,
    )
    return project


@transaction.atomic
def project_create(
    *,
    actor,
    strategy,
    title: str,
    summary: str,
    goals: Sequence[GoalLink] = (),
    partner_units: Iterable[OrgUnit] = (),
    depends_on: Sequence[Project] = (),
    ideas: Sequence[Idea] = (),
    stage: str = Stage.POOL,
    **data,
) -> Project:
    """A new project; with ``ideas`` it starts from them (see ``project_ideas_link``)."""
    project = Project(strategy=strategy, stage=stage)
    data.update(title=title, summary=summary)
    _project_write(
        actor=actor,
        project=project,
        goals=goals,
        partner_units=partner_units,
        depends_on=depends_on,
        data=data,
    )
    StageChange.objects.create(
        project=project, to_stage=stage, reason=_("Projekt angelegt"), by=_user(actor)
    )
    if ideas:
        project_ideas_link(actor=actor, project=project, ideas=ideas)
    return project


@transaction.atomic
def project_update(
    *,
    actor,
    project: Project,
    goals: Sequence[GoalLink],
    partner_units: Iterable[OrgUnit] = (),
    depends_on: Sequence[Project] = (),
    **data,
) -> Project:
    project = Project.objects.select_for_update().get(pk=project.pk)
    return _project_write(
        actor=actor,
        project=project,
        goals=goals,
        partner_units=partner_units,
        depends_on=depends_on,
        data=data,
    )


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def project_stage_set(*, actor, project: Project, stage: str, reason: str, now=None) -> Project:
    """Moves the project to another stage; date, person and reason are kept for good."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    reason = reason.strip()
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Diesen Stand gibt es nicht.")})
    if stage == project.stage:
        raise ValidationError({"stage": _("Das Projekt hat diesen Stand schon.")})
    if not reason:
        raise ValidationError({"reason": _("Bitte geben Sie eine Begründung an.")})
    before = _project_snapshot(project)
    old, project.stage = project.stage, stage
    project.save(update_fields=["stage", "updated_at"])
    StageChange.objects.create(
        project=project,
        from_stage=old,
        to_stage=stage,
        reason=reason,
        at=now or timezone.now(),
        by=_user(actor),
    )
    audit_record(
        actor=actor,
        action=STAGE_ACTIONS[stage],
        obj=project,
        before=before,
        after=_project_snapshot(project),
    )
    return project


@transaction.atomic
def project_delete(*, actor, project: Project) -> None:
    project = Project.objects.select_for_update().get(pk=project.pk)
    required_by = list(project.required_by.all())
    if required_by:
        raise ValidationError(
            _("Von diesem Projekt hängen noch ab: %(projects)s.")
            % {"projects": _names(required_by)}
        )
    audit_record(
        actor=actor,
        action=PortfolioAction.PROJECT_DELETE,
        obj=project,
        before=_project_snapshot(project),
    )
    project.delete()


# --- Cost plan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostRow:
    year: int
    cost_type: str
    amount: Decimal


@dataclass(frozen=True)
class ThirdPartyRow:
    year: int
    source: str
    amount: Decimal


def year_range(project: Project) -> tuple[int, int]:
    if project.starts_on and project.end_year:
        return project.starts_on.year, project.end_year
    return YEAR_MIN, YEAR_MAX


def _check_cost_years(project: Project, years: Iterable[int], *, key: str) -> None:
    first, last = year_range(project)
    outside = sorted({y for y in years if not first <= y <= last})
    if outside:
        raise ValidationError(
            {
                key: _(
                    "Der Kostenplan enthält Jahre außerhalb der Laufzeit %(first)d–%(last)d: "
                    "%(years)s."
                )
                % {"first": first, "last": last, "years": ", ".join(map(str, outside))}
            }
        )


def _row_errors(project: Project, prefix: str, rows: Sequence, *, types: bool) -> dict:
    first, last = year_range(project)
    errors: dict[str, list[str]] = {}
    seen: dict[tuple, int] = {}
    for index, row in enumerate(rows):
        if not first <= row.year <= last:
            errors[f"{prefix}-{index}-year"] = [
                _("Das Jahr muss zwischen %(first)d und %(last)d liegen (Laufzeit des Projekts).")
                % {"first": first, "last": last}
            ]
        if row.amount is None or row.amount < 0:
            errors[f"{prefix}-{index}-amount"] = [_("Der Betrag darf nicht negativ sein.")]
        if types:
            if row.cost_type not in CostType.values:
                errors[f"{prefix}-{index}-cost_type"] = [_("Diese Kostenart gibt es nicht.")]
            key = (row.year, row.cost_type)
            if key in seen:
                errors[f"{prefix}-{index}-cost_type"] = [
                    _(
                        "Für dieses Jahr und diese Kostenart gibt es schon eine Zeile "
                        "(Zeile %(row)d)."
                    )
                    % {"row": seen[key] + 1}
                ]
            seen.setdefault(key, index)
        elif not row.source.strip():
            errors[f"{prefix}-{index}-source"] = [_("Bitte nennen Sie den Geldgeber.")]
    return errors


@transaction.atomic
def cost_plan_set(
    *, actor, project: Project, costs: Sequence[CostRow], third_party: Sequence[ThirdPartyRow] = ()
) -> Project:
    """Replaces the whole cost plan (and the third-party money) of ``project`` at once."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    errors = _row_errors(project, "costs", costs, types=True)
    errors.update(_row_errors(project, "third", third_party, types=False))
    if errors:
        raise ValidationError(errors)
    before = {"costs": _cost_snapshot(project)}
    project.costs.all().delete()
    project.third_party.all().delete()
    CostItem.objects.bulk_create(
        [
            CostItem(project=project, year=r.year, cost_type=r.cost_type, amount=r.amount)
            for r in costs
            if r.amount
        ]
    )
    ThirdPartyFunding.objects.bulk_create(
        [
            ThirdPartyFunding(
                project=project, year=r.year, source=r.source.strip(), amount=r.amount
            )
            for r in third_party
            if r.amount
        ]
    )
    audit_record(
        actor=actor,
        action=PortfolioAction.PROJECT_COSTS,
        obj=project,
        before=before,
        after={"costs": _cost_snapshot(project)},
    )
    return project


def _cost_snapshot(project: Project) -> dict:
    return {
        "plan": [[c.year, c.cost_type, str(c.amount)] for c in project.costs.all()],
        "third_party": [[t.year, t.source, str(t.amount)] for t in project.third_party.all()],
    }


# --- From idea to project -------------------------------------------------------------------


@transaction.atomic
def project_ideas_link(*, actor, project: Project, ideas: Sequence[Idea]) -> list[Idea]:
    """Links ideas to the project they went into and tells their submitters.

    Each idea's status becomes „in die Strategie aufgenommen“ through the idea call's own
    ``idea_status_set``, which records the change and sends the status e-mail to a submitter
    who confirmed an address. Returns the ideas that were newly linked.
    """
    from leitbild.participation.services import idea_status_set

    project = Project.objects.select_for_update().get(pk=project.pk)
    ideas = list(
        Idea.objects.select_for_update()
        .select_related("process")
        .filter(pk__in=[i.pk for i in ideas])
        .order_by("pk")
    )
    wrong_strategy = [i for i in ideas if i.process.strategy_id != project.strategy_id]
    not_public = [i for i in ideas if i.merged_into_id or i.status not in LINKABLE_STATUSES]
    if wrong_strategy:
        raise ValidationError(
            {
                "ideas": _(
                    "Diese Ideen stammen aus der Beteiligung zu einer anderen Strategie: %(ideas)s."
                )
                % {"ideas": _names(wrong_strategy)}
            }
        )
    if not_public:
        raise ValidationError(
            {
                "ideas": _(
                    "Nur veröffentlichte, nicht zusammengeführte Ideen können verknüpft werden: "
                    "%(ideas)s."
                )
                % {"ideas": _names(not_public)}
            }
        )
    known = set(project.idea_links.values_list("idea_id", flat=True))
    new = [i for i in ideas if i.pk not in known]
    ProjectIdea.objects.bulk_create([ProjectIdea(project=project, idea=i) for i in new])
    # Shown in the idea's public history and in the status e-mail.
    reason = _("Die Idee ist in die Maßnahme „%(title)s“ des Umsetzungskonzepts eingeflossen.") % {
        "title": project.title
    }
    for idea in new:
        if idea.status != IdeaStatus.ACCEPTED:
            idea_status_set(actor=actor, idea=idea, status=IdeaStatus.ACCEPTED, reason=reason)
    if new:
        audit_record(
            actor=actor,
            action=PortfolioAction.PROJECT_IDEAS_LINK,
            obj=project,
            after={"ideas": [i.pk for i in new]},
        )
    return new


@transaction.atomic
def project_idea_unlink(*, actor, project: Project, idea: Idea) -> None:
    """Removes the link only; the idea's status stays as moderation left it."""
    deleted, _rows = ProjectIdea.objects.filter(project=project, idea=idea).delete()
    if deleted:
        audit_record(
            actor=actor,
            action=PortfolioAction.PROJECT_IDEAS_UNLINK,
            obj=project,
            before={"ideas": [idea.pk]},
        )


# --- Funding programmes ---------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseRow:
    name: str
    cap: Decimal
    note: str = ""


def _check_rate(value, key: str) -> None:
    if value is not None and not Decimal(0) <= value <= Decimal(100):
        raise ValidationError({key: _("Die Förderquote muss zwischen 0 und 100 Prozent liegen.")})


@transaction.atomic
def programme_save(
    *,
    actor,
    programme: Programme | None = None,
    name: str,
    short_name: str,
    rate: Decimal,
    emergency_rate: Decimal | None = None,
    eligible_cost_types: Sequence[str] = (),
    level: str = Programme.Level.FEDERAL,
    description: str = "",
    runs_from: int | None = None,
    runs_until: int | None = None,
    phases: Sequence[PhaseRow] | None = None,
    criteria: Sequence[str] | None = None,
) -> Programme:
    """Creates or changes a programme. ``phases`` and ``criteria``, when given, replace the
    programme's list (criteria are matched by title, so their scores stay)."""
    _check_rate(rate, "rate")
    _check_rate(emergency_rate, "emergency_rate")
    if any(t not in CostType.values for t in eligible_cost_types):
        raise ValidationError({"eligible_cost_types": _("Diese Kostenart gibt es nicht.")})
    if runs_from and runs_until and runs_until < runs_from:
        raise ValidationError({"runs_until": _("Das Ende liegt vor dem Beginn.")})
    if (
        Programme.objects.filter(name__iexact=name.strip())
        .exclude(pk=getattr(programme, "pk", None))
        .exists()
    ):
        raise ValidationError({"name": _("Ein Programm mit diesem Namen gibt es schon.")})
    if phases and any(p.cap is None or p.cap < 0 for p in phases):
        raise ValidationError({"phases": _("Ein Höchstbetrag darf nicht negativ sein.")})
    if programme is not None:
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
    before = snapshot(programme)
    programme = programme or Programme()
    values = {
        "name": name.strip(),
        "short_name": short_name.strip(),
        "rate": rate,
        "emergency_rate": emergency_rate,
        "level": level,
        "description": description,
        "eligible_cost_types": list(eligible_cost_types),
        "runs_from": runs_from,
        "runs_until": runs_until,
    }
    audited_save(
        actor=actor,
        obj=programme,
        action=PortfolioAction.PROGRAMME_UPDATE if before else PortfolioAction.PROGRAMME_CREATE,
        before=before,
        values=values,
        validate_unique=False,  # the name was checked above, case-insensitively
    )
    # Phases and criteria are rows of their own, outside the programme's snapshot.
    if phases is not None:
        existing = {p.name: p for p in programme.phases.all()}
        keep = []
        for order, row in enumerate(phases):
            phase = existing.get(row.name) or ProgrammePhase(programme=programme, name=row.name)
            phase.cap, phase.note, phase.order = row.cap, row.note, order
            phase.save()
            keep.append(phase.pk)
        stale = programme.phases.exclude(pk__in=keep)
        used = Project.objects.filter(assessments__phase__in=stale).distinct()
        if used.exists():
            raise ValidationError(
                {
                    "phases": _(
                        "Eine entfernte Phase wird noch in Bewertungen dieser Projekte genutzt: "
                        "%(projects)s."
                    )
                    % {"projects": _names(used)}
                }
            )
        stale.delete()
    if criteria is not None:
        existing_criteria = {c.title: c for c in programme.criteria.all()}
        keep = []
        for order, title in enumerate(t.strip() for t in criteria if t.strip()):
            criterion = existing_criteria.get(title) or Criterion(programme=programme, title=title)
            criterion.order = order
            criterion.save()
            keep.append(criterion.pk)
        programme.criteria.exclude(pk__in=keep).delete()
    return programme


@transaction.atomic
def programme_delete(*, actor, programme: Programme) -> None:
    """Refused while projects are assessed for the programme, naming them."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    used = list(Project.objects.filter(assessments__programme=programme).distinct())
    if used:
        raise ValidationError(
            _(
                "Das Programm „%(programme)s“ kann nicht gelöscht werden, weil diese Projekte "
                "dafür "
                "bewertet sind: %(projects)s."
            )
            % {"programme": programme, "projects": _names(used)}
        )
    audit_record(
        actor=actor,
        action=PortfolioAction.PROGRAMME_DELETE,
        obj=programme,
        before=snapshot(programme),
    )
    programme.delete()


# --- Assessments ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreRow:
    criterion: Criterion
    score: int
    justification: str = ""


@transaction.atomic
def assessment_save(
    *,
    actor,
    project: Project,
    programme: Programme,
    potential: str,
    scores: Sequence[ScoreRow],
    phase: ProgrammePhase | None = None,
    note: str = "",
    applied: bool = False,
) -> Assessment:
    """The assessment of ``project`` for ``programme``; ``applied`` makes it the programme the
    financing plan counts on for this project (one per project)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    errors = {}
    if potential not in Potential.values:
        errors["potential"] = [_("Bitte wählen Sie hoch, mittel oder gering.")]
    if phase is not None and phase.programme_id != programme.pk:
        errors["phase"] = [_("Diese Phase gehört zu einem anderen Programm.")]
    for row in scores:
        if row.criterion.programme_id != programme.pk:
            errors[f"score_{row.criterion.pk}"] = [
                _("Dieses Kriterium gehört zu einem anderen Programm.")
            ]
        elif row.score is None or not 0 <= row.score <= 3:
            errors[f"score_{row.criterion.pk}"] = [_("Bitte 0 bis 3 Punkte.")]
    if errors:
        raise ValidationError(errors)
    assessment = Assessment.objects.filter(project=project, programme=programme).first()
    before = snapshot(assessment)
    if applied:
        Assessment.objects.filter(project=project, applied=True).exclude(
            programme=programme
        ).update(applied=False)
    assessment = assessment or Assessment(project=project, programme=programme)
    assessment.potential, assessment.phase, assessment.note = potential, phase, note
    assessment.applied = applied
    assessment.save()
    assessment.scores.all().delete()
    CriterionScore.objects.bulk_create(
        [
            CriterionScore(
                assessment=assessment,
                criterion=row.criterion,
                score=row.score,
                justification=row.justification.strip(),
            )
            for row in scores
        ]
    )
    after = snapshot(assessment)
    after["scores"] = {row.criterion.title: row.score for row in scores}
    audit_record(
        actor=actor,
        action=PortfolioAction.ASSESSMENT_UPDATE if before else PortfolioAction.ASSESSMENT_CREATE,
        obj=assessment,
        before=before,
        after=after,
    )
    return assessment


# --- Budget ---------------------------------------------------------------------------------


@transaction.atomic
def budget_set(*, actor, years: dict[int, Decimal | None], budget_emergency: bool) -> None:
    """The city's yearly budget for its own share, and whether it is in a budget emergency."""
    errors = {}
    for year, amount in years.items():
        if not YEAR_MIN <= year <= YEAR_MAX:
            errors[f"year_{year}"] = [_("Dieses Jahr liegt außerhalb von 2000–2100.")]
        elif amount is not None and amount < 0:
            errors[f"year_{year}"] = [_("Der Betrag darf nicht negativ sein.")]
    if errors:
        raise ValidationError(errors)
    setting = FinanceSetting.objects.select_for_update().first() or FinanceSetting()
    before = {
        "budget_emergency": setting.budget_emergency,
        "years": {b.year: str(b.own_share_budget) for b in BudgetYear.objects.all()},
    }
    setting.budget_emergency = budget_emergency
    setting.save()
    for year, amount in years.items():
        if amount is None:
            BudgetYear.objects.filter(year=year).delete()
        else:
            BudgetYear.objects.update_or_create(year=year, defaults={"own_share_budget": amount})
    audit_record(
        actor=actor,
        action=PortfolioAction.BUDGET_UPDATE,
        obj=setting,
        before=before,
        after={
            "budget_emergency": budget_emergency,
            "years": {y: str(a) for y, a in years.items() if a is not None},
        },
    )


# --- Guards for other apps ------------------------------------------------------------------


def strategy_item_check_unused(item) -> None:
    """Refuses deleting a goal (or a field with goals) that projects serve, naming them.

    Registered with ``strategy.services.register_delete_guard`` (``PortfolioConfig.ready``).
    """
    from leitbild.strategy.models import ActionField, Goal

    if isinstance(item, Goal):
        goals = Goal.objects.filter(pk=item.pk)
    elif isinstance(item, ActionField):
        goals = Goal.objects.filter(field=item)
    else:
        return
    used = list(Project.objects.filter(goal_links__goal__in=goals).distinct().order_by("title"))
    if used:
        raise ValidationError(
            _(
                "„%(item)s“ kann nicht gelöscht werden, weil diese Projekte dazu beitragen: "
                "%(projects)s."
            )
            % {"item": item, "projects": _names(used)}
        )
