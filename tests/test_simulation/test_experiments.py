"""Experiments: common random numbers, paired differences, sweep designs and validation, the frontier."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from simulation.base.errors import ScenarioError
from simulation.experiments.compare import compare
from simulation.experiments.folders import ExperimentError
from simulation.experiments.frontier import frontier_table, pareto_front
from simulation.experiments.measures import INDICATORS, paired_differences, run_measures, t_interval
from simulation.experiments.results import read_run
from simulation.experiments.runner import replication_seed
from simulation.experiments.sweep import (
    Variation,
    design_points,
    parse_variation,
    point_scenarios,
    read_sweep,
    sweep,
)
from simulation.inputs.scenario import LoadedScenario, load_scenario
from simulation.model import HousingModel

ROOT = Path(__file__).resolve().parents[2]
SHARE = "agreement.default_referral_share"


@pytest.fixture(scope="module")
def example() -> LoadedScenario:
    return load_scenario(ROOT / "scenarios" / "eksempelby.toml")


# -- common random numbers ---------------------------------------------------------------------------


def test_paired_scenarios_draw_the_same_population_arrivals_and_life_events(
    example: LoadedScenario,
) -> None:
    """Replication r of two agreements: same households on day 0, same arrivals, same draws."""
    other = example.with_overrides({SHARE: 0.6, "agreement.flexible_letting_share": 0.3})
    # a fresh seed sequence per model: spawning children advances a SeedSequence object
    models = [HousingModel(s, seed=replication_seed(7, 3), years=2) for s in (example, other)]
    for month in range(24):
        for model in models:
            model.step()
        for stream in ("population", "moves", "life", "referrals"):
            states = [getattr(m.streams, stream).bit_generator.state for m in models]
            assert states[0] == states[1], f"{stream} stream diverged in month {month}"
    tables = [model.tables() for model in models]
    first = [
        t.department_year[t.department_year["year"] == 2025].drop(
            columns=["tier", "referral_share_agreed"]  # the agreements differ, of course
        )
        for t in tables
    ]
    pd.testing.assert_frame_equal(first[0], first[1])  # the same initial population
    # the same arrivals (a household whose tenancy failed joins again: a spell of the scenario's
    # own, which shifts the ids of later arrivals)
    arrivals = ["group", "arrival_month", "barred_from_listed_areas"]
    first_spells = [
        t.referrals.loc[t.referrals["previous_referral_id"].isna(), arrivals].reset_index(drop=True)
        for t in tables
    ]
    pd.testing.assert_frame_equal(first_spells[0], first_spells[1])
    # ... while the agreements do make a difference
    lettings = [t.department_year["lettings_referral"].sum() for t in tables]
    assert lettings[0] < lettings[1]


def test_comparing_a_scenario_with_itself_gives_zero_differences(
    tmp_path: Path, example: LoadedScenario
) -> None:
    comparison = compare(
        [example, example],
        tmp_path / "self",
        labels=["a", "b"],
        replications=2,
        years=1,
        entropy=5,
        figures=None,
    )
    differences = comparison.differences
    assert set(differences["indicator"]) == set(INDICATORS)
    # undefined: indicators of no list change, and Kaplan–Meier quantiles not reached in a year
    defined = differences.dropna(subset=["difference_low_95"])
    assert len(defined) >= len(INDICATORS) - 4
    assert (defined["difference_mean"] == 0).all()
    assert (defined["difference_low_95"] == 0).all() and (defined["difference_high_95"] == 0).all()
    assert (defined["pairs"] == 2).all() and not defined["clear"].any()
    headroom = comparison.criteria_headroom
    assert (headroom.loc[headroom["scenario"] == "b", "difference_mean"] == 0).all()
    # each scenario's folder is a normal run folder; the comparison has its manifest and tables
    manifest = json.loads((tmp_path / "self" / "compare.json").read_text())
    assert manifest["labels"] == ["a", "b"] and manifest["status"] == "complete"
    assert manifest["runs"] == {"a": "runs/a", "b": "runs/b"}
    for label in ("a", "b"):
        assert set(read_run(tmp_path / "self" / "runs" / label)["area_year"]["replication"]) == {
            0,
            1,
        }
    for name in ("indicators", "summary", "differences", "lists_by_year", "criteria_headroom"):
        assert (tmp_path / "self" / f"{name}.csv").is_file()
        assert (tmp_path / "self" / f"{name}.parquet").is_file()
    # the same folder with another seed is refused
    with pytest.raises(ExperimentError, match="holds another comparison"):
        compare([example, example], tmp_path / "self", labels=["a", "b"], years=1, entropy=6)


def test_run_measures_match_the_tables(tmp_path: Path, example: LoadedScenario) -> None:
    from simulation.experiments.runner import simulate

    run_dir = simulate(example, tmp_path / "run", entropy=2, years=2, replications=1).run_dir
    measures = run_measures(run_dir)
    tables = read_run(run_dir)
    row = measures.indicators.iloc[0]
    area = tables["area_year"]
    last = area[area["year"] == area["year"].max()]
    assert row["udsat_final"] == last["udsat"].sum()
    assert row["listed_final"] == (last["udsat"] | last["forebyggelsesomraade"]).sum()
    referrals = tables["referrals"]
    housed = referrals.loc[referrals["outcome"] == "housed", "wait_months"].astype(float)
    assert row["wait_median_months"] == np.median(housed)
    flows = tables["department_year"][tables["department_year"]["year"] > 2025]
    assert row["lettings_referral_per_year"] == flows["lettings_referral"].sum() / 2
    assert 0 <= row["housed_within_6_months_share"] <= 1
    headroom = measures.area_criteria["outside_work_education_share_headroom"]
    assert np.allclose(headroom, 0.40 - measures.area_criteria["outside_work_education_share"])


# -- statistics ------------------------------------------------------------------------------------------


def test_t_interval_matches_scipy() -> None:
    values = [1.0, 2.0, 4.0, 7.0]
    mean, low, high = t_interval(values)
    expected = stats.t.interval(0.95, 3, loc=np.mean(values), scale=stats.sem(values))
    assert mean == pytest.approx(3.5)
    assert (low, high) == pytest.approx(expected)
    assert math.isnan(t_interval([2.0])[1]), "one value: no interval"


def test_paired_differences_pair_by_replication() -> None:
    indicators = pd.DataFrame(
        {
            "scenario": ["a", "a", "a", "b", "b", "b"],
            "replication": [0, 1, 2, 2, 1, 0],
            "wait_mean_months": [1.0, 5.0, 9.0, 10.0, 6.0, 2.0],
        }
    )
    [row] = paired_differences(indicators, "a", ["wait_mean_months"]).to_dict("records")
    assert row["difference_mean"] == 1.0 and row["difference_low_95"] == 1.0
    assert row["pairs"] == 3 and row["clear"]


# -- sweeps ----------------------------------------------------------------------------------------------


def test_parse_variation_reads_toml_values() -> None:
    assert parse_variation("agreement.default_referral_share=0.25,0.5").values == (0.25, 0.5)
    assert parse_variation("horizon.years = 5, 10").values == (5, 10)
    assert parse_variation("agreement.combined_letting=true,false").values == (True, False)
    assert parse_variation('agreement.placement_policy="next_vacancy"').values == ("next_vacancy",)
    assert parse_variation("agreement.placement_policy=next_vacancy,optimised").values == (
        "next_vacancy",
        "optimised",
    )
    assert parse_variation('agreement.flexible_criteria=["employment"],["education"]').values == (
        ["employment"],
        ["education"],
    )
    ranged = parse_variation("agreement.flexible_letting_share=0:0.6")
    assert (ranged.low, ranged.high, ranged.integer) == (0.0, 0.6, False)
    assert parse_variation("horizon.years=5:10").integer


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("agreement.default_referral_share", "expected KEY=V1,V2"),
        ("=0.3", "expected KEY=V1,V2"),
        ("agreement.default_referral_share=", "expected KEY=V1,V2"),
        ("agreement default=1", "not a dotted scenario key"),
        ("agreement.default_referral_share=0.3,0.3", "repeated"),
        ("agreement.default_referral_share=0.5:0.1", "LOW < HIGH"),
        ("agreement.default_referral_share=a:b", "not a number"),
        ("agreement.default_referral_share=0.2,0..3", "cannot read the value '0..3'"),
    ],
)
def test_parse_variation_names_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ExperimentError, match=message):
        parse_variation(text)


def test_factorial_design_is_every_combination_in_order() -> None:
    points = design_points(
        [Variation("a.x", values=(1, 2, 3)), Variation("a.y", values=(True, False))]
    )
    assert [p.point for p in points] == [f"p{i:03d}" for i in range(6)]
    assert [dict(p.values) for p in points[:2]] == [
        {"a.x": 1, "a.y": True},
        {"a.x": 1, "a.y": False},
    ]
    assert points[0].label == "x=1, y=true"


def test_latin_hypercube_hits_every_stratum_once_and_is_seeded() -> None:
    variations = [
        Variation("a.share", low=0.0, high=1.0),
        Variation("a.years", low=1.0, high=10.0, integer=True),
        Variation("a.word", values=("x", "y")),
    ]
    points = design_points(variations, "lhs", samples=10, entropy=3)
    shares = sorted(p.values["a.share"] for p in points)
    assert [int(s * 10) for s in shares] == list(range(10)), "one point per tenth"
    assert sorted(p.values["a.years"] for p in points) == list(range(1, 11))
    assert sorted(p.values["a.word"] for p in points) == ["x"] * 5 + ["y"] * 5
    again = design_points(variations, "lhs", samples=10, entropy=3)
    assert [dict(p.values) for p in again] == [dict(p.values) for p in points]
    other = design_points(variations, "lhs", samples=10, entropy=4)
    assert [dict(p.values) for p in other] != [dict(p.values) for p in points]


def test_design_errors() -> None:
    with pytest.raises(ExperimentError, match="is a range: use --design lhs"):
        design_points([Variation("a.b", low=0.0, high=1.0)])
    with pytest.raises(ExperimentError, match="needs --samples"):
        design_points([Variation("a.b", low=0.0, high=1.0)], "lhs")
    with pytest.raises(ExperimentError, match=r"names a\.b more than once"):
        design_points([Variation("a.b", values=(1,)), Variation("a.b", values=(2,))])


def test_every_key_and_value_is_checked_before_anything_runs(example: LoadedScenario) -> None:
    bad_key = [Variation("agreement.default_referal_share", values=(0.1, 0.2))]
    with pytest.raises(ScenarioError) as error:
        point_scenarios(example, bad_key, design_points(bad_key))
    assert "agreement.default_referal_share" in str(error.value)
    assert "a key of the scenario schema" in str(error.value)

    bad_value = [Variation(SHARE, values=(0.2, 1.5, "many"))]
    with pytest.raises(ScenarioError) as error:
        point_scenarios(example, bad_value, design_points(bad_value))
    text = str(error.value)
    assert f"--vary {SHARE}=1.5" in text and "a share is written 0–1" in text
    assert f"--vary {SHARE}='many'" in text
    assert f"{SHARE}=0.2" not in text

    # each value fine alone, the combination not
    pair = [
        Variation("applicants.employed_share", values=(0.5, 0.8)),
        Variation("applicants.student_share", values=(0.4,)),
    ]
    with pytest.raises(ScenarioError) as error:
        point_scenarios(example, pair, design_points(pair))
    assert "point p001 (employed_share=0.8, student_share=0.4)" in str(error.value)
    assert "must be at most 1" in str(error.value) and "p000" not in str(error.value)


def test_sweep_runs_points_into_run_folders_and_reads_back(
    tmp_path: Path, example: LoadedScenario
) -> None:
    variations = [parse_variation(f"{SHARE}=0.1,0.5")]
    out = tmp_path / "sweep"
    outcome = sweep(example, variations, out, replications=2, years=1, entropy=1)
    assert [p.point for p in outcome.points] == ["p000", "p001"]
    assert all(run.ran == [0, 1] for run in outcome.runs)
    tables = read_sweep(out, ["area_year", "department_year"])
    area = tables["area_year"]
    assert list(area.columns[:2]) == ["point", SHARE]
    assert set(zip(area["point"], area[SHARE], strict=True)) == {("p000", 0.1), ("p001", 0.5)}
    assert set(area["replication"]) == {0, 1}
    agreed = tables["department_year"].groupby(SHARE)["referral_share_agreed"].max()
    assert agreed.to_dict() == {0.1: 0.1, 0.5: 0.5}
    assert len(outcome.summary) == 2 and (outcome.summary["replications"] == 2).all()
    # common random numbers across points: the same arrivals (not the spells of households
    # whose tenancy failed and who joined again)
    referrals = read_sweep(out, ["referrals"])["referrals"]
    referrals = referrals[referrals["previous_referral_id"].isna()]
    by_point = [
        rows[["replication", "group", "arrival_month"]].reset_index(drop=True)
        for _, rows in referrals.groupby("point")
    ]
    pd.testing.assert_frame_equal(by_point[0], by_point[1])
    # resuming does nothing; another design in the same folder is refused
    again = sweep(example, variations, out, replications=2, years=1, entropy=1)
    assert all(run.ran == [] for run in again.runs)
    with pytest.raises(ExperimentError, match="holds another sweep"):
        sweep(example, [parse_variation(f"{SHARE}=0.2")], out, replications=1, years=1)


# -- the frontier -------------------------------------------------------------------------------------------


def test_pareto_front_of_a_hand_example() -> None:
    costs = np.array([[1.0, 5.0], [2.0, 3.0], [3.0, 4.0], [4.0, 1.0], [2.0, 3.0], [np.nan, 0.0]])
    assert pareto_front(costs).tolist() == [True, True, False, True, True, False]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=1, max_size=12).map(
        lambda rows: np.array(rows, dtype=float)
    )
)
def test_pareto_front_is_exactly_the_non_dominated_points(costs: np.ndarray) -> None:
    front = pareto_front(costs)
    assert front.any()
    for i, row in enumerate(costs):
        dominated = any((other <= row).all() and (other < row).any() for other in costs[front])
        assert front[i] == (not dominated)


def test_frontier_table_maximises_the_housed_share() -> None:
    summary = pd.DataFrame(
        {
            "point": ["p0", "p1", "p2"],
            "agreement.x": [0.1, 0.2, 0.3],
            "replications": [3, 3, 3],
            "listed_area_years": [2.0, 3.0, 3.0],
            "housed_within_6_months_share": [0.5, 0.9, 0.7],
        }
    )
    for column in ("listed_area_years", "housed_within_6_months_share"):
        summary[f"{column}_low_95"] = summary[column] - 0.1
        summary[f"{column}_high_95"] = summary[column] + 0.1
    table = frontier_table(summary, ["agreement.x"], speed="housed_within_6_months_share")
    assert dict(zip(table["point"], table["pareto"], strict=True)) == {
        "p0": True,
        "p1": True,
        "p2": False,
    }
    assert table["label"].tolist() == ["x=0.1", "x=0.2", "x=0.3"], "ties: the better speed first"
    with pytest.raises(ExperimentError, match="speed measure"):
        frontier_table(summary, ["agreement.x"], speed="fast")
