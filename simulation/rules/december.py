"""1 December: the lists are published and the agreement's rules for the coming year follow.

One pipeline serves the model (every simulated December), the profile of a scenario (the lists and
tiers it starts from) and the referral planner (the shares in force when it plans)::

    counts of people → area values (§ 61 a criteria) → the lists (2-year means, the 5-year rule)
        → consequences per area (§ 51 b combined letting, § 51 c, § 60 stk. 4, § 59 stk. 6/7)
        → the agreement's tiers per department (referral and flexible-letting shares)

The lists need earlier Decembers: last year's values for the 2-year means, and the running count of
years on the parallelsamfund list for the omdannelsesområde. :class:`ListHistory` carries them from
one December to the next.

Decisions read register figures, not the state of the day (the *data lag*): the lists of
1 December of year Y compare the figures of year Y − ``legal.data_lag_years`` (2-year means with
the year before that), and the tiers those of year Y − ``agreement.data_lag_years``, while
residents are counted on 1 January of Y. The caller passes the figures of the right years
(``data_year``, ``tier_data_year``); the model keeps them (:class:`Register`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simulation.inputs.scenario import Scenario
from simulation.law.lists import classify_areas
from simulation.law.regimes import LIST_COLUMNS, regime_rules
from simulation.people.population import DepartmentCounts
from simulation.rules.agreement import Placement, place_departments
from simulation.rules.indicators import area_values, department_indicators, published_values
from simulation.rules.letting import combined_letting_areas

__all__ = ["ListHistory", "Publication", "Register", "first_of_december"]


@dataclass
class ListHistory:
    """What a December's lists need from earlier Decembers.

    Attributes
    ----------
    values
        Area values by the year of their figures (the year before is needed for the 2-year
        means).
    parallelsamfund_runs
        By year: per area, consecutive years on the parallelsamfund list up to that year.
    department_indicators
        Department indicators by the year of their figures (for tiers on 2-year means).
    tier
        Per department, the tier placed last December (None before the first placement): with
        a hysteresis band a department stays on it until its figures are past the band.
    """

    values: dict[int, pd.DataFrame] = field(default_factory=dict)
    parallelsamfund_runs: dict[int, dict[str, int]] = field(default_factory=dict)
    department_indicators: dict[int, pd.DataFrame] = field(default_factory=dict)
    tier: np.ndarray | None = None


@dataclass
class Register:
    """The yearly register figures per department, by the year they describe (the data lag).

    The figures of year X are the criteria populations counted at the end of November X (the
    model's stand-in for the registers of year X and Landsbyggefonden's Beboerdata); the
    department data is the figures of the year before the first simulated January. A decision of
    year Y with a lag of L years reads year Y − L, or the oldest figures there are.
    """

    figures: dict[int, DepartmentCounts] = field(default_factory=dict)

    def record(self, year: int, counts: DepartmentCounts, *, keep_years: int) -> None:
        """Keep ``counts`` as the figures of ``year``; forget what no lag of ``keep_years`` reads."""
        self.figures[year] = counts
        for old in [y for y in self.figures if y < year - keep_years]:
            del self.figures[old]

    def year_for(self, year: int, lag_years: int) -> int:
        """The year whose figures a decision of ``year`` reads with a lag of ``lag_years``."""
        return max(year - lag_years, min(self.figures))

    def read(self, year: int, lag_years: int) -> tuple[int, DepartmentCounts]:
        """The figures a decision of ``year`` reads with a lag of ``lag_years``, with their year."""
        data_year = self.year_for(year, lag_years)
        return data_year, self.figures[data_year]


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
        Per department: the criteria and the non-western share (shares 0–1) the tiers compared:
        of the figures of ``tier_data_year``, averaged with the year before where
        ``agreement.tier_mean_years`` is 2.
    placement
        Per department: its tier and the referral and flexible-letting shares in force.
    data_year
        The year of the figures the lists compared (criteria 1–2 average it with the year before).
    tier_data_year
        The year of the department figures the tiers were placed from.
    """

    year: int
    areas: pd.DataFrame
    published: pd.DataFrame
    combined_letting_allowed: np.ndarray
    department_lists: pd.DataFrame
    indicators: pd.DataFrame
    placement: Placement
    data_year: int
    tier_data_year: int


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
    data_year: int | None = None,
    tier_counts: DepartmentCounts | None = None,
    tier_data_year: int | None = None,
) -> Publication:
    """Publish one December's lists and place the departments under the agreement.

    Parameters
    ----------
    scenario
        Its ``legal`` settings (regime, minimum residents, the 5-year rule), the municipality's
        reference values, the areas' list history before the start and the agreement.
    counts
        The criteria populations per department the lists read: the figures of ``data_year``.
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
    data_year
        The year ``counts`` describe (default ``year``: no lag).
    tier_counts, tier_data_year
        The department figures the tiers read and their year (default: ``counts`` and
        ``data_year``).

    Returns
    -------
    Publication
        The lists, the published values, the § 51 b areas and the departments' tiers and shares.
    """
    legal = scenario.legal
    municipality = scenario.municipality
    data_year = year if data_year is None else data_year
    values = area_values(
        counts,
        department_area,
        area_ids,
        residents_january,
        data_year,
        scenario.regional_mean_income(data_year),
        municipality.national_conviction_share,
    )
    # the lists compare 2-year means where the law averages (with the figures of the year before
    # the data's) and count the years on the parallelsamfund list from the published run
    history.values[data_year] = values
    classified = classify_areas(
        _with_two_year_means(values, history.values.get(data_year - 1), legal.regime),
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
    history.values.pop(data_year - 1, None)
    history.parallelsamfund_runs.pop(year - 1, None)

    published = published_values(now, municipality.national_conviction_share)
    combined = combined_letting_areas(
        now["residents"].to_numpy(),
        published["outside_work_education_pct"].to_numpy(),
        legal.minimum_residents,
    )
    tier_counts = counts if tier_counts is None else tier_counts
    tier_data_year = data_year if tier_data_year is None else tier_data_year
    indicators = department_indicators(
        tier_counts,
        scenario.regional_mean_income(tier_data_year),
        municipality.national_conviction_share,
    )
    history.department_indicators[tier_data_year] = indicators
    before = history.department_indicators.get(tier_data_year - 1)
    if scenario.agreement.tier_mean_years == 2 and before is not None:
        indicators = (indicators + before) / 2.0
    history.department_indicators.pop(tier_data_year - 1, None)
    lists = now[list(LIST_COLUMNS)].iloc[department_area].reset_index(drop=True)
    placement = place_departments(
        scenario.agreement, department_ids, indicators, lists, current_tier=history.tier
    )
    history.tier = placement.tier
    return Publication(
        year,
        now,
        published,
        combined,
        lists,
        indicators,
        placement,
        data_year=data_year,
        tier_data_year=tier_data_year,
    )


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
