"""The translation from the world into the referral LP, and the optimised policy in the model."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulation.model import HousingModel
from simulation.planning import (
    BARRED,
    planning_input_from_model,
    planning_input_from_scenario,
    problem_from_input,
)
from simulation.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "eksempelby.toml"


def test_scenario_input_covers_every_department_and_subgroup() -> None:
    loaded = load_scenario(EXAMPLE)
    planning = planning_input_from_scenario(loaded, months=12)
    assert len(planning.departments) == 60
    groups = loaded.scenario.referral_groups
    assert set(planning.demand) == {g + s for g in groups for s in ("", BARRED)}
    assert sum(planning.demand.values()) == pytest.approx(
        sum(g.arrivals_per_year for g in groups.values())
    )
    assert planning.departments["listed"].sum() == 5 + 4 + 3 + 4  # Nordparken + 3 forebyggelse


def test_barred_households_are_excluded_from_listed_areas_and_unfit_dwellings_by_reason() -> None:
    loaded = load_scenario(EXAMPLE)
    planning = planning_input_from_scenario(loaded, months=12)
    problem = problem_from_input(planning, loaded.scenario)
    exclusions = problem.exclusions
    listed = set(planning.departments.loc[planning.departments["listed"], "department"])
    banned = {pair for pair, reasons in exclusions.items() if "ban" in reasons}
    assert {department for department, _ in banned} == listed
    assert all(group.endswith(BARRED) for _, group in banned)
    reasons = {reason for found in exclusions.values() for reason in found}
    assert "rent" in reasons  # every department has dwellings with rooms enough


def test_model_input_matches_the_model_state() -> None:
    loaded = load_scenario(EXAMPLE)
    model = HousingModel(loaded, seed=1, years=1)
    for _ in range(3):
        model.step()
    planning = planning_input_from_model(model)
    frame = planning.departments
    assert frame["households"].sum() == model.population.occupied.sum()
    waiting = model.queue.waiting()
    arriving = sum(g.arrivals_per_year for g in loaded.scenario.referral_groups.values())
    assert sum(planning.demand.values()) == pytest.approx(waiting + arriving)


def test_optimised_policy_follows_the_plan_and_protects_departments() -> None:
    loaded = load_scenario(EXAMPLE).with_overrides({"agreement.placement_policy": "optimised"})
    model = HousingModel(loaded, seed=2, years=2, check_invariants=True)
    tables = model.run()
    assert (tables.referrals["outcome"] == "housed").sum() > 0
    assert model.office.plan is not None
