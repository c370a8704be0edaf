"""Blandet By's simulation: scenarios, the legal lists, the agent-based model and its runs.

The package is the composition root of the tool: it reads scenarios, runs the model, stores results
and offers the command line (``blandetby``). The referral optimiser lives in :mod:`optimisation`, a
pure library this package translates into.
"""

from simulation.lists import classify_areas
from simulation.scenario import LoadedScenario, Scenario, load_scenario

__all__ = ["LoadedScenario", "Scenario", "classify_areas", "load_scenario"]

__version__ = "0.1.0"
