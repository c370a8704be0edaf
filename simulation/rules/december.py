"""1 December: the lists are published and the agreement's rules for the coming year follow.

One pipeline serves the model (every simulated December), the profile of a scenario (the lists and
tiers it starts from) and the referral planner (the shares in force when it plans)::

    counts of people → area values (§ 61 a criteria) → the lists (2-year means, the 5-year rule)
        → consequences per area (§ 51 b combined letting, § 51 c, § 60 stk. 4, § 59 stk. 6/7)
        → the agreement's tiers per department (referral and flexible-letting shares)

The lists need earlier Decembers: last year's values for the 2-year means, and the running count of
years on the parallelsamfund list for the omdannelsesområde. :class:`ListHistory` carries them from
one December to the next.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simulation.inputs.scenario import Scenario
from simulation.law.lists import LIST_COLUMNS, classify_areas, regime_rules
from simulation.people.population import DepartmentCounts
from simulation.rules.agreement import Placement, place_departments
from simulation.rules.indicators import area_values, department_indicators, published_values
from simulation.rules.letting import combined_letting_areas

__all__ = ["ListHistory", "Publication", "first_of_december"]


@dataclass
class ListHistory:
    """What a December's lists need from earlier Decembers.

    Attributes
    ----------
    values
        Area values by year (the year before is needed for the 2-year means).
    parallelsamfund_runs
        By year: per area, consecutive years on the parallelsamfund list up to that year.
    """

    values: dict[int, pd.DataFrame] = field(default_factory=dict)
    parallelsamfund_runs: dict[int, dict[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Publication:
    """One December's lists and what follows from them.

    Attributes
    ----------
    year
        The year whose 1 December this is.
    areas
        The classification (:func:`simulation.law.lists.classify_areas`), one row per area,
        indexed by area id in the order asked for.
    published
        The values the lists compared, per area (per cent; 2-year means where the law averages).
    combined_letting_allowed
        Per area: whether § 51 b combined letting may apply.
    department_lists
        Per department: the list columns of its area.
    indicators
        Per department: the criteria and the non-western share (shares 0–1).
    placement
        Per department: its tier and the referral and flexible-letting shares in force.
    """

    year: int
    areas: pd.DataFrame
    published: pd.DataFrame
    combined_letting_allowed: np.ndarray
    department_lists: pd.DataFrame
    indicators: pd.DataFrame
    placement: Placement


def first_of_december(
    scenario: Scenario,
    counts: DepartmentCounts,
    *,
    department_ids: list[str],
    department_area: np.ndarray,
    area_ids: list[str],
    residents_january: np.ndarray,
    year: int,
    history: ListHistory,
) -> Publication:
    """Publish one December's lists and place the departments under the agreement.

    Parameters
    ----------
    scenario
        Its ``legal`` settings (regime, minimum residents, the 5-year rule), the municipality's
        reference values, the areas' list history before the start and the agreement.
    counts
        The criteria populations per department, as of this December.
    department_ids
        Department ids, in the order of ``counts``.
    department_area
        Per department: the index of its area in ``area_ids``.
    area_ids
        The areas, in the order the result uses.
    residents_january
        Residents per department on 1 January (the lists count residents then).
    year
        The year.
    history
        Earlier Decembers; updated in place with this one (and trimmed to what later years need).

    Returns
    -------
    Publication
        The lists, the published values, the § 51 b areas and the departments' tiers and shares.
    """
    legal = scenario.legal
    municipality = scenario.municipality
    values = area_values(
        counts,
        department_area,
        area_ids,
        residents_january,
        year,
        scenario.regional_mean_income(year),
        municipality.national_conviction_share,
    )
    # the lists compare 2-year means where the law averages (with last year's values, as
    # published then) and count the years on the parallelsamfund list from the published run
    history.values[year] = values
    classified = classify_areas(
        _with_two_year_means(values, history.values.get(year - 1), legal.regime),
        legal.regime,
        values="published",
        minimum_residents=legal.minimum_residents,
        transformation_years=legal.transformation_years,
        prevention_excludes_udsat=legal.prevention_excludes_udsat,
        prior_parallelsamfund_years=history.parallelsamfund_runs.get(year - 1)
        or {area: spec.parallelsamfund_years_before_start for area, spec in scenario.areas.items()},
    )
    now = classified.set_index("area").loc[area_ids]
    history.parallelsamfund_runs[year] = dict(
        zip(area_ids, now["parallelsamfund_years"].tolist(), strict=True)
    )
    history.values.pop(year - 1, None)
    history.parallelsamfund_runs.pop(year - 1, None)

    published = published_values(now, municipality.national_conviction_share)
    combined = combined_letting_areas(
        now["residents"].to_numpy(),
        published["outside_work_education_pct"].to_numpy(),
        legal.minimum_residents,
    )
    indicators = department_indicators(
        counts, scenario.regional_mean_income(year), municipality.national_conviction_share
    )
    lists = now[list(LIST_COLUMNS)].iloc[department_area].reset_index(drop=True)
    placement = place_departments(scenario.agreement, department_ids, indicators, lists)
    return Publication(year, now, published, combined, lists, indicators, placement)


def _with_two_year_means(
    values: pd.DataFrame, last_year: pd.DataFrame | None, regime: str
) -> pd.DataFrame:
    """The year's area values with the 2-year mean in each criterion the regime averages.

    The mean replaces the column (what the lists compare) and is kept in ``{column}_2y`` too, as
    :func:`simulation.law.lists.classify_areas` reports it in yearly mode. Where an area has no
    value for the year before (the first year, or a new area), its own value is used alone.
    """
    result = values.copy()
    before = last_year.set_index("area") if last_year is not None else None
    for criterion in regime_rules(regime).criteria:
        if not criterion.averaged:
            continue
        current = values[criterion.column].to_numpy(np.float64)
        mean = current
        if before is not None:
            previous = values["area"].map(before[criterion.column]).to_numpy(np.float64)
            mean = np.where(np.isnan(previous), current, (current + previous) / 2.0)
        result[criterion.column] = mean
        result[criterion.mean_column] = mean
    return result
