"""Development plans (udviklingsplaner, § 168 a): the stock of an area changes, and people move.

An omdannelsesområde must bring its almene family dwellings down to at most 40 % of the area's
dwellings by 1 January 2030 [C], by demolition, sale, conversion to youth or senior dwellings and
private building on the area's land; most areas that left the hardest list since 2018 did so
through such plans [C]. A scenario gives each area's plan as data (``areas.<id>.development_plan``:
measures by year, the target) and the model carries it out every 1 January, whatever the lists
say later (the plan binds after the area leaves the list [C]):

- *demolish* and *convert*: the dwellings leave the family stock the model lets; their households
  join the rehousing queue (genhusning);
- *sell*: the dwellings leave the almene stock with their tenants, who stay as private tenants
  and so leave the area's residents (the lists count almene residents);
- *build_private*: new private dwellings on the area's land; they count in the target's
  denominator only.

**Rehousing** [A, documented in docs/law.md]: a rehoused household keeps its place in a
first-come-first-served queue and moves, whole and as it is, into a vacancy of another department:
one not in an area with a plan and not in an area on the udsat or forebyggelse list (where the
municipality could not refer it either). Each such department gives up to one vacancy in three to
rehousing, the municipality's 1-in-3 right for rehousing after demolition or renewal (§ 59 stk. 1)
[C]; these vacancies are taken before any other letting of the month. Rooms and rent are not
matched.

Which dwellings a measure takes is drawn at random among the department's (or the area's) family
dwellings, from the run's plans stream. Empty dwellings spoken for (held for a referral, or let
and waiting for their household) go last, only when the others are too few [A: an organisation
does not let a dwelling its plan is about to demolish]: a taken hold ends and its claim lapses, and
a taken letting's household joins the rehousing queue.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from simulation.inputs.scenario import Area, DevelopmentPlan
from simulation.people.population import HouseholdBatch, Population

__all__ = ["REHOUSING_SHARE", "DevelopmentPlans", "PlanYear"]

REHOUSING_SHARE = 1.0 / 3.0
"""Share of a department's vacancies the municipality may use to rehouse (§ 59 stk. 1) [C]."""


@dataclass
class PlanYear:
    """Per area, what the plans did in one calendar year (reset every January)."""

    demolished: np.ndarray
    sold: np.ndarray
    converted: np.ndarray
    built: np.ndarray
    rehoused_out: np.ndarray
    """Households that had to leave a demolished or converted dwelling (joined the queue)."""
    left_with_sale: np.ndarray
    """Households that left the almene stock with their sold dwelling."""

    @classmethod
    def zeros(cls, areas: int) -> PlanYear:
        """Nothing done yet."""
        return cls(*(np.zeros(areas, np.int64) for _ in range(6)))


@dataclass
class DevelopmentPlans:
    """The development plans of a run: the dwellings they removed and the rehousing queue.

    Parameters
    ----------
    population
        The households (the plans vacate dwellings and place rehoused households).
    department_area
        Per department, the index of its area.
    area_ids
        The areas, in the model's order.
    department_ids
        The departments, in the model's order.
    areas
        The scenario's areas (their plans).
    rng
        The run's plans stream.
    """

    population: Population
    department_area: np.ndarray
    area_ids: list[str]
    department_ids: list[str]
    areas: Mapping[str, Area]
    rng: np.random.Generator
    removed: np.ndarray = field(init=False)
    """Per dwelling: demolished, sold or converted (no longer a family dwelling the model lets)."""
    other_dwellings: np.ndarray = field(init=False)
    """Per area: dwellings that are not almene family dwellings (only known where there is a plan)."""
    credit: np.ndarray = field(init=False)
    """Per department: rehousing claims earned and not yet used."""
    year: PlanYear = field(init=False)
    rehoused_in: np.ndarray = field(init=False)
    """Per department: rehoused households moved in this calendar year."""
    waiting: list[HouseholdBatch] = field(init=False)
    """The rehousing queue, first come first: one household per batch row."""

    def __post_init__(self) -> None:
        stock = self.population.stock
        count = len(self.area_ids)
        self.removed = np.zeros(stock.dwellings, bool)
        self.other_dwellings = np.zeros(count, np.int64)
        self.planned = np.zeros(count, bool)
        for index, area in enumerate(self.area_ids):
            plan = self.plan(area)
            if plan is not None:
                self.planned[index] = True
                self.other_dwellings[index] = plan.other_dwellings
        self.credit = np.zeros(stock.departments)
        self.year = PlanYear.zeros(count)
        self.rehoused_in = np.zeros(stock.departments, np.int64)
        self.waiting = []
        self.rehoused_this_month = 0

    def plan(self, area: str) -> DevelopmentPlan | None:
        """The area's development plan, if it has one."""
        spec = self.areas.get(area)
        return spec.development_plan if spec is not None else None

    @property
    def any(self) -> bool:
        """Whether any area has a plan."""
        return bool(self.planned.any())

    @property
    def queue_length(self) -> int:
        """Households waiting to be rehoused."""
        return int(sum(len(batch) for batch in self.waiting))

    # -- 1 January: the year's measures -------------------------------------------------------------

    def start_year(self, year: int, busy: np.ndarray | None = None) -> None:
        """Carry out every measure of ``year``; start counting the year afresh.

        ``busy`` are empty dwellings spoken for: held for a referral, or let and waiting for their
        household. A measure takes them only when the other dwellings it may take are too few (a
        whole department demolished); the caller then ends the hold or moves the household on
        (:attr:`removed`).
        """
        self.year = PlanYear.zeros(len(self.area_ids))
        self.rehoused_in = np.zeros(self.population.stock.departments, np.int64)
        spoken_for = np.zeros(self.population.stock.dwellings, bool)
        if busy is not None:
            spoken_for[busy] = True
        for index, area in enumerate(self.area_ids):
            plan = self.plan(area)
            if plan is None:
                continue
            for measure in plan.measures:
                if measure.year == year:
                    self._carry_out(
                        index, measure.kind, measure.dwellings, measure.department, spoken_for
                    )

    def _carry_out(
        self,
        area: int,
        kind: str,
        dwellings: int,
        department: str | None,
        spoken_for: np.ndarray,
    ) -> None:
        if kind == "build_private":
            self.other_dwellings[area] += dwellings
            self.year.built[area] += dwellings
            return
        stock = self.population.stock
        if department is None:
            inside = self.department_area[stock.department] == area
        else:
            inside = stock.department == self.department_ids.index(department)
        standing = np.flatnonzero(inside & ~self.removed)
        busy = spoken_for[standing]
        candidates, last = standing[~busy], standing[busy]
        taken = self.rng.choice(candidates, size=min(dwellings, candidates.size), replace=False)
        if taken.size < dwellings and last.size:  # too few others: the spoken-for go too
            more = self.rng.choice(last, size=min(dwellings - taken.size, last.size), replace=False)
            taken = np.concatenate([taken, more])
        taken = np.sort(taken)
        occupied = taken[self.population.occupied[taken]]
        households = self.population.take(occupied)
        self.population.vacate(occupied)
        self.removed[taken] = True
        if kind == "sell":
            self.other_dwellings[area] += taken.size
            self.year.sold[area] += taken.size
            self.year.left_with_sale[area] += occupied.size
            return
        if kind == "convert":
            self.other_dwellings[area] += taken.size
            self.year.converted[area] += taken.size
        else:
            self.year.demolished[area] += taken.size
        self.year.rehoused_out[area] += occupied.size
        if occupied.size:
            self.waiting.append(households)

    def rehouse_let(self, slots: np.ndarray, households: HouseholdBatch) -> None:
        """Households let ``slots`` a measure took before they moved in join the rehousing queue."""
        area = self.department_area[self.population.stock.department[slots]]
        np.add.at(self.year.rehoused_out, area, 1)
        self.waiting.append(households)

    # -- every month: rehousing before any other letting ------------------------------------------

    def rehouse(self, vacancies: np.ndarray, listed_area: np.ndarray, month: int) -> np.ndarray:
        """Move waiting households into up to one in three vacancies of eligible departments.

        Returns the vacancies left for the month's other lettings (never a removed dwelling: one
        standing empty when a measure took it is gone).
        """
        self.rehoused_this_month = 0
        if self.removed[vacancies].any():
            vacancies = vacancies[~self.removed[vacancies]]
        if not self.waiting or vacancies.size == 0:
            return vacancies
        stock = self.population.stock
        department = stock.department[vacancies]
        area = self.department_area[department]
        eligible = ~self.planned[area] & ~listed_area[area]
        order = self.rng.permutation(vacancies.size)
        queue = HouseholdBatch.concatenate(self.waiting)
        taken: list[int] = []
        for position in order.tolist():
            if len(taken) == len(queue):
                break
            if not eligible[position]:
                continue
            where = int(department[position])
            self.credit[where] += REHOUSING_SHARE
            if self.credit[where] >= 1.0 - 1e-9:
                self.credit[where] -= 1.0
                taken.append(position)
        if not taken:
            return vacancies
        chosen = np.asarray(taken, np.int64)
        slots = vacancies[chosen]
        moved = len(chosen)
        self.population.place(slots, queue.select(np.arange(moved)), month)
        np.add.at(self.rehoused_in, stock.department[slots], 1)
        rest = queue.select(np.arange(moved, len(queue)))
        self.waiting = [rest] if len(rest) else []
        self.rehoused_this_month = moved
        keep = np.ones(vacancies.size, bool)
        keep[chosen] = False
        result: np.ndarray = vacancies[keep]
        return result

    # -- what the year's rows show ------------------------------------------------------------------

    def family_dwellings(self) -> np.ndarray:
        """Per area: almene family dwellings (not removed)."""
        stock = self.population.stock
        active = np.bincount(
            self.department_area[stock.department],
            ~self.removed,
            minlength=len(self.area_ids),
        )
        result: np.ndarray = active.astype(np.int64)
        return result

    def family_share(self) -> np.ndarray:
        """Per area: almene family dwellings as a share of all its dwellings (NaN: no plan)."""
        family = self.family_dwellings().astype(np.float64)
        share = family / np.maximum(family + self.other_dwellings, 1.0)
        result: np.ndarray = np.where(self.planned, share, np.nan)
        return result

    def dwellings_by_department(self) -> np.ndarray:
        """Per department: its family dwellings (not removed)."""
        stock = self.population.stock
        result: np.ndarray = np.bincount(
            stock.department, ~self.removed, minlength=stock.departments
        ).astype(np.int64)
        return result
