"""Ballot validation and ballot aggregation, checked against hand-computed values."""

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leitbild.consultation.ballots import (
    PickRules,
    PointsRules,
    RankRules,
    RateRules,
    validate_ballot,
)
from leitbild.consultation.statistics import aggregate, aggregate_ballots, ballot_matrix, breakdown
from leitbild.numerics.intervals import mean_interval, wilson_interval
from leitbild.numerics.raking import encode_categories

Z95 = 1.959963984540054


# --- ballot validation --------------------------------------------------------------------

FIELDS = ("mobil", "energie", "bildung", "gesundheit", "verwaltung")
LABELS = {"mobil": "Mobilität", "energie": "Energie", "bildung": "Bildung"}


def codes(errors):
    return [error.code for error in errors]


def test_a_valid_pick_ballot_has_no_errors():
    rules = PickRules(FIELDS, k=3)
    assert validate_ballot(rules, ["mobil", "energie", "bildung"]) == []
    assert validate_ballot(rules, {"mobil"}) == []


def test_it_refuses_too_many_picks_with_a_german_message():
    errors = validate_ballot(PickRules(FIELDS, k=3), ["mobil", "energie", "bildung", "gesundheit"])
    assert codes(errors) == ["too_many_picks"]
    assert "höchstens 3 Handlungsfelder" in errors[0].message
    assert "4 gewählt" in errors[0].message


def test_it_refuses_an_empty_pick_ballot():
    assert codes(validate_ballot(PickRules(FIELDS, k=3), [])) == ["too_few_picks"]
    errors = validate_ballot(PickRules(FIELDS, k=3, minimum=3), ["mobil"])
    assert "mindestens 3 Handlungsfelder" in errors[0].message


def test_it_refuses_unknown_fields_and_duplicate_picks():
    errors = validate_ballot(PickRules(FIELDS, k=3), ["mobil", "fremdes-feld", "mobil"])
    assert codes(errors) == ["unknown_field", "duplicate_pick"]
    assert "„fremdes-feld“ gehört nicht zu dieser Abstimmung" in errors[0].message
    assert errors[1].field == "mobil"


@pytest.mark.parametrize("ballot", ["mobil", b"mobil", {"mobil": 1}, 42, None, [["x"]], [{}]])
def test_it_refuses_unreadable_pick_ballots(ballot):
    assert codes(validate_ballot(PickRules(FIELDS, k=3), ballot)) == ["invalid_ballot"]


def test_it_refuses_points_that_do_not_add_up():
    rules = PointsRules(FIELDS, total=10)
    assert validate_ballot(rules, {"mobil": 6, "energie": 4}) == []
    errors = validate_ballot(rules, {"mobil": 6, "energie": 3})
    assert codes(errors) == ["points_sum"]
    assert errors[0].message == "Bitte verteilen Sie genau 10 Punkte; Sie haben 9 verteilt."


def test_it_refuses_points_over_the_cap_and_negative_points():
    rules = PointsRules(FIELDS, total=10, cap=5)
    errors = validate_ballot(rules, {"mobil": 7, "energie": 3}, labels=LABELS)
    assert codes(errors) == ["points_over_cap"]
    assert "höchstens 5 Punkte" in errors[0].message and "„Mobilität“ hat 7" in errors[0].message
    errors = validate_ballot(rules, {"mobil": 12, "energie": -2})
    assert "negative_points" in codes(errors)


@pytest.mark.parametrize("value", ["5", 2.5, True, None, [1]])
def test_it_refuses_points_that_are_not_whole_numbers(value):
    errors = validate_ballot(PointsRules(FIELDS, total=5), {"mobil": value})
    assert codes(errors)[0] == "invalid_value"


def test_it_refuses_duplicate_ranks_and_gaps():
    rules = RankRules(FIELDS, depth=3)
    assert validate_ballot(rules, {"mobil": 1, "energie": 2, "bildung": 3}) == []
    errors = validate_ballot(rules, {"mobil": 1, "energie": 1, "bildung": 3}, labels=LABELS)
    assert codes(errors) == ["duplicate_rank", "missing_rank"]
    assert errors[0].message == "Platz 1 ist mehrfach vergeben („Mobilität“, „Energie“)."
    assert errors[1].message == "Bitte vergeben Sie noch Platz 2."


def test_it_refuses_ranks_out_of_range():
    errors = validate_ballot(RankRules(FIELDS, depth=2), {"mobil": 1, "energie": 4})
    assert codes(errors) == ["rank_out_of_range", "missing_rank"]


def test_a_full_ranking_needs_every_place():
    rules = RankRules(FIELDS)
    full = {field: place for place, field in enumerate(FIELDS, start=1)}
    assert validate_ballot(rules, full) == []
    del full["verwaltung"]
    assert codes(validate_ballot(rules, full)) == ["missing_rank"]


def test_it_refuses_ratings_out_of_the_scale_and_missing_ratings():
    rules = RateRules(FIELDS[:2])
    assert validate_ballot(rules, {"mobil": 1, "energie": 5}) == []
    errors = validate_ballot(rules, {"mobil": 7}, labels=LABELS)
    assert codes(errors) == ["rating_out_of_range", "missing_rating"]
    assert errors[0].message == "Bewertungen reichen von 1 bis 5; „Mobilität“ hat 7."
    optional = RateRules(FIELDS[:2], require_all=False)
    assert validate_ballot(optional, {"mobil": 3}) == []
    assert codes(validate_ballot(optional, {})) == ["empty_ballot"]


def test_rules_refuse_impossible_configurations():
    with pytest.raises(ValueError):
        PickRules(FIELDS, k=6)
    with pytest.raises(ValueError):
        PointsRules(FIELDS, total=30, cap=5)
    with pytest.raises(ValueError):
        RankRules(FIELDS, depth=0)
    with pytest.raises(ValueError):
        PickRules(("a", "a"), k=1)


ANY_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=10,
)


@settings(max_examples=200)
@given(
    ballot=ANY_VALUE
    | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=3), ANY_VALUE, max_size=6)
    | st.lists(st.sampled_from(FIELDS) | st.integers(), max_size=7)
)
def test_validation_answers_anything_with_errors_never_an_exception(ballot):
    rules_list = [
        PickRules(FIELDS, k=3),
        PointsRules(FIELDS, total=10, cap=6),
        RankRules(FIELDS, depth=3),
        RateRules(FIELDS),
    ]
    for rules in rules_list:
        for error in validate_ballot(rules, ballot):
            assert error.code and error.message


# --- aggregation --------------------------------------------------------------------------


def test_it_computes_shares_of_pick_ballots():
    rules = PickRules(("a", "b", "c"), k=2)
    results = aggregate_ballots(rules, [["a", "b"], ["a"], ["b", "c"], ["a", "c"]])
    assert [r.field for r in results] == ["a", "b", "c"]
    assert [r.estimate.value for r in results] == [0.75, 0.5, 0.5]
    assert results[0].n == 4
    expected = wilson_interval(3, 4)
    assert results[0].estimate.low == pytest.approx(expected.low)


def test_it_computes_weighted_shares_of_pick_ballots():
    rules = PickRules(("a", "b"), k=1)
    # Weights 3, 1: "a" carries 3 of 4 units of weight; n_eff = 16/10.
    results = aggregate_ballots(rules, [["a"], ["b"]], weights=[3, 1])
    assert results[0].estimate.value == pytest.approx(0.75)
    assert results[0].estimate.n_effective == pytest.approx(1.6)


def test_it_computes_mean_points():
    rules = PointsRules(("a", "b", "c"), total=5)
    results = aggregate_ballots(rules, [{"a": 3, "b": 2}, {"a": 5}, {"b": 1, "c": 4}])
    assert [r.estimate.value for r in results] == pytest.approx([8 / 3, 1.0, 4 / 3])
    expected = mean_interval([3, 5, 0])
    assert results[0].estimate.low == pytest.approx(expected.low)


def test_it_computes_mean_rank_with_unranked_fields_sharing_the_remaining_places():
    rules = RankRules(("a", "b", "c"), depth=1)
    # Unranked fields take the mean of places 2 and 3, i.e. 2.5.
    results = aggregate_ballots(rules, [{"a": 1}, {"a": 1}, {"b": 1}, {"c": 1}])
    assert [r.estimate.value for r in results] == pytest.approx([1.75, 2.125, 2.125])
    assert [r.top_share.value for r in results] == pytest.approx([0.5, 0.25, 0.25])


def test_it_computes_the_full_ranking():
    rules = RankRules(("a", "b", "c"))
    results = aggregate_ballots(rules, [{"a": 1, "b": 2, "c": 3}, {"a": 2, "b": 1, "c": 3}])
    assert [r.estimate.value for r in results] == pytest.approx([1.5, 1.5, 3.0])


def test_it_computes_mean_ratings_and_their_distribution():
    rules = RateRules(("a", "b"), require_all=False)
    ballots = [{"a": 5, "b": 1}, {"a": 4}, {"a": 5}, {"a": 1, "b": 3}]
    a, b = aggregate_ballots(rules, ballots)
    assert a.estimate.value == pytest.approx(3.75)
    assert a.n == 4 and b.n == 2
    assert [share.value for share in a.distribution] == [0.25, 0.0, 0.0, 0.25, 0.5]
    assert [share.value for share in b.distribution] == [0.5, 0.0, 0.5, 0.0, 0.0]


def test_equal_weights_change_nothing():
    rules = RateRules(("a", "b"))
    ballots = [{"a": 5, "b": 1}, {"a": 4, "b": 2}, {"a": 2, "b": 2}]
    plain = aggregate_ballots(rules, ballots)
    weighted = aggregate_ballots(rules, ballots, weights=[2.0, 2.0, 2.0])
    for p, w in zip(plain, weighted, strict=True):
        assert p.estimate.value == pytest.approx(w.estimate.value)
        assert p.estimate.low == pytest.approx(w.estimate.low)
        assert [d.value for d in p.distribution] == pytest.approx([d.value for d in w.distribution])


def test_the_list_and_matrix_paths_agree():
    rules = PickRules(FIELDS, k=2)
    ballots = [["mobil", "energie"], ["bildung"], ["mobil", "verwaltung"]]
    matrix = ballot_matrix(rules, ballots)
    assert matrix.dtype == np.bool_ and matrix.shape == (3, 5)
    assert aggregate(rules, matrix) == aggregate_ballots(rules, ballots)


def test_ballot_matrix_refuses_unknown_fields():
    with pytest.raises(ValueError):
        ballot_matrix(PickRules(FIELDS, k=2), [["nirgendwo"]])


def test_aggregate_refuses_an_empty_or_misshaped_matrix():
    rules = PickRules(FIELDS, k=2)
    with pytest.raises(ValueError):
        aggregate(rules, np.zeros((0, 5), dtype=bool))
    with pytest.raises(ValueError):
        aggregate(rules, np.zeros((3, 4), dtype=bool))


@given(
    ballots=st.lists(
        st.lists(st.sampled_from(FIELDS), min_size=1, max_size=3, unique=True),
        min_size=1,
        max_size=60,
    ),
    data=st.data(),
)
def test_pick_shares_lie_in_zero_one_and_in_their_intervals(ballots, data):
    weights = data.draw(
        st.lists(
            st.floats(min_value=0.05, max_value=20),
            min_size=len(ballots),
            max_size=len(ballots),
        )
    )
    rules = PickRules(FIELDS, k=3)
    for results in (
        aggregate_ballots(rules, ballots),
        aggregate_ballots(rules, ballots, weights=weights),
    ):
        for result in results:
            estimate = result.estimate
            assert 0.0 <= estimate.low <= estimate.value + 1e-12
            assert estimate.value <= estimate.high + 1e-12 <= 1.0 + 1e-12


# --- breakdowns ---------------------------------------------------------------------------


def test_a_breakdown_suppresses_small_groups_and_their_complement():
    rules = PickRules(("a", "b"), k=1)
    ballots = [["a"]] * 30 + [["b"]] * 20 + [["a"]] * 3 + [["b"]] * 8 + [["a"]] * 2
    ages = ["jung"] * 30 + ["mittel"] * 20 + ["alt"] * 3 + ["mittel"] * 8 + [None] * 2
    categories = ["jung", "mittel", "alt"]
    groups = breakdown(
        rules, ballot_matrix(rules, ballots), encode_categories(ages, categories), categories
    )
    by_label = {group.label: group for group in groups}
    assert [group.label for group in groups] == ["jung", "mittel", "alt", None]
    # "alt" (3) and "keine Angabe" (2) are small: two suppressed, so no complement is needed.
    assert by_label["alt"].suppressed and by_label["alt"].n is None
    assert by_label[None].suppressed and by_label[None].fields is None
    assert by_label["jung"].n == 30 and by_label["jung"].fields[0].estimate.value == 1.0
    assert by_label["mittel"].n == 28
    assert by_label["mittel"].fields[1].estimate.value == pytest.approx(1.0)


def test_a_breakdown_with_one_small_group_hides_the_next_smallest_too():
    rules = PickRules(("a", "b"), k=1)
    matrix = ballot_matrix(rules, [["a"]] * 40)
    groups = np.array([0] * 25 + [1] * 12 + [2] * 3)
    results = breakdown(rules, matrix, groups, ["x", "y", "z"])
    assert [group.suppressed for group in results] == [False, True, True]


def test_a_weighted_breakdown_uses_the_overall_weights():
    rules = PickRules(("a", "b"), k=1)
    matrix = ballot_matrix(rules, [["a"]] * 5 + [["b"]] * 5 + [["a"]] * 10)
    groups = np.array([0] * 10 + [1] * 10)
    weights = np.array([3.0] * 5 + [1.0] * 5 + [1.0] * 10)
    first, second = breakdown(rules, matrix, groups, ["x", "y"], weights=weights)
    assert first.fields[0].estimate.value == pytest.approx(0.75)
    assert second.fields[0].estimate.value == pytest.approx(1.0)
    assert first.n == 10


def test_a_rating_nobody_gave_has_no_estimate():
    rules = RateRules(("a", "b"), require_all=False)
    a, b = aggregate_ballots(rules, [{"a": 4}, {"a": 2}])
    assert a.estimate.value == 3.0
    assert b.estimate is None and b.n == 0


def test_a_breakdown_hides_optional_ratings_from_too_few_people_of_a_group():
    rules = RateRules(("a", "b"), require_all=False)
    ballots = [{"a": 4, "b": 5}] * 3 + [{"a": 2}] * 7
    groups = np.zeros(10, dtype=int)
    (group,) = breakdown(rules, ballot_matrix(rules, ballots), groups, ["alle"])
    a, b = group.fields
    assert a.n == 10 and a.estimate.value == pytest.approx(2.6)
    assert b.n == 3 and b.estimate is None and b.distribution is None


def test_a_million_pick_ballots_aggregate_in_well_under_a_second():
    rng = np.random.default_rng(5)
    n, fields = 1_000_000, tuple(range(10))
    picks = np.argpartition(rng.random((n, 10)), 3, axis=1)[:, :3]
    matrix = np.zeros((n, 10), dtype=bool)
    matrix[np.arange(n)[:, None], picks] = True
    weights = rng.uniform(0.5, 2.0, n)
    groups = rng.integers(-1, 6, n)
    rules = PickRules(fields, k=3)
    timings = []
    for _ in range(2):  # best of two: a busy machine should not fail the test
        started = time.perf_counter()
        results = aggregate(rules, matrix)
        aggregate(rules, matrix, weights=weights)
        breakdown(rules, matrix, groups, list(range(6)), weights=weights)
        timings.append(time.perf_counter() - started)
    assert sum(r.estimate.value for r in results) == pytest.approx(3.0)
    assert min(timings) < 1.0
