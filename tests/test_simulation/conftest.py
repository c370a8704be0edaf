"""Fixtures of the simulation tests: hand-made worlds and scripted applicants (see ``worlds.py``).

``worlds.py`` is loaded here by path and registered as the module ``worlds`` (``tests`` is not a
package), so that test modules can ``from worlds import ...`` its builders and applicant kinds.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from simulation.people.households import ApplicantFlags, draw_applicants
from simulation.people.population import HouseholdBatch


def _load_worlds() -> ModuleType:
    if "worlds" in sys.modules:
        return sys.modules["worlds"]
    spec = importlib.util.spec_from_file_location("worlds", Path(__file__).with_name("worlds.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["worlds"] = module
    spec.loader.exec_module(module)
    return module


worlds = _load_worlds()


@pytest.fixture
def make_world() -> Callable[..., worlds.World]:
    """Build a hand-made world: ``make_world(departments=3, seed=0, **overrides)``."""
    return worlds.make_world


@pytest.fixture
def world() -> worlds.World:
    """Three departments (three areas, one organisation), all full, nothing listed."""
    return worlds.make_world()


@pytest.fixture
def script(monkeypatch: pytest.MonkeyPatch) -> worlds.Script:
    """The waiting-list applicants the letting of this test draws: ``script.then(EMPLOYED, ...)``."""
    scripted = worlds.Script()
    monkeypatch.setattr("simulation.rules.letting.draw_applicants", scripted.draw)
    return scripted


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[tuple[HouseholdBatch, ApplicantFlags]]:
    """Every waiting-list applicant the letting of this test draws (really drawn), in order."""
    calls: list[tuple[HouseholdBatch, ApplicantFlags]] = []

    def spy(*args: Any, **keywords: Any) -> tuple[HouseholdBatch, ApplicantFlags]:
        batch, flags = draw_applicants(*args, **keywords)
        calls.append((batch.select(np.arange(len(batch))), flags))  # a copy: the original moves in
        return batch, flags

    monkeypatch.setattr("simulation.rules.letting.draw_applicants", spy)
    return calls
