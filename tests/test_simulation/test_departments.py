"""Department CSV import: every rule checked row by row, nothing half-loaded."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from simulation.base.errors import ScenarioError
from simulation.inputs.departments import COLUMNS, read_departments, write_departments

HEADER = ",".join(column.name for column in COLUMNS)
GOOD = "D1,Parken,BO,north,10,20,30,5,3000,4500,6000,7500,60,110,30,60,20,35,12,250000,0.3,0.01,0.1"
GOOD_2 = "D2,Haven,BO,,5,10,10,0,3200,4600,6100,,24,40,8,26,5,14,3,300000,0.1,0.005,"


def write(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "departments.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def problems_of(path: Path, areas: tuple[str, ...] = ("north",)) -> list[str]:
    with pytest.raises(ScenarioError) as raised:
        read_departments(path, areas=areas)
    return [f"{p.location} | {p.value} | {p.expected}" for p in raised.value.problems]


def replace_cell(row: str, column: str, value: str) -> str:
    cells = row.split(",")
    cells[[c.name for c in COLUMNS].index(column)] = value
    return ",".join(cells)


def test_good_file_loads_with_types_and_defaults(tmp_path: Path) -> None:
    frame = read_departments(write(tmp_path, GOOD, GOOD_2), areas={"north"})
    assert list(frame["department"]) == ["D1", "D2"]
    assert frame["households"].dtype == "int64"
    assert frame.loc[1, "area"] == "D2", "a department with no area is its own area"
    assert pd.isna(frame.loc[1, "turnover_share"])
    assert pd.isna(frame.loc[1, "rent_4_rooms_kr"])


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("households", "many", "a number"),
        ("households", "-3", "≥ 0"),
        ("households", "12.5", "whole number"),
        ("nonwestern_share", "35", "share from 0 to 1"),
        ("outside_work_education_18_64", "61", "at most residents_18_64 (60)"),
        ("basic_education_30_59", "36", "at most residents_30_59 (35)"),
        ("households", "70", "at most as many households as dwellings (65)"),
        ("rent_1_room_kr", "", "a rent, since the department has 10 such dwellings"),
        ("area", "south", "an area id defined in the scenario's [areas] (north), or empty"),
    ],
)
def test_each_rule_names_row_column_value(
    tmp_path: Path, column: str, value: str, expected: str
) -> None:
    path = write(tmp_path, GOOD_2, replace_cell(GOOD, column, value))
    [problem] = problems_of(path)
    location, shown, rule = problem.split(" | ")
    assert location == f"row 3, column '{column}'"
    assert value in shown
    assert expected in rule


def test_missing_column(tmp_path: Path) -> None:
    header = HEADER.replace(",households", "")
    row = ",".join(c for i, c in enumerate(GOOD.split(",")) if COLUMNS[i].name != "households")
    [problem] = problems_of(write(tmp_path, row, header=header))
    assert problem.startswith("column 'households' | missing")
    assert "Husstande" in problem, "the Danish alias is offered"


def test_unknown_column(tmp_path: Path) -> None:
    problems = problems_of(write(tmp_path, GOOD + ",1", header=HEADER + ",colour"))
    assert any(p.startswith("column 'colour'") for p in problems)


def test_duplicate_department(tmp_path: Path) -> None:
    [problem] = problems_of(write(tmp_path, GOOD, GOOD_2, GOOD))
    assert problem.startswith("row 4, column 'department' | 'D1'")
    assert "already used in row 2" in problem


def test_every_bad_row_is_reported(tmp_path: Path) -> None:
    bad_1 = replace_cell(GOOD, "residents", "x")
    bad_2 = replace_cell(GOOD_2, "convicted_share", "7")
    problems = problems_of(write(tmp_path, bad_1, bad_2))
    assert [p.split(" | ")[0] for p in problems] == [
        "row 2, column 'residents'",
        "row 3, column 'convicted_share'",
    ]


def test_danish_headers_semicolons_decimal_commas_and_percent(tmp_path: Path) -> None:
    danish = [column.danish or column.name for column in COLUMNS]
    row = GOOD.split(",")
    index = {c.name: i for i, c in enumerate(COLUMNS)}
    row[index["nonwestern_share"]] = "30,5"  # per cent with a decimal comma
    row[index["convicted_share"]] = "1"
    row[index["turnover_share"]] = "10,4"
    row[index["mean_income_kr"]] = "250.000"  # thousands separator
    path = tmp_path / "lbf.csv"
    path.write_text(";".join(danish) + "\n" + ";".join(row) + "\n", encoding="cp1252")
    frame = read_departments(path, areas={"north"})
    assert frame.loc[0, "nonwestern_share"] == pytest.approx(0.305)
    assert frame.loc[0, "convicted_share"] == pytest.approx(0.01)
    assert frame.loc[0, "turnover_share"] == pytest.approx(0.104)
    assert frame.loc[0, "mean_income_kr"] == 250_000


def test_percentage_above_100_in_danish_column(tmp_path: Path) -> None:
    danish = [column.danish or column.name for column in COLUMNS]
    index = [c.name for c in COLUMNS].index("nonwestern_share")
    row = GOOD.split(",")
    row[index] = "130"
    path = write(tmp_path, ",".join(row), header=",".join(danish))
    [problem] = problems_of(path)
    assert "percentage from 0 to 100" in problem


def test_comments_and_blank_lines_keep_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "departments.csv"
    bad = replace_cell(GOOD_2, "households", "x")
    path.write_text(f"# synthetic\n{HEADER}\n{GOOD}\n\n{bad}\n", encoding="utf-8")
    [problem] = problems_of(path)
    assert problem.startswith("row 5, column 'households'")


def test_write_and_read_back(tmp_path: Path) -> None:
    frame = read_departments(write(tmp_path, GOOD, GOOD_2), areas={"north"})
    target = tmp_path / "again.csv"
    write_departments(frame, target, comment="made up")
    again = read_departments(target, areas={"north"})
    pd.testing.assert_frame_equal(frame, again)
    assert target.read_text(encoding="utf-8").startswith("# made up\n")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="existing department CSV"):
        read_departments(tmp_path / "none.csv")
