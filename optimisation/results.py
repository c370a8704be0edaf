"""What a solve of the stages gives back: each stage's optimum and prices, and the final values.

Shared by both solver paths (PuLP in :mod:`optimisation.solve`, HiGHS directly in
:mod:`optimisation.highs_stages`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from optimisation.constants import Stage

__all__ = ["PRICE_ZERO", "STAGE_TOLERANCE", "Solution", "StageResult", "stage_tolerance"]

FloatArray = npt.NDArray[np.float64]

STAGE_TOLERANCE = 1e-6
"""Relative slack with which a stage's optimum is re-imposed if imposing it exactly fails."""

PRICE_ZERO = 1e-9
"""Shadow prices smaller than this in magnitude are reported as 0 (solver noise)."""


@dataclass(frozen=True)
class StageResult:
    """Objective value and shadow prices of one stage.

    Prices are "value of one more unit": the decrease of the stage's objective per unit increase
    of a constraint's right-hand side (``−π``), or for demand the *increase* of the shortfall per
    extra household of demand (``π``). Zero where the department has no such constraint. NaN for
    a MILP stage (see :attr:`ReferralPlan.prices_from_relaxation`).

    Parameters
    ----------
    stage
        Which stage.
    objective
        Its optimal value (households, share of vacancies, or persons).
    slot_price, composition_price, load_price
        Per department, per extra slot (dwelling), per extra person of headroom, per extra unit of
        load right-hand side.
    capacity_price
        Departments × capacity pools (``problem.pools``): per extra household of a pool's
        capacity in a department (one more fitting vacancy the municipality may claim); 0 where
        the pool has no finite capacity there.
    area_price
        Per area (``problem.areas``), per extra person of the area's headroom; 0 where the area
        has no row.
    proven
        Whether the stage's optimum is proven (``False`` for an integer stage stopped at the
        time limit, or the headroom stage of an integer plan at :data:`TIE_BREAK_NODES`).
    gap
        For an unproven integer stage, the relative MIP gap HiGHS reported when it stopped (NaN
        where unknown); 0 for a proven optimum.
    holds_for
        From HiGHS's ranging of the stage's LP: per family of ``≤`` rows (``"slots"`` and
        ``"composition"`` per department, ``"area"`` per area, ``"fits"`` departments × pools),
        how much the right-hand side may rise with the basis still optimal, so that the shadow
        price is the exact gain per unit over that range; NaN where not ranged (CBC, a MILP, or
        no such row). Empty when no ranging was done.
    demand_price
        Per group, extra shortfall (households) per extra household of demand (stage 1 only
        meaningful).
    tradeoff
        For stages 2 and 3: the decrease of this stage's objective per unit the previous stage's
        optimum is relaxed (per unplaced household allowed, or per unit of maximum load).
    claims_price
        Per claim accounting unit (``problem.units``), per extra claim of the unit's pooled
        claims; empty without units. Ranged as ``"claims"`` in :attr:`holds_for`.
    """

    stage: Stage
    objective: float
    slot_price: FloatArray
    composition_price: FloatArray
    load_price: FloatArray
    capacity_price: FloatArray
    demand_price: FloatArray
    tradeoff: float
    area_price: FloatArray = field(default_factory=lambda: np.zeros(0))
    proven: bool = True
    holds_for: Mapping[str, FloatArray] = field(default_factory=dict)
    gap: float = 0.0
    claims_price: FloatArray = field(default_factory=lambda: np.zeros(0))


@dataclass(frozen=True)
class Solution:
    """Values of the final stage and the results of every stage.

    Parameters
    ----------
    referrals
        Value of each referral variable (households per period), in the model's pair order.
    shortfall
        Per group, households left unplaced.
    max_load
        The maximum load ``L`` (share of vacancies).
    stages
        One :class:`StageResult` per stage, in order.
    """

    referrals: FloatArray
    shortfall: FloatArray
    max_load: float
    stages: tuple[StageResult, ...]


def stage_tolerance(optimum: float) -> float:
    """The slack with which a stage's optimum is re-imposed if imposing it exactly fails."""
    return STAGE_TOLERANCE * max(1.0, abs(optimum))
