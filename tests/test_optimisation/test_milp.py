"""Integer plans that are optimal: the MILP against an independent scipy ``milp`` formulation,
capacity rows on whole dwellings, and a stage stopped early reported with its gap."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from scipy.optimize import LinearConstraint, milp
from scipy.sparse import lil_matrix

import optimisation.solve as solve_module
from optimisation import ReferralProblem, SolverStatus, Stage, plan_referrals


def random_problem(seed: int) -> ReferralProblem:
    """A small instance with areas, capacities and whole dwellings."""
    rng = np.random.default_rng(seed)
    n_departments, n_groups = int(rng.integers(2, 6)), int(rng.integers(1, 4))
    households = rng.choice([10.0, 40.0, 90.0], n_departments)
    adults = households * rng.choice([1.0, 1.3, 1.7], n_departments)
    capacity = np.where(rng.random((n_departments, n_groups)) < 0.6, 0.8, np.inf)
    areas = tuple(f"a{i}" for i in rng.integers(0, 2, n_departments))
    return ReferralProblem(
        departments=tuple(f"d{i}" for i in range(n_departments)),
        groups=tuple(f"g{j}" for j in range(n_groups)),
        vacancies=rng.choice([3.0, 6.3, 10.0], n_departments),
        referral_share=rng.choice([0.25, 0.5], n_departments),
        households=households,
        adults=adults,
        adults_outside=np.round(adults * rng.uniform(0.1, 0.45, n_departments)),
        demand=rng.choice([2.0, 5.0, 9.0], n_groups),
        adults_per_household=rng.choice([1.0, 1.5, 2.0], n_groups),
        outside_per_household=rng.choice([0.0, 0.7, 1.0], n_groups),
        compatible=rng.random((n_departments, n_groups)) < 0.8,
        capacity=capacity,
        dwellings=np.where(np.isfinite(capacity), rng.choice([0.0, 1.0, 3.0]), np.inf),
        area=areas,
        area_ceiling={areas[0]: 0.30},
        department_ceilings=bool(seed % 2),
    )


def scipy_stages(problem: ReferralProblem) -> tuple[float, float, float]:
    """The lexicographic optimum, written out independently and solved with scipy's ``milp``."""
    can = problem.compatible & (problem.vacancies > 0)[:, None]
    pairs = np.argwhere(can)
    n_x, n_g = len(pairs), problem.n_groups
    n = n_x + n_g + 1  # x, u, L
    rows: list[tuple[dict[int, float], float, float]] = []
    for d in range(problem.n_departments):
        own = [i for i, (dd, _) in enumerate(pairs) if dd == d]
        if not own:
            continue
        rows.append(({i: 1.0 for i in own}, -np.inf, float(problem.slots[d])))
        rows.append(({i: 1.0 for i in own} | {n - 1: -float(problem.vacancies[d])}, -np.inf, 0.0))
        if problem.department_ceilings:
            use = {i: max(0.0, float(problem.usage[d, pairs[i][1]])) for i in own}
            rows.append(
                ({i: w for i, w in use.items() if w > 0}, -np.inf, float(problem.headroom[d]))
            )
    for a in np.flatnonzero(problem.protected_areas):
        use = {
            i: max(0.0, float(problem.area_usage[dd, g]))
            for i, (dd, g) in enumerate(pairs)
            if problem.area_index[dd] == a
        }
        rows.append(
            ({i: w for i, w in use.items() if w > 0}, -np.inf, float(problem.area_headroom[a]))
        )
    limit = problem.pool_limit(True)
    for d in range(problem.n_departments):
        for p in range(len(problem.pools)):
            own = [i for i, (dd, g) in enumerate(pairs) if dd == d and problem.pool_index[g] == p]
            if own and np.isfinite(limit[d, p]):
                rows.append(({i: 1.0 for i in own}, -np.inf, float(limit[d, p])))
    for g in range(n_g):
        terms = {i: 1.0 for i, (_, gg) in enumerate(pairs) if gg == g} | {n_x + g: 1.0}
        rows.append((terms, float(problem.demand[g]), float(problem.demand[g])))
    integrality = np.r_[np.ones(n_x), np.zeros(n_g + 1)]

    def solve(cost: np.ndarray, extra: list[tuple[dict[int, float], float, float]]) -> float:
        all_rows = rows + extra
        matrix = lil_matrix((len(all_rows), n))
        for r, (terms, _, _) in enumerate(all_rows):
            for column, value in terms.items():
                matrix[r, column] = value
        bounds = LinearConstraint(
            matrix.tocsr(), [lo for _, lo, _ in all_rows], [hi for _, _, hi in all_rows]
        )
        result = milp(cost, constraints=bounds, integrality=integrality,
                      options={"mip_rel_gap": 0.0})  # fmt: skip
        assert result.status == 0, result.message
        return float(result.fun)

    shortfall_cost = np.r_[np.zeros(n_x), np.ones(n_g), 0.0]
    shortfall = solve(shortfall_cost, [])
    fix_u = ({n_x + g: 1.0 for g in range(n_g)}, -np.inf, shortfall + 1e-7)
    load = solve(np.r_[np.zeros(n_x + n_g), 1.0], [fix_u])
    use = np.array([problem.protection_usage[d, g] for d, g in pairs])
    headroom = solve(np.r_[use, np.zeros(n_g + 1)], [fix_u, ({n - 1: 1.0}, -np.inf, load + 1e-7)])
    return shortfall, load, headroom


@pytest.mark.parametrize("seed", range(12))
def test_integer_plan_is_the_scipy_milp_optimum(seed: int) -> None:
    problem = random_problem(seed)
    plan = plan_referrals(problem, solver="highs", integer=True, check_prices=False)
    assert plan.unproven == ()
    shortfall, load, headroom = scipy_stages(problem)
    assert plan.objectives[Stage.SHORTFALL] == pytest.approx(shortfall, abs=1e-6)
    assert plan.objectives[Stage.MAX_LOAD] == pytest.approx(load, abs=1e-6)
    assert plan.objectives[Stage.HEADROOM] == pytest.approx(headroom, rel=1e-6, abs=1e-6)
    matrix = plan.referral_matrix()
    assert np.allclose(matrix, np.round(matrix))


def test_capacity_rows_count_whole_dwellings_not_rounded_expected_claims(
    kit: SimpleNamespace, solver: str
) -> None:
    # 10 vacancies at share 0.25: 2.5 slots; 3 of the vacancies fit the group, so the expected
    # fitting claims are 0.75, which rounds down to none; the 3 real dwellings take 2 whole claims
    departments = [kit.department("A", 10.0, 0.25)]
    compatibility = {
        "department": ["A"],
        "group": ["homeless"],
        "capacity": [0.75],
        "dwellings": [3.0],
    }
    import pandas as pd

    problem = kit.problem(
        departments, [kit.group("homeless", 5.0)], compatibility=pd.DataFrame(compatibility)
    )
    assert problem.pool_limit(True).tolist() == [[3.0]] and problem.pool_limit(False).tolist() == [
        [0.75]
    ]
    lp = plan_referrals(problem, solver=solver)
    whole = plan_referrals(problem, solver=solver, integer=True)
    assert lp.placed == pytest.approx(0.75, abs=1e-4)
    assert whole.placed == pytest.approx(2.0)  # the whole slots, on dwellings that fit
    assert whole.fits["capacity"].tolist() == [3.0]
    rounded = kit.problem(
        departments,
        [kit.group("homeless", 5.0)],
        compatibility=pd.DataFrame(compatibility).drop(columns="dwellings"),
    )
    assert plan_referrals(rounded, solver=solver, integer=True).placed == 0.0


def test_a_stage_stopped_at_the_time_limit_reports_its_gap(
    kit: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = solve_module.run_solver

    def stopped(lp, name, integer, stage, node_limit=None, time_limit=None):  # type: ignore[no-untyped-def]
        status = real(lp, name, integer, stage, node_limit, time_limit)
        if not integer:  # the LP relaxation, for the prices
            return status
        assert time_limit == 5.0
        return SolverStatus.FEASIBLE if stage is Stage.SHORTFALL else status

    monkeypatch.setattr(solve_module, "run_solver", stopped)
    monkeypatch.setattr(solve_module, "mip_gap", lambda lp: 0.02)
    departments = [kit.department(name, 8.4, 0.25) for name in ("A", "B")]
    problem = kit.problem(departments, [kit.group("homeless", 6.0)])
    plan = plan_referrals(problem, solver="highs", integer=True, time_limit=5.0)
    kit.assert_feasible(plan)
    assert plan.unproven == (Stage.SHORTFALL,) and plan.gaps == {Stage.SHORTFALL: 0.02}
    assert (
        "The shortfall stage of this integer plan stopped at its limit with a relative gap of 2.00 %"
        in plan.explain()
    )
