"""CSV output a spreadsheet reads as data: no cell starts a formula."""

from __future__ import annotations

import pandas as pd

from simulation.base.spreadsheet import FORMULA_STARTS, spreadsheet_safe


def test_text_that_starts_a_formula_is_quoted_and_numbers_are_not() -> None:
    frame = pd.DataFrame(
        {
            "name": [f"{start}cmd" for start in FORMULA_STARTS] + ["Nordparken"],
            "share": [-0.5] * len(FORMULA_STARTS) + [0.25],
            "=SUM(A1)": ["x"] * (len(FORMULA_STARTS) + 1),
        }
    )
    safe = spreadsheet_safe(frame)
    assert safe["name"].tolist() == [f"'{start}cmd" for start in FORMULA_STARTS] + ["Nordparken"]
    assert safe["share"].tolist() == frame["share"].tolist()
    assert list(safe.columns) == ["name", "share", "'=SUM(A1)"]
    assert frame["name"].iloc[0] == "=cmd", "the frame given is not changed"
