"""``blandetby sensitivity SCENARIO``: which assumptions drive the headline outputs (Morris or Sobol).

The uncertain parameters and their ranges come from a ranges file (``--ranges``; default the
bundled ``scenarios/ranges/uncertainty.toml``), checked against the scenario before anything runs. Every
sample is simulated with the same seeds (common random numbers), on local processes or Dask; a
stopped analysis resumes when the same command runs again. The folder gets ``indices.csv`` (tidy:
parameter, output, index, value, conf), ``samples.csv`` and ``sensitivity.png``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from simulation.base.errors import ScenarioError
from simulation.base.outputs import output_folder
from simulation.cli import arguments
from simulation.cli.names import output_name, parameter_name
from simulation.experiments.executors import (
    ExecutorError,
    add_executor_arguments,
    executor_from_arguments,
)
from simulation.experiments.folders import ExperimentError
from simulation.experiments.sensitivity import (
    METHODS,
    OUTPUTS,
    SensitivityOutcome,
    evaluations_needed,
    sample_unit,
    scenario_sensitivity,
)
from simulation.inputs.uncertainty import DEFAULT_RANGES, read_ranges, scenario_parameters
from simulation.report.i18n import Language
from simulation.report.sensitivity_plots import save_sensitivity_figure

from .run import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_OK,
    Progress,
)

NAME = "sensitivity"
HELP = "which uncertain assumptions drive the headline outputs (Morris screening or Sobol indices)"

DEFAULT_SAMPLES = {"morris": 10, "sobol": 256}

T = TypeVar("T")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument("scenario", type=Path, metavar="SCENARIO", help="scenario TOML file")
    parser.add_argument(
        "--method",
        choices=METHODS,
        default="morris",
        help="morris: screening, samples × (parameters + 1) evaluations (default); sobol: "
        "variance shares with intervals, samples × (parameters + 2) evaluations",
    )
    parser.add_argument(
        "--samples",
        type=arguments.whole_number(2, 100_000),
        help="Morris trajectories (default 10) or Sobol base samples, a power of 2 (default 256)",
    )
    parser.add_argument(
        "--outputs",
        nargs="+",
        choices=tuple(OUTPUTS),
        default=list(OUTPUTS),
        metavar="OUTPUT",
        help=f"outputs to analyse (default all: {', '.join(OUTPUTS)})",
    )
    add_uncertainty_arguments(
        parser,
        replications_help="replications per sample, averaged (default 1; every sample uses the "
        "same seeds)",
        out_help="folder (default: sensitivity/<scenario>-<method>-seed<seed>)",
    )


def add_uncertainty_arguments(
    parser: argparse.ArgumentParser, *, replications_help: str, out_help: str
) -> None:
    """Add the options ``sensitivity`` and ``robustness`` share.

    Ranges, replications, years, seed, output folder, progress, department data and execution.
    """
    parser.add_argument(
        "--ranges",
        type=Path,
        default=DEFAULT_RANGES,
        help="ranges TOML file (default: the bundled scenarios/ranges/uncertainty.toml)",
    )
    parser.add_argument(
        "--replications", type=arguments.replications, default=1, help=replications_help
    )
    parser.add_argument(
        "--years", type=arguments.years, help="years to simulate (default: the scenario's)"
    )
    parser.add_argument("--seed", type=arguments.seed, default=0, help="seed (default 0)")
    parser.add_argument("--out", type=Path, help=out_help)
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    arguments.add_input_arguments(parser)
    add_executor_arguments(parser)


def run_guarded(work: Callable[[], T], out: Path, args: argparse.Namespace) -> tuple[T | None, int]:
    """Run ``work``; turn its errors into a message and an exit code (``None`` then)."""
    try:
        return work(), EXIT_OK
    except ScenarioError as error:
        arguments.print_error(error, args, prefix=False, after=arguments.NOTHING_MORE_RUN)
        return None, EXIT_INVALID
    except ExperimentError as error:
        arguments.print_error(error, args)
        return None, EXIT_INVALID
    except ExecutorError as error:
        arguments.print_error(error, args)
        return None, EXIT_FAILED
    except KeyboardInterrupt:
        print(
            f"afbrudt: de færdige stikprøver er gemt i {out}; kør den samme kommando igen for at "
            "fortsætte"
            if arguments.error_language(args) == "da"
            else f"interrupted: the finished samples are kept in {out}; run the same command again "
            "to resume",
            file=sys.stderr,
        )
        return None, EXIT_INTERRUPTED


def run(args: argparse.Namespace) -> int:
    """Run the analysis; print the most influential parameters per output."""
    samples = args.samples or DEFAULT_SAMPLES[args.method]
    out = output_folder(
        args.out or Path("sensitivity") / f"{args.scenario.stem}-{args.method}-seed{args.seed}"
    )
    try:
        loaded = arguments.load(args, args.scenario)
        arguments.language(args, loaded)
        parameters = scenario_parameters(loaded, read_ranges(args.ranges), source=args.ranges)
        sample_unit(args.method, parameters, samples, args.seed)  # checks the design
    except ScenarioError as error:
        arguments.print_error(error, args, prefix=False, after=arguments.NOTHING_RUN)
        return EXIT_INVALID
    except ExperimentError as error:
        arguments.print_error(error, args)
        return EXIT_INVALID
    evaluations = evaluations_needed(args.method, samples, len(parameters))
    runs = evaluations * args.replications
    print(
        f"{args.method}: {len(parameters)} parametre, {evaluations:,} beregninger × "
        f"{args.replications} gentagelse(r) = {runs:,} simulerede kørsler".replace(",", ".")
        if args.lang == "da"
        else f"{args.method}: {len(parameters)} parameters, {evaluations:,} evaluations × "
        f"{args.replications} replication(s) = {runs:,} simulated runs",
        file=sys.stderr,
    )
    executor = executor_from_arguments(args, tasks=evaluations)
    progress = Progress(f"{NAME} ({args.method})", quiet=args.quiet, language=args.lang)
    with progress:
        outcome, code = run_guarded(
            lambda: scenario_sensitivity(
                loaded,
                out,
                method=args.method,
                samples=samples,
                ranges=args.ranges,
                outputs=args.outputs,
                replications=args.replications,
                years=args.years,
                entropy=args.seed,
                executor=executor,
                on_start=lambda total, done: progress.start(total, done, unit="sample"),
                on_sample=progress.advance,
            ),
            out,
            args,
        )
    if outcome is None:
        return code
    figure = save_sensitivity_figure(
        outcome.indices,
        args.method,
        out / "sensitivity.png",
        title=f"{loaded.scenario.name}: {args.method}, {len(parameters)} parameters",
    )
    print(format_indices(outcome, args.method, language=args.lang))
    if args.lang == "da":
        where = f" og {figure.name}" if figure is not None else ""
        print(f"\nMappe: {out} (indices.csv, samples.csv{where})")
    else:
        where = f" and {figure.name}" if figure is not None else ""
        print(f"\nFolder: {out} (indices.csv, samples.csv{where})")
    return EXIT_OK


def format_indices(
    outcome: SensitivityOutcome, method: str, top: int = 5, *, language: Language = "en"
) -> str:
    """The ``top`` parameters per output by the main index, with its 95 % interval.

    In Danish the outputs and parameters are named in words (the report's field labels) and the
    numbers have decimal commas; in English the keys are kept, as the tables have them.
    """
    danish = language == "da"
    if not outcome.complete:
        return (
            "ufuldstændig: kør den samme kommando igen for at gøre den færdig"
            if danish
            else "incomplete: run the same command again to finish"
        )
    main = "mu_star" if method == "morris" else "ST"
    lines = []
    for output, group in outcome.indices.groupby("output", sort=False):
        title = output_name(str(output), "da") if danish else str(output)
        lines.append(f"{title} ({main}):")
        ranked = group[group["index"] == main].sort_values("value", ascending=False).head(top)
        for row in ranked.itertuples():
            if danish:
                value = f"{row.value:10.4g}".replace(".", ",")
                conf = f"{row.conf:.2g}".replace(".", ",")
                name = parameter_name(str(row.parameter), "da")
                lines.append(f"  {name:<55} {value} ± {conf}")
            else:
                lines.append(f"  {row.parameter:<55} {row.value:10.4g} ± {row.conf:.2g}")
    if outcome.indices.empty:
        lines.append(
            "intet resultat varierede over stikprøverne: ingen indeks"
            if danish
            else "no output varied over the samples: no indices"
        )
    return "\n".join(lines)
