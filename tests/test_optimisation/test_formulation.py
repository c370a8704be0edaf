"""One formulation, two paths: the PuLP model and the arrays handed to HiGHS are the same LP.

The PuLP model is written to an MPS file and read back by HiGHS; every row, column, coefficient,
bound and the objective must equal the arrays of :func:`optimisation.formulation.formulate` that
:mod:`optimisation.highs_stages` passes to HiGHS directly, and both must reach the same optimum
in every stage.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pulp
import pytest

from optimisation import (
    ReferralProblem,
    SolverName,
    Stage,
    WarmStart,
    plan_matrix,
    plan_referrals,
    pulp_model,
)
from optimisation.formulation import Formulation, formulate
from optimisation.highs_stages import highs_model, solve_stages_highs
from optimisation.model import model_from_formulation
from optimisation.solve import optimise, solve_stages
from optimisation.solvers import expression

highspy = pytest.importorskip("highspy")


def random_problem(
    seed: int, departments: int = 40, *, pools: bool = True, pooled: bool = False
) -> ReferralProblem:
    """A random problem with every family of rows: areas, pools with capacities, ceilings.

    With ``pooled``, claims are counted per unit (three housing organisations, one carrying
    claims over), so the ``claims`` rows are there too.
    """
    rng = np.random.default_rng(seed)
    adults = rng.integers(20, 200, departments).astype(float)
    frame = pd.DataFrame(
        {
            "department": [f"Nørre {i}" for i in range(departments)],
            "vacancies": np.where(
                rng.random(departments) < 0.1, 0.0, rng.uniform(1, 30, departments)
            ),
            "referral_share": rng.choice([0.0, 0.25, 0.5], departments, p=[0.1, 0.6, 0.3]),
            "households": np.round(adults / 1.3),
            "adults": adults,
            "adults_outside": np.round(adults * rng.uniform(0.1, 0.5, departments)),
            "area": [f"area {i // 4}" for i in range(departments)],
        }
    )
    names = ["single", "single:barred", "family", "family:barred"]
    groups = pd.DataFrame(
        {
            "group": names,
            "demand": rng.uniform(5, 40, len(names)),
            "adults_per_household": [1.0, 1.0, 1.6, 1.6],
            "outside_per_household": [0.9, 1.0, 0.8, 1.2],
            "capacity_pool": ["single", "single", "family", "family"] if pools else names,
        }
    )
    capacity = rng.uniform(0.0, 6.0, departments)
    pairs = pd.DataFrame(
        {
            "department": np.repeat(frame["department"].to_numpy(), len(names)),
            "group": np.tile(names, departments),
            "capacity": np.where(
                np.repeat(rng.random(departments) < 0.2, len(names)),
                np.inf,
                np.repeat(capacity, len(names)) * np.tile([1.0, 1.0, 0.5, 0.5], departments),
            ),
        }
    )
    if not pools:
        pairs["capacity"] *= rng.uniform(0.5, 1.0, len(pairs))
    banned = frame["department"].to_numpy()[rng.random(departments) < 0.2]
    exclusions = pd.DataFrame(
        {
            "department": np.repeat(banned, 2),
            "group": ["single:barred", "family:barred"] * len(banned),
        }
    ).assign(reason="ban")
    areas = pd.DataFrame(
        {"area": [f"area {i}" for i in range(departments // 4)], "ceiling": 0.30}
    ).iloc[::2]
    carried = None
    if pooled:
        frame["unit"] = [f"organisation {i % 3}" for i in range(departments)]
        carried = {"organisation 1": 4.0}
    return ReferralProblem.from_frames(
        frame, groups, pairs, exclusions, areas=areas, department_ceilings=seed % 2 == 0,
        carried_claims=carried,
    )  # fmt: skip


def _by_name(highs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Columns ``{name: (lower, upper, cost, integer)}`` and rows ``{name: (lower, upper, terms)}``."""
    lp = highs.getLp()
    columns = [highs.getColName(j)[1] for j in range(lp.num_col_)]
    rows = [highs.getRowName(i)[1] for i in range(lp.num_row_)]
    integrality = list(lp.integrality_) or [highspy.HighsVarType.kContinuous] * lp.num_col_
    column_data = {
        name: (lp.col_lower_[j], lp.col_upper_[j], lp.col_cost_[j], integrality[j])
        for j, name in enumerate(columns)
    }
    matrix = lp.a_matrix_
    starts = list(matrix.start_)
    index, value = list(matrix.index_), list(matrix.value_)
    terms: dict[str, dict[str, float]] = {name: {} for name in rows}
    if matrix.format_ == highspy.MatrixFormat.kColwise:
        for j, column in enumerate(columns):
            for k in range(starts[j], starts[j + 1]):
                terms[rows[index[k]]][column] = value[k]
    else:
        for i, row in enumerate(rows):
            for k in range(starts[i], starts[i + 1]):
                terms[row][columns[index[k]]] = value[k]
    row_data = {
        name: (lp.row_lower_[i], lp.row_upper_[i], terms[name]) for i, name in enumerate(rows)
    }
    return column_data, row_data


def _direct(formulation: Formulation, cost: np.ndarray) -> Any:
    highs = highs_model(formulation, cost)
    lp = highs.getLp()
    for j, name in enumerate(formulation.column_names):
        highs.passColName(j, name)
    for i, name in enumerate(formulation.row_names):
        highs.passRowName(i, name)
    assert lp.num_col_ == formulation.n_columns
    return highs


def _through_mps(formulation: Formulation, cost: np.ndarray, path: Path) -> Any:
    model = model_from_formulation(formulation)
    variables = model.referrals + model.shortfall + [model.max_load]
    if model.shortfall_share is not None:
        variables.append(model.shortfall_share)
    model.lp.setObjective(expression(dict(zip(variables, cost.tolist(), strict=True))))
    model.lp.writeMPS(str(path))
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.readModel(str(path))
    return highs


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize("integer", [False, True])
def test_pulp_model_and_direct_arrays_are_one_lp(seed: int, integer: bool, tmp_path: Path) -> None:
    # seed 4: claims pooled per housing organisation (the claims_{unit} rows)
    problem = random_problem(seed, pools=seed != 3, pooled=seed == 4)
    formulation = formulate(problem, integer=integer, fairness=seed == 2)
    cost = formulation.headroom_cost(problem) + formulation.shortfall_cost()
    direct = _by_name(_direct(formulation, cost))
    exported = _by_name(_through_mps(formulation, cost, tmp_path / "plan.mps"))
    direct_columns, direct_rows = direct
    exported_columns, exported_rows = exported
    assert set(direct_columns) == set(exported_columns)
    assert set(direct_rows) == set(exported_rows)
    assert len(direct_rows) == formulation.n_rows and len(direct_columns) == formulation.n_columns
    for name, (lower, upper, column_cost, _) in direct_columns.items():
        other = exported_columns[name]
        assert (lower, upper) == (other[0], other[1]), name
        assert column_cost == pytest.approx(other[2], rel=1e-11, abs=1e-12), name
    kinds = {name: data[3] for name, data in exported_columns.items() if name.startswith("ref")}
    expected = highspy.HighsVarType.kInteger if integer else highspy.HighsVarType.kContinuous
    assert set(kinds.values()) == {expected}
    for name, (lower, upper, terms) in direct_rows.items():
        other_lower, other_upper, other_terms = exported_rows[name]
        assert lower == pytest.approx(other_lower, rel=1e-11), name
        assert upper == pytest.approx(other_upper, rel=1e-11), name
        assert terms.keys() == other_terms.keys(), name
        for column, value in terms.items():
            assert value == pytest.approx(other_terms[column], rel=1e-11), (name, column)
    families = {name.split("_")[0] for name in direct_rows}
    assert {"slots", "load", "area", "fits", "demand"} <= families
    assert ("claims" in families) == (seed == 4)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_both_paths_reach_the_same_optimum_in_every_stage(seed: int) -> None:
    problem = random_problem(seed, pooled=seed == 4)
    formulation = formulate(problem, fairness=seed == 2)
    direct, _, _, _ = solve_stages_highs(problem, formulation)
    through_pulp = solve_stages(problem, model_from_formulation(formulation), SolverName.HIGHS)
    assert [s.stage for s in direct.stages] == [s.stage for s in through_pulp.stages]
    for ours, theirs in zip(direct.stages, through_pulp.stages, strict=True):
        assert ours.objective == pytest.approx(theirs.objective, rel=1e-7, abs=1e-7), ours.stage
    first = direct.stages[0]
    assert first.stage is Stage.SHORTFALL
    # stage 1's demand price is unique where demand is unmet: one more household, one more short
    np.testing.assert_allclose(first.demand_price[direct.shortfall > 1e-6], 1.0, rtol=1e-7)


def test_export_writes_a_readable_lp_and_mps(tmp_path: Path) -> None:
    problem = random_problem(4)
    for suffix in (".lp", ".mps"):
        path = tmp_path / f"plan{suffix}"
        model = pulp_model(problem)
        model.writeLP(str(path)) if suffix == ".lp" else model.writeMPS(str(path))
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        highs.readModel(str(path))
        highs.run()
        plan = plan_referrals(problem, solver="highs", check_prices=False)
        assert highs.getInfo().objective_function_value == pytest.approx(
            plan.total_shortfall, abs=1e-7
        )
    text = (tmp_path / "plan.lp").read_text()
    assert "slots_Noerre_0" in text and "demand_single" in text
    assert isinstance(pulp.LpProblem.fromMPS(str(tmp_path / "plan.mps"))[1], pulp.LpProblem)


def test_a_warm_start_changes_where_stage_one_starts_not_the_optimum() -> None:
    first = random_problem(5)
    later = dataclasses.replace(first, demand=first.demand * 1.7, vacancies=first.vacancies * 0.8)
    warm = WarmStart()
    plan_matrix(first, solver="highs", warm_start=warm)
    assert warm.basis_for(formulate(later)) is not None  # same shape: the basis carries over
    assert warm.basis_for(formulate(random_problem(6))) is None  # another shape: from scratch
    started = optimise(later, solver="highs", warm_start=warm)
    cold = optimise(later, solver="highs")
    for ours, theirs in zip(started.solution.stages, cold.solution.stages, strict=True):
        assert ours.objective == pytest.approx(theirs.objective, rel=1e-9, abs=1e-9), ours.stage
    assert plan_matrix(later, solver="highs").sum() == pytest.approx(
        plan_referrals(later, solver="highs", check_prices=False).placed, rel=1e-9
    )
