"""The legal lists as a plain-text table for the terminal (``blandetby classify``)."""

from __future__ import annotations

import logging
import re
import textwrap
from collections.abc import Sequence

import pandas as pd

from simulation.law.lists import regime_of
from simulation.law.regimes import LIST_COLUMNS, REGIME_RULES
from simulation.report.i18n import Language, number

__all__ = [
    "DANISH_PHRASES",
    "danish_reasons",
    "format_classification",
]

DANISH_PHRASES: tuple[tuple[str, str], ...] = (
    ("criteria at forebyggelse thresholds but", "kriterier ved forebyggelsesgrænserne, men"),
    ("criteria at forebyggelse thresholds", "kriterier ved forebyggelsesgrænserne"),
    ("the minimum for a list", "mindstekravet for en liste"),
    ("not eligible:", "kan ikke komme på en liste:"),
    ("not listed: no criterion met", "ikke på en liste: intet kriterium opfyldt"),
    ("not listed:", "ikke på en liste:"),
    ("outside work/education", "uden for arbejde/uddannelse"),
    ("conviction ratio", "dømte ift. landsgennemsnittet"),
    ("basic education only", "kun grundskole"),
    ("of residents 18+", "af beboerne over 18 år"),
    ("convicted", "dømte"),
    ("income", "indkomst"),
    ("of region", "af regionens gennemsnit"),
    ("× national", "× landsgennemsnittet"),
    ("non-western", "ikke-vestlige"),
    ("(2-year mean)", "(2-årigt gennemsnit)"),
    ("years running", "år i træk"),
    ("residents", "beboere"),
    ("criteria", "kriterier"),
    ("need", "kræver"),
    (" of ", " af "),
)
"""English phrases of the law's reasons (:func:`simulation.law.lists.classify_areas`) and their
Danish, longest first where one holds another."""


logger = logging.getLogger(__name__)


def danish_reasons(text: str) -> str:
    """A reason of :func:`classify_areas` in Danish: the law's words and decimal commas.

    Examples
    --------
    >>> danish_reasons("udsat boligområde (3 of 4 criteria): income 50.2 % < 55 % of region")
    'udsat boligområde (3 af 4 kriterier): indkomst 50,2 % < 55 % af regionens gennemsnit'
    """
    text = re.sub(r"(\d),(\d{3})", r"\1.\2", text)  # thousands: 1,000 → 1.000
    text = re.sub(r"(\d)\.(\d+)(?!\d)", r"\1,\2", text.replace(".000", "\x00"))
    text = text.replace("\x00", ".000")
    for english, danish in DANISH_PHRASES:
        text = text.replace(english, danish)
    return text


def format_classification(
    frame: pd.DataFrame, language: Language = "en", *, width: int | None = None
) -> str:
    """Render a result of :func:`classify_areas` as a plain-text table for the terminal.

    Parameters
    ----------
    frame
        The result of :func:`classify_areas`.

    Returns
    -------
    str
        One line per area and year: area, year, residents, criteria met, the lists the area is on
        (under the regime's own names) and the reasons; the header first. When a line would be
        wider than ``width``, the reasons go under their row, wrapped and indented.

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
    danish = language == "da"
    titles = (
        ("boligområde", "år", "beboere", "kriterier", "lister", "begrundelse")
        if danish
        else ("area", "year", "residents", "criteria", "lists", "reasons")
    )
    columns: list[tuple[str, list[str], bool]] = [
        (titles[0], [str(area) for area in frame["area"]], False),
        (titles[1], [str(year) for year in frame["year"]], True),
        (titles[2], [number(float(value), 0, language) for value in frame["residents"]], True),
        (titles[3], [f"{count}/{total}" for count in frame["criteria_met"]], True),
    ]
    if rules.has_prevention and "prevention_criteria_met" in frame.columns:
        columns.append(
            (
                "forebyggelse",
                [f"{count}/{total}" for count in frame["prevention_criteria_met"]],
                True,
            )
        )
    columns.append((titles[4], lists, False))
    reasons = [str(reason) for reason in frame["reasons"]]
    columns.append((titles[5], [danish_reasons(r) for r in reasons] if danish else reasons, False))
    widths = [max([len(title), *(len(cell) for cell in cells)]) for title, cells, _ in columns]
    columns_titles = [title for title, _, _ in columns]
    below: list[tuple[str, list[str]]] = []  # columns shown under each row instead
    while width is not None and len(columns) > 4 and sum(widths) + 2 * (len(widths) - 1) > width:
        title, cells, _ = columns.pop()
        widths.pop()
        below.insert(0, (title, cells))

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell.rjust(size) if right else cell.ljust(size)
            for cell, size, (_, _, right) in zip(cells, widths, columns, strict=True)
        ]
        return "  ".join(padded).rstrip()

    lines = [line([title for title, _, _ in columns])]
    for i in range(len(frame)):
        lines.append(line([cells[i] for _, cells, _ in columns]))
        for title, cells in below:
            text = cells[i] if title == columns_titles[-1] else f"{title}: {cells[i]}"
            lines.extend(
                textwrap.wrap(text, width or 80, initial_indent="    ", subsequent_indent="      ")
            )
    return "\n".join(lines)
