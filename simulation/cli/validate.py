"""``blandetby validate FILE …``: check scenario files and their department data."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulation.base.errors import format_problems
from simulation.cli import arguments
from simulation.inputs.scenario import scenario_problems

NAME = "validate"
HELP = "check scenario files (and their department CSV); print OK or every problem"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="scenario TOML files")
    arguments.add_input_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Validate each file; exit 2 if any is invalid."""
    invalid = 0
    for path in args.files:
        problems = scenario_problems(path, arguments.input_overrides(args))
        if problems:
            invalid += 1
            language = arguments.error_language(args, scenario=path)
            print(format_problems(problems, language), file=sys.stderr)
        else:
            print(f"{path}: OK" if len(args.files) > 1 else "OK")
    return 2 if invalid else 0
