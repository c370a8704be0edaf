"""``blandetby frontier SCENARIO --vary …``: how fast the homeless are housed vs how many areas list.

Runs a sweep (the same folder layout and options as ``blandetby sweep``, so it resumes and
:func:`simulation.experiments.compare.read_sweep` reads it) and then, per design point, sets a speed
measure (default: the mean referral wait) against a list measure (default: area-years on the
udsat or forebyggelse lists). Writes ``frontier.csv``/``.parquet`` and ``figures/frontier.png``
(the non-dominated points highlighted and labelled with their values) and prints the table.
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from simulation.experiments.folders import write_table
from simulation.experiments.frontier import FRONTIER_LISTS, FRONTIER_SPEEDS, frontier_table
from simulation.experiments.measures import INDICATORS
from simulation.report.experiment_plots import frontier_figure, save_figure

from .run import EXIT_OK
from .sweep import add_sweep_arguments, run_sweep

NAME = "frontier"
HELP = (
    "sweep a scenario and show the trade-off between housing referral households fast and "
    "keeping areas off the legal lists (Pareto table and plot)"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments (those of ``sweep`` and the two measures)."""
    add_sweep_arguments(parser, default_out="frontiers")
    measures = parser.add_argument_group("measures")
    measures.add_argument(
        "--speed",
        choices=list(FRONTIER_SPEEDS),
        default="wait_mean_months",
        help="how fast referral households are housed (default wait_mean_months)",
    )
    measures.add_argument(
        "--lists",
        choices=list(FRONTIER_LISTS),
        default="listed_area_years",
        help="how many areas are on the lists (default listed_area_years)",
    )


def run(args: argparse.Namespace) -> int:
    """Run the sweep, write and print the frontier; exit 0 (2 on invalid input)."""
    outcome, code = run_sweep(args, default_out="frontiers")
    if outcome is None:
        return code
    keys = list(outcome.points[0].values)
    table = frontier_table(outcome.summary, keys, speed=args.speed, lists=args.lists)
    write_table(table, outcome.sweep_dir / "frontier", args.lang)
    figure = frontier_figure(table, speed=args.speed, lists=args.lists)
    save_figure(figure, outcome.sweep_dir / "figures" / "frontier.png")
    print(format_frontier(table, speed=args.speed, lists=args.lists))
    print(
        f"\nFrontier folder: {outcome.sweep_dir} (frontier.csv, figures/frontier.png, and the "
        "sweep's tables)"
    )
    sys.stdout.flush()
    return EXIT_OK


def format_frontier(table: pd.DataFrame, *, speed: str, lists: str) -> str:
    """The frontier as text: one line per point, the non-dominated ones marked ``*``."""
    share = FRONTIER_SPEEDS[speed] and speed.endswith("_share")
    scale = 100.0 if share else 1.0
    width = max(12, *(len(str(label)) + 2 for label in table["label"]))
    lines = [
        f"Trade-off: {lists} ({INDICATORS[lists]}) against {speed} ({INDICATORS[speed]}"
        f"{', per cent' if share else ''}); * = not dominated by another point.",
        "",
        f"  {'point':<8}{'values':<{width}}{lists:>26}{speed:>34}",
    ]
    for _, row in table.iterrows():
        mark = "*" if row["pareto"] else " "
        lines.append(
            f"{mark} {row['point']:<8}{row['label']:<{width}}"
            f"{_interval(row, lists, 1.0):>26}{_interval(row, speed, scale):>34}"
        )
    return "\n".join(lines)


def _interval(row: pd.Series, measure: str, scale: float) -> str:
    mean, low, high = row[measure], row[f"{measure}_low_95"], row[f"{measure}_high_95"]
    if pd.isna(mean):
        return "–"
    if pd.isna(low):
        return f"{scale * mean:.2f}"
    return f"{scale * mean:.2f} [{scale * low:.2f}, {scale * high:.2f}]"
