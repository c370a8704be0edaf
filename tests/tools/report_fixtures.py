"""A tiny world to build reports from: a three-area slice of Eksempelby, compared and planned.

Used by ``tests/test_simulation/test_report.py``, ``tests/test_integration/test_cli_report.py``
and ``tests/tools/screenshot_report.py`` (load it by path; ``tests`` is not a package). Runs are
2 replications × 2 years, so the whole world is made in about two seconds.
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
AREAS = ("nordparken", "vestervang", "engparken")
"""The areas of Eksempelby kept: one udsat, one close to parallelsamfund, one forebyggelse."""

LABELS = ("standard", "hoej")
"""The scenario labels of the comparison (folder names: data, not words of the report)."""


@dataclass(frozen=True)
class TinyWorld:
    """The folders of the tiny world."""

    folder: Path
    standard: Path
    """Scenario file: the legal default (25 % referral share)."""
    hoej: Path
    """Scenario file: 50 % referral share everywhere (extends ``standard``)."""
    compare_dir: Path
    """``compare`` of the two, seed 3, 2 replications × 2 years."""
    plan_dir: Path
    """``optimise`` of ``standard``."""

    @property
    def run_dirs(self) -> list[Path]:
        """The comparison's run folders, reference first."""
        return [self.compare_dir / "runs" / label for label in LABELS]


def write_scenarios(folder: Path) -> tuple[Path, Path]:
    """Write the three-area scenario and its 50 % variant (with their department CSV)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = (SCENARIOS / "eksempelby_departments.csv").read_text(encoding="utf-8").splitlines()
    frame = pd.read_csv(
        io.StringIO("\n".join(line for line in lines if not line.startswith("#"))),
        dtype=str,
        keep_default_na=False,
    )
    kept = pd.concat([frame[frame["area"].isin(AREAS)], frame[frame["area"] == ""].head(3)])
    kept.to_csv(folder / "departments.csv", index=False)
    text = (SCENARIOS / "eksempelby.toml").read_text(encoding="utf-8")
    text = re.sub(
        r"\[areas\.(\w+)\]\n(?:[a-z_]+ = .*\n)*\n?",
        lambda match: match.group(0) if match.group(1) in AREAS else "",
        text,
    )
    text = text.replace(
        'departments_file = "eksempelby_departments.csv"', 'departments_file = "departments.csv"'
    )
    text = text.replace('name = "Eksempelby — legal default"', 'name = "Lille by — standard"')
    text = re.sub(
        r"arrivals_per_year = (\d+)",
        lambda match: f"arrivals_per_year = {max(2, int(match.group(1)) // 4)}",
        text,
    )
    standard = folder / "standard.toml"
    standard.write_text(text, encoding="utf-8")
    hoej = folder / "hoej.toml"
    hoej.write_text(
        'extends = "standard.toml"\nschema_version = 1\nname = "Lille by — høj anvisning"\n'
        "[agreement]\ndefault_referral_share = 0.5\n",
        encoding="utf-8",
    )
    return standard, hoej


def make_tiny_world(folder: Path) -> TinyWorld:
    """Write the scenarios, compare them (seed 3) and plan the first, all under ``folder``."""
    from simulation.cli.main import main
    from simulation.experiments.compare import compare
    from simulation.experiments.executors import InProcessExecutor
    from simulation.inputs.scenario import load_scenario

    standard, hoej = write_scenarios(folder / "scenarios")
    compare_dir = folder / "compare"
    compare(
        [load_scenario(standard), load_scenario(hoej)],
        compare_dir,
        labels=list(LABELS),
        replications=2,
        years=2,
        entropy=3,
        executor=InProcessExecutor(),
        figures=None,
    )
    plan_dir = folder / "plan"
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(["optimise", str(standard), "--out", str(plan_dir)])
    if code != 0:
        raise RuntimeError(f"blandetby optimise failed with exit code {code}")
    return TinyWorld(folder, standard, hoej, compare_dir, plan_dir)
