"""The helpers the notebooks share: paths, parameters, error bars, words, the recommendation."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation import notebook_tools
from simulation.experiments.frontier import FRONTIER_LISTS, FRONTIER_SPEEDS


def test_relative_paths_are_read_from_the_repository_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "notebooks").mkdir()
    for start in (tmp_path, tmp_path / "notebooks"):  # papermill at the root; Jupyter
        monkeypatch.chdir(start)
        assert notebook_tools.repository_root() == tmp_path
        assert notebook_tools.repository_path("runs/x") == tmp_path / "runs" / "x"
    assert notebook_tools.repository_path(tmp_path / "a.toml") == tmp_path / "a.toml"
    # a folder called notebooks elsewhere is not the repository's
    (tmp_path / "other" / "notebooks").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "other" / "notebooks")
    assert notebook_tools.repository_root() == tmp_path / "other" / "notebooks"


def test_parameters_passed_as_text_by_papermill() -> None:
    assert notebook_tools.parameter_list(" a.toml,b.toml ") == ["a.toml", "b.toml"]
    assert notebook_tools.parameter_list('["a.toml", "b, c.toml"]') == ["a.toml", "b, c.toml"]
    assert notebook_tools.parameter_list(("x",)) == ["x"]
    assert notebook_tools.parameter_mapping('{"k": [1, 2]}') == {"k": [1, 2]}
    assert notebook_tools.parameter_mapping({"k": 1}) == {"k": 1}


def test_parameter_checks_name_every_wrong_parameter() -> None:
    notebook_tools.check_comparison_parameters(
        ["a", "b"], 2, next(iter(FRONTIER_SPEEDS)), FRONTIER_LISTS[0], "da"
    )
    with pytest.raises(ValueError, match=r"scenarios: .*; replications: .*; language: "):
        notebook_tools.check_comparison_parameters(
            ["a"], 1, *[*FRONTIER_SPEEDS][:1], "listed_final", "de"
        )
    notebook_tools.check_evaluation_parameters(
        {"k": [1, 2]}, 2, ["listed_final"], {"listed_final": 1}
    )
    with pytest.raises(
        ValueError, match=r"uncertain\['k'\].*; headlines: 'nope'.*; relevant_change"
    ):
        notebook_tools.check_evaluation_parameters({"k": [1, 1]}, 2, ["nope"], {})


def test_error_bars_are_distances_from_the_centre_and_nan_draws_none() -> None:
    bars = notebook_tools.error_bars(pd.Series([2.0, 5.0]), np.array([1.0, np.nan]), [4.0, 6.0])
    np.testing.assert_array_equal(bars, [[1.0, 0.0], [2.0, 1.0]])


def test_referral_subgroups_name_their_group() -> None:
    assert notebook_tools.referral_group_of("refugees:barred_udsat") == ("refugees", True)
    assert notebook_tools.referral_group_of("refugees:barred_prevention") == ("refugees", True)
    assert notebook_tools.referral_group_of("refugees") == ("refugees", False)


def test_comparison_words_format_levels_changes_and_intervals() -> None:
    row = pd.Series(
        {
            "reference_mean": 0.95,
            "scenario_mean": 0.997,
            "difference_mean": 0.047,
            "difference_low_95": -0.307,
            "difference_high_95": 0.402,
            "clear": False,
        }
    )
    english = notebook_tools.ComparisonWords("en")
    assert english.evidence("housed_within_6_months_share", row) == (
        "share housed within 6 months: 95.0 % → 99.7 %, +4.7 pp (95 % interval -30.7 to +40.2 pp; "
        "not distinguishable from no change)"
    )
    danish = notebook_tools.ComparisonWords("da")
    wait = pd.Series(
        {
            "reference_mean": 2.0,
            "scenario_mean": 1.5,
            "difference_mean": -0.5,
            "difference_low_95": -1.0,
            "difference_high_95": 0.0,
            "clear": True,
        }
    )
    assert danish.evidence("wait_mean_months", wait, name="Flygtninge") == (
        "Flygtninge: 2,0 måneder → 1,5 måneder, -0,5 måneder (95 %-interval -1,0 til 0,0 måneder; "
        "statistisk sikker)"
    )
    assert english.number(1234.5, 1) == "1,234.5" and danish.number(1234.5, 1) == "1.234,5"
    assert english.text.keys() == danish.text.keys()


def test_the_recommendation_is_written_and_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        "**Choice**",
        "Against:",
        "- one",
        "- two",
        notebook_tools.synthetic_note(["Eksempelby"]),
    ]
    text = notebook_tools.publish_recommendation(lines, tmp_path / "out", {"chosen": "a"})
    assert text == (
        "**Choice**\n\nAgainst:\n- one\n- two\n\n**Synthetic data:** Eksempelby is a made-up "
        "municipality; this recommendation illustrates the method and says nothing about a real one."
    )
    assert (tmp_path / "out" / "recommendation.md").read_text(encoding="utf-8") == text + "\n"
    assert json.loads((tmp_path / "out" / "recommendation.json").read_text()) == {"chosen": "a"}
    assert "Markdown" in capsys.readouterr().out  # shown (outside a kernel: as its repr)
