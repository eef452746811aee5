from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from leitbild.portfolio import selectors, services
from leitbild.portfolio.models import Programme


def test_a_rate_outside_0_to_100_is_refused(db):
    for key, values in (
        ("rate", {"rate": Decimal("101")}),
        ("emergency_rate", {"rate": Decimal("65"), "emergency_rate": Decimal("-5")}),
    ):
        with pytest.raises(ValidationError) as exc:
            services.programme_save(actor=None, name="Landesprogramm", short_name="LP", **values)
        assert "0 und 100" in exc.value.message_dict[key][0]
    assert not Programme.objects.exists()


def _cost(project, *rows):
    services.cost_plan_set(
        actor=None, project=project, costs=[services.CostRow(y, t, Decimal(a)) for y, t, a in rows]
    )


def test_programme_share_counts_eligible_costs_only(project, mpsc):
    _cost(
        project,
        (2025, "investition", "100000"),
        (2025, "betrieb", "50000"),
        (2026, "personal", "20000"),
    )
    finance = selectors.project_finance(project, programme=mpsc)
    assert finance.eligible == {2025: Decimal("100000"), 2026: Decimal("20000")}
    assert finance.programme_share == {2025: Decimal("65000.00"), 2026: Decimal("13000.00")}
    assert finance.own_share == {2025: Decimal("85000.00"), 2026: Decimal("7000.00")}


def test_the_emergency_rate_applies_in_a_budget_emergency(project, mpsc):
    _cost(project, (2025, "investition", "100000"))
    services.budget_set(actor=None, years={}, budget_emergency=True)
    assert selectors.project_finance(project, programme=mpsc).programme_share[2025] == Decimal(
        "90000.00"
    )


def test_the_plan_warns_when_own_share_or_cap_is_exceeded(project, make_project, mpsc):
    _cost(project, (2025, "investition", "3000000"), (2026, "betrieb", "10000"))
    phase_a = mpsc.phases.get(name="Phase A")
    services.assessment_save(
        actor=None,
        project=project,
        programme=mpsc,
        potential="hoch",
        phase=phase_a,
        applied=True,
        scores=[services.ScoreRow(c, 3, "passt") for c in mpsc.criteria.all()],
    )
    services.budget_set(
        actor=None, years={2025: Decimal("500000"), 2026: Decimal("50000")}, budget_emergency=False
    )
    plan = selectors.financing_plan()
    assert plan.years == [2025, 2026]
    assert plan.by_source[f"programme-{mpsc.pk}"] == {2025: Decimal("1950000.00")}
    assert plan.by_source["own"] == {2025: Decimal("1050000.00"), 2026: Decimal("10000.00")}
    kinds = [w.kind for w in plan.warnings]
    assert kinds == ["budget"]
    assert "2025" in plan.warnings[0].message
    second = make_project("Zweites Projekt")
    _cost(second, (2026, "investition", "1000000"))
    services.assessment_save(
        actor=None,
        project=second,
        programme=mpsc,
        potential="mittel",
        phase=phase_a,
        applied=True,
        scores=[],
    )
    plan = selectors.financing_plan()
    assert "cap" in [w.kind for w in plan.warnings]


def test_a_score_outside_0_to_3_is_refused(project, mpsc):
    criterion = mpsc.criteria.first()
    with pytest.raises(ValidationError) as exc:
        services.assessment_save(
            actor=None,
            project=project,
            programme=mpsc,
            potential="hoch",
            scores=[services.ScoreRow(criterion, 4)],
        )
    assert f"score_{criterion.pk}" in exc.value.message_dict


def test_one_applied_programme_per_project(project, mpsc):
    other = services.programme_save(
        actor=None,
        name="Landesprogramm",
        short_name="LP",
        rate=Decimal("50"),
        eligible_cost_types=["investition"],
    )
    services.assessment_save(
        actor=None, project=project, programme=mpsc, potential="hoch", scores=[], applied=True
    )
    services.assessment_save(
        actor=None, project=project, programme=other, potential="hoch", scores=[], applied=True
    )
    assert [a.programme for a in project.assessments.filter(applied=True)] == [other]


def test_deleting_a_programme_in_use_is_refused_with_the_projects(project, mpsc):
    services.assessment_save(
        actor=None, project=project, programme=mpsc, potential="hoch", scores=[]
    )
    with pytest.raises(ValidationError) as exc:
        services.programme_delete(actor=None, programme=mpsc)
    assert "Digitale Parkraumsteuerung" in str(exc.value)
