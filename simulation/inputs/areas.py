"""Reading an area CSV (one row per area and year) for :func:`simulation.law.lists.classify_areas`.

The file is read as :mod:`simulation.inputs.csvfiles` describes (encodings, any line ends,
separators, decimal commas, comments, tolerant headers, units that cannot be confused).
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.base.errors import Problem, ScenarioError, Words, at_row, column_words, excerpt
from simulation.inputs.csvfiles import (
    PercentColumns,
    header_key,
    match_headers,
    number,
    range_problems,
    read_rows,
    unit_problem,
)
from simulation.law.lists import duplicate_problems
from simulation.law.regimes import AREA_COLUMNS, AreaColumn, regime_rules

__all__ = [
    "read_area_values",
]

logger = logging.getLogger(__name__)

ALIASES: dict[str, tuple[str, ...]] = {
    "area": ("Boligområde", "Område"),
    "year": ("År", "Listeår"),
    "residents": ("Beboere", "Indbyggere"),
    "outside_work_education_pct": ("Uden for arbejde eller uddannelse (%)",),
    "conviction_ratio": ("Dømte ift. landsgennemsnittet",),
    "convicted_pct": ("Dømte (%)",),
    "basic_education_pct": ("Kun grundskole (%)",),
    "income_pct_of_region": ("Indkomst (% af regionen)",),
    "nonwestern_pct": ("Ikke-vestlige indvandrere og efterkommere (%)", "Ikke-vestlige (%)"),
}
"""Danish headers accepted besides the English names (matched as :func:`header_key` folds them)."""

BY_HEADER: dict[str, AreaColumn] = {
    header_key(header)[0]: column
    for column in AREA_COLUMNS
    for header in (column.name, *ALIASES.get(column.name, ()))
}
"""Every area column by the folded form of each of its headers."""

PER_CENT = frozenset(
    column.name
    for column in AREA_COLUMNS
    if column.kind == "percent" or column.name == "income_pct_of_region"
)
"""Columns in per cent (income in per cent of the region's, which may exceed 100)."""

PERCENT_HINT = Words(
    "say which with --percent-columns percent or --percent-columns fractions "
    "(fractions are multiplied by 100)",
    "sig hvilken med --percent-columns percent eller --percent-columns fractions "
    "(andele ganges med 100)",
)


UNITS_DANISH = {
    "persons": "personer",
    "% of residents 18–64": "% af beboerne 18–64 år",
    "% of residents 18+": "% af beboerne over 18 år",
    "% of residents 30–59": "% af beboerne 30–59 år",
    "% of residents": "% af beboerne",
    "ratio to the national share": "forhold til landsgennemsnittet",
    "% of the region's mean": "% af regionens gennemsnit",
}
"""The units of the area columns in Danish (for a value above a column's bound)."""


def read_area_values(
    path: str | Path, *, regime: str | None = None, percent_columns: PercentColumns = "auto"
) -> pd.DataFrame:
    """Read and check an area CSV: one row per area and year, published (or yearly) values.

    Comma-, semicolon- or tab-separated (semicolon files use decimal commas); UTF-8, UTF-16 or
    Windows-1252; any line ends; blank lines and lines starting with ``#`` are skipped. Headers are
    matched ignoring case, spacing and punctuation, in English or Danish. Known columns are those
    of :data:`AREA_COLUMNS`; other columns are kept as text.

    Parameters
    ----------
    path
        The CSV file.
    regime
        If given, the columns this regime reads are required and cells of columns it does not read
        may be empty. If ``None``, only ``area``, ``year`` and ``residents`` are required, and every
        cell of a known column must hold a value.
    percent_columns
        How the per-cent columns are written: ``"auto"`` as each header says (``…_pct``, ``%``:
        per cent; ``…_share``: 0–1), refusing a column whose values contradict it (per cent all
        within 0–1, or shares above 1); ``"percent"`` or ``"fractions"`` for all of them.

    Returns
    -------
    pandas.DataFrame
        The known columns in canonical order (``area`` text, ``year`` and ``residents`` integers,
        the rest floats in their unit: per cent 0–100 or a ratio), then the other columns.

    Raises
    ------
    ScenarioError
        Every problem found, named by row as a spreadsheet numbers it (the header is row 1), column,
        value and rule: a missing, unreadable or binary file, a missing column, a column whose unit
        is in doubt, a value that is not a number, negative, a percentage above 100, a year or
        resident count that is not a whole number, an empty area id, or an (area, year) given twice.
    ValueError
        If ``regime`` is not one of :data:`REGIMES`.
    """
    path = Path(path)
    required = {"area", "year", "residents"}
    if regime is not None:
        required.update(regime_rules(regime).columns)
    rows, decimal_comma = read_rows(path, what="area CSV file")
    if not rows:
        raise ScenarioError(
            [
                Problem(
                    path,
                    "",
                    "",
                    Words(
                        "a header row and at least one area row",
                        "en overskriftsrække og mindst én række med et boligområde",
                    ),
                )
            ]
        )
    (_, header), *records = rows
    known, other, problems = match_headers(
        path, header, lambda text: BY_HEADER.get(header_key(text)[0]), lambda c: c.name
    )
    seen = {column.name for column in known.values()}
    for column in AREA_COLUMNS:
        if column.name in required and column.name not in seen:
            reader = f", which regime {regime} reads" if regime is not None else ""
            reader_danish = f", som regime {regime} læser" if regime is not None else ""
            problems.append(
                Problem(
                    path,
                    column_words(repr(column.name)),
                    Words("missing", "ingen kolonne"),
                    Words(
                        f"the column {column.name!r} ({column.unit}){reader}: {column.description}",
                        f"kolonnen {column.name!r}{reader_danish}",
                    ),
                )
            )
    if not records:
        problems.append(
            Problem(
                path,
                "",
                "",
                Words("at least one area row", "mindst én række med et boligområde"),
            )
        )
    if problems:
        raise ScenarioError(problems)

    optional = set() if regime is None else set(seen) - required
    data: dict[str, list[object]] = {column.name: [] for column in known.values()}
    data.update({name: [] for name in other.values()})
    row_numbers: list[int] = []
    for row, record in records:  # row: the file's line, as a spreadsheet numbers it
        row_numbers.append(row)
        if len(record) != len(header):
            problems.append(
                Problem(
                    path,
                    at_row(row),
                    Words(f"{len(record)} cells", f"{len(record)} celler"),
                    Words(
                        f"{len(header)} cells, one per column of the header",
                        f"{len(header)} celler, én pr. kolonne i overskriften",
                    ),
                )
            )
            continue  # its cells would only repeat that
        for index, column in known.items():
            cell = record[index].strip()
            value, rule = _cell(column, cell, decimal_comma, optional=column.name in optional)
            if rule:
                problems.append(
                    Problem(
                        path,
                        _location(row, header[index]),
                        excerpt(cell),
                        rule,
                    )
                )
            data[column.name].append(value)
        for index, name in other.items():
            data[name].append(record[index].strip())
    if problems:
        raise ScenarioError(problems)
    for index, column in known.items():
        if column.name in PER_CENT:
            data[column.name], unit_problems = _per_cent(
                path, header[index], column, data[column.name], row_numbers, percent_columns
            )
            problems.extend(unit_problems)
    if problems:
        raise ScenarioError(problems)
    frame = pd.DataFrame(data)
    problems.extend(duplicate_problems(path, frame["area"], frame["year"], row_numbers))
    if problems:
        raise ScenarioError(problems)
    for column in known.values():
        if column.kind in ("year", "count"):
            frame[column.name] = frame[column.name].astype(np.int64)
        elif column.kind != "text":
            frame[column.name] = frame[column.name].astype(np.float64)
    order = [column.name for column in AREA_COLUMNS if column.name in data]
    return frame[order + list(other.values())]


def _location(row: int, header: str) -> Words:
    """Where a cell is: its row and its column as the header names it (a short excerpt)."""
    return at_row(row, column_words(excerpt(header.strip())))


def _cell(
    column: AreaColumn, cell: str, decimal_comma: bool, *, optional: bool
) -> tuple[object, str]:
    """Convert one cell; return (value, rule broken), the rule empty when the cell is fine."""
    if column.kind == "text":
        if cell:
            return cell, ""
        return None, Words("a non-empty area id", "et boligområde-id, der ikke er tomt")
    if not cell:
        if optional:
            return float("nan"), ""
        return None, Words("a number (the cell is empty)", "et tal (cellen er tom)")
    value, rule = number(cell, decimal_comma)
    if value is None:
        return None, rule
    if column.kind == "year" and not 1900 <= value <= 2200:
        return None, Words("a year from 1900 to 2200", "et år fra 1900 til 2200")
    if column.kind in ("year", "count"):
        if value != int(value):
            return None, Words("a whole number", "et helt tal")
        if value > 10_000_000:
            return None, Words("at most 10,000,000 residents", "højst 10.000.000 beboere")
        return int(value), ""
    if value > 1_000_000:
        unit = UNITS_DANISH.get(column.unit, column.unit)
        return None, Words(f"at most 1,000,000 ({column.unit})", f"højst 1.000.000 ({unit})")
    return value, ""


def _per_cent(
    path: Path,
    header: str,
    column: AreaColumn,
    values: list[object],
    rows: list[int],
    percent_columns: PercentColumns,
) -> tuple[list[object], list[Problem]]:
    """Settle a per-cent column's unit, check each value against it and return per cent."""
    percent = header_key(header)[1] if percent_columns == "auto" else percent_columns == "percent"
    numbers = [float(value) if isinstance(value, float | int) else np.nan for value in values]
    may_exceed = column.kind != "percent"  # income in per cent of the region's
    if percent_columns == "auto":
        problem = unit_problem(
            path,
            header,
            numbers,
            percent=percent,
            fraction_may_exceed_one=may_exceed,
            hint=PERCENT_HINT,
        )
        if problem is not None:
            return values, [problem]
    problems = []
    if not may_exceed:
        problems = range_problems(
            path, header, rows, numbers, percent=percent, forced=percent_columns != "auto"
        )
    return [value if percent else 100.0 * value for value in numbers], problems
