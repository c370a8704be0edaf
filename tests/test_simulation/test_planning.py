"""The translation from the world into the referral LP, and the optimised policy in the model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from optimisation import Blocker, Stage, plan_matrix, plan_referrals
from optimisation.model import create_model
from simulation.inputs.scenario import load_scenario
from simulation.model import HousingModel
from simulation.people.capacity import fitting_vacancies
from simulation.people.households import DepartmentMix, draw_applicants
from simulation.people.population import Status
from simulation.planning import (
    BAN_SUFFIXES,
    OptimisedPlanner,
    newcomer_profile,
    plan_for_scenario,
    planning_input_from_model,
    planning_input_from_scenario,
    problem_from_input,
    split_subgroup,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "eksempelby.toml"
STEPPED = ROOT / "scenarios" / "eksempelby_trappemodel.toml"


def test_scenario_input_covers_every_department_and_subgroup() -> None:
    loaded = load_scenario(EXAMPLE)
    planning = planning_input_from_scenario(loaded, months=12)
    assert len(planning.departments) == 60
    groups = loaded.scenario.referral_groups
    assert set(planning.demand) == {g + s for g in groups for s in BAN_SUFFIXES}
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
    assert all(group.endswith(BAN_SUFFIXES[1:]) for _, group in banned)
    reasons = {reason for found in exclusions.values() for reason in found}
    assert "rent" in reasons  # every department has dwellings with rooms enough


def test_every_allowed_pair_has_its_fitting_capacity_shared_by_both_subgroups() -> None:
    loaded = load_scenario(STEPPED)
    planning = planning_input_from_scenario(loaded, months=12)
    groups = loaded.scenario.referral_groups
    problem = problem_from_input(planning, loaded.scenario)
    fits = fitting_vacancies(planning.dwelling_types, dict(groups)).set_index(
        ["department", "group"]
    )
    share = planning.departments.set_index("department")["referral_share"]
    assert problem.capacity is not None
    assert problem.pools == tuple(groups)
    checked = 0
    for d, department in enumerate(problem.departments):
        for g, subgroup in enumerate(problem.groups):
            group = split_subgroup(str(subgroup))[0]
            assert problem.capacity_pool is not None
            assert problem.capacity_pool[g] == group
            if not problem.compatible[d, g]:
                continue
            expected = share[department] * fits.loc[(department, group), "vacancies"]
            assert problem.capacity[d, g] == pytest.approx(expected, rel=1e-12, abs=1e-12)
            assert problem.pair_capacity[d, g] == pytest.approx(expected, rel=1e-12, abs=1e-12)
            checked += 1
    assert checked == problem.compatible.sum() > 0
    # a department whose dwellings fit a group at all is compatible unless barred
    reasons = {reason for found in problem.exclusions.values() for reason in found}
    assert reasons <= {"rooms", "rent", "ban"}


def test_stepped_model_is_short_of_dwellings_for_homeless_singles() -> None:
    loaded = load_scenario(STEPPED)
    planning = planning_input_from_scenario(loaded, months=12)
    plan = plan_referrals(problem_from_input(planning, loaded.scenario))
    single = [g for g in plan.problem.groups if str(g).startswith("homeless_single")]
    pool = plan.problem.pools.index("homeless_single")
    assert plan.total_shortfall > 20
    # The two subgroups together take no more than the fitting capacity.
    placed = plan.referral_matrix()[:, [plan.problem.groups.index(g) for g in single]].sum(axis=1)
    capacity = plan.problem.pool_capacity[:, pool]
    assert (placed <= capacity + 1e-6).all()
    diagnoses = {d.group: d for d in plan.diagnoses}
    assert set(single) <= set(diagnoses)
    for group in single:
        assert Blocker.FITTING in diagnoses[group].blockers
        assert (
            "the dwellings that fit the group (rooms, rent) are used up" in diagnoses[group].text()
        )


def test_model_input_matches_the_model_state() -> None:
    """The plan reads the figures of the agreement's data lag (0: the state of the day)."""
    loaded = load_scenario(EXAMPLE).with_overrides({"agreement.data_lag_years": 0})
    model = HousingModel(loaded, seed=1, years=1)
    for _ in range(3):
        model.step()
    planning = planning_input_from_model(model)
    problem = problem_from_input(planning, loaded.scenario)
    assert problem.has_capacity and np.isfinite(problem.pair_capacity[problem.compatible]).all()
    frame = planning.departments
    assert frame["households"].sum() == model.population.occupied.sum()
    lagged = HousingModel(load_scenario(EXAMPLE), seed=1, years=1)
    for _ in range(3):
        lagged.step()
    # in the first year, last year's figures are the department data
    assert planning_input_from_model(lagged).departments["households"].sum() == (
        loaded.departments["households"].sum()
    )
    waiting = model.queue.waiting()
    arriving = sum(g.arrivals_per_year for g in loaded.scenario.referral_groups.values())
    assert sum(planning.demand.values()) == pytest.approx(waiting + arriving)


def test_optimised_policy_follows_the_plan_and_protects_departments() -> None:
    loaded = load_scenario(EXAMPLE).with_overrides({"agreement.placement_policy": "optimised"})
    model = HousingModel(loaded, seed=2, years=2, check_invariants=True)
    tables = model.run()
    assert (tables.referrals["outcome"] == "housed").sum() > 0
    assert model.municipality.plan is not None


def test_area_rows_exist_exactly_for_listable_areas_at_the_list_they_could_reach() -> None:
    loaded = load_scenario(EXAMPLE)
    planning = planning_input_from_scenario(loaded, months=12)
    problem = problem_from_input(planning, loaded.scenario)
    assert not problem.department_ceilings  # optimiser.protect = "areas"
    model = create_model(problem)
    assert model.composition == []
    rows = {problem.areas[i] for i in model.area_rows.tolist()}
    areas = planning.areas
    assert areas is not None
    listable = set(areas.loc[areas["residents"] >= 900, "area"])
    assert rows == listable and len(listable) == 12  # the named areas, not the lone departments
    ceilings = dict(zip(problem.areas, problem.area_theta.tolist(), strict=True))
    for area, residents, nonwestern in areas.itertuples(index=False):
        if residents < 900:
            assert np.isnan(ceilings[area])
        else:
            assert ceilings[area] == pytest.approx(0.25 if nonwestern > 0.25 else 0.35)
    assert {"nordparken", "vestervang", "bakkegaarden"} <= {
        a for a, c in ceilings.items() if c == pytest.approx(0.25)
    }
    small = loaded.with_overrides({"optimiser.protect_small_areas": True})
    every = problem_from_input(planning, small.scenario)
    can_refer = every.compatible.any(axis=1) & (every.vacancies > 0)
    expected = {every.areas[i] for i in every.area_index[can_refer].tolist()}
    assert {every.areas[i] for i in create_model(every).area_rows.tolist()} == expected
    assert len(expected) > 12
    departments = loaded.with_overrides({"optimiser.protect": "departments"})
    old = create_model(problem_from_input(planning, departments.scenario))
    assert old.area_rows.size == 0 and len(old.composition) > 0


def test_newcomer_profile_is_the_simulations_applicant_draw() -> None:
    loaded = load_scenario(EXAMPLE)
    applicants = loaded.scenario.applicants
    count = 200_000
    rooms = np.full(count, 2, np.int64)
    mix = DepartmentMix(
        np.array([0.5]), np.array([0.3]), np.array([0.2]), np.ones(1), np.ones(1), np.ones(1)
    )
    batch, _ = draw_applicants(
        np.random.default_rng(3), applicants, rooms, np.zeros(count, np.int64), mix, 0.5, 0.6, 0
    )
    types = pd.DataFrame({"department": ["X"], "rooms": [2], "vacancies": [1.0]})
    adults, outside = newcomer_profile(applicants, types, pd.Series(["X"]), np.array([0.5]))
    born = batch.born.astype(np.float64)
    working_age = batch.adult & (-born / 12.0 < 65.0)
    drawn_adults = working_age.sum(axis=1).mean()
    drawn_outside = (working_age & (batch.status == Status.OUTSIDE)).sum(axis=1).mean()
    assert drawn_adults == pytest.approx(adults[0], rel=0.01)
    assert drawn_outside == pytest.approx(outside[0], rel=0.02)


def test_fair_shortfall_adds_the_fairness_stage_and_prices_are_checked() -> None:
    loaded = load_scenario(EXAMPLE).with_overrides({"optimiser.fair_shortfall": True})
    _, fair = plan_for_scenario(loaded)
    _, plain = plan_for_scenario(load_scenario(EXAMPLE))
    assert Stage.FAIRNESS in fair.objectives and Stage.FAIRNESS not in plain.objectives
    assert fair.total_shortfall == pytest.approx(plain.total_shortfall, abs=1e-5)
    assert fair.max_shortfall_share <= plain.max_shortfall_share + 1e-9
    assert fair.max_shortfall_share < 1.0  # no subgroup is left out entirely
    assert set(plain.sensitivities["reading"]) <= {"confirmed", "degenerate", "unchecked"}
    assert len(plain.sensitivities) > 0


def test_the_planner_of_a_run_builds_the_problem_the_tables_give() -> None:
    # The optimised policy builds its problem from arrays it keeps between quarters; it must be
    # the problem problem_from_input builds from the model's state as tables, field by field.
    loaded = load_scenario(EXAMPLE).with_overrides({"agreement.placement_policy": "optimised"})
    model = HousingModel(loaded, seed=4, years=2)
    planner = OptimisedPlanner()
    for month in range(15):
        if month in (0, 14):  # the first plan, and one after a 1 December with new lists
            fast = planner.problem(model)
            slow = problem_from_input(planning_input_from_model(model), loaded.scenario)
            assert fast.departments == slow.departments and fast.groups == slow.groups
            for name in ("vacancies", "referral_share", "households", "adults", "demand"):
                np.testing.assert_allclose(getattr(fast, name), getattr(slow, name), rtol=1e-12)
            for name in ("adults_outside", "adults_per_household", "outside_per_household"):
                np.testing.assert_allclose(getattr(fast, name), getattr(slow, name), rtol=1e-12)
            for name in ("newcomer_adults", "newcomer_outside", "capacity", "dwellings"):
                np.testing.assert_allclose(getattr(fast, name), getattr(slow, name), rtol=1e-12)
            np.testing.assert_array_equal(fast.compatible, slow.compatible)
            assert dict(fast.exclusions) == dict(slow.exclusions)
            assert fast.capacity_pool == slow.capacity_pool and fast.area == slow.area
            assert fast.area_ceiling == slow.area_ceiling
            assert fast.department_ceilings == slow.department_ceilings
            assert (fast.waiting_list_adults, fast.threshold, fast.margin) == (
                slow.waiting_list_adults,
                slow.threshold,
                slow.margin,
            )
            assert any("ban" in reasons for reasons in fast.exclusions.values())
            plan = plan_referrals(slow, check_prices=False)
            np.testing.assert_array_equal(plan_matrix(slow), plan.referral_matrix())
            # the same optimum (the LP is degenerate: rounding may pick another optimal vertex)
            quick = plan_referrals(fast, check_prices=False)
            for stage, optimum in plan.objectives.items():
                assert quick.objectives[stage] == pytest.approx(optimum, rel=1e-9, abs=1e-9)
        model.step()
