"""The plan counts claims as the agreement does (``agreement.referral_accounting``).

Eksempelby has six housing organisations. With claims carried over, the plan gets a claims row
per organisation (or one for the municipality) and may put more than a department's own share
into a department; without carry-over, each department claims at its unit's average share; per
department without carry-over the plan is the one of old, bit for bit.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

import numpy as np
import pytest

import simulation.planning as planning
from optimisation import plan_matrix, plan_referrals
from simulation.inputs.scenario import load_scenario
from simulation.model import HousingModel
from simulation.planning import (
    OptimisedPlanner,
    banked_claims,
    plan_for_scenario,
    planning_input_from_model,
    pooled_share,
    problem_from_input,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "eksempelby.toml"


def pooled(accounting: str, carry_over: int, **more: object) -> object:
    return load_scenario(EXAMPLE).with_overrides(
        {
            "agreement.referral_accounting": accounting,
            "agreement.claim_carry_over_months": carry_over,
            **more,
        }
    )


def test_organisation_claims_carried_over_are_pooled_per_organisation() -> None:
    loaded = pooled("organisation", 3)
    inputs, plan = plan_for_scenario(loaded)  # type: ignore[arg-type]
    problem = plan.problem
    organisations = loaded.departments.set_index("department")["organisation"]  # type: ignore[attr-defined]
    assert problem.pooled and problem.unit_kind == "organisation"
    assert list(problem.claim_unit) == [organisations[d] for d in problem.departments]
    assert set(problem.units) == set(organisations)
    frame = inputs.departments
    own = (frame["referral_share"] * frame["vacancies"]).to_numpy()
    np.testing.assert_allclose(
        problem.unit_claims,
        [own[np.asarray(problem.claim_unit) == unit].sum() for unit in problem.units],
    )
    per_department = plan.referral_matrix().sum(axis=1)
    per_unit = np.bincount(problem.unit_index, per_department, minlength=len(problem.units))
    assert (per_unit <= problem.unit_claims + 1e-6).all()  # the pooled claims are respected
    assert (per_department > own + 1e-6).any()  # more than its own share somewhere
    assert (per_department <= frame["vacancies"].to_numpy() + 1e-6).all()
    assert "Claims are counted per housing organisation" in plan.explain()


def test_municipality_pools_every_department_and_moves_claims_across_organisations() -> None:
    _, plan = plan_for_scenario(pooled("municipality", 3))  # type: ignore[arg-type]
    assert plan.problem.units == ("municipality",)
    assert len(plan.units) == 1
    assert plan.units["referrals"].item() <= plan.units["claims"].item() + 1e-6
    assert "Claims are counted across the municipality" in plan.explain()


def test_whole_referrals_with_pooled_claims() -> None:
    _, plan = plan_for_scenario(pooled("organisation", 3), integer=True)  # type: ignore[arg-type]
    matrix = plan.referral_matrix()
    np.testing.assert_allclose(matrix, np.round(matrix), atol=1e-6)
    used = plan.units["referrals"].to_numpy()
    assert (used <= plan.units["claims"].to_numpy() + 1e-6).all()


def test_without_carry_over_each_department_claims_at_its_units_average_share() -> None:
    loaded = pooled("organisation", 0, **{"agreement.default_referral_share": 0.25})
    inputs, plan = plan_for_scenario(loaded)  # type: ignore[arg-type]
    problem = plan.problem
    assert not problem.pooled  # nothing can move: no claims rows
    frame = inputs.departments
    share = frame["referral_share"].to_numpy()
    vacancies = frame["vacancies"].to_numpy()
    expected = pooled_share([str(o) for o in frame["organisation"]], share, vacancies)
    np.testing.assert_allclose(problem.referral_share, expected)
    organisation = frame["organisation"].to_numpy()
    for unit in set(organisation):  # each unit keeps its claims
        inside = organisation == unit
        assert (expected * vacancies)[inside].sum() == pytest.approx(
            (share * vacancies)[inside].sum()
        )
    assert (expected[share == 0] == 0).all()


def test_pooled_share_is_the_units_average_over_departments_that_claim() -> None:
    share = np.array([0.5, 0.0, 0.1, 0.25])
    vacancies = np.array([10.0, 10.0, 30.0, 8.0])
    result = pooled_share(["a", "a", "a", "b"], share, vacancies)
    # unit a: 5 + 3 = 8 claims over the 40 vacancies of its departments with a share
    np.testing.assert_allclose(result, [0.2, 0.0, 0.2, 0.25])


def test_per_department_accounting_is_the_plan_of_old_bit_for_bit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loaded = load_scenario(EXAMPLE)
    assert loaded.scenario.agreement.referral_accounting == "department"
    _, plan = plan_for_scenario(loaded)
    assert not plan.problem.pooled and plan.units.empty

    def own_share(arrays: planning.PlanningArrays, agreement: object) -> tuple[object, ...]:
        return np.asarray(arrays.referral_share, np.float64), None, None

    monkeypatch.setattr(planning, "_claims", own_share)
    _, old = plan_for_scenario(loaded)
    np.testing.assert_array_equal(plan.referral_matrix(), old.referral_matrix())
    np.testing.assert_array_equal(plan.problem.capacity, old.problem.capacity)
    assert plan.objectives == old.objectives


def test_a_running_model_plans_with_the_claims_it_has_banked() -> None:
    loaded = pooled("organisation", 3, **{"agreement.placement_policy": "optimised"})
    model = HousingModel(loaded, seed=3, years=1)  # type: ignore[arg-type]
    for _ in range(5):
        model.step()
    banked = model.municipality.accounting.banked
    carried = banked_claims(model)
    assert sum(len(claims) for claims in banked.values()) > 0
    period = loaded.scenario.optimiser.planning_months  # type: ignore[attr-defined]
    lives = [  # the months of the coming period each banked claim can still be used in
        min(earned + 3, model.month + period - 1) - model.month + 1
        for claims in banked.values()
        for earned, *_ in claims
    ]
    assert sum(carried.values()) == pytest.approx(sum(max(0, life) for life in lives) / period)
    fast = OptimisedPlanner().problem(model)
    slow = problem_from_input(planning_input_from_model(model), loaded.scenario)  # type: ignore[attr-defined]
    assert fast.claim_unit == slow.claim_unit and dict(fast.carried_claims or {}) == carried
    assert dict(slow.carried_claims or {}) == carried
    np.testing.assert_allclose(fast.unit_claims, slow.unit_claims, rtol=1e-12)
    np.testing.assert_allclose(fast.capacity, slow.capacity, rtol=1e-12)
    matrix = plan_matrix(fast)
    per_unit = np.bincount(fast.unit_index, matrix.sum(axis=1), minlength=len(fast.units))
    assert (per_unit <= fast.unit_claims + 1e-6).all()
    assert plan_referrals(slow, check_prices=False).placed == pytest.approx(matrix.sum(), rel=1e-6)


def test_a_banked_claim_counts_for_the_part_of_the_period_it_still_lives() -> None:
    """Earned in month e, a claim lives to month e + carry-over: only that part of the period counts."""
    loaded = pooled(
        "municipality",
        2,
        **{"agreement.placement_policy": "optimised", "optimiser.planning_months": 4},
    )
    model = HousingModel(loaded, seed=3, years=1)  # type: ignore[arg-type]
    model.month = 10
    model.municipality.accounting.banked = {
        0: deque([[8, 0, "nobody_waiting"], [9, 1, "nobody_waiting"], [10, 2, "no_fit"]])
    }
    # month 8 lives through month 10 (1 of the 4 months), 9 through 11 (2), 10 through 12 (3)
    assert banked_claims(model) == {"municipality": pytest.approx((1 + 2 + 3) / 4)}
    model.municipality.accounting.banked = {0: deque([[7, 0, "nobody_waiting"]])}
    assert banked_claims(model) == {}  # lapses this month, before any referral can use it
