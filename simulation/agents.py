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
from simulation.people.state import AreaState, DepartmentState, Tally
from simulation.planning import Planner
from simulation.rules.december import ListHistory, Publication, first_of_december
from simulation.rules.letting import LettingOffice, LettingOutcome, Plan, municipal_referral
from simulation.rules.referrals import ReferralQueue, waiting_class

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
        self,
        year: int,
        counts: DepartmentCounts,
        *,
        residents_january: np.ndarray,
        data_year: int,
        tier_counts: DepartmentCounts,
        tier_data_year: int,
    ) -> Publication:
        """Publish the year's lists; set each area's status and whether § 51 b may apply there.

        ``counts`` are the register figures of ``data_year`` the lists read; ``tier_counts`` those
        of ``tier_data_year`` the agreement's tiers read (the data lag).
        """
        publication = first_of_december(
            self.settings,
            counts,
            department_ids=self.departments.ids,
            department_area=self.departments.area,
            area_ids=self.areas.ids,
            residents_january=residents_january,
            year=year,
            history=self.history,
            data_year=data_year,
            tier_counts=tier_counts,
            tier_data_year=tier_data_year,
        )
        for column in LIST_COLUMNS:
            setattr(self.areas, column, publication.areas[column].to_numpy(bool))
        self.areas.combined_letting_allowed = publication.combined_letting_allowed
        return publication

    def __repr__(self) -> str:
        return f"Ministry(listed={int(self.areas.listed.sum())} of {self.areas.count} areas)"


class Municipality(mesa.Agent):
    """The municipality (kommune): refers urgent households to social dwellings (§ 59).

    It owns the referral queue and the placement policy: ``first_come`` (the longest-waiting
    household that fits each claimed vacancy), ``threshold_rule`` (the same, in departments at or
    below the rule's threshold only) or ``optimised`` (only households the current referral plan
    sends to that department). The plan is remade every ``optimiser.replan_every_months``; with
    ``agreement.referral_volume_per_year`` the municipality earns that many referrals a year,
    one twelfth a month, and makes no more.

    Parameters
    ----------
    model
        The model.
    queue
        The referral queue.
    population, departments, areas, tally
        The model's state the referrals read and change.
    planner
        Makes the referral plan of the policy; ``None`` for plain first come.
    replan_every_months
        How often the plan is remade.
    volume_per_year
        Referrals a year the municipality may make at most (``None``: no cap).
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
        volume_per_year: float | None = None,
    ) -> None:
        super().__init__(model)
        self.queue = queue
        self.population = population
        self.departments = departments
        self.areas = areas
        self.tally = tally
        self.planner = planner
        self.replan_every_months = replan_every_months
        self.volume_per_month = None if volume_per_year is None else volume_per_year / 12.0
        self.plan: Plan | None = None
        self.lapses: list[tuple[int, int, str]] = []
        """Every claim that lapsed: ``(month, department, reason)``."""
        self.windows: list[tuple[int, np.ndarray]] = []
        """Each plan with quotas: the month it was made and its quota per department × class."""

    def plan_referrals(self, month: int, view: Any) -> None:
        """Remake the referral plan from ``view`` (the model) when the policy says so.

        Under a volume cap the month's referrals are earned here, and the budget left carries
        over to the next plan.
        """
        if self.planner is not None and month % self.replan_every_months == 0:
            budget = 0.0 if self.plan is None else self.plan.budget
            self.plan = self.planner(view)
            if self.volume_per_month is not None:
                self.plan.budget = budget
            if np.isfinite(self.plan.remaining).all():
                self.windows.append((month, self.plan.remaining.copy()))
        if self.volume_per_month is not None and self.plan is not None:
            self.plan.budget += self.volume_per_month

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
            lapses=self.lapses,
        )

    @property
    def waiting(self) -> int:
        """Households waiting for a referral now."""
        return self.queue.waiting()

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

    def plan_adherence(
        self, department_ids: list[str], subgroups: list[str], end_month: int
    ) -> pd.DataFrame:
        """Per plan window, department and subgroup: referrals planned and made, and why not.

        ``planned`` is the window's quota, ``realised`` the households referred in the window,
        ``unrealised`` the quota left. ``reason`` says why a quota was not met: the commonest
        reason the department's claims lapsed in the window (:data:`LAPSE_REASONS`), else
        ``fewer_claims`` (the department had fewer claims than the plan wanted: fewer vacancies
        than expected) or ``claims_used_by_other_groups``. Of reasons that lapsed equally often,
        the one that lapsed first is given.
        """
        columns = ["window_start_month", "window_months", "department", "group", "planned"]
        columns += ["realised", "unrealised", "claims", "claims_lapsed", "reason"]
        if not self.windows:
            return _empty_adherence(columns)
        queue = self.queue
        housed = np.asarray(queue.housed_month, np.int64)
        made = np.flatnonzero(housed >= 0)
        made_class = np.array(
            [
                waiting_class(queue.group[i], queue.barred_udsat[i], queue.barred_prevention[i])
                for i in made.tolist()
            ],
            np.int64,
        )
        made_department = np.asarray(queue.department, np.int64)[made]
        lapse_month = np.array([month for month, _, _ in self.lapses], np.int64)
        lapse_department = np.array([department for _, department, _ in self.lapses], np.int64)
        reason_names, lapse_reason = np.unique(
            np.array([reason for _, _, reason in self.lapses], dtype=object).astype(str),
            return_inverse=True,
        )
        n_departments, n_reasons = self.departments.count, max(len(reason_names), 1)
        starts = [start for start, _ in self.windows] + [end_month]
        parts: dict[str, list[np.ndarray]] = {column: [] for column in columns}
        for (start, planned), end in zip(self.windows, starts[1:], strict=True):
            inside = (housed[made] >= start) & (housed[made] < end)
            realised = np.zeros_like(planned)
            np.add.at(realised, (made_department[inside], made_class[inside]), 1.0)
            window = np.flatnonzero((lapse_month >= start) & (lapse_month < end))
            lapsed = np.bincount(lapse_department[window], minlength=n_departments)
            commonest = _commonest(
                lapse_department[window], lapse_reason[window], n_departments, n_reasons
            )
            departments, classes = np.nonzero((planned > 1e-9) | (realised > 0))
            unrealised = np.maximum(planned - realised, 0.0)[departments, classes]
            claims = realised.sum(axis=1) + lapsed
            wanted = planned.sum(axis=1)
            reason = np.where(
                commonest >= 0,
                reason_names[np.maximum(commonest, 0)] if len(reason_names) else "",
                np.where(claims < wanted - 1e-9, "fewer_claims", "claims_used_by_other_groups"),
            )[departments]
            reason = np.where(unrealised <= 1e-9, "", reason)
            parts["window_start_month"].append(np.full(departments.size, start, np.int64))
            parts["window_months"].append(np.full(departments.size, end - start, np.int64))
            parts["department"].append(departments)
            parts["group"].append(classes)
            parts["planned"].append(planned[departments, classes])
            parts["realised"].append(realised[departments, classes])
            parts["unrealised"].append(unrealised)
            parts["claims"].append(claims[departments].astype(np.int64))
            parts["claims_lapsed"].append(lapsed[departments].astype(np.int64))
            parts["reason"].append(reason.astype(object))
        columns_of = {name: np.concatenate(values) for name, values in parts.items()}
        columns_of["department"] = np.asarray(department_ids, dtype=object)[
            columns_of["department"]
        ]
        columns_of["group"] = np.asarray(subgroups, dtype=object)[columns_of["group"]]
        table = pd.DataFrame(columns_of, columns=columns)
        for column in ("department", "group", "reason"):
            table[column] = table[column].astype("string")
        return table

    def __repr__(self) -> str:
        return f"Municipality(waiting={self.waiting})"


def _commonest(
    departments: np.ndarray, reasons: np.ndarray, n_departments: int, n_reasons: int
) -> np.ndarray:
    """Per department, the code of its commonest lapse reason (−1 without lapses).

    A tie goes to the reason that lapsed first.
    """
    counts = np.zeros((n_departments, n_reasons), np.int64)
    np.add.at(counts, (departments, reasons), 1)
    first = np.full((n_departments, n_reasons), departments.size, np.int64)
    np.minimum.at(first, (departments, reasons), np.arange(departments.size))
    score = counts * (departments.size + 1) - first
    return np.where(counts.sum(axis=1) > 0, score.argmax(axis=1), -1)


def _empty_adherence(columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame({column: pd.Series(dtype="float64") for column in columns})
    for column in ("window_start_month", "window_months", "claims", "claims_lapsed"):
        frame[column] = frame[column].astype(np.int64)
    for column in ("department", "group", "reason"):
        frame[column] = frame[column].astype("string")
    return frame


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
