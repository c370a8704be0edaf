"""Honest sensitivities: a shadow price is stated as a gain only when ranging or a re-solve
confirms it, and the fairness stage spreads a shortfall over the groups.

The degenerate case is the one the review found: every department above its ceiling, so nobody
can be placed, yet the LP's dual says one more slot houses a whole household.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from optimisation import Stage, plan_referrals
from optimisation.sensitivity import MAX_RESOLVES

ABOVE = {"households": 80, "adults": 100, "adults_outside": 60}


def test_a_degenerate_slot_price_is_not_stated_as_a_gain(kit: SimpleNamespace, solver: str) -> None:
    departments = [kit.department(name, 8.0, 0.0, **ABOVE) for name in ("A", "B")]
    plan = plan_referrals(kit.problem(departments, [kit.group("homeless", 6.0)]), solver=solver)
    assert plan.placed == 0
    assert plan.departments["slot_value_households"].tolist() == pytest.approx([1.0, 1.0])
    checked = plan.sensitivities.set_index("department")
    assert checked["reading"].tolist() == ["degenerate", "degenerate"]
    assert checked["gain_of_one"].tolist() == pytest.approx([0.0, 0.0], abs=1e-6)
    text = plan.explain()
    assert "One more slot would house" not in text
    assert "Degenerate in department 'A'" in text and "houses 0.00 more" in text
    assert "confirmed to house more households" in text


def test_a_price_ranging_confirms_is_stated_as_a_gain(kit: SimpleNamespace) -> None:
    departments = [kit.department(name, 8.0, 0.25) for name in ("A", "B")]
    plan = plan_referrals(kit.problem(departments, [kit.group("homeless", 6.0)]), solver="highs")
    checked = plan.sensitivities
    assert (checked["reading"] == "confirmed").all() and len(checked) == 2
    assert (checked["holds_for"] >= 1).any()  # by ranging, without a re-solve
    assert "One more slot would house 1.00 more households in each of 2 departments" in (
        plan.explain()
    )


def test_a_rate_that_holds_for_part_of_a_unit_reports_the_re_solved_gain(
    kit: SimpleNamespace, solver: str
) -> None:
    departments = [
        kit.department(name, 8.0, 0.25, households=80, adults=100, adults_outside=34)
        for name in ("A", "B")
    ]
    plan = plan_referrals(kit.problem(departments, [kit.group("homeless", 6.0)]), solver=solver)
    checked = plan.sensitivities
    assert set(checked["reading"]) == {"degenerate"}
    gain = float(checked["gain_of_one"].iloc[0])
    assert 0 < gain < float(checked["rate"].iloc[0])
    assert f"houses {gain:.2f} more" in plan.explain()


def test_re_solves_are_capped_and_the_rest_called_unchecked(kit: SimpleNamespace) -> None:
    departments = [kit.department(f"D{i:02d}", 8.0, 0.0, **ABOVE) for i in range(MAX_RESOLVES + 3)]
    plan = plan_referrals(kit.problem(departments, [kit.group("homeless", 6.0)]), solver="highs")
    readings = plan.sensitivities["reading"].value_counts()
    assert readings["degenerate"] == MAX_RESOLVES and readings["unchecked"] == 3
    assert "3 more limits have a positive shadow price that was not checked" in plan.explain()
    assert "sensitivities" in plan.to_frames()


def test_unchecked_prices_are_rates_only(kit: SimpleNamespace) -> None:
    departments = [kit.department(name, 8.0, 0.25) for name in ("A", "B")]
    problem = kit.problem(departments, [kit.group("homeless", 6.0)])
    plan = plan_referrals(problem, check_prices=False)
    assert plan.sensitivities.empty
    text = plan.explain()
    assert "were not checked" in text and "would house up to 1.00 more" in text


def test_fairness_stage_spreads_the_shortfall_over_the_groups(
    kit: SimpleNamespace, solver: str
) -> None:
    # 4 slots for 8 households of two groups; the second group uses more headroom, so without
    # the fairness stage the headroom stage leaves it out entirely
    departments = [kit.department("A", 16.0, 0.25)]
    groups = [
        kit.group("families", 6.0, {"adults_per_household": 2.0, "outside_per_household": 0.5}),
        kit.group("singles", 2.0),
    ]
    problem = kit.problem(departments, groups)
    plain = plan_referrals(problem, solver=solver)
    fair = plan_referrals(problem, solver=solver, fairness=True)
    kit.assert_feasible(fair)
    assert plain.total_shortfall == pytest.approx(fair.total_shortfall, abs=1e-5) == 4.0
    assert plain.max_shortfall_share == pytest.approx(1.0, abs=1e-6)
    assert fair.max_shortfall_share == pytest.approx(0.5, abs=1e-5)
    np.testing.assert_allclose(fair.shortfall.to_numpy(), [3.0, 1.0], atol=1e-5)
    assert fair.objectives[Stage.FAIRNESS] == pytest.approx(0.5, abs=1e-5)
    assert Stage.FAIRNESS not in plain.objectives
    assert "No group has more than 50.0 % of its demand unplaced" in fair.explain()
    whole = plan_referrals(problem, solver=solver, integer=True, fairness=True)
    assert whole.max_shortfall_share == pytest.approx(0.5, abs=1e-6)
