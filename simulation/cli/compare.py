"""``blandetby compare A.toml B.toml …``: the same households under different agreements, side by side.

Each scenario runs with the same seed into its own run folder (``DIR/runs/<label>``), so that
replication *r* of every scenario sees the same initial population, referral arrivals and life
events: the differences are paired by replication. Writes tables (CSV and Parquet), figures and
``compare.json`` into DIR and prints the headline table with each scenario's difference from the
first and its 95 % interval.
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
import textwrap
from pathlib import Path

import pandas as pd

from simulation.base.errors import ScenarioError
from simulation.base.outputs import output_folder
from simulation.cli import arguments
from simulation.experiments.compare import Comparison, compare, scenario_labels
from simulation.experiments.executors import (
    ExecutorError,
    add_executor_arguments,
    executor_from_arguments,
)
from simulation.experiments.folders import ExperimentError
from simulation.experiments.measures import INDICATORS
from simulation.experiments.runner import RunFolderError
from simulation.inputs.scenario import LoadedScenario
from simulation.report.experiment_plots import save_comparison_figures

from .run import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_OK,
    Progress,
    interrupted_message,
)

NAME = "compare"
HELP = (
    "run scenarios with common random numbers and compare them: lists, criteria, waits, "
    "lettings, with paired differences"
)

SHORT_NAMES = {
    "udsat_final": "Udsat areas, last 1 Dec",
    "parallelsamfund_final": "Parallelsamfund, last 1 Dec",
    "omdannelsesomraade_final": "Omdannelsesområder, last 1 Dec",
    "forebyggelsesomraade_final": "Forebyggelsesområder, last 1 Dec",
    "listed_final": "Listed areas, last 1 Dec",
    "listed_area_years": "Listed area-years, all years",
    "wait_median_months": "Referral wait, median (months)",
    "wait_p90_months": "Referral wait, p90 (months)",
    "wait_mean_months": "Referral wait, mean (months)",
    "housed_within_6_months_share": "Housed within 6 months",
    "not_housed_within_6_months": "Not housed within 6 months",
    "waiting_at_end": "Still waiting at the end",
    "referral_share_achieved": "Referral share achieved",
    "referral_share_agreed": "Referral share agreed",
    "lettings_referral_per_year": "Lettings/yr: referral",
    "lettings_flexible_per_year": "Lettings/yr: flexible",
    "lettings_internal_per_year": "Lettings/yr: internal list",
    "lettings_external_per_year": "Lettings/yr: external list",
}
"""Row names of the printed headline table (every :data:`INDICATORS` key)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument(
        "scenarios",
        type=Path,
        nargs="+",
        metavar="SCENARIO",
        help="two or more scenario TOML files; the first is the reference",
    )
    parser.add_argument(
        "--replications",
        type=arguments.replications,
        default=10,
        help="replications per scenario, paired by index (default 10)",
    )
    parser.add_argument(
        "--years", type=arguments.years, help="years to simulate (default: the first scenario's)"
    )
    parser.add_argument(
        "--seed", type=arguments.seed, default=0, help="seed shared by every scenario (default 0)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="comparison folder (default: comparisons/<A>-vs-<B>…-seed<seed>)",
    )
    parser.add_argument(
        "--benchmarks",
        action="store_true",
        help="also run, for each optimised scenario, first come, first served at the volume it "
        "achieved and the threshold rule (the simple rules it must beat)",
    )
    parser.add_argument("--no-figures", action="store_true", help="skip the figures")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    arguments.add_language_argument(parser, what="language of the written tables")
    arguments.add_input_arguments(parser)
    add_executor_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Run and compare the scenarios; print the headline table; exit 0 (2 on invalid input)."""
    if len(args.scenarios) < 2:
        print("error: compare needs at least two scenario files", file=sys.stderr)
        return EXIT_INVALID
    labels = scenario_labels(args.scenarios)
    out = output_folder(args.out or Path("comparisons") / f"{'-vs-'.join(labels)}-seed{args.seed}")
    loaded: list[LoadedScenario] = []
    problems = []
    for path in args.scenarios:
        try:
            loaded.append(arguments.load(args, path))
        except ScenarioError as error:
            problems.append(str(error))
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return EXIT_INVALID
    executor = executor_from_arguments(args, tasks=args.replications * len(loaded))
    progress = Progress("compare", quiet=args.quiet)
    try:
        with progress:
            comparison = compare(
                loaded,
                out,
                labels=labels,
                replications=args.replications,
                years=args.years,
                entropy=args.seed,
                executor=executor,
                batch_size=args.batch_size,
                shared_filesystem=not args.no_shared_filesystem,
                on_replication=progress.advance,
                on_start=progress.start,
                csv_dialect=args.lang,
                figures=None if args.no_figures else save_comparison_figures,
                benchmarks=args.benchmarks,
            )
    except (RunFolderError, ExperimentError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INVALID
    except ExecutorError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(interrupted_message(out), file=sys.stderr)
        return EXIT_INTERRUPTED
    width = shutil.get_terminal_size((100, 24)).columns
    print(format_headline(comparison, seed=args.seed, terminal_width=width))
    print()
    print(format_prices(comparison))
    print(f"\nComparison folder: {out} (compare.json, tables as CSV and Parquet, figures/)")
    return EXIT_OK


def format_headline(comparison: Comparison, *, seed: int, terminal_width: int | None = None) -> str:
    """The printed table: each scenario's mean, and its paired difference from the reference.

    When the wide table (one column per scenario and per difference) does not fit
    ``terminal_width`` characters, each scenario gets a block of its own against the reference.
    """
    table = comparison.headline()
    reference = comparison.reference
    replications = comparison.indicators.groupby("scenario").size()
    count = int(replications.min()) if len(replications) else 0
    lines = [
        f"{len(comparison.labels)} scenarios, {count} replication{'s' if count != 1 else ''} "
        f"each, seed {seed}; differences are paired by replication (same seed: the same "
        "households, arrivals and life events wherever the scenarios do not differ), with 95 % "
        "t-intervals over replications.",
        "",
    ]
    if terminal_width is not None:
        lines = [*textwrap.wrap(lines[0], terminal_width), *lines[1:]]
    width = max(len(name) for name in SHORT_NAMES.values()) + 2
    columns = list(comparison.labels)
    others = comparison.labels[1:]
    cell = max(14, *(len(label) + 2 for label in columns))
    header = f"{'':<{width}}" + "".join(f"{label:>{cell}}" for label in columns)
    diff = max(34, *(len(f"  {label} − {reference}") + 2 for label in others))
    header += "".join(f"{'  ' + label + ' − ' + reference:<{diff}}" for label in others)
    if terminal_width is not None and len(header.rstrip()) > terminal_width:
        stacked = _stacked_headline(comparison, table, terminal_width)
        return "\n".join([*lines, *stacked, *_meanings(table, terminal_width)])
    lines.append(header.rstrip())
    for _, row in table.iterrows():
        indicator = str(row["indicator"])
        share = "_share" in indicator
        text = f"{SHORT_NAMES.get(indicator, indicator):<{width}}"
        text += "".join(f"{_number(row[label], share):>{cell}}" for label in columns)
        for label in others:
            prefix = f"{label}_minus_{reference}"
            mean = row[f"{prefix}_difference"]
            low, high = row[f"{prefix}_low_95"], row[f"{prefix}_high_95"]
            interval = (
                f"[{_number(low, share, signed=True)}, {_number(high, share, signed=True)}]"
                if not (pd.isna(low) or pd.isna(high))
                else ""
            )
            text += f"{'  ' + _number(mean, share, signed=True) + ' ' + interval:<{diff}}"
        lines.append(text.rstrip())
    lines.extend(_meanings(table, terminal_width))
    return "\n".join(lines)


def _meanings(table: pd.DataFrame, terminal_width: int | None) -> list[str]:
    heading = "Shares in per cent (differences in percentage points). Meanings:"
    lines = ["", *(textwrap.wrap(heading, terminal_width) if terminal_width else [heading])]
    for indicator in table["indicator"]:
        text = f"  {SHORT_NAMES.get(indicator, indicator)}: {INDICATORS[indicator]}"
        if terminal_width is None:
            lines.append(text)
        else:
            lines.extend(textwrap.wrap(text, terminal_width, subsequent_indent="      "))
    return lines


def _stacked_headline(comparison: Comparison, table: pd.DataFrame, width: int) -> list[str]:
    """One block per scenario: indicator, reference, scenario, paired difference [95 %]."""
    reference = comparison.reference
    name_width = max(len(name) for name in SHORT_NAMES.values()) + 2
    cell = 12
    lines = []
    for label in comparison.labels[1:]:
        lines.append(f"{label} against {reference}:")
        head = f"{'':<{name_width}}{'reference':>{cell}}{'this':>{cell}}  difference [95 %]"
        lines.append(head[:width])
        prefix = f"{label}_minus_{reference}"
        for _, row in table.iterrows():
            indicator = str(row["indicator"])
            share = "_share" in indicator
            low, high = row[f"{prefix}_low_95"], row[f"{prefix}_high_95"]
            interval = (
                f" [{_number(low, share, signed=True)}, {_number(high, share, signed=True)}]"
                if not (pd.isna(low) or pd.isna(high))
                else ""
            )
            text = (
                f"{SHORT_NAMES.get(indicator, indicator):<{name_width}}"
                f"{_number(row[reference], share):>{cell}}{_number(row[label], share):>{cell}}"
                f"  {_number(row[f'{prefix}_difference'], share, signed=True)}{interval}"
            )
            lines.append(text[:width])
        lines.append("")
    return lines


def format_prices(comparison: Comparison) -> str:
    """The printed price table: listed area-years avoided per 100 not housed within 6 months."""
    prices = comparison.prices
    reference = comparison.reference
    lines = [
        f"Price against {reference}: listed area-years avoided per 100 referral households not "
        "housed within 6 months (higher is cheaper), with 95 % intervals:",
    ]
    if prices.empty:
        return "\n".join([*lines, "  (no scenario to price)"])
    width = max(len(str(label)) for label in prices["scenario"]) + 2
    for _, row in prices.iterrows():
        avoided = _interval(
            row["area_years_avoided"], row["area_years_avoided_low"], row["area_years_avoided_high"]
        )
        extra = _interval(
            row["not_housed_extra"], row["not_housed_extra_low"], row["not_housed_extra_high"]
        )
        if row["reading"] == "price":
            price = _interval(row["price"], row["price_low"], row["price_high"], decimals=2)
        elif row["reading"] == "faster":
            price = "none: it also houses more within 6 months"
        else:
            price = "none: no clear loss of speed"
        lines.append(
            f"  {row['scenario']!s:<{width}}area-years avoided {avoided}; not housed within 6 "
            f"months {extra}; price {price}"
        )
    contrasts = comparison.contrasts
    if not contrasts.empty:
        lines += ["", "Each optimised scenario against its benchmarks (paired, 95 % intervals):"]
        for (scenario, benchmark), rows in contrasts.groupby(["scenario", "reference"], sort=False):
            parts = []
            for _, row in rows.iterrows():
                indicator = str(row["indicator"])
                scale = 100.0 if indicator.endswith("_share") else 1.0
                parts.append(
                    f"{SHORT_NAMES.get(indicator, indicator)} "
                    + _interval(
                        scale * row["difference_mean"],
                        scale * row["difference_low_95"],
                        scale * row["difference_high_95"],
                    )
                    + (" pp" if scale != 1.0 else "")
                )
            lines.append(f"  {scenario} − {benchmark}: " + "; ".join(parts))
    return "\n".join(lines)


def _interval(mean: object, low: object, high: object, *, decimals: int = 1) -> str:
    values = [float(v) for v in (mean, low, high)]  # type: ignore[arg-type]
    if math.isnan(values[0]):
        return "–"
    text = f"{values[0]:+.{decimals}f}"
    if not (math.isnan(values[1]) or math.isnan(values[2])):
        text += f" [{values[1]:+.{decimals}f}, {values[2]:+.{decimals}f}]"
    return text


def _number(value: object, share: bool, *, signed: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    number = float(value)  # type: ignore[arg-type]
    if share:
        number *= 100
    sign = "+" if signed else ""
    return f"{number:{sign}.1f}"
