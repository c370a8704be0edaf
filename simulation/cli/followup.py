"""``blandetby followup RUN_DIR ACTUAL.csv``: a year's actual figures against the projection.

Reads the year's department figures (the scenario's department CSV format), computes each
department's criteria, tier and traffic light and each area's lists, and sets them beside the
run's projection for that year (median and 10–90 % band over replications). Prints the lights
and the departments to look at; writes ``followup_departments.csv`` and ``followup_areas.csv``
(and a workbook with ``--xlsx``) to ``--out``.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from simulation.base.outputs import output_file, output_folder
from simulation.cli import arguments
from simulation.report.followup import (
    FollowUpError,
    follow_up,
    render_follow_up,
    write_follow_up,
)

from .run import EXIT_INVALID, EXIT_OK

NAME = "followup"
HELP = (
    "follow-up (opfølgning): hold a year's actual department figures against a run's "
    "projection, with each department's tier and traffic light"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument("run_dir", type=Path, metavar="RUN_DIR", help="the run folder")
    parser.add_argument(
        "actual",
        type=Path,
        metavar="ACTUAL.csv",
        help="the year's department figures, in the scenario's department CSV format",
    )
    parser.add_argument(
        "--year",
        type=arguments.whole_number(1900, 2200),
        help="the calendar year the figures describe (default: the first simulated year)",
    )
    parser.add_argument(
        "--out", type=Path, help="folder for the CSV tables (default: RUN_DIR/followup-<year>)"
    )
    parser.add_argument(
        "--xlsx", type=Path, metavar="FILE.xlsx", help="also write the tables as a workbook"
    )
    arguments.add_language_argument(parser, what="language of the output")


def run(args: argparse.Namespace) -> int:
    """Follow up, print the lights, write the tables; exit 2 on invalid input."""
    if args.out is not None:
        output_folder(args.out)
    if args.xlsx is not None:
        output_file(args.xlsx, suffixes=(".xlsx",), option="--xlsx")
    arguments.language(args, folder=args.run_dir)
    try:
        result = follow_up(args.run_dir, args.actual, year=args.year)
    except FollowUpError as error:
        arguments.print_error(error, args)
        return EXIT_INVALID
    out = output_folder(args.out or args.run_dir / f"followup-{result.year}")
    written = write_follow_up(result, out, dialect=args.lang)
    if args.xlsx is not None:
        from simulation.report.followup import write_follow_up_workbook

        write_follow_up_workbook(result, args.xlsx, language=args.lang)
        written.append(args.xlsx)
    width = shutil.get_terminal_size((100, 24)).columns
    print(render_follow_up(result, args.lang, width=width))
    listed = ", ".join(str(path) for path in written)
    print(f"\nSkrevet: {listed}" if args.lang == "da" else f"\nWritten: {listed}")
    return EXIT_OK
