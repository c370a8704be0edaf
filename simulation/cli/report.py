"""``blandetby report RUN_DIR …``: one self-contained HTML report from stored results.

Takes run folders and compare folders (expanded to their ``runs/<label>`` folders), and
optionally an optimiser output folder (``--plan``, or given among the folders); writes one HTML
file with the figures embedded, readable offline in any browser. Nothing is simulated.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from simulation.base.errors import ArgumentWordsError, Words
from simulation.base.outputs import output_file
from simulation.cli import arguments
from simulation.report.build import REPORT_SUFFIXES, ReportError, ReportStep, write_report
from simulation.report.decision import DecisionRule
from simulation.report.i18n import Language

from .run import EXIT_INVALID, EXIT_OK

NAME = "report"
HELP = (
    "write one self-contained HTML report (Danish or English) from run folders, compare folders "
    "and an optional referral plan: lists, waits, load, evidence, profile, assumptions"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument(
        "folders",
        type=Path,
        nargs="+",
        metavar="RUN_DIR",
        help="run folders or compare folders (the first scenario is the reference); an "
        "optimiser output folder among them is taken as --plan",
    )
    arguments.add_language_argument(parser, what="language of the report and the workbook")
    parser.add_argument(
        "--out", type=Path, help="the HTML file (default: report.html in the first folder)"
    )
    parser.add_argument(
        "--plan",
        type=Path,
        metavar="PLAN_DIR",
        help="folder written by `blandetby optimise --out` (plan.csv, departments.csv, "
        "groups.csv, explanation.md, plan.png)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    parser.add_argument(
        "--robustness",
        type=Path,
        metavar="DIR",
        help="a folder of `blandetby robustness --out`: adds the section 'what would change the "
        "answer' (where the decision flips)",
    )
    parser.add_argument(
        "--sensitivity",
        type=Path,
        metavar="DIR",
        help="a folder of `blandetby sensitivity --out`: adds the assumptions that move each "
        "output most to that section",
    )
    parser.add_argument(
        "--xlsx",
        type=Path,
        metavar="FILE.xlsx",
        help="also write one formatted Excel workbook: profile, risk by area and year, waits "
        "by group, load per housing organisation, the plan",
    )
    parser.add_argument(
        "--followup",
        type=Path,
        metavar="ACTUAL.csv",
        help="a year's actual department figures (the scenario's department CSV format): adds "
        "the section 'Follow-up' (traffic lights per department, actual against the projected "
        "band, the areas' lists)",
    )
    parser.add_argument(
        "--followup-year",
        type=arguments.whole_number(1900, 2200),
        metavar="YEAR",
        help="the calendar year the --followup figures describe (default: the first simulated)",
    )
    parser.add_argument(
        "--followup-run",
        metavar="LABEL",
        help="the run the --followup figures are held against: the agreement signed (default: "
        "the first, the reference)",
    )
    parser.add_argument(
        "--min-housed-share",
        type=_share,
        default=DecisionRule().minimum_housed_share,
        metavar="SHARE",
        help="the decision page recommends, among the agreements that house at least this share "
        "(0–1) of referred households within 6 months, the one with the fewest area-years on "
        f"the lists (default {DecisionRule().minimum_housed_share})",
    )


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ArgumentWordsError(
            Words(
                f"got {text!r}; expected a share from 0 to 1",
                f"fik {text!r}; forventede en andel fra 0 til 1",
            )
        ) from None
    if not 0.0 <= value <= 1.0:
        raise ArgumentWordsError(
            Words(
                f"got {text}; expected a share from 0 to 1 (a share is written 0–1: 50 % is 0.5)",
                f"fik {text}; forventede en andel fra 0 til 1 (en andel skrives 0–1: 50 % er 0,5)",
            )
        )
    return value


def _progress(language: Language = "en") -> Callable[[ReportStep], None]:
    """Say each step on standard error with the time so far (a report takes 20–30 s)."""
    began = time.monotonic()
    so_far = "indtil nu" if language == "da" else "so far"

    def say(step: ReportStep) -> None:
        seconds = time.monotonic() - began
        print(f"report: {step.words(language)} ({seconds:.0f} s {so_far})", file=sys.stderr)

    return say


def run(args: argparse.Namespace) -> int:
    """Write the report and print where it went; exit 2 on invalid input."""
    if args.out is not None:
        output_file(args.out, suffixes=REPORT_SUFFIXES)
    if args.xlsx is not None:
        output_file(args.xlsx, suffixes=(".xlsx",))
    arguments.language(args, folder=args.folders[0])
    try:
        target = write_report(
            args.folders,
            args.out,
            language=args.lang,
            plan=args.plan,
            rule=DecisionRule(minimum_housed_share=args.min_housed_share),
            xlsx=args.xlsx,
            on_step=None if args.quiet else _progress(args.lang),
            robustness_dir=args.robustness,
            sensitivity_dir=args.sensitivity,
            followup=args.followup,
            followup_year=args.followup_year,
            followup_run=args.followup_run,
        )
    except (ReportError, OSError) as error:  # OSError: an unreadable table, or nowhere to write
        arguments.print_error(error, args)
        return EXIT_INVALID
    if args.lang == "da":
        print(f"Rapporten er skrevet til {target}")
        if args.xlsx is not None:
            print(f"Regnearket er skrevet til {args.xlsx}")
    else:
        print(f"Report written to {target}")
        if args.xlsx is not None:
            print(f"Workbook written to {args.xlsx}")
    return EXIT_OK
