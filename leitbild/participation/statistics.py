"""Honest numbers for weighting ballots and surveys.

Estimates with 95 % confidence intervals, weighting to the population (raking), small-group
suppression, and the validation and aggregation of the four ballot methods (pick *k* of *N*,
distribute *P* points, rank, rate 1–5).

Everything here is a plain function over Python values or NumPy arrays and never touches the
ORM, so that pages, exports, the API and the benchmark share one implementation, and so that the
statistics can be checked against hand-computed values in tests. Selectors load the ballots
(ideally straight into the matrices described at :func:`ballot_matrix`) and call these.

Conventions:

* Shares are fractions in [0, 1]; pages format them as percentages.
* Every estimate is an :class:`Estimate`: value, interval bounds, the number of observations
  and the effective sample size (equal to the count when unweighted). A bound is ``None`` when
  the data cannot give an interval (a mean of one value) — never NaN, so that JSON stays valid.
* Weights are non-negative floats, one per ballot, usually from :func:`rake` (mean 1).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import ClassVar, TypeVar

import numpy as np
from django.utils.translation import gettext, ngettext
from numpy.typing import ArrayLike, NDArray
from scipy import special

K = TypeVar("K", bound=Hashable)
R = TypeVar("R", bound=Hashable)
C = TypeVar("C", bound=Hashable)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

DEFAULT_CONFIDENCE = 0.95
DEFAULT_MINIMUM_GROUP_SIZE = 5


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


def _as_weights(weights: ArrayLike, n: int) -> FloatArray:
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
    w = _as_weights(weights, y.shape[0])
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
    return _mean_estimate(x, None, confidence)


def weighted_mean(
    values: ArrayLike, weights: ArrayLike, *, confidence: float = DEFAULT_CONFIDENCE
) -> Estimate:
    """Weighted mean Σw·x / Σw with a t interval at Kish's effective sample size.

    Standard error: s_w / √n_eff with s_w² = Σw(x − x̄_w)² / Σw · n_eff / (n_eff − 1), and
    n_eff − 1 degrees of freedom. With equal weights this is exactly the unweighted interval.
    """
    x = np.asarray(values, dtype=np.float64)
    w = _as_weights(weights, x.shape[0])
    if float(w.sum()) <= 0.0:
        raise ValueError("a weighted mean needs a positive total weight")
    return _mean_estimate(x, w, confidence)


def _mean_estimate(x: FloatArray, w: FloatArray | None, confidence: float) -> Estimate:
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


# --------------------------------------------------------------------------------------------
# Raking (iterative proportional fitting)
# --------------------------------------------------------------------------------------------


class RakingError(ValueError):
    """The weighting cannot be computed from these answers and targets (message in German)."""


class RakingNotConvergedError(RakingError):
    """Raking stopped at ``max_iterations`` without matching the targets.

    Usually the targets contradict the sample (e.g. a joint cell with respondents whose margins
    demand zero weight). ``result`` holds the last weights for diagnosis; do not publish them.
    """

    def __init__(self, message: str, result: RakingResult) -> None:
        super().__init__(message)
        self.result = result


@dataclass(frozen=True, slots=True)
class RakingResult:
    """Per-respondent weights (mean 1) and how they were reached."""

    weights: FloatArray
    iterations: int
    max_error: float
    effective_sample_size: float


def encode_categories(
    values: Iterable[Hashable | None], categories: Sequence[Hashable]
) -> IntArray:
    """Integer codes for answers: the position in ``categories``, −1 for no answer (None).

    NumPy works on integers, so answers are encoded once and every later step (raking,
    breakdowns) is vectorised. An answer outside ``categories`` raises ``ValueError``.
    """
    index = {category: position for position, category in enumerate(categories)}
    codes: list[int] = []
    for value in values:
        if value is None:
            codes.append(-1)
            continue
        try:
            codes.append(index[value])
        except (KeyError, TypeError):
            raise ValueError(value) from None
    return np.asarray(codes, dtype=np.intp)


def combine_categories(*columns: Sequence[Hashable | None]) -> list[tuple[Hashable, ...] | None]:
    """Join several answers per respondent into one cross-classified category.

    For a joint target (age band × district) the statistics office gives shares per pair;
    raking on the combined variable then matches the full table instead of only its margins.
    A respondent who skipped any of the questions has no joint category (None).
    """
    if not columns:
        return []
    lengths = {len(column) for column in columns}
    if len(lengths) != 1:
        raise ValueError("all columns must have one answer per respondent")
    return [
        None if any(v is None for v in values) else tuple(values)
        for values in zip(*columns, strict=True)
    ]


def _category_label(category: Hashable) -> str:
    if isinstance(category, tuple):
        return " × ".join(str(part) for part in category)
    return str(category)


def rake(
    categories: Mapping[str, Sequence[Hashable | None]],
    targets: Mapping[str, Mapping[Hashable, float]],
    *,
    tolerance: float = 1e-6,
    max_iterations: int = 100,
    target_sum_tolerance: float = 0.01,
) -> RakingResult:
    """Weights that make the respondents' answers match population shares (raking).

    ``categories`` maps each demographic question to one answer per respondent (None when the
    respondent skipped it); ``targets`` maps the same questions to population shares per
    answer. A joint target is a question whose answers are tuples, see
    :func:`combine_categories`. See :func:`rake_codes` for the algorithm and the errors.
    """
    if set(categories) != set(targets):
        raise RakingError(gettext("Für jede Frage braucht es Antworten und Zielanteile."))
    codes: dict[str, IntArray] = {}
    target_arrays: dict[str, FloatArray] = {}
    for question, answers in categories.items():
        known = list(targets[question])
        try:
            codes[question] = encode_categories(answers, known)
        except ValueError as error:
            raise RakingError(
                gettext("Für die Antwort „%(answer)s“ auf „%(question)s“ fehlt ein Zielanteil.")
                % {"answer": _category_label(error.args[0]), "question": question}
            ) from None
        target_arrays[question] = np.asarray(
            [targets[question][c] for c in known], dtype=np.float64
        )
    labels = {question: [_category_label(c) for c in targets[question]] for question in targets}
    return rake_codes(
        codes,
        target_arrays,
        tolerance=tolerance,
        max_iterations=max_iterations,
        target_sum_tolerance=target_sum_tolerance,
        labels=labels,
    )


def rake_codes(
    codes: Mapping[str, ArrayLike],
    targets: Mapping[str, ArrayLike],
    *,
    tolerance: float = 1e-6,
    max_iterations: int = 100,
    target_sum_tolerance: float = 0.01,
    labels: Mapping[str, Sequence[str]] | None = None,
) -> RakingResult:
    """Raking on integer-coded answers; the vectorised core of :func:`rake`.

    ``codes[q]`` holds one code per respondent (index into ``targets[q]``, −1 for no answer).
    Each sweep scales the weights so that one question after the other matches its targets
    (Deming & Stephan 1940); it stops when, after a sweep, every weighted share among the
    respondents who answered is within ``tolerance`` of its target.

    Respondents who skipped a question keep their unweighted share of the total for that
    question, and the targets apply to those who answered. Demographic questions are optional,
    so dropping the skippers would lose ballots and forcing them into a category would invent
    answers; holding their share fixed keeps the fixed-point problem a standard IPF one.

    Targets may be rounded (e.g. published percentages): they must sum to 1 within
    ``target_sum_tolerance`` and are then rescaled to sum to 1 exactly. Raises
    :class:`RakingError` for a category with a positive target and nobody in it, answers
    without a target, negative targets, or mismatched lengths, and
    :class:`RakingNotConvergedError` when ``max_iterations`` sweeps were not enough.
    """
    if not codes:
        raise RakingError(gettext("Es ist keine Frage zur Gewichtung angegeben."))
    if set(codes) != set(targets):
        raise RakingError(gettext("Für jede Frage braucht es Antworten und Zielanteile."))
    questions = list(codes)
    code_arrays = [np.asarray(codes[q], dtype=np.intp) for q in questions]
    n = int(code_arrays[0].shape[0])
    if n == 0:
        raise RakingError(gettext("Es gibt keine Antworten, die gewichtet werden könnten."))
    if any(c.shape != (n,) for c in code_arrays):
        raise RakingError(gettext("Jede Frage braucht genau eine Antwort je Person."))

    def label(question: str, position: int) -> str:
        if labels is not None and position < len(labels.get(question, ())):
            return labels[question][position]
        return str(position)

    # Per question: desired total weight for [no answer, category 0, category 1, ...].
    desired: list[FloatArray] = []
    shifted: list[IntArray] = []
    for question, c in zip(questions, code_arrays, strict=True):
        target = np.asarray(targets[question], dtype=np.float64)
        if target.ndim != 1 or target.shape[0] == 0:
            raise RakingError(
                gettext("„%(question)s“ hat keine Zielanteile.") % {"question": question}
            )
        if not np.all(np.isfinite(target)) or np.any(target < 0):
            raise RakingError(
                gettext("Zielanteile für „%(question)s“ dürfen nicht negativ sein.")
                % {"question": question}
            )
        target_sum = float(target.sum())
        if abs(target_sum - 1.0) > target_sum_tolerance:
            raise RakingError(
                gettext("Die Zielanteile für „%(question)s“ ergeben zusammen %(sum)s statt 1.")
                % {"question": question, "sum": f"{target_sum:.4g}"}
            )
        if c.min() < -1 or c.max() >= target.shape[0]:
            raise RakingError(
                gettext("„%(question)s“ hat Antworten ohne Zielanteil.") % {"question": question}
            )
        counts = np.bincount(c + 1, minlength=target.shape[0] + 1)
        empty = np.flatnonzero((counts[1:] == 0) & (target > 0))
        if empty.size:
            raise RakingError(
                gettext(
                    "Für „%(category)s“ (%(question)s) ist ein Zielanteil angegeben, aber "
                    "niemand hat so geantwortet. Fassen Sie Kategorien zusammen."
                )
                % {"category": label(question, int(empty[0])), "question": question}
            )
        excluded = np.flatnonzero((counts[1:] > 0) & (target == 0))
        if excluded.size:
            raise RakingError(
                gettext(
                    "„%(category)s“ (%(question)s) hat den Zielanteil 0, aber es gibt "
                    "Antworten in dieser Kategorie."
                )
                % {"category": label(question, int(excluded[0])), "question": question}
            )
        if counts[0] == n:
            raise RakingError(
                gettext("Niemand hat „%(question)s“ beantwortet.") % {"question": question}
            )
        missing_share = counts[0] / n
        wanted = np.empty(target.shape[0] + 1, dtype=np.float64)
        wanted[0] = missing_share * n
        wanted[1:] = target / target_sum * (1.0 - missing_share) * n
        desired.append(wanted)
        shifted.append(c + 1)

    weights = np.ones(n, dtype=np.float64)

    def totals(i: int) -> FloatArray:
        counts = np.bincount(shifted[i], weights=weights, minlength=desired[i].shape[0])
        return counts.astype(np.float64, copy=False)

    def share_error(i: int, current: FloatArray) -> float:
        answered = current[1:].sum()
        wanted = desired[i][1:]
        return float(np.max(np.abs(current[1:] / answered - wanted / wanted.sum())))

    cached_first = totals(0)
    max_error = math.inf
    iterations = 0
    while iterations < max_iterations:
        iterations += 1
        for i in range(len(questions)):
            current = cached_first if i == 0 else totals(i)
            with np.errstate(divide="ignore", invalid="ignore"):
                factors = np.where(current > 0, desired[i] / current, 1.0)
            weights *= factors[shifted[i]]
        # The last question matches exactly after its own step; check the others.
        max_error = 0.0
        for i in range(len(questions) - 1):
            current = totals(i)
            if i == 0:
                cached_first = current
            max_error = max(max_error, share_error(i, current))
        if max_error <= tolerance:
            break
    # Report the exact final error (floating error included) for all questions.
    max_error = max(share_error(i, totals(i)) for i in range(len(questions)))
    weights *= n / weights.sum()
    result = RakingResult(weights, iterations, max_error, effective_sample_size(weights))
    if max_error > tolerance:
        raise RakingNotConvergedError(
            gettext(
                "Die Gewichtung ist nach %(iterations)d Durchläufen nicht aufgegangen "
                "(Abweichung %(error)s). Passen die Zielanteile zueinander?"
            )
            % {"iterations": iterations, "error": f"{max_error:.2g}"},
            result,
        )
    return result


# --------------------------------------------------------------------------------------------
# Small-group suppression
# --------------------------------------------------------------------------------------------


def suppress_small_groups(
    counts: Mapping[K, int], *, minimum: int = DEFAULT_MINIMUM_GROUP_SIZE
) -> set[K]:
    """Groups with 1 to ``minimum − 1`` members (primary suppression).

    Empty groups are not suppressed: a group that has no members discloses nothing about any
    person, and hiding zeros would only force needless complementary suppression.
    """
    return {key for key, count in counts.items() if 0 < count < minimum}


def _complement_line(counts: Mapping[K, int], suppressed: set[K]) -> K | None:
    """The cell to suppress in a line whose total is published, if exactly one is suppressed.

    The next-smallest cell (first in order on ties), so that the suppressed one cannot be
    recovered as total minus the others, at the least cost of information. Empty cells come
    last: a reader may know that a group is empty (nobody of that age lives in a district), and
    then hiding it protects nothing.
    """
    hidden = [key for key in counts if key in suppressed]
    if len(hidden) != 1:
        return None
    candidates = [
        (count == 0, count, position, key)
        for position, (key, count) in enumerate(counts.items())
        if key not in suppressed
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda item: item[:3])[3]


def suppress_with_complement(
    counts: Mapping[K, int], *, minimum: int = DEFAULT_MINIMUM_GROUP_SIZE
) -> set[K]:
    """Primary plus secondary suppression for a list of groups whose total is published.

    If exactly one group is small, total minus the others would reveal it, so the next-smallest
    group is hidden as well. A breakdown by one demographic question is such a list.
    """
    suppressed = suppress_small_groups(counts, minimum=minimum)
    complement = _complement_line(counts, suppressed)
    if complement is not None:
        suppressed.add(complement)
    return suppressed


def suppress_table(
    table: Mapping[R, Mapping[C, int]], *, minimum: int = DEFAULT_MINIMUM_GROUP_SIZE
) -> set[tuple[R, C]]:
    """Cells of a cross table to suppress when row and column totals are published.

    Primary suppression of small cells, then, until nothing changes, the next-smallest cell
    of every row or column that has exactly one suppressed cell. A complement in a row can
    leave its column with a single suppressed cell, hence the repetition; it ends because each
    round adds a cell. A row or column total below ``minimum`` is itself a small group: hide it
    with :func:`suppress_small_groups` on the totals.
    """
    cells = {(row, column): count for row, line in table.items() for column, count in line.items()}
    suppressed = {cell for cell, count in cells.items() if 0 < count < minimum}
    columns: dict[C, dict[R, int]] = {}
    for (row, column), count in cells.items():
        columns.setdefault(column, {})[row] = count
    changed = True
    while changed:
        changed = False
        for row, line in table.items():
            complement = _complement_line(line, {c for (r, c) in suppressed if r == row})
            if complement is not None:
                suppressed.add((row, complement))
                changed = True
        for column, column_line in columns.items():
            hidden = {r for (r, c) in suppressed if c == column}
            row_complement = _complement_line(column_line, hidden)
            if row_complement is not None:
                suppressed.add((row_complement, column))
                changed = True
    return suppressed


# --------------------------------------------------------------------------------------------
# Ballot rules and validation
# --------------------------------------------------------------------------------------------


def _as_field_tuple(fields: Iterable[Hashable]) -> tuple[Hashable, ...]:
    result = tuple(fields)
    if not result:
        raise ValueError("a ballot needs at least one field")
    if len(set(result)) != len(result):
        raise ValueError("fields must be unique")
    return result


@dataclass(frozen=True)
class PickRules:
    """Pick between ``minimum`` and ``k`` of the fields (Wolfsburg: 3 of 10)."""

    method: ClassVar[str] = "pick"
    fields: tuple[Hashable, ...]
    k: int
    minimum: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", _as_field_tuple(self.fields))
        if not 1 <= self.minimum <= self.k <= len(self.fields):
            raise ValueError("need 1 <= minimum <= k <= number of fields")


@dataclass(frozen=True)
class PointsRules:
    """Distribute exactly ``total`` points, at most ``cap`` per field if given."""

    method: ClassVar[str] = "points"
    fields: tuple[Hashable, ...]
    total: int
    cap: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", _as_field_tuple(self.fields))
        if self.total < 1:
            raise ValueError("total must be positive")
        if self.cap is not None and (self.cap < 1 or self.cap * len(self.fields) < self.total):
            raise ValueError("the cap makes the total impossible to reach")


@dataclass(frozen=True)
class RankRules:
    """Rank the fields: all of them, or only the top ``depth``."""

    method: ClassVar[str] = "rank"
    fields: tuple[Hashable, ...]
    depth: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", _as_field_tuple(self.fields))
        if self.depth is not None and not 1 <= self.depth <= len(self.fields):
            raise ValueError("depth must be between 1 and the number of fields")

    @property
    def places(self) -> int:
        """How many places a ballot fills."""
        return len(self.fields) if self.depth is None else self.depth


@dataclass(frozen=True)
class RateRules:
    """Rate fields on a scale from ``low`` to ``high`` (1–5), every field or any of them."""

    method: ClassVar[str] = "rate"
    fields: tuple[Hashable, ...]
    low: int = 1
    high: int = 5
    require_all: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", _as_field_tuple(self.fields))
        if not 1 <= self.low < self.high:
            raise ValueError("need 1 <= low < high (0 means 'not rated' in ballot matrices)")


BallotRules = PickRules | PointsRules | RankRules | RateRules


@dataclass(frozen=True, slots=True)
class BallotError:
    """Why a ballot is refused: a stable code for programs and a German message for people."""

    code: str
    message: str
    field: Hashable | None = None


def _is_int(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)


def _field_name(value: object, labels: Mapping[Hashable, str] | None) -> str:
    if labels is not None:
        try:
            if value in labels:
                return labels[value]
        except TypeError:
            pass
    text = str(value)
    return text if len(text) <= 60 else text[:59] + "…"


def validate_ballot(
    rules: BallotRules, ballot: object, *, labels: Mapping[Hashable, str] | None = None
) -> list[BallotError]:
    """Everything wrong with a ballot, in German; an empty list means it may be cast.

    Ballots: pick — a collection of fields; points, rank, rate — a mapping from field to points,
    place (1 = first) or rating. Unranked or unrated fields are simply absent. The ballot may
    come from a visitor, so anything at all is answered with errors, never an exception.
    ``labels`` names the fields in messages.
    """
    if isinstance(rules, PickRules):
        return _validate_pick(rules, ballot, labels)
    if not isinstance(ballot, Mapping):
        return [_unreadable()]
    entries = list(ballot.items())
    errors: list[BallotError] = []
    known = set(rules.fields)
    valid: dict[Hashable, int] = {}
    for key, value in entries:
        try:
            is_known = key in known
        except TypeError:
            return [_unreadable()]
        if not is_known:
            errors.append(_unknown_field(key, labels))
        elif not _is_int(value):
            errors.append(
                BallotError(
                    "invalid_value",
                    gettext("Bitte geben Sie für „%(field)s“ eine ganze Zahl ein.")
                    % {"field": _field_name(key, labels)},
                    key,
                )
            )
        else:
            valid[key] = int(value)
    if isinstance(rules, PointsRules):
        errors.extend(_validate_points(rules, valid, labels))
    elif isinstance(rules, RankRules):
        errors.extend(_validate_rank(rules, valid, labels))
    else:
        errors.extend(_validate_rate(rules, valid, labels))
    return errors


def _unreadable() -> BallotError:
    return BallotError(
        "invalid_ballot",
        gettext("Der Stimmzettel konnte nicht gelesen werden. Bitte füllen Sie ihn erneut aus."),
    )


def _unknown_field(key: object, labels: Mapping[Hashable, str] | None) -> BallotError:
    return BallotError(
        "unknown_field",
        gettext("„%(field)s“ gehört nicht zu dieser Abstimmung.")
        % {"field": _field_name(key, None)},
        key if isinstance(key, Hashable) else None,
    )


def _validate_pick(
    rules: PickRules, ballot: object, labels: Mapping[Hashable, str] | None
) -> list[BallotError]:
    if isinstance(ballot, str | bytes | Mapping) or not isinstance(ballot, Collection):
        return [_unreadable()]
    errors: list[BallotError] = []
    seen: set[Hashable] = set()
    known = set(rules.fields)
    for choice in ballot:
        try:
            is_known = choice in known
            duplicate = choice in seen
        except TypeError:
            return [_unreadable()]
        if not is_known:
            errors.append(_unknown_field(choice, labels))
        elif duplicate:
            errors.append(
                BallotError(
                    "duplicate_pick",
                    gettext("„%(field)s“ ist mehrfach gewählt.")
                    % {"field": _field_name(choice, labels)},
                    choice,
                )
            )
        seen.add(choice)
    count = len(seen & known)
    if count > rules.k:
        errors.append(
            BallotError(
                "too_many_picks",
                ngettext(
                    "Bitte wählen Sie höchstens %(k)d Handlungsfeld; Sie haben %(count)d gewählt.",
                    "Bitte wählen Sie höchstens %(k)d Handlungsfelder; "
                    "Sie haben %(count)d gewählt.",
                    rules.k,
                )
                % {"k": rules.k, "count": count},
            )
        )
    elif count < rules.minimum and not errors:
        errors.append(
            BallotError(
                "too_few_picks",
                ngettext(
                    "Bitte wählen Sie mindestens %(minimum)d Handlungsfeld.",
                    "Bitte wählen Sie mindestens %(minimum)d Handlungsfelder.",
                    rules.minimum,
                )
                % {"minimum": rules.minimum},
            )
        )
    return errors


def _validate_points(
    rules: PointsRules, points: Mapping[Hashable, int], labels: Mapping[Hashable, str] | None
) -> list[BallotError]:
    errors: list[BallotError] = []
    for key, value in points.items():
        if value < 0:
            errors.append(
                BallotError(
                    "negative_points",
                    gettext("Punkte für „%(field)s“ dürfen nicht negativ sein.")
                    % {"field": _field_name(key, labels)},
                    key,
                )
            )
        elif rules.cap is not None and value > rules.cap:
            errors.append(
                BallotError(
                    "points_over_cap",
                    ngettext(
                        "Sie können einem Handlungsfeld höchstens %(cap)d Punkt geben; "
                        "„%(field)s“ hat %(points)d.",
                        "Sie können einem Handlungsfeld höchstens %(cap)d Punkte geben; "
                        "„%(field)s“ hat %(points)d.",
                        rules.cap,
                    )
                    % {"cap": rules.cap, "field": _field_name(key, labels), "points": value},
                    key,
                )
            )
    given = sum(points.values())
    if given != rules.total:
        errors.append(
            BallotError(
                "points_sum",
                ngettext(
                    "Bitte verteilen Sie genau %(total)d Punkt; Sie haben %(given)d verteilt.",
                    "Bitte verteilen Sie genau %(total)d Punkte; Sie haben %(given)d verteilt.",
                    rules.total,
                )
                % {"total": rules.total, "given": given},
            )
        )
    return errors


def _validate_rank(
    rules: RankRules, ranks: Mapping[Hashable, int], labels: Mapping[Hashable, str] | None
) -> list[BallotError]:
    errors: list[BallotError] = []
    places = rules.places
    holders: dict[int, list[Hashable]] = {}
    for key, place in ranks.items():
        if not 1 <= place <= places:
            errors.append(
                BallotError(
                    "rank_out_of_range",
                    gettext(
                        "Platz %(place)d für „%(field)s“ gibt es nicht; "
                        "möglich sind die Plätze 1 bis %(places)d."
                    )
                    % {"place": place, "field": _field_name(key, labels), "places": places},
                    key,
                )
            )
        else:
            holders.setdefault(place, []).append(key)
    for place in sorted(holders):
        if len(holders[place]) > 1:
            names = ", ".join(f"„{_field_name(key, labels)}“" for key in holders[place])
            errors.append(
                BallotError(
                    "duplicate_rank",
                    gettext("Platz %(place)d ist mehrfach vergeben (%(fields)s).")
                    % {"place": place, "fields": names},
                )
            )
    missing = [place for place in range(1, places + 1) if place not in holders]
    if missing:
        errors.append(
            BallotError(
                "missing_rank",
                ngettext(
                    "Bitte vergeben Sie noch Platz %(places)s.",
                    "Bitte vergeben Sie noch die Plätze %(places)s.",
                    len(missing),
                )
                % {"places": ", ".join(str(place) for place in missing)},
            )
        )
    return errors


def _validate_rate(
    rules: RateRules, ratings: Mapping[Hashable, int], labels: Mapping[Hashable, str] | None
) -> list[BallotError]:
    errors: list[BallotError] = []
    for key, rating in ratings.items():
        if not rules.low <= rating <= rules.high:
            errors.append(
                BallotError(
                    "rating_out_of_range",
                    gettext(
                        "Bewertungen reichen von %(low)d bis %(high)d; „%(field)s“ hat %(rating)d."
                    )
                    % {
                        "low": rules.low,
                        "high": rules.high,
                        "field": _field_name(key, labels),
                        "rating": rating,
                    },
                    key,
                )
            )
    if rules.require_all:
        for key in rules.fields:
            if key not in ratings:
                errors.append(
                    BallotError(
                        "missing_rating",
                        gettext("Bitte bewerten Sie auch „%(field)s“.")
                        % {"field": _field_name(key, labels)},
                        key,
                    )
                )
    elif not ratings and not errors:
        errors.append(
            BallotError("empty_ballot", gettext("Bitte bewerten Sie mindestens ein Handlungsfeld."))
        )
    return errors


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

    With ``weights`` (one per ballot, e.g. from :func:`rake`) every estimate is weighted and
    its interval uses the effective sample size. Vectorised: a million pick-3-of-10 ballots
    take a few tens of milliseconds.
    """
    x = np.asarray(matrix)
    if x.ndim != 2 or x.shape[1] != len(rules.fields):
        raise ValueError(f"expected a matrix with {len(rules.fields)} columns, got {x.shape}")
    if x.shape[0] == 0:
        raise ValueError("no ballots to aggregate")
    w = None if weights is None else _as_weights(weights, x.shape[0])
    if w is not None and float(w.sum()) <= 0.0:
        raise ValueError("weights must not all be zero")
    if isinstance(rules, PickRules):
        return _aggregate_pick(rules, x, w, confidence)
    if isinstance(rules, PointsRules):
        return [
            FieldResult(
                key, _mean_estimate(x[:, j].astype(np.float64), w, confidence), int(x.shape[0])
            )
            for j, key in enumerate(rules.fields)
        ]
    if isinstance(rules, RankRules):
        return _aggregate_rank(rules, x, w, confidence)
    return _aggregate_rate(rules, x, w, confidence)


def _shares(
    counts: FloatArray, n: int, n_eff: float, total: float, confidence: float
) -> list[Estimate]:
    """Wilson intervals for several shares of the same ballots, vectorised."""
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
    estimates = _shares(counts, n, n_eff, total, confidence)
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
    top = _shares(firsts, n, n_eff, total, confidence)
    results = []
    for j, key in enumerate(rules.fields):
        column = x[:, j].astype(np.float64)
        column[column == 0] = unranked_place
        results.append(FieldResult(key, _mean_estimate(column, w, confidence), n, top_share=top[j]))
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
        distribution = _shares(
            counts[: scale.shape[0]].astype(np.float64), n, n_eff, total, confidence
        )
        mean = _mean_estimate(values.astype(np.float64), weights, confidence)
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
    :func:`encode_categories`). The result lists the categories in order, then "no answer"
    (label None) if anyone skipped the question. Groups below ``minimum`` are suppressed, and
    since the total number of ballots is published, one more group when only one is small
    (:func:`suppress_with_complement`). With ``weights`` the group results are weighted with
    the overall weights (raked to the whole sample), as usual for domain estimates. Optional
    ratings given by fewer than ``minimum`` people of a shown group are hidden as well.

    The ballots are sorted by group once so that each group is a contiguous slice; this keeps
    a million ballots with a dozen groups well under a second.
    """
    x = np.asarray(matrix)
    codes = np.asarray(groups, dtype=np.intp)
    if codes.shape != (x.shape[0],):
        raise ValueError("need one group code per ballot")
    if codes.size and (codes.min() < -1 or codes.max() >= len(categories)):
        raise ValueError("group codes must index categories (or be -1)")
    w = None if weights is None else _as_weights(weights, x.shape[0])
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
