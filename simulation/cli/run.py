"""``blandetby run SCENARIO``: simulate years of lettings under an agreement into a run folder.

With ``--replications R`` the replications run in parallel (``--workers N`` local processes, or a
Dask cluster with ``--dask`` / ``--scheduler ADDRESS``), each written to the run folder as it
finishes; running the same command again after an interruption resumes where it stopped.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tqdm import tqdm

from simulation.base.errors import ScenarioError
from simulation.experiments.executors import (
    ExecutorError,
    add_executor_arguments,
    executor_from_arguments,
)
from simulation.experiments.results import read_run, read_run_info
from simulation.experiments.runner import RunFolderError, simulate
from simulation.inputs.scenario import load_scenario
from simulation.report.plots import save_run_figures
from simulation.report.summary import summarise

NAME = "run"
HELP = "simulate a scenario year by year; write tables, figures and a summary to a run folder"

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INVALID = 2
EXIT_INTERRUPTED = 130


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument("scenario", type=Path, metavar="SCENARIO", help="scenario TOML file")
    parser.add_argument(
        "--years", type=positive_int, help="years to simulate (default: the scenario's)"
    )
    parser.add_argument("--seed", type=seed_int, default=0, help="seed of the run (default 0)")
    parser.add_argument(
        "--replications", type=positive_int, default=1, help="independent replications (default 1)"
    )
    parser.add_argument(
        "--out", type=Path, help="run folder (default: runs/<scenario name>-seed<seed>)"
    )
    parser.add_argument("--no-figures", action="store_true", help="skip the figures")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    add_executor_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Run the scenario, print the summary, exit 0 (2 on invalid input, 130 when interrupted)."""
    out = args.out or Path("runs") / f"{args.scenario.stem}-seed{args.seed}"
    try:
        loaded = load_scenario(args.scenario)
    except ScenarioError as error:
        print(error, file=sys.stderr)
        return EXIT_INVALID
    years = args.years or loaded.scenario.horizon.years
    executor = executor_from_arguments(args, tasks=args.replications)
    by_month = executor.in_process and args.replications == 1
    progress = Progress(loaded.scenario.name, quiet=args.quiet)
    if by_month:
        progress.start(years * 12, 0, unit="month")
    try:
        with progress:
            outcome = simulate(
                loaded,
                out,
                entropy=args.seed,
                years=years,
                replications=args.replications,
                executor=executor,
                batch_size=args.batch_size,
                shared_filesystem=not args.no_shared_filesystem,
                on_month=progress.advance if by_month else None,
                on_replication=None if by_month else progress.advance,
                on_start=None if by_month else progress.start,
            )
    except RunFolderError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INVALID
    except ExecutorError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(interrupted_message(out), file=sys.stderr)
        return EXIT_INTERRUPTED
    tables = read_run(out, ("department_year", "area_year", "referrals", "lapsed_claims"))
    if not args.no_figures:
        save_run_figures(tables, out / "figures")
    print(summarise(tables, read_run_info(out)))
    skipped = args.replications - len(outcome.ran)
    resumed = f" ({skipped} finished before, kept)" if skipped else ""
    print(f"\nRun folder: {out}{resumed}; {outcome.wall_seconds:.1f} s")
    return EXIT_OK


class Progress:
    """A tqdm bar on standard error, started once the work is known (with what was done before)."""

    def __init__(self, description: str, *, quiet: bool = False) -> None:
        self.description = description
        self.quiet = quiet
        self.bar: tqdm[Any] | None = None

    def start(self, total: int, done: int, unit: str = "replication") -> None:
        """Show the bar: ``total`` units, ``done`` of them finished before (kept, not timed)."""
        self.bar = tqdm(
            total=total,
            initial=done,
            unit=unit,
            desc=self.description,
            disable=self.quiet or None,
            file=sys.stderr,
            dynamic_ncols=True,
        )

    def advance(self, steps: int) -> None:
        """Count ``steps`` more units done."""
        if self.bar is not None:
            self.bar.update(steps)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()


def interrupted_message(folder: Path) -> str:
    """What to say after Ctrl-C: nothing finished is lost."""
    return (
        f"interrupted: the finished replications are kept in {folder}; run the same command "
        "again to resume"
    )


def positive_int(text: str) -> int:
    """Argument type: a whole number ≥ 1."""
    value = seed_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def seed_int(text: str) -> int:
    """Argument type: a whole number ≥ 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 0, got {text!r}")
    return value
