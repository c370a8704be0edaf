"""Blandet By's simulation: scenarios, the legal lists, the agent-based model and its runs.

The package is the composition root of the tool: it reads scenarios, runs the model, stores results
and offers the command line (``blandetby``). The referral optimiser lives in :mod:`optimisation`, a
pure library this package translates into.

Examples
--------
>>> from simulation import load_scenario, simulate, read_run  # doctest: +SKIP
>>> loaded = load_scenario("scenarios/eksempelby.toml")  # doctest: +SKIP
>>> simulate(loaded, "runs/example", entropy=1, replications=4)  # doctest: +SKIP
>>> read_run("runs/example")["area_year"]  # doctest: +SKIP
"""

__version__ = "0.1.0"

from simulation.experiments import compare, read_sweep, sweep
from simulation.lists import classify_areas
from simulation.results import read_run
from simulation.runner import simulate
from simulation.scenario import LoadedScenario, Scenario, load_scenario

__all__ = [
    "LoadedScenario",
    "Scenario",
    "__version__",
    "classify_areas",
    "compare",
    "load_scenario",
    "read_run",
    "read_sweep",
    "simulate",
    "sweep",
]
