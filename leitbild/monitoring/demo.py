"""The demo city's measurements: two years of quarterly values for Musterstadt's indicators.

The values follow the adopted version's path from baseline to target, so that the public page
shows all three states: in turn an indicator runs a little ahead of its path (auf Kurs), a
little behind it (gefährdet) or at less than half its pace (nicht auf Kurs). The newest value
of the first indicator is provisional. They go through ``measurement_record``, as staff would
enter them.

Two sources fetched on a schedule (``feed_services``), on addresses that cannot exist
(``.example`` and ``.invalid`` are reserved names): the statistics office's CSV, whose last run
brought the values of the first indicator, and the open-data portal's JSON, whose last run
failed. Nothing of them is queued; the demo never reaches out.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from leitbild.strategy.demo import SLUG
from leitbild.strategy.models import Indicator, StrategyVersion

from . import services
from .models import Measurement, MeasurementFeed
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
    _feeds()
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


STATISTICS_URL = "https://statistik.musterstadt.example/monitoring/smart-city-indikatoren.csv"
PORTAL_URL = "https://daten.musterstadt.invalid/api/3/ladepunkte-messwerte.json"


@transaction.atomic
def _feeds() -> None:
    if MeasurementFeed.objects.filter(url__in=[STATISTICS_URL, PORTAL_URL]).exists():
        return  # loaded before
    first = (
        Measurement.objects.filter(indicator__goal__strategy__slug=SLUG)
        .order_by("indicator_id", "measured_on")
        .first()
    )
    if first is None:
        return
    now = timezone.now()
    statistics = MeasurementFeed.objects.create(
        name="Statistikstelle: Indikatoren der Smart-City-Strategie",
        url=STATISTICS_URL,
        format=MeasurementFeed.Format.CSV,
        interval_hours=168,
        enabled=True,
        next_run_at=now + datetime.timedelta(days=4),
        last_run_at=now - datetime.timedelta(days=3, hours=2),
        last_outcome=MeasurementFeed.Outcome.OK,
    )
    fetched = Measurement.objects.filter(indicator_id=first.indicator_id)
    statistics.last_created = fetched.update(feed=statistics)
    statistics.save(update_fields=["last_created"])
    MeasurementFeed.objects.create(
        name="Open-Data-Portal: Öffentliche Ladepunkte",
        url=PORTAL_URL,
        format=MeasurementFeed.Format.JSON,
        interval_hours=24,
        enabled=True,
        next_run_at=now + datetime.timedelta(hours=20),
        last_run_at=now - datetime.timedelta(hours=4),
        last_outcome=MeasurementFeed.Outcome.FAILED,
        last_error=(
            f"{PORTAL_URL}: Keine Verbindung zum Server (ConnectError). Der Datensatz ist im "
            "Portal angekündigt, aber noch nicht veröffentlicht."
        ),
    )


def url_samples() -> dict[str, dict]:
    measurement = (
        Measurement.objects.filter(indicator__goal__strategy__slug=SLUG).order_by("pk").first()
    )
    if measurement is None:
        return {}
    pk = measurement.indicator_id
    samples = {
        "monitoring:indicator_detail": {"pk": pk},
        "monitoring:staff_indicator": {"pk": pk},
        "monitoring:staff_measurement_delete": {"pk": measurement.pk},
    }
    feed = MeasurementFeed.objects.order_by("pk").first()
    if feed is not None:
        for name in ("monitoring:feed_edit", "monitoring:feed_delete", "monitoring:feed_run"):
            samples[name] = {"pk": feed.pk}
    return samples
