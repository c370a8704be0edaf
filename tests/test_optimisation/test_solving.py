"""Solver choice, failures that must be loud, LP names, the figure and the import boundary."""

from __future__ import annotations

import doctest
import io
import subprocess
import sys
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pulp
import pytest

import optimisation
from optimisation import SolverError, SolverName, SolverStatus, Stage, plan_referrals, plot_plan
from optimisation.model import create_model, sanitise_names
from optimisation.solvers import BulkHiGHS, choose_solver


def small(kit: SimpleNamespace) -> optimisation.ReferralProblem:
    return kit.problem(
        [kit.department("A", 8, 0.25), kit.department("B", 8, 0.25)], [kit.group("homeless", 6)]
    )


def test_solver_choice() -> None:
    assert choose_solver(None) is SolverName.HIGHS  # highspy is installed in the test environment
    assert choose_solver("auto") is SolverName.HIGHS
    assert choose_solver("CBC") is SolverName.CBC
    with pytest.raises(ValueError, match="unknown solver 'gurobi'"):
        choose_solver("gurobi")


def test_highs_missing_is_a_solver_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(optimisation.solvers, "available_solvers", lambda: (SolverName.CBC,))
    assert choose_solver(None) is SolverName.CBC
    with pytest.raises(SolverError, match="highspy is not installed") as caught:
        choose_solver("highs")
    assert caught.value.status is SolverStatus.ERROR


def failing_solve(status: int, sol_status: int | None = None, on_call: int = 1) -> Any:
    calls = {"count": 0}
    original = BulkHiGHS.actualSolve

    def actual_solve(self: BulkHiGHS, lp: pulp.LpProblem) -> int:
        calls["count"] += 1
        if calls["count"] == on_call:
            lp.assignStatus(status, sol_status)
            return status
        return int(original(self, lp))

    return actual_solve


@pytest.mark.parametrize(
    ("status", "sol_status", "expected"),
    [
        (pulp.LpStatusInfeasible, None, SolverStatus.INFEASIBLE),
        (pulp.LpStatusNotSolved, None, SolverStatus.NOT_SOLVED),
        (pulp.LpStatusUnbounded, None, SolverStatus.UNBOUNDED),
        (pulp.LpStatusUndefined, None, SolverStatus.UNDEFINED),
        (pulp.LpStatusOptimal, pulp.LpSolutionIntegerFeasible, SolverStatus.FEASIBLE),
    ],
)
def test_failed_solve_raises_with_status(
    kit: SimpleNamespace,
    monkeypatch: pytest.MonkeyPatch,
    status: int,
    sol_status: int | None,
    expected: SolverStatus,
) -> None:
    monkeypatch.setattr(BulkHiGHS, "actualSolve", failing_solve(status, sol_status))
    with pytest.raises(SolverError) as caught:
        plan_referrals(small(kit), solver="highs")
    error = caught.value
    assert error.status is expected
    assert isinstance(error.status, SolverStatus) and not isinstance(error.status, int)
    assert error.stage is Stage.SHORTFALL and error.solver is SolverName.HIGHS
    assert f"status '{expected}'" in str(error)


def test_failure_in_a_later_stage_returns_no_plan(
    kit: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Stage 2 infeasible even after the relaxed retry: the error names the stage.
    calls = {"count": 0}
    original = BulkHiGHS.actualSolve

    def actual_solve(self: BulkHiGHS, lp: pulp.LpProblem) -> int:
        calls["count"] += 1
        if calls["count"] >= 2:
            lp.assignStatus(pulp.LpStatusInfeasible)
            return pulp.LpStatusInfeasible
        return int(original(self, lp))

    monkeypatch.setattr(BulkHiGHS, "actualSolve", actual_solve)
    with pytest.raises(SolverError) as caught:
        plan_referrals(small(kit), solver="highs")
    assert caught.value.stage is Stage.MAX_LOAD
    assert caught.value.status is SolverStatus.INFEASIBLE
    assert calls["count"] == 3  # stage 1, stage 2 exact, stage 2 relaxed


def test_exact_fix_falls_back_to_tolerance(
    kit: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(BulkHiGHS, "actualSolve", failing_solve(pulp.LpStatusInfeasible, on_call=2))
    plan = plan_referrals(small(kit), solver="highs")
    assert plan.total_shortfall == pytest.approx(2.0, abs=1e-5)


def test_solver_crash_is_a_solver_error(
    kit: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(self: pulp.COIN_CMD, lp: pulp.LpProblem) -> int:
        raise pulp.PulpSolverError("cbc exploded")

    monkeypatch.setattr(pulp.COIN_CMD, "actualSolve", crash)
    with pytest.raises(SolverError, match="cbc exploded") as caught:
        plan_referrals(small(kit), solver="cbc")
    assert caught.value.status is SolverStatus.ERROR


def test_bulk_highs_matches_pulps_own_highs(kit: SimpleNamespace) -> None:
    problem = kit.problem(
        [kit.department("A", 10, 1.0, households=50, adults=100, adults_outside=30)],
        [kit.group("single", 10)],
    )
    results = []
    for solver in (BulkHiGHS(msg=False), pulp.HiGHS(msg=False)):
        model = create_model(problem)
        model.lp.setObjective(pulp.LpAffineExpression(dict.fromkeys(model.shortfall, 1.0)))
        model.lp.solve(solver)
        results.append(
            (pulp.value(model.lp.objective), model.composition[0].pi, model.max_load.varValue)
        )
    assert results[0] == pytest.approx(results[1])


def test_lp_names_read_like_the_policy(kit: SimpleNamespace, tmp_path: Any) -> None:
    problem = kit.problem(
        [kit.department("Nørrebro 4", 8, 0.25), kit.department("Nørrebro-4", 8, 0.25)],
        [kit.group("homeless single", 3)],
    )
    model = create_model(problem)
    assert model.names.departments == ("Noerrebro_4", "Noerrebro_4_1")
    assert problem.departments[model.names.department_index("Noerrebro_4_1")] == "Nørrebro-4"
    assert problem.groups[model.names.group_index("homeless_single")] == "homeless single"
    path = tmp_path / "plan.lp"
    model.lp.setObjective(pulp.LpAffineExpression(dict.fromkeys(model.shortfall, 1.0)))
    model.lp.writeLP(str(path))
    text = path.read_text()
    for name in (
        "slots_Noerrebro_4:",
        "load_Noerrebro_4_1:",
        "composition_Noerrebro_4:",
        "demand_homeless_single:",
        "referrals_Noerrebro_4_homeless_single",
        "shortfall_homeless_single",
        "max_load",
    ):
        assert name in text


def test_sanitised_names_are_unique_and_short() -> None:
    names = sanitise_names(["a_2", "a", "á", "x" * 80, "Århus Ø", 12])
    assert len(set(names)) == 6
    assert names[:3] == ("a_2", "a", "a_8")
    assert all(len(name) <= 45 for name in names)
    assert names[4:] == ("Aarhus_Oe", "12")


def test_plot_plan(kit: SimpleNamespace) -> None:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    plan = plan_referrals(small(kit))
    figure = plot_plan(plan)
    assert isinstance(figure, Figure) and len(figure.axes) == 2
    status = pd.Series({"A": "forebyggelse", "B": "none"})
    figure = plot_plan(plan, status=status)
    labels = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert "forebyggelse" in labels and "none" in labels
    single = Figure()
    axes = single.add_subplot()
    assert plot_plan(plan, ax=axes) is single
    assert isinstance(axes, Axes) and len(single.axes) == 2  # the twin axis for headroom
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    assert buffer.getvalue().startswith(b"\x89PNG")


def run_python(code: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_import_pulls_in_neither_simulation_nor_mesa() -> None:
    run_python(
        "import optimisation, sys; "
        "assert 'simulation' not in sys.modules and 'mesa' not in sys.modules, "
        "sorted(m for m in sys.modules if m.startswith(('simulation', 'mesa'))); "
        "assert 'matplotlib' not in sys.modules"
    )


def test_plotting_uses_no_pyplot() -> None:
    run_python(
        "import sys, pandas as pd\n"
        "from optimisation import ReferralProblem, plan_referrals, plot_plan\n"
        "d = pd.DataFrame({'department': ['A'], 'vacancies': [8.0], 'referral_share': [0.25],"
        " 'households': [80], 'adults': [100], 'adults_outside': [10]})\n"
        "g = pd.DataFrame({'group': ['h'], 'demand': [1.0], 'adults_per_household': [1.0],"
        " 'outside_per_household': [1.0]})\n"
        "plot_plan(plan_referrals(ReferralProblem.from_frames(d, g)))\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )


@pytest.mark.parametrize(
    "module", [optimisation, optimisation.problem, optimisation.model], ids=lambda m: m.__name__
)
def test_docstring_examples_run(module: Any) -> None:
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
