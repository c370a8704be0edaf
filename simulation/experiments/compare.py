"""Experiments: paired comparisons of scenarios, parameter sweeps and the trade-off frontier.

Everything here is built from standard run folders (:mod:`simulation.experiments.results`), one per scenario
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
      prices.csv|parquet, contrasts.csv|parquet
      headline.csv
      figures/*.png

Examples
--------
>>> from simulation.experiments.compare import parse_variation
>>> parse_variation("agreement.default_referral_share=0.25,0.5").values
(0.25, 0.5)
>>> parse_variation("agreement.flexible_letting_share=0:0.6").low
0.0
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.base.errors import Words
from simulation.base.spreadsheet import CsvDialect
from simulation.experiments.executors import Executor
from simulation.experiments.folders import (
    ExperimentError,
    claim_folder,
    timestamp,
    write_csv,
    write_json,
    write_table,
)
from simulation.experiments.measures import (
    HEADLINE,
    INDICATORS,
    LIST_COUNTS,
    paired_differences,
    price_of_listings,
    run_measures,
    spread,
    t_interval,
)
from simulation.experiments.results import (
    finished_replications,
    read_run_info,
)
from simulation.experiments.runner import RunJob, simulate_many
from simulation.inputs.scenario import LoadedScenario
from simulation.law.regimes import model_criteria
from simulation.model import Planner

__all__ = [
    "BENCHMARK_SUFFIXES",
    "CONTRASTED",
    "Comparison",
    "benchmark_scenarios",
    "compare",
    "compare_runs",
    "scenario_labels",
]

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------------
# Measures of one run folder, one replication at a time


# --------------------------------------------------------------------------------------------------
# Statistics


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
    prices
        Per scenario other than the reference: listed area-years avoided per 100 referral
        households not housed within 6 months, with its interval
        (:func:`~simulation.experiments.measures.price_of_listings`).
    contrasts
        Each optimised scenario against its benchmarks (labels ``<label>-<suffix>`` of
        :data:`BENCHMARK_SUFFIXES`), paired: the columns of
        :func:`~simulation.experiments.measures.paired_differences` with ``scenario`` the
        optimised one and ``reference`` the benchmark, for :data:`CONTRASTED` indicators.
    """

    labels: tuple[str, ...]
    run_dirs: Mapping[str, Path]
    indicators: pd.DataFrame
    summary: pd.DataFrame
    differences: pd.DataFrame
    lists_by_year: pd.DataFrame
    criteria_headroom: pd.DataFrame
    area_criteria: pd.DataFrame = field(repr=False)
    prices: pd.DataFrame = field(default_factory=pd.DataFrame)
    contrasts: pd.DataFrame = field(default_factory=pd.DataFrame)

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
                table[f"{label}_minus_{self.reference}_{suffix}"] = rows[column].reindex(
                    table.index
                )
        return table.reset_index()


FigureWriter = Callable[[Comparison, Path], Sequence[Path]]
"""Draws a comparison's figures into a folder and returns the files written."""


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
        raise ExperimentError(
            Words(
                f"a comparison needs at least two run folders, got {len(folders)}",
                f"en sammenligning skal have mindst to kørselsmapper, fik {len(folders)}",
            )
        )
    seeds = {label: read_run_info(folder).get("entropy") for label, folder in folders.items()}
    if len(set(seeds.values())) > 1:
        raise ExperimentError(
            Words(
                f"the run folders have different seeds ({seeds}); paired differences need one seed",
                f"kørselsmapperne har forskellige startværdier ({seeds}); parvise forskelle "
                "kræver én startværdi",
            )
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
    summary = spread(indicator_table, ["scenario"], list(INDICATORS))
    differences = paired_differences(indicator_table, labels[0])
    by_year = spread(list_table, ["scenario", "year"], list(LIST_COUNTS)).rename(
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
        prices=price_of_listings(indicator_table, labels[0]),
        contrasts=_benchmark_contrasts(indicator_table, labels),
    )


CONTRASTED = (
    "listed_area_years",
    "housed_within_6_months_share",
    "not_housed_within_6_months",
    "lettings_referral_per_year",
)
"""The indicators on which an optimised scenario is contrasted with its benchmarks."""


def _benchmark_contrasts(indicators: pd.DataFrame, labels: Sequence[str]) -> pd.DataFrame:
    """Each scenario minus each of its benchmarks present in the comparison, paired."""
    frames = []
    for label in labels:
        for suffix in BENCHMARK_SUFFIXES:
            benchmark = f"{label}-{suffix}"
            if benchmark not in labels:
                continue
            pair = indicators[indicators["scenario"].isin([benchmark, label])]
            frames.append(paired_differences(pair, benchmark, CONTRASTED))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _criteria_headroom(area: pd.DataFrame, labels: Sequence[str]) -> pd.DataFrame:
    """Final-year criteria per scenario × area, with the paired difference of the headroom."""
    if area.empty or "year" not in area or area["year"].isna().all():
        return pd.DataFrame()
    final = area[area["year"] == area["year"].max()]
    rows = []
    reference = final[final["scenario"] == labels[0]].set_index(["area", "replication"])
    for (scenario, area_id), group in final.groupby(["scenario", "area"], sort=False):
        for column in (criterion.column for criterion in model_criteria()):
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


BENCHMARK_SUFFIXES = ("first-come-same-volume", "threshold-rule")
"""Label suffixes of the benchmark scenarios :func:`compare` adds for an optimised scenario."""


def benchmark_scenarios(
    loaded: LoadedScenario, label: str, referrals_per_year: float
) -> dict[str, LoadedScenario]:
    """The simple rules an optimised scenario is measured against, labelled.

    ``<label>-first-come-same-volume``: the same scenario under first come, first served, with
    the optimised policy's volume as cap (``agreement.referral_volume_per_year``); and
    ``<label>-threshold-rule``: under the threshold rule (``agreement.threshold_rule_above``, as
    the scenario sets it), at its own volume.

    Parameters
    ----------
    loaded
        An optimised scenario.
    label
        Its label in the comparison.
    referrals_per_year
        The referrals a year the optimised policy made (mean over its replications).
    """
    volume = round(float(referrals_per_year), 3)
    same_volume, rule = BENCHMARK_SUFFIXES
    name = loaded.scenario.agreement.name
    return {
        f"{label}-{same_volume}": loaded.with_overrides(
            {
                "agreement.placement_policy": "first_come",
                "agreement.referral_volume_per_year": volume,
                "agreement.name": f"{name}: first come, first served at {volume:g} a year",
            }
        ),
        f"{label}-{rule}": loaded.with_overrides(
            {
                "agreement.placement_policy": "threshold_rule",
                "agreement.name": f"{name}: threshold rule at "
                f"{loaded.scenario.agreement.threshold_rule_above:g}",
            }
        ),
    }


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
    figures: FigureWriter | None = None,
    csv_dialect: CsvDialect = "en",
    benchmarks: bool = False,
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
        As for :func:`simulation.experiments.runner.simulate_many`.
    figures
        Draws the comparison's figures into ``out_dir/figures`` and returns their paths (the
        report's :func:`simulation.report.experiment_plots.save_comparison_figures`; the public
        :func:`simulation.compare` passes it); ``None`` draws none. Experiments compute, the
        report draws: this wing never imports figures.
    csv_dialect
        How the CSV tables are written (``"da"``: semicolons, decimal commas and a byte-order
        mark, as Danish Excel opens them); Parquet keeps full precision.
    benchmarks
        Also run, for each scenario whose policy is ``optimised``, the simple rules it must beat
        (:func:`benchmark_scenarios`): first come, first served at the volume the optimised
        policy achieved (mean referral lettings a year over its replications, known once it has
        run) and the threshold rule. They join the comparison after the given scenarios.

    Returns
    -------
    Comparison
        The tables (also written to ``out_dir`` as CSV and Parquet).

    Raises
    ------
    ExperimentError
        If fewer than two scenarios are given, labels repeat, or ``out_dir`` holds another
        comparison.
    simulation.experiments.runner.RunFolderError
        If a run folder holds another run.
    """
    if len(scenarios) < 2:
        raise ExperimentError(
            Words(
                f"compare needs at least two scenarios, got {len(scenarios)}",
                f"compare skal have mindst to scenarier, fik {len(scenarios)}",
            )
        )
    names = list(labels) if labels is not None else scenario_labels([s.source for s in scenarios])
    if len(set(names)) != len(names) or len(names) != len(scenarios):
        raise ExperimentError(
            Words(
                f"one distinct label per scenario is needed, got {names}",
                f"hvert scenarie skal have sit eget navn, fik {names}",
            )
        )
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
        "benchmarks": benchmarks,
    }
    claim_folder(
        out / "compare.json", manifest, ("labels", "digests", "entropy", "years", "benchmarks")
    )
    jobs = [
        RunJob(scenario, out / "runs" / label, entropy, horizon, replications)
        for label, scenario in zip(names, scenarios, strict=True)
    ]

    def run(batch: list[RunJob]) -> None:
        simulate_many(
            batch,
            planner=planner,
            executor=executor,
            batch_size=batch_size,
            shared_filesystem=shared_filesystem,
            on_replication=on_replication,
            on_start=on_start,
        )

    run(jobs)
    if benchmarks:
        derived: dict[str, LoadedScenario] = {}
        for label, scenario, job in zip(names, scenarios, jobs, strict=True):
            if scenario.scenario.agreement.placement_policy != "optimised":
                continue
            volume = run_measures(job.run_dir).indicators["lettings_referral_per_year"].mean()
            derived |= benchmark_scenarios(scenario, label, float(volume))
        clash = sorted(set(derived) & set(names))
        if clash:
            raise ExperimentError(
                Words(
                    f"benchmark labels {clash} are taken by given scenarios",
                    f"sammenligningsgrundlagenes navne {clash} er taget af de givne scenarier",
                )
            )
        extra = [
            RunJob(scenario, out / "runs" / label, entropy, horizon, replications)
            for label, scenario in derived.items()
        ]
        run(extra)
        names += list(derived)
        jobs += extra
        manifest |= {
            "runs": {label: f"runs/{label}" for label in names},
            "benchmark_scenarios": {
                label: {"name": s.scenario.agreement.name, "digest": s.digest}
                for label, s in derived.items()
            },
        }
    comparison = compare_runs({label: job.run_dir for label, job in zip(names, jobs, strict=True)})
    tables = {
        "indicators": comparison.indicators,
        "summary": comparison.summary,
        "differences": comparison.differences,
        "lists_by_year": comparison.lists_by_year,
        "criteria_headroom": comparison.criteria_headroom,
        "prices": comparison.prices,
        "contrasts": comparison.contrasts,
    }
    for name, frame in tables.items():
        write_table(frame, out / name, csv_dialect)
    write_csv(comparison.headline(), out / "headline.csv", csv_dialect)
    written = []
    if figures is not None:
        written = [str(p.relative_to(out)) for p in figures(comparison, out)]
    finished = {
        label: len(finished_replications(job.run_dir))
        for label, job in zip(names, jobs, strict=True)
    }
    write_json(
        out / "compare.json",
        manifest
        | {
            "replications": replications,
            "finished_replications": finished,
            "status": "complete" if min(finished.values()) >= replications else "partial",
            "tables": [f"{name}.csv" for name in tables] + ["headline.csv"],
            "figures": written,
            "updated": timestamp(),
        },
    )
    return comparison


# --------------------------------------------------------------------------------------------------
# Sweeps


# --------------------------------------------------------------------------------------------------
# The frontier


# --------------------------------------------------------------------------------------------------
# Files
