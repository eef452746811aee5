import datetime
from decimal import Decimal

import pytest

from leitbild.monitoring.models import Measurement
from leitbild.strategy import services as strategy_services
from leitbild.strategy.models import Indicator, StrategyVersion
from leitbild.strategy.tests.factories import ActionFieldFactory, GoalFactory, IndicatorFactory


@pytest.fixture
def demo_city(db):
    from leitbild.core.demo import demo_load

    demo_load()


@pytest.fixture
def indicator(db) -> Indicator:
    """Higher is better: 10 on 1 Jan 2020, 50 on 31 Dec 2029."""
    return IndicatorFactory.create(
        name="Anteil der Haltestellen mit Echtzeitanzeige",
        unit="%",
        baseline_value=Decimal(10),
        baseline_year=2020,
        target_value=Decimal(50),
        target_year=2029,
        goal=GoalFactory(field=ActionFieldFactory(name="Mobilität", code="MOB")),
    )


def measure(indicator, day, value, **extra) -> Measurement:
    return Measurement.objects.create(
        indicator=indicator, measured_on=day, value=Decimal(str(value)), **extra
    )


def publish(strategy) -> StrategyVersion:
    """Freezes the draft and adopts it, so the public pages show its indicators."""
    version = strategy_services.draft_freeze(actor=None, strategy=strategy, note="")
    strategy_services.version_set_status(
        actor=None, version=version, status=StrategyVersion.Status.CONSULTATION
    )
    strategy_services.version_set_status(
        actor=None,
        version=version,
        status=StrategyVersion.Status.ADOPTED,
        decided_on=datetime.date(2024, 3, 21),
        decision_reference="Drucksache 1",
    )
    return version
