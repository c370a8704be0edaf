"""The referral LP as a PuLP problem, built from its one formulation, with names that read like the policy.

The model is stated in ``docs/optimiser.md`` (sections "Variables", "Constraints" and
"Capacity and pools") and written down once, as arrays, by
:func:`optimisation.formulation.formulate`. :func:`create_model` turns those arrays into a PuLP
problem, column by column and row by row, so that the PuLP model and the arrays HiGHS is handed
directly (:mod:`optimisation.highs_stages`) are the same LP by construction. The PuLP model is
what a planner can read and export (``model.lp.writeLP("plan.lp")``, ``writeMPS``), what CBC
solves, and what an integer plan is solved on.

Variables (only for pairs that can carry a referral: compatible, in a department with vacancies):

* ``referrals_{department}_{group}`` ``x_dg ≥ 0`` households (integer on request);
* ``shortfall_{group}`` ``u_g ≥ 0`` households left unplaced;
* ``max_load`` ``L ≥ 0``, the largest share of any department's vacancies that goes to referrals.

Constraints:

* ``slots_{department}``: ``Σ_g x_dg ≤ s_d v_d`` (with pooled claims, ``≤ v_d`` where ``s_d > 0``,
  else 0: the department's vacancies the unit's claims may fall on);
* ``load_{department}``: ``Σ_g x_dg − v_d L ≤ 0``;
* ``composition_{department}``: ``Σ_g max(0, w_dg) x_dg ≤ R_d``, only where some compatible group
  has ``w_dg > 0`` (otherwise it cannot bind), and only with department ceilings;
* ``area_{area}``: ``Σ_{d in a} Σ_g max(0, w^a_dg) x_dg ≤ R_a``, one per protected area with a
  positive term (``docs/optimiser.md``, "Area protection");
* ``fits_{department}_{pool}``: ``Σ_{g in pool} x_dg ≤ c_d,pool``, the referrals the dwellings that
  fit the pool's groups (rooms, rent) can take, only where the capacity is finite. A pool is
  usually one group, and the row then reads ``fits_{department}_{group}``. In a MILP the
  right-hand side is rounded down, ``⌊c⌋``: whole referrals meet ``≤ c`` exactly when they meet
  ``≤ ⌊c⌋``, so the integer plans are the same and the relaxation is tighter;
* ``claims_{unit}``: ``Σ_{d in u} Σ_g x_dg ≤ Σ_{d in u} s_d v_d + carried_u``, one per claim
  accounting unit with variables, only with pooled claims (``docs/optimiser.md``, "Pooled
  claims");
* ``demand_{group}``: ``Σ_d x_dg + u_g = q_g``.

Incompatible pairs get no variable at all (``x_dg = 0``), and neither do departments without
vacancies (``v_d = 0``): their load row ``Σ_g x_dg ≤ 0 · L`` would force every referral to 0
whatever their slots, so one more slot there is worth nothing. A department with vacancies but an
agreed share of 0 keeps its variables and a ``slots`` row with right-hand side 0, so the shadow
price says what opening it to referrals would be worth. Ids are sanitised for LP names
(:mod:`optimisation.names`).

Speed: each row's terms are a dict made from a slice of the sparse matrix, made into a
constraint at once and handed to PuLP a family at a time with precomputed names
(:func:`~optimisation.solvers.add_constraints`), avoiding PuLP's per-term operator overloading
(``lpSum`` of products), which dominates naive builds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pulp

from optimisation.formulation import Formulation, formulate
from optimisation.names import MAX_NAME_LENGTH, LpNames, sanitise_names
from optimisation.problem import ReferralProblem
from optimisation.solvers import add_constraints, constraint, new_problem, new_variables

__all__ = [
    "MAX_NAME_LENGTH",
    "LpModel",
    "LpNames",
    "create_model",
    "model_from_formulation",
    "sanitise_names",
]

IntArray = npt.NDArray[np.intp]


@dataclass
class LpModel:
    """A built referral LP and the handles needed to read it back.

    The ``*_rows`` arrays give, for each constraint in the matching list, the department index it
    belongs to.

    Parameters
    ----------
    lp
        The PuLP problem (its objective is set per stage).
    integer
        Whether the referral variables are integer.
    names
        Sanitised names and the mapping back to ids.
    pair_department, pair_group
        Department and group index of each referral variable.
    referrals
        The referral variables ``x_dg``, in pair order.
    shortfall
        The shortfall variables ``u_g``, in group order.
    max_load
        The variable ``L``.
    demand
        The ``demand_{group}`` constraints, in group order.
    slots, slot_rows
        The ``slots_{department}`` constraints and their department indices.
    load, load_rows
        The ``load_{department}`` constraints and their department indices.
    composition, composition_rows
        The ``composition_{department}`` constraints and their department indices.
    area, area_rows
        The ``area_{area}`` constraints and their area indices (into ``problem.areas``).
    fits, fits_rows, fits_pools
        The ``fits_{department}_{pool}`` constraints, their department indices and their pool
        indices (into ``problem.pools``).
    claims, claims_rows
        With pooled claims, the ``claims_{unit}`` constraints and their unit indices (into
        ``problem.units``); empty otherwise.
    shortfall_share, fair, fair_rows
        With the fairness stage: the variable ``max_shortfall_share`` ``F``, the
        ``fair_{group}`` rows ``u_g − q_g F ≤ 0`` and their group indices.
    formulation
        The arrays the model was built from.
    """

    lp: pulp.LpProblem
    integer: bool
    names: LpNames
    pair_department: IntArray
    pair_group: IntArray
    referrals: list[pulp.LpVariable]
    shortfall: list[pulp.LpVariable]
    max_load: pulp.LpVariable
    demand: list[pulp.LpConstraint]
    slots: list[pulp.LpConstraint]
    slot_rows: IntArray
    load: list[pulp.LpConstraint]
    load_rows: IntArray
    composition: list[pulp.LpConstraint]
    composition_rows: IntArray
    area: list[pulp.LpConstraint]
    area_rows: IntArray
    fits: list[pulp.LpConstraint]
    fits_rows: IntArray
    fits_pools: IntArray
    shortfall_share: pulp.LpVariable | None = None
    fair: list[pulp.LpConstraint] = field(default_factory=list)
    fair_rows: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    formulation: Formulation | None = None
    claims: list[pulp.LpConstraint] = field(default_factory=list)
    claims_rows: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))


def model_from_formulation(formulation: Formulation) -> LpModel:
    """Build the PuLP problem of a formulation: its columns, then its rows in order.

    Parameters
    ----------
    formulation
        The LP as arrays.

    Returns
    -------
    LpModel
        The PuLP problem (no objective yet) and its handles.
    """
    lp = new_problem("referral_plan")
    names = formulation.column_names
    n_pairs = formulation.n_pairs
    referrals = new_variables(lp, names[:n_pairs], formulation.integer)
    others = new_variables(lp, names[n_pairs:], False)
    variables = referrals + others
    for column in np.flatnonzero(np.isfinite(formulation.column_upper)).tolist():
        variables[column].upBound = float(formulation.column_upper[column])
    n_groups = len(formulation.names.groups)
    matrix = formulation.matrix
    starts, columns, values = matrix.indptr.tolist(), matrix.indices.tolist(), matrix.data.tolist()
    lower, upper = formulation.row_lower.tolist(), formulation.row_upper.tolist()
    row_names = formulation.row_names
    stored: dict[str, list[pulp.LpConstraint]] = {}
    for family, rows in formulation.family_rows.items():
        made = []
        for row in range(rows.start, rows.stop):
            terms = {
                variables[column]: value
                for column, value in zip(
                    columns[starts[row] : starts[row + 1]],
                    values[starts[row] : starts[row + 1]],
                    strict=True,
                )
            }
            sense = pulp.LpConstraintEQ if lower[row] == upper[row] else pulp.LpConstraintLE
            made.append(constraint(terms, sense, row_names[row], upper[row]))
        stored[family] = add_constraints(lp, made)
    owner = formulation.row_owner
    share_column = formulation.shortfall_share_column
    return LpModel(
        lp=lp,
        integer=formulation.integer,
        names=formulation.names,
        pair_department=formulation.pair_department,
        pair_group=formulation.pair_group,
        referrals=referrals,
        shortfall=others[:n_groups],
        max_load=others[n_groups],
        demand=stored["demand"],
        slots=stored["slots"],
        slot_rows=owner["slots"],
        load=stored["load"],
        load_rows=owner["load"],
        composition=stored["composition"],
        composition_rows=owner["composition"],
        area=stored["area"],
        area_rows=owner["area"],
        fits=stored["fits"],
        fits_rows=owner["fits"],
        fits_pools=formulation.fits_pools,
        shortfall_share=None if share_column is None else variables[share_column],
        fair=stored["fair"],
        fair_rows=owner["fair"],
        formulation=formulation,
        claims=stored["claims"],
        claims_rows=owner["claims"],
    )


def create_model(
    problem: ReferralProblem, integer: bool = False, fairness: bool = False
) -> LpModel:
    """Build the referral LP (or MILP) of a problem in PuLP, without an objective.

    Parameters
    ----------
    problem
        The referral problem.
    integer
        Whether referrals must be whole households (MILP).
    fairness
        Whether to add the fairness stage's variable and rows (``docs/optimiser.md``, "The
        stages").

    Returns
    -------
    LpModel
        The model and its handles; the stages set the objective.

    Examples
    --------
    >>> import pandas as pd
    >>> from optimisation import ReferralProblem
    >>> departments = pd.DataFrame({
    ...     "department": ["A"], "vacancies": [8.0], "referral_share": [0.25],
    ...     "households": [80], "adults": [100], "adults_outside": [20]})
    >>> groups = pd.DataFrame({"group": ["homeless"], "demand": [3.0],
    ...     "adults_per_household": [1.0], "outside_per_household": [1.0]})
    >>> model = create_model(ReferralProblem.from_frames(departments, groups))
    >>> [row.name for row in model.slots + model.demand]
    ['slots_A', 'demand_homeless']
    """
    return model_from_formulation(formulate(problem, integer=integer, fairness=fairness))
