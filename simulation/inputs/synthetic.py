"""Synthetic municipalities: department data with the statistics of Danish social housing.

Everything here is made up. The generator draws departments whose aggregates match the national
figures (sources in ``simulation/MODEL.md``, "Calibration"): 1.7 persons per household, 10.4 %
turnover, about a third of the 18–64-year-olds outside work and education, rents of 899 kr per m²
and year with about 8 % of dwellings affordable for a homeless person; with estates that differ along one latent axis of
deprivation, clustered by area. It serves tests and benchmarks at any size up to the whole country
(7,085 departments, about 573,000 dwellings), and builds the bundled example, Eksempelby. The
national country of :func:`synthetic_country` also matches the published lists of 2022–24 on day 0,
with a list history before it.

Examples
--------
>>> from simulation.inputs.synthetic import synthetic_departments
>>> world = synthetic_departments(50, seed=1)
>>> len(world.departments)
50
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation.inputs.departments import DWELLING_COLUMNS, RENT_COLUMNS

__all__ = [
    "COUNTRY_LISTED_AREAS",
    "NATIONAL_DEPARTMENTS",
    "PUBLISHED_LISTS",
    "AreaPlan",
    "SyntheticWorld",
    "development_plan",
    "eksempelby",
    "standard_referral_groups",
    "synthetic_country",
    "synthetic_departments",
    "synthetic_scenario",
]

NATIONAL_DEPARTMENTS = 7085
"""Departments (afdelinger) in Denmark, 1 January 2018 [C]."""

MEAN_DWELLINGS = 81.0
"""Mean dwellings per department: 573,066 dwellings / 7,085 departments [C]."""

ROOM_MIX = np.array([0.10, 0.36, 0.39, 0.15])
"""Mean share of dwellings with 1, 2, 3 and 4+ rooms [A: typical almene family stock]."""

RENT_BY_ROOMS_KR = np.array([3_500.0, 4_700.0, 5_900.0, 7_300.0])
"""Mean monthly rent by rooms: 899 kr/m²/year [C] at about 47, 63, 79 and 97 m² [A]."""

REGIONAL_MEAN_INCOME_KR = 340_000.0
"""The regional income yardstick used for synthetic municipalities [A]."""

NATIONAL_CONVICTION_SHARE = 0.0072
"""National share of residents 18+ convicted [S]."""

ORGANISATION_NAMES = (
    "Boligselskabet Fremtid",
    "Andelsboligforeningen Hjem",
    "Fællesbo",
    "Boligforeningen Læhegn",
    "Arbejdernes Byggeforening",
    "Boligkontoret Øst",
)


@dataclass(frozen=True)
class AreaPlan:
    """How to draw one area: its departments and where it sits on the deprivation axis.

    ``deprivation`` is a latent score: 0 is a typical almene estate, about +2 an estate on the
    udsat list, −1 a well-mixed one. ``origin`` shifts only the non-western share.
    """

    area: str
    name: str
    departments: int
    dwellings: int
    deprivation: float
    origin: float = 0.0
    organisation: int | None = None


@dataclass(frozen=True)
class SyntheticWorld:
    """Synthetic department data and the areas its departments belong to."""

    departments: pd.DataFrame
    areas: Mapping[str, Mapping[str, Any]]


def synthetic_departments(
    departments: int = NATIONAL_DEPARTMENTS,
    *,
    seed: int = 0,
    mean_dwellings: float = MEAN_DWELLINGS,
    area_size: int = 6,
    area_share: float = 0.6,
    organisations: int | None = None,
) -> SyntheticWorld:
    """Draw a synthetic municipality (or country) of ``departments`` departments.

    Parameters
    ----------
    departments
        Number of departments; 7,085 is the whole country.
    seed
        Seed of the generator; the same seed gives the same data.
    mean_dwellings
        Mean family dwellings per department.
    area_size
        Mean departments per area (boligområde).
    area_share
        Share of departments that belong to a named area; the rest are their own area.
    organisations
        Number of housing organisations; default one per 13 departments (561 nationally [C]).

    Returns
    -------
    SyntheticWorld
        The department table (columns of :data:`simulation.inputs.departments.COLUMNS`) and the areas.
    """
    if departments < 1:
        raise ValueError(f"departments must be at least 1, got {departments}")
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    organisations = organisations or max(1, round(departments / 12.6))
    in_areas = round(departments * area_share)
    plans: list[AreaPlan] = []
    placed = 0
    index = 0
    while placed < in_areas:
        size = int(min(in_areas - placed, max(2, rng.poisson(area_size))))
        deprivation = float(rng.normal(0.0, 0.9))
        dwellings = int(rng.lognormal(np.log(mean_dwellings * 1.12), 0.35) * size)
        index += 1
        plans.append(
            AreaPlan(
                f"A{index:04d}",
                f"Område {index}",
                size,
                dwellings,
                deprivation,
                origin=float(rng.normal(0, 0.5)),
            )
        )
        placed += size
    singles = departments - in_areas
    frame = _draw(plans, singles, rng, organisations, standalone_median=0.5 * mean_dwellings)
    areas = {plan.area: {"name": plan.name} for plan in plans}
    return SyntheticWorld(frame, areas)


PUBLISHED_LISTS = {
    "udsat": (12, 19),
    "parallelsamfund": (8, 12),
    "omdannelsesomraade": (7, 9),
    "forebyggelsesomraade": (56, 67),
}
"""The published lists of 1 December 2022–2024, lowest and highest count of each [C: BL's yearly
overviews; docs/law.md 2.7]. The udsat count includes parallelsamfund and omdannelsesområder, as
the model's ``udsat`` column does."""

COUNTRY_LISTED_AREAS = {
    "omdannelsesomraade": 8,
    "parallelsamfund": 2,
    "udsat": 5,
    "forebyggelsesomraade": 61,
}
"""Areas the national country draws for each list (the udsat ones neither parallelsamfund nor
omdannelsesområde; the parallelsamfund ones not omdannelsesområder): the middle of
:data:`PUBLISHED_LISTS`, 15 udsat of which 10 parallelsamfund of which 8 omdannelsesområder, and
61 forebyggelsesområder."""

COUNTRY_OFF_LIST_DEPRIVATION = 0.7
"""The national country's other areas are drawn below this deprivation score, where an area of
typical size meets at most one criterion of either list: above about 1.1 the income criterion of
the forebyggelse list (< 65 %) joins the outside-work one (> 30 %)."""


COUNTRY_DEPRIVATION_MEAN = 0.15
"""Mean deprivation of the national country's other areas, before the cap: with the listed areas
drawn apart, it keeps the national outside-work share near a third."""


PLAN_SHARES = {"demolish": 0.2, "sell": 0.15, "convert": 0.1}
"""Shares of an omdannelsesområde's family dwellings its synthetic plan demolishes, sells and
converts; private building makes up the rest of the way to 40 % [A: of the order of the plans of
Gellerup, Mjølnerparken and Vollsmose]."""
PLAN_OTHER_DWELLINGS = 0.1
"""Dwellings that are not almene family dwellings in an omdannelsesområde on day 0, as a share of
its family dwellings [A]."""


def development_plan(
    family_dwellings: int, start_year: int, target_year: int = 2030
) -> dict[str, Any]:
    """A synthetic § 168 a plan that brings an area's family dwellings to 40 % by ``target_year``.

    Demolition, sale and conversion (:data:`PLAN_SHARES`) and the private building that makes up
    the rest, spread evenly over the years from ``start_year`` to the year before the target
    (all in ``start_year`` if that is later). Scenario data for ``areas.<id>.development_plan``.
    """
    other = round(PLAN_OTHER_DWELLINGS * family_dwellings)
    taken = {kind: round(share * family_dwellings) for kind, share in PLAN_SHARES.items()}
    family = family_dwellings - sum(taken.values())
    # family / (family + other dwellings) at most 0.4: other dwellings at least 1.5 × family
    built = max(0, int(np.ceil(1.5 * family)) - other - taken["sell"] - taken["convert"])
    years = list(range(start_year, max(start_year + 1, target_year)))
    measures = []
    for kind, total in (*taken.items(), ("build_private", built)):
        parts = np.diff(np.round(np.linspace(0, total, len(years) + 1))).astype(int)
        measures += [
            {"year": year, "kind": kind, "dwellings": int(part)}
            for year, part in zip(years, parts, strict=True)
            if part > 0
        ]
    return {
        "target_family_share": 0.4,
        "target_year": target_year,
        "other_dwellings": other,
        "measures": sorted(measures, key=lambda measure: measure["year"]),
    }


def synthetic_country(
    seed: int = 0,
    *,
    start_year: int = 2026,
    listed: Mapping[str, int] | None = None,
    transformation_years: int = 5,
) -> SyntheticWorld:
    """Draw the national synthetic country, whose day-0 lists match the published ones.

    7,085 departments as :func:`synthetic_departments` draws them, except that the areas on the
    lists are drawn on purpose (:data:`COUNTRY_LISTED_AREAS`) and every other area is kept off
    them. What it matches, and how:

    - *the list counts* (:data:`PUBLISHED_LISTS`, 2022–24): each listed area sits well inside its
      list on the latent deprivation score (udsat areas at 2.3–2.6, where the outside-work and
      income criteria of the udsat list are met with margin; forebyggelsesområder at 1.35–1.55,
      where outside work and income meet the forebyggelse criteria and only outside work the
      udsat ones), with an origin that puts the non-western share above 50 % (parallelsamfund),
      at 30–40 % (udsat only) or above 30 % (forebyggelse); the other areas are drawn below
      :data:`COUNTRY_OFF_LIST_DEPRIVATION`;
    - *the list history*: the omdannelsesområder were parallelsamfund in the 4–9 years before
      the department data (``parallelsamfund_years_before_start``), so the 5-year rule makes
      them omdannelsesområder on day 0; the other parallelsamfund in 0–3;
    - *their size*: listed areas are large estates, about 950 dwellings (forebyggelse) and
      1,400 (udsat), so that some 115,000 people live in forebyggelsesområder (2021 [C]);
    - *development plans*: every omdannelsesområde carries a § 168 a plan
      (:func:`development_plan`) that brings it to 40 % family dwellings by 2030, its measures
      spread over the years from ``start_year``;
    - *the national statistics* of :func:`synthetic_departments` (dwellings, household size,
      outside-work share, turnover, affordable dwellings) as before.

    ``listed`` replaces :data:`COUNTRY_LISTED_AREAS` (for a country of another year's lists, as
    the back-test of :mod:`simulation.experiments.backtest` draws); ``transformation_years`` is
    the run of parallelsamfund years that makes an omdannelsesområde (2018–2020: 4 [U]).

    Everything is made up; the same seed gives the same country.
    """
    rng = np.random.default_rng(np.random.SeedSequence([seed, 2018]))
    departments = NATIONAL_DEPARTMENTS
    organisations = max(1, round(departments / 12.6))
    plans: list[AreaPlan] = []
    history: dict[str, int] = {}
    for kind, count in (COUNTRY_LISTED_AREAS if listed is None else listed).items():
        for _ in range(count):
            prevention = kind == "forebyggelsesomraade"
            dwellings = int(rng.lognormal(np.log(950.0 if prevention else 1_400.0), 0.3))
            size = max(4, round(dwellings / 95))
            if prevention:
                deprivation, origin = rng.uniform(1.35, 1.55), rng.uniform(0.2, 0.6)
            elif kind == "udsat":
                deprivation, origin = rng.uniform(2.3, 2.6), rng.uniform(-1.3, -0.9)
            else:
                deprivation, origin = rng.uniform(2.3, 2.6), rng.uniform(0.2, 0.6)
            area = f"A{len(plans) + 1:04d}"
            plans.append(
                AreaPlan(area, f"Område {len(plans) + 1}", size, dwellings, deprivation, origin)
            )
            if kind == "omdannelsesomraade":
                history[area] = int(rng.integers(transformation_years - 1, 10))
            elif kind == "parallelsamfund":
                history[area] = int(rng.integers(0, transformation_years - 1))
    in_areas = round(departments * 0.6)
    placed = sum(plan.departments for plan in plans)
    while placed < in_areas:
        size = int(min(in_areas - placed, max(2, rng.poisson(6))))
        deprivation = float(rng.normal(COUNTRY_DEPRIVATION_MEAN, 0.9))
        while deprivation > COUNTRY_OFF_LIST_DEPRIVATION:
            deprivation = float(rng.normal(COUNTRY_DEPRIVATION_MEAN, 0.9))
        dwellings = int(rng.lognormal(np.log(MEAN_DWELLINGS * 1.12), 0.35) * size)
        number = len(plans) + 1
        origin = float(rng.normal(0, 0.5))
        plans.append(
            AreaPlan(f"A{number:04d}", f"Område {number}", size, dwellings, deprivation, origin)
        )
        placed += size
    singles = departments - placed
    frame = _draw(plans, singles, rng, organisations, standalone_median=0.5 * MEAN_DWELLINGS)
    areas: dict[str, dict[str, Any]] = {plan.area: {"name": plan.name} for plan in plans}
    family_dwellings = frame.groupby("area")[list(DWELLING_COLUMNS)].sum().sum(axis=1)
    for area, years in history.items():
        areas[area]["parallelsamfund_years_before_start"] = years
        if years >= transformation_years - 1:  # an omdannelsesområde on day 0: it has a plan
            plan = development_plan(int(family_dwellings[area]), start_year)
            areas[area]["development_plan"] = plan
    return SyntheticWorld(frame, areas)


def _draw(
    plans: Sequence[AreaPlan],
    singles: int,
    rng: np.random.Generator,
    organisations: int,
    *,
    standalone_median: float,
) -> pd.DataFrame:
    """Draw department rows: for each area plan its departments, then the standalone ones."""
    area_of: list[str] = []
    deprivation: list[float] = []
    origin: list[float] = []
    dwellings: list[int] = []
    organisation: list[int] = []
    for plan in plans:
        weights = rng.dirichlet(np.full(plan.departments, 4.0))
        sizes = np.maximum(20, np.round(weights * plan.dwellings)).astype(int)
        owner = (
            plan.organisation if plan.organisation is not None else int(rng.integers(organisations))
        )
        for size in sizes:
            area_of.append(plan.area)
            deprivation.append(plan.deprivation + float(rng.normal(0, 0.3)))
            origin.append(plan.origin)
            dwellings.append(int(size))
            organisation.append(owner if rng.random() < 0.8 else int(rng.integers(organisations)))
    for _ in range(singles):
        area_of.append("")
        deprivation.append(float(rng.normal(-0.3, 0.8)))
        origin.append(float(rng.normal(0, 0.5)))
        dwellings.append(int(max(10, rng.lognormal(np.log(standalone_median), 0.6))))
        organisation.append(int(rng.integers(organisations)))
    count = len(dwellings)
    z = np.asarray(deprivation)
    total = np.asarray(dwellings)

    mix = rng.dirichlet(ROOM_MIX * 25, size=count)
    by_rooms = _split(total, mix, rng)
    rent_level = rng.lognormal(0.0, 0.16, size=count) * (1 - 0.05 * np.clip(z, -2, 3))
    rents = RENT_BY_ROOMS_KR[None, :] * rent_level[:, None] * rng.lognormal(0, 0.05, (count, 4))

    households = np.minimum(total, np.round(total * rng.uniform(0.975, 1.0, count))).astype(int)
    households = np.maximum(households, 1)
    persons_per_household = np.clip(1.69 + 0.22 * z + rng.normal(0, 0.06, count), 1.25, 2.7)
    residents = np.maximum(households, np.round(households * persons_per_household)).astype(int)
    adults_per_household = np.clip(1.27 + 0.04 * z + rng.normal(0, 0.04, count), 1.05, 1.8)
    adults = np.clip(np.round(households * adults_per_household), households, residents).astype(int)
    children = residents - adults
    elderly_share = np.clip(0.2 - 0.05 * z + rng.normal(0, 0.04, count), 0.03, 0.5)
    residents_18_64 = np.round(adults * (1 - elderly_share)).astype(int)

    outside_share = _logistic(_logit(0.29) + 0.42 * z + rng.normal(0, 0.12, count))
    outside = np.round(outside_share * residents_18_64).astype(int)
    residents_30_59 = np.round(residents_18_64 * np.clip(rng.normal(0.56, 0.05, count), 0.3, 0.8))
    basic_share = _logistic(_logit(0.33) + 0.5 * z + rng.normal(0, 0.12, count))
    basic = np.round(basic_share * residents_30_59).astype(int)
    income_ratio = np.clip(0.78 - 0.12 * z + rng.normal(0, 0.03, count), 0.35, 1.3)
    nonwestern = _logistic(_logit(0.19) + 0.75 * z + np.asarray(origin) + rng.normal(0, 0.2, count))
    conviction_ratio = np.exp(0.1 + 0.42 * z + rng.normal(0, 0.25, count))
    convicted = np.clip(conviction_ratio * NATIONAL_CONVICTION_SHARE, 0, 0.2)
    turnover = np.clip(0.104 * np.exp(0.08 * z + rng.normal(0, 0.18, count)), 0.03, 0.35)

    ids = [f"D{number:04d}" for number in range(1, count + 1)]
    frame = pd.DataFrame(
        {
            "department": ids,
            "name": [
                f"{_area_name(plans, a)} afd. {i}" if a else f"Afdeling {i}"
                for i, a in zip(range(1, count + 1), area_of, strict=True)
            ],
            "organisation": [
                ORGANISATION_NAMES[o]
                if organisations <= len(ORGANISATION_NAMES)
                else f"BO{o + 1:03d}"
                for o in organisation
            ],
            "area": [a if a else d for a, d in zip(area_of, ids, strict=True)],
        }
    )
    for column, values in zip(DWELLING_COLUMNS, by_rooms.T, strict=True):
        frame[column] = values.astype(np.int64)
    for column, values, count_column in zip(RENT_COLUMNS, rents.T, by_rooms.T, strict=True):
        frame[column] = np.where(count_column > 0, np.round(values, -1), np.nan)
    frame["households"] = households.astype(np.int64)
    frame["residents"] = residents.astype(np.int64)
    frame["residents_0_17"] = children.astype(np.int64)
    frame["residents_18_64"] = residents_18_64.astype(np.int64)
    frame["outside_work_education_18_64"] = outside.astype(np.int64)
    frame["residents_30_59"] = residents_30_59.astype(np.int64)
    frame["basic_education_30_59"] = basic.astype(np.int64)
    frame["mean_income_kr"] = np.round(income_ratio * REGIONAL_MEAN_INCOME_KR, -2)
    frame["nonwestern_share"] = np.round(nonwestern, 4)
    frame["convicted_share"] = np.round(convicted, 5)
    frame["turnover_share"] = np.round(turnover, 4)
    return frame


def _area_name(plans: Sequence[AreaPlan], area: str) -> str:
    for plan in plans:
        if plan.area == area:
            return plan.name
    return area


def _split(total: np.ndarray, mix: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Split each department's dwellings over room sizes (rows sum to ``total``)."""
    counts = np.floor(total[:, None] * mix).astype(int)
    remainder = total - counts.sum(axis=1)
    for row in np.flatnonzero(remainder):
        extra = rng.choice(4, size=int(remainder[row]), p=mix[row])
        counts[row] += np.bincount(extra, minlength=4)
    return counts


def _logit(share: float) -> float:
    return float(np.log(share / (1 - share)))


def _logistic(value: np.ndarray) -> np.ndarray:
    result: np.ndarray = 1.0 / (1.0 + np.exp(-value))
    return result


def standard_referral_groups(dwellings: int) -> dict[str, dict[str, Any]]:
    """Referral groups sized to a stock of ``dwellings`` family dwellings.

    Arrival rates scale with the stock: nationally about 5,300 referral lettings a year to about
    500,000 family dwellings [C], i.e. about 1.1 per 100 dwellings.
    """
    per_dwelling = 1.1 / 100
    total = per_dwelling * dwellings
    return {
        "homeless_single": {
            "name": "Homeless singles",
            "arrivals_per_year": round(0.34 * total, 2),
            "rooms_min": 1,
            "max_rent_kr": 3_600.0,
            "age_mean": 37.0,
            "outside_work_education_share": 0.9,
            "basic_education_share": 0.6,
            "nonwestern_share": 0.15,
            "convicted_share": 0.05,
            "leave_queue_per_year": 0.25,
            "barred": {
                "released_prisoner": 0.08,
                "evicted": 0.06,
                "non_eea_citizen": 0.04,
                "cash_benefit_6_months": 0.55,
                "disability_pension": 0.12,
                "unemployment_benefit_6_months": 0.05,
            },
        },
        "homeless_family": {
            "name": "Homeless families",
            "arrivals_per_year": round(0.12 * total, 2),
            "couple_share": 0.3,
            "children_mean": 1.6,
            "rooms_min": 3,
            "max_rent_kr": 6_200.0,
            "age_mean": 34.0,
            "outside_work_education_share": 0.7,
            "basic_education_share": 0.5,
            "nonwestern_share": 0.35,
            "convicted_share": 0.02,
            "leave_queue_per_year": 0.2,
            "barred": {
                "evicted": 0.1,
                "non_eea_citizen": 0.15,
                "cash_benefit_6_months": 0.45,
                "unemployment_benefit_6_months": 0.05,
            },
        },
        "refugees": {
            "name": "Refugees",
            "arrivals_per_year": round(0.3 * total, 2),
            "couple_share": 0.45,
            "children_mean": 1.1,
            "rooms_min": 2,
            "max_rent_kr": 5_600.0,
            "age_mean": 31.0,
            "outside_work_education_share": 0.75,
            "basic_education_share": 0.55,
            "nonwestern_share": 0.95,
            "convicted_share": 0.004,
            "leave_queue_per_year": 0.05,
            "barred": {"non_eea_citizen": 0.92, "integration_benefit_6_months": 0.4},
        },
        "social_psychiatric": {
            "name": "Psychiatric and social cases",
            "arrivals_per_year": round(0.24 * total, 2),
            "rooms_min": 1,
            "max_rent_kr": 4_300.0,
            "age_mean": 42.0,
            "outside_work_education_share": 0.92,
            "basic_education_share": 0.55,
            "nonwestern_share": 0.12,
            "convicted_share": 0.03,
            "leave_queue_per_year": 0.15,
            "barred": {
                "released_prisoner": 0.04,
                "evicted": 0.05,
                "cash_benefit_6_months": 0.35,
                "disability_pension": 0.4,
                "unemployment_benefit_6_months": 0.05,
            },
        },
    }


def synthetic_scenario(
    departments: int = NATIONAL_DEPARTMENTS,
    *,
    seed: int = 0,
    years: int = 20,
    name: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    country: bool = False,
    start_year: int | None = None,
    country_lists: Mapping[str, int] | None = None,
) -> Any:
    """A validated, in-memory scenario of a synthetic municipality (or country).

    Parameters
    ----------
    departments
        Number of departments; 7,085 is the whole country.
    seed
        Seed of the department data.
    years
        Simulated years.
    name
        Scenario name (default "Synthetic municipality of N departments").
    overrides
        Dotted scenario keys to set, e.g. ``{"agreement.default_referral_share": 0.3}``.
    country
        Draw the national country matched to the published lists (:func:`synthetic_country`,
        with its areas' list history and development plans); ``departments`` must then be the
        national 7,085.
    start_year
        The first simulated January (default: the schema's); the country's plans start then.
    country_lists
        The country's listed areas by list, if not :data:`COUNTRY_LISTED_AREAS`; the 5-year rule
        of the scenario's regime (``overrides["legal.regime"]``) sets their history.

    Returns
    -------
    simulation.inputs.scenario.LoadedScenario
        Ready to simulate; its ``source`` is a pseudo-path naming the generator.
    """
    from simulation.inputs.scenario import Horizon, build_scenario

    if country and departments != NATIONAL_DEPARTMENTS:
        raise ValueError(
            f"the national country has {NATIONAL_DEPARTMENTS} departments, not {departments}"
        )
    first = start_year if start_year is not None else Horizon().start_year
    regime = str((overrides or {}).get("legal.regime", "2021"))
    world = (
        synthetic_country(
            seed,
            start_year=first,
            listed=country_lists,
            transformation_years=4 if regime == "2018" else 5,
        )
        if country
        else synthetic_departments(departments, seed=seed)
    )
    dwellings = int(world.departments[list(DWELLING_COLUMNS)].to_numpy().sum())
    raw: dict[str, Any] = {
        "schema_version": 1,
        "name": name
        or (
            "Synthetic country matched to the published lists"
            if country
            else f"Synthetic municipality of {departments} departments"
        ),
        "description": "Synthetic data drawn by simulation.inputs.synthetic; not a real municipality.",
        "synthetic": True,
        "municipality": {
            "name": "Syntetisk",
            "regional_mean_income_kr": REGIONAL_MEAN_INCOME_KR,
            "departments_file": f"synthetic-{departments}-seed-{seed}.csv",
        },
        "areas": {area: dict(fields) for area, fields in world.areas.items()},
        "referral_groups": standard_referral_groups(dwellings),
        "horizon": {"years": years, "start_year": first},
    }
    source = Path(
        f"<synthetic country seed={seed}>"
        if country
        else f"<synthetic departments={departments} seed={seed}>"
    )
    return build_scenario(raw, world.departments, source=source, overrides=overrides)


# --------------------------------------------------------------------------------------------------
# The bundled example

EKSEMPELBY_AREAS: tuple[AreaPlan, ...] = (
    AreaPlan("nordparken", "Nordparken", 5, 1_400, 2.2, origin=-0.3, organisation=0),
    AreaPlan("vestervang", "Vestervang", 4, 1_050, 1.25, origin=0.9, organisation=1),
    AreaPlan("sydhoejen", "Sydhøjen", 3, 800, 1.05, origin=0.3, organisation=2),
    AreaPlan("engparken", "Engparken", 4, 860, 0.95, origin=0.45, organisation=0),
    AreaPlan("bakkegaarden", "Bakkegården", 3, 700, 0.85, origin=0.1, organisation=3),
    AreaPlan("skovbrynet", "Skovbrynet", 4, 900, 0.1, organisation=1),
    AreaPlan("aaparken", "Åparken", 3, 780, -0.3, organisation=4),
    AreaPlan("kildevang", "Kildevang", 4, 840, -0.6, organisation=2),
    AreaPlan("stationsbyen", "Stationsbyen", 3, 680, -0.9, organisation=5),
    AreaPlan("havnefronten", "Havnefronten", 3, 700, -1.2, organisation=3),
    AreaPlan("lindegaarden", "Lindegården", 3, 660, -0.5, organisation=5),
    AreaPlan("moellebakken", "Møllebakken", 3, 720, -0.8, organisation=4),
)
"""The twelve areas of Eksempelby: one udsat, one close to parallelsamfund, several forebyggelse
candidates, the rest well mixed."""

EKSEMPELBY_NOTICE = (
    "SYNTHETIC DATA: Eksempelby is a made-up municipality, drawn by simulation.inputs.synthetic.eksempelby().\n"
    "No real department, estate or person is described. Regenerate with:\n"
    "python -c \"from simulation.inputs.synthetic import write_eksempelby; write_eksempelby('scenarios')\""
)

EKSEMPELBY_STANDALONE = 18
"""Departments of Eksempelby that form no named area (each its own, under 1,000 residents)."""


def eksempelby(seed: int = 2026) -> SyntheticWorld:
    """Draw Eksempelby, the bundled synthetic example municipality.

    About 60 departments, 12,000 family dwellings, 6 housing organisations and 12 areas. The
    committed ``scenarios/eksempelby_departments.csv`` is this function's output (a test checks it).
    """
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    frame = _draw(
        EKSEMPELBY_AREAS,
        EKSEMPELBY_STANDALONE,
        rng,
        len(ORGANISATION_NAMES),
        standalone_median=92.0,
    )
    areas = {plan.area: {"name": plan.name} for plan in EKSEMPELBY_AREAS}
    return SyntheticWorld(frame, areas)


def write_eksempelby(folder: str | Path) -> Path:
    """Write Eksempelby's department CSV into ``folder`` (the scenario files are hand-written).

    Returns
    -------
    pathlib.Path
        The CSV written: ``eksempelby_departments.csv``.
    """
    from simulation.inputs.departments import write_departments

    target = Path(folder) / "eksempelby_departments.csv"
    write_departments(eksempelby().departments, target, comment=EKSEMPELBY_NOTICE)
    return target
