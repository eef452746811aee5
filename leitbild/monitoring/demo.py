"""The demo city's measurements: two years of quarterly values for Musterstadt's indicators.

The values follow the adopted version's path from baseline to target, so that the public page
shows all three states: in turn an indicator runs a little ahead of its path (auf Kurs), a
little behind it (gefährdet) or at less than half its pace (nicht auf Kurs). The newest value
of the first indicator is provisional. They go through ``measurement_record``, as staff would
enter them.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from leitbild.strategy.demo import SLUG
from leitbild.strategy.models import Indicator, StrategyVersion

from . import services
from .models import Measurement
from .selectors import Facts, expected_value, facts_from_snapshot

DAYS = [
    datetime.date(2024, 12, 31),
    datetime.date(2025, 3, 31),
    datetime.date(2025, 6, 30),
    datetime.date(2025, 9, 30),
    datetime.date(2025, 12, 31),
    datetime.date(2026, 3, 31),
    datetime.date(2026, 6, 30),
    datetime.date(2026, 9, 30),
]
PATTERNS = ("ahead", "behind", "slow")


def _value(facts: Facts, day: datetime.date, pattern: str, wiggle: int) -> Decimal:
    assert facts.baseline_value is not None and facts.target_value is not None
    expected = expected_value(facts, day)
    assert expected is not None
    whole = abs(facts.target_value - facts.baseline_value)
    sign = 1 if facts.direction == Indicator.Direction.HIGHER else -1
    if pattern == "ahead":
        value = expected + sign * Decimal("0.05") * whole
    elif pattern == "behind":
        value = expected - sign * Decimal("0.05") * whole
    else:
        value = facts.baseline_value + (expected - facts.baseline_value) * Decimal("0.4")
    value += sign * Decimal("0.01") * whole * wiggle  # a little noise, none on the last day
    places = Decimal("1") if whole >= 100 else Decimal("0.1")
    return max(value, Decimal(0)).quantize(places)


def load() -> None:
    """The indicators' measurements, then the projects' progress (``progress_demo``)."""
    from . import progress_demo

    _measurements()
    progress_demo.load()


@transaction.atomic
def _measurements() -> None:
    if Measurement.objects.filter(indicator__goal__strategy__slug=SLUG).exists():
        return  # loaded before
    adopted = (
        StrategyVersion.objects.filter(strategy__slug=SLUG, status=StrategyVersion.Status.ADOPTED)
        .order_by("number")
        .first()
    )
    if adopted is None:
        return
    rows = Indicator.objects.in_bulk(
        Indicator.objects.filter(goal__strategy__slug=SLUG).values_list("pk", flat=True)
    )
    facts = [
        facts_from_snapshot(item)
        for f in adopted.snapshot["fields"]
        for goal in f["goals"]
        for item in goal["indicators"]
    ]
    measured = [f for f in facts if f.assessable and f.id in rows]
    for n, indicator_facts in enumerate(measured):
        pattern = PATTERNS[n % len(PATTERNS)]
        for k, day in enumerate(DAYS):
            last = k == len(DAYS) - 1
            services.measurement_record(
                actor=None,
                indicator=rows[indicator_facts.id],
                value=_value(indicator_facts, day, pattern, 0 if last else (k % 3) - 1),
                measured_on=day,
                source=indicator_facts.source,
                comment=(
                    "Hochrechnung aus den Zahlen bis August; der endgültige Wert folgt im "
                    "Jahresbericht."
                    if n == 0 and last
                    else ""
                ),
                provisional=n == 0 and last,
            )


def url_samples() -> dict[str, dict]:
    measurement = (
        Measurement.objects.filter(indicator__goal__strategy__slug=SLUG).order_by("pk").first()
    )
    if measurement is None:
        return {}
    pk = measurement.indicator_id
    return {
        "monitoring:indicator_detail": {"pk": pk},
        "monitoring:staff_indicator": {"pk": pk},
        "monitoring:staff_measurement_delete": {"pk": measurement.pk},
    }
