"""``blandetby profile SCENARIO``: the picture a negotiation starts from."""

from __future__ import annotations

import argparse
from pathlib import Path

from simulation.base.outputs import output_folder
from simulation.base.terminal import terminal_width
from simulation.cli import arguments
from simulation.report.profile import build_profile, in_language, render_profile, write_profile

NAME = "profile"
HELP = (
    "every department and area with its criteria and distance to each threshold, rents, "
    "turnover, and referral need against capacity per housing organisation"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument("scenario", type=Path, metavar="SCENARIO", help="scenario TOML file")
    arguments.add_language_argument(parser, what="language of the tables")
    parser.add_argument("--out", type=Path, help="folder for the CSV tables (profile_*.csv)")
    parser.add_argument(
        "--max-rent",
        type=arguments.finite_number(0, 100_000, low_open=True),
        default=3_500.0,
        help="rent a homeless household can pay, kr per month (default 3500)",
    )
    parser.add_argument(
        "--departments",
        type=arguments.whole_number(0, 100_000),
        default=15,
        help="departments listed in the terminal (default 15)",
    )
    arguments.add_input_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Print the profile; write its tables when ``--out`` is given."""
    if args.out:
        output_folder(args.out)
    loaded = arguments.load(args, args.scenario)
    arguments.language(args, loaded)
    profile = in_language(build_profile(loaded, max_rent_kr=args.max_rent), loaded, args.lang)
    print(render_profile(profile, args.lang, departments=args.departments, width=terminal_width()))
    if args.out:
        written = write_profile(profile, args.out, args.lang)
        print()
        print("\n".join(str(path) for path in written))
    return 0
