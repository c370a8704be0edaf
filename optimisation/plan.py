"""The referral plan: how many referrals of each group go where, and what limits it.

A :class:`ReferralPlan` is assembled only from a proven-optimal solve; it holds tidy tables
(``allocation``, ``departments``, ``groups``, ``fits``) whose column names carry their meaning and
unit, the headline numbers, and the shortfall diagnosis. :meth:`ReferralPlan.to_frames` gives the
tables to write (``plan.csv``, ``departments.csv``, ``groups.csv``, ``fits.csv``);
:meth:`ReferralPlan.explain` and :meth:`ReferralPlan.explain_markdown` the plain-language account.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from optimisation.constants import SolverName, SolverStatus, Stage
from optimisation.diagnosis import (
    BINDING_TOLERANCE,
    ShortfallDiagnosis,
    capacity_used_up,
    diagnose_shortfalls,
    pool_referrals,
)
from optimisation.explain import explain_markdown, explain_text
from optimisation.problem import ReferralProblem
from optimisation.solve import SolveOutcome, StageResult
from optimisation.voice import Language

__all__ = [
    "ALLOCATION_TABLE_COLUMNS",
    "AREA_TABLE_COLUMNS",
    "DEPARTMENT_TABLE_COLUMNS",
    "FITS_TABLE_COLUMNS",
    "UNIT_TABLE_COLUMNS",
    "ReferralPlan",
    "build_plan",
    "clean_referrals",
]

FloatArray = npt.NDArray[np.float64]

VALUE_ZERO = 1e-9
"""Referrals and shortfalls smaller than this (households) are reported as 0."""

DEPARTMENT_TABLE_COLUMNS: Mapping[str, str] = {
    "department": "Department (afdeling) id.",
    "vacancies": "Expected vacancies in the period (dwellings per period).",
    "slots": "Referral slots: agreed referral share × vacancies (dwellings per period); with "
    "pooled claims the vacancies the unit's claims may fall on (0 where the share is 0).",
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
    "fits_binding": "Capacity pools (usually groups) whose fitting dwellings are used up (count).",
    "binding": "The binding limits, in words ('slots, headroom, fits, max_load'; empty if none).",
    "slot_value_households": "Stage 1 shadow price: households housed per extra slot (at most).",
    "slot_value_max_load": "Stage 2 shadow price: fall of the maximum load per extra slot (share).",
    "slot_value_headroom": "Stage 3 shadow price: headroom saved per extra slot (persons).",
    "headroom_value_households": "Stage 1: more households housed per extra person of headroom.",
    "headroom_value_max_load": "Stage 2: fall of the maximum load per extra person of headroom.",
    "headroom_value_headroom": "Stage 3: headroom saved per extra person of headroom (persons).",
}
"""Columns of :attr:`ReferralPlan.departments`, with meaning and unit."""

ALLOCATION_TABLE_COLUMNS: Mapping[str, str] = {
    "department": "Department (afdeling) id.",
    "group": "Referral group id.",
    "referrals": "Referrals planned (households per period).",
    "capacity": "Referrals the dwellings that fit the group can take there (households per "
    "period; shared by the groups of its capacity pool; inf if no limit).",
    "capacity_binding": "That capacity is used up (the fitting dwellings are all claimed).",
}
"""Columns of :attr:`ReferralPlan.allocation` (``plan.csv``), with meaning and unit."""

AREA_TABLE_COLUMNS: Mapping[str, str] = {
    "area": "Area (boligområde) id.",
    "departments": "Departments in the area (count).",
    "protected": "Whether the area's end-of-period share outside work/education is limited.",
    "ceiling": "Ceiling θ_a on that share (0–1; NaN where not protected).",
    "adults": "Projected adults 18–64 at the end of the period without referrals (persons).",
    "adults_outside": "Of them outside work or education, projected (persons).",
    "headroom": "Headroom R_a: persons outside work/education the area can take (persons).",
    "headroom_used": "Headroom the plan uses, Σ max(0, w^a) × referrals (persons).",
    "headroom_left": "Headroom left after the plan (persons).",
    "above_ceiling": "Already at or above the ceiling with no referrals (takes only w ≤ 0).",
    "binding": "The area's headroom is used up (its row binds).",
    "value_households": "Stage 1 shadow price: households housed per extra person of the area's "
    "headroom (at most).",
    "value_max_load": "Stage 2 shadow price: fall of the maximum load per extra person (share).",
    "value_headroom": "Stage 3 shadow price: headroom saved per extra person (persons).",
}
"""Columns of :attr:`ReferralPlan.areas` (``areas.csv``): one row per area."""

UNIT_TABLE_COLUMNS: Mapping[str, str] = {
    "unit": "Claim accounting unit id (a housing organisation, or the municipality).",
    "departments": "Departments whose claims the unit counts (count).",
    "earned": "Claims its departments earn in the period, Σ s_d v_d (households).",
    "carried": "Claims carried over into the period (households).",
    "claims": "Pooled claims C_u = earned + carried (households per period).",
    "referrals": "Referrals the plan makes in the unit's departments (households per period).",
    "claims_left": "Claims left unused (households per period).",
    "binding": "The unit's pooled claims are all used (its row binds).",
    "value_households": "Stage 1 shadow price: households housed per extra pooled claim (at most).",
    "value_max_load": "Stage 2 shadow price: fall of the maximum load per extra claim (share).",
    "value_headroom": "Stage 3 shadow price: headroom saved per extra claim (persons).",
}
"""Columns of :attr:`ReferralPlan.units` (``units.csv``): one row per claim accounting unit, only
with pooled claims (see the optimiser documentation, section Pooled claims)."""

FITS_TABLE_COLUMNS: Mapping[str, str] = {
    "department": "Department (afdeling) id.",
    "pool": "Capacity pool id (the group id when the group has a pool of its own).",
    "groups": "The groups that share the pool's fitting dwellings (comma-separated).",
    "capacity": "Referrals the fitting dwellings can take (households per period; for an integer "
    "plan the whole number its row allows: the whole fitting dwellings, or the capacity rounded "
    "down).",
    "referrals": "Referrals of the pool's groups planned (households per period).",
    "capacity_left": "Capacity not used by the plan (households per period).",
    "binding": "The capacity is used up (in a department with referral slots).",
    "value_households": "Stage 1 shadow price: households housed per extra unit of capacity "
    "(one more fitting vacancy to claim), at most.",
    "value_max_load": "Stage 2 shadow price: fall of the maximum load per extra unit (share).",
    "value_headroom": "Stage 3 shadow price: headroom saved per extra unit (persons).",
}
"""Columns of :attr:`ReferralPlan.fits` (``fits.csv``): one row per ``fits_{department}_{pool}``
constraint, i.e. per department and capacity pool with a finite capacity."""


@dataclass(frozen=True, eq=False)
class ReferralPlan:
    """An optimal referral plan with its explanation.

    Treat the tables as read-only. Equality is identity.

    Parameters
    ----------
    problem
        The problem the plan solves.
    allocation
        The plan: one row per pair with referrals; columns in
        :data:`ALLOCATION_TABLE_COLUMNS` (``department``, ``group``, ``referrals`` in households
        per period, whole numbers for an integer plan, and the pair's ``capacity``).
    departments
        One row per department; columns in :data:`DEPARTMENT_TABLE_COLUMNS`.
    groups
        One row per group: ``group``, ``demand``, ``referrals``, ``shortfall`` (households per
        period), ``departments_compatible`` (compatible with slots), ``shortfall_per_demand``
        (stage 1 shadow price: extra unplaced households per extra household of demand).
    fits
        One row per department and capacity pool with a finite capacity (the
        ``fits_{department}_{pool}`` rows of the LP); columns in :data:`FITS_TABLE_COLUMNS`.
        Empty when the problem has no capacities.
    areas
        One row per area; columns in :data:`AREA_TABLE_COLUMNS`. Empty when the problem has no
        areas.
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
    unproven
        Stages whose optimum is not proven (an integer plan's headroom stage stopped at its node
        limit: the plan is optimal in the earlier stages, its headroom the best found).
    sensitivities
        Which stage-1 shadow prices are real gains (``SENSITIVITY_TABLE_COLUMNS``): confirmed by
        ranging or a re-solve, degenerate, or unchecked; empty when not checked.
    gaps
        For each unproven stage, the relative MIP gap at which it stopped (NaN where unknown).
    units
        With pooled claims (``problem.claim_unit``), one row per claim accounting unit; columns
        in :data:`UNIT_TABLE_COLUMNS`. Empty otherwise.
    """

    problem: ReferralProblem
    allocation: pd.DataFrame
    departments: pd.DataFrame
    groups: pd.DataFrame
    fits: pd.DataFrame
    areas: pd.DataFrame
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
    unproven: tuple[Stage, ...] = ()
    sensitivities: pd.DataFrame = field(default_factory=pd.DataFrame)
    gaps: Mapping[Stage, float] = field(default_factory=dict)
    units: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def placed(self) -> float:
        """Households placed by the plan (households per period)."""
        return float(self.groups["referrals"].sum())

    @property
    def max_shortfall_share(self) -> float:
        """The largest share of any group's demand left unplaced (0–1; 0 without demand)."""
        demand = self.groups["demand"].to_numpy(dtype=np.float64)
        shortfall = self.groups["shortfall"].to_numpy(dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            shares = np.where(demand > 0, shortfall / demand, 0.0)
        return float(shares.max()) if shares.size else 0.0

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
            ``{"plan": allocation, "departments": departments, "groups": groups, "fits": fits}``
            ``"areas"`` when the problem has areas, ``"sensitivities"`` when the prices were
            checked and ``"units"`` with pooled claims (copies), so ``for stem, frame in
            plan.to_frames().items(): frame.to_csv(f"{stem}.csv")``.
        """
        frames = {
            "plan": self.allocation.copy(),
            "departments": self.departments.copy(),
            "groups": self.groups.copy(),
            "fits": self.fits.copy(),
        }
        if len(self.areas):
            frames["areas"] = self.areas.copy()
        if len(self.sensitivities):
            frames["sensitivities"] = self.sensitivities.copy()
        if len(self.units):
            frames["units"] = self.units.copy()
        return frames

    def explain(
        self, language: Language = "en", names: Mapping[Hashable, str] | None = None
    ) -> str:
        """Explain the plan in plain language: totals, binding limits, shadow prices, shortfalls.

        Parameters
        ----------
        language
            ``en`` or ``da``.
        names
            Display names of departments, areas and groups by id (default: the ids).

        Returns
        -------
        str
            Plain text, one topic per paragraph.
        """
        return explain_text(self, language, names)

    def explain_markdown(
        self, language: Language = "en", names: Mapping[Hashable, str] | None = None
    ) -> str:
        """Explain the plan as :meth:`explain` does, in Markdown (for ``explanation.md``).

        Returns
        -------
        str
            Markdown with headings, bullet lists and tables.
        """
        return explain_markdown(self, language, names)


def clean_referrals(values: FloatArray, integer: bool) -> FloatArray:
    """Referral values as a plan states them.

    Solver noise below :data:`VALUE_ZERO` is 0, an integer plan's values are whole, none is
    negative.
    """
    cleaned = np.where(np.abs(values) < VALUE_ZERO, 0.0, values)
    if integer:
        cleaned = np.round(cleaned)
    return np.maximum(cleaned, 0.0)


def _fits_table(
    problem: ReferralProblem,
    rows: npt.NDArray[np.intp],
    pools: npt.NDArray[np.intp],
    pool_used: FloatArray,
    pool_binding: npt.NDArray[np.bool_],
    outcome: SolveOutcome,
) -> pd.DataFrame:
    members: list[list[str]] = [[] for _ in problem.pools]
    for group, pool in zip(problem.groups, problem.pool_index.tolist(), strict=True):
        members[pool].append(str(group))
    joined = [", ".join(names) for names in members]
    stage_prices = {result.stage: result.capacity_price[rows, pools] for result in outcome.prices}
    capacity = problem.pool_limit(outcome.formulation.integer)[rows, pools]
    used = pool_used[rows, pools]
    return pd.DataFrame(
        {
            "department": [problem.departments[d] for d in rows.tolist()],
            "pool": [problem.pools[p] for p in pools.tolist()],
            "groups": [joined[p] for p in pools.tolist()],
            "capacity": capacity,
            "referrals": used,
            "capacity_left": np.maximum(capacity - used, 0.0),
            "binding": pool_binding[rows, pools],
            "value_households": stage_prices[Stage.SHORTFALL],
            "value_max_load": stage_prices[Stage.MAX_LOAD],
            "value_headroom": stage_prices[Stage.HEADROOM],
        },
        columns=list(FITS_TABLE_COLUMNS),
    )


def _areas_table(
    problem: ReferralProblem, referrals: FloatArray, outcome: SolveOutcome, integer: bool
) -> pd.DataFrame:
    if not problem.areas:
        return pd.DataFrame(columns=list(AREA_TABLE_COLUMNS))
    n_areas = len(problem.areas)
    index = problem.area_index
    usage = np.maximum(problem.area_usage, 0.0)
    used = np.bincount(index, (usage * referrals).sum(axis=1), minlength=n_areas)
    headroom = problem.area_headroom
    left = headroom - used
    tolerance = BINDING_TOLERANCE * np.maximum(1.0, headroom)
    has_row = np.zeros(n_areas, dtype=bool)
    has_row[outcome.formulation.row_owner["area"]] = True
    if integer:
        candidates = problem.compatible & (problem.department_limit > 0)[:, None] & (usage > 0)
        smallest = np.full(n_areas, np.inf)
        np.minimum.at(smallest, index, np.where(candidates, usage, np.inf).min(axis=1))
        binding = has_row & (left < smallest - tolerance)
    else:
        binding = has_row & (left <= tolerance)
    prices = {result.stage: result.area_price for result in outcome.prices}
    return pd.DataFrame(
        {
            "area": list(problem.areas),
            "departments": np.bincount(index, minlength=n_areas),
            "protected": problem.protected_areas,
            "ceiling": problem.area_theta,
            "adults": problem.area_baseline_adults,
            "adults_outside": problem.area_baseline_outside,
            "headroom": headroom,
            "headroom_used": used,
            "headroom_left": left,
            "above_ceiling": problem.area_above_ceiling,
            "binding": binding,
            "value_households": prices[Stage.SHORTFALL],
            "value_max_load": prices[Stage.MAX_LOAD],
            "value_headroom": prices[Stage.HEADROOM],
        },
        columns=list(AREA_TABLE_COLUMNS),
    )


def _units_table(
    problem: ReferralProblem, referrals: FloatArray, outcome: SolveOutcome, integer: bool
) -> pd.DataFrame:
    """One row per claim accounting unit (pooled claims only; empty otherwise)."""
    if not problem.pooled:
        return pd.DataFrame()
    n_units = len(problem.units)
    index = problem.unit_index
    used = np.bincount(index, referrals.sum(axis=1), minlength=n_units)
    claims = problem.unit_claims
    left = claims - used
    tolerance = BINDING_TOLERANCE * np.maximum(1.0, claims)
    has_row = np.zeros(n_units, dtype=bool)
    has_row[outcome.formulation.row_owner["claims"]] = True
    binding = has_row & (left < 1.0 - tolerance if integer else left <= tolerance)
    prices = {result.stage: result.claims_price for result in outcome.prices}
    return pd.DataFrame(
        {
            "unit": list(problem.units),
            "departments": np.bincount(index, minlength=n_units),
            "earned": claims - problem.unit_carried,
            "carried": problem.unit_carried,
            "claims": claims,
            "referrals": used,
            "claims_left": left,
            "binding": binding,
            "value_households": prices[Stage.SHORTFALL],
            "value_max_load": prices[Stage.MAX_LOAD],
            "value_headroom": prices[Stage.HEADROOM],
        },
        columns=list(UNIT_TABLE_COLUMNS),
    )


def build_plan(
    problem: ReferralProblem,
    outcome: SolveOutcome,
    sensitivities: pd.DataFrame | None = None,
) -> ReferralPlan:
    """Assemble a plan from an optimal solve.

    Parameters
    ----------
    problem
        The referral problem.
    outcome
        The solve's model, solution, prices and timings.
    sensitivities
        The checked prices (:func:`optimisation.sensitivity.check_prices`), if any.

    Returns
    -------
    ReferralPlan
        The plan with its tables and diagnosis.
    """
    formulation, solution = outcome.formulation, outcome.solution
    integer = formulation.integer
    owner = formulation.row_owner
    n_departments = problem.n_departments
    referrals = np.zeros((n_departments, problem.n_groups))
    referrals[formulation.pair_department, formulation.pair_group] = clean_referrals(
        solution.referrals, integer
    )
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
    has_composition[owner["composition"]] = True
    has_slots_row = np.zeros(n_departments, dtype=bool)
    has_slots_row[owner["slots"]] = True

    slots = problem.department_limit
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
    pool_used = pool_referrals(problem, referrals)
    pool_binding = np.zeros(pool_used.shape, dtype=bool)
    pool_binding[owner["fits"], formulation.fits_pools] = True
    # as for slots: in a department without referral slots the fitting dwellings limit nothing
    pool_binding &= capacity_used_up(problem.pool_limit(integer), pool_used, integer)
    pool_binding &= (slots > 0)[:, None]
    fits_binding = pool_binding.sum(axis=1)
    labels = ("slots", "headroom", "fits", "max_load")
    # each department's flags as one code (bit i: labels[i] binds), then its text by code
    flags = (slots_binding, headroom_binding, fits_binding > 0, load_binding)
    code = np.zeros(len(problem.departments), dtype=np.intp)
    for bit, flag in enumerate(flags):
        code |= np.asarray(flag, dtype=np.intp) << bit
    texts = np.array(
        [
            ", ".join(label for bit, label in enumerate(labels) if combination >> bit & 1)
            for combination in range(1 << len(labels))
        ],
        dtype=object,
    )
    binding = texts[code].tolist()
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
            "fits_binding": fits_binding,
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
            "capacity": problem.pool_limit(integer)[rows, problem.pool_index[columns]],
            "capacity_binding": pool_binding[rows, problem.pool_index[columns]],
        }
    )
    fits = _fits_table(
        problem, owner["fits"], formulation.fits_pools, pool_used, pool_binding, outcome
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
        fits=fits,
        areas=_areas_table(problem, referrals, outcome, integer),
        shortfall=pd.Series(
            shortfall, index=pd.Index(list(problem.groups), name="group"), name="shortfall"
        ),
        total_shortfall=total_shortfall,
        max_load=max_load,
        headroom_used=float((problem.protection_usage * referrals).sum()),
        objectives={result.stage: result.objective for result in solution.stages},
        prices=outcome.prices,
        diagnoses=diagnose_shortfalls(problem, referrals, shortfall, integer),
        status=SolverStatus.OPTIMAL,
        solver=outcome.solver,
        integer=integer,
        prices_from_relaxation=integer,
        build_seconds=outcome.build_seconds,
        solve_seconds=outcome.solve_seconds,
        unproven=tuple(result.stage for result in solution.stages if not result.proven),
        sensitivities=pd.DataFrame() if sensitivities is None else sensitivities,
        gaps={result.stage: result.gap for result in solution.stages if not result.proven},
        units=_units_table(problem, referrals, outcome, integer),
    )
