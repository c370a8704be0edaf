"""The municipal referral queue (kommunal anvisning, § 59): who waits, for what, and since when.

Urgent households arrive by group (Poisson, from the referral stream, independent of the model's
state, so paired scenarios see the same arrivals). Each is drawn whole on arrival: its household,
its needs (rooms, maximum rent, from the group), the traits that bar it from listed areas, and the
month it would find housing elsewhere if it is still waiting then.

Waiting households are kept in first-come-first-served lines per compatibility class (group ×
barred from udsat areas × barred from forebyggelsesområder): within a class every household fits
the same dwellings, so the longest-waiting compatible household for a vacancy is the oldest head
among the classes that fit it. A household whose bans have a duration (released from prison or
evicted in the last 6 months, § 59 stk. 6 nr. 1 and 3) moves to the class of the bans it keeps
when they end, in its place by arrival.
"""

from __future__ import annotations

import heapq
from bisect import insort
from collections import deque
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.inputs.scenario import Behaviour, ReferralGroup
from simulation.people.households import ReferralTraits, draw_referral_households
from simulation.people.population import HouseholdBatch, steady_employability

__all__ = [
    "BAN_CLASSES",
    "PREVENTION_BENEFIT_TRAITS",
    "PREVENTION_TRAITS",
    "ReferralQueue",
    "WaitingClass",
    "ban_class",
    "ban_class_shares",
    "plan_classes",
    "waiting_class",
]

NOT_YET = -1
NEVER = int(np.iinfo(np.int32).max)
"""The leave month of a household that never finds housing elsewhere."""

BAN_CLASSES = ("free", "barred_udsat", "barred_prevention")
"""The three ways § 59 stk. 6/7 bars a referral household, as the plan counts them: free of any
ban; barred from udsatte boligområder only (stk. 6); barred from forebyggelsesområder too
(stk. 7, whose traits are all stk. 6 traits as well)."""

PREVENTION_TRAITS = (
    "released_prisoner",
    "released_minor",
    "evicted",
    "non_eea_citizen",
    "integration_benefit_6_months",
)
"""The traits of :class:`~simulation.inputs.scenario.BarredTraits` that bar from
forebyggelsesområder as well (§ 59 stk. 7); every trait bars from udsatte boligområder (stk. 6)."""

PREVENTION_BENEFIT_TRAITS = (
    "cash_benefit_6_months",
    "disability_pension",
    "unemployment_benefit_6_months",
)
"""Benefit traits that bar from forebyggelsesområder only with
``legal.prevention_bans_include_benefits`` (stk. 7 nr. 5–7, [U])."""


def ban_class(barred_udsat: bool, barred_prevention: bool) -> int:
    """The position in :data:`BAN_CLASSES` of a household with these bans (0, 1 or 2)."""
    return 2 if barred_prevention else int(barred_udsat)


def waiting_class(group: int, barred_udsat: bool, barred_prevention: bool) -> int:
    """The index a group's households have in a referral plan: ``3 * group + ban class``.

    A plan (:class:`simulation.rules.letting.Plan`) counts referrals per department for each
    group split three ways by the § 59 bans (:data:`BAN_CLASSES`): free, barred from udsatte
    boligområder only (stk. 6), and barred from forebyggelsesområder too (stk. 7).
    """
    return len(BAN_CLASSES) * group + ban_class(barred_udsat, barred_prevention)


def plan_classes(groups: int) -> int:
    """How many plan classes ``groups`` referral groups make (see :func:`waiting_class`)."""
    return len(BAN_CLASSES) * groups


def ban_class_shares(
    group: ReferralGroup, *, prevention_bans_include_benefits: bool
) -> tuple[float, float, float]:
    """The expected share of a group's arrivals in each of :data:`BAN_CLASSES`.

    The traits are drawn independently on arrival
    (:func:`simulation.people.households.draw_referral_households`): a household is free when it
    has none, barred from forebyggelsesområder when it has one of :data:`PREVENTION_TRAITS` (and,
    with ``prevention_bans_include_benefits``, of :data:`PREVENTION_BENEFIT_TRAITS`), and barred
    from udsatte boligområder only otherwise.
    """
    barred = group.barred
    prevention = (
        PREVENTION_TRAITS + PREVENTION_BENEFIT_TRAITS
        if prevention_bans_include_benefits
        else PREVENTION_TRAITS
    )
    free = float(np.prod([1.0 - getattr(barred, name) for name in type(barred).model_fields]))
    clear_of_prevention = float(np.prod([1.0 - getattr(barred, name) for name in prevention]))
    return free, clear_of_prevention - free, 1.0 - clear_of_prevention


@dataclass
class WaitingClass:
    """One line of households that fit the same dwellings."""

    group: int
    rooms_min: int
    max_rent: float
    barred_udsat: bool
    barred_prevention: bool
    line: deque[int]


class ReferralQueue:
    """Every referral household of a run: waiting, housed or gone elsewhere.

    Parameters
    ----------
    groups
        The scenario's referral groups, in a fixed order (their index is the group code).
    rng
        The referral stream of the run.
    start_year
        Year of month 0.
    behaviour
        Income dispersion and the rates that set each group's employability and conviction risk.
    prevention_bans_include_benefits
        Whether benefit traits bar from forebyggelsesområder too (§ 59 stk. 7, [U]).
    """

    def __init__(
        self,
        groups: dict[str, ReferralGroup],
        rng: np.random.Generator,
        start_year: int,
        behaviour: Behaviour,
        *,
        prevention_bans_include_benefits: bool,
    ) -> None:
        self.group_ids = list(groups)
        self.groups = list(groups.values())
        self.rng = rng
        self.start_year = start_year
        self.dispersion = behaviour.income_dispersion
        self.employability = [
            float(steady_employability(g.outside_work_education_share, behaviour))
            for g in self.groups
        ]
        # the group's yearly conviction share relative to the base chance at its status mix
        self.conviction_risk = [
            g.convicted_share
            / max(
                g.outside_work_education_share * behaviour.conviction_per_year_outside
                + (1 - g.outside_work_education_share) * behaviour.conviction_per_year_inside,
                1e-9,
            )
            for g in self.groups
        ]
        self.prevention_bans_include_benefits = prevention_bans_include_benefits
        self.rooms_min = np.array([g.rooms_min for g in self.groups], np.int64)
        self.max_rent = np.array([g.max_rent_kr for g in self.groups], np.float64)
        self.classes: list[WaitingClass] = []
        self._class_of: dict[tuple[int, bool, bool], WaitingClass] = {}
        for index, group in enumerate(self.groups):
            for barred_udsat in (False, True):
                for barred_prevention in (False, True):
                    if barred_prevention and not barred_udsat:
                        continue  # every trait barred in forebyggelse is barred in udsat too
                    line = WaitingClass(
                        index,
                        group.rooms_min,
                        group.max_rent_kr,
                        barred_udsat,
                        barred_prevention,
                        deque(),
                    )
                    self.classes.append(line)
                    self._class_of[(index, barred_udsat, barred_prevention)] = line
        # one entry per referral household, in arrival order (its id is its position)
        self.group: list[int] = []
        self.arrival_month: list[int] = []
        self.leave_month: list[int] = []
        self.housed_month: list[int] = []
        self.department: list[int] = []
        self.barred_udsat: list[bool] = []
        self.barred_prevention: list[bool] = []
        self.barred_on_arrival: list[bool] = []  # barred_udsat as it was on arrival
        self._batches: list[HouseholdBatch] = []
        self._location: list[tuple[int, int]] = []
        # (month the bans end, referral id, barred from udsat, from forebyggelse after that)
        self._bans_ending: list[tuple[int, int, bool, bool]] = []

    def __len__(self) -> int:
        return len(self.group)

    # -- arrivals and departures -------------------------------------------------------------------

    def arrive(self, month: int) -> int:
        """Draw this month's arrivals of every group and put them in line; return how many came.

        The number of draws is fixed per group and month, so arrivals are the same in paired
        scenarios whatever the queue looks like.
        """
        year = self.start_year + month // 12
        arrived = 0
        for index, group in enumerate(self.groups):
            count = int(self.rng.poisson(group.arrivals_per_year / 12.0))
            if count == 0:
                continue
            leave = self.rng.random(count)
            batch, traits = draw_referral_households(
                self.rng,
                group,
                count,
                month,
                year,
                self.dispersion,
                employability=self.employability[index],
                conviction_risk=self.conviction_risk[index],
                prevention_bans_include_benefits=self.prevention_bans_include_benefits,
            )
            monthly = 1.0 - (1.0 - group.leave_queue_per_year) ** (1.0 / 12.0)
            if monthly > 0:
                stay = np.floor(np.log1p(-leave) / np.log1p(-monthly)).astype(np.int64) + 1
            else:
                stay = np.full(count, NEVER, np.int64)
            self.join(index, batch, traits, month, np.minimum(month + stay, NEVER))
            arrived += count
        return arrived

    def join(
        self,
        group: int,
        batch: HouseholdBatch,
        traits: ReferralTraits,
        month: int,
        leave_month: np.ndarray | None = None,
    ) -> list[int]:
        """Put the households of ``batch`` in line, in order, as arrived in ``month``.

        Parameters
        ----------
        group
            Their referral group (its index in the scenario's order).
        batch, traits
            The households and the traits that bar them from listed areas (§ 59 stk. 6/7).
        month
            The month they join the queue (their waiting starts then).
        leave_month
            Per household, the month it finds housing elsewhere if still waiting; default never.

        Returns
        -------
        list of int
            Their referral ids.
        """
        count = len(batch)
        leave = np.full(count, NEVER, np.int64) if leave_month is None else leave_month
        batch_index = len(self._batches)
        self._batches.append(batch)
        ids = []
        for row in range(count):
            referral_id = len(self.group)
            udsat = bool(traits.barred_udsat[row])
            prevention = bool(traits.barred_prevention[row])
            self.group.append(group)
            self.arrival_month.append(month)
            self.leave_month.append(int(leave[row]))
            self.housed_month.append(NOT_YET)
            self.department.append(NOT_YET)
            self.barred_udsat.append(udsat)
            self.barred_on_arrival.append(udsat)
            self.barred_prevention.append(prevention)
            self._location.append((batch_index, row))
            self._class_of[(group, udsat, prevention)].line.append(referral_id)
            ids.append(referral_id)
            if traits.bans_end is not None and traits.bans_end[row] > month:
                assert traits.lasting_udsat is not None and traits.lasting_prevention is not None
                lasting = (bool(traits.lasting_udsat[row]), bool(traits.lasting_prevention[row]))
                if lasting != (udsat, prevention):
                    heapq.heappush(
                        self._bans_ending, (int(traits.bans_end[row]), referral_id, *lasting)
                    )
        return ids

    def drop_leavers(self, month: int) -> None:
        """Take out of line those who found housing elsewhere by ``month``; end expired bans."""
        for waiting in self.classes:
            if waiting.line:
                kept = [r for r in waiting.line if self.leave_month[r] > month]
                if len(kept) != len(waiting.line):
                    waiting.line = deque(kept)
        self.end_bans(month)

    def end_bans(self, month: int) -> None:
        """Move waiting households whose bans with a duration have ended by ``month``.

        Each goes to the class of the bans it keeps, in its place by arrival (first come, first
        served).
        """
        ending = self._bans_ending
        while ending and ending[0][0] <= month:
            _, referral_id, udsat, prevention = heapq.heappop(ending)
            group = self.group[referral_id]
            old = self._class_of[
                (group, self.barred_udsat[referral_id], self.barred_prevention[referral_id])
            ]
            if self.housed_month[referral_id] != NOT_YET or referral_id not in old.line:
                continue  # housed, or gone elsewhere
            old.line.remove(referral_id)
            new = self._class_of[(group, udsat, prevention)]
            line = list(new.line)
            insort(line, referral_id, key=lambda r: (self.arrival_month[r], r))
            new.line = deque(line)
            self.barred_udsat[referral_id] = udsat
            self.barred_prevention[referral_id] = prevention

    # -- matching ------------------------------------------------------------------------------------

    def longest_waiting(
        self,
        rooms: int,
        rent: float,
        udsat_area: bool,
        prevention_area: bool,
        allowed: np.ndarray | None = None,
    ) -> int:
        """The id of the longest-waiting household that fits a dwelling, or -1 if none does.

        Parameters
        ----------
        rooms, rent
            The dwelling (rooms; kr per month).
        udsat_area, prevention_area
            Whether its area is an udsat boligområde (any list of § 61 a) or a
            forebyggelsesområde: barred households may not be referred there (§ 59 stk. 6/7).
        allowed
            Per plan class (:func:`waiting_class`), whether the municipality's
            plan still wants such a household here (the ``optimised`` policy); ``None`` allows
            every household.
        """
        best = -1
        best_arrival = 1 << 62
        for waiting in self.classes:
            line = waiting.line
            if not line or rooms < waiting.rooms_min or rent > waiting.max_rent:
                continue
            if (udsat_area and waiting.barred_udsat) or (
                prevention_area and waiting.barred_prevention
            ):
                continue
            if allowed is not None:
                kind = waiting_class(waiting.group, waiting.barred_udsat, waiting.barred_prevention)
                if not allowed[kind]:
                    continue
            head = line[0]
            arrival = self.arrival_month[head]
            if arrival < best_arrival or (arrival == best_arrival and head < best):
                best, best_arrival = head, arrival
        return best

    def house(self, referral_id: int, month: int, department: int) -> None:
        """Take a household out of line as housed (see :meth:`households` for its members)."""
        line = self._class_of[
            (
                self.group[referral_id],
                self.barred_udsat[referral_id],
                self.barred_prevention[referral_id],
            )
        ].line
        if not line or line[0] != referral_id:
            raise RuntimeError(f"referral {referral_id} is not at the head of its line")
        line.popleft()
        self.housed_month[referral_id] = month
        self.department[referral_id] = department

    def households(self, referral_ids: list[int]) -> HouseholdBatch:
        """The households with these ids, in that order (to move them into their dwellings)."""
        locations = np.asarray([self._location[i] for i in referral_ids], np.int64).reshape(-1, 2)
        parts = []
        order = []
        for batch_index in np.unique(locations[:, 0]):
            chosen = np.flatnonzero(locations[:, 0] == batch_index)
            parts.append(self._batches[int(batch_index)].select(locations[chosen, 1]))
            order.append(chosen)
        batch = HouseholdBatch.concatenate(parts)
        return batch.select(np.argsort(np.concatenate(order), kind="stable"))

    # -- measuring -------------------------------------------------------------------------------------

    def waiting(self) -> int:
        """Households in line now."""
        return sum(len(waiting.line) for waiting in self.classes)

    def waiting_by_group(self) -> np.ndarray:
        """Households in line now, per group."""
        counts = np.zeros(len(self.groups), np.int64)
        for waiting in self.classes:
            counts[waiting.group] += len(waiting.line)
        return counts

    def waiting_ids(self) -> list[int]:
        """Ids of the households in line now."""
        return [referral_id for waiting in self.classes for referral_id in waiting.line]

    def table(self, end_month: int) -> pd.DataFrame:
        """One row per referral household: arrival, outcome and waiting time, as of ``end_month``.

        ``housed_month``, ``department`` and ``wait_months`` are empty for households not housed;
        ``left_month`` is set for those who found housing elsewhere before ``end_month``;
        ``barred_from_listed_areas`` is as on arrival (a ban with a duration may end later).
        """
        arrival = np.asarray(self.arrival_month, np.int64)
        housed = np.asarray(self.housed_month, np.int64)
        leave = np.asarray(self.leave_month, np.int64)
        department = np.asarray(self.department, np.int64)
        is_housed = housed >= 0
        has_left = ~is_housed & (leave <= end_month)
        outcome = np.where(is_housed, "housed", np.where(has_left, "left", "waiting"))
        return pd.DataFrame(
            {
                "referral_id": np.arange(arrival.size, dtype=np.int64),
                "group": pd.Categorical.from_codes(self.group, categories=pd.Index(self.group_ids)),
                "arrival_month": arrival,
                "housed_month": _optional(housed, is_housed),
                "department_index": department,
                "wait_months": _optional(housed - arrival, is_housed),
                "left_month": _optional(leave, has_left),
                "outcome": outcome,
                "barred_from_listed_areas": np.asarray(self.barred_on_arrival, bool),
            }
        )


def _optional(values: np.ndarray, present: np.ndarray) -> pd.arrays.IntegerArray:
    """Whole numbers with missing values (``<NA>``) where not ``present``."""
    result = pd.array(np.where(present, values, 0), dtype="Int64")
    result[~present] = pd.NA
    return result
