"""The legal lists as a plain-text table for the terminal (``blandetby classify``)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import pandas as pd

from simulation.law.lists import regime_of
from simulation.law.regimes import LIST_COLUMNS, REGIME_RULES

__all__ = [
    "format_classification",
]

logger = logging.getLogger(__name__)


def format_classification(frame: pd.DataFrame) -> str:
    """Render a result of :func:`classify_areas` as a plain-text table for the terminal.

    Parameters
    ----------
    frame
        The result of :func:`classify_areas`.

    Returns
    -------
    str
        One line per area and year: area, year, residents, criteria met, the lists the area is on
        (under the regime's own names) and the reasons; the header first.

    Raises
    ------
    ValueError
        If ``frame`` lacks the columns :func:`classify_areas` adds.
    """
    needed = ("area", "year", "residents", "criteria_met", *LIST_COLUMNS, "reasons")
    missing = [name for name in needed if name not in frame.columns]
    if missing:
        raise ValueError(f"not a classification (see classify_areas): missing columns {missing}")
    rules = REGIME_RULES[regime_of(frame)]
    total = len(rules.criteria)
    names = {
        "udsat": rules.list_name if rules.parallel_nonwestern_pct is not None else "",
        "parallelsamfund": rules.parallel_name,
        "omdannelsesomraade": rules.transformation_name,
        "forebyggelsesomraade": "forebyggelsesområde",
    }
    lists = [
        ", ".join(names[column] for column in LIST_COLUMNS if bool(row[column]) and names[column])
        or "—"
        for row in frame[list(LIST_COLUMNS)].to_dict("records")
    ]
    columns: list[tuple[str, list[str], bool]] = [
        ("area", [str(area) for area in frame["area"]], False),
        ("year", [str(year) for year in frame["year"]], True),
        ("residents", [f"{float(value):,.0f}" for value in frame["residents"]], True),
        ("criteria", [f"{count}/{total}" for count in frame["criteria_met"]], True),
    ]
    if rules.has_prevention and "prevention_criteria_met" in frame.columns:
        columns.append(
            (
                "forebyggelse",
                [f"{count}/{total}" for count in frame["prevention_criteria_met"]],
                True,
            )
        )
    columns.append(("lists", lists, False))
    columns.append(("reasons", [str(reason) for reason in frame["reasons"]], False))
    widths = [max([len(title), *(len(cell) for cell in cells)]) for title, cells, _ in columns]

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell.rjust(width) if right else cell.ljust(width)
            for cell, width, (_, _, right) in zip(cells, widths, columns, strict=True)
        ]
        return "  ".join(padded).rstrip()

    lines = [line([title for title, _, _ in columns])]
    lines.extend(line([cells[i] for _, cells, _ in columns]) for i in range(len(frame)))
    return "\n".join(lines)
