"""The names of the referral LP: ids made safe for LP and MPS files, and the way back.

An ``.lp`` file should read like the policy (``slots_{department}``, ``demand_{group}``), so every
id is sanitised once (:func:`sanitise_names`) and :class:`LpNames` maps the names back to the
problem's positions. Used by :mod:`optimisation.formulation` (which names every row and column)
and so by both solver paths.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from optimisation.problem import ReferralProblem

__all__ = ["MAX_NAME_LENGTH", "LpNames", "lp_names", "sanitise_names", "unique_names"]

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
    return _sanitise(tuple((type(ident), ident) for ident in ids))


@lru_cache(maxsize=64)
def _sanitise(typed_ids: tuple[tuple[type, Hashable], ...]) -> tuple[str, ...]:
    """:func:`sanitise_names`, remembered: a simulation plans the same ids every quarter.

    The ids come with their types, so that ``1`` and ``1.0`` (equal as keys) are told apart.
    """
    ids = [ident for _, ident in typed_ids]
    names: list[str] = []
    used: set[str] = set()
    for position, ident in enumerate(ids):
        text = str(ident)
        if not text.isascii():  # ASCII needs no transliteration (and is its own NFKD form)
            text = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE))
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
    units
        Sanitised claim accounting unit names, in the order of ``problem.units``.
    """

    departments: tuple[str, ...]
    groups: tuple[str, ...]
    pools: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    units: tuple[str, ...] = ()

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


def lp_names(problem: ReferralProblem) -> LpNames:
    """The sanitised names of a problem's departments, groups, pools, areas and claim units.

    Parameters
    ----------
    problem
        The referral problem.

    Returns
    -------
    LpNames
        Pools are named like their group when every group is its own pool.
    """
    group_names = sanitise_names(problem.groups)
    pool_names = group_names if problem.capacity_pool is None else sanitise_names(problem.pools)
    return LpNames(
        sanitise_names(problem.departments),
        group_names,
        pool_names,
        sanitise_names(problem.areas) if problem.areas else (),
        sanitise_names(problem.units) if problem.units else (),
    )


def unique_names(names: list[str]) -> list[str]:
    """Make composed row names unique, e.g. ``("a_b", "c")`` and ``("a", "b_c")`` → ``fits_a_b_c``.

    A name seen before gets its position as a suffix (again, until it is new).

    Parameters
    ----------
    names
        Row names, in row order.

    Returns
    -------
    list of str
        The same names where unique, else suffixed.
    """
    if len(set(names)) == len(names):
        return names
    seen: set[str] = set()
    result = []
    for position, name in enumerate(names):
        while name in seen:
            name = f"{name}_{position}"
        seen.add(name)
        result.append(name)
    return result
