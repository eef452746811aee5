"""Benchmark: project prioritisation numerics (issue 11) at 500 projects.

In-process NumPy/SciPy only — no gunicorn, no database: ``leitbild.numerics.mcda`` and
``leitbild.numerics.portfolio`` on synthetic data shaped like a large city's project list
(500 projects, 10 criteria of which 2 are computed and the same for every assessor, 5 assessors
scoring 0–10 with 15 % of the scores left empty; own-share costs spread over 1–3 of 5 budget
years, each year's budget 30 % of what all projects would need).

What is timed, each next to a baseline measured in the same run:

* **(a) SMAA** — ``smaa`` with 10,000 draws (weights Dirichlet(100 · w), one random assessor
  per project and criterion), best of ``--repeat``. Baseline: the same draw — pick scores,
  weighted sum, sort — as a plain Python loop, timed over ``--loop-draws`` draws and
  extrapolated linearly to 10,000 (the loop has no per-draw setup to amortise).
* **(b) exact portfolio** — ``optimal_portfolio`` (HiGHS MILP) with 50 acyclic dependencies and
  20 exclusions: the time to the first answer within 1 s and the gap HiGHS can prove then, the
  time to a proven 0.01 % gap (HiGHS' default), and the same for 50 and 100 projects.
  Baseline: ``greedy_portfolio`` along the expected-value ranking. Then ``--instances`` more
  random 500-project instances to a proven 0.01 % gap, each next to its greedy portfolio.
* **(c) robust portfolio** — ``robust_portfolio`` over 1,000 value draws at 500 projects with a
  time limit per draw (``--draw-limit``) and at 50 projects exact, each in one process (the
  baseline) and in ``--workers`` processes; 100 exact draws at 100 projects.

Peak memory: ``resource.getrusage(...).ru_maxrss`` of this process at the end.

Run: ``.venv/bin/python bench/prioritisation_bench.py [--repeat 3] [--robust-draws 1000]
[--draw-limit 0.1]``
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from leitbild.numerics import portfolio  # noqa: E402
from leitbild.numerics.mcda import normalise, ranks, smaa, value_draws, weighted_values  # noqa: E402
from leitbild.numerics.portfolio import (  # noqa: E402
    PortfolioProblem,
    greedy_portfolio,
    optimal_portfolio,
    robust_portfolio,
)

N_ASSESSORS, N_CRITERIA, N_YEARS = 5, 10, 5
LOWER = np.zeros(N_CRITERIA)
UPPER = np.full(N_CRITERIA, 10.0)
BENEFIT = np.array([True] * 8 + [False, False])  # the two computed criteria are costs
WEIGHTS = np.array([0.16, 0.14, 0.12, 0.12, 0.1, 0.1, 0.08, 0.06, 0.07, 0.05])


def out(text: str) -> None:
    """Print through a saved copy of stdout: HiGHS writes debug lines to fd 1 during solves."""
    os.write(_STDOUT, (text + "\n").encode())


_STDOUT = os.dup(1)


@contextlib.contextmanager
def quiet_solver() -> Iterator[None]:
    null = os.open(os.devnull, os.O_WRONLY)
    sys.stdout.flush()
    os.dup2(null, 1)
    try:
        yield
    finally:
        os.dup2(_STDOUT, 1)
        os.close(null)


def make_scores(n: int, rng: np.random.Generator) -> np.ndarray:
    scores = rng.integers(0, 11, size=(N_ASSESSORS, n, N_CRITERIA)).astype(float)
    scores[rng.random(scores.shape) < 0.15] = np.nan
    scores[0] = np.where(np.isnan(scores[0]), 5.0, scores[0])  # every cell scored once at least
    scores[:, :, 8:] = rng.uniform(0, 10, size=(n, 2))  # computed: the same for everyone
    return scores


def make_problem(n: int, values: np.ndarray, rng: np.random.Generator) -> PortfolioProblem:
    total = rng.lognormal(np.log(400_000), 0.8, size=n)
    duration = rng.integers(1, 4, size=n)
    start = rng.integers(0, N_YEARS, size=n)
    costs = np.zeros((n, N_YEARS))
    for i in range(n):
        years = range(start[i], min(N_YEARS, start[i] + duration[i]))
        costs[i, list(years)] = total[i] / duration[i]
    dependencies: set[tuple[int, int]] = set()
    while len(dependencies) < n // 10:
        a, b = sorted(int(x) for x in rng.choice(n, 2, replace=False))
        dependencies.add((b, a))  # b needs a, a < b: acyclic
    exclusions: set[tuple[int, int]] = set()
    while len(exclusions) < n // 25:
        a, b = sorted(int(x) for x in rng.choice(n, 2, replace=False))
        if (b, a) not in dependencies:
            exclusions.add((a, b))
    return PortfolioProblem(
        values=values,
        costs=costs,
        budgets=costs.sum(axis=0) * 0.3,
        dependencies=tuple(sorted(dependencies)),
        exclusions=tuple(sorted(exclusions)),
    )


def loop_draw(scores: np.ndarray, rng: np.random.Generator) -> list[int]:
    """One SMAA draw as plain Python: weights, a random assessor per cell, sum, sort."""
    n_assessors, n, n_criteria = scores.shape
    gammas = [rng.gamma(100 * w) for w in WEIGHTS]
    total = sum(gammas)
    weights = [g / total for g in gammas]
    values = []
    for p in range(n):
        value = 0.0
        for c in range(n_criteria):
            scored = [
                scores[a, p, c] for a in range(n_assessors) if scores[a, p, c] == scores[a, p, c]
            ]
            x = (scored[int(rng.integers(len(scored)))] - LOWER[c]) / (UPPER[c] - LOWER[c])
            value += weights[c] * (x if BENEFIT[c] else 1 - x)
        values.append(value)
    return sorted(range(n), key=lambda i: -values[i])


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def bench_smaa(scores: np.ndarray, args) -> np.ndarray:
    out("## (a) Ranking + SMAA, 500 projects × 10 criteria × 5 assessors")
    norm = normalise(np.nanmean(scores, axis=0), lower=LOWER, upper=UPPER, benefit=BENEFIT)
    t_rank, _ = timed(lambda: ranks(weighted_values(norm, WEIGHTS)))
    times = []
    result = None
    for _ in range(args.repeat):
        t, result = timed(
            smaa, scores, lower=LOWER, upper=UPPER, benefit=BENEFIT, weights=WEIGHTS,
            draws=10_000, seed=1,
        )  # fmt: skip
        times.append(t)
    assert result is not None
    rng = np.random.default_rng(2)
    t_loop, _ = timed(lambda: [loop_draw(scores, rng) for _ in range(args.loop_draws)])
    per_draw = t_loop / args.loop_draws
    out(f"ranking (one weighted sum + ranks, vectorised): {t_rank * 1000:.2f} ms")
    out(
        f"smaa 10,000 draws: best {min(times):.3f} s, runs {', '.join(f'{t:.3f}' for t in times)}"
        f" (target ≤ 1 s)"
    )
    out(
        f"plain Python loop: {per_draw * 1000:.1f} ms per draw ({args.loop_draws} draws timed) → "
        f"{per_draw * 10_000:.0f} s for 10,000 draws, {per_draw * 10_000 / min(times):.0f}× slower"
    )
    robust = int(result.robust.sum())
    out(f"robust projects (one rank in > 90 % of draws): {robust}; top-5 of rank 1: "
        f"{np.round(np.sort(result.rank_acceptability[:, 0])[::-1][:5], 3).tolist()}")  # fmt: skip
    return result.expected_rank


def scipy_portfolio(problem: PortfolioProblem, time_limit: float) -> tuple[float, bool, float]:
    """Baseline: the same model (read back from HiGHS) solved by ``scipy.optimize.milp``."""
    lp = portfolio._model(portfolio._check(problem)).highs.getLp()
    n = lp.num_col_
    matrix = sparse.csc_matrix(
        (lp.a_matrix_.value_, lp.a_matrix_.index_, lp.a_matrix_.start_), shape=(lp.num_row_, n)
    )
    start = time.perf_counter()
    result = milp(
        -np.asarray(problem.values, dtype=float),
        constraints=(LinearConstraint(matrix, lp.row_lower_, lp.row_upper_),),
        integrality=np.ones(n),
        bounds=Bounds(lp.col_lower_, lp.col_upper_),
        options={"mip_rel_gap": 1e-4, "time_limit": time_limit},
    )
    return time.perf_counter() - start, result.status == 0, float(result.mip_gap)


def make_problems(scores: np.ndarray) -> dict[int, PortfolioProblem]:
    """Portfolio problems of the first 50, 100, 200 and 500 projects, valued by their mean."""
    rng = np.random.default_rng(3)
    problems = {}
    for n in (50, 100, 200, 500):
        values = value_draws(
            scores[:, :n], lower=LOWER, upper=UPPER, benefit=BENEFIT, weights=WEIGHTS, draws=1000
        ).mean(axis=0)
        problems[n] = make_problem(n, values, rng)
    return problems


def bench_portfolio(problems: dict[int, PortfolioProblem], args) -> None:
    out("\n## (b) Exact portfolio: 5 budget years, n/10 dependencies, n/25 exclusions")
    for n, problem in problems.items():
        order = np.argsort(-problem.values)
        t_greedy, greedy = timed(greedy_portfolio, problem, order)
        with quiet_solver():
            t_fast, fast = timed(optimal_portfolio, problem, time_limit=1.0)
            t_proven, proven = timed(optimal_portfolio, problem, time_limit=args.proof_limit)
            t_exact, exact = timed(
                optimal_portfolio, problem, mip_rel_gap=0.0, time_limit=args.proof_limit
            )
            t_scipy, scipy_proven, scipy_gap = scipy_portfolio(problem, args.proof_limit)
        bound = proven.value / (1 - proven.gap) if proven.gap < 1 else float("inf")
        out(
            f"n={n}: limit 1 s → {t_fast:.3f} s, optimal={fast.optimal}, gap {fast.gap:.1e}, "
            f"{fast.selected.sum()} projects | to a proven 1e-4 gap: {t_proven:.2f} s "
            f"(optimal={proven.optimal}, gap {proven.gap:.1e}) | gap 0: {t_exact:.2f} s "
            f"(optimal={exact.optimal}) | baseline scipy milp to 1e-4: {t_scipy:.2f} s "
            f"(optimal={scipy_proven}, gap {scipy_gap:.1e}) | greedy {t_greedy * 1000:.2f} ms, "
            f"value {greedy.value / bound:.4f} of the MILP bound, MILP within 1 s "
            f"{fast.value / bound:.4f}"
        )
    bench_instances(args)


def bench_instances(args) -> None:
    """The proof time varies by an order of magnitude between instances of the same shape:
    ``--instances`` more at 500 projects, each to a proven 0.01 % gap (the time limit is
    ``--proof-limit``). Baseline: the greedy portfolio along the value ranking, same run."""
    out(f"\n500 projects, {args.instances} more random instances, to a proven 1e-4 gap:")
    times = []
    for seed in range(args.instances):
        scores = make_scores(500, np.random.default_rng(10 + seed))
        values = value_draws(
            scores, lower=LOWER, upper=UPPER, benefit=BENEFIT, weights=WEIGHTS, draws=1000
        ).mean(axis=0)
        problem = make_problem(500, values, np.random.default_rng(100 + seed))
        t_greedy, greedy = timed(greedy_portfolio, problem, np.argsort(-values))
        with quiet_solver():
            t, result = timed(optimal_portfolio, problem, time_limit=args.proof_limit)
        times.append(t)
        out(
            f"instance {seed + 1}: {t:.2f} s (optimal={result.optimal}, gap {result.gap:.1e}) "
            f"| greedy {t_greedy * 1000:.2f} ms, value {greedy.value / result.value:.4f} of it"
        )
    out(f"median {np.median(times):.1f} s, range {min(times):.1f}–{max(times):.1f} s")


def bench_robust(scores: np.ndarray, problems: dict[int, PortfolioProblem], args) -> None:
    out(f"\n## (c) Robust portfolio (workers: {args.workers} processes, baseline 1)")
    for n, count, limit, workers in (
        (500, args.robust_draws, args.draw_limit, 1),
        (500, args.robust_draws, args.draw_limit, args.workers),
        (50, args.robust_draws, None, 1),
        (50, args.robust_draws, None, args.workers),
        (100, args.exact_draws, None, 1),
    ):
        draws = value_draws(
            scores[:, :n], lower=LOWER, upper=UPPER, benefit=BENEFIT, weights=WEIGHTS,
            draws=count, seed=4,
        )  # fmt: skip
        with quiet_solver():
            t, result = timed(
                robust_portfolio, problems[n], draws, time_limit=limit, workers=workers
            )
        out(
            f"n={n}, {count} draws, {workers} worker(s), time limit per draw {limit}: {t:.1f} s "
            f"({t / count * 1000:.0f} ms per draw; target ≤ 60 s for 1,000) | core "
            f"{result.core.sum()}, borderline {result.borderline.sum()}, exterior "
            f"{result.exterior.sum()} | proven (gap ≤ 1e-4): {count - result.unproven} of "
            f"{count}, largest gap {result.max_gap:.2e}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--loop-draws", type=int, default=10)
    parser.add_argument("--proof-limit", type=float, default=120.0)
    parser.add_argument("--robust-draws", type=int, default=1000)
    parser.add_argument("--draw-limit", type=float, default=0.1)
    parser.add_argument("--exact-draws", type=int, default=100)
    parser.add_argument("--instances", type=int, default=5)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--sections", default="abc", help="which of (a), (b), (c) to run")
    args = parser.parse_args()
    out(f"{os.cpu_count()} CPU cores | load average before {os.getloadavg()[0]:.2f}")
    scores = make_scores(500, np.random.default_rng(0))
    if "a" in args.sections:
        bench_smaa(scores, args)
    problems = make_problems(scores)
    if "b" in args.sections:
        bench_portfolio(problems, args)
    if "c" in args.sections:
        bench_robust(scores, problems, args)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out(f"\npeak memory (maxrss): {peak:.0f} MB | load average after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
