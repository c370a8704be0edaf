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
from optimisation import (
    SolverError,
    SolverName,
    SolverStatus,
    Stage,
    highs_stages,
    plan_referrals,
    plot_plan,
    solvers,
)
from optimisation.model import create_model, sanitise_names
from optimisation.solvers import BulkHiGHS, choose_solver, expression


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


def test_no_solver_at_all_is_a_solver_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # PuLP 4 without its cbc extra and without highspy: nothing can solve, and the error says why
    monkeypatch.setattr(optimisation.solvers, "available_solvers", lambda: ())
    for asked in (None, "cbc"):
        with pytest.raises(SolverError, match="no CBC executable found") as caught:
            choose_solver(asked)
        assert caught.value.status is SolverStatus.ERROR


def failing_status(status: SolverStatus, on_call: int = 1, after: bool = False) -> Any:
    """A stand-in for ``solvers.solve_status`` that reports ``status`` on the given solve(s)."""
    calls = {"count": 0}
    original = solvers.solve_status

    def solve_status(lp: Any, returned: Any) -> SolverStatus:
        calls["count"] += 1
        if calls["count"] == on_call or (after and calls["count"] > on_call):
            return status
        return original(lp, returned)

    solve_status.calls = calls  # type: ignore[attr-defined]
    return solve_status


def fail_solves(
    monkeypatch: pytest.MonkeyPatch, status: SolverStatus, on_call: int = 1, after: bool = False
) -> Any:
    """Report ``status`` on the given solve(s), on both paths: through PuLP and HiGHS directly."""
    fake = failing_status(status, on_call, after)
    original = highs_stages._status

    def direct_status(highs: Any) -> SolverStatus:
        fake.calls["count"] += 1
        count = fake.calls["count"]
        return status if count == on_call or (after and count > on_call) else original(highs)

    monkeypatch.setattr(solvers, "solve_status", fake)
    monkeypatch.setattr(highs_stages, "_status", direct_status)
    return fake


@pytest.mark.parametrize(
    "expected",
    [
        SolverStatus.INFEASIBLE,
        SolverStatus.NOT_SOLVED,
        SolverStatus.UNBOUNDED,
        SolverStatus.UNDEFINED,
        SolverStatus.FEASIBLE,
    ],
)
def test_failed_solve_raises_with_status(
    kit: SimpleNamespace, monkeypatch: pytest.MonkeyPatch, expected: SolverStatus
) -> None:
    fail_solves(monkeypatch, expected)
    with pytest.raises(SolverError) as caught:
        plan_referrals(small(kit), solver="highs")
    error = caught.value
    assert error.status is expected
    assert isinstance(error.status, SolverStatus) and not isinstance(error.status, int)
    assert error.stage is Stage.SHORTFALL and error.solver is SolverName.HIGHS
    assert f"status '{expected}'" in str(error)


def pulp_outcomes() -> list[tuple[Any, Any, SolverStatus]]:
    """How the installed PuLP reports outcomes: ``(lp, returned by solve, expected status)``."""
    if solvers.PULP_MAJOR >= 4:
        codes = pulp.LpSolveStatus

        def stats(code: Any, has_solution: bool = False) -> Any:
            return pulp.LpSolveStats(status=code, has_solution=has_solution)

        return [
            (None, stats(codes.Optimal, True), SolverStatus.OPTIMAL),
            (None, stats(codes.Infeasible), SolverStatus.INFEASIBLE),
            (None, stats(codes.NotSolved), SolverStatus.NOT_SOLVED),
            (None, stats(codes.Unbounded), SolverStatus.UNBOUNDED),
            (None, stats(codes.Undefined), SolverStatus.UNDEFINED),
            (None, stats(codes.GapLimit, True), SolverStatus.OPTIMAL),
            (None, stats(codes.TimeLimit, True), SolverStatus.FEASIBLE),
            (None, stats(codes.TimeLimit), SolverStatus.NOT_SOLVED),
        ]

    def lp(status: int, sol_status: int) -> SimpleNamespace:
        return SimpleNamespace(status=status, sol_status=sol_status)

    return [
        (lp(pulp.LpStatusOptimal, pulp.LpSolutionOptimal), 1, SolverStatus.OPTIMAL),
        (lp(pulp.LpStatusInfeasible, pulp.LpSolutionInfeasible), -1, SolverStatus.INFEASIBLE),
        (lp(pulp.LpStatusNotSolved, pulp.LpSolutionNoSolutionFound), 0, SolverStatus.NOT_SOLVED),
        (lp(pulp.LpStatusUnbounded, pulp.LpSolutionUnbounded), -2, SolverStatus.UNBOUNDED),
        (lp(pulp.LpStatusUndefined, pulp.LpSolutionNoSolutionFound), -3, SolverStatus.UNDEFINED),
        (lp(pulp.LpStatusOptimal, pulp.LpSolutionIntegerFeasible), 1, SolverStatus.FEASIBLE),
    ]


@pytest.mark.parametrize(("lp", "returned", "expected"), pulp_outcomes())
def test_pulp_outcomes_are_translated(lp: Any, returned: Any, expected: SolverStatus) -> None:
    assert solvers.solve_status(lp, returned) is expected


def test_failure_in_a_later_stage_returns_no_plan(
    kit: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Stage 2 infeasible even after the relaxed retry: the error names the stage.
    fake = fail_solves(monkeypatch, SolverStatus.INFEASIBLE, on_call=2, after=True)
    with pytest.raises(SolverError) as caught:
        plan_referrals(small(kit), solver="highs")
    assert caught.value.stage is Stage.MAX_LOAD
    assert caught.value.status is SolverStatus.INFEASIBLE
    assert fake.calls["count"] == 3  # stage 1, stage 2 exact, stage 2 relaxed


def test_exact_fix_falls_back_to_tolerance(
    kit: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_solves(monkeypatch, SolverStatus.INFEASIBLE, 2)
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


@pytest.mark.skipif(solvers.PULP_MAJOR >= 4, reason="PuLP 4 loads HiGHS in bulk itself")
def test_bulk_highs_matches_pulps_own_highs(kit: SimpleNamespace) -> None:
    problem = kit.problem(
        [kit.department("A", 10, 1.0, households=50, adults=100, adults_outside=30)],
        [kit.group("single", 10)],
    )
    results = []
    for solver in (BulkHiGHS(msg=False), pulp.HiGHS(msg=False)):
        model = create_model(problem)
        objective = expression(dict.fromkeys(model.shortfall, 1.0))
        model.lp.setObjective(objective)
        model.lp.solve(solver)
        results.append((objective.value(), model.max_load.varValue, model.composition[0].pi))
    bulk, own = results
    assert bulk[:2] == pytest.approx(own[:2])
    # PuLP's own HiGHS reads no duals before PuLP 3; BulkHiGHS does, with the same values after
    assert bulk[2] == pytest.approx(-1 / 0.805) and own[2] in (None, pytest.approx(bulk[2]))


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
    model.lp.setObjective(expression(dict.fromkeys(model.shortfall, 1.0)))
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


def test_plot_plan_speaks_danish_and_names_departments(kit: SimpleNamespace) -> None:
    """The plan's figure in Danish: words, decimal comma, department names on the axis."""
    plan = plan_referrals(small(kit))
    figure = plot_plan(plan, language="da", names={"A": "Nordparken afd. 1"})
    load_ax, headroom_ax = figure.axes
    assert load_ax.get_title().startswith("Anvisningsplan: ")
    assert load_ax.get_ylabel() == "anvisninger pr. ledig bolig (andel)"
    assert headroom_ax.get_xlabel() == "afdeling"
    ticks = [tick.get_text() for tick in headroom_ax.get_xticklabels()]
    assert "Nordparken afd. 1" in ticks and "A" not in ticks
    legend = [text.get_text() for text in load_ax.get_legend().get_texts()]
    assert any(text.startswith("største belastning ") and "," in text for text in legend), legend
    figure.canvas.draw()  # ticks are formatted when drawn
    values = [tick.get_text() for tick in load_ax.get_yticklabels() if tick.get_text()]
    assert values and all("," in value and "." not in value for value in values), values
    english = plot_plan(plan)
    assert english.axes[0].get_ylabel() == "referrals per vacancy (share)"


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


def test_public_api() -> None:
    names = {
        "ALLOCATION_TABLE_COLUMNS", "AREA_TABLE_COLUMNS", "DEPARTMENT_TABLE_COLUMNS",
        "SENSITIVITY_TABLE_COLUMNS", "UNIT_TABLE_COLUMNS",
        "FITS_TABLE_COLUMNS", "Blocker",
        "DataIssue", "ProblemDataError", "REASON_TEXT", "ReferralPlan", "ReferralProblem",
        "ShortfallDiagnosis", "SolverError", "SolverName", "SolverStatus", "Stage", "StageResult",
        "WarmStart", "available_solvers", "plan_matrix", "plan_referrals", "plot_plan",
        "pulp_model",
    }  # fmt: skip
    assert set(optimisation.__all__) == names
    assert all(hasattr(optimisation, name) for name in names)
    # the notebook's older import still works, and names the same table
    assert optimisation.REASON_TEXT is optimisation.problem.REASON_TEXT


@pytest.mark.parametrize("integer", [False, True])
def test_solves_print_nothing(
    kit: SimpleNamespace, solver: str, integer: bool, capfd: pytest.CaptureFixture[str]
) -> None:
    # at the level of file descriptors: HiGHS and CBC write there, not through sys.stdout
    plan_referrals(small(kit), solver=solver, integer=integer)
    out, err = capfd.readouterr()
    assert out == "" and err == ""
