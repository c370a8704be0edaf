"""Tiny instances solvable by hand: the optimal values of each stage (not the vertex)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from optimisation import (
    ALLOCATION_TABLE_COLUMNS,
    DEPARTMENT_TABLE_COLUMNS,
    FITS_TABLE_COLUMNS,
    SENSITIVITY_TABLE_COLUMNS,
    Blocker,
    SolverName,
    SolverStatus,
    Stage,
    plan_referrals,
)


def test_shortfall_when_slots_are_too_few(kit: SimpleNamespace, solver: str) -> None:
    # Two departments with 8 vacancies and a share of 1/4: 2 slots each, 4 in all, for 6 households.
    problem = kit.problem(
        [kit.department("A", 8, 0.25), kit.department("B", 8, 0.25)],
        [kit.group("homeless", 6)],
    )
    plan = plan_referrals(problem, solver=solver)
    assert plan.status is SolverStatus.OPTIMAL
    assert plan.solver == solver
    assert plan.total_shortfall == pytest.approx(2.0, abs=1e-5)
    assert plan.shortfall["homeless"] == pytest.approx(2.0, abs=1e-5)
    assert plan.max_load == pytest.approx(0.25, abs=1e-6)
    assert plan.objectives[Stage.SHORTFALL] == pytest.approx(2.0, abs=1e-5)
    table = plan.departments.set_index("department")
    assert table["slots_binding"].all()
    assert table["binding"].str.contains("slots").all()
    kit.assert_feasible(plan)
    (diagnosis,) = plan.diagnoses
    assert diagnosis.group == "homeless"
    assert diagnosis.blockers == (Blocker.SLOTS,)
    assert diagnosis.compatible == 2
    assert diagnosis.slots_full == 2


def test_max_load_is_spread_over_vacancies(kit: SimpleNamespace, solver: str) -> None:
    # 3 households, 8 + 4 vacancies: the most even plan refers 3/12 = 25 % of each department's.
    problem = kit.problem(
        [kit.department("A", 8, 0.5), kit.department("B", 4, 0.5)],
        [kit.group("homeless", 3)],
    )
    plan = plan_referrals(problem, solver=solver)
    assert plan.total_shortfall == pytest.approx(0.0, abs=1e-5)
    assert plan.max_load == pytest.approx(0.25, abs=1e-6)
    referrals = plan.departments.set_index("department")["referrals"]
    assert referrals["A"] == pytest.approx(2.0, abs=1e-5)
    assert referrals["B"] == pytest.approx(1.0, abs=1e-5)
    assert plan.departments["load_binding"].all()
    kit.assert_feasible(plan)
    assert plan.diagnoses == ()


def test_slots_bind_before_load(kit: SimpleNamespace, solver: str) -> None:
    # A may refer only 0.8 of its 8 vacancies, so B takes 2.2 of its 8: L = 2.2 / 8.
    problem = kit.problem(
        [kit.department("A", 8, 0.1), kit.department("B", 8, 0.5)],
        [kit.group("homeless", 3)],
    )
    plan = plan_referrals(problem, solver=solver)
    assert plan.max_load == pytest.approx(2.2 / 8, abs=1e-6)
    table = plan.departments.set_index("department")
    assert table.loc["A", "binding"] == "slots"
    assert table.loc["B", "binding"] == "max_load"


def test_headroom_binds(kit: SimpleNamespace, solver: str) -> None:
    # R = 5.55 persons, w = 0.805 per single: at most 6.894 of 10 fit although 10 slots are free.
    problem = kit.problem(
        [kit.department("A", 10, 1.0, households=50, adults=100, adults_outside=30)],
        [kit.group("homeless_single", 10)],
    )
    assert problem.headroom[0] == pytest.approx(5.55)
    assert problem.usage[0, 0] == pytest.approx(0.805)
    plan = plan_referrals(problem, solver=solver)
    placed = 5.55 / 0.805
    assert plan.total_shortfall == pytest.approx(10 - placed, abs=1e-4)
    row = plan.departments.iloc[0]
    assert row["headroom_binding"]
    assert not row["slots_binding"]
    assert row["headroom_left"] == pytest.approx(0.0, abs=1e-4)
    assert plan.headroom_used == pytest.approx(5.55, abs=1e-4)
    (diagnosis,) = plan.diagnoses
    assert diagnosis.blockers == (Blocker.HEADROOM,)
    assert diagnosis.headroom_full == 1
    assert diagnosis.above_ceiling == 0
    assert "headroom is used up" in diagnosis.text()


def test_department_above_ceiling_takes_only_non_worsening_groups(
    kit: SimpleNamespace, solver: str
) -> None:
    # O = 45 of A = 100: O⁰ = 39 > 0.35 · 93 = 32.55, so no headroom; singles (w = 0.805) are
    # refused, working families (w = −0.545) welcome, and they make no room for singles.
    problem = kit.problem(
        [kit.department("A", 10, 1.0, households=50, adults=100, adults_outside=45)],
        [kit.group("single", 3), kit.group("family", 3, kit.WORKING_FAMILY)],
    )
    assert problem.headroom[0] == 0.0
    assert bool(problem.above_ceiling[0])
    plan = plan_referrals(problem, solver=solver)
    assert plan.shortfall["single"] == pytest.approx(3.0, abs=1e-5)
    assert plan.shortfall["family"] == pytest.approx(0.0, abs=1e-5)
    assert plan.total_shortfall == pytest.approx(3.0, abs=1e-5)
    kit.assert_feasible(plan)
    (diagnosis,) = plan.diagnoses
    assert diagnosis.group == "single"
    assert diagnosis.above_ceiling == 1
    assert "already above the ceiling" in diagnosis.text()


def test_zero_vacancy_and_empty_departments(kit: SimpleNamespace, solver: str) -> None:
    # Z has no vacancies (no slots, load 0). N is new: no households yet, so its headroom is what
    # 10 waiting-list households would leave: 10 · (0.35 · 1.3 − 0.3) = 1.55 persons.
    problem = kit.problem(
        [
            kit.department("Z", 0, 0.25),
            kit.department("N", 10, 0.5, households=0, adults=0, adults_outside=0),
            kit.department("B", 8, 0.25),
        ],
        [kit.group("homeless", 5)],
    )
    # Z: A⁰ = 100, O⁰ = 10; B: 8 of 80 households leave, A⁰ = 90 + 10.4, O⁰ = 9 + 2.4.
    assert problem.headroom.tolist() == pytest.approx([25.0, 1.55, 0.35 * 100.4 - 11.4])
    plan = plan_referrals(problem, solver=solver)
    table = plan.departments.set_index("department")
    assert table.loc["Z", "referrals"] == 0
    assert table.loc["Z", "load"] == 0
    assert table.loc["Z", "slots"] == 0
    assert np.isfinite(table["load"]).all()
    assert table.loc["N", "referrals"] == pytest.approx(1.55 / 0.805, abs=1e-5)
    assert plan.total_shortfall == pytest.approx(5 - 2 - 1.55 / 0.805, abs=1e-5)
    kit.assert_feasible(plan)
    (diagnosis,) = plan.diagnoses
    assert diagnosis.no_slots == 1
    assert set(diagnosis.blockers) == {Blocker.SLOTS, Blocker.HEADROOM}


def test_third_stage_saves_headroom(kit: SimpleNamespace, solver: str) -> None:
    # Two families must go to P (2 slots of 4 vacancies): the maximum load is 50 %. Four singles
    # fit in A or C either way; C has a lower ceiling, so a single there uses less headroom
    # (w = 0.7 + 0.3 θ), and stage 3 sends all four to C.
    problem = kit.problem(
        [
            kit.department("P", 4, 0.5),
            kit.department("A", 10, 0.5, ceiling=0.35),
            kit.department("C", 10, 0.5, ceiling=0.20),
        ],
        [kit.group("family", 2, kit.WORKING_FAMILY), kit.group("single", 4)],
        exclusions=pd.DataFrame(
            {
                "department": ["A", "C", "P"],
                "group": ["family", "family", "single"],
                "reason": ["rooms", "rooms", "rooms"],
            }
        ),
    )
    plan = plan_referrals(problem, solver=solver)
    assert plan.total_shortfall == pytest.approx(0.0, abs=1e-5)
    assert plan.max_load == pytest.approx(0.5, abs=1e-6)
    assert plan.headroom_used == pytest.approx(4 * (0.7 + 0.2 * 0.3), abs=1e-4)
    assert plan.objectives[Stage.HEADROOM] == pytest.approx(plan.headroom_used, abs=1e-4)
    assert plan.referral_matrix()[:, 1].tolist() == pytest.approx([0, 0, 4], abs=1e-5)


def test_compatibility_and_reasons_explain_a_shortfall(kit: SimpleNamespace, solver: str) -> None:
    problem = kit.problem(
        [
            kit.department("A", 8, 0.25),
            kit.department("B", 8, 0.25),
            kit.department("Banned", 8, 0.25),
            kit.department("Dear", 8, 0.25),
            kit.department("Empty", 0, 0.25),
        ],
        [kit.group("homeless", 10), kit.group("refugee", 1)],
        exclusions=pd.DataFrame(
            {
                "department": ["Banned", "Dear", "Dear"],
                "group": ["homeless", "homeless", "refugee"],
                "reason": ["ban", "rent", "rent"],
            }
        ),
    )
    plan = plan_referrals(problem, solver=solver)
    # 4 slots in A and B, shared with one refugee (who could also go to Banned).
    assert plan.total_shortfall == pytest.approx(6.0, abs=1e-5)
    assert plan.shortfall["refugee"] == pytest.approx(0.0, abs=1e-5)
    (diagnosis,) = plan.diagnoses
    assert diagnosis.group == "homeless"
    assert diagnosis.compatible == 2
    assert dict(diagnosis.excluded) == {"ban": ("Banned",), "rent": ("Dear",)}
    assert diagnosis.no_slots == 1
    text = diagnosis.text()
    assert "homeless: 6 of 10 households unplaced" in text
    assert "barred" in text and "too expensive" in text and "without referral slots" in text
    explanation = plan.explain()
    assert text in explanation
    assert "Banned" in explanation


def test_group_with_no_compatible_department(kit: SimpleNamespace) -> None:
    problem = kit.problem(
        [kit.department("A", 8, 0.25), kit.department("B", 8, 0.25)],
        [kit.group("homeless", 2), kit.group("large_family", 3)],
        compatibility=pd.DataFrame(
            {
                "department": ["A", "B", "A", "B"],
                "group": ["homeless", "homeless", "large_family", "large_family"],
                "reason": [None, "", "rooms", "rooms"],
            }
        ),
    )
    assert problem.compatible.tolist() == [[True, False], [True, False]]
    plan = plan_referrals(problem)
    assert plan.shortfall["large_family"] == pytest.approx(3.0)
    (diagnosis,) = plan.diagnoses
    assert diagnosis.blockers == (Blocker.EXCLUDED,)
    assert "no department both fits the group" in diagnosis.text()
    assert dict(diagnosis.excluded) == {"rooms": ("A", "B")}
    # Unlisted pairs are excluded too, and say so.
    unlisted = kit.problem(
        [kit.department("A", 8, 0.25)],
        [kit.group("homeless", 2), kit.group("other", 1)],
        compatibility=pd.DataFrame({"department": ["A"], "group": ["homeless"]}),
    )
    (only,) = plan_referrals(unlisted).diagnoses
    assert only.blockers == (Blocker.NO_DEPARTMENT,)


def test_integer_plan_is_whole_and_prices_come_from_the_relaxation(
    kit: SimpleNamespace, solver: str
) -> None:
    # Fractional slots (2.1 and 2.1) round down in effect: 4 whole households of 6.
    problem = kit.problem(
        [kit.department("A", 8.4, 0.25), kit.department("B", 8.4, 0.25)],
        [kit.group("homeless", 6)],
    )
    lp = plan_referrals(problem, solver=solver)
    milp = plan_referrals(problem, solver=solver, integer=True)
    assert lp.total_shortfall == pytest.approx(6 - 4.2, abs=1e-5)
    assert milp.total_shortfall == pytest.approx(2.0, abs=1e-6)
    assert milp.integer and milp.prices_from_relaxation and not lp.prices_from_relaxation
    assert np.allclose(milp.allocation["referrals"], np.round(milp.allocation["referrals"]))
    assert milp.departments["slot_value_households"].tolist() == pytest.approx([1.0, 1.0])
    assert "LP relaxation" in milp.explain()
    kit.assert_feasible(milp)


def test_integer_max_load(kit: SimpleNamespace, solver: str) -> None:
    # 3 households over 10 + 10 vacancies: 15 % each as an LP, but whole households make it 2 + 1.
    problem = kit.problem(
        [kit.department("A", 10, 0.5), kit.department("B", 10, 0.5)], [kit.group("homeless", 3)]
    )
    assert plan_referrals(problem, solver=solver).max_load == pytest.approx(0.15, abs=1e-6)
    milp = plan_referrals(problem, solver=solver, integer=True)
    assert milp.max_load == pytest.approx(0.2, abs=1e-9)
    assert milp.objectives[Stage.MAX_LOAD] == pytest.approx(0.2, abs=1e-9)
    assert sorted(milp.departments["referrals"]) == [1.0, 2.0]


def test_tables_and_explanations(kit: SimpleNamespace) -> None:
    problem = kit.problem(
        [kit.department("A", 8, 0.25), kit.department("B", 8, 0.25)],
        [kit.group("homeless", 6)],
    )
    plan = plan_referrals(problem, solver=SolverName.HIGHS)
    frames = plan.to_frames()
    assert set(frames) == {"plan", "departments", "groups", "fits", "sensitivities"}
    unpooled = [column for column in SENSITIVITY_TABLE_COLUMNS if column != "unit"]
    assert list(frames["sensitivities"].columns) == unpooled
    assert list(frames["plan"].columns) == list(ALLOCATION_TABLE_COLUMNS)
    assert list(frames["departments"].columns) == list(DEPARTMENT_TABLE_COLUMNS)
    assert list(frames["fits"].columns) == list(FITS_TABLE_COLUMNS)
    assert frames["fits"].empty  # no capacities given
    assert (
        np.isinf(frames["plan"]["capacity"]).all() and not frames["plan"]["capacity_binding"].any()
    )
    assert frames["plan"]["referrals"].sum() == pytest.approx(4.0, abs=1e-5)
    frames["plan"].loc[0, "referrals"] = -1  # a copy: the plan is unchanged
    assert (plan.allocation["referrals"] >= 0).all()
    groups = frames["groups"].set_index("group")
    assert groups.loc["homeless", "shortfall"] == pytest.approx(2.0, abs=1e-5)
    assert groups.loc["homeless", "shortfall_per_demand"] == pytest.approx(1.0)
    text = plan.explain()
    markdown = plan.explain_markdown()
    for fragment in (
        "4 of 6 households are placed",
        "25.0 %",
        "One more slot would house 1.00 more households in each of 2 departments: 'A', 'B'.",
    ):
        assert fragment in text
        assert fragment in markdown
    assert markdown.startswith("# Referral plan")
    assert "| homeless | 6 | 4 | 2 |" in markdown
