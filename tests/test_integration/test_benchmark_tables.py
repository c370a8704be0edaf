"""The scripts behind MODEL.md's calibration and lever tables run and print their tables."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(*arguments: str) -> str:
    done = subprocess.run(
        [sys.executable, *arguments],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.slow
def test_calibration_prints_each_quantity_within_reason() -> None:
    out = _run(str(ROOT / "benchmarks" / "calibration.py"), "--seeds", "1", "--years", "2")
    rows = {
        line.split("|")[1].strip(): line.split("|")[2].strip()
        for line in out.splitlines()
        if line.startswith("| ") and not line.startswith("| quantity")
    }
    turnover = float(rows["turnover of family dwellings per year"].rstrip(" %"))
    assert 8.0 < turnover < 13.0, "the turnover the department data gives, about 10.5 %"
    assert 1.5 < float(rows["persons per household"]) < 2.0
    assert rows["the same, in areas on no list"].endswith("%")
    assert re.fullmatch(r"seconds=[\d.]+", out.strip().splitlines()[-1])


@pytest.mark.slow
def test_lever_table_has_a_row_per_lever_with_intervals(tmp_path: Path) -> None:
    out = _run(
        str(ROOT / "benchmarks" / "lever_table.py"),
        *("--replications", "2", "--years", "1", "--workers", "1", "--out", str(tmp_path / "t")),
    )
    rows = [line for line in out.splitlines() if line.startswith("| ") and "lever" not in line]
    assert [row.split("|")[1].strip() for row in rows] == [
        "referral share 1 in 10",
        "referral share 1 in 2",
        "combined letting (§ 51 b)",
        "claims carried over 3 months",
        "flexible letting",
        "stepped model",
    ]
    assert all(len(row.split("|")) == 8 for row in rows)
    assert "left out" not in out, "every lever's field is in the schema"
    assert re.fullmatch(r"seconds=[\d.]+", out.strip().splitlines()[-1])
