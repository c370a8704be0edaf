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
   and forebyggelsesområder (stk. 4); elsewhere for the agreed share. The dwelling goes to an
   applicant who meets one of the agreed criteria.
3. **Waiting lists**: every 2nd waiting-list letting is offered to the internal list (a sitting
   tenant of the organisation moves, leaving a vacancy behind, let in turn: a vacancy chain), the
   others to the external list.
4. **Refusals**: where the municipality applies combined letting (kombineret udlejning, § 51 b)
   and the area qualifies, applicants with 6 months of kontanthjælp-type benefits (extended:
   førtidspension, dagpenge) are passed over; in an omdannelsesområde (§ 51 c) every applicant on
   kontanthjælp-type benefits is. Each applicant passed over is counted as a refusal.

Each rule is a function named after it: :func:`municipal_referral` (§ 59, the municipality's
part, which :class:`simulation.agents.Municipality` acts out), :func:`flexible_letting` and
:func:`meets_flexible_criteria` (§ 60), :func:`internal_list_turn` (the waiting lists),
:func:`combined_letting_areas` and :func:`combined_letting_refusals` (§ 51 b),
:func:`transformation_area_refusals` (§ 51 c). :class:`LettingOffice` lets what the municipality
does not claim, through those rules, for the housing organisations
(:class:`simulation.agents.HousingOrganisations`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.inputs.scenario import Agreement, Applicants, Behaviour, FlexibleCriterion
from simulation.law.regimes import Comparison
from simulation.people.households import ApplicantFlags, draw_applicants
from simulation.people.population import (
    HouseholdBatch,
    Population,
    Status,
    steady_employability,
    working_age,
)
from simulation.people.state import AreaState, Channel, DepartmentState, Tally
from simulation.rules.referrals import ReferralQueue, waiting_class

__all__ = [
    "CANDIDATES",
    "COMBINED_LETTING_OUTSIDE_PCT",
    "LAPSE_REASONS",
    "MAX_CHAIN",
    "LettingOffice",
    "Plan",
    "combined_letting_areas",
    "combined_letting_refusals",
    "flexible_letting",
    "internal_list_turn",
    "meets_flexible_criteria",
    "municipal_referral",
    "transformation_area_refusals",
]

CANDIDATES = (3, 12)
"""Applicants drawn per vacancy, round by round, to find one who qualifies (flexible criteria,
refusals); after the last round the last applicant is made to qualify."""

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
    lapses: list[tuple[int, int, str]] | None = None,
) -> np.ndarray:
    """The municipality claims its share of the vacancies and refers households to them (§ 59).

    Each vacancy earns the municipality its department's agreed share of a claim (stk. 1: up to
    every 4th); the vacancy that completes a whole claim is the municipality's, for the
    longest-waiting household that fits it (rooms, rent) and that no ban keeps out (stk. 6/7). With
    nobody fitting, or no such household in the plan, the claim lapses; with ``lapses`` each
    lapsed claim is recorded as ``(month, department, reason)`` (:data:`LAPSE_REASONS`).

    Returns
    -------
    numpy.ndarray
        Per vacancy, whether a household was referred to it.
    """
    stock = population.stock
    share = departments.referral_share
    credit = departments.referral_credit
    area_of = departments.area
    referred = np.zeros(vacancies.size, bool)
    slot_department = stock.department[vacancies]
    candidates = np.flatnonzero(share[slot_department] > 0)
    if candidates.size == 0 or queue.waiting() == 0:
        # nobody to refer: each vacancy still counts toward the share, and claims lapse
        np.add.at(credit, slot_department, share[slot_department])
        whole = np.floor(credit + CLAIM_TOLERANCE)
        if lapses is not None:
            for department in np.flatnonzero(whole > 0).tolist():
                lapses.extend([(month, department, "nobody_waiting")] * int(whole[department]))
        credit -= whole
        return referred
    placed_slots: list[int] = []
    placed: list[int] = []
    placed_departments: list[int] = []
    for position in candidates.tolist():
        slot = int(vacancies[position])
        department = int(slot_department[position])
        credit[department] += share[department]
        if credit[department] < 1.0 - CLAIM_TOLERANCE:
            continue
        credit[department] -= 1.0  # the vacancy is the municipality's to claim or let go
        area = area_of[department]
        allowed = None
        if plan is not None:
            allowed = plan.remaining[department] > 1e-9
            if plan.budget < 1.0 - CLAIM_TOLERANCE or not allowed.any():
                if lapses is not None:
                    reason = "volume_cap" if plan.budget < 1.0 - CLAIM_TOLERANCE else "not_in_plan"
                    lapses.append((month, department, reason))
                continue
        rooms, rent = int(stock.rooms[slot]), float(stock.rent[slot])
        udsat, prevention = bool(areas.udsat[area]), bool(areas.forebyggelsesomraade[area])
        referral_id = queue.longest_waiting(rooms, rent, udsat, prevention, allowed)
        if referral_id < 0:
            if lapses is not None:
                lapses.append((month, department, _lapse_reason(queue, rooms, rent, allowed)))
            continue
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
    if placed:
        slots = np.asarray(placed_slots, np.int64)
        population.place(slots, queue.households(placed), month)
        tally.add_lettings(Channel.REFERRAL, np.asarray(placed_departments, np.int64))
        tally.count_newcomers(population, slots, month)
    return referred


LAPSE_REASONS = (
    "nobody_waiting",
    "no_fitting_household",
    "barred",
    "not_in_plan",
    "volume_cap",
)
"""Why a claim lapsed: nobody (of the groups the plan allows) waits; nobody waiting fits the
dwelling's rooms and rent; those who fit are barred from the area (§ 59 stk. 6/7); the plan has
no quota left in the department; the volume cap is used up."""


def _lapse_reason(queue: ReferralQueue, rooms: int, rent: float, allowed: np.ndarray | None) -> str:
    """Why nobody was referred to a claimed dwelling (``longest_waiting`` found no one)."""
    if queue.longest_waiting(rooms, rent, False, False, allowed) >= 0:
        return "barred"
    if queue.longest_waiting(1 << 8, 0.0, False, False, allowed) >= 0:
        return "no_fitting_household"
    return "nobody_waiting"


# --------------------------------------------------------------------------------------------------
# § 60: flexible letting (fleksibel udlejning)


def flexible_letting(
    listed: np.ndarray,
    agreed_share: np.ndarray,
    agreed_draw: np.ndarray,
    qualified_draw: np.ndarray,
    qualified_share: float,
) -> np.ndarray:
    """Which lettings go by flexible criteria (§ 60).

    Obligatory in udsatte boligområder and forebyggelsesområder (stk. 4, ``listed``); elsewhere
    for the agreed share of lettings. Not every flexible offer finds an applicant who meets the
    criteria: ``qualified_share`` of them do.
    """
    flexible: np.ndarray = (listed | (agreed_draw < agreed_share)) & (
        qualified_draw < qualified_share
    )
    return flexible


def meets_flexible_criteria(
    flags: ApplicantFlags, criteria: frozenset[FlexibleCriterion]
) -> np.ndarray:
    """Whether each applicant meets one of the agreed flexible-letting criteria (§ 60 stk. 1)."""
    meets = np.zeros(flags.employed.size, bool)
    if FlexibleCriterion.EMPLOYMENT in criteria:
        meets |= flags.employed
    if FlexibleCriterion.EDUCATION in criteria:
        meets |= flags.student
    if FlexibleCriterion.COMMUTER in criteria:
        meets |= flags.commuter
    if FlexibleCriterion.SENIOR_DOWNSIZING in criteria:
        meets |= flags.senior
    return meets


# --------------------------------------------------------------------------------------------------
# The waiting lists


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

    Holds references to the model's state; owns no state itself.

    Parameters
    ----------
    population, departments, areas, tally
        The model's state (shared, updated in place).
    agreement, applicants, behaviour
        The scenario's agreement, waiting-list applicant profile and household behaviour.
    rng
        The letting stream of the run.
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
    ) -> None:
        self.population = population
        self.departments = departments
        self.areas = areas
        self.tally = tally
        self.agreement = agreement
        self.applicants = applicants
        self.income_dispersion = behaviour.income_dispersion
        # the pool's steady state of work flows, among applicants not in education
        pool_outside = 1.0 - applicants.employed_share - applicants.student_share
        labour_force = max(1.0 - applicants.student_share, 1e-9)
        self.pool_employability = float(
            steady_employability(pool_outside / labour_force, behaviour)
        )
        self.rng = rng
        stock = population.stock
        organisation_of_slot = departments.organisation[stock.department]
        self._organisation_slots = np.argsort(organisation_of_slot, kind="stable")
        boundaries = np.searchsorted(
            organisation_of_slot[self._organisation_slots],
            np.arange(int(departments.organisation.max(initial=0)) + 2),
        )
        self._organisation_first = boundaries
        self.criteria = frozenset(agreement.flexible_criteria)

    # -- the month's lettings -----------------------------------------------------------------------

    def let(self, vacancies: np.ndarray, month: int) -> np.ndarray:
        """Let by flexible criteria (§ 60) or from the waiting lists, internal then external.

        Returns the dwellings that internal moves leave behind (to let in the next round).
        """
        if vacancies.size == 0:
            return vacancies
        stock = self.population.stock
        departments = self.departments
        department = stock.department[vacancies]
        area = departments.area[department]
        draws = self.rng.random((3, vacancies.size))
        flexible = flexible_letting(
            self.areas.listed[area],
            departments.flexible_share[department],
            draws[0],
            draws[2],
            self.applicants.flexible_qualified_share,
        )
        waiting_list = ~flexible
        internal = np.zeros(vacancies.size, bool)
        internal[waiting_list] = internal_list_turn(
            department[waiting_list],
            departments.internal_credit,
            self.applicants.internal_list_share,
        )
        internal &= draws[1] < self.applicants.internal_acceptance
        left_behind = np.empty(0, np.int64)
        if internal.any():
            moved, left_behind = self._move_internally(vacancies[internal], month)
            internal[np.flatnonzero(internal)[~moved]] = False
        external = ~internal
        if external.any():
            self.let_external(vacancies[external], month, flexible=flexible[external])
        return left_behind

    def _move_internally(self, vacancies: np.ndarray, month: int) -> tuple[np.ndarray, np.ndarray]:
        """Offer each dwelling to a sitting tenant of its organisation (same department first).

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
        found = usable.any(axis=1)
        mover = candidates[np.arange(count), usable.argmax(axis=1)]
        # one household moves once
        first = np.zeros(count, bool)
        _, unique_rows = np.unique(np.where(found, mover, -1 - np.arange(count)), return_index=True)
        first[unique_rows] = True
        found &= first
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

    def let_external(self, vacancies: np.ndarray, month: int, *, flexible: np.ndarray) -> None:
        """Let to waiting-list applicants, or by flexible criteria where ``flexible``.

        Applicants are drawn a few at a time per dwelling (most dwellings go to the first), then
        more for the dwellings where nobody qualified yet.
        """
        population = self.population
        department = population.stock.department[vacancies]
        chosen = HouseholdBatch.empty(vacancies.size)
        open_ = np.arange(vacancies.size)
        for round_, candidates in enumerate(CANDIDATES):
            found, picked = self._pick_applicants(
                vacancies[open_],
                department[open_],
                flexible[open_],
                candidates,
                month,
                last=round_ == len(CANDIDATES) - 1,
            )
            chosen_rows = open_[found]
            for name in HouseholdBatch.__dataclass_fields__:
                getattr(chosen, name)[chosen_rows] = getattr(picked, name)
            open_ = open_[~found]
            if open_.size == 0:
                break
        population.place(vacancies, chosen, month)
        self.tally.count_newcomers(self.population, vacancies, month)
        self.tally.add_lettings(Channel.FLEXIBLE, department[flexible])
        self.tally.add_lettings(Channel.EXTERNAL, department[~flexible])

    def _pick_applicants(
        self,
        vacancies: np.ndarray,
        department: np.ndarray,
        flexible: np.ndarray,
        candidates: int,
        month: int,
        *,
        last: bool,
    ) -> tuple[np.ndarray, HouseholdBatch]:
        """Draw ``candidates`` applicants per dwelling; return which dwellings found one, and them.

        Applicants refused under § 51 b / § 51 c before the one chosen are counted as refusals. In
        the ``last`` round a dwelling where nobody qualified goes to its last applicant, made to
        qualify (rare: see :func:`_qualify`).
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
            self.pool_employability,
            month,
        )
        refused = self._refused_applicants(flags, applying).reshape(count, candidates)
        meets = meets_flexible_criteria(flags, self.criteria).reshape(count, candidates)
        qualifies = ~refused & np.where(flexible[:, None], meets, True)
        found = np.asarray(qualifies.any(axis=1), bool)
        choice = np.where(found, qualifies.argmax(axis=1), candidates - 1)
        considered = np.arange(candidates)[None, :] < np.where(found, choice, candidates)[:, None]
        np.add.at(self.tally.refusals, department, (refused & considered).sum(axis=1))
        if last:
            picked = batch.select(np.arange(count) * candidates + choice)
            _qualify(picked, ~found & flexible, month, everyone=~found)
            return np.ones(count, bool), picked
        return found, batch.select((np.arange(count) * candidates + choice)[found])

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

        For a sitting tenant the model knows months outside work, not the benefit: an adult
        18–64 outside work counts as on kontanthjælp-type benefits [A].
        """
        combined, mandatory = self._refusal_rules(department)
        if not (combined.any() or mandatory.any()):
            return np.zeros(movers.size, bool)
        population = self.population
        outside = working_age(population.adult[movers], population.born[movers], month)
        outside &= population.status[movers] == Status.OUTSIDE
        six_months = (outside & (population.outside_since[movers] <= month - 6)).any(axis=1)
        refused: np.ndarray = combined_letting_refusals(
            six_months, np.zeros(movers.size, bool), combined
        ) | transformation_area_refusals(np.asarray(outside.any(axis=1)), mandatory)
        return refused


def _qualify(
    batch: HouseholdBatch, flexible: np.ndarray, month: int, *, everyone: np.ndarray
) -> None:
    """Make households pass the refusal rules (``everyone``) and the criteria (``flexible``).

    Those at ``flexible`` get their first adult into work. Used only when none of the applicants drawn for a dwelling qualified (rare): the dwelling is
    let to the closest one rather than left empty.
    """
    rows = np.flatnonzero(everyone)
    batch.outside_since[rows] = month
    first_adult = flexible & working_age(batch.adult[:, 0], batch.born[:, 0], month)
    batch.status[first_adult, 0] = Status.EMPLOYED
