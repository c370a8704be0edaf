"""The architecture holds at run time too: light wings stay light, the public API is importable.

The import contracts themselves (layers, no cycles, the optimiser's purity) are checked by
``lint-imports`` in ``make test`` (see ``[tool.importlinter]`` in pyproject.toml); these tests
check what a user notices: what importing a module costs.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("mesa", "matplotlib", "simulation.experiments.runner", "simulation.report", "pulp")


@pytest.mark.parametrize(
    "module",
    [
        "simulation.law.lists",
        "simulation.rules.letting",
        "simulation.rules.december",
        "simulation.rules.referrals",
        "simulation.inputs.scenario",
        "simulation.people.population",
    ],
)
def test_a_rules_module_imports_no_mesa_no_matplotlib_no_runner(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        f"loaded = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"importing {module} loaded {result.stdout.strip()}"
