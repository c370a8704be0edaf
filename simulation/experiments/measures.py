"""Measures of a run folder, one replication at a time, and paired statistics over replications."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.experiments.results import (
    finished_replications,
    part_name,
    read_run_info,
)
from simulation.law.regimes import LIST_COLUMNS, model_criteria

__all__ = [
    "CHANNEL_COLUMNS",
    "HEADLINE",
    "INDICATORS",
    "LIST_COUNTS",
    "WAIT_WINDOW_MONTHS",
    "RunMeasures",
    "paired_differences",
    "price_of_listings",
    "run_measures",
    "spread",
    "t_interval",
]

logger = logging.getLogger(__name__)


WAIT_WINDOW_MONTHS = 6
"""The ``housed_within_6_months_share`` window (months from joining the queue)."""


INDICATORS: dict[str, str] = {
    "udsat_final": "areas on the udsat list (incl. parallelsamfund), last 1 December",
    "parallelsamfund_final": "areas on the parallelsamfund list, last 1 December",
    "omdannelsesomraade_final": "omdannelsesområder, last 1 December",
    "forebyggelsesomraade_final": "forebyggelsesområder, last 1 December",
    "listed_final": "areas on the udsat or forebyggelse list, last 1 December",
    "listed_area_years": "area-years on the udsat or forebyggelse list over the simulated years",
    "wait_median_months": "median months from joining the referral queue to a home (housed)",
    "wait_p90_months": "90th percentile of months waited (housed)",
    "wait_mean_months": "mean months waited (housed)",
    "housed_within_6_months_share": "share of referral households housed within 6 months "
    "(of those who joined at least 6 months before the end)",
    "not_housed_within_6_months": "referral households not housed within 6 months (of those who "
    "joined at least 6 months before the end)",
    "waiting_at_end": "households still in the referral queue at the end",
    "referral_share_achieved": "referral lettings as a share of all lettings",
    "referral_share_agreed": "agreed referral share, weighted by move-outs",
    "lettings_referral_per_year": "lettings per year by municipal referral",
    "lettings_flexible_per_year": "lettings per year by flexible criteria",
    "lettings_internal_per_year": "lettings per year from the internal waiting list",
    "lettings_external_per_year": "lettings per year from the external waiting list",
}
"""The per-replication indicators of a run (name: meaning); counts are areas or households."""


HEADLINE = (
    "udsat_final",
    "forebyggelsesomraade_final",
    "listed_final",
    "listed_area_years",
    "wait_median_months",
    "wait_p90_months",
    "housed_within_6_months_share",
    "referral_share_achieved",
    "lettings_referral_per_year",
    "lettings_flexible_per_year",
    "lettings_internal_per_year",
    "lettings_external_per_year",
)
"""The indicators printed by ``blandetby compare``."""


LIST_COUNTS = (*LIST_COLUMNS, "listed")
"""Columns of the list-count tables: the four lists and ``listed`` (udsat or forebyggelse)."""


CHANNEL_COLUMNS = (
    "lettings_referral",
    "lettings_flexible",
    "lettings_internal",
    "lettings_external",
)


@dataclass(frozen=True)
class RunMeasures:
    """The measures of one run folder's finished replications.

    Attributes
    ----------
    indicators
        One row per replication: ``replication`` and every :data:`INDICATORS` column.
    lists_by_year
        One row per replication × year (1 December): areas on each list and ``listed``.
    area_criteria
        One row per replication × year × area: residents, the four criteria and their
        ``<criterion>_headroom`` to the udsat threshold (positive: that far on the safe side, in
        the criterion's unit: share points 0–1 or ratio).
    """

    indicators: pd.DataFrame
    lists_by_year: pd.DataFrame
    area_criteria: pd.DataFrame


def _read_part(run_dir: Path, table: str, replication: int, columns: Sequence[str]) -> pd.DataFrame:
    return pd.read_parquet(
        run_dir / f"{table}.parquet" / part_name(replication), columns=list(columns)
    )


def run_measures(run_dir: str | Path) -> RunMeasures:
    """Measure every finished replication of a run folder (reading one replication at a time).

    Parameters
    ----------
    run_dir
        A run folder.

    Returns
    -------
    RunMeasures
        Indicators, list counts by year and area criteria; empty frames when nothing finished.
    """
    run_dir = Path(run_dir)
    info = read_run_info(run_dir)
    end_month = int(info["years"]) * 12
    indicators, lists, criteria = [], [], []
    for replication in finished_replications(run_dir):
        row, counts, areas = _measure_replication(run_dir, replication, end_month)
        indicators.append(row)
        lists.append(counts)
        criteria.append(areas)
    if not indicators:
        return RunMeasures(
            pd.DataFrame(columns=["replication", *INDICATORS]),
            pd.DataFrame(columns=["replication", "year", *LIST_COUNTS]),
            pd.DataFrame(columns=["replication", "year", "area"]),
        )
    return RunMeasures(
        pd.DataFrame(indicators),
        pd.concat(lists, ignore_index=True),
        pd.concat(criteria, ignore_index=True),
    )


def _measure_replication(
    run_dir: Path, replication: int, end_month: int
) -> tuple[dict[str, float], pd.DataFrame, pd.DataFrame]:
    criteria_columns = [criterion.column for criterion in model_criteria()]
    area = _read_part(
        run_dir,
        "area_year",
        replication,
        ["year", "area", "area_name", "residents", *criteria_columns, *LIST_COLUMNS],
    )
    first, last = int(area["year"].min()), int(area["year"].max())
    area["listed"] = area["udsat"] | area["forebyggelsesomraade"]
    counts = area.groupby("year", sort=True)[list(LIST_COUNTS)].sum().astype(np.int64)
    counts = counts.reset_index()
    counts.insert(0, "replication", np.int64(replication))
    final = counts[counts["year"] == last].iloc[0]
    simulated = counts[counts["year"] > first]

    row: dict[str, float] = {"replication": replication}
    for column in LIST_COLUMNS:
        row[f"{column}_final"] = float(final[column])
    row["listed_final"] = float(final["listed"])
    row["listed_area_years"] = float(simulated["listed"].sum())

    referrals = _read_part(
        run_dir, "referrals", replication, ["arrival_month", "wait_months", "outcome"]
    )
    housed = referrals["outcome"] == "housed"
    waits = referrals.loc[housed, "wait_months"].to_numpy(dtype=np.float64, na_value=np.nan)
    waits = waits[~np.isnan(waits)]
    row["wait_median_months"] = float(np.median(waits)) if waits.size else math.nan
    row["wait_p90_months"] = float(np.percentile(waits, 90)) if waits.size else math.nan
    row["wait_mean_months"] = float(waits.mean()) if waits.size else math.nan
    observed = referrals["arrival_month"].to_numpy() + WAIT_WINDOW_MONTHS < end_month
    quick = housed.to_numpy() & (
        referrals["wait_months"].fillna(WAIT_WINDOW_MONTHS + 1) <= WAIT_WINDOW_MONTHS
    ).to_numpy().astype(bool)
    row["housed_within_6_months_share"] = (
        float(quick[observed].mean()) if observed.any() else math.nan
    )
    row["not_housed_within_6_months"] = float((observed & ~quick).sum())
    row["waiting_at_end"] = float((referrals["outcome"] == "waiting").sum())

    departments = _read_part(
        run_dir,
        "department_year",
        replication,
        ["year", "move_outs", "referral_share_agreed", *CHANNEL_COLUMNS],
    )
    flows = departments[departments["year"] > first]
    lettings = flows[list(CHANNEL_COLUMNS)].to_numpy(np.float64)
    total = lettings.sum()
    row["referral_share_achieved"] = (
        float(flows["lettings_referral"].sum() / total) if total else math.nan
    )
    weights = flows["move_outs"].to_numpy(np.float64)
    agreed = flows["referral_share_agreed"].to_numpy(np.float64)
    row["referral_share_agreed"] = (
        float(np.average(agreed, weights=weights)) if weights.sum() > 0 else float(agreed.mean())
    )
    years = max(last - first, 1)
    for index, column in enumerate(CHANNEL_COLUMNS):
        row[f"{column}_per_year"] = float(lettings[:, index].sum() / years)

    for criterion in model_criteria():
        distance = criterion.threshold - area[criterion.column].to_numpy(np.float64)
        area[f"{criterion.column}_headroom"] = distance if criterion.side == "above" else -distance
    areas = area.drop(columns=list(LIST_COUNTS))
    areas.insert(0, "replication", np.int64(replication))
    return row, counts, areas


def t_interval(values: Iterable[float], level: float = 0.95) -> tuple[float, float, float]:
    """Mean and two-sided t-interval of the mean of ``values`` (NaNs dropped).

    Returns
    -------
    tuple of float
        ``(mean, low, high)``; the bounds are NaN with fewer than two values, and equal the mean
        when the values do not vary.

    Examples
    --------
    >>> t_interval([0.0, 0.0, 0.0])
    (0.0, 0.0, 0.0)
    """
    from scipy import stats

    array = np.asarray(list(values), dtype=np.float64)
    array = array[~np.isnan(array)]
    if array.size == 0:
        return math.nan, math.nan, math.nan
    mean = float(array.mean())
    if array.size < 2:
        return mean, math.nan, math.nan
    spread = float(array.std(ddof=1))
    if spread == 0.0:
        return mean, mean, mean
    half = float(stats.t.ppf(0.5 + level / 2, array.size - 1)) * spread / math.sqrt(array.size)
    return mean, mean - half, mean + half


def paired_differences(
    indicators: pd.DataFrame, reference: str, columns: Sequence[str] = tuple(INDICATORS)
) -> pd.DataFrame:
    """Each scenario minus the reference, paired by replication; mean and 95 % t-interval.

    Parameters
    ----------
    indicators
        One row per ``scenario`` × ``replication`` with the indicator columns.
    reference
        The scenario the others are compared with.
    columns
        The indicators to difference.

    Returns
    -------
    pandas.DataFrame
        One row per scenario (other than the reference) × indicator: ``pairs`` (replications
        finished in both, where the indicator is defined in both), ``reference_mean``,
        ``scenario_mean``, ``difference_mean``, ``difference_sd``, ``difference_low_95`` and
        ``difference_high_95`` (t-interval of the mean paired difference), and ``clear`` (the
        interval excludes 0).
    """
    base = indicators[indicators["scenario"] == reference].set_index("replication")
    rows = []
    for scenario in dict.fromkeys(indicators["scenario"]):
        if scenario == reference:
            continue
        other = indicators[indicators["scenario"] == scenario].set_index("replication")
        joined = base.add_suffix("_reference").join(other.add_suffix("_scenario"), how="inner")
        for column in columns:
            pair = joined[[f"{column}_reference", f"{column}_scenario"]].dropna()
            difference = pair[f"{column}_scenario"] - pair[f"{column}_reference"]
            mean, low, high = t_interval(difference)
            rows.append(
                {
                    "scenario": scenario,
                    "reference": reference,
                    "indicator": column,
                    "pairs": len(pair),
                    "reference_mean": float(pair[f"{column}_reference"].mean()),
                    "scenario_mean": float(pair[f"{column}_scenario"].mean()),
                    "difference_mean": mean,
                    "difference_sd": float(difference.std(ddof=1)) if len(pair) > 1 else math.nan,
                    "difference_low_95": low,
                    "difference_high_95": high,
                    "clear": bool(low > 0 or high < 0),
                }
            )
    return pd.DataFrame(rows)


PRICE_PER = 100.0
"""The price counts listed area-years avoided per this many referral households not housed within
6 months."""


def price_of_listings(
    indicators: pd.DataFrame, reference: str, level: float = 0.95
) -> pd.DataFrame:
    """What each scenario pays in speed for the listings it avoids, against the reference.

    The *price* is listed area-years avoided per :data:`PRICE_PER` referral households not housed
    within 6 months: per replication *r* (paired by seed), ``a_r`` = the reference's listed
    area-years minus the scenario's, ``u_r`` = the scenario's households not housed within 6
    months minus the reference's; the price is ``100 · mean(a) / mean(u)``, with a delta-method
    interval (``var ≈ (s_a² − 2 R s_au + R² s_u²) / (n ū²)`` for ``R = ā / ū``, t quantile with
    ``n − 1`` degrees of freedom). A higher price is a cheaper way to keep areas off the lists.

    It is a price only where the scenario clearly houses fewer within 6 months (the interval of
    ``ū`` above 0); otherwise ``price`` is NaN and ``reading`` says why: ``"no clear cost"``
    (``ū``'s interval holds 0), or ``"faster"`` (the scenario houses more within 6 months).

    Parameters
    ----------
    indicators
        One row per ``scenario`` × ``replication`` with ``listed_area_years`` and
        ``not_housed_within_6_months``.
    reference
        The scenario the others are priced against.
    level
        Level of the intervals.

    Returns
    -------
    pandas.DataFrame
        One row per other scenario: ``scenario``, ``reference``, ``pairs``,
        ``area_years_avoided`` and ``not_housed_extra`` (means) with ``_low`` and ``_high``
        bounds, ``price``, ``price_low``, ``price_high``, and ``reading``.
    """
    from scipy import stats

    columns = ["listed_area_years", "not_housed_within_6_months"]
    base = indicators[indicators["scenario"] == reference].set_index("replication")[columns]
    rows = []
    for scenario in dict.fromkeys(indicators["scenario"]):
        if scenario == reference:
            continue
        other = indicators[indicators["scenario"] == scenario].set_index("replication")[columns]
        joined = base.add_suffix("_reference").join(other, how="inner").dropna()
        avoided = (joined["listed_area_years_reference"] - joined["listed_area_years"]).to_numpy(
            np.float64
        )
        extra = (
            joined["not_housed_within_6_months"] - joined["not_housed_within_6_months_reference"]
        ).to_numpy(np.float64)
        record: dict[str, object] = {
            "scenario": scenario,
            "reference": reference,
            "pairs": len(joined),
        }
        for name, values in (("area_years_avoided", avoided), ("not_housed_extra", extra)):
            mean, low, high = t_interval(values, level)
            record |= {name: mean, f"{name}_low": low, f"{name}_high": high}
        price = low = high = math.nan
        extra_low = float(record["not_housed_extra_low"])  # type: ignore[arg-type]
        extra_mean = float(record["not_housed_extra"])  # type: ignore[arg-type]
        n = len(joined)
        if n >= 2 and extra_low > 0:
            ratio = float(avoided.mean() / extra.mean())
            covariance = np.cov(avoided, extra, ddof=1)
            variance = (
                covariance[0, 0] - 2 * ratio * covariance[0, 1] + ratio**2 * covariance[1, 1]
            ) / (n * extra.mean() ** 2)
            half = float(stats.t.ppf(0.5 + level / 2, n - 1)) * math.sqrt(max(variance, 0.0))
            price, low, high = (PRICE_PER * v for v in (ratio, ratio - half, ratio + half))
            reading = "price"
        elif n >= 2 and extra_mean < 0 and float(record["not_housed_extra_high"]) < 0:  # type: ignore[arg-type]
            reading = "faster"
        else:
            reading = "no clear cost"
        record |= {"price": price, "price_low": low, "price_high": high, "reading": reading}
        rows.append(record)
    return pd.DataFrame(rows)


def spread(frame: pd.DataFrame, by: list[str], columns: Sequence[str]) -> pd.DataFrame:
    """Mean, standard deviation, 10th and 90th percentile and count of each column, per ``by``."""
    long = frame.melt(id_vars=by, value_vars=list(columns), var_name="indicator")
    long["value"] = long["value"].astype(np.float64)
    grouped = long.groupby([*by, "indicator"], sort=False)["value"]
    return pd.DataFrame(
        {
            "mean": grouped.mean(),
            "sd": grouped.std(ddof=1),
            "p10": grouped.quantile(0.1),
            "p90": grouped.quantile(0.9),
            "replications": grouped.count(),
        }
    ).reset_index()
