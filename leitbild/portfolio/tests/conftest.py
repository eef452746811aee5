"""Fixtures of the implementation concept: a strategy with two fields and three goals, a
second strategy, organisational units, the MPSC programme and published ideas."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from leitbild.core.roles import Role
from leitbild.portfolio import services
from leitbild.portfolio.models import CostType, OrgUnit, Strength
from leitbild.strategy.tests.factories import ActionFieldFactory, GoalFactory, StrategyFactory


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def editor(make_user):
    return make_user("redakteurin@stadt.example", roles=[Role.EDITOR])


@pytest.fixture
def strategy(db):
    return StrategyFactory(slug="smart-city")


@pytest.fixture
def goals(strategy):
    mobility = ActionFieldFactory(strategy=strategy, code="MOB", name="Mobilität", order=0)
    energy = ActionFieldFactory(strategy=strategy, code="ENU", name="Energie", order=1)
    return [
        GoalFactory(field=mobility, code="MOB-1"),
        GoalFactory(field=mobility, code="MOB-2"),
        GoalFactory(field=energy, code="ENU-1"),
    ]


@pytest.fixture
def foreign_goal(db):
    return GoalFactory(code="X-1", title="Ziel einer anderen Strategie")


@pytest.fixture
def unit(db):
    return OrgUnit.objects.create(name="Amt für Digitalisierung", kind=OrgUnit.Kind.DEPARTMENT)


@pytest.fixture
def stadtwerke(db):
    return OrgUnit.objects.create(name="Stadtwerke Musterstadt GmbH", kind=OrgUnit.Kind.COMPANY)


@pytest.fixture
def make_project(strategy, goals, unit):
    def make(title="Digitale Parkraumsteuerung", **extra):
        extra.setdefault("goals", [services.GoalLink(goals[0], Strength.STRONG)])
        extra.setdefault("starts_on", date(2025, 1, 1))
        extra.setdefault("duration_months", 60)
        return services.project_create(
            actor=None,
            strategy=strategy,
            title=title,
            summary="Kurz gesagt.",
            lead_unit=unit,
            **extra,
        )

    return make


@pytest.fixture
def project(make_project):
    return make_project()


@pytest.fixture
def mpsc(db):
    return services.programme_save(
        actor=None,
        name="Modellprojekte Smart Cities",
        short_name="MPSC",
        rate=Decimal("65"),
        emergency_rate=Decimal("90"),
        eligible_cost_types=[CostType.INVESTMENT, CostType.STAFF, CostType.CONSULTING],
        phases=[
            services.PhaseRow("Phase A", Decimal("2500000"), "davon 1 Mio. € Maßnahmen"),
            services.PhaseRow("Phase B", Decimal("15000000")),
        ],
        criteria=["Gemeinwohlorientierung", "Übertragbarkeit"],
    )


@pytest.fixture
def process(strategy):
    from leitbild.participation.models import Phase, Process

    process = Process.objects.create(strategy=strategy, title="Ideenaufruf", slug="ideenaufruf")
    now = timezone.now()
    Phase.objects.create(
        process=process,
        kind=Phase.Kind.IDEAS,
        title="Ideen",
        starts_at=now - timedelta(days=7),
        ends_at=now + timedelta(days=7),
    )
    return process


@pytest.fixture
def make_idea(process, goals):
    from leitbild.participation import services as participation

    def make(title="Parkplätze in der App", email=""):
        idea = participation.idea_submit(
            process=process,
            title=title,
            description="Eine gute Idee.",
            fields=[goals[0].field],
            email=email,
        )
        return participation.idea_approve(actor=None, idea=idea)

    return make
