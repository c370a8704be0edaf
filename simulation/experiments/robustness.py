"""Robustness of a decision: where in the uncertain parameters "A beats B" stops holding.

Two agreements (scenarios A and B) are simulated at the same samples of the uncertain parameters
(a Latin hypercube over the ranges file), paired: at each sample both run with the same values and
the same seeds (common random numbers), so their difference is the agreements' and not chance's.
Where A does not beat B is then described with PRIM (the Patient Rule Induction Method, Friedman
and Fisher 1999; the EMA Workbench's implementation, ``pip install 'blandetby[ema]'``): the box of
parameter values in which B wins most often, as one sentence a planner can read:

    A beats B on listed area-years unless behaviour.job_finding_per_year > 0.17 and
    applicants.employed_share < 0.4 (coverage 82 %, density 91 %).

*Coverage* is the share of all samples where A does not win that lie in the box; *density* the
share of the samples in the box where A does not win.

Cost: ``samples × 2`` evaluations, each ``replications`` simulated runs.

A robustness folder holds ``robustness.json``, ``samples/NNNNNN.json`` (one per finished
sample), ``samples.csv``/``.parquet`` (values, both agreements' outputs, the difference and who
won) and ``box.csv`` (the chosen PRIM box: per restricted parameter its lower and upper limit).
"""

from __future__ import annotations

import inspect
import logging
import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation.base.errors import Words, danish_number
from simulation.experiments.executors import Executor, InProcessExecutor
from simulation.experiments.folders import (
    ExperimentError,
    claim_folder,
    timestamp,
    write_csv,
    write_json,
    write_table,
)
from simulation.experiments.sensitivity import (
    ModelShared,
    SampleTask,
    evaluate_samples,
    evaluate_scenario,
    read_samples,
)
from simulation.inputs.scenario import LoadedScenario
from simulation.inputs.uncertainty import Parameter
from simulation.model import Planner

__all__ = [
    "BETTER",
    "DENSITY_THRESHOLD",
    "FlipBox",
    "PairShared",
    "RobustnessOutcome",
    "describe_flip",
    "evaluate_pair",
    "find_flip",
    "latin_hypercube",
    "robustness",
    "scenario_robustness",
]

logger = logging.getLogger(__name__)

BETTER: dict[str, str] = {
    "listed_area_years": "lower",
    "housed_within_6_months_share": "higher",
    "wait_median_incl_never_housed_months": "lower",
    "outside_work_education_share_final": "lower",
}
"""Which way each output is better."""

READABLE = {
    "listed_area_years": "listed area-years",
    "housed_within_6_months_share": "households housed within 6 months",
    "wait_median_incl_never_housed_months": "median wait",
    "outside_work_education_share_final": "the share outside work at the end",
}

DENSITY_THRESHOLD = 0.8
"""PRIM's box: the one with the highest coverage among those with at least this density (among
equal coverage, the one with the fewest restricted parameters, then the densest)."""

FEW_FLIPS = 20
"""Fewer samples than this where A does not win make a rough box (the sentence says so)."""

MAX_SAMPLES = 20_000


def latin_hypercube(parameters: Sequence[Parameter], samples: int, entropy: int = 0) -> np.ndarray:
    """``samples`` points of a Latin hypercube on the unit cube (one column per parameter)."""
    from scipy.stats import qmc

    if not 2 <= samples <= MAX_SAMPLES:
        most = f"{MAX_SAMPLES:,}"
        raise ExperimentError(
            Words(
                f"--samples {samples}: expected 2 to {most}",
                f"--samples {samples}: forventede 2 til {danish_number(most)}",
            )
        )
    if not parameters:
        raise ExperimentError(
            Words(
                "robustness needs at least 1 ranged parameter",
                "robusthedsanalysen skal have mindst 1 parameter med et interval",
            )
        )
    rng = np.random.default_rng(np.random.SeedSequence([entropy, 0x524F42]))  # "ROB"
    return np.asarray(qmc.LatinHypercube(d=len(parameters), rng=rng).random(samples))


@dataclass(frozen=True)
class PairShared:
    """Both agreements' scenarios and the run settings, shared by every paired evaluation."""

    a: LoadedScenario
    b: LoadedScenario
    entropy: int = 0
    replications: int = 1
    years: int | None = None
    planner: Planner | None = field(default=None, repr=False)


def evaluate_pair(shared: PairShared, task: SampleTask) -> dict[str, float]:
    """Both agreements at one sample, same values and seeds: ``a_<output>`` and ``b_<output>``."""
    row: dict[str, float] = {}
    for prefix, loaded in (("a", shared.a), ("b", shared.b)):
        one = ModelShared(loaded, shared.entropy, shared.replications, shared.years, shared.planner)
        for name, value in evaluate_scenario(one, task).items():
            row[f"{prefix}_{name}"] = value
    return row


@dataclass(frozen=True)
class FlipBox:
    """Where A does not beat B: PRIM's box, its coverage and density, and the sentence.

    Attributes
    ----------
    limits
        Per restricted parameter: ``parameter``, ``lower`` (NaN if not restricted below) and
        ``upper`` (NaN if not restricted above).
    coverage, density
        Of the box (NaN when there is no box: A always or never wins).
    a_wins
        Share of the samples where A beats B.
    sentence
        The finding in words.
    """

    limits: pd.DataFrame
    coverage: float
    density: float
    a_wins: float
    sentence: str


def find_flip(
    values: pd.DataFrame,
    flipped: np.ndarray,
    *,
    a: str = "A",
    b: str = "B",
    output: str = "listed_area_years",
    threshold: float = DENSITY_THRESHOLD,
) -> FlipBox:
    """Find the box of parameter values where the decision flips, with PRIM.

    Parameters
    ----------
    values
        One row per sample, one column per parameter.
    flipped
        Per sample: whether A does *not* beat B.
    a, b
        Names of the agreements, for the sentence.
    output
        The output the decision is about.
    threshold
        The least density of the chosen box (see :data:`DENSITY_THRESHOLD`).
    """
    flipped = np.asarray(flipped, dtype=bool)
    a_wins = float(1.0 - flipped.mean())
    what = READABLE.get(output, output)
    empty = pd.DataFrame(columns=["parameter", "lower", "upper"])
    if not flipped.any():
        return FlipBox(
            empty,
            math.nan,
            math.nan,
            a_wins,
            f"{a} beats {b} on {what} at every sample ({len(flipped)}).",
        )
    if flipped.all():
        return FlipBox(
            empty,
            math.nan,
            math.nan,
            a_wins,
            f"{a} never beats {b} on {what} ({len(flipped)} samples).",
        )
    prim = _prim()
    x = values.reset_index(drop=True).astype(np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # the Workbench 2.x takes the density threshold; 3.x (Python 3.12+) no longer does
        accepts = inspect.signature(prim.Prim).parameters
        search = prim.Prim(
            x, flipped, **({"threshold": threshold} if "threshold" in accepts else {})
        )
        box = search.find_box()
    trajectory = box.peeling_trajectory
    dense = trajectory[trajectory["density"] >= threshold]
    if dense.empty:
        dense = trajectory
    # the most coverage; among equals the fewest restricted parameters (small samples let PRIM
    # peel on, adding limits that separate nothing more), then the most density
    ranked = dense.assign(fewer=-dense["res_dim"]).sort_values(
        ["coverage", "fewer", "density"], ascending=False
    )
    chosen = int(ranked.index[0])
    limits = box.box_lims[chosen]
    initial = box.box_lims[0]
    rows = []
    for name in x.columns:
        lower, upper = float(limits.at[0, name]), float(limits.at[1, name])
        low_restricted = lower > float(initial.at[0, name])
        high_restricted = upper < float(initial.at[1, name])
        if low_restricted or high_restricted:
            rows.append(
                {
                    "parameter": name,
                    "lower": lower if low_restricted else math.nan,
                    "upper": upper if high_restricted else math.nan,
                }
            )
    table = pd.DataFrame(rows, columns=["parameter", "lower", "upper"])
    coverage = float(trajectory.at[chosen, "coverage"])
    density = float(trajectory.at[chosen, "density"])
    return FlipBox(
        table,
        coverage,
        density,
        a_wins,
        describe_flip(
            table, coverage, density, a_wins, a=a, b=b, output=output, flips=int(flipped.sum())
        ),
    )


def describe_flip(
    limits: pd.DataFrame,
    coverage: float,
    density: float,
    a_wins: float,
    *,
    a: str = "A",
    b: str = "B",
    output: str = "listed_area_years",
    flips: int | None = None,
) -> str:
    """The sentence: "A beats B on listed area-years unless X > … and Y < … (coverage, density)".

    With ``flips`` (samples where A does not win) below :data:`FEW_FLIPS`, the sentence warns that
    the box rests on few samples.

    Examples
    --------
    >>> limits = pd.DataFrame({"parameter": ["x"], "lower": [0.7], "upper": [float("nan")]})
    >>> describe_flip(limits, 0.9, 0.85, 0.8)
    'A beats B on listed area-years (at 80 % of samples) unless x > 0.7 (coverage 90 %, density 85 %).'
    """
    what = READABLE.get(output, output)
    conditions = []
    for name, lower, upper in zip(
        limits["parameter"], limits["lower"], limits["upper"], strict=True
    ):
        low, high = float(lower), float(upper)
        if not math.isnan(low) and not math.isnan(high):
            conditions.append(f"{low:.3g} < {name} < {high:.3g}")
        elif not math.isnan(low):
            conditions.append(f"{name} > {low:.3g}")
        else:
            conditions.append(f"{name} < {high:.3g}")
    unless = " and ".join(conditions) if conditions else "in a region PRIM could not narrow down"
    caution = ""
    if flips is not None and flips < FEW_FLIPS:
        caution = f"; only {flips} samples where {a} does not win: a rough box, run more --samples"
    return (
        f"{a} beats {b} on {what} (at {100 * a_wins:.0f} % of samples) unless {unless} "
        f"(coverage {100 * coverage:.0f} %, density {100 * density:.0f} %{caution})."
    )


def _prim() -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "ipyparallel not installed", deprecations
            from ema_workbench.analysis import prim
    except ImportError as error:
        raise ExperimentError(
            Words(
                "robustness needs the EMA Workbench's PRIM: pip install 'blandetby[ema]'",
                "robusthedsanalysen skal bruge EMA Workbenchs PRIM: pip install 'blandetby[ema]'",
            )
        ) from error
    return prim


@dataclass(frozen=True)
class RobustnessOutcome:
    """What :func:`robustness` did: the folder, the paired samples and the flip (when complete)."""

    folder: Path
    samples: pd.DataFrame
    flip: FlipBox | None
    complete: bool
    ran: int


def robustness(
    evaluate: Callable[[Any, SampleTask], Mapping[str, float]],
    shared: Any,
    parameters: Sequence[Parameter],
    out_dir: str | Path,
    *,
    output: str = "listed_area_years",
    samples: int = 100,
    entropy: int = 0,
    names: tuple[str, str] = ("A", "B"),
    executor: Executor | None = None,
    describe: Mapping[str, Any] | None = None,
    on_start: Callable[[int, int], None] | None = None,
    on_sample: Callable[[int], None] | None = None,
) -> RobustnessOutcome:
    """Sample the parameters, evaluate both agreements paired at each sample, find the flip.

    Parameters
    ----------
    evaluate
        ``evaluate(shared, task)`` returning ``a_<output>`` and ``b_<output>``: for the model
        :func:`evaluate_pair` with a :class:`PairShared`; any function for a test.
    shared
        Sent to each worker once.
    parameters
        The uncertain parameters.
    out_dir
        The robustness folder (the same call resumes).
    output
        The output the decision is about (a key of :data:`BETTER`).
    samples, entropy
        The Latin hypercube's size and seed.
    names
        The agreements' names, for the sentence.
    executor, describe, on_start, on_sample
        As for :func:`simulation.experiments.sensitivity.run_sensitivity`.
    """
    if output not in BETTER:
        choices = ", ".join(BETTER)
        raise ExperimentError(
            Words(
                f"--output {output!r}: expected one of {choices}",
                f"--output {output!r}: forventede en af {choices}",
            )
        )
    executor = executor or InProcessExecutor()
    unit = latin_hypercube(parameters, samples, entropy)
    values = [
        {p.name: p.value(u) for p, u in zip(parameters, row, strict=True)} for row in unit.tolist()
    ]
    folder = Path(out_dir)
    manifest = {
        "kind": "robustness",
        "samples": samples,
        "entropy": entropy,
        "output": output,
        "parameters": [p.as_json() for p in parameters],
        "names": list(names),
        "describe": dict(describe or {}),
    }
    claim_folder(
        folder / "robustness.json",
        manifest,
        ("samples", "entropy", "output", "parameters", "names", "describe"),
    )
    columns = [f"a_{output}", f"b_{output}"]
    ran = evaluate_samples(
        evaluate, shared, values, columns, folder, executor, on_start=on_start, on_sample=on_sample
    )
    table = read_samples(folder)
    complete = len(table) == len(values)
    flip = None
    if complete:
        difference = table[f"b_{output}"] - table[f"a_{output}"]
        a_wins = difference > 0 if BETTER[output] == "lower" else difference < 0
        table["difference_b_minus_a"] = difference
        table["a_wins"] = a_wins
        flip = find_flip(
            table[[p.name for p in parameters]],
            ~a_wins.to_numpy(bool),
            a=names[0],
            b=names[1],
            output=output,
        )
        write_csv(flip.limits, folder / "box.csv")
    write_table(table, folder / "samples")
    write_json(
        folder / "robustness.json",
        manifest
        | {
            "status": "complete" if complete else "partial",
            "finding": flip.sentence if flip is not None else None,
            "coverage": flip.coverage if flip is not None else None,
            "density": flip.density if flip is not None else None,
            "executor": executor.describe(),
            "updated": timestamp(),
        },
    )
    return RobustnessOutcome(folder, table, flip, complete, ran)


def scenario_robustness(
    a: LoadedScenario,
    b: LoadedScenario,
    out_dir: str | Path,
    *,
    samples: int = 100,
    output: str = "listed_area_years",
    ranges: str | Path | None = None,
    replications: int = 1,
    years: int | None = None,
    entropy: int = 0,
    executor: Executor | None = None,
    on_start: Callable[[int, int], None] | None = None,
    on_sample: Callable[[int], None] | None = None,
) -> RobustnessOutcome:
    """Whether agreement ``a`` beats ``b`` over a ranges file: what ``blandetby robustness`` runs.

    The ranges must be valid in both scenarios (checked before anything runs; ``*`` expands to
    A's referral groups). Other parameters as for :func:`robustness` and :class:`PairShared`.

    Raises
    ------
    ScenarioError
        If the ranges file is invalid for either scenario.
    ExperimentError
        If the design or output is invalid, the folder holds another experiment, or the EMA
        Workbench is missing.
    """
    from simulation.inputs.uncertainty import DEFAULT_RANGES, read_ranges, scenario_parameters

    source = Path(ranges) if ranges is not None else DEFAULT_RANGES
    entries = read_ranges(source)
    parameters = scenario_parameters(a, entries, source=source)
    scenario_parameters(b, entries, source=source)
    _prim()  # before anything runs: a missing Workbench is said at once
    return robustness(
        evaluate_pair,
        PairShared(a, b, entropy, replications, years),
        parameters,
        out_dir,
        output=output,
        samples=samples,
        entropy=entropy,
        names=(a.scenario.name, b.scenario.name),
        executor=executor,
        describe={
            "a": {"file": str(a.source), "digest": a.digest},
            "b": {"file": str(b.source), "digest": b.digest},
            "replications": replications,
            "years": years,
        },
        on_start=on_start,
        on_sample=on_sample,
    )
