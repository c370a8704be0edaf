"""Department data: the aggregates Landsbyggefonden's Beboerdata gives per department (afdeling).

One CSV row per department of family dwellings. Only aggregates: the model never needs data on named
persons and draws synthetic households from these figures. English column names are canonical;
Landsbyggefonden-style Danish headers and their usual variants are accepted as aliases, whatever
their case and spacing (``Dømte (%)``, ``dømte, pct.``, ``Antal beboere``, ``Afdelingsnr.``). A
header with ``%``, ``pct`` or ``procent`` holds per cent (0–100), any other share column 0–1; a
column whose values contradict its header is refused unless the scenario says how its shares are
written (``municipality.percent_columns``). Columns the model does not read (the many other
columns of a Beboerdata export) are ignored with one warning, or refused with
``municipality.strict_columns``. The file itself is read as :mod:`simulation.inputs.csvfiles`
describes (encodings, line ends, separators, decimal commas, comments).

Every row is checked; an error names the row (as a spreadsheet numbers it: the header is row 1), the
column, the value and the rule. Nothing is half-loaded: either the whole table is valid or
:class:`~simulation.base.errors.ScenarioError` lists every problem.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from simulation.base.errors import (
    Problem,
    ScenarioError,
    Words,
    at_row,
    column_words,
    danish_number,
    excerpt,
)
from simulation.inputs.csvfiles import (
    A_FINITE_NUMBER,
    A_NUMBER_NOT_NEGATIVE,
    PercentColumns,
    header_key,
    ignored_columns,
    match_headers,
    number,
    range_problems,
    read_rows,
    unit_problem,
)

__all__ = [
    "COLUMNS",
    "ROOM_SIZES",
    "Column",
    "area_names",
    "check_departments",
    "read_departments",
    "write_departments",
]

ROOM_SIZES = (1, 2, 3, 4)
"""Dwelling sizes in rooms; 4 stands for 4 rooms or more."""


def area_names(
    frame: pd.DataFrame, named: Mapping[Any, Any], area_ids: Iterable[Hashable]
) -> list[str]:
    """The name of each of ``area_ids``, as every output shows it.

    An area the scenario names (``named``: its ``areas`` table, each with a ``name``) goes by that
    name; a department outside any area (its area id is its own code, as the loaded department
    ``frame`` has it) by the department's ``name`` column, else its code.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> frame = pd.DataFrame({"department": ["D1", "D2"], "name": ["Nordparken 1", "Afdeling 2"]})
    >>> area_names(frame, {"north": SimpleNamespace(name="Nordparken")}, ["north", "D2", "D9"])
    ['Nordparken', 'Afdeling 2', 'D9']
    """
    own: dict[str, str] = {}
    if "name" in frame:
        own = {
            str(code): name
            for code, name in zip(frame["department"], frame["name"], strict=True)
            if isinstance(name, str) and name.strip()
        }
    return [
        str(named[area].name) if area in named else own.get(str(area), str(area))
        for area in area_ids
    ]


@dataclass(frozen=True)
class Column:
    """One column of the department CSV."""

    name: str
    kind: Literal["text", "count", "kr", "share"]
    unit: str
    description: str
    required: bool = True
    danish: str = ""
    """The Landsbyggefonden-style Danish header accepted instead (shares in per cent)."""
    aliases: tuple[str, ...] = ()
    """Other headers accepted (variants of Beboerdata exports)."""
    maximum: float = float("inf")
    """The largest sane value (a bound, so that a typo cannot ask for a planet's worth of homes)."""

    @property
    def headers(self) -> tuple[str, ...]:
        """Every header that names the column: the English name, the Danish one, the aliases."""
        return (self.name, *((self.danish,) if self.danish else ()), *self.aliases)


MAX_DWELLINGS = 20_000
"""The most dwellings of one size in one department (the largest Danish ones have a few thousand)."""

MAX_PERSONS = 200_000
"""The most residents of one department (a bound well above any real one)."""

MAX_TOTAL_DWELLINGS = 1_000_000
"""The most family dwellings in one department file (all of Denmark has about 600,000 almene)."""


def _room_columns() -> list[Column]:
    columns = []
    for rooms in ROOM_SIZES:
        label = "4 or more rooms" if rooms == 4 else f"{rooms} room" + ("s" if rooms > 1 else "")
        suffix = "room" if rooms == 1 else "rooms"
        plus = "+" if rooms == 4 else ""
        columns.append(
            Column(
                f"dwellings_{rooms}_{suffix}",
                "count",
                "dwellings",
                f"Family dwellings with {label}.",
                danish=f"Boliger {rooms}{plus} rum",
                aliases=(f"{rooms}{plus}-rums boliger", f"Boliger med {rooms}{plus} rum"),
                maximum=MAX_DWELLINGS,
            )
        )
    for rooms in ROOM_SIZES:
        label = "4+ rooms" if rooms == 4 else f"{rooms} room" + ("s" if rooms > 1 else "")
        suffix = "room" if rooms == 1 else "rooms"
        plus = "+" if rooms == 4 else ""
        columns.append(
            Column(
                f"rent_{rooms}_{suffix}_kr",
                "kr",
                "kr per month",
                f"Mean monthly rent of a dwelling with {label} (may be empty where there are none).",
                danish=f"Husleje {rooms}{plus} rum (kr. pr. md.)",
                aliases=(f"Husleje {rooms}{plus}-rums bolig", f"Leje {rooms}{plus} rum"),
                maximum=50_000,
            )
        )
    return columns


COLUMNS: tuple[Column, ...] = (
    Column(
        "department",
        "text",
        "id",
        "Department id, unique (afdelingsnummer).",
        danish="Afdeling",
        aliases=("Afdelingsnr.", "Afdelingsnummer", "Afd. nr.", "Afd."),
    ),
    Column(
        "name",
        "text",
        "text",
        "Department name (defaults to the id).",
        required=False,
        danish="Afdelingsnavn",
        aliases=("Navn", "Afdelingens navn"),
    ),
    Column(
        "organisation",
        "text",
        "id",
        "Housing organisation (boligorganisation).",
        danish="Boligorganisation",
        aliases=("Organisation", "Boligselskab"),
    ),
    Column(
        "area",
        "text",
        "id",
        "Area id from the scenario's [areas]; empty = its own area.",
        required=False,
        danish="Boligområde",
        aliases=("Område",),
    ),
    *_room_columns(),
    Column(
        "households",
        "count",
        "households",
        "Households (husstande) living there.",
        danish="Husstande",
        maximum=4 * MAX_DWELLINGS,
    ),
    Column(
        "residents",
        "count",
        "persons",
        "Residents (beboere).",
        danish="Beboere",
        aliases=("Indbyggere",),
        maximum=MAX_PERSONS,
    ),
    Column(
        "residents_0_17",
        "count",
        "persons",
        "Residents aged 0–17.",
        danish="Beboere 0-17 år",
        aliases=("Børn 0-17 år", "0-17 år"),
        maximum=MAX_PERSONS,
    ),
    Column(
        "residents_18_64",
        "count",
        "persons",
        "Residents aged 18–64.",
        danish="Beboere 18-64 år",
        aliases=("18-64 år",),
        maximum=MAX_PERSONS,
    ),
    Column(
        "outside_work_education_18_64",
        "count",
        "persons",
        "Of the 18–64-year-olds, those outside work or education (criterion 1).",
        danish="Uden for arbejde eller uddannelse 18-64 år",
        aliases=(
            "Uden for arbejdsmarkedet eller uddannelse 18-64 år",
            "Uden for arbejde og uddannelse 18-64 år",
        ),
        maximum=MAX_PERSONS,
    ),
    Column(
        "residents_30_59",
        "count",
        "persons",
        "Residents aged 30–59.",
        danish="Beboere 30-59 år",
        aliases=("30-59 år",),
        maximum=MAX_PERSONS,
    ),
    Column(
        "basic_education_30_59",
        "count",
        "persons",
        "Of the 30–59-year-olds, those with basic school only (criterion 3).",
        danish="Kun grundskole 30-59 år",
        aliases=("Grundskole som højeste uddannelse 30-59 år",),
        maximum=MAX_PERSONS,
    ),
    Column(
        "mean_income_kr",
        "kr",
        "kr per year",
        "Mean gross income of 15–64-year-olds excluding students (criterion 4).",
        danish="Gennemsnitlig bruttoindkomst (kr.)",
        aliases=("Gns. bruttoindkomst", "Bruttoindkomst"),
        maximum=10_000_000,
    ),
    Column(
        "nonwestern_share",
        "share",
        "share 0–1",
        "Share of residents who are non-western immigrants or descendants.",
        danish="Ikke-vestlige indvandrere og efterkommere (%)",
        aliases=("Ikke-vestlige (%)", "Indvandrere og efterkommere fra ikke-vestlige lande (%)"),
        maximum=1,
    ),
    Column(
        "convicted_share",
        "share",
        "share 0–1",
        "Share of residents 18+ convicted in the last year (criterion 2).",
        danish="Dømte (%)",
        aliases=("Dømte 18+ (%)",),
        maximum=1,
    ),
    Column(
        "turnover_share",
        "share",
        "share per year",
        "Move-outs per dwelling and year (fraflytningsprocent); empty = the scenario's default.",
        required=False,
        danish="Fraflytning (%)",
        aliases=("Fraflytningsprocent",),
        maximum=1,
    ),
)
"""The department CSV's columns, in their canonical order."""

DWELLING_COLUMNS = tuple(c.name for c in COLUMNS if c.name.startswith("dwellings_"))
RENT_COLUMNS = tuple(c.name for c in COLUMNS if c.name.startswith("rent_"))


BY_HEADER: dict[str, Column] = {
    header_key(header)[0]: column for column in COLUMNS for header in column.headers
}
"""Every column by the folded form (:func:`~simulation.inputs.csvfiles.header_key`) of each header."""

PERCENT_HINT = Words(
    "say which with --percent-columns percent or --percent-columns fractions (in the scenario: "
    'municipality.percent_columns = "percent" or "fractions")',
    "sig hvilken med --percent-columns percent eller --percent-columns fractions (i scenariet: "
    'municipality.percent_columns = "percent" eller "fractions")',
)

MISSING = Words("missing", "ingen kolonne")
"""The value of a problem with a missing column."""

UNITS_DANISH = {
    "dwellings": "boliger",
    "households": "husstande",
    "persons": "personer",
    "kr per month": "kr. pr. måned",
    "kr per year": "kr. pr. år",
}
"""The units of the number columns in Danish (for a value above a column's bound)."""


def _at_most(column: Column) -> Words:
    """A column's bound with its unit: ``at most 20,000 (dwellings)``."""
    bound = f"{column.maximum:,.0f}"
    unit = UNITS_DANISH.get(column.unit, column.unit)
    return Words(f"at most {bound} ({column.unit})", f"højst {danish_number(bound)} ({unit})")


def read_departments(
    path: str | Path,
    *,
    areas: Collection[str] | None = None,
    percent_columns: PercentColumns = "auto",
    strict_columns: bool = False,
) -> pd.DataFrame:
    """Read and check a department CSV.

    Parameters
    ----------
    path
        The CSV file (comma, semicolon or tab separated; UTF-8, UTF-16 or Windows-1252; any line
        ends).
    areas
        Area ids the scenario defines; a department naming any other area is an error. ``None``
        skips that check.
    percent_columns
        How the share columns are written: ``"auto"`` as each header says (per cent where it has
        ``%``, ``pct`` or ``procent``, else 0–1), refusing a column whose values contradict it;
        ``"percent"`` or ``"fractions"`` for every share column.
    strict_columns
        Refuse columns the model does not read (default: ignore them with one warning).

    Returns
    -------
    pandas.DataFrame
        One row per department with the canonical columns of :data:`COLUMNS`; shares as 0–1, counts
        as integers; ``area`` filled with the department id where it was empty; ``turnover_share`` NaN
        where not given.

    Raises
    ------
    ScenarioError
        Every problem found: a missing, unreadable or binary file, a missing column, a share column
        whose unit is in doubt, and per row the column, value and rule.

    Warns
    -----
    InputWarning
        Once, listing the columns not read (unless ``strict_columns``).
    """
    path = Path(path)
    rows, decimal_comma = read_rows(path, what="department CSV file")
    if not rows:
        raise ScenarioError(
            [
                Problem(
                    path,
                    "",
                    "",
                    Words(
                        "a header row and at least one department",
                        "en overskriftsrække og mindst én afdeling",
                    ),
                )
            ]
        )
    (_, header), *records = rows
    mapping, unknown, problems = match_headers(
        path, header, lambda text: BY_HEADER.get(header_key(text)[0]), lambda column: column.name
    )
    problems.extend(
        ignored_columns(
            path,
            unknown,
            strict=strict_columns,
            expected=Words(
                "a column blandetby reads (see scenarios/README.md, 'Department data'); "
                "municipality.strict_columns refuses the others",
                "en kolonne, som blandetby læser (se scenarios/README.md, 'Department data'); "
                "municipality.strict_columns afviser de andre",
            ),
        )
    )
    seen = {column.name for column in mapping.values()}
    for column in COLUMNS:
        if column.required and column.name not in seen:
            alias = f" (or {column.danish!r})" if column.danish else ""
            alias_danish = f" (eller {column.danish!r})" if column.danish else ""
            problems.append(
                Problem(
                    path,
                    column_words(repr(column.name)),
                    MISSING,
                    Words(
                        f"the column {column.name!r}{alias}: {column.description}",
                        f"kolonnen {column.name!r}{alias_danish} (se scenarios/README.md, "
                        "'Department data')",
                    ),
                )
            )
    if not records:
        problems.append(
            Problem(path, "", "", Words("at least one department row", "mindst én afdelingsrække"))
        )
    if problems:
        raise ScenarioError(problems)
    frame, row_problems = _convert(path, header, records, mapping, decimal_comma, percent_columns)
    if row_problems:
        raise ScenarioError(row_problems)
    problems.extend(_check_rows(path, frame, areas))
    if problems:
        raise ScenarioError(problems)
    return frame.drop(columns="_row").reset_index(drop=True)


def check_departments(
    frame: pd.DataFrame, *, label: Path | str, areas: Collection[str] | None = None
) -> pd.DataFrame:
    """Check a department table built in memory by the same rules as a CSV file.

    Rows are numbered as they would be in the CSV written by :func:`write_departments`.

    Raises
    ------
    ScenarioError
        Every problem found, naming the row, column, value and rule.
    """
    missing = [column.name for column in COLUMNS if column.name not in frame.columns]
    if missing:
        raise ScenarioError(
            [
                Problem(label, column_words(repr(name)), MISSING, Words("the column", "kolonnen"))
                for name in missing
            ]
        )
    checked = frame[[column.name for column in COLUMNS]].copy()
    checked["_row"] = np.arange(2, len(checked) + 2)
    problems: list[Problem] = []
    for column in COLUMNS:
        if column.kind == "text":
            continue
        values = pd.to_numeric(checked[column.name]).to_numpy(dtype=np.float64)
        optional = (column.kind == "kr" and column.name.startswith("rent_")) or not column.required
        with np.errstate(invalid="ignore"):
            rules = [
                (
                    np.isnan(values) & (not optional),
                    Words("a number (the value is missing)", "et tal (værdien mangler)"),
                ),
                (np.isinf(values), A_FINITE_NUMBER),
                (values < 0, A_NUMBER_NOT_NEGATIVE),
                (
                    values > column.maximum,
                    Words("a share from 0 to 1", "en andel fra 0 til 1")
                    if column.kind == "share"
                    else _at_most(column),
                ),
            ]
        for broken, rule in rules:
            for position in np.flatnonzero(broken).tolist():
                problems.append(
                    Problem(
                        label,
                        at_row(position + 2, column_words(repr(column.name))),
                        f"{values[position]:g}",
                        rule,
                    )
                )
    problems.extend(_check_rows(Path(label), checked, areas))
    if problems:
        raise ScenarioError(problems)
    return checked.drop(columns="_row").reset_index(drop=True)


def _convert(
    path: Path,
    header: list[str],
    records: list[tuple[int, list[str]]],
    mapping: dict[int, Column],
    decimal_comma: bool,
    percent_columns: PercentColumns,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Convert every cell; check each against its column's rule, bound and unit."""
    problems: list[Problem] = []
    data: dict[str, list[object]] = {column.name: [] for column in COLUMNS}
    data["_row"] = [row for row, _ in records]  # the file's line, as a spreadsheet numbers it
    for row, record in records:
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
    for index, column in mapping.items():
        shown = excerpt(header[index])
        values: list[object] = []
        for row, record in records:
            if len(record) != len(header):  # said once for the row, above
                values.append(None)
                continue
            cell = record[index].strip()
            value, rule = _cell(column, cell, decimal_comma)
            if rule:
                problems.append(
                    Problem(path, at_row(row, column_words(shown)), excerpt(cell), rule)
                )
            values.append(value)
        if column.kind == "share":
            values, unit_problems = _shares(
                path, header[index], values, [row for row, _ in records], percent_columns
            )
            problems.extend(unit_problems)
        data[column.name] = values
    for column in COLUMNS:
        if not data[column.name]:
            data[column.name] = [None] * len(records)
    frame = pd.DataFrame(data)
    for column in COLUMNS:
        if column.kind == "text":
            frame[column.name] = frame[column.name].astype(object)
        elif column.kind == "count":
            frame[column.name] = pd.to_numeric(frame[column.name]).fillna(0).astype(np.int64)
        else:
            frame[column.name] = pd.to_numeric(frame[column.name]).astype(np.float64)
    frame["name"] = [
        name if name else department
        for name, department in zip(frame["name"], frame["department"], strict=True)
    ]
    frame["area"] = [
        area if area else department
        for area, department in zip(frame["area"], frame["department"], strict=True)
    ]
    return frame, problems


def _cell(column: Column, cell: str, decimal_comma: bool) -> tuple[object, str]:
    """Convert one cell; return (value, rule broken), the rule empty when it is fine.

    Shares come back as written (their unit is settled for the whole column, :func:`_shares`).
    """
    if column.kind == "text":
        if column.required and not cell:
            return None, Words("a non-empty id", "et id, der ikke er tomt")
        return cell, ""
    if not cell:
        if column.kind == "kr" and column.name.startswith("rent_"):
            return float("nan"), ""
        if not column.required:
            return float("nan"), ""
        return None, Words("a number (the cell is empty)", "et tal (cellen er tom)")
    value, rule = number(cell, decimal_comma)
    if value is None:
        if rule == A_NUMBER_NOT_NEGATIVE:
            rule = Words(
                "a number ≥ 0 (no negative counts, amounts or shares)",
                "et tal ≥ 0 (ingen negative antal, beløb eller andele)",
            )
        return None, rule
    if column.kind == "count" and value != int(value):
        return None, Words("a whole number", "et helt tal")
    if column.kind != "share" and value > column.maximum:
        bound = _at_most(column)
        return None, Words.join_words(bound, Words(f": {column.description}", ""))
    return (int(value) if column.kind == "count" else value), ""


def _shares(
    path: Path,
    header: str,
    values: list[object],
    rows: list[int],
    percent_columns: PercentColumns,
) -> tuple[list[object], list[Problem]]:
    """Settle a share column's unit, check each value against it and return them as 0–1."""
    percent = header_key(header)[1] if percent_columns == "auto" else percent_columns == "percent"
    numbers = [float(value) if isinstance(value, float | int) else np.nan for value in values]
    if percent_columns == "auto":
        problem = unit_problem(path, header, numbers, percent=percent, hint=PERCENT_HINT)
        if problem is not None:
            return values, [problem]
    problems = range_problems(
        path, header, rows, numbers, percent=percent, forced=percent_columns != "auto"
    )
    converted = [
        shown if shown is None or np.isnan(value) else (value / 100.0 if percent else value)
        for value, shown in zip(numbers, values, strict=True)
    ]
    return converted, problems


def _check_rows(
    path: Path, frame: pd.DataFrame, areas: Collection[str] | None
) -> Iterable[Problem]:
    """Rules across columns and rows (run only when every cell converted)."""
    dwellings = frame[list(DWELLING_COLUMNS)].sum(axis=1)
    adults = frame["residents"] - frame["residents_0_17"]
    # (rows breaking the rule, column to blame, the figure compared with, what was expected)
    rules: list[tuple[pd.Series, str, pd.Series, Words]] = [
        (
            dwellings == 0,
            "dwellings_1_room",
            dwellings,
            Words(
                "at least one dwelling in the dwellings_* columns (they sum to {other})",
                "mindst én bolig i kolonnerne dwellings_* (de summer til {other})",
            ),
        ),
        (
            frame["households"] > dwellings,
            "households",
            dwellings,
            Words(
                "at most as many households as dwellings ({other})",
                "højst lige så mange husstande som boliger ({other})",
            ),
        ),
        (
            frame["residents"] < frame["households"],
            "residents",
            frame["households"],
            Words(
                "at least one resident per household ({other} households)",
                "mindst én beboer pr. husstand ({other} husstande)",
            ),
        ),
        (
            frame["residents_0_17"] + frame["residents_18_64"] > frame["residents"],
            "residents_18_64",
            frame["residents"],
            Words(
                "residents_0_17 + residents_18_64 at most residents ({other})",
                "residents_0_17 + residents_18_64 højst residents ({other})",
            ),
        ),
        (
            adults < frame["households"],
            "residents_0_17",
            frame["households"],
            Words(
                "at least one adult (18+) per household: residents − residents_0_17 ≥ households ({other})",
                "mindst én voksen (18+) pr. husstand: residents − residents_0_17 ≥ households ({other})",
            ),
        ),
        (
            adults > 3 * frame["households"],
            "residents",
            frame["households"],
            Words(
                "at most 3 adults (18+) per household on average ({other} households)",
                "højst 3 voksne (18+) pr. husstand i gennemsnit ({other} husstande)",
            ),
        ),
        (
            frame["residents_0_17"] > 10 * frame["households"],
            "residents_0_17",
            frame["households"],
            Words(
                "at most 10 children (0–17) per household on average ({other} households)",
                "højst 10 børn (0–17) pr. husstand i gennemsnit ({other} husstande)",
            ),
        ),
        (
            frame["outside_work_education_18_64"] > frame["residents_18_64"],
            "outside_work_education_18_64",
            frame["residents_18_64"],
            Words(
                "at most residents_18_64 ({other}): outside-work adults are among the 18–64-year-olds",
                "højst residents_18_64 ({other}): voksne uden for arbejde er blandt de 18–64-årige",
            ),
        ),
        (
            frame["residents_30_59"] > frame["residents_18_64"],
            "residents_30_59",
            frame["residents_18_64"],
            Words(
                "at most residents_18_64 ({other}): the 30–59-year-olds are among them",
                "højst residents_18_64 ({other}): de 30–59-årige er blandt dem",
            ),
        ),
        (
            frame["basic_education_30_59"] > frame["residents_30_59"],
            "basic_education_30_59",
            frame["residents_30_59"],
            Words(
                "at most residents_30_59 ({other})",
                "højst residents_30_59 ({other})",
            ),
        ),
    ]
    rows: list[int] = frame["_row"].tolist()
    for broken, column, other, rule in rules:
        values = frame[column].tolist()
        others = other.tolist()
        for position in np.flatnonzero(broken.to_numpy()).tolist():
            other_value = int(others[position])
            yield Problem(
                path,
                at_row(rows[position], column_words(repr(column))),
                str(values[position]),
                Words(rule.format(other=other_value), rule.danish.format(other=other_value)),
            )
    for rooms, rent in zip(DWELLING_COLUMNS, RENT_COLUMNS, strict=True):
        missing = (frame[rooms] > 0) & frame[rent].isna()
        counts = frame[rooms].tolist()
        for position in np.flatnonzero(missing.to_numpy()).tolist():
            yield Problem(
                path,
                at_row(rows[position], column_words(repr(rent))),
                "''",
                Words(
                    f"a rent, since the department has {counts[position]} such dwellings",
                    f"en husleje, da afdelingen har {counts[position]} sådanne boliger",
                ),
            )
    total = int(dwellings.sum())
    if total > MAX_TOTAL_DWELLINGS:
        yield Problem(
            path,
            column_words("'dwellings_*'"),
            Words(f"{total:,} dwellings in all", f"{danish_number(f'{total:,}')} boliger i alt"),
            Words(
                f"at most {MAX_TOTAL_DWELLINGS:,} family dwellings in one file (all of Denmark "
                "has about 600,000 almene dwellings)",
                f"højst {danish_number(f'{MAX_TOTAL_DWELLINGS:,}')} familieboliger i én fil (hele "
                "Danmark har omkring 600.000 almene boliger)",
            ),
        )
    ids: list[str] = frame["department"].tolist()
    first_row: dict[str, int] = {}
    for department, row in zip(ids, rows, strict=True):
        first_row.setdefault(department, row)
    for department, row in zip(ids, rows, strict=True):
        if first_row[department] == row:
            continue
        yield Problem(
            path,
            at_row(row, column_words("'department'")),
            excerpt(department),
            Words(
                f"a unique department id; it is already used in row {first_row[department]}",
                f"et entydigt afdelings-id; det er allerede brugt i række {first_row[department]}",
            ),
        )
    if areas is not None:
        known = set(areas)
        listed = ", ".join(sorted(known))
        for area, department, row in zip(frame["area"].tolist(), ids, rows, strict=True):
            if area != department and area not in known:
                yield Problem(
                    path,
                    at_row(row, column_words("'area'")),
                    excerpt(area),
                    Words(
                        f"an area id defined in the scenario's [areas] ({listed or 'none defined'})"
                        ", or empty",
                        "et boligområde-id fra scenariets [areas] "
                        f"({listed or 'ingen er defineret'}), eller tomt",
                    ),
                )


def write_departments(frame: pd.DataFrame, path: str | Path, *, comment: str = "") -> None:
    """Write a department table as CSV with the canonical English columns (atomically).

    Areas equal to the department id (a department that is its own area) are written empty;
    ``comment`` lines are written first, each behind ``#`` (the reader skips them).
    """
    from simulation.base.atomic import atomic_write_text

    out = frame.copy()
    out["area"] = [
        "" if area == department else area
        for area, department in zip(out["area"], out["department"], strict=True)
    ]
    columns = [column.name for column in COLUMNS]
    text = out[columns].to_csv(index=False, float_format="%.6g")
    if comment:
        text = "".join(f"# {line}\n" for line in comment.splitlines()) + text
    atomic_write_text(Path(path), text)
