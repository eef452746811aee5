"""Reads of the indicator monitoring: each indicator against its target.

The rule ("auf Kurs", "gefährdet", "nicht auf Kurs")
-------------------------------------------------------
For an indicator with a baseline (value and year), a target (value and year) and at least one
measurement:

1. The *path* runs in a straight line from the baseline value on 1 January of the baseline
   year to the target value on 31 December of the target year. Before its start it stays at
   the baseline, after its end at the target.
2. The *expected value* is the path's value on the day of the latest measurement.
3. The *gap* is how far the latest measured value falls short of the expected one, in the
   indicator's direction: for "höher ist besser" ``expected − actual``, for "niedriger ist
   besser" ``actual − expected``.
4. **auf Kurs** if the gap is zero or less (the value is at least as good as expected);
   **gefährdet** if the gap is at most 10 Prozent of the whole way ``|target − baseline|``;
   **nicht auf Kurs** otherwise.
5. **keine Bewertung möglich** for a qualitative indicator, one without baseline or target
   (value or year), one whose target year lies before its baseline year, and one without
   measurements.

*Progress* is how much of the way from the baseline to the target the latest value has
covered: 0 Prozent at the baseline, 100 Prozent at the target, below 0 when the value moved
away from the target, above 100 beyond it (``(actual − baseline) / (target − baseline)``; none
when baseline and target are equal).

Public pages and the API read the indicators of the published strategy version (the adopted
one, else the one in consultation: ``strategy.selectors.public_state``), so that baselines and
targets are those the council decided or that are under consultation, and the measurements of
those indicators (a frozen indicator keeps the id of its draft row). Staff pages read the
editable draft rows, to which measurements are attached. Each page makes a constant number of
queries whatever the number of indicators and measurements.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from leitbild.core.inbox import InboxEntry, Section
from leitbild.strategy import selectors as strategy_selectors
from leitbild.strategy.models import Indicator

from .models import Measurement

AT_RISK_SHARE = Decimal("0.1")  # "gefährdet": a gap of at most 10 Prozent of the whole way


class State(models.TextChoices):
    ON_TRACK = "on_track", _("auf Kurs")
    AT_RISK = "at_risk", _("gefährdet")
    OFF_TRACK = "off_track", _("nicht auf Kurs")
    NOT_ASSESSED = "not_assessed", _("keine Bewertung möglich")


# --- The rule, without the database -------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What the rule needs to know about an indicator (from a draft row or a snapshot)."""

    id: int
    name: str
    unit: str = ""
    direction: str = Indicator.Direction.HIGHER
    baseline_value: Decimal | None = None
    baseline_year: int | None = None
    target_value: Decimal | None = None
    target_year: int | None = None
    source: str = ""
    qualitative: bool = False

    @property
    def assessable(self) -> bool:
        return (
            not self.qualitative
            and self.baseline_value is not None
            and self.target_value is not None
            and self.baseline_year is not None
            and self.target_year is not None
            and self.target_year >= self.baseline_year
        )

    @property
    def path_start(self) -> datetime.date | None:
        return datetime.date(self.baseline_year, 1, 1) if self.assessable else None  # type: ignore[arg-type]

    @property
    def path_end(self) -> datetime.date | None:
        return datetime.date(self.target_year, 12, 31) if self.assessable else None  # type: ignore[arg-type]

    @property
    def direction_label(self) -> str:
        return str(Indicator.Direction(self.direction).label)


@dataclass(frozen=True)
class Point:
    """A measurement as pages and the API show it (no personal data)."""

    id: int
    value: Decimal
    measured_on: datetime.date
    provisional: bool = False
    source: str = ""
    comment: str = ""


@dataclass(frozen=True)
class Assessment:
    state: State
    latest: Point | None = None
    expected: Decimal | None = None
    progress: float | None = None  # in Prozent: 0 at the baseline, 100 at the target

    @property
    def state_label(self) -> str:
        return str(self.state.label)


def decimals_of(values) -> int:
    """How many decimals the values show (at most 3, as stored): 12.50 has 1, 40000 none."""
    found = [max(0, -int(Decimal(v).normalize().as_tuple().exponent)) for v in values]
    return min(3, max(found, default=0))


def expected_value(facts: Facts, on: datetime.date) -> Decimal | None:
    """The path's value on ``on`` (rule, step 1); None if the indicator is not assessable."""
    if not facts.assessable:
        return None
    start, end = facts.path_start, facts.path_end
    baseline, target = facts.baseline_value, facts.target_value
    assert start and end and baseline is not None and target is not None
    if on <= start:
        return baseline
    if on >= end:
        return target
    share = Decimal((on - start).days) / Decimal((end - start).days)
    return baseline + (target - baseline) * share


def progress_percent(facts: Facts, value: Decimal) -> float | None:
    if not facts.assessable or facts.target_value == facts.baseline_value:
        return None
    assert facts.baseline_value is not None and facts.target_value is not None
    return float((value - facts.baseline_value) / (facts.target_value - facts.baseline_value) * 100)


def assess(facts: Facts, latest: Point | None) -> Assessment:
    """The state of an indicator by the rule in this module's docstring."""
    if latest is None:
        return Assessment(State.NOT_ASSESSED)
    expected = expected_value(facts, latest.measured_on)
    if expected is None:
        return Assessment(State.NOT_ASSESSED, latest=latest)
    assert facts.baseline_value is not None and facts.target_value is not None
    sign = 1 if facts.direction == Indicator.Direction.HIGHER else -1
    gap = sign * (expected - latest.value)
    whole_way = abs(facts.target_value - facts.baseline_value)
    if gap <= 0:
        state = State.ON_TRACK
    elif gap <= AT_RISK_SHARE * whole_way:
        state = State.AT_RISK
    else:
        state = State.OFF_TRACK
    # Shown as precisely as the values are measured (the state used the exact value).
    shown = expected.quantize(Decimal(1).scaleb(-decimals_of([latest.value, facts.target_value])))
    return Assessment(
        state, latest=latest, expected=shown, progress=progress_percent(facts, latest.value)
    )


# --- Reads --------------------------------------------------------------------------------------


@dataclass
class IndicatorStatus:
    facts: Facts
    assessment: Assessment
    points: list[Point]
    goal_code: str = ""
    goal_title: str = ""

    @property
    def id(self) -> int:
        return self.facts.id


@dataclass
class FieldGroup:
    code: str
    name: str
    colour: str
    indicators: list[IndicatorStatus] = field(default_factory=list)


def _decimal(text) -> Decimal | None:
    return None if text is None else Decimal(str(text))


def facts_from_snapshot(item: dict) -> Facts:
    return Facts(
        id=item["id"],
        name=item["name"],
        unit=item.get("unit", ""),
        direction=item.get("direction", Indicator.Direction.HIGHER),
        baseline_value=_decimal(item.get("baseline_value")),
        baseline_year=item.get("baseline_year"),
        target_value=_decimal(item.get("target_value")),
        target_year=item.get("target_year"),
        source=item.get("source", ""),
        qualitative=bool(item.get("qualitative")),
    )


def facts_from_row(row: Indicator) -> Facts:
    return Facts(
        id=row.pk,
        name=row.name,
        unit=row.unit,
        direction=row.direction,
        baseline_value=row.baseline_value,
        baseline_year=row.baseline_year,
        target_value=row.target_value,
        target_year=row.target_year,
        source=row.source,
        qualitative=row.qualitative,
    )


def measurement_points(indicator_ids: list[int]) -> dict[int, list[Point]]:
    """Every measurement of the indicators, oldest first, in one query."""
    found: dict[int, list[Point]] = {pk: [] for pk in indicator_ids}
    rows = (
        Measurement.objects.filter(indicator_id__in=indicator_ids)
        .order_by("indicator_id", "measured_on", "pk")
        .only("id", "indicator_id", "value", "measured_on", "provisional", "source", "comment")
    )
    for m in rows:
        found[m.indicator_id].append(
            Point(
                id=m.pk,
                value=m.value,
                measured_on=m.measured_on,
                provisional=m.provisional,
                source=m.source,
                comment=m.comment,
            )
        )
    return found


def _status(facts: Facts, points: list[Point], goal: dict | None = None) -> IndicatorStatus:
    return IndicatorStatus(
        facts=facts,
        assessment=assess(facts, points[-1] if points else None),
        points=points,
        goal_code=goal["code"] if goal else "",
        goal_title=goal["title"] if goal else "",
    )


@dataclass
class PublicIndicators:
    version: object | None  # the StrategyVersion shown
    fields: list[FieldGroup]

    @property
    def indicators(self) -> list[IndicatorStatus]:
        return [i for group in self.fields for i in group.indicators]

    def counts(self) -> dict[str, int]:
        found = Counter(i.assessment.state for i in self.indicators)
        return {state.value: found.get(state, 0) for state in State}


def public_indicators() -> PublicIndicators:
    """The published version's indicators by field of action, each with its measurements and
    state (the public list, the API, the home card)."""
    version = strategy_selectors.public_state().main
    if version is None:
        return PublicIndicators(version=None, fields=[])
    snapshot = version.snapshot
    ids = [
        item["id"] for f in snapshot["fields"] for goal in f["goals"] for item in goal["indicators"]
    ]
    points = measurement_points(ids)
    groups = []
    for f in snapshot["fields"]:
        group = FieldGroup(code=f["code"], name=f["name"], colour=f.get("colour", ""))
        for goal in f["goals"]:
            for item in goal["indicators"]:
                group.indicators.append(
                    _status(facts_from_snapshot(item), points[item["id"]], goal)
                )
        if group.indicators:
            groups.append(group)
    return PublicIndicators(version=version, fields=groups)


def public_indicator(*, pk: int) -> tuple[FieldGroup, IndicatorStatus] | None:
    """One indicator of the published version with its field of action, or None."""
    version = strategy_selectors.public_state().main
    if version is None:
        return None
    for f in version.snapshot["fields"]:
        for goal in f["goals"]:
            for item in goal["indicators"]:
                if item["id"] == pk:
                    group = FieldGroup(code=f["code"], name=f["name"], colour=f.get("colour", ""))
                    return group, _status(
                        facts_from_snapshot(item), measurement_points([pk])[pk], goal
                    )
    return None


@dataclass
class StaffStrategy:
    title: str
    slug: str
    fields: list[FieldGroup]


def staff_indicators() -> list[StaffStrategy]:
    """The draft indicators of every strategy, by strategy and field, with their state."""
    rows = list(
        Indicator.objects.select_related("goal__field__strategy").order_by(
            "goal__strategy__title",
            "goal__strategy__pk",
            "goal__field__order",
            "goal__field__pk",
            "goal__order",
            "goal__pk",
            "order",
            "pk",
        )
    )
    points = measurement_points([row.pk for row in rows])
    strategies: dict[int, StaffStrategy] = {}
    groups: dict[int, FieldGroup] = {}
    for row in rows:
        goal, action_field = row.goal, row.goal.field
        strategy = action_field.strategy
        if strategy.pk not in strategies:
            strategies[strategy.pk] = StaffStrategy(strategy.title, strategy.slug, [])
        if action_field.pk not in groups:
            groups[action_field.pk] = FieldGroup(
                action_field.code, action_field.name, action_field.colour
            )
            strategies[strategy.pk].fields.append(groups[action_field.pk])
        groups[action_field.pk].indicators.append(
            _status(
                facts_from_row(row),
                points[row.pk],
                {"code": goal.code, "title": goal.title},
            )
        )
    return list(strategies.values())


def staff_indicator(*, pk: int) -> tuple[Indicator, IndicatorStatus] | None:
    row = Indicator.objects.select_related("goal__field__strategy").filter(pk=pk).first()
    if row is None:
        return None
    goal = {"code": row.goal.code, "title": row.goal.title}
    return row, _status(facts_from_row(row), measurement_points([pk])[pk], goal)


def measurement_get(*, pk: int) -> Measurement | None:
    return Measurement.objects.select_related("indicator__goal").filter(pk=pk).first()


def inbox_off_track(user) -> list[InboxEntry]:
    """The Strategie-Redaktion's inbox: draft indicators that are not on track (one query:
    each indicator with its latest measurement)."""
    latest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-measured_on", "-pk")
    rows = Indicator.objects.annotate(
        latest_value=Subquery(latest.values("value")[:1]),
        latest_on=Subquery(latest.values("measured_on")[:1]),
    ).filter(latest_on__isnull=False)
    count = sum(
        1
        for row in rows
        if assess(
            facts_from_row(row),
            Point(id=0, value=Decimal(row.latest_value), measured_on=row.latest_on),
        ).state
        == State.OFF_TRACK
    )
    if not count:
        return []
    return [
        InboxEntry(
            section=Section.WAITS,
            count=count,
            label=ngettext("Indikator nicht auf Kurs", "Indikatoren nicht auf Kurs", count),
            url=reverse("monitoring:staff_indicators") + "?zustand=off_track",
        )
    ]


def home_indicators() -> dict:
    """The home page card: how many of the published indicators are in which state."""
    found = public_indicators()
    counts = found.counts()
    return {
        "total": len(found.indicators),
        "states": [
            (state, str(state.label), counts[state.value]) for state in State if counts[state.value]
        ],
    }


def rule_text() -> list[str]:
    """The rule of the module docstring in plain German, for visitors (one paragraph each)."""
    return [
        gettext(
            "Für jeden Indikator legt die Strategie einen Ausgangswert mit Ausgangsjahr und einen "
            "Zielwert mit Zieljahr fest. Wir ziehen eine gerade Linie vom Ausgangswert am 1. "
            "Januar des Ausgangsjahres bis zum Zielwert am 31. Dezember des Zieljahres: den "
            "Zielpfad."
        ),
        gettext(
            "Am Tag des neuesten Messwerts lesen wir auf dem Zielpfad ab, welcher Wert zu "
            "erwarten wäre. Ist der gemessene Wert mindestens so gut (bei „höher ist besser“ "
            "mindestens so hoch, bei „niedriger ist besser“ höchstens so hoch), ist der "
            "Indikator „auf Kurs“."
        ),
        gettext(
            "Liegt er schlechter, aber höchstens um 10 Prozent des ganzen Weges vom Ausgangswert "
            "zum Zielwert, ist er „gefährdet“. Liegt er noch weiter zurück, ist er „nicht auf "
            "Kurs“."
        ),
        gettext(
            "Ohne Ausgangswert, Zielwert oder Messwert und bei qualitativen Indikatoren ist "
            "„keine Bewertung möglich“. Der Fortschritt sagt, welcher Teil des Weges vom "
            "Ausgangswert (0 Prozent) zum Zielwert (100 Prozent) geschafft ist."
        ),
    ]
