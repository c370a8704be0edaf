"""The optimiser's import layers: a pure library, and no import cycles, lazy ones included.

Every ``import`` statement of every module under ``optimisation/`` is read with :mod:`ast`,
wherever it stands: at the top, inside a function (a lazy import) or under ``if TYPE_CHECKING:``.
A cycle that only a lazy or type-checking import closes is still a cycle: the modules cannot be
understood, or moved, one without the other.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = "optimisation"
ROOT = Path(__file__).resolve().parents[2] / PACKAGE
FORBIDDEN = ("simulation", "mesa")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def imported(name: str, path: Path) -> set[str]:
    """Every module ``name`` imports, anywhere in its source (absolute names)."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            # "from optimisation import solvers" imports the submodule optimisation.solvers
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def internal_graph() -> dict[str, set[str]]:
    """Edges between the package's own modules."""
    return {
        name: {other for other in imported(name, path) if other in MODULES and other != name}
        for name, path in MODULES.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_package_is_found() -> None:
    assert {"optimisation", "optimisation.problem", "optimisation.solvers"} <= set(MODULES)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_imports_the_simulation_or_mesa(name: str) -> None:
    bad = sorted(
        module for module in imported(name, MODULES[name]) if module.split(".")[0] in FORBIDDEN
    )
    assert not bad, f"{name} imports {bad}"


def test_no_import_cycle() -> None:
    graph = internal_graph()
    # the package imports its modules to export their names; a module never imports the package
    importers = sorted(name for name, targets in graph.items() if PACKAGE in targets)
    assert not importers, f"modules that import the package itself: {importers}"
    assert cycles(graph) == []


def test_the_cycle_finder_finds_lazy_and_type_checking_cycles(tmp_path: Path) -> None:
    source = {
        "a": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.b import B\n",
        "b": "def f():\n    from pkg import c\n",
        "c": "import pkg.a\n",
        "d": "from . import a\n",
    }
    graph = {}
    for name, text in source.items():
        path = tmp_path / "pkg" / f"{name}.py"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
        graph[f"pkg.{name}"] = {
            other
            for other in imported(f"pkg.{name}", path)
            if other in {f"pkg.{n}" for n in source}
        }
    assert graph["pkg.d"] == {"pkg.a"}
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.c"]]


def test_docs_references_point_into_the_repository() -> None:
    """Every ``docs/*.md`` a module names exists, with every section named next to it."""
    mentions = 0
    for path in MODULES.values():
        text = " ".join(path.read_text(encoding="utf-8").split())
        assert "DESIGN.md" not in text and "DOMAIN.md" not in text, path
        for match in re.finditer(r"``(docs/[\w-]+\.md)``", text):
            mentions += 1
            document = ROOT.parent / match[1]
            assert document.is_file(), f"{path.name} names {match[1]}"
            headings = {
                line.lstrip("#").strip()
                for line in document.read_text(encoding="utf-8").splitlines()
                if line.startswith("## ")
            }
            window = text[max(0, match.start() - 80) : match.end() + 120]
            for section in re.findall(r'"([A-Z][^"]*)"', window):
                assert section in headings, f"{path.name}: no section {section!r} in {match[1]}"
    assert mentions >= 5
