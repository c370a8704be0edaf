"""Why a referral group falls short: which limits stop it, and by how much.

At an optimal plan, a group with unplaced households cannot gain a referral anywhere: every
department that could take it (compatible, with referral slots this period) has its slots full or
its composition headroom used up for that group (a department already above its ceiling has no
headroom at all and may take only households that do not worsen its mix). The diagnosis counts
those departments and adds the ones that never could: excluded for a stated reason (rooms, rent,
§ 59 stk. 6/7 bans ...) or compatible but without referral slots this period.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from optimisation.constants import Blocker
from optimisation.errors import format_ids
from optimisation.problem import REASON_TEXT, ReferralProblem

__all__ = ["BINDING_TOLERANCE", "ShortfallDiagnosis", "diagnose_shortfalls", "format_amount"]

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
        Compatible departments with neither limit reached (0 at an optimum, up to the solver's
        tolerance).
    excluded
        Per stated reason, the departments excluded for the group (a department with several
        reasons is listed under each).
    blockers
        The limits that stop the group, most important first.
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
    excluded: Mapping[str, tuple[Hashable, ...]] = field(default_factory=dict)
    blockers: tuple[Blocker, ...] = ()

    def text(self) -> str:
        """One plain-language sentence (or a few) on why the group falls short.

        Returns
        -------
        str
            For example ``"homeless_single: 14 of 120 households unplaced; 31 departments are
            compatible and have referral slots (22 slots, 22 used, 8 by other groups); slots are
            full in 31 of them; 9 more are excluded: barred (§ 59 stk. 6/7, listed area) ('A',
            'B', ...); 40 more are excluded: too expensive (...)."``.
        """
        parts = [
            f"{self.group}: {format_amount(self.shortfall)} of {format_amount(self.demand)} "
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
                f"({format_amount(self.compatible_slots)} slots, "
                f"{format_amount(self.slots_used)} used, "
                f"{format_amount(self.slots_used_by_others)} by other groups)"
            )
            if self.slots_full:
                parts.append(f"slots are full in {self.slots_full} of them")
            if self.headroom_full:
                above = (
                    f" ({self.above_ceiling} already above the ceiling)"
                    if self.above_ceiling
                    else ""
                )
                parts.append(f"headroom is used up for this group in {self.headroom_full}{above}")
            if self.room_left:
                parts.append(f"{self.room_left} have room left only within the solver's tolerance")
        more = "more " if self.compatible else ""
        for reason, departments in self.excluded.items():
            text = REASON_TEXT.get(reason, reason)
            verb = "is" if len(departments) == 1 else "are"
            parts.append(
                f"{len(departments)} {more}{verb} excluded: {text} "
                f"({format_ids(list(departments), 5)})"
            )
            more = "more "
        if self.no_slots:
            verb = "is" if self.no_slots == 1 else "are"
            parts.append(
                f"{self.no_slots} {more}{verb} compatible but without referral slots this period"
            )
        return "; ".join(parts) + "."


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
    slots = problem.slots
    has_slots = slots > 0
    used = referrals.sum(axis=1)
    positive_usage = np.maximum(problem.usage, 0.0)
    headroom_left = problem.headroom - (positive_usage * referrals).sum(axis=1)
    slot_tolerance = BINDING_TOLERANCE * np.maximum(1.0, slots)
    headroom_tolerance = BINDING_TOLERANCE * np.maximum(1.0, problem.headroom)
    slot_slack = slots - used
    slots_full = slot_slack < 1.0 - slot_tolerance if integer else slot_slack <= slot_tolerance
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
        headroom_full = candidates & (usage > 0) & no_headroom
        full = candidates & slots_full
        above = headroom_full & problem.above_ceiling
        excluded: dict[str, list[Hashable]] = {}
        for department in np.flatnonzero(~compatible).tolist():
            reasons = problem.exclusion_reasons(problem.departments[department], group_id)
            for reason in reasons or ("not_listed",):
                excluded.setdefault(reason, []).append(problem.departments[department])
        blockers: list[Blocker] = []
        n_candidates = int(candidates.sum())
        if n_candidates == 0:
            if set(excluded) - {"not_listed"}:
                blockers.append(Blocker.EXCLUDED)
            if (compatible & ~has_slots).any():
                blockers.append(Blocker.NO_SLOTS)
            if not blockers:
                blockers.append(Blocker.NO_DEPARTMENT)
        else:
            if full.any():
                blockers.append(Blocker.SLOTS)
            if headroom_full.any():
                blockers.append(Blocker.HEADROOM)
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
                room_left=int((candidates & ~full & ~headroom_full).sum()),
                no_slots=int((compatible & ~has_slots).sum()),
                excluded={reason: tuple(ids) for reason, ids in excluded.items()},
                blockers=tuple(blockers),
            )
        )
    return tuple(diagnoses)
