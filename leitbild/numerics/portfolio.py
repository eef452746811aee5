"""Project portfolios under yearly budgets: exact MILP, the greedy baseline, robust shares.

The optimal portfolio maximises the sum of the projects' values subject to each budget year's
own-share budget, mandatory projects, mutual exclusions, dependencies (b needs a) and "at least
one per group", as a 0-1 MILP solved by HiGHS through ``highspy`` (branch and cut, proven
optimal up to ``mip_rel_gap``). The robust portfolio follows robust portfolio
modelling (Liesiö, Mild & Salo 2007, "Preference programming for robust portfolio modeling and
project selection", EJOR 181, 1488–1505) in its sampling form: the MILP is solved for each SMAA
draw of the values and a project's share of optimal portfolios sorts it into core (≥ 95 %),
borderline and exterior (≤ 5 %).
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field

import highspy
import numpy as np
from numpy.typing import ArrayLike
from scipy import sparse

from leitbild.numerics.mcda import BoolArray, FloatArray, InputError

CORE_SHARE = 0.95
EXTERIOR_SHARE = 0.05
_FEASIBILITY_TOLERANCE = 1e-9


_BANNER_SHOWN = False


def _new_highs() -> highspy.Highs:
    """A silent HiGHS instance. HiGHS prints its copyright banner to the process's stdout (file
    descriptor 1, below Python) the first time one is created: in a web worker or the task
    worker that is noise in the service log, so the first creation runs with fd 1 on
    /dev/null."""
    global _BANNER_SHOWN
    if _BANNER_SHOWN:
        highs = highspy.Highs()
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, 1)
            highs = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(null)
        _BANNER_SHOWN = True
    highs.setOptionValue("output_flag", False)
    return highs


@dataclass(frozen=True)
class PortfolioProblem:
    """Values (n,), own-share costs (n, n_years), budgets (n_years,) and the side rules."""

    values: np.ndarray
    costs: np.ndarray
    budgets: np.ndarray
    mandatory: frozenset[int] = frozenset()
    exclusions: tuple[tuple[int, int], ...] = ()
    dependencies: tuple[tuple[int, int], ...] = ()  # (b, a): b needs a
    groups: tuple[frozenset[int], ...] = ()


@dataclass(frozen=True)
class Reason:
    """Why no portfolio satisfies the rules: a machine ``code`` and where (``detail``)."""

    code: str
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PortfolioResult:
    """The chosen projects. ``optimal`` False: stopped at the time limit, ``gap`` is the proven
    relative distance to the best possible value (0 when proven optimal)."""

    selected: BoolArray
    value: float
    spent: FloatArray
    feasible: bool
    reasons: tuple[Reason, ...]
    optimal: bool = True
    gap: float = 0.0


@dataclass(frozen=True)
class RobustResult:
    """Share of the draws' optimal portfolios that contain each project, and the three classes.

    If the rules admit no portfolio, ``feasible`` is False, ``reasons`` says why, the shares
    are zero and no project is in any class.
    """

    share: FloatArray
    core: BoolArray
    borderline: BoolArray
    exterior: BoolArray
    draws: int
    feasible: bool = True
    reasons: tuple[Reason, ...] = ()
    unproven: int = 0  # draws stopped at the time limit
    max_gap: float = 0.0


# --- Validation and graph helpers ------------------------------------------------------------


@dataclass(frozen=True)
class _Checked:
    values: FloatArray
    costs: FloatArray
    budgets: FloatArray
    mandatory: tuple[int, ...]
    exclusions: tuple[tuple[int, int], ...]
    dependencies: tuple[tuple[int, int], ...]
    groups: tuple[tuple[int, ...], ...]

    @property
    def n(self) -> int:
        return self.values.size


def _index(n: int, value: object, what: str) -> int:
    index = int(value)  # type: ignore[call-overload]
    if not 0 <= index < n:
        raise InputError(
            "portfolio_index",
            f"{what} names project {index}, but there are {n}.",
            {"project": index},
        )
    return index


def _check(problem: PortfolioProblem, values: ArrayLike | None = None) -> _Checked:
    v = np.asarray(problem.values if values is None else values, dtype=float)
    if v.ndim != 1 or v.size == 0:
        raise InputError("no_projects", "There are no projects.")
    n = v.size
    if not np.isfinite(v).all() or (v < 0).any():
        bad = int(np.flatnonzero(~(np.isfinite(v) & (v >= 0)))[0])
        raise InputError("values_negative", f"Value of project {bad} is invalid.", {"project": bad})
    costs = np.asarray(problem.costs, dtype=float)
    if costs.ndim == 1:
        costs = costs[:, np.newaxis]
    budgets = np.atleast_1d(np.asarray(problem.budgets, dtype=float))
    if costs.shape != (n, budgets.size):
        raise InputError(
            "costs_shape",
            f"Costs need the shape (projects, years) = ({n}, {budgets.size}), not {costs.shape}.",
        )
    if not np.isfinite(costs).all() or (costs < 0).any():
        p, y = (int(i) for i in np.argwhere(~(np.isfinite(costs) & (costs >= 0)))[0])
        raise InputError(
            "costs_negative",
            f"Cost of project {p} in year {y} is invalid.",
            {"project": p, "year_index": y},
        )
    if not np.isfinite(budgets).all() or (budgets < 0).any():
        y = int(np.flatnonzero(~(np.isfinite(budgets) & (budgets >= 0)))[0])
        raise InputError("budget_negative", f"Budget of year {y} is invalid.", {"year_index": y})
    mandatory = tuple(sorted({_index(n, i, "A mandatory project") for i in problem.mandatory}))
    exclusions = []
    for a, b in problem.exclusions:
        a, b = _index(n, a, "An exclusion"), _index(n, b, "An exclusion")
        if a == b:
            raise InputError(
                "exclusion_self", f"Project {a} cannot exclude itself.", {"projects": [a]}
            )
        exclusions.append((min(a, b), max(a, b)))
    dependencies = tuple(
        (_index(n, b, "A dependency"), _index(n, a, "A dependency"))
        for b, a in problem.dependencies
    )
    groups = tuple(
        tuple(sorted({_index(n, i, "A group") for i in group})) for group in problem.groups
    )
    return _Checked(
        v, costs, budgets, mandatory, tuple(sorted(set(exclusions))), dependencies, groups
    )


def check_dependencies(n: int, dependencies: Iterable[tuple[int, int]]) -> list[int] | None:
    """A cycle of the dependency graph, or None.

    ``dependencies`` holds pairs (b, a): b needs a. The cycle is returned as project indices
    ``[p0, p1, …, pk]`` where each needs the next and pk needs p0 (``[p]`` if p needs itself).
    """
    needs: list[list[int]] = [[] for _ in range(n)]
    for b, a in dependencies:
        needs[_index(n, b, "A dependency")].append(_index(n, a, "A dependency"))
    state = [0] * n  # 0 new, 1 on the current path, 2 done
    for start in range(n):
        if state[start]:
            continue
        path = [start]
        iterators = [iter(needs[start])]
        state[start] = 1
        while iterators:
            nxt = next(iterators[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                iterators.pop()
            elif state[nxt] == 1:
                return path[path.index(nxt) :]
            elif state[nxt] == 0:
                state[nxt] = 1
                path.append(nxt)
                iterators.append(iter(needs[nxt]))
    return None


def _closure(start: Iterable[int], needs: Sequence[Sequence[int]]) -> set[int]:
    """The projects together with everything they need, transitively."""
    seen = set(start)
    stack = list(seen)
    while stack:
        for a in needs[stack.pop()]:
            if a not in seen:
                seen.add(a)
                stack.append(a)
    return seen


def _needs(c: _Checked) -> list[list[int]]:
    needs: list[list[int]] = [[] for _ in range(c.n)]
    for b, a in c.dependencies:
        needs[b].append(a)
    return needs


def _result(c: _Checked, selected: BoolArray, *, optimal: bool = True, gap: float = 0.0):
    return PortfolioResult(
        selected=selected,
        value=float(c.values[selected].sum()),
        spent=c.costs[selected].sum(axis=0),
        feasible=True,
        reasons=(),
        optimal=optimal,
        gap=gap,
    )


def _infeasible(c: _Checked, reasons: Iterable[Reason]) -> PortfolioResult:
    return PortfolioResult(
        selected=np.zeros(c.n, dtype=bool),
        value=0.0,
        spent=np.zeros(c.budgets.size),
        feasible=False,
        reasons=tuple(reasons),
    )


def _mandatory_reasons(c: _Checked, needs: Sequence[Sequence[int]]) -> list[Reason]:
    """What the mandatory projects and what they need break on their own."""
    reasons: list[Reason] = []
    required = _closure(c.mandatory, needs)
    direct = set(c.mandatory)
    for a, b in c.exclusions:
        if a in required and b in required:
            code = (
                "mandatory_exclusion"
                if a in direct and b in direct
                else ("mandatory_dependency_excluded")
            )
            reasons.append(Reason(code, {"projects": [a, b]}))
    chosen = sorted(required)
    needed = c.costs[chosen].sum(axis=0) if chosen else np.zeros(c.budgets.size)
    for y in np.flatnonzero(needed > c.budgets * (1 + _FEASIBILITY_TOLERANCE) + 1e-9):
        reasons.append(
            Reason(
                "budget_year",
                {
                    "year_index": int(y),
                    "needed": float(needed[y]),
                    "budget": float(c.budgets[y]),
                    "projects": chosen,
                },
            )
        )
    if reasons:
        return reasons
    excluded_pairs = set(c.exclusions)
    for k, group in enumerate(c.groups):
        reachable = False
        for i in group:
            together = required | _closure([i], needs)
            spend = c.costs[sorted(together)].sum(axis=0)
            if (spend > c.budgets * (1 + _FEASIBILITY_TOLERANCE) + 1e-9).any():
                continue
            if any(a in together and b in together for a, b in excluded_pairs):
                continue
            reachable = True
            break
        if not reachable:
            reasons.append(Reason("group_unreachable", {"group_index": k, "projects": list(group)}))
    return reasons


# --- The MILP --------------------------------------------------------------------------------


class _Model:
    """The MILP passed to HiGHS once; each solve only changes the objective.

    ``highspy`` (the HiGHS team's own binding) rather than :func:`scipy.optimize.milp`: it
    keeps the model between solves (the robust portfolio changes only the objective per draw)
    and brings a newer HiGHS, which proved the
    500-project benchmark optimal 2-3x faster than the HiGHS inside SciPy 1.17.
    """

    def __init__(
        self,
        n: int,
        matrix: sparse.csc_matrix | None,
        row_lower: FloatArray,
        row_upper: FloatArray,
        col_lower: FloatArray,
    ) -> None:
        self.n = n
        self.highs = _new_highs()
        lp = highspy.HighsLp()
        lp.num_col_ = n
        lp.col_cost_ = np.zeros(n)
        lp.col_lower_ = col_lower
        lp.col_upper_ = np.ones(n)
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n
        lp.sense_ = highspy.ObjSense.kMaximize
        if matrix is not None and matrix.shape[0]:
            lp.num_row_ = matrix.shape[0]
            lp.row_lower_ = row_lower
            lp.row_upper_ = row_upper
            lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
            lp.a_matrix_.start_ = matrix.indptr
            lp.a_matrix_.index_ = matrix.indices
            lp.a_matrix_.value_ = matrix.data
            lp.a_matrix_.num_col_ = n
            lp.a_matrix_.num_row_ = matrix.shape[0]
        self.highs.passModel(lp)
        self._columns = np.arange(n, dtype=np.int32)

    def solve(
        self,
        objective: FloatArray,
        *,
        mip_rel_gap: float,
        time_limit: float | None,
    ) -> tuple[BoolArray | None, bool, float]:
        """Maximises ``objective``; returns (selection or None if infeasible, proven, gap)."""
        highs = self.highs
        highs.setOptionValue("mip_rel_gap", float(mip_rel_gap))
        highs.setOptionValue("time_limit", math.inf if time_limit is None else float(time_limit))
        highs.changeColsCost(self.n, self._columns, np.asarray(objective, dtype=float))
        highs.run()
        status = highs.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return None, True, 0.0
        info = highs.getInfo()
        if info.primal_solution_status != highspy.SolutionStatus.kSolutionStatusFeasible:
            if status == highspy.HighsModelStatus.kTimeLimit:
                raise TimeoutError("No portfolio found within the time limit.")
            raise RuntimeError(f"HiGHS stopped with {status}.")  # pragma: no cover
        selection = np.asarray(highs.getSolution().col_value) > 0.5
        proven = status == highspy.HighsModelStatus.kOptimal
        gap = float(info.mip_gap) if math.isfinite(info.mip_gap) else math.inf
        return selection, proven, gap


def _model(
    c: _Checked,
    *,
    budgets: bool | Sequence[bool] = True,
    exclusions: bool = True,
    groups: bool = True,
    mandatory: bool = True,
) -> _Model:
    n = c.n
    keep_year = [budgets] * c.budgets.size if isinstance(budgets, bool) else list(budgets)
    rows: list[sparse.spmatrix] = []
    upper: list[FloatArray] = []
    lower: list[FloatArray] = []
    years = [y for y in range(c.budgets.size) if keep_year[y]]
    if years:
        rows.append(sparse.csr_matrix(c.costs[:, years].T))
        upper.append(c.budgets[years])
        lower.append(np.full(len(years), -np.inf))
    pairs: list[tuple[int, int, float]] = []  # (row, column, coefficient)
    row = 0
    side_upper: list[float] = []
    side_lower: list[float] = []
    for b, a in c.dependencies:
        if a != b:
            pairs += [(row, b, 1.0), (row, a, -1.0)]
            side_upper.append(0.0)
            side_lower.append(-np.inf)
            row += 1
    if exclusions:
        for a, b in c.exclusions:
            pairs += [(row, a, 1.0), (row, b, 1.0)]
            side_upper.append(1.0)
            side_lower.append(-np.inf)
            row += 1
    if groups:
        for group in c.groups:
            pairs += [(row, i, 1.0) for i in group]
            side_upper.append(np.inf)
            side_lower.append(1.0)
            row += 1
    if row:
        r, col, val = zip(*pairs, strict=True) if pairs else ((), (), ())
        rows.append(sparse.csr_matrix((val, (r, col)), shape=(row, n)))
        upper.append(np.array(side_upper))
        lower.append(np.array(side_lower))
    lb = np.zeros(n)
    if mandatory and c.mandatory:
        lb[list(c.mandatory)] = 1.0
    if not rows:
        return _Model(n, None, np.zeros(0), np.zeros(0), lb)
    matrix = sparse.vstack(rows, format="csc")
    matrix.sort_indices()
    return _Model(n, matrix, np.concatenate(lower), np.concatenate(upper), lb)


def _solve(
    model: _Model, objective: FloatArray, *, mip_rel_gap: float, time_limit: float | None
) -> tuple[BoolArray | None, bool, float]:
    """Maximises ``objective``; returns (selection or None if infeasible, proven, gap)."""
    return model.solve(objective, mip_rel_gap=mip_rel_gap, time_limit=time_limit)


def _feasible(c: _Checked, **relax: object) -> bool:
    model = _model(c, **relax)  # type: ignore[arg-type]
    selection, _, _ = _solve(model, np.zeros(c.n), mip_rel_gap=1.0, time_limit=None)
    return selection is not None


def _families(c: _Checked) -> list[tuple[str, int | None]]:
    families: list[tuple[str, int | None]] = [("budget_year", y) for y in range(c.budgets.size)]
    if c.groups:
        families.append(("groups", None))
    if c.exclusions:
        families.append(("exclusions", None))
    if c.mandatory:
        families.append(("mandatory", None))
    return families


def _relaxation(c: _Checked, dropped: Sequence[tuple[str, int | None]]) -> dict[str, object]:
    names = {name for name, _ in dropped}
    years = [("budget_year", y) not in dropped for y in range(c.budgets.size)]
    return {
        "budgets": years,
        "groups": "groups" not in names,
        "exclusions": "exclusions" not in names,
        "mandatory": "mandatory" not in names,
    }


def _conflict_reasons(c: _Checked) -> list[Reason]:
    """The smallest set of constraint families whose removal makes the rules satisfiable."""
    families = _families(c)
    for size in range(1, len(families) + 1):
        for dropped in itertools.combinations(families, size):
            relax = _relaxation(c, dropped)
            if not _feasible(c, **relax):
                continue
            reasons = []
            model = _model(c, **relax)  # type: ignore[arg-type]
            for name, year in dropped:
                if name == "budget_year":
                    assert year is not None
                    selection, _, _ = _solve(
                        model, -c.costs[:, year], mip_rel_gap=1e-6, time_limit=None
                    )
                    assert selection is not None
                    reasons.append(
                        Reason(
                            "budget_year",
                            {
                                "year_index": year,
                                "needed": float(c.costs[selection, year].sum()),
                                "budget": float(c.budgets[year]),
                                "combined": size > 1,
                            },
                        )
                    )
                elif name == "groups":
                    reasons.append(
                        Reason("group_conflict", {"groups": [list(g) for g in c.groups]})
                    )
                elif name == "exclusions":
                    reasons.append(
                        Reason("exclusion_conflict", {"pairs": [list(p) for p in c.exclusions]})
                    )
                else:
                    reasons.append(Reason("mandatory_conflict", {"projects": list(c.mandatory)}))
            return reasons
    return [Reason("unexplained", {})]


def optimal_portfolio(
    problem: PortfolioProblem, *, mip_rel_gap: float = 1e-4, time_limit: float | None = 30.0
) -> PortfolioResult:
    """The portfolio of greatest total value that keeps every rule: a 0-1 MILP (HiGHS).

    Proven optimal up to the relative gap ``mip_rel_gap`` (HiGHS' default 1e-4; 0 for exact);
    at ``time_limit`` seconds the best portfolio found is returned with ``optimal`` False and
    the proven ``gap``. Bad indices or negative values raise :class:`InputError`. A dependency
    cycle is reported as ``feasible`` False with reason ``"dependency_cycle"``. If no portfolio
    keeps the rules, the reasons say why: mandatory projects (with what they need) over a
    year's budget (``"budget_year"``) or excluding each other (``"mandatory_exclusion"``,
    ``"mandatory_dependency_excluded"``), a group without any affordable project
    (``"group_unreachable"``); failing those, the smallest set of constraint families (each
    year's budget, the groups, the exclusions, the mandatory projects) whose removal restores
    feasibility (``"budget_year"`` with the least spend needed, ``"group_conflict"``,
    ``"exclusion_conflict"``, ``"mandatory_conflict"``).
    """
    c = _check(problem)
    cycle = check_dependencies(c.n, c.dependencies)
    if cycle is not None:
        return _infeasible(c, [Reason("dependency_cycle", {"projects": cycle})])
    needs = _needs(c)
    reasons = _mandatory_reasons(c, needs)
    if reasons:
        return _infeasible(c, reasons)
    model = _model(c)
    try:
        selection, proven, gap = _solve(
            model, c.values, mip_rel_gap=mip_rel_gap, time_limit=time_limit
        )
    except TimeoutError:
        return _infeasible(c, [Reason("time_limit", {"seconds": time_limit})])
    if selection is None:
        return _infeasible(c, _conflict_reasons(c))
    return _result(c, selection, optimal=proven, gap=gap)


def greedy_portfolio(problem: PortfolioProblem, order: ArrayLike) -> PortfolioResult:
    """The baseline "take the ranking from the top until the money runs out".

    Mandatory projects (with everything they need) first; then each project in ``order``
    (indices, best first) that fits every year's remaining budget, excludes none already
    chosen and whose dependencies are all already chosen (otherwise it is skipped). A group
    left without a project makes the result infeasible with reason ``"group_not_covered"``.
    """
    c = _check(problem)
    cycle = check_dependencies(c.n, c.dependencies)
    if cycle is not None:
        return _infeasible(c, [Reason("dependency_cycle", {"projects": cycle})])
    needs = _needs(c)
    reasons = [r for r in _mandatory_reasons(c, needs) if r.code != "group_unreachable"]
    if reasons:
        return _infeasible(c, reasons)
    selected = np.zeros(c.n, dtype=bool)
    selected[sorted(_closure(c.mandatory, needs))] = True
    remaining = c.budgets - c.costs[selected].sum(axis=0)
    excludes: list[list[int]] = [[] for _ in range(c.n)]
    for a, b in c.exclusions:
        excludes[a].append(b)
        excludes[b].append(a)
    slack = 1e-9 * np.maximum(1.0, c.budgets)
    for raw in np.asarray(order).ravel():
        i = _index(c.n, raw, "The order")
        if selected[i]:
            continue
        if not all(selected[a] for a in needs[i]) or any(selected[b] for b in excludes[i]):
            continue
        if (c.costs[i] > remaining + slack).any():
            continue
        selected[i] = True
        remaining = remaining - c.costs[i]
    missed = [
        Reason("group_not_covered", {"group_index": k, "projects": list(g)})
        for k, g in enumerate(c.groups)
        if not selected[list(g)].any()
    ]
    result = _result(c, selected)
    if missed:
        return PortfolioResult(result.selected, result.value, result.spent, False, tuple(missed))
    return result


# Below this many project-draws (draws × projects) the draws are solved in this process even if
# more workers are allowed: starting a worker (NumPy, SciPy and HiGHS imported afresh) costs
# about as long as 1,000 draws of 50 projects.
PARALLEL_MIN_WORK = 50_000


@dataclass
class _Tally:
    counts: FloatArray
    done: int = 0
    unproven: int = 0
    max_gap: float = 0.0

    def add(self, other: _Tally) -> None:
        self.counts += other.counts
        self.done += other.done
        self.unproven += other.unproven
        self.max_gap = max(self.max_gap, other.max_gap)


def _solve_draws(
    problem: PortfolioProblem,
    draws: FloatArray,
    fallback: BoolArray,
    mip_rel_gap: float,
    time_limit: float | None,
    each: Callable[[int], None] | None = None,
    single_thread: bool = False,
) -> _Tally:
    """The optimal portfolio of each row of ``draws``, counted: one model, objectives changed.

    Runs in a worker process too, so it takes the problem and returns plain arrays. No
    starting portfolio (``setSolution``) from the previous draw: with HiGHS 1.16 that made
    some draws return the start itself as "optimal" after the objective had changed
    (test_each_robust_draw_is_the_brute_force_optimum_despite_the_warm_start).
    """
    c = _check(problem)
    model = _model(c)
    if single_thread:
        # A worker process among others: HiGHS' own helper threads (symmetry detection, by
        # default half the cores) would compete with the other workers for the same cores.
        model.highs.setOptionValue("threads", 1)
    tally = _Tally(np.zeros(c.n))
    for row in draws:
        try:
            selection, proven, gap = model.solve(
                row, mip_rel_gap=mip_rel_gap, time_limit=time_limit
            )
        except TimeoutError:
            selection, proven, gap = fallback, False, math.inf
        assert selection is not None
        tally.counts += selection
        tally.done += 1
        if not proven:
            tally.unproven += 1
            tally.max_gap = max(tally.max_gap, gap)
        if each is not None:
            each(tally.done)
    return tally


def _solve_draws_in_workers(
    problem: PortfolioProblem,
    draws: FloatArray,
    fallback: BoolArray,
    mip_rel_gap: float,
    time_limit: float | None,
    workers: int,
    progress: Callable[[int, int], None] | None,
) -> _Tally:
    """The draws in batches over ``workers`` fresh processes ("spawn": the caller may be a
    threaded web or task worker, which must not be forked). Each draw is solved exactly as in
    one process; ``progress`` is called after each batch."""
    total = draws.shape[0]
    batches = np.array_split(np.arange(total), min(total, workers * 10))
    tally = _Tally(np.zeros(draws.shape[1]))
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [
            pool.submit(
                _solve_draws,
                problem,
                draws[b],
                fallback,
                mip_rel_gap,
                time_limit,
                single_thread=True,
            )
            for b in batches
        ]
        for future in as_completed(futures):
            tally.add(future.result())
            if progress is not None:
                progress(tally.done, total)
    return tally


def robust_portfolio(
    problem: PortfolioProblem,
    value_draws: ArrayLike,
    *,
    progress: Callable[[int, int], None] | None = None,
    mip_rel_gap: float = 1e-4,
    time_limit: float | None = None,
    workers: int = 1,
) -> RobustResult:
    """Robust portfolio modelling by sampling (after Liesiö, Mild & Salo 2007).

    For each row of ``value_draws`` (draws × projects, e.g. from
    :func:`leitbild.numerics.mcda.value_draws`) the MILP of :func:`optimal_portfolio` is solved
    with the same rules (the model is passed to HiGHS once, each draw changes only the
    objective); ``share`` is the fraction of these optimal portfolios that contain each
    project: core ≥ 0.95, exterior ≤ 0.05, borderline between.
    ``time_limit`` bounds each draw's solve (the best portfolio found then counts; ``unproven``
    and ``max_gap`` say how many and how far). ``workers`` > 1 solves the draws in that many
    processes once there are at least ``PARALLEL_MIN_WORK`` project-draws (HiGHS' tree
    search is serial; each worker runs it on one thread). ``progress(done, total)`` is called
    about every 1 % of the draws (after each batch with workers) and at the end.
    """
    c = _check(problem)
    draws = np.asarray(value_draws, dtype=float)
    if draws.ndim != 2 or draws.shape[1] != c.n or draws.shape[0] == 0:
        raise InputError(
            "draws_shape", f"Value draws need the shape (draws, {c.n}), not {draws.shape}."
        )
    if not np.isfinite(draws).all() or (draws < 0).any():
        raise InputError("values_negative", "Every drawn value must be finite and non-negative.")
    total = draws.shape[0]
    first = optimal_portfolio(problem, mip_rel_gap=1.0, time_limit=time_limit)
    if not first.feasible:
        empty = np.zeros(c.n, dtype=bool)
        return RobustResult(
            np.zeros(c.n), empty, empty.copy(), empty.copy(), total, False, first.reasons
        )
    if workers > 1 and total > 1 and total * c.n >= PARALLEL_MIN_WORK:
        tally = _solve_draws_in_workers(
            problem, draws, first.selected, mip_rel_gap, time_limit, workers, progress
        )
    else:
        step = max(1, math.ceil(total / 100))

        def each(done: int) -> None:
            if progress is not None and (done % step == 0 or done == total):
                progress(done, total)

        tally = _solve_draws(problem, draws, first.selected, mip_rel_gap, time_limit, each)
    share = tally.counts / total
    core = share >= CORE_SHARE
    exterior = share <= EXTERIOR_SHARE
    return RobustResult(
        share,
        core,
        ~core & ~exterior,
        exterior,
        total,
        unproven=tally.unproven,
        max_gap=tally.max_gap,
    )
