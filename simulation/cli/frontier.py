"""``blandetby frontier SCENARIO --vary …``: how fast the homeless are housed vs how many areas list.

Runs a sweep (the same folder layout and options as ``blandetby sweep``, so it resumes and
:func:`simulation.experiments.compare.read_sweep` reads it) and then, per design point, sets a speed
measure (default: the mean referral wait) against a list measure (default: area-years on the
udsat or forebyggelse lists). Writes ``frontier.csv``/``.parquet`` and ``figures/frontier.png``
(the non-dominated points highlighted and labelled with their values) and prints the table.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import textwrap

import pandas as pd

from simulation.experiments.folders import write_table
from simulation.experiments.frontier import FRONTIER_LISTS, FRONTIER_SPEEDS, frontier_table
from simulation.report.experiment_plots import frontier_figure, save_figure
from simulation.report.i18n import Language, number, term

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
    # the values in words beside the machine-readable label (default_referral_share=0.5)
    table.insert(
        list(table.columns).index("label") + 1,
        "point_name",
        table["point"].map(outcome.point_names).fillna(table["label"]),
    )
    write_table(table, outcome.sweep_dir / "frontier", args.lang)
    figure = frontier_figure(table, speed=args.speed, lists=args.lists, language=args.lang)
    save_figure(figure, outcome.sweep_dir / "figures" / "frontier.png")
    width = shutil.get_terminal_size((100, 24)).columns
    print(
        format_frontier(table, speed=args.speed, lists=args.lists, language=args.lang, width=width)
    )
    if args.lang == "da":
        print(
            f"\nMappe: {outcome.sweep_dir} (frontier.csv, figures/frontier.png og afsøgningens "
            "tabeller)"
        )
    else:
        print(
            f"\nFrontier folder: {outcome.sweep_dir} (frontier.csv, figures/frontier.png, and the "
            "sweep's tables)"
        )
    sys.stdout.flush()
    return EXIT_OK


def format_frontier(
    table: pd.DataFrame,
    *,
    speed: str,
    lists: str,
    language: Language = "en",
    width: int | None = None,
) -> str:
    """The frontier as text: one line per point, the non-dominated ones marked ``*``.

    Points are named by their values in words (the ``point_name`` column, where the table has
    one; else the ``label``). When a line would be wider than ``width``, each point gets two
    lines: its values, then the two measures.
    """
    danish = language == "da"
    names = "point_name" if "point_name" in table else "label"
    share = FRONTIER_SPEEDS[speed] and speed.endswith("_share")
    scale = 100.0 if share else 1.0
    label_width = max(12, *(len(str(label)) + 2 for label in table[names]))
    lists_name, speed_name = (
        term(f"indicator:{lists}", language),
        term(f"indicator:{speed}", language),
    )
    lists_meaning = term(f"indicator_meaning:{lists}", language)
    speed_meaning = term(f"indicator_meaning:{speed}", language)
    if danish:
        intro = (
            f"Afvejning: {lists_name} ({lists_meaning}) mod {speed_name} ({speed_meaning}"
            f"{', i procent' if share else ''}); * = ikke domineret af et andet punkt."
        )
        columns = ("punkt", "indstillinger", lists_name, speed_name)
    else:
        intro = (
            f"Trade-off: {lists_name} ({lists_meaning}) against {speed_name} ({speed_meaning}"
            f"{', per cent' if share else ''}); * = not dominated by another point."
        )
        columns = ("point", "settings", lists_name, speed_name)
    lines = [*(textwrap.wrap(intro, width) if width else [intro]), ""]
    header = f"  {columns[0]:<8}{columns[1]:<{label_width}}{columns[2]:>36}{columns[3]:>36}"
    if width is not None and len(header.rstrip()) > width:
        for _, row in table.iterrows():
            mark = "*" if row["pareto"] else " "
            lines.extend(
                textwrap.wrap(
                    f"{mark} {row['point']:<8}{row[names]}", width, subsequent_indent=" " * 10
                )
            )
            lines.append(f"    {columns[2]}: {_interval(row, lists, 1.0, language)}"[:width])
            lines.append(f"    {columns[3]}: {_interval(row, speed, scale, language)}"[:width])
        return "\n".join(lines)
    lines.append(header.rstrip())
    for _, row in table.iterrows():
        mark = "*" if row["pareto"] else " "
        lines.append(
            f"{mark} {row['point']:<8}{row[names]:<{label_width}}"
            f"{_interval(row, lists, 1.0, language):>36}{_interval(row, speed, scale, language):>36}"
        )
    return "\n".join(lines)


def _interval(row: pd.Series, measure: str, scale: float, language: Language = "en") -> str:
    """The mean and its 95 % interval, clipped to what is possible as the figure clips it.

    Both of the frontier's measures are counts or waits (never below 0) or shares (``scale``
    100: never above 1), so an interval of few replications reaching past them is cut there.
    """
    mean, low, high = row[measure], row[f"{measure}_low_95"], row[f"{measure}_high_95"]
    if pd.isna(mean):
        return "–"
    if pd.isna(low):
        return number(scale * mean, 2, language)
    low = max(float(low), 0.0)
    if scale == 100.0:
        high = min(float(high), 1.0)
    separator = "; " if language == "da" else ", "
    return (
        f"{number(scale * mean, 2, language)} [{number(scale * low, 2, language)}{separator}"
        f"{number(scale * high, 2, language)}]"
    )
