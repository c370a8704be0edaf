"""The helpers the notebooks share: paths, parameters, error bars, words, the recommendation."""

from __future__ import annotations

import json
import re
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


# --------------------------------------------------------------------------------------------------
# Names, not keys: the notebooks' tables and figures in the language of `language` (issue 13)

EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "eksempelby.toml"
SHARE = "agreement.default_referral_share"
STRENGTH = "behaviour.selective_move_out_strength"
HEADLINES = ["listed_final", "wait_mean_months"]


def _evaluation_tables() -> dict[str, pd.DataFrame]:
    """Small tables shaped as notebook 03 builds them from its sweep."""
    points = [("p000", 0.2, 0.5), ("p001", 0.2, 3.0), ("p002", 0.5, 0.5), ("p003", 0.5, 3.0)]
    summary = pd.DataFrame(
        [
            {"point": p, SHARE: share, STRENGTH: strength, "replications": 2}
            | {
                f"{h}{suffix}": value
                for h in HEADLINES
                for suffix, value in (("", 2.0 + i), ("_low_95", 1.0 + i), ("_high_95", 3.0 + i))
            }
            for i, (p, share, strength) in enumerate(points)
        ]
    ).set_index("point")
    yearly = pd.DataFrame(
        [
            {"year": year, "listed": index + year % 3, SHARE: share, STRENGTH: strength}
            for index, (_, share, strength) in enumerate(points)
            for year in (2026, 2027)
        ]
    )
    levels = pd.DataFrame(
        [
            {"key": key, "value": value, "headline": h, "mean": 2.0, "low_95": 1.5, "high_95": 2.5}
            for key, values in ((SHARE, (0.2, 0.5)), (STRENGTH, (0.5, 3.0)))
            for h in HEADLINES
            for value in values
        ]
    )
    effects = pd.DataFrame(
        [
            {
                "headline": h,
                "key": key,
                "kind": "agreement lever" if key == SHARE else "uncertain",
                "first_value": values[0],
                "last_value": values[1],
                "mean_at_first": 2.0,
                "mean_at_last": 3.5,
                "swing": 1.5,
                "swing_low_95": 0.5,
                "swing_high_95": 2.5,
            }
            for key, values in ((SHARE, (0.2, 0.5)), (STRENGTH, (0.5, 3.0)))
            for h in HEADLINES
        ]
    )
    measures = summary[HEADLINES].reset_index()
    return {
        "summary": summary,
        "yearly": yearly,
        "levels": levels,
        "effects": effects,
        "measures": measures,
    }


def _texts(figure: object) -> list[str]:
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    assert isinstance(figure, Figure)
    return [text.get_text() for text in figure.findobj(Text) if text.get_text().strip()]


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_evaluation_figures_and_tables_name_keys_and_points_in_words(language: str) -> None:
    from simulation.experiments.sweep import DesignPoint
    from simulation.inputs.scenario import load_scenario

    words = notebook_tools.EvaluationWords(language)  # type: ignore[arg-type]
    loaded = load_scenario(EXAMPLE)
    tables = _evaluation_tables()
    points = [
        DesignPoint(str(p), {SHARE: row[SHARE], STRENGTH: row[STRENGTH]})
        for p, row in tables["summary"].iterrows()
    ]
    names = words.names(loaded, [SHARE, STRENGTH], points=points, headlines=HEADLINES)
    uncertain = {SHARE: [0.2, 0.5], STRENGTH: [0.5, 3.0]}
    figures = [
        notebook_tools.headline_points_figure(tables["summary"], HEADLINES, words, names),
        notebook_tools.listed_by_value_figure(tables["yearly"], uncertain, words, names),
        notebook_tools.main_effects_figure(
            tables["levels"], list(uncertain), HEADLINES, words, names
        ),
        notebook_tools.tornado_figure(
            tables["effects"], tables["measures"], HEADLINES, words, names
        ),
    ]
    texts = [text for figure in figures for text in _texts(figure)]
    shown = [
        words.table(tables["summary"], names),
        words.table(tables["effects"].set_index(["headline", "key"]), names),
    ]
    headings = [str(c) for table in shown for c in [*table.columns, *table.index.names]]
    headings += [str(entry) for table in shown for entry in table.index.to_flat_index()]
    keys = [SHARE, STRENGTH, "default_referral_share", "selective_move_out_strength", *HEADLINES]
    keys += ["p000", "first_value", "swing_low_95", "mean_at_last"]
    for text in texts + headings:
        assert not any(key in text for key in keys), text
    assert not {"replications", "headline", "key", "kind", "point"} & set(headings)
    share_name = (
        "Standardandel til kommunal anvisning" if language == "da" else "Default referral share"
    )
    assert any(share_name in text for text in texts) and share_name in headings
    assert any(f"{share_name} 20 %" in text for text in texts)  # a point by its values
    english = ["value", "mean", "list", "Headlines", "Sensitivity", "Main effects", "overall"]
    english += ["replications", "Replications", "Listed", "Referral wait", "first", "last"]
    if language == "da":
        for text in texts + headings:
            assert not any(re.search(rf"\b{word}\b", text) for word in english), text
        assert any("0,5 → 3,0" in text for text in texts)  # decimal commas
    else:
        assert any("0.5 → 3.0" in text for text in texts)


def test_the_plan_tables_name_departments_and_groups_and_translate_their_values() -> None:
    words = notebook_tools.PlanWords("da")
    names = {"D0013": "Nordparken afd. 1"} | words.group_names({"refugees": "Flygtninge"})
    levers = pd.DataFrame(
        {
            "lever": ["referral slot", "fitting dwelling"],
            "department": ["D0013", "D0013"],
            "status": ["not listed", "udsat"],
            "group": ["", "refugees:barred_prevention"],
            "households_per_unit": [1.0, 0.5],
            "above_ceiling": [False, True],
        }
    ).set_index(["lever", "department"])
    shown = words.table(levers, names)
    assert list(shown.columns) == ["Listestatus", "Målgruppe", "Husstande pr. enhed", "Over loftet"]
    assert list(shown.index.names) == ["Greb", "Afdeling"]
    assert shown.index.tolist() == [
        ("anvisningsret", "Nordparken afd. 1"),
        ("passende bolig", "Nordparken afd. 1"),
    ]
    assert shown["Listestatus"].tolist() == ["ikke på en liste", "udsat boligområde"]
    assert (
        shown["Målgruppe"].tolist()[1]
        == "Flygtninge, omfattet af anvisningsforbud (§ 59, stk. 6–7)"
    )
    assert shown["Over loftet"].tolist() == ["nej", "ja"]
    assert levers.index.names == ["lever", "department"], "the table itself keeps its keys"
    pivot = pd.DataFrame(
        {"total": [3.0], "refugees": [3.0]}, index=pd.Index(["D0013"], name="department")
    )
    assert list(words.table(pivot, names).columns) == ["I alt", "Flygtninge"]


def test_danish_tables_show_decimal_commas() -> None:
    table = pd.DataFrame({"x": [1234.5]})
    try:
        notebook_tools.set_display_options(precision=2, language="da")
        assert "1.234,50" in table.to_string() and "1.234,50" in table.to_html()
    finally:
        notebook_tools.set_display_options()
    assert "1234.5" in table.to_string()
