"""Portfolios: the exact MILP against brute force, infeasibility reasons, greedy, robust shares."""

import numpy as np
import pytest

from leitbild.numerics.mcda import InputError, value_draws
from leitbild.numerics.portfolio import (
    PortfolioProblem,
    check_dependencies,
    greedy_portfolio,
    optimal_portfolio,
    robust_portfolio,
)


def brute_force(problem: PortfolioProblem) -> float | None:
    """The best value over all 2ⁿ subsets that keep every rule, None if there is none."""
    n = len(problem.values)
    subsets = (np.arange(2**n)[:, None] >> np.arange(n)) & 1 == 1
    ok = (subsets.astype(float) @ problem.costs <= problem.budgets + 1e-9).all(axis=1)
    for i in problem.mandatory:
        ok &= subsets[:, i]
    for a, b in problem.exclusions:
        ok &= ~(subsets[:, a] & subsets[:, b])
    for b, a in problem.dependencies:
        ok &= ~subsets[:, b] | subsets[:, a]
    for group in problem.groups:
        ok &= subsets[:, sorted(group)].any(axis=1)
    if not ok.any():
        return None
    return float((subsets[ok].astype(float) @ problem.values).max())


def random_problem(rng: np.random.Generator) -> PortfolioProblem:
    n = int(rng.integers(1, 16))
    years = int(rng.integers(1, 4))
    costs = rng.integers(0, 10, size=(n, years)).astype(float)
    budgets = costs.sum(axis=0) * rng.uniform(0.2, 0.8, size=years)
    pairs: list[tuple[int, int]] = []
    for _ in range(n // 2):
        a, b = (int(x) for x in rng.choice(n, 2, replace=False))
        pairs.append((a, b))
    dependencies = tuple((max(p), min(p)) for p in pairs[: len(pairs) // 2])  # acyclic: b > a
    exclusions = tuple(pairs[len(pairs) // 2 :])
    mandatory = frozenset(int(i) for i in rng.choice(n, int(rng.integers(0, 2)), replace=False))
    groups = tuple(
        frozenset(int(i) for i in rng.choice(n, min(n, 3), replace=False))
        for _ in range(int(rng.integers(0, 3)))
    )
    return PortfolioProblem(
        values=rng.integers(0, 20, size=n).astype(float) + rng.random(n),
        costs=costs,
        budgets=budgets,
        mandatory=mandatory,
        exclusions=exclusions,
        dependencies=dependencies,
        groups=groups,
    )


def keeps_every_rule(problem: PortfolioProblem, selected: np.ndarray) -> bool:
    if (problem.costs[selected].sum(axis=0) > problem.budgets + 1e-9).any():
        return False
    if not all(selected[i] for i in problem.mandatory):
        return False
    if any(selected[a] and selected[b] for a, b in problem.exclusions):
        return False
    if any(selected[b] and not selected[a] for b, a in problem.dependencies):
        return False
    return all(selected[sorted(g)].any() for g in problem.groups)


def test_the_milp_matches_brute_force_on_200_random_instances():
    rng = np.random.default_rng(2026)
    infeasible = 0
    for _ in range(200):
        problem = random_problem(rng)
        best = brute_force(problem)
        result = optimal_portfolio(problem, mip_rel_gap=0.0)
        if best is None:
            infeasible += 1
            assert not result.feasible
            assert result.reasons
            continue
        assert result.feasible and result.optimal
        assert keeps_every_rule(problem, result.selected)
        assert result.value == pytest.approx(best)
        assert result.spent == pytest.approx(problem.costs[result.selected].sum(axis=0))
    assert 0 < infeasible < 200  # both kinds were exercised


def test_mandatory_projects_over_the_budget_of_year_two_name_that_year():
    problem = PortfolioProblem(
        values=np.array([1.0, 2.0, 3.0]),
        costs=np.array([[1.0, 1.0, 5.0], [1.0, 0.0, 1.0], [0.0, 0.0, 0.0]]),
        budgets=np.array([10.0, 10.0, 4.0]),
        mandatory=frozenset({0, 1}),
    )
    result = optimal_portfolio(problem)
    assert not result.feasible
    assert [r.code for r in result.reasons] == ["budget_year"]
    assert result.reasons[0].detail["year_index"] == 2
    assert result.reasons[0].detail["needed"] == 6.0
    assert result.reasons[0].detail["budget"] == 4.0


def test_what_a_mandatory_project_needs_counts_against_the_budget():
    problem = PortfolioProblem(
        values=np.ones(2),
        costs=np.array([[1.0], [5.0]]),
        budgets=np.array([4.0]),
        mandatory=frozenset({0}),
        dependencies=((0, 1),),
    )
    reason = optimal_portfolio(problem).reasons[0]
    assert reason.code == "budget_year"
    assert reason.detail["projects"] == [0, 1]


def test_excluded_mandatory_projects_are_reported():
    base = {"values": np.ones(3), "costs": np.zeros((3, 1)), "budgets": np.ones(1)}
    both = optimal_portfolio(
        PortfolioProblem(**base, mandatory=frozenset({0, 1}), exclusions=((1, 0),))
    )
    assert [(r.code, r.detail) for r in both.reasons] == [
        ("mandatory_exclusion", {"projects": [0, 1]})
    ]
    needed = optimal_portfolio(
        PortfolioProblem(
            **base, mandatory=frozenset({0}), dependencies=((0, 2),), exclusions=((0, 2),)
        )
    )
    assert [(r.code, r.detail) for r in needed.reasons] == [
        ("mandatory_dependency_excluded", {"projects": [0, 2]})
    ]


def test_a_group_without_an_affordable_project_is_unreachable():
    problem = PortfolioProblem(
        values=np.ones(4),
        costs=np.array([[1.0], [9.0], [8.0], [1.0]]),
        budgets=np.array([5.0]),
        groups=(frozenset({0, 3}), frozenset({1, 2})),
    )
    result = optimal_portfolio(problem)
    assert [(r.code, r.detail) for r in result.reasons] == [
        ("group_unreachable", {"group_index": 1, "projects": [1, 2]})
    ]


def test_groups_that_are_reachable_alone_but_not_together_are_explained():
    # Group 0 can only be met by project 0, group 1 only by project 1; each fits, not both.
    problem = PortfolioProblem(
        values=np.ones(3),
        costs=np.array([[3.0, 0.0], [3.0, 0.0], [1.0, 0.0]]),
        budgets=np.array([5.0, 5.0]),
        groups=(frozenset({0}), frozenset({1})),
    )
    result = optimal_portfolio(problem)
    assert not result.feasible
    assert result.reasons[0].code == "budget_year"
    assert result.reasons[0].detail["year_index"] == 0
    assert result.reasons[0].detail["needed"] == 6.0
    assert result.reasons[0].detail["budget"] == 5.0


def test_groups_in_conflict_through_an_exclusion_are_explained():
    problem = PortfolioProblem(
        values=np.ones(2),
        costs=np.zeros((2, 1)),
        budgets=np.ones(1),
        exclusions=((0, 1),),
        groups=(frozenset({0}), frozenset({1})),
    )
    assert [r.code for r in optimal_portfolio(problem).reasons] == ["group_conflict"]


def test_a_dependency_cycle_is_found_and_reported():
    assert check_dependencies(4, [(0, 1), (1, 2), (3, 0)]) is None
    assert check_dependencies(4, [(0, 1), (1, 2), (2, 0), (3, 0)]) == [0, 1, 2]
    assert check_dependencies(2, [(1, 1)]) == [1]
    problem = PortfolioProblem(
        values=np.ones(3), costs=np.zeros((3, 1)), budgets=np.ones(1),
        dependencies=((0, 1), (1, 2), (2, 1)),
    )  # fmt: skip
    result = optimal_portfolio(problem)
    assert not result.feasible
    assert [(r.code, r.detail) for r in result.reasons] == [
        ("dependency_cycle", {"projects": [1, 2]})
    ]


def test_bad_indices_and_shapes_raise_input_errors():
    with pytest.raises(InputError) as error:
        optimal_portfolio(
            PortfolioProblem(np.ones(2), np.zeros((2, 1)), np.ones(1), mandatory=frozenset({5}))
        )
    assert (error.value.code, error.value.detail) == ("portfolio_index", {"project": 5})
    with pytest.raises(InputError) as error:
        optimal_portfolio(PortfolioProblem(np.ones(2), np.zeros((2, 3)), np.ones(1)))
    assert error.value.code == "costs_shape"
    with pytest.raises(InputError) as error:
        optimal_portfolio(PortfolioProblem(np.array([]), np.zeros((0, 1)), np.ones(1)))
    assert error.value.code == "no_projects"


def test_greedy_takes_the_ranking_until_the_money_runs_out_and_can_miss_the_optimum():
    # The best-ranked project uses most of the budget; the next two together are worth more.
    problem = PortfolioProblem(
        values=np.array([10.0, 7.0, 7.0, 1.0]),
        costs=np.array([[8.0], [5.0], [5.0], [2.0]]),
        budgets=np.array([10.0]),
    )
    greedy = greedy_portfolio(problem, np.array([0, 1, 2, 3]))
    assert greedy.selected.tolist() == [True, False, False, True]
    assert greedy.value == 11.0
    best = optimal_portfolio(problem)
    assert best.selected.tolist() == [False, True, True, False]
    assert best.value == 14.0


def test_greedy_puts_mandatory_first_and_skips_projects_whose_dependency_is_missing():
    problem = PortfolioProblem(
        values=np.ones(5),
        costs=np.array([[1.0], [1.0], [1.0], [1.0], [1.0]]),
        budgets=np.array([4.0]),
        mandatory=frozenset({4}),
        dependencies=((4, 3), (0, 1)),  # 4 needs 3; 0 needs 1
        exclusions=((2, 1),),
    )
    result = greedy_portfolio(problem, np.array([0, 2, 1]))
    # 4 and 3 first; 0 skipped (1 not chosen yet); 2 taken; 1 excluded by 2.
    assert result.selected.tolist() == [False, False, True, True, True]
    assert result.feasible


def test_greedy_reports_a_group_it_left_uncovered():
    problem = PortfolioProblem(
        values=np.ones(3), costs=np.ones((3, 1)), budgets=np.array([1.0]),
        groups=(frozenset({2}),),
    )  # fmt: skip
    result = greedy_portfolio(problem, np.array([0, 1, 2]))
    assert not result.feasible
    assert result.reasons[0].code == "group_not_covered"
    assert optimal_portfolio(problem).selected.tolist() == [False, False, True]


def test_greedy_and_optimal_agree_on_random_instances_when_greedy_is_feasible():
    rng = np.random.default_rng(7)
    for _ in range(50):
        problem = random_problem(rng)
        order = np.argsort(-problem.values)
        greedy = greedy_portfolio(problem, order)
        best = optimal_portfolio(problem, mip_rel_gap=0.0)
        if greedy.feasible:
            assert keeps_every_rule(problem, greedy.selected)
            assert best.feasible
            assert greedy.value <= best.value + 1e-9


def test_robust_portfolio_core_and_exterior():
    # Project 0 is the best on both criteria: in every optimal portfolio. Project 3 costs more
    # than any budget: in none. Projects 1 and 2 compete for the remaining money.
    scores = np.array([[[10.0, 10.0], [8.0, 2.0], [2.0, 8.0], [9.0, 9.0]]])
    draws = value_draws(
        scores, lower=[0, 0], upper=[10, 10], benefit=[True, True], weights=None, draws=200
    )
    problem = PortfolioProblem(
        values=draws.mean(axis=0),
        costs=np.array([[2.0, 1.0], [3.0, 1.0], [3.0, 1.0], [20.0, 1.0]]),
        budgets=np.array([5.0, 5.0]),
    )
    calls = []
    result = robust_portfolio(problem, draws, progress=lambda done, total: calls.append(done))
    assert result.draws == 200
    assert result.core.tolist() == [True, False, False, False]
    assert result.exterior[3]
    assert result.borderline[1] and result.borderline[2]
    assert result.share[1] + result.share[2] == pytest.approx(1.0)
    assert calls[-1] == 200 and len(calls) == 100


def test_robust_portfolio_of_impossible_rules_says_why():
    problem = PortfolioProblem(
        values=np.ones(2), costs=np.array([[3.0], [1.0]]), budgets=np.array([2.0]),
        mandatory=frozenset({0}),
    )  # fmt: skip
    result = robust_portfolio(problem, np.ones((5, 2)))
    assert not result.feasible
    assert result.reasons[0].code == "budget_year"
    assert not (result.core | result.borderline | result.exterior).any()


def test_each_robust_draw_is_the_brute_force_optimum_despite_the_warm_start():
    # Each draw starts from the previous draw's portfolio: that must never change the optimum.
    # Continuous random values make every draw's best portfolio unique, so the shares must be
    # exactly those of the brute-force optima.
    rng = np.random.default_rng(11)
    checked = 0
    while checked < 20:
        problem = random_problem(rng)
        if brute_force(problem) is None:
            continue
        n = len(problem.values)
        draws = rng.uniform(0.1, 20.0, size=(8, n))
        result = robust_portfolio(problem, draws, mip_rel_gap=0.0)
        assert result.feasible and result.unproven == 0
        subsets = (np.arange(2**n)[:, None] >> np.arange(n)) & 1 == 1
        keep = np.array([keeps_every_rule(problem, s) for s in subsets])
        best = subsets[keep][np.argmax(subsets[keep].astype(float) @ draws.T, axis=0)]
        assert result.share == pytest.approx(best.mean(axis=0))
        checked += 1


def test_the_solver_prints_nothing_to_the_service_log(capfd, monkeypatch):
    from leitbild.numerics import portfolio as module

    monkeypatch.setattr(module, "_BANNER_SHOWN", False)
    result = module.optimal_portfolio(
        module.PortfolioProblem(
            values=np.array([1.0, 2.0]), costs=np.array([[1.0], [1.0]]), budgets=np.array([1.0])
        )
    )
    assert list(result.selected) == [False, True]
    assert capfd.readouterr().out == ""


def test_robust_draws_in_worker_processes_give_the_brute_force_shares(monkeypatch, capfd):
    # The same draws solved in two spawned processes, in batches, count exactly as in one; the
    # progress reaches the total, and the workers print nothing to the service log either.
    from leitbild.numerics import portfolio as module

    monkeypatch.setattr(module, "PARALLEL_MIN_WORK", 0)
    rng = np.random.default_rng(5)
    problem = random_problem(rng)
    while brute_force(problem) is None or len(problem.values) < 6:
        problem = random_problem(rng)
    n = len(problem.values)
    draws = rng.uniform(0.1, 20.0, size=(60, n))
    calls: list[tuple[int, int]] = []
    parallel = robust_portfolio(
        problem, draws, mip_rel_gap=0.0, workers=2, progress=lambda d, t: calls.append((d, t))
    )
    serial = robust_portfolio(problem, draws, mip_rel_gap=0.0)
    subsets = (np.arange(2**n)[:, None] >> np.arange(n)) & 1 == 1
    keep = np.array([keeps_every_rule(problem, s) for s in subsets])
    best = subsets[keep][np.argmax(subsets[keep].astype(float) @ draws.T, axis=0)]
    assert parallel.share == pytest.approx(best.mean(axis=0))
    assert (parallel.share == serial.share).all()
    assert parallel.unproven == 0 and parallel.draws == 60
    assert len(calls) == 20 and calls[-1] == (60, 60)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert capfd.readouterr().out == ""
