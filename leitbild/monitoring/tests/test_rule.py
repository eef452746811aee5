"""The rule: the linear path from baseline to target, and the state of an indicator."""

import datetime
from decimal import Decimal

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from leitbild.monitoring.selectors import Facts, Point, State, assess, expected_value

D = datetime.date


def facts(**changes) -> Facts:
    values: dict = {
        "id": 1,
        "name": "Radverkehr",
        "direction": "higher",
        "baseline_value": Decimal(10),
        "baseline_year": 2020,
        "target_value": Decimal(50),
        "target_year": 2029,
    }
    return Facts(**(values | changes))


def at(day: datetime.date, value) -> Point:
    return Point(id=1, value=Decimal(str(value)), measured_on=day)


def test_the_path_runs_from_the_first_day_of_the_baseline_year_to_the_last_of_the_target_year():
    f = facts()

    assert expected_value(f, D(2020, 1, 1)) == 10
    assert expected_value(f, D(2029, 12, 31)) == 50
    assert expected_value(f, D(2019, 6, 1)) == 10  # before the start: the baseline
    assert expected_value(f, D(2031, 1, 1)) == 50  # after the end: the target
    halfway = D(2020, 1, 1) + (D(2029, 12, 31) - D(2020, 1, 1)) / 2
    assert abs(expected_value(f, halfway) - 30) < Decimal("0.01")


def test_a_value_at_least_as_good_as_expected_is_on_track():
    expected = expected_value(facts(), D(2025, 1, 1))

    assert assess(facts(), at(D(2025, 1, 1), expected)).state == State.ON_TRACK
    assert assess(facts(), at(D(2025, 1, 1), 60)).state == State.ON_TRACK


def test_a_gap_up_to_ten_percent_of_the_whole_way_is_at_risk_beyond_it_off_track():
    expected = expected_value(facts(), D(2025, 1, 1))  # the whole way is 40: 10 Prozent is 4

    assert assess(facts(), at(D(2025, 1, 1), expected - 4)).state == State.AT_RISK
    assert assess(facts(), at(D(2025, 1, 1), expected - Decimal("0.1"))).state == State.AT_RISK
    assert assess(facts(), at(D(2025, 1, 1), expected - Decimal("4.01"))).state == State.OFF_TRACK


def test_lower_is_better_turns_the_rule_around():
    f = facts(direction="lower", baseline_value=Decimal(30), target_value=Decimal(15))
    expected = expected_value(f, D(2025, 1, 1))  # whole way 15: 10 Prozent is 1.5

    assert assess(f, at(D(2025, 1, 1), expected - 1)).state == State.ON_TRACK
    assert assess(f, at(D(2025, 1, 1), expected + 1)).state == State.AT_RISK
    assert assess(f, at(D(2025, 1, 1), expected + 2)).state == State.OFF_TRACK


def test_progress_is_zero_at_the_baseline_and_a_hundred_at_the_target():
    assert assess(facts(), at(D(2025, 1, 1), 10)).progress == 0
    assert assess(facts(), at(D(2025, 1, 1), 50)).progress == 100
    assert assess(facts(), at(D(2025, 1, 1), 30)).progress == 50
    assert assess(facts(), at(D(2025, 1, 1), 5)).progress < 0
    lower = facts(direction="lower", baseline_value=Decimal(30), target_value=Decimal(15))
    assert abs(assess(lower, at(D(2025, 1, 1), 20)).progress - 200 / 3) < 1e-9


def test_only_the_latest_measurement_counts_and_its_day_sets_the_expectation():
    early_good = assess(facts(), at(D(2020, 6, 1), 14))
    late_same = assess(facts(), at(D(2028, 6, 1), 14))

    assert early_good.state == State.ON_TRACK
    assert late_same.state == State.OFF_TRACK


def test_without_baseline_target_measurement_or_for_a_qualitative_indicator_no_state():
    day = at(D(2025, 1, 1), 20)

    assert assess(facts(), None).state == State.NOT_ASSESSED
    assert assess(facts(baseline_value=None), day).state == State.NOT_ASSESSED
    assert assess(facts(target_year=None), day).state == State.NOT_ASSESSED
    assert assess(facts(target_year=2019), day).state == State.NOT_ASSESSED
    assert assess(facts(qualitative=True), day).state == State.NOT_ASSESSED
    with translation.override("de"):
        assert State.NOT_ASSESSED.label == "keine Bewertung möglich"


def test_a_target_equal_to_the_baseline_is_kept_or_missed():
    f = facts(target_value=Decimal(10))

    assert assess(f, at(D(2025, 1, 1), 10)).state == State.ON_TRACK
    assert assess(f, at(D(2025, 1, 1), 9)).state == State.OFF_TRACK
    assert assess(f, at(D(2025, 1, 1), 10)).progress is None


values = st.decimals(min_value=-10_000, max_value=10_000, places=3, allow_nan=False)


@given(
    baseline=values,
    target=values,
    actual=values,
    baseline_year=st.integers(2000, 2030),
    years=st.integers(0, 20),
    day=st.dates(D(1995, 1, 1), D(2060, 12, 31)),
)
def test_mirroring_values_and_direction_keeps_state_and_progress(
    baseline, target, actual, baseline_year, years, day
):
    """Up-is-good with values v is the same situation as down-is-good with values −v."""
    up = facts(
        baseline_value=baseline,
        target_value=target,
        baseline_year=baseline_year,
        target_year=baseline_year + years,
    )
    down = facts(
        direction="lower",
        baseline_value=-baseline,
        target_value=-target,
        baseline_year=baseline_year,
        target_year=baseline_year + years,
    )
    first, second = assess(up, at(day, actual)), assess(down, at(day, -actual))

    assert first.state == second.state
    assert first.progress == second.progress


@given(actual=values, better=st.decimals(min_value=0, max_value=1000, places=3))
def test_a_better_value_never_gets_a_worse_state(actual, better):
    order = [State.OFF_TRACK, State.AT_RISK, State.ON_TRACK]
    day = D(2025, 1, 1)
    worse_state = assess(facts(), at(day, actual)).state
    better_state = assess(facts(), at(day, actual + better)).state

    assert order.index(better_state) >= order.index(worse_state)
