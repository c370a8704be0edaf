"""The referral plan: how many referrals of each group go where, and what limits it.

A :class:`ReferralPlan` is assembled only from a proven-optimal solve; it holds tidy tables
(``allocation``, ``departments``, ``groups``) whose column names carry their meaning and unit, the
headline numbers, and the shortfall diagnosis. :meth:`ReferralPlan.to_frames` gives the tables to
write (``plan.csv``, ``departments.csv``, ``groups.csv``); :meth:`ReferralPlan.explain` and
:meth:`ReferralPlan.explain_markdown` the plain-language account.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from optimisation.constants import SolverName, SolverStatus, Stage
from optimisation.diagnosis import BINDING_TOLERANCE, ShortfallDiagnosis, diagnose_shortfalls
from optimisation.problem import ReferralProblem
from optimisation.solve import SolveOutcome, StageResult

__all__ = ["DEPARTMENT_TABLE_COLUMNS", "ReferralPlan", "build_plan"]

FloatArray = npt.NDArray[np.float64]

VALUE_ZERO = 1e-9
"""Referrals and shortfalls smaller than this (households) are reported as 0."""

DEPARTMENT_TABLE_COLUMNS: Mapping[str, str] = {
    "department": "Department (afdeling) id.",
    "vacancies": "Expected vacancies in the period (dwellings per period).",
    "slots": "Referral slots: agreed referral share × vacancies (dwellings per period).",
    "referrals": "Referrals planned (households per period).",
    "load": "Referrals as a share of the vacancies (0–1; 0 where there are no vacancies).",
    "ceiling": "Ceiling θ on the share of adults 18–64 outside work or education (0–1).",
    "headroom": "Headroom R: persons outside work/education the department can take (persons).",
    "headroom_used": "Headroom the plan uses, Σ max(0, w) × referrals (persons).",
    "headroom_left": "Headroom left after the plan (persons).",
    "above_ceiling": "Already at or above the ceiling with no referrals (takes only w ≤ 0).",
    "slots_binding": "All referral slots are used.",
    "headroom_binding": "The headroom is used up (a composition limit binds).",
    "load_binding": "The department carries the maximum load.",
    "binding": "The binding limits, in words ('slots, headroom, max_load'; empty if none).",
    "slot_value_households": "Stage 1 shadow price: households housed per extra slot (at most).",
    "slot_value_max_load": "Stage 2 shadow price: fall of the maximum load per extra slot (share).",
    "slot_value_headroom": "Stage 3 shadow price: headroom saved per extra slot (persons).",
    "headroom_value_households": "Stage 1: more households housed per extra person of headroom.",
    "headroom_value_max_load": "Stage 2: fall of the maximum load per extra person of headroom.",
    "headroom_value_headroom": "Stage 3: headroom saved per extra person of headroom (persons).",
}
"""Columns of :attr:`ReferralPlan.departments`, with meaning and unit."""


@dataclass(frozen=True, eq=False)
class ReferralPlan:
    """An optimal referral plan with its explanation.

    Treat the tables as read-only. Equality is identity.

    Parameters
    ----------
    problem
        The problem the plan solves.
    allocation
        The plan: columns ``department``, ``group``, ``referrals`` (households per period), one
        row per pair with referrals (whole numbers for an integer plan).
    departments
        One row per department; columns in :data:`DEPARTMENT_TABLE_COLUMNS`.
    groups
        One row per group: ``group``, ``demand``, ``referrals``, ``shortfall`` (households per
        period), ``departments_compatible`` (compatible with slots), ``shortfall_per_demand``
        (stage 1 shadow price: extra unplaced households per extra household of demand).
    shortfall
        Unplaced households per group (a Series indexed by group id).
    total_shortfall
        Total unplaced households (households per period), stage 1's optimum.
    max_load
        The largest share of any department's vacancies that goes to referrals (0–1), stage 2's
        optimum ``L``.
    headroom_used
        Total headroom the plan uses (persons), stage 3's optimum.
    objectives
        The optimum of each stage, as solved (for an integer plan, of the MILP).
    prices
        Each stage's objective and shadow prices (from the LP relaxation for an integer plan).
    diagnoses
        Why each group with a shortfall falls short.
    status
        Always :attr:`SolverStatus.OPTIMAL` (any other outcome raises instead).
    solver
        The solver used.
    integer
        Whether referrals are whole households (MILP).
    prices_from_relaxation
        Whether the shadow prices come from the LP relaxation (``True`` for an integer plan).
    build_seconds, solve_seconds
        Wall time spent building the model(s) and solving (seconds).
    """

    problem: ReferralProblem
    allocation: pd.DataFrame
    departments: pd.DataFrame
    groups: pd.DataFrame
    shortfall: pd.Series
    total_shortfall: float
    max_load: float
    headroom_used: float
    objectives: Mapping[Stage, float]
    prices: tuple[StageResult, ...]
    diagnoses: tuple[ShortfallDiagnosis, ...]
    status: SolverStatus
    solver: SolverName
    integer: bool
    prices_from_relaxation: bool
    build_seconds: float
    solve_seconds: float

    @property
    def placed(self) -> float:
        """Households placed by the plan (households per period)."""
        return float(self.groups["referrals"].sum())

    def referral_matrix(self) -> FloatArray:
        """Return the plan as a departments × groups array (households per period).

        Returns
        -------
        ndarray
            Rows in ``problem.departments`` order, columns in ``problem.groups`` order.
        """
        department_index = {ident: i for i, ident in enumerate(self.problem.departments)}
        group_index = {ident: i for i, ident in enumerate(self.problem.groups)}
        matrix = np.zeros((self.problem.n_departments, self.problem.n_groups))
        rows = [department_index[d] for d in self.allocation["department"].tolist()]
        columns = [group_index[g] for g in self.allocation["group"].tolist()]
        matrix[rows, columns] = self.allocation["referrals"].to_numpy(dtype=np.float64)
        return matrix

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """Return the tables to write, keyed by file stem.

        Returns
        -------
        dict of str to DataFrame
            ``{"plan": allocation, "departments": departments, "groups": groups}`` (copies), so
            ``for stem, frame in plan.to_frames().items(): frame.to_csv(f"{stem}.csv")``.
        """
        return {
            "plan": self.allocation.copy(),
            "departments": self.departments.copy(),
            "groups": self.groups.copy(),
        }

    def explain(self) -> str:
        """Explain the plan in plain language: totals, binding limits, shadow prices, shortfalls.

        Returns
        -------
        str
            Plain text, one topic per paragraph.
        """
        from optimisation.explain import explain_text

        return explain_text(self)

    def explain_markdown(self) -> str:
        """Explain the plan as :meth:`explain` does, in Markdown (for ``explanation.md``).

        Returns
        -------
        str
            Markdown with headings, bullet lists and tables.
        """
        from optimisation.explain import explain_markdown

        return explain_markdown(self)


def _clean(values: FloatArray, integer: bool) -> FloatArray:
    cleaned = np.where(np.abs(values) < VALUE_ZERO, 0.0, values)
    if integer:
        cleaned = np.round(cleaned)
    return np.maximum(cleaned, 0.0)


def build_plan(problem: ReferralProblem, outcome: SolveOutcome) -> ReferralPlan:
    """Assemble a plan from an optimal solve.

    Parameters
    ----------
    problem
        The referral problem.
    outcome
        The solve's model, solution, prices and timings.

    Returns
    -------
    ReferralPlan
        The plan with its tables and diagnosis.
    """
    model, solution = outcome.model, outcome.solution
    integer = model.integer
    n_departments = problem.n_departments
    referrals = np.zeros((n_departments, problem.n_groups))
    referrals[model.pair_department, model.pair_group] = _clean(solution.referrals, integer)
    placed = referrals.sum(axis=0)
    shortfall = np.maximum(problem.demand - placed, 0.0)
    shortfall[shortfall < VALUE_ZERO] = 0.0
    if integer:
        shortfall = np.where(
            np.abs(shortfall - np.round(shortfall)) < 1e-6, np.round(shortfall), shortfall
        )

    per_department = referrals.sum(axis=1)
    vacancies = problem.vacancies
    with np.errstate(divide="ignore", invalid="ignore"):
        load = np.where(vacancies > 0, per_department / vacancies, 0.0)
    max_load = float(load.max()) if n_departments else 0.0
    positive_usage = np.maximum(problem.usage, 0.0)
    headroom_used_by_department = (positive_usage * referrals).sum(axis=1)
    headroom_left = problem.headroom - headroom_used_by_department
    has_composition = np.zeros(n_departments, dtype=bool)
    has_composition[model.composition_rows] = True
    has_slots_row = np.zeros(n_departments, dtype=bool)
    has_slots_row[model.slot_rows] = True

    slots = problem.slots
    has_slots_row &= slots > 0
    slot_tolerance = BINDING_TOLERANCE * np.maximum(1.0, slots)
    headroom_tolerance = BINDING_TOLERANCE * np.maximum(1.0, problem.headroom)
    if integer:
        smallest_use = np.where(
            problem.compatible & (positive_usage > 0), positive_usage, np.inf
        ).min(axis=1)
        slots_binding = has_slots_row & (slots - per_department < 1.0 - slot_tolerance)
        headroom_binding = has_composition & (headroom_left < smallest_use - headroom_tolerance)
    else:
        slots_binding = has_slots_row & (slots - per_department <= slot_tolerance)
        headroom_binding = has_composition & (headroom_left <= headroom_tolerance)
    load_binding = (
        (vacancies > 0)
        & (per_department > VALUE_ZERO)
        & (load >= max_load * (1 - BINDING_TOLERANCE))
    )
    binding = [
        ", ".join(label for label, flag in (("slots", s), ("headroom", h), ("max_load", m)) if flag)
        for s, h, m in zip(
            slots_binding.tolist(), headroom_binding.tolist(), load_binding.tolist(), strict=True
        )
    ]
    stage_prices = {result.stage: result for result in outcome.prices}
    departments = pd.DataFrame(
        {
            "department": list(problem.departments),
            "vacancies": vacancies,
            "slots": slots,
            "referrals": per_department,
            "load": load,
            "ceiling": problem.theta,
            "headroom": problem.headroom,
            "headroom_used": headroom_used_by_department,
            "headroom_left": headroom_left,
            "above_ceiling": problem.above_ceiling,
            "slots_binding": slots_binding,
            "headroom_binding": headroom_binding,
            "load_binding": load_binding,
            "binding": binding,
            "slot_value_households": stage_prices[Stage.SHORTFALL].slot_price,
            "slot_value_max_load": stage_prices[Stage.MAX_LOAD].slot_price,
            "slot_value_headroom": stage_prices[Stage.HEADROOM].slot_price,
            "headroom_value_households": stage_prices[Stage.SHORTFALL].composition_price,
            "headroom_value_max_load": stage_prices[Stage.MAX_LOAD].composition_price,
            "headroom_value_headroom": stage_prices[Stage.HEADROOM].composition_price,
        }
    )
    rows, columns = np.nonzero(referrals > 0)
    allocation = pd.DataFrame(
        {
            "department": [problem.departments[i] for i in rows.tolist()],
            "group": [problem.groups[j] for j in columns.tolist()],
            "referrals": referrals[rows, columns],
        }
    )
    candidates = problem.compatible & (slots > 0)[:, None]
    groups = pd.DataFrame(
        {
            "group": list(problem.groups),
            "demand": problem.demand,
            "referrals": placed,
            "shortfall": shortfall,
            "departments_compatible": candidates.sum(axis=0),
            "shortfall_per_demand": stage_prices[Stage.SHORTFALL].demand_price,
        }
    )
    total_shortfall = float(shortfall.sum())
    return ReferralPlan(
        problem=problem,
        allocation=allocation,
        departments=departments,
        groups=groups,
        shortfall=pd.Series(
            shortfall, index=pd.Index(list(problem.groups), name="group"), name="shortfall"
        ),
        total_shortfall=total_shortfall,
        max_load=max_load,
        headroom_used=float(headroom_used_by_department.sum()),
        objectives={result.stage: result.objective for result in solution.stages},
        prices=outcome.prices,
        diagnoses=diagnose_shortfalls(problem, referrals, shortfall, integer),
        status=SolverStatus.OPTIMAL,
        solver=outcome.solver,
        integer=integer,
        prices_from_relaxation=integer,
        build_seconds=outcome.build_seconds,
        solve_seconds=outcome.solve_seconds,
    )
