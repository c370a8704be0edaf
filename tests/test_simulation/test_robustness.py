"""Robustness: paired samples of two agreements and PRIM's box where the decision flips."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

from simulation.experiments.folders import ExperimentError
from simulation.experiments.robustness import (
    PairShared,
    evaluate_pair,
    robustness,
)
from simulation.experiments.sensitivity import SampleTask
from simulation.inputs.scenario import load_scenario
from simulation.inputs.uncertainty import Parameter

ROOT = Path(__file__).resolve().parents[2]

PARAMETERS = [
    Parameter("behaviour.x1", 0.0, 1.0),
    Parameter("behaviour.x2", 0.0, 1.0),
    Parameter("behaviour.x3", 0.0, 1.0),
]


def planted(shared: Any, task: SampleTask) -> dict[str, float]:
    """A synthetic pair: A has fewer listed area-years unless x1 > 0.7 and x2 < 0.3."""
    x1, x2, x3 = (task.values[p.name] for p in PARAMETERS)
    flip = x1 > 0.7 and x2 < 0.3
    a = 10.0 + x3  # x3 moves both alike: it must not enter the box
    return {"a_listed_area_years": a, "b_listed_area_years": a + (-1.0 if flip else 1.0)}


def _limits(sentence: str, name: str, sign: str) -> float:
    match = re.search(rf"{re.escape(name)} {sign} ([0-9.]+)", sentence)
    assert match, sentence
    return float(match.group(1))


def test_prim_finds_a_planted_flip(tmp_path: Path) -> None:
    outcome = robustness(planted, None, PARAMETERS, tmp_path / "rob", samples=400, names=("A", "B"))
    assert outcome.complete and outcome.flip is not None
    flip = outcome.flip
    sentence = flip.sentence
    assert sentence.startswith("A beats B on listed area-years")
    assert _limits(sentence, "behaviour.x1", ">") == pytest.approx(0.7, abs=0.05)
    assert _limits(sentence, "behaviour.x2", "<") == pytest.approx(0.3, abs=0.05)
    assert "behaviour.x3" not in sentence
    assert flip.coverage >= 0.8 and flip.density >= 0.8
    assert flip.a_wins == pytest.approx(1 - 0.3 * 0.3, abs=0.05)
    manifest = json.loads((tmp_path / "rob" / "robustness.json").read_text())
    assert manifest["status"] == "complete" and manifest["finding"] == sentence
    assert (tmp_path / "rob" / "box.csv").is_file()


def test_no_flip_is_said_plainly(tmp_path: Path) -> None:
    def never(shared: Any, task: SampleTask) -> dict[str, float]:
        return {"a_listed_area_years": 1.0, "b_listed_area_years": 2.0}

    outcome = robustness(never, None, PARAMETERS, tmp_path / "never", samples=20)
    assert outcome.flip is not None and "at every sample" in outcome.flip.sentence
    assert math.isnan(outcome.flip.coverage)


def test_an_unknown_output_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ExperimentError, match="expected one of"):
        robustness(planted, None, PARAMETERS, tmp_path / "x", output="happiness")


def test_paired_model_evaluation_uses_the_same_seeds() -> None:
    """The same scenario as A and B: every output equal at a sample (common random numbers)."""
    loaded = load_scenario(ROOT / "scenarios" / "eksempelby.toml")
    row = evaluate_pair(
        PairShared(loaded, loaded, entropy=1, years=2),
        SampleTask(0, {"behaviour.selective_move_out_strength": 2.0}),
    )
    assert row["a_listed_area_years"] == row["b_listed_area_years"]
    assert (
        row["a_outside_work_education_share_final"] == row["b_outside_work_education_share_final"]
    )


def test_command_refuses_a_range_invalid_in_either_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from simulation.cli.main import main

    ranges = tmp_path / "ranges.toml"
    ranges.write_text(
        'schema_version = 1\n[[parameter]]\npath = "referral_groups.nobody.leave_queue_per_year"\n'
        "low = 0.1\nhigh = 0.2\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    code = main(
        [
            "robustness",
            str(ROOT / "scenarios" / "eksempelby.toml"),
            str(ROOT / "scenarios" / "eksempelby_fleksibel.toml"),
            "--ranges",
            str(ranges),
            "--out",
            str(out),
        ]
    )
    error = capsys.readouterr().err
    assert code == 2 and "parameter[0].path" in error and "Traceback" not in error
    assert not out.exists()


@pytest.mark.slow
def test_command_runs_two_agreements_paired_and_says_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from simulation.cli.main import main

    ranges = tmp_path / "ranges.toml"
    ranges.write_text(
        'schema_version = 1\n[[parameter]]\npath = "applicants.employed_share"\n'
        'low = 0.45\nhigh = 0.65\n[[parameter]]\npath = "behaviour.job_finding_per_year"\n'
        "low = 0.08\nhigh = 0.2\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    code = main(
        [
            "robustness",
            str(ROOT / "scenarios" / "eksempelby.toml"),
            str(ROOT / "scenarios" / "eksempelby_fleksibel.toml"),
            "--ranges",
            str(ranges),
            "--samples",
            "4",
            "--years",
            "2",
            "--workers",
            "1",
            "--quiet",
            "--out",
            str(out),
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0
    assert "on listed area-years" in printed.splitlines()[0]
    manifest = json.loads((out / "robustness.json").read_text())
    assert manifest["status"] == "complete" and len(list((out / "samples").glob("*.json"))) == 4
    # the Danish finding, with the agreements' Danish names, for the report's Danish section
    assert manifest["finding_da"].startswith("Eksempelby — lovens standard er ")
    from simulation.report.robustness_section import what_would_change_section

    danish = what_would_change_section(out, None, "da")
    assert manifest["finding_da"].split(" (")[0] in danish and "on listed area-years" not in danish


def test_report_section_says_the_finding_the_box_and_the_drivers(tmp_path: Path) -> None:
    from simulation.experiments.sensitivity import ishigami, run_sensitivity
    from simulation.report.html import escape
    from simulation.report.robustness_section import what_would_change_section

    outcome = robustness(planted, None, PARAMETERS, tmp_path / "rob", samples=200)
    inputs = [Parameter(name, -math.pi, math.pi) for name in ("x1", "x2", "x3")]
    run_sensitivity(ishigami, None, inputs, ["y"], tmp_path / "sens", method="morris", samples=8)
    html = what_would_change_section(tmp_path / "rob", tmp_path / "sens", "en")
    assert "What would change the answer" in html
    assert outcome.flip is not None and escape(outcome.flip.sentence) in html
    assert "behaviour.x1" in html and "behaviour.x2" in html and "mu_star" in html
    danish = what_would_change_section(tmp_path / "rob", None, "da")
    assert "Hvad ville ændre svaret" in danish
