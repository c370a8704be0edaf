"""Build the referral LP in PuLP, in bulk, with names that read like the policy.

The model is stated in ``docs/optimiser.md`` (sections "Variables", "Constraints" and
"Capacity and pools").

``create_model`` wires the ``define_*`` functions together (the shape of
``pypsa/optimization/optimize.py``): variables first, then one family of constraints per rule.

Variables (only for pairs that can carry a referral: compatible, in a department with vacancies):

* ``referrals_{department}_{group}`` ``x_dg ≥ 0`` households (integer on request);
* ``shortfall_{group}`` ``u_g ≥ 0`` households left unplaced;
* ``max_load`` ``L ≥ 0``, the largest share of any department's vacancies that goes to referrals.

Constraints:

* ``demand_{group}``: ``Σ_d x_dg + u_g = q_g``;
* ``slots_{department}``: ``Σ_g x_dg ≤ s_d v_d``;
* ``load_{department}``: ``Σ_g x_dg − v_d L ≤ 0``;
* ``composition_{department}``: ``Σ_g max(0, w_dg) x_dg ≤ R_d``, only where some compatible group
  has ``w_dg > 0`` (otherwise it cannot bind), and only with department ceilings;
* ``area_{area}``: ``Σ_{d in a} Σ_g max(0, w^a_dg) x_dg ≤ R_a``, one per protected area with a
  positive term (``docs/optimiser.md``, "Area protection");
* ``fits_{department}_{pool}``: ``Σ_{g in pool} x_dg ≤ c_d,pool``, the referrals the dwellings that
  fit the pool's groups (rooms, rent) can take, only where the capacity is finite. A pool is
  usually one group, and the row then reads ``fits_{department}_{group}``. In a MILP the
  right-hand side is rounded down, ``⌊c⌋``: whole referrals meet ``≤ c`` exactly when they meet
  ``≤ ⌊c⌋``, so the integer plans are the same and the relaxation is tighter.

Incompatible pairs get no variable at all (``x_dg = 0``), and neither do departments without
vacancies (``v_d = 0``): their load row ``Σ_g x_dg ≤ 0 · L`` would force every referral to 0
whatever their slots, so one more slot there is worth nothing. A department with vacancies but an
agreed share of 0 keeps its variables and a ``slots`` row with right-hand side 0, so the shadow
price says what opening it to referrals would be worth. Ids are sanitised for LP names (ASCII
letters, digits and ``_``, at most :data:`MAX_NAME_LENGTH` characters, made unique with a
suffix); :class:`LpNames` maps back.

Speed: each row's terms are a dict built in one pass per department (``dict.fromkeys`` over a
slice of the department's variables), made into a constraint at once and handed to PuLP a family
at a time with precomputed names (:func:`~optimisation.solvers.add_constraints`), avoiding PuLP's
per-term operator overloading (``lpSum`` of products), which dominates naive builds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pulp

from optimisation.problem import ReferralProblem
from optimisation.solvers import add_constraints, constraint, new_problem, new_variables

__all__ = [
    "MAX_NAME_LENGTH",
    "LpModel",
    "LpNames",
    "create_model",
    "sanitise_names",
]

IntArray = npt.NDArray[np.intp]

MAX_NAME_LENGTH = 40
"""Longest sanitised id used in an LP name (PuLP refuses variable names over 100 characters)."""

_TRANSLITERATE = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})
_NOT_NAME = re.compile(r"[^A-Za-z0-9_]")


def sanitise_names(ids: Sequence[Hashable]) -> tuple[str, ...]:
    """Turn ids into unique names that are safe in LP and MPS files.

    Danish letters are transliterated (``æ → ae``), other accents dropped, anything else but ASCII
    letters, digits and ``_`` becomes ``_``; long names are cut to :data:`MAX_NAME_LENGTH`
    characters, and a clash gets the position as a suffix.

    Parameters
    ----------
    ids
        Department or group ids, unique.

    Returns
    -------
    tuple of str
        One name per id, in the same order, all distinct.

    Examples
    --------
    >>> sanitise_names(["Nørrebro 1", "Nørrebro-1", 7])
    ('Noerrebro_1', 'Noerrebro_1_1', '7')
    """
    names: list[str] = []
    used: set[str] = set()
    for position, ident in enumerate(ids):
        text = unicodedata.normalize("NFKD", str(ident).translate(_TRANSLITERATE))
        text = text.encode("ascii", "ignore").decode("ascii")
        name = _NOT_NAME.sub("_", text)[:MAX_NAME_LENGTH] or "_"
        base, suffix = name, position
        while name in used:
            name = f"{base}_{suffix}"
            suffix += len(ids)
        used.add(name)
        names.append(name)
    return tuple(names)


@dataclass(frozen=True)
class LpNames:
    """The sanitised LP names of a problem's departments and groups, and the way back.

    Parameters
    ----------
    departments
        Sanitised department names, in the problem's order.
    groups
        Sanitised group names, in the problem's order.
    pools
        Sanitised capacity pool names, in the order of ``problem.pools`` (the group names when
        every group is its own pool).
    areas
        Sanitised area names, in the order of ``problem.areas``.
    """

    departments: tuple[str, ...]
    groups: tuple[str, ...]
    pools: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()

    def department_index(self, name: str) -> int:
        """Position of the department whose sanitised name is ``name``.

        Parameters
        ----------
        name
            A sanitised department name (as in ``slots_{name}``).

        Returns
        -------
        int
            Index into ``problem.departments``.
        """
        return self.departments.index(name)

    def group_index(self, name: str) -> int:
        """Position of the group whose sanitised name is ``name``.

        Parameters
        ----------
        name
            A sanitised group name (as in ``demand_{name}``).

        Returns
        -------
        int
            Index into ``problem.groups``.
        """
        return self.groups.index(name)


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
    shortfall_share, fair, fair_rows
        With the fairness stage: the variable ``max_shortfall_share`` ``F``, the
        ``fair_{group}`` rows ``u_g − q_g F ≤ 0`` and their group indices.
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


def define_variables(
    lp: pulp.LpProblem, problem: ReferralProblem, names: LpNames, integer: bool
) -> tuple[IntArray, IntArray, list[pulp.LpVariable], list[pulp.LpVariable], pulp.LpVariable]:
    """Create the referral, shortfall and maximum-load variables.

    Parameters
    ----------
    lp
        The problem the variables belong to.
    problem
        The referral problem.
    names
        Sanitised names.
    integer
        Whether referrals are whole households.

    Returns
    -------
    pair_department, pair_group : ndarray
        Department and group index of each referral variable (department-major order).
    referrals : list of LpVariable
        ``referrals_{department}_{group}``, households per period.
    shortfall : list of LpVariable
        ``shortfall_{group}``, households per period.
    max_load : LpVariable
        ``max_load``, share of vacancies.
    """
    can_refer = problem.compatible & (problem.vacancies > 0)[:, None]
    pair_department, pair_group = (index.astype(np.intp) for index in np.nonzero(can_refer))
    department_names, group_names = names.departments, names.groups
    referrals = new_variables(
        lp,
        (
            f"referrals_{department_names[d]}_{group_names[g]}"
            for d, g in zip(pair_department.tolist(), pair_group.tolist(), strict=True)
        ),
        integer,
    )
    shortfall = new_variables(lp, (f"shortfall_{name}" for name in group_names), False)
    (max_load,) = new_variables(lp, ["max_load"], False)
    return pair_department, pair_group, referrals, shortfall, max_load


def define_department_constraints(
    problem: ReferralProblem,
    names: LpNames,
    pair_department: IntArray,
    pair_group: IntArray,
    referrals: list[pulp.LpVariable],
    max_load: pulp.LpVariable,
) -> dict[str, tuple[list[pulp.LpConstraint], IntArray]]:
    """Create the slots, load and composition constraints, one of each per department.

    Parameters
    ----------
    problem
        The referral problem.
    names
        Sanitised names.
    pair_department, pair_group
        Department and group index of each referral variable (department-major order).
    referrals
        The referral variables.
    max_load
        The maximum-load variable.

    Returns
    -------
    dict
        ``{"slots": (constraints, department indices), "load": ..., "composition": ...}``, not
        yet added to the problem.
    """
    starts = np.searchsorted(pair_department, np.arange(problem.n_departments + 1))
    positive_usage = np.maximum(problem.usage[pair_department, pair_group], 0.0).tolist()
    slots_rhs = problem.slots.tolist()
    headroom = problem.headroom.tolist()
    vacancies = problem.vacancies.tolist()
    department_names = names.departments
    families: dict[str, tuple[list[pulp.LpConstraint], list[int]]] = {
        "slots": ([], []),
        "load": ([], []),
        "composition": ([], []),
    }
    slots, slot_rows = families["slots"]
    load, load_rows = families["load"]
    composition, composition_rows = families["composition"]
    less_equal = pulp.LpConstraintLE
    for department in np.flatnonzero(starts[1:] > starts[:-1]).tolist():
        first, last = int(starts[department]), int(starts[department + 1])
        terms = referrals[first:last]
        name = department_names[department]
        slots.append(
            constraint(
                dict.fromkeys(terms, 1.0), less_equal, f"slots_{name}", slots_rhs[department]
            )
        )
        slot_rows.append(department)
        load_terms = dict.fromkeys(terms, 1.0)
        load_terms[max_load] = -vacancies[department]
        load.append(constraint(load_terms, less_equal, f"load_{name}", 0.0))
        load_rows.append(department)
        usage_terms = {
            variable: usage
            for variable, usage in zip(terms, positive_usage[first:last], strict=True)
            if usage > 0
        }
        if usage_terms and problem.department_ceilings:
            composition.append(
                constraint(usage_terms, less_equal, f"composition_{name}", headroom[department])
            )
            composition_rows.append(department)
    return {
        family: (constraints, np.asarray(rows, dtype=np.intp))
        for family, (constraints, rows) in families.items()
    }


def define_area_constraints(
    problem: ReferralProblem,
    names: LpNames,
    pair_department: IntArray,
    pair_group: IntArray,
    referrals: list[pulp.LpVariable],
) -> tuple[list[pulp.LpConstraint], IntArray]:
    """Create one ``area_{area}`` row per protected area with a positive term.

    Parameters
    ----------
    problem
        The referral problem.
    names
        Sanitised names (with the areas').
    pair_department, pair_group
        Department and group index of each referral variable (department-major order).
    referrals
        The referral variables.

    Returns
    -------
    constraints : list of LpConstraint
        ``Σ_{d in a} Σ_g max(0, w^a_dg) x_dg ≤ R_a`` (persons), in area order; not yet added.
    areas : ndarray
        The area index of each row.
    """
    empty = np.zeros(0, dtype=np.intp)
    if not problem.areas or not problem.protected_areas.any():
        return [], empty
    usage = np.maximum(problem.area_usage[pair_department, pair_group], 0.0)
    area = problem.area_index[pair_department]
    chosen = np.flatnonzero(usage > 0)
    order = chosen[np.argsort(area[chosen], kind="stable")]
    keys = area[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if keys.size else empty
    ends = np.r_[starts[1:], keys.size] if keys.size else empty
    headroom = problem.area_headroom.tolist()
    coefficients = usage.tolist()
    constraints = []
    rows = []
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        index = order[start:end].tolist()
        row = int(keys[start])
        terms = {referrals[i]: coefficients[i] for i in index}
        constraints.append(
            constraint(terms, pulp.LpConstraintLE, f"area_{names.areas[row]}", headroom[row])
        )
        rows.append(row)
    return constraints, np.asarray(rows, dtype=np.intp)


def define_fits_constraints(
    problem: ReferralProblem,
    names: LpNames,
    pair_department: IntArray,
    pair_group: IntArray,
    referrals: list[pulp.LpVariable],
    integer: bool,
) -> tuple[list[pulp.LpConstraint], IntArray, IntArray]:
    """Create one ``fits_{department}_{pool}`` row per pool with a finite capacity there.

    Parameters
    ----------
    problem
        The referral problem.
    names
        Sanitised names (with the pools').
    pair_department, pair_group
        Department and group index of each referral variable (department-major order).
    referrals
        The referral variables.
    integer
        Whether referrals are whole households: the capacity is then rounded down.

    Returns
    -------
    constraints : list of LpConstraint
        ``Σ_{g in pool} x_dg ≤ c_d,pool`` (households per period), ordered by department, then
        pool; not yet added to the problem.
    departments, pools : ndarray
        Department and pool index of each row.
    """
    pool = problem.pool_index[pair_group]
    capacity = problem.pool_limit(integer)[pair_department, pool]
    limited = np.flatnonzero(np.isfinite(capacity))
    if limited.size == 0:
        empty = np.zeros(0, dtype=np.intp)
        return [], empty, empty
    key = pair_department[limited] * len(problem.pools) + pool[limited]
    order = np.argsort(key, kind="stable")
    limited, key = limited[order], key[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    ends = np.r_[starts[1:], key.size]
    departments = pair_department[limited[starts]]
    pools = pool[limited[starts]]
    rhs = capacity[limited[starts]]
    ordered = [referrals[i] for i in limited.tolist()]
    department_names, pool_names = names.departments, names.pools
    row_names = [
        f"fits_{department_names[d]}_{pool_names[p]}"
        for d, p in zip(departments.tolist(), pools.tolist(), strict=True)
    ]
    if len(set(row_names)) < len(row_names):  # e.g. ("a_b", "c") and ("a", "b_c")
        seen: set[str] = set()
        for position, name in enumerate(row_names):
            while name in seen:
                name = f"{name}_{position}"
            seen.add(name)
            row_names[position] = name
    less_equal = pulp.LpConstraintLE
    constraints = [
        constraint(dict.fromkeys(ordered[start:end], 1.0), less_equal, name, limit)
        for start, end, name, limit in zip(
            starts.tolist(), ends.tolist(), row_names, rhs.tolist(), strict=True
        )
    ]
    return constraints, departments.astype(np.intp), pools.astype(np.intp)


def define_demand_constraints(
    problem: ReferralProblem,
    names: LpNames,
    pair_group: IntArray,
    referrals: list[pulp.LpVariable],
    shortfall: list[pulp.LpVariable],
) -> list[pulp.LpConstraint]:
    """Create one ``demand_{group}`` equality per group: placed plus unplaced equals demand.

    Parameters
    ----------
    problem
        The referral problem.
    names
        Sanitised names.
    pair_group
        Group index of each referral variable.
    referrals
        The referral variables.
    shortfall
        The shortfall variables.

    Returns
    -------
    list of LpConstraint
        In group order; not yet added to the problem.
    """
    order = np.argsort(pair_group, kind="stable")
    starts = np.searchsorted(pair_group[order], np.arange(problem.n_groups + 1))
    ordered = [referrals[i] for i in order.tolist()]
    demand = problem.demand.tolist()
    constraints = []
    for group, name in enumerate(names.groups):
        terms = dict.fromkeys(ordered[starts[group] : starts[group + 1]], 1.0)
        terms[shortfall[group]] = 1.0
        constraints.append(constraint(terms, pulp.LpConstraintEQ, f"demand_{name}", demand[group]))
    return constraints


def define_fairness(
    lp: pulp.LpProblem, problem: ReferralProblem, names: LpNames, shortfall: list[pulp.LpVariable]
) -> tuple[pulp.LpVariable, list[pulp.LpConstraint], IntArray]:
    """Create ``max_shortfall_share`` ``F ≥ 0`` and one ``fair_{group}`` row per group with demand.

    ``u_g − q_g F ≤ 0``: no group has more than the share ``F`` of its demand unplaced.

    Returns
    -------
    variable, constraints, groups
        ``F``, the rows (not yet added) and their group indices.
    """
    (share,) = new_variables(lp, ["max_shortfall_share"], False)
    groups = np.flatnonzero(problem.demand > 0).astype(np.intp)
    demand = problem.demand.tolist()
    rows = [
        constraint(
            {shortfall[g]: 1.0, share: -demand[g]},
            pulp.LpConstraintLE,
            f"fair_{names.groups[g]}",
            0.0,
        )
        for g in groups.tolist()
    ]
    return share, rows, groups


def create_model(
    problem: ReferralProblem, integer: bool = False, fairness: bool = False
) -> LpModel:
    """Build the referral LP (or MILP) of a problem, without an objective.

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
    """
    group_names = sanitise_names(problem.groups)
    pool_names = group_names if problem.capacity_pool is None else sanitise_names(problem.pools)
    names = LpNames(
        sanitise_names(problem.departments),
        group_names,
        pool_names,
        sanitise_names(problem.areas) if problem.areas else (),
    )
    lp = new_problem("referral_plan")
    pair_department, pair_group, referrals, shortfall, max_load = define_variables(
        lp, problem, names, integer
    )
    families = define_department_constraints(
        problem, names, pair_department, pair_group, referrals, max_load
    )
    fits, fits_rows, fits_pools = define_fits_constraints(
        problem, names, pair_department, pair_group, referrals, integer
    )
    area, area_rows = define_area_constraints(
        problem, names, pair_department, pair_group, referrals
    )
    demand = define_demand_constraints(problem, names, pair_group, referrals, shortfall)
    # in this order in the LP; the constraints as stored are the ones to read and change
    slots = add_constraints(lp, families["slots"][0])
    load = add_constraints(lp, families["load"][0])
    composition = add_constraints(lp, families["composition"][0])
    area = add_constraints(lp, area)
    fits = add_constraints(lp, fits)
    demand = add_constraints(lp, demand)
    shortfall_share: pulp.LpVariable | None = None
    fair: list[pulp.LpConstraint] = []
    fair_rows = np.zeros(0, dtype=np.intp)
    if fairness:
        shortfall_share, fair, fair_rows = define_fairness(lp, problem, names, shortfall)
        fair = add_constraints(lp, fair)
    return LpModel(
        lp=lp,
        integer=integer,
        names=names,
        pair_department=pair_department,
        pair_group=pair_group,
        referrals=referrals,
        shortfall=shortfall,
        max_load=max_load,
        demand=demand,
        slots=slots,
        slot_rows=families["slots"][1],
        load=load,
        load_rows=families["load"][1],
        composition=composition,
        composition_rows=families["composition"][1],
        area=area,
        area_rows=area_rows,
        fits=fits,
        fits_rows=fits_rows,
        fits_pools=fits_pools,
        shortfall_share=shortfall_share,
        fair=fair,
        fair_rows=fair_rows,
    )
