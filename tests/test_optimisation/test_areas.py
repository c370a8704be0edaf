"""Area protection: the lists are about areas, so the plan can limit an area's projected share.

Hand instance: departments A and B form area "north" (protected at 0.30), C is area "small" (not
protected). Newcomers are the defaults (1.3 adults, 0.3 outside). A and B each end the period with
``A⁰ = 100 − 10 + 13 = 103`` adults and ``O⁰ = 25·0.9 + 3 = 25.5`` outside, so the area has
``A⁰ = 206``, ``O⁰ = 51`` and headroom ``R = 0.30·206 − 51 = 10.8`` persons; a single adult
outside work uses ``w^a = 0.7 + 0.30·0.3 = 0.79`` of it.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from optimisation import ProblemDataError, ReferralProblem, plan_referrals
from optimisation.model import create_model

ROWS = {"households": 100, "adults": 100, "adults_outside": 25}


def _problem(kit: SimpleNamespace, **kwargs: object) -> ReferralProblem:
    departments = [
        kit.department(name, 10.0, 1.0, area=area, **ROWS)
        for name, area in (("A", "north"), ("B", "north"), ("C", "small"))
    ]
    areas = pd.DataFrame({"area": ["north", "small"], "ceiling": [0.30, None]})
    options = {"areas": areas, "department_ceilings": False} | kwargs
    return kit.problem(departments, [kit.group("single", 30.0)], **options)


def test_area_headroom_and_usage_by_hand(kit: SimpleNamespace) -> None:
    problem = _problem(kit)
    assert problem.areas == ("north", "small")
    assert problem.protected_areas.tolist() == [True, False]
    assert problem.area_baseline_adults.tolist() == pytest.approx([206.0, 103.0])
    assert problem.area_headroom.tolist() == pytest.approx([0.30 * 206 - 51, 0.0])
    assert problem.area_usage[:, 0].tolist() == pytest.approx([0.79, 0.79, 0.0])


def test_rows_exist_exactly_for_protected_areas(kit: SimpleNamespace) -> None:
    model = create_model(_problem(kit))
    assert [row.name for row in model.area] == ["area_north"]
    assert model.composition == []  # no department ceilings
    both = create_model(_problem(kit, department_ceilings=True))
    assert len(both.composition) == 3 and len(both.area) == 1


def test_plan_keeps_the_protected_area_below_its_ceiling(kit: SimpleNamespace, solver: str) -> None:
    problem = _problem(kit)
    plan = plan_referrals(problem, solver=solver)
    kit.assert_feasible(plan)
    matrix = plan.referral_matrix()
    north = matrix[:2, 0].sum()
    assert north == pytest.approx((0.30 * 206 - 51) / 0.79, rel=1e-6)
    share = (51 + 0.7 * north) / (206 - 0.3 * north)  # every referral in place of a newcomer
    assert share == pytest.approx(0.30, abs=1e-6)
    assert matrix[2, 0] == pytest.approx(10.0)  # the small area takes its slots in full
    areas = plan.areas.set_index("area")
    assert bool(areas.loc["north", "binding"]) and not bool(areas.loc["small", "binding"])
    assert areas.loc["north", "value_households"] == pytest.approx(1 / 0.79, rel=1e-6)
    diagnosis = plan.diagnoses[0]
    assert diagnosis.area_full == 2 and "protected area" in diagnosis.text()
    assert "protected area" in plan.explain()
    assert {"plan", "departments", "groups", "fits", "areas"} <= set(plan.to_frames())


def test_newcomers_like_the_residents_leave_less_room(kit: SimpleNamespace) -> None:
    plain = _problem(kit)
    departments = [
        kit.department(
            name, 10.0, 1.0, area="north", newcomer_adults=1.3, newcomer_outside=0.5, **ROWS
        )
        for name in ("A", "B")
    ]
    areas = pd.DataFrame({"area": ["north"], "ceiling": [0.30]})
    fragile = kit.problem(departments, [kit.group("single", 30.0)], areas=areas)
    assert fragile.area_headroom[0] < plain.area_headroom[0]
    assert fragile.area_baseline_outside[0] == pytest.approx(2 * (22.5 + 5.0))


def test_area_data_are_checked(kit: SimpleNamespace) -> None:
    with pytest.raises(ProblemDataError, match=r"areas.area: not an area of any department"):
        _problem(kit, areas=pd.DataFrame({"area": ["south"], "ceiling": [0.3]}))
    with pytest.raises(ProblemDataError, match=r"areas.ceiling: outside 0–1"):
        _problem(kit, areas=pd.DataFrame({"area": ["north"], "ceiling": [1.3]}))
    departments = [kit.department("A", 10.0, 1.0, newcomer_adults=1.0, newcomer_outside=2.0)]
    with pytest.raises(ProblemDataError, match="newcomer_outside: more persons"):
        kit.problem(departments, [kit.group("single", 1.0)])


def test_without_areas_nothing_changes(kit: SimpleNamespace) -> None:
    departments = [kit.department(name, 10.0, 0.5, **ROWS) for name in ("A", "B")]
    problem = kit.problem(departments, [kit.group("single", 30.0)])
    assert problem.areas == () and not problem.area_usage.any()
    plan = plan_referrals(problem)
    assert plan.areas.empty and "areas" not in plan.to_frames()
    np.testing.assert_allclose(problem.protection_usage, np.maximum(problem.usage, 0.0))
