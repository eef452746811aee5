"""Results against values computed by hand for a tiny data set."""

import math

import pytest

from leitbild.consultation import selectors, services

Z = 1.959963984540054  # 97.5 % quantile of the standard normal distribution
T3 = 3.182446305284263  # 97.5 % quantile of Student's t with 3 degrees of freedom


def wilson(p: float, n: float) -> tuple[float, float]:
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return centre - half, centre + half


@pytest.fixture
def tiny(make_phase, fields, cast, demographics):
    """Four pick-1-of-2 ballots: three young (A, A, B), one old (B); population 50:50."""
    phase = make_phase()
    weighting = services.weighting_configure(
        actor=None,
        phase=phase,
        fields=fields[:2],
        mode="open",
        method="pick",
        pick_k=1,
        minimum_group_size=2,
    )
    question = demographics(phase, labels=("jung", "alt"))
    a, b = fields[0].pk, fields[1].pk
    for choice, age in ((a, "jung"), (a, "jung"), (b, "jung"), (b, "alt")):
        cast(weighting, [choice], {"alter": age})
    services.population_target_save(
        actor=None,
        phase=phase,
        question=question,
        second_question=None,
        shares={"jung": 0.5, "alt": 0.5},
    )
    return weighting


def test_unweighted_shares_and_wilson_intervals(tiny, fields):
    results = selectors.weighting_results(weighting=tiny)
    share_a = results.unweighted[0].estimate
    assert results.n == 4
    assert share_a.value == pytest.approx(0.5)
    assert (share_a.low, share_a.high) == pytest.approx(wilson(0.5, 4))
    assert share_a.n == 4 and share_a.n_effective == 4


def test_raking_weights_young_down_and_old_up(tiny):
    # Young: 3 ballots must weigh 2 → 2/3 each; old: 1 ballot must weigh 2 → 2.
    results = selectors.weighting_results(weighting=tiny, weighted=True)
    assert sorted(results.raking.weights.tolist()) == pytest.approx([2 / 3, 2 / 3, 2 / 3, 2])
    n_eff = 16 / (3 * 4 / 9 + 4)  # (Σw)² / Σw² = 3
    assert results.raking.n_effective == pytest.approx(n_eff)
    share_a, share_b = (r.estimate for r in results.weighted_results)
    assert share_a.value == pytest.approx(1 / 3)
    assert share_b.value == pytest.approx(2 / 3)
    assert (share_a.low, share_a.high) == pytest.approx(wilson(1 / 3, n_eff))
    assert results.main == results.weighted_results


def test_a_breakdown_with_one_small_group_hides_both(tiny):
    results = selectors.weighting_results(weighting=tiny, by="alter")
    groups = results.breakdowns[0].groups
    assert [(g.label, g.suppressed) for g in groups] == [("jung", True), ("alt", True)]


def test_mean_points_with_a_t_interval(make_phase, fields, cast):
    phase = make_phase()
    weighting = services.weighting_configure(
        actor=None,
        phase=phase,
        fields=fields[:2],
        mode="open",
        method="points",
        points_total=10,
        minimum_group_size=2,
    )
    a, b = fields[0].pk, fields[1].pk
    for ballot in ({a: 10}, {b: 10}, {a: 4, b: 6}, {a: 6, b: 4}):
        cast(weighting, ballot)
    estimate = selectors.weighting_results(weighting=weighting).unweighted[0].estimate
    half = T3 * math.sqrt((25 + 25 + 1 + 1) / 3 / 4)
    assert estimate.value == pytest.approx(5)
    assert (estimate.low, estimate.high) == pytest.approx((5 - half, 5 + half))


def test_a_combined_target_rakes_on_the_pairs(make_phase, fields, cast, demographics):
    phase = make_phase()
    weighting = services.weighting_configure(
        actor=None,
        phase=phase,
        fields=fields[:2],
        mode="open",
        method="pick",
        pick_k=1,
        minimum_group_size=2,
    )
    age = demographics(phase, labels=("jung", "alt"))
    place = demographics(phase, key="ort", text="Ort?", labels=("nord", "sued"))
    cells = [("jung", "nord")] * 4 + [
        ("jung", "sued"),
        ("alt", "nord"),
        ("alt", "sued"),
        ("alt", "sued"),
    ]
    for i, (a, p) in enumerate(cells):
        cast(weighting, [fields[i % 2].pk], {"alter": a, "ort": p})
    services.population_target_save(
        actor=None,
        phase=phase,
        question=age,
        second_question=place,
        shares={"jung|nord": 0.25, "jung|sued": 0.25, "alt|nord": 0.25, "alt|sued": 0.25},
    )
    results = selectors.weighting_results(weighting=weighting, weighted=True)
    # Each cell must weigh 8/4 = 2 in total.
    weights = results.raking.weights
    vectors = selectors.ballot_vectors(weighting, 4)
    for a in (0, 1):
        for p in (0, 1):
            member = (vectors[:, 2] == a) & (vectors[:, 3] == p)
            assert weights[member].sum() == pytest.approx(2.0)


def test_an_impossible_target_is_reported_not_hidden(tiny, fields):
    from leitbild.consultation.models import PopulationTarget

    PopulationTarget.objects.update(shares={"jung": 0.0, "alt": 1.0})
    results = selectors.weighting_results(weighting=tiny, weighted=True)
    assert not results.weighted and results.raking.error
    assert results.main == results.unweighted


def test_targets_must_add_up_to_one_hundred_percent(tiny):
    from django.core.exceptions import ValidationError

    from leitbild.consultation.models import DemographicQuestion

    question = DemographicQuestion.objects.get()
    with pytest.raises(ValidationError, match="statt 100"):
        services.population_target_save(
            actor=None,
            phase=tiny.phase,
            question=question,
            second_question=None,
            shares={"jung": 0.5, "alt": 0.3},
        )
