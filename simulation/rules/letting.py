"""Letting: every vacancy through the precedence of the law (``docs/law.md``, "Letting").

For each vacant family dwelling, in this order:

1. **Municipal referral** (kommunal anvisning, § 59): each vacancy earns the municipality its
   department's agreed share of a claim; the vacancy that completes a whole claim (every 4th at
   the default share) is the municipality's to take for the longest-waiting compatible household
   (rooms, rent, and never a household with a barred trait into an udsat boligområde or
   forebyggelsesområde, § 59 stk. 6/7). With no compatible household waiting, the municipality
   lets that vacancy go and the claim lapses, as when it declines an offered dwelling. (Claiming
   without a household in hand and paying the rent meanwhile, tomgangsleje, is not modelled.)
   Under the ``optimised`` policy it takes only households of groups its current plan still
   sends to the department.
2. **Flexible letting** (§ 60): obligatory for every non-referral letting in udsatte boligområder
   and forebyggelsesområder (stk. 4), internal moves included; elsewhere for the agreed share.
   The dwelling goes to an applicant (or sitting tenant) who meets one of the agreed criteria; if
   none of those drawn does, it is let from the waiting list instead.
3. **Waiting lists**: every 2nd letting that is not a referral is offered to the internal list (a
   sitting tenant of the organisation moves, leaving a vacancy behind, let in turn: a vacancy
   chain; in a flexible letting only a tenant meeting a criterion), the others to the external
   list.
4. **Refusals**: where the municipality applies combined letting (kombineret udlejning, § 51 b)
   and the area qualifies, applicants with 6 months of kontanthjælp-type benefits (extended:
   førtidspension, dagpenge) are passed over; in an omdannelsesområde (§ 51 c) every applicant on
   kontanthjælp-type benefits is. Each applicant passed over is counted as a refusal. A dwelling
   whose applicants are all refused stays vacant until next month. No applicant is ever changed
   to fit a rule: the letting chooses among applicants as they are.

Each rule is a function named after it: :func:`municipal_referral` (§ 59, the municipality's
part, which :class:`simulation.agents.Municipality` acts out), :func:`flexible_letting` and
:func:`meets_flexible_criteria` (§ 60), :func:`internal_list_turn` (the waiting lists),
:func:`combined_letting_areas` and :func:`combined_letting_refusals` (§ 51 b),
:func:`transformation_area_refusals` (§ 51 c). :class:`LettingOffice` lets what the municipality
does not claim, through those rules, for the housing organisations
(:class:`simulation.agents.HousingOrganisations`).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from simulation.inputs.scenario import (
    Agreement,
    Applicants,
    Behaviour,
    FlexibleCriterion,
    TimeToLet,
)
from simulation.law.regimes import Comparison
from simulation.people.households import FAMILY_ROOMS_MIN, ApplicantFlags, draw_applicants
from simulation.people.population import (
    HouseholdBatch,
    Population,
    Status,
    working_age,
)
from simulation.people.state import (
    DEPARTMENT_PAYS,
    MUNICIPALITY_PAYS,
    AreaState,
    Channel,
    DepartmentState,
    Tally,
)
from simulation.rules.referrals import ReferralQueue, waiting_class

__all__ = [
    "CANDIDATES",
    "COMBINED_LETTING_OUTSIDE_PCT",
    "EXTRA_ROUNDS",
    "LAPSE_REASONS",
    "MAX_CHAIN",
    "ClaimAccounting",
    "Fallbacks",
    "LettingOffice",
    "LettingOutcome",
    "MovingIn",
    "Plan",
    "combined_letting_areas",
    "combined_letting_refusals",
    "empty_months",
    "fits_household",
    "flexible_letting",
    "internal_list_turn",
    "meets_flexible_criteria",
    "municipal_referral",
    "review_held",
    "tenant_flags",
    "transformation_area_refusals",
]

CANDIDATES = (3, 12)
"""Applicants drawn per dwelling, round by round, in waiting-list order, to find one who qualifies:
not refused (§ 51 b, § 51 c) and, in a flexible letting, meeting a criterion (§ 60)."""

EXTRA_ROUNDS = 2
"""Further rounds of ``CANDIDATES[-1]`` applicants for a dwelling whose applicants so far were all
refused; if these are all refused too, the dwelling stays vacant until next month [A]."""

MOVER_TRIES = 8
"""Sitting tenants tried per internal-list offer."""

SAME_DEPARTMENT_FIRST = 0.5
"""Chance that an internal-list offer is tried on the department's own tenants first (the list
gives them priority) rather than on the whole organisation's [A]."""

MAX_CHAIN = 50
"""Rounds of a vacancy chain within one month before the rest wait for the next month."""

COMBINED_LETTING_OUTSIDE_PCT = 40.0
"""§ 51 b: combined letting applies in areas (of at least the list's minimum residents) where at
least this share (per cent, as published: 2-year mean) of 18–64-year-olds is outside work or
education."""

CLAIM_TOLERANCE = 1e-9
"""A claim is whole when the credit is within this of 1 (shares such as 1/3 add up inexactly)."""


@dataclass(frozen=True)
class LettingOutcome:
    """What one round of the housing organisations' letting leaves for later."""

    left_behind: np.ndarray
    """Dwellings that sitting tenants left by moving on the internal list: the next round of a
    vacancy chain."""
    unlet: np.ndarray
    """Dwellings for which every applicant drawn was refused (§ 51 b, § 51 c): vacant until next
    month."""


@dataclass
class Fallbacks:
    """How often the letting could not go the first way, counted over a run (diagnostics only).

    See :meth:`LettingOffice.let_external`; none of these counts is in the run's tables.
    """

    dwellings: int = 0
    """Dwellings offered to waiting-list applicants (flexible offers included)."""
    flexible_offers: int = 0
    """Of them, offered by flexible criteria."""
    to_waiting_list: int = 0
    """Flexible offers where none of the applicants drawn met a criterion: let from the waiting
    list instead (counted as external lettings)."""
    extra_rounds: int = 0
    """Dwellings where every one of the first applicants was refused, so that more were drawn."""
    left_vacant: int = 0
    """Dwellings where every applicant drawn was refused: left vacant until next month."""


@dataclass
class Plan:
    """Referrals the municipality still means to make (every policy but plain first come).

    ``remaining`` has one row per department and one column per plan class
    (:func:`simulation.rules.referrals.waiting_class`): the quota of the ``optimised`` policy,
    or ``inf`` where a rule allows referrals and 0 where it does not. ``budget`` is how many
    referrals the municipality may still make in all (``agreement.referral_volume_per_year``);
    a claim lapses when less than one is left.
    """

    remaining: np.ndarray
    budget: float = float("inf")


# --------------------------------------------------------------------------------------------------
# § 59: municipal referral (kommunal anvisning)


LAPSE_REASONS = (
    "nobody_waiting",
    "no_fitting_household",
    "barred",
    "not_in_plan",
    "volume_cap",
)
"""Why a claim lapsed: nobody (of the groups the plan allows) waits; nobody waiting fits the
dwelling's rooms and rent; those who fit are barred from the area (§ 59 stk. 6/7); the plan has
no quota left in the department; the volume cap is used up. A claim carried over or a dwelling held lapses with the reason
of its last try."""


class ClaimAccounting:
    """How the municipality's claims are counted, carried over and held (``agreement``).

    ``unit`` maps each department to the department that keeps its accounting unit's credit in
    ``DepartmentState.referral_credit`` (itself, the first of its organisation, or the first of
    all). Claims not used at once wait in :attr:`banked` (per unit: ``[month earned, department,
    reason of the last try]``) up to ``carry_over_months``; dwellings held for a referral wait in
    :attr:`held` (``[slot, month held, department, reason]``) up to ``hold_months``.
    """

    def __init__(self, agreement: Agreement, departments: DepartmentState) -> None:
        count = departments.count
        if agreement.referral_accounting == "organisation":
            organisation = departments.organisation
            first = np.full(int(organisation.max()) + 1 if count else 0, -1, np.int64)
            for department in range(count - 1, -1, -1):
                first[organisation[department]] = department
            self.unit = first[organisation]
        elif agreement.referral_accounting == "municipality":
            self.unit = np.zeros(count, np.int64)
        else:
            self.unit = np.arange(count, dtype=np.int64)
        self.carry_over_months = agreement.claim_carry_over_months
        self.hold_months = agreement.hold_for_referral
        self.banked: dict[int, deque[list[Any]]] = {}
        self.held: list[list[Any]] = []

    @classmethod
    def per_department(cls, departments: DepartmentState) -> ClaimAccounting:
        """The strictest reading: per department, use it or lose it, never held."""
        return cls(Agreement(), departments)

    @property
    def held_slots(self) -> np.ndarray:
        """Dwellings the municipality holds empty for a referral."""
        return np.asarray([entry[0] for entry in self.held], np.int64)

    def give_up(
        self, removed: np.ndarray, month: int, lapses: list[tuple[int, int, str]] | None
    ) -> None:
        """End the hold of every held dwelling a development plan ``removed`` (a mask per dwelling).

        Its claim lapses with the reason of its last try, as when a hold runs out.
        """
        kept = []
        for entry in self.held:
            if removed[entry[0]]:
                if lapses is not None:
                    lapses.append((month, entry[2], entry[3]))
            else:
                kept.append(entry)
        self.held = kept

    def expire(self, month: int, lapses: list[tuple[int, int, str]] | None) -> None:
        """Let go the claims carried over longer than ``carry_over_months``."""
        if self.carry_over_months == 0:
            return  # a claim is used or lapses in the month it arises: none is ever banked
        for claims in self.banked.values():
            while claims and claims[0][0] < month - self.carry_over_months:
                _, department, reason = claims.popleft()
                if lapses is not None:
                    lapses.append((month, department, reason))


def municipal_referral(
    vacancies: np.ndarray,
    month: int,
    *,
    population: Population,
    departments: DepartmentState,
    areas: AreaState,
    queue: ReferralQueue,
    tally: Tally,
    plan: Plan | None,
    moving_in: MovingIn | None = None,
    accounting: ClaimAccounting | None = None,
    lapses: list[tuple[int, int, str]] | None = None,
) -> np.ndarray:
    """The municipality claims its share of the vacancies and refers households to them (§ 59).

    Each vacancy earns the municipality its department's agreed share of a claim (stk. 1: up to
    every 4th), counted per accounting unit (``agreement.referral_accounting``: department,
    organisation or municipality); the vacancy that completes a whole claim is the
    municipality's, for the longest-waiting household that fits it (rooms, rent) and that no ban
    keeps out (stk. 6/7). With nobody fitting, no such household in the plan, or the volume cap
    (``agreement.referral_volume_per_year``) used up, the municipality holds the dwelling empty if
    the agreement lets it and the dwelling suits one of its referral groups' needs
    (``hold_for_referral``: the dwelling is taken, see :func:`review_held`), else carries the
    claim over to the unit's next vacancies (``claim_carry_over_months``), else the claim lapses.
    With ``lapses`` each lapsed claim is recorded as ``(month, department, reason)``
    (:data:`LAPSE_REASONS`).

    Returns
    -------
    numpy.ndarray
        Per vacancy, whether the municipality took it (referred, or held).
    """
    accounting = accounting or ClaimAccounting.per_department(departments)
    accounting.expire(month, lapses)
    stock = population.stock
    credit = departments.referral_credit
    share = departments.referral_share
    area_of = departments.area
    slot_department = stock.department[vacancies]
    unit_of = accounting.unit
    referred = np.zeros(vacancies.size, bool)
    candidates = np.flatnonzero(share[slot_department] > 0)
    banked = accounting.banked
    if candidates.size == 0 or (queue.waiting() == 0 and accounting.hold_months == 0):
        # nobody to refer: each vacancy still counts toward the share, and claims lapse
        # (or wait, carried over)
        earned = np.zeros(credit.size)
        np.add.at(earned, unit_of[slot_department], share[slot_department])
        credit += earned
        whole = np.floor(credit + CLAIM_TOLERANCE)
        for unit in np.flatnonzero(whole > 0).tolist():
            department = int(unit)  # the unit's first department stands for it
            for _ in range(int(whole[unit])):
                if accounting.carry_over_months > 0:
                    banked.setdefault(unit, deque()).append([month, department, "nobody_waiting"])
                elif lapses is not None:
                    lapses.append((month, department, "nobody_waiting"))
        credit -= whole
        return referred
    placed_slots: list[int] = []
    placed: list[int] = []
    placed_departments: list[int] = []
    # plain Python lists in the loop: one vacancy at a time, numpy scalars would dominate
    slots_of = vacancies[candidates].tolist()
    departments_of = slot_department[candidates].tolist()
    rooms_of = stock.rooms[vacancies[candidates]].tolist()
    rent_of = stock.rent[vacancies[candidates]].tolist()
    share_of, unit_list, area_list = share.tolist(), unit_of.tolist(), area_of.tolist()
    udsat_of, prevention_of = areas.udsat.tolist(), areas.forebyggelsesomraade.tolist()
    credits = credit.tolist()
    for index, position in enumerate(candidates.tolist()):
        slot = slots_of[index]
        department = departments_of[index]
        unit = unit_list[department]
        credits[unit] += share_of[department]
        claims = banked.get(unit)
        if claims is None:
            claims = banked[unit] = deque()
        new_claim = credits[unit] >= 1.0 - CLAIM_TOLERANCE
        if new_claim:
            credits[unit] -= 1.0  # the vacancy is the municipality's to claim or let go
            claims.append([month, department, ""])
        if not claims:
            continue
        area = area_list[department]
        allowed = None
        rooms, rent = int(rooms_of[index]), float(rent_of[index])
        udsat, prevention = bool(udsat_of[area]), bool(prevention_of[area])
        referral_id = -1
        if plan is not None:
            allowed = plan.remaining[department] > 1e-9
        capped = plan is not None and plan.budget < 1.0 - CLAIM_TOLERANCE
        if not capped and (allowed is None or allowed.any()):
            referral_id = queue.longest_waiting(rooms, rent, udsat, prevention, allowed)
        if referral_id < 0:
            if capped:
                reason = "volume_cap"
            elif allowed is not None and not allowed.any():
                reason = "not_in_plan"
            else:
                reason = _lapse_reason(queue, rooms, rent, allowed)
            holdable = (
                new_claim
                and accounting.hold_months > 0
                and reason not in ("not_in_plan", "volume_cap")
                and queue.some_group_fits(rooms, rent)
            )
            if holdable:
                claims.pop()  # the claim goes with the dwelling, held empty for a referral
                accounting.held.append([slot, month, department, reason])
                referred[position] = True
            elif new_claim and accounting.carry_over_months == 0:
                claims.pop()
                if lapses is not None:
                    lapses.append((month, department, reason))
            else:  # waits, carried over
                claims[0][2] = claims[-1][2] = reason
            continue
        claims.popleft()  # the oldest claim of the unit is used
        queue.house(referral_id, month, department)
        placed.append(referral_id)
        placed_slots.append(slot)
        placed_departments.append(department)
        referred[position] = True
        if plan is not None:
            plan_class = waiting_class(
                queue.group[referral_id],
                queue.barred_udsat[referral_id],
                queue.barred_prevention[referral_id],
            )
            plan.remaining[department, plan_class] -= 1.0
            plan.budget -= 1.0
    credit[:] = credits
    _move_in_referred(
        placed, placed_slots, placed_departments, month, population, queue, tally, moving_in
    )
    return referred


def review_held(
    month: int,
    *,
    population: Population,
    departments: DepartmentState,
    areas: AreaState,
    queue: ReferralQueue,
    tally: Tally,
    accounting: ClaimAccounting,
    moving_in: MovingIn | None = None,
    lapses: list[tuple[int, int, str]] | None = None,
) -> np.ndarray:
    """Refer households to the dwellings the municipality holds; release those held too long.

    Each held dwelling goes to the longest-waiting household that fits it now; one held for
    ``hold_for_referral`` months without one is released to the waiting lists, and its claim
    lapses with the reason of its last try. Returns the released dwellings (to be let from the
    lists this month, without a new claim).
    """
    stock = population.stock
    kept, released = [], []
    placed_slots: list[int] = []
    placed: list[int] = []
    placed_departments: list[int] = []
    for entry in accounting.held:
        slot, since, department, _ = entry
        area = departments.area[department]
        referral_id = queue.longest_waiting(
            int(stock.rooms[slot]),
            float(stock.rent[slot]),
            bool(areas.udsat[area]),
            bool(areas.forebyggelsesomraade[area]),
        )
        if referral_id >= 0:
            queue.house(referral_id, month, department)
            placed.append(referral_id)
            placed_slots.append(slot)
            placed_departments.append(department)
        elif month - since >= accounting.hold_months:
            released.append(slot)
            if lapses is not None:
                lapses.append((month, department, entry[3]))
        else:
            entry[3] = _lapse_reason(queue, int(stock.rooms[slot]), float(stock.rent[slot]), None)
            kept.append(entry)
    accounting.held = kept
    _move_in_referred(
        placed, placed_slots, placed_departments, month, population, queue, tally, moving_in
    )
    return np.asarray(released, np.int64)


def _move_in_referred(
    placed: list[int],
    placed_slots: list[int],
    placed_departments: list[int],
    month: int,
    population: Population,
    queue: ReferralQueue,
    tally: Tally,
    moving_in: MovingIn | None,
) -> None:
    if not placed:
        return
    slots = np.asarray(placed_slots, np.int64)
    households = queue.households(placed)
    tally.add_lettings(Channel.REFERRAL, np.asarray(placed_departments, np.int64))
    if moving_in is None:
        population.place(slots, households, month)
        tally.count_newcomers(population, slots, month)
    else:
        moving_in.place(slots, households, month, np.full(slots.size, Channel.REFERRAL))


def _lapse_reason(queue: ReferralQueue, rooms: int, rent: float, allowed: np.ndarray | None) -> str:
    """Why nobody was referred to a claimed dwelling (``longest_waiting`` found no one)."""
    if queue.longest_waiting(rooms, rent, False, False, allowed) >= 0:
        return "barred"
    if queue.longest_waiting(1 << 8, 0.0, False, False, allowed) >= 0:
        return "no_fitting_household"
    return "nobody_waiting"


# --------------------------------------------------------------------------------------------------
# Time to let: empty months between a letting and the move-in, and who pays for them


def empty_months(rng: np.random.Generator, mean: float, count: int) -> np.ndarray:
    """Empty months before the move-in of ``count`` lettings: geometric on 0, 1, 2, … with ``mean``."""
    if mean <= 0:
        return np.zeros(count, np.int64)
    months: np.ndarray = rng.geometric(1.0 / (1.0 + mean), count).astype(np.int64) - 1
    return months


class MovingIn:
    """Households let a dwelling who move in after some empty months (``time_to_let_months``).

    A letting is counted when it is made; the household moves in (and counts as a newcomer) in the
    month its empty months end, before that month's letting. Every month a let dwelling stands
    empty costs its rent (tomgangsleje): the municipality's for a referral, the department's
    otherwise (:meth:`count_empty_months`). Internal moves have no empty months [A].
    """

    def __init__(
        self, population: Population, tally: Tally, time_to_let: TimeToLet, rng: np.random.Generator
    ) -> None:
        self.population = population
        self.tally = tally
        self.rng = rng
        self.mean = np.zeros(len(Channel))
        self.mean[Channel.REFERRAL] = time_to_let.referral
        self.mean[Channel.FLEXIBLE] = time_to_let.flexible
        self.mean[Channel.EXTERNAL] = time_to_let.external
        self._waiting: list[tuple[np.ndarray, HouseholdBatch, np.ndarray, np.ndarray]] = []
        self.parked_this_month = 0
        self.moved_in_this_month = 0

    @property
    def reserved(self) -> np.ndarray:
        """Dwellings let but still empty."""
        parts = [slots for slots, _, _, _ in self._waiting]
        return np.concatenate(parts) if parts else np.empty(0, np.int64)

    def place(
        self, slots: np.ndarray, batch: HouseholdBatch, month: int, channels: np.ndarray
    ) -> None:
        """Move the households let ``slots`` (by ``channels``) in now, or after their empty months."""
        delay = np.zeros(slots.size, np.int64)
        for channel in np.unique(channels).tolist():
            mine = channels == channel
            delay[mine] = empty_months(self.rng, float(self.mean[channel]), int(mine.sum()))
        now = delay == 0
        if now.any():
            self.population.place(slots[now], batch.select(now), month)
            self.tally.count_newcomers(self.population, slots[now], month)
        if not now.all():
            later = ~now
            payer = np.where(
                channels[later] == Channel.REFERRAL, MUNICIPALITY_PAYS, DEPARTMENT_PAYS
            )
            self._waiting.append((slots[later], batch.select(later), month + delay[later], payer))
            self.parked_this_month += int(later.sum())

    def move_in(self, month: int) -> np.ndarray:
        """Move in the households whose empty months have ended by ``month``; return their slots."""
        self.parked_this_month = self.moved_in_this_month = 0
        placed = []
        kept = []
        for slots, batch, due, payer in self._waiting:
            now = due <= month
            if now.any():
                self.population.place(slots[now], batch.select(now), month)
                self.tally.count_newcomers(self.population, slots[now], month)
                placed.append(slots[now])
            if not now.all():
                kept.append((slots[~now], batch.select(~now), due[~now], payer[~now]))
        self._waiting = kept
        moved: np.ndarray = np.concatenate(placed) if placed else np.empty(0, np.int64)
        self.moved_in_this_month = int(moved.size)
        return moved

    def cancel(self, removed: np.ndarray) -> tuple[np.ndarray, HouseholdBatch] | None:
        """Take back the lettings of dwellings a development plan ``removed`` (a mask per dwelling).

        Returns the dwellings and the households that were to move into them (to be rehoused
        like the plan's residents), or ``None`` when there are none.
        """
        kept = []
        slots_gone, cancelled = [], []
        for slots, batch, due, payer in self._waiting:
            gone = removed[slots]
            if gone.any():
                slots_gone.append(slots[gone])
                cancelled.append(batch.select(gone))
            if not gone.all():
                kept.append((slots[~gone], batch.select(~gone), due[~gone], payer[~gone]))
        self._waiting = kept
        if not cancelled:
            return None
        return np.concatenate(slots_gone), HouseholdBatch.concatenate(cancelled)

    def count_empty_months(self, unlet: np.ndarray) -> None:
        """Count this month's empty dwellings and their rent, by payer.

        Let dwellings waiting for their household (the payer of their channel) and ``unlet``
        dwellings every applicant was refused (the department's vacancy loss, § 51 b/c).
        """
        stock = self.population.stock
        for slots, _, _, payer in self._waiting:
            for who in (DEPARTMENT_PAYS, MUNICIPALITY_PAYS):
                mine = slots[payer == who]
                if mine.size:
                    self.tally.add_vacant_month(who, stock.department[mine], stock.rent[mine])
        if unlet.size:
            self.tally.add_vacant_month(DEPARTMENT_PAYS, stock.department[unlet], stock.rent[unlet])


# --------------------------------------------------------------------------------------------------
# § 60: flexible letting (fleksibel udlejning)


def flexible_letting(
    listed: np.ndarray, agreed_share: np.ndarray, agreed_draw: np.ndarray
) -> np.ndarray:
    """Which lettings go by flexible criteria (§ 60).

    Obligatory in udsatte boligområder and forebyggelsesområder (stk. 4, ``listed``): every
    letting there that is not a referral, internal moves included; elsewhere the agreed share of
    lettings. Whether a flexible letting finds someone meeting a criterion is up to the
    applicants (or sitting tenants) drawn, not to a share of offers: one where nobody drawn does
    is let from the waiting list (:meth:`LettingOffice.let_external`).
    """
    flexible: np.ndarray = listed | (agreed_draw < agreed_share)
    return flexible


CRITERION_FLAGS = {
    FlexibleCriterion.EMPLOYMENT: "employed",
    FlexibleCriterion.EDUCATION: "student",
    FlexibleCriterion.COMMUTER: "commuter",
    FlexibleCriterion.SENIOR_DOWNSIZING: "senior",
    FlexibleCriterion.FAMILY_WITH_CHILDREN: "family_with_children",
}
"""The applicant flag each flexible-letting criterion reads (every criterion has one)."""


def meets_flexible_criteria(
    flags: ApplicantFlags, criteria: frozenset[FlexibleCriterion]
) -> np.ndarray:
    """Whether each applicant meets one of the agreed flexible-letting criteria (§ 60 stk. 1).

    Each criterion reads one flag of :class:`~simulation.people.households.ApplicantFlags`:
    ``employment`` an adult in work, ``education`` an adult in education, ``commuter`` a
    commuter, ``senior_downsizing`` an adult of 60 or more applying for at most 2 rooms,
    ``family_with_children`` a household with a child applying for 3 rooms or more.
    """
    meets = np.zeros(flags.employed.size, bool)
    for criterion in criteria:
        meets |= getattr(flags, CRITERION_FLAGS[criterion])
    return meets


def tenant_flags(
    population: Population, slots: np.ndarray, rooms: np.ndarray, month: int
) -> ApplicantFlags:
    """The flexible-letting flags of sitting tenants in ``slots`` applying for ``rooms`` rooms.

    As for applicants (:class:`~simulation.people.households.ApplicantFlags`), except that the
    model does not know whether a tenant commutes: no tenant meets ``commuter`` [A]. The benefit
    flags (refusals) are not set here: see :meth:`LettingOffice._refused_tenants`.
    """
    adult = population.adult[slots]
    status = population.status[slots]
    age = (month - population.born[slots]) / 12.0
    none = np.zeros(slots.size, bool)
    return ApplicantFlags(
        cash_benefit=none,
        cash_benefit_6_months=none,
        extended=none,
        employed=(adult & (status == Status.EMPLOYED)).any(axis=1),
        student=(adult & (status == Status.STUDENT)).any(axis=1),
        commuter=none,
        senior=(adult & (age >= 60.0)).any(axis=1) & (rooms <= 2),
        family_with_children=(population.children[slots] > 0) & (rooms >= FAMILY_ROOMS_MIN),
    )


# --------------------------------------------------------------------------------------------------
# The waiting lists


ROOMS_ABOVE_PERSONS = 1
"""An internal move is to a dwelling of at most one room more than the household's persons [A]."""
PERSONS_PER_ROOM = 2
"""... and of at least one room per two persons (no overcrowding) [A]."""


def fits_household(rooms: np.ndarray, persons: np.ndarray) -> np.ndarray:
    """Whether a dwelling of ``rooms`` rooms fits a household of ``persons`` persons.

    Sitting tenants on the internal list move to a dwelling that suits their household: at most
    :data:`ROOMS_ABOVE_PERSONS` room more than persons and at least one room per
    :data:`PERSONS_PER_ROOM` persons [A: the usual allocation rule of the organisations'
    letting policies, udlejningsregler].
    """
    result: np.ndarray = (rooms <= persons + ROOMS_ABOVE_PERSONS) & (
        persons <= PERSONS_PER_ROOM * rooms
    )
    return result


def internal_list_turn(department: np.ndarray, credit: np.ndarray, share: float) -> np.ndarray:
    """Which waiting-list lettings go to the internal list (every 2nd per department by default).

    ``credit`` (per department, the offers earned and not yet made) is updated in place.
    """
    order = np.argsort(department, kind="stable")
    sorted_departments = department[order]
    starts = np.flatnonzero(np.r_[True, sorted_departments[1:] != sorted_departments[:-1]])
    rank = np.arange(department.size) - np.repeat(starts, np.diff(np.r_[starts, department.size]))
    before = credit[sorted_departments] + rank * share
    turn_sorted = np.floor(before + share + 1e-9) > np.floor(before + 1e-9)
    counts = np.bincount(department, minlength=credit.size)
    credit += counts * share
    credit -= np.floor(credit + 1e-9)
    turn = np.empty(department.size, bool)
    turn[order] = turn_sorted
    return turn


# --------------------------------------------------------------------------------------------------
# § 51 b: combined letting (kombineret udlejning); § 51 c: omdannelsesområder


def combined_letting_areas(
    residents: np.ndarray, outside_work_education_pct: np.ndarray, minimum_residents: int
) -> np.ndarray:
    """Areas where combined letting may apply (§ 51 b): big enough, and 40 % or more outside work."""
    allowed: np.ndarray = (residents >= minimum_residents) & Comparison.AT_LEAST.holds(
        outside_work_education_pct, COMBINED_LETTING_OUTSIDE_PCT
    )
    return allowed


def combined_letting_refusals(
    cash_benefit_6_months: np.ndarray, extended: np.ndarray | bool, applies: np.ndarray
) -> np.ndarray:
    """Applicants refused under combined letting (§ 51 b) where it ``applies``.

    Refused: 6 months on kontanthjælp-type benefits; with the extended rule (``extended`` set
    per applicant where the municipality uses it) also førtidspension and dagpenge.
    """
    refused: np.ndarray = applies & (cash_benefit_6_months | extended)
    return refused


def transformation_area_refusals(cash_benefit: np.ndarray, applies: np.ndarray) -> np.ndarray:
    """Applicants refused in an omdannelsesområde (§ 51 c): anyone on kontanthjælp-type benefits."""
    refused: np.ndarray = applies & cash_benefit
    return refused


class LettingOffice:
    """The housing organisations' letting: what the municipality does not claim, by the rules in force.

    Holds references to the model's state; owns no state itself. Households it lets move in at
    once, or through :attr:`moving_in` (time to let) where the model sets one.

    Parameters
    ----------
    population, departments, areas, tally
        The model's state (shared, updated in place).
    agreement, applicants, behaviour
        The scenario's agreement, waiting-list applicant profile and household behaviour.
    rng
        The letting stream of the run.
    start_year
        The calendar year of the run's first month (applicants' convictions are dated by it).
    """

    def __init__(
        self,
        population: Population,
        departments: DepartmentState,
        areas: AreaState,
        tally: Tally,
        agreement: Agreement,
        applicants: Applicants,
        behaviour: Behaviour,
        rng: np.random.Generator,
        *,
        start_year: int,
    ) -> None:
        self.population = population
        self.departments = departments
        self.areas = areas
        self.tally = tally
        self.agreement = agreement
        self.applicants = applicants
        self.income_dispersion = behaviour.income_dispersion
        self.conviction_per_year = (
            behaviour.conviction_per_year_outside,
            behaviour.conviction_per_year_inside,
        )
        self.start_year = start_year
        self.rng = rng
        self.moving_in: MovingIn | None = None
        """Where set (by the model), households let move in after their empty months."""
        stock = population.stock
        organisation_of_slot = departments.organisation[stock.department]
        self._organisation_slots = np.argsort(organisation_of_slot, kind="stable")
        boundaries = np.searchsorted(
            organisation_of_slot[self._organisation_slots],
            np.arange(int(departments.organisation.max(initial=0)) + 2),
        )
        self._organisation_first = boundaries
        self.criteria = frozenset(agreement.flexible_criteria)
        self.fallbacks = Fallbacks()

    # -- the month's lettings -----------------------------------------------------------------------

    def let(self, vacancies: np.ndarray, month: int) -> LettingOutcome:
        """Let by flexible criteria (§ 60) or from the waiting lists, internal then external.

        Returns the dwellings that internal moves leave behind (to let in the next round) and
        those nobody could be let to this month (see :meth:`let_external`).
        """
        if vacancies.size == 0:
            return LettingOutcome(vacancies, vacancies)
        stock = self.population.stock
        departments = self.departments
        department = stock.department[vacancies]
        area = departments.area[department]
        # three draws per dwelling (the third no longer read), so the stream stays as it was
        draws = self.rng.random((3, vacancies.size))
        flexible = flexible_letting(
            self.areas.listed[area], departments.flexible_share[department], draws[0]
        )
        if not self.criteria:  # an agreement with no criterion lets nothing flexibly
            flexible[:] = False
        # the internal list has its turn in flexible lettings too (§ 60 stk. 4: every letting
        # that is not a referral); there the tenant must meet a criterion
        internal = internal_list_turn(
            department, departments.internal_credit, self.applicants.internal_list_share
        )
        internal &= draws[1] < self.applicants.internal_acceptance
        left_behind = unlet = np.empty(0, np.int64)
        if internal.any():
            moved, left_behind = self._move_internally(
                vacancies[internal], month, flexible=flexible[internal]
            )
            internal[np.flatnonzero(internal)[~moved]] = False
        external = ~internal
        if external.any():
            unlet = self.let_external(vacancies[external], month, flexible=flexible[external])
        return LettingOutcome(left_behind, unlet)

    def _move_internally(
        self, vacancies: np.ndarray, month: int, *, flexible: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Offer each dwelling to a sitting tenant of its organisation (same department first).

        Where ``flexible``, only a tenant meeting an agreed criterion may take it (§ 60 stk. 4);
        otherwise it goes on to the external list as a flexible letting.
        Returns which offers were taken, and the dwellings the movers left behind.
        """
        population = self.population
        stock = population.stock
        departments = self.departments
        department = stock.department[vacancies]
        count = vacancies.size
        organisation = departments.organisation[department]
        low = np.where(
            self.rng.random((count, MOVER_TRIES)) < SAME_DEPARTMENT_FIRST,
            stock.first_slot[department][:, None],
            -1,
        )
        high = np.where(low >= 0, stock.first_slot[department + 1][:, None], -1)
        pick = self.rng.random((count, MOVER_TRIES))
        same_department = low + np.floor(pick * (high - low)).astype(np.int64)
        org_low = self._organisation_first[organisation][:, None]
        org_high = self._organisation_first[organisation + 1][:, None]
        in_organisation = self._organisation_slots[
            np.minimum(
                org_low + np.floor(pick * (org_high - org_low)).astype(np.int64),
                self._organisation_slots.size - 1,
            )
        ]
        candidates = np.where(low >= 0, same_department, in_organisation)
        usable = population.occupied[candidates] & (population.moved_in_month[candidates] != month)
        usable &= candidates != vacancies[:, None]
        # the dwelling must fit the mover's household (rooms to persons)
        rooms_offered = stock.rooms[vacancies][:, None]
        persons = population.adult[candidates].sum(axis=-1) + population.children[candidates]
        usable &= fits_household(rooms_offered, persons)
        if flexible.any():
            rows = np.flatnonzero(flexible)
            rooms = np.repeat(stock.rooms[vacancies[rows]], MOVER_TRIES)
            meets = meets_flexible_criteria(
                tenant_flags(population, candidates[rows].ravel(), rooms, month), self.criteria
            )
            usable[rows] &= meets.reshape(rows.size, MOVER_TRIES)
        rank = self._mover_rank(usable, candidates, persons, stock.rooms[vacancies])
        rows = np.arange(count)
        # one household moves once: an offer whose best tenant an earlier offer took goes to its
        # next best (each round drops one tenant per offer, so at most MOVER_TRIES rounds)
        while True:
            column = rank.argmax(axis=1)
            found = rank[rows, column] > 0
            mover = candidates[rows, column]
            first = np.zeros(count, bool)
            _, unique_rows = np.unique(np.where(found, mover, -1 - rows), return_index=True)
            first[unique_rows] = True
            again = found & ~first
            if not again.any():
                break
            # the tenant is taken by the first offer that chose it: drop it wherever it was tried
            taken = np.isin(candidates[again], mover[found & first])
            rank[np.flatnonzero(again)[:, None], np.arange(MOVER_TRIES)] *= ~taken
        if found.any():
            refused = self._refused_tenants(mover[found], department[found], month)
            np.add.at(self.tally.refusals, department[found][refused], 1)
            found[np.flatnonzero(found)[refused]] = False
        movers = mover[found]
        targets = vacancies[found]
        if movers.size:
            batch = population.take(movers)
            population.vacate(movers)
            population.place(targets, batch, month)
            self.tally.add_lettings(Channel.INTERNAL, stock.department[targets])
            self.tally.count_newcomers(self.population, targets, month)
            np.add.at(self.tally.move_outs, stock.department[movers], 1)
        return found, movers

    def _mover_rank(
        self, usable: np.ndarray, candidates: np.ndarray, persons: np.ndarray, rooms: np.ndarray
    ) -> np.ndarray:
        """Per offer of ``rooms`` rooms (row), the rank of each tenant tried; the highest first.

        A tenant whose present dwelling does not fit its household (:func:`fits_household`:
        overcrowded or too large) goes before one who is well housed: that is what the internal
        list is for. Where the agreement gives families with children priority to 3 rooms or more
        (``agreement.internal_family_priority``), they go before everyone else. Among equals, the
        first tried (the draw) goes first. Tenants who may not take the offer rank 0.
        """
        population = self.population
        misfit = ~fits_household(population.stock.rooms[candidates], persons)
        rank = np.where(usable, 1 + misfit.astype(np.int8), 0).astype(np.int8)
        if self.agreement.internal_family_priority:
            family = (population.children[candidates] > 0) & (rooms >= FAMILY_ROOMS_MIN)[:, None]
            rank = np.where(usable & family, 3, rank).astype(np.int8)
        return rank

    def let_external(
        self, vacancies: np.ndarray, month: int, *, flexible: np.ndarray
    ) -> np.ndarray:
        """Let to waiting-list applicants, or by flexible criteria (§ 60) where ``flexible``.

        Applicants are drawn a few at a time per dwelling, in waiting-list order (3, then 12
        more: :data:`CANDIDATES`), and the dwelling goes to the first who qualifies: not refused
        under § 51 b or § 51 c and, in a flexible letting, meeting one of the agreed criteria.
        Applicants are taken as they are; nobody is changed to fit a rule. Where nobody drawn
        qualifies:

        - a flexible letting where no applicant meets a criterion is let from the waiting list
          instead, to the first of those drawn who is not refused, and counts as an external
          letting, not a flexible one;
        - a dwelling where every applicant was refused draws :data:`EXTRA_ROUNDS` more rounds,
          and if all of those are refused too, it stays vacant until next month (the vacancy
          loss that § 51 c puts on the housing organisation).

        Every refused applicant the search passed over counts as a refusal: those ahead of the
        one chosen; for a flexible offer let from the waiting list, all of the first 15 (the
        search went through them all); for a dwelling left vacant, every one drawn. How often
        each way out is taken is counted in :attr:`fallbacks`.

        Returns
        -------
        numpy.ndarray
            The dwellings left vacant.
        """
        count = vacancies.size
        department = self.population.stock.department[vacancies]
        flexible = flexible.copy()  # a flexible offer let from the waiting list turns external
        chosen = HouseholdBatch.empty(count)
        let = np.zeros(count, bool)
        waiting_list = HouseholdBatch.empty(count)  # per flexible offer: first not refused
        has_waiting_list = np.zeros(count, bool)
        self.fallbacks.dwellings += count
        self.fallbacks.flexible_offers += int(flexible.sum())
        open_ = np.arange(count)
        rounds = CANDIDATES + (CANDIDATES[-1],) * EXTRA_ROUNDS
        for round_, candidates in enumerate(rounds):
            if round_ == len(CANDIDATES):
                # the flexible search is over: let from the waiting list where someone was not
                # refused; where everyone was, draw more as for any waiting-list letting
                fallen = open_[has_waiting_list[open_]]
                _put(chosen, fallen, waiting_list.select(fallen))
                let[fallen] = True
                flexible[open_] = False
                open_ = open_[~has_waiting_list[open_]]
                self.fallbacks.to_waiting_list += fallen.size
                self.fallbacks.extra_rounds += open_.size
            if open_.size == 0:
                break
            batch, choice, clear = self._pick_applicants(
                vacancies[open_], department[open_], flexible[open_], candidates, month
            )
            found = choice >= 0
            rows = np.arange(open_.size) * candidates
            _put(chosen, open_[found], batch.select((rows + choice)[found]))
            let[open_[found]] = True
            hold = ~found & (clear >= 0) & ~has_waiting_list[open_]
            _put(waiting_list, open_[hold], batch.select((rows + clear)[hold]))
            has_waiting_list[open_[hold]] = True
            open_ = open_[~found]
        self.fallbacks.left_vacant += open_.size
        unlet = vacancies[open_]
        if open_.size:
            vacancies, department, flexible = vacancies[let], department[let], flexible[let]
            chosen = chosen.select(let)
        if self.moving_in is None:
            self.population.place(vacancies, chosen, month)
            self.tally.count_newcomers(self.population, vacancies, month)
        else:
            channels = np.where(flexible, Channel.FLEXIBLE, Channel.EXTERNAL)
            self.moving_in.place(vacancies, chosen, month, channels)
        self.tally.add_lettings(Channel.FLEXIBLE, department[flexible])
        self.tally.add_lettings(Channel.EXTERNAL, department[~flexible])
        return unlet

    def _pick_applicants(
        self,
        vacancies: np.ndarray,
        department: np.ndarray,
        flexible: np.ndarray,
        candidates: int,
        month: int,
    ) -> tuple[HouseholdBatch, np.ndarray, np.ndarray]:
        """Draw ``candidates`` applicants per dwelling, in list order; find who qualifies.

        Returns the applicants drawn (``candidates`` rows per dwelling, dwelling by dwelling),
        and per dwelling the position of the first who qualifies (not refused and, where
        ``flexible``, meeting a criterion) and of the first not refused (-1: none). Applicants
        refused under § 51 b / § 51 c ahead of the one who qualifies (all of them, if none
        does) are counted as refusals.
        """
        count = vacancies.size
        rooms = np.repeat(self.population.stock.rooms[vacancies], candidates)
        applying = np.repeat(department, candidates)
        batch, flags = draw_applicants(
            self.rng,
            self.applicants,
            rooms,
            applying,
            self.departments.mix,
            self.income_dispersion,
            month,
            year=self.start_year + month // 12,
            conviction_per_year=self.conviction_per_year,
        )
        refused = self._refused_applicants(flags, applying).reshape(count, candidates)
        meets = meets_flexible_criteria(flags, self.criteria).reshape(count, candidates)
        qualifies = ~refused & np.where(flexible[:, None], meets, True)
        choice = np.where(qualifies.any(axis=1), qualifies.argmax(axis=1), -1)
        clear = np.where(refused.all(axis=1), -1, (~refused).argmax(axis=1))
        considered = (
            np.arange(candidates)[None, :] < np.where(choice >= 0, choice, candidates)[:, None]
        )
        np.add.at(self.tally.refusals, department, (refused & considered).sum(axis=1))
        return batch, choice, clear

    # -- rules -----------------------------------------------------------------------------------------

    def _refusal_rules(self, department: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per letting, whether § 51 b (combined letting, if agreed) and § 51 c apply."""
        area = self.departments.area[department]
        combined = np.zeros(department.size, bool)
        if self.agreement.combined_letting:
            combined = self.areas.combined_letting_allowed[area]
        mandatory = self.areas.omdannelsesomraade[area]
        return combined, mandatory

    def _refused_applicants(self, flags: ApplicantFlags, department: np.ndarray) -> np.ndarray:
        combined, mandatory = self._refusal_rules(department)
        extended = flags.extended if self.agreement.combined_letting_extended else False
        refused: np.ndarray = combined_letting_refusals(
            flags.cash_benefit_6_months, extended, combined
        ) | transformation_area_refusals(flags.cash_benefit, mandatory)
        return refused

    def _refused_tenants(
        self, movers: np.ndarray, department: np.ndarray, month: int
    ) -> np.ndarray:
        """§ 51 b / § 51 c for sitting tenants on the internal list.

        Neither applies to a tenant who already lives in the department (§ 51 b stk. 1, § 51 c
        stk. 1: "som ikke allerede bor i afdelingen"): only movers from another department of
        the organisation can be refused. For a sitting tenant the model knows months outside
        work, not the benefit: an adult 18–64 outside work counts as on kontanthjælp-type
        benefits [A].
        """
        combined, mandatory = self._refusal_rules(department)
        population = self.population
        from_elsewhere = population.stock.department[movers] != department
        combined &= from_elsewhere
        mandatory &= from_elsewhere
        if not (combined.any() or mandatory.any()):
            return np.zeros(movers.size, bool)
        outside = working_age(population.adult[movers], population.born[movers], month)
        outside &= population.status[movers] == Status.OUTSIDE
        six_months = (outside & (population.outside_since[movers] <= month - 6)).any(axis=1)
        refused: np.ndarray = combined_letting_refusals(
            six_months, np.zeros(movers.size, bool), combined
        ) | transformation_area_refusals(np.asarray(outside.any(axis=1)), mandatory)
        return refused


def _put(target: HouseholdBatch, rows: np.ndarray, source: HouseholdBatch) -> None:
    """Copy the households of ``source`` into ``target`` at ``rows``, in order."""
    for column in fields(HouseholdBatch):
        getattr(target, column.name)[rows] = getattr(source, column.name)
