"""Households, stored column-wise: one row per dwelling, up to three adults per household.

The model's households live in numpy arrays indexed by dwelling (a "slot"): a vacant dwelling has no
household. Persons matter for the legal criteria, so each household keeps its adults (age,
attachment to work or education, basic-school-only education, income level, last conviction, months
on benefits) and a count of children; origin and citizenship are kept per household. Whole
municipalities, or the whole country, step in vectorised passes.

Because every random draw of a month is made per dwelling (or per adult place) from a fixed-size
array, replication *r* of two scenarios draws the same numbers for the same dwelling wherever the
scenarios do not differ: common random numbers for paired comparisons.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import IntEnum

import numpy as np
import pandas as pd

from simulation.inputs.departments import DWELLING_COLUMNS, RENT_COLUMNS
from simulation.inputs.scenario import Behaviour

__all__ = [
    "MAX_ADULTS",
    "PENSION_AGE_MONTHS",
    "DepartmentCounts",
    "HouseholdBatch",
    "Population",
    "Status",
    "Stock",
    "build_stock",
    "steady_employability",
    "steady_outside_share",
    "synthesise",
    "under_pension_age",
    "working_age",
]

PENSION_AGE_MONTHS = 65 * 12
"""Age (months) at which an adult leaves the working-age population 18–64 the criteria count."""


def under_pension_age(born: np.ndarray, month: int) -> np.ndarray:
    """Whether people born in month ``born`` are younger than 65 in ``month``."""
    result: np.ndarray = born > month - PENSION_AGE_MONTHS
    return result


def working_age(adult: np.ndarray, born: np.ndarray, month: int) -> np.ndarray:
    """Whether adult places hold someone of working age (18–64) in ``month``."""
    result: np.ndarray = adult & under_pension_age(born, month)
    return result


MAX_ADULTS = 3
"""Adults (18+) a household can have in the model."""

NO_CONVICTION = np.int16(-1)

# Day-0 assumptions [A] where the department data is silent (documented in simulation/MODEL.md).
CHILDREN_WEIGHT_COUPLE = 1.6
CHILDREN_WEIGHT_SINGLE = 0.35
"""Relative chance that a child lives with two adults or one: about a tenth of households are
single parents, a third of couples have children [S: LBF 2019, 66.5 % singles, 10.1 % single
parents]."""
YOUNG_SHARE_OUTSIDE_PRIME = 0.72
"""Of the 18–64-year-olds outside ages 30–59, the share aged 18–29 (the rest are 60–64) [A]."""
STUDENT_SHARE_UNDER_30 = 0.10
STUDENT_SHARE_FROM_30 = 0.005
"""Of the adults in work or education, the share in education, under and from age 30 [A]."""
NON_EEA_SHARE_OF_NONWESTERN = 0.35
"""Of non-western households, the share without EU/EEA/Swiss citizenship [A]."""


class Status(IntEnum):
    """An adult's attachment to work or education."""

    EMPLOYED = 0
    STUDENT = 1
    OUTSIDE = 2
    """Outside work and education (on public support or otherwise), the population of criterion 1."""
    RETIRED = 3
    """65 or older; outside every criterion but conviction."""


@dataclass(frozen=True)
class Stock:
    """The dwellings: fixed for a run. Slots are grouped by department, in department order.

    Attributes
    ----------
    department
        Department index of each dwelling.
    rooms
        Rooms (1–4, 4 meaning 4 or more).
    rent
        Monthly rent in kr.
    first_slot
        Index of each department's first dwelling (length departments + 1).
    """

    department: np.ndarray
    rooms: np.ndarray
    rent: np.ndarray
    first_slot: np.ndarray

    @property
    def dwellings(self) -> int:
        """Number of dwellings."""
        return int(self.department.size)

    @property
    def departments(self) -> int:
        """Number of departments."""
        return int(self.first_slot.size - 1)


def build_stock(departments: pd.DataFrame) -> Stock:
    """Lay out one slot per dwelling, department by department, rooms ascending."""
    counts = departments[list(DWELLING_COLUMNS)].to_numpy(dtype=np.int64)
    rents = departments[list(RENT_COLUMNS)].to_numpy(dtype=np.float64)
    per_department = counts.sum(axis=1)
    department = np.repeat(np.arange(len(departments), dtype=np.int32), per_department)
    rooms = np.repeat(np.tile(np.arange(1, 5, dtype=np.int8), len(departments)), counts.ravel())
    rent = np.repeat(np.nan_to_num(rents).ravel(), counts.ravel()).astype(np.float32)
    first_slot = np.concatenate([[0], np.cumsum(per_department)]).astype(np.int64)
    return Stock(department, rooms, rent, first_slot)


@dataclass
class HouseholdBatch:
    """Households outside the stock (arriving, or moving within it): the columns of a population.

    Adult columns have shape ``(households, MAX_ADULTS)``; ``adult`` marks which places hold one.
    Times are month indices of the run (month 0 is the first simulated January): ``born`` is the
    month of birth (so ages need no monthly update) and ``outside_since`` the month the current
    spell outside work began (months on benefits, for the 6-month rules). ``employability``
    scales an adult's chance of finding work (and divides that of losing it);
    ``conviction_risk`` scales the chance of a conviction: both are personal, so that a
    department's day-0 mix is its steady state and change comes from who moves in and out.
    ``referral_id`` is the id of a household housed by municipal referral (its spell in the
    referral queue, :class:`~simulation.rules.referrals.ReferralQueue`), -1 for every other.
    """

    children: np.ndarray
    nonwestern: np.ndarray
    non_eea: np.ndarray
    adult: np.ndarray
    born: np.ndarray
    status: np.ndarray
    basic: np.ndarray
    income_level: np.ndarray
    employability: np.ndarray
    conviction_risk: np.ndarray
    convicted_year: np.ndarray
    outside_since: np.ndarray
    referral_id: np.ndarray

    def __len__(self) -> int:
        return int(self.children.size)

    @classmethod
    def empty(cls, size: int) -> HouseholdBatch:
        """A batch of ``size`` households with no one in them (to be filled in)."""
        shape = (size, MAX_ADULTS)
        return cls(
            children=np.zeros(size, np.int8),
            nonwestern=np.zeros(size, bool),
            non_eea=np.zeros(size, bool),
            adult=np.zeros(shape, bool),
            born=np.zeros(shape, np.int32),
            status=np.full(shape, Status.RETIRED, np.int8),
            basic=np.zeros(shape, bool),
            income_level=np.ones(shape, np.float32),
            employability=np.ones(shape, np.float32),
            conviction_risk=np.ones(shape, np.float32),
            convicted_year=np.full(shape, NO_CONVICTION, np.int16),
            outside_since=np.zeros(shape, np.int32),
            referral_id=np.full(size, -1, np.int32),
        )

    def select(self, rows: np.ndarray) -> HouseholdBatch:
        """The households at ``rows`` (a copy)."""
        return HouseholdBatch(**{f.name: getattr(self, f.name)[rows] for f in fields(self)})

    @staticmethod
    def concatenate(batches: list[HouseholdBatch]) -> HouseholdBatch:
        """One batch of all households of ``batches``, in order."""
        return HouseholdBatch(
            **{
                f.name: np.concatenate([getattr(b, f.name) for b in batches])
                for f in fields(HouseholdBatch)
            }
        )

    @property
    def persons(self) -> np.ndarray:
        """Persons per household."""
        size: np.ndarray = self.adult.sum(axis=1) + self.children
        return size


@dataclass(frozen=True)
class DepartmentCounts:
    """Per-department sums the legal criteria and the indicators are made of (one value each)."""

    households: np.ndarray
    residents: np.ndarray
    adults_18_plus: np.ndarray
    adults_18_64: np.ndarray
    outside_18_64: np.ndarray
    adults_30_59: np.ndarray
    basic_30_59: np.ndarray
    taxpayers: np.ndarray
    income_kr: np.ndarray
    nonwestern: np.ndarray
    convicted: np.ndarray

    def to_frame(self) -> pd.DataFrame:
        """The counts as a frame, one row per department index."""
        return pd.DataFrame({f.name: getattr(self, f.name) for f in fields(self)})


class Population:
    """The households living in the stock, one slot per dwelling (column-wise storage).

    Parameters
    ----------
    stock
        The dwellings.
    income_by_status
        Gross income in kr per year of an adult with income level 1, by :class:`Status`.
    """

    def __init__(self, stock: Stock, income_by_status: np.ndarray) -> None:
        self.stock = stock
        self.income_by_status = np.asarray(income_by_status, np.float32)
        size = stock.dwellings
        self.occupied = np.zeros(size, bool)
        self.moved_in_month = np.full(size, -1, np.int32)
        batch = HouseholdBatch.empty(size)
        self.children = batch.children
        self.nonwestern = batch.nonwestern
        self.non_eea = batch.non_eea
        self.adult = batch.adult
        self.born = batch.born
        self.status = batch.status
        self.basic = batch.basic
        self.income_level = batch.income_level
        self.employability = batch.employability
        self.conviction_risk = batch.conviction_risk
        self.convicted_year = batch.convicted_year
        self.outside_since = batch.outside_since
        self.referral_id = batch.referral_id

    # -- moving households in and out -------------------------------------------------------------

    def place(self, slots: np.ndarray, batch: HouseholdBatch, month: int) -> None:
        """Move the households of ``batch`` into the (vacant) dwellings ``slots``."""
        for f in fields(HouseholdBatch):
            getattr(self, f.name)[slots] = getattr(batch, f.name)
        self.occupied[slots] = True
        self.moved_in_month[slots] = month

    def take(self, slots: np.ndarray) -> HouseholdBatch:
        """Copy the households at ``slots`` out (they are about to move; see :meth:`vacate`)."""
        return HouseholdBatch(
            **{f.name: getattr(self, f.name)[slots] for f in fields(HouseholdBatch)}
        )

    def vacate(self, slots: np.ndarray) -> None:
        """Empty the dwellings ``slots``."""
        self.occupied[slots] = False
        self.adult[slots] = False
        self.children[slots] = 0
        self.status[slots] = Status.RETIRED
        self.convicted_year[slots] = NO_CONVICTION

    # -- measuring ----------------------------------------------------------------------------------

    def persons(self) -> np.ndarray:
        """Persons per dwelling (0 where vacant)."""
        size: np.ndarray = self.adult.sum(axis=1, dtype=np.int16) + self.children
        return size

    def age(self, month: int) -> np.ndarray:
        """Age in years of every adult place at ``month`` (meaningless where no adult)."""
        result: np.ndarray = (month - self.born).astype(np.float32) / np.float32(12.0)
        return result

    def counts(self, year: int, month: int) -> DepartmentCounts:
        """Sum the criteria populations per department at ``month``; convictions of ``year``."""
        starts = self.stock.first_slot[:-1]

        def per_department(per_place: np.ndarray) -> np.ndarray:
            """Sum over each department's dwellings, then over a household's adult places.

            Slots are grouped by department, and every department has one (the data checks it).
            """
            summed = np.add.reduceat(per_place, starts, axis=0, dtype=np.float64)
            result: np.ndarray = summed.sum(axis=1) if summed.ndim == 2 else summed
            return result

        born = self.born
        adult = self.adult
        in_working_age = working_age(adult, born, month)
        prime = in_working_age & (born <= month - 30 * 12) & (born > month - 60 * 12)
        taxpayers = in_working_age & (self.status != Status.STUDENT)
        income = np.where(taxpayers, self.income_level * self.income_by_status[self.status], 0.0)
        persons = self.persons()
        return DepartmentCounts(
            households=per_department(self.occupied),
            residents=per_department(persons),
            adults_18_plus=per_department(adult),
            adults_18_64=per_department(in_working_age),
            outside_18_64=per_department(in_working_age & (self.status == Status.OUTSIDE)),
            adults_30_59=per_department(prime),
            basic_30_59=per_department(prime & self.basic),
            taxpayers=per_department(taxpayers),
            income_kr=per_department(income.astype(np.float64)),
            nonwestern=per_department(np.where(self.nonwestern, persons, 0)),
            convicted=per_department(adult & (self.convicted_year == year)),
        )

    def residents(self) -> np.ndarray:
        """Residents per department."""
        result: np.ndarray = np.bincount(
            self.stock.department, self.persons(), minlength=self.stock.departments
        )
        return result


# --------------------------------------------------------------------------------------------------
# Day 0: households drawn from the department aggregates


def synthesise(
    stock: Stock,
    departments: pd.DataFrame,
    behaviour: Behaviour,
    start_year: int,
    rng: np.random.Generator,
) -> Population:
    """Draw households so that day 0 reproduces the department CSV.

    Exact per department: households, residents, children, adults 18–64 and 65+, adults 30–59,
    outside work/education among the 18–64-year-olds, basic school only among the 30–59-year-olds,
    convicted adults (in the year before the start) and the mean income of taxpayers 15–64
    excluding students. The non-western share is met to within one household. Larger households
    get larger dwellings.

    Parameters
    ----------
    stock
        The dwellings (:func:`build_stock` of the same table).
    departments
        The department table (see :mod:`simulation.inputs.departments`).
    behaviour
        Income levels by status come from here.
    start_year
        The first simulated year; day-0 convictions are dated the year before.
    rng
        The population stream of the run.
    """
    income_by_status = income_bases(behaviour)
    population = Population(stock, income_by_status)
    households = departments["households"].to_numpy(np.int64)
    total = int(households.sum())
    home = np.repeat(np.arange(len(departments)), households)

    # adults per household: one each, then second and third adults
    adults_total = (departments["residents"] - departments["residents_0_17"]).to_numpy(np.int64)
    extra = adults_total - households
    order = _rank_within(home, rng.random(total))
    adults = 1 + (order < extra[home]).astype(np.int64) + (order < extra[home] - households[home])
    # children go mostly to couples (single parents are about a tenth of households [S])
    children_total = departments["residents_0_17"].to_numpy(np.int64)
    weight = np.where(adults >= 2, CHILDREN_WEIGHT_COUPLE, CHILDREN_WEIGHT_SINGLE)
    children = _spread(home, children_total, weight, rng)
    size = adults + children

    # households into dwellings: by size against rooms, with some noise
    slots = _choose_slots(stock, home, households, size, rng)
    batch = HouseholdBatch.empty(total)
    batch.children = np.minimum(children, 127).astype(np.int8)
    place = np.arange(MAX_ADULTS)[None, :]
    batch.adult = place < adults[:, None]

    # the adults, flattened
    adult_home = np.broadcast_to(home[:, None], batch.adult.shape)[batch.adult]
    count = adult_home.size
    ages = np.empty(count, np.float32)
    working_age_total = departments["residents_18_64"].to_numpy(np.int64)
    prime_total = departments["residents_30_59"].to_numpy(np.int64)
    rank = _rank_within(adult_home, rng.random(count))
    elderly = rank >= working_age_total[adult_home]
    ages[elderly] = rng.uniform(65.0, 92.0, int(elderly.sum()))
    prime = ~elderly & (rank < prime_total[adult_home])
    ages[prime] = rng.uniform(30.0, 60.0, int(prime.sum()))
    rest = ~elderly & ~prime
    young = rest & (rng.random(count) < YOUNG_SHARE_OUTSIDE_PRIME)
    ages[young] = rng.uniform(18.0, 30.0, int(young.sum()))
    older = rest & ~young
    ages[older] = rng.uniform(60.0, 65.0, int(older.sum()))

    status = np.full(count, Status.RETIRED, np.int8)
    of_working_age = ~elderly
    outside_total = departments["outside_work_education_18_64"].to_numpy(np.int64)
    key = np.where(of_working_age, rng.random(count), 2.0)
    outside = of_working_age & (_rank_within(adult_home, key) < outside_total[adult_home])
    status[of_working_age] = Status.EMPLOYED
    status[outside] = Status.OUTSIDE
    student_chance = np.where(ages < 30.0, STUDENT_SHARE_UNDER_30, STUDENT_SHARE_FROM_30)
    status[of_working_age & ~outside & (rng.random(count) < student_chance)] = Status.STUDENT

    basic_total = departments["basic_education_30_59"].to_numpy(np.int64)
    basic_share = (basic_total / np.maximum(prime_total, 1))[adult_home]
    key = np.where(prime, rng.random(count), 2.0)
    basic = prime & (_rank_within(adult_home, key) < basic_total[adult_home])
    basic |= ~prime & (rng.random(count) < basic_share)

    levels = rng.lognormal(
        -(behaviour.income_dispersion**2) / 2, behaviour.income_dispersion, count
    )
    base = income_by_status[status]
    taxpayer = of_working_age & (status != Status.STUDENT)
    earned = np.bincount(
        adult_home[taxpayer], (levels * base)[taxpayer], minlength=len(departments)
    )
    payers = np.bincount(adult_home[taxpayer], minlength=len(departments))
    target = departments["mean_income_kr"].to_numpy(np.float64)
    scale = np.where(earned > 0, target * payers / np.maximum(earned, 1e-9), 1.0)
    levels = levels * scale[adult_home]

    # the department's outside-work share is the steady state of its work and study flows
    of_working_age_total = np.bincount(adult_home, of_working_age, minlength=len(departments))
    young_total = np.bincount(
        adult_home, of_working_age & (ages < 30.0), minlength=len(departments)
    )
    employability = steady_employability(
        outside_total / np.maximum(of_working_age_total, 1),
        behaviour,
        young_share=young_total / np.maximum(of_working_age_total, 1),
    )[adult_home]
    base_risk = np.where(
        status == Status.OUTSIDE,
        behaviour.conviction_per_year_outside,
        behaviour.conviction_per_year_inside,
    )
    expected = np.bincount(adult_home, base_risk, minlength=len(departments))
    wanted = departments["convicted_share"].to_numpy() * adults_total
    risk = np.clip(wanted / np.maximum(expected, 1e-12), 0.05, 20.0)[adult_home]

    convicted_total = np.round(departments["convicted_share"].to_numpy() * adults_total).astype(
        np.int64
    )
    weight = np.where(status == Status.OUTSIDE, 3.0, 1.0)
    convicted = _choose_weighted(adult_home, convicted_total, weight, rng)
    spells = np.where(status == Status.OUTSIDE, rng.integers(0, 48, count), 0)

    # ages are as on day 0, the month before the first simulated January (month -1)
    batch.born[batch.adult] = -1 - np.floor(ages * 12.0).astype(np.int32)
    batch.status[batch.adult] = status
    batch.basic[batch.adult] = basic
    batch.income_level[batch.adult] = levels.astype(np.float32)
    batch.employability[batch.adult] = employability
    batch.conviction_risk[batch.adult] = risk
    batch.convicted_year[batch.adult] = np.where(convicted, start_year - 1, NO_CONVICTION)
    batch.outside_since[batch.adult] = -spells

    residents = departments["residents"].to_numpy(np.int64)
    target_nonwestern = np.round(departments["nonwestern_share"].to_numpy() * residents)
    order = _order_within(home, rng.random(total))
    cumulative = _cumsum_within(home[order], size[order])
    nonwestern = np.zeros(total, bool)
    nonwestern[order] = cumulative - size[order] / 2 < target_nonwestern[home[order]]
    batch.nonwestern = nonwestern
    batch.non_eea = nonwestern & (rng.random(total) < NON_EEA_SHARE_OF_NONWESTERN)

    population.place(slots, batch, month=-1)
    return population


def steady_outside_share(
    employability: np.ndarray | float,
    behaviour: Behaviour,
    young_share: np.ndarray | float = 0.0,
) -> np.ndarray:
    """The share of adults 18–64 outside work and education where the month's flows balance.

    An adult of employability f finds work with monthly chance f·a and loses it with d/f (a and
    d the monthly chances of the behaviour); one under 30 outside work also starts an education
    with monthly chance b and a student finishes with c. The steady state of that chain is outside
    with probability 1 / (1 + f² a / d) from age 30, and 1 / (1 + (f a + b) f / d + b / c) under
    30 (students count as inside, as in criterion 1).
    """
    f = np.asarray(employability, np.float64)
    a = monthly(behaviour.job_finding_per_year)
    d = max(monthly(behaviour.job_loss_per_year), 1e-12)
    b = monthly(behaviour.study_start_per_year)
    c = max(monthly(behaviour.study_completion_per_year), 1e-12)
    older = 1.0 / (1.0 + f * f * a / d)
    younger = 1.0 / (1.0 + (f * a + b) * f / d + b / c)
    young = np.asarray(young_share, np.float64)
    result: np.ndarray = young * younger + (1.0 - young) * older
    return result


def steady_employability(
    outside_share: np.ndarray | float,
    behaviour: Behaviour,
    *,
    young_share: np.ndarray | float = 0.0,
) -> np.ndarray:
    """The employability at which a share outside work is the steady state of the month's flows.

    Solves :func:`steady_outside_share` for f (bisection on log f; the share falls as f rises),
    with ``young_share`` of the adults 18–64 under 30. Shares are clipped to 2–95 % to keep f
    finite.
    """
    share = np.clip(np.asarray(outside_share, np.float64), 0.02, 0.95)
    young = np.broadcast_to(np.asarray(young_share, np.float64), share.shape)
    low = np.full(share.shape, np.log(1e-3))
    high = np.full(share.shape, np.log(1e3))
    for _ in range(50):
        middle = (low + high) / 2.0
        too_many_outside = steady_outside_share(np.exp(middle), behaviour, young) > share
        low = np.where(too_many_outside, middle, low)
        high = np.where(too_many_outside, high, middle)
    result: np.ndarray = np.exp((low + high) / 2.0).astype(np.float32)
    return result


def income_bases(behaviour: Behaviour) -> np.ndarray:
    """Income in kr per year at income level 1, indexed by :class:`Status`.

    Students and the retired count 0: they are outside the income criterion.
    """
    bases = np.zeros(len(Status), np.float32)
    bases[Status.EMPLOYED] = behaviour.income_employed_kr
    bases[Status.OUTSIDE] = behaviour.income_outside_kr
    return bases


def _order_within(groups: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Indices sorting by group, then by key."""
    order: np.ndarray = np.lexsort((key, groups))
    return order


def _rank_within(groups: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Rank (0, 1, …) of each item within its group by ascending key."""
    order = _order_within(groups, key)
    sorted_groups = groups[order]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    first = np.repeat(starts, np.diff(np.r_[starts, sorted_groups.size]))
    rank = np.empty(groups.size, np.int64)
    rank[order] = np.arange(groups.size) - first
    return rank


def _cumsum_within(sorted_groups: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Running sum of ``values`` restarting at each new group (input sorted by group)."""
    total = np.cumsum(values)
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    before = np.r_[0, total[starts[1:] - 1]] if starts.size > 1 else np.zeros(1, total.dtype)
    offsets = np.repeat(before, np.diff(np.r_[starts, sorted_groups.size]))
    result: np.ndarray = total - offsets
    return result


def _choose_weighted(
    groups: np.ndarray, counts: np.ndarray, weights: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Mark exactly ``counts[g]`` items of each group, drawn without replacement by weight."""
    key = -np.log(rng.random(groups.size)) / weights  # Efraimidis–Spirakis keys
    chosen: np.ndarray = _rank_within(groups, key) < counts[groups]
    return chosen


def _spread(
    groups: np.ndarray, totals: np.ndarray, weights: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Spread ``totals[g]`` units over the items of each group, in proportion to weight."""
    result = np.zeros(groups.size, np.int64)
    share = weights / np.maximum(np.bincount(groups, weights)[groups], 1e-12)
    expected = share * totals[groups]
    result += np.floor(expected).astype(np.int64)
    missing = totals - np.bincount(groups, result, minlength=totals.size).astype(np.int64)
    remainder = expected - np.floor(expected) + 1e-9
    extra = _choose_weighted(groups, missing, remainder, rng)
    result += extra
    return result


def _choose_slots(
    stock: Stock,
    home: np.ndarray,
    households: np.ndarray,
    size: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Pick a dwelling for every household: within its department, larger households higher up."""
    slot_department = stock.department
    dwellings = np.diff(stock.first_slot)
    # which dwellings stand vacant on day 0: drawn uniformly
    vacant_count = dwellings - households
    vacant = _choose_weighted(slot_department, vacant_count, np.ones(slot_department.size), rng)
    occupied_slots = np.flatnonzero(~vacant)
    # match households and dwellings by rank within the department
    slot_key = stock.rooms[occupied_slots] + rng.normal(0, 0.6, occupied_slots.size)
    slot_order = _order_within(slot_department[occupied_slots], slot_key)
    household_key = size + rng.normal(0, 0.6, size.size)
    household_order = _order_within(home, household_key)
    slots = np.empty(home.size, np.int64)
    slots[household_order] = occupied_slots[slot_order]
    return slots


# --------------------------------------------------------------------------------------------------
# One month of household life: move-outs and life events


def monthly(probability_per_year: float) -> float:
    """The monthly chance of an event with the given chance per year."""
    return 1.0 - (1.0 - probability_per_year) ** (1.0 / 12.0)


@dataclass(frozen=True)
class MonthlyRates:
    """The behaviour parameters as chances per month."""

    job_finding: float
    job_loss: float
    study_start: float
    study_completion: float
    conviction_outside: float
    conviction_inside: float
    birth: float
    child_leaves: float
    separation: float
    mortality_at_65: float
    mortality_doubling_years: float
    season: np.ndarray
    selective_strength: float
    selective_threshold: float

    @classmethod
    def from_behaviour(cls, behaviour: Behaviour) -> MonthlyRates:
        """Convert yearly chances to monthly ones; normalise the seasonality to mean 1."""
        season = np.asarray(behaviour.move_out_seasonality, np.float64)
        return cls(
            job_finding=monthly(behaviour.job_finding_per_year),
            job_loss=monthly(behaviour.job_loss_per_year),
            study_start=monthly(behaviour.study_start_per_year),
            study_completion=monthly(behaviour.study_completion_per_year),
            conviction_outside=monthly(behaviour.conviction_per_year_outside),
            conviction_inside=monthly(behaviour.conviction_per_year_inside),
            birth=monthly(behaviour.birth_per_year),
            child_leaves=monthly(behaviour.child_leaves_per_year),
            separation=monthly(behaviour.separation_per_year),
            mortality_at_65=behaviour.mortality_at_65_per_year,
            mortality_doubling_years=behaviour.mortality_doubling_years,
            season=season / season.mean(),
            selective_strength=behaviour.selective_move_out_strength,
            selective_threshold=behaviour.selective_move_out_threshold,
        )

    def mortality(self, age: np.ndarray) -> np.ndarray:
        """Monthly chance of death at ``age`` (Gompertz)."""
        yearly = self.mortality_at_65 * np.exp2((age - 65.0) / self.mortality_doubling_years)
        result: np.ndarray = np.minimum(yearly, 1.0) / 12.0
        return result


def move_out_hazard(
    turnover: np.ndarray, internal_fraction: float, deaths: np.ndarray, pull: np.ndarray
) -> np.ndarray:
    """Monthly hazard of moving away per department, calibrated to its turnover on day 0.

    Turnover (fraflytning) counts every household leaving a dwelling: moving away, moving within
    the organisation (the internal list) and dying. The hazard of moving away is what is left of
    the turnover once internal moves (``internal_fraction`` of it) and deaths (per household and
    year) are taken out, divided by ``pull``, the day-0 mean of the selective move-out factor, so
    that the stated turnover is what the department shows at the start.
    """
    away = np.maximum(turnover * (1.0 - internal_fraction) - deaths, 0.005) / pull
    hazard: np.ndarray = -np.log1p(-np.minimum(away, 0.95)) / 12.0
    return hazard


def selective_pull(population: Population, rates: MonthlyRates, month: int) -> np.ndarray:
    """Per department, the mean factor by which selective move-out raises its move-outs now."""
    outside = outside_shares(population, month)
    excess = np.maximum(outside - rates.selective_threshold, 0.0) / (
        1.0 - rates.selective_threshold
    )
    in_working_age = working_age(population.adult, population.born, month)
    resourceful = (in_working_age & (population.status <= Status.STUDENT)).any(axis=1)
    departments = population.stock.departments
    where = population.stock.department
    households = np.bincount(where, population.occupied, minlength=departments)
    share = np.bincount(
        where, resourceful & population.occupied, minlength=departments
    ) / np.maximum(households, 1)
    result: np.ndarray = 1.0 + rates.selective_strength * excess * share
    return result


def yearly_deaths(population: Population, rates: MonthlyRates, month: int) -> np.ndarray:
    """Expected households dissolved by death per household and year, per department."""
    alive = population.adult
    chance = np.where(alive, np.minimum(rates.mortality(population.age(month)) * 12.0, 1.0), 1.0)
    dissolve = np.where(population.occupied, np.prod(chance, axis=1), 0.0)
    departments = population.stock.departments
    where = population.stock.department
    households = np.bincount(where, population.occupied, minlength=departments)
    result: np.ndarray = np.bincount(where, dissolve, minlength=departments) / np.maximum(
        households, 1
    )
    return result


def move_out(
    population: Population,
    hazard: np.ndarray,
    outside_share: np.ndarray,
    rates: MonthlyRates,
    month: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Households that move away this month; return their (now vacant) dwellings.

    Households with an adult 18–64 in work or education leave faster where their department's
    share of adults outside work (as of last 1 December) exceeds the threshold: selective
    out-migration, the tipping mechanism.
    """
    draw = rng.random(population.stock.dwellings, dtype=np.float32)
    department = population.stock.department
    excess = np.maximum(outside_share - rates.selective_threshold, 0.0) / (
        1.0 - rates.selective_threshold
    )
    pull = 1.0 + rates.selective_strength * excess
    season = rates.season[month % 12]
    calm = -np.expm1(-hazard * season).astype(np.float32)
    pulled = -np.expm1(-hazard * season * pull).astype(np.float32)
    leaving = population.occupied & (draw < pulled[department])
    candidates = np.flatnonzero(leaving)
    # of those the stronger pull would move, the ones without work or study stay unless calm moves them
    adult = population.adult[candidates]
    status = population.status[candidates]
    young = under_pension_age(population.born[candidates], month)
    resourceful = (adult & young & (status <= Status.STUDENT)).any(axis=1)
    stays = ~resourceful & (draw[candidates] >= calm[department[candidates]])
    gone: np.ndarray = candidates[~stays]
    population.vacate(gone)
    return gone


def life_events(
    population: Population, rates: MonthlyRates, month: int, year: int, rng: np.random.Generator
) -> np.ndarray:
    """A month of life: work, study, convictions, births, separations and deaths.

    One uniform number is drawn per adult place and one per dwelling, every month (common random
    numbers); disjoint ranges of it decide the rare events, so that each is worked out on the few
    places it can touch. Ages follow from the month of birth. Returns the dwellings left empty
    because their last adult died.
    """
    adult = population.adult.reshape(-1)
    status = population.status.reshape(-1)
    born = population.born.reshape(-1)
    draw = rng.random(adult.size, dtype=np.float32)
    household_draw = rng.random(population.stock.dwellings, dtype=np.float32)

    # work and education (adults 18–64): draw in [0, WORK_RANGE)
    places = np.flatnonzero((draw < WORK_RANGE) & adult)
    places = places[under_pension_age(born[places], month)]
    u = draw[places]
    current = status[places]
    employability = population.employability.reshape(-1)[places]
    finding = rates.job_finding * employability
    young = born[places] > month - 30 * 12
    finds_job = (current == Status.OUTSIDE) & (u < finding)
    starts_study = (
        (current == Status.OUTSIDE) & ~finds_job & young & (u < finding + rates.study_start)
    )
    loses_job = (current == Status.EMPLOYED) & (u * employability < rates.job_loss)
    finishes = (current == Status.STUDENT) & (u < rates.study_completion)
    status[places[finds_job | finishes]] = Status.EMPLOYED
    status[places[starts_study]] = Status.STUDENT
    status[places[loses_job]] = Status.OUTSIDE
    population.outside_since.reshape(-1)[places[loses_job]] = month

    # convictions: draw in (1 − CONVICTION_RANGE, 1)
    places = np.flatnonzero((draw > 1.0 - CONVICTION_RANGE) & adult)
    outside = status[places] == Status.OUTSIDE
    chance = np.where(outside, rates.conviction_outside, rates.conviction_inside)
    chance = chance * population.conviction_risk.reshape(-1)[places]
    convicted = (1.0 - draw[places]) < chance
    population.convicted_year.reshape(-1)[places[convicted]] = year

    # deaths: draw in [DEATH_START, DEATH_START + chance)
    places = np.flatnonzero((draw >= DEATH_START) & (draw < DEATH_START + DEATH_RANGE) & adult)
    age = (month - born[places]) / 12.0
    dies = draw[places] - DEATH_START < rates.mortality(age)
    dead = places[dies]
    adult[dead] = False

    # children and couples (per dwelling)
    occupied = population.occupied
    children = population.children
    homes = np.flatnonzero((household_draw < rates.birth) & occupied)
    parents = (
        population.adult[homes]
        & (population.born[homes] <= month - 20 * 12)
        & (population.born[homes] > month - 45 * 12)
    )
    born_to = homes[parents.any(axis=1) & (children[homes] < 12)]
    children[born_to] += 1
    homes = np.flatnonzero(
        (household_draw >= CHILD_START) & (household_draw < CHILD_START + CHILD_RANGE) & occupied
    )
    leaving = (household_draw[homes] - CHILD_START) < rates.child_leaves * children[homes]
    children[homes[leaving]] -= 1
    homes = np.flatnonzero((household_draw > 1.0 - rates.separation) & occupied)
    pair = population.adult[homes]
    couples = homes[pair.sum(axis=1) >= 2]
    if couples.size:
        last = MAX_ADULTS - 1 - population.adult[couples, ::-1].argmax(axis=1)
        population.adult[couples, last] = False  # the last adult present leaves

    # only a death can leave a home without adults (a separation leaves one behind)
    homes = np.unique(dead // MAX_ADULTS)
    emptied: np.ndarray = homes[occupied[homes] & ~population.adult[homes].any(axis=1)]
    population.vacate(emptied)
    return emptied


WORK_RANGE = np.float32(0.2)
"""Uniform draws below this decide changes of work and study (monthly chances stay below it)."""
CONVICTION_RANGE = np.float32(0.2)
"""Uniform draws above 1 minus this decide convictions."""
DEATH_START = np.float32(0.3)
DEATH_RANGE = np.float32(0.4)
"""Uniform draws in [0.3, 0.7) decide deaths (a monthly chance is at most 1/12)."""
CHILD_START = np.float32(0.2)
CHILD_RANGE = np.float32(0.6)
"""Per dwelling: draws below the birth chance decide births, those in [0.2, 0.8) children leaving,
those above 1 minus the separation chance separations."""


def outside_shares(population: Population, month: int) -> np.ndarray:
    """Per department, the share of adults 18–64 outside work and education (0 where none)."""
    in_working_age = working_age(population.adult, population.born, month)
    outside = in_working_age & (population.status == Status.OUTSIDE)
    departments = population.stock.departments
    where = population.stock.department
    totals = np.bincount(where, in_working_age.sum(axis=1), minlength=departments)
    counts = np.bincount(where, outside.sum(axis=1), minlength=departments)
    result: np.ndarray = counts / np.maximum(totals, 1)
    return result
