"""Plan adherence: per plan window, department and group, what the plan wanted and what was made,
and every lapsed claim with its reason, in the model's tables and the run folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.experiments.results import read_run
from simulation.experiments.runner import simulate
from simulation.inputs.scenario import load_scenario
from simulation.model import HousingModel, ModelTables
from simulation.planning import subgroup_ids
from simulation.rules.letting import LAPSE_REASONS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "eksempelby.toml"
OPTIMISED = ROOT / "scenarios" / "eksempelby_optimeret.toml"
REASONS = {"", "fewer_claims", "claims_used_by_other_groups", *LAPSE_REASONS}


@pytest.fixture(scope="module")
def optimised() -> tuple[HousingModel, ModelTables]:
    model = HousingModel(load_scenario(OPTIMISED), seed=5, years=2)
    return model, model.run()


def test_every_window_department_and_group_is_planned_against_made(
    optimised: tuple[HousingModel, ModelTables],
) -> None:
    model, tables = optimised
    adherence = tables.plan_adherence
    windows = sorted(set(adherence["window_start_month"]))
    assert windows == list(range(0, 24, 3))  # a plan every quarter
    assert set(adherence["group"]) <= set(subgroup_ids(model.loaded.scenario.referral_groups))
    assert set(adherence["reason"]) <= REASONS
    np.testing.assert_allclose(
        adherence["unrealised"], np.maximum(adherence["planned"] - adherence["realised"], 0)
    )
    # what was made is every referral of the run, window by window
    referrals = tables.referrals.dropna(subset=["housed_month"])
    made = referrals.groupby(referrals["housed_month"].astype(int) // 3).size()
    realised = adherence.groupby(adherence["window_start_month"] // 3)["realised"].sum()
    pd.testing.assert_series_equal(
        realised.astype(int), made, check_names=False, check_index_type=False
    )
    # a quota not met always says why
    assert (adherence.loc[adherence["unrealised"] > 1e-9, "reason"] != "").all()
    share = adherence["realised"].sum() / adherence["planned"].sum()
    assert 0.3 < share < 1.2


def test_lapsed_claims_have_a_reason_under_every_policy(
    optimised: tuple[HousingModel, ModelTables],
) -> None:
    _, tables = optimised
    lapsed = tables.lapsed_claims
    assert set(lapsed["reason"]) <= set(LAPSE_REASONS) and (lapsed["claims"] > 0).all()
    assert {"not_in_plan", "no_fitting_household"} <= set(lapsed["reason"])
    first_come = HousingModel(load_scenario(EXAMPLE), seed=5, years=1).run()
    assert first_come.plan_adherence.empty
    assert list(first_come.plan_adherence.columns) == list(tables.plan_adherence.columns)
    assert "not_in_plan" not in set(first_come.lapsed_claims["reason"])
    assert len(first_come.lapsed_claims) > 0


def test_the_run_folder_holds_the_plan_adherence(tmp_path: Path) -> None:
    run_dir = simulate(load_scenario(OPTIMISED), tmp_path / "run", years=1, replications=1).run_dir
    tables = read_run(run_dir)
    assert len(tables["plan_adherence"]) > 0 and len(tables["lapsed_claims"]) > 0
    assert (tables["plan_adherence"]["replication"] == 0).all()


def test_the_report_shows_planned_against_made(tmp_path: Path) -> None:
    from simulation.report.build import build_report

    run_dir = simulate(load_scenario(OPTIMISED), tmp_path / "run", years=1, replications=1).run_dir
    html = build_report([run_dir])
    assert 'id="evidence-adherence"' in html and "The plan and what happened" in html
    danish = build_report([run_dir], language="da")
    assert "Planen og virkeligheden" in danish
