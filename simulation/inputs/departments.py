"""Department data: the aggregates Landsbyggefonden's Beboerdata gives per department (afdeling).

One CSV row per department of family dwellings. Only aggregates: the model never needs data on named
persons and draws synthetic households from these figures. English column names are canonical;
Landsbyggefonden-style Danish headers are accepted as aliases (their shares in per cent, 0–100).
Semicolon-separated files with decimal commas (as Danish spreadsheets write them) are read too;
blank lines and lines starting with ``#`` are skipped.

Every row is checked; an error names the row (as a spreadsheet numbers it: the header is row 1), the
column, the value and the rule. Nothing is half-loaded: either the whole table is valid or
:class:`~simulation.base.errors.ScenarioError` lists every problem.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar

import numpy as np
import pandas as pd

from simulation.base.errors import Problem, ScenarioError

__all__ = [
    "COLUMNS",
    "ROOM_SIZES",
    "Column",
    "check_departments",
    "match_headers",
    "parse_csv",
    "read_csv_text",
    "read_departments",
    "write_departments",
]

Known = TypeVar("Known")
"""A known column, as a caller of :func:`match_headers` describes it."""

ROOM_SIZES = (1, 2, 3, 4)
"""Dwelling sizes in rooms; 4 stands for 4 rooms or more."""


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


def _room_columns() -> list[Column]:
    columns = []
    for rooms in ROOM_SIZES:
        label = "4 or more rooms" if rooms == 4 else f"{rooms} room" + ("s" if rooms > 1 else "")
        suffix = "room" if rooms == 1 else "rooms"
        columns.append(
            Column(
                f"dwellings_{rooms}_{suffix}",
                "count",
                "dwellings",
                f"Family dwellings with {label}.",
                danish=f"Boliger {rooms}{'+' if rooms == 4 else ''} rum",
            )
        )
    for rooms in ROOM_SIZES:
        label = "4+ rooms" if rooms == 4 else f"{rooms} room" + ("s" if rooms > 1 else "")
        suffix = "room" if rooms == 1 else "rooms"
        columns.append(
            Column(
                f"rent_{rooms}_{suffix}_kr",
                "kr",
                "kr per month",
                f"Mean monthly rent of a dwelling with {label} (may be empty where there are none).",
                danish=f"Husleje {rooms}{'+' if rooms == 4 else ''} rum (kr. pr. md.)",
            )
        )
    return columns


COLUMNS: tuple[Column, ...] = (
    Column(
        "department", "text", "id", "Department id, unique (afdelingsnummer).", danish="Afdeling"
    ),
    Column(
        "name",
        "text",
        "text",
        "Department name (defaults to the id).",
        required=False,
        danish="Afdelingsnavn",
    ),
    Column(
        "organisation",
        "text",
        "id",
        "Housing organisation (boligorganisation).",
        danish="Boligorganisation",
    ),
    Column(
        "area",
        "text",
        "id",
        "Area id from the scenario's [areas]; empty = its own area.",
        required=False,
        danish="Boligområde",
    ),
    *_room_columns(),
    Column(
        "households",
        "count",
        "households",
        "Households (husstande) living there.",
        danish="Husstande",
    ),
    Column("residents", "count", "persons", "Residents (beboere).", danish="Beboere"),
    Column("residents_0_17", "count", "persons", "Residents aged 0–17.", danish="Beboere 0-17 år"),
    Column(
        "residents_18_64", "count", "persons", "Residents aged 18–64.", danish="Beboere 18-64 år"
    ),
    Column(
        "outside_work_education_18_64",
        "count",
        "persons",
        "Of the 18–64-year-olds, those outside work or education (criterion 1).",
        danish="Uden for arbejde eller uddannelse 18-64 år",
    ),
    Column(
        "residents_30_59", "count", "persons", "Residents aged 30–59.", danish="Beboere 30-59 år"
    ),
    Column(
        "basic_education_30_59",
        "count",
        "persons",
        "Of the 30–59-year-olds, those with basic school only (criterion 3).",
        danish="Kun grundskole 30-59 år",
    ),
    Column(
        "mean_income_kr",
        "kr",
        "kr per year",
        "Mean gross income of 15–64-year-olds excluding students (criterion 4).",
        danish="Gennemsnitlig bruttoindkomst (kr.)",
    ),
    Column(
        "nonwestern_share",
        "share",
        "share 0–1",
        "Share of residents who are non-western immigrants or descendants.",
        danish="Ikke-vestlige indvandrere og efterkommere (%)",
    ),
    Column(
        "convicted_share",
        "share",
        "share 0–1",
        "Share of residents 18+ convicted in the last year (criterion 2).",
        danish="Dømte (%)",
    ),
    Column(
        "turnover_share",
        "share",
        "share per year",
        "Move-outs per dwelling and year (fraflytningsprocent); empty = the scenario's default.",
        required=False,
        danish="Fraflytning (%)",
    ),
)
"""The department CSV's columns, in their canonical order."""

DWELLING_COLUMNS = tuple(c.name for c in COLUMNS if c.name.startswith("dwellings_"))
RENT_COLUMNS = tuple(c.name for c in COLUMNS if c.name.startswith("rent_"))


def normalise_header(header: str) -> str:
    """Fold a header for matching: case, Danish letters, punctuation and spacing."""
    text = header.strip().casefold()
    for danish, ascii_ in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e")):
        text = text.replace(danish, ascii_)
    text = text.replace("%", " pct ").replace("+", " plus ")
    return "_".join(re.findall(r"[a-z0-9]+", text))


_BY_HEADER: dict[str, tuple[Column, bool]] = {}
for _column in COLUMNS:
    _BY_HEADER[normalise_header(_column.name)] = (_column, False)
    if _column.danish:
        _BY_HEADER[normalise_header(_column.danish)] = (_column, True)


def read_departments(path: str | Path, *, areas: Collection[str] | None = None) -> pd.DataFrame:
    """Read and check a department CSV.

    Parameters
    ----------
    path
        The CSV file (comma or semicolon separated; UTF-8 or Windows-1252).
    areas
        Area ids the scenario defines; a department naming any other area is an error. ``None``
        skips that check.

    Returns
    -------
    pandas.DataFrame
        One row per department with the canonical columns of :data:`COLUMNS`; shares as 0–1, counts
        as integers; ``area`` filled with the department id where it was empty; ``turnover_share`` NaN
        where not given.

    Raises
    ------
    ScenarioError
        Every problem found: missing file or column, and per row the column, value and rule.
    """
    path = Path(path)
    if not path.is_file():
        raise ScenarioError([Problem(path, "", "", "an existing department CSV file")])
    text = read_csv_text(path)
    rows, decimal_comma = parse_csv(text)
    if not rows:
        raise ScenarioError([Problem(path, "", "", "a header row and at least one department")])
    (_, header), *records = rows
    mapping, unknown, problems = match_headers(
        path,
        header,
        lambda text: _BY_HEADER.get(normalise_header(text)),
        lambda found: found[0].name,
    )
    for raw_header in unknown.values():
        problems.append(
            Problem(
                path,
                f"column {raw_header!r}",
                "",
                "a known column (see scenarios/README.md, 'Department data')",
            )
        )
    seen = {found[0].name for found in mapping.values()}
    for column in COLUMNS:
        if column.required and column.name not in seen:
            alias = f" (or {column.danish!r})" if column.danish else ""
            problems.append(
                Problem(
                    path,
                    f"column {column.name!r}",
                    "missing",
                    f"the column {column.name!r}{alias}: {column.description}",
                )
            )
    if not records:
        problems.append(Problem(path, "", "", "at least one department row"))
    if problems:
        raise ScenarioError(problems)
    frame, row_problems = _convert(path, header, records, mapping, decimal_comma)
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
            [Problem(label, f"column {name!r}", "missing", "the column") for name in missing]
        )
    checked = frame[[column.name for column in COLUMNS]].copy()
    checked["_row"] = np.arange(2, len(checked) + 2)
    problems: list[Problem] = []
    for column in COLUMNS:
        if column.kind == "text":
            continue
        values = pd.to_numeric(checked[column.name])
        negative = values < 0
        high = values > 1 if column.kind == "share" else pd.Series(False, index=values.index)
        shown = values.tolist()
        negatives = negative.tolist()
        for position in np.flatnonzero((negative | high).to_numpy()).tolist():
            rule = "a number ≥ 0" if negatives[position] else "a share from 0 to 1"
            problems.append(
                Problem(
                    label,
                    f"row {position + 2}, column {column.name!r}",
                    str(shown[position]),
                    rule,
                )
            )
    problems.extend(_check_rows(Path(label), checked, areas))
    if problems:
        raise ScenarioError(problems)
    return checked.drop(columns="_row").reset_index(drop=True)


def match_headers(
    path: Path,
    header: list[str],
    lookup: Callable[[str], Known | None],
    name: Callable[[Known], str],
) -> tuple[dict[int, Known], dict[int, str], list[Problem]]:
    """Match a CSV header's cells to known columns.

    Parameters
    ----------
    path
        The file (for problems).
    header
        The header cells as written.
    lookup
        The known column a header cell names (``None`` if none).
    name
        The canonical name of a known column (two cells naming one column is a problem).

    Returns
    -------
    tuple
        Known columns by cell position, unknown header cells by position (stripped), and a
        problem for every column given twice.
    """
    matched: dict[int, Known] = {}
    unknown: dict[int, str] = {}
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for index, raw_header in enumerate(header):
        found = lookup(raw_header)
        if found is None:
            unknown[index] = raw_header.strip()
            continue
        canonical = name(found)
        if canonical in seen:
            problems.append(
                Problem(
                    path,
                    f"column {raw_header!r}",
                    "",
                    f"each column once; {canonical!r} is already given as {seen[canonical]!r}",
                )
            )
            continue
        seen[canonical] = raw_header
        matched[index] = found
    return matched, unknown, problems


def read_csv_text(path: Path) -> str:
    """A CSV file's text: UTF-8 (with or without BOM), else Windows-1252 as Danish Excel writes."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def parse_csv(text: str) -> tuple[list[tuple[int, list[str]]], bool]:
    """Split CSV text into (line number, cells) rows, skipping blank lines and ``#`` comments."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    first_line = lines[0] if lines else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    if first_line.count("\t") > max(first_line.count(";"), first_line.count(",")):
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    for cells in reader:
        if not any(cell.strip() for cell in cells) or cells[0].lstrip().startswith("#"):
            continue
        rows.append((reader.line_num, cells))
    return rows, delimiter == ";"


def _convert(
    path: Path,
    header: list[str],
    records: list[tuple[int, list[str]]],
    mapping: dict[int, tuple[Column, bool]],
    decimal_comma: bool,
) -> tuple[pd.DataFrame, list[Problem]]:
    problems: list[Problem] = []
    data: dict[str, list[object]] = {column.name: [] for column in COLUMNS}
    data["_row"] = []
    for row, record in records:  # row: the file's line, as a spreadsheet numbers it
        data["_row"].append(row)
        if len(record) != len(header):
            problems.append(
                Problem(
                    path,
                    f"row {row}",
                    f"{len(record)} cells",
                    f"{len(header)} cells, one per column of the header",
                )
            )
        given = {column.name for column, _ in mapping.values()}
        for column in COLUMNS:
            if column.name not in given:
                data[column.name].append(None)
        for index, (column, percent) in mapping.items():
            cell = record[index].strip() if index < len(record) else ""
            value, problem = _cell(column, percent, cell, decimal_comma)
            if problem:
                shown = header[index]
                problems.append(Problem(path, f"row {row}, column {shown!r}", repr(cell), problem))
            data[column.name].append(value)
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


def _cell(column: Column, percent: bool, cell: str, decimal_comma: bool) -> tuple[object, str]:
    """Convert one cell; return (value, problem) with an empty problem when it is fine."""
    if column.kind == "text":
        if column.required and not cell:
            return None, "a non-empty id"
        return cell, ""
    if not cell:
        if column.kind == "kr" and column.name.startswith("rent_"):
            return float("nan"), ""
        if not column.required:
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
        return None, "a number ≥ 0 (no negative counts, amounts or shares)"
    if column.kind == "count":
        if value != int(value):
            return None, "a whole number"
        return int(value), ""
    if column.kind == "share":
        if percent:
            if value > 100:
                return None, "a percentage from 0 to 100"
            return value / 100.0, ""
        if value > 1:
            alias = f", or use the column {column.danish!r} in per cent" if column.danish else ""
            return None, f"a share from 0 to 1 (35 % is 0.35{alias})"
    return value, ""


def _check_rows(
    path: Path, frame: pd.DataFrame, areas: Collection[str] | None
) -> Iterable[Problem]:
    """Rules across columns and rows (run only when every cell converted)."""
    dwellings = frame[list(DWELLING_COLUMNS)].sum(axis=1)
    adults = frame["residents"] - frame["residents_0_17"]
    # (rows breaking the rule, column to blame, the figure compared with, what was expected)
    rules: list[tuple[pd.Series, str, pd.Series, str]] = [
        (
            dwellings == 0,
            "dwellings_1_room",
            dwellings,
            "at least one dwelling in the dwellings_* columns (they sum to {other})",
        ),
        (
            frame["households"] > dwellings,
            "households",
            dwellings,
            "at most as many households as dwellings ({other})",
        ),
        (
            frame["residents"] < frame["households"],
            "residents",
            frame["households"],
            "at least one resident per household ({other} households)",
        ),
        (
            frame["residents_0_17"] + frame["residents_18_64"] > frame["residents"],
            "residents_18_64",
            frame["residents"],
            "residents_0_17 + residents_18_64 at most residents ({other})",
        ),
        (
            adults < frame["households"],
            "residents_0_17",
            frame["households"],
            "at least one adult (18+) per household: residents − residents_0_17 ≥ households ({other})",
        ),
        (
            adults > 3 * frame["households"],
            "residents",
            frame["households"],
            "at most 3 adults (18+) per household on average ({other} households)",
        ),
        (
            frame["outside_work_education_18_64"] > frame["residents_18_64"],
            "outside_work_education_18_64",
            frame["residents_18_64"],
            "at most residents_18_64 ({other}): outside-work adults are among the 18–64-year-olds",
        ),
        (
            frame["residents_30_59"] > frame["residents_18_64"],
            "residents_30_59",
            frame["residents_18_64"],
            "at most residents_18_64 ({other}): the 30–59-year-olds are among them",
        ),
        (
            frame["basic_education_30_59"] > frame["residents_30_59"],
            "basic_education_30_59",
            frame["residents_30_59"],
            "at most residents_30_59 ({other})",
        ),
    ]
    rows: list[int] = frame["_row"].tolist()
    for broken, column, other, rule in rules:
        values = frame[column].tolist()
        others = other.tolist()
        for position in np.flatnonzero(broken.to_numpy()).tolist():
            yield Problem(
                path,
                f"row {rows[position]}, column {column!r}",
                str(values[position]),
                rule.format(other=int(others[position])),
            )
    for rooms, rent in zip(DWELLING_COLUMNS, RENT_COLUMNS, strict=True):
        missing = (frame[rooms] > 0) & frame[rent].isna()
        counts = frame[rooms].tolist()
        for position in np.flatnonzero(missing.to_numpy()).tolist():
            yield Problem(
                path,
                f"row {rows[position]}, column {rent!r}",
                "''",
                f"a rent, since the department has {counts[position]} such dwellings",
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
            f"row {row}, column 'department'",
            repr(department),
            f"a unique department id; it is already used in row {first_row[department]}",
        )
    if areas is not None:
        known = set(areas)
        listed = ", ".join(sorted(known)) or "none defined"
        for area, department, row in zip(frame["area"].tolist(), ids, rows, strict=True):
            if area != department and area not in known:
                yield Problem(
                    path,
                    f"row {row}, column 'area'",
                    repr(area),
                    f"an area id defined in the scenario's [areas] ({listed}), or empty",
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
