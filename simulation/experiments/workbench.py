"""The EMA Workbench adapter: a scenario as an EMA ``Model``, for the Workbench's whole toolkit.

:func:`workbench_model` turns a scenario into an :class:`ema_workbench.Model` whose uncertainties
are the ranges file's parameters, whose levers are agreement fields the caller names, and whose
outcomes are the headline outputs (:data:`simulation.experiments.sensitivity.OUTPUTS`). Each
experiment simulates the scenario with the experiment's values, for ``replications`` replications
with the same seeds in every experiment (common random numbers), and returns the outputs' means.
Needs ``pip install 'blandetby[ema]'``.

Names: the Workbench passes values as keyword arguments, so a dotted key becomes a Python name
with ``__`` for each dot (``applicants.employed_share`` →
``applicants__employed_share``); :func:`scenario_key` turns it back.

Examples
--------
>>> from ema_workbench import SequentialEvaluator, perform_experiments  # doctest: +SKIP
>>> from simulation.inputs.scenario import load_scenario
>>> from simulation.experiments.workbench import workbench_model
>>> model = workbench_model(
...     load_scenario("scenarios/eksempelby.toml"),
...     levers={"agreement.default_referral_share": (0.1, 0.5)},
...     years=10,
... )  # doctest: +SKIP
>>> with SequentialEvaluator(model) as evaluator:  # doctest: +SKIP
...     experiments, outcomes = evaluator.perform_experiments(scenarios=20, policies=4)
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from simulation.base.errors import Problem, ScenarioError, Words, show_value
from simulation.experiments.folders import ExperimentError
from simulation.experiments.sensitivity import (
    OUTPUTS,
    ModelShared,
    SampleTask,
    evaluate_scenario,
)
from simulation.inputs.scenario import LoadedScenario
from simulation.inputs.uncertainty import (
    DEFAULT_RANGES,
    Parameter,
    read_ranges,
    scenario_parameters,
)

__all__ = ["ScenarioFunction", "python_name", "scenario_key", "workbench_model"]


def python_name(key: str) -> str:
    """A dotted scenario key as a Python name (``.`` → ``__``)."""
    return key.replace(".", "__")


def scenario_key(name: str) -> str:
    """A Python name of :func:`python_name` back as the dotted scenario key."""
    return name.replace("__", ".")


class ScenarioFunction:
    """The function an EMA ``Model`` calls: keyword values in, the headline outputs out.

    Picklable (the scenario goes with it), so the Workbench's multiprocessing evaluator can use it.
    """

    def __init__(self, shared: ModelShared, outputs: Sequence[str]) -> None:
        self.shared = shared
        self.outputs = tuple(outputs)

    def __call__(self, **values: Any) -> dict[str, float]:
        """Simulate the scenario with ``values`` (Python names of scenario keys)."""
        overrides = {scenario_key(name): _plain(value) for name, value in values.items()}
        result = evaluate_scenario(self.shared, SampleTask(0, overrides))
        return {name: result[name] for name in self.outputs}


def _plain(value: Any) -> Any:
    """A numpy scalar as a Python value (the scenario schema validates Python types)."""
    return value.item() if hasattr(value, "item") else value


def workbench_model(
    loaded: LoadedScenario,
    *,
    ranges: str | Path | Sequence[Parameter] = DEFAULT_RANGES,
    levers: Mapping[str, tuple[float, float] | Sequence[Any]] | None = None,
    outputs: Sequence[str] = tuple(OUTPUTS),
    replications: int = 1,
    years: int | None = None,
    entropy: int = 0,
    name: str = "blandetby",
) -> Any:
    """The scenario as an EMA Workbench ``Model``.

    Parameters
    ----------
    loaded
        The scenario (its agreement is the lever's default where a lever does not set it).
    ranges
        A ranges file (default: the bundled one) or the parameters themselves: the uncertainties.
        A triangular range becomes a ``RealParameter`` with that distribution.
    levers
        Agreement fields the Workbench may set: ``{"agreement.default_referral_share": (0.1,
        0.5)}`` for a range (whole numbers when both ends are ints), a list of values for a
        categorical lever (``{"agreement.placement_policy": ["next_vacancy", "optimised"]}``).
    outputs
        The outcomes (keys of :data:`~simulation.experiments.sensitivity.OUTPUTS`).
    replications, years, entropy
        Replications per experiment (averaged), years to simulate, and the seed.
    name
        The model's name (a Python name).

    Raises
    ------
    ScenarioError
        If a range or lever is invalid for the scenario (naming the key and the value).
    ExperimentError
        If the EMA Workbench is not installed or an output is unknown.
    """
    ema = _ema()
    if isinstance(ranges, str | Path):
        parameters = scenario_parameters(loaded, read_ranges(ranges), source=ranges)
    else:
        parameters = list(ranges)
    unknown = [output for output in outputs if output not in OUTPUTS]
    if unknown:
        raise ExperimentError(
            Words(
                f"unknown outputs {', '.join(unknown)}; expected some of {', '.join(OUTPUTS)}",
                f"ukendte resultater {', '.join(unknown)}; forventede nogle af "
                f"{', '.join(OUTPUTS)}",
            )
        )
    lever_parameters = _levers(loaded, levers or {})
    model = ema.Model(
        name,
        function=ScenarioFunction(ModelShared(loaded, entropy, replications, years), outputs),
    )
    model.uncertainties = [_uncertainty(ema, parameter) for parameter in parameters]
    model.levers = lever_parameters
    model.outcomes = [ema.ScalarOutcome(output) for output in outputs]
    return model


def _uncertainty(ema: Any, parameter: Parameter) -> Any:
    identifier = python_name(parameter.name)
    if parameter.integer:
        return ema.IntegerParameter(identifier, int(parameter.low), int(parameter.high))
    if parameter.distribution == "triangular" and parameter.mode is not None:
        from scipy import stats

        width = parameter.high - parameter.low
        shape = (parameter.mode - parameter.low) / width
        return ema.RealParameter.from_dist(
            identifier, stats.triang(shape, loc=parameter.low, scale=width)
        )
    return ema.RealParameter(identifier, parameter.low, parameter.high)


def _levers(
    loaded: LoadedScenario, levers: Mapping[str, tuple[float, float] | Sequence[Any]]
) -> list[Any]:
    ema = _ema()
    problems: list[Problem] = []
    result = []
    for key, spec in levers.items():
        if not key.startswith("agreement."):
            problems.append(
                Problem(
                    "levers",
                    key,
                    show_value(spec),
                    Words("an agreement field (agreement.…)", "et felt i aftalen (agreement.…)"),
                )
            )
            continue
        values = list(spec)
        for value in values:
            try:
                loaded.with_overrides({key: value})
            except ScenarioError as error:
                problems.extend(
                    Problem("levers", key, show_value(value), p.expected) for p in error.problems
                )
        if problems:
            continue
        identifier = python_name(key)
        numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
        if isinstance(spec, tuple) and len(values) == 2 and numeric:
            low, high = values
            if all(isinstance(v, int) for v in values):
                result.append(ema.IntegerParameter(identifier, low, high))
            else:
                result.append(ema.RealParameter(identifier, float(low), float(high)))
        else:
            result.append(ema.CategoricalParameter(identifier, values))
    if problems:
        raise ScenarioError(problems)
    return result


def _ema() -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "ipyparallel not installed", deprecations
            import ema_workbench
    except ImportError as error:
        raise ExperimentError(
            Words(
                "the EMA Workbench adapter needs the EMA Workbench: pip install 'blandetby[ema]'",
                "koblingen til EMA Workbench skal bruge EMA Workbench: pip install "
                "'blandetby[ema]'",
            )
        ) from error
    return ema_workbench
