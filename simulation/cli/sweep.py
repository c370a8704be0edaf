"""``blandetby sweep SCENARIO --vary KEY=V1,V2 …``: run a scenario over a grid or a Latin hypercube.

Any scenario key can vary. Every key and value is checked against the scenario schema before
anything runs. Each design point is a run folder under ``DIR/points/<point>``, all with the same
seed (common random numbers across points); running the same command again resumes. Read the
results with :func:`simulation.experiments.compare.read_sweep`.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.base.errors import ScenarioError
from simulation.base.outputs import output_folder
from simulation.base.terminal import wrap
from simulation.cli import arguments
from simulation.cli.names import point_names
from simulation.experiments.executors import (
    ExecutorError,
    add_executor_arguments,
    executor_from_arguments,
)
from simulation.experiments.folders import ExperimentError
from simulation.experiments.runner import RunFolderError
from simulation.experiments.sweep import (
    MAX_POINTS,
    SweepOutcome,
    Variation,
    design_points,
    parse_variation,
    sweep,
)
from simulation.report.i18n import Language, number

from .run import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_OK,
    Progress,
    interrupted_message,
)

NAME = "sweep"
HELP = "run a scenario over values of any of its keys (factorial grid or Latin hypercube)"

SHOWN = (
    ("listed_area_years", "listed area-years", False),
    ("listed_final", "listed at end", False),
    ("wait_mean_months", "wait mean (mo)", False),
    ("wait_p90_months", "wait p90 (mo)", False),
    ("housed_within_6_months_share", "housed ≤ 6 mo", True),
)
"""Indicators printed per point: (column, heading, is a share)."""

DANISH_HEADINGS = {
    "listed_area_years": "områdeår på liste",
    "listed_final": "på liste ved slut",
    "wait_mean_months": "ventetid gns. (mdr.)",
    "wait_p90_months": "ventetid 90 % (mdr.)",
    "housed_within_6_months_share": "bolig ≤ 6 mdr.",
}
"""The headings of :data:`SHOWN` in Danish."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    add_sweep_arguments(parser, default_out="sweeps")


def add_sweep_arguments(parser: argparse.ArgumentParser, *, default_out: str) -> None:
    """The arguments of ``sweep`` (shared with ``frontier``)."""
    parser.add_argument("scenario", type=Path, metavar="SCENARIO", help="scenario TOML file")
    parser.add_argument(
        "--vary",
        action="append",
        required=True,
        metavar="KEY=VALUES",
        help="a dotted scenario key and its values: KEY=V1,V2,… (TOML values: numbers, "
        'true/false, "text") or, with --design lhs, KEY=LOW:HIGH; repeat for more keys',
    )
    parser.add_argument(
        "--design",
        choices=("factorial", "lhs"),
        default="factorial",
        help="factorial: every combination (default); lhs: a Latin hypercube of --samples points",
    )
    parser.add_argument(
        "--samples",
        type=arguments.whole_number(1, MAX_POINTS),
        help="points of the Latin hypercube",
    )
    parser.add_argument(
        "--replications",
        type=arguments.replications,
        default=10,
        help="replications per point (default 10)",
    )
    parser.add_argument(
        "--years", type=arguments.years, help="years to simulate (default: the scenario's)"
    )
    parser.add_argument(
        "--seed",
        type=arguments.seed,
        default=0,
        help="seed of every point and of the hypercube (default 0)",
    )
    parser.add_argument(
        "--out", type=Path, help=f"sweep folder (default: {default_out}/<scenario>-seed<seed>)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    arguments.add_language_argument(parser, what="language of the written tables")
    arguments.add_input_arguments(parser)
    add_executor_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Run the sweep; print a table of the points; exit 0 (2 on invalid input)."""
    outcome, code = run_sweep(args, default_out="sweeps")
    if outcome is None:
        return code
    width = shutil.get_terminal_size((100, 24)).columns
    print(format_points(outcome, language=args.lang, width=width))
    folder = (
        f"Afsøgningsmappe: {outcome.sweep_dir} (sweep.json, points.csv, indikatorer og resumé "
        "som CSV og Parquet; simulation.experiments.compare.read_sweep læser alle tabeller)"
        if args.lang == "da"
        else f"Sweep folder: {outcome.sweep_dir} (sweep.json, points.csv, indicators and summary "
        "as CSV and Parquet; simulation.experiments.compare.read_sweep reads every table)"
    )
    print("\n" + "\n".join(wrap(folder, width)))
    return EXIT_OK


def run_sweep(args: argparse.Namespace, *, default_out: str) -> tuple[SweepOutcome | None, int]:
    """Validate and run the sweep the arguments describe; return it (or None) and an exit code.

    The outcome's points are named in words in ``args.lang`` (:attr:`SweepOutcome.point_names`).
    """
    out = output_folder(args.out or Path(default_out) / f"{args.scenario.stem}-seed{args.seed}")
    variations: list[Variation] = []
    problems = []
    for text in args.vary:
        try:
            variations.append(parse_variation(text))
        except ExperimentError as error:
            problems.append(error)
    if problems:
        for problem in problems:
            arguments.print_error(problem, args)
        return None, EXIT_INVALID
    try:
        loaded = arguments.load(args, args.scenario)
        arguments.language(args, loaded)
        points = design_points(variations, args.design, samples=args.samples, entropy=args.seed)
        names = dict(
            zip(
                (point.point for point in points),
                point_names(loaded, [point.values for point in points], args.lang),
                strict=True,
            )
        )
    except ScenarioError as error:
        arguments.print_error(error, args, prefix=False)
        return None, EXIT_INVALID
    except ExperimentError as error:
        arguments.print_error(error, args)
        return None, EXIT_INVALID
    executor = executor_from_arguments(args, tasks=args.replications * len(points))
    points_word = "punkter" if args.lang == "da" else "points"
    what = "afsøgning" if args.lang == "da" else NAME  # frontier's sweep too
    progress = Progress(
        f"{what} ({len(points)} {points_word})", quiet=args.quiet, language=args.lang
    )
    try:
        with progress:
            outcome = sweep(
                loaded,
                variations,
                out,
                design=args.design,
                samples=args.samples,
                replications=args.replications,
                years=args.years,
                entropy=args.seed,
                executor=executor,
                batch_size=args.batch_size,
                shared_filesystem=not args.no_shared_filesystem,
                on_replication=progress.advance,
                on_start=progress.start,
                csv_dialect=args.lang,
                point_names=names,
            )
    except ScenarioError as error:
        arguments.print_error(error, args, prefix=False, after=arguments.NOTHING_RUN)
        return None, EXIT_INVALID
    except (RunFolderError, ExperimentError) as error:
        arguments.print_error(error, args)
        return None, EXIT_INVALID
    except ExecutorError as error:
        arguments.print_error(error, args)
        return None, EXIT_FAILED
    except KeyboardInterrupt:
        print(interrupted_message(out, args.lang), file=sys.stderr)
        return None, EXIT_INTERRUPTED
    return outcome, EXIT_OK


def format_points(
    outcome: SweepOutcome, *, language: Language = "en", width: int | None = None
) -> str:
    """A table of the points: their values and the mean of the main indicators.

    When the table is wider than ``width``, each point gets a block of lines instead.
    """
    danish = language == "da"
    summary = {
        str(row["point"]): {str(key): value for key, value in row.items()}
        for row in outcome.summary.to_dict("records")
    }
    labels = {
        point.point: outcome.point_names.get(point.point, point.label) for point in outcome.points
    }
    headings = [DANISH_HEADINGS[column] if danish else heading for column, heading, _ in SHOWN]
    words = ("punkt", "indstillinger", "gent.") if danish else ("point", "settings", "reps")
    label_width = max(12, *(len(label) + 2 for label in labels.values()))
    header = f"{words[0]:<8}{words[1]:<{label_width}}{words[2]:>5}" + "".join(
        f"{heading:>21}" for heading in headings
    )
    note = (
        "Gennemsnit over gentagelserne med 95 %-intervaller; andele i procent."
        if danish
        else "Means over replications with 95 % intervals; shares in per cent."
    )
    if width is not None and len(header) > width:
        return _point_blocks(summary, labels, headings, language, width, note)
    lines = [header]
    for point, label in labels.items():
        if point not in summary:
            lines.append(f"{point:<8}{label:<{label_width}}{0:>5}")
            continue
        row = summary[point]
        text = f"{point:<8}{label:<{label_width}}{int(row['replications']):>5}"
        for column, _, share in SHOWN:
            text += f"{_cell(row, column, share, language):>21}"
        lines.append(text)
    lines.append("")
    lines.append(note)
    return "\n".join(lines)


def _point_blocks(
    summary: Mapping[str, Mapping[str, Any]],
    labels: Mapping[str, str],
    headings: list[str],
    language: Language,
    width: int,
    note: str,
) -> str:
    """Each point as a block: its values, then one indicator a line."""
    danish = language == "da"
    heading_width = max(len(heading) for heading in headings) + 4
    lines: list[str] = []
    for point, label in labels.items():
        row = summary.get(point)
        count = int(row["replications"]) if row is not None else 0
        reps = f"{count} gentagelser" if danish else f"{count} replications"
        title = f"{'Punkt' if danish else 'Point'} {point}: {label} ({reps})"
        lines.extend(textwrap.wrap(title, width, subsequent_indent="    "))
        if row is None:
            continue
        for (column, _, share), heading in zip(SHOWN, headings, strict=True):
            lines.append(f"  {heading:<{heading_width - 2}}{_cell(row, column, share, language)}")
    lines.append("")
    lines.extend(textwrap.wrap(note, width))
    return "\n".join(lines)


def _cell(row: Mapping[str, Any], column: str, share: bool, language: Language = "en") -> str:
    scale = 100.0 if share else 1.0
    mean, low, high = (row[column], row[f"{column}_low_95"], row[f"{column}_high_95"])
    if pd.isna(mean):
        return "–"
    if pd.isna(low):
        return number(scale * mean, 1, language)
    return f"{number(scale * mean, 1, language)} ±{number(scale * (high - low) / 2, 1, language)}"
