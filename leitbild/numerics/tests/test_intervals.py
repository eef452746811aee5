"""Estimates and their intervals, checked against hand-computed values."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leitbild.numerics.intervals import (
    effective_sample_size,
    mean_interval,
    t_cdf,
    t_quantile,
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
