"""Capacities per pair (and per pool of groups): the dwellings that fit a group limit its referrals.

The hand instance throughout: department A has 40 vacancies and a share of 1/2 (20 slots), but only
3 of its referral slots are in dwellings cheap enough for singles (capacity 3); B has 8 vacancies
and a share of 1/4 (2 slots, no capacity given). Ten singles: 3 go to A and 2 to B, 5 are left.
Without the capacity, A's 20 slots would take all ten.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimisation import (
    FITS_TABLE_COLUMNS,
    Blocker,
    ProblemDataError,
    ReferralProblem,
    Stage,
    plan_referrals,
)
from optimisation.model import create_model
from optimisation.solvers import expression

W_SINGLE = 0.805
"""Headroom used by one single outside work (see conftest): 0.7 + 0.35 · 0.3 persons."""


def capacity_problem(kit: SimpleNamespace, capacity_a: float = 3.0, **kwargs: Any) -> Any:
    """A (20 slots, ``capacity_a`` fitting) and B (2 slots, no capacity); ten singles."""
    return kit.problem(
        [kit.department("A", 40, 0.5), kit.department("B", 8, 0.25)],
        [kit.group("single", 10)],
        compatibility=pd.DataFrame(
            {
                "department": ["A", "B"],
                "group": ["single", "single"],
                "capacity": [capacity_a, None],
            }
        ),
        **kwargs,
    )


def with_capacity(problem: ReferralProblem, department: int, group: int, step: float) -> Any:
    """The same problem with ``step`` more capacity for a pair (and the rest of its pool)."""
    assert problem.capacity is not None
    capacity = problem.capacity.copy()
    pool = problem.pool_index == problem.pool_index[group]
    capacity[department, pool] += step
    return dataclasses.replace(problem, capacity=capacity)


def test_capacity_binds(kit: SimpleNamespace, solver: str) -> None:
    problem = capacity_problem(kit)
    assert problem.pair_capacity.tolist() == [[3.0], [np.inf]]
    assert problem.has_capacity
    plan = plan_referrals(problem, solver=solver)
    kit.assert_feasible(plan)
    assert plan.objectives[Stage.SHORTFALL] == pytest.approx(5.0, abs=1e-5)
    assert plan.total_shortfall == pytest.approx(5.0, abs=1e-5)
    assert plan.max_load == pytest.approx(0.25, abs=1e-6)  # B must give both slots
    assert plan.objectives[Stage.HEADROOM] == pytest.approx(5 * W_SINGLE, abs=1e-4)
    table = plan.departments.set_index("department")
    assert table.loc["A", "referrals"] == pytest.approx(3.0, abs=1e-5)
    assert table.loc["A", "fits_binding"] == 1 and table.loc["B", "fits_binding"] == 0
    assert table.loc["A", "binding"] == "fits"
    assert not table.loc["A", "slots_binding"]
    # The same departments without the capacity would house everyone.
    free = dataclasses.replace(problem, capacity=None)
    assert plan_referrals(free, solver=solver).total_shortfall == pytest.approx(0.0, abs=1e-5)


def test_capacity_is_reported(kit: SimpleNamespace, solver: str) -> None:
    plan = plan_referrals(capacity_problem(kit), solver=solver)
    fits = plan.fits
    assert list(fits.columns) == list(FITS_TABLE_COLUMNS)
    assert len(fits) == 1  # only A has a finite capacity
    row = fits.iloc[0]
    assert (row["department"], row["pool"], row["groups"]) == ("A", "single", "single")
    assert row["capacity"] == 3.0
    assert row["referrals"] == pytest.approx(3.0, abs=1e-5)
    assert row["capacity_left"] == pytest.approx(0.0, abs=1e-5)
    assert row["binding"]
    assert row["value_households"] == pytest.approx(1.0)
    allocation = plan.allocation.set_index("department")
    assert allocation.loc["A", "capacity"] == 3.0 and allocation.loc["A", "capacity_binding"]
    assert np.isinf(allocation.loc["B", "capacity"]) and not allocation.loc["B", "capacity_binding"]
    assert set(plan.to_frames()) - {"sensitivities"} == {"plan", "departments", "groups", "fits"}

    (diagnosis,) = plan.diagnoses
    assert set(diagnosis.blockers) == {Blocker.SLOTS, Blocker.FITTING}
    assert diagnosis.fitting_full == 1 and diagnosis.slots_full == 1
    assert diagnosis.fitting_capacity == pytest.approx(3.0)
    assert diagnosis.fitting_used == pytest.approx(3.0, abs=1e-5)
    assert diagnosis.room_left == 0
    text = diagnosis.text()
    assert "the dwellings that fit the group (rooms, rent) are used up in 1 of them" in text
    assert "they can take 3 referrals of the group; 3 are planned" in text

    explanation = plan.explain()
    markdown = plan.explain_markdown()
    for fragment in (
        text,
        "The dwellings that fit a group (rooms, rent) are used up in 1 department: for "
        "single in 1 department ('A').",
        "One more fitting dwelling for single (a vacancy with rooms and rent that fit, for the "
        "municipality to claim) would house 1.00 more households of it in department 'A'.",
    ):
        assert fragment in explanation
        assert fragment in markdown


def test_fits_rows_are_named_after_the_policy(kit: SimpleNamespace, tmp_path: Path) -> None:
    problem = kit.problem(
        [kit.department("Nørrebro 4", 8, 0.5), kit.department("Vest", 8, 0.5)],
        [kit.group("homeless single", 3), kit.group("refugee", 5)],
        compatibility=pd.DataFrame(
            {
                "department": ["Nørrebro 4", "Nørrebro 4", "Vest", "Vest"],
                "group": ["homeless single", "refugee", "homeless single", "refugee"],
                "capacity": [1.0, np.nan, np.inf, 0.0],
            }
        ),
    )
    model = create_model(problem)
    assert [c.name for c in model.fits] == ["fits_Noerrebro_4_homeless_single", "fits_Vest_refugee"]
    assert model.fits_rows.tolist() == [0, 1] and model.fits_pools.tolist() == [0, 1]
    model.lp.setObjective(expression(dict.fromkeys(model.shortfall, 1.0)))
    path = tmp_path / "plan.lp"
    model.lp.writeLP(str(path))
    assert "fits_Noerrebro_4_homeless_single: referrals_Noerrebro_4_homeless_single <= 1" in (
        path.read_text()
    )
    # A capacity of 0 keeps refugees out of Vest (and prices what a fitting dwelling is worth):
    # Nørrebro's 4 slots take 4 refugees, Vest's the 3 singles, and one refugee is left.
    plan = plan_referrals(problem)
    assert plan.referral_matrix()[1, 1] == 0.0
    assert plan.total_shortfall == pytest.approx(1.0, abs=1e-6)
    assert plan.fits.set_index("department").loc["Vest", "value_households"] == pytest.approx(1.0)


def test_capacity_shadow_price_in_households(kit: SimpleNamespace, solver: str) -> None:
    problem = capacity_problem(kit)
    plan = plan_referrals(problem, solver=solver)
    price = plan.fits.iloc[0]["value_households"]
    np.testing.assert_allclose(plan.prices[0].capacity_price, [[price], [0.0]])
    assert price == pytest.approx(1.0)
    for step in (1.0, 0.1):  # A has 17 slots to spare: the price holds for whole dwellings too
        again = plan_referrals(with_capacity(problem, 0, 0, step), solver=solver)
        gain = plan.total_shortfall - again.total_shortfall
        assert gain == pytest.approx(price * step, abs=1e-5)  # CBC: stage optima ± 1e-6 U


def test_capacity_shadow_price_in_max_load(kit: SimpleNamespace, solver: str) -> None:
    # Four singles, 10 slots each in A and B: 2 + 2 (L = 0.2) without a capacity; with only one
    # fitting dwelling in A, B takes 3 (L = 0.3). Each extra unit in A moves 1/10 of load off B.
    problem = kit.problem(
        [kit.department("A", 10, 1.0), kit.department("B", 10, 1.0)],
        [kit.group("single", 4)],
        compatibility=pd.DataFrame(
            {"department": ["A", "B"], "group": ["single"] * 2, "capacity": [1.0, np.nan]}
        ),
    )
    plan = plan_referrals(problem, solver=solver)
    assert plan.total_shortfall == pytest.approx(0.0, abs=1e-5)
    assert plan.max_load == pytest.approx(0.3, abs=1e-6)
    row = plan.fits.iloc[0]
    assert row["value_households"] == 0.0
    assert row["value_max_load"] == pytest.approx(0.1, rel=1e-6)
    step = 0.5  # within the range: up to 1 more before the loads are equal
    again = plan_referrals(with_capacity(problem, 0, 0, step), solver=solver)
    assert plan.max_load - again.max_load == pytest.approx(row["value_max_load"] * step, abs=1e-6)


def pooled_problem(kit: SimpleNamespace, pooled: bool = True) -> ReferralProblem:
    """Singles with and without a barred trait share A's 3 fitting slots; barred ones may not go
    to B (a listed area)."""
    groups = pd.DataFrame([kit.group("single", 4), kit.group("single:barred", 4)])
    if pooled:
        groups["capacity_pool"] = ["single", "single"]
    compatibility = pd.DataFrame(
        {
            "department": ["A", "A", "B", "B"],
            "group": ["single", "single:barred", "single", "single:barred"],
            "reason": ["", "", "", "ban"],
            "capacity": [3.0, 3.0, None, None],
        }
    )
    departments = pd.DataFrame([kit.department("A", 40, 0.5), kit.department("B", 8, 0.25)])
    return ReferralProblem.from_frames(departments, groups, compatibility)


def test_a_pool_shares_its_capacity(kit: SimpleNamespace, solver: str) -> None:
    problem = pooled_problem(kit)
    assert problem.pools == ("single",)
    assert problem.pool_index.tolist() == [0, 0]
    assert problem.compatible.tolist() == [[True, True], [True, False]]
    plan = plan_referrals(problem, solver=solver)
    kit.assert_feasible(plan)
    # 3 in A for both subgroups together, 2 more singles in B.
    assert plan.total_shortfall == pytest.approx(3.0, abs=1e-5)
    assert kit.pool_matrix(problem, plan.referral_matrix())[0, 0] == pytest.approx(3.0, abs=1e-5)
    (row,) = plan.fits.itertuples(index=False)
    assert (row.department, row.pool, row.groups) == ("A", "single", "single, single:barred")
    model = create_model(problem)
    assert [c.name for c in model.fits] == ["fits_A_single"]
    assert len(model.fits[0]) == 2  # Σ over both subgroups
    barred = {d.group: d for d in plan.diagnoses}
    assert barred, "a group falls short"
    for diagnosis in plan.diagnoses:
        assert Blocker.FITTING in diagnosis.blockers
        assert diagnosis.shared_with == tuple({"single", "single:barred"} - {diagnosis.group})
        assert "shared with" in diagnosis.text()
    # Each subgroup with its own 3 would double count A's fitting dwellings: 3 + 3 in A.
    unpooled = plan_referrals(pooled_problem(kit, pooled=False), solver=solver)
    assert unpooled.total_shortfall == pytest.approx(1.0, abs=1e-5)


def test_integer_plan_rounds_capacity_down(kit: SimpleNamespace, solver: str) -> None:
    problem = capacity_problem(kit, capacity_a=2.5)
    lp = plan_referrals(problem, solver=solver)
    milp = plan_referrals(problem, solver=solver, integer=True)
    kit.assert_feasible(milp)
    assert lp.total_shortfall == pytest.approx(10 - 2.5 - 2, abs=1e-5)
    assert milp.total_shortfall == pytest.approx(10 - 2 - 2, abs=1e-6)
    assert milp.referral_matrix()[0, 0] == pytest.approx(2.0)
    (row,) = milp.fits.itertuples(index=False)
    assert row.capacity == 2.0 and row.binding  # the whole households its row allows: all used
    whole, fractional = create_model(problem, integer=True), create_model(problem)
    assert [c.constant for c in whole.fits] == [-2.0]  # PuLP 4: only while the model lives
    assert [c.constant for c in fractional.fits] == [-2.5]
    assert milp.prices_from_relaxation
    assert row.value_households == pytest.approx(1.0)  # from the LP relaxation


# -- properties ------------------------------------------------------------------------------------


@st.composite
def capacity_problems(draw: st.DrawFn) -> ReferralProblem:
    """Random small problems where every compatible pair may have a capacity, sometimes shared."""
    n_departments = draw(st.integers(1, 5))
    n_groups = draw(st.integers(1, 3))
    households = np.array([draw(st.sampled_from([0, 30, 80])) for _ in range(n_departments)])
    adults = households * draw(st.sampled_from([1.2, 1.5]))
    pooled = n_groups > 1 and draw(st.booleans())
    pool_of = [draw(st.integers(0, n_groups - 2)) if pooled else g for g in range(n_groups)]
    amounts = st.sampled_from([np.inf, 0.0, 0.7, 1.0, 2.5, 6.0])
    per_pool = np.array([[draw(amounts) for _ in range(n_groups)] for _ in range(n_departments)])
    return ReferralProblem(
        departments=tuple(f"d{i}" for i in range(n_departments)),
        groups=tuple(f"g{j}" for j in range(n_groups)),
        vacancies=np.array([draw(st.sampled_from([0.0, 4.0, 9.5])) for _ in range(n_departments)]),
        referral_share=np.array(
            [draw(st.sampled_from([0.25, 0.5, 1.0])) for _ in range(n_departments)]
        ),
        households=households.astype(float),
        adults=adults,
        adults_outside=adults * draw(st.sampled_from([0.1, 0.3, 0.45])),
        demand=np.array([float(draw(st.integers(0, 10))) for _ in range(n_groups)]),
        adults_per_household=np.ones(n_groups),
        outside_per_household=np.array(
            [draw(st.sampled_from([0.0, 0.5, 1.0])) for _ in range(n_groups)]
        ),
        compatible=np.array(
            [[draw(st.booleans()) for _ in range(n_groups)] for _ in range(n_departments)]
        ),
        capacity=per_pool[:, pool_of],
        capacity_pool=tuple(f"p{p}" for p in pool_of) if pooled else None,
    )


PROPERTY = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@PROPERTY
@given(problem=capacity_problems())
def test_capacity_is_never_exceeded(problem: ReferralProblem, kit: SimpleNamespace) -> None:
    for integer in (False, True):
        plan = plan_referrals(problem, solver="highs", integer=integer)
        kit.assert_feasible(plan)
        used = kit.pool_matrix(problem, plan.referral_matrix())
        limit = problem.pool_capacity
        if integer:
            limit = np.floor(limit + 1e-9)
        assert (used <= limit + 1e-6).all()
        # The fits table reports the plan's own figures, one row per finite capacity in use.
        fits = plan.fits
        rows = [problem.departments.index(d) for d in fits["department"]]
        pools = [problem.pools.index(p) for p in fits["pool"]]
        np.testing.assert_allclose(fits["referrals"], used[rows, pools], atol=1e-9)
        assert np.isfinite(fits["capacity"]).all()
        with_slots = problem.slots[rows] > 0
        full = fits["capacity_left"] < (1.0 if integer else 1e-4)
        assert (fits["binding"] == (full & with_slots)).all()
        for diagnosis in plan.diagnoses:
            assert diagnosis.room_left == 0
            assert diagnosis.fitting_used <= diagnosis.fitting_capacity + 1e-6


@PROPERTY
@given(problem=capacity_problems())
def test_capacity_price_bounds_the_gain(problem: ReferralProblem) -> None:
    """One more unit of a capacity houses at most its stage 1 price more households."""
    plan = plan_referrals(problem, solver="highs")
    for row in plan.fits.head(4).itertuples(index=False):
        department = problem.departments.index(row.department)
        group = int(np.flatnonzero(problem.pool_index == problem.pools.index(row.pool))[0])
        again = plan_referrals(with_capacity(problem, department, group, 1.0), solver="highs")
        gain = plan.total_shortfall - again.total_shortfall
        assert -1e-6 <= gain <= row.value_households + 1e-6


# -- validation ------------------------------------------------------------------------------------


def frames(kit: SimpleNamespace) -> tuple[pd.DataFrame, pd.DataFrame]:
    departments = pd.DataFrame([kit.department("A", 8, 0.25), kit.department("B", 8, 0.25)])
    groups = pd.DataFrame([kit.group("homeless", 3), kit.group("homeless:barred", 1)])
    return departments, groups


def compatibility(capacity: list[Any]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "department": ["A", "A", "B", "B"],
            "group": ["homeless", "homeless:barred"] * 2,
            "capacity": capacity,
        }
    )


@pytest.mark.parametrize(
    ("capacity", "fragment"),
    [
        ([1.0, -2.0, None, None], "negative for ('A', 'homeless:barred') (-2)"),
        ([1.0, "few", None, None], "not a number for ('A', 'homeless:barred') ('few')"),
    ],
)
def test_bad_capacity_in_frames(kit: SimpleNamespace, capacity: list[Any], fragment: str) -> None:
    with pytest.raises(ProblemDataError) as caught:
        ReferralProblem.from_frames(*frames(kit), compatibility(capacity))
    assert caught.value.fields == ("compatibility.capacity",)
    assert fragment in str(caught.value)


def test_capacity_given_as_empty_or_inf_is_unbounded(kit: SimpleNamespace) -> None:
    problem = ReferralProblem.from_frames(*frames(kit), compatibility([None, np.inf, 2.0, ""]))
    assert problem.pair_capacity.tolist() == [[np.inf, np.inf], [2.0, np.inf]]
    assert problem.capacity is not None
    with pytest.raises(ValueError, match="read-only"):
        problem.capacity[0, 0] = 1.0
    # An excluded row's capacity is ignored, and so is its value.
    excluded = compatibility([1.0, "ignored", None, None]).assign(reason=["", "ban", "", ""])
    problem = ReferralProblem.from_frames(*frames(kit), excluded)
    assert not problem.compatible[0, 1]


def test_bad_capacity_in_arrays(kit: SimpleNamespace) -> None:
    problem = ReferralProblem.from_frames(*frames(kit))
    assert problem.capacity is None and not problem.has_capacity
    with pytest.raises(ProblemDataError, match=r"compatibility\.capacity: shape \(2, 1\)"):
        dataclasses.replace(problem, capacity=np.ones((2, 1)))
    with pytest.raises(ProblemDataError) as caught:
        dataclasses.replace(problem, capacity=np.array([[1.0, np.nan], [np.nan, 2.0]]))
    message = str(caught.value)
    assert "missing (NaN) for ('A', 'homeless:barred'), ('B', 'homeless')" in message
    assert "use inf for no limit" in message
    with pytest.raises(ProblemDataError, match=re.escape("negative for ('B', 'homeless') (-inf)")):
        dataclasses.replace(problem, capacity=np.array([[1.0, 1.0], [-np.inf, 2.0]]))


def test_a_pool_needs_one_capacity_per_department(kit: SimpleNamespace) -> None:
    departments, groups = frames(kit)
    groups["capacity_pool"] = ["homeless", "homeless"]
    with pytest.raises(ProblemDataError) as caught:
        ReferralProblem.from_frames(departments, groups, compatibility([1.0, 2.0, 3.0, 3.0]))
    assert caught.value.fields == ("compatibility.capacity",)
    assert "'A': 'homeless' (1), 'homeless:barred' (2)" in str(caught.value)
    assert "'B'" not in str(caught.value)
    # Only compatible pairs count: a banned subgroup's capacity does not matter.
    banned = compatibility([1.0, 2.0, 3.0, 3.0]).assign(reason=["", "ban", "", ""])
    problem = ReferralProblem.from_frames(departments, groups, banned)
    assert problem.pool_capacity.tolist() == [[1.0], [3.0]]
    # Empty pool cells put a group in its own pool.
    groups["capacity_pool"] = ["homeless", None]
    problem = ReferralProblem.from_frames(departments, groups, compatibility([1.0, 2.0, 3.0, 3.0]))
    assert problem.pools == ("homeless", "homeless:barred")
    problem = ReferralProblem.from_frames(departments, groups)
    with pytest.raises(ProblemDataError, match=r"groups\.capacity_pool: 1 ids, expected 2"):
        dataclasses.replace(problem, capacity_pool=("x",))
    with pytest.raises(ProblemDataError, match="missing pool id for 'homeless:barred'"):
        dataclasses.replace(problem, capacity_pool=("x", None))
