"""Pooled claims: a claims row per accounting unit, the departments' physical rows, and the account.

A hand-made world of four departments in two housing organisations, each department with 8
vacancies and a share of 1 in 4 (2 claims each):

* North: A (no dwelling fits the homeless) and B (room for many);
* South: C (already above its ceiling: no headroom for them) and D (one fitting dwelling).

Counted per department the plan houses B's 2 and D's 1. Counted per organisation, North's 4
claims can all go to B, but South's unused claims cannot cross to North; across the municipality
every claim can go anywhere there is room.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from optimisation import ProblemDataError, ReferralProblem, plan_referrals
from optimisation.formulation import formulate

DEPARTMENTS = pd.DataFrame(
    {
        "department": ["A", "B", "C", "D"],
        "vacancies": [8.0, 8.0, 8.0, 8.0],
        "referral_share": [0.25, 0.25, 0.25, 0.25],
        "households": [80, 80, 80, 80],
        "adults": [100, 100, 100, 100],
        "adults_outside": [20, 20, 60, 20],
        "unit": ["North", "North", "South", "South"],
    }
)
GROUPS = pd.DataFrame(
    {"group": ["homeless"], "demand": [20.0], "adults_per_household": [1.0],
     "outside_per_household": [1.0]}
)  # fmt: skip
COMPATIBILITY = pd.DataFrame(
    {
        "department": ["A", "B", "C", "D"],
        "group": ["homeless"] * 4,
        "reason": ["rooms", "", "", ""],
        "capacity": [np.nan, np.inf, np.inf, 1.0],
    }
)


def problem(units: list[str] | None, **options: object) -> ReferralProblem:
    frame = DEPARTMENTS.drop(columns="unit")
    if units is not None:
        frame = frame.assign(unit=units)
    return ReferralProblem.from_frames(frame, GROUPS, COMPATIBILITY, **options)  # type: ignore[arg-type]


def per_department(units: list[str] | None, solver: str, **options: object) -> np.ndarray:
    plan = plan_referrals(problem(units, **options), solver=solver)
    matrix: np.ndarray = plan.referral_matrix()[:, 0]
    return matrix


def test_per_department_claims_house_each_departments_own_share(solver: str) -> None:
    np.testing.assert_allclose(per_department(None, solver), [0, 2, 0, 1], atol=1e-4)


def test_organisation_pooling_moves_claims_within_an_organisation_only(solver: str) -> None:
    placed = per_department(["North", "North", "South", "South"], solver, unit_kind="organisation")
    # North's 4 claims go to B (twice its own share); South's 3 unused claims stay in South
    np.testing.assert_allclose(placed, [0, 4, 0, 1], atol=1e-4)


def test_municipality_pooling_moves_claims_anywhere_with_room(solver: str) -> None:
    placed = per_department(["m"] * 4, solver, unit_kind="municipality")
    assert placed.sum() == pytest.approx(8.0, abs=1e-4)  # every claim of the municipality
    assert placed[3] == pytest.approx(1.0, abs=1e-4) and placed[1] == pytest.approx(7.0, abs=1e-4)
    assert placed[1] <= 8.0 + 1e-9  # B's physical limit: its vacancies


def test_carried_over_claims_add_to_the_units_claims(solver: str) -> None:
    placed = per_department(
        ["North", "North", "South", "South"], solver, carried_claims={"North": 2.0}
    )
    np.testing.assert_allclose(placed, [0, 6, 0, 1], atol=1e-4)


def test_whole_referrals_respect_the_pooled_claims(solver: str) -> None:
    units = ["North", "North", "South", "South"]
    plan = plan_referrals(
        problem(units, carried_claims={"North": 0.5}), solver=solver, integer=True
    )
    np.testing.assert_allclose(plan.referral_matrix()[:, 0], [0, 4, 0, 1], atol=1e-4)
    assert plan.units.set_index("unit").loc["North", "binding"]  # no room for a whole household


def test_pulp_and_highs_reach_the_same_optima_on_pooled_claims() -> None:
    pytest.importorskip("highspy")
    pooled = problem(["North", "North", "South", "South"], carried_claims={"South": 1.5})
    direct = plan_referrals(pooled, solver="highs")
    through_pulp = plan_referrals(pooled, solver="cbc")
    for stage, optimum in direct.objectives.items():
        assert through_pulp.objectives[stage] == pytest.approx(optimum, rel=1e-5, abs=1e-5)


def test_without_units_the_lp_has_no_claims_rows_and_own_share_slots() -> None:
    plain = formulate(problem(None))
    assert plain.rows("claims").size == 0
    np.testing.assert_array_equal(
        plain.row_upper[plain.rows("slots")], problem(None).slots[plain.row_owner["slots"]]
    )
    pooled = formulate(problem(["North", "North", "South", "South"]))
    assert [pooled.row_names[row] for row in pooled.rows("claims")] == [
        "claims_North", "claims_South"
    ]  # fmt: skip
    # each department's physical row: its vacancies (the unit's claims may fall on any)
    np.testing.assert_array_equal(pooled.row_upper[pooled.rows("slots")], [8.0, 8.0, 8.0])


def test_a_binding_unit_is_named_in_words_with_its_checked_price() -> None:
    pytest.importorskip("highspy")
    plan = plan_referrals(
        problem(["North", "North", "South", "South"], unit_kind="organisation"), solver="highs"
    )
    units = plan.units.set_index("unit")
    assert bool(units.loc["North", "binding"]) and not bool(units.loc["South", "binding"])
    assert units.loc["North", "value_households"] == pytest.approx(1.0)
    text = plan.explain()
    assert "Claims are counted per housing organisation" in text and "'North'" in text
    checked = plan.sensitivities
    row = checked[(checked["limit"] == "claims") & (checked["unit"] == "North")]
    assert len(row) == 1 and row["reading"].item() == "confirmed"
    assert row["gain_of_one"].item() == pytest.approx(1.0)
    assert "One more claim in a housing organisation's pooled claims would house 1.00" in text
    assert "units" in plan.to_frames()
    assert "their unit's pooled claims are used up in" in text  # B, whose North claims are used
    across = plan_referrals(problem(["m"] * 4, unit_kind="municipality"), solver="highs")
    assert "the municipality's pooled claims" in across.explain().replace(
        "its pooled claims", "the municipality's pooled claims"
    )
    assert "Claims are counted across the municipality" in across.explain()


def test_a_missing_unit_names_the_field_and_the_departments() -> None:
    with pytest.raises(ProblemDataError) as raised:
        problem(["North", None, "South", np.nan])  # type: ignore[list-item]
    text = str(raised.value)
    assert "departments.unit" in text and "'B'" in text and "'D'" in text
    assert "accounting unit" in text


@pytest.mark.parametrize(
    ("carried", "expected"),
    [
        ({"West": 1.0}, "not a unit of any department: 'West'"),
        ({"North": -1.0}, "expected a finite number of claims ≥ 0 for 'North' (-1.0)"),
        ({"North": float("nan")}, "'North' (nan)"),
    ],
)
def test_bad_carried_claims_are_named(carried: dict[str, float], expected: str) -> None:
    with pytest.raises(ProblemDataError, match="carried_claims") as raised:
        problem(["North", "North", "South", "South"], carried_claims=carried)
    assert expected in str(raised.value)


def test_carried_claims_without_units_are_refused() -> None:
    with pytest.raises(ProblemDataError, match="without claim units"):
        problem(None, carried_claims={"North": 1.0})
