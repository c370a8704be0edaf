"""CSV output a spreadsheet opens as data, never as formulas (CSV injection).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to Excel
and LibreOffice: a department named ``=HYPERLINK("http://…","Nordparken")`` in an input file would
come out of ``blandetby`` as a live link (or worse) in a planner's spreadsheet. Every CSV file the
tool writes for people passes its text through :func:`spreadsheet_safe`, which puts a ``'`` in front
of such cells, as OWASP recommends; numbers are left alone. (The department CSV written for the tool
itself, :func:`simulation.inputs.departments.write_departments`, is an input format and is not
changed.)
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

__all__ = [
    "CSV_DIALECTS",
    "FORMULA_STARTS",
    "CsvDialect",
    "read_spreadsheet_csv",
    "rounded",
    "safe_text",
    "spreadsheet_csv",
    "spreadsheet_safe",
]

CsvDialect = Literal["da", "en"]
"""How a CSV file for people is written: ``da`` is what Danish Excel opens with a double click
(semicolons, decimal commas, UTF-8 with a byte-order mark); ``en`` is plain CSV (commas, decimal
points, UTF-8)."""

CSV_DIALECTS: tuple[CsvDialect, ...] = ("da", "en")

SIGNIFICANT_DIGITS = 4
"""Values are rounded to this many significant digits of their column's largest value (a share
0–1 to 4 decimals, a count in thousands to whole numbers): what the numbers can mean, not the
float's noise (``0.30000000000000004``)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a cell as a formula."""


def safe_text(text: str) -> str:
    """``text``, with ``'`` in front if a spreadsheet would read it as a formula.

    Examples
    --------
    >>> print(safe_text('=HYPERLINK("http://example.com","x")'))
    '=HYPERLINK("http://example.com","x")
    >>> safe_text("Nordparken")
    'Nordparken'
    """
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names no spreadsheet reads as formulas."""
    safe = frame.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]) and not pd.api.types.is_bool_dtype(
            safe[column]
        ):
            safe[column] = [
                safe_text(value) if isinstance(value, str) else value for value in safe[column]
            ]
    safe.columns = [safe_text(name) if isinstance(name, str) else name for name in safe.columns]
    return safe


def rounded(frame: pd.DataFrame, digits: int = SIGNIFICANT_DIGITS) -> pd.DataFrame:
    """A copy of ``frame`` with each float column rounded to ``digits`` significant digits.

    The digits count from the column's largest absolute value (at least 0, at most 6 decimals).

    Examples
    --------
    >>> rounded(pd.DataFrame({"share": [0.30000000000000004, 0.123456]}))["share"].tolist()
    [0.3, 0.1235]
    >>> rounded(pd.DataFrame({"dwellings": [12345.678, 10.0]}))["dwellings"].tolist()
    [12346.0, 10.0]
    """
    result = frame.copy()
    for column in result.columns:
        values = result[column]
        if not pd.api.types.is_float_dtype(values):
            continue
        finite = np.abs(values.to_numpy(np.float64, na_value=np.nan))
        finite = finite[np.isfinite(finite) & (finite > 0)]
        if finite.size == 0:
            continue
        magnitude = math.floor(math.log10(float(finite.max())))
        decimals = min(6, max(0, digits - 1 - magnitude))
        result[column] = values.round(decimals)
    return result


def spreadsheet_csv(
    frame: pd.DataFrame, dialect: CsvDialect = "en", *, round_values: bool = True
) -> str:
    r"""``frame`` as CSV text for people: formula-safe, rounded, in the dialect's separators.

    Examples
    --------
    >>> frame = pd.DataFrame({"area": ["Nordparken"], "share": [0.30000000000000004]})
    >>> spreadsheet_csv(frame, "da")
    '\ufeffarea;share\r\nNordparken;0,3\r\n'
    >>> spreadsheet_csv(frame, "en")
    'area,share\nNordparken,0.3\n'
    """
    safe = spreadsheet_safe(frame)
    # rounding can break relations between columns (a plan's referrals ≤ its slots, where the
    # two are equal up to the solver's tolerance); such tables keep every digit instead
    float_format = None
    if round_values:
        safe = rounded(safe)
    if dialect == "da":
        text = safe.to_csv(
            index=False, sep=";", decimal=",", lineterminator="\r\n", float_format=float_format
        )
        return "\ufeff" + text
    return safe.to_csv(index=False, float_format=float_format)


def read_spreadsheet_csv(path: str | Path) -> pd.DataFrame:
    """Read a CSV file written by :func:`spreadsheet_csv` in either dialect.

    A file that starts with a byte-order mark is in the Danish dialect (semicolons, decimal
    commas); any other in the English one.
    """
    path = Path(path)
    with path.open("rb") as handle:
        danish = handle.read(3) == "\ufeff".encode()
    if danish:
        return pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")
    return pd.read_csv(path)
