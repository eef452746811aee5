"""Estimates with confidence intervals: shares (Wilson), means (t), Kish's effective sample size.

Plain functions over Python values and NumPy arrays, free of Django, so that every app, the
exports and the benchmark share one implementation that tests check against hand-computed
values.

Conventions:

* Shares are fractions in [0, 1]; pages format them as percentages.
* Every estimate is an :class:`Estimate`: value, interval bounds, the number of observations
  and the effective sample size (equal to the count when unweighted). A bound is ``None`` when
  the data cannot give an interval (a mean of one value) — never NaN, so that JSON stays valid.
* Weights are non-negative floats, one per observation, usually from
  :func:`leitbild.numerics.raking.rake` (mean 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

FloatArray = NDArray[np.float64]

DEFAULT_CONFIDENCE = 0.95


# --------------------------------------------------------------------------------------------
# Estimates and quantiles
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Estimate:
    """A point estimate with its confidence interval.

    ``n`` is the number of observations behind the estimate (ballots, or ballots that rated
    the field); ``n_effective`` is Kish's effective sample size when weights were used (equal
    to ``n`` otherwise), so a page can show both, as the issue asks.
    """

    value: float
    low: float | None
    high: float | None
    n: int
    n_effective: float


def normal_quantile(p: float) -> float:
    """Quantile of the standard normal distribution (the standard library's is exact enough)."""
    return NormalDist().inv_cdf(p)


def _two_sided_quantile_level(confidence: float) -> float:
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence!r}")
    return 1.0 - (1.0 - confidence) / 2.0


def t_cdf(t: float, df: float) -> float:
    """Cumulative distribution function of Student's t with ``df`` (> 0) degrees of freedom."""
    if df <= 0 or math.isnan(df):
        raise ValueError(f"degrees of freedom must be positive, not {df!r}")
    return float(special.stdtr(df, t))


def t_quantile(p: float, df: float) -> float:
    """Quantile of Student's t distribution; ``df`` need not be a whole number.

    Weighted means use Kish's effective sample size, so the degrees of freedom are rarely whole
    numbers. ``scipy.special.stdtrit`` is the function behind ``scipy.stats.t.ppf``, called
    directly: importing ``scipy.stats`` would add half a second to every process start (the
    models import this module), and its generic machinery costs ~80 µs a call against ~1 µs.
    """
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must be between 0 and 1, not {p!r}")
    if df <= 0 or math.isnan(df):
        raise ValueError(f"degrees of freedom must be positive, not {df!r}")
    return float(special.stdtrit(df, p))


# --------------------------------------------------------------------------------------------
# Shares and means, unweighted and weighted
# --------------------------------------------------------------------------------------------


def _wilson_bounds(share: float, n: float, z: float) -> tuple[float, float]:
    z2_n = z * z / n
    denominator = 1.0 + z2_n
    centre = (share + z2_n / 2.0) / denominator
    half = z * math.sqrt(share * (1.0 - share) / n + z2_n / (4.0 * n)) / denominator
    # Clamped to the share itself too: at p̂ = 0 or 1 rounding would otherwise leave the
    # estimate a hair outside its own interval.
    return min(max(0.0, centre - half), share), max(min(1.0, centre + half), share)


def wilson_interval(successes: int, n: int, *, confidence: float = DEFAULT_CONFIDENCE) -> Estimate:
    """Share ``successes / n`` with the Wilson score interval.

    Wilson rather than the textbook normal ("Wald") interval because ballots often give shares
    near 0 or 1 and small breakdown groups, where the Wald interval leaves [0, 1] or collapses
    to a point; Wilson keeps close to its nominal coverage there (Brown, Cai & DasGupta 2001).
    """
    if n <= 0:
        raise ValueError("a share needs at least one observation")
    if not 0 <= successes <= n:
        raise ValueError(f"successes must be between 0 and n, not {successes!r}")
    z = normal_quantile(_two_sided_quantile_level(confidence))
    share = successes / n
    low, high = _wilson_bounds(share, n, z)
    return Estimate(share, low, high, n, float(n))


def check_weights(weights: ArrayLike, n: int) -> FloatArray:
    """``n`` weights as a float array; ValueError unless they are finite and non-negative."""
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (n,):
        raise ValueError(f"expected {n} weights, got shape {w.shape}")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError("weights must be finite and non-negative")
    return w


def _dot(a: FloatArray, b: FloatArray) -> float:
    """Inner product without BLAS.

    ``np.dot`` hands the vectors to a multi-threaded BLAS, which on a busy two-core server
    made the effective sample sizes of a breakdown several times slower than this single pass.
    """
    return float(np.einsum("i,i->", a, b))


def effective_sample_size(weights: ArrayLike) -> float:
    """Kish's effective sample size (Σw)² / Σw².

    It says how many unweighted observations would give the same precision; unequal weights
    always lose some. Equal weights give the plain count.
    """
    w = np.asarray(weights, dtype=np.float64)
    squares = _dot(w, w)
    if squares == 0.0:
        return 0.0
    return float(w.sum()) ** 2 / squares


def weighted_share(
    chosen: ArrayLike, weights: ArrayLike, *, confidence: float = DEFAULT_CONFIDENCE
) -> Estimate:
    """Weighted share Σw·y / Σw with a Wilson interval at Kish's effective sample size.

    Plugging n_eff into the Wilson formula is the usual design-effect approximation
    (Kish 1965): it widens the interval by the variance inflation that unequal weights cause.
    It ignores any correlation between weights and answers, which is acceptable for raking
    weights on a few demographic margins.
    """
    y = np.asarray(chosen, dtype=bool)
    w = check_weights(weights, y.shape[0])
    total = float(w.sum())
    if total <= 0.0:
        raise ValueError("a weighted share needs a positive total weight")
    share = min(1.0, max(0.0, float(w[y].sum()) / total))
    n_eff = effective_sample_size(w)
    z = normal_quantile(_two_sided_quantile_level(confidence))
    low, high = _wilson_bounds(share, n_eff, z)
    return Estimate(share, low, high, int(y.shape[0]), n_eff)


def mean_interval(values: ArrayLike, *, confidence: float = DEFAULT_CONFIDENCE) -> Estimate:
    """Mean with a t interval (mean points, mean rank, mean rating).

    The t rather than the normal quantile so that small breakdown groups get honest width.
    A single value has no spread, so its bounds are ``None``.
    """
    x = np.asarray(values, dtype=np.float64)
    n = int(x.shape[0])
    if n == 0:
        raise ValueError("a mean needs at least one observation")
    return mean_estimate(x, None, confidence=confidence)


def weighted_mean(
    values: ArrayLike, weights: ArrayLike, *, confidence: float = DEFAULT_CONFIDENCE
) -> Estimate:
    """Weighted mean Σw·x / Σw with a t interval at Kish's effective sample size.

    Standard error: s_w / √n_eff with s_w² = Σw(x − x̄_w)² / Σw · n_eff / (n_eff − 1), and
    n_eff − 1 degrees of freedom. With equal weights this is exactly the unweighted interval.
    """
    x = np.asarray(values, dtype=np.float64)
    w = check_weights(weights, x.shape[0])
    if float(w.sum()) <= 0.0:
        raise ValueError("a weighted mean needs a positive total weight")
    return mean_estimate(x, w, confidence=confidence)


def mean_estimate(
    x: FloatArray, w: FloatArray | None, *, confidence: float = DEFAULT_CONFIDENCE
) -> Estimate:
    """:func:`mean_interval` or :func:`weighted_mean` without checking the input again.

    For callers that checked ``w`` with :func:`check_weights` (and a positive sum) once for
    many columns, as the ballot aggregation does. ``x`` must not be empty.
    """
    n = int(x.shape[0])
    level = _two_sided_quantile_level(confidence)
    if w is None:
        mean = float(x.mean())
        if n < 2:
            return Estimate(mean, None, None, n, float(n))
        n_eff = float(n)
        variance = float(x.var(ddof=1))
    else:
        total = float(w.sum())
        mean = _dot(w, x) / total
        n_eff = effective_sample_size(w)
        if n_eff <= 1.0 + 1e-12:
            return Estimate(mean, None, None, n, n_eff)
        deviation = x - mean
        variance = _dot(w, deviation * deviation) / total * n_eff / (n_eff - 1.0)
    half = t_quantile(level, n_eff - 1.0) * math.sqrt(max(variance, 0.0) / n_eff)
    return Estimate(mean, mean - half, mean + half, n, n_eff)


def wilson_intervals(
    counts: FloatArray,
    n: int,
    n_eff: float,
    total: float,
    *,
    confidence: float = DEFAULT_CONFIDENCE,
) -> list[Estimate]:
    """Wilson intervals for several shares ``counts / total`` of the same ``n`` observations.

    Vectorised :func:`wilson_interval` (or :func:`weighted_share` with weighted counts and
    Kish's ``n_eff``) for the columns of a ballot matrix.
    """
    z = normal_quantile(_two_sided_quantile_level(confidence))
    share = np.clip(counts / total, 0.0, 1.0)
    z2_n = z * z / n_eff
    denominator = 1.0 + z2_n
    centre = (share + z2_n / 2.0) / denominator
    half = z * np.sqrt(share * (1.0 - share) / n_eff + z2_n / (4.0 * n_eff)) / denominator
    low = np.minimum(np.maximum(centre - half, 0.0), share)
    high = np.maximum(np.minimum(centre + half, 1.0), share)
    return [
        Estimate(float(s), float(lo), float(hi), n, n_eff)
        for s, lo, hi in zip(share, low, high, strict=True)
    ]
