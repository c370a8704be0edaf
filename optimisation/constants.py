"""Closed sets of the referral optimiser, as types: solvers, statuses, stages and blockers.

Following ``linopy/constants.py``, every status the optimiser reports is a :class:`~enum.StrEnum`
member, never PuLP's integer code, so a caller can compare with ``==`` against a readable string
(``plan.status == "optimal"``) and a type checker knows every possible value.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Blocker", "SolverName", "SolverStatus", "Stage"]


class SolverName(StrEnum):
    """The LP/MILP solvers the optimiser can drive through PuLP."""

    HIGHS = "highs"
    """HiGHS through its Python API (``highspy``), no executable needed."""
    CBC = "cbc"
    """COIN-OR CBC, the executable bundled with PuLP."""


class SolverStatus(StrEnum):
    """What a solver said about one solve (PuLP's integer status translated)."""

    OPTIMAL = "optimal"
    """A proven optimal solution (for a MILP: within the configured gap)."""
    FEASIBLE = "feasible"
    """A solution exists but was not proven optimal (e.g. a limit was hit)."""
    INFEASIBLE = "infeasible"
    """No solution satisfies the constraints."""
    UNBOUNDED = "unbounded"
    """The objective can be improved without limit."""
    NOT_SOLVED = "not_solved"
    """The solver stopped without an answer."""
    UNDEFINED = "undefined"
    """The solver's answer could not be interpreted."""
    ERROR = "error"
    """The solver failed to run at all."""


class Stage(StrEnum):
    """The lexicographic stages, solved in this order (``fairness`` only when asked for)."""

    SHORTFALL = "shortfall"
    """Stage 1: minimise the total number of unplaced households."""
    FAIRNESS = "fairness"
    """Optional stage: with the total shortfall fixed, minimise the largest share of any group's
    demand left unplaced, so that no group carries more than its share of the shortfall."""
    MAX_LOAD = "max_load"
    """Stage 2: with the shortfall fixed, minimise the largest share of any department's vacancies
    that goes to referrals."""
    HEADROOM = "headroom"
    """Stage 3: with both fixed, minimise the composition headroom used in total."""


class Blocker(StrEnum):
    """Why a referral group cannot be placed in full."""

    NO_DEPARTMENT = "no_department"
    """No department is compatible with the group at all (and no reason was given)."""
    EXCLUDED = "excluded"
    """Every department is excluded for the group (rooms, rent, bans ...)."""
    NO_SLOTS = "no_slots"
    """The compatible departments have no referral slots this period (no vacancies or share 0)."""
    SLOTS = "slots"
    """The referral slots of the compatible departments are all used."""
    HEADROOM = "headroom"
    """The composition headroom of the compatible departments is used up (or they are already
    above the ceiling, so they may take only households that do not make it worse)."""
    AREA = "area"
    """The headroom of the compatible departments' protected areas is used up (or an area is
    already above its ceiling, so its departments may take only households that do not make it
    worse)."""
    FITTING = "fitting"
    """The dwellings that fit the group (rooms, rent) are used up in the compatible departments:
    their capacity for the group (shared with the groups of its capacity pool) is all planned."""
