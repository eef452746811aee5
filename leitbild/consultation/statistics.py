"""Aggregation of ballots: shares, means, intervals, breakdowns by group.

Plain functions over NumPy arrays that never touch the ORM; the general numerics they use
(intervals, Kish's effective sample size, raking, small-group suppression) live in
:mod:`leitbild.numerics`. Selectors load the ballots (ideally straight into the matrices
described at :func:`ballot_matrix`) and call these. The rules are in
:mod:`leitbild.consultation.ballots`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from leitbild.consultation.ballots import (
    BallotRules,
    PickRules,
    PointsRules,
    RankRules,
    RateRules,
)
from leitbild.numerics.intervals import (
    DEFAULT_CONFIDENCE,
    Estimate,
    FloatArray,
    check_weights,
    effective_sample_size,
    mean_estimate,
    wilson_intervals,
)
from leitbild.numerics.suppression import DEFAULT_MINIMUM_GROUP_SIZE, suppress_with_complement

# --------------------------------------------------------------------------------------------
# Ballot aggregation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldResult:
    """The result for one field, whatever the method.

    ``estimate`` is the share of ballots choosing the field (pick), mean points (points), mean
    place (rank; lower is better) or mean rating (rate). ``top_share`` is the share ranking it
    first (rank only); ``distribution`` holds the share of each rating from low to high among
    those who rated the field (rate only). ``n`` is the number of ballots counted for it.
    ``estimate`` is None only for an optional rating that nobody (or, in a breakdown, fewer
    than the minimum) gave.
    """

    field: Hashable
    estimate: Estimate | None
    n: int
    top_share: Estimate | None = None
    distribution: tuple[Estimate, ...] | None = None


def ballot_matrix(rules: BallotRules, ballots: Iterable[object]) -> NDArray[np.generic]:
    """Ballots as one NumPy matrix, one row per ballot and one column per field.

    pick: bool (chosen); points: points; rank: place, 0 = unranked; rate: rating, 0 = unrated.
    The matrix is what the vectorised :func:`aggregate` works on; selectors for a million
    ballots should build it directly from the database rather than from Python objects.
    Ballots must have passed :func:`validate_ballot`; a field outside the rules raises
    ``ValueError``.
    """
    index = {key: column for column, key in enumerate(rules.fields)}
    rows: list[list[int]] = []
    width = len(rules.fields)
    try:
        for ballot in ballots:
            row = [0] * width
            if isinstance(rules, PickRules):
                for key in ballot:  # type: ignore[attr-defined]
                    row[index[key]] = 1
            else:
                for key, value in ballot.items():  # type: ignore[attr-defined]
                    row[index[key]] = int(value)
            rows.append(row)
    except KeyError as error:
        raise ValueError(f"unknown field {error.args[0]!r}") from None
    dtype = {"pick": np.bool_, "points": np.int32, "rank": np.int16, "rate": np.int16}
    return np.asarray(rows, dtype=dtype[rules.method]).reshape(len(rows), width)


def aggregate_ballots(
    rules: BallotRules,
    ballots: Iterable[object],
    *,
    weights: ArrayLike | None = None,
    confidence: float = DEFAULT_CONFIDENCE,
) -> list[FieldResult]:
    """Results per field from plain ballots (lists, sets and dicts); see :func:`aggregate`."""
    return aggregate(rules, ballot_matrix(rules, ballots), weights=weights, confidence=confidence)


def aggregate(
    rules: BallotRules,
    matrix: ArrayLike,
    *,
    weights: ArrayLike | None = None,
    confidence: float = DEFAULT_CONFIDENCE,
) -> list[FieldResult]:
    """Results per field, in the order of ``rules.fields``, from a ballot matrix.

    With ``weights`` (one per ballot, e.g. from :func:`leitbild.numerics.raking.rake`) every
    estimate is weighted and its interval uses the effective sample size. Vectorised: a million
    pick-3-of-10 ballots take a few tens of milliseconds.
    """
    x = np.asarray(matrix)
    if x.ndim != 2 or x.shape[1] != len(rules.fields):
        raise ValueError(f"expected a matrix with {len(rules.fields)} columns, got {x.shape}")
    if x.shape[0] == 0:
        raise ValueError("no ballots to aggregate")
    w = None if weights is None else check_weights(weights, x.shape[0])
    if w is not None and float(w.sum()) <= 0.0:
        raise ValueError("weights must not all be zero")
    if isinstance(rules, PickRules):
        return _aggregate_pick(rules, x, w, confidence)
    if isinstance(rules, PointsRules):
        return [
            FieldResult(
                key,
                mean_estimate(x[:, j].astype(np.float64), w, confidence=confidence),
                int(x.shape[0]),
            )
            for j, key in enumerate(rules.fields)
        ]
    if isinstance(rules, RankRules):
        return _aggregate_rank(rules, x, w, confidence)
    return _aggregate_rate(rules, x, w, confidence)


def _column_totals(x: NDArray[np.generic], w: FloatArray | None) -> FloatArray:
    """Column sums, weighted if ``w`` is given.

    ``einsum`` rather than ``w @ x``: it needs no float copy of a boolean matrix and no BLAS
    start-up, which made the first weighted call on a million ballots six times slower.
    """
    if w is None:
        return x.sum(axis=0, dtype=np.float64)
    # NumPy's stubs type einsum for one common dtype only, hence the ignore.
    return np.einsum("i,ij->j", w, x, dtype=np.float64)  # type: ignore[arg-type]


def _aggregate_pick(
    rules: PickRules, x: NDArray[np.generic], w: FloatArray | None, confidence: float
) -> list[FieldResult]:
    n = int(x.shape[0])
    chosen = x if x.dtype == np.bool_ else x != 0
    counts = _column_totals(chosen, w)
    total = float(n) if w is None else float(w.sum())
    n_eff = float(n) if w is None else effective_sample_size(w)
    estimates = wilson_intervals(counts, n, n_eff, total, confidence=confidence)
    return [
        FieldResult(key, estimate, n) for key, estimate in zip(rules.fields, estimates, strict=True)
    ]


def _aggregate_rank(
    rules: RankRules, x: NDArray[np.generic], w: FloatArray | None, confidence: float
) -> list[FieldResult]:
    """Mean place, with unranked fields sharing the places after the ranked ones.

    With top-k ranking a field left out is below the k chosen ones but its exact place is
    unknown, so it gets the mean of places k+1 … N. Mean places stay comparable across fields
    and with the full ranking.
    """
    n = int(x.shape[0])
    unranked_place = (rules.places + 1 + len(rules.fields)) / 2.0
    firsts = _column_totals(x == 1, w)
    total = float(n) if w is None else float(w.sum())
    n_eff = float(n) if w is None else effective_sample_size(w)
    top = wilson_intervals(firsts, n, n_eff, total, confidence=confidence)
    results = []
    for j, key in enumerate(rules.fields):
        column = x[:, j].astype(np.float64)
        column[column == 0] = unranked_place
        results.append(
            FieldResult(key, mean_estimate(column, w, confidence=confidence), n, top_share=top[j])
        )
    return results


def _aggregate_rate(
    rules: RateRules, x: NDArray[np.generic], w: FloatArray | None, confidence: float
) -> list[FieldResult]:
    """Mean rating and distribution per field, among the ballots that rated the field."""
    scale = np.arange(rules.low, rules.high + 1)
    results = []
    for j, key in enumerate(rules.fields):
        column = x[:, j]
        rated = column != 0
        values = column[rated]
        n = int(values.shape[0])
        weights = None if w is None else w[rated]
        if n == 0 or (weights is not None and float(weights.sum()) <= 0.0):
            results.append(FieldResult(key, None, n))
            continue
        if weights is None:
            counts = np.bincount(values - rules.low, minlength=scale.shape[0])
            total, n_eff = float(n), float(n)
        else:
            counts = np.bincount(values - rules.low, weights=weights, minlength=scale.shape[0])
            total, n_eff = float(weights.sum()), effective_sample_size(weights)
        distribution = wilson_intervals(
            counts[: scale.shape[0]].astype(np.float64), n, n_eff, total, confidence=confidence
        )
        mean = mean_estimate(values.astype(np.float64), weights, confidence=confidence)
        results.append(FieldResult(key, mean, n, distribution=tuple(distribution)))
    return results


def _hide_few_raters(fields: list[FieldResult], minimum: int) -> list[FieldResult]:
    """Hide optional ratings given by fewer than ``minimum`` people of a shown group.

    Pick, points and rank count every ballot of the group, but an optional rating is given by
    a subset, and a mean of two ratings in a small district would be as revealing as the
    group itself. The number of raters stays: it tells nobody what they rated.
    """
    return [
        FieldResult(result.field, None, result.n)
        if result.estimate is not None and 0 < result.n < minimum
        else result
        for result in fields
    ]


@dataclass(frozen=True, slots=True)
class GroupResult:
    """One group of a breakdown; suppressed groups show neither their size nor results."""

    label: Hashable | None
    n: int | None
    suppressed: bool
    fields: list[FieldResult] | None = None


def breakdown(
    rules: BallotRules,
    matrix: ArrayLike,
    groups: ArrayLike,
    categories: Sequence[Hashable],
    *,
    weights: ArrayLike | None = None,
    minimum: int = DEFAULT_MINIMUM_GROUP_SIZE,
    confidence: float = DEFAULT_CONFIDENCE,
) -> list[GroupResult]:
    """Results per answer to one demographic question, with small groups suppressed.

    ``groups`` holds one code per ballot (index into ``categories``, −1 for no answer; see
    :func:`leitbild.numerics.raking.encode_categories`). The result lists the categories in
    order, then "no answer" (label None) if anyone skipped the question. Groups below
    ``minimum`` are suppressed, and since the total number of ballots is published, one more
    group when only one is small (:func:`leitbild.numerics.suppression.suppress_with_complement`).
    With ``weights`` the group results are weighted with the overall weights (raked to the
    whole sample), as usual for domain estimates. Optional ratings given by fewer than
    ``minimum`` people of a shown group are hidden as well.

    The ballots are sorted by group once so that each group is a contiguous slice; this keeps
    a million ballots with a dozen groups well under a second.
    """
    x = np.asarray(matrix)
    codes = np.asarray(groups, dtype=np.intp)
    if codes.shape != (x.shape[0],):
        raise ValueError("need one group code per ballot")
    if codes.size and (codes.min() < -1 or codes.max() >= len(categories)):
        raise ValueError("group codes must index categories (or be -1)")
    w = None if weights is None else check_weights(weights, x.shape[0])
    sizes = np.bincount(codes + 1, minlength=len(categories) + 1)
    labels: list[Hashable | None] = [*categories, None]
    counts: dict[int, int] = {
        position: int(sizes[position + 1]) for position in range(len(categories))
    }
    if sizes[0]:
        counts[len(categories)] = int(sizes[0])
    hidden = suppress_with_complement(counts, minimum=minimum)
    starts = np.concatenate(([0], np.cumsum(sizes)))
    if any(position not in hidden and count > 0 for position, count in counts.items()):
        # Small integer codes let NumPy use a radix sort (several times faster than int64).
        small = codes.astype(np.int16) if len(categories) < 32_000 else codes
        order = np.argsort(small, kind="stable")
        x_sorted = x.take(order, axis=0)
        w_sorted = None if w is None else w.take(order)
    else:
        x_sorted, w_sorted = x, w
    results = []
    for position, count in counts.items():
        label = labels[position]
        if position in hidden:
            results.append(GroupResult(label, None, True))
            continue
        if count == 0:
            results.append(GroupResult(label, 0, False))
            continue
        # Slot 0 of ``sizes`` is "no answer" (code −1), which sorts first.
        slot = 0 if position == len(categories) else position + 1
        part = slice(int(starts[slot]), int(starts[slot + 1]))
        group_weights = None if w_sorted is None else w_sorted[part]
        if group_weights is not None and float(group_weights.sum()) <= 0.0:
            results.append(GroupResult(label, count, False))
            continue
        fields = aggregate(rules, x_sorted[part], weights=group_weights, confidence=confidence)
        results.append(GroupResult(label, count, False, _hide_few_raters(fields, minimum)))
    return results


# --------------------------------------------------------------------------------------------
# What a sample supports
# --------------------------------------------------------------------------------------------

# Only participation codes sent to residents drawn at random (from the population register)
# make a random sample. Whoever takes part openly, with an e-mail address or an account has
# chosen to: confidence intervals would claim a precision about the population that such a
# sample does not have, and weighting to the population cannot repair who chose to come.
RANDOM_SAMPLE_MODES = frozenset({"codes"})


def sample_supports_inference(mode: str) -> bool:
    """Whether results of a weighting or survey in participation ``mode`` may be shown with
    95 % confidence intervals and weighted to the population (raking): only for a random
    sample. Every other mode shows plain counts and shares of those who took part."""
    return mode in RANDOM_SAMPLE_MODES
