"""Reading an area CSV (one row per area and year) for :func:`simulation.law.lists.classify_areas`."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.base.errors import Problem, ScenarioError
from simulation.inputs.departments import match_headers, normalise_header, parse_csv, read_csv_text
from simulation.law.lists import cell_location, duplicate_problems
from simulation.law.regimes import AREA_COLUMN_BY_NAME, AREA_COLUMNS, AreaColumn, regime_rules

__all__ = [
    "read_area_values",
]

logger = logging.getLogger(__name__)


def read_area_values(path: str | Path, *, regime: str | None = None) -> pd.DataFrame:
    """Read and check an area CSV: one row per area and year, published (or yearly) values.

    Comma- or semicolon-separated (semicolon files use decimal commas); UTF-8 or Windows-1252;
    blank lines and lines starting with ``#`` are skipped. Headers are matched ignoring case and
    spacing. Known columns are those of :data:`AREA_COLUMNS`; other columns are kept as text.

    Parameters
    ----------
    path
        The CSV file.
    regime
        If given, the columns this regime reads are required and cells of columns it does not read
        may be empty. If ``None``, only ``area``, ``year`` and ``residents`` are required, and every
        cell of a known column must hold a value.

    Returns
    -------
    pandas.DataFrame
        The known columns in canonical order (``area`` text, ``year`` and ``residents`` integers,
        the rest floats in their unit: per cent 0–100 or a ratio), then the other columns.

    Raises
    ------
    ScenarioError
        Every problem found, named by row as a spreadsheet numbers it (the header is row 1), column,
        value and rule: a missing file or column, a value that is not a number, negative, a
        percentage above 100, a year or resident count that is not a whole number, an empty area
        id, or an (area, year) given twice.
    ValueError
        If ``regime`` is not one of :data:`REGIMES`.
    """
    path = Path(path)
    required = {"area", "year", "residents"}
    if regime is not None:
        required.update(regime_rules(regime).columns)
    if not path.is_file():
        raise ScenarioError([Problem(path, "", "", "an existing area CSV file")])
    rows, decimal_comma = parse_csv(read_csv_text(path))
    if not rows:
        raise ScenarioError([Problem(path, "", "", "a header row and at least one area row")])
    (_, header), *records = rows
    known, other, problems = match_headers(
        path, header, lambda text: AREA_COLUMN_BY_NAME.get(normalise_header(text)), lambda c: c.name
    )
    seen = {column.name for column in known.values()}
    for column in AREA_COLUMNS:
        if column.name in required and column.name not in seen:
            reader = f", which regime {regime} reads" if regime is not None else ""
            problems.append(
                Problem(
                    path,
                    f"column {column.name!r}",
                    "missing",
                    f"the column {column.name!r} ({column.unit}){reader}: {column.description}",
                )
            )
    if not records:
        problems.append(Problem(path, "", "", "at least one area row"))
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
                    f"row {row}",
                    f"{len(record)} cells",
                    f"{len(header)} cells, one per column of the header",
                )
            )
        for index, column in known.items():
            cell = record[index].strip() if index < len(record) else ""
            value, rule = _cell(column, cell, decimal_comma, optional=column.name in optional)
            if rule:
                problems.append(
                    Problem(path, cell_location(row, header[index].strip()), repr(cell), rule)
                )
            data[column.name].append(value)
        for index, name in other.items():
            data[name].append(record[index].strip() if index < len(record) else "")
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


def _cell(
    column: AreaColumn, cell: str, decimal_comma: bool, *, optional: bool
) -> tuple[object, str]:
    """Convert one cell; return (value, rule broken), the rule empty when the cell is fine."""
    if column.kind == "text":
        return (cell, "") if cell else (None, "a non-empty area id")
    if not cell:
        if optional:
            return float("nan"), ""
        return None, "a number (the cell is empty)"
    text = cell.replace(" ", "").replace("\u00a0", "")
    if decimal_comma:
        text = text.replace(".", "").replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None, "a number"
    if not np.isfinite(value):
        return None, "a finite number"
    if value < 0:
        return None, "a number ≥ 0"
    if column.kind == "percent" and value > 100:
        return None, "a percentage from 0 to 100"
    if column.kind in ("year", "count"):
        if value != int(value):
            return None, "a whole number"
        return int(value), ""
    return value, ""
