"""Global sensitivity analysis: Morris screening and Sobol indices over uncertain parameters (SALib).

The engine takes an *evaluation function* ``evaluate(shared, task) -> {output: value}`` and a list
of :class:`~simulation.inputs.uncertainty.Parameter`; it samples the unit hypercube with SALib,
maps each point to parameter values through each parameter's distribution, evaluates every sample
on an :class:`~simulation.experiments.executors.Executor` (this process, local processes or Dask),
stores each finished sample as it comes (so a stopped run resumes), and analyses the results with
SALib into a tidy table: ``parameter, output, index, value, conf``.

The model is one evaluation function (:func:`evaluate_scenario`, with :class:`ModelShared`): each
sample is the scenario with the sampled values, simulated for the same replications with the same
seeds (common random numbers: the samples differ only by their parameters). The Ishigami function
(:func:`ishigami`) is another; the tests check the engine on it, through the same code path.

Cost, in model evaluations (each is ``replications`` simulated runs), for ``d`` parameters:

- Morris: ``samples × (d + 1)`` (``samples`` trajectories; 10 to 20 is usual, 4 screens);
- Sobol (first and total order, no second order): ``samples × (d + 2)`` with ``samples`` a power
  of 2 (512 or more for stable indices; the intervals say how stable).

Morris indices are in the output's units per whole range of a parameter (the elementary effects
are taken on the quantile scale 0–1 of each distribution): ``mu_star`` (mean absolute effect, with
``conf``), ``mu`` and ``sigma`` (spread: interaction or non-linearity). Sobol indices are shares of
the output's variance: ``S1`` (alone) and ``ST`` (with every interaction), each with a bootstrap
95 % interval half-width ``conf``.

A sensitivity folder holds ``sensitivity.json`` (the manifest), ``samples/NNNNNN.json`` (one per
finished sample: its values and outputs), ``samples.csv``/``.parquet`` (all of them) and
``indices.csv``/``.parquet`` (the tidy table).
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from simulation.base.atomic import atomic_write_text
from simulation.base.errors import Words, danish_number
from simulation.experiments.executors import Executor, InProcessExecutor
from simulation.experiments.folders import (
    ExperimentError,
    claim_folder,
    timestamp,
    write_json,
    write_table,
)
from simulation.experiments.runner import replication_seed
from simulation.inputs.scenario import LoadedScenario
from simulation.inputs.uncertainty import Parameter
from simulation.model import HousingModel, ModelTables, Planner

__all__ = [
    "ISHIGAMI_INDICES",
    "MAX_EVALUATIONS",
    "METHODS",
    "OUTPUTS",
    "Method",
    "ModelShared",
    "SampleTask",
    "SensitivityOutcome",
    "evaluate_samples",
    "evaluate_scenario",
    "evaluations_needed",
    "ishigami",
    "read_samples",
    "run_sensitivity",
    "sample_unit",
    "scenario_outputs",
    "scenario_sensitivity",
    "sensitivity_indices",
]

logger = logging.getLogger(__name__)

Method = Literal["morris", "sobol"]
METHODS: tuple[Method, ...] = ("morris", "sobol")

MAX_EVALUATIONS = 200_000
"""The most evaluations one analysis may ask for."""

MORRIS_LEVELS = 4
"""Levels of the Morris grid (SALib's default)."""

NEVER_HOUSED_WINDOW_MONTHS = 24
"""Households in the median wait incl. never housed joined at least this long before the end."""

OUTPUTS: dict[str, str] = {
    "listed_area_years": "area-years on the udsat or forebyggelse list over the simulated years",
    "housed_within_6_months_share": "share of referral households housed within 6 months (of "
    "those who joined at least 6 months before the end)",
    "wait_median_incl_never_housed_months": "median months from joining the referral queue to a "
    "home, counting households who left unhoused or still wait as never housed (over those who "
    f"joined at least {NEVER_HOUSED_WINDOW_MONTHS} months before the end; capped at that window "
    "when more than half were never housed)",
    "outside_work_education_share_final": "share of residents 18–64 outside work and education "
    "in all departments, last year",
}
"""The outputs of :func:`evaluate_scenario` (name: meaning)."""


def evaluations_needed(method: Method, samples: int, parameters: int) -> int:
    """How many evaluations ``method`` needs with ``samples`` for ``parameters`` parameters.

    Examples
    --------
    >>> evaluations_needed("morris", 10, 20)
    210
    >>> evaluations_needed("sobol", 512, 3)
    2560
    """
    if method == "morris":
        return samples * (parameters + 1)
    return samples * (parameters + 2)


def _problem(parameters: Sequence[Parameter]) -> dict[str, Any]:
    """SALib's problem over the unit hypercube (values come from each parameter's quantiles)."""
    return {
        "num_vars": len(parameters),
        "names": [p.name for p in parameters],
        "bounds": [[0.0, 1.0]] * len(parameters),
    }


def sample_unit(
    method: Method, parameters: Sequence[Parameter], samples: int, entropy: int = 0
) -> np.ndarray:
    """The sample points on the unit hypercube (rows: samples, columns: parameters).

    Raises
    ------
    ExperimentError
        If the method is unknown, ``samples`` is too small, not a power of 2 for Sobol, or the
        design would need more than :data:`MAX_EVALUATIONS` evaluations.
    """
    if method not in METHODS:
        raise ExperimentError(
            Words(
                f"--method {method!r}: expected morris or sobol",
                f"--method {method!r}: forventede morris eller sobol",
            )
        )
    if len(parameters) < 2:
        raise ExperimentError(
            Words(
                "a sensitivity analysis needs at least 2 ranged parameters",
                "en følsomhedsanalyse skal have mindst 2 parametre med et interval",
            )
        )
    if method == "sobol" and (samples < 2 or samples & (samples - 1)):
        raise ExperimentError(
            Words(
                f"--samples {samples}: Sobol needs a power of 2 (e.g. 256, 512, 1024)",
                f"--samples {samples}: Sobol skal have en potens af 2 (f.eks. 256, 512, 1024)",
            )
        )
    if method == "morris" and samples < 2:
        raise ExperimentError(
            Words(
                f"--samples {samples}: Morris needs at least 2 trajectories",
                f"--samples {samples}: Morris skal have mindst 2 baner",
            )
        )
    needed = evaluations_needed(method, samples, len(parameters))
    if needed > MAX_EVALUATIONS:
        raise ExperimentError(
            Words(
                f"--samples {samples} with {len(parameters)} parameters needs {needed:,} "
                f"evaluations; expected at most {MAX_EVALUATIONS:,}",
                f"--samples {samples} med {len(parameters)} parametre kræver "
                f"{danish_number(f'{needed:,}')} beregninger; forventede højst "
                f"{danish_number(f'{MAX_EVALUATIONS:,}')}",
            )
        )
    problem = _problem(parameters)
    seed = int(np.random.SeedSequence([entropy, 0x53454E53]).generate_state(1)[0])  # "SENS"
    if method == "morris":
        from SALib.sample import morris

        unit = morris.sample(problem, samples, num_levels=MORRIS_LEVELS, seed=seed)
    else:
        from SALib.sample import sobol

        unit = sobol.sample(problem, samples, calc_second_order=False, seed=seed)
    return np.asarray(unit, dtype=np.float64)


def sensitivity_indices(
    method: Method,
    parameters: Sequence[Parameter],
    unit: np.ndarray,
    outputs: Mapping[str, np.ndarray],
    *,
    entropy: int = 0,
) -> pd.DataFrame:
    """SALib's indices as a tidy table: ``parameter, output, index, value, conf``.

    An output that is not finite at every sample, or does not vary, gets no indices (logged).
    """
    from SALib.analyze import morris as morris_analysis
    from SALib.analyze import sobol as sobol_analysis

    problem = _problem(parameters)
    seed = int(np.random.SeedSequence([entropy, 0x414E41]).generate_state(1)[0])  # "ANA"
    rows: list[dict[str, Any]] = []
    for output, values in outputs.items():
        y = np.asarray(values, dtype=np.float64)
        if not np.isfinite(y).all():
            logger.warning("%s is not defined at every sample: no indices", output)
            continue
        if np.ptp(y) == 0.0:
            logger.warning("%s does not vary over the samples: no indices", output)
            continue
        if method == "morris":
            result = morris_analysis.analyze(
                problem, unit, y, conf_level=0.95, num_levels=MORRIS_LEVELS, seed=seed
            )
            for position, name in enumerate(problem["names"]):
                rows.append(
                    _row(
                        name,
                        output,
                        "mu_star",
                        result["mu_star"][position],
                        result["mu_star_conf"][position],
                    )
                )
                rows.append(_row(name, output, "mu", result["mu"][position], math.nan))
                rows.append(_row(name, output, "sigma", result["sigma"][position], math.nan))
        else:
            result = sobol_analysis.analyze(
                problem, y, calc_second_order=False, conf_level=0.95, seed=seed
            )
            for position, name in enumerate(problem["names"]):
                rows.append(
                    _row(name, output, "S1", result["S1"][position], result["S1_conf"][position])
                )
                rows.append(
                    _row(name, output, "ST", result["ST"][position], result["ST_conf"][position])
                )
    return pd.DataFrame(rows, columns=["parameter", "output", "index", "value", "conf"])


def _row(parameter: str, output: str, index: str, value: Any, conf: Any) -> dict[str, Any]:
    return {
        "parameter": parameter,
        "output": output,
        "index": index,
        "value": float(value),
        "conf": float(conf),
    }


# -- the evaluation functions ----------------------------------------------------------------------


@dataclass(frozen=True)
class SampleTask:
    """One sample to evaluate: its position and the value of each parameter."""

    sample: int
    values: Mapping[str, float | int]


ISHIGAMI_INDICES = {
    "S1": {"x1": 0.3139, "x2": 0.4424, "x3": 0.0},
    "ST": {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437},
}
"""The analytic Sobol indices of the Ishigami function with a = 7, b = 0.1 on [-π, π]³."""


def ishigami(shared: Any, task: SampleTask) -> dict[str, float]:
    """The Ishigami function (a = 7, b = 0.1) of ``x1``, ``x2``, ``x3``: a test of the engine.

    ``sin x1 + a sin² x2 + b x3⁴ sin x1``; its Sobol indices are known (:data:`ISHIGAMI_INDICES`).
    """
    x1, x2, x3 = (float(task.values[name]) for name in ("x1", "x2", "x3"))
    value = math.sin(x1) + 7.0 * math.sin(x2) ** 2 + 0.1 * x3**4 * math.sin(x1)
    return {"y": value}


@dataclass(frozen=True)
class ModelShared:
    """What every evaluation of a scenario shares (sent to each worker once).

    Attributes
    ----------
    loaded
        The base scenario (each sample overrides the parameters' keys).
    entropy
        The seed: replication *r* of every sample uses the same seed (common random numbers).
    replications
        Replications per sample; an output is their mean.
    years
        Years to simulate (default: the scenario's horizon).
    planner
        The referral planner for the ``optimised`` policy (default: the LP).
    """

    loaded: LoadedScenario
    entropy: int = 0
    replications: int = 1
    years: int | None = None
    planner: Planner | None = field(default=None, repr=False)


def evaluate_scenario(shared: ModelShared, task: SampleTask) -> dict[str, float]:
    """Simulate the scenario with the task's values; the mean of each of :data:`OUTPUTS`."""
    loaded = shared.loaded.with_overrides(dict(task.values))
    horizon = shared.years if shared.years is not None else loaded.scenario.horizon.years
    totals: dict[str, list[float]] = {name: [] for name in OUTPUTS}
    for replication in range(shared.replications):
        model = HousingModel(
            loaded,
            seed=replication_seed(shared.entropy, replication),
            years=horizon,
            planner=shared.planner,
        )
        try:
            tables = model.run()
        finally:
            model.release()
        for name, value in scenario_outputs(tables, horizon * 12).items():
            totals[name].append(value)
    return {name: float(np.mean(values)) if values else math.nan for name, values in totals.items()}


def scenario_outputs(tables: ModelTables, end_month: int) -> dict[str, float]:
    """The :data:`OUTPUTS` of one replication's tables."""
    area = tables.area_year
    first, last = int(area["year"].min()), int(area["year"].max())
    listed = area["udsat"].to_numpy(bool) | area["forebyggelsesomraade"].to_numpy(bool)
    listed_area_years = float(listed[area["year"].to_numpy() > first].sum())

    referrals = tables.referrals
    arrival = referrals["arrival_month"].to_numpy(np.float64)
    housed = (referrals["outcome"] == "housed").to_numpy(bool)
    waits = referrals["wait_months"].to_numpy(dtype=np.float64, na_value=np.nan)
    observed = arrival + 6 < end_month
    quick = housed & (np.nan_to_num(waits, nan=7.0) <= 6)
    within_6 = float(quick[observed].mean()) if observed.any() else math.nan

    window = arrival + NEVER_HOUSED_WINDOW_MONTHS <= end_month
    if window.any():
        months = np.where(housed, waits, np.inf)[window]
        months = np.where(np.isnan(months), np.inf, months)
        median = float(np.quantile(months, 0.5, method="inverted_cdf"))
        median = min(median, float(NEVER_HOUSED_WINDOW_MONTHS))
    else:
        median = math.nan

    departments = tables.department_year
    final = departments[departments["year"] == last]
    adults = final["adults_18_64"].to_numpy(np.float64)
    share = final["outside_work_education_share"].to_numpy(np.float64)
    outside = float((adults * share).sum() / adults.sum()) if adults.sum() > 0 else math.nan
    return {
        "listed_area_years": listed_area_years,
        "housed_within_6_months_share": within_6,
        "wait_median_incl_never_housed_months": median,
        "outside_work_education_share_final": outside,
    }


# -- the engine -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SensitivityOutcome:
    """What :func:`run_sensitivity` did.

    Attributes
    ----------
    folder
        The sensitivity folder.
    samples
        One row per sample: ``sample``, each parameter's value, each output.
    indices
        The tidy table ``parameter, output, index, value, conf`` (empty until every sample ran).
    complete
        Whether every sample has been evaluated.
    ran
        Samples evaluated by this call (the rest were there already).
    """

    folder: Path
    samples: pd.DataFrame
    indices: pd.DataFrame
    complete: bool
    ran: int


def _sample_path(folder: Path, sample: int) -> Path:
    return folder / "samples" / f"{sample:06d}.json"


def run_sensitivity(
    evaluate: Callable[[Any, SampleTask], Mapping[str, float]],
    shared: Any,
    parameters: Sequence[Parameter],
    outputs: Sequence[str],
    out_dir: str | Path,
    *,
    method: Method = "morris",
    samples: int = 10,
    entropy: int = 0,
    executor: Executor | None = None,
    describe: Mapping[str, Any] | None = None,
    on_start: Callable[[int, int], None] | None = None,
    on_sample: Callable[[int], None] | None = None,
) -> SensitivityOutcome:
    """Sample, evaluate (resumably) and analyse; write the samples and the indices.

    Parameters
    ----------
    evaluate
        ``evaluate(shared, task)``: the outputs at one sample. A module-level function (it is
        pickled by reference for worker processes), e.g. :func:`evaluate_scenario` or
        :func:`ishigami`.
    shared
        Sent to every worker once (for the model: a :class:`ModelShared`).
    parameters
        The uncertain parameters.
    outputs
        The outputs to analyse (keys of what ``evaluate`` returns).
    out_dir
        The sensitivity folder; the same call on the same folder resumes.
    method, samples, entropy
        The design (:func:`sample_unit`); the entropy seeds the design and the bootstrap.
    executor
        Where evaluations run (default: this process).
    describe
        What else identifies the experiment in ``sensitivity.json`` (the scenario's digest, the
        replications, the years): a folder holding another experiment is refused.
    on_start
        Called with (samples in all, samples already done) before evaluating.
    on_sample
        Called with 1 after each evaluated sample.

    Raises
    ------
    ExperimentError
        If the design is invalid or the folder holds another experiment.
    """
    executor = executor or InProcessExecutor()
    unit = sample_unit(method, parameters, samples, entropy)
    values = [
        {p.name: p.value(u) for p, u in zip(parameters, row, strict=True)} for row in unit.tolist()
    ]
    folder = Path(out_dir)
    manifest = {
        "kind": "sensitivity",
        "method": method,
        "samples": samples,
        "entropy": entropy,
        "parameters": [p.as_json() for p in parameters],
        "outputs": list(outputs),
        "evaluations": len(values),
        "describe": dict(describe or {}),
    }
    claim_folder(
        folder / "sensitivity.json",
        manifest,
        ("method", "samples", "entropy", "parameters", "outputs", "describe"),
    )
    ran = evaluate_samples(
        evaluate, shared, values, outputs, folder, executor, on_start=on_start, on_sample=on_sample
    )
    table = read_samples(folder)
    complete = len(table) == len(values)
    indices = pd.DataFrame(columns=["parameter", "output", "index", "value", "conf"])
    if complete:
        indices = sensitivity_indices(
            method,
            parameters,
            unit,
            {name: table[name].to_numpy(np.float64) for name in outputs},
            entropy=entropy,
        )
        write_table(indices, folder / "indices")
    write_table(table, folder / "samples")
    write_json(
        folder / "sensitivity.json",
        manifest
        | {
            "status": "complete" if complete else "partial",
            "executor": executor.describe(),
            "updated": timestamp(),
        },
    )
    return SensitivityOutcome(folder, table, indices, complete, ran)


def evaluate_samples(
    evaluate: Callable[[Any, SampleTask], Mapping[str, float]],
    shared: Any,
    values: Sequence[Mapping[str, float | int]],
    outputs: Sequence[str],
    folder: Path,
    executor: Executor,
    *,
    on_start: Callable[[int, int], None] | None = None,
    on_sample: Callable[[int], None] | None = None,
) -> int:
    """Evaluate every sample not yet in ``folder/samples``, writing each as it finishes.

    Returns
    -------
    int
        The samples evaluated now.

    Raises
    ------
    ExperimentError
        If the evaluation does not return one of ``outputs``.
    """
    done = {sample for sample in range(len(values)) if _sample_path(folder, sample).is_file()}
    tasks = [SampleTask(i, values[i]) for i in range(len(values)) if i not in done]
    if on_start is not None:
        on_start(len(values), len(done))
    (folder / "samples").mkdir(parents=True, exist_ok=True)
    ran = 0
    for result in executor.map_unordered(_evaluate_task, (evaluate, shared), tasks):
        sample, row = result
        missing = [name for name in outputs if name not in row]
        if missing:
            raise ExperimentError(
                Words(
                    f"the evaluation returned no {', '.join(missing)} (it returns: "
                    f"{', '.join(row)})",
                    f"beregningen gav ingen {', '.join(missing)} (den giver: {', '.join(row)})",
                )
            )
        record = {"sample": sample, "values": dict(values[sample]), "outputs": dict(row)}
        atomic_write_text(_sample_path(folder, sample), json.dumps(record, allow_nan=True))
        ran += 1
        if on_sample is not None:
            on_sample(1)
    return ran


def _evaluate_task(
    shared: tuple[Callable[[Any, SampleTask], Mapping[str, float]], Any], task: SampleTask
) -> tuple[int, dict[str, float]]:
    evaluate, inner = shared
    return task.sample, {name: float(value) for name, value in evaluate(inner, task).items()}


def read_samples(folder: str | Path) -> pd.DataFrame:
    """The finished samples of a sensitivity folder: ``sample``, the values, the outputs."""
    rows = []
    for path in sorted((Path(folder) / "samples").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        rows.append({"sample": record["sample"], **record["values"], **record["outputs"]})
    return pd.DataFrame(rows)


def scenario_sensitivity(
    loaded: LoadedScenario,
    out_dir: str | Path,
    *,
    method: Method = "morris",
    samples: int | None = None,
    ranges: str | Path | None = None,
    outputs: Sequence[str] = tuple(OUTPUTS),
    replications: int = 1,
    years: int | None = None,
    entropy: int = 0,
    executor: Executor | None = None,
    on_start: Callable[[int, int], None] | None = None,
    on_sample: Callable[[int], None] | None = None,
) -> SensitivityOutcome:
    """A scenario's sensitivity over a ranges file: what ``blandetby sensitivity`` runs.

    Parameters
    ----------
    loaded
        The scenario.
    out_dir
        The sensitivity folder (the same call resumes).
    method, samples
        ``morris`` (default 10 trajectories) or ``sobol`` (default 256, a power of 2).
    ranges
        The ranges file (default: the bundled ``scenarios/ranges/uncertainty.toml``).
    outputs
        Which of :data:`OUTPUTS` to analyse.
    replications, years, entropy, executor, on_start, on_sample
        As for :class:`ModelShared` and :func:`run_sensitivity`.

    Raises
    ------
    ScenarioError
        If the ranges file is invalid for the scenario (nothing has run).
    ExperimentError
        If the design is invalid or the folder holds another experiment.
    """
    from simulation.inputs.uncertainty import DEFAULT_RANGES, read_ranges, scenario_parameters

    source = Path(ranges) if ranges is not None else DEFAULT_RANGES
    parameters = scenario_parameters(loaded, read_ranges(source), source=source)
    return run_sensitivity(
        evaluate_scenario,
        ModelShared(loaded, entropy, replications, years),
        parameters,
        list(outputs),
        out_dir,
        method=method,
        samples=samples or (10 if method == "morris" else 256),
        entropy=entropy,
        executor=executor,
        describe={
            "scenario": str(loaded.source),
            "digest": loaded.digest,
            "replications": replications,
            "years": years,
        },
        on_start=on_start,
        on_sample=on_sample,
    )
