"""Multi-criteria ranking of projects: AHP weights, weighted sums, SMAA, weight sensitivity.

* AHP (Saaty 1980, *The Analytic Hierarchy Process*; Saaty 1990, "How to make a decision",
  EJOR 48, 9–26): weights are the principal eigenvector of a pairwise comparison matrix, with
  Saaty's consistency ratio.
* SMAA-2 (Lahdelma & Salminen 2001, "SMAA-2: Stochastic multicriteria acceptability analysis
  for group decision making", Operations Research 49(3), 444–454): rank acceptabilities, central
  weights, by Monte Carlo over weights (Dirichlet around the given weights, or uniform on the
  simplex when there are none) and over the assessors' scores.
* One-at-a-time weight sensitivity with proportional rescaling of the other weights, solved
  exactly from the crossing points of linear functions.

Model-free: NumPy arrays in, NumPy arrays out. Bad input raises :class:`InputError` with a
machine ``code`` and a ``detail`` dict; the English message is for logs, the Django side shows a
translated text chosen by the code.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import rankdata

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]

# Saaty's random consistency indices RI(n) (Saaty 1980, p. 21; n = 11..15 from Saaty 1990 and
# later editions). Index = n.
RANDOM_INDEX = (0.0, 0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)
RANDOM_INDEX_LARGE = {11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59}
AHP_MAX_SIZE = 15
CONSISTENCY_LIMIT = 0.10
_SCALE_TOLERANCE = 1e-9
_RECIPROCAL_TOLERANCE = 1e-6


class InputError(ValueError):
    """Input the numerics cannot work with.

    ``code`` is stable and machine-readable (e.g. ``"ahp_missing"``); ``detail`` says where
    (e.g. ``{"row": 1, "col": 2}``) so a form can show a translated message at the right field.
    """

    def __init__(self, code: str, message: str, detail: Mapping[str, object] | None = None):
        self.code = code
        self.detail: dict[str, object] = dict(detail or {})
        super().__init__(message)


# --- AHP -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AhpResult:
    """Weights from a pairwise comparison matrix and how consistent the judgements are."""

    weights: FloatArray
    lambda_max: float
    consistency_index: float
    consistency_ratio: float
    inconsistent: bool


def random_index(n: int) -> float:
    """Saaty's random index RI(n): the mean CI of random reciprocal matrices of size n."""
    if n < len(RANDOM_INDEX):
        return RANDOM_INDEX[n]
    return RANDOM_INDEX_LARGE[n]


def ahp_from_upper(upper: Mapping[tuple[int, int], float], n: int) -> FloatArray:
    """The full reciprocal matrix from the judgements above the diagonal.

    ``upper[(i, j)]`` with ``i < j`` says how much more important i is than j on Saaty's
    1/9..9 scale; a key ``(j, i)`` is read as the reciprocal judgement. Every pair must be
    given once: a missing pair raises code ``"ahp_missing"`` (detail row/col).
    """
    if n < 1:
        raise InputError("ahp_size", "An AHP matrix needs at least one criterion.", {"n": n})
    matrix = np.full((n, n), np.nan)
    np.fill_diagonal(matrix, 1.0)
    for (i, j), value in upper.items():
        if not (0 <= i < n and 0 <= j < n) or i == j:
            raise InputError(
                "ahp_index", f"No pair ({i}, {j}) in a {n}×{n} matrix.", {"row": i, "col": j}
            )
        row, col = (i, j) if i < j else (j, i)
        value = _check_judgement(value, row=i, col=j)
        if i > j:
            value = 1.0 / value
        if not np.isnan(matrix[row, col]) and not np.isclose(matrix[row, col], value):
            raise InputError(
                "ahp_not_reciprocal",
                f"Pair ({row}, {col}) is given twice with different values.",
                {"row": row, "col": col},
            )
        matrix[row, col] = value
        matrix[col, row] = 1.0 / value
    missing = np.argwhere(np.isnan(matrix))
    if missing.size:
        row, col = sorted(tuple(int(x) for x in pair) for pair in missing)[0]
        row, col = min(row, col), max(row, col)
        raise InputError(
            "ahp_missing",
            f"The comparison of {row} with {col} is missing.",
            {"row": row, "col": col},
        )
    return matrix


def _check_judgement(value: float, *, row: int, col: int) -> float:
    value = float(value)
    if np.isnan(value):
        raise InputError(
            "ahp_missing",
            f"The comparison of {row} with {col} is missing.",
            {"row": row, "col": col},
        )
    if value <= 0:
        raise InputError(
            "ahp_zero",
            f"The comparison of {row} with {col} must be positive, not {value}.",
            {"row": row, "col": col},
        )
    if not (1 / 9 - _SCALE_TOLERANCE <= value <= 9 + _SCALE_TOLERANCE):
        raise InputError(
            "ahp_scale",
            f"The comparison of {row} with {col} is {value}, outside Saaty's scale 1/9..9.",
            {"row": row, "col": col},
        )
    return value


def ahp_weights(matrix: ArrayLike) -> AhpResult:
    """AHP weights: the principal (Perron) eigenvector, normalised to sum 1 (Saaty 1980).

    ``matrix[i, j]`` says how much more important criterion i is than j (1/9..9), with
    ``matrix[j, i] = 1 / matrix[i, j]`` and ones on the diagonal. CI = (λmax − n) / (n − 1),
    CR = CI / RI(n) with Saaty's random indices (CR = 0 for n ≤ 2); CR > 0.10 is flagged as
    inconsistent. At most 15 criteria (the largest n with a published RI).
    """
    a = np.asarray(matrix, dtype=float)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise InputError("ahp_shape", f"An AHP matrix must be square, not {a.shape}.")
    n = a.shape[0]
    if n < 1 or n > AHP_MAX_SIZE:
        raise InputError("ahp_size", f"AHP needs 1 to {AHP_MAX_SIZE} criteria, not {n}.", {"n": n})
    for i in range(n):
        if not np.isclose(a[i, i], 1.0):
            raise InputError(
                "ahp_diagonal",
                f"Diagonal entry {i} must be 1, not {a[i, i]}.",
                {"row": i, "col": i},
            )
        for j in range(n):
            if i != j:
                _check_judgement(a[i, j], row=i, col=j)
    for i in range(n):
        for j in range(i + 1, n):
            if abs(a[i, j] * a[j, i] - 1.0) > _RECIPROCAL_TOLERANCE:
                raise InputError(
                    "ahp_not_reciprocal",
                    f"Entry ({j}, {i}) must be 1 / entry ({i}, {j}).",
                    {"row": j, "col": i},
                )
    eigenvalues, eigenvectors = np.linalg.eig(a)
    k = int(np.argmax(eigenvalues.real))
    lambda_max = float(eigenvalues[k].real)
    vector = np.abs(eigenvectors[:, k].real)
    weights = vector / vector.sum()
    if n <= 2:
        ci, cr = 0.0, 0.0
    else:
        ci = max(0.0, (lambda_max - n) / (n - 1))
        cr = ci / random_index(n)
    return AhpResult(
        weights=weights,
        lambda_max=lambda_max,
        consistency_index=ci,
        consistency_ratio=cr,
        inconsistent=cr > CONSISTENCY_LIMIT,
    )


# --- Weights, normalisation, weighted sums ---------------------------------------------------


def check_weights(weights: ArrayLike) -> FloatArray:
    """Criterion weights as fractions: non-negative, summing to 1 (within 1e-6).

    Percentages summing to 100 (within 1e-4) are accepted and returned as fractions.
    """
    w = np.asarray(weights, dtype=float)
    if w.ndim != 1 or w.size == 0:
        raise InputError("weights_shape", "Weights must be a non-empty list of numbers.")
    bad = np.flatnonzero(~np.isfinite(w))
    if bad.size:
        raise InputError(
            "weights_missing", f"Weight {bad[0]} is missing.", {"criterion": int(bad[0])}
        )
    negative = np.flatnonzero(w < 0)
    if negative.size:
        j = int(negative[0])
        raise InputError("weights_negative", f"Weight {j} is negative.", {"criterion": j})
    total = float(w.sum())
    if abs(total - 1.0) <= 1e-6:
        return w
    if abs(total - 100.0) <= 1e-4:
        return w / 100.0
    raise InputError(
        "weights_sum", f"Weights must sum to 1 (or 100 %), not {total:g}.", {"sum": total}
    )


def normalise(
    values: ArrayLike, *, lower: ArrayLike, upper: ArrayLike, benefit: ArrayLike
) -> FloatArray:
    """Scores mapped linearly to [0, 1] on each criterion's scale ``lower..upper``.

    ``values`` has shape ``(..., n_projects, n_criteria)``; NaN (not scored) stays NaN.
    A cost criterion (``benefit[j]`` False) is reversed: ``1 − x``, so 1 is always best.
    A score outside its scale raises code ``"scores_range"``.
    """
    x = np.asarray(values, dtype=float)
    if x.ndim < 2:
        raise InputError("scores_shape", "Scores need a projects × criteria table.")
    n_criteria = x.shape[-1]
    lo, hi, ben = _scale(lower, upper, benefit, n_criteria)
    span = hi - lo
    out = (x - lo) / span
    tolerance = 1e-9
    outside = np.argwhere((out < -tolerance) | (out > 1 + tolerance))
    if outside.size:
        index = tuple(int(i) for i in outside[0])
        raise InputError(
            "scores_range",
            f"Score {x[index]:g} of project {index[-2]} on criterion {index[-1]} is outside "
            f"its scale {lo[index[-1]]:g}..{hi[index[-1]]:g}.",
            {"project": index[-2], "criterion": index[-1], "index": list(index)},
        )
    np.clip(out, 0.0, 1.0, out=out)
    return np.where(ben, out, 1.0 - out)


def _scale(
    lower: ArrayLike, upper: ArrayLike, benefit: ArrayLike, n_criteria: int
) -> tuple[FloatArray, FloatArray, BoolArray]:
    lo = np.asarray(lower, dtype=float)
    hi = np.asarray(upper, dtype=float)
    ben = np.asarray(benefit, dtype=bool)
    for name, array in (("lower", lo), ("upper", hi), ("benefit", ben)):
        if array.shape != (n_criteria,):
            raise InputError(
                "scale_shape",
                f"{name} needs one entry per criterion ({n_criteria}), not shape {array.shape}.",
                {"name": name},
            )
    invalid = np.flatnonzero(~(np.isfinite(lo) & np.isfinite(hi) & (hi > lo)))
    if invalid.size:
        j = int(invalid[0])
        raise InputError(
            "scale_invalid", f"Criterion {j} needs a scale with lower < upper.", {"criterion": j}
        )
    return lo, hi, ben


def weighted_values(normalised: ArrayLike, weights: ArrayLike) -> FloatArray:
    """The additive value Σ_j w_j x_ij of each project (shape ``normalised.shape[:-1]``)."""
    x = np.asarray(normalised, dtype=float)
    w = np.asarray(weights, dtype=float)
    if w.shape[-1] != x.shape[-1]:
        raise InputError("weights_shape", f"{x.shape[-1]} criteria but {w.shape[-1]} weights.", {})
    return x @ w


def ranks(values: ArrayLike) -> FloatArray:
    """Ranks along the last axis, 1 = highest value; tied projects share their average rank.

    Deterministic (two projects tied for first both get 1.5). :func:`smaa` instead breaks
    ties at random in each draw, so that the rank acceptabilities of each draw sum to one.
    """
    v = np.asarray(values, dtype=float)
    if np.isnan(v).any():
        raise InputError("values_missing", "A project has no value to rank by.")
    return np.asarray(rankdata(-v, method="average", axis=-1), dtype=float)


# --- SMAA ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SmaaResult:
    """SMAA-2 descriptive measures.

    ``rank_acceptability[i, r]`` is the share of draws in which project i has rank r + 1;
    ``rank_interval`` the 5 % and 95 % quantiles of its rank; ``central_weights[i]`` the mean
    weights of the draws that put i first (NaN if it never was). ``robust[i]``: the 90 % rank
    interval is at most ``robust_width`` ranks wide — with the default 0, one rank holds in
    more than 90 % of the draws.
    """

    rank_acceptability: FloatArray
    top_k: FloatArray
    rank_interval: IntArray
    expected_rank: FloatArray
    central_weights: FloatArray
    robust: BoolArray
    draws: int
    k: int = 5
    robust_width: int = 0


@dataclass(frozen=True)
class _Sampler:
    """Normalised scores prepared once for drawing: which assessors' scores to pick from."""

    fixed: FloatArray | None  # (P, C) when scores are not sampled
    table: FloatArray  # (P·C·A,) normalised scores per cell, scored assessors first
    base: NDArray[np.int64]  # (P, C) offset of each cell in table
    count: NDArray[np.uint32]  # (P, C) number of distinct choices per cell
    alpha: FloatArray | None  # Dirichlet parameters of the positive weights, None = uniform
    positive: IntArray  # criteria with a positive weight
    fixed_weights: FloatArray  # the positive weights themselves
    n_projects: int
    n_criteria: int


def _prepare(
    scores: ArrayLike,
    *,
    lower: ArrayLike,
    upper: ArrayLike,
    benefit: ArrayLike,
    weights: ArrayLike | None,
    concentration: float,
    score_uncertainty: bool,
) -> _Sampler:
    s = np.asarray(scores, dtype=float)
    if s.ndim == 2:
        s = s[np.newaxis]
    if s.ndim != 3:
        raise InputError(
            "scores_shape", "Scores need the shape assessors × projects × criteria.", {}
        )
    n_assessors, n_projects, n_criteria = s.shape
    if n_projects == 0:
        raise InputError("no_projects", "There are no projects to rank.")
    if n_criteria == 0:
        raise InputError("no_criteria", "There are no criteria to rank by.")
    if n_assessors == 0:
        raise InputError("no_assessors", "There are no scores.")
    try:
        norm = normalise(s, lower=lower, upper=upper, benefit=benefit)
    except InputError as error:
        if error.code == "scores_range":
            error.detail["assessor"] = error.detail["index"][0]  # type: ignore[index]
        raise
    valid = ~np.isnan(norm)
    count = valid.sum(axis=0)
    unscored = np.argwhere(count == 0)
    if unscored.size:
        p, c = (int(x) for x in unscored[0])
        raise InputError(
            "scores_missing",
            f"No assessor scored project {p} on criterion {c}.",
            {"project": p, "criterion": c},
        )
    if weights is None:
        alpha = None
        positive = np.arange(n_criteria)
        fixed_weights = np.full(n_criteria, 1.0 / n_criteria)
    else:
        w = check_weights(weights)
        if w.size != n_criteria:
            raise InputError("weights_shape", f"{n_criteria} criteria but {w.size} weights.", {})
        if not concentration > 0:
            raise InputError(
                "concentration", "The concentration must be positive.", {"value": concentration}
            )
        positive = np.flatnonzero(w > 0)
        fixed_weights = w[positive]
        alpha = concentration * fixed_weights
    # A cell whose assessors all agree has one choice: nothing to draw.
    with np.errstate(all="ignore"):
        agree = np.nanmax(norm, axis=0) == np.nanmin(norm, axis=0)
    choices = np.where(agree, 1, count).astype(np.uint32)
    fixed = None
    if not score_uncertainty or bool((choices == 1).all()):
        fixed = np.nanmean(norm, axis=0)
        table = np.zeros(0)
        base = np.zeros((n_projects, n_criteria), dtype=np.int64)
    else:
        ordered = np.sort(norm, axis=0)  # NaN (not scored) last
        table = np.ascontiguousarray(np.moveaxis(ordered, 0, -1)).reshape(-1)
        base = (np.arange(n_projects * n_criteria, dtype=np.int64) * n_assessors).reshape(
            n_projects, n_criteria
        )
    return _Sampler(
        fixed, table, base, choices, alpha, positive, fixed_weights, n_projects, n_criteria
    )


def _sample_weights(sampler: _Sampler, rng: np.random.Generator, m: int) -> FloatArray:
    weights = np.zeros((m, sampler.n_criteria))
    alpha = sampler.alpha
    if alpha is None:
        g = rng.standard_exponential((m, sampler.n_criteria))  # Dirichlet(1, …, 1)
    elif np.isinf(alpha).any():  # concentration = inf: exactly the given weights
        g = np.broadcast_to(sampler.fixed_weights, (m, alpha.size)).copy()
    else:
        g = rng.standard_gamma(alpha, size=(m, alpha.size))
    total = g.sum(axis=1, keepdims=True)
    degenerate = total[:, 0] <= 0
    if degenerate.any():  # tiny parameters can underflow every gamma to zero
        g[degenerate] = 1.0
        total[degenerate] = g.shape[1]
    weights[:, sampler.positive] = g / total
    return weights


def _sample_chunks(
    sampler: _Sampler, rng: np.random.Generator, draws: int, chunk: int
) -> Iterator[tuple[FloatArray, FloatArray]]:
    """Yields (weights (m, C), values (m, P)) for consecutive chunks of draws."""
    done = 0
    while done < draws:
        m = min(chunk, draws - done)
        w = _sample_weights(sampler, rng, m)
        if sampler.fixed is not None:
            values = w @ sampler.fixed.T
        else:
            cells = sampler.n_projects * sampler.n_criteria
            bits = np.frombuffer(rng.bytes(m * cells * 2), dtype=np.uint16)
            bits = bits.reshape(m, sampler.n_projects, sampler.n_criteria)
            # Multiply-shift maps 16 random bits to 0..count−1 (bias below 2⁻¹⁶ · count).
            pick = (bits.astype(np.uint32) * sampler.count) >> 16
            x = np.take(sampler.table, sampler.base + pick)
            values = np.matmul(x, w[:, :, np.newaxis])[:, :, 0]
        yield w, values
        done += m


def _streams(seed: int) -> tuple[np.random.Generator, np.random.Generator]:
    sampling, ties = np.random.SeedSequence(seed).spawn(2)
    return np.random.default_rng(sampling), np.random.default_rng(ties)


def _check_draws(draws: int) -> None:
    if draws < 1:
        raise InputError("draws", "At least one draw is needed.", {"draws": draws})


def value_draws(
    scores: ArrayLike,
    *,
    lower: ArrayLike,
    upper: ArrayLike,
    benefit: ArrayLike,
    weights: ArrayLike | None,
    concentration: float = 100.0,
    draws: int = 1000,
    seed: int = 0,
    score_uncertainty: bool = True,
    chunk: int = 1000,
) -> FloatArray:
    """The projects' additive values in each SMAA draw, shape (draws, n_projects).

    Exactly the values :func:`smaa` ranks with the same arguments and seed (the sampling and
    the tie-breaking use separate random streams).
    """
    _check_draws(draws)
    sampler = _prepare(
        scores,
        lower=lower,
        upper=upper,
        benefit=benefit,
        weights=weights,
        concentration=concentration,
        score_uncertainty=score_uncertainty,
    )
    rng, _ = _streams(seed)
    return np.concatenate([values for _, values in _sample_chunks(sampler, rng, draws, chunk)])


def smaa(
    scores: ArrayLike,
    *,
    lower: ArrayLike,
    upper: ArrayLike,
    benefit: ArrayLike,
    weights: ArrayLike | None,
    concentration: float = 100.0,
    draws: int = 10_000,
    top_k: int = 5,
    seed: int = 0,
    score_uncertainty: bool = True,
    robust_width: int = 0,
    chunk: int = 1000,
) -> SmaaResult:
    """SMAA-2 rank acceptability analysis (Lahdelma & Salminen 2001) of an additive value model.

    ``scores`` (assessors × projects × criteria, NaN = not scored by that assessor) are mapped
    to [0, 1] with :func:`normalise`. Each draw takes weights from Dirichlet(concentration ·
    weights) — uniform on the simplex when ``weights`` is None; a zero weight stays zero;
    ``concentration=inf`` keeps the weights fixed — and, with ``score_uncertainty``, for each
    project and criterion independently the score of one assessor picked at random among those
    who scored it (otherwise their mean). Projects are ranked by value in each draw; ties are
    broken at random. Draws run in chunks of ``chunk`` to bound memory.
    """
    _check_draws(draws)
    sampler = _prepare(
        scores,
        lower=lower,
        upper=upper,
        benefit=benefit,
        weights=weights,
        concentration=concentration,
        score_uncertainty=score_uncertainty,
    )
    n = sampler.n_projects
    if top_k < 1:
        raise InputError("top_k", "top_k must be at least 1.", {"top_k": top_k})
    k = min(top_k, n)
    rng, tie_rng = _streams(seed)
    counts = np.zeros(n * n, dtype=np.int64)
    weight_sums = np.zeros((n, sampler.n_criteria))
    positions = np.arange(n)
    for w, values in _sample_chunks(sampler, rng, draws, chunk):
        order = np.argsort(-values, axis=1, kind="stable")
        ordered = np.take_along_axis(values, order, axis=1)
        tied = np.flatnonzero((ordered[:, 1:] == ordered[:, :-1]).any(axis=1))
        if tied.size:
            key = tie_rng.random((tied.size, n))
            order[tied] = np.lexsort((key, -values[tied]), axis=-1)
        counts += np.bincount((order * n + positions).ravel(), minlength=n * n)
        first = order[:, 0]
        for j in range(sampler.n_criteria):
            weight_sums[:, j] += np.bincount(first, weights=w[:, j], minlength=n)
    acceptability = counts.reshape(n, n) / draws
    cdf = np.cumsum(acceptability, axis=1)
    eps = 1e-12
    low = np.argmax(cdf >= 0.05 - eps, axis=1) + 1
    high = np.argmax(cdf >= 0.95 - eps, axis=1) + 1
    interval = np.stack([low, high], axis=1).astype(np.intp)
    firsts = counts.reshape(n, n)[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        central = np.where(firsts[:, None] > 0, weight_sums / firsts[:, None], np.nan)
    return SmaaResult(
        rank_acceptability=acceptability,
        top_k=acceptability[:, :k].sum(axis=1),
        rank_interval=interval,
        expected_rank=acceptability @ (positions + 1.0),
        central_weights=central,
        robust=(interval[:, 1] - interval[:, 0]) <= robust_width,
        draws=draws,
        k=k,
        robust_width=robust_width,
    )


# --- Sensitivity -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sensitivity:
    """How far one weight must move (others rescaled) before the project changes rank."""

    criterion: int
    direction: int
    change: float
    new_rank: int


def _rank_of(values: FloatArray, project: int, tolerance: float) -> int:
    return 1 + int((values - values[project] > tolerance).sum())


def sensitivity(normalised: ArrayLike, weights: ArrayLike, project: int) -> list[Sensitivity]:
    """One-at-a-time weight sensitivity of one project's rank, exact.

    Weight j becomes w_j + δ and the other weights are scaled by (1 − w_j − δ) / (1 − w_j), so
    they keep their proportions and the sum stays 1 (if w_j = 1, the rest is shared equally).
    Every value is then linear in δ, so the rank changes exactly where the project's line
    crosses another's: the smallest such |δ| within the admissible range is reported, for
    raising (+1) and lowering (−1) each weight, with the rank just beyond the crossing; NaN and
    the current rank if the rank never changes. Rank = 1 + the number of projects with a
    strictly higher value (a project tied at the start changes rank at ``change`` 0).
    Entries are ordered by criterion, then +1 before −1.
    """
    x = np.asarray(normalised, dtype=float)
    if x.ndim != 2 or x.shape[0] == 0:
        raise InputError("no_projects", "There are no projects.")
    n, c = x.shape
    if not 0 <= project < n:
        raise InputError("project_index", f"No project {project}.", {"project": project})
    if np.isnan(x).any():
        raise InputError("values_missing", "A normalised score is missing.")
    w = check_weights(weights)
    if w.size != c:
        raise InputError("weights_shape", f"{c} criteria but {w.size} weights.", {})
    base = x @ w
    tolerance = 1e-12 * max(1.0, float(np.abs(base).max()))
    current = _rank_of(base, project, tolerance)
    result: list[Sensitivity] = []
    for j in range(c):
        others = np.delete(np.arange(c), j)
        if others.size == 0:  # one criterion: its weight is fixed at 1
            result += [Sensitivity(j, d, float("nan"), current) for d in (1, -1)]
            continue
        rest = 1.0 - w[j]
        share = w[others] / rest if rest > 1e-12 else np.full(others.size, 1.0 / others.size)
        slope = x[:, j] - x[:, others] @ share  # dV/dδ per project
        a = base - base[project]
        b = slope - slope[project]
        for direction, limit in ((1, rest), (-1, w[j])):
            change, new_rank = _first_crossing(a, b, direction, limit, project, tolerance)
            result.append(
                Sensitivity(j, direction, change, new_rank if change == change else current)
            )
    return result


def _first_crossing(
    a: FloatArray, b: FloatArray, direction: int, limit: float, project: int, tolerance: float
) -> tuple[float, int]:
    """Smallest t in [0, limit) at which some a_p + direction·b_p·t changes sign."""
    if limit <= 1e-12:
        return float("nan"), 0
    slope = direction * b
    with np.errstate(divide="ignore", invalid="ignore"):
        t = -a / slope
    above = a > tolerance
    tied = np.abs(a) <= tolerance
    crosses = (above & (slope < 0)) | ((a < -tolerance) & (slope > 0)) | (tied & (slope > 0))
    crosses[project] = False
    t = np.where(tied, 0.0, t)
    candidates = crosses & (t < limit - 1e-12)
    if not candidates.any():
        return float("nan"), 0
    t_star = float(t[candidates].min())
    at = a + slope * t_star
    near = np.abs(at) <= tolerance + 1e-12 * abs(t_star)
    above_after = (at > tolerance) & ~near | (near & (slope > 0))
    above_after[project] = False
    return t_star, 1 + int(above_after.sum())
