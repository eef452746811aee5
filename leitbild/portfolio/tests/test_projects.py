from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from leitbild.core.models import AuditEntry
from leitbild.portfolio import services
from leitbild.portfolio.models import Project, Stage, StageChange, Strength
from leitbild.strategy import services as strategy_services


def test_it_creates_a_project_with_goals_and_audits_it(project, goals, editor):
    assert project.stage == Stage.POOL
    assert [link.goal for link in project.goal_links.all()] == [goals[0]]
    assert AuditEntry.objects.filter(
        action="portfolio.project.create", object_id=str(project.pk)
    ).exists()
    assert StageChange.objects.filter(project=project, to_stage=Stage.POOL).count() == 1


def test_it_refuses_a_goal_of_another_strategy(make_project, foreign_goal):
    with pytest.raises(ValidationError) as exc:
        make_project(goals=[services.GoalLink(foreign_goal, Strength.STRONG)])
    assert "anderen Strategie" in str(exc.value.message_dict["goals"])
    assert not Project.objects.exists()


def test_it_refuses_a_project_depending_on_itself(project, goals):
    with pytest.raises(ValidationError) as exc:
        services.project_update(
            actor=None,
            project=project,
            title=project.title,
            summary=project.summary,
            goals=[],
            depends_on=[project],
        )
    assert "sich selbst" in str(exc.value.message_dict["depends_on"])


def test_it_refuses_a_cycle_of_dependencies_and_names_it(make_project):
    a = make_project("A")
    b = make_project("B", depends_on=[a])
    c = make_project("C", depends_on=[b])
    with pytest.raises(ValidationError) as exc:
        services.project_update(
            actor=None, project=a, title="A", summary="x", goals=[], depends_on=[c]
        )
    message = str(exc.value.message_dict["depends_on"])
    assert "Kreis" in message and "A → C → B → A" in message
    assert list(a.depends_on.all()) == []
    assert Project.objects.get(pk=a.pk).summary == "Kurz gesagt."  # nothing half-saved


def test_a_stage_change_needs_a_reason_and_is_recorded(project, editor):
    with pytest.raises(ValidationError) as exc:
        services.project_stage_set(
            actor=editor, project=project, stage=Stage.PRIORITISED, reason=" "
        )
    assert "reason" in exc.value.message_dict
    services.project_stage_set(
        actor=editor,
        project=project,
        stage=Stage.PRIORITISED,
        reason="Vom Lenkungskreis priorisiert",
    )
    change = project.stage_changes.last()
    assert (change.from_stage, change.to_stage, change.by) == (
        Stage.POOL,
        Stage.PRIORITISED,
        editor,
    )
    assert change.reason == "Vom Lenkungskreis priorisiert"


def test_it_refuses_negative_costs_and_years_outside_the_duration(project):
    rows = [
        services.CostRow(2025, "investition", Decimal("1000")),
        services.CostRow(2031, "personal", Decimal("500")),
        services.CostRow(2026, "betrieb", Decimal("-1")),
    ]
    with pytest.raises(ValidationError) as exc:
        services.cost_plan_set(actor=None, project=project, costs=rows)
    errors = exc.value.message_dict
    assert "2025 und 2029" in errors["costs-1-year"][0]
    assert "negativ" in errors["costs-2-amount"][0]
    assert not project.costs.exists()


def test_it_replaces_the_cost_plan(project):
    services.cost_plan_set(
        actor=None,
        project=project,
        costs=[services.CostRow(2025, "investition", Decimal("1000.50"))],
        third_party=[services.ThirdPartyRow(2025, "Stiftung", Decimal("100"))],
    )
    services.cost_plan_set(
        actor=None, project=project, costs=[services.CostRow(2026, "personal", Decimal("2000"))]
    )
    assert [(c.year, c.amount) for c in project.costs.all()] == [(2026, Decimal("2000.00"))]
    assert not project.third_party.exists()


def test_shortening_the_duration_is_refused_while_costs_lie_outside(project):
    services.cost_plan_set(
        actor=None, project=project, costs=[services.CostRow(2029, "investition", Decimal("1000"))]
    )
    with pytest.raises(ValidationError) as exc:
        services.project_update(
            actor=None,
            project=project,
            title="x",
            summary="y",
            goals=[],
            starts_on=date(2025, 1, 1),
            duration_months=12,
        )
    assert "2029" in str(exc.value.message_dict["duration_months"])


def test_deleting_a_goal_that_projects_serve_is_refused_with_their_names(project, goals):
    with pytest.raises(ValidationError) as exc:
        strategy_services.draft_item_delete(actor=None, item=goals[0])
    assert "Digitale Parkraumsteuerung" in str(exc.value)
    with pytest.raises(ValidationError):
        strategy_services.draft_item_delete(actor=None, item=goals[0].field)
    strategy_services.draft_item_delete(actor=None, item=goals[2])  # unused: fine


def test_an_org_unit_in_use_cannot_be_deleted(project, unit):
    with pytest.raises(ValidationError) as exc:
        services.orgunit_delete(actor=None, unit=unit)
    assert "Digitale Parkraumsteuerung" in str(exc.value)
