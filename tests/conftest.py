"""Shared fixtures: paths to the bundled scenarios and a writer of small broken variants."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import matplotlib
import pytest

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
EXAMPLE = SCENARIOS / "eksempelby.toml"
EXAMPLE_CSV = SCENARIOS / "eksempelby_departments.csv"
TOOLS = ROOT / "tests" / "tools"
CHROMIUM = ("/usr/bin/chromium", "chromium", "chromium-browser")
"""Where Debian's chromium may be, for the browser tests (Playwright's own download is not used)."""


@pytest.fixture(scope="session")
def report_fixtures() -> ModuleType:
    """``tests/tools/report_fixtures.py``: the tiny compared world of the report's tests.

    ``tests`` is not a package, so the module is loaded by path (once per process).
    """
    if "report_fixtures" in sys.modules:
        return sys.modules["report_fixtures"]
    spec = importlib.util.spec_from_file_location("report_fixtures", TOOLS / "report_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["report_fixtures"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def chromium() -> str:
    """The path of Debian's chromium for the browser tests; fails, never skips, without it.

    The browser tests are the only proof of the dashboard and of the report's first screen and
    print, so a machine without chromium fails them, saying what to install.
    """
    for name in CHROMIUM:
        found = name if Path(name).is_file() else shutil.which(name)
        if found:
            return found
    pytest.fail(
        "the browser tests need Debian's chromium: apt-get install -y chromium "
        "(`make test` installs it when it runs as root)"
    )


@pytest.fixture
def example() -> Path:
    """The bundled example scenario."""
    return EXAMPLE


@pytest.fixture
def write_scenario(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a TOML scenario into a temporary folder (extending the example by absolute path)."""

    def write(text: str, name: str = "scenario.toml") -> Path:
        path = tmp_path / name
        path.write_text(text.replace("{example}", EXAMPLE.as_posix()), encoding="utf-8")
        return path

    return write
