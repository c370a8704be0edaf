"""Letting: every vacancy through the precedence of the law (DOMAIN.md §1).

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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.inputs.scenario import Agreement, Applicants, Behaviour, FlexibleCriterion
from simulation.people.households import ApplicantFlags, draw_applicants
from simulation.people.population import HouseholdBatch, Population, Status, steady_employability
from simulation.people.state import AreaState, Channel, DepartmentState, Tally
from simulation.rules.referrals import ReferralQueue

__all__ = ["CANDIDATES", "LettingOffice"]

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


@dataclass
class Plan:
    """Referrals the municipality still means to make (the ``optimised`` policy).

    ``remaining`` has one row per department and one column per waiting class, index
    ``2 * group + barred`` (barred: a trait barred from udsatte boligområder).
    """

    remaining: np.ndarray


class LettingOffice:
    """Lets the vacancies of a month. Holds references to the model's state; owns no state itself.

    Parameters
    ----------
    population, departments, areas, queue, tally
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
        queue: ReferralQueue,
        tally: Tally,
        agreement: Agreement,
        applicants: Applicants,
        behaviour: Behaviour,
        rng: np.random.Generator,
    ) -> None:
        self.population = population
        self.departments = departments
        self.areas = areas
        self.queue = queue
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
        self.plan: Plan | None = None
        stock = population.stock
        organisation_of_slot = departments.organisation[stock.department]
        self._organisation_slots = np.argsort(organisation_of_slot, kind="stable")
        boundaries = np.searchsorted(
            organisation_of_slot[self._organisation_slots],
            np.arange(int(departments.organisation.max(initial=0)) + 2),
        )
        self._organisation_first = boundaries
        criteria = set(agreement.flexible_criteria)
        self._criteria = criteria

    # -- the month's lettings -----------------------------------------------------------------------

    def let(self, vacancies: np.ndarray, month: int) -> None:
        """Let every dwelling in ``vacancies`` (and the vacancies its lettings leave behind)."""
        for _ in range(MAX_CHAIN):
            if vacancies.size == 0:
                return
            order = self.rng.permutation(vacancies.size)
            vacancies = vacancies[order]
            referred = self._refer(vacancies, month)
            vacancies = self._let_from_lists(vacancies[~referred], month)
        # a chain longer than MAX_CHAIN rounds: let the rest from the external list
        if vacancies.size:
            self._let_external(vacancies, month, flexible=np.zeros(vacancies.size, bool))

    def _refer(self, vacancies: np.ndarray, month: int) -> np.ndarray:
        """Municipal referral for the vacancies it may claim; return which were referred."""
        stock = self.population.stock
        departments = self.departments
        share = departments.referral_share
        credit = departments.referral_credit
        area_of = departments.area
        udsat = self.areas.udsat
        prevention = self.areas.forebyggelsesomraade
        referred = np.zeros(vacancies.size, bool)
        slot_department = stock.department[vacancies]
        candidates = np.flatnonzero(share[slot_department] > 0)
        if candidates.size == 0 or self.queue.waiting() == 0:
            # nobody to refer: each vacancy still counts toward the share, and claims lapse
            np.add.at(credit, slot_department, share[slot_department])
            credit -= np.floor(credit + 1e-9)
            return referred
        plan = self.plan
        placed_slots: list[int] = []
        placed: list[int] = []
        placed_departments: list[int] = []
        rooms = stock.rooms
        rent = stock.rent
        for position in candidates.tolist():
            slot = int(vacancies[position])
            department = int(slot_department[position])
            credit[department] += share[department]
            if credit[department] < 1.0 - 1e-9:
                continue
            credit[department] -= 1.0  # the vacancy is the municipality's to claim or let go
            area = area_of[department]
            allowed = None
            if plan is not None:
                allowed = plan.remaining[department] > 1e-9
                if not allowed.any():
                    continue
            referral_id = self.queue.longest_waiting(
                int(rooms[slot]),
                float(rent[slot]),
                bool(udsat[area]),
                bool(prevention[area]),
                allowed,
            )
            if referral_id < 0:
                continue
            self.queue.house(referral_id, month, department)
            placed.append(referral_id)
            placed_slots.append(slot)
            placed_departments.append(department)
            referred[position] = True
            if plan is not None:
                waiting_class = (
                    2 * self.queue.group[referral_id] + self.queue.barred_udsat[referral_id]
                )
                plan.remaining[department, waiting_class] -= 1.0
        if placed:
            slots = np.asarray(placed_slots, np.int64)
            self.population.place(slots, self.queue.households(placed), month)
            self.tally.add_lettings(Channel.REFERRAL, np.asarray(placed_departments, np.int64))
            self._count_newcomers(slots, month)
        return referred

    def _let_from_lists(self, vacancies: np.ndarray, month: int) -> np.ndarray:
        """Flexible, internal and external lettings; return the vacancies internal moves leave."""
        if vacancies.size == 0:
            return vacancies
        stock = self.population.stock
        departments = self.departments
        department = stock.department[vacancies]
        area = departments.area[department]
        draws = self.rng.random((3, vacancies.size))
        flexible = self.areas.listed[area] | (draws[0] < departments.flexible_share[department])
        # not every flexible offer finds an applicant who meets the criteria
        flexible &= draws[2] < self.applicants.flexible_qualified_share
        waiting_list = ~flexible
        internal = np.zeros(vacancies.size, bool)
        internal[waiting_list] = self._internal_turn(department[waiting_list])
        internal &= draws[1] < self.applicants.internal_acceptance
        left_behind = np.empty(0, np.int64)
        if internal.any():
            moved, left_behind = self._move_internally(vacancies[internal], month)
            internal[np.flatnonzero(internal)[~moved]] = False
        external = ~internal
        if external.any():
            self._let_external(vacancies[external], month, flexible=flexible[external])
        return left_behind

    def _internal_turn(self, department: np.ndarray) -> np.ndarray:
        """Which waiting-list lettings go to the internal list (every 2nd per department)."""
        share = self.applicants.internal_list_share
        credit = self.departments.internal_credit
        order = np.argsort(department, kind="stable")
        sorted_departments = department[order]
        starts = np.flatnonzero(np.r_[True, sorted_departments[1:] != sorted_departments[:-1]])
        rank = np.arange(department.size) - np.repeat(
            starts, np.diff(np.r_[starts, department.size])
        )
        before = credit[sorted_departments] + rank * share
        turn_sorted = np.floor(before + share + 1e-9) > np.floor(before + 1e-9)
        counts = np.bincount(department, minlength=credit.size)
        credit += counts * share
        credit -= np.floor(credit + 1e-9)
        turn = np.empty(department.size, bool)
        turn[order] = turn_sorted
        return turn

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
            self._count_newcomers(targets, month)
            np.add.at(self.tally.move_outs, stock.department[movers], 1)
        return found, movers

    def _let_external(self, vacancies: np.ndarray, month: int, *, flexible: np.ndarray) -> None:
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
        self._count_newcomers(vacancies, month)
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
        meets = self._meets_criteria(flags).reshape(count, candidates)
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

    def _count_newcomers(self, slots: np.ndarray, month: int) -> None:
        """Count the adults 18–64 who just moved into ``slots``, and those in work or education."""
        population = self.population
        working_age = population.adult[slots] & (population.born[slots] > month - 65 * 12)
        active = working_age & (population.status[slots] <= Status.STUDENT)
        department = population.stock.department[slots]
        size = self.tally.departments
        self.tally.new_adults += np.bincount(department, working_age.sum(axis=1), size).astype(
            np.int64
        )
        self.tally.new_adults_active += np.bincount(department, active.sum(axis=1), size).astype(
            np.int64
        )

    # -- rules -----------------------------------------------------------------------------------------

    def _meets_criteria(self, flags: ApplicantFlags) -> np.ndarray:
        criteria = self._criteria
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

    def _refusal_rules(self, department: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per letting, whether § 51 b (combined letting) and § 51 c apply."""
        area = self.departments.area[department]
        combined = np.zeros(department.size, bool)
        if self.agreement.combined_letting:
            combined = self.areas.combined_letting_allowed[area]
        mandatory = self.areas.omdannelsesomraade[area]
        return combined, mandatory

    def _refused_applicants(self, flags: ApplicantFlags, department: np.ndarray) -> np.ndarray:
        combined, mandatory = self._refusal_rules(department)
        barred = flags.cash_benefit_6_months
        if self.agreement.combined_letting_extended:
            barred = barred | flags.extended
        refused: np.ndarray = (combined & barred) | (mandatory & flags.cash_benefit)
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
        outside = population.adult[movers] & (population.status[movers] == Status.OUTSIDE)
        outside &= population.born[movers] > month - 65 * 12
        six_months = (outside & (population.outside_since[movers] <= month - 6)).any(axis=1)
        refused: np.ndarray = (combined & six_months) | (mandatory & outside.any(axis=1))
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
    first_adult = flexible & batch.adult[:, 0] & (batch.born[:, 0] > month - 65 * 12)
    batch.status[first_adult, 0] = Status.EMPLOYED
