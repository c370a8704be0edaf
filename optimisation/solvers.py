"""Solver plumbing, and the one module that knows which PuLP is installed.

The optimiser drives two solvers through PuLP: HiGHS through its Python API (``highspy``) and
CBC as an executable. This module chooses between them (:func:`choose_solver`), configures them
silent and deterministic (:func:`make_solver`), and translates what a solve ended with into a
:class:`~optimisation.SolverStatus` (:func:`run_solver`).

It is also the only place where PuLP's versions differ, from 2.8 to 4.2 (see
``docs/optimiser.md``, "Solvers"). PuLP 4 keeps the model in a Rust core: variables are made by
the problem (``lp.add_variable``), expressions from dicts by ``LpAffineExpression.from_dict``, a
constraint added to a problem is a new object (the one ``addConstraint`` returns), a solve
returns an ``LpSolveStats`` instead of setting ``lp.status``, HiGHS is loaded in bulk by PuLP
itself, and CBC is no longer bundled (``pip install pulp[cbc]`` brings it). PuLP 2.8 and 3.x keep
the model in Python, where :class:`ScanOnceLp` and :class:`BulkHiGHS` save most of PuLP's own
time on a national instance. Everything else in :mod:`optimisation` builds and solves through
:func:`new_problem`, :func:`new_variables`, :func:`expression`, :func:`constraint`,
:func:`add_constraints` and :func:`run_solver`, and never asks which PuLP it runs on.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pulp

from optimisation.constants import SolverName, SolverStatus, Stage
from optimisation.errors import SolverError

__all__ = [
    "MIP_RELATIVE_GAP",
    "PULP_MAJOR",
    "BulkHiGHS",
    "ScanOnceLp",
    "add_constraints",
    "available_solvers",
    "choose_solver",
    "constraint",
    "expression",
    "make_solver",
    "mip_gap",
    "new_problem",
    "new_variables",
    "quiet_highs",
    "row_ranges",
    "run_solver",
    "solve_status",
]

PULP_MAJOR = int(pulp.__version__.split(".")[0])
"""The installed PuLP's major version (2, 3 or 4)."""

_RUST_MODEL = PULP_MAJOR >= 4
"""PuLP 4 keeps the model in its Rust core, with the API differences listed above."""

MIP_RELATIVE_GAP = 1e-6
"""Relative optimality gap at which a MILP stage counts as solved."""

FloatArray = npt.NDArray[np.float64]

Terms = Mapping[Any, float]
"""The terms of a linear expression: ``{variable: coefficient}``."""

# -- building a model ------------------------------------------------------------------------------


class ScanOnceLp(pulp.LpProblem):
    """A PuLP 2.8/3.x problem that rescans its constraints for variables only after a change.

    PuLP 2.8 and 3.x's ``LpProblem.variables()`` walks every term of every constraint and sorts
    the result, and a solve calls it three times; on the national instance that is about a fifth
    of a second per call. Constraints here are only ever added, never edited, so the variable
    list can only change when a constraint is added or the objective replaced: the scan is
    repeated only then. (PuLP 4 keeps its variables in a list already; it uses the plain
    ``LpProblem``.)
    """

    def __init__(self, name: str, sense: int) -> None:
        super().__init__(name, sense)
        self._scanned: tuple[int, int] | None = None
        self._scanned_variables: list[pulp.LpVariable] = []

    def variables(self) -> list[pulp.LpVariable]:
        """Return the problem's variables, sorted by name (rescanned only after a change).

        Returns
        -------
        list of LpVariable
            PuLP's own list.
        """
        state = (id(self.objective), self.numConstraints())
        if state != self._scanned:
            self._scanned = state
            self._scanned_variables = super().variables()
        return self._scanned_variables


def new_problem(name: str) -> pulp.LpProblem:
    """Make an empty minimisation problem.

    Parameters
    ----------
    name
        The problem's name (no spaces).

    Returns
    -------
    pulp.LpProblem
        A :class:`ScanOnceLp` under PuLP 2.8/3.x, a plain ``LpProblem`` under PuLP 4.
    """
    if _RUST_MODEL:
        return pulp.LpProblem(name, pulp.LpMinimize)
    return ScanOnceLp(name, pulp.LpMinimize)


def new_variables(lp: pulp.LpProblem, names: Iterable[str], integer: bool) -> list[Any]:
    """Make variables ``≥ 0`` of ``lp``, without an upper bound, one per name.

    Parameters
    ----------
    lp
        The problem they belong to (PuLP 3.3.1 and later make variables through the problem).
    names
        Their names, unique.
    integer
        Whether they take whole values only.

    Returns
    -------
    list of pulp.LpVariable
        The variables, in the order of ``names``.
    """
    category = pulp.LpInteger if integer else pulp.LpContinuous
    add = lp.add_variable if hasattr(lp, "add_variable") else pulp.LpVariable
    return [add(name, 0, None, category) for name in names]


def expression(terms: Terms) -> pulp.LpAffineExpression:
    """Make the linear expression ``Σ coefficient · variable`` of ``terms``.

    Parameters
    ----------
    terms
        ``{variable: coefficient}``.

    Returns
    -------
    pulp.LpAffineExpression
        A new expression (for an objective, or to evaluate).
    """
    if _RUST_MODEL:
        return pulp.LpAffineExpression.from_dict(dict(terms))
    return pulp.LpAffineExpression(terms)


def constraint(terms: Terms, sense: int, name: str, rhs: float) -> Any:
    """Make the constraint ``Σ terms (sense) rhs``, not yet in a problem.

    Parameters
    ----------
    terms
        ``{variable: coefficient}`` (a dict).
    sense
        ``pulp.LpConstraintLE``, ``pulp.LpConstraintEQ`` or ``pulp.LpConstraintGE``.
    name
        Its name, unique in the problem it goes to.
    rhs
        Its right-hand side.

    Returns
    -------
    Any
        A PuLP constraint for :func:`add_constraints` (under PuLP 4 an expression with a sense).
    """
    if _RUST_MODEL:
        row = pulp.LpAffineExpression.from_dict(terms, -rhs, name)
        row.sense = sense
        return row
    return pulp.LpConstraint(pulp.LpAffineExpression(terms), sense, name, rhs)


def add_constraints(lp: pulp.LpProblem, constraints: Sequence[Any]) -> list[Any]:
    """Add constraints made by :func:`constraint` to ``lp``, in order; return them as stored.

    Parameters
    ----------
    lp
        The problem.
    constraints
        The constraints, with names unique in the problem.

    Returns
    -------
    list of pulp.LpConstraint
        The constraints as the problem holds them: reading their ``pi`` after a solve, or
        calling ``changeRHS`` on them, reads or changes the problem.
    """
    if _RUST_MODEL:
        return [lp.addConstraint(row) for row in constraints]
    lp.extend({row.name: row for row in constraints})  # without rescanning variables per row
    return list(constraints)


def _constraint_list(lp: pulp.LpProblem) -> list[Any]:
    """The problem's constraints in insertion order (``constraints`` is a dict before PuLP 3.3)."""
    constraints = lp.constraints
    return list(constraints()) if callable(constraints) else list(constraints.values())


def row_ranges(lp: pulp.LpProblem, constraints: Sequence[Any]) -> FloatArray | None:
    """How far each ``≤`` row's right-hand side may rise with the last LP basis still optimal.

    HiGHS ranges the basis of the LP it has just solved (``getRanging``): while a row's
    right-hand side stays within its range the basis stays optimal, so the objective moves by
    exactly the row's dual times the change. That makes a shadow price a confirmed gain over
    that range; a degenerate vertex has a range of 0 on one side.

    Parameters
    ----------
    lp
        The problem just solved with HiGHS as an LP.
    constraints
        Rows of ``lp`` (``≤`` rows), as stored.

    Returns
    -------
    ndarray or None
        Per row, the increase of its right-hand side over which the basis stays optimal (``inf``
        for no limit); ``None`` where the solver kept no HiGHS model to range (CBC, or a PuLP
        that does not expose it).
    """
    highs = getattr(lp, "solverModel", None)
    if highs is None or not hasattr(highs, "getRanging") or not constraints:
        return None
    import highspy

    try:
        status, ranging = highs.getRanging()
        rows = [int(constraint.index) for constraint in constraints]
    except (AttributeError, TypeError, ValueError, RuntimeError):
        return None
    if status != highspy.HighsStatus.kOk:
        return None
    up = np.asarray(ranging.row_bound_up.value_, dtype=np.float64)
    if not rows or max(rows) >= up.size:
        return None
    rhs = np.array([-float(constraint.constant) for constraint in constraints])
    result: FloatArray = np.maximum(up[rows] - rhs, 0.0)
    return result


def mip_gap(lp: pulp.LpProblem) -> float:
    """The relative gap of the MILP HiGHS has just stopped on (NaN where it cannot be read).

    ``|incumbent − bound| / |incumbent|``, as HiGHS reports it; 0 for a proven optimum.
    """
    highs = getattr(lp, "solverModel", None)
    try:
        return float(highs.getInfo().mip_gap)  # type: ignore[union-attr]
    except (AttributeError, TypeError, ValueError, RuntimeError):
        return float("nan")


# -- choosing and making solvers -------------------------------------------------------------------

_CBC_PATH: str | None = None if _RUST_MODEL else pulp.PULP_CBC_CMD.pulp_cbc_path
"""The CBC executable bundled with PuLP 2.8/3.x; PuLP 4 finds one itself (``pulp[cbc]``)."""


def _cbc(**options: Any) -> pulp.LpSolver:
    return pulp.COIN_CMD(path=_CBC_PATH, **options)


_MISSING = {
    SolverName.HIGHS: "highspy is not installed (pip install blandetby[highs])",
    SolverName.CBC: "no CBC executable found (from PuLP 4 on: pip install pulp[cbc])",
}
"""What to install when a solver is missing."""

_MISSING_DANISH = {
    SolverName.HIGHS: "highspy er ikke installeret (pip install blandetby[highs])",
    SolverName.CBC: "intet CBC-program fundet (fra PuLP 4: pip install pulp[cbc])",
}
"""What to install when a solver is missing, in Danish."""


def available_solvers() -> tuple[SolverName, ...]:
    """List the solvers that can run here: HiGHS if ``highspy`` is importable, CBC if found.

    Returns
    -------
    tuple of SolverName
        In order of preference.
    """
    found = [SolverName.HIGHS] if importlib.util.find_spec("highspy") is not None else []
    if _cbc(msg=False).available():
        found.append(SolverName.CBC)
    return tuple(found)


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
        If the solver asked for (or, for ``None``, any solver) is not installed.
    """
    found = available_solvers()
    if solver is None or solver == "auto":
        if not found:
            raise SolverError(
                SolverStatus.ERROR,
                SolverName.CBC,
                None,
                _MISSING[SolverName.CBC],
                _MISSING_DANISH[SolverName.CBC],
            )
        return found[0]
    try:
        name = SolverName(str(solver).lower())
    except ValueError:
        choices = ", ".join(repr(str(s)) for s in SolverName)
        raise ValueError(f"solver: unknown solver {solver!r}; expected one of {choices}") from None
    if name not in found:
        raise SolverError(SolverStatus.ERROR, name, None, _MISSING[name], _MISSING_DANISH[name])
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
        for position, constraint in enumerate(_constraint_list(lp)):
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

    def findSolutionValues(self, lp: pulp.LpProblem) -> Any:
        """Read the solution back with PuLP's own code, and before PuLP 3 the duals too.

        PuLP 2.8 and 2.9 read only the values of the variables from HiGHS; the shadow prices
        need each row's dual (``pi``), read here in the row order of :meth:`buildSolverModel`.

        Parameters
        ----------
        lp
            The PuLP problem just solved.

        Returns
        -------
        Any
            What PuLP's ``findSolutionValues`` returns (its status codes).
        """
        outcome = super().findSolutionValues(lp)
        if PULP_MAJOR < 3:
            duals = lp.solverModel.getSolution().row_dual
            for constraint, dual in zip(_constraint_list(lp), duals, strict=True):
                constraint.pi = dual
        return outcome


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


def quiet_highs() -> Any:
    """A new ``highspy.Highs`` that prints nothing (for the stages on HiGHS directly).

    Returns
    -------
    highspy.Highs
        With ``output_flag`` off; HiGHS's defaults otherwise (serial simplex: deterministic).
    """
    _greet_highs_quietly()
    import highspy

    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    return highs


def make_solver(
    name: SolverName,
    integer: bool,
    node_limit: int | None = None,
    time_limit: float | None = None,
) -> pulp.LpSolver:
    """Make a PuLP solver object, silent and deterministic.

    HiGHS runs through PuLP's ``HiGHS`` class (the ``highspy`` API, no executable), with the
    model loaded in bulk (:class:`BulkHiGHS` before PuLP 4, which does so itself). CBC is an
    executable driven through ``COIN_CMD``: before PuLP 4 the one bundled with PuLP (what
    ``PULP_CBC_CMD`` does, without its deprecation warning in PuLP 3.3), from PuLP 4 on the one of
    ``pulp[cbc]`` or on the ``PATH``. Both are deterministic: HiGHS's simplex runs serially, CBC
    on one thread.

    Parameters
    ----------
    name
        Which solver.
    integer
        Whether the model has integer variables (sets the MILP gap).
    node_limit
        For a MILP, stop after this many branch-and-bound nodes (a deterministic limit, unlike
        time); the solve then ends ``FEASIBLE`` if it has a solution.
    time_limit
        For a MILP, stop after this many seconds; the solve then ends ``FEASIBLE`` if it has a
        solution (its gap: :func:`mip_gap`). A time limit makes the plan depend on the machine.

    Returns
    -------
    pulp.LpSolver
        The configured solver.
    """
    options: dict[str, Any] = {
        "msg": False,
        "mip": integer,
        "gapRel": MIP_RELATIVE_GAP if integer else None,
    }
    if integer and time_limit is not None:
        options["timeLimit"] = time_limit
    if name is SolverName.HIGHS:
        _greet_highs_quietly()
        # HiGHS's own switch: PuLP 2.8 turns msg=False into "no log callback" only, and HiGHS
        # then still prints its summary; later PuLPs set this (or log_to_console) themselves
        options["output_flag"] = False
        if integer and node_limit is not None:
            options["mip_max_nodes"] = node_limit
        return pulp.HiGHS(**options) if _RUST_MODEL else BulkHiGHS(**options)
    if integer and node_limit is not None:
        options["maxNodes"] = node_limit
    return _cbc(**options)


# -- reading how a solve ended ---------------------------------------------------------------------

if _RUST_MODEL:
    _CODES = pulp.LpSolveStatus
    _STOPPED_EARLY: frozenset[Any] = frozenset(
        code
        for code in _CODES
        if code not in (_CODES.Optimal, _CODES.NotSolved, _CODES.Infeasible, _CODES.Unbounded)
        and code not in (_CODES.Undefined, _CODES.NumericalError)
    )
    _PULP_STATUS = {
        _CODES.Optimal: SolverStatus.OPTIMAL,
        _CODES.NotSolved: SolverStatus.NOT_SOLVED,
        _CODES.Infeasible: SolverStatus.INFEASIBLE,
        _CODES.Unbounded: SolverStatus.UNBOUNDED,
        _CODES.Undefined: SolverStatus.UNDEFINED,
        _CODES.NumericalError: SolverStatus.UNDEFINED,
    }
else:
    _STOPPED_EARLY = frozenset()
    _PULP_STATUS = {
        pulp.LpStatusOptimal: SolverStatus.OPTIMAL,
        pulp.LpStatusNotSolved: SolverStatus.NOT_SOLVED,
        pulp.LpStatusInfeasible: SolverStatus.INFEASIBLE,
        pulp.LpStatusUnbounded: SolverStatus.UNBOUNDED,
        pulp.LpStatusUndefined: SolverStatus.UNDEFINED,
    }


def solve_status(lp: pulp.LpProblem, returned: Any) -> SolverStatus:
    """Translate how a PuLP solve ended into a :class:`~optimisation.SolverStatus`.

    Parameters
    ----------
    lp
        The problem just solved (PuLP 2.8/3.x record the outcome on it: ``status`` and
        ``sol_status``).
    returned
        What ``lp.solve`` returned (PuLP 4: an ``LpSolveStats`` with ``status`` and
        ``has_solution``).

    Returns
    -------
    SolverStatus
        ``OPTIMAL`` for a proven optimum; ``FEASIBLE`` for a solution found before a limit
        stopped the solver; ``NOT_SOLVED`` if it stopped without one.
    """
    if _RUST_MODEL:
        code, has_solution = returned.status, returned.has_solution
        if code == _CODES.GapLimit and has_solution:  # a MILP within MIP_RELATIVE_GAP (CBC)
            return SolverStatus.OPTIMAL
        if code in _STOPPED_EARLY:
            return SolverStatus.FEASIBLE if has_solution else SolverStatus.NOT_SOLVED
        return _PULP_STATUS.get(code, SolverStatus.UNDEFINED)
    status = _PULP_STATUS.get(lp.status, SolverStatus.UNDEFINED)
    if status is SolverStatus.OPTIMAL and lp.sol_status != pulp.LpSolutionOptimal:
        return SolverStatus.FEASIBLE
    return status


def run_solver(
    lp: pulp.LpProblem,
    name: SolverName,
    integer: bool,
    stage: Stage,
    node_limit: int | None = None,
    time_limit: float | None = None,
) -> SolverStatus:
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
    node_limit
        For a MILP, the branch-and-bound nodes allowed (see :func:`make_solver`).
    time_limit
        For a MILP, the seconds allowed (see :func:`make_solver`).

    Returns
    -------
    SolverStatus
        :attr:`SolverStatus.OPTIMAL` only for a proven optimum.

    Raises
    ------
    SolverError
        If the solver fails to run at all (status :attr:`SolverStatus.ERROR`).
    """
    solver = make_solver(name, integer, node_limit, time_limit)
    try:
        returned = lp.solve(solver)
    except pulp.PulpSolverError as error:
        raise SolverError(SolverStatus.ERROR, name, stage, str(error)) from error
    return solve_status(lp, returned)
