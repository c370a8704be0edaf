"""Blandet By's simulation: scenarios, the legal lists, the agent-based model and its runs.

The package is the composition root of the tool: it reads scenarios, runs the model, stores results
and offers the command line (``blandetby``). The referral optimiser lives in :mod:`optimisation`, a
pure library this package translates into. ``docs/architecture.md`` shows the wings.

The names below are the public API. They are imported on first use, so that importing one wing
(say :mod:`simulation.law.lists`) does not pull in the model, Mesa or the report. The notebooks in
``notebooks/`` use only these names; what they share (paths, figures, the recommendation) is the
module ``notebook_tools`` (:mod:`simulation.report.notebook_tools`).

Examples
--------
>>> from simulation import load_scenario, simulate, read_run  # doctest: +SKIP
>>> loaded = load_scenario("scenarios/eksempelby.toml")  # doctest: +SKIP
>>> simulate(loaded, "runs/example", entropy=1, replications=4)  # doctest: +SKIP
>>> read_run("runs/example")["area_year"]  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from simulation.base.version import __version__

if TYPE_CHECKING:
    from simulation.experiments.compare import Comparison
    from simulation.experiments.executors import make_executor
    from simulation.experiments.frontier import pareto_front
    from simulation.experiments.measures import paired_differences, run_measures, t_interval
    from simulation.experiments.results import read_run
    from simulation.experiments.robustness import scenario_robustness
    from simulation.experiments.runner import simulate
    from simulation.experiments.sensitivity import scenario_sensitivity
    from simulation.experiments.sweep import Variation, read_sweep, sweep
    from simulation.experiments.workbench import workbench_model
    from simulation.inputs.scenario import LoadedScenario, Scenario, load_scenario
    from simulation.law.lists import classify_areas
    from simulation.model import HousingModel
    from simulation.planning import plan_for_scenario
    from simulation.report import notebook_tools
    from simulation.report.profile import build_profile
    from simulation.report.sensitivity_plots import sensitivity_figure

_PUBLIC = {
    "HousingModel": "simulation.model",
    "LoadedScenario": "simulation.inputs.scenario",
    "Scenario": "simulation.inputs.scenario",
    "Variation": "simulation.experiments.sweep",
    "build_profile": "simulation.report.profile",
    "classify_areas": "simulation.law.lists",
    "load_scenario": "simulation.inputs.scenario",
    "make_executor": "simulation.experiments.executors",
    "notebook_tools": "simulation.report.notebook_tools",
    "paired_differences": "simulation.experiments.measures",
    "pareto_front": "simulation.experiments.frontier",
    "plan_for_scenario": "simulation.planning",
    "read_run": "simulation.experiments.results",
    "read_sweep": "simulation.experiments.sweep",
    "run_measures": "simulation.experiments.measures",
    "scenario_robustness": "simulation.experiments.robustness",
    "scenario_sensitivity": "simulation.experiments.sensitivity",
    "sensitivity_figure": "simulation.report.sensitivity_plots",
    "simulate": "simulation.experiments.runner",
    "sweep": "simulation.experiments.sweep",
    "t_interval": "simulation.experiments.measures",
    "workbench_model": "simulation.experiments.workbench",
}
"""Public name: the module it lives in (for a module among them, the module itself)."""

_MODULES = frozenset({"notebook_tools"})
"""Public names that are modules (a namespace of helpers), not names defined in one."""

__all__ = [
    "HousingModel",
    "LoadedScenario",
    "Scenario",
    "Variation",
    "__version__",
    "build_profile",
    "classify_areas",
    "compare",
    "load_scenario",
    "make_executor",
    "notebook_tools",
    "paired_differences",
    "pareto_front",
    "plan_for_scenario",
    "read_run",
    "read_sweep",
    "run_measures",
    "scenario_robustness",
    "scenario_sensitivity",
    "sensitivity_figure",
    "simulate",
    "sweep",
    "t_interval",
    "workbench_model",
]


def compare(*args: Any, figures: bool = True, **kwargs: Any) -> Comparison:
    """Run scenarios paired and compare them, with the figures (see the experiments' compare).

    The same as :func:`simulation.experiments.compare.compare`, but ``figures=True`` (the
    default) draws the report's figures into the comparison folder: the experiments compute, the
    report draws, and this package wires the two.
    """
    from simulation.experiments.compare import compare as run_comparison
    from simulation.report.experiment_plots import save_comparison_figures

    return run_comparison(*args, figures=save_comparison_figures if figures else None, **kwargs)


def __getattr__(name: str) -> Any:
    """Import a public name from its wing on first use (PEP 562)."""
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'simulation' has no attribute {name!r}")
    imported = importlib.import_module(module)
    value = imported if name in _MODULES else getattr(imported, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))
