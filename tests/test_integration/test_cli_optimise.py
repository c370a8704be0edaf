"""``blandetby optimise``: the plan for a period from a scenario, with its explanation."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from simulation.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "eksempelby.toml"


@pytest.mark.parametrize("extra", [[], ["--integer", "--solver", "cbc"]])
def test_optimise_writes_plan_explanation_and_figure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    out = tmp_path / "plan"
    assert main(["optimise", str(EXAMPLE), "--out", str(out), *extra]) == 0
    printed = capsys.readouterr().out
    assert "referral plan for 12 months" in printed and "households placed" in printed
    plan = pd.read_csv(out / "plan.csv")
    assert set(plan.columns) >= {"department", "group", "referrals"}
    departments = pd.read_csv(out / "departments.csv")
    assert len(departments) == 60
    # the CSV holds 6 significant digits: a plan at its slots may round one unit above them
    slack = 1e-5 * departments["slots"].abs().clip(lower=1.0)
    assert (departments["referrals"] <= departments["slots"] + slack).all()
    assert "# " in (out / "explanation.md").read_text(encoding="utf-8")
    assert (out / "plan.png").stat().st_size > 10_000
    if "--integer" in extra:
        assert (plan["referrals"] == plan["referrals"].round()).all()


def test_optimise_stepped_model_explains_a_shortfall(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stepped = ROOT / "scenarios" / "eksempelby_trappemodel.toml"
    assert main(["optimise", str(stepped), "--out", str(tmp_path / "p")]) == 0
    printed = capsys.readouterr().out
    assert "SHORTFALL" in printed
    shortfall = " ".join(printed.split("SHORTFALL", 1)[1].split())  # wrapped to the terminal
    assert "Homeless singles" in shortfall and "homeless_single" not in shortfall  # names
    # too few dwellings fit homeless singles (rooms, rent): about 13 fitting slots for 45 a year
    assert "the dwellings that fit the group (rooms, rent) are used up" in shortfall
    fits = pd.read_csv(tmp_path / "p" / "fits.csv")
    singles = fits[fits["pool"] == "homeless_single"]
    assert singles["binding"].any()
    assert singles["referrals"].sum() < 15


def test_optimise_explains_in_danish_with_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stepped = ROOT / "scenarios" / "eksempelby_trappemodel.toml"
    argv = ["optimise", str(stepped), "--out", str(tmp_path / "p"), "--lang", "da"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "anvisningsplan for 12 måneder" in printed and "MANGEL" in printed
    flowing = " ".join(printed.split())
    assert "Hjemløse enlige, omfattet af anvisningsforbud (§ 59, stk. 6)" in flowing
    assert "'Nordparken afd. 1'" in flowing and "D0001" not in flowing  # names, not codes
    assert "homeless_single" not in flowing
    for english in (" the ", " of ", " households ", " department "):
        assert english not in flowing, english
    markdown = (tmp_path / "p" / "explanation.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Anvisningsplan") and "## Bindende grænser" in markdown
