"""Fixtures of the progress tests (a module of its own, not conftest.py, which the indicator
part of the app may bring): a strategy with two fields, units, and a public project in
implementation that started a year ago. Import the fixtures by name."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from leitbild.core.roles import Role
from leitbild.portfolio import services as portfolio
from leitbild.portfolio.models import OrgUnit, Stage, Strength
from leitbild.strategy.tests.factories import ActionFieldFactory, GoalFactory, StrategyFactory

__all__ = ["editor", "goals", "make_project", "project"]

TODAY = timezone.localdate


@pytest.fixture
def editor(make_user):
    return make_user("redakteurin@stadt.example", roles=[Role.EDITOR])


@pytest.fixture
def goals(db):
    strategy = StrategyFactory(slug="smart-city")
    mobility = ActionFieldFactory(strategy=strategy, code="MOB", name="Mobilität", order=0)
    energy = ActionFieldFactory(strategy=strategy, code="ENU", name="Energie", order=1)
    return [GoalFactory(field=mobility, code="MOB-1"), GoalFactory(field=energy, code="ENU-1")]


@pytest.fixture
def make_project(goals):
    unit = OrgUnit.objects.create(name="Amt für Digitalisierung", kind=OrgUnit.Kind.DEPARTMENT)

    def make(
        title="Digitale Parkraumsteuerung",
        *,
        stage=Stage.IMPLEMENTING,
        goal=0,
        costs=(),
        **extra,
    ):
        extra.setdefault("starts_on", TODAY() - datetime.timedelta(days=365))
        extra.setdefault("duration_months", 48)
        extra.setdefault("is_public", True)
        extra.setdefault("costs_public", True)
        extra.setdefault("lead_unit", unit)  # lead_unit=None: a project without one
        project = portfolio.project_create(
            actor=None,
            strategy=goals[0].strategy,
            title=title,
            summary="Kurz gesagt.",
            goals=[portfolio.GoalLink(goals[goal], Strength.STRONG)],
            **extra,
        )
        path = [Stage.QUALIFYING, Stage.PRIORITISED, Stage.IMPLEMENTING, Stage.COMPLETED]
        if stage in path:
            for step in path[: path.index(stage) + 1]:
                portfolio.project_stage_set(actor=None, project=project, stage=step, reason="x")
        if costs:
            portfolio.cost_plan_set(
                actor=None,
                project=project,
                costs=[portfolio.CostRow(y, "investition", Decimal(a)) for y, a in costs],
            )
        return project

    return make


@pytest.fixture
def project(make_project):
    year = TODAY().year
    return make_project(costs=[(year - 1, "100000"), (year, "200000")])
