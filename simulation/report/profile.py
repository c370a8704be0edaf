"""The profile of a scenario: the picture a negotiation starts from.

What BL advises both parties to look at first: every department and area with its four criteria
and the distance to each threshold, its list status, its rents and how many dwellings a homeless
household can afford, its turnover; and the municipality's referral need against the referral
capacity the agreement gives, per housing organisation and per referral group. Everything comes
from the department data and the scenario, before any simulation.

Margins are distances to the udsat thresholds, positive while the criterion is not met: for the
shares in percentage points (40 % − outside-work share; 60 % − basic-school share; income − 55 %),
for convictions in multiples of the national share (3 − ratio).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation.base.atomic import atomic_write_text
from simulation.base.spreadsheet import spreadsheet_csv
from simulation.base.terminal import fit_table, wrap
from simulation.inputs.departments import area_names
from simulation.inputs.scenario import LoadedScenario
from simulation.law.regimes import LIST_COLUMNS, criteria_met, model_criteria
from simulation.people.capacity import dwelling_types, fitting_vacancies
from simulation.report.i18n import Language, number, percent, term
from simulation.rules.december import ListHistory, first_of_december
from simulation.rules.indicators import counts_from_departments

__all__ = [
    "MARGINS",
    "Profile",
    "build_profile",
    "criterion_margins",
    "data_years_note",
    "group_table",
    "in_language",
    "organisation_table",
    "relative_margins",
    "render_profile",
    "write_profile",
]

MARGINS = {
    "outside_work_education_share": "outside_margin",
    "conviction_ratio": "conviction_margin",
    "basic_education_share": "basic_margin",
    "income_ratio_region": "income_margin",
}
"""Each criterion's column and the column of its margin to the udsat threshold."""


@dataclass(frozen=True)
class Profile:
    """Departments, areas, housing organisations and referral groups at the start of a scenario."""

    name: str
    synthetic: bool
    departments: pd.DataFrame
    areas: pd.DataFrame
    organisations: pd.DataFrame
    groups: pd.DataFrame
    max_rent_kr: float
    regime: str = "2021"
    data_year: int = 0
    """The year the department data describes (the lists and tiers shown are of its 1 December)."""
    list_lag_years: int = 0
    """In a run, the lists of 1 December Y read the figures of Y minus this (``legal``)."""
    tier_lag_years: int = 0
    """In a run, tiers and referral plans of year Y read the figures of Y minus this."""

    def data_note(self, language: Language) -> str:
        """Which year's figures each decision reads, in words."""
        return data_years_note(self.data_year, self.list_lag_years, self.tier_lag_years, language)

    def relative_margins(self) -> np.ndarray:
        """Per department: each margin as a fraction of its threshold (NaN where none applies)."""
        return relative_margins(self.departments, self.regime)


def in_language(profile: Profile, loaded: LoadedScenario, language: str) -> Profile:
    """The profile with the scenario's Danish names (``[danish]``) in place, for ``da``.

    The scenario's name, the referral groups' names and the tiers' names; the rest is unchanged.
    """
    danish = loaded.scenario.danish
    if language != "da":
        return profile
    groups = profile.groups.copy()
    if "group" in groups and danish.referral_groups:
        names = groups["group"].map(dict(danish.referral_groups))
        groups["name"] = names.fillna(groups["name"])
    departments = profile.departments.copy()
    if "tier" in departments and danish.tiers:
        departments["tier"] = departments["tier"].map(
            lambda tier: danish.tiers.get(tier, tier) if isinstance(tier, str) else tier
        )
    return dataclasses.replace(
        profile, name=danish.name or profile.name, groups=groups, departments=departments
    )


def data_years_note(data_year: int, list_lag: int, tier_lag: int, language: Language) -> str:
    """Which year's figures the lists, the tiers and the referral plan read (the data lag)."""
    year = "Å" if language == "da" else "Y"

    def minus(lag: int) -> str:
        return year if lag == 0 else f"{year}−{lag}"

    return term("data_years_note", language).format(
        data_year=data_year,
        lists=minus(list_lag),
        lists_before=minus(list_lag + 1),
        tiers=minus(tier_lag),
    )


def relative_margins(frame: pd.DataFrame, regime: str) -> np.ndarray:
    """Per row of ``frame``: each margin (:data:`MARGINS`) as a fraction of its threshold.

    One column per criterion, in the order of :data:`MARGINS`; NaN where the regime has none.
    """
    thresholds = {c.column: c.threshold for c in model_criteria(regime)}
    return np.column_stack(
        [
            frame[margin].to_numpy(np.float64) / thresholds.get(column, np.nan)
            for column, margin in MARGINS.items()
        ]
    )


def criterion_margins(frame: pd.DataFrame, regime: str) -> pd.DataFrame:
    """Distance of each criterion to its udsat threshold, positive while the criterion is not met.

    Shares in shares (0.40 − outside-work share), the conviction ratio in multiples of the national
    share (3 − ratio), income in shares of the region's (income − 0.55); NaN for a criterion the
    regime does not have.
    """
    margins = pd.DataFrame(index=frame.index, columns=list(MARGINS.values()), dtype=np.float64)
    for criterion in model_criteria(regime):
        values = frame[criterion.column]
        distance = criterion.threshold - values
        margins[MARGINS[criterion.column]] = distance if criterion.side == "above" else -distance
    return margins


def build_profile(loaded: LoadedScenario, *, max_rent_kr: float = 3_500.0) -> Profile:
    """Compute the profile of a scenario.

    Parameters
    ----------
    loaded
        The scenario and its department data.
    max_rent_kr
        The rent a homeless household can pay (kr per month); about 3,500 kr [S].
    """
    scenario = loaded.scenario
    frame = loaded.departments
    regime = scenario.legal.regime
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
    classified = publication.areas
    indicators = publication.indicators
    area_lists = publication.department_lists
    placement = publication.placement

    types = dwelling_types(frame, scenario.behaviour)
    types["affordable"] = types["rent_kr"] <= max_rent_kr
    types["affordable_dwellings"] = types["dwellings"].where(types["affordable"], 0)
    types["rent_sum"] = types["rent_kr"] * types["dwellings"]
    per_department = types.groupby("department", sort=False)
    affordable = per_department["affordable_dwellings"].sum()
    mean_rent = per_department["rent_sum"].sum() / per_department["dwellings"].sum()
    vacancies = per_department["vacancies"].sum()
    ids = frame["department"]
    margins = criterion_margins(indicators, regime)
    departments = pd.DataFrame(
        {
            "department": ids,
            "name": frame["name"],
            "organisation": frame["organisation"],
            "area": frame["area"],
            "dwellings": per_department["dwellings"].sum().reindex(ids).to_numpy(np.int64),
            "households": frame["households"],
            "outside_work_education_share": indicators["outside_work_education_share"],
            "outside_margin": margins["outside_margin"],
            "conviction_ratio": indicators["conviction_ratio"],
            "conviction_margin": margins["conviction_margin"],
            "basic_education_share": indicators["basic_education_share"],
            "basic_margin": margins["basic_margin"],
            "income_ratio_region": indicators["income_ratio_region"],
            "income_margin": margins["income_margin"],
            "nonwestern_share": indicators["nonwestern_share"],
            "criteria_met": criteria_met(indicators, regime),
            "area_lists": _list_names(area_lists),
            "tier": [
                scenario.agreement.tiers[t].name if t >= 0 else "" for t in placement.tier.tolist()
            ],
            "referral_share": placement.referral_share,
            "mean_rent_kr": mean_rent.reindex(ids).to_numpy(),
            "affordable_dwellings": affordable.reindex(ids).to_numpy(np.int64),
            "turnover_share": frame["turnover_share"].fillna(
                scenario.behaviour.turnover_share_per_year
            ),
            "vacancies_per_year": vacancies.reindex(ids).to_numpy(),
        }
    )
    departments["referral_capacity_per_year"] = (
        departments["vacancies_per_year"] * departments["referral_share"]
    )
    affordable_vacancies = (
        types.loc[types["affordable"]].groupby("department")["vacancies"].sum().reindex(ids)
    )
    departments["affordable_capacity_per_year"] = (
        affordable_vacancies.fillna(0.0).to_numpy() * departments["referral_share"].to_numpy()
    )

    areas = pd.DataFrame(
        {
            "area": area_ids,
            "name": area_names(frame, scenario.areas, area_ids),
            "departments": frame.groupby("area", sort=False).size().reindex(area_ids).to_numpy(),
            "residents": classified.loc[area_ids, "residents"].to_numpy(np.int64),
            "outside_work_education_share": classified["outside_work_education_pct"].to_numpy()
            / 100,
            "conviction_ratio": classified["conviction_ratio"].to_numpy(),
            "basic_education_share": classified["basic_education_pct"].to_numpy() / 100,
            "income_ratio_region": classified["income_pct_of_region"].to_numpy() / 100,
            "nonwestern_share": classified["nonwestern_pct"].to_numpy() / 100,
            "criteria_met": classified.loc[area_ids, "criteria_met"].to_numpy(np.int64),
            "prevention_criteria_met": classified.loc[area_ids, "prevention_criteria_met"].to_numpy(
                np.int64
            ),
            "lists": _list_names(
                classified.loc[area_ids, list(LIST_COLUMNS)].reset_index(drop=True)
            ),
        }
    )
    areas = pd.concat([areas, criterion_margins(areas, regime)], axis=1)

    organisations = (
        departments.groupby("organisation")
        .agg(
            departments=("department", "size"),
            dwellings=("dwellings", "sum"),
            affordable_dwellings=("affordable_dwellings", "sum"),
            vacancies_per_year=("vacancies_per_year", "sum"),
            referral_capacity_per_year=("referral_capacity_per_year", "sum"),
            affordable_capacity_per_year=("affordable_capacity_per_year", "sum"),
        )
        .reset_index()
    )
    total = organisations["referral_capacity_per_year"].sum()
    organisations["share_of_capacity"] = (
        organisations["referral_capacity_per_year"] / total if total > 0 else 0.0
    )

    fits = fitting_vacancies(types, dict(scenario.referral_groups))
    share = dict(zip(departments["department"], departments["referral_share"], strict=True))
    listed = dict(zip(departments["department"], departments["area_lists"] != "", strict=True))
    fits["capacity"] = fits["vacancies"] * fits["department"].map(share)
    fits["unlisted_capacity"] = fits["capacity"].where(~fits["department"].map(listed), 0.0)
    by_group = fits.groupby("group", sort=False)[["capacity", "unlisted_capacity"]].sum()
    groups = pd.DataFrame(
        {
            "group": list(scenario.referral_groups),
            "name": [g.name for g in scenario.referral_groups.values()],
            "arrivals_per_year": [g.arrivals_per_year for g in scenario.referral_groups.values()],
            "barred_share": [g.barred_share for g in scenario.referral_groups.values()],
        }
    )
    groups["fitting_capacity_per_year"] = (
        by_group["capacity"].reindex(groups["group"]).fillna(0.0).to_numpy()
    )
    groups["fitting_capacity_outside_lists_per_year"] = (
        by_group["unlisted_capacity"].reindex(groups["group"]).fillna(0.0).to_numpy()
    )
    return Profile(
        scenario.name,
        scenario.synthetic,
        departments,
        areas,
        organisations,
        groups,
        max_rent_kr,
        regime,
        data_year=scenario.horizon.start_year - 1,
        list_lag_years=scenario.legal.data_lag_years,
        tier_lag_years=scenario.agreement.data_lag_years,
    )


def _list_names(flags: pd.DataFrame) -> list[str]:
    return [
        ", ".join(name for name in LIST_COLUMNS if row[name])
        for row in flags.to_dict(orient="records")
    ]


# --------------------------------------------------------------------------------------------------
# Presenting


def render_profile(
    profile: Profile, language: Language = "en", *, departments: int = 15, width: int | None = None
) -> str:
    """The profile as terminal text: areas, organisations, need vs capacity, the closest departments.

    ``width``: the terminal's width; the text wraps and the tables fit it (None: no limit).
    """

    def _table(header: list[str], rows: list[list[str]]) -> list[str]:
        return fit_table(header, rows, width)

    lines = [profile.name]
    if profile.synthetic:
        lines[0] += f" ({term('synthetic', language)})"
    lines += wrap(profile.data_note(language), width)
    lines += ["", term("areas_title", language)]
    big = profile.areas.sort_values("criteria_met", ascending=False)
    header = [
        term("area", language),
        term("residents", language),
        term("outside_work_education", language),
        term("conviction_ratio", language),
        term("basic_education", language),
        term("income", language),
        term("nonwestern", language),
        term("lists", language),
    ]
    rows = [
        [
            str(row["name"]),
            number(row["residents"], 0, language),
            percent(row["outside_work_education_share"], 1, language),
            number(row["conviction_ratio"], 2, language),
            percent(row["basic_education_share"], 1, language),
            percent(row["income_ratio_region"], 1, language),
            percent(row["nonwestern_share"], 1, language),
            _translate_lists(row["lists"], language),
        ]
        for row in _records(big[big["departments"] > 1])
    ]
    lines += _table(header, rows)

    lines += ["", term("organisations_title", language)]
    lines += _table(*organisation_table(profile, language))

    lines += ["", term("need_vs_capacity", language)]
    lines += _table(*group_table(profile, language))

    lines += ["", term("closest_to_threshold", language)]
    closest = profile.departments.assign(
        relative=np.nanmin(profile.relative_margins(), axis=1)
    ).nsmallest(departments, "relative")
    header = [
        term("department", language),
        term("area", language),
        term("outside_work_education", language),
        term("conviction_ratio", language),
        term("basic_education", language),
        term("income", language),
        term("tier", language),
        term("referral_share", language),
    ]
    area_names = dict(zip(profile.areas["area"], profile.areas["name"], strict=True))
    rows = [
        [
            f"{row['department']} {row['name']}",
            str(area_names.get(row["area"], row["area"])),
            percent(row["outside_work_education_share"], 1, language),
            number(row["conviction_ratio"], 2, language),
            percent(row["basic_education_share"], 1, language),
            percent(row["income_ratio_region"], 1, language),
            str(row["tier"]),
            percent(row["referral_share"], 0, language),
        ]
        for row in _records(closest)
    ]
    lines += _table(header, rows)
    return "\n".join(lines)


def organisation_table(profile: Profile, language: Language) -> tuple[list[str], list[list[str]]]:
    """Housing organisations, largest first: header and formatted rows (terminal and report)."""
    organisations = profile.organisations.sort_values("dwellings", ascending=False, kind="stable")
    header = [
        term("organisation", language),
        term("dwellings", language),
        term("affordable", language),
        term("vacancies_per_year", language),
        term("referral_capacity", language),
        term("affordable_capacity", language),
        term("share_of_capacity", language),
    ]
    rows = [
        [
            str(row["organisation"]),
            number(row["dwellings"], 0, language),
            number(row["affordable_dwellings"], 0, language),
            number(row["vacancies_per_year"], 0, language),
            number(row["referral_capacity_per_year"], 0, language),
            number(row["affordable_capacity_per_year"], 0, language),
            percent(row["share_of_capacity"], 1, language),
        ]
        for row in _records(organisations)
    ]
    return header, rows


def group_table(profile: Profile, language: Language) -> tuple[list[str], list[list[str]]]:
    """Referral groups' need against the capacity that fits them: header and formatted rows."""
    header = [
        term("group", language),
        term("arrivals_per_year", language),
        term("barred_share", language),
        term("fitting_capacity", language),
        term("of_which_outside_lists", language),
    ]
    rows = [
        [
            str(row["name"]),
            number(row["arrivals_per_year"], 0, language),
            percent(row["barred_share"], 0, language),
            number(row["fitting_capacity_per_year"], 0, language),
            number(row["fitting_capacity_outside_lists_per_year"], 0, language),
        ]
        for row in _records(profile.groups)
    ]
    return header, rows


def write_profile(profile: Profile, folder: str | Path, language: Language = "en") -> list[Path]:
    """Write the profile's tables as CSV files into ``folder`` (atomically).

    English files use snake_case columns and decimal points; Danish files (``language="da"``) use
    Danish headers where there is one, semicolons, decimal commas and a byte-order mark, as Danish
    Excel expects; values are rounded to 4 significant digits of their column.
    """
    folder = Path(folder)
    written = []
    for name in ("departments", "areas", "organisations", "groups"):
        frame: pd.DataFrame = getattr(profile, name)
        target = folder / f"profile_{name}.csv"
        atomic_write_text(target, spreadsheet_csv(frame, language))
        written.append(target)
    return written


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(key): value for key, value in row.items()} for row in frame.to_dict("records")]


def _translate_lists(lists: str, language: Language) -> str:
    if not lists:
        return "–"
    return ", ".join(term(name, language) for name in lists.split(", "))
