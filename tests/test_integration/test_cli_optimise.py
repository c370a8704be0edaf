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
    shortfall = printed.split("SHORTFALL", 1)[1]
    assert "homeless_single" in shortfall
    # too few dwellings fit homeless singles (rooms, rent): about 13 fitting slots for 45 a year
    assert "the dwellings that fit the group (rooms, rent) are used up" in shortfall
    fits = pd.read_csv(tmp_path / "p" / "fits.csv")
    singles = fits[fits["pool"] == "homeless_single"]
    assert singles["binding"].any()
    assert singles["referrals"].sum() < 15
