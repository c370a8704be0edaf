"""The EMA Workbench adapter: a scenario as an EMA Model, and a tiny experiment through it."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from simulation.base.errors import ScenarioError
from simulation.experiments.workbench import python_name, scenario_key, workbench_model
from simulation.inputs.scenario import load_scenario
from simulation.inputs.uncertainty import DEFAULT_RANGES, Parameter

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def example():  # type: ignore[no-untyped-def]
    return load_scenario(ROOT / "scenarios" / "eksempelby.toml")


def test_names_round_trip() -> None:
    key = "referral_groups.refugees.leave_queue_per_year"
    assert python_name(key).isidentifier() and scenario_key(python_name(key)) == key


def test_model_carries_the_ranges_file_levers_and_outcomes(example) -> None:  # type: ignore[no-untyped-def]
    model = workbench_model(
        example,
        ranges=DEFAULT_RANGES,
        levers={
            "agreement.default_referral_share": (0.1, 0.5),
            "agreement.placement_policy": ["next_vacancy", "optimised"],
        },
    )
    names = {u.name for u in model.uncertainties}
    assert "applicants__employed_share" in names
    assert "agreement__data_lag_years" in names
    assert {lever.name for lever in model.levers} == {
        "agreement__default_referral_share",
        "agreement__placement_policy",
    }
    assert "listed_area_years" in {o.name for o in model.outcomes}


def test_a_lever_outside_the_agreement_or_its_bounds_is_refused(example) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ScenarioError, match="an agreement field"):
        workbench_model(example, levers={"behaviour.job_loss_per_year": (0.0, 0.1)})
    with pytest.raises(ScenarioError, match=r"agreement\.default_referral_share"):
        workbench_model(example, levers={"agreement.default_referral_share": (0.1, 1.5)})


def test_a_tiny_experiment_runs_through_the_workbench(example) -> None:  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench import SequentialEvaluator

    model = workbench_model(
        example,
        ranges=[
            Parameter("behaviour.selective_move_out_strength", 0.0, 3.0),
            Parameter("agreement.data_lag_years", 0, 2, integer=True),
        ],
        levers={"agreement.default_referral_share": (0.1, 0.5)},
        outputs=["listed_area_years", "outside_work_education_share_final"],
        years=2,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with SequentialEvaluator(model) as evaluator:
            experiments, outcomes = evaluator.perform_experiments(scenarios=2, policies=1)
    assert len(experiments) == 2
    assert set(outcomes) == {"listed_area_years", "outside_work_education_share_final"}
    shares = np.asarray(outcomes["outside_work_education_share_final"])
    assert ((shares > 0) & (shares < 1)).all()
    assert experiments["agreement__data_lag_years"].isin([0, 1, 2]).all()
