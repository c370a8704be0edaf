"""``blandetby run SCENARIO``: simulate years of lettings under an agreement into a run folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm import tqdm

from simulation.plots import save_run_figures
from simulation.results import read_run, read_run_info
from simulation.runner import RunFolderError, simulate
from simulation.scenario import load_scenario
from simulation.summary import summarise

NAME = "run"
HELP = "simulate a scenario year by year; write tables, figures and a summary to a run folder"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument("scenario", type=Path, metavar="SCENARIO", help="scenario TOML file")
    parser.add_argument(
        "--years", type=_positive, help="years to simulate (default: the scenario's)"
    )
    parser.add_argument("--seed", type=_seed, default=0, help="seed of the run (default 0)")
    parser.add_argument(
        "--replications", type=_positive, default=1, help="independent replications (default 1)"
    )
    parser.add_argument(
        "--out", type=Path, help="run folder (default: runs/<scenario name>-seed<seed>)"
    )
    parser.add_argument("--no-figures", action="store_true", help="skip the figures")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    """Run the scenario, print the summary, exit 0 (2 on invalid input)."""
    loaded = load_scenario(args.scenario)
    out = args.out or Path("runs") / f"{args.scenario.stem}-seed{args.seed}"
    years = args.years or loaded.scenario.horizon.years
    months = years * 12
    single = args.replications == 1
    bar = tqdm(
        total=months if single else args.replications,
        unit="month" if single else "replication",
        desc=loaded.scenario.name,
        disable=args.quiet or None,
        file=sys.stderr,
    )

    def advance(steps: int) -> None:
        bar.update(steps)

    try:
        with bar:
            outcome = simulate(
                loaded,
                out,
                entropy=args.seed,
                years=years,
                replications=args.replications,
                on_month=advance if single else None,
                on_replication=None if single else advance,
            )
    except RunFolderError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    tables = read_run(out)
    if not args.no_figures:
        save_run_figures(tables, out / "figures")
    print(summarise(tables, read_run_info(out)))
    skipped = args.replications - len(outcome.ran)
    resumed = f" ({skipped} finished before, kept)" if skipped else ""
    print(f"\nRun folder: {out}{resumed}; {outcome.wall_seconds:.1f} s")
    return 0


def _positive(text: str) -> int:
    value = _seed(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 0, got {text!r}")
    return value
