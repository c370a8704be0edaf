"""From the world to the referral LP and back: the ``optimised`` placement policy and its command.

The simulation translates into :mod:`optimisation` (a pure library) the way PyPSA builds a linopy
model: departments become rows with their expected vacancies, agreed referral share and resident
mix; referral groups become rows with their demand and household profile; dwellings that do not
fit a group (rooms, rent) and the § 59 stk. 6/7 bans become exclusions with their reason. Each
group is split in two: households with a barred trait (``<group>:barred``), who may not go to
departments in listed areas, and the rest.

Where a group fits, it fits only some of a department's dwellings: each allowed (department,
subgroup) pair gets a *capacity*, the referral slots in dwellings that fit the group,
``referral_share × fitting vacancies`` (households per period), so the plan does not send a group
where its few fitting dwellings cannot take it. The two subgroups of a group need the same
dwellings, so they form one *capacity pool* (see :func:`problem_from_input`).

Two sources use the same translation: a scenario's department data (``blandetby optimise``, the
plan for the coming year) and a running model's state (the ``optimised`` policy, which re-plans
every quarter and follows the plan when it claims vacancies).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from optimisation import ReferralPlan, ReferralProblem, plan_referrals
from simulation.inputs.scenario import Applicants, LoadedScenario, ReferralGroup, Scenario
from simulation.people.capacity import dwelling_types, fitting_vacancies
from simulation.people.population import DepartmentCounts, Population, Stock
from simulation.people.state import AreaState, DepartmentState
from simulation.rules.december import ListHistory, first_of_december
from simulation.rules.indicators import counts_from_departments
from simulation.rules.letting import Plan
from simulation.rules.referrals import ReferralQueue, plan_classes, waiting_class

__all__ = [
    "BARRED",
    "Planner",
    "PlanningInput",
    "PlanningView",
    "fitting_capacity",
    "plan_for_scenario",
    "plan_from_model",
    "planning_input_from_model",
    "planning_input_from_scenario",
    "problem_from_input",
    "subgroup_ids",
]

BARRED = ":barred"
"""Suffix of the subgroup of a referral group's households with a barred trait."""


class PlanningView(Protocol):
    """What the ``optimised`` policy reads of a running model (the model satisfies it)."""

    loaded: LoadedScenario
    stock: Stock
    population: Population
    departments: DepartmentState
    areas: AreaState
    queue: ReferralQueue
    month: int

    @property
    def year(self) -> int:
        """The calendar year of the current month."""
        ...

    def department_figures(self) -> DepartmentCounts:
        """The department figures plans read now (``agreement.data_lag_years`` years old)."""
        ...


Planner = Callable[[PlanningView], Plan]
"""Makes the municipality's referral plan from a running model (the ``optimised`` policy)."""


@dataclass(frozen=True)
class PlanningInput:
    """What the referral LP needs to know, from either source.

    Attributes
    ----------
    departments
        One row per department: ``department``, ``vacancies`` (expected in the period),
        ``referral_share``, ``households``, ``adults`` (18–64), ``adults_outside``, ``listed``
        (its area is an udsat boligområde or forebyggelsesområde).
    dwelling_types
        One row per department and dwelling size: ``department``, ``rooms``, ``rent_kr``,
        ``vacancies`` (expected in the period).
    demand
        Households to plan for per subgroup id (``<group>`` and ``<group>:barred``).
    """

    departments: pd.DataFrame
    dwelling_types: pd.DataFrame
    demand: Mapping[str, float]


def subgroup_ids(groups: Mapping[str, ReferralGroup]) -> list[str]:
    """The LP's group ids: each referral group, then its barred subgroup."""
    return [f"{group}{suffix}" for group in groups for suffix in ("", BARRED)]


def problem_from_input(
    planning: PlanningInput, scenario: Scenario, *, extra_exclusions: pd.DataFrame | None = None
) -> ReferralProblem:
    """Build the referral LP from planning input and the scenario's groups and settings.

    Compatibility comes from the dwellings (:func:`simulation.people.capacity.fitting_vacancies`): a
    department where no dwelling fits a group by rooms and rent is excluded for it with that
    reason; elsewhere the pair's capacity is ``referral_share × fitting vacancies`` (referrals per
    period the fitting dwellings can take). The § 59 stk. 6/7 bans exclude the barred subgroups
    from listed areas on top.

    The fitting dwellings of a department are one resource for both subgroups of a group (same
    rooms, same rent limit; the barred trait only restricts *where*), so the two form one
    capacity pool, ``capacity_pool = <group>``, and the LP limits their sum,
    ``x_d,g + x_d,g:barred ≤ share_d × fitting_d,g`` (row ``fits_<department>_<group>``). This is
    exact, where the alternatives are not: giving each subgroup the whole capacity counts the
    same dwellings twice, and splitting it in proportion to demand strands the barred share in
    departments they may take but the others need (and vice versa). Different groups that fit
    the same dwellings (a cheap one-room flat fits a homeless single and a refugee) are still
    limited together only by the department's slots: the LP has no dwelling types.

    Parameters
    ----------
    planning
        Departments, dwellings and demand (see :class:`PlanningInput`).
    scenario
        Supplies the referral groups' household profiles and needs, the waiting-list applicant
        profile and the optimiser settings (threshold, margin).
    extra_exclusions
        More excluded pairs (``department``, ``group``, ``reason``), if any.
    """
    groups = scenario.referral_groups
    departments = planning.departments
    rows = []
    for group_id, group in groups.items():
        adults = 1.0 + group.couple_share
        for suffix in ("", BARRED):
            rows.append(
                {
                    "group": f"{group_id}{suffix}",
                    "demand": float(planning.demand.get(f"{group_id}{suffix}", 0.0)),
                    "adults_per_household": adults,
                    "outside_per_household": adults * group.outside_work_education_share,
                    "capacity_pool": group_id,
                }
            )
    group_frame = pd.DataFrame(rows)

    fits = fitting_capacity(planning, list(groups), dict(groups))
    compatibility = pd.concat(
        [fits.assign(group=fits["group"] + suffix) for suffix in ("", BARRED)], ignore_index=True
    )
    exclusions = []
    listed = departments.loc[departments["listed"], "department"].to_numpy()
    for group_id in groups:
        exclusions.append(
            pd.DataFrame({"department": listed, "group": f"{group_id}{BARRED}", "reason": "ban"})
        )
    if extra_exclusions is not None:
        exclusions.append(extra_exclusions)
    settings = scenario.optimiser
    waiting_adults, waiting_outside = waiting_list_profile(scenario.applicants)
    return ReferralProblem.from_frames(
        departments=departments[
            ["department", "vacancies", "referral_share", "households", "adults", "adults_outside"]
        ],
        groups=group_frame,
        compatibility=compatibility[["department", "group", "reason", "capacity"]],
        exclusions=pd.concat(exclusions, ignore_index=True),
        waiting_list_adults=waiting_adults,
        waiting_list_outside=waiting_outside,
        threshold=settings.threshold,
        margin=settings.safety_margin,
    )


def fitting_capacity(
    planning: PlanningInput, group_ids: list[str], groups: dict[str, ReferralGroup]
) -> pd.DataFrame:
    """Every department × referral group, with what fits: capacity or the reason nothing does.

    Parameters
    ----------
    planning
        Departments (with ``referral_share``) and dwelling types (expected vacancies).
    group_ids
        The referral groups, in order.
    groups
        The scenario's referral groups (rooms needed, maximum rent).

    Returns
    -------
    pandas.DataFrame
        ``department``, ``group``, ``reason`` (empty where some dwellings fit, else ``"rooms"``
        or ``"rent"``), ``vacancies`` (fitting vacancies expected in the period) and
        ``capacity`` = ``referral_share × vacancies`` (referrals per period; NaN on excluded
        rows). A department without dwellings fits nothing: capacity 0 (it has no vacancies).
    """
    departments = planning.departments
    fits = fitting_vacancies(planning.dwelling_types, groups)
    grid = pd.MultiIndex.from_product(
        [departments["department"].tolist(), group_ids], names=["department", "group"]
    )
    frame = (
        fits.set_index(["department", "group"])[["vacancies", "reason"]]
        .reindex(grid)
        .fillna({"vacancies": 0.0, "reason": ""})
        .reset_index()
    )
    share = frame["department"].map(departments.set_index("department")["referral_share"])
    fitting = frame["reason"] == ""
    frame["capacity"] = (share * frame["vacancies"]).where(fitting)
    return frame


def waiting_list_profile(applicants: Applicants) -> tuple[float, float]:
    """Adults 18–64 per waiting-list household, and of them outside work (pool averages)."""
    couples = float(np.mean(applicants.couple_share_by_rooms))
    adults = 1.0 + couples
    outside = 1.0 - applicants.employed_share - applicants.student_share
    return adults, adults * outside


# --------------------------------------------------------------------------------------------------
# The optimised policy inside the model


def planning_input_from_model(model: PlanningView) -> PlanningInput:
    """Departments, dwellings and demand as the municipality sees them, for the next period.

    The residents' mix is the department figures of ``agreement.data_lag_years`` years ago
    (:meth:`PlanningView.department_figures`); the lists, the agreed shares and the queue are
    those of the day.
    """
    scenario = model.loaded.scenario
    months = scenario.optimiser.planning_months
    stock = model.stock
    departments = model.departments
    counts = model.department_figures()
    turnover = departments.turnover
    ids = np.asarray(departments.ids, dtype=object)
    listed_area = model.areas.listed[departments.area]

    key = stock.department.astype(np.int64) * 8 + stock.rooms.astype(np.int64)
    unique, first, dwellings = np.unique(key, return_index=True, return_counts=True)
    department = unique // 8
    types = pd.DataFrame(
        {
            "department": ids[department],
            "rooms": unique % 8,
            "rent_kr": stock.rent[first].astype(np.float64),
            "vacancies": dwellings * turnover[department] * months / 12.0,
        }
    )
    frame = pd.DataFrame(
        {
            "department": ids,
            "vacancies": np.diff(stock.first_slot) * turnover * months / 12.0,
            "referral_share": departments.referral_share,
            "households": counts.households,
            "adults": counts.adults_18_64,
            "adults_outside": counts.outside_18_64,
            "listed": listed_area,
        }
    )
    queue = model.queue
    waiting = {subgroup: 0.0 for subgroup in subgroup_ids(scenario.referral_groups)}
    for referral_id in queue.waiting_ids():
        waiting_group = queue.group_ids[queue.group[referral_id]]
        waiting[waiting_group + (BARRED if queue.barred_udsat[referral_id] else "")] += 1.0
    for group_id, group in scenario.referral_groups.items():
        arriving = group.arrivals_per_year * months / 12.0
        barred = group.barred_share
        waiting[group_id] += arriving * (1.0 - barred)
        waiting[group_id + BARRED] += arriving * barred
    return PlanningInput(frame, types, waiting)


def plan_from_model(model: PlanningView) -> Plan:
    """Plan the coming period's referrals from the model's state (the ``optimised`` policy).

    The plan covers ``optimiser.planning_months``; the municipality follows it until the next
    re-planning, ``optimiser.replan_every_months`` later, so each department and (sub)group gets
    that fraction of its planned referrals as quota.
    """
    scenario = model.loaded.scenario
    settings = scenario.optimiser
    problem = problem_from_input(planning_input_from_model(model), scenario)
    solver = None if settings.solver == "auto" else settings.solver
    plan = plan_referrals(problem, solver=solver, integer=settings.integer)
    return quota_from_plan(plan, model, settings.replan_every_months / settings.planning_months)


def quota_from_plan(plan: ReferralPlan, model: PlanningView, fraction: float) -> Plan:
    """Per department and waiting class, the referrals the plan still wants in this window."""
    groups = model.queue.group_ids
    index = {department: i for i, department in enumerate(model.departments.ids)}
    remaining = np.zeros((model.departments.count, plan_classes(len(groups))))
    allocation = plan.allocation
    for department, subgroup, referrals in zip(
        allocation["department"], allocation["group"], allocation["referrals"], strict=True
    ):
        barred = subgroup.endswith(BARRED)
        group = groups.index(subgroup.removesuffix(BARRED))
        remaining[index[department], waiting_class(group, barred)] += referrals * fraction
    return Plan(remaining)


# --------------------------------------------------------------------------------------------------
# The plan for the coming period, from a scenario's department data


def planning_input_from_scenario(loaded: LoadedScenario, months: int) -> PlanningInput:
    """Departments, dwellings and demand at the start of a scenario, for ``months`` ahead.

    Referral shares are those the agreement gives at the start: the 1 December pipeline
    (:func:`simulation.rules.december.first_of_december`) run on the department data places the
    departments on their tiers from the lists it implies. Demand is the referral groups' arrivals
    over the period, split by the share with a barred trait.
    """
    frame = loaded.departments
    scenario = loaded.scenario
    counts = counts_from_departments(frame)
    area_ids = list(dict.fromkeys(frame["area"]))
    publication = first_of_december(
        scenario,
        counts,
        department_ids=list(frame["department"]),
        department_area=frame["area"].map({a: i for i, a in enumerate(area_ids)}).to_numpy(),
        area_ids=area_ids,
        residents_january=counts.residents,
        year=scenario.horizon.start_year - 1,
        history=ListHistory(),
    )
    per_year = (
        dwelling_types(frame, scenario.behaviour)
        .groupby("department", sort=False)["vacancies"]
        .sum()
    )
    types = dwelling_types(frame, scenario.behaviour, months)
    lists = publication.department_lists
    departments = pd.DataFrame(
        {
            "department": frame["department"],
            "vacancies": per_year.reindex(frame["department"]).to_numpy() * months / 12.0,
            "referral_share": publication.placement.referral_share,
            "households": frame["households"].to_numpy(np.float64),
            "adults": frame["residents_18_64"].to_numpy(np.float64),
            "adults_outside": frame["outside_work_education_18_64"].to_numpy(np.float64),
            "listed": (lists["udsat"] | lists["forebyggelsesomraade"]).to_numpy(bool),
        }
    )
    demand: dict[str, float] = {}
    for group_id, group in scenario.referral_groups.items():
        arriving = group.arrivals_per_year * months / 12.0
        demand[group_id] = arriving * (1.0 - group.barred_share)
        demand[group_id + BARRED] = arriving * group.barred_share
    return PlanningInput(
        departments, types[["department", "rooms", "rent_kr", "vacancies"]], demand
    )


def plan_for_scenario(
    loaded: LoadedScenario,
    *,
    months: int | None = None,
    integer: bool | None = None,
    solver: str | None = None,
) -> tuple[PlanningInput, ReferralPlan]:
    """Plan the coming period's referrals for a scenario (what ``blandetby optimise`` does).

    Parameters
    ----------
    loaded
        The scenario.
    months
        The period planned (default: ``optimiser.planning_months``).
    integer
        Whole referrals (default: ``optimiser.integer``).
    solver
        ``"highs"`` or ``"cbc"`` (default: ``optimiser.solver``; ``"auto"`` = HiGHS if installed).

    Returns
    -------
    tuple of PlanningInput and optimisation.ReferralPlan
        What the plan was made from (departments with their list status, dwellings, demand) and
        the plan.

    Raises
    ------
    optimisation.SolverError
        If the solver does not reach a proven optimum.
    """
    settings = loaded.scenario.optimiser
    planning = planning_input_from_scenario(loaded, months or settings.planning_months)
    problem = problem_from_input(planning, loaded.scenario)
    chosen = solver or (None if settings.solver == "auto" else settings.solver)
    plan = plan_referrals(
        problem, solver=chosen, integer=settings.integer if integer is None else integer
    )
    return planning, plan
