"""AHP weights, normalisation, SMAA-2 rank acceptabilities and weight sensitivity."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leitbild.numerics.mcda import (
    InputError,
    ahp_from_upper,
    ahp_weights,
    check_weights,
    normalise,
    ranks,
    sensitivity,
    smaa,
    value_draws,
    weighted_values,
)

# Saaty, T. L. (1990): "How to make a decision: The Analytic Hierarchy Process", European
# Journal of Operational Research 48, 9–26, Table 2: the criteria for buying a house (size,
# transportation, neighbourhood, age, yard space, modern facilities, general condition,
# financing). Published: weights .173 .054 .188 .018 .031 .036 .167 .333, λmax = 9.669,
# C.I. = 0.238, C.R. = 0.169.
HOUSE = [
    [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
    [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
    [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
    [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
    [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
    [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
    [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
    [4, 7, 5, 8, 6, 6, 2, 1],
]


def test_ahp_reproduces_saatys_house_example():
    result = ahp_weights(np.array(HOUSE))
    assert np.round(result.weights, 3).tolist() == [
        0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333,
    ]  # fmt: skip
    assert round(result.lambda_max, 3) == 9.669
    assert round(result.consistency_index, 3) == 0.238
    assert round(result.consistency_ratio, 3) == 0.169
    assert result.inconsistent


def test_a_perfectly_consistent_matrix_gives_exact_weights_and_cr_zero():
    w = np.array([0.5, 0.25, 0.125, 0.125])
    result = ahp_weights(w[:, None] / w[None, :])
    assert result.weights == pytest.approx(w, abs=1e-12)
    assert result.lambda_max == pytest.approx(4.0)
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-12)
    assert not result.inconsistent


def test_the_upper_triangle_is_filled_with_reciprocals():
    matrix = ahp_from_upper({(0, 1): 3, (0, 2): 9, (1, 2): 3}, 3)
    assert matrix[1, 0] == pytest.approx(1 / 3)
    assert matrix[2, 0] == pytest.approx(1 / 9)
    assert ahp_weights(matrix).consistency_ratio == pytest.approx(0.0, abs=1e-12)
    # The lower triangle may be given instead, as the reciprocal judgement.
    assert ahp_from_upper({(1, 0): 1 / 3, (0, 2): 9, (1, 2): 3}, 3) == pytest.approx(matrix)


def test_small_matrices_are_always_consistent():
    assert ahp_weights(np.array([[1.0]])).weights.tolist() == [1.0]
    result = ahp_weights(np.array([[1, 4], [1 / 4, 1]]))
    assert result.weights == pytest.approx([0.8, 0.2])
    assert result.consistency_ratio == 0.0


@pytest.mark.parametrize(
    ("upper", "code", "detail"),
    [
        ({(0, 1): 3, (0, 2): 5}, "ahp_missing", {"row": 1, "col": 2}),
        ({(0, 1): 0, (0, 2): 5, (1, 2): 1}, "ahp_zero", {"row": 0, "col": 1}),
        ({(0, 1): 3, (0, 2): 12, (1, 2): 1}, "ahp_scale", {"row": 0, "col": 2}),
        ({(0, 1): 3, (0, 2): 5, (1, 2): 1, (0, 3): 2}, "ahp_index", {"row": 0, "col": 3}),
        ({(0, 1): 3, (1, 0): 3, (0, 2): 5, (1, 2): 1}, "ahp_not_reciprocal", {"row": 0, "col": 1}),
    ],
)
def test_bad_judgements_name_the_pair(upper, code, detail):
    with pytest.raises(InputError) as error:
        ahp_from_upper(upper, 3)
    assert error.value.code == code
    assert error.value.detail == detail


def test_a_matrix_that_is_not_reciprocal_is_refused():
    matrix = np.array([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1, 1]])
    with pytest.raises(InputError) as error:
        ahp_weights(matrix)
    assert (error.value.code, error.value.detail) == ("ahp_not_reciprocal", {"row": 2, "col": 1})
    with pytest.raises(InputError) as error:
        ahp_weights(np.array([[2, 1], [1, 1]]))
    assert error.value.code == "ahp_diagonal"


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from([1 / 9, 1 / 5, 1 / 3, 1, 2, 3, 5, 7, 9]), min_size=6, max_size=6))
def test_ahp_weights_are_positive_and_sum_to_one(judgements):
    pairs = [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
    result = ahp_weights(ahp_from_upper(dict(zip(pairs, judgements, strict=True)), 4))
    assert (result.weights > 0).all()
    assert result.weights.sum() == pytest.approx(1.0)
    assert result.lambda_max >= 4 - 1e-9
    assert result.consistency_ratio >= 0


def test_weights_as_fractions_or_percentages():
    assert check_weights([0.5, 0.5]).tolist() == [0.5, 0.5]
    assert check_weights([50, 30, 20]) == pytest.approx([0.5, 0.3, 0.2])
    for weights, code in (([0.5, 0.6], "weights_sum"), ([1.2, -0.2], "weights_negative")):
        with pytest.raises(InputError) as error:
            check_weights(weights)
        assert error.value.code == code
    with pytest.raises(InputError) as error:
        check_weights([0.5, -0.5, 1.0])
    assert error.value.detail == {"criterion": 1}


def test_normalise_maps_the_scale_and_reverses_cost_criteria():
    values = np.array([[0.0, 100.0], [5.0, 300.0], [10.0, 500.0]])
    out = normalise(values, lower=[0, 100], upper=[10, 500], benefit=[True, False])
    assert out.tolist() == [[0.0, 1.0], [0.5, 0.5], [1.0, 0.0]]
    assert weighted_values(out, [0.5, 0.5]).tolist() == [0.5, 0.5, 0.5]


def test_a_score_outside_its_scale_is_refused_with_its_place():
    with pytest.raises(InputError) as error:
        normalise(np.array([[1.0, 2.0], [3.0, 11.0]]), lower=[0, 0], upper=[10, 10], benefit=[1, 1])
    assert error.value.code == "scores_range"
    assert error.value.detail["project"] == 1
    assert error.value.detail["criterion"] == 1


def test_ranks_give_ties_their_average():
    assert ranks(np.array([0.2, 0.9, 0.5, 0.9])).tolist() == [4.0, 1.5, 3.0, 1.5]


SCALE = {"lower": [0, 0], "upper": [10, 10], "benefit": [True, True]}


def test_two_identical_projects_share_ranks_one_and_two():
    scores = np.array([[[8.0, 6.0], [8.0, 6.0], [2.0, 1.0]]])
    result = smaa(scores, **SCALE, weights=[0.5, 0.5], draws=4000)
    # Exact ties in every draw: random tie-breaking, binomial sd 0.008 at 4,000 draws.
    assert result.rank_acceptability[0, :2] == pytest.approx([0.5, 0.5], abs=0.03)
    assert result.rank_acceptability[1, :2] == pytest.approx([0.5, 0.5], abs=0.03)
    assert result.rank_acceptability[2, 2] == 1.0


def test_a_dominating_project_is_first_in_every_draw():
    rng = np.random.default_rng(3)
    scores = rng.uniform(0, 8, size=(4, 6, 2))
    scores[:, 2, :] = [9.5, 9.5]
    scores[1, 2, :] = np.nan  # one assessor did not score it
    result = smaa(scores, **SCALE, weights=None, draws=2000)
    assert result.rank_acceptability[2, 0] == 1.0
    assert result.robust[2]
    assert result.rank_interval[2].tolist() == [1, 1]
    assert result.top_k[2] == 1.0


def test_uniform_weights_on_a_symmetric_case_split_the_first_rank():
    # A is best on criterion 0, B on criterion 1, mirror images: with weights uniform on the
    # simplex, each is first when its criterion weighs more, i.e. half of the time.
    scores = np.array([[[10.0, 0.0], [0.0, 10.0], [4.0, 4.0]]])
    result = smaa(scores, **SCALE, weights=None, draws=8000, seed=5)
    assert result.rank_acceptability[0, 0] == pytest.approx(0.5, abs=0.03)
    assert result.rank_acceptability[1, 0] == pytest.approx(0.5, abs=0.03)
    assert result.rank_acceptability[2, 0] == 0.0
    # C is never first; its central weights are undefined. A's central weight on criterion 0 is
    # E[w0 | w0 > 0.5] = 0.75.
    assert np.isnan(result.central_weights[2]).all()
    assert result.central_weights[0, 0] == pytest.approx(0.75, abs=0.01)
    assert result.expected_rank[0] == pytest.approx(result.expected_rank[1], abs=0.05)


def test_acceptabilities_sum_to_one_and_the_seed_reproduces_them():
    rng = np.random.default_rng(0)
    scores = rng.integers(0, 6, size=(3, 12, 4)).astype(float)
    scores[rng.random(scores.shape) < 0.3] = np.nan
    scores[0] = np.where(np.isnan(scores[0]), 3, scores[0])
    kwargs = {
        "lower": np.zeros(4), "upper": np.full(4, 5.0), "benefit": [True, False, True, True],
        "weights": [40, 30, 20, 10], "draws": 3000, "top_k": 3,
    }  # fmt: skip
    result = smaa(scores, **kwargs, seed=11)
    acc = result.rank_acceptability
    assert acc.sum(axis=0) == pytest.approx(np.ones(12))
    assert acc.sum(axis=1) == pytest.approx(np.ones(12))
    assert result.top_k == pytest.approx(acc[:, :3].sum(axis=1))
    assert (result.rank_interval[:, 0] <= result.rank_interval[:, 1]).all()
    again = smaa(scores, **kwargs, seed=11)
    assert np.array_equal(again.rank_acceptability, acc)
    other = smaa(scores, **kwargs, seed=12)
    assert not np.array_equal(other.rank_acceptability, acc)


def test_value_draws_are_the_values_smaa_ranks():
    rng = np.random.default_rng(1)
    scores = rng.uniform(0, 10, size=(3, 5, 2))
    draws = value_draws(scores, **SCALE, weights=[0.7, 0.3], draws=500, seed=4)
    assert draws.shape == (500, 5)
    firsts = np.bincount(draws.argmax(axis=1), minlength=5) / 500
    result = smaa(scores, **SCALE, weights=[0.7, 0.3], draws=500, seed=4)
    assert result.rank_acceptability[:, 0] == pytest.approx(firsts)


def test_without_score_uncertainty_the_assessors_mean_is_used():
    scores = np.array([[[10.0, 0.0], [6.0, 0.0]], [[0.0, 0.0], [4.0, 0.0]]])
    # Means: 5 and 5 — a tie. Sampled: project 0 scores 10 or 0, project 1 scores 6 or 4.
    draws = value_draws(scores, **SCALE, weights=[1, 0], draws=400, score_uncertainty=False)
    assert np.allclose(draws, 0.5)
    sampled = value_draws(scores, **SCALE, weights=[1, 0], draws=400)
    assert set(np.round(sampled[:, 0], 6)) == {0.0, 1.0}
    assert set(np.round(sampled[:, 1], 6)) == {0.4, 0.6}


def test_a_high_concentration_keeps_the_weights_close():
    scores = np.array([[[10.0, 0.0], [0.0, 10.0]]])
    result = smaa(scores, **SCALE, weights=[0.6, 0.4], concentration=1e6, draws=500)
    assert result.rank_acceptability[0, 0] == 1.0
    fixed = smaa(scores, **SCALE, weights=[0.6, 0.4], concentration=np.inf, draws=10)
    assert fixed.rank_acceptability[0, 0] == 1.0


def test_smaa_names_what_is_missing():
    scores = np.full((2, 2, 2), 5.0)
    scores[:, 1, 0] = np.nan
    with pytest.raises(InputError) as error:
        smaa(scores, **SCALE, weights=None, draws=10)
    assert (error.value.code, error.value.detail) == (
        "scores_missing",
        {"project": 1, "criterion": 0},
    )
    with pytest.raises(InputError) as error:
        smaa(np.zeros((1, 0, 2)), **SCALE, weights=None)
    assert error.value.code == "no_projects"
    scores = np.full((2, 2, 2), 5.0)
    scores[1, 0, 1] = 12
    with pytest.raises(InputError) as error:
        smaa(scores, **SCALE, weights=None, draws=10)
    assert error.value.code == "scores_range"
    assert error.value.detail["assessor"] == 1


def test_sensitivity_of_a_two_criteria_case_computed_by_hand():
    # Normalised scores (c0, c1): P0 (0.9, 0.2), P1 (0.4, 0.8), P2 (0.3, 0.3); weights 0.5/0.5.
    # Values: P0 0.55, P1 0.60, P2 0.30: P0 is second. With w0 = 0.5 + δ, w1 = 0.5 − δ:
    # V0 = 0.55 + 0.7δ, V1 = 0.60 − 0.4δ, V2 = 0.30. P0 passes P1 at 1.1δ = 0.05, δ = 1/22;
    # lowering w0 (δ < 0), P0 falls under P2 when 0.25 = −0.7δ, δ = −5/14 — within w0 = 0.5.
    x = np.array([[0.9, 0.2], [0.4, 0.8], [0.3, 0.3]])
    result = sensitivity(x, [0.5, 0.5], project=0)
    by_key = {(s.criterion, s.direction): s for s in result}
    assert len(result) == 4
    assert by_key[0, 1].change == pytest.approx(1 / 22)
    assert by_key[0, 1].new_rank == 1
    assert by_key[0, -1].change == pytest.approx(5 / 14)
    assert by_key[0, -1].new_rank == 3
    # Raising w1 is lowering w0 and vice versa.
    assert by_key[1, 1].change == pytest.approx(5 / 14)
    assert by_key[1, -1].change == pytest.approx(1 / 22)


def test_sensitivity_reports_nan_when_the_rank_never_changes():
    x = np.array([[1.0, 1.0], [0.0, 0.0]])
    result = sensitivity(x, [0.5, 0.5], project=0)
    assert all(np.isnan(s.change) and s.new_rank == 1 for s in result)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_sensitivity_matches_the_rank_just_beyond_the_reported_change(seed):
    rng = np.random.default_rng(seed)
    x = rng.random((6, 3))
    w = rng.dirichlet(np.ones(3))
    project = int(rng.integers(6))
    current = 1 + int((x @ w > (x @ w)[project]).sum())
    for s in sensitivity(x, w, project):
        if np.isnan(s.change):
            continue
        j, step = s.criterion, s.direction * (s.change + 1e-7)
        moved = w.copy()
        moved[j] += step
        others = np.arange(3) != j
        moved[others] *= (1 - moved[j]) / (1 - w[j])
        v = x @ moved
        assert 1 + int((v > v[project]).sum()) == s.new_rank != current
        # Just before the change the rank is still the current one.
        before = w.copy()
        before[j] += s.direction * s.change * (1 - 1e-6)
        before[others] *= (1 - before[j]) / (1 - w[j])
        vb = x @ before
        assert 1 + int((vb > vb[project]).sum()) == current
