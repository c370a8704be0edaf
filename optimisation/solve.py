"""Solve the referral LP in lexicographic stages and read back values and shadow prices.

:func:`optimise` chooses the path: an LP with HiGHS goes to HiGHS directly
(:mod:`optimisation.highs_stages`), CBC and integer plans through PuLP (:func:`solve_stages`);
both read the one formulation (:mod:`optimisation.formulation`) and solve the same stages with
the same tolerances.

The stages (``docs/optimiser.md``, "The stages"), solved in sequence on one PuLP problem
whose objective changes:

1. ``shortfall``: minimise the total shortfall ``U = Σ_g u_g``;
2. ``fairness`` (optional): add ``fix_shortfall`` and minimise the largest share of a group's
   demand left unplaced ``F`` (rows ``u_g − q_g F ≤ 0``);
3. ``max_load``: add ``fix_shortfall: Σ_g u_g ≤ U*`` (or ``fix_fairness: F ≤ F*``) and minimise
   ``L``;
4. ``headroom``: add ``fix_max_load: L ≤ L*`` and minimise the headroom used over the protected
   limits ``Σ_dg (max(0, w_dg) + max(0, w^a_dg)) x_dg``.

How an optimum is imposed, and the tolerance: with HiGHS, which exchanges the model and the
solution in memory at full precision, a stage's optimum is imposed exactly: the previous stage's
solution meets it, and a vertex meets a binding row to rounding error, so later stages cannot
trade a sliver of shortfall for headroom. Only if HiGHS then reports the stage infeasible
(numerical noise) is the row relaxed to ``U* + tol``, with ``tol =`` :data:`STAGE_TOLERANCE`
``× max(1, |U*|)`` (one in a million: a thousandth of a household on a plan of a thousand), and
the stage solved again. CBC reads the model from an MPS file and writes its solution with 8
significant digits, so with CBC an optimum is always imposed as ``U* + tol``; its plan's shortfall
can then exceed the optimum by up to ``tol`` (and the other figures move accordingly).

Note that stage 1 fixes the *total* shortfall only; which group carries it is decided by stages
2 and 3 (a group whose households use more headroom is the one left short when there is a
choice). The diagnosis reports the result per group.

Shadow prices, and why each comes from its own stage
----------------------------------------------------
The dual of a constraint in the *last* stage measures the headroom objective, not housing: in
stage 3 one more slot can only save headroom. So each stage's duals are read from that stage's
LP, and each answers the question of that stage:

* stage 1 (``*_households``): ``−π`` of ``slots_d`` / ``composition_d`` / ``fits_d_p`` is how
  many more households would be housed per extra slot / per extra person of headroom / per
  extra referral the dwellings that fit pool p could take (one more fitting vacancy to claim)
  in department d;
* stage 2 (``*_max_load``): ``−π`` in the same rows is how much the maximum load (share of
  vacancies) would fall, with the total shortfall held at its optimum;
* stage 3 (``*_headroom``): ``−π`` is how many persons of headroom would be saved, with shortfall
  and maximum load held.

Each is a rate "per unit of right-hand side", exact for small changes when the LP is not
degenerate. The optimal value of a minimisation LP is convex in a right-hand side and any optimal
dual is a subgradient, so in every case ``−π`` is an upper bound on the gain of one more unit:
"one more slot houses *at most* N more households". When the LP is degenerate (common: several
departments can take the same household) the duals are not unique, and the solver returns one
valid set; the gain of a whole extra slot can then be smaller than the rate reported.

Whole referrals (MILP)
----------------------
Stages 1 and 3 are solved as MILPs (relative gap :data:`~optimisation.solvers.MIP_RELATIVE_GAP`).
Stage 2 is not: "min L" has a weak LP bound with whole households, and branch and bound stalls
beyond a few hundred departments. Its optimum is one of the loads ``k / v_d`` a department can
have, so :func:`integer_max_load` finds it by bisection over those values, each step a fast
feasibility MILP. Shadow prices do not exist for a MILP; the optimiser solves the three stages of the LP
relaxation as well and reports its duals, flagged by ``ReferralPlan.prices_from_relaxation``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pulp

from optimisation.constants import SolverName, SolverStatus, Stage
from optimisation.errors import SolverError
from optimisation.formulation import Formulation, formulate
from optimisation.highs_stages import WarmStart, solve_stages_highs
from optimisation.model import LpModel, model_from_formulation
from optimisation.problem import ReferralProblem
from optimisation.results import (
    PRICE_ZERO,
    STAGE_TOLERANCE,
    Solution,
    StageResult,
    stage_tolerance,
)
from optimisation.solvers import (
    Terms,
    add_constraints,
    choose_solver,
    constraint,
    expression,
    mip_gap,
    row_ranges,
    run_solver,
)

__all__ = [
    "STAGE_TOLERANCE",
    "Solution",
    "SolveOutcome",
    "StageResult",
    "integer_max_load",
    "optimise",
    "run_stage_one",
    "solve_stages",
    "stages_of",
]

log = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]


def _objective(model: LpModel, problem: ReferralProblem, stage: Stage) -> Terms:
    """The terms of a stage's objective."""
    if stage is Stage.SHORTFALL:
        return dict.fromkeys(model.shortfall, 1.0)
    if stage is Stage.FAIRNESS:
        assert model.shortfall_share is not None, "the model was built without fairness"
        return {model.shortfall_share: 1.0}
    if stage is Stage.MAX_LOAD:
        return {model.max_load: 1.0}
    usage = problem.protection_usage[model.pair_department, model.pair_group].tolist()
    terms = {variable: w for variable, w in zip(model.referrals, usage, strict=True) if w > 0}
    return terms or _zero_objective(model)


def _zero_objective(model: LpModel) -> Terms:
    """Return a zero objective that is not empty.

    PuLP stands in a ``__dummy`` variable for an empty objective and never forgets it, and CBC
    then rejects the MPS file (a bound on a variable in no row).
    """
    return {model.max_load: 0.0}


def _imposed(value: float, name: SolverName, stage: Stage, integer: bool) -> float:
    """Right-hand side with which a stage's optimum is imposed on the next stages."""
    if integer and stage is Stage.MAX_LOAD:
        return value + 1e-9 * max(1.0, value)  # one of the discrete loads k / v: only rounding
    return value if name is SolverName.HIGHS else value + stage_tolerance(value)


TIE_BREAK_NODES = 5000
"""Branch-and-bound nodes the headroom stage of an integer plan may take.

Stage 3 only breaks ties between plans that are already optimal in stages 1 and 2, and with
area rows its MILP can have many equally good plans that CBC cannot tell apart in any reasonable
time; a node limit (deterministic, unlike a time limit) stops it with the best plan found, which
keeps stages 1 and 2 optimal. The stage is then reported as not proven (``StageResult.proven``).
"""


def _run(
    model: LpModel,
    name: SolverName,
    stage: Stage,
    fixed: pulp.LpConstraint | None,
    time_limit: float | None = None,
) -> tuple[bool, float]:
    """Solve a stage; return whether its optimum is proven, and the MILP gap if not.

    An integer stage stopped by the time limit (or the headroom stage by its node limit) with a
    plan in hand is accepted: the plan keeps every rule, and its gap says how far from proven
    it may be (NaN where the solver does not report one, CBC).
    """
    tie_break = model.integer and stage is Stage.HEADROOM
    for attempt in range(2):
        status = run_solver(
            model.lp,
            name,
            model.integer,
            stage,
            TIE_BREAK_NODES if tie_break else None,
            time_limit if model.integer else None,
        )
        if status is SolverStatus.OPTIMAL:
            return True, 0.0
        if model.integer and status is SolverStatus.FEASIBLE:
            gap = mip_gap(model.lp) if name is SolverName.HIGHS else float("nan")
            log.info("stage %s stopped at a limit with a feasible plan (gap %s)", stage, gap)
            return False, gap
        if (
            attempt == 0
            and status is SolverStatus.INFEASIBLE
            and fixed is not None
            and name is SolverName.HIGHS
        ):
            optimum = -fixed.constant
            log.info(
                "stage %s infeasible with the previous optimum imposed exactly; relaxing", stage
            )
            fixed.changeRHS(optimum + stage_tolerance(optimum))
            continue
        break
    raise SolverError(status, name, stage)


def integer_max_load(
    problem: ReferralProblem,
    model: LpModel,
    name: SolverName,
    time_limit: float | None = None,
) -> tuple[float, bool]:
    """Stage 2 for whole referrals: the least maximum load, by bisection.

    As a MILP, "minimise L" has a weak LP bound (the relaxation spreads fractions of households
    evenly), so branch and bound stalls beyond a few hundred departments. But with whole referrals
    a department's load is ``k / v_d`` for a whole ``k`` up to its whole slots, so the optimum is
    one of these values; and whether a load ``L`` is achievable (with the shortfall held at its
    optimum) is a feasibility MILP with capacities ``min(s_d v_d, L v_d)``, which is nearly a
    transportation problem and solves fast. Achievability is monotone in ``L``, and the largest
    candidate (every department at its whole slots) is achievable by stage 1, so bisection over
    the sorted candidates finds the optimum in about ``log₂(candidates)`` solves.

    Parameters
    ----------
    problem
        The referral problem.
    model
        The integer model, with the stage 1 optimum already imposed (``fix_shortfall``).
    name
        The solver.

    time_limit
        Seconds allowed for each feasibility MILP; one that stops without an answer counts as
        not achievable, so the load found is achievable but may not be the least.

    Returns
    -------
    float
        The least maximum load (share of vacancies). The slots rows are restored on return.
    bool
        Whether it is proven least (no feasibility MILP stopped at the time limit).
    """
    if len(model.slot_rows) == 0:
        return 0.0, True
    proven = True
    vacancies = problem.vacancies[model.slot_rows]
    slots = problem.department_limit[model.slot_rows]
    whole_slots = np.floor(slots + 1e-9)
    candidates = np.unique(
        np.concatenate(
            [
                np.arange(k + 1) / v
                for k, v in zip(whole_slots.tolist(), vacancies.tolist(), strict=True)
            ]
        )
    )
    model.lp.setObjective(expression(_zero_objective(model)))

    def achievable(load: float) -> bool:
        nonlocal proven
        capacities = np.minimum(slots, load * vacancies + 1e-9).tolist()
        for constraint, capacity in zip(model.slots, capacities, strict=True):
            constraint.changeRHS(capacity)
        status = run_solver(model.lp, name, model.integer, Stage.MAX_LOAD, time_limit=time_limit)
        log.debug("maximum load %.6f achievable: %s", load, status)
        if status in (SolverStatus.OPTIMAL, SolverStatus.FEASIBLE):
            return True
        if status is SolverStatus.INFEASIBLE:
            return False
        if status is SolverStatus.NOT_SOLVED and time_limit is not None:
            proven = False
            return False
        raise SolverError(
            status,
            name,
            Stage.MAX_LOAD,
            f"while testing a maximum load of {load}",
            f"under afprøvning af en største belastning på {load}",
        )

    low, high = -1, len(candidates) - 1
    try:
        while high - low > 1:
            middle = (low + high) // 2
            if achievable(float(candidates[middle])):
                high = middle
            else:
                low = middle
    finally:
        for constraint, capacity in zip(model.slots, slots.tolist(), strict=True):
            constraint.changeRHS(capacity)
    return float(candidates[high]), proven


def _values(variables: Sequence[pulp.LpVariable], name: SolverName, stage: Stage) -> FloatArray:
    values = np.array(
        [np.nan if v.varValue is None else v.varValue for v in variables], dtype=np.float64
    )
    if np.isnan(values).any():
        raise SolverError(
            SolverStatus.UNDEFINED,
            name,
            stage,
            "the solver returned no values",
            "løseren returnerede ingen værdier",
        )
    return values


def _prices(
    constraints: Sequence[pulp.LpConstraint], rows: npt.NDArray[np.intp], size: int, sign: float
) -> FloatArray:
    prices = np.zeros(size)
    duals = np.array([np.nan if c.pi is None else c.pi for c in constraints], dtype=np.float64)
    prices[rows] = sign * duals
    prices[np.abs(prices) < PRICE_ZERO] = 0.0
    return prices


def _capacity_prices(model: LpModel, problem: ReferralProblem, sign: float) -> FloatArray:
    prices = np.zeros((problem.n_departments, len(problem.pools)))
    duals = np.array([np.nan if c.pi is None else c.pi for c in model.fits], dtype=np.float64)
    prices[model.fits_rows, model.fits_pools] = sign * duals
    prices[np.abs(prices) < PRICE_ZERO] = 0.0
    return prices


def _holds_for(model: LpModel, problem: ReferralProblem) -> dict[str, FloatArray]:
    """The ranging of the stage just solved, per family of rows (see :class:`StageResult`)."""
    families: dict[str, FloatArray] = {}
    for family, rows, index, size in (
        ("slots", model.slots, model.slot_rows, problem.n_departments),
        ("composition", model.composition, model.composition_rows, problem.n_departments),
        ("area", model.area, model.area_rows, len(problem.areas)),
        ("claims", model.claims, model.claims_rows, len(problem.units)),
    ):
        values = np.full(size, np.nan)
        ranged = row_ranges(model.lp, rows)
        if ranged is not None:
            values[index] = ranged
        families[family] = values
    fits = np.full((problem.n_departments, len(problem.pools)), np.nan)
    ranged = row_ranges(model.lp, model.fits)
    if ranged is not None:
        fits[model.fits_rows, model.fits_pools] = ranged
    families["fits"] = fits
    return families


def run_stage_one(model: LpModel, name: SolverName) -> float:
    """Solve stage 1 alone on a fresh model (no ``fix_*`` rows); return the least shortfall.

    Used to re-solve with a changed right-hand side when checking a shadow price.

    Raises
    ------
    SolverError
        If the solve does not end with a proven optimum.
    """
    objective = expression(dict.fromkeys(model.shortfall, 1.0))
    model.lp.setObjective(objective)
    _run(model, name, Stage.SHORTFALL, None)
    return float(objective.value() or 0.0)


def stages_of(fairness: bool) -> tuple[Stage, ...]:
    """The stages solved, in order: the fairness stage only when asked for."""
    return tuple(stage for stage in Stage if fairness or stage is not Stage.FAIRNESS)


def solve_stages(
    problem: ReferralProblem,
    model: LpModel,
    name: SolverName,
    with_prices: bool = True,
    time_limit: float | None = None,
) -> Solution:
    """Run the stages on a built model (with the fairness stage if the model has it).

    Parameters
    ----------
    problem
        The referral problem the model was built from.
    model
        The model (it gains the ``fix_*`` constraints).
    name
        The solver.
    with_prices
        Whether to read shadow prices (``False`` for a MILP, where they do not exist).
    time_limit
        Seconds allowed for each MILP solve of an integer model (``None``: no limit).

    Returns
    -------
    Solution
        The final stage's values and every stage's objective and prices.

    Raises
    ------
    SolverError
        If any stage does not end with a proven optimum.
    """
    lp = model.lp
    n_departments, n_groups = problem.n_departments, problem.n_groups
    results: list[StageResult] = []
    fixed: pulp.LpConstraint | None = None
    for stage in stages_of(model.shortfall_share is not None):
        terms = _objective(model, problem, stage)
        objective = expression(terms)
        lp.setObjective(objective)
        started = time.perf_counter()
        proven, gap = True, 0.0
        if stage is Stage.MAX_LOAD and model.integer:
            value, proven = integer_max_load(problem, model, name, time_limit)
            gap = 0.0 if proven else float("nan")
            lp.setObjective(objective)
        else:
            proven, gap = _run(model, name, stage, fixed, time_limit)
            value = float(objective.value() or 0.0)
        log.debug("stage %s: %s in %.3f s", stage, value, time.perf_counter() - started)
        ranges = (  # only stage 1's prices are checked (optimisation.sensitivity)
            _holds_for(model, problem)
            if with_prices
            and stage is Stage.SHORTFALL
            and name is SolverName.HIGHS
            and not model.integer
            else {}
        )
        if with_prices:
            tradeoff = 0.0
            if fixed is not None and fixed.pi is not None:
                tradeoff = -float(fixed.pi) if abs(fixed.pi) >= PRICE_ZERO else 0.0
            result = StageResult(
                stage=stage,
                objective=value,
                slot_price=_prices(model.slots, model.slot_rows, n_departments, -1.0),
                composition_price=_prices(
                    model.composition, model.composition_rows, n_departments, -1.0
                ),
                load_price=_prices(model.load, model.load_rows, n_departments, -1.0),
                capacity_price=_capacity_prices(model, problem, -1.0),
                demand_price=_prices(model.demand, np.arange(n_groups), n_groups, 1.0),
                tradeoff=tradeoff,
                area_price=_prices(model.area, model.area_rows, len(problem.areas), -1.0),
                holds_for=ranges,
                claims_price=_prices(model.claims, model.claims_rows, len(problem.units), -1.0),
            )
        else:
            nan_departments = np.full(n_departments, np.nan)
            result = StageResult(
                stage=stage,
                objective=value,
                slot_price=nan_departments,
                composition_price=nan_departments,
                load_price=nan_departments,
                capacity_price=np.full((n_departments, len(problem.pools)), np.nan),
                demand_price=np.full(n_groups, np.nan),
                tradeoff=np.nan,
                area_price=np.full(len(problem.areas), np.nan),
                claims_price=np.full(len(problem.units), np.nan),
                proven=proven,
                gap=gap,
            )
        results.append(result)
        if stage is not Stage.HEADROOM:
            imposed = _imposed(value, name, stage, model.integer)
            row = constraint(terms, pulp.LpConstraintLE, f"fix_{stage}", imposed)
            (fixed,) = add_constraints(lp, [row])
    final_stage = Stage.HEADROOM
    return Solution(
        referrals=_values(model.referrals, name, final_stage),
        shortfall=_values(model.shortfall, name, final_stage),
        max_load=float(_values([model.max_load], name, final_stage)[0]),
        stages=tuple(results),
    )


@dataclass(frozen=True)
class SolveOutcome:
    """Everything :func:`optimisation.plan_referrals` needs to assemble a plan.

    Parameters
    ----------
    formulation
        The arrays of the model the plan was solved on.
    solution
        The plan's values (integer if asked for).
    prices
        The stage results whose shadow prices are reported (the LP relaxation's for a MILP).
    solver
        The solver used.
    build_seconds, solve_seconds
        Wall time spent building models and solving them (seconds).
    model
        The PuLP model, where the plan was solved through PuLP (CBC, or an integer plan);
        ``None`` on the direct HiGHS path.
    stage_one_basis
        Where the prices come from HiGHS directly: stage 1's optimal basis
        (``highspy.HighsBasis``) of the LP, for re-solves that check a price.
    """

    formulation: Formulation
    solution: Solution
    prices: tuple[StageResult, ...]
    solver: SolverName
    build_seconds: float
    solve_seconds: float
    model: LpModel | None = None
    stage_one_basis: Any | None = None


def optimise(
    problem: ReferralProblem,
    solver: SolverName | str | None = None,
    integer: bool = False,
    fairness: bool = False,
    time_limit: float | None = None,
    warm_start: WarmStart | None = None,
    with_ranging: bool = True,
) -> SolveOutcome:
    """Build and solve the model; for a MILP also the LP relaxation, for its prices.

    An LP with HiGHS is solved on HiGHS directly (:mod:`optimisation.highs_stages`), from the
    same arrays the PuLP model is built from; CBC and integer plans go through PuLP
    (:func:`solve_stages`).

    Parameters
    ----------
    problem
        The referral problem.
    solver
        ``"highs"``, ``"cbc"`` or ``None`` (HiGHS when installed, else CBC).
    integer
        Whether referrals must be whole households.
    fairness
        Whether to solve the fairness stage after the shortfall stage.
    time_limit
        Seconds allowed for each MILP solve of an integer plan (``None``: no limit).
    warm_start
        For an LP with HiGHS: start stage 1 from the basis of the last plan of the same shape
        (:class:`~optimisation.highs_stages.WarmStart`), and leave this one's.
    with_ranging
        For an LP with HiGHS: range stage 1's basis (``StageResult.holds_for``, which the price
        checks read); a caller that needs only the plan's numbers saves the time.

    Returns
    -------
    SolveOutcome
        The solution and timings.
    """
    name = choose_solver(solver)
    started = time.perf_counter()
    formulation = formulate(problem, integer=integer, fairness=fairness)
    build_seconds = time.perf_counter() - started
    if name is SolverName.HIGHS and not integer:
        solution, basis, build, solve = solve_stages_highs(
            problem, formulation, with_ranging=with_ranging, warm_start=warm_start
        )
        return SolveOutcome(
            formulation, solution, solution.stages, name, build_seconds + build, solve, None, basis
        )
    started = time.perf_counter()
    model = model_from_formulation(formulation)
    build_seconds += time.perf_counter() - started
    started = time.perf_counter()
    solution = solve_stages(problem, model, name, with_prices=not integer, time_limit=time_limit)
    solve_seconds = time.perf_counter() - started
    prices = solution.stages
    basis = None
    if integer:
        started = time.perf_counter()
        relaxation = formulate(problem, integer=False, fairness=fairness)
        build_seconds += time.perf_counter() - started
        if name is SolverName.HIGHS:
            relaxed, basis, build, solve = solve_stages_highs(problem, relaxation)
            build_seconds += build
            solve_seconds += solve
        else:
            started = time.perf_counter()
            lp_model = model_from_formulation(relaxation)
            build_seconds += time.perf_counter() - started
            started = time.perf_counter()
            relaxed = solve_stages(problem, lp_model, name, with_prices=True)
            solve_seconds += time.perf_counter() - started
        prices = relaxed.stages
    return SolveOutcome(
        formulation, solution, prices, name, build_seconds, solve_seconds, model, basis
    )
