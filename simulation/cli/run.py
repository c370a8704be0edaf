"""``blandetby run SCENARIO``: simulate years of lettings under an agreement into a run folder.

With ``--replications R`` the replications run in parallel (``--workers N`` local processes, or a
Dask cluster with ``--dask`` / ``--scheduler ADDRESS``), each written to the run folder as it
finishes; running the same command again after an interruption resumes where it stopped.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
import warnings
from pathlib import Path
from typing import Any, TextIO

from tqdm import tqdm

from simulation.base.errors import ScenarioError
from simulation.base.outputs import output_folder
from simulation.cli import arguments
from simulation.cli.names import group_names, scenario_name
from simulation.experiments.dictionary import write_run_csv
from simulation.experiments.executors import (
    ExecutorError,
    add_executor_arguments,
    executor_from_arguments,
)
from simulation.experiments.results import IncompleteRunWarning, read_run, read_run_info
from simulation.experiments.runner import RunFolderError, simulate
from simulation.report.i18n import number
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
        "--years", type=arguments.years, help="years to simulate (default: the scenario's)"
    )
    parser.add_argument(
        "--seed", type=arguments.seed, default=0, help="seed of the run (default 0)"
    )
    parser.add_argument(
        "--replications",
        type=arguments.replications,
        default=1,
        help="independent replications (default 1)",
    )
    parser.add_argument(
        "--out", type=Path, help="run folder (default: runs/<scenario name>-seed<seed>)"
    )
    parser.add_argument("--no-figures", action="store_true", help="skip the figures")
    parser.add_argument(
        "--csv",
        action="store_true",
        help="also write each table as one CSV file beside its Parquet parts (<table>.csv)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    arguments.add_language_argument(parser, what="language of the CSV files (with --csv)")
    arguments.add_input_arguments(parser)
    add_executor_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Run the scenario, print the summary, exit 0 (2 on invalid input, 130 when interrupted)."""
    out = output_folder(args.out or Path("runs") / f"{args.scenario.stem}-seed{args.seed}")
    try:
        loaded = arguments.load(args, args.scenario)
    except ScenarioError as error:
        arguments.print_error(error, args, prefix=False)
        return EXIT_INVALID
    arguments.language(args, loaded)
    years = args.years or loaded.scenario.horizon.years
    executor = executor_from_arguments(args, tasks=args.replications)
    by_month = executor.in_process and args.replications == 1
    progress = Progress(scenario_name(loaded, args.lang), quiet=args.quiet, language=args.lang)
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
        arguments.print_error(error, args)
        return EXIT_INVALID
    except ExecutorError as error:
        arguments.print_error(error, args)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(interrupted_message(out, args.lang), file=sys.stderr)
        return EXIT_INTERRUPTED
    with warnings.catch_warnings():  # the summary says so itself
        warnings.simplefilter("ignore", IncompleteRunWarning)
        tables = read_run(out, ("department_year", "area_year", "referrals", "lapsed_claims"))
    if not args.no_figures:
        save_run_figures(tables, out / "figures")
    if args.csv:
        write_run_csv(out, args.lang)
    width = shutil.get_terminal_size((100, 24)).columns
    print(
        summarise(
            tables,
            read_run_info(out),
            language=args.lang,
            group_names=group_names(loaded, args.lang),
            scenario_name=scenario_name(loaded, args.lang),
            width=width,
        )
    )
    skipped = args.replications - len(outcome.ran)
    if args.lang == "da":
        plural = "e gentagelser" if skipped != 1 else " gentagelse"
        resumed = f" (beholdt: {skipped} færdig{plural} fra før)" if skipped else ""
        seconds = number(outcome.wall_seconds, 1, "da")
        print(f"\nKørselsmappe: {out}{resumed}; {seconds} s")
    else:
        resumed = f" ({skipped} finished before, kept)" if skipped else ""
        print(f"\nRun folder: {out}{resumed}; {outcome.wall_seconds:.1f} s")
    return EXIT_OK


class Progress:
    """Progress on standard error: a tqdm bar on a terminal, else a line per finished unit.

    A batch job's log (output not a terminal) gets one line per finished replication, or, when a
    single replication runs month by month, a line per simulated year at most every
    :data:`YEAR_LINE_SECONDS`, with the time so far and an estimate of the time left; ``quiet``
    silences both.
    """

    def __init__(
        self,
        description: str,
        *,
        quiet: bool = False,
        stream: TextIO | None = None,
        language: str = "en",
    ) -> None:
        self.description = description
        self.quiet = quiet
        self.language = language
        self.stream = stream if stream is not None else sys.stderr
        self.bar: tqdm[Any] | None = None
        self.log: _ProgressLog | None = None

    def start(self, total: int, done: int, unit: str = "replication") -> None:
        """Show the bar: ``total`` units, ``done`` of them finished before (kept, not timed)."""
        if self.quiet:
            return
        if not self.stream.isatty():
            self.log = _ProgressLog(
                self.description, total, done, unit, self.stream, language=self.language
            )
            return
        self.bar = tqdm(
            total=total,
            initial=done,
            unit=UNITS_DANISH.get(unit, (unit, unit))[0] if self.language == "da" else unit,
            desc=self.description,
            file=self.stream,
            dynamic_ncols=True,
        )

    def advance(self, steps: int) -> None:
        """Count ``steps`` more units done."""
        if self.bar is not None:
            self.bar.update(steps)
        if self.log is not None:
            self.log.advance(steps)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()


YEAR_LINE_SECONDS = 10.0
"""The least time between two 'year k of Y simulated' lines in a log."""


def _now() -> float:
    """Seconds on a monotonic clock (a function of its own, so that tests can set the time)."""
    return time.monotonic()


UNITS_DANISH = {
    "replication": ("gentagelse", "gentagelser"),
    "month": ("måned", "måneder"),
    "sample": ("stikprøve", "stikprøver"),
}
"""The progress units in Danish (singular, plural)."""


class _ProgressLog:
    """One line per finished replication (or simulated year), for output that is not a terminal."""

    def __init__(
        self,
        description: str,
        total: int,
        done: int,
        unit: str,
        stream: TextIO,
        *,
        language: str = "en",
    ) -> None:
        self.description = description
        self.total = total
        self.done = self.before = done
        self.unit = unit
        self.stream = stream
        self.danish = language == "da"
        self.began = self.last_line = _now()
        if self.danish:
            kept = f" ({done} færdige fra før beholdes)" if done else ""
            self._say(f"{total} {UNITS_DANISH.get(unit, (unit, unit))[1]} at køre{kept}")
        else:
            kept = f" ({done} finished before, kept)" if done else ""
            self._say(f"{total} {unit}s to run{kept}")

    def advance(self, steps: int) -> None:
        self.done += steps
        if self.unit == "month":  # a line a simulated year, not too often
            due = _now() - self.last_line >= YEAR_LINE_SECONDS
            if (self.done % 12 == 0 and due) or self.done == self.total:
                year, of = -(-self.done // 12), -(-self.total // 12)
                years = (
                    f"år {year} af {of} simuleret"
                    if self.danish
                    else f"year {year} of {of} simulated"
                )
                self._say(f"{years}{self._times()}")
            return
        if self.danish:
            unit = UNITS_DANISH.get(self.unit, (self.unit, self.unit))[0]
            self._say(f"{unit} {self.done} af {self.total} færdig{self._times()}")
        else:
            self._say(f"{self.unit} {self.done} of {self.total} finished{self._times()}")

    def _times(self) -> str:
        elapsed = _now() - self.began
        timed = self.done - self.before
        if timed <= 0:
            return ""
        left = elapsed / timed * (self.total - self.done)
        if self.danish:
            spent, rest = _duration(elapsed, "da"), _duration(left, "da")
            return f" ({spent} indtil nu, omkring {rest} tilbage)"
        return f" ({_duration(elapsed)} so far, about {_duration(left)} left)"

    def _say(self, text: str) -> None:
        self.last_line = _now()
        print(f"{self.description}: {text}", file=self.stream, flush=True)


def _duration(seconds: float, language: str = "en") -> str:
    """``42 s``, ``3 min``, ``2.5 h`` (``2,5 t`` in Danish)."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    if language == "da":
        return f"{seconds / 3600:.1f} t".replace(".", ",")
    return f"{seconds / 3600:.1f} h"


def interrupted_message(folder: Path, language: str = "en") -> str:
    """What to say after Ctrl-C: nothing finished is lost."""
    if language == "da":
        return (
            f"afbrudt: de færdige gentagelser er gemt i {folder}; kør den samme kommando igen "
            "for at fortsætte"
        )
    return (
        f"interrupted: the finished replications are kept in {folder}; run the same command "
        "again to resume"
    )
