"""Which shadow prices are real gains: ranging, and a re-solve where ranging cannot tell.

A stage-1 shadow price says how many more households one more unit of a limit (a slot, a person
of headroom, a fitting dwelling) would house, but only as a rate: the gain of a whole unit can be
smaller, and in a degenerate LP (several departments could take the same household, or a limit
binds with nobody left to place there) the dual the solver returns may promise a gain that does
not exist. So a price is stated as a gain only when it is confirmed (``docs/optimiser.md``,
"Shadow prices"):

* by **ranging** (HiGHS): when the basis of stage 1 stays optimal while the right-hand side rises
  by one whole unit, the objective falls by exactly the dual: the gain is confirmed;
* else by a **re-solve**: stage 1 is solved again with one more unit, and the gain is what the
  optimum actually falls by. If it differs from the rate, the LP is degenerate there, and the
  account says so and what the re-solve gave.

Re-solves cost a solve each, so at most :data:`MAX_RESOLVES` are made, largest rate first; any
other unconfirmed price is reported as unchecked, never as a gain.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import pulp

from optimisation.constants import SolverName, Stage
from optimisation.formulation import Formulation, formulate
from optimisation.highs_stages import StageOneModel
from optimisation.model import LpModel, model_from_formulation
from optimisation.problem import ReferralProblem
from optimisation.solve import SolveOutcome, StageResult, run_stage_one

__all__ = [
    "CONFIRM_TOLERANCE",
    "MAX_RESOLVES",
    "SENSITIVITY_TABLE_COLUMNS",
    "SHOWN_RATE",
    "check_prices",
]

FloatArray = npt.NDArray[np.float64]

MAX_RESOLVES = 12
"""Re-solves made at most to check prices that ranging cannot confirm (largest rates first)."""

SHOWN_RATE = 0.005
"""Rates below this (households per unit) round to 0.00 in the account and are not checked."""

CONFIRM_TOLERANCE = 1e-6
"""A re-solved gain confirms a rate when they differ by at most this, relative to max(1, rate)."""

SENSITIVITY_TABLE_COLUMNS: Mapping[str, str] = {
    "limit": "Which limit: slots, headroom (a department's ceiling), area, fits or claims (a "
    "unit's pooled claims).",
    "department": "Department id (empty for an area).",
    "area": "Area id (for an area limit).",
    "pool": "Capacity pool id (for a fits limit).",
    "unit": "Claim accounting unit id (for a claims limit: the unit's pooled claims; the column "
    "is there only with pooled claims).",
    "rate": "Stage 1 shadow price: households housed per extra unit, for small changes.",
    "holds_for": "Units the limit can rise with the rate still exact (HiGHS ranging; NaN if not "
    "ranged).",
    "gain_of_one": "Households housed by one whole extra unit: the rate where ranging confirms "
    "it, else what a re-solve gave (NaN if not checked).",
    "reading": "confirmed (a real gain of the rate per unit), degenerate (the rate does not hold "
    "for a whole unit: the re-solve gave less) or unchecked (a rate only).",
}
"""Columns of :attr:`ReferralPlan.sensitivities <optimisation.ReferralPlan.sensitivities>`
(``sensitivities.csv``)."""


@dataclass(frozen=True)
class _Limit:
    family: str
    department: int
    area: int
    pool: int
    rate: float
    holds_for: float
    unit: int = -1


def _limits(problem: ReferralProblem, prices: StageResult) -> list[_Limit]:
    """Every limit with a stage-1 rate worth stating, with its ranging."""
    holds = prices.holds_for
    found: list[_Limit] = []
    has_slots = problem.department_limit > 0

    def ranged(family: str, index: tuple[npt.NDArray[np.intp], ...]) -> list[float]:
        values = holds.get(family)
        if values is None or not values.size:
            return [np.nan] * len(index[0])
        return values[index].astype(np.float64).tolist()

    for family, rates in (("slots", prices.slot_price), ("headroom", prices.composition_price)):
        key = "composition" if family == "headroom" else family
        departments = np.flatnonzero(rates >= SHOWN_RATE)
        found += [
            _Limit(family, department, -1, -1, rate, holds_for)
            for department, rate, holds_for in zip(
                departments.tolist(), rates[departments].tolist(), ranged(key, (departments,)),
                strict=True,
            )
        ]  # fmt: skip
    areas = np.flatnonzero(prices.area_price >= SHOWN_RATE)
    found += [
        _Limit("area", -1, area, -1, rate, holds_for)
        for area, rate, holds_for in zip(
            areas.tolist(), prices.area_price[areas].tolist(), ranged("area", (areas,)), strict=True
        )
    ]
    units = np.flatnonzero(prices.claims_price >= SHOWN_RATE)
    found += [
        _Limit("claims", -1, -1, -1, rate, holds_for, unit)
        for unit, rate, holds_for in zip(
            units.tolist(), prices.claims_price[units].tolist(), ranged("claims", (units,)),
            strict=True,
        )
    ]  # fmt: skip
    capacity = np.where(has_slots[:, None], prices.capacity_price, 0.0)
    departments, pools = np.nonzero(capacity >= SHOWN_RATE)
    found += [
        _Limit("fits", department, -1, pool, rate, holds_for)
        for department, pool, rate, holds_for in zip(
            departments.tolist(), pools.tolist(), capacity[departments, pools].tolist(),
            ranged("fits", (departments, pools)), strict=True,
        )
    ]  # fmt: skip
    return found


def _row(formulation: Formulation, limit: _Limit) -> int:
    """The row of a limit in the formulation."""
    owner = formulation.row_owner
    family = "composition" if limit.family == "headroom" else limit.family
    if family == "fits":
        match = (owner["fits"] == limit.department) & (formulation.fits_pools == limit.pool)
    elif family == "area":
        match = owner["area"] == limit.area
    elif family == "claims":
        match = owner["claims"] == limit.unit
    else:
        match = owner[family] == limit.department
    return int(formulation.rows(family)[np.flatnonzero(match)[0]])


def _lp_row(model: LpModel, formulation: Formulation, row: int) -> pulp.LpConstraint:
    """The PuLP constraint of a formulation row."""
    for family, rows in formulation.family_rows.items():
        if rows.start <= row < rows.stop:
            stored: list[pulp.LpConstraint] = getattr(model, family)
            return stored[row - rows.start]
    raise IndexError(row)


def check_prices(problem: ReferralProblem, outcome: SolveOutcome) -> pd.DataFrame:
    """Check every stage-1 shadow price worth stating: confirmed, degenerate or unchecked.

    Parameters
    ----------
    problem
        The referral problem.
    outcome
        The solve (its reported prices: the LP's, or the LP relaxation's for an integer plan).

    Returns
    -------
    pandas.DataFrame
        One row per limit with a rate of at least :data:`SHOWN_RATE`, largest first; columns in
        :data:`SENSITIVITY_TABLE_COLUMNS`.
    """
    first = next(result for result in outcome.prices if result.stage is Stage.SHORTFALL)
    limits = sorted(_limits(problem, first), key=lambda limit: -limit.rate)
    gains = np.full(len(limits), np.nan)
    readings = ["unchecked"] * len(limits)
    to_resolve = []
    for position, limit in enumerate(limits):
        if limit.holds_for >= 1.0 - 1e-9:
            gains[position] = limit.rate
            readings[position] = "confirmed"
        else:
            to_resolve.append(position)
    to_resolve = to_resolve[:MAX_RESOLVES]
    if to_resolve:
        formulation = outcome.formulation
        if formulation.integer:
            formulation = formulate(problem, integer=False, fairness=formulation.fairness)
        rows = [_row(formulation, limits[position]) for position in to_resolve]
        if outcome.solver is SolverName.HIGHS:
            stage_one = StageOneModel(formulation, outcome.stage_one_basis, first.objective)
            base = stage_one.optimum
            optima = [stage_one.optimum_with(row, 1.0) for row in rows]
        else:
            model = model_from_formulation(formulation)
            base = run_stage_one(model, outcome.solver)
            optima = []
            for row in rows:
                constraint = _lp_row(model, formulation, row)
                rhs = -float(constraint.constant)
                constraint.changeRHS(rhs + 1.0)
                try:
                    optima.append(run_stage_one(model, outcome.solver))
                finally:
                    constraint.changeRHS(rhs)
        for position, optimum in zip(to_resolve, optima, strict=True):
            gain = base - optimum
            gains[position] = max(gain, 0.0)
            close = abs(gain - limits[position].rate) <= CONFIRM_TOLERANCE * max(
                1.0, limits[position].rate
            )
            readings[position] = "confirmed" if close else "degenerate"
    columns = [column for column in SENSITIVITY_TABLE_COLUMNS if problem.pooled or column != "unit"]
    return pd.DataFrame(
        {
            "limit": [limit.family for limit in limits],
            "department": _ids(problem.departments, [limit.department for limit in limits]),
            "area": _ids(problem.areas, [limit.area for limit in limits]),
            "pool": _ids(problem.pools, [limit.pool for limit in limits]),
            "unit": _ids(problem.units, [limit.unit for limit in limits]),
            "rate": [limit.rate for limit in limits],
            "holds_for": [limit.holds_for for limit in limits],
            "gain_of_one": gains,
            "reading": readings,
        },
        columns=columns,
    )


def _ids(ids: tuple[Hashable, ...], positions: list[int]) -> list[Hashable]:
    """The id at each position (``None`` for ``-1``, a limit not of that kind)."""
    return [ids[position] if position >= 0 else None for position in positions]
