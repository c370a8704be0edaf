"""Shared fixtures: paths to the bundled scenarios and a writer of small broken variants."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
EXAMPLE = SCENARIOS / "eksempelby.toml"
EXAMPLE_CSV = SCENARIOS / "eksempelby_departments.csv"


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
