"""The report's section "Follow-up" (opfølgning): a year's actual figures against the projection.

``blandetby report … --followup ACTUAL.csv`` holds the year's department figures against the
projection of one of the report's runs (:func:`simulation.report.followup.follow_up`) and shows:

- the lights, counted, and the rule that sets them;
- the traffic-light table as in BL's templates for stepped agreements: one row per department,
  its tier by the actual figures, its light and each criterion's actual value in its own light,
  with the projected median and band (10–90 % of the replications) and whether the actual value
  lies below, within or above it;
- the areas: each criterion's actual value against the projected band, the lists the actual
  figures put the area on and the projected chance of each list that year.

A light is a colour *and* a word with a symbol (● green, ◐ yellow, ○ red), so the table reads
in black and white and for colour-blind readers (the colours are the Okabe–Ito palette's,
:data:`simulation.report.palette.LIGHTS`).
"""

from __future__ import annotations

import math
from typing import Any

from simulation.report.followup import CRITERIA, LIGHT_MARKS, FollowUp
from simulation.report.html import Cell, Markup, element, escape, join, table
from simulation.report.i18n import Language, number, percent, term
from simulation.report.palette import LIGHTS, tint

__all__ = ["LIGHT_CSS", "follow_up_section"]

CRITERION_TERMS = {
    "outside_work_education_share": "outside_work_education",
    "conviction_ratio": "conviction_ratio",
    "basic_education_share": "basic_education",
    "income_ratio_region": "income",
}
"""The report's words for the four criteria (:mod:`simulation.report.i18n` keys)."""

POSITION_MARKS = {"below": "↓", "within": "=", "above": "↑"}

LIST_NAMES = ("udsat", "parallelsamfund", "omdannelsesomraade", "forebyggelsesomraade")

LIGHT_CSS = "\n".join(
    f".light-{light} {{ background: {tint(colour)}; }}" for light, colour in LIGHTS.items()
) + (
    "\n.light .swatch { font-size: 1.1em; }"
    "\ntable.followup { width: 100%; table-layout: fixed; }"
    "\ntable.followup th:first-child { width: 22%; }"
    "\ntable.followup td small { color: var(--muted); display: block; }"
    "\ntable.followup td.num { white-space: normal; }"
)
"""The section's style: a light tint of each light's colour behind its cells (in the report's CSS)."""


def _value(criterion: str, value: float, language: Language) -> str:
    """A criterion's value: shares in per cent, the conviction ratio as a ratio."""
    if value is None or math.isnan(float(value)):
        return "–"
    if criterion == "conviction_ratio":
        return number(float(value), 2, language)
    return percent(float(value), 1, language)


def _band(criterion: str, row: Any, language: Language) -> str:
    low, high = row.get(f"{criterion}_low"), row.get(f"{criterion}_high")
    projected = row.get(f"{criterion}_projected")
    if projected is None or math.isnan(float(projected)):
        return term("followup_not_projected", language)
    return term("followup_band_text", language).format(
        projected=_value(criterion, projected, language),
        low=_value(criterion, low, language),
        high=_value(criterion, high, language),
    )


def _light(light: str, language: Language) -> Markup:
    """A light as symbol and word (the cell's colour is the third sign)."""
    return Markup(
        f'<span class="swatch" aria-hidden="true">{LIGHT_MARKS[light]}</span> '
        f"{escape(term('light:' + light, language))}"
    )


def _criterion_cell(criterion: str, row: Any, language: Language) -> Cell:
    """A department's criterion: the actual value in its light, the band and the position."""
    light = str(row.get(f"{criterion}_light") or "green")
    position = str(row.get(f"{criterion}_position") or "")
    mark = f" {POSITION_MARKS[position]}" if position else ""
    content = Markup(
        f"{LIGHT_MARKS[light]} {escape(_value(criterion, row[criterion], language))}{mark}"
        f"<small>{escape(_band(criterion, row, language))}"
        + (f", {escape(term('position:' + position, language))}" if position else "")
        + "</small>"
    )
    return Cell(content, numeric=True, css_class=f"light light-{light}")


def _department_table(result: FollowUp, language: Language) -> Markup:
    header = [
        term("department", language),
        term("tier", language),
        term("light", language),
        *(term(CRITERION_TERMS[criterion], language) for criterion in CRITERIA),
    ]
    order = {"red": 0, "yellow": 1, "green": 2}
    frame = result.departments.sort_values(
        ["light", "area_name", "department"],
        key=lambda column: column.map(order) if column.name == "light" else column,
    )
    rows = []
    for row in frame.to_dict("records"):
        light = str(row["light"])
        name = Markup(
            f"{escape(str(row['name']) or str(row['department']))}"
            f"<small>{escape(str(row['area_name']) or term('followup_no_area', language))}</small>"
        )
        rows.append(
            [
                Cell(name),
                result.tier_name(row["tier"] if isinstance(row["tier"], str) else "", language),
                Cell(_light(light, language), css_class=f"light light-{light}"),
                *(_criterion_cell(criterion, row, language) for criterion in CRITERIA),
            ]
        )
    return table(
        header,
        rows,
        caption=term("followup_lights_caption", language),
        numeric=[False, False, False, True, True, True, True],
        css_class="followup",
        id_="followup-lights",
    )


def _area_table(result: FollowUp, language: Language) -> Markup:
    header = [
        term("area", language),
        term("followup_lists_actual", language),
        *(term(CRITERION_TERMS[criterion], language) for criterion in CRITERIA),
    ]
    rows = []
    for row in result.areas.to_dict("records"):
        lists = [name for name in str(row["lists"]).split(",") if name]
        listed = ", ".join(term(name, language) for name in lists) or term("no_list", language)
        chances = [
            term("followup_list_chance", language).format(
                list=term(name, language), probability=percent(float(chance), 0, language)
            )
            for name in LIST_NAMES
            if not math.isnan(chance := float(row.get(f"projected_{name}", math.nan)))
            and (chance > 0 or name in lists)
        ]
        projected = "; ".join(chances) or term("followup_no_list_projected", language)
        criteria = [
            Cell(
                Markup(
                    f"{escape(_value(criterion, row.get(criterion, math.nan), language))}"
                    f"<small>{escape(_band(criterion, row, language))}</small>"
                ),
                numeric=True,
            )
            for criterion in CRITERIA
        ]
        rows.append(
            [
                str(row["area_name"]),
                Cell(Markup(f"{escape(listed)}<small>{escape(projected)}</small>")),
                *criteria,
            ]
        )
    return table(
        header,
        rows,
        caption=term("followup_areas_caption", language),
        numeric=[False, False, True, True, True, True],
        css_class="followup",
        id_="followup-areas",
    )


def follow_up_section(result: FollowUp, language: Language, *, label: str) -> Markup:
    """The section's HTML (without its heading): lights counted, the lights table, the areas.

    Parameters
    ----------
    result
        The follow-up (:func:`simulation.report.followup.follow_up`).
    language
        ``"da"`` or ``"en"``.
    label
        The name of the run the actual figures are held against, as the report names it.
    """
    counts = result.departments["light"].value_counts()
    lead = term("followup_lead", language).format(
        year=result.year, agreement=label, replications=result.replications
    )
    counted = term("followup_counts", language).format(
        green=int(counts.get("green", 0)),
        yellow=int(counts.get("yellow", 0)),
        red=int(counts.get("red", 0)),
    )
    parts = [
        element("p", f"{lead} {counted}", class_="lead"),
        element("p", term("followup_note", language).format(margin=number(5, 0, language))),
        element("p", term("followup_reading", language), class_="note"),
        Markup(f'<div class="table-wrap">{_department_table(result, language)}</div>'),
        Markup(f'<div class="table-wrap">{_area_table(result, language)}</div>'),
        element("p", term("followup_area_note", language), class_="note"),
    ]
    return join(parts)
