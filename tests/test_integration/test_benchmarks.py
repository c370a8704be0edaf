"""The benchmark scripts run (scaled down) and end with the line their issue asks for.

The figures themselves are measured by running the scripts in full; tests never assert timings.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("script", "arguments", "last_line"),
    [
        (
            "simulate_national.py",
            ["--departments", "150", "--years", "2"],
            r"household_months_per_second=\d+ seconds=[\d.]+ peak_rss_mb=\d+",
        ),
        (
            "plan_national.py",
            ["--departments", "200"],
            r"seconds=[\d.]+ cpu_seconds=[\d.]+ build_seconds=[\d.]+ solve_seconds=[\d.]+",
        ),
        (
            "policy_cost.py",
            ["--replications", "1", "--years", "1"],
            r"ratio=[\d.]+ wall_ratio=[\d.]+ first_come_seconds=[\d.]+ optimised_seconds=[\d.]+",
        ),
        (
            "sweep_scaling.py",
            ["--replications", "2", "--years", "1", "--memory-replications", "2", "--repeat", "1"],
            r"replications_per_second_1=[\d.]+ replications_per_second_2=[\d.]+ efficiency=[\d.]+",
        ),
    ],
)
def test_benchmark_prints_its_figure_last(
    script: str, arguments: list[str], last_line: str
) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *arguments],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert re.fullmatch(last_line, done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_policy_table_prints_every_policy_with_its_price(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "policy_table.py"),
            *("--replications", "2", "--years", "2", "--out", str(tmp_path / "table")),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [line for line in done.stdout.splitlines() if line.startswith("| eksempelby")]
    assert [row.split("|")[1].strip() for row in rows] == [
        "eksempelby",
        "eksempelby_optimeret",
        "eksempelby_optimeret-first-come-same-volume",
        "eksempelby_optimeret-threshold-rule",
    ]
    assert "(reference)" in rows[0] and all(len(row.split("|")) == 8 for row in rows)
    assert "| − eksempelby_optimeret-threshold-rule |" in done.stdout
