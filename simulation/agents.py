"""The actors of the model, as Mesa agents: the ministry, the municipality, the housing organisations.

Each month (:meth:`simulation.model.HousingModel.step`):

- the :class:`Municipality` (kommune) re-plans its referrals when its policy says so, takes in the
  month's urgent households and lets go those who found a home elsewhere, then claims its share
  of the vacancies and refers the longest-waiting households that fit (§ 59);
- the :class:`HousingOrganisations` (boligorganisationerne) let every vacancy the municipality
  does not claim: by flexible criteria (§ 60), from the internal and the external waiting list,
  refusing applicants where § 51 b or § 51 c applies;
- every 1 December the :class:`Ministry` publishes the lists (§ 61 a, § 61 b), and the housing
  organisations place their departments on the agreement's tiers for the coming year.

Households are not agents: they live column-wise in :class:`simulation.people.population.Population`
so that a whole country (557,000 dwellings) steps in vectorised passes, and departments are rows of
:class:`simulation.people.state.DepartmentState` for the same reason. The housing organisations act
as one agent because they let under one agreement and one law; what differs between them (whose
tenants are on an internal list) is handled per organisation inside the letting. The agents hold
the model's state by reference and act on it through the rules of :mod:`simulation.rules`.
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np
import pandas as pd

from simulation.inputs.scenario import Scenario
from simulation.law.regimes import LIST_COLUMNS
from simulation.people.population import DepartmentCounts, Population
from simulation.people.state import MUNICIPALITY_PAYS, AreaState, DepartmentState, Tally
from simulation.planning import Planner
from simulation.rules.december import ListHistory, Publication, first_of_december
from simulation.rules.letting import (
    ClaimAccounting,
    LettingOffice,
    LettingOutcome,
    MovingIn,
    Plan,
    municipal_referral,
    review_held,
)
from simulation.rules.referrals import ReferralQueue

__all__ = ["HousingOrganisations", "Ministry", "Municipality"]


class Ministry(mesa.Agent):
    """The ministry: publishes the lists of areas every 1 December (§ 61 a, § 61 b).

    Parameters
    ----------
    model
        The model.
    scenario
        The legal settings, the reference values and the areas' list history before the start.
    departments, areas
        The model's state: which area each department is in; the areas' list status, which the
        ministry sets.
    """

    def __init__(
        self,
        model: mesa.Model,
        scenario: Scenario,
        departments: DepartmentState,
        areas: AreaState,
    ) -> None:
        super().__init__(model)
        # not self.scenario: Mesa 3.5's Agent.scenario is Mesa's own kind
        self.settings = scenario
        self.departments = departments
        self.areas = areas
        self.history = ListHistory()

    def publish(
        self, year: int, counts: DepartmentCounts, *, residents_january: np.ndarray
    ) -> Publication:
        """Publish the year's lists; set each area's status and whether § 51 b may apply there."""
        publication = first_of_december(
            self.settings,
            counts,
            department_ids=self.departments.ids,
            department_area=self.departments.area,
            area_ids=self.areas.ids,
            residents_january=residents_january,
            year=year,
            history=self.history,
        )
        for column in LIST_COLUMNS:
            setattr(self.areas, column, publication.areas[column].to_numpy(bool))
        self.areas.combined_letting_allowed = publication.combined_letting_allowed
        return publication

    def __repr__(self) -> str:
        return f"Ministry(listed={int(self.areas.listed.sum())} of {self.areas.count} areas)"


class Municipality(mesa.Agent):
    """The municipality (kommune): refers urgent households to social dwellings (§ 59).

    It owns the referral queue and the placement policy: ``next_vacancy`` (the longest-waiting
    household that fits each claimed vacancy) or ``optimised`` (only households the current
    referral plan sends to that department; the plan is remade every
    ``optimiser.replan_every_months``).

    Parameters
    ----------
    model
        The model.
    queue
        The referral queue.
    population, departments, areas, tally
        The model's state the referrals read and change.
    planner
        Makes the referral plan of the ``optimised`` policy; ``None`` for ``next_vacancy``.
    replan_every_months
        How often the plan is remade.
    """

    def __init__(
        self,
        model: mesa.Model,
        queue: ReferralQueue,
        *,
        population: Population,
        departments: DepartmentState,
        areas: AreaState,
        tally: Tally,
        planner: Planner | None,
        replan_every_months: int,
    ) -> None:
        super().__init__(model)
        self.queue = queue
        self.population = population
        self.departments = departments
        self.areas = areas
        self.tally = tally
        self.planner = planner
        self.replan_every_months = replan_every_months
        self.plan: Plan | None = None
        self.moving_in: MovingIn | None = None
        """Where set (by the model), referred households move in after their empty months."""
        self.accounting = ClaimAccounting(model.loaded.scenario.agreement, departments)
        """How claims are counted, carried over and held (the agreement's)."""
        self.lapses: list[tuple[int, int, str]] = []
        """Every claim that lapsed: ``(month, department, reason)``."""

    def plan_referrals(self, month: int, view: Any) -> None:
        """Remake the referral plan from ``view`` (the model) when the policy says so."""
        if self.planner is not None and month % self.replan_every_months == 0:
            self.plan = self.planner(view)

    def take_in(self, month: int) -> None:
        """Let go those who found a home elsewhere; put this month's urgent households in line."""
        self.queue.drop_leavers(month)
        self.queue.arrive(month)

    def claim(self, vacancies: np.ndarray, month: int) -> np.ndarray:
        """Claim the municipality's share of ``vacancies`` and refer households (§ 59).

        Returns, per vacancy, whether a household was referred to it.
        """
        return municipal_referral(
            vacancies,
            month,
            population=self.population,
            departments=self.departments,
            areas=self.areas,
            queue=self.queue,
            tally=self.tally,
            plan=self.plan,
            moving_in=self.moving_in,
            accounting=self.accounting,
            lapses=self.lapses,
        )

    def review_held(self, month: int) -> np.ndarray:
        """Refer to the dwellings held empty; return those released to the waiting lists."""
        if not self.accounting.held:
            return np.empty(0, np.int64)
        return review_held(
            month,
            population=self.population,
            departments=self.departments,
            areas=self.areas,
            queue=self.queue,
            tally=self.tally,
            accounting=self.accounting,
            moving_in=self.moving_in,
            lapses=self.lapses,
        )

    def count_held_months(self) -> None:
        """Count a month of rent for every dwelling held empty (the municipality pays)."""
        held = self.accounting.held_slots
        if held.size:
            stock = self.population.stock
            self.tally.add_vacant_month(MUNICIPALITY_PAYS, stock.department[held], stock.rent[held])

    def lapsed_claims(self, department_ids: list[str]) -> pd.DataFrame:
        """Claims that lapsed, per month, department and reason (``LAPSE_REASONS``)."""
        frame = pd.DataFrame(self.lapses, columns=["month", "department", "reason"])
        counted = (
            frame.groupby(["month", "department", "reason"], sort=True)
            .size()
            .rename("claims")
            .reset_index()
        )
        ids = np.asarray(department_ids, dtype=object)
        return pd.DataFrame(
            {
                "month": counted["month"].to_numpy(np.int64),
                "department": pd.Series(
                    ids[counted["department"].to_numpy(np.int64)], dtype="string"
                ),
                "reason": pd.Series(counted["reason"].to_numpy(), dtype="string"),
                "claims": counted["claims"].to_numpy(np.int64),
            }
        )

    @property
    def waiting(self) -> int:
        """Households waiting for a referral now."""
        return self.queue.waiting()

    def __repr__(self) -> str:
        return f"Municipality(waiting={self.waiting})"


class HousingOrganisations(mesa.Agent):
    """The housing organisations (boligorganisationer): they let what the municipality leaves.

    Parameters
    ----------
    model
        The model.
    office
        Their letting, by the rules in force (:class:`simulation.rules.letting.LettingOffice`).
    departments
        The model's department state; each December the organisations place their departments
        on the agreement's tiers.
    """

    def __init__(
        self, model: mesa.Model, office: LettingOffice, departments: DepartmentState
    ) -> None:
        super().__init__(model)
        self.office = office
        self.departments = departments

    def let(self, vacancies: np.ndarray, month: int) -> LettingOutcome:
        """Let ``vacancies`` by flexible criteria or from the waiting lists.

        Returns the dwellings sitting tenants left behind by moving (the next round of a chain)
        and those no applicant could be let to (every one refused: vacant until next month).
        """
        return self.office.let(vacancies, month)

    def let_from_external_list(self, vacancies: np.ndarray, month: int) -> np.ndarray:
        """Let ``vacancies`` from the external list (the end of a long vacancy chain).

        Returns the dwellings left vacant until next month (every applicant refused).
        """
        return self.office.let_external(vacancies, month, flexible=np.zeros(vacancies.size, bool))

    def take_agreement(self, publication: Publication) -> None:
        """Place every department on its tier, with its referral and flexible-letting shares."""
        placement = publication.placement
        self.departments.tier = placement.tier
        self.departments.referral_share = placement.referral_share
        self.departments.flexible_share = placement.flexible_share

    def __repr__(self) -> str:
        return f"HousingOrganisations(departments={self.departments.count})"
