"""From the world to the referral LP and back: the ``optimised`` placement policy and its command.

The simulation translates into :mod:`optimisation` (a pure library) the way PyPSA builds a linopy
model: departments become rows with their expected vacancies, agreed referral share and resident
mix; referral groups become rows with their demand and household profile; dwellings that do not
fit a group (rooms, rent) and the § 59 stk. 6/7 bans become exclusions with their reason. Each
group is split three ways, as the simulation's queue splits it
(:data:`simulation.rules.referrals.BAN_CLASSES`): households free of any ban (``<group>``),
households barred from udsatte boligområder only (§ 59 stk. 6, ``<group>:barred_udsat``), and
households barred from forebyggelsesområder too (stk. 7, ``<group>:barred_prevention``).

Where a group fits, it fits only some of a department's dwellings: each allowed (department,
subgroup) pair gets a *capacity*, the referral slots in dwellings that fit the group,
``referral_share × fitting vacancies`` (households per period), so the plan does not send a group
where its few fitting dwellings cannot take it. The two subgroups of a group need the same
dwellings, so they form one *capacity pool* (see :func:`problem_from_input`).

Claims are counted as the agreement counts them (``agreement.referral_accounting``,
``claim_carry_over_months``; :func:`claim_units`, :func:`pooled_share`): per department as of
old; pooled per housing organisation or across the municipality with a claims row per unit when
unused claims carry over (the claims banked in a running model included, :func:`banked_claims`),
else each department at its unit's average share (``docs/optimiser.md``, "Pooled claims").

Two sources use the same translation: a scenario's department data (``blandetby optimise``, the
plan for the coming year) and a running model's state (the ``optimised`` policy, which re-plans
every quarter and follows the plan when it claims vacancies).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from optimisation import ReferralPlan, ReferralProblem, WarmStart, plan_matrix, plan_referrals
from simulation.inputs.scenario import (
    Agreement,
    Applicants,
    LoadedScenario,
    ReferralGroup,
    Scenario,
)
from simulation.law.regimes import OUTSIDE_WORK_EDUCATION, regime_rules
from simulation.people.capacity import dwelling_types, fitting_vacancies
from simulation.people.households import AGE_SPREAD_YEARS
from simulation.people.population import DepartmentCounts, Population, Status, Stock, working_age
from simulation.people.state import AreaState, DepartmentState
from simulation.rules.december import ListHistory, first_of_december
from simulation.rules.indicators import counts_from_departments
from simulation.rules.letting import Plan
from simulation.rules.referrals import (
    BAN_CLASSES,
    ReferralQueue,
    ban_class,
    ban_class_shares,
    plan_classes,
    waiting_class,
)

__all__ = [
    "BAN_SUFFIXES",
    "OptimisedPlanner",
    "Planner",
    "PlanningArrays",
    "PlanningInput",
    "PlanningView",
    "applicant_outside_share",
    "area_ceilings",
    "banked_claims",
    "claim_units",
    "demand_by_subgroup",
    "fitting_capacity",
    "newcomer_from_couples",
    "newcomer_profile",
    "open_plan",
    "plan_for_scenario",
    "plan_from_model",
    "planner_for",
    "planning_input_from_model",
    "planning_input_from_scenario",
    "pooled_share",
    "problem_from_arrays",
    "problem_from_input",
    "quota_from_matrix",
    "split_subgroup",
    "subgroup_ids",
    "threshold_plan",
]

BAN_SUFFIXES = ("", *(f":{name}" for name in BAN_CLASSES[1:]))
"""Suffix of each ban subgroup of a referral group, in the order of
:data:`~simulation.rules.referrals.BAN_CLASSES`: ``""`` (free), ``":barred_udsat"`` (barred from
udsatte boligområder only, § 59 stk. 6) and ``":barred_prevention"`` (barred from
forebyggelsesområder too, stk. 7)."""


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
"""Makes the municipality's referral plan from a running model (the ``optimised`` policy, the
``threshold_rule``, or first come at a capped volume)."""


@dataclass(frozen=True)
class PlanningInput:
    """What the referral LP needs to know, from either source.

    Attributes
    ----------
    departments
        One row per department: ``department``, ``vacancies`` (expected in the period),
        ``referral_share``, ``households``, ``adults`` (18–64), ``adults_outside``, ``udsat``
        (its area is an udsat boligområde, parallelsamfund and omdannelsesområde included),
        ``forebyggelsesomraade`` (its area is a forebyggelsesområde), ``listed`` (either),
        ``area`` (its area id) and ``outside_share_known`` (its share of adults 18–64 outside
        work or education as the municipality knows it, which newcomers resemble).
    dwelling_types
        One row per department and dwelling size: ``department``, ``rooms``, ``rent_kr``,
        ``vacancies`` (expected in the period).
    demand
        Households to plan for per subgroup id (``<group>`` with each of :data:`BAN_SUFFIXES`).
    areas
        One row per area: ``area``, ``residents`` and ``nonwestern_share`` (0–1); ``None``
        protects no area.
    carried_claims
        Claims waiting now per accounting unit (:func:`claim_units`), from a running model's
        banked claims; ``None`` for none.

    ``departments`` may also have ``organisation`` (the housing organisation's id), which
    ``agreement.referral_accounting = "organisation"`` needs.
    """

    departments: pd.DataFrame
    dwelling_types: pd.DataFrame
    demand: Mapping[str, float]
    areas: pd.DataFrame | None = None
    carried_claims: Mapping[str, float] | None = None


def subgroup_ids(groups: Mapping[str, ReferralGroup]) -> list[str]:
    """The LP's group ids: each referral group, then its two barred subgroups."""
    return [f"{group}{suffix}" for group in groups for suffix in BAN_SUFFIXES]


def split_subgroup(subgroup: str) -> tuple[str, int]:
    """The referral group of an LP group id and its ban class (position in ``BAN_CLASSES``).

    Examples
    --------
    >>> split_subgroup("refugees"), split_subgroup("refugees:barred_prevention")
    (('refugees', 0), ('refugees', 2))
    """
    for position in range(len(BAN_SUFFIXES) - 1, 0, -1):
        if subgroup.endswith(BAN_SUFFIXES[position]):
            return subgroup.removesuffix(BAN_SUFFIXES[position]), position
    return subgroup, 0


def demand_by_subgroup(
    scenario: Scenario, months: float, waiting: Mapping[str, float] | None = None
) -> dict[str, float]:
    """Households to plan for per LP group: those waiting plus the arrivals expected in ``months``.

    Arrivals are split by the expected share of each ban class
    (:func:`simulation.rules.referrals.ban_class_shares`), drawn as the queue draws them.
    """
    demand = {subgroup: 0.0 for subgroup in subgroup_ids(scenario.referral_groups)}
    for subgroup, count in (waiting or {}).items():
        demand[subgroup] += count
    include_benefits = scenario.legal.prevention_bans_include_benefits
    for group_id, group in scenario.referral_groups.items():
        arriving = group.arrivals_per_year * months / 12.0
        shares = ban_class_shares(group, prevention_bans_include_benefits=include_benefits)
        for suffix, share in zip(BAN_SUFFIXES, shares, strict=True):
            demand[group_id + suffix] += arriving * share
    return demand


@dataclass(frozen=True)
class PlanningArrays:
    """What the referral LP is built from, as arrays in department order (from either source).

    Attributes
    ----------
    department_ids
        The departments, in order.
    vacancies, referral_share, households, adults, adults_outside
        Per department, as in :class:`PlanningInput`'s ``departments``.
    udsat, forebyggelsesomraade
        Per department: its area is an udsat boligområde / a forebyggelsesområde.
    fitting
        Departments × referral groups: expected vacancies in the period that fit the group by
        rooms and rent.
    rooms_ok
        Departments × referral groups: some dwelling has rooms enough for the group.
    has_dwellings
        Per department: it has any dwellings (one without fits nothing, with capacity 0).
    demand
        Households to plan for per subgroup id.
    area, newcomer_adults, newcomer_outside
        Per department its area id, and the newcomer profile (:func:`newcomer_profile`);
        ``None`` where the source has no areas.
    areas
        One row per area (``area``, ``residents``, ``nonwestern_share``; a frame or its columns
        as arrays), or ``None``.
    organisation
        Per department its housing organisation's id (``None`` where the source has none;
        pooling claims per organisation needs it).
    carried_claims
        Claims waiting now per accounting unit (``None``: none).
    """

    department_ids: list[str]
    vacancies: np.ndarray
    referral_share: np.ndarray
    households: np.ndarray
    adults: np.ndarray
    adults_outside: np.ndarray
    udsat: np.ndarray
    forebyggelsesomraade: np.ndarray
    fitting: np.ndarray
    rooms_ok: np.ndarray
    has_dwellings: np.ndarray
    demand: Mapping[str, float]
    area: list[str] | None = None
    newcomer_adults: np.ndarray | None = None
    newcomer_outside: np.ndarray | None = None
    areas: pd.DataFrame | Mapping[str, np.ndarray] | None = None
    organisation: list[str] | None = None
    carried_claims: Mapping[str, float] | None = None


def claim_units(
    agreement: Agreement, department_ids: list[str], organisation: list[str] | None
) -> list[str] | None:
    """The accounting unit of each department's claims, as the simulation counts them.

    ``agreement.referral_accounting``: ``organisation`` → the department's housing organisation,
    ``municipality`` → one unit (``"municipality"``), ``department`` → the department itself
    (:class:`simulation.rules.letting.ClaimAccounting`). ``None`` where claims are counted per
    department and lapse at once (the plan's own-share slots are then exactly the simulation's
    claims).

    Raises
    ------
    ValueError
        If claims are counted per organisation and the source has no organisation per department.
    """
    accounting = agreement.referral_accounting
    if accounting == "department":
        return list(department_ids) if agreement.claim_carry_over_months > 0 else None
    if accounting == "municipality":
        return ["municipality"] * len(department_ids)
    if organisation is None:
        raise ValueError(
            "agreement.referral_accounting = 'organisation' needs each department's housing "
            "organisation (column 'organisation' of the department data)"
        )
    return [str(ident) for ident in organisation]


def pooled_share(units: list[str], share: np.ndarray, vacancies: np.ndarray) -> np.ndarray:
    """The share of its vacancies each department's claims take when claims lapse at once.

    Claims counted per unit fall on the vacancy that completes the unit's credit, in any of its
    departments with a share above 0, so without carry-over a department's expected claims are
    its vacancies times the unit's average share, ``C_u / V_u`` (claims earned over the
    vacancies of its departments with a share above 0); 0 where its own share is 0.
    """
    codes, index = np.unique(np.asarray(units, dtype=object), return_inverse=True)
    claiming = share > 0
    claims = np.bincount(index, share * vacancies, minlength=codes.size)
    claimed_vacancies = np.bincount(index, np.where(claiming, vacancies, 0.0), minlength=codes.size)
    with np.errstate(divide="ignore", invalid="ignore"):
        average = np.where(claimed_vacancies > 0, claims / claimed_vacancies, 0.0)
    result: np.ndarray = np.where(claiming, average[index], 0.0)
    return result


def problem_from_input(
    planning: PlanningInput, scenario: Scenario, *, extra_exclusions: pd.DataFrame | None = None
) -> ReferralProblem:
    """Build the referral LP from planning input and the scenario's groups and settings.

    Compatibility comes from the dwellings (:func:`simulation.people.capacity.fitting_vacancies`): a
    department where no dwelling fits a group by rooms and rent is excluded for it with that
    reason; elsewhere the pair's capacity is ``referral_share × fitting vacancies`` (referrals per
    period the fitting dwellings can take). The § 59 bans exclude, as the simulation's queue
    does (:meth:`simulation.rules.referrals.ReferralQueue.longest_waiting`), the subgroup barred
    from udsatte boligområder (stk. 6) from departments in udsat areas, and the subgroup barred
    from forebyggelsesområder (stk. 7) from departments in udsat areas and forebyggelsesområder.

    The fitting dwellings of a department are one resource for the three subgroups of a group
    (same rooms, same rent limit; a ban only restricts *where*), so they form one capacity pool,
    ``capacity_pool = <group>``, and the LP limits their sum,
    ``Σ_subgroups x_d,g:s ≤ share_d × fitting_d,g`` (row ``fits_<department>_<group>``). This is
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
    ids = departments["department"].tolist()
    fits = fitting_capacity(planning, list(groups), dict(groups))
    shape = (len(ids), len(groups))
    fitting = fits["vacancies"].to_numpy(np.float64).reshape(shape)
    reason = fits["reason"].to_numpy(object).reshape(shape)
    has_dwellings = np.isin(ids, planning.dwelling_types["department"].unique())
    area = newcomer_adults = newcomer_outside = None
    areas = None
    if "area" in departments and "outside_share_known" in departments:
        area = departments["area"].tolist()
        if "newcomer_outside_share" in departments:  # from a running model: its applicant mix
            drawn_at = departments["newcomer_outside_share"].to_numpy(np.float64)
        else:
            drawn_at = applicant_outside_share(
                scenario.applicants, departments["outside_share_known"].to_numpy(np.float64)
            )
        newcomer_adults, newcomer_outside = newcomer_profile(
            scenario.applicants, planning.dwelling_types, departments["department"], drawn_at
        )
        areas = planning.areas
    arrays = PlanningArrays(
        department_ids=ids,
        vacancies=departments["vacancies"].to_numpy(np.float64),
        referral_share=departments["referral_share"].to_numpy(np.float64),
        households=departments["households"].to_numpy(np.float64),
        adults=departments["adults"].to_numpy(np.float64),
        adults_outside=departments["adults_outside"].to_numpy(np.float64),
        udsat=departments["udsat"].to_numpy(bool),
        forebyggelsesomraade=departments["forebyggelsesomraade"].to_numpy(bool),
        fitting=fitting,
        rooms_ok=reason != "rooms",
        has_dwellings=has_dwellings,
        demand=planning.demand,
        area=area,
        newcomer_adults=newcomer_adults,
        newcomer_outside=newcomer_outside,
        areas=areas,
        organisation=(
            [str(ident) for ident in departments["organisation"]]
            if "organisation" in departments
            else None
        ),
        carried_claims=planning.carried_claims,
    )
    return problem_from_arrays(arrays, scenario, extra_exclusions=extra_exclusions)


def problem_from_arrays(
    planning: PlanningArrays, scenario: Scenario, *, extra_exclusions: pd.DataFrame | None = None
) -> ReferralProblem:
    """Build the referral LP from planning arrays (see :func:`problem_from_input`).

    Parameters
    ----------
    planning
        Departments, what fits them and demand, as arrays.
    scenario
        Supplies the referral groups, the waiting-list profile and the optimiser settings.
    extra_exclusions
        More excluded pairs (``department``, ``group``, ``reason``), if any.
    """
    groups = scenario.referral_groups
    group_ids = list(groups)
    subgroups = subgroup_ids(groups)
    ids = planning.department_ids
    kinds = len(BAN_SUFFIXES)
    parent = np.repeat(np.arange(len(group_ids)), kinds)  # subgroup → its referral group
    kind = np.tile(np.arange(kinds), len(group_ids))  # subgroup → its ban class
    fitting = planning.fitting[:, parent]
    fits = (fitting > 0) | ~planning.has_dwellings[:, None]
    reasons = np.where(fits, "", np.where(planning.rooms_ok[:, parent], "rent", "rooms"))
    udsat = planning.udsat.astype(bool)
    barred_where = np.stack([np.zeros_like(udsat), udsat, udsat | planning.forebyggelsesomraade])
    banned = barred_where[kind].T  # departments × subgroups
    # each excluded pair's reasons as a code into `found` (rent/rooms or neither, plus ban)
    departments_out, subgroups_out = np.nonzero(~fits | banned)
    code = np.where(
        fits[departments_out, subgroups_out],
        0,
        np.where(reasons[departments_out, subgroups_out] == "rent", 2, 4),
    ) + banned[departments_out, subgroups_out].astype(np.intp)
    found = ((), ("ban",), ("rent",), ("rent", "ban"), ("rooms",), ("rooms", "ban"))
    exclusions: dict[tuple[Hashable, Hashable], tuple[str, ...]] = {
        (ids[department], subgroups[subgroup]): found[reasons_code]
        for department, subgroup, reasons_code in zip(
            departments_out.tolist(), subgroups_out.tolist(), code.tolist(), strict=True
        )
    }
    if extra_exclusions is not None:
        for department, subgroup, reason in zip(
            extra_exclusions["department"],
            extra_exclusions["group"],
            extra_exclusions["reason"],
            strict=True,
        ):
            known = exclusions.get((department, subgroup), ())
            if reason not in known:
                exclusions[(department, subgroup)] = (*known, str(reason))
    share, claim_unit, carried = _claims(planning, scenario.agreement)
    capacity = np.where(fits, share[:, None] * fitting, np.inf)
    dwellings = np.where(fits, np.floor(fitting + 1e-9), np.inf)
    adults = np.array([1.0 + groups[g].couple_share for g in group_ids])[parent]
    outside = adults * np.array([groups[g].outside_work_education_share for g in group_ids])[parent]
    settings = scenario.optimiser
    waiting_adults, waiting_outside = waiting_list_profile(scenario.applicants)
    ceilings: dict[Hashable, float] | None = None
    if planning.area is not None and planning.areas is not None:
        ceilings = {area: value for area, value in area_ceilings(planning.areas, scenario).items()}
    return ReferralProblem(
        departments=tuple(ids),
        groups=tuple(subgroups),
        vacancies=planning.vacancies,
        referral_share=planning.referral_share if claim_unit is not None else share,
        households=planning.households,
        adults=planning.adults,
        adults_outside=planning.adults_outside,
        demand=np.array([float(planning.demand.get(sub, 0.0)) for sub in subgroups]),
        adults_per_household=adults,
        outside_per_household=outside,
        compatible=fits & ~banned,
        exclusions=exclusions,
        waiting_list_adults=waiting_adults,
        waiting_list_outside=waiting_outside,
        threshold=settings.threshold,
        margin=settings.safety_margin,
        capacity=capacity,
        capacity_pool=tuple(group_ids[g] for g in parent.tolist()),
        newcomer_adults=planning.newcomer_adults,
        newcomer_outside=planning.newcomer_outside,
        area=None if planning.area is None else tuple(planning.area),
        area_ceiling=ceilings,
        department_ceilings=settings.protect != "areas" or ceilings is None,
        dwellings=dwellings,
        claim_unit=None if claim_unit is None else tuple(claim_unit),
        carried_claims=carried,
        unit_kind=scenario.agreement.referral_accounting,
    )


def _claims(
    planning: PlanningArrays, agreement: Agreement
) -> tuple[np.ndarray, list[str] | None, dict[Hashable, float] | None]:
    """How the agreement's claim accounting enters the LP (``docs/optimiser.md``, "Pooled claims").

    Returns the share of each department's fitting vacancies its capacity counts, the claim
    unit of each department (``None``: no ``claims`` rows) and the claims each unit carries.
    Counted per department without carry-over: the department's own share, no units (the LP of
    old). Pooled without carry-over: no units either, but each department claims at its unit's
    average share (:func:`pooled_share`), since the claims fall where the unit's vacancies
    complete them and lapse unused. With carry-over an unused claim waits for the unit's next
    vacancy, so the plan may move claims within the unit: a ``claims`` row per unit (with the
    claims banked now), and each department limited only by its vacancies and the dwellings
    that fit (share 1 where its own share is above 0).
    """
    share = np.asarray(planning.referral_share, np.float64)
    units = claim_units(agreement, planning.department_ids, planning.organisation)
    if units is None:
        return share, None, None
    if agreement.claim_carry_over_months == 0:
        return pooled_share(units, share, np.asarray(planning.vacancies, np.float64)), None, None
    carried: dict[Hashable, float] = {
        unit: float(count) for unit, count in (planning.carried_claims or {}).items() if count
    }
    return (share > 0).astype(np.float64), units, carried or None


def area_ceilings(areas: pd.DataFrame | Mapping[str, Any], scenario: Scenario) -> dict[str, float]:
    """The protected areas and the ceiling on each one's end-of-period outside-work share.

    An area is protected when it can be listed in the period: it has at least
    ``(1 − optimiser.area_resident_margin) × legal.minimum_residents`` residents (or
    ``optimiser.protect_small_areas`` says so). Its ceiling is the lowest outside-work threshold
    of a list it can reach, less ``optimiser.safety_margin``: ``optimiser.threshold`` (40 %, the
    udsat list), or the forebyggelse list's own threshold (30 %) where the regime has that list
    and the area's non-western share is above its non-western threshold less the margin. With
    ``optimiser.protect = "departments"`` no area is protected.

    Parameters
    ----------
    areas
        ``area``, ``residents`` and ``nonwestern_share`` (0–1), one row per area (a frame, or a
        mapping of the three columns to arrays).
    scenario
        Supplies the regime, the resident minimum and the optimiser settings.

    Returns
    -------
    dict
        Area id → ceiling (share 0–1), for the protected areas only.
    """
    settings = scenario.optimiser
    if settings.protect == "departments":
        return {}
    rules = regime_rules(scenario.legal.regime)
    margin = settings.safety_margin
    smallest = (1.0 - settings.area_resident_margin) * scenario.legal.minimum_residents
    udsat = max(0.0, settings.threshold - margin)
    prevention = udsat
    area_ids = list(areas["area"])
    reachable = np.zeros(len(area_ids), dtype=bool)
    if rules.has_prevention and OUTSIDE_WORK_EDUCATION.prevention_threshold is not None:
        prevention = max(0.0, OUTSIDE_WORK_EDUCATION.prevention_threshold / 100 - margin)
        nonwestern = float(rules.prevention_nonwestern_pct or 0.0) / 100
        reachable = np.asarray(areas["nonwestern_share"], np.float64) > nonwestern - margin
    listable = np.asarray(areas["residents"], np.float64) >= smallest
    if settings.protect_small_areas:
        listable[:] = True
    ceiling = np.where(reachable, min(prevention, udsat), udsat)
    return {
        str(area): float(value)
        for area, value, protected in zip(
            area_ids, ceiling.tolist(), listable.tolist(), strict=True
        )
        if protected
    }


def newcomer_profile(
    applicants: Applicants,
    dwelling_types: pd.DataFrame,
    department_ids: pd.Series,
    outside_share: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Adults 18–64 of a non-referral newcomer per department, and of them outside work.

    The simulation's own newcomer model (:func:`simulation.people.households.draw_applicants`):
    a household has two adults with the couple share of the dwelling's size, an adult is 18–64
    with the chance its drawn age is under 65, and outside work or education with the share the
    simulation draws applicants at (:func:`applicant_outside_share`; in a running model its
    applicant mix), so fragile departments draw more newcomers outside work.

    Parameters
    ----------
    applicants
        The applicant profile.
    dwelling_types
        ``department``, ``rooms`` and ``vacancies`` (the mix of dwellings let).
    department_ids
        The departments, in order.
    outside_share
        Each department's share of applicants' adults 18–64 drawn outside work or education.
    """
    couples = np.asarray(applicants.couple_share_by_rooms, np.float64)
    rooms = np.clip(dwelling_types["rooms"].to_numpy(np.int64) - 1, 0, len(couples) - 1)
    weights = dwelling_types["vacancies"].to_numpy(np.float64)
    frame = pd.DataFrame(
        {
            "department": dwelling_types["department"].to_numpy(),
            "weighted": weights * couples[rooms],
            "weights": weights,
        }
    )
    totals = frame.groupby("department", sort=False)[["weighted", "weights"]].sum()
    totals = totals.reindex(department_ids.to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        share = (totals["weighted"] / totals["weights"]).to_numpy(np.float64)
    return newcomer_from_couples(applicants, share, outside_share)


def newcomer_from_couples(
    applicants: Applicants, couple_share: np.ndarray, outside_share: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`newcomer_profile` from each department's couple share of its lettings (NaN: none).

    ``outside_share`` is the share of a newcomer's adults 18–64 drawn outside work or education
    (the simulation's applicant mix, ``DepartmentState.mix.outside_share``, or
    :func:`applicant_outside_share` of the department data).
    """
    couples = np.asarray(applicants.couple_share_by_rooms, np.float64)
    share = np.where(np.isfinite(couple_share), couple_share, float(np.mean(couples)))
    # adults are drawn at ages normal(age_mean, AGE_SPREAD_YEARS); those 65 and over do not count
    under_65 = 0.5 * (1.0 + math.erf((65.0 - applicants.age_mean) / (AGE_SPREAD_YEARS * 2**0.5)))
    adults = (1.0 + share) * under_65
    outside = adults * np.clip(outside_share, 0.0, 1.0)
    return adults, outside


def applicant_outside_share(applicants: Applicants, outside_share: np.ndarray) -> np.ndarray:
    """The share outside work of applicants to departments whose residents show ``outside_share``.

    As :func:`simulation.people.households.applicant_mix` draws them where the residents are the
    department data (day 0, or a department that still looks like it): its own intake
    (``applicant_anchor = "department"``) or the applicant pool (``"pool"``), moved toward the
    residents by the sorting of work and education.
    """
    known = np.clip(np.asarray(outside_share, np.float64), 0.0, 1.0)
    if applicants.applicant_anchor == "department":
        return known
    trait = applicants.sorting_by_trait.outside_work_education
    sorting = applicants.sorting if trait is None else trait
    pool = 1.0 - applicants.employed_share - applicants.student_share
    result: np.ndarray = (1.0 - sorting) * pool + sorting * known
    return result


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
        rows), and ``dwellings``, the whole fitting dwellings expected to fall vacant (the
        capacity of an integer plan, whose whole claims ask for dwellings that fit). A department
        without dwellings fits nothing: capacity 0 (it has no vacancies).
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
    frame["dwellings"] = np.floor(frame["vacancies"] + 1e-9).where(fitting)
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
    udsat = model.areas.udsat[departments.area]
    prevention = model.areas.forebyggelsesomraade[departments.area]
    area_ids = np.asarray(model.areas.ids, dtype=object)

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
            "udsat": udsat,
            "forebyggelsesomraade": prevention,
            "listed": udsat | prevention,
            "area": area_ids[departments.area],
            "outside_share_known": departments.outside_share,
            "newcomer_outside_share": departments.mix.outside_share,
            "organisation": _organisations(departments),
        }
    )
    waiting = _waiting(model)
    areas = _area_frame(area_ids, departments.area, counts.residents, counts.nonwestern)
    return PlanningInput(
        frame,
        types,
        demand_by_subgroup(scenario, months, waiting),
        areas,
        carried_claims=banked_claims(model),
    )


def _organisations(departments: DepartmentState) -> list[str]:
    """Each department's housing organisation id."""
    ids = departments.organisation_ids
    return [str(ids[int(index)]) for index in departments.organisation.tolist()]


def banked_claims(model: PlanningView) -> dict[str, float]:
    """Claims waiting now per accounting unit (:func:`claim_units`), from the running model.

    The municipality's :class:`~simulation.rules.letting.ClaimAccounting` banks each unused claim
    under its unit's first department (``banked``) while ``agreement.claim_carry_over_months``
    lets it wait. A banked claim counts for the part of the planning period it still lives:
    earned in month ``e``, it can be used up to month ``e + carry_over_months``, so in a period of
    ``optimiser.planning_months`` months from now it counts ``min(1, (e + carry_over − now + 1) /
    planning_months)`` of a claim, as the period's vacancies (which the plan spreads evenly)
    arrive before it lapses. A model without a municipality (or with nothing banked) carries none.
    """
    accounting = getattr(getattr(model, "municipality", None), "accounting", None)
    banked = getattr(accounting, "banked", None)
    if not banked:
        return {}
    scenario = model.loaded.scenario
    departments = model.departments
    units = claim_units(scenario.agreement, list(departments.ids), _organisations(departments))
    if units is None:
        return {}
    period = max(1, int(scenario.optimiser.planning_months))
    last_month = model.month + period - 1  # the period's last month
    carry_over = int(scenario.agreement.claim_carry_over_months)
    carried: dict[str, float] = {}
    for first, claims in banked.items():
        alive = 0.0
        for earned, *_ in claims:
            months_left = min(int(earned) + carry_over, last_month) - model.month + 1
            if months_left > 0:
                alive += months_left / period
        if alive > 0:
            unit = units[int(first)]
            carried[unit] = carried.get(unit, 0.0) + alive
    return carried


def _area_frame(
    area_ids: np.ndarray, department_area: np.ndarray, residents: np.ndarray, nonwestern: np.ndarray
) -> pd.DataFrame:
    """Residents and non-western share per area, from per-department counts."""
    return pd.DataFrame(_area_columns(area_ids, department_area, residents, nonwestern))


def _area_columns(
    area_ids: np.ndarray, department_area: np.ndarray, residents: np.ndarray, nonwestern: np.ndarray
) -> dict[str, np.ndarray]:
    """Residents and non-western share per area, from per-department counts, as columns."""
    size = len(area_ids)
    people = np.bincount(department_area, residents.astype(np.float64), minlength=size)
    foreign = np.bincount(department_area, nonwestern.astype(np.float64), minlength=size)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(people > 0, foreign / people, 0.0)
    return {"area": area_ids, "residents": people, "nonwestern_share": share}


class OptimisedPlanner:
    """The ``optimised`` policy of one run: re-plans each quarter, building only what changed.

    What the referral LP needs of the dwellings (which fit each group by rooms and rent, and the
    couple share of their lettings) does not change during a run, so it is worked out from the
    stock once, at the first plan; each re-plan reads only the state that moves (turnover,
    referral shares, the residents' counts, the lists, the queue), builds the problem from
    arrays (:func:`problem_from_arrays`, as :func:`problem_from_input` does from tables) and asks
    the optimiser for the referral matrix only (:func:`optimisation.plan_matrix`), whose stage 1
    starts from the last quarter's optimal basis where the LP has the same shape
    (:class:`optimisation.WarmStart`). The problem is
    the one :func:`problem_from_input` builds from :func:`planning_input_from_model` (a test holds
    them equal); this way costs a few milliseconds a quarter instead of a quarter of a second.
    """

    def __init__(self) -> None:
        self._dwellings: _DwellingTypes | None = None
        self._warm_start = WarmStart()

    def problem(self, model: PlanningView) -> ReferralProblem:
        """The referral problem of the coming period, from the model's state now."""
        scenario = model.loaded.scenario
        if self._dwellings is None:
            self._dwellings = _DwellingTypes.from_model(model)
        dwellings = self._dwellings
        months = scenario.optimiser.planning_months
        departments = model.departments
        per_period = departments.turnover * months / 12.0
        counts: _PlanningCounts | DepartmentCounts
        if scenario.agreement.data_lag_years:  # the figures of the agreement's data lag
            counts = model.department_figures()
        else:
            counts = _PlanningCounts.now(model.population, model.month)
        area_ids = np.asarray(model.areas.ids, dtype=object)
        couples = np.where(per_period > 0, dwellings.couple_share, np.nan)
        newcomer_adults, newcomer_outside = newcomer_from_couples(
            scenario.applicants, couples, departments.mix.outside_share
        )
        arrays = PlanningArrays(
            department_ids=list(departments.ids),
            vacancies=dwellings.per_department * per_period,
            referral_share=np.asarray(departments.referral_share, np.float64),
            households=counts.households.astype(np.float64),
            adults=counts.adults_18_64.astype(np.float64),
            adults_outside=counts.outside_18_64.astype(np.float64),
            udsat=model.areas.udsat[departments.area],
            forebyggelsesomraade=model.areas.forebyggelsesomraade[departments.area],
            fitting=dwellings.fitting * per_period[:, None],
            rooms_ok=dwellings.rooms_ok,
            has_dwellings=dwellings.per_department > 0,
            demand=demand_by_subgroup(scenario, months, _waiting(model)),
            area=area_ids[departments.area].tolist(),
            newcomer_adults=newcomer_adults,
            newcomer_outside=newcomer_outside,
            areas=_area_columns(area_ids, departments.area, counts.residents, counts.nonwestern),
            organisation=_organisations(departments),
            carried_claims=banked_claims(model),
        )
        return problem_from_arrays(arrays, scenario)

    def __call__(self, model: PlanningView) -> Plan:
        """Plan the coming period's referrals and return this window's quota."""
        settings = model.loaded.scenario.optimiser
        matrix = plan_matrix(
            self.problem(model),
            solver=None if settings.solver == "auto" else settings.solver,
            integer=settings.integer,
            fairness=settings.fair_shortfall,
            time_limit=settings.time_limit_seconds,
            warm_start=self._warm_start,
        )
        fraction = settings.replan_every_months / settings.planning_months
        return Plan(quota_from_matrix(matrix, model) * fraction)


@dataclass(frozen=True)
class _PlanningCounts:
    """The counts the plan reads, per department now.

    Households, adults 18–64, of them outside work or education, residents and non-western
    residents: the same sums as :meth:`simulation.people.population.Population.counts`, without
    the criteria the plan does not read (a test holds the problem built from them equal to the
    one built from ``counts``).
    """

    households: np.ndarray
    adults_18_64: np.ndarray
    outside_18_64: np.ndarray
    residents: np.ndarray
    nonwestern: np.ndarray

    @classmethod
    def now(cls, population: Population, month: int) -> _PlanningCounts:
        where = population.stock.department
        size = population.stock.departments
        in_working_age = working_age(population.adult, population.born, month)
        outside = in_working_age & (population.status == Status.OUTSIDE)
        persons = population.persons()

        def total(per_slot: np.ndarray) -> np.ndarray:
            result: np.ndarray = np.bincount(where, per_slot, minlength=size)
            return result

        return cls(
            households=total(population.occupied),
            adults_18_64=total(in_working_age.sum(axis=1)),
            outside_18_64=total(outside.sum(axis=1)),
            residents=total(persons),
            nonwestern=total(np.where(population.nonwestern, persons, 0)),
        )


@dataclass(frozen=True)
class _DwellingTypes:
    """What a run's dwellings say about referral capacity, independent of the month.

    ``per_department``: dwellings per department; ``fitting`` and ``rooms_ok``: departments ×
    referral groups, the dwellings that fit the group by rooms and rent, and whether any has
    rooms enough; ``couple_share``: the couple share of a department's lettings (by dwelling size,
    :func:`newcomer_profile`), NaN without dwellings. A dwelling type is a department's dwellings
    of one size, at the rent of its first (as :func:`planning_input_from_model` reads them).
    """

    per_department: np.ndarray
    fitting: np.ndarray
    rooms_ok: np.ndarray
    couple_share: np.ndarray

    @classmethod
    def from_model(cls, model: PlanningView) -> _DwellingTypes:
        stock = model.stock
        scenario = model.loaded.scenario
        size = model.departments.count
        key = stock.department.astype(np.int64) * 8 + stock.rooms.astype(np.int64)
        unique, first, dwellings = np.unique(key, return_index=True, return_counts=True)
        department = unique // 8
        rooms = unique % 8
        rent = stock.rent[first].astype(np.float64)
        weights = dwellings.astype(np.float64)
        groups = list(scenario.referral_groups.values())
        fitting = np.zeros((size, len(groups)))
        rooms_ok = np.zeros((size, len(groups)), dtype=bool)
        for column, group in enumerate(groups):
            big_enough = rooms >= group.rooms_min
            fits = big_enough & (rent <= group.max_rent_kr)
            fitting[:, column] = np.bincount(department, weights * fits, minlength=size)
            rooms_ok[:, column] = np.bincount(department, big_enough, minlength=size) > 0
        couples = np.asarray(scenario.applicants.couple_share_by_rooms, np.float64)
        by_rooms = couples[np.clip(rooms - 1, 0, len(couples) - 1)]
        total = np.bincount(department, weights, minlength=size)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.bincount(department, weights * by_rooms, minlength=size) / total
        return cls(np.diff(stock.first_slot).astype(np.float64), fitting, rooms_ok, share)


def _waiting(model: PlanningView) -> dict[str, float]:
    """Households waiting now per subgroup id."""
    queue = model.queue
    scenario = model.loaded.scenario
    waiting = {subgroup: 0.0 for subgroup in subgroup_ids(scenario.referral_groups)}
    for referral_id in queue.waiting_ids():
        group = queue.group_ids[queue.group[referral_id]]
        kind = ban_class(queue.barred_udsat[referral_id], queue.barred_prevention[referral_id])
        waiting[group + BAN_SUFFIXES[kind]] += 1.0
    return waiting


def plan_from_model(model: PlanningView) -> Plan:
    """Plan the coming period's referrals from the model's state (the ``optimised`` policy).

    The plan covers ``optimiser.planning_months``; the municipality follows it until the next
    re-planning, ``optimiser.replan_every_months`` later, so each department and (sub)group gets
    that fraction of its planned referrals as quota. (A run keeps one :class:`OptimisedPlanner`,
    which reuses what does not change; this makes a fresh one.)
    """
    return OptimisedPlanner()(model)


def quota_from_matrix(matrix: np.ndarray, model: PlanningView) -> np.ndarray:
    """A plan's referrals (departments × subgroups) per department and waiting class."""
    groups = model.queue.group_ids
    scenario_groups = list(model.loaded.scenario.referral_groups)
    classes = [
        waiting_class(groups.index(group_id), kind > 0, kind == 2)
        for group_id in scenario_groups
        for kind in range(len(BAN_SUFFIXES))
    ]
    remaining = np.zeros((model.departments.count, plan_classes(len(groups))))
    remaining[:, classes] += matrix
    return remaining


def quota_from_plan(plan: ReferralPlan, model: PlanningView, fraction: float) -> Plan:
    """Per department and waiting class, the referrals the plan still wants in this window."""
    return Plan(quota_from_matrix(plan.referral_matrix(), model) * fraction)


# --------------------------------------------------------------------------------------------------
# The simple rules the plan is measured against


def open_plan(model: PlanningView) -> Plan:
    """First come, first served: every department takes every household (with a volume cap)."""
    classes = plan_classes(len(model.queue.group_ids))
    return Plan(np.full((model.departments.count, classes), np.inf))


def threshold_plan(model: PlanningView) -> Plan:
    """The ``threshold_rule``: first come, first served, but no referrals above a threshold.

    A department whose share of adults 18–64 outside work or education, as published on the last
    1 December (``DepartmentState.outside_share``), is above ``agreement.threshold_rule_above``
    takes no referral; every other department takes every household (one line of an agreement,
    its threshold as data).
    """
    threshold = model.loaded.scenario.agreement.threshold_rule_above
    plan = open_plan(model)
    plan.remaining[model.departments.outside_share > threshold] = 0.0
    return plan


def planner_for(agreement: Agreement) -> Planner | None:
    """The planner of an agreement's placement policy; ``None`` for plain first come."""
    if agreement.placement_policy == "optimised":
        return OptimisedPlanner()
    if agreement.placement_policy == "threshold_rule":
        return threshold_plan
    if agreement.referral_volume_per_year is not None:
        return open_plan
    return None


# --------------------------------------------------------------------------------------------------
# The plan for the coming period, from a scenario's department data


def planning_input_from_scenario(loaded: LoadedScenario, months: int) -> PlanningInput:
    """Departments, dwellings and demand at the start of a scenario, for ``months`` ahead.

    Referral shares are those the agreement gives at the start: the 1 December pipeline
    (:func:`simulation.rules.december.first_of_december`) run on the department data places the
    departments on their tiers from the lists it implies. Demand is the referral groups' arrivals
    over the period, split by the expected share of each ban class.
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
            "udsat": lists["udsat"].to_numpy(bool),
            "forebyggelsesomraade": lists["forebyggelsesomraade"].to_numpy(bool),
            "listed": (lists["udsat"] | lists["forebyggelsesomraade"]).to_numpy(bool),
            "area": frame["area"].to_numpy(),
            "outside_share_known": np.where(
                counts.adults_18_64 > 0,
                counts.outside_18_64 / np.maximum(counts.adults_18_64, 1),
                0.0,
            ),
            "organisation": frame["organisation"].astype(str).to_numpy(),
        }
    )
    area_index = frame["area"].map({a: i for i, a in enumerate(area_ids)}).to_numpy()
    return PlanningInput(
        departments,
        types[["department", "rooms", "rent_kr", "vacancies"]],
        demand_by_subgroup(scenario, months),
        _area_frame(
            np.asarray(area_ids, dtype=object), area_index, counts.residents, counts.nonwestern
        ),
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
        problem,
        solver=chosen,
        integer=settings.integer if integer is None else integer,
        fairness=settings.fair_shortfall,
        time_limit=settings.time_limit_seconds,
    )
    return planning, plan
