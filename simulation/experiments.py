"""Experiments: paired comparisons of scenarios, parameter sweeps and the trade-off frontier.

Everything here is built from standard run folders (:mod:`simulation.results`), one per scenario
or design point, all run with the same seed: replication *r* of every scenario sees the same
initial population, the same referral arrivals and the same life-event draws wherever the
scenarios do not differ (common random numbers), so differences are *paired* by replication and
much tighter than those of independent runs. Measures are read one replication at a time, so
memory does not grow with the number of replications.

Layouts::

    COMPARE_DIR/                          SWEEP_DIR/
      compare.json                          sweep.json          design, points and their values
      runs/<label>/   (run folders)         points/<point>/     (run folders)
      indicators.csv|parquet                points.csv
      summary.csv|parquet                   indicators.csv|parquet
      differences.csv|parquet               summary.csv|parquet
      lists_by_year.csv|parquet             frontier.csv|parquet, figures/frontier.png (frontier)
      criteria_headroom.csv|parquet
      headline.csv
      figures/*.png

Examples
--------
>>> from simulation.experiments import parse_variation
>>> parse_variation("agreement.default_referral_share=0.25,0.5").values
(0.25, 0.5)
>>> parse_variation("agreement.flexible_letting_share=0:0.6").low
0.0
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import logging
import math
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from simulation.atomic import atomic_path, atomic_write_text
from simulation.errors import Problem, ScenarioError, show_value
from simulation.executors import Executor
from simulation.model import Planner
from simulation.plots import CRITERIA, LIST_LABELS
from simulation.results import (
    TABLES,
    finished_replications,
    part_name,
    read_run,
    read_run_info,
)
from simulation.runner import RunJob, RunOutcome, simulate_many
from simulation.scenario import LoadedScenario

__all__ = [
    "FRONTIER_LISTS",
    "FRONTIER_SPEEDS",
    "INDICATORS",
    "Comparison",
    "DesignPoint",
    "ExperimentError",
    "RunMeasures",
    "SweepOutcome",
    "Variation",
    "compare",
    "compare_runs",
    "design_points",
    "frontier_table",
    "paired_differences",
    "pareto_front",
    "parse_variation",
    "point_scenarios",
    "read_sweep",
    "run_measures",
    "sweep",
    "sweep_measures",
    "t_interval",
]

logger = logging.getLogger(__name__)

Design = Literal["factorial", "lhs"]

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

LIST_COUNTS = (*LIST_LABELS, "listed")
"""Columns of the list-count tables: the four lists and ``listed`` (udsat or forebyggelse)."""

FRONTIER_SPEEDS: dict[str, bool] = {
    "wait_median_months": False,
    "wait_mean_months": False,
    "wait_p90_months": False,
    "housed_within_6_months_share": True,
}
"""Speed measures of the frontier and whether more is better."""

FRONTIER_LISTS = ("listed_area_years", "listed_final")
"""List measures of the frontier (fewer is better)."""

CHANNEL_COLUMNS = (
    "lettings_referral",
    "lettings_flexible",
    "lettings_internal",
    "lettings_external",
)


class ExperimentError(ValueError):
    """An experiment was asked for with invalid settings, or its folder holds another one."""


# --------------------------------------------------------------------------------------------------
# Measures of one run folder, one replication at a time


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
    criteria_columns = [column for column, *_ in CRITERIA]
    area = _read_part(
        run_dir,
        "area_year",
        replication,
        ["year", "area", "area_name", "residents", *criteria_columns, *LIST_LABELS],
    )
    first, last = int(area["year"].min()), int(area["year"].max())
    area["listed"] = area["udsat"] | area["forebyggelsesomraade"]
    counts = area.groupby("year", sort=True)[list(LIST_COUNTS)].sum().astype(np.int64)
    counts = counts.reset_index()
    counts.insert(0, "replication", np.int64(replication))
    final = counts[counts["year"] == last].iloc[0]
    simulated = counts[counts["year"] > first]

    row: dict[str, float] = {"replication": replication}
    for column in LIST_LABELS:
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

    for column, _, udsat, _, side in CRITERIA:
        values = area[column].to_numpy(np.float64)
        area[f"{column}_headroom"] = udsat - values if side == "above" else values - udsat
    areas = area.drop(columns=list(LIST_COUNTS))
    areas.insert(0, "replication", np.int64(replication))
    return row, counts, areas


# --------------------------------------------------------------------------------------------------
# Statistics


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


def _spread(frame: pd.DataFrame, by: list[str], columns: Sequence[str]) -> pd.DataFrame:
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


# --------------------------------------------------------------------------------------------------
# Comparison


@dataclass(frozen=True)
class Comparison:
    """A paired comparison of scenarios (each a run folder, same seed), as tidy tables.

    Attributes
    ----------
    labels
        The scenarios, the reference first.
    run_dirs
        Each scenario's run folder.
    indicators
        ``scenario``, ``replication`` and every :data:`INDICATORS` column.
    summary
        Per scenario × indicator: ``mean``, ``sd``, ``p10``, ``p90``, ``replications``.
    differences
        Per scenario × indicator, the paired difference to the reference
        (:func:`paired_differences`).
    lists_by_year
        Per scenario × year × list (``list``): ``mean``, ``p10``, ``p90`` of the areas on it.
    criteria_headroom
        Final year, per scenario × area × criterion: mean ``value`` and ``headroom`` to the udsat
        threshold (positive: safe by that much), its 10–90 % range, and the paired difference of
        the headroom to the reference with its 95 % interval.
    area_criteria
        Per scenario × replication × year × area: the criteria and headroom (for fan charts).
    """

    labels: tuple[str, ...]
    run_dirs: Mapping[str, Path]
    indicators: pd.DataFrame
    summary: pd.DataFrame
    differences: pd.DataFrame
    lists_by_year: pd.DataFrame
    criteria_headroom: pd.DataFrame
    area_criteria: pd.DataFrame = field(repr=False)

    @property
    def reference(self) -> str:
        """The scenario the others are compared with (the first)."""
        return self.labels[0]

    def headline(self, indicators: Sequence[str] = HEADLINE) -> pd.DataFrame:
        """Indicators × scenarios (means), with each paired difference and its 95 % interval."""
        means = self.summary.pivot(index="indicator", columns="scenario", values="mean")
        table = pd.DataFrame(index=pd.Index(list(indicators), name="indicator"))
        for label in self.labels:
            table[label] = means[label].reindex(table.index) if label in means else math.nan
        for label in self.labels[1:]:
            rows = self.differences[self.differences["scenario"] == label].set_index("indicator")
            for suffix, column in (
                ("difference", "difference_mean"),
                ("low_95", "difference_low_95"),
                ("high_95", "difference_high_95"),
            ):
                table[f"{label} − {self.reference} {suffix}"] = rows[column].reindex(table.index)
        return table.reset_index()


def compare_runs(run_dirs: Mapping[str, str | Path]) -> Comparison:
    """Compare finished run folders (same seed), the first being the reference.

    Parameters
    ----------
    run_dirs
        Label → run folder, the reference first; the runs should share seed and horizon.

    Returns
    -------
    Comparison
        The tables; replications are paired by index.

    Raises
    ------
    ExperimentError
        If fewer than two folders are given or their seeds differ (nothing would be paired).
    """
    folders = {label: Path(folder) for label, folder in run_dirs.items()}
    if len(folders) < 2:
        raise ExperimentError(f"a comparison needs at least two run folders, got {len(folders)}")
    seeds = {label: read_run_info(folder).get("entropy") for label, folder in folders.items()}
    if len(set(seeds.values())) > 1:
        raise ExperimentError(
            f"the run folders have different seeds ({seeds}); paired differences need one seed"
        )
    labels = tuple(folders)
    indicators: list[pd.DataFrame] = []
    lists: list[pd.DataFrame] = []
    criteria: list[pd.DataFrame] = []
    for label, folder in folders.items():
        measures = run_measures(folder)
        for frame, into in (
            (measures.indicators, indicators),
            (measures.lists_by_year, lists),
            (measures.area_criteria, criteria),
        ):
            frame = frame.copy()
            frame.insert(0, "scenario", label)
            into.append(frame)
    indicator_table = pd.concat(indicators, ignore_index=True)
    list_table = pd.concat(lists, ignore_index=True)
    area_table = pd.concat(criteria, ignore_index=True)
    summary = _spread(indicator_table, ["scenario"], list(INDICATORS))
    differences = paired_differences(indicator_table, labels[0])
    by_year = _spread(list_table, ["scenario", "year"], list(LIST_COUNTS)).rename(
        columns={"indicator": "list"}
    )
    return Comparison(
        labels=labels,
        run_dirs=folders,
        indicators=indicator_table,
        summary=summary,
        differences=differences,
        lists_by_year=by_year[["scenario", "year", "list", "mean", "p10", "p90"]],
        criteria_headroom=_criteria_headroom(area_table, labels),
        area_criteria=area_table,
    )


def _criteria_headroom(area: pd.DataFrame, labels: Sequence[str]) -> pd.DataFrame:
    """Final-year criteria per scenario × area, with the paired difference of the headroom."""
    if area.empty or "year" not in area or area["year"].isna().all():
        return pd.DataFrame()
    final = area[area["year"] == area["year"].max()]
    rows = []
    reference = final[final["scenario"] == labels[0]].set_index(["area", "replication"])
    for (scenario, area_id), group in final.groupby(["scenario", "area"], sort=False):
        for column, *_ in CRITERIA:
            headroom = group[f"{column}_headroom"]
            record: dict[str, Any] = {
                "scenario": scenario,
                "area": area_id,
                "area_name": group["area_name"].iloc[0],
                "residents_mean": float(group["residents"].mean()),
                "criterion": column,
                "value_mean": float(group[column].mean()),
                "headroom_mean": float(headroom.mean()),
                "headroom_p10": float(headroom.quantile(0.1)),
                "headroom_p90": float(headroom.quantile(0.9)),
            }
            if scenario != labels[0] and area_id in reference.index.get_level_values(0):
                base = reference.loc[area_id, f"{column}_headroom"]
                mine = group.set_index("replication")[f"{column}_headroom"]
                difference = (mine - base).dropna()
                mean, low, high = t_interval(difference)
            else:
                mean, low, high = (0.0, 0.0, 0.0) if scenario == labels[0] else (math.nan,) * 3
            record |= {
                "difference_mean": mean,
                "difference_low_95": low,
                "difference_high_95": high,
            }
            rows.append(record)
    return pd.DataFrame(rows)


def scenario_labels(sources: Sequence[str | Path]) -> list[str]:
    """Folder-safe labels from file stems; repeated stems get ``-2``, ``-3``, …."""
    labels: list[str] = []
    for source in sources:
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", Path(source).stem).strip("-.") or "scenario"
        label, number = stem, 2
        while label in labels:
            label, number = f"{stem}-{number}", number + 1
        labels.append(label)
    return labels


def compare(
    scenarios: Sequence[LoadedScenario],
    out_dir: str | Path,
    *,
    labels: Sequence[str] | None = None,
    replications: int = 10,
    years: int | None = None,
    entropy: int = 0,
    executor: Executor | None = None,
    planner: Planner | None = None,
    batch_size: int | None = None,
    shared_filesystem: bool = True,
    on_replication: Callable[[int], None] | None = None,
    on_start: Callable[[int, int], None] | None = None,
    figures: bool = True,
) -> Comparison:
    """Run scenarios with one seed into run folders under ``out_dir/runs`` and compare them.

    Re-running with the same arguments resumes: finished replications are kept.

    Parameters
    ----------
    scenarios
        The scenarios; the first is the reference the others are compared with.
    out_dir
        The comparison folder (``compare.json``, tables, figures, ``runs/<label>``).
    labels
        Folder names of the scenarios (default: from the file stems).
    replications
        Replications per scenario (paired by index).
    years
        Years to simulate (default: the first scenario's horizon, for all).
    entropy
        The seed shared by all scenarios (common random numbers).
    executor, planner, batch_size, shared_filesystem, on_replication, on_start
        As for :func:`simulation.runner.simulate_many`.
    figures
        Whether to draw the figures into ``out_dir/figures``.

    Returns
    -------
    Comparison
        The tables (also written to ``out_dir`` as CSV and Parquet).

    Raises
    ------
    ExperimentError
        If fewer than two scenarios are given, labels repeat, or ``out_dir`` holds another
        comparison.
    simulation.runner.RunFolderError
        If a run folder holds another run.
    """
    if len(scenarios) < 2:
        raise ExperimentError(f"compare needs at least two scenarios, got {len(scenarios)}")
    names = list(labels) if labels is not None else scenario_labels([s.source for s in scenarios])
    if len(set(names)) != len(names) or len(names) != len(scenarios):
        raise ExperimentError(f"one distinct label per scenario is needed, got {names}")
    out = Path(out_dir)
    horizon = years if years is not None else scenarios[0].scenario.horizon.years
    manifest = {
        "kind": "comparison",
        "reference": names[0],
        "labels": names,
        "runs": {label: f"runs/{label}" for label in names},
        "scenarios": {
            label: {"file": str(s.source), "name": s.scenario.name, "digest": s.digest}
            for label, s in zip(names, scenarios, strict=True)
        },
        "digests": {label: s.digest for label, s in zip(names, scenarios, strict=True)},
        "entropy": entropy,
        "years": horizon,
        "pairing": "replication r of every scenario uses seed SeedSequence(entropy, spawn_key=(r,))",
    }
    _claim_folder(out / "compare.json", manifest, ("labels", "digests", "entropy", "years"))
    jobs = [
        RunJob(scenario, out / "runs" / label, entropy, horizon, replications)
        for label, scenario in zip(names, scenarios, strict=True)
    ]
    simulate_many(
        jobs,
        planner=planner,
        executor=executor,
        batch_size=batch_size,
        shared_filesystem=shared_filesystem,
        on_replication=on_replication,
        on_start=on_start,
    )
    comparison = compare_runs({label: job.run_dir for label, job in zip(names, jobs, strict=True)})
    tables = {
        "indicators": comparison.indicators,
        "summary": comparison.summary,
        "differences": comparison.differences,
        "lists_by_year": comparison.lists_by_year,
        "criteria_headroom": comparison.criteria_headroom,
    }
    for name, frame in tables.items():
        write_table(frame, out / name)
    _write_csv(comparison.headline(), out / "headline.csv")
    written = []
    if figures:
        from simulation.experiment_plots import save_comparison_figures

        written = [str(p.relative_to(out)) for p in save_comparison_figures(comparison, out)]
    finished = {
        label: len(finished_replications(job.run_dir))
        for label, job in zip(names, jobs, strict=True)
    }
    _write_json(
        out / "compare.json",
        manifest
        | {
            "replications": replications,
            "finished_replications": finished,
            "status": "complete" if min(finished.values()) >= replications else "partial",
            "tables": [f"{name}.csv" for name in tables] + ["headline.csv"],
            "figures": written,
            "updated": _now(),
        },
    )
    return comparison


# --------------------------------------------------------------------------------------------------
# Sweeps


@dataclass(frozen=True)
class Variation:
    """One ``--vary`` option: a scenario key and its values, or a range for a Latin hypercube.

    Attributes
    ----------
    key
        A dotted scenario key, e.g. ``agreement.default_referral_share``.
    values
        The values (TOML scalars or arrays), when listed.
    low, high
        The range, when given as ``LOW:HIGH`` (only with the ``lhs`` design).
    integer
        Whether the range is of whole numbers (both ends written as integers).
    """

    key: str
    values: tuple[Any, ...] = ()
    low: float | None = None
    high: float | None = None
    integer: bool = False

    @property
    def is_range(self) -> bool:
        """Whether the variation is a range rather than a list of values."""
        return self.low is not None

    def as_json(self) -> dict[str, Any]:
        """The variation as JSON data (for ``sweep.json``)."""
        if self.is_range:
            return {"key": self.key, "low": self.low, "high": self.high, "integer": self.integer}
        return {"key": self.key, "values": list(self.values)}


_BARE_WORD = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_RANGE = re.compile(r"^\s*([^:,\[\]\"']+?)\s*:\s*([^:,\[\]\"']+?)\s*$")


def _toml_value(text: str) -> Any:
    return tomllib.loads(f"value = {text}")["value"]


def parse_variation(text: str) -> Variation:
    """Parse ``KEY=V1,V2,…`` or ``KEY=LOW:HIGH``; values are TOML (numbers, true/false, "text").

    Unquoted words (``next_vacancy``) are taken as text; arrays are written in brackets
    (``agreement.flexible_criteria=["employment"],["employment","education"]``).

    Raises
    ------
    ExperimentError
        Naming the option and what is wrong with it.
    """
    key, equals, rest = text.partition("=")
    key = key.strip()
    if not equals or not key or not rest.strip():
        raise ExperimentError(
            f"--vary {text!r}: expected KEY=V1,V2,… or KEY=LOW:HIGH, e.g. "
            "agreement.default_referral_share=0.25,0.5"
        )
    if not re.fullmatch(r"[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*", key):
        raise ExperimentError(f"--vary {text!r}: {key!r} is not a dotted scenario key")
    ranged = _RANGE.match(rest)
    if ranged:
        ends = []
        for part in ranged.groups():
            try:
                value = _toml_value(part)
            except tomllib.TOMLDecodeError:
                value = None
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ExperimentError(
                    f"--vary {text!r}: range end {part!r} is not a number (expected LOW:HIGH)"
                )
            ends.append(value)
        low, high = ends
        if not low < high:
            raise ExperimentError(f"--vary {text!r}: expected LOW < HIGH, got {low} and {high}")
        integer = all(isinstance(end, int) for end in ends)
        return Variation(key, low=float(low), high=float(high), integer=integer)
    try:
        values = tomllib.loads(f"value = [{rest}]")["value"]
    except tomllib.TOMLDecodeError:
        values = []
        for part in rest.split(","):
            item = part.strip()
            try:
                values.append(_toml_value(item))
            except tomllib.TOMLDecodeError:
                if not _BARE_WORD.match(item):
                    raise ExperimentError(
                        f"--vary {text!r}: cannot read the value {item!r} (write numbers, "
                        'true/false, or text in quotes: "next_vacancy")'
                    ) from None
                values.append(item)
    if not values:
        raise ExperimentError(f"--vary {text!r}: no values given")
    canonical = [json.dumps(v, sort_keys=True) for v in values]
    if len(set(canonical)) != len(canonical):
        raise ExperimentError(f"--vary {text!r}: a value is repeated")
    return Variation(key, values=tuple(values))


@dataclass(frozen=True)
class DesignPoint:
    """One point of a sweep: its id and the value of each varied key."""

    point: str
    values: Mapping[str, Any]

    @property
    def label(self) -> str:
        """``share=0.25, flexible_letting_share=0.3``: the last part of each key and its value."""
        return ", ".join(f"{key.rsplit('.', 1)[-1]}={_show(v)}" for key, v in self.values.items())


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, str):
        return value
    return json.dumps(value)


def design_points(
    variations: Sequence[Variation],
    design: Design = "factorial",
    *,
    samples: int | None = None,
    entropy: int = 0,
) -> list[DesignPoint]:
    """The points of a sweep design.

    Parameters
    ----------
    variations
        The varied keys (distinct).
    design
        ``factorial``: every combination of the listed values. ``lhs``: ``samples`` points of a
        Latin hypercube over the ranges (``LOW:HIGH``; whole numbers when both ends are) and the
        listed values (as equally likely levels), drawn from the seed.
    samples
        Points of the Latin hypercube.
    entropy
        The seed (the hypercube is drawn from its own stream of it).

    Raises
    ------
    ExperimentError
        If a key is repeated, a range is given for a factorial design, or ``samples`` is missing.
    """
    keys = [variation.key for variation in variations]
    if not variations:
        raise ExperimentError("a sweep needs at least one --vary KEY=…")
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise ExperimentError(f"--vary names {', '.join(repeated)} more than once")
    if design == "factorial":
        ranges = [v.key for v in variations if v.is_range]
        if ranges:
            raise ExperimentError(
                f"--vary {ranges[0]}=LOW:HIGH is a range: use --design lhs --samples N, or list "
                "values (KEY=V1,V2,…) for a factorial design"
            )
        if samples is not None:
            raise ExperimentError("--samples is for --design lhs")
        combos = list(itertools.product(*(v.values for v in variations)))
    elif design == "lhs":
        if samples is None or samples < 1:
            raise ExperimentError("--design lhs needs --samples N (N ≥ 1)")
        combos = _latin_hypercube(variations, samples, entropy)
    else:
        raise ExperimentError(f"--design {design!r}: expected factorial or lhs")
    width = max(3, len(str(len(combos) - 1)))
    return [
        DesignPoint(f"p{index:0{width}d}", dict(zip(keys, combo, strict=True)))
        for index, combo in enumerate(combos)
    ]


def _latin_hypercube(
    variations: Sequence[Variation], samples: int, entropy: int
) -> list[tuple[Any, ...]]:
    from scipy.stats import qmc

    rng = np.random.default_rng(np.random.SeedSequence([entropy, 0x4C4853]))  # "LHS"
    unit = qmc.LatinHypercube(d=len(variations), rng=rng).random(samples)
    combos = []
    for row in unit:
        combo: list[Any] = []
        for u, variation in zip(row.tolist(), variations, strict=True):
            if variation.is_range:
                low, high = float(variation.low or 0.0), float(variation.high or 0.0)
                if variation.integer:
                    combo.append(math.floor(low + u * (high - low + 1)))
                else:
                    combo.append(float(f"{low + u * (high - low):.6g}"))
            else:
                combo.append(
                    variation.values[min(int(u * len(variation.values)), len(variation.values) - 1)]
                )
        combos.append(tuple(combo))
    return combos


def point_scenarios(
    loaded: LoadedScenario, variations: Sequence[Variation], points: Sequence[DesignPoint]
) -> list[LoadedScenario]:
    """Validate every varied key and value alone, then build every point's scenario.

    Nothing runs; every problem found is reported at once.

    Raises
    ------
    ScenarioError
        Naming each bad key or value (and each invalid combination) with what was expected.
    """
    problems: list[Problem] = []
    for variation in variations:
        trial = [variation.low, variation.high] if variation.is_range else list(variation.values)
        for value in trial:
            if variation.is_range and variation.integer:
                value = int(value or 0)
            try:
                loaded.with_overrides({variation.key: value})
            except ScenarioError as error:
                problems.extend(_blame(error, variation.key, value))
                if any("a key of the scenario schema" in p.expected for p in error.problems):
                    break  # the key itself is wrong: one message is enough
    if problems:
        raise ScenarioError(problems)
    scenarios = []
    for point in points:
        try:
            scenarios.append(loaded.with_overrides(point.values))
        except ScenarioError as error:
            problems.extend(
                Problem(
                    f"{loaded.source} point {point.point} ({point.label})",
                    p.location,
                    p.value,
                    p.expected,
                )
                for p in error.problems
            )
    if problems:
        raise ScenarioError(problems)
    return scenarios


def _blame(error: ScenarioError, key: str, value: Any) -> list[Problem]:
    """The problems of one ``--vary`` value, labelled with the option."""
    return [
        Problem(f"--vary {key}={show_value(value)}", p.location, p.value, p.expected)
        for p in error.problems
    ]


@dataclass(frozen=True)
class SweepOutcome:
    """What :func:`sweep` did: the folder, its points and each point's run."""

    sweep_dir: Path
    points: Sequence[DesignPoint]
    runs: Sequence[RunOutcome]
    measures: pd.DataFrame
    """Per point × replication: ``point``, the varied keys, ``replication`` and the indicators."""
    summary: pd.DataFrame
    """Per point: the varied keys and, per indicator, ``<indicator>`` (mean), ``_low_95``, ``_high_95``."""


def sweep(
    loaded: LoadedScenario,
    variations: Sequence[Variation],
    out_dir: str | Path,
    *,
    design: Design = "factorial",
    samples: int | None = None,
    replications: int = 10,
    years: int | None = None,
    entropy: int = 0,
    executor: Executor | None = None,
    planner: Planner | None = None,
    batch_size: int | None = None,
    shared_filesystem: bool = True,
    on_replication: Callable[[int], None] | None = None,
    on_start: Callable[[int, int], None] | None = None,
) -> SweepOutcome:
    """Run a scenario at every point of a design, each point a run folder under ``out_dir/points``.

    All points share the seed (common random numbers across points). Every key and value is
    validated, and every point's scenario built, before anything runs. Re-running the same call
    resumes.

    Parameters
    ----------
    loaded
        The base scenario.
    variations
        The varied keys (:func:`parse_variation`).
    out_dir
        The sweep folder.
    design, samples
        See :func:`design_points`.
    replications
        Replications per point.
    years
        Years to simulate (default: each point's horizon, ``horizon.years``, which may vary).
    entropy
        The seed of every point (and of the hypercube).
    executor, planner, batch_size, shared_filesystem, on_replication, on_start
        As for :func:`simulation.runner.simulate_many`.

    Raises
    ------
    ExperimentError
        If the design is invalid or ``out_dir`` holds another sweep.
    ScenarioError
        If a key or value is invalid (nothing has run).
    """
    points = design_points(variations, design, samples=samples, entropy=entropy)
    scenarios = point_scenarios(loaded, variations, points)
    out = Path(out_dir)
    horizon = years  # None: each point's own horizon (which may be varied)
    manifest = {
        "kind": "sweep",
        "scenario": {
            "file": str(loaded.source),
            "name": loaded.scenario.name,
            "digest": loaded.digest,
        },
        "digest": loaded.digest,
        "design": design,
        "samples": samples,
        "variations": [variation.as_json() for variation in variations],
        "keys": [variation.key for variation in variations],
        "entropy": entropy,
        "years": horizon,
        "points": [
            {"point": p.point, "values": dict(p.values), "run": f"points/{p.point}"} for p in points
        ],
    }
    _claim_folder(out / "sweep.json", manifest, ("digest", "points", "entropy", "years"))
    jobs = [
        RunJob(scenario, out / "points" / point.point, entropy, horizon, replications)
        for point, scenario in zip(points, scenarios, strict=True)
    ]
    point_table = pd.DataFrame(
        [
            {"point": p.point, **p.values, "label": p.label, "run": f"points/{p.point}"}
            for p in points
        ]
    )
    _write_csv(point_table, out / "points.csv")
    runs = simulate_many(
        jobs,
        planner=planner,
        executor=executor,
        batch_size=batch_size,
        shared_filesystem=shared_filesystem,
        on_replication=on_replication,
        on_start=on_start,
    )
    measures = sweep_measures(out)
    summary = _point_summary(measures, [v.key for v in variations])
    write_table(measures, out / "indicators")
    write_table(summary, out / "summary")
    finished = {p.point: len(r.ran) for p, r in zip(points, runs, strict=True)}
    _write_json(
        out / "sweep.json",
        manifest
        | {
            "replications": replications,
            "ran_now": finished,
            "status": "complete"
            if all(len(finished_replications(job.run_dir)) >= replications for job in jobs)
            else "partial",
            "updated": _now(),
        },
    )
    return SweepOutcome(out, points, runs, measures, summary)


def _sweep_manifest(sweep_dir: Path) -> dict[str, Any]:
    path = sweep_dir / "sweep.json"
    if not path.is_file():
        raise FileNotFoundError(f"{sweep_dir} is not a sweep folder: it has no sweep.json")
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


def read_sweep(sweep_dir: str | Path, tables: Iterable[str] = TABLES) -> dict[str, pd.DataFrame]:
    """Read a sweep folder's run tables, all points stacked, with the varied values as columns.

    Parameters
    ----------
    sweep_dir
        A folder written by ``blandetby sweep`` (or ``frontier``).
    tables
        Which tables (default: all of :data:`simulation.results.TABLES`).

    Returns
    -------
    dict of str to pandas.DataFrame
        Each table with ``point`` and one column per varied key (named by the dotted key) in
        front of the run columns; finished replications only.
    """
    sweep_dir = Path(sweep_dir)
    manifest = _sweep_manifest(sweep_dir)
    names = list(tables)
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in names}
    for point in manifest["points"]:
        run = read_run(sweep_dir / point["run"], names)
        for name in names:
            frame = run[name]
            if frame.empty:
                continue
            _insert_point_columns(frame, point["point"], point["values"])
            parts[name].append(frame)
    return {
        name: pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        for name, frames in parts.items()
    }


def _insert_point_columns(frame: pd.DataFrame, point: str, values: Mapping[str, Any]) -> None:
    for position, (key, value) in enumerate(values.items()):
        frame.insert(position, key, [value] * len(frame) if isinstance(value, list) else value)
    frame.insert(0, "point", point)


def sweep_measures(sweep_dir: str | Path) -> pd.DataFrame:
    """Per point × finished replication: ``point``, the varied keys, ``replication``, indicators."""
    sweep_dir = Path(sweep_dir)
    manifest = _sweep_manifest(sweep_dir)
    frames = []
    for point in manifest["points"]:
        indicators = run_measures(sweep_dir / point["run"]).indicators.copy()
        _insert_point_columns(indicators, point["point"], point["values"])
        frames.append(indicators)
    return pd.concat(frames, ignore_index=True)


def _point_summary(measures: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    rows = []
    for point, group in measures.groupby("point", sort=True):
        row: dict[str, Any] = {"point": point}
        for key in keys:
            row[key] = group[key].iloc[0]
        row["replications"] = len(group)
        for indicator in INDICATORS:
            mean, low, high = t_interval(group[indicator].astype(np.float64))
            row[indicator] = mean
            row[f"{indicator}_low_95"] = low
            row[f"{indicator}_high_95"] = high
        rows.append(row)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------------
# The frontier


def pareto_front(costs: np.ndarray) -> np.ndarray:
    """Which rows of ``costs`` (points × objectives, all minimised) no other row dominates.

    A row dominates another if it is no worse in every objective and better in one; equal rows
    do not dominate each other. NaN rows are never on the front.

    Examples
    --------
    >>> pareto_front(np.array([[1.0, 3.0], [2.0, 2.0], [3.0, 3.0], [2.0, 2.0]])).tolist()
    [True, True, False, True]
    """
    costs = np.asarray(costs, dtype=np.float64)
    valid = ~np.isnan(costs).any(axis=1)
    front = valid.copy()
    for index in np.flatnonzero(valid):
        others = costs[valid]
        dominated = (others <= costs[index]).all(axis=1) & (others < costs[index]).any(axis=1)
        front[index] = not dominated.any()
    return front


def frontier_table(
    summary: pd.DataFrame,
    keys: Sequence[str],
    *,
    speed: str = "wait_median_months",
    lists: str = "listed_area_years",
) -> pd.DataFrame:
    """The trade-off between housing referral households fast and keeping areas off the lists.

    Parameters
    ----------
    summary
        Per-point means and intervals (:attr:`SweepOutcome.summary`).
    keys
        The varied keys.
    speed
        A :data:`FRONTIER_SPEEDS` measure (waits are minimised, the 6-month share maximised).
    lists
        A :data:`FRONTIER_LISTS` measure (minimised).

    Returns
    -------
    pandas.DataFrame
        One row per point: ``point``, the keys, ``label``, ``speed``/``lists`` with their means
        and 95 % intervals (columns named after the measures), and ``pareto`` (not dominated),
        sorted by the list measure.

    Raises
    ------
    ExperimentError
        If a measure is unknown.
    """
    if speed not in FRONTIER_SPEEDS:
        raise ExperimentError(f"speed measure {speed!r}: expected one of {list(FRONTIER_SPEEDS)}")
    if lists not in FRONTIER_LISTS:
        raise ExperimentError(f"list measure {lists!r}: expected one of {list(FRONTIER_LISTS)}")
    table = summary[["point", *keys, "replications"]].copy()
    table.insert(
        1,
        "label",
        [DesignPoint("", {k: row[k] for k in keys}).label for _, row in summary.iterrows()],
    )
    for measure in (lists, speed):
        for suffix in ("", "_low_95", "_high_95"):
            table[f"{measure}{suffix}"] = summary[f"{measure}{suffix}"].to_numpy()
    sign = -1.0 if FRONTIER_SPEEDS[speed] else 1.0
    costs = np.column_stack([table[lists].to_numpy(float), sign * table[speed].to_numpy(float)])
    table["pareto"] = pareto_front(costs)
    order = np.lexsort((costs[:, 1], costs[:, 0]))
    return table.iloc[order].reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
# Files


def write_table(frame: pd.DataFrame, stem: Path) -> None:
    """Write ``frame`` as ``stem.csv`` and ``stem.parquet``, each atomically."""
    _write_csv(frame, stem.with_suffix(".csv"))
    with atomic_path(stem.with_suffix(".parquet")) as temporary:
        frame.to_parquet(temporary, index=False)


def _write_csv(frame: pd.DataFrame, target: Path) -> None:
    with atomic_path(target) as temporary:
        frame.to_csv(temporary, index=False)


def _write_json(target: Path, data: Mapping[str, Any]) -> None:
    atomic_write_text(target, json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _claim_folder(manifest_path: Path, manifest: Mapping[str, Any], keys: Sequence[str]) -> None:
    """Write the manifest into a new folder, or check that the folder holds this experiment."""
    folder = manifest_path.parent
    if manifest_path.is_file():
        existing = json.loads(manifest_path.read_text(encoding="utf-8"))
        fingerprint = _fingerprint({k: manifest[k] for k in keys})
        if _fingerprint({k: existing.get(k) for k in keys}) != fingerprint:
            differs = [
                k for k in keys if _fingerprint(existing.get(k)) != _fingerprint(manifest[k])
            ]
            raise ExperimentError(
                f"{folder} holds another {manifest['kind']} (its {', '.join(differs)} "
                "differ); choose another --out or delete the folder"
            )
        return
    if folder.exists() and any(folder.iterdir()):
        raise ExperimentError(
            f"{folder} exists and is not a {manifest['kind']} folder; choose another --out"
        )
    _write_json(manifest_path, dict(manifest) | {"status": "running", "created": _now()})


def _fingerprint(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
