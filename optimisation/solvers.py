"""Solver plumbing: which solvers run here, how each is made, and what its status means.

The optimiser drives two solvers through PuLP: HiGHS through its Python API (``highspy``) and
CBC as an executable. This module chooses between them (:func:`choose_solver`), configures them
silent and deterministic (:func:`make_solver`), loads a model into HiGHS in one call
(:class:`BulkHiGHS`), and translates what a solve ended with into a
:class:`~optimisation.SolverStatus` (:func:`run_solver`).
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pulp

from optimisation.constants import SolverName, SolverStatus, Stage
from optimisation.errors import SolverError

__all__ = [
    "MIP_RELATIVE_GAP",
    "BulkHiGHS",
    "available_solvers",
    "choose_solver",
    "make_solver",
    "run_solver",
]

MIP_RELATIVE_GAP = 1e-6
"""Relative optimality gap at which a MILP stage counts as solved."""

_PULP_STATUS = {
    pulp.LpStatusOptimal: SolverStatus.OPTIMAL,
    pulp.LpStatusNotSolved: SolverStatus.NOT_SOLVED,
    pulp.LpStatusInfeasible: SolverStatus.INFEASIBLE,
    pulp.LpStatusUnbounded: SolverStatus.UNBOUNDED,
    pulp.LpStatusUndefined: SolverStatus.UNDEFINED,
}


def available_solvers() -> tuple[SolverName, ...]:
    """List the solvers that can run here: HiGHS if ``highspy`` is importable, and CBC.

    Returns
    -------
    tuple of SolverName
        In order of preference.
    """
    found = [SolverName.HIGHS] if importlib.util.find_spec("highspy") is not None else []
    return (*found, SolverName.CBC)


def choose_solver(solver: SolverName | str | None) -> SolverName:
    """Resolve the ``solver`` argument: ``None`` means HiGHS when installed, else CBC.

    Parameters
    ----------
    solver
        ``"highs"``, ``"cbc"``, ``"auto"`` or ``None``.

    Returns
    -------
    SolverName
        The solver to use.

    Raises
    ------
    ValueError
        If the name is unknown.
    SolverError
        If HiGHS is asked for but ``highspy`` is not installed.
    """
    if solver is None or solver == "auto":
        return available_solvers()[0]
    try:
        name = SolverName(str(solver).lower())
    except ValueError:
        choices = ", ".join(repr(str(s)) for s in SolverName)
        raise ValueError(f"solver: unknown solver {solver!r}; expected one of {choices}") from None
    if name not in available_solvers():
        raise SolverError(SolverStatus.ERROR, name, None, "highspy is not installed")
    return name


class BulkHiGHS(pulp.HiGHS):
    """PuLP's ``HiGHS`` interface, passing the whole model to HiGHS in one call.

    PuLP's own ``buildSolverModel`` adds one column and one row per Python call (``addCol`` /
    ``addRow``); this gathers the same data in one pass into arrays and calls ``passModel`` once,
    which roughly halves PuLP's share of a solve on the national instance. Column and row
    order, and so the solver's path, are PuLP's (variables sorted by name, rows in insertion
    order); reading the solution back is PuLP's own code.
    """

    def buildSolverModel(self, lp: pulp.LpProblem) -> None:
        """Load ``lp`` into ``lp.solverModel`` (a ``highspy.Highs``) in one ``passModel`` call.

        Parameters
        ----------
        lp
            The PuLP problem.
        """
        import highspy

        infinity = highspy.kHighsInf
        variables = lp.variables()
        for position, variable in enumerate(variables):
            variable.index = position
        sense = -1.0 if lp.sense == pulp.LpMaximize else 1.0
        objective = lp.objective if lp.objective is not None else {}
        model = highspy.HighsLp()
        model.num_col_ = len(variables)
        model.col_cost_ = np.array([sense * objective.get(v, 0.0) for v in variables], dtype=float)
        model.col_lower_ = np.array(
            [-infinity if v.lowBound is None else v.lowBound for v in variables], dtype=float
        )
        model.col_upper_ = np.array(
            [infinity if v.upBound is None else v.upBound for v in variables], dtype=float
        )
        starts = [0]
        indices: list[int] = []
        values: list[float] = []
        lower: list[float] = []
        upper: list[float] = []
        for position, constraint in enumerate(lp._constraints.values()):
            constraint.index = position
            for variable, coefficient in constraint.items():
                if coefficient != 0:
                    indices.append(variable.index)
                    values.append(coefficient)
            starts.append(len(indices))
            row_lower, row_upper = constraint.getLb(), constraint.getUb()
            lower.append(-infinity if row_lower is None else row_lower)
            upper.append(infinity if row_upper is None else row_upper)
        model.num_row_ = len(lower)
        model.row_lower_ = np.array(lower, dtype=float)
        model.row_upper_ = np.array(upper, dtype=float)
        model.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        model.a_matrix_.num_col_ = len(variables)
        model.a_matrix_.num_row_ = len(lower)
        model.a_matrix_.start_ = np.array(starts, dtype=np.int32)
        model.a_matrix_.index_ = np.array(indices, dtype=np.int32)
        model.a_matrix_.value_ = np.array(values, dtype=float)
        if self.mip and any(v.cat == pulp.LpInteger for v in variables):
            model.integrality_ = [
                highspy.HighsVarType.kInteger
                if v.cat == pulp.LpInteger
                else highspy.HighsVarType.kContinuous
                for v in variables
            ]
        status = lp.solverModel.passModel(model)
        if status == highspy.HighsStatus.kError:
            raise pulp.PulpSolverError("HiGHS rejected the model (passModel failed)")


_HIGHS_GREETED = False


def _greet_highs_quietly() -> None:
    """Construct the process's first ``highspy.Highs`` with standard output muted.

    HiGHS prints a copyright banner to file descriptor 1 when its first solver object is made,
    whatever ``output_flag`` says; in a command whose output a planner reads (or a notebook) it is
    noise. Done once, at the first HiGHS solve (not at import); output is restored at once.
    """
    global _HIGHS_GREETED
    if _HIGHS_GREETED:
        return
    _HIGHS_GREETED = True
    import os
    import sys

    import highspy

    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):  # no real standard output (e.g. a captured stream)
        highspy.Highs()
        return
    muted = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(muted, 1)
        highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(muted)


def make_solver(name: SolverName, integer: bool) -> pulp.LpSolver:
    """Make a PuLP solver object, silent and deterministic.

    HiGHS runs through PuLP's ``HiGHS`` class (the ``highspy`` API, no executable), with the
    model loaded in bulk (:class:`BulkHiGHS`). CBC is the executable bundled with PuLP, driven
    through ``COIN_CMD`` with the bundled path (what ``PULP_CBC_CMD`` does, without its PuLP 4.0
    deprecation warning). Both are deterministic: HiGHS's simplex runs serially, CBC on one thread.

    Parameters
    ----------
    name
        Which solver.
    integer
        Whether the model has integer variables (sets the MILP gap).

    Returns
    -------
    pulp.LpSolver
        The configured solver.
    """
    if name is SolverName.HIGHS:
        _greet_highs_quietly()
        return BulkHiGHS(msg=False, mip=integer, gapRel=MIP_RELATIVE_GAP if integer else None)
    return pulp.COIN_CMD(
        path=pulp.PULP_CBC_CMD.pulp_cbc_path,
        msg=False,
        mip=integer,
        gapRel=MIP_RELATIVE_GAP if integer else None,
    )


def _status(lp: pulp.LpProblem) -> SolverStatus:
    status = _PULP_STATUS.get(lp.status, SolverStatus.UNDEFINED)
    if status is SolverStatus.OPTIMAL and lp.sol_status != pulp.LpSolutionOptimal:
        return SolverStatus.FEASIBLE
    return status


def run_solver(lp: pulp.LpProblem, name: SolverName, integer: bool, stage: Stage) -> SolverStatus:
    """Solve ``lp`` once with a fresh solver and say how the solve ended.

    Parameters
    ----------
    lp
        The PuLP problem, with its objective set.
    name
        Which solver.
    integer
        Whether the problem has integer variables (sets the MILP gap).
    stage
        The stage being solved (named in an error).

    Returns
    -------
    SolverStatus
        :attr:`SolverStatus.OPTIMAL` only for a proven optimum.

    Raises
    ------
    SolverError
        If the solver fails to run at all (status :attr:`SolverStatus.ERROR`).
    """
    solver = make_solver(name, integer)
    try:
        lp.solve(solver)
    except pulp.PulpSolverError as error:
        raise SolverError(SolverStatus.ERROR, name, stage, str(error)) from error
    return _status(lp)
