"""The agent-based model: years of move-outs and lettings under an agreement, month by month.

One :meth:`HousingModel.step` is one month; who acts is in :mod:`simulation.agents`::

    the municipality re-plans (optimised policy)
    households move out and live their lives (vectorised, :mod:`simulation.people.population`)
    the municipality takes in this month's urgent households
    round by round, until no vacancy is left: the municipality claims its share (§ 59),
        the housing organisations let the rest (§ 60, waiting lists, § 51 b, § 51 c); a
        dwelling whose applicants are all refused waits for next month
    1 December: the ministry publishes the lists; the organisations take the agreement's tiers
    the month is recorded

Examples
--------
>>> from simulation.model import HousingModel
>>> from simulation.inputs.scenario import load_scenario
>>> model = HousingModel(load_scenario("scenarios/eksempelby.toml"), seed=1, years=2)  # doctest: +SKIP
>>> model.run()  # doctest: +SKIP
>>> model.tables().area_year.groupby("year")["udsat"].sum()  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import mesa
import numpy as np
import pandas as pd

from simulation.agents import HousingOrganisations, Ministry, Municipality
from simulation.inputs.departments import area_names
from simulation.inputs.scenario import Area, LoadedScenario
from simulation.law.regimes import LIST_COLUMNS
from simulation.people.households import DepartmentMix, applicant_mix, pool_mix, trended_intake
from simulation.people.population import (
    DepartmentCounts,
    MonthlyRates,
    Population,
    build_stock,
    life_events,
    monthly,
    move_out,
    move_out_hazard,
    selective_pull,
    synthesise,
    yearly_deaths,
)
from simulation.people.state import (
    DEPARTMENT_PAYS,
    PAYERS,
    AreaState,
    Channel,
    DepartmentState,
    Tally,
)
from simulation.planning import Planner, planner_for, subgroup_ids
from simulation.rules.agreement import INDICATORS
from simulation.rules.december import Publication, Register
from simulation.rules.indicators import department_indicators
from simulation.rules.letting import MAX_CHAIN, LettingOffice, MovingIn
from simulation.rules.plans import DevelopmentPlans
from simulation.rules.referrals import ReferralQueue

__all__ = ["HousingModel", "ModelTables", "Streams"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Streams:
    """The random streams of one run, all spawned from the run's seed sequence.

    Each phase draws from its own stream, so that two scenarios run with the same seed draw the
    same initial population, the same referral arrivals and the same life events wherever they do
    not differ (common random numbers), even when their lettings differ.
    """

    population: np.random.Generator
    moves: np.random.Generator
    life: np.random.Generator
    referrals: np.random.Generator
    letting: np.random.Generator
    mesa: np.random.Generator
    plans: np.random.Generator

    @classmethod
    def from_seed(cls, seed: int | np.random.SeedSequence) -> Streams:
        """Spawn the streams from an integer seed or a seed sequence."""
        sequence = (
            seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
        )
        # the children spawn() would give, made without spawning: the sequence is not used up, so
        # the same sequence object always gives the same streams
        children = [
            np.random.SeedSequence(
                sequence.entropy,
                spawn_key=(*sequence.spawn_key, index),
                pool_size=sequence.pool_size,
            )
            for index in range(7)
        ]
        return cls(*(np.random.default_rng(child) for child in children))


@dataclass(frozen=True)
class ModelTables:
    """The tidy tables of one run; see :mod:`simulation.experiments.results` for the columns."""

    department_year: pd.DataFrame
    area_year: pd.DataFrame
    referrals: pd.DataFrame
    monthly: pd.DataFrame
    plan_adherence: pd.DataFrame
    lapsed_claims: pd.DataFrame


class HousingModel(mesa.Model):
    """Social housing of one municipality (or the country) under a letting and referral agreement.

    Parameters
    ----------
    loaded
        The scenario with its department data.
    seed
        Seed of the run: an integer or a :class:`numpy.random.SeedSequence` (a replication's).
    years
        Years to simulate (default: the scenario's horizon).
    planner
        Makes referral plans; default: the one of the scenario's placement policy (the referral
        LP of :mod:`optimisation` for ``optimised``, see :mod:`simulation.planning`).
    check_invariants
        Check after every month that households are conserved, that every vacant dwelling is
        one left unlet for next month, and that no barred household was referred into a listed
        area (slower; for tests).
    """

    def __init__(
        self,
        loaded: LoadedScenario,
        *,
        seed: int | np.random.SeedSequence = 0,
        years: int | None = None,
        planner: Planner | None = None,
        check_invariants: bool = False,
    ) -> None:
        streams = Streams.from_seed(seed)
        super().__init__(rng=streams.mesa)
        self.streams = streams
        self.loaded = loaded
        # the scenario is self.loaded.scenario: Mesa 3.5's Model.scenario is Mesa's own kind
        scenario = loaded.scenario
        self.years = years if years is not None else scenario.horizon.years
        self.start_year = scenario.horizon.start_year
        self.month = 0
        self.check_invariants = check_invariants
        frame = loaded.departments

        self.stock = build_stock(frame)
        self.population: Population = synthesise(
            self.stock, frame, scenario.behaviour, self.start_year, streams.population
        )
        self.rates = MonthlyRates.from_behaviour(scenario.behaviour)
        self._intake: DepartmentMix | None = None  # what applicants are, day 0 (set at _publish)
        self.departments = _department_state(frame)
        self.areas = _area_state(frame, scenario.areas)
        self.tally = Tally(self.departments.count)
        self.plans = DevelopmentPlans(
            self.population,
            self.departments.area,
            self.areas.ids,
            self.departments.ids,
            scenario.areas,
            streams.plans,
        )
        self.queue = ReferralQueue(
            scenario.referral_groups,
            streams.referrals,
            self.start_year,
            scenario.behaviour,
            prevention_bans_include_benefits=scenario.legal.prevention_bans_include_benefits,
        )
        office = LettingOffice(
            self.population,
            self.departments,
            self.areas,
            self.tally,
            scenario.agreement,
            scenario.applicants,
            scenario.behaviour,
            streams.letting,
            start_year=self.start_year,
        )
        turnover = frame["turnover_share"].fillna(scenario.behaviour.turnover_share_per_year)
        self.departments.turnover = turnover.to_numpy(np.float64)
        internal = scenario.applicants.internal_list_share * scenario.applicants.internal_acceptance
        self.hazard = move_out_hazard(
            self.departments.turnover,
            internal,
            yearly_deaths(self.population, self.rates, 0),
            selective_pull(self.population, self.rates, 0),
        )
        if planner is None:
            planner = planner_for(scenario.agreement)

        # the actors (Mesa agents, in self.agents): see simulation.agents
        self.ministry = Ministry(self, scenario, self.departments, self.areas)
        self.municipality = Municipality(
            self,
            self.queue,
            population=self.population,
            departments=self.departments,
            areas=self.areas,
            tally=self.tally,
            planner=planner,
            replan_every_months=scenario.optimiser.replan_every_months,
            volume_per_year=scenario.agreement.referral_volume_per_year,
        )
        self.organisations = HousingOrganisations(self, office, self.departments)
        # time to let: households move in after empty months (drawn from a child of the letting
        # stream, so the letting stream itself is not disturbed)
        self.moving_in: MovingIn | None = None
        if any(dict(scenario.behaviour.time_to_let_months).values()):
            sequence = streams.letting.bit_generator.seed_seq
            assert isinstance(sequence, np.random.SeedSequence)
            child = np.random.SeedSequence(
                sequence.entropy, spawn_key=(*sequence.spawn_key, 0), pool_size=sequence.pool_size
            )
            self.moving_in = MovingIn(
                self.population,
                self.tally,
                scenario.behaviour.time_to_let_months,
                np.random.default_rng(child),
            )
            office.moving_in = self.municipality.moving_in = self.moving_in

        self._department_rows: list[pd.DataFrame] = []
        self._area_rows: list[pd.DataFrame] = []
        self._monthly: list[dict[str, float]] = []
        self._january_residents = frame["residents"].to_numpy(np.float64)
        self._pending = np.flatnonzero(~self.population.occupied)  # vacant on day 0
        self._month_vacancies = 0

        legal_lag = scenario.legal.data_lag_years
        self.register = Register()  # the yearly figures decisions read (the data lag)
        self._keep_years = max(legal_lag, scenario.agreement.data_lag_years)
        initial = self.population.counts(self.start_year - 1, -1)
        self._tier_data_year: int | None = None  # no agreement in force before the start
        self._record_year(self.start_year - 1, initial)
        self._publish(self.start_year - 1, initial, residents_january=self._january_residents)

    # -- the month ---------------------------------------------------------------------------------

    @property
    def year(self) -> int:
        """The calendar year of the current month."""
        return self.start_year + self.month // 12

    @property
    def vacant(self) -> np.ndarray:
        """Dwellings vacant between months: those no applicant could be let to (all refused).

        They are let again, from the municipality's claim on, in the next month.
        """
        return self._pending

    @property
    def month_of_year(self) -> int:
        """The current month, 0 = January."""
        return self.month % 12

    def step(self) -> None:
        """Simulate one month: who acts, in the order of the law (see the module docstring)."""
        if self.month_of_year == 0:
            self._start_year()
        self.municipality.plan_referrals(self.month, self)
        households = int(self.population.occupied.sum())
        lettings = self.tally.lettings.sum(axis=1)
        left = self._move_out()
        emptied = self._life_events()
        self.municipality.take_in(self.month)
        vacancies = self._rehouse(np.concatenate([self._pending, left, emptied]))
        self._let(vacancies)
        if self.check_invariants:
            self._check(households - left.size - emptied.size, lettings)
        if self.month_of_year == 11:
            self._first_of_december()
        self._collect_month()
        self.month += 1

    def release(self) -> None:
        """Let this model be freed once it is no longer referenced.

        Mesa 3.3 numbers agents per model in a class-level dictionary keyed by the model (mesa
        issue #3179, fixed upstream by PR #3180), which keeps every model ever built alive; a
        process that runs many replications calls this after each.
        """
        ids = getattr(mesa.Agent, "_ids", None)
        if isinstance(ids, dict):
            ids.pop(self, None)

    def run(self, progress: Callable[[int], None] | None = None) -> ModelTables:
        """Simulate every month of the horizon; call ``progress(1)`` after each month."""
        for _ in range(self.years * 12):
            self.step()
            if progress is not None:
                progress(1)
        return self.tables()

    # -- phases --------------------------------------------------------------------------------------

    def _start_year(self) -> None:
        self.tally.reset()
        self._carry_out_plans()  # § 168 a measures take effect on 1 January
        self._january_residents = self.population.residents()
        trends = self.loaded.scenario.trends
        if trends.job_finding_change_per_year:
            behaviour = self.loaded.scenario.behaviour
            years = self.year - (self.start_year - 1)
            boost = (1.0 + trends.job_finding_change_per_year) ** years
            self.rates = dataclasses.replace(
                self.rates, job_finding=monthly(min(behaviour.job_finding_per_year * boost, 1.0))
            )

    def _carry_out_plans(self) -> None:
        """The year's development-plan measures; dwellings spoken for go last.

        A held dwelling a measure takes ends its hold (the claim lapses); households let a
        dwelling a measure takes, and not yet moved in, join the rehousing queue.
        """
        accounting = self.municipality.accounting
        busy = [accounting.held_slots]
        if self.moving_in is not None:
            busy.append(self.moving_in.reserved)
        self.plans.start_year(self.year, np.concatenate(busy))
        removed = self.plans.removed
        if accounting.held:
            accounting.give_up(removed, self.month, self.municipality.lapses)
        if self.moving_in is not None:
            cancelled = self.moving_in.cancel(removed)
            if cancelled is not None:
                self.plans.rehouse_let(*cancelled)

    def _move_out(self) -> np.ndarray:
        leaving = move_out(
            self.population,
            self.hazard,
            self.departments.outside_share,
            self.rates,
            self.month,
            self.streams.moves,
        )
        np.add.at(self.tally.move_outs, self.stock.department[leaving], 1)
        return leaving

    def _life_events(self) -> np.ndarray:
        emptied = life_events(self.population, self.rates, self.month, self.year, self.streams.life)
        # referred households live on: work or education, failed tenancies (back in the queue)
        emptied = np.concatenate([emptied, self.queue.live_on(self.population, self.month)])
        np.add.at(self.tally.move_outs, self.stock.department[emptied], 1)
        return emptied

    def _rehouse(self, vacancies: np.ndarray) -> np.ndarray:
        """Households a development plan moved out take up to 1 in 3 vacancies (§ 59 stk. 1)."""
        return self.plans.rehouse(vacancies, self.areas.listed, self.month)

    def _let(self, vacancies: np.ndarray) -> None:
        """Let every vacancy: the municipality claims first, the organisations let the rest.

        A sitting tenant who moves on the internal list leaves a dwelling behind, let in the next
        round (a vacancy chain); after :data:`~simulation.rules.letting.MAX_CHAIN` rounds the rest
        go to the external list. A dwelling whose applicants were all refused (§ 51 b, § 51 c)
        stays vacant and is let again next month, from the start (``_pending``).
        """
        self._month_vacancies = int(vacancies.size)
        if self.moving_in is not None:
            self.moving_in.move_in(self.month)
        # dwellings the municipality held for a referral: referred now, or released to the lists
        released = self.municipality.review_held(self.month)
        rng = self.streams.letting
        unlet = [np.empty(0, np.int64)]
        for _ in range(MAX_CHAIN):
            if vacancies.size == 0 and released.size == 0:
                break
            vacancies = vacancies[rng.permutation(vacancies.size)]
            referred = self.municipality.claim(vacancies, self.month)
            to_let = vacancies[~referred]
            if released.size:  # their claim was made (and has lapsed): straight to the lists
                to_let, released = np.concatenate([to_let, released]), released[:0]
            outcome = self.organisations.let(to_let, self.month)
            unlet.append(outcome.unlet)
            vacancies = outcome.left_behind
        if vacancies.size:  # a chain longer than MAX_CHAIN rounds
            unlet.append(self.organisations.let_from_external_list(vacancies, self.month))
        self._pending = np.concatenate(unlet).astype(np.int64)
        self.municipality.count_held_months()
        if self.moving_in is not None:
            self.moving_in.count_empty_months(self._pending)
        else:
            self.tally.add_vacant_month(
                DEPARTMENT_PAYS,
                self.stock.department[self._pending],
                self.stock.rent[self._pending],
            )

    def _first_of_december(self) -> None:
        counts = self.population.counts(self.year, self.month)
        self._record_year(self.year, counts)  # with the tier in force during the year
        self._publish(self.year, counts, residents_january=self._january_residents)

    def _collect_month(self) -> None:
        waiting = self.queue.waiting_by_group()
        row: dict[str, float] = {
            "month": self.month,
            "year": self.year,
            "households": int(self.population.occupied.sum()),
            "vacancies": self._month_vacancies,
            "referral_queue": int(waiting.sum()),
            "rehousing_queue": self.plans.queue_length,
        }
        for group, count in zip(self.queue.group_ids, waiting.tolist(), strict=True):
            row[f"queue_{group}"] = count
        self._monthly.append(row)

    # -- 1 December: the legal lists, their consequences and the tiers -----------------------------------

    def _publish(
        self, year: int, counts: DepartmentCounts, *, residents_january: np.ndarray
    ) -> Publication:
        """1 December: the ministry publishes, the organisations take the agreement's tiers.

        The lists and the tiers read the register figures of their lag's year (the department
        data while the run is younger than the lag).
        """
        scenario = self.loaded.scenario
        self.register.record(year, counts, keep_years=self._keep_years)
        data_year, figures = self.register.read(year, scenario.legal.data_lag_years)
        tier_data_year, tier_figures = self.register.read(year, scenario.agreement.data_lag_years)
        publication = self.ministry.publish(
            year,
            figures,
            residents_january=residents_january,
            data_year=data_year,
            tier_counts=tier_figures,
            tier_data_year=tier_data_year,
        )
        self.organisations.take_agreement(publication)
        self._tier_data_year = publication.tier_data_year
        plans = self.plans
        self._area_rows.append(
            _area_row(publication, self.areas.names).assign(
                family_dwellings=plans.family_dwellings(),
                family_dwellings_share=plans.family_share(),
                rehoused_out=plans.year.rehoused_out.copy(),
                left_with_sale=plans.year.left_with_sale.copy(),
            )
        )
        self._sort_applicants(year, _mix(counts, self.population))
        return publication

    def _sort_applicants(self, year: int, residents: DepartmentMix) -> None:
        """What applicants to each department look like in the coming year (see households)."""
        scenario = self.loaded.scenario
        if self._intake is None:  # day 0
            self._intake = (
                residents
                if scenario.applicants.applicant_anchor == "department"
                else pool_mix(scenario.applicants, scenario.behaviour, self.departments.count)
            )
        intake = trended_intake(
            self._intake, scenario.trends, scenario.behaviour, year + 1 - (self.start_year - 1)
        )
        self.departments.mix = applicant_mix(residents, intake, scenario.applicants)
        self.departments.outside_share = residents.outside_share

    def _record_year(self, year: int, counts: DepartmentCounts) -> None:
        indicators = department_indicators(
            counts,
            self.loaded.scenario.regional_mean_income(year),
            self.loaded.scenario.municipality.national_conviction_share,
        )
        departments = self.departments
        tiers = self.loaded.scenario.agreement.tiers
        frame = pd.DataFrame(
            {
                "year": year,
                "department": departments.ids,
                "area": departments.area_ids,
                "organisation": departments.organisation_ids,
                "dwellings": self.plans.dwellings_by_department(),
                "households": counts.households.astype(np.int64),
                "residents": counts.residents.astype(np.int64),
                "adults_18_64": counts.adults_18_64.astype(np.int64),
                **{column: indicators[column].to_numpy() for column in INDICATORS},
                "move_outs": self.tally.move_outs.copy(),
                "lettings_referral": self.tally.lettings[Channel.REFERRAL].copy(),
                "lettings_flexible": self.tally.lettings[Channel.FLEXIBLE].copy(),
                "lettings_internal": self.tally.lettings[Channel.INTERNAL].copy(),
                "lettings_external": self.tally.lettings[Channel.EXTERNAL].copy(),
                "refusals": self.tally.refusals.copy(),
                **{
                    f"vacant_months_{payer}": self.tally.vacant_months[index].copy()
                    for index, payer in enumerate(PAYERS)
                },
                **{
                    f"vacant_rent_{payer}_kr": self.tally.vacant_rent[index].copy()
                    for index, payer in enumerate(PAYERS)
                },
                "new_adults_18_64": self.tally.new_adults.copy(),
                "new_adults_in_work_or_education": self.tally.new_adults_active.copy(),
                "rehoused_in": self.plans.rehoused_in.copy(),
                "tier": [tiers[t].name if t >= 0 else "" for t in departments.tier.tolist()],
                "referral_share_agreed": departments.referral_share.copy(),
                "tier_data_year": pd.array(
                    [self._tier_data_year] * departments.count, dtype="Int64"
                ),
            }
        )
        self._department_rows.append(frame)

    def department_figures(self) -> DepartmentCounts:
        """The department figures the municipality plans from now (``agreement.data_lag_years``).

        With no lag, the state of the day; otherwise the register figures of that many years ago.
        """
        lag = self.loaded.scenario.agreement.data_lag_years
        if lag == 0:
            return self.population.counts(self.year, self.month)
        return self.register.read(self.year, lag)[1]

    # -- results ---------------------------------------------------------------------------------------

    def tables(self) -> ModelTables:
        """The run's tables so far: department × year, area × year, referrals, months, plans."""
        referrals = self.queue.table(self.month)
        index = referrals.pop("department_index").to_numpy()
        ids = self.departments.ids
        department = [ids[i] if i >= 0 else None for i in index.tolist()]
        referrals.insert(4, "department", pd.Series(department, dtype="string"))
        return ModelTables(
            department_year=pd.concat(self._department_rows, ignore_index=True),
            area_year=pd.concat(self._area_rows, ignore_index=True),
            referrals=referrals,
            monthly=pd.DataFrame(self._monthly),
            plan_adherence=self.municipality.plan_adherence(
                list(ids), subgroup_ids(self.loaded.scenario.referral_groups), self.month
            ),
            lapsed_claims=self.municipality.lapsed_claims(list(ids)),
        )

    # -- invariants ---------------------------------------------------------------------------------------

    def _check(self, households_staying: int, lettings_before: np.ndarray) -> None:
        """Check this month's invariants.

        Households are conserved; every dwelling is occupied or left unlet for next month (and
        counted in ``_pending``); no barred household was referred into a listed area.
        """
        occupied = int(self.population.occupied.sum())
        if occupied > self.stock.dwellings:
            raise AssertionError("more households than dwellings")
        new = self.tally.lettings.sum(axis=1) - lettings_before
        arrived = int(new[Channel.REFERRAL] + new[Channel.FLEXIBLE] + new[Channel.EXTERNAL])
        arrived += self.plans.rehoused_this_month
        reserved = np.empty(0, np.int64)
        if self.moving_in is not None:  # let, but moving in after empty months
            arrived += self.moving_in.moved_in_this_month - self.moving_in.parked_this_month
            reserved = self.moving_in.reserved
        if occupied != households_staying + arrived:
            raise AssertionError(
                f"month {self.month}: {occupied} households, expected {households_staying} staying "
                f"+ {arrived} moving in"
            )
        dwellings = self.stock.dwellings - int(self.plans.removed.sum())
        vacant = dwellings - occupied
        empty = np.concatenate([self._pending, reserved, self.municipality.accounting.held_slots])
        if (
            vacant != empty.size
            or np.unique(empty).size != empty.size
            or self.population.occupied[empty].any()
        ):
            raise AssertionError(
                f"month {self.month}: {vacant} dwellings vacant, but {self._pending.size} "
                f"left unlet (every applicant refused) to let next month, {reserved.size} let "
                "and waiting for their household, and the ones held for a referral"
            )
        for referral_id, month in enumerate(self.queue.housed_month):
            if month != self.month:
                continue
            department = self.queue.department[referral_id]
            area = self.departments.area[department]
            if self.queue.barred_udsat[referral_id] and self.areas.udsat[area]:
                raise AssertionError(f"barred referral {referral_id} placed in an udsat area")
            if self.queue.barred_prevention[referral_id] and self.areas.forebyggelsesomraade[area]:
                raise AssertionError(
                    f"barred referral {referral_id} placed in a forebyggelsesområde"
                )


# --------------------------------------------------------------------------------------------------
# Helpers: from department data and counts to state and tables


def _department_state(frame: pd.DataFrame) -> DepartmentState:
    organisations = sorted(set(frame["organisation"]))
    areas = list(dict.fromkeys(frame["area"]))
    organisation_index = {name: i for i, name in enumerate(organisations)}
    area_index = {name: i for i, name in enumerate(areas)}
    count = len(frame)
    empty = np.zeros(count)
    return DepartmentState(
        ids=list(frame["department"]),
        names=list(frame["name"]),
        organisation_ids=list(frame["organisation"]),
        area_ids=list(frame["area"]),
        organisation=np.array([organisation_index[o] for o in frame["organisation"]], np.int64),
        area=np.array([area_index[a] for a in frame["area"]], np.int64),
        turnover=empty.copy(),
        referral_share=np.full(count, np.nan),  # no agreement in force before the first December
        flexible_share=np.full(count, np.nan),
        tier=np.full(count, -1, np.int64),
        referral_credit=empty.copy(),
        internal_credit=empty.copy(),
        outside_share=empty.copy(),
        mix=DepartmentMix(
            empty.copy(), empty.copy(), empty.copy(), np.ones(count), np.ones(count), np.ones(count)
        ),
    )


def _area_state(frame: pd.DataFrame, named: Mapping[str, Area]) -> AreaState:
    """The areas, named by the scenario; a department outside any area by its own name."""
    ids = list(dict.fromkeys(frame["area"]))
    names = area_names(frame, named, ids)
    false = np.zeros(len(ids), bool)
    return AreaState(
        ids, names, false.copy(), false.copy(), false.copy(), false.copy(), false.copy()
    )


def _area_row(publication: Publication, names: list[str]) -> pd.DataFrame:
    """The published values of one December as a tidy area × year frame (shares 0–1)."""
    now, published = publication.areas, publication.published
    return pd.DataFrame(
        {
            "year": publication.year,
            "data_year": publication.data_year,
            "area": now.index.to_numpy(),
            "area_name": names,
            "residents": now["residents"].to_numpy(np.int64),
            "outside_work_education_share": published["outside_work_education_pct"].to_numpy()
            / 100,
            "conviction_ratio": published["conviction_ratio"].to_numpy(),
            "basic_education_share": now["basic_education_pct"].to_numpy() / 100,
            "income_ratio_region": now["income_pct_of_region"].to_numpy() / 100,
            "nonwestern_share": now["nonwestern_pct"].to_numpy() / 100,
            "criteria_met": now["criteria_met"].to_numpy(np.int64),
            "prevention_criteria_met": now["prevention_criteria_met"].to_numpy(np.int64),
            **{column: now[column].to_numpy(bool) for column in LIST_COLUMNS},
            "parallelsamfund_years": now["parallelsamfund_years"].to_numpy(np.int64),
        }
    )


def _mix(counts: DepartmentCounts, population: Population) -> DepartmentMix:
    """Per department: its residents' shares (the criteria's) and mean personal factors."""
    starts = population.stock.first_slot[:-1]
    adult = population.adult
    adults = np.add.reduceat(adult, starts, axis=0).sum(axis=1)

    def mean(values: np.ndarray) -> np.ndarray:
        summed = np.add.reduceat(np.where(adult, values, 0.0), starts, axis=0, dtype=np.float64)
        total = summed.sum(axis=1)
        result: np.ndarray = np.where(adults > 0, total / np.maximum(adults, 1), 1.0)
        return result

    return DepartmentMix(
        outside_share=counts.outside_18_64 / np.maximum(counts.adults_18_64, 1),
        basic_share=counts.basic_30_59 / np.maximum(counts.adults_30_59, 1),
        nonwestern_share=counts.nonwestern / np.maximum(counts.residents, 1),
        income_level=mean(population.income_level),
        employability=mean(population.employability),
        conviction_risk=mean(population.conviction_risk),
    )
