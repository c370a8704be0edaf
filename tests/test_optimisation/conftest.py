"""Shared builders for the optimiser tests: tiny problems written as rows, and a greedy baseline.

Defaults (unless a test says otherwise): ceiling θ = 0.40 − 0.05 = 0.35; a waiting-list household
has 1.3 adults of whom 0.3 are outside work or education. A department with ``households=50,
adults=100, adults_outside=30, vacancies=10`` then ends the period with ``A⁰ = 93``, ``O⁰ = 27``
and headroom ``R = 0.35·93 − 27 = 5.55`` persons; a single adult outside work or education
(``a = o = 1``) uses ``w = 0.7 + 0.35·0.3 = 0.805`` persons of it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest

from optimisation import ReferralPlan, ReferralProblem, available_solvers

SOLVERS = [str(name) for name in available_solvers()]
"""Every solver installed here (HiGHS and CBC in the test environment)."""

SINGLE = {"adults_per_household": 1.0, "outside_per_household": 1.0}
"""A single adult outside work or education: w = 0.805 at the default ceiling."""

WORKING_FAMILY = {"adults_per_household": 2.0, "outside_per_household": 0.0}
"""Two adults in work: w = −0.3 − 0.35·0.7 = −0.545, improves any department's mix."""

ROOMY = {"households": 80, "adults": 100, "adults_outside": 10}
"""A department far below the ceiling: headroom is never the limit in small examples."""


def department(name: str, vacancies: float, share: float, **columns: Any) -> dict[str, Any]:
    """One department row with roomy defaults."""
    row: dict[str, Any] = {"department": name, "vacancies": vacancies, "referral_share": share}
    row.update(ROOMY)
    row.update(columns)
    return row


def group(name: str, demand: float, profile: Mapping[str, float] = SINGLE) -> dict[str, Any]:
    """One referral group row."""
    return {"group": name, "demand": demand, **profile}


def problem_from_rows(
    departments: Sequence[Mapping[str, Any]],
    groups: Sequence[Mapping[str, Any]],
    **kwargs: Any,
) -> ReferralProblem:
    """Build a problem from lists of row dicts."""
    return ReferralProblem.from_frames(pd.DataFrame(departments), pd.DataFrame(groups), **kwargs)


@pytest.fixture(params=SOLVERS)
def solver(request: pytest.FixtureRequest) -> str:
    """Each installed solver in turn."""
    return str(request.param)


def greedy_allocation(problem: ReferralProblem) -> np.ndarray:
    """A simple feasible plan: groups in order, departments in order, as much as fits.

    Respects compatibility, slots, composition (``Σ max(0, w) x ≤ R``) and the capacities of the
    capacity pools by construction.
    """
    slots_left = problem.slots.copy()
    headroom_left = problem.headroom.copy()
    capacity_left = problem.pool_capacity.copy()
    usage = np.maximum(problem.usage, 0.0)
    plan = np.zeros((problem.n_departments, problem.n_groups))
    for g in range(problem.n_groups):
        remaining = float(problem.demand[g])
        for d in range(problem.n_departments):
            if remaining <= 0 or not problem.compatible[d, g] or slots_left[d] <= 0:
                continue
            pool = problem.pool_index[g]
            fits = min(remaining, slots_left[d], capacity_left[d, pool])
            if usage[d, g] > 0:
                fits = min(fits, headroom_left[d] / usage[d, g])
            fits = max(fits, 0.0)
            plan[d, g] = fits
            remaining -= fits
            slots_left[d] -= fits
            capacity_left[d, pool] -= fits
            headroom_left[d] -= usage[d, g] * fits
    return plan


def load_of(problem: ReferralProblem, plan: np.ndarray) -> float:
    """Largest share of any department's vacancies referred by ``plan``."""
    per_department = plan.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        load = np.where(problem.vacancies > 0, per_department / problem.vacancies, 0.0)
    return float(load.max())


def pool_matrix(problem: ReferralProblem, plan: np.ndarray) -> np.ndarray:
    """Referrals per department and capacity pool (departments × pools)."""
    membership = np.zeros((problem.n_groups, len(problem.pools)))
    membership[np.arange(problem.n_groups), problem.pool_index] = 1.0
    return plan @ membership


def assert_feasible(plan: ReferralPlan, tolerance: float = 1e-6) -> None:
    """Assert the plan keeps every rule of the LP (slots, compatibility, headroom, capacity,
    demand, load); an integer plan keeps every capacity rounded down."""
    problem = plan.problem
    matrix = plan.referral_matrix()
    scale = tolerance * np.maximum(1.0, problem.slots)
    assert (matrix >= 0).all()
    assert (matrix[~problem.compatible] == 0).all(), "referral to an incompatible pair"
    assert (matrix.sum(axis=1) <= problem.slots + scale).all(), "slots exceeded"
    if problem.department_ceilings:
        usage = (np.maximum(problem.usage, 0.0) * matrix).sum(axis=1)
        headroom_tolerance = tolerance * np.maximum(1.0, problem.headroom)
        assert (usage <= problem.headroom + headroom_tolerance).all(), "headroom exceeded"
    if problem.areas:
        per_department = (np.maximum(problem.area_usage, 0.0) * matrix).sum(axis=1)
        used = np.bincount(problem.area_index, per_department, minlength=len(problem.areas))
        limit = problem.area_headroom + tolerance * np.maximum(1.0, problem.area_headroom)
        assert (used[problem.protected_areas] <= limit[problem.protected_areas]).all(), (
            "area headroom exceeded"
        )
    capacity = problem.pool_capacity
    if plan.integer:
        capacity = np.floor(capacity + 1e-9)
    capacity_tolerance = tolerance * np.maximum(1.0, np.where(np.isinf(capacity), 1.0, capacity))
    assert (pool_matrix(problem, matrix) <= capacity + capacity_tolerance).all(), (
        "capacity exceeded"
    )
    placed = matrix.sum(axis=0)
    shortfall = plan.shortfall.to_numpy()
    assert (shortfall >= 0).all()
    np.testing.assert_allclose(placed + shortfall, problem.demand, atol=tolerance * 10, rtol=0)
    assert plan.total_shortfall == pytest.approx(float(shortfall.sum()), abs=1e-9)
    with np.errstate(divide="ignore", invalid="ignore"):
        load = np.where(problem.vacancies > 0, matrix.sum(axis=1) / problem.vacancies, 0.0)
    assert (load <= plan.max_load + tolerance).all()


@pytest.fixture(scope="session")
def kit() -> SimpleNamespace:
    """The builders and checks of this module, for test files (which cannot import conftest)."""
    return SimpleNamespace(
        SINGLE=SINGLE,
        WORKING_FAMILY=WORKING_FAMILY,
        department=department,
        group=group,
        problem=problem_from_rows,
        greedy=greedy_allocation,
        load_of=load_of,
        pool_matrix=pool_matrix,
        assert_feasible=assert_feasible,
    )
