"""Weighting to population shares: raking (iterative proportional fitting).

Messages are German and marked for the translation catalogue; this package does not import
Django, so a caller that shows them translates :class:`RakingError` with ``error.translate``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from leitbild.numerics.intervals import FloatArray, effective_sample_size

IntArray = NDArray[np.intp]


def gettext_noop(message: str) -> str:
    """Marks a message for ``makemessages`` (a keyword it knows); the caller translates it."""
    return message


class RakingError(ValueError):
    """The weighting cannot be computed from these answers and targets.

    ``str(error)`` is the German message; ``message_id`` and ``params`` let a caller that shows
    it translate it first, see :meth:`translate`.
    """

    def __init__(self, message_id: str, params: Mapping[str, object] | None = None) -> None:
        self.message_id = message_id
        self.params = dict(params or {})
        super().__init__(message_id % self.params if self.params else message_id)

    def translate(self, gettext: Callable[[str], str]) -> str:
        """The message in the active language, e.g. ``error.translate(gettext)`` in a view."""
        translated = gettext(self.message_id)
        return translated % self.params if self.params else translated


class RakingNotConvergedError(RakingError):
    """Raking stopped at ``max_iterations`` without matching the targets.

    Usually the targets contradict the sample (e.g. a joint cell with respondents whose margins
    demand zero weight). ``result`` holds the last weights for diagnosis; do not publish them.
    """

    def __init__(self, message_id: str, params: Mapping[str, object], result: RakingResult) -> None:
        super().__init__(message_id, params)
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
        raise RakingError(gettext_noop("Für jede Frage braucht es Antworten und Zielanteile."))
    codes: dict[str, IntArray] = {}
    target_arrays: dict[str, FloatArray] = {}
    for question, answers in categories.items():
        known = list(targets[question])
        try:
            codes[question] = encode_categories(answers, known)
        except ValueError as error:
            raise RakingError(
                gettext_noop(
                    "Für die Antwort „%(answer)s“ auf „%(question)s“ fehlt ein Zielanteil."
                ),
                {"answer": _category_label(error.args[0]), "question": question},
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
        raise RakingError(gettext_noop("Es ist keine Frage zur Gewichtung angegeben."))
    if set(codes) != set(targets):
        raise RakingError(gettext_noop("Für jede Frage braucht es Antworten und Zielanteile."))
    questions = list(codes)
    code_arrays = [np.asarray(codes[q], dtype=np.intp) for q in questions]
    n = int(code_arrays[0].shape[0])
    if n == 0:
        raise RakingError(gettext_noop("Es gibt keine Antworten, die gewichtet werden könnten."))
    if any(c.shape != (n,) for c in code_arrays):
        raise RakingError(gettext_noop("Jede Frage braucht genau eine Antwort je Person."))

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
                gettext_noop("„%(question)s“ hat keine Zielanteile."), {"question": question}
            )
        if not np.all(np.isfinite(target)) or np.any(target < 0):
            raise RakingError(
                gettext_noop("Zielanteile für „%(question)s“ dürfen nicht negativ sein."),
                {"question": question},
            )
        target_sum = float(target.sum())
        if abs(target_sum - 1.0) > target_sum_tolerance:
            raise RakingError(
                gettext_noop(
                    "Die Zielanteile für „%(question)s“ ergeben zusammen %(sum)s statt 1."
                ),
                {"question": question, "sum": f"{target_sum:.4g}"},
            )
        if c.min() < -1 or c.max() >= target.shape[0]:
            raise RakingError(
                gettext_noop("„%(question)s“ hat Antworten ohne Zielanteil."),
                {"question": question},
            )
        counts = np.bincount(c + 1, minlength=target.shape[0] + 1)
        empty = np.flatnonzero((counts[1:] == 0) & (target > 0))
        if empty.size:
            raise RakingError(
                gettext_noop(
                    "Für „%(category)s“ (%(question)s) ist ein Zielanteil angegeben, aber "
                    "niemand hat so geantwortet. Fassen Sie Kategorien zusammen."
                ),
                {"category": label(question, int(empty[0])), "question": question},
            )
        excluded = np.flatnonzero((counts[1:] > 0) & (target == 0))
        if excluded.size:
            raise RakingError(
                gettext_noop(
                    "„%(category)s“ (%(question)s) hat den Zielanteil 0, aber es gibt "
                    "Antworten in dieser Kategorie."
                ),
                {"category": label(question, int(excluded[0])), "question": question},
            )
        if counts[0] == n:
            raise RakingError(
                gettext_noop("Niemand hat „%(question)s“ beantwortet."), {"question": question}
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
            gettext_noop(
                "Die Gewichtung ist nach %(iterations)d Durchläufen nicht aufgegangen "
                "(Abweichung %(error)s). Passen die Zielanteile zueinander?"
            ),
            {"iterations": iterations, "error": f"{max_error:.2g}"},
            result,
        )
    return result
