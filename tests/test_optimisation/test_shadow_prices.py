"""Every shadow price checked by solving again with one more unit of the limit.

On hand instances built so that the LP is not degenerate in the limit priced, the change equals
price × step exactly (within the limit's range). On random instances, where duals need not be
unique, the price must still be a valid one-sided bound: the optimal value of a minimisation LP
is convex in a right-hand side, so one more unit can gain *at most* the price.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimisation import ReferralPlan, ReferralProblem, plan_referrals


def with_more_slots(problem: ReferralProblem, department: int, step: float) -> ReferralProblem:
    """The same problem with ``step`` more referral slots in one department (share raised)."""
    share = problem.referral_share.copy()
    share[department] += step / problem.vacancies[department]
    return dataclasses.replace(problem, referral_share=share)


def with_more_headroom(problem: ReferralProblem, department: int, step: float) -> ReferralProblem:
    """The same problem with ``step`` more persons of headroom in one department.

    Lowers today's adults outside work/education: ``R`` rises by ``(1 − f) ΔO`` while positive.
    """
    outside = problem.adults_outside.copy()
    outside[department] -= step / (1 - problem.leaving_share[department])
    return dataclasses.replace(problem, adults_outside=outside)


def row(plan: ReferralPlan, department: str) -> dict[str, float]:
    return plan.departments.set_index("department").loc[department].to_dict()


def test_slot_price_in_households(kit: SimpleNamespace, solver: str) -> None:
    problem = kit.problem(
        [kit.department("A", 8, 0.25), kit.department("B", 8, 0.25)], [kit.group("homeless", 6)]
    )
    plan = plan_referrals(problem, solver=solver)
    price = row(plan, "A")["slot_value_households"]
    assert price == pytest.approx(1.0)
    again = plan_referrals(with_more_slots(problem, 0, 1.0), solver=solver)
    assert plan.total_shortfall - again.total_shortfall == pytest.approx(price * 1.0, abs=1e-5)


def test_headroom_price_in_households(kit: SimpleNamespace, solver: str) -> None:
    problem = kit.problem(
        [kit.department("A", 10, 1.0, households=50, adults=100, adults_outside=30)],
        [kit.group("homeless_single", 10)],
    )
    plan = plan_referrals(problem, solver=solver)
    price = row(plan, "A")["headroom_value_households"]
    assert price == pytest.approx(1 / 0.805, rel=1e-6)
    assert row(plan, "A")["slot_value_households"] == 0.0
    richer = with_more_headroom(problem, 0, 1.0)
    assert richer.headroom[0] == pytest.approx(problem.headroom[0] + 1.0)
    again = plan_referrals(richer, solver=solver)
    assert plan.total_shortfall - again.total_shortfall == pytest.approx(price, abs=1e-5)


def test_slot_price_in_max_load(kit: SimpleNamespace, solver: str) -> None:
    # A's 0.8 slots are full; B carries L = 2.2 / 8. Each extra slot in A moves a household from B.
    problem = kit.problem(
        [kit.department("A", 8, 0.1), kit.department("B", 8, 0.5)], [kit.group("homeless", 3)]
    )
    plan = plan_referrals(problem, solver=solver)
    price = row(plan, "A")["slot_value_max_load"]
    assert price == pytest.approx(1 / 8, rel=1e-6)
    assert row(plan, "A")["slot_value_households"] == 0.0
    step = 0.5  # within the range: A could take up to 1.5 before the loads are equal
    again = plan_referrals(with_more_slots(problem, 0, step), solver=solver)
    assert again.total_shortfall == pytest.approx(plan.total_shortfall, abs=1e-5)
    assert plan.max_load - again.max_load == pytest.approx(price * step, abs=1e-6)


def test_headroom_price_in_max_load(kit: SimpleNamespace, solver: str) -> None:
    # A's headroom (2.35 persons) admits 2.919 singles; B takes the rest: L = (10 − 2.919) / 10.
    problem = kit.problem(
        [
            kit.department("A", 10, 1.0, households=50, adults=100, adults_outside=34),
            kit.department("B", 10, 1.0),
        ],
        [kit.group("single", 10)],
    )
    assert problem.headroom[0] == pytest.approx(2.35)
    plan = plan_referrals(problem, solver=solver)
    assert plan.max_load == pytest.approx(1 - 2.35 / 0.805 / 10, abs=1e-6)
    price = row(plan, "A")["headroom_value_max_load"]
    assert price == pytest.approx(1 / (0.805 * 10), rel=1e-6)
    step = 0.5
    again = plan_referrals(with_more_headroom(problem, 0, step), solver=solver)
    assert plan.max_load - again.max_load == pytest.approx(price * step, abs=1e-6)


def test_demand_price(kit: SimpleNamespace, solver: str) -> None:
    problem = kit.problem(
        [kit.department("A", 8, 0.25), kit.department("B", 8, 0.25)],
        [kit.group("homeless", 6), kit.group("refugee", 1)],
        exclusions=__import__("pandas").DataFrame(
            {"department": ["A"], "group": ["refugee"], "reason": ["rooms"]}
        ),
    )
    plan = plan_referrals(problem, solver=solver)
    prices = plan.groups.set_index("group")["shortfall_per_demand"]
    assert prices["homeless"] == pytest.approx(1.0)
    demand = problem.demand.copy()
    demand[0] += 1
    again = plan_referrals(dataclasses.replace(problem, demand=demand), solver=solver)
    assert again.total_shortfall - plan.total_shortfall == pytest.approx(prices["homeless"])


@st.composite
def small_problems(draw: st.DrawFn) -> ReferralProblem:
    """Random small problems with a few departments and groups, some with no vacancies."""
    n_departments = draw(st.integers(1, 5))
    n_groups = draw(st.integers(1, 3))
    shares = st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.9])
    amounts = st.floats(0, 20, allow_nan=False).map(lambda x: round(x, 2))
    vacancies = [draw(st.sampled_from([0.0, 2.0, 5.0, 8.4, 12.0])) for _ in range(n_departments)]
    households = [draw(st.integers(0, 120)) for _ in range(n_departments)]
    adults = [round(h * draw(st.floats(1.0, 1.8)), 1) for h in households]
    outside = [round(a * draw(st.floats(0.05, 0.6)), 1) for a in adults]
    adults_per = [draw(st.sampled_from([1.0, 1.5, 2.0])) for _ in range(n_groups)]
    outside_per = [round(a * draw(st.floats(0, 1)), 2) for a in adults_per]
    compatible = np.array(
        [
            [draw(st.booleans()) or draw(st.booleans()) for _ in range(n_groups)]
            for _ in range(n_departments)
        ]
    )
    return ReferralProblem(
        departments=tuple(f"d{i}" for i in range(n_departments)),
        groups=tuple(f"g{j}" for j in range(n_groups)),
        vacancies=np.array(vacancies),
        referral_share=np.array([draw(shares) for _ in range(n_departments)]),
        households=np.array(households, dtype=float),
        adults=np.array(adults),
        adults_outside=np.array(outside),
        demand=np.array([draw(amounts) for _ in range(n_groups)]),
        adults_per_household=np.array(adults_per),
        outside_per_household=np.array(outside_per),
        compatible=compatible,
    )


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(problem=small_problems(), data=st.data())
def test_prices_bound_the_gain_of_one_more_unit(
    problem: ReferralProblem, data: st.DataObject
) -> None:
    plan = plan_referrals(problem, solver="highs")
    table = plan.departments
    department = data.draw(st.integers(0, problem.n_departments - 1), label="department")
    step = 1.0
    if (
        problem.vacancies[department] > 0
        and problem.slots[department] + step <= problem.vacancies[department]
    ):
        again = plan_referrals(with_more_slots(problem, department, step), solver="highs")
        gain = plan.total_shortfall - again.total_shortfall
        assert gain <= table["slot_value_households"].iloc[department] * step + 1e-6
        if abs(gain) <= 1e-9:
            load_gain = plan.max_load - again.max_load
            assert load_gain <= table["slot_value_max_load"].iloc[department] * step + 1e-6
    if problem.headroom[department] > 0 and problem.leaving_share[department] < 1:
        room = min(
            step, problem.adults_outside[department] * (1 - problem.leaving_share[department])
        )
        if room > 1e-3:
            again = plan_referrals(with_more_headroom(problem, department, room), solver="highs")
            gain = plan.total_shortfall - again.total_shortfall
            assert gain <= table["headroom_value_households"].iloc[department] * room + 1e-6
            if abs(gain) <= 1e-9:
                load_gain = plan.max_load - again.max_load
                assert load_gain <= table["headroom_value_max_load"].iloc[department] * room + 1e-6
