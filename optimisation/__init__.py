"""The referral optimiser: a plan for municipal referrals that a negotiating table can check.

A municipality must house its homeless and refugee households (kommunal anvisning = municipal
referral, almenboligloven § 59), and every housing organisation fears that its most fragile
departments (afdelinger; afdeling = department) take them all. :func:`plan_referrals` answers with
a plan: how many referrals of each group go to each department, such that

* no department takes more referrals than its slots (agreed referral share × vacancies), or,
  where the agreement counts claims per housing organisation or across the municipality
  (``departments.unit``), no unit more than its pooled claims and no department more than its
  vacancies (``docs/optimiser.md``, "Pooled claims");
* no protected area, and with department ceilings no department, is pushed over its ceiling on
  the share of adults 18–64 outside work or education (a list's threshold minus a safety
  margin), or made worse if it is already above;
* incompatible pairs (rooms, rent, § 59 stk. 6/7 bans) get nothing, and a compatible pair no more
  than its capacity, where one is given: the vacancies that fit the group (rooms, rent);

and, in this order of priority (LPs solved in sequence: ``docs/optimiser.md``, "The stages"): as
few households as possible are left unplaced (optionally then: no group carries more than its
share of the shortfall); the largest share of any department's vacancies that goes to referrals
(the *load*) is as small as possible; and as little composition headroom as possible is used. The plan explains itself (:meth:`ReferralPlan.explain`): the binding limits, what one
more slot, one more person of headroom or one more fitting dwelling would be worth, and why any
group falls short.

Shadow prices are read from each stage's own LP, because each stage answers its own question:
stage 1's duals say how many more households one more slot (or person of headroom) would house,
stage 2's how much it would lower the maximum load with the shortfall held, stage 3's how much
headroom it would save. (The last stage's slot dual alone measures headroom, not housing.) Each
is an upper bound on the effect of one whole unit, exact for small changes when the LP is not
degenerate; for an integer plan they come from the LP relaxation. A stage-1 price is stated as a
gain only where HiGHS ranging or a re-solve confirms it (:attr:`ReferralPlan.sensitivities`). See
"Shadow prices" in ``docs/optimiser.md``.

This is a pure library: no I/O, and it never imports ``simulation`` or ``mesa``.

Examples
--------
>>> import pandas as pd
>>> from optimisation import ReferralProblem, plan_referrals
>>> departments = pd.DataFrame({
...     "department": ["A", "B"], "vacancies": [8.0, 8.0], "referral_share": [0.25, 0.25],
...     "households": [80, 80], "adults": [100, 100], "adults_outside": [20, 20]})
>>> groups = pd.DataFrame({"group": ["homeless"], "demand": [6.0],
...     "adults_per_household": [1.0], "outside_per_household": [1.0]})
>>> plan = plan_referrals(ReferralProblem.from_frames(departments, groups))
>>> plan.total_shortfall, plan.max_load
(2.0, 0.25)
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pulp

from optimisation.constants import Blocker, SolverName, SolverStatus, Stage
from optimisation.diagnosis import ShortfallDiagnosis
from optimisation.errors import DataIssue, ProblemDataError, SolverError
from optimisation.formulation import formulate
from optimisation.highs_stages import WarmStart
from optimisation.model import model_from_formulation
from optimisation.plan import (
    ALLOCATION_TABLE_COLUMNS,
    AREA_TABLE_COLUMNS,
    DEPARTMENT_TABLE_COLUMNS,
    FITS_TABLE_COLUMNS,
    UNIT_TABLE_COLUMNS,
    ReferralPlan,
    build_plan,
    clean_referrals,
)
from optimisation.plot import plot_plan
from optimisation.problem import REASON_TEXT, ReferralProblem
from optimisation.sensitivity import SENSITIVITY_TABLE_COLUMNS
from optimisation.sensitivity import check_prices as check_price_gains
from optimisation.solve import StageResult, optimise
from optimisation.solvers import available_solvers, expression

__all__ = [
    "ALLOCATION_TABLE_COLUMNS",
    "AREA_TABLE_COLUMNS",
    "DEPARTMENT_TABLE_COLUMNS",
    "FITS_TABLE_COLUMNS",
    "REASON_TEXT",
    "SENSITIVITY_TABLE_COLUMNS",
    "UNIT_TABLE_COLUMNS",
    "Blocker",
    "DataIssue",
    "ProblemDataError",
    "ReferralPlan",
    "ReferralProblem",
    "ShortfallDiagnosis",
    "SolverError",
    "SolverName",
    "SolverStatus",
    "Stage",
    "StageResult",
    "WarmStart",
    "available_solvers",
    "plan_matrix",
    "plan_referrals",
    "plot_plan",
    "pulp_model",
]


def plan_referrals(
    problem: ReferralProblem,
    solver: SolverName | str | None = None,
    integer: bool = False,
    *,
    fairness: bool = False,
    check_prices: bool = True,
    time_limit: float | None = None,
) -> ReferralPlan:
    """Plan the period's referrals: fewest unplaced, then the most even load, then least headroom.

    Parameters
    ----------
    problem
        The validated problem (see :meth:`ReferralProblem.from_frames`).
    solver
        ``"highs"`` (HiGHS through ``highspy``), ``"cbc"`` (the CBC bundled with PuLP), or
        ``None``/``"auto"``: HiGHS when installed, else CBC.
    integer
        Whole referrals (a MILP) instead of the LP; its shadow prices then come from the LP
        relaxation, a department's fractional slots round down in effect, and the capacity rows
        count whole fitting dwellings where the problem gives ``dwellings``. Slower than the LP;
        CBC's MILP solver is much weaker than HiGHS's.
    fairness
        Solve the fairness stage after stage 1: with the total shortfall held, make the largest
        share of any group's demand left unplaced as small as possible, before spreading load.
    check_prices
        Check which stage-1 shadow prices are real gains (:attr:`ReferralPlan.sensitivities`):
        HiGHS ranging, and up to a dozen re-solves where ranging cannot tell. The account
        states a price as a gain only where it is confirmed.
    time_limit
        For an integer plan, the seconds each MILP solve may take (HiGHS or CBC); a stage that
        stops there with a plan is accepted and reported with its gap
        (:attr:`ReferralPlan.gaps`, the account). A time limit makes the plan depend on the
        machine; ``None`` (default) has none.

    Returns
    -------
    ReferralPlan
        The optimal plan, its tables and its explanation.

    Raises
    ------
    SolverError
        If a stage does not end with a proven optimum (the status says why); no partial plan is
        returned.
    ValueError
        If ``solver`` is not a known solver name.
    """
    outcome = optimise(
        problem, solver=solver, integer=integer, fairness=fairness, time_limit=time_limit
    )
    checked = check_price_gains(problem, outcome) if check_prices else None
    return build_plan(problem, outcome, checked)


def plan_matrix(
    problem: ReferralProblem,
    solver: SolverName | str | None = None,
    integer: bool = False,
    *,
    fairness: bool = False,
    time_limit: float | None = None,
    warm_start: WarmStart | None = None,
) -> npt.NDArray[np.float64]:
    """Only the plan's referrals, as :func:`plan_referrals` would plan them: no tables, no account.

    For a caller that re-plans often and needs nothing but the numbers (the simulation's
    ``optimised`` policy re-plans every quarter): the same stages on the same model, without
    assembling the plan's tables, its diagnosis or its price checks.

    Parameters
    ----------
    problem, solver, integer, fairness, time_limit
        As for :func:`plan_referrals`.
    warm_start
        A :class:`WarmStart` kept between the plans of a run: an LP solved with HiGHS starts
        stage 1 from the last plan's optimal basis where the LP has the same shape.

    Returns
    -------
    ndarray
        Referrals, departments × groups in the problem's order (households per period); equal
        to ``plan_referrals(...).referral_matrix()``.

    Raises
    ------
    SolverError
        If a stage does not end with a proven optimum.
    """
    outcome = optimise(
        problem,
        solver=solver,
        integer=integer,
        fairness=fairness,
        time_limit=time_limit,
        warm_start=warm_start,
        with_ranging=False,
    )
    formulation = outcome.formulation
    matrix = np.zeros((problem.n_departments, problem.n_groups))
    matrix[formulation.pair_department, formulation.pair_group] = clean_referrals(
        outcome.solution.referrals, integer
    )
    return matrix


def pulp_model(
    problem: ReferralProblem, *, integer: bool = False, fairness: bool = False
) -> pulp.LpProblem:
    """The referral LP as a PuLP problem with stage 1's objective, to read, export or solve.

    Built from the same arrays (:func:`optimisation.formulation.formulate`) that the plan is
    solved from, so the file shows the model the plan comes from, with names that read like the
    policy (``slots_{department}``, ``area_{area}``, ``demand_{group}``). Write it with
    ``.writeLP("plan.lp")`` or ``.writeMPS("plan.mps")``; the library itself writes no files.

    Parameters
    ----------
    problem
        The referral problem.
    integer
        Whole referrals (the MILP's columns and capacities).
    fairness
        With the fairness stage's variable and rows.

    Returns
    -------
    pulp.LpProblem
        Minimising the total shortfall (stage 1).
    """
    model = model_from_formulation(formulate(problem, integer=integer, fairness=fairness))
    model.lp.setObjective(expression(dict.fromkeys(model.shortfall, 1.0)))
    return model.lp
