"""Reading a referral problem's tables: the columns, cells and (department, group) pairs.

:meth:`ReferralProblem.from_frames <optimisation.ReferralProblem.from_frames>` takes pandas
frames; this module reads them into the arrays a :class:`~optimisation.ReferralProblem` is made
of, checking every column and cell on the way and naming what it found wrong (a
:class:`~optimisation.DataIssue` per problem). The frames' columns are described in
``docs/optimiser.md`` ("Data").
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from optimisation.errors import DataIssue, ProblemDataError, format_ids

__all__ = [
    "DEPARTMENT_COLUMNS",
    "EXCLUSION_COLUMNS",
    "GROUP_COLUMNS",
    "NOT_LISTED",
    "check_ids",
    "is_missing",
    "read_area_ceilings",
    "read_frames",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]

DEPARTMENT_COLUMNS: tuple[str, ...] = (
    "department",
    "vacancies",
    "referral_share",
    "households",
    "adults",
    "adults_outside",
)
"""Required columns of the ``departments`` frame (``ceiling``, ``area``, ``unit``,
``newcomer_adults`` and ``newcomer_outside`` are optional)."""

GROUP_COLUMNS: tuple[str, ...] = (
    "group",
    "demand",
    "adults_per_household",
    "outside_per_household",
)
"""Required columns of the ``groups`` frame."""

EXCLUSION_COLUMNS: tuple[str, ...] = ("department", "group", "reason")
"""Columns of the ``exclusions`` frame."""

NOT_LISTED = "not_listed"
"""Reason recorded for a pair missing from a ``compatibility`` frame."""


def read_frames(
    departments: pd.DataFrame,
    groups: pd.DataFrame,
    compatibility: pd.DataFrame | None,
    exclusions: pd.DataFrame | None,
) -> dict[str, Any]:
    """Read the tables of :meth:`ReferralProblem.from_frames` into the problem's fields.

    Parameters
    ----------
    departments, groups, compatibility, exclusions
        The frames, as documented at :meth:`ReferralProblem.from_frames`.

    Returns
    -------
    dict
        Keyword arguments for :class:`~optimisation.ReferralProblem`: ids, per-department and
        per-group arrays, ``compatible``, ``ceiling``, ``exclusions``, ``capacity`` and
        ``capacity_pool`` (the scalars are the caller's).

    Raises
    ------
    ProblemDataError
        Listing every issue found in the tables.
    """
    issues: list[DataIssue] = []
    issues += _check_frame("departments", departments, DEPARTMENT_COLUMNS)
    issues += _check_frame("groups", groups, GROUP_COLUMNS)
    if issues:
        raise ProblemDataError(issues)
    department_ids = departments["department"].tolist()
    group_ids = groups["group"].tolist()
    issues += check_ids("departments.department", department_ids, "department")
    issues += check_ids("groups.group", group_ids, "group")
    columns: dict[str, FloatArray] = {}
    for frame_name, frame, names, ids in (
        ("departments", departments, DEPARTMENT_COLUMNS[1:], department_ids),
        ("groups", groups, GROUP_COLUMNS[1:], group_ids),
    ):
        for name in names:
            values, column_issues = _numeric(frame_name, frame, name, ids, allow_nan=False)
            columns[name] = values
            issues += column_issues
    optional: dict[str, FloatArray | None] = {}
    for name in ("ceiling", "newcomer_adults", "newcomer_outside"):
        optional[name] = None
        if name in departments.columns:
            optional[name], column_issues = _numeric(
                "departments", departments, name, department_ids, allow_nan=True
            )
            issues += column_issues
    if issues:
        raise ProblemDataError(issues)
    area = tuple(departments["area"].tolist()) if "area" in departments.columns else None
    unit = tuple(departments["unit"].tolist()) if "unit" in departments.columns else None

    capacity_pool: tuple[Hashable, ...] | None = None
    if "capacity_pool" in groups.columns:
        capacity_pool = tuple(
            ident if is_missing(pool) else pool
            for ident, pool in zip(group_ids, groups["capacity_pool"].tolist(), strict=True)
        )
    compatible = np.ones((len(department_ids), len(group_ids)), dtype=bool)
    capacity: FloatArray | None = None
    dwellings: FloatArray | None = None
    reasons: dict[tuple[Hashable, Hashable], list[str]] = {}
    if compatibility is not None:
        compatible, reasons, pair_issues, located = _read_compatibility(
            compatibility, department_ids, group_ids
        )
        issues += pair_issues
        if not pair_issues and "capacity" in compatibility.columns:
            capacity, pair_issues = _read_capacity(
                compatibility, department_ids, group_ids, located
            )
            issues += pair_issues
        if not pair_issues and "dwellings" in compatibility.columns:
            dwellings, pair_issues = _read_capacity(
                compatibility, department_ids, group_ids, located, "dwellings"
            )
            issues += pair_issues
    if exclusions is not None:
        excluded, pair_issues = _read_exclusions(exclusions, department_ids, group_ids)
        issues += pair_issues
        for pair, pair_reasons in excluded.items():  # each pair's reasons: listed once each
            known = reasons.get(pair)
            if not known or known == [NOT_LISTED]:
                reasons[pair] = pair_reasons
            else:
                reasons[pair] = known + [r for r in pair_reasons if r not in known]
    if issues:
        raise ProblemDataError(issues)
    return dict(
        departments=tuple(department_ids),
        groups=tuple(group_ids),
        vacancies=columns["vacancies"],
        referral_share=columns["referral_share"],
        households=columns["households"],
        adults=columns["adults"],
        adults_outside=columns["adults_outside"],
        demand=columns["demand"],
        adults_per_household=columns["adults_per_household"],
        outside_per_household=columns["outside_per_household"],
        compatible=compatible,
        ceiling=optional["ceiling"],
        exclusions={pair: tuple(values) for pair, values in reasons.items()},
        capacity=capacity,
        capacity_pool=capacity_pool,
        newcomer_adults=optional["newcomer_adults"],
        newcomer_outside=optional["newcomer_outside"],
        area=area,
        dwellings=dwellings,
        claim_unit=unit,
    )


def read_area_ceilings(areas: pd.DataFrame | None) -> dict[Hashable, float] | None:
    """Read the ``areas`` frame (``area``, ``ceiling``) into ``{area: ceiling}``.

    Rows with an empty ceiling are left out (the area is not protected).

    Raises
    ------
    ProblemDataError
        If a column is missing, an area repeats or a ceiling is not a number.
    """
    if areas is None:
        return None
    issues = _check_frame("areas", areas, ("area", "ceiling"))
    if issues:
        raise ProblemDataError(issues)
    ids = areas["area"].tolist()
    if not ids:
        return {}
    issues += check_ids("areas.area", ids, "area")
    values, column_issues = _numeric("areas", areas, "ceiling", ids, allow_nan=True)
    issues += column_issues
    if issues:
        raise ProblemDataError(issues)
    return {
        ident: float(value)
        for ident, value in zip(ids, values.tolist(), strict=True)
        if not np.isnan(value)
    }


def check_ids(where: str, ids: Sequence[Hashable], kind: str) -> list[DataIssue]:
    """Check ids: at least one, none missing, none twice.

    Parameters
    ----------
    where
        The field, e.g. ``"departments.department"``.
    ids
        The ids in order.
    kind
        What they are (``"department"`` or ``"group"``).

    Returns
    -------
    list of DataIssue
        Empty if the ids are fine.
    """
    issues = []
    if len(ids) == 0:
        kind_danish = {"department": "afdelinger", "group": "målgrupper"}.get(kind, kind)
        issues.append(
            DataIssue(
                where,
                f"no {kind}s; at least one is needed",
                f"ingen {kind_danish}; der skal være mindst én",
            )
        )
    elif set(map(type, ids)) <= {str, int} and len(set(ids)) == len(ids):
        return issues  # the usual ids (never missing), all distinct: no loop in Python
    missing = [i for i, ident in enumerate(ids) if is_missing(ident)]
    if missing:
        issues.append(
            DataIssue(
                where,
                f"missing id in row(s) {format_ids(missing)}",
                f"id mangler i række(r) {format_ids(missing, language='da')}",
            )
        )
    seen: set[Hashable] = set()
    duplicates: list[Hashable] = []
    for ident in ids:
        if is_missing(ident):
            continue
        if ident in seen and ident not in duplicates:
            duplicates.append(ident)
        seen.add(ident)
    if duplicates:
        issues.append(
            DataIssue(
                where,
                f"duplicate {kind} id(s) {format_ids(duplicates)}",
                f"id givet mere end én gang: {format_ids(duplicates, language='da')}",
            )
        )
    return issues


def is_missing(value: object) -> bool:
    """Whether a cell or id is missing (``None``, NaN, ``pd.NA`` or ``NaT``)."""
    if value is None:
        return True
    if isinstance(value, (str, int)):  # the usual ids: never missing, and pd.isna is slow
        return False
    try:
        return bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


def _check_frame(name: str, frame: object, required: Sequence[str]) -> list[DataIssue]:
    if not isinstance(frame, pd.DataFrame):
        kind = type(frame).__name__
        return [
            DataIssue(
                name,
                f"expected a pandas DataFrame, got {kind}",
                f"forventede en pandas DataFrame, fik {kind}",
            )
        ]
    missing = [column for column in required if column not in frame.columns]
    if missing:
        return [
            DataIssue(
                name,
                f"missing column(s) {format_ids(missing)}; required: {format_ids(list(required))}",
                f"kolonne(r) mangler: {format_ids(missing, language='da')}; påkrævet: "
                f"{format_ids(list(required), language='da')}",
            )
        ]
    return []


def _is_blank(value: object) -> bool:
    """Whether a cell is empty: missing, or a string of only spaces."""
    return is_missing(value) or (isinstance(value, str) and not value.strip())


def _numeric(
    frame_name: str, frame: pd.DataFrame, column: str, ids: Sequence[Hashable], allow_nan: bool
) -> tuple[FloatArray, list[DataIssue]]:
    raw = frame[column]
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    where = f"{frame_name}.{column}"
    issues = []
    not_number = np.isnan(values) & raw.notna().to_numpy()
    if not_number.any():
        rows = np.flatnonzero(not_number).tolist()
        cells = [f"{ids[i]!r} ({raw.iloc[i]!r})" for i in rows]
        shown = format_ids(cells).replace('"', "")
        shown_danish = format_ids(cells, language="da").replace('"', "")
        issues.append(
            DataIssue(where, f"not a number for {shown}", f"ikke et tal for {shown_danish}")
        )
    missing = raw.isna().to_numpy()
    if missing.any() and not allow_nan:
        rows = np.flatnonzero(missing).tolist()
        offending = [ids[i] for i in rows]
        issues.append(
            DataIssue(
                where,
                f"missing (NaN) for {format_ids(offending)}",
                f"mangler (NaN) for {format_ids(offending, language='da')}",
            )
        )
    infinite = np.isinf(values)
    if infinite.any():
        rows = np.flatnonzero(infinite).tolist()
        offending = [ids[i] for i in rows]
        issues.append(
            DataIssue(
                where,
                f"infinite for {format_ids(offending)}",
                f"uendelig for {format_ids(offending, language='da')}",
            )
        )
    return values, issues


def _pairs(
    name: str,
    frame: object,
    required: Sequence[str],
    departments: Sequence[Hashable],
    groups: Sequence[Hashable],
) -> tuple[IntArray, IntArray, list[DataIssue]]:
    """Each row's (department, group) positions, or the issues naming unknown ids."""
    none = np.zeros(0, dtype=np.intp)
    issues = _check_frame(name, frame, required)
    if issues:
        return none, none, issues
    assert isinstance(frame, pd.DataFrame)
    department_index = {ident: i for i, ident in enumerate(departments)}
    group_index = {ident: i for i, ident in enumerate(groups)}
    rows = _lookup(department_index, frame["department"])
    columns = _lookup(group_index, frame["group"])
    if not ((rows < 0).any() or (columns < 0).any()):
        return rows, columns, issues
    department_values = frame["department"].tolist()
    group_values = frame["group"].tolist()
    unknown_departments = list(
        dict.fromkeys(d for d in department_values if d not in department_index)
    )
    unknown_groups = list(dict.fromkeys(g for g in group_values if g not in group_index))
    if unknown_departments:
        issues.append(
            DataIssue(
                f"{name}.department",
                f"department(s) not in departments: {format_ids(unknown_departments)}",
                "afdeling(er), der ikke er i departments: "
                + format_ids(unknown_departments, language="da"),
            )
        )
    if unknown_groups:
        issues.append(
            DataIssue(
                f"{name}.group",
                f"group(s) not in groups: {format_ids(unknown_groups)}",
                f"målgruppe(r), der ikke er i groups: {format_ids(unknown_groups, language='da')}",
            )
        )
    return none, none, issues


def _lookup(index: dict[Hashable, int], column: pd.Series) -> IntArray:
    """Each cell's ``index.get(cell, -1)``, looking each distinct value up once."""
    try:
        codes, distinct = pd.factorize(column)
    except TypeError:  # unhashable cells: the dict says so
        codes = None
    if codes is None or (codes < 0).any():  # missing cells: one by one, as the dict sees them
        return np.array([index.get(value, -1) for value in column.tolist()], dtype=np.intp)
    found = np.array([index.get(value, -1) for value in distinct.tolist()], dtype=np.intp)
    positions: IntArray = found[codes]
    return positions


def _reasons(frame: pd.DataFrame) -> list[str]:
    return [
        reason.strip()
        if type(reason) is str
        else ("" if is_missing(reason) else str(reason).strip())
        for reason in frame["reason"].tolist()
    ]


def _read_compatibility(
    frame: pd.DataFrame, departments: Sequence[Hashable], groups: Sequence[Hashable]
) -> tuple[
    BoolArray,
    dict[tuple[Hashable, Hashable], list[str]],
    list[DataIssue],
    tuple[IntArray, IntArray, BoolArray],
]:
    """Read the allowed pairs, the excluded ones with their reasons, and the issues.

    Also returns each row's (department position, group position, allowed).
    """
    compatible = np.zeros((len(departments), len(groups)), dtype=bool)
    rows, columns, issues = _pairs(
        "compatibility", frame, ("department", "group"), departments, groups
    )
    if issues:
        return compatible, {}, issues, (rows, columns, np.zeros(0, dtype=bool))
    reasons = _reasons(frame) if "reason" in frame.columns else None
    allowed = (
        np.ones(rows.size, dtype=bool)
        if reasons is None
        else np.fromiter((not reason for reason in reasons), dtype=bool, count=rows.size)
    )
    flat = rows * len(groups) + columns
    first = np.zeros(flat.size, dtype=bool)
    first[np.unique(flat, return_index=True)[1]] = True
    duplicates = [
        f"({departments[d]!r}, {groups[g]!r})"
        for d, g in zip(
            rows[allowed & ~first].tolist(), columns[allowed & ~first].tolist(), strict=True
        )
    ]
    compatible[rows[allowed], columns[allowed]] = True
    listed: dict[tuple[int, int], list[str]] = {}
    if reasons is not None:
        for i in np.flatnonzero(~allowed).tolist():
            listed.setdefault((int(rows[i]), int(columns[i])), []).append(reasons[i])
    if duplicates:
        issues.append(
            DataIssue(
                "compatibility",
                f"duplicate (department, group) pair(s) {format_ids(duplicates)}".replace('"', ""),
                "par (afdeling, målgruppe) givet mere end én gang: "
                + format_ids(duplicates, language="da").replace('"', ""),
            )
        )
    excluded: dict[tuple[Hashable, Hashable], list[str]] = {}
    for d, g in zip(*(axis.tolist() for axis in np.nonzero(~compatible)), strict=True):
        excluded[(departments[d], groups[g])] = listed.get((d, g), [NOT_LISTED])
    for (d, g), pair_reasons in listed.items():
        if compatible[d, g]:
            excluded[(departments[d], groups[g])] = pair_reasons
    return compatible, excluded, issues, (rows, columns, allowed)


def _read_capacity(
    frame: pd.DataFrame,
    departments: Sequence[Hashable],
    groups: Sequence[Hashable],
    located: tuple[IntArray, IntArray, BoolArray],
    column: str = "capacity",
) -> tuple[FloatArray, list[DataIssue]]:
    """A column of capacities on the allowed rows of a ``compatibility`` frame (``inf`` elsewhere).

    ``located`` is each row's (department position, group position, allowed), as
    :func:`_read_compatibility` found them.
    """
    capacity = np.full((len(departments), len(groups)), np.inf)
    rows, columns, allowed = located
    raw = frame[column]
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    issues = []
    if pd.api.types.is_numeric_dtype(raw.dtype):  # numbers: blank only where missing
        blank = raw.isna().to_numpy()
    else:
        blank = np.array([_is_blank(value) for value in raw.tolist()], dtype=bool)
    not_number = allowed & np.isnan(values) & ~blank
    if not_number.any():
        shown = [
            f"({departments[rows[i]]!r}, {groups[columns[i]]!r}) ({raw.iloc[i]!r})"
            for i in np.flatnonzero(not_number).tolist()
        ]
        issues.append(
            DataIssue(
                f"compatibility.{column}",
                "not a number for " + format_ids(shown).replace('"', ""),
                "ikke et tal for " + format_ids(shown, language="da").replace('"', ""),
            )
        )
    given = allowed & ~np.isnan(values)
    capacity[rows[given], columns[given]] = values[given]
    return capacity, issues


def _read_exclusions(
    frame: pd.DataFrame, departments: Sequence[Hashable], groups: Sequence[Hashable]
) -> tuple[dict[tuple[Hashable, Hashable], list[str]], list[DataIssue]]:
    rows, columns, issues = _pairs("exclusions", frame, EXCLUSION_COLUMNS, departments, groups)
    if issues:
        return {}, issues
    reasons = _reasons(frame)
    empty = [i for i, reason in enumerate(reasons) if not reason]
    if empty:
        issues.append(
            DataIssue(
                "exclusions.reason",
                f"missing reason in row(s) {format_ids(empty)}; give e.g. 'rooms', 'rent' or 'ban'",
                f"grund mangler i række(r) {format_ids(empty, language='da')}; giv f.eks. "
                "'rooms', 'rent' eller 'ban'",
            )
        )
        return {}, issues
    excluded: dict[tuple[Hashable, Hashable], list[str]] = {}
    pairs = zip(
        [departments[d] for d in rows.tolist()], [groups[g] for g in columns.tolist()], strict=True
    )
    for pair, reason in zip(pairs, reasons, strict=True):
        known = excluded.get(pair)
        if known is None:
            excluded[pair] = [reason]
        elif reason not in known:
            known.append(reason)
    return excluded, issues
