"""``blandetby robustness A.toml B.toml``: where in the assumptions agreement A stops beating B.

Both scenarios are simulated at the same samples of the uncertain parameters (a Latin hypercube
over the ranges file, ``--ranges``), paired: same values, same seeds. PRIM then finds where A
stops beating B, and the command says it in one sentence, e.g. "A beats B on listed area-years
unless behaviour.job_finding_per_year > 0.17 (coverage 82 %, density 91 %)". Needs the EMA
Workbench (``pip install 'blandetby[ema]'``). Cost: 2 × samples × replications simulated runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from simulation.base.errors import ScenarioError
from simulation.base.outputs import output_folder
from simulation.cli import arguments
from simulation.cli.names import parameter_name, scenario_name
from simulation.experiments.executors import executor_from_arguments
from simulation.experiments.folders import write_json
from simulation.experiments.robustness import (
    BETTER,
    MAX_SAMPLES,
    FlipBox,
    scenario_robustness,
)
from simulation.inputs.uncertainty import read_ranges, scenario_parameters
from simulation.report.robustness_section import danish_finding as finding_in_danish

from .run import EXIT_FAILED, EXIT_INVALID, EXIT_OK, Progress
from .sensitivity import add_uncertainty_arguments, run_guarded

NAME = "robustness"
HELP = "where in the uncertain assumptions agreement A stops beating B (paired runs and PRIM)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument("a", type=Path, metavar="A", help="scenario TOML of agreement A")
    parser.add_argument("b", type=Path, metavar="B", help="scenario TOML of agreement B")
    parser.add_argument(
        "--samples",
        type=arguments.whole_number(2, MAX_SAMPLES),
        default=100,
        help="samples of the uncertain parameters (default 100; each runs A and B)",
    )
    parser.add_argument(
        "--output",
        choices=tuple(BETTER),
        default="listed_area_years",
        help="the output the decision is about (default listed_area_years; lower is better "
        "except for housed_within_6_months_share)",
    )
    add_uncertainty_arguments(
        parser,
        replications_help="replications per sample and agreement, averaged (default 1)",
        out_help="folder (default: robustness/<A>-vs-<B>-seed<seed>)",
    )


def run(args: argparse.Namespace) -> int:
    """Run the paired samples and print the finding."""
    out = output_folder(
        args.out or Path("robustness") / f"{args.a.stem}-vs-{args.b.stem}-seed{args.seed}"
    )
    try:
        a = arguments.load(args, args.a)
        b = arguments.load(args, args.b)
        arguments.language(args, a)
        entries = read_ranges(args.ranges)
        parameters = scenario_parameters(a, entries, source=args.ranges)
        scenario_parameters(b, entries, source=args.ranges)  # valid in B as well
    except ScenarioError as error:
        arguments.print_error(error, args, prefix=False, after=arguments.NOTHING_RUN)
        return EXIT_INVALID
    runs = 2 * args.samples * args.replications
    print(
        f"robustness: {len(parameters)} parametre, {args.samples} stikprøver × 2 aftaler × "
        f"{args.replications} gentagelse(r) = {runs:,} simulerede kørsler".replace(",", ".")
        if args.lang == "da"
        else f"robustness: {len(parameters)} parameters, {args.samples} samples × 2 agreements × "
        f"{args.replications} replication(s) = {runs:,} simulated runs",
        file=sys.stderr,
    )
    executor = executor_from_arguments(args, tasks=args.samples)
    progress = Progress(NAME, quiet=args.quiet, language=args.lang)
    with progress:
        outcome, code = run_guarded(
            lambda: scenario_robustness(
                a,
                b,
                out,
                samples=args.samples,
                output=args.output,
                ranges=args.ranges,
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
    danish = args.lang == "da"
    if outcome.flip is not None:
        # the report's section in Danish reads this (the report cannot rebuild the sentence: it
        # has neither the scenarios' Danish names nor the parameters' Danish labels at hand)
        names = (scenario_name(a, "da"), scenario_name(b, "da"))
        manifest_path = Path(outcome.folder) / "robustness.json"
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        manifest["finding_da"] = danish_finding(
            outcome.flip, *names, output=args.output, samples=len(outcome.samples)
        )
        write_json(manifest_path, manifest)
    if outcome.flip is None:
        print(
            "ufuldstændig: kør den samme kommando igen for at gøre den færdig"
            if danish
            else "incomplete: run the same command again to finish"
        )
        return EXIT_FAILED
    if danish:
        names = (scenario_name(a, "da"), scenario_name(b, "da"))
        print(
            danish_finding(outcome.flip, *names, output=args.output, samples=len(outcome.samples))
        )
        print(f"\nMappe: {out} (robustness.json, samples.csv, box.csv)")
    else:
        print(outcome.flip.sentence)
        print(f"\nFolder: {out} (robustness.json, samples.csv, box.csv)")
    return EXIT_OK


def danish_finding(flip: FlipBox, a: str, b: str, *, output: str, samples: int) -> str:
    """The finding of :func:`~simulation.experiments.robustness.describe_flip`, in Danish.

    :func:`simulation.report.robustness_section.danish_finding` with the parameters named by
    :func:`~simulation.cli.names.parameter_name`.

    Examples
    --------
    >>> import pandas as pd
    >>> limits = pd.DataFrame({"parameter": ["x"], "lower": [0.7], "upper": [float("nan")]})
    >>> danish_finding(FlipBox(limits, 0.9, 0.85, 0.8, ""), "A", "B", output="x", samples=100)
    'A er bedre end B på x (i 80 % af stikprøverne), undtagen når x > 0,7 (dækning 90 %, tæthed 85 %).'
    """
    labels = {str(name): parameter_name(str(name), "da") for name in flip.limits["parameter"]}
    return finding_in_danish(flip, a, b, output=output, samples=samples, labels=labels)
