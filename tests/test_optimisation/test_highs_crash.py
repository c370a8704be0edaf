"""The load-weighted crash of a large LP on HiGHS reaches the same stage optima as the plain path.

A large LP (``highs_stages.INTERIOR_POINT_COLUMNS`` columns or more) is first solved with
``shortfall + LOAD_CRASH_WEIGHT × max_load`` and its stages continue from that basis. Here the
threshold is lowered so that small benchmark instances take that path, and each stage's optimum
is compared with the plain path (every stage continued from the previous basis) and with PuLP.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from optimisation import ReferralProblem, highs_stages
from optimisation.formulation import formulate
from optimisation.highs_stages import solve_stages_highs
from optimisation.results import Solution

SCRIPT = Path(__file__).parents[2] / "benchmarks" / "plan_national.py"


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("plan_national", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _problem(departments: int, seed: int) -> ReferralProblem:
    benchmark = _benchmark()
    frames = benchmark.national_instance(departments, seed)
    compatibility = benchmark.national_capacity(frames[0], frames[1], seed)
    return ReferralProblem.from_frames(frames[0], frames[1], compatibility, frames[2])


def _stages(problem: ReferralProblem, fairness: bool = False) -> Solution:
    solution, _, _, _ = solve_stages_highs(problem, formulate(problem, fairness=fairness))
    return solution


def _assert_same_optima(crashed: Solution, plain: Solution) -> None:
    assert [result.stage for result in crashed.stages] == [result.stage for result in plain.stages]
    for mine, theirs in zip(crashed.stages, plain.stages, strict=True):
        assert mine.objective == pytest.approx(theirs.objective, rel=1e-7, abs=1e-7)
    assert crashed.max_load == pytest.approx(plain.max_load, rel=1e-7, abs=1e-9)
    assert crashed.shortfall.sum() == pytest.approx(plain.shortfall.sum(), rel=1e-7, abs=1e-7)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_crash_reaches_the_stage_optima(monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    problem = _problem(150, seed)
    plain = _stages(problem)  # a small LP: every stage from the previous basis
    monkeypatch.setattr(highs_stages, "INTERIOR_POINT_COLUMNS", 0)
    crashed = _stages(problem)
    _assert_same_optima(crashed, plain)
    assert plain.stages[0].objective > 0  # the instance leaves households unplaced: stage 1 bites


def test_a_crash_weight_too_large_still_ends_at_stage_one(monkeypatch: pytest.MonkeyPatch) -> None:
    # with the load weighted far above a household, the crash trades households for load;
    # stage 1 must pivot on to the fewest unplaced all the same
    problem = _problem(150, 4)
    plain = _stages(problem)
    monkeypatch.setattr(highs_stages, "INTERIOR_POINT_COLUMNS", 0)
    monkeypatch.setattr(highs_stages, "LOAD_CRASH_WEIGHT", 1e6)
    crashed = _stages(problem)
    _assert_same_optima(crashed, plain)


def test_crash_is_not_used_with_the_fairness_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    problem = _problem(120, 5)
    plain = _stages(problem, fairness=True)
    monkeypatch.setattr(highs_stages, "INTERIOR_POINT_COLUMNS", 0)
    calls: list[object] = []
    original = highs_stages._crash

    def counted(*args: object) -> bool:
        calls.append(args)
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(highs_stages, "_crash", counted)
    large = _stages(problem, fairness=True)
    assert calls == []
    _assert_same_optima(large, plain)
    _stages(problem)
    assert len(calls) == 1


def test_crash_plan_is_feasible_and_deterministic(monkeypatch: pytest.MonkeyPatch) -> None:
    problem = _problem(150, 6)
    monkeypatch.setattr(highs_stages, "INTERIOR_POINT_COLUMNS", 0)
    first, second = _stages(problem), _stages(problem)
    assert np.array_equal(first.referrals, second.referrals)
    formulation = formulate(problem)
    values = np.zeros(formulation.n_columns)
    values[: formulation.n_pairs] = first.referrals
    values[formulation.shortfall_columns] = first.shortfall
    values[formulation.max_load_column] = first.max_load
    activity = formulation.matrix @ values
    assert (activity <= formulation.row_upper + 1e-6).all()
    assert (activity >= formulation.row_lower - 1e-6).all()
    assert (first.referrals >= -1e-9).all()


def test_price_re_solves_on_rows_held_as_bounds_equal_the_full_lp() -> None:
    # StageOneModel holds one-coefficient rows as column bounds: the same LP, so raising any
    # row gives the optimum the whole LP gives, from the mapped basis or from scratch
    import highspy

    from optimisation.highs_stages import StageOneModel, highs_model

    problem = _problem(150, 7)
    formulation = formulate(problem)
    solution, basis, _, _ = solve_stages_highs(problem, formulation)
    bounds = highs_stages._BoundRows(formulation)
    assert bounds.rows.size > 0 and bounds.basis(basis) is not None
    held = bounds.rows[:: max(1, bounds.rows.size // 6)][:6]
    kept = [row for row in bounds.kept.tolist() if np.isfinite(formulation.row_upper[row])][:6]
    warm = StageOneModel(formulation, basis, solution.stages[0].objective)
    cold = StageOneModel(formulation, None)
    assert cold.optimum == pytest.approx(solution.stages[0].objective, abs=1e-9)
    for row in [*held.tolist(), *kept]:
        full = highs_model(formulation, formulation.shortfall_cost())
        full.changeRowBounds(row, -highspy.kHighsInf, formulation.row_upper[row] + 1.0)
        full.run()
        expected = full.getInfo().objective_function_value
        assert warm.optimum_with(row, 1.0) == pytest.approx(expected, abs=1e-8)
        assert cold.optimum_with(row, 1.0) == pytest.approx(expected, abs=1e-8)
    # restored: the model is stage 1 again
    assert warm.optimum_with(int(held[0]), 0.0) == pytest.approx(cold.optimum, abs=1e-9)
