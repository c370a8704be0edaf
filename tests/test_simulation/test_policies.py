"""The placement policies as first-class benchmarks: first come, the threshold rule, a volume cap.

Each simple rule must reduce to first come, first served when its mechanism is switched off (a
threshold of 1, a cap nobody reaches), bit for bit, so that a comparison measures the mechanism
and nothing else; and it must do what it says when switched on.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.experiments.compare import BENCHMARK_SUFFIXES, compare
from simulation.experiments.measures import price_of_listings
from simulation.inputs.scenario import LoadedScenario, load_scenario
from simulation.model import HousingModel, ModelTables
from simulation.planning import threshold_plan

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "eksempelby.toml"
OPTIMISED = ROOT / "scenarios" / "eksempelby_optimeret.toml"


@pytest.fixture(scope="module")
def example() -> LoadedScenario:
    return load_scenario(EXAMPLE)


def _run(loaded: LoadedScenario, years: int = 2) -> ModelTables:
    return HousingModel(loaded, seed=4, years=years, check_invariants=True).run()


def _assert_same_tables(first: ModelTables, second: ModelTables) -> None:
    for name in ("department_year", "area_year", "referrals", "monthly"):
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name))


@pytest.fixture(scope="module")
def first_come(example: LoadedScenario) -> ModelTables:
    return _run(example)


def test_the_old_policy_name_is_first_come(example: LoadedScenario) -> None:
    assert example.scenario.agreement.placement_policy == "first_come"
    old = example.with_overrides({"agreement.placement_policy": "next_vacancy"})
    assert old.scenario.agreement.placement_policy == "first_come"


def test_threshold_rule_switched_off_is_first_come(
    example: LoadedScenario, first_come: ModelTables
) -> None:
    off = example.with_overrides(
        {"agreement.placement_policy": "threshold_rule", "agreement.threshold_rule_above": 1.0}
    )
    _assert_same_tables(_run(off), first_come)


def test_volume_cap_nobody_reaches_is_first_come(
    example: LoadedScenario, first_come: ModelTables
) -> None:
    off = example.with_overrides({"agreement.referral_volume_per_year": 10_000.0})
    _assert_same_tables(_run(off), first_come)


def test_threshold_rule_closes_departments_above_the_threshold(example: LoadedScenario) -> None:
    rule = example.with_overrides({"agreement.placement_policy": "threshold_rule"})
    model = HousingModel(rule, seed=4, years=1)
    plan = threshold_plan(model)
    above = model.departments.outside_share > rule.scenario.agreement.threshold_rule_above
    assert 0 < above.sum() < model.departments.count
    assert (plan.remaining[above] == 0).all() and np.isinf(plan.remaining[~above]).all()
    # a year on, no household was referred to a department closed by the rule all year
    tables = model.run()
    housed = tables.referrals.dropna(subset=["department"])
    closed = set(np.asarray(model.departments.ids, dtype=object)[above])
    assert not closed & set(housed["department"])
    everyone = example.with_overrides({"agreement.placement_policy": "threshold_rule"})
    nobody = everyone.with_overrides({"agreement.threshold_rule_above": 0.0})
    assert (_run(nobody, years=1).referrals["outcome"] != "housed").all()


def test_volume_cap_is_met_month_by_month(example: LoadedScenario) -> None:
    capped = example.with_overrides({"agreement.referral_volume_per_year": 30.0})
    tables = _run(capped)
    housed = tables.referrals[tables.referrals["outcome"] == "housed"]
    assert 55 <= len(housed) <= 60
    by_month = housed.groupby("housed_month").size().reindex(range(24), fill_value=0)
    assert (by_month.cumsum() <= 2.5 * (np.arange(24) + 1) + 1e-9).all()


def test_price_is_area_years_avoided_per_100_not_housed_with_an_interval() -> None:
    rows = []
    for replication, (years, late) in enumerate([(40, 100), (42, 110), (38, 90), (41, 100)]):
        rows.append(("base", replication, years, late))
        rows.append(("tight", replication, years - 4 - replication % 2, late + 100))
        rows.append(("free", replication, years, late - 5))
        rows.append(("same", replication, years - 1, late + (replication % 2) * 2 - 1))
    indicators = pd.DataFrame(
        rows,
        columns=["scenario", "replication", "listed_area_years", "not_housed_within_6_months"],
    )
    prices = price_of_listings(indicators, "base").set_index("scenario")
    tight = prices.loc["tight"]
    assert tight["reading"] == "price"
    assert tight["price"] == pytest.approx(100 * 4.5 / 100)
    assert tight["price_low"] < tight["price"] < tight["price_high"]
    assert prices.loc["free", "reading"] == "faster" and np.isnan(prices.loc["free", "price"])
    assert prices.loc["same", "reading"] == "no clear cost"


@pytest.mark.slow
def test_compare_adds_first_come_at_the_same_volume_and_the_threshold_rule(
    tmp_path: Path, example: LoadedScenario
) -> None:
    optimised = load_scenario(OPTIMISED)
    comparison = compare(
        [example, optimised],
        tmp_path / "cmp",
        labels=["default", "optimised"],
        replications=2,
        years=2,
        entropy=1,
        benchmarks=True,
    )
    same, rule = (f"optimised-{suffix}" for suffix in BENCHMARK_SUFFIXES)
    assert comparison.labels == ("default", "optimised", same, rule)
    volume = comparison.summary.set_index(["scenario", "indicator"])["mean"]
    optimised_volume = volume[("optimised", "lettings_referral_per_year")]
    assert volume[(same, "lettings_referral_per_year")] == pytest.approx(optimised_volume, abs=2)
    assert set(comparison.prices["scenario"]) == {"optimised", same, rule}
    assert set(comparison.contrasts["reference"]) == {same, rule}
    manifest = json.loads((tmp_path / "cmp" / "compare.json").read_text())
    assert manifest["benchmark_scenarios"][same]["name"].endswith("a year")
    assert (tmp_path / "cmp" / "prices.csv").is_file()
