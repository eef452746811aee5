"""Estimates, ballot validation and ballot aggregation, checked against hand-computed values."""

import math
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leitbild.participation.statistics import (
    PickRules,
    PointsRules,
    RankRules,
    RateRules,
    aggregate,
    aggregate_ballots,
    ballot_matrix,
    breakdown,
    effective_sample_size,
    encode_categories,
    mean_interval,
    t_cdf,
    t_quantile,
    validate_ballot,
    weighted_mean,
    weighted_share,
    wilson_interval,
)

Z95 = 1.959963984540054


# --- t quantile ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("df", "expected"),
    [  # the familiar printed table of t(0.975)
        (1, 12.7062),
        (2, 4.3027),
        (5, 2.5706),
        (7, 2.3646),
        (10, 2.2281),
        (30, 2.0423),
        (120, 1.9799),
        (1000, 1.9623),
    ],
)
def test_t_quantile_matches_the_printed_table(df, expected):
    assert t_quantile(0.975, df) == pytest.approx(expected, abs=5e-5)


def test_t_quantile_matches_the_closed_forms_for_one_and_two_degrees_of_freedom():
    # df = 1 is the Cauchy distribution: tan(π(p − ½)); df = 2: (2p − 1) / √(2p(1 − p)).
    for p in (0.6, 0.9, 0.975, 0.995, 0.9999):
        assert t_quantile(p, 1) == pytest.approx(math.tan(math.pi * (p - 0.5)), rel=1e-12)
        expected = (2 * p - 1) / math.sqrt(2 * p * (1 - p))
        assert t_quantile(p, 2) == pytest.approx(expected, rel=1e-12)


def test_t_quantile_handles_fractional_degrees_of_freedom():
    # Reference: scipy.stats.t.ppf(0.975, 5/3) = 5.2422651305838315
    assert t_quantile(0.975, 5 / 3) == pytest.approx(5.2422651305838315, rel=1e-12)


def test_t_quantile_is_symmetric_and_tends_to_the_normal_quantile():
    assert t_quantile(0.025, 7) == pytest.approx(-t_quantile(0.975, 7))
    assert t_quantile(0.5, 3) == 0.0
    assert t_quantile(0.975, 1e9) == pytest.approx(Z95, rel=1e-8)


def test_t_quantile_refuses_impossible_arguments():
    for p, df in [(0.0, 5), (1.0, 5), (0.5, 0), (0.9, -1)]:
        with pytest.raises(ValueError):
            t_quantile(p, df)


@given(
    p=st.floats(min_value=0.001, max_value=0.999),
    df=st.floats(min_value=0.2, max_value=5000),
)
def test_t_quantile_inverts_the_distribution_function(p, df):
    assert t_cdf(t_quantile(p, df), df) == pytest.approx(p, abs=1e-9)


# --- shares -------------------------------------------------------------------------------


def test_it_computes_the_wilson_interval_for_54_of_100():
    # By hand, z = 1.959964, z² = 3.841459, p̂ = 0.54, n = 100:
    #   denominator = 1 + z²/n                  = 1.03841459
    #   centre      = (p̂ + z²/2n) / denominator = 0.55920729 / 1.03841459 = 0.5385206
    #   half width  = z·√(p̂(1−p̂)/n + z²/4n²) / denominator
    #               = 1.959964 · √(0.002484 + 0.0000960365) / 1.03841459 = 0.0958713
    #   interval    = 0.5385206 ∓ 0.0958713 = [0.4426493, 0.6343919]
    estimate = wilson_interval(54, 100)
    assert estimate.value == 0.54
    assert estimate.low == pytest.approx(0.4426493, abs=1e-6)
    assert estimate.high == pytest.approx(0.6343919, abs=1e-6)
    assert estimate.n == 100
    assert estimate.n_effective == 100.0


def test_wilson_interval_stays_inside_zero_and_one_at_the_edges():
    # For 0 of n the lower bound is 0 and the upper bound is z² / (n + z²).
    none = wilson_interval(0, 10)
    assert none.low == 0.0
    assert none.high == pytest.approx(Z95**2 / (10 + Z95**2), rel=1e-9)  # 0.2775328
    everyone = wilson_interval(10, 10)
    assert everyone.high == 1.0
    assert everyone.low == pytest.approx(1 - Z95**2 / (10 + Z95**2), rel=1e-9)


def test_wilson_interval_narrows_with_a_lower_confidence_level():
    wide = wilson_interval(54, 100)
    narrow = wilson_interval(54, 100, confidence=0.8)
    assert wide.low < narrow.low < narrow.high < wide.high


def test_a_share_needs_observations():
    with pytest.raises(ValueError):
        wilson_interval(0, 0)
    with pytest.raises(ValueError):
        wilson_interval(11, 10)


@given(n=st.integers(min_value=1, max_value=10**7), data=st.data())
def test_wilson_share_lies_in_its_interval_within_zero_and_one(n, data):
    successes = data.draw(st.integers(min_value=0, max_value=n))
    estimate = wilson_interval(successes, n)
    assert 0.0 <= estimate.low <= estimate.value <= estimate.high <= 1.0


def test_effective_sample_size_of_known_weights():
    # (Σw)² / Σw²: (1+1+2)² / (1+1+4) = 16/6; equal weights give the count.
    assert effective_sample_size([1, 1, 2]) == pytest.approx(8 / 3)
    assert effective_sample_size([0.5, 0.5, 1, 2]) == pytest.approx(16 / 5.5)
    assert effective_sample_size([3.0] * 7) == pytest.approx(7.0)
    assert effective_sample_size([0.0, 0.0]) == 0.0


def test_weighted_share_uses_the_effective_sample_size():
    # Chosen by ballots 1 and 3 with weights 1, 1, 2: share = (1 + 2) / 4 = 0.75,
    # n_eff = 8/3, Wilson at n = 8/3 gives [0.2385019, 0.9663702].
    estimate = weighted_share([True, False, True], [1, 1, 2])
    assert estimate.value == pytest.approx(0.75)
    assert estimate.n == 3
    assert estimate.n_effective == pytest.approx(8 / 3)
    assert estimate.low == pytest.approx(0.2385019, abs=1e-6)
    assert estimate.high == pytest.approx(0.9663702, abs=1e-6)


def test_weighted_share_with_equal_weights_is_the_unweighted_share():
    chosen = [True] * 54 + [False] * 46
    weighted = weighted_share(chosen, [2.5] * 100)
    plain = wilson_interval(54, 100)
    assert weighted.low == pytest.approx(plain.low)
    assert weighted.high == pytest.approx(plain.high)


def test_weighted_share_refuses_bad_weights():
    with pytest.raises(ValueError):
        weighted_share([True, False], [1.0, -1.0])
    with pytest.raises(ValueError):
        weighted_share([True, False], [1.0])
    with pytest.raises(ValueError):
        weighted_share([True, False], [0.0, 0.0])


@given(
    rows=st.lists(
        st.tuples(st.booleans(), st.floats(min_value=0.01, max_value=100)),
        min_size=1,
        max_size=200,
    )
)
def test_weighted_share_lies_in_its_interval_within_zero_and_one(rows):
    chosen, weights = zip(*rows, strict=True)
    estimate = weighted_share(chosen, weights)
    assert 0.0 <= estimate.low <= estimate.value + 1e-12
    assert estimate.value <= estimate.high + 1e-12 <= 1.0 + 1e-12


# --- means --------------------------------------------------------------------------------


def test_it_computes_the_t_interval_of_a_mean_by_hand():
    # 2 4 4 4 5 5 7 9: mean 5, squared deviations sum to 32, s² = 32/7, se = √(32/7)/√8
    # = 0.7559289; t(0.975, 7) = 2.3646243; half width = 1.7874879.
    estimate = mean_interval([2, 4, 4, 4, 5, 5, 7, 9])
    assert estimate.value == 5.0
    assert estimate.low == pytest.approx(3.2125121, abs=1e-6)
    assert estimate.high == pytest.approx(6.7874879, abs=1e-6)


def test_a_single_value_has_no_interval():
    estimate = mean_interval([4])
    assert (estimate.value, estimate.low, estimate.high) == (4.0, None, None)
    with pytest.raises(ValueError):
        mean_interval([])


def test_it_computes_a_weighted_mean_with_the_kish_interval_by_hand():
    # x = 1, 2, 3 with w = 1, 1, 2: mean = 9/4 = 2.25; n_eff = 8/3;
    # Σw(x − x̄)² / Σw = 2.75 / 4 = 0.6875, × n_eff/(n_eff − 1) = 1.1; se = √(1.1 / (8/3));
    # t(0.975, 5/3) = 5.2422651; half width = 3.3669057.
    estimate = weighted_mean([1, 2, 3], [1, 1, 2])
    assert estimate.value == pytest.approx(2.25)
    assert estimate.n_effective == pytest.approx(8 / 3)
    assert estimate.low == pytest.approx(2.25 - 3.3669057, abs=1e-6)
    assert estimate.high == pytest.approx(2.25 + 3.3669057, abs=1e-6)


def test_a_weighted_mean_with_equal_weights_is_the_plain_mean():
    values = [2, 4, 4, 4, 5, 5, 7, 9]
    weighted = weighted_mean(values, [0.7] * 8)
    plain = mean_interval(values)
    assert weighted.low == pytest.approx(plain.low)
    assert weighted.high == pytest.approx(plain.high)


@given(
    rows=st.lists(
        st.tuples(
            st.integers(min_value=-100, max_value=100),
            st.floats(min_value=0.01, max_value=100),
        ),
        min_size=2,
        max_size=100,
    )
)
def test_a_mean_lies_in_its_interval(rows):
    values, weights = zip(*rows, strict=True)
    for estimate in (mean_interval(values), weighted_mean(values, weights)):
        if estimate.low is not None:
            assert estimate.low <= estimate.value + 1e-9
            assert estimate.value <= estimate.high + 1e-9


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
