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
        notebook_tools.headline_points_figure(
            tables["summary"], HEADLINES, words, names, [SHARE, STRENGTH]
        ),
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
    # a point by its values in the keys' order, the keys named once on the axis
    assert any(text.startswith("20 % · ") for text in texts)
    assert not any(f"{share_name} 20 %" in text for text in texts)
    [axis_title] = [axis.get_ylabel() for axis in figures[0].axes if axis.get_ylabel()]
    assert axis_title.splitlines()[1:] == [names[SHARE], names[STRENGTH]]
    for axis in figures[0].axes:  # each headline by its name, then what it measures
        name, *meaning = axis.get_title().splitlines()
        assert meaning and " ".join(meaning) != name
    below = tables["summary"].copy()  # a few replications' interval reaching below 0 …
    below[[f"{headline}_low_95" for headline in HEADLINES]] = -1.0
    clipped = notebook_tools.headline_points_figure(below, HEADLINES, words, names)
    for axis in clipped.axes:  # … stops at 0: no count or wait is negative
        for line in axis.get_lines():
            assert min(line.get_xdata(), default=0.0) >= 0.0
    levels = tables["levels"].assign(low_95=-1.0)  # the main effects' intervals too
    effects = notebook_tools.main_effects_figure(levels, list(uncertain), HEADLINES, words, names)
    for axis in effects.axes:
        for line in axis.get_lines():
            assert min(line.get_ydata(), default=0.0) >= 0.0
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


# --------------------------------------------------------------------------------------------------
# Notebook 01 (the comparison of agreements): agreements, indicators and groups by name

COMPARED = ["eksempelby", "eksempelby_hoej_anvisning"]
SNAKE_CASE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")
"""A column key (``risk_vs_safest_low_95``, ``eksempelby_hoej_anvisning``) left in a heading."""


def _compared() -> list[object]:
    from simulation.inputs.scenario import load_scenario

    return [load_scenario(EXAMPLE.with_name(f"{label}.toml")) for label in COMPARED]


def _comparison_tables() -> dict[str, pd.DataFrame]:
    """Small tables shaped as notebook 01 gets them from its comparison."""
    reference, other = COMPARED
    headline = pd.DataFrame(
        {
            "indicator": ["listed_final", "housed_within_6_months_share"],
            reference: [3.0, 0.906],
            other: [3.5, 0.995],
            f"{other}_minus_{reference}_difference": [0.5, 0.089],
            f"{other}_minus_{reference}_low_95": [-0.25, 0.0123],
            f"{other}_minus_{reference}_high_95": [1.25, 0.1657],
        }
    )
    differences = pd.DataFrame(
        {
            "scenario": [other, other],
            "reference": [reference, reference],
            "indicator": ["wait_mean_months", "housed_within_6_months_share"],
            "pairs": [2, 2],
            "reference_mean": [1.04, 0.906],
            "scenario_mean": [0.14, 0.995],
            "difference_mean": [-0.9, 0.089],
            "difference_sd": [0.1, 0.01],
            "difference_low_95": [-2.14, 0.0123],
            "difference_high_95": [0.35, 0.1657],
            "clear": [False, True],
        }
    )
    per_group = pd.DataFrame(
        [
            {
                "scenario": label,
                "replication": replication,
                "group": group,
                "arrived": 10,
                "housed": 8,
                "still_waiting": 2 + replication,
                "median_wait_months": 2.5 + replication + index,
                "mean_wait_months": 3.25 + replication,
            }
            for index, label in enumerate(COMPARED)
            for replication in (0, 1)
            for group in ("homeless_single", "refugees")
        ]
    )
    decision = pd.DataFrame(
        {
            "agreement": ["Legal default", "High referral share"],
            "housed_within_6_months_share": [0.906, 0.995],
            "listed_area_years": [11.0, 11.5],
            "risk_vs_safest_mean": [0.0, 0.5],
            "risk_vs_safest_low_95": [0.0, -5.9],
            "risk_vs_safest_high_95": [0.0, 6.9],
            "acceptable": [True, True],
            "pareto": [False, True],
            "recommended": [False, True],
        },
        index=pd.Index(COMPARED, name="scenario"),
    )
    headroom = pd.DataFrame(
        {
            "scenario": [*COMPARED, *COMPARED],
            "area_name": ["Nordparken", "Nordparken", "D0050", "D0050"],
            "criterion": ["outside_work_education_share"] * 4,
            "headroom_mean": [-0.0634, -0.0581, 0.0154, 0.0412],
        }
    )
    return {
        "headline": headline,
        "differences": differences,
        "per_group": per_group,
        "decision": decision,
        "headroom": headroom,
    }


def _headings(table: pd.DataFrame) -> list[str]:
    """Every heading a displayed table shows: column labels, index names and index entries."""
    found = [str(part) for label in table.columns.to_flat_index() for part in np.atleast_1d(label)]
    found += [str(name) for name in [*table.index.names, *table.columns.names] if name]
    found += [str(part) for entry in table.index.to_flat_index() for part in np.atleast_1d(entry)]
    return found


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_comparison_tables_name_agreements_indicators_and_groups(language: str) -> None:
    words = notebook_tools.ComparisonWords(language)  # type: ignore[arg-type]
    loaded = _compared()
    names = words.scenario_names(loaded, COMPARED)  # type: ignore[arg-type]
    groups = words.referral_group_names(loaded[0])  # type: ignore[arg-type]
    tables = _comparison_tables()
    shown = {
        "overview": words.overview_table(loaded, COMPARED, names),  # type: ignore[arg-type]
        "headline": words.headline_table(tables["headline"], COMPARED, names),
        "differences": words.differences_table(tables["differences"], names),
        "groups": words.differences_table(
            tables["differences"].assign(group="refugees"),
            names | groups,
            by="group",
            measure="wait_median_months",
        ),
        "waits": words.waits_table(tables["per_group"], COMPARED, names | groups),
        "decision": words.decision_table(
            tables["decision"], "housed_within_6_months_share", "listed_area_years", names
        ),
        "headroom": words.headroom_table(
            tables["headroom"], COMPARED, names | {"D0050": "Afdeling 50"}, rows=8
        ),
    }
    headings = [heading for table in shown.values() for heading in _headings(table)]
    keys = [heading for heading in headings if SNAKE_CASE.search(heading)]
    assert not keys, f"keys in the headings: {keys}"
    assert "D0050" not in headings and "Afdeling 50" in headings  # an area without a name
    values = [str(v) for table in shown.values() for v in table.to_numpy().ravel()]
    if language == "da":
        assert names == {
            "eksempelby": "Lovens standard (1 ud af 4)",
            "eksempelby_hoej_anvisning": "Høj anvisningsandel (1 ud af 2)",
        }
        assert groups["homeless_single"] == "Hjemløse enlige"
        assert list(shown["decision"].columns) == [
            "Bolig inden for 6 mdr.",
            "Områdeår på en liste, alle år",
            "Listerisiko mod den sikreste aftale [95 %-interval]",
            "Acceptabel",
            "Ikke slået på begge mål",
            "Anbefalet",
        ]
        assert shown["decision"].index.name == "Scenarie"
        assert shown["decision"]["Anbefalet"].tolist() == ["nej", "ja"]
        assert shown["decision"].iloc[:, 0].tolist() == ["90,6 %", "99,5 %"]
        assert shown["decision"].iloc[1, 2] == "+0,5 [-5,9; +6,9]"
        assert shown["overview"].loc["Høj anvisningsandel (1 ud af 2)"].tolist() == [
            "eksempelby_hoej_anvisning.toml",
            "50 %",
            "0 %",
            "nej",
            "–",
            "først til mølle",
            "ja",
        ]
        assert "Standardandel til kommunal anvisning" in shown["overview"].columns
        headline = shown["headline"]
        assert headline.index.name == "Nøgletal"
        assert headline.loc["Bolig inden for 6 mdr."].tolist() == [
            "90,6 %",
            "99,5 %",
            "+8,9 procentpoint [+1,2; +16,6]",
        ]
        assert headline.columns[-1] == (
            "Høj anvisningsandel (1 ud af 2) − Lovens standard (1 ud af 4) [95 %-interval]"
        )
        differences = shown["differences"]
        assert differences.index.names == ["Scenarie", "Nøgletal"]
        assert differences.loc[(names[COMPARED[1]], "Ventetid, middel (mdr.)")].tolist() == [
            2,
            "1,0",
            "0,1",
            "-0,9 [-2,1; +0,3]",
            "nej",
        ]
        assert shown["groups"].index.names == ["Scenarie", "Målgruppe"]
        assert "Flygtninge" in shown["groups"].index.get_level_values(1)
        waits = shown["waits"]
        assert waits.index.name == "Målgruppe" and waits.columns.names == ["Mål", "Scenarie"]
        assert waits.loc["Hjemløse enlige", ("Median ventetid (måneder)", names["eksempelby"])] == (
            "3,0"
        )
        assert shown["headroom"].loc["Nordparken"].tolist() == ["-6,3", "-5,8"]
        english = ["Scenario", "Indicator", "Difference", "Recommended", "yes", "no", "mean"]
        english += ["Referral group", "Area", "months", "True", "False", "Housed"]
        for text in headings + values:
            assert not any(re.search(rf"\b{word}\b", text) for word in english), text
        assert not any(re.search(r"\d\.\d", value) for value in values), "a decimal point"
    else:
        assert names["eksempelby_hoej_anvisning"] == "High referral share (1 in 2)"
        assert shown["decision"]["Recommended"].tolist() == ["no", "yes"]
        assert shown["headline"].loc["Housed within 6 months"].iloc[-1] == "+8.9 pp [+1.2, +16.6]"
        assert "What it measures" in shown["headline"].columns
    assert list(tables["decision"].columns)[-1] == "recommended", "the table itself keeps its keys"


def test_scenarios_sharing_an_agreement_name_are_told_apart() -> None:
    loaded = _compared()
    same = [loaded[0], loaded[0]]
    names = notebook_tools.ComparisonWords("en").scenario_names(same, ["a", "b"])  # type: ignore[arg-type]
    assert names == {"a": "Eksempelby — legal default (a)", "b": "Eksempelby — legal default (b)"}


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_comparison_figures_name_agreements_and_state_units(language: str) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    words = notebook_tools.ComparisonWords(language)  # type: ignore[arg-type]
    loaded = _compared()
    names = words.scenario_names(loaded, COMPARED)  # type: ignore[arg-type]
    groups = words.referral_group_names(loaded[0])  # type: ignore[arg-type]
    tables = _comparison_tables()
    indicators = ["wait_mean_months", "housed_within_6_months_share"]
    figures = {
        "waits": notebook_tools.waits_by_group_figure(
            tables["per_group"], COMPARED, ["homeless_single", "refugees"], words, names | groups
        ),
        "differences": notebook_tools.differences_figure(
            tables["differences"], indicators, COMPARED, words, names
        ),
    }
    for figure in figures.values():
        FigureCanvasAgg(figure).draw()  # the tick labels are written when drawn
    texts = {key: _texts(figure) for key, figure in figures.items()}
    everything = [text for found in texts.values() for text in found]
    assert not [text for text in everything if SNAKE_CASE.search(text)]
    assert names["eksempelby_hoej_anvisning"] in texts["differences"]
    assert names["eksempelby"] in texts["waits"] and groups["refugees"] in texts["waits"]
    [waits_axis] = [axis for axis in figures["waits"].axes if axis.get_ylabel()]
    axes = figures["differences"].axes
    if language == "da":
        assert waits_axis.get_ylabel() == "median ventetid (måneder)"
        assert figures["waits"].get_suptitle().startswith("Median antal måneder")
        assert "middel over gentagelserne og 95 %-interval" in figures["waits"].get_suptitle()
        assert [axis.get_title() for axis in axes] == [
            "Ventetid, middel (mdr.)",
            "Bolig inden for 6 mdr.",
        ]
        assert [axis.get_xlabel() for axis in axes] == [
            "forskel (måneder)",
            "forskel (procentpoint)",
        ]
        assert (
            figures["differences"]
            .get_suptitle()
            .startswith("Scenarie − Lovens standard (1 ud af 4): middel af de parrede forskelle")
        )
        ticks = [label.get_text() for label in axes[0].get_xticklabels()]
        assert any("," in tick for tick in ticks) and not any("." in tick for tick in ticks)
        english = ["mean", "wait", "difference", "months", "Scenario", "replications", "housed"]
        for text in everything:
            assert not any(re.search(rf"\b{word}\b", text) for word in english), text
    else:
        assert waits_axis.get_ylabel() == "median wait (months)"
        assert [axis.get_xlabel() for axis in axes] == [
            "difference (months)",
            "difference (percentage points)",
        ]
        assert "mean paired difference" in figures["differences"].get_suptitle()
    # shares are drawn in percentage points: the interval +1.2 to +16.6, not 0.012 to 0.166
    assert axes[1].get_xlim()[1] > 10
    # waits: never below 0 (axis and interval), in the colour-blind-safe palette
    from matplotlib.colors import to_hex

    from simulation.report.palette import OKABE_ITO

    for axis in figures["waits"].axes:
        assert axis.get_ylim()[0] == 0.0
        bars = [patch for patch in axis.patches]
        assert {to_hex(bar.get_facecolor()).upper() for bar in bars} <= set(OKABE_ITO)
        for line in axis.get_lines():  # the error bars' caps
            assert min(line.get_ydata(), default=0.0) >= 0.0


def test_fan_charts_name_their_areas_and_the_scenarios_in_the_legend() -> None:
    rows = [
        {
            "scenario": label,
            "area": area,
            "area_name": name,
            "year": year,
            "replication": replication,
            "residents": 2000,
            "outside_work_education_share": 0.35 + 0.01 * replication,
            "outside_work_education_share_headroom": 0.05,
        }
        for label in COMPARED
        for area, name in (("nordparken", "Nordparken"), ("vestervang", "Vestervang"))
        for year in (2026, 2027)
        for replication in (0, 1)
    ]
    names = {"eksempelby": "Lovens standard", "eksempelby_hoej_anvisning": "Høj andel"}
    area_criteria = pd.DataFrame(rows)
    columns = [column for column in area_criteria if column.endswith("_share")]
    for criterion in ("conviction_ratio", "basic_education_share", "income_ratio_region"):
        area_criteria[criterion] = area_criteria[columns[0]]
        area_criteria[f"{criterion}_headroom"] = 0.05
    fans = notebook_tools.criteria_fan_figures(
        area_criteria, COMPARED, minimum_residents=1000, language="da", names=names
    )
    figure = fans["outside_work_education_share"]
    titles = sorted(axis.get_title() for axis in figure.axes if axis.get_visible())
    assert titles == ["Nordparken", "Vestervang"], "each panel is an area, not a scenario"
    legend = [text.get_text() for legend in figure.legends for text in legend.get_texts()]
    assert legend == ["Lovens standard", "Høj andel"]
    assert "gentagelserne" in figure.get_suptitle()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("da", "**SYNTETISKE DATA.** Eksempelby er en opdigtet kommune. Resultaterne"),
        ("en", "**SYNTHETIC DATA.** Eksempelby is a made-up municipality. The results"),
    ],
)
def test_the_synthetic_warning_is_in_the_notebooks_language(
    language: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(notebook_tools, "_show_markdown", shown.append)
    loaded = _compared()
    found = notebook_tools.show_synthetic_warning(loaded, language=language)  # type: ignore[arg-type]
    assert found == ["Eksempelby"] and shown[0].startswith(expected)


def test_tables_show_shares_in_per_cent() -> None:
    frame = pd.DataFrame(
        {
            "group": ["homeless_single"],
            "barred_share": [0.6912],
            "load": [1.0],
            "demand": [45.0],
        }
    ).set_index("group")
    danish = notebook_tools.PlanWords("da").table(frame, {"homeless_single": "Hjemløse enlige"})
    assert danish.loc["Hjemløse enlige"].tolist() == ["69,1 %", "100,0 %", 45.0]
    english = notebook_tools.PlanWords("en").table(frame)
    assert english.iloc[0].tolist() == ["69.1 %", "100.0 %", 45.0]
    outside = pd.DataFrame({"referral_share": [1.5]})  # not 0–1: left as a number
    assert notebook_tools.PlanWords("en").table(outside).iloc[0, 0] == 1.5
