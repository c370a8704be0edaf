"""Why a referral group falls short: which limits stop it, and by how much.

At an optimal plan, a group with unplaced households cannot gain a referral anywhere: every
department that could take it (compatible, with referral slots this period) has its slots full,
its composition headroom (or its protected area's) used up for that group (a department or area
already above its ceiling has no headroom at all and may take only households that do not worsen
its mix), or the dwellings that fit the group (rooms, rent) all planned for it or for the groups
sharing its capacity pool. The
diagnosis counts those departments and adds the ones that never could: excluded for a stated
reason (rooms, rent, § 59 stk. 6/7 bans ...) or compatible but without referral slots this period.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from optimisation.constants import Blocker
from optimisation.frames import NOT_LISTED
from optimisation.problem import REASON_TEXT, ReferralProblem
from optimisation.voice import Voice

__all__ = [
    "BINDING_TOLERANCE",
    "ShortfallDiagnosis",
    "capacity_used_up",
    "diagnose_shortfalls",
    "format_amount",
    "pool_referrals",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

BINDING_TOLERANCE = 1e-4
"""Slack below which a limit counts as binding (used up), relative to ``max(1, limit)``.

A ten-thousandth of a slot or of a person: far below what matters to a planner, and above the
solvers' tolerances and the slack with which CBC's stage optima are re-imposed (one in a million
of the shortfall).
"""


def format_amount(value: float) -> str:
    """Format a number of households or persons to at most two decimals, without trailing zeros.

    Parameters
    ----------
    value
        The amount.

    Returns
    -------
    str
        For example ``"1,400"``, ``"14"``, ``"2.5"`` or ``"6.89"``.
    """
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@dataclass(frozen=True)
class ShortfallDiagnosis:
    """What stops a referral group from being placed in full.

    Parameters
    ----------
    group
        The group id.
    demand
        Households of the group to be housed (households per period).
    shortfall
        Households left unplaced (households per period).
    compatible
        Departments that may take the group and have referral slots this period.
    compatible_slots
        Their referral slots (dwellings per period).
    slots_used
        Of those slots, how many the plan uses (for any group).
    slots_used_by_others
        Of those, how many go to other groups.
    slots_full
        Compatible departments whose slots are all used.
    headroom_full
        Compatible departments whose headroom is used up for this group (including those
        already above the ceiling).
    above_ceiling
        Compatible departments already at or above the ceiling, which may take only households
        that do not worsen the mix (this group would).
    no_slots
        Departments compatible with the group but without referral slots this period (no
        vacancies or an agreed share of 0).
    room_left
        Compatible departments with no limit reached (0 at an optimum, up to the solver's
        tolerance).
    fitting_full
        Compatible departments where the dwellings that fit the group (rooms, rent) are used up:
        its capacity there (shared with ``shared_with``) is all planned.
    fitting_capacity
        The group's capacity summed over the compatible departments that have one (households
        per period): how many it and ``shared_with`` could be referred there at most.
    fitting_used
        Of that capacity, how much the plan uses (for the group and ``shared_with``).
    shared_with
        The other groups of the group's capacity pool, which use the same fitting dwellings.
    excluded
        Per stated reason, the departments excluded for the group (a department with several
        reasons is listed under each).
    area_full
        Compatible departments whose protected area has its headroom used up for this group.
    areas_above_ceiling
        Of the areas of those departments, how many are already at or above their ceiling.
    blockers
        The limits that stop the group, most important first.
    pooled
        Whether claims are pooled per accounting unit (a department's slots are then its
        vacancies, and its unit's pooled claims count as its slots being full).
    """

    group: Hashable
    demand: float
    shortfall: float
    compatible: int
    compatible_slots: float
    slots_used: float
    slots_used_by_others: float
    slots_full: int
    headroom_full: int
    above_ceiling: int
    no_slots: int
    room_left: int = 0
    fitting_full: int = 0
    fitting_capacity: float = 0.0
    fitting_used: float = 0.0
    shared_with: tuple[Hashable, ...] = ()
    excluded: Mapping[str, tuple[Hashable, ...]] = field(default_factory=dict)
    area_full: int = 0
    areas_above_ceiling: int = 0
    blockers: tuple[Blocker, ...] = ()
    pooled: bool = False

    def text(self, voice: Voice | None = None) -> str:
        """One plain-language sentence (or a few) on why the group falls short.

        Parameters
        ----------
        voice
            The language and the names of groups and departments (default: English, ids).

        Returns
        -------
        str
            For example ``"homeless_single: 14 of 120 households unplaced; 31 departments are
            compatible and have referral slots (22 slots, 22 used, 8 by other groups); slots are
            full in 31 of them; 9 more are excluded: barred (§ 59 stk. 6/7, listed area) ('A',
            'B', ...); 40 more are excluded: too expensive (...)."``.
        """
        voice = voice or Voice()
        if voice.danish:
            return self._danish(voice)
        amount = voice.amount
        parts = [
            f"{voice.name(self.group)}: {amount(self.shortfall)} of {amount(self.demand)} "
            "households unplaced"
        ]
        if self.compatible == 0:
            if Blocker.NO_DEPARTMENT in self.blockers:
                parts.append("no department is compatible with the group")
            else:
                parts.append("no department both fits the group and has a referral slot")
        else:
            noun = "department is" if self.compatible == 1 else "departments are"
            verb = "has" if self.compatible == 1 else "have"
            parts.append(
                f"{self.compatible} {noun} compatible and {verb} referral slots "
                f"({amount(self.compatible_slots)} slots, "
                f"{amount(self.slots_used)} used, "
                f"{amount(self.slots_used_by_others)} by other groups)"
            )
            if self.slots_full and self.pooled:
                parts.append(
                    f"slots (their vacancies) or their unit's pooled claims are used up in "
                    f"{self.slots_full} of them"
                )
            elif self.slots_full:
                parts.append(f"slots are full in {self.slots_full} of them")
            if self.headroom_full:
                above = (
                    f" ({self.above_ceiling} already above the ceiling)"
                    if self.above_ceiling
                    else ""
                )
                parts.append(f"headroom is used up for this group in {self.headroom_full}{above}")
            if self.area_full:
                above = (
                    f"; {self.areas_above_ceiling} of their areas are already above the ceiling"
                    if self.areas_above_ceiling
                    else ""
                )
                parts.append(
                    f"the headroom of their protected area is used up in {self.area_full}{above}"
                )
            if self.fitting_full:
                shared = (
                    f", shared with {voice.ids(list(self.shared_with), 3)}"
                    if self.shared_with
                    else ""
                )
                parts.append(
                    "the dwellings that fit the group (rooms, rent) are used up in "
                    f"{self.fitting_full} of them (they can take {amount(self.fitting_capacity)} "
                    f"referrals of the group{shared}; {amount(self.fitting_used)} are "
                    "planned)"
                )
            if self.room_left:
                parts.append(f"{self.room_left} have room left only within the solver's tolerance")
        more = "more " if self.compatible else ""
        for reason, departments in self.excluded.items():
            text = REASON_TEXT.get(reason, reason)
            verb = "is" if len(departments) == 1 else "are"
            parts.append(
                f"{len(departments)} {more}{verb} excluded: {text} "
                f"({voice.ids(list(departments), 5)})"
            )
            more = "more "
        if self.no_slots:
            verb = "is" if self.no_slots == 1 else "are"
            parts.append(
                f"{self.no_slots} {more}{verb} compatible but without referral slots this period"
            )
        return "; ".join(parts) + "."

    def _danish(self, voice: Voice) -> str:
        """:meth:`text` in Danish."""
        amount = voice.amount
        parts = [
            f"{voice.name(self.group)}: {amount(self.shortfall)} af {amount(self.demand)} "
            "husstande anvises ikke"
        ]
        if self.compatible == 0:
            if Blocker.NO_DEPARTMENT in self.blockers:
                parts.append("ingen afdeling er egnet til målgruppen")
            else:
                parts.append("ingen afdeling både passer til målgruppen og har anvisningsret")
        else:
            noun = "afdeling er" if self.compatible == 1 else "afdelinger er"
            parts.append(
                f"{self.compatible} {noun} egnede og har anvisningsret "
                f"({amount(self.compatible_slots)} anvisninger, "
                f"{amount(self.slots_used)} brugt, "
                f"{amount(self.slots_used_by_others)} af andre målgrupper)"
            )
            if self.slots_full:
                parts.append(f"anvisningsretten er brugt helt i {self.slots_full} af dem")
            if self.headroom_full:
                above = (
                    f" ({self.above_ceiling} allerede over loftet)" if self.above_ceiling else ""
                )
                parts.append(
                    f"råderummet er brugt op for denne målgruppe i {self.headroom_full}{above}"
                )
            if self.area_full:
                above = (
                    f"; {self.areas_above_ceiling} af deres boligområder er allerede over loftet"
                    if self.areas_above_ceiling
                    else ""
                )
                parts.append(
                    "råderummet i deres beskyttede boligområde er brugt op i "
                    f"{self.area_full}{above}"
                )
            if self.fitting_full:
                shared = (
                    f", delt med {voice.ids(list(self.shared_with), 3)}" if self.shared_with else ""
                )
                parts.append(
                    "de boliger, der passer til målgruppen (rum, husleje), er brugt op i "
                    f"{self.fitting_full} af dem (de kan tage {amount(self.fitting_capacity)} "
                    f"anvisninger af målgruppen{shared}; {amount(self.fitting_used)} er planlagt)"
                )
            if self.room_left:
                parts.append(f"{self.room_left} har kun plads tilbage inden for løserens tolerance")
        more = "yderligere " if self.compatible else ""
        for reason, departments in self.excluded.items():
            text = voice.reason(reason, REASON_TEXT.get(reason, reason))
            parts.append(
                f"{len(departments)} {more}er udelukket: {text} ({voice.ids(list(departments), 5)})"
            )
            more = "yderligere "
        if self.no_slots:
            suited = "egnet" if self.no_slots == 1 else "egnede"
            parts.append(
                f"{self.no_slots} {more}er {suited}, men har ingen anvisningsret i perioden"
            )
        return "; ".join(parts) + "."


def pool_referrals(problem: ReferralProblem, referrals: FloatArray) -> FloatArray:
    """Referrals per department and capacity pool (departments × pools, households per period).

    Parameters
    ----------
    problem
        The referral problem.
    referrals
        The plan, departments × groups (households per period).

    Returns
    -------
    ndarray
        The sum over each pool's groups.
    """
    membership = np.zeros((problem.n_groups, len(problem.pools)))
    membership[np.arange(problem.n_groups), problem.pool_index] = 1.0
    used: FloatArray = referrals @ membership
    return used


def capacity_used_up(capacity: FloatArray, used: FloatArray, integer: bool) -> BoolArray:
    """Whether a capacity is used up (within :data:`BINDING_TOLERANCE`).

    Parameters
    ----------
    capacity
        Capacities (households per period; ``inf`` = none), any shape.
    used
        Referrals against them, same shape.
    integer
        Whether the plan is in whole households: a capacity is then used up when it has no room
        for one more (the MILP rounds it down).

    Returns
    -------
    ndarray of bool
        ``False`` wherever the capacity is infinite.
    """
    finite = np.isfinite(capacity)
    limit = np.where(finite, capacity, 0.0)
    tolerance = BINDING_TOLERANCE * np.maximum(1.0, limit)
    if integer:
        full = np.floor(limit + 1e-9) - used < 1.0 - tolerance
    else:
        full = limit - used <= tolerance
    result: BoolArray = finite & full
    return result


def diagnose_shortfalls(
    problem: ReferralProblem,
    referrals: FloatArray,
    shortfall: FloatArray,
    integer: bool,
) -> tuple[ShortfallDiagnosis, ...]:
    """Diagnose every group that falls short.

    Parameters
    ----------
    problem
        The referral problem.
    referrals
        The plan, departments × groups (households per period).
    shortfall
        Unplaced households per group.
    integer
        Whether the plan is in whole households (a limit is then "full" when it has no room for
        one more whole household).

    Returns
    -------
    tuple of ShortfallDiagnosis
        One per group with a shortfall, in group order.
    """
    slots = problem.department_limit
    has_slots = slots > 0
    used = referrals.sum(axis=1)
    positive_usage = np.maximum(problem.usage, 0.0)
    headroom_left = problem.headroom - (positive_usage * referrals).sum(axis=1)
    slot_tolerance = BINDING_TOLERANCE * np.maximum(1.0, slots)
    headroom_tolerance = BINDING_TOLERANCE * np.maximum(1.0, problem.headroom)
    slot_slack = slots - used
    slots_full = slot_slack < 1.0 - slot_tolerance if integer else slot_slack <= slot_tolerance
    slots_full = slots_full | unit_claims_used_up(problem, used, integer)
    area_usage = np.maximum(problem.area_usage, 0.0)
    area_left = np.zeros(len(problem.areas))
    if problem.areas:
        used_by_area = np.bincount(
            problem.area_index, (area_usage * referrals).sum(axis=1), minlength=len(problem.areas)
        )
        area_left = problem.area_headroom - used_by_area
    area_tolerance = BINDING_TOLERANCE * np.maximum(1.0, problem.area_headroom)
    pool_used = pool_referrals(problem, referrals)
    limits = problem.pool_limit(integer)
    pool_full = capacity_used_up(limits, pool_used, integer)
    diagnoses = []
    for group, group_id in enumerate(problem.groups):
        missing = float(shortfall[group])
        if missing <= BINDING_TOLERANCE * max(1.0, float(problem.demand[group])):
            continue
        compatible = problem.compatible[:, group]
        candidates = compatible & has_slots
        usage = positive_usage[:, group]
        if integer:
            no_headroom = headroom_left < usage - headroom_tolerance
        else:
            no_headroom = headroom_left <= headroom_tolerance
        headroom_full = candidates & (usage > 0) & no_headroom & problem.department_ceilings
        area_full = np.zeros(problem.n_departments, dtype=bool)
        if problem.areas:
            own_area = problem.area_index
            left = area_left[own_area]
            need = area_usage[:, group]
            tolerance = area_tolerance[own_area]
            no_room = left < need - tolerance if integer else left <= tolerance
            area_full = candidates & problem.protected_areas[own_area] & (need > 0) & no_room
        full = candidates & slots_full
        above = headroom_full & problem.above_ceiling
        pool = int(problem.pool_index[group])
        capacity = limits[:, pool]
        limited = candidates & np.isfinite(capacity)
        fitting_full = candidates & pool_full[:, pool]
        excluded: dict[str, list[Hashable]] = {}
        for department in np.flatnonzero(~compatible).tolist():
            reasons = problem.exclusion_reasons(problem.departments[department], group_id)
            for reason in reasons or (NOT_LISTED,):
                excluded.setdefault(reason, []).append(problem.departments[department])
        blockers: list[Blocker] = []
        n_candidates = int(candidates.sum())
        if n_candidates == 0:
            if set(excluded) - {NOT_LISTED}:
                blockers.append(Blocker.EXCLUDED)
            if (compatible & ~has_slots).any():
                blockers.append(Blocker.NO_SLOTS)
            if not blockers:
                blockers.append(Blocker.NO_DEPARTMENT)
        else:
            counts = {
                Blocker.SLOTS: int(full.sum()),
                Blocker.HEADROOM: int(headroom_full.sum()),
                Blocker.AREA: int(area_full.sum()),
                Blocker.FITTING: int(fitting_full.sum()),
            }
            # most important first: the limit met in the most departments (stable on ties)
            blockers += sorted(
                (blocker for blocker, count in counts.items() if count),
                key=counts.__getitem__,
                reverse=True,
            )
        candidate_slots = float(slots[candidates].sum())
        candidate_used = float(used[candidates].sum())
        own = float(referrals[candidates, group].sum())
        diagnoses.append(
            ShortfallDiagnosis(
                group=group_id,
                demand=float(problem.demand[group]),
                shortfall=missing,
                compatible=n_candidates,
                compatible_slots=candidate_slots,
                slots_used=candidate_used,
                slots_used_by_others=max(0.0, candidate_used - own),
                slots_full=int(full.sum()),
                headroom_full=int(headroom_full.sum()),
                above_ceiling=int(above.sum()),
                room_left=int(
                    (candidates & ~full & ~headroom_full & ~area_full & ~fitting_full).sum()
                ),
                area_full=int(area_full.sum()),
                areas_above_ceiling=int(
                    problem.area_above_ceiling[np.unique(problem.area_index[area_full])].sum()
                )
                if area_full.any()
                else 0,
                fitting_full=int(fitting_full.sum()),
                fitting_capacity=float(capacity[limited].sum()),
                fitting_used=float(pool_used[limited, pool].sum()),
                shared_with=tuple(
                    problem.groups[other]
                    for other in np.flatnonzero(problem.pool_index == pool).tolist()
                    if other != group
                ),
                no_slots=int((compatible & ~has_slots).sum()),
                excluded={reason: tuple(ids) for reason, ids in excluded.items()},
                blockers=tuple(blockers),
                pooled=problem.pooled,
            )
        )
    return tuple(diagnoses)


def unit_claims_used_up(problem: ReferralProblem, used: FloatArray, integer: bool) -> BoolArray:
    """Per department, whether its claim accounting unit's pooled claims are all used.

    All false without pooled claims (``problem.claim_unit``).

    Parameters
    ----------
    problem
        The referral problem.
    used
        Referrals per department in the plan (households per period).
    integer
        Whether the plan is in whole households (then "used up" means no room for one more).
    """
    if not problem.pooled:
        return np.zeros(problem.n_departments, dtype=bool)
    per_unit = np.bincount(problem.unit_index, used, minlength=len(problem.units))
    slack = problem.unit_claims - per_unit
    tolerance = BINDING_TOLERANCE * np.maximum(1.0, problem.unit_claims)
    full = slack < 1.0 - tolerance if integer else slack <= tolerance
    result: BoolArray = full[problem.unit_index]
    return result
