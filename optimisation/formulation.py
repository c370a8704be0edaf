"""The referral LP as sparse arrays: the one statement of the model every solver path reads.

``docs/optimiser.md`` ("Variables", "Constraints", "Capacity and pools") states the model;
:func:`formulate` writes it down once, as arrays (the shape of a solver's own input): a column per
variable with its bounds and name, and a row per constraint with its bounds, name and
coefficients in one sparse matrix. Two paths read the same :class:`Formulation`:

* :func:`optimisation.model.create_model` builds the PuLP problem from it, row by row, with the
  names of the LP (for ``.lp``/``.mps`` files, CBC, and an integer plan);
* :mod:`optimisation.highs_stages` passes the arrays to HiGHS in one call and solves the stages
  on that one HiGHS model, each stage starting from the previous stage's basis (the fast path,
  for an LP with HiGHS).

Because both paths read the same arrays, they solve the same LP; a test
(``tests/test_optimisation/test_formulation.py``) writes the PuLP model to an MPS file, reads it
into HiGHS and checks rows, columns, coefficients, bounds, objective and optimum against the
arrays.

Columns, in this order: the referrals ``x_dg`` (pairs that can carry one: compatible, in a
department with vacancies; department-major), the shortfalls ``u_g`` (group order), ``max_load``
``L``, and with the fairness stage ``max_shortfall_share`` ``F``. Rows, in this order (the order
decides the solver's path): ``slots``, ``load``, ``composition``, ``area``, ``fits``, ``claims``
(only with pooled claims, ``problem.claim_unit``), ``demand`` and, with the fairness stage,
``fair``. Without units the ``claims`` family is empty, so the LP is the one of a department's own
claims, row for row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt
import scipy.sparse as sparse

from optimisation.names import LpNames, lp_names, unique_names
from optimisation.problem import ReferralProblem

__all__ = ["FAMILIES", "Formulation", "formulate"]

IntArray = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float64]

FAMILIES = ("slots", "load", "composition", "area", "fits", "claims", "demand", "fair")
"""The families of rows, in their order in the LP."""


@dataclass(frozen=True, eq=False)
class Formulation:
    """The referral LP (or MILP) of a problem, as arrays.

    Parameters
    ----------
    names
        Sanitised ids and the way back.
    integer
        Whether the referral columns are integer.
    pair_department, pair_group
        Department and group index of each referral column (the first columns).
    column_upper
        Upper bound of each column (``inf``: none); every column has lower bound 0.
    matrix
        The coefficients, rows × columns (CSR).
    row_lower, row_upper
        Bounds of each row (``-inf`` / ``inf`` where none): ``≤`` rows have ``-inf`` below, the
        demand rows are equalities.
    family_rows
        Per family (:data:`FAMILIES`), the slice of rows it holds.
    row_owner
        Per family, the index each of its rows belongs to: the department (``slots``, ``load``,
        ``composition``, ``fits``), the area (``area``), the accounting unit (``claims``) or the
        group (``demand``, ``fair``).
    fits_pools
        The pool index (into ``problem.pools``) of each ``fits`` row.
    fairness
        Whether the model has the fairness stage's column and rows.
    """

    names: LpNames
    integer: bool
    pair_department: IntArray
    pair_group: IntArray
    column_upper: FloatArray
    matrix: sparse.csr_array
    row_lower: FloatArray
    row_upper: FloatArray
    family_rows: Mapping[str, slice]
    row_owner: Mapping[str, IntArray]
    fits_pools: IntArray
    fairness: bool

    # -- columns -----------------------------------------------------------------------------------

    @property
    def n_pairs(self) -> int:
        """Referral columns."""
        return int(self.pair_department.size)

    @property
    def n_columns(self) -> int:
        """All columns."""
        return int(self.column_upper.size)

    @property
    def n_rows(self) -> int:
        """All rows."""
        return int(self.row_lower.size)

    @property
    def shortfall_columns(self) -> IntArray:
        """The columns of ``u_g``, in group order."""
        return np.arange(self.n_pairs, self.n_pairs + len(self.names.groups), dtype=np.intp)

    @property
    def max_load_column(self) -> int:
        """The column of ``L``."""
        return self.n_pairs + len(self.names.groups)

    @property
    def shortfall_share_column(self) -> int | None:
        """The column of ``F`` (``None`` without the fairness stage)."""
        return self.max_load_column + 1 if self.fairness else None

    @cached_property
    def column_names(self) -> tuple[str, ...]:
        """The LP name of every column, in column order."""
        departments, groups = self.names.departments, self.names.groups
        referrals = [
            f"referrals_{departments[d]}_{groups[g]}"
            for d, g in zip(self.pair_department.tolist(), self.pair_group.tolist(), strict=True)
        ]
        shortfall = [f"shortfall_{name}" for name in groups]
        extra = ["max_shortfall_share"] if self.fairness else []
        return (*referrals, *shortfall, "max_load", *extra)

    @cached_property
    def row_names(self) -> tuple[str, ...]:
        """The LP name of every row, in row order."""
        departments, groups = self.names.departments, self.names.groups
        names: list[str] = []
        for family in ("slots", "load", "composition"):
            names += [f"{family}_{departments[d]}" for d in self.row_owner[family].tolist()]
        names += [f"area_{self.names.areas[a]}" for a in self.row_owner["area"].tolist()]
        names += unique_names(
            [
                f"fits_{departments[d]}_{self.names.pools[p]}"
                for d, p in zip(
                    self.row_owner["fits"].tolist(), self.fits_pools.tolist(), strict=True
                )
            ]
        )
        names += [f"claims_{self.names.units[u]}" for u in self.row_owner["claims"].tolist()]
        names += [f"demand_{groups[g]}" for g in self.row_owner["demand"].tolist()]
        names += [f"fair_{groups[g]}" for g in self.row_owner["fair"].tolist()]
        return tuple(names)

    def rows(self, family: str) -> IntArray:
        """The row positions of a family.

        Parameters
        ----------
        family
            One of :data:`FAMILIES`.
        """
        where = self.family_rows[family]
        return np.arange(where.start, where.stop, dtype=np.intp)

    # -- objectives --------------------------------------------------------------------------------

    def shortfall_cost(self) -> FloatArray:
        """Stage 1's objective: ``Σ_g u_g``."""
        cost = np.zeros(self.n_columns)
        cost[self.shortfall_columns] = 1.0
        return cost

    def max_load_cost(self) -> FloatArray:
        """Stage 2's objective: ``L``."""
        cost = np.zeros(self.n_columns)
        cost[self.max_load_column] = 1.0
        return cost

    def fairness_cost(self) -> FloatArray:
        """The fairness stage's objective: ``F``."""
        if self.shortfall_share_column is None:
            raise ValueError("the model was formulated without the fairness stage")
        cost = np.zeros(self.n_columns)
        cost[self.shortfall_share_column] = 1.0
        return cost

    def headroom_cost(self, problem: ReferralProblem) -> FloatArray:
        """Stage 3's objective: ``Σ_dg (max(0, w_dg) + max(0, w^a_dg)) x_dg``.

        Parameters
        ----------
        problem
            The problem formulated.
        """
        cost = np.zeros(self.n_columns)
        cost[: self.n_pairs] = problem.protection_usage[self.pair_department, self.pair_group]
        return cost


def _groups_of(keys: IntArray) -> tuple[IntArray, IntArray]:
    """Start and end of each run of equal values in sorted ``keys``."""
    if keys.size == 0:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    return starts, np.r_[starts[1:], keys.size]


def _claims_rows(
    problem: ReferralProblem, pair_department: IntArray
) -> tuple[IntArray, IntArray, IntArray, FloatArray, FloatArray, FloatArray]:
    """The ``claims_{unit}`` rows: ``Σ_{d∈u} Σ_g x_dg ≤ C_u`` per unit with variables.

    Returns owner (unit), row and column of each coefficient, the values, and the row bounds;
    all empty without units.
    """
    if not problem.pooled:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty, empty, np.zeros(0), np.zeros(0), np.zeros(0)
    unit = problem.unit_index[pair_department]
    owner, row = np.unique(unit, return_inverse=True)
    columns = np.arange(pair_department.size, dtype=np.intp)
    return (
        owner.astype(np.intp),
        row.astype(np.intp),
        columns,
        np.ones(columns.size),
        np.full(owner.size, -np.inf),
        problem.unit_claims[owner],
    )


def formulate(
    problem: ReferralProblem, integer: bool = False, fairness: bool = False
) -> Formulation:
    """Write the referral LP (or MILP) of a problem as arrays, without an objective.

    Parameters
    ----------
    problem
        The referral problem.
    integer
        Whether referrals must be whole households (the ``fits`` rows then count whole
        dwellings, ``problem.pool_limit(True)``).
    fairness
        Whether to add the fairness stage's column ``F`` and rows ``fair_{group}``.

    Returns
    -------
    Formulation
        Columns, rows and coefficients; the stages set the objective.
    """
    names = lp_names(problem)
    can_refer = problem.compatible & (problem.vacancies > 0)[:, None]
    pair_department, pair_group = (index.astype(np.intp) for index in np.nonzero(can_refer))
    n_pairs, n_groups = pair_department.size, problem.n_groups
    max_load = n_pairs + n_groups
    n_columns = max_load + 1 + int(fairness)
    pairs = np.arange(n_pairs, dtype=np.intp)

    row_parts: list[IntArray] = []
    column_parts: list[IntArray] = []
    value_parts: list[FloatArray] = []
    lower_parts: list[FloatArray] = []
    upper_parts: list[FloatArray] = []
    family_rows: dict[str, slice] = {}
    owners: dict[str, IntArray] = {}
    count = 0

    def add_family(
        family: str,
        owner: IntArray,
        rows: IntArray,
        columns: IntArray,
        values: FloatArray,
        lower: FloatArray,
        upper: FloatArray,
    ) -> None:
        nonlocal count
        row_parts.append(rows + count)
        column_parts.append(columns.astype(np.intp))
        value_parts.append(np.asarray(values, dtype=np.float64))
        lower_parts.append(np.asarray(lower, dtype=np.float64))
        upper_parts.append(np.asarray(upper, dtype=np.float64))
        family_rows[family] = slice(count, count + owner.size)
        owners[family] = owner.astype(np.intp)
        count += owner.size

    # slots and load: one row each per department with variables
    departments, row_of_pair = np.unique(pair_department, return_inverse=True)
    n_departments = departments.size
    below = np.full(n_departments, -np.inf)
    add_family(
        "slots", departments, row_of_pair, pairs, np.ones(n_pairs), below,
        problem.department_limit[departments],
    )  # fmt: skip
    add_family(
        "load",
        departments,
        np.r_[row_of_pair, np.arange(n_departments)],
        np.r_[pairs, np.full(n_departments, max_load)],
        np.r_[np.ones(n_pairs), -problem.vacancies[departments]],
        below,
        np.zeros(n_departments),
    )
    # composition: departments with a positive headroom use, with department ceilings
    usage = np.maximum(problem.usage[pair_department, pair_group], 0.0)
    positive = np.flatnonzero(usage > 0) if problem.department_ceilings else pairs[:0]
    owner, row = np.unique(pair_department[positive], return_inverse=True)
    add_family(
        "composition", owner, row, positive, usage[positive], np.full(owner.size, -np.inf),
        problem.headroom[owner],
    )  # fmt: skip
    # area: protected areas with a positive use of their headroom
    if problem.areas and problem.protected_areas.any():
        area_usage = np.maximum(problem.area_usage[pair_department, pair_group], 0.0)
        positive = np.flatnonzero(area_usage > 0)
        area = problem.area_index[pair_department[positive]]
        owner, row = np.unique(area, return_inverse=True)
        values = area_usage[positive]
    else:
        positive, owner, row, values = pairs[:0], pairs[:0], pairs[:0], np.zeros(0)
    add_family(
        "area", owner, row, positive, values, np.full(owner.size, -np.inf),
        problem.area_headroom[owner],
    )  # fmt: skip
    # fits: one row per department and pool with a finite capacity
    pool = problem.pool_index[pair_group]
    capacity = problem.pool_limit(integer)[pair_department, pool]
    limited = np.flatnonzero(np.isfinite(capacity))
    key = pair_department[limited] * len(problem.pools) + pool[limited]
    order = np.argsort(key, kind="stable")
    limited, key = limited[order], key[order]
    starts, _ = _groups_of(key)
    row = np.cumsum(np.r_[0, (key[1:] != key[:-1]).astype(np.intp)]) if key.size else pairs[:0]
    add_family(
        "fits", pair_department[limited[starts]], row, limited, np.ones(limited.size),
        np.full(starts.size, -np.inf), capacity[limited[starts]],
    )  # fmt: skip
    fits_pools = pool[limited[starts]].astype(np.intp)
    # claims: one row per accounting unit with variables (pooled claims only)
    add_family("claims", *_claims_rows(problem, pair_department))
    # demand: one equality per group
    groups = np.arange(n_groups, dtype=np.intp)
    add_family(
        "demand", groups, np.r_[pair_group, groups], np.r_[pairs, n_pairs + groups],
        np.ones(n_pairs + n_groups), problem.demand, problem.demand,
    )  # fmt: skip
    # fair: u_g − q_g F ≤ 0 per group with demand
    if fairness:
        owner = np.flatnonzero(problem.demand > 0).astype(np.intp)
        rows = np.arange(owner.size, dtype=np.intp)
        add_family(
            "fair", owner, np.r_[rows, rows], np.r_[n_pairs + owner, np.full(owner.size, max_load + 1)],
            np.r_[np.ones(owner.size), -problem.demand[owner]], np.full(owner.size, -np.inf),
            np.zeros(owner.size),
        )  # fmt: skip
    else:
        add_family(
            "fair", groups[:0], groups[:0], groups[:0], np.zeros(0), np.zeros(0), np.zeros(0)
        )

    matrix = sparse.csr_array(
        (np.concatenate(value_parts), (np.concatenate(row_parts), np.concatenate(column_parts))),
        shape=(count, n_columns),
    )
    matrix.sort_indices()
    column_upper = np.full(n_columns, np.inf)
    return Formulation(
        names=names,
        integer=integer,
        pair_department=pair_department,
        pair_group=pair_group,
        column_upper=column_upper,
        matrix=matrix,
        row_lower=np.concatenate(lower_parts),
        row_upper=np.concatenate(upper_parts),
        family_rows=family_rows,
        row_owner=owners,
        fits_pools=fits_pools,
        fairness=fairness,
    )
