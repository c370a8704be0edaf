"""The public API: ``__all__``, the lazy ``_PUBLIC`` map and the ``TYPE_CHECKING`` imports agree."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import subprocess
import sys
import types
from pathlib import Path

import optimisation
import simulation

INIT = Path(simulation.__file__)


def is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # its parent is a module, not a package
        return False


def type_checking_imports() -> dict[str, str]:
    """Name: module of every import in the package's ``if TYPE_CHECKING:`` block."""
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    [block] = [
        node
        for node in tree.body
        if isinstance(node, ast.If)
        and isinstance(node.test, ast.Name)
        and node.test.id == "TYPE_CHECKING"
    ]
    names = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names:
            module = f"{node.module}.{alias.name}"
            names[alias.asname or alias.name] = module if is_module(module) else node.module
    return names


DEFINED_HERE = {"__version__", "compare"}
"""Public names the package defines itself (``compare`` wires the experiments to the report)."""


def test_all_public_and_type_checking_name_the_same_things() -> None:
    public = simulation._PUBLIC
    assert sorted(simulation.__all__) == simulation.__all__
    assert set(simulation.__all__) == set(public) | DEFINED_HERE
    lazy = {name: module for name, module in type_checking_imports().items() if name in public}
    assert lazy == public


def test_the_public_compare_draws_the_figures_the_experiments_compare_does_not() -> None:
    import inspect

    from simulation.experiments import compare as experiments

    assert inspect.signature(simulation.compare).parameters["figures"].default is True
    assert inspect.signature(experiments.compare).parameters["figures"].default is None


def test_every_public_name_resolves_from_its_module() -> None:
    for name, module in simulation._PUBLIC.items():
        value = getattr(simulation, name)
        if name in simulation._MODULES:
            assert isinstance(value, types.ModuleType) and value.__name__ == module
        else:
            assert value is getattr(importlib.import_module(module), name)
    from simulation import notebook_tools

    assert notebook_tools.__name__ == "simulation.report.notebook_tools"


def test_every_optimisation_name_resolves() -> None:
    for name in optimisation.__all__:
        assert getattr(optimisation, name) is not None
    assert optimisation.REASON_TEXT["rent"] == "too expensive"


def test_importing_the_package_imports_no_wing() -> None:
    code = (
        "import sys, simulation; "
        "loaded = [m for m in ('mesa', 'matplotlib', 'simulation.model', "
        "'simulation.report.notebook_tools') if m in sys.modules]; "
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
