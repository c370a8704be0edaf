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

import pandas as pd

__all__ = ["FORMULA_STARTS", "safe_text", "spreadsheet_safe"]

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
