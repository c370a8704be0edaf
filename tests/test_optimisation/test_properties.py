"""Properties on random small instances: the rules hold, the plan beats a greedy one, the MILP is
within rounding of the LP, and both solvers agree."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimisation import ReferralProblem, SolverStatus, Stage, available_solvers, plan_referrals

RANDOM = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


CAPACITIES = st.sampled_from([np.inf, np.inf, 0.0, 0.5, 1.0, 2.5, 4.0])
"""A pair's (or pool's) capacity: often none, sometimes zero, fractional or whole."""


@st.composite
def capacities(
    draw: st.DrawFn, n_departments: int, n_groups: int
) -> tuple[np.ndarray | None, tuple[str, ...] | None]:
    """No capacities, or one per department and pool (each group its own pool, or random pools);
    the groups of a pool get their pool's capacity."""
    if not draw(st.booleans()):
        return None, None
    pooled = n_groups > 1 and draw(st.booleans())
    pool_of = [draw(st.integers(0, n_groups - 2)) if pooled else g for g in range(n_groups)]
    per_pool = np.array([[draw(CAPACITIES) for _ in range(n_groups)] for _ in range(n_departments)])
    capacity = per_pool[:, pool_of]
    return capacity, (tuple(f"pool{p}" for p in pool_of) if pooled else None)


@st.composite
def problems(draw: st.DrawFn, max_departments: int = 6, max_groups: int = 3) -> ReferralProblem:
    """Random small problems: departments with and without vacancies or households, above and
    below the ceiling, groups that improve or worsen the mix, partial compatibility, and
    capacities (per pair or shared by a pool of groups) in about half of them."""
    n_departments = draw(st.integers(1, max_departments))
    n_groups = draw(st.integers(1, max_groups))
    vacancies = [draw(st.sampled_from([0.0, 1.0, 3.0, 6.3, 10.0])) for _ in range(n_departments)]
    households = [draw(st.sampled_from([0, 10, 40, 90])) for _ in range(n_departments)]
    adults = [h * draw(st.sampled_from([1.0, 1.3, 1.7])) for h in households]
    outside = [a * draw(st.sampled_from([0.05, 0.2, 0.35, 0.5])) for a in adults]
    adults_per = [draw(st.sampled_from([1.0, 1.5, 2.0])) for _ in range(n_groups)]
    outside_per = [a * draw(st.sampled_from([0.0, 0.5, 1.0])) for a in adults_per]
    compatible = [[draw(st.booleans()) for _ in range(n_groups)] for _ in range(n_departments)]
    capacity, capacity_pool = draw(capacities(n_departments, n_groups))
    return ReferralProblem(
        departments=tuple(f"d{i}" for i in range(n_departments)),
        groups=tuple(f"g{j}" for j in range(n_groups)),
        vacancies=np.array(vacancies),
        referral_share=np.array(
            [draw(st.sampled_from([0.0, 0.25, 0.5, 1.0])) for _ in range(n_departments)]
        ),
        households=np.array(households, dtype=float),
        adults=np.array(adults),
        adults_outside=np.array(outside),
        demand=np.array([float(draw(st.integers(0, 12))) for _ in range(n_groups)]),
        adults_per_household=np.array(adults_per),
        outside_per_household=np.array(outside_per),
        compatible=np.array(compatible, dtype=bool),
        threshold=draw(st.sampled_from([0.30, 0.40])),
        capacity=capacity,
        capacity_pool=capacity_pool,
    )


@RANDOM
@given(problem=problems())
def test_rules_hold_and_plan_beats_greedy(problem: ReferralProblem, kit: SimpleNamespace) -> None:
    plan = plan_referrals(problem, solver="highs")
    kit.assert_feasible(plan)
    greedy = kit.greedy(problem)
    greedy_shortfall = float((problem.demand - greedy.sum(axis=0)).sum())
    assert plan.total_shortfall <= greedy_shortfall + 1e-6
    if plan.total_shortfall >= greedy_shortfall - 1e-6:
        # Same shortfall: the greedy plan is feasible for stage 2, so L can be no higher.
        assert plan.max_load <= kit.load_of(problem, greedy) + 1e-6
    # Stage objectives are the plan's own figures.
    assert plan.objectives[Stage.SHORTFALL] == pytest.approx(plan.total_shortfall, abs=1e-6)
    assert plan.objectives[Stage.MAX_LOAD] == pytest.approx(plan.max_load, abs=1e-6)
    assert plan.objectives[Stage.HEADROOM] == pytest.approx(plan.headroom_used, abs=1e-5)
    # A department above its ceiling takes no household that worsens its mix.
    worsening = problem.above_ceiling[:, None] & (problem.usage > 0)
    assert (plan.referral_matrix()[worsening] <= 1e-9).all()
    # Every group that falls short is diagnosed, and nothing else is.
    demand = dict(zip(problem.groups, problem.demand, strict=True))
    short = {g for g, s in plan.shortfall.items() if s > 1e-4 * max(1.0, demand[g])}
    assert {d.group for d in plan.diagnoses} == short
    for diagnosis in plan.diagnoses:
        assert diagnosis.blockers
        assert diagnosis.room_left == 0


@RANDOM
@given(problem=problems(max_departments=5, max_groups=2))
def test_integer_plan_within_rounding_of_lp(problem: ReferralProblem, kit: SimpleNamespace) -> None:
    """LP ≤ MILP ≤ shortfall of the rounded-down LP plan.

    The MILP's feasible set is inside the LP's, so its shortfall is no smaller. Rounding every
    referral of the LP plan down keeps it feasible (every constraint is ``≤`` with non-negative
    coefficients — the composition rows count only ``max(0, w)`` — and the shortfall rows absorb the
    difference), so the MILP optimum is no larger than that rounded plan's shortfall. That holds
    for the capacities too, which the MILP rounds down: whole referrals with ``Σ x ≤ c`` have
    ``Σ ⌊x⌋ ≤ ⌊c⌋``.
    """
    lp = plan_referrals(problem, solver="highs")
    milp = plan_referrals(problem, solver="highs", integer=True)
    kit.assert_feasible(milp)
    matrix = milp.referral_matrix()
    assert np.allclose(matrix, np.round(matrix))
    rounded_down = np.floor(lp.referral_matrix() + 1e-7)
    rounded_shortfall = float((problem.demand - rounded_down.sum(axis=0)).sum())
    assert lp.total_shortfall - 1e-6 <= milp.total_shortfall <= rounded_shortfall + 1e-6
    assert (
        milp.total_shortfall
        <= lp.total_shortfall
        + np.count_nonzero(lp.referral_matrix() - np.floor(lp.referral_matrix() + 1e-7) > 1e-7)
        + 1e-6
    )


@pytest.mark.skipif(len(available_solvers()) < 2, reason="needs both HiGHS and CBC")
@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("integer", [False, True])
def test_cbc_and_highs_agree(seed: int, integer: bool) -> None:
    rng = np.random.default_rng(seed)
    n_departments, n_groups = 12, 3
    households = rng.integers(20, 120, n_departments).astype(float)
    adults = np.round(households * rng.uniform(1.0, 1.6, n_departments))
    problem = ReferralProblem(
        departments=tuple(f"afd_{i}" for i in range(n_departments)),
        groups=("homeless", "refugee", "family"),
        vacancies=np.round(households * 0.104, 1),
        referral_share=rng.choice([0.25, 0.5], n_departments),
        households=households,
        adults=adults,
        adults_outside=np.round(adults * rng.uniform(0.1, 0.5, n_departments)),
        demand=np.array([12.0, 6.0, 4.0]),
        adults_per_household=np.array([1.0, 1.0, 2.0]),
        outside_per_household=np.array([1.0, 0.8, 0.5]),
        compatible=rng.random((n_departments, n_groups)) < 0.7,
        # from seed 4 on, some dwellings fit only few households of a group
        capacity=np.where(rng.random((n_departments, n_groups)) < 0.5, 1.5, np.inf)
        if seed >= 4
        else None,
    )
    highs = plan_referrals(problem, solver="highs", integer=integer)
    cbc = plan_referrals(problem, solver="cbc", integer=integer)
    assert set(cbc.objectives) == set(highs.objectives)
    for stage in highs.objectives:
        assert cbc.objectives[stage] == pytest.approx(highs.objectives[stage], rel=1e-5, abs=1e-5)
    assert cbc.total_shortfall == pytest.approx(highs.total_shortfall, rel=1e-5, abs=1e-5)
    assert cbc.max_load == pytest.approx(highs.max_load, rel=1e-5, abs=1e-6)
    assert cbc.headroom_used == pytest.approx(highs.headroom_used, rel=1e-5, abs=1e-5)


@RANDOM
@given(problem=problems(max_departments=4, max_groups=2))
def test_integer_max_load_equals_the_direct_milp(problem: ReferralProblem) -> None:
    """Stage 2 of an integer plan (found by bisection) is the optimum of the stage 2 MILP."""
    import pulp

    from optimisation.model import create_model
    from optimisation.solvers import add_constraints, constraint, expression, solve_status

    plan = plan_referrals(problem, solver="highs", integer=True)
    model = create_model(problem, integer=True)
    lp = model.lp
    unplaced = dict.fromkeys(model.shortfall, 1.0)
    objective = expression(unplaced)
    lp.setObjective(objective)
    assert solve_status(lp, lp.solve(pulp.HiGHS(msg=False, gapRel=0))) is SolverStatus.OPTIMAL
    shortfall = objective.value()
    add_constraints(
        lp, [constraint(unplaced, pulp.LpConstraintLE, "fix_shortfall", shortfall + 1e-9)]
    )
    lp.setObjective(expression({model.max_load: 1.0}))
    assert solve_status(lp, lp.solve(pulp.HiGHS(msg=False, gapRel=0))) is SolverStatus.OPTIMAL
    assert plan.objectives[Stage.SHORTFALL] == pytest.approx(shortfall, abs=1e-6)
    assert plan.max_load == pytest.approx(model.max_load.varValue, abs=1e-6)
