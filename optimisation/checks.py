"""The rules a referral problem's values must meet, each naming what breaks it.

A :class:`~optimisation.ReferralProblem` checks its data when it is made and raises one
:class:`~optimisation.ProblemDataError` with every issue found. The rules on its numbers live here,
on plain arrays: counts are ``≥ 0``, shares 0–1, persons outside work or education no more than the
adults, the scalars sensible, capacities ``≥ 0`` and equal within a capacity pool, and every
excluded pair known. Each issue names the field, the offending ids and their values.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from optimisation.errors import DataIssue, format_ids

__all__ = [
    "check_capacity",
    "check_scalars",
    "check_values",
    "index_exclusions",
    "show_pairs",
    "show_values",
]

IntArray = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def show_values(ids: Sequence[Hashable], values: npt.NDArray[Any], language: str = "en") -> str:
    """List ids with their values, e.g. ``'A' (-1)``, at most ten, then how many more."""
    pairs = [f"{ident!r} ({value:g})" for ident, value in zip(ids, values, strict=True)]
    if language == "da":
        pairs = [_danish_value(pair) for pair in pairs]
    return format_ids(pairs, language=language).replace('"', "")


def _danish_value(pair: str) -> str:
    """``'A' (0.5)`` as ``'A' (0,5)``: a decimal comma in the value, the id as it is."""
    ident, _, value = pair.rpartition(" (")
    return f"{ident} ({value.replace('.', ',')}"


def show_pairs(
    departments: Sequence[Hashable],
    groups: Sequence[Hashable],
    mask: BoolArray,
    values: FloatArray | None = None,
    language: str = "en",
) -> str:
    """List the (department, group) pairs where ``mask`` holds, with their values if given."""
    rows, columns = np.nonzero(mask)
    comma = language == "da"
    shown = [
        f"({departments[d]!r}, {groups[g]!r})"
        + ("" if values is None else _number(f" ({values[d, g]:g})", comma))
        for d, g in zip(rows.tolist(), columns.tolist(), strict=True)
    ]
    return format_ids(shown, language=language).replace('"', "")


def _number(text: str, comma: bool) -> str:
    return text.replace(".", ",") if comma else text


RULES_DANISH = {
    "negative": "negativ",
    "outside 0–1": "uden for 0–1",
    "more persons outside work/education than adults": (
        "flere personer uden for arbejde/uddannelse end voksne"
    ),
    "adults in a department without households": "voksne i en afdeling uden husstande",
}
"""The rules :func:`check_values` names, in Danish."""


def check_scalars(scalars: Mapping[str, Any]) -> list[DataIssue]:
    """Check the scalars: numbers ``≥ 0``, shares at most 1, a ceiling ``T − m ≥ 0``.

    Parameters
    ----------
    scalars
        ``waiting_list_adults``, ``waiting_list_outside``, ``threshold`` and ``margin`` by name.

    Returns
    -------
    list of DataIssue
        Empty if the scalars are fine.
    """
    issues = []
    for name, value in scalars.items():
        if (
            not isinstance(value, numbers.Real)
            or isinstance(value, bool)
            or not math.isfinite(value)
            or value < 0
        ):
            issues.append(
                DataIssue(
                    name,
                    f"got {value!r}, expected a number ≥ 0",
                    f"fik {_number(repr(value), True)}, forventede et tal ≥ 0",
                )
            )
    if issues:
        return issues
    for name in ("threshold", "margin"):
        if scalars[name] > 1:
            issues.append(
                DataIssue(
                    name,
                    f"got {scalars[name]!r}, expected a share 0–1",
                    f"fik {_number(repr(scalars[name]), True)}, forventede en andel 0–1",
                )
            )
    outside, adults = scalars["waiting_list_outside"], scalars["waiting_list_adults"]
    if outside > adults:
        issues.append(
            DataIssue(
                "waiting_list_outside",
                f"{outside!r} persons outside work/education exceed the "
                f"{adults!r} adults of a waiting-list household",
                f"{_number(repr(outside), True)} personer uden for arbejde/uddannelse er flere end de "
                f"{_number(repr(adults), True)} "
                "voksne i en husstand fra ventelisten",
            )
        )
    threshold, margin = scalars["threshold"], scalars["margin"]
    if threshold - margin < 0:
        issues.append(
            DataIssue(
                "margin",
                f"margin {margin!r} exceeds the threshold {threshold!r}, "
                "so the ceiling would be negative",
                f"margenen {_number(repr(margin), True)} er større end grænsen "
                f"{_number(repr(threshold), True)}, så loftet ville blive "
                "negativt",
            )
        )
    return issues


def check_values(
    departments: Sequence[Hashable],
    groups: Sequence[Hashable],
    columns: Mapping[str, FloatArray],
    ceiling: FloatArray | None,
) -> list[DataIssue]:
    """Check the per-department and per-group numbers: counts ``≥ 0``, shares 0–1, parts ≤ wholes.

    Parameters
    ----------
    departments, groups
        The ids.
    columns
        The arrays by field name: ``vacancies``, ``referral_share``, ``households``, ``adults``,
        ``adults_outside`` (per department), ``demand``, ``adults_per_household`` and
        ``outside_per_household`` (per group).
    ceiling
        The per-department ceilings (NaN: the default), if any.

    Returns
    -------
    list of DataIssue
        Empty if the numbers are fine.
    """
    issues: list[DataIssue] = []

    def flag(
        where: str, mask: BoolArray, ids: Sequence[Hashable], values: FloatArray, rule: str
    ) -> None:
        if mask.any():
            rows = np.flatnonzero(mask).tolist()
            offending = [ids[i] for i in rows]
            issues.append(
                DataIssue(
                    where,
                    f"{rule} for {show_values(offending, values[rows])}",
                    f"{RULES_DANISH[rule]} for {show_values(offending, values[rows], 'da')}",
                )
            )

    for name in ("vacancies", "households", "adults", "adults_outside"):
        values = columns[name]
        flag(f"departments.{name}", values < 0, departments, values, "negative")
    share = columns["referral_share"]
    flag(
        "departments.referral_share",
        (share < 0) | (share > 1),
        departments,
        share,
        "outside 0–1",
    )
    if ceiling is not None:
        with np.errstate(invalid="ignore"):
            outside = (ceiling < 0) | (ceiling > 1)
        flag("departments.ceiling", outside, departments, ceiling, "outside 0–1")
    flag(
        "departments.adults_outside",
        columns["adults_outside"] > columns["adults"],
        departments,
        columns["adults_outside"],
        "more persons outside work/education than adults",
    )
    flag(
        "departments.adults",
        (columns["households"] == 0) & (columns["adults"] > 0),
        departments,
        columns["adults"],
        "adults in a department without households",
    )
    for name in ("demand", "adults_per_household", "outside_per_household"):
        values = columns[name]
        flag(f"groups.{name}", values < 0, groups, values, "negative")
    flag(
        "groups.outside_per_household",
        columns["outside_per_household"] > columns["adults_per_household"],
        groups,
        columns["outside_per_household"],
        "more persons outside work/education than adults",
    )
    return issues


def check_capacity(
    departments: Sequence[Hashable],
    groups: Sequence[Hashable],
    capacity: FloatArray,
    compatible: BoolArray,
    pool_index: IntArray,
    where: str = "compatibility.capacity",
) -> list[DataIssue]:
    """Check capacities are ``≥ 0`` and agree within each pool (on compatible pairs).

    Parameters
    ----------
    departments, groups
        The ids.
    capacity
        Departments × groups, households per period (``inf`` = no limit).
    compatible
        Departments × groups: which pairs may carry a referral.
    pool_index
        Each group's capacity pool (positions ``0 … n_pools − 1``).
    where
        The field named in an issue.

    Returns
    -------
    list of DataIssue
        Empty if the capacities are fine.
    """
    issues = []
    n_pools = int(pool_index.max()) + 1 if len(pool_index) else 0
    negative = capacity < 0
    if negative.any():
        issues.append(
            DataIssue(
                where,
                "negative for " + show_pairs(departments, groups, negative, capacity),
                "negativ for " + show_pairs(departments, groups, negative, capacity, "da"),
            )
        )
    differ = np.zeros((len(departments), n_pools), dtype=bool)
    if n_pools and len(departments):
        # all pools at once: the groups sorted by pool, each pool's columns reduced together
        order = np.argsort(pool_index, kind="stable")
        sorted_pools = pool_index[order]
        starts = np.flatnonzero(np.r_[True, sorted_pools[1:] != sorted_pools[:-1]])
        given = compatible[:, order]
        values = capacity[:, order]
        low = np.minimum.reduceat(np.where(given, values, np.inf), starts, axis=1)
        high = np.maximum.reduceat(np.where(given, values, -np.inf), starts, axis=1)
        several = np.add.reduceat(given.astype(np.intp), starts, axis=1) >= 2
        with np.errstate(invalid="ignore"):
            differ[:, sorted_pools[starts]] = several & ~np.isclose(
                low, high, rtol=1e-9, atol=1e-12
            )
    if differ.any():
        rows, pools = np.nonzero(differ)
        shown = []
        for d, p in zip(rows.tolist(), pools.tolist(), strict=True):
            listed = ", ".join(
                f"{groups[g]!r} ({capacity[d, g]:g})"
                for g in np.flatnonzero((pool_index == p) & compatible[d]).tolist()
            )
            shown.append(f"{departments[d]!r}: {listed}")
        issues.append(
            DataIssue(
                where,
                "groups of one capacity pool have different capacities in "
                + format_ids(shown).replace('"', "")
                + "; a pool's capacity is shared, give each of its groups the same value",
                "målgrupper i én fælles kapacitet har forskellige kapaciteter i "
                + format_ids(shown, language="da").replace('"', "")
                + "; en fælles kapacitet deles, giv hver af dens målgrupper den samme værdi",
            )
        )
    return issues


def index_exclusions(
    exclusions: Mapping[tuple[Hashable, Hashable], Sequence[str]],
    departments: Sequence[Hashable],
    groups: Sequence[Hashable],
) -> tuple[dict[tuple[int, int], tuple[str, ...]], list[DataIssue]]:
    """Key the exclusions by (department, group) positions; name any pair not in the problem.

    Parameters
    ----------
    exclusions
        ``{(department, group): reasons}``; one reason may be given as a string.
    departments, groups
        The ids.

    Returns
    -------
    indexed : dict
        ``{(department position, group position): reasons}``.
    issues : list of DataIssue
        Empty if every pair is known.
    """
    department_index = {ident: i for i, ident in enumerate(departments)}
    group_index = {ident: i for i, ident in enumerate(groups)}
    indexed: dict[tuple[int, int], tuple[str, ...]] = {}
    unknown: list[str] = []
    for pair, reasons in exclusions.items():
        try:
            department, group = pair
        except (TypeError, ValueError):
            unknown.append(repr(pair))
            continue
        row, column = department_index.get(department), group_index.get(group)
        if row is None or column is None:
            unknown.append(f"({department!r}, {group!r})")
            continue
        indexed[(row, column)] = (reasons,) if isinstance(reasons, str) else tuple(reasons)
    if unknown:
        return {}, [
            DataIssue(
                "exclusions",
                "pair(s) with a department or group not in the problem: "
                + format_ids(unknown).replace('"', ""),
                "par med en afdeling eller målgruppe, der ikke er i problemet: "
                + format_ids(unknown, language="da").replace('"', ""),
            )
        ]
    return indexed, []
