"""``blandetby profile``."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulation.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "eksempelby.toml"


def test_profile_prints_and_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile", str(EXAMPLE), "--out", str(tmp_path / "p")]) == 0
    out = capsys.readouterr().out
    assert "Areas: criteria and lists" in out and "Nordparken" in out
    assert "Referral need and referral capacity" in out
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == [
        "profile_areas.csv",
        "profile_departments.csv",
        "profile_groups.csv",
        "profile_organisations.csv",
    ]


def test_profile_refuses_a_file_as_output_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = tmp_path / "taken"
    taken.write_text("")
    assert main(["profile", str(EXAMPLE), "--out", str(taken)]) == 2
    assert "is a file; expected a folder" in capsys.readouterr().err
