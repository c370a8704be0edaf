"""Shared pieces of the report's sections: number formats with intervals, and HTML blocks.

Levels are shown with their 95 % interval in brackets (``12,3 [10,1; 14,5]`` in Danish, where the
comma is the decimal mark, ``12.3 [10.1, 14.5]`` in English), clipped to what the measure can be;
differences are signed, shares in percentage points.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from simulation.report.html import (
    Markup,
    element,
    escape,
)
from simulation.report.i18n import Language, has_term, number, percent, signed, term
from simulation.report.schema import (
    Parameter,
)

__all__ = [
    "CRITERION_TERMS",
    "MAX_ROWS",
    "finite",
    "format_difference",
    "format_interval",
    "format_level",
    "format_with_interval",
    "indicator_kind",
    "markdown_translator",
    "note",
    "owner_content",
    "records_by",
    "slug",
    "subsection",
    "truncated_note",
    "wrap",
]

MAX_ROWS = 30
"""Long tables (areas, organisations, plan departments) show at most this many rows."""

CRITERION_TERMS = {
    "outside_work_education_share": "outside_work_education",
    "conviction_ratio": "conviction_ratio",
    "basic_education_share": "basic_education",
    "income_ratio_region": "income",
}
"""Short column headings of the four criteria (:data:`simulation.report.i18n.TERMS` keys)."""

# --------------------------------------------------------------------------------------------------
# Formatting


def indicator_kind(indicator: str) -> str:
    """How an indicator is shown: ``share``, ``months``, ``lettings`` or ``count``."""
    if "_share" in indicator:
        return "share"
    if indicator.startswith("wait_") and indicator.endswith("_months"):
        return "months"
    if indicator.startswith("lettings_"):
        return "lettings"
    return "count"


def format_level(value: float, kind: str, language: Language) -> str:
    """A level in the language: shares in per cent, ratios with 2 decimals, counts with 1."""
    if kind == "share":
        return percent(value, 1, language)
    if kind == "ratio":
        return number(value, 2, language)
    if kind == "lettings":
        return number(value, 0, language)
    return number(value, 1, language)


def format_interval(low: float, high: float, kind: str, language: Language, *, sign: bool) -> str:
    """``[low; high]`` (Danish) or ``[low, high]`` (English); shares in per cent (points)."""
    if low is None or high is None or math.isnan(low) or math.isnan(high):
        return ""
    scale = 100.0 if kind == "share" else 1.0
    decimals = 2 if kind == "ratio" else (0 if kind == "lettings" else 1)
    show = signed if sign else number
    separator = "; " if language == "da" else ", "
    return (
        f"[{show(scale * low, decimals, language)}{separator}"
        f"{show(scale * high, decimals, language)}]"
    )


def format_with_interval(
    mean: float, low: float, high: float, kind: str, language: Language
) -> str:
    """A level with its interval, clipped to what the measure can be.

    Never below 0, shares at most 100 %; no interval where the replications agree.
    """
    if not (math.isnan(low) or math.isnan(high)):
        low, high = max(low, 0.0), min(high, 1.0) if kind == "share" else high
        if low == high:
            low = high = math.nan
    interval = format_interval(low, high, kind, language, sign=False)
    shown = format_level(mean, kind, language)
    return f"{shown} {interval}" if interval else shown


def format_difference(mean: float, low: float, high: float, kind: str, language: Language) -> str:
    """A signed paired difference with its interval (shares in percentage points)."""
    scale = 100.0 if kind == "share" else 1.0
    decimals = 2 if kind == "ratio" else (0 if kind == "lettings" else 1)
    interval = format_interval(low, high, kind, language, sign=True)
    shown = signed(scale * mean, decimals, language)
    return f"{shown} {interval}" if interval else shown


def records_by(frame: pd.DataFrame, keys: Sequence[str]) -> dict[tuple[Any, ...], dict[str, Any]]:
    """The rows of ``frame`` as dictionaries, by the values of ``keys``."""
    records = [{str(key): value for key, value in row.items()} for row in frame.to_dict("records")]
    return {tuple(record[key] for key in keys): record for record in records}


def subsection(id_: str, heading: str, *parts: object, level: int = 3) -> Markup:
    """A titled block with an id (an anchor) holding ``parts`` (text is escaped)."""
    return Markup(
        f'<div class="subsection" id="{escape(id_)}">\n<h{level}>{escape(heading)}</h{level}>\n'
        + "\n".join(str(escape(part)) for part in parts)
        + "\n</div>"
    )


def note(text: str) -> Markup:
    """A muted explanatory paragraph."""
    return element("p", text, class_="note")


def wrap(markup: Markup) -> Markup:
    """A table inside a block that scrolls sideways on narrow screens."""
    return Markup(f'<div class="table-wrap">{markup}</div>')


def owner_content(parameter: Parameter, contents: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
    """The first scenario content that has the parameter's owner (for its name)."""
    if parameter.owner is None:
        return contents[0]
    for content in contents:
        if parameter.owner in content.get(parameter.section, {}):
            return content
    return contents[0]


def finite(value: float, fallback: float) -> float:
    """``value``, or ``fallback`` where it is NaN (for sorting)."""
    return fallback if value is None or math.isnan(value) else value


def truncated_note(shown: int, total: int, order: str, language: Language) -> Markup:
    """The note under a table that shows only some rows: how many, and which."""
    return note(
        term("rows_truncated", language).format(
            shown=shown, total=total, order=term(order, language)
        )
    )


def slug(label: str) -> str:
    """``label`` made safe for an HTML id."""
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in label)


def markdown_translator(language: Language) -> Any:
    """Translate headings and table headers of our Markdown files (``md:`` terms)."""

    def translate(words: str) -> str:
        key = f"md:{words.strip()}"
        return term(key, language) if has_term(key) else words

    return translate
