"""Raking (iterative proportional fitting) to population shares."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from leitbild.numerics.intervals import effective_sample_size
from leitbild.numerics.raking import (
    RakingError,
    RakingNotConvergedError,
    combine_categories,
    rake,
    rake_codes,
)


def weighted_shares(answers, weights):
    totals: dict = {}
    for answer, weight in zip(answers, weights, strict=True):
        if answer is not None:
            totals[answer] = totals.get(answer, 0.0) + weight
    answered = sum(totals.values())
    return {answer: total / answered for answer, total in totals.items()}


def test_one_question_gives_each_group_target_over_sample_share():
    # Young are 3 of 4 respondents but half the population: weight 0.5 / 0.75 = 2/3;
    # old are 1 of 4: weight 0.5 / 0.25 = 2. Mean (3 · 2/3 + 2) / 4 = 1.
    result = rake({"alter": ["jung", "jung", "jung", "alt"]}, {"alter": {"jung": 0.5, "alt": 0.5}})
    assert result.weights == pytest.approx([2 / 3, 2 / 3, 2 / 3, 2.0])
    assert result.weights.mean() == pytest.approx(1.0)
    # Kish: (Σw)² / Σw² = 16 / (3 · 4/9 + 4) = 16 / (16/3) = 3.
    assert result.effective_sample_size == pytest.approx(3.0)


def test_two_independent_questions_are_matched_in_one_sweep():
    # Sample: (jung, A) 2, (jung, B) 2, (alt, A) 1, (alt, B) 1 — age and district independent,
    # so each cell's weight is the product of the two one-question factors:
    # jung 0.5/(4/6) = 0.75, alt 0.5/(2/6) = 1.5, A 0.25/0.5 = 0.5, B 0.75/0.5 = 1.5.
    ages = ["jung", "jung", "jung", "jung", "alt", "alt"]
    districts = ["A", "A", "B", "B", "A", "B"]
    result = rake(
        {"alter": ages, "bezirk": districts},
        {"alter": {"jung": 0.5, "alt": 0.5}, "bezirk": {"A": 0.25, "B": 0.75}},
    )
    assert result.weights == pytest.approx([0.375, 0.375, 1.125, 1.125, 0.75, 2.25])
    assert result.iterations == 1


def test_it_solves_a_dependent_two_by_two_table_as_computed_by_hand():
    # Sample: (jung, A) 3, (jung, B) 1, (alt, A) 1, (alt, B) 3; targets: age 50/50, district
    # A 25 %, B 75 %. Raking keeps the sample's odds ratio, so the cell weights satisfy
    # w_jA · w_aB = w_jB · w_aA, plus the margins 3w_jA + w_jB = 4, w_aA + 3w_aB = 4,
    # 3w_jA + w_aA = 2. With u = w_jA: 3u² − 7u + 3 = 0, so u = (7 − √13) / 6 and
    # w_jB = (1 + √13) / 2, w_aA = (√13 − 3) / 2, w_aB = (11 − √13) / 6.
    ages = ["jung"] * 4 + ["alt"] * 4
    districts = ["A", "A", "A", "B", "A", "B", "B", "B"]
    result = rake(
        {"alter": ages, "bezirk": districts},
        {"alter": {"jung": 0.5, "alt": 0.5}, "bezirk": {"A": 0.25, "B": 0.75}},
        tolerance=1e-12,
    )
    root = math.sqrt(13)
    young_a, young_b = (7 - root) / 6, (1 + root) / 2
    old_a, old_b = (root - 3) / 2, (11 - root) / 6
    expected = [young_a] * 3 + [young_b] + [old_a] + [old_b] * 3
    assert result.weights == pytest.approx(expected, rel=1e-9)
    assert result.iterations > 1
    assert result.max_error <= 1e-12


def test_it_converges_to_the_population_margins():
    rng = np.random.default_rng(7)
    n = 5000
    ages = rng.choice(["18-29", "30-49", "50-64", "65+"], size=n, p=[0.4, 0.3, 0.2, 0.1])
    # District depends on age, so raking needs several sweeps.
    districts = np.where(
        rng.random(n) < np.where(ages == "65+", 0.7, 0.3), "Nord", rng.choice(["Mitte", "Süd"], n)
    )
    targets = {
        "alter": {"18-29": 0.18, "30-49": 0.32, "50-64": 0.27, "65+": 0.23},
        "bezirk": {"Nord": 0.3, "Mitte": 0.45, "Süd": 0.25},
    }
    result = rake({"alter": list(ages), "bezirk": list(districts)}, targets, tolerance=1e-8)
    for question, answers in (("alter", ages), ("bezirk", districts)):
        shares = weighted_shares(answers, result.weights)
        for category, target in targets[question].items():
            assert shares[category] == pytest.approx(target, abs=1e-8)
    assert result.weights.mean() == pytest.approx(1.0)
    assert result.effective_sample_size == pytest.approx(effective_sample_size(result.weights))
    assert result.effective_sample_size < n


def test_respondents_without_an_answer_keep_their_share():
    # One of five skipped the question: they keep weight 1 (share 1/5), the other four share
    # the remaining 4 units by target: jung 2 units over 3 people, alt 2 units over 1.
    result = rake(
        {"alter": ["jung", "jung", "jung", "alt", None]}, {"alter": {"jung": 0.5, "alt": 0.5}}
    )
    assert result.weights == pytest.approx([2 / 3, 2 / 3, 2 / 3, 2.0, 1.0])


def test_a_joint_target_matches_the_cross_classification():
    ages = ["jung", "jung", "alt", "alt", "jung", "alt", None]
    districts = ["A", "B", "A", "B", "A", "A", "B"]
    joint = combine_categories(ages, districts)
    assert joint[:2] == [("jung", "A"), ("jung", "B")]
    assert joint[-1] is None
    targets = {("jung", "A"): 0.1, ("jung", "B"): 0.2, ("alt", "A"): 0.3, ("alt", "B"): 0.4}
    result = rake({"alter × bezirk": joint}, {"alter × bezirk": targets})
    shares = weighted_shares(joint, result.weights)
    for cell, target in targets.items():
        assert shares[cell] == pytest.approx(target)


def test_targets_may_be_rounded_but_must_sum_to_about_one():
    answers = {"alter": ["jung", "alt", "mittel"]}
    rounded = {"alter": {"jung": 0.333, "alt": 0.333, "mittel": 0.333}}
    assert rake(answers, rounded).weights == pytest.approx([1.0, 1.0, 1.0])
    with pytest.raises(RakingError, match="ergeben zusammen 0.9 statt 1"):
        rake(answers, {"alter": {"jung": 0.3, "alt": 0.3, "mittel": 0.3}})


def test_it_refuses_a_target_category_nobody_answered():
    with pytest.raises(RakingError, match="„65\\+“ \\(alter\\).*niemand hat so geantwortet"):
        rake({"alter": ["jung", "jung"]}, {"alter": {"jung": 0.8, "65+": 0.2}})


def test_it_refuses_answers_without_a_target():
    with pytest.raises(RakingError, match="Für die Antwort „divers“ auf „alter“ fehlt"):
        rake({"alter": ["jung", "divers"]}, {"alter": {"jung": 1.0}})


def test_a_raking_error_is_translated_by_the_caller():
    english = {
        "Für die Antwort „%(answer)s“ auf „%(question)s“ fehlt ein Zielanteil.": (
            "The answer “%(answer)s” to “%(question)s” has no target share."
        )
    }
    with pytest.raises(RakingError) as caught:
        rake({"alter": ["jung", "divers"]}, {"alter": {"jung": 1.0}})
    assert caught.value.translate(lambda m: english.get(m, m)) == (
        "The answer “divers” to “alter” has no target share."
    )


def test_it_refuses_a_zero_target_for_a_category_with_answers():
    with pytest.raises(RakingError, match="Zielanteil 0"):
        rake({"alter": ["jung", "alt"]}, {"alter": {"jung": 1.0, "alt": 0.0}})


def test_it_refuses_inconsistent_input():
    with pytest.raises(RakingError):
        rake({"alter": ["jung"]}, {"bezirk": {"A": 1.0}})
    with pytest.raises(RakingError):
        rake_codes({"a": [0, 1], "b": [0]}, {"a": [0.5, 0.5], "b": [1.0]})
    with pytest.raises(RakingError):
        rake_codes({"a": [0, 2]}, {"a": [0.5, 0.5]})
    with pytest.raises(RakingError):
        rake_codes({"a": [0, 1]}, {"a": [1.5, -0.5]})
    with pytest.raises(RakingError):
        rake_codes({"a": [-1, -1]}, {"a": [0.5, 0.5]})
    with pytest.raises(RakingError):
        rake_codes({"a": []}, {"a": [1.0]})
    with pytest.raises(RakingError):
        rake_codes({}, {})


def test_it_reports_targets_that_contradict_the_sample():
    # Everyone young lives in A and everyone old in B, so age and district cannot have
    # different shares; raking cannot converge.
    with pytest.raises(RakingNotConvergedError) as caught:
        rake(
            {"alter": ["jung", "jung", "alt"], "bezirk": ["A", "A", "B"]},
            {"alter": {"jung": 0.5, "alt": 0.5}, "bezirk": {"A": 0.9, "B": 0.1}},
            max_iterations=50,
        )
    assert caught.value.result.iterations == 50
    assert caught.value.result.max_error > 0.1


@st.composite
def samples(draw):
    """Answers to two questions where every combination occurs, so any targets are reachable."""
    ages, districts = draw(st.integers(2, 4)), draw(st.integers(2, 4))
    extra = draw(
        st.lists(st.tuples(st.integers(0, ages - 1), st.integers(0, districts - 1)), max_size=40)
    )
    base = [(a, d) for a in range(ages) for d in range(districts)]
    # Only the extra respondents may skip the age question, so every combination stays.
    skipped = draw(st.lists(st.booleans(), min_size=len(extra), max_size=len(extra)))
    age_codes = [a for a, _ in base] + [
        -1 if skip else a for (a, _), skip in zip(extra, skipped, strict=True)
    ]
    district_codes = [d for _, d in base + extra]

    def shares(k):
        raw = draw(st.lists(st.floats(0.05, 1.0), min_size=k, max_size=k))
        return np.asarray(raw) / sum(raw)

    return age_codes, district_codes, shares(ages), shares(districts)


@settings(max_examples=60, deadline=None)
@given(sample=samples())
def test_raked_margins_match_their_targets(sample):
    age_codes, district_codes, age_targets, district_targets = sample
    # Feasible if the skippers' fixed share fits into the districts they live in.
    skipped_share = age_codes.count(-1) / len(age_codes)
    skipper_districts = {d for a, d in zip(age_codes, district_codes, strict=True) if a == -1}
    assume(skipped_share < sum(district_targets[d] for d in skipper_districts) or not skipped_share)
    result = rake_codes(
        {"alter": age_codes, "bezirk": district_codes},
        {"alter": age_targets, "bezirk": district_targets},
        tolerance=1e-7,
        max_iterations=2000,
    )
    for codes, targets in ((age_codes, age_targets), (district_codes, district_targets)):
        codes = np.asarray(codes)
        answered = codes >= 0
        totals = np.bincount(
            codes[answered], weights=result.weights[answered], minlength=len(targets)
        )
        assert totals / totals.sum() == pytest.approx(targets, abs=1e-6)
    assert np.all(result.weights > 0)
    assert result.weights.mean() == pytest.approx(1.0)
