"""The stages on HiGHS directly: the formulation's arrays in one call, each stage warm-started.

The fast path for an LP with HiGHS (``docs/optimiser.md``, "Solvers"). The arrays of
:func:`optimisation.formulation.formulate` are handed to one ``highspy.Highs`` model at once
(``passModel``); stage 1 is solved from scratch, and every later stage changes the objective
(``changeColsCost``) and adds its ``fix_*`` row (``addRow``) on the same model, so HiGHS starts
from the previous stage's optimal basis and needs only the pivots the new objective asks for.
A large LP (:data:`INTERIOR_POINT_COLUMNS`) is first solved once with the maximum load weighted
in (:func:`_crash`): that basis is stage 1's start and already holds the least load, so the
maximum-load stage, massively degenerate, takes a pivot or two. The stages, the tolerances and the prices are exactly those of :mod:`optimisation.solve` (the
PuLP path), which solves the same arrays through PuLP.

Checking a shadow price by re-solving (:mod:`optimisation.sensitivity`) uses
:class:`StageOneModel`: stage 1 alone, restarted from its optimal basis, with one right-hand side
raised at a time; each re-solve is a few dual simplex pivots.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np
import numpy.typing as npt

from optimisation.constants import SolverName, SolverStatus, Stage
from optimisation.errors import SolverError
from optimisation.formulation import Formulation
from optimisation.problem import ReferralProblem
from optimisation.results import PRICE_ZERO, Solution, StageResult, stage_tolerance
from optimisation.solvers import quiet_highs

__all__ = ["StageOneModel", "WarmStart", "highs_model", "solve_stages_highs"]

log = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]


def highs_model(formulation: Formulation, cost: FloatArray) -> Any:
    """A silent ``highspy.Highs`` holding the formulation's LP with the objective ``cost``.

    Parameters
    ----------
    formulation
        The LP as arrays (its integrality is ignored: this is the LP).
    cost
        The objective, one coefficient per column (minimised).

    Returns
    -------
    highspy.Highs
        Loaded, not yet solved.
    """
    import highspy

    highs = quiet_highs()
    n_columns, n_rows = formulation.n_columns, formulation.n_rows
    infinity = highspy.kHighsInf
    matrix = formulation.matrix
    # the array form of passModel takes the numpy arrays as they are; filling a HighsLp's
    # vectors instead converts every element through Python (about 30 ms on the national LP)
    status = highs.passModel(
        n_columns,
        n_rows,
        int(matrix.nnz),
        int(highspy.MatrixFormat.kRowwise),
        int(highspy.ObjSense.kMinimize),
        0.0,
        np.asarray(cost, dtype=np.float64),
        np.zeros(n_columns),
        np.minimum(formulation.column_upper, infinity),
        np.maximum(formulation.row_lower, -infinity),
        np.minimum(formulation.row_upper, infinity),
        matrix.indptr.astype(np.int32),
        matrix.indices.astype(np.int32),
        matrix.data.astype(np.float64),
        np.zeros(n_columns, dtype=np.int32),  # every column continuous: this is the LP
    )
    if status == highspy.HighsStatus.kError:
        raise SolverError(
            SolverStatus.ERROR,
            SolverName.HIGHS,
            None,
            "HiGHS rejected the model",
            "HiGHS afviste modellen",
        )
    return highs


def _status(highs: Any) -> SolverStatus:
    import highspy

    status = highs.getModelStatus()
    codes = highspy.HighsModelStatus
    if status == codes.kOptimal:
        return SolverStatus.OPTIMAL
    if status in (codes.kInfeasible, codes.kUnboundedOrInfeasible):
        return SolverStatus.INFEASIBLE
    if status == codes.kUnbounded:
        return SolverStatus.UNBOUNDED
    if status in (codes.kNotset, codes.kTimeLimit, codes.kIterationLimit, codes.kInterrupt):
        return SolverStatus.NOT_SOLVED
    return SolverStatus.UNDEFINED


def _run(highs: Any, stage: Stage) -> SolverStatus:
    import highspy

    if highs.run() == highspy.HighsStatus.kError:
        raise SolverError(SolverStatus.ERROR, SolverName.HIGHS, stage, "HiGHS failed to run")
    return _status(highs)


INTERIOR_POINT_COLUMNS = 5000
"""From this many columns on, the maximum-load stage is not continued from stage 1's basis as a
small LP's is: it starts from the load-weighted crash of :func:`solve_stages_highs`, or (where
there is none: with the fairness stage, or a warm start) afresh by interior point."""

LOAD_CRASH_WEIGHT = 0.01
"""Weight of ``max_load`` (a share, at most 1) against the shortfall (households) in the crash
solve of a large LP: small enough that the crash places as many households as stage 1 does."""


def _choose_algorithm(highs: Any, formulation: Formulation, stage: Stage, crashed: bool) -> None:
    """Set the algorithm of a later stage.

    The maximum-load stage is massively degenerate (most departments could carry the maximum
    load): on the national instance primal simplex from stage 1's basis takes about 700 pivots on
    the whole model, dual simplex from scratch 10,000, and interior point with crossover about
    the same time as the primal simplex. Where stage 1 was reached from the load-weighted crash
    (``crashed``), its basis already has the least load among stage 1's optima: primal simplex
    without bound perturbation then needs a pivot or two (with perturbation it wanders through
    dozens of degenerate pivots, 0.4 s). A large LP without the crash starts that stage afresh
    with interior point. Every other later stage, and every stage of a small LP, continues from
    the previous basis by primal simplex (the basis stays primal feasible when a stage's optimum
    is added as a row).
    """
    large = formulation.n_columns >= INTERIOR_POINT_COLUMNS
    if stage is Stage.MAX_LOAD and large and not crashed:
        highs.setOptionValue("solver", "ipm")
        # crossover ends on an exact vertex whatever the interior point's own tolerance
        highs.setOptionValue("ipm_optimality_tolerance", 1e-6)
        highs.clearSolver()
    else:
        highs.setOptionValue("solver", "simplex")
        highs.setOptionValue("simplex_strategy", 4)
    if large and crashed:
        highs.setOptionValue(
            "primal_simplex_bound_perturbation_multiplier", 0.0 if stage is Stage.MAX_LOAD else 1.0
        )


def _crash(highs: Any, formulation: Formulation) -> bool:
    """Solve the LP with the load weighted in, and leave its optimal basis as stage 1's start.

    The objective is ``shortfall + LOAD_CRASH_WEIGHT × max_load``, solved from scratch (HiGHS's
    presolve and dual simplex). On the national instance this costs what stage 1 alone would (0.2 s), and its basis is
    usually optimal for stage 1 as it is (0 pivots) while already holding the least load of
    stage 1's optima, so that the maximum-load stage takes a pivot or two instead of 0.45 s of
    interior point. Stage 1 is still solved as itself from here: where the weight was not small
    enough, primal simplex pivots on to stage 1's optimum, so the stages' optima do not depend
    on the crash.

    Returns
    -------
    bool
        Whether the crash ended optimal (else the solver is cleared: stage 1 starts afresh).
    """
    cost = formulation.shortfall_cost()
    weighted = cost.copy()
    weighted[formulation.max_load_column] = LOAD_CRASH_WEIGHT
    every_column = np.arange(formulation.n_columns, dtype=np.int32)
    highs.changeColsCost(formulation.n_columns, every_column, weighted)
    status = _run(highs, Stage.SHORTFALL)
    highs.changeColsCost(formulation.n_columns, every_column, cost)
    if status is not SolverStatus.OPTIMAL:  # stage 1 will say why, from scratch
        highs.clearSolver()
        return False
    highs.setOptionValue("solver", "simplex")
    highs.setOptionValue("simplex_strategy", 4)
    return True


def _scatter(
    values: FloatArray, owners: npt.NDArray[np.intp], size: int, sign: float
) -> FloatArray:
    prices = np.zeros(size)
    prices[owners] = sign * values
    prices[np.abs(prices) < PRICE_ZERO] = 0.0
    return prices


def _ranges(
    highs: Any, formulation: Formulation, problem: ReferralProblem
) -> dict[str, FloatArray]:
    """How far each limit's right-hand side may rise with stage 1's basis still optimal."""
    import highspy

    status, ranging = highs.getRanging()
    if status != highspy.HighsStatus.kOk:
        return {}
    up = np.asarray(ranging.row_bound_up.value_, dtype=np.float64)
    families: dict[str, FloatArray] = {}
    sizes = {
        "slots": problem.n_departments,
        "composition": problem.n_departments,
        "area": len(problem.areas),
        "claims": len(problem.units),
    }
    for family, size in sizes.items():
        rows = formulation.rows(family)
        values = np.full(size, np.nan)
        values[formulation.row_owner[family]] = np.maximum(
            up[rows] - formulation.row_upper[rows], 0.0
        )
        families[family] = values
    rows = formulation.rows("fits")
    fits = np.full((problem.n_departments, len(problem.pools)), np.nan)
    fits[formulation.row_owner["fits"], formulation.fits_pools] = np.maximum(
        up[rows] - formulation.row_upper[rows], 0.0
    )
    families["fits"] = fits
    return families


def _stage_result(
    highs: Any,
    formulation: Formulation,
    problem: ReferralProblem,
    stage: Stage,
    objective: float,
    fixed_row: int | None,
    ranges: dict[str, FloatArray],
) -> StageResult:
    duals = np.asarray(highs.getSolution().row_dual, dtype=np.float64)
    owner = formulation.row_owner
    n_departments = problem.n_departments

    def family(name: str, size: int, sign: float = -1.0) -> FloatArray:
        return _scatter(duals[formulation.rows(name)], owner[name], size, sign)

    capacity = np.zeros((n_departments, len(problem.pools)))
    capacity[owner["fits"], formulation.fits_pools] = -duals[formulation.rows("fits")]
    capacity[np.abs(capacity) < PRICE_ZERO] = 0.0
    tradeoff = 0.0
    if fixed_row is not None and abs(duals[fixed_row]) >= PRICE_ZERO:
        tradeoff = -float(duals[fixed_row])
    return StageResult(
        stage=stage,
        objective=objective,
        slot_price=family("slots", n_departments),
        composition_price=family("composition", n_departments),
        load_price=family("load", n_departments),
        capacity_price=capacity,
        demand_price=family("demand", problem.n_groups, 1.0),
        tradeoff=tradeoff,
        area_price=family("area", len(problem.areas)),
        holds_for=ranges,
        claims_price=family("claims", len(problem.units)),
    )


class WarmStart:
    """Stage 1's optimal basis, carried from one plan to the next plan of the same shape.

    A simulation re-plans every quarter with the same departments and groups, and most quarters
    the LP has the same rows and columns (only its numbers move); stage 1 then starts from the
    last plan's optimal basis instead of from scratch (on Eksempelby about 17 pivots instead of
    150, with no presolve). Pass one object to every plan of a run
    (:func:`optimisation.plan_matrix`); a plan of another shape starts from scratch and leaves
    its own basis for the next. The basis changes only where the LP starts, never which optimum
    it reaches; where the LP has several optimal plans, it may reach another of them.
    """

    def __init__(self) -> None:
        self._shape: tuple[bytes, ...] | None = None
        self._basis: Any | None = None

    @staticmethod
    def _shape_of(formulation: Formulation) -> tuple[bytes, ...]:
        owners = [formulation.row_owner[family].tobytes() for family in formulation.row_owner]
        return (
            formulation.pair_department.tobytes(),
            formulation.pair_group.tobytes(),
            formulation.fits_pools.tobytes(),
            *owners,
        )

    def basis_for(self, formulation: Formulation) -> Any | None:
        """The last basis, if it was left by an LP of this formulation's shape."""
        if self._basis is None or self._shape != self._shape_of(formulation):
            return None
        return self._basis

    def remember(self, formulation: Formulation, basis: Any) -> None:
        """Keep stage 1's optimal basis of this formulation for the next plan."""
        self._shape = self._shape_of(formulation)
        self._basis = basis


def solve_stages_highs(
    problem: ReferralProblem,
    formulation: Formulation,
    with_ranging: bool = True,
    warm_start: WarmStart | None = None,
) -> tuple[Solution, Any, float, float]:
    """Solve the stages of an LP on one HiGHS model, each from the previous stage's basis.

    Parameters
    ----------
    problem
        The referral problem.
    formulation
        Its LP as arrays (not integer).
    with_ranging
        Whether to range stage 1's basis (:attr:`StageResult.holds_for`).
    warm_start
        Start stage 1 from the basis it holds where it fits, and leave stage 1's basis in it.

    Returns
    -------
    solution
        The final stage's values and every stage's objective and prices.
    basis
        Stage 1's optimal basis (``highspy.HighsBasis``), to restart stage 1 from.
    build_seconds, solve_seconds
        Wall time spent loading the model and solving it.

    Raises
    ------
    SolverError
        If a stage does not end with a proven optimum.
    """
    import highspy

    started = time.perf_counter()
    costs = {
        Stage.SHORTFALL: formulation.shortfall_cost,
        Stage.FAIRNESS: formulation.fairness_cost,
        Stage.MAX_LOAD: formulation.max_load_cost,
        Stage.HEADROOM: lambda: formulation.headroom_cost(problem),
    }
    stages = [stage for stage in Stage if formulation.fairness or stage is not Stage.FAIRNESS]
    highs = highs_model(formulation, costs[Stage.SHORTFALL]())
    start = None if warm_start is None else warm_start.basis_for(formulation)
    if start is not None and highs.setBasis(start) == highspy.HighsStatus.kError:
        highs.clearSolver()
        start = None
    build_seconds = time.perf_counter() - started
    started = time.perf_counter()
    crashed = (
        start is None
        and not formulation.fairness
        and formulation.n_columns >= INTERIOR_POINT_COLUMNS
    )
    if crashed:
        crashed = _crash(highs, formulation)
    every_column = np.arange(formulation.n_columns, dtype=np.int32)
    results: list[StageResult] = []
    fixed_row: int | None = None
    basis = None
    for stage in stages:
        cost = costs[stage]()
        if stage is not Stage.SHORTFALL:
            highs.changeColsCost(formulation.n_columns, every_column, cost)
            _choose_algorithm(highs, formulation, stage, crashed)
        status = _run(highs, stage)
        if status is SolverStatus.INFEASIBLE and fixed_row is not None:
            optimum = float(highs.getLp().row_upper_[fixed_row])
            log.info(
                "stage %s infeasible with the previous optimum imposed exactly; relaxing", stage
            )
            highs.changeRowBounds(fixed_row, -highspy.kHighsInf, optimum + stage_tolerance(optimum))
            status = _run(highs, stage)
        if status is not SolverStatus.OPTIMAL:
            raise SolverError(status, SolverName.HIGHS, stage)
        value = float(highs.getInfo().objective_function_value)
        ranges: dict[str, FloatArray] = {}
        if stage is Stage.SHORTFALL:
            basis = highs.getBasis()
            if warm_start is not None:
                warm_start.remember(formulation, basis)
            if with_ranging:
                ranges = _ranges(highs, formulation, problem)
        results.append(_stage_result(highs, formulation, problem, stage, value, fixed_row, ranges))
        if stage is not Stage.HEADROOM:
            columns = np.flatnonzero(cost).astype(np.int32)
            highs.addRow(-highspy.kHighsInf, value, columns.size, columns, cost[columns])
            fixed_row = formulation.n_rows + len(results) - 1
    values = np.asarray(highs.getSolution().col_value, dtype=np.float64)
    solution = Solution(
        referrals=values[: formulation.n_pairs],
        shortfall=values[formulation.shortfall_columns],
        max_load=float(values[formulation.max_load_column]),
        stages=tuple(results),
    )
    return solution, basis, build_seconds, time.perf_counter() - started


class _BoundRows:
    """The ``≤`` rows of one coefficient that :class:`StageOneModel` holds as column bounds.

    A row ``a x_j ≤ b`` (``a > 0``, no lower bound, the only such row of its column) says no more
    than the upper bound ``x_j ≤ b / a``; most ``fits`` rows are of this kind (a pool of one
    group). Every run of HiGHS checks the whole model before and after it solves (about 10 ms on
    the national LP however few the pivots), so the re-solves that check prices run on the LP
    without these rows: the same LP, with 40 % fewer rows.
    """

    def __init__(self, formulation: Formulation) -> None:
        matrix = formulation.matrix
        first = matrix.indptr[:-1]
        candidate = (
            (np.diff(matrix.indptr) == 1)
            & np.isinf(formulation.row_lower)
            & np.isfinite(formulation.row_upper)
        )
        candidate[candidate] &= matrix.data[first[candidate]] > 0
        column_of_row = np.full(formulation.n_rows, -1, dtype=np.intp)
        column_of_row[candidate] = matrix.indices[first[candidate]]
        # a column bounded by one such row only (else its rows stay rows)
        counts = np.bincount(column_of_row[candidate], minlength=formulation.n_columns)
        candidate &= counts[np.maximum(column_of_row, 0)] == 1
        candidate &= np.isinf(formulation.column_upper[np.maximum(column_of_row, 0)])
        self.rows = np.flatnonzero(candidate)
        self.columns = column_of_row[self.rows]
        self.coefficients = matrix.data[first[self.rows]]
        self.kept = np.flatnonzero(~candidate)
        self.position = np.full(formulation.n_rows, -1, dtype=np.intp)
        self.position[self.kept] = np.arange(self.kept.size)
        self.column_of_row = np.full(formulation.n_rows, -1, dtype=np.intp)
        self.column_of_row[self.rows] = self.columns
        self.coefficient_of_row = np.zeros(formulation.n_rows)
        self.coefficient_of_row[self.rows] = self.coefficients

    def model(self, formulation: Formulation) -> Any:
        """A silent HiGHS with stage 1 on the LP with these rows as column bounds."""
        import highspy

        highs = quiet_highs()
        matrix = formulation.matrix[self.kept]
        matrix.sort_indices()
        upper = formulation.column_upper.copy()
        upper[self.columns] = formulation.row_upper[self.rows] / self.coefficients
        infinity = highspy.kHighsInf
        status = highs.passModel(
            formulation.n_columns,
            self.kept.size,
            int(matrix.nnz),
            int(highspy.MatrixFormat.kRowwise),
            int(highspy.ObjSense.kMinimize),
            0.0,
            formulation.shortfall_cost(),
            np.zeros(formulation.n_columns),
            np.minimum(upper, infinity),
            np.maximum(formulation.row_lower[self.kept], -infinity),
            np.minimum(formulation.row_upper[self.kept], infinity),
            matrix.indptr.astype(np.int32),
            matrix.indices.astype(np.int32),
            matrix.data.astype(np.float64),
            np.zeros(formulation.n_columns, dtype=np.int32),
        )
        if status == highspy.HighsStatus.kError:
            raise SolverError(
                SolverStatus.ERROR, SolverName.HIGHS, None, "HiGHS rejected the model"
            )
        return highs

    def basis(self, basis: Any) -> Any | None:
        """The same vertex's basis on the LP with these rows as bounds (``None`` if it has none).

        A row's slack that is basic leaves with its row; a row at its bound with a basic column
        becomes that column at its (new) upper bound. A row at its bound whose column is not
        basic (a degenerate vertex) has no such counterpart: then ``None``.
        """
        import highspy

        codes = highspy.HighsBasisStatus
        basic, upper = int(codes.kBasic), int(codes.kUpper)
        # the statuses as their integer codes: compared and moved without a Python loop
        statuses = np.empty(max(int(code) for code in codes.__members__.values()) + 1, object)
        for code in codes.__members__.values():
            statuses[int(code)] = code
        col_status, row_status = basis.col_status, basis.row_status
        columns = np.fromiter(map(int, col_status), dtype=np.intp, count=len(col_status))
        rows = np.fromiter(map(int, row_status), dtype=np.intp, count=len(row_status))
        at_bound = rows[self.rows] != basic
        moved = self.columns[at_bound]
        if not (columns[moved] == basic).all():
            return None
        columns[moved] = upper
        kept = rows[self.kept]
        if int((columns == basic).sum() + (kept == basic).sum()) != kept.size:
            return None
        mapped = highspy.HighsBasis()
        mapped.col_status = statuses[columns].tolist()
        mapped.row_status = statuses[kept].tolist()
        mapped.valid = True
        return mapped


class StageOneModel:
    """Stage 1 alone on HiGHS, restarted from its optimal basis, to re-solve with a raised limit.

    The model is the formulation's LP with its one-coefficient rows held as column bounds
    (:class:`_BoundRows`): the same LP, the same optima, cheaper runs.

    Parameters
    ----------
    formulation
        The LP as arrays.
    basis
        Stage 1's optimal basis (from :func:`solve_stages_highs`), or ``None`` to solve from
        scratch.
    optimum
        Stage 1's optimum at that basis, where the caller has it (the stages' own value): then
        the model is not solved again before the first re-solve, which saves a whole run of
        HiGHS on a large LP. ``None``: solve to find it.
    """

    def __init__(
        self, formulation: Formulation, basis: Any | None, optimum: float | None = None
    ) -> None:
        self.formulation = formulation
        self._bounds = _BoundRows(formulation)
        self.highs = self._bounds.model(formulation)
        mapped = None if basis is None else self._bounds.basis(basis)
        if mapped is not None and self.highs.setBasis(mapped) == _highs_error():
            self.highs.clearSolver()
            mapped = None
        self.optimum = self._solve() if mapped is None or optimum is None else optimum

    def _solve(self) -> float:
        status = _run(self.highs, Stage.SHORTFALL)
        if status is not SolverStatus.OPTIMAL:
            raise SolverError(status, SolverName.HIGHS, Stage.SHORTFALL)
        return float(self.highs.getInfo().objective_function_value)

    def optimum_with(self, row: int, increase: float) -> float:
        """Stage 1's optimum with row ``row``'s right-hand side raised by ``increase``.

        The row is restored afterwards (the model keeps the basis it ended on, a good start for
        the next re-solve).

        Parameters
        ----------
        row
            A ``≤`` row of the formulation.
        increase
            How much to raise its right-hand side.
        """
        import highspy

        rhs = float(self.formulation.row_upper[row])
        column = int(self._bounds.column_of_row[row])
        if column >= 0:  # a row held as its column's upper bound
            coefficient = float(self._bounds.coefficient_of_row[row])
            self.highs.changeColBounds(column, 0.0, (rhs + increase) / coefficient)
            try:
                return self._solve()
            finally:
                self.highs.changeColBounds(column, 0.0, rhs / coefficient)
        position = int(self._bounds.position[row])
        self.highs.changeRowBounds(position, -highspy.kHighsInf, rhs + increase)
        try:
            return self._solve()
        finally:
            self.highs.changeRowBounds(position, -highspy.kHighsInf, rhs)


def _highs_error() -> Any:
    import highspy

    return highspy.HighsStatus.kError
