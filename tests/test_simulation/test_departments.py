"""Department CSV import: every rule checked row by row, nothing half-loaded."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from simulation.base.errors import InputWarning, ScenarioError
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


def test_unknown_columns_are_ignored_with_one_warning(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + ",1,x", header=HEADER + ",colour,notes")
    with pytest.warns(InputWarning) as warned:
        frame = read_departments(path, areas={"north"})
    assert len(warned) == 1
    assert str(warned[0].message).endswith(
        "2 columns not used by blandetby, ignored: 'colour', 'notes'"
    )
    assert list(frame.columns) == [column.name for column in COLUMNS]


def test_strict_columns_refuses_unknown_columns(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + ",1", header=HEADER + ",colour")
    with pytest.raises(ScenarioError) as raised:
        read_departments(path, areas={"north"}, strict_columns=True)
    [problem] = raised.value.problems
    assert problem.location == "column 'colour'"
    assert "strict_columns" in problem.expected


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
    row[index["convicted_share"]] = "1,2"
    row[index["turnover_share"]] = "10,4"
    row[index["mean_income_kr"]] = "250.000"  # thousands separator
    path = tmp_path / "lbf.csv"
    path.write_text(";".join(danish) + "\n" + ";".join(row) + "\n", encoding="cp1252")
    frame = read_departments(path, areas={"north"})
    assert frame.loc[0, "nonwestern_share"] == pytest.approx(0.305)
    assert frame.loc[0, "convicted_share"] == pytest.approx(0.012)
    assert frame.loc[0, "turnover_share"] == pytest.approx(0.104)
    assert frame.loc[0, "mean_income_kr"] == 250_000


def test_percentage_above_100_in_danish_column(tmp_path: Path) -> None:
    danish = [column.danish or column.name for column in COLUMNS]
    index = [c.name for c in COLUMNS].index("nonwestern_share")
    row = GOOD.split(",")
    row[index] = "130"
    row[index + 1] = "1.5"  # convicted, per cent
    row[index + 2] = "10"  # turnover, per cent
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


# -- real exports: tolerant headers, units that cannot be confused, any line ends, no binary --------


def test_every_header_variant_names_one_column_only() -> None:
    from simulation.inputs.csvfiles import header_key

    owners: dict[str, str] = {}
    for column in COLUMNS:
        for header in column.headers:
            key = header_key(header)[0]
            assert key, header
            assert owners.setdefault(key, column.name) == column.name, header


def test_headers_match_whatever_case_spacing_and_beboerdata_variant(tmp_path: Path) -> None:
    variants = {
        "department": "  AFDELINGSNR. ",
        "households": "Antal husstande",
        "residents": "beboere i alt",
        "residents_0_17": "Beboere 0–17 år",
        "dwellings_4_rooms": "4+-rums boliger",
        "rent_1_room_kr": "Husleje 1 rum (kr./md.)",
        "mean_income_kr": "Gns. bruttoindkomst (kr.)",
        "nonwestern_share": "Ikke-vestlige i pct.",
        "convicted_share": "DØMTE  (%)",
        "turnover_share": "Fraflytningsprocent",
    }
    header = ",".join(variants.get(column.name, column.name) for column in COLUMNS)
    row = GOOD.split(",")
    index = {c.name: i for i, c in enumerate(COLUMNS)}
    row[index["nonwestern_share"]] = "30"
    row[index["convicted_share"]] = "1.5"
    row[index["turnover_share"]] = "10"
    frame = read_departments(write(tmp_path, ",".join(row), header=header), areas={"north"})
    assert frame.loc[0, "department"] == "D1"
    assert frame.loc[0, "nonwestern_share"] == pytest.approx(0.30)
    assert frame.loc[0, "convicted_share"] == pytest.approx(0.015)
    assert frame.loc[0, "turnover_share"] == pytest.approx(0.10)


def _danish(tmp_path: Path, nonwestern: str, convicted: str) -> Path:
    header = [column.danish or column.name for column in COLUMNS]
    rows = []
    for good in (GOOD, GOOD_2):
        row = good.split(",")
        index = {c.name: i for i, c in enumerate(COLUMNS)}
        row[index["nonwestern_share"]] = nonwestern
        row[index["convicted_share"]] = convicted
        row[index["turnover_share"]] = ""
        rows.append(",".join(row))
    return write(tmp_path, *rows, header=",".join(header))


def test_per_cent_column_holding_fractions_is_refused_naming_both_readings(
    tmp_path: Path,
) -> None:
    path = _danish(tmp_path, nonwestern="45.2", convicted="0.0336")
    [problem] = problems_of(path)
    location, value, expected = problem.split(" | ")
    assert location == "column 'Dømte (%)'"
    assert value == "values from 0.0336 to 0.0336 in all 2 rows"
    assert "read as per cent they are 0.0336–0.0336 %" in expected
    assert "read as shares (0–1) they are 3.36–3.36 %" in expected
    assert "--percent-columns" in expected and "municipality.percent_columns" in expected


@pytest.mark.parametrize(("how", "convicted"), [("fractions", 0.0336), ("percent", 0.000336)])
def test_percent_columns_says_which_reading(tmp_path: Path, how: str, convicted: float) -> None:
    path = _danish(
        tmp_path, nonwestern="0.452" if how == "fractions" else "45.2", convicted="0.0336"
    )
    frame = read_departments(path, areas={"north"}, percent_columns=how)  # type: ignore[arg-type]
    assert frame.loc[0, "convicted_share"] == pytest.approx(convicted)
    assert frame.loc[0, "nonwestern_share"] == pytest.approx(0.452)


def test_share_column_holding_per_cent_is_refused_naming_both_readings(tmp_path: Path) -> None:
    rows = [
        replace_cell(row, "nonwestern_share", value)
        for row, value in ((GOOD, "45"), (GOOD_2, "12.5"))
    ]
    [problem] = problems_of(write(tmp_path, *rows))
    location, value, expected = problem.split(" | ")
    assert location == "column 'nonwestern_share'"
    assert value == "values from 12.5 to 45 in all 2 rows"
    assert "read as shares, 45 is impossible" in expected
    assert "read as per cent they are 0.125–0.45 as shares" in expected
    frame = read_departments(write(tmp_path, *rows), areas={"north"}, percent_columns="percent")
    assert frame["nonwestern_share"].tolist() == pytest.approx([0.45, 0.125])


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_any_line_ends(tmp_path: Path, ending: str) -> None:
    path = tmp_path / "departments.csv"
    path.write_bytes(ending.join(["# made up", HEADER, GOOD, GOOD_2, ""]).encode())
    frame = read_departments(path, areas={"north"})
    assert list(frame["department"]) == ["D1", "D2"]


def test_a_stray_carriage_return_in_a_cell_is_a_line_end(tmp_path: Path) -> None:
    path = tmp_path / "departments.csv"
    path.write_bytes("\n".join([HEADER, GOOD.replace("Parken", "Par\rken"), GOOD_2]).encode())
    problems = problems_of(path)
    assert problems[0].startswith("row 2 | 2 cells | 23 cells, one per column of the header")


def test_utf16_as_excel_saves_unicode_text(tmp_path: Path) -> None:
    path = tmp_path / "departments.csv"
    path.write_text(
        "\t".join(HEADER.split(",")) + "\n" + "\t".join(GOOD.split(",")) + "\n", encoding="utf-16"
    )
    assert read_departments(path, areas={"north"}).loc[0, "name"] == "Parken"


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        b"PATH=/usr/bin\x00SECRET_TOKEN=hunter2\x00HOME=/root\x00",
        HEADER.encode() + b"\n" + GOOD.encode() + b"\x1b[2J\n",
    ],
    ids=["png", "environ", "escape-sequence"],
)
def test_binary_files_are_refused_without_echo(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "departments.csv"
    path.write_bytes(content)
    [problem] = problems_of(path)
    assert problem.startswith(" | binary data (a ")
    assert "a department CSV file as text" in problem
    assert "hunter2" not in problem and "PATH" not in problem


def test_long_cells_and_headers_are_cut_and_sanitised(tmp_path: Path) -> None:
    secret = "SECRET_TOKEN=hunter2 " * 500
    row = replace_cell(GOOD, "households", secret)
    problems = problems_of(write(tmp_path, row))
    [problem] = problems
    assert "hunter2" in problem  # the first few words are shown …
    assert len(problem) < 250, "… but not the whole cell"
    assert "(10499 characters)" in problem


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("dwellings_2_rooms", "1e12", "at most 20,000 (dwellings)"),
        ("rent_2_rooms_kr", "1e308", "at most 50,000 (kr per month)"),
        ("mean_income_kr", "inf", "a finite number"),
        ("mean_income_kr", "nan", "a finite number"),
    ],
)
def test_every_number_has_a_sane_bound(
    tmp_path: Path, column: str, value: str, expected: str
) -> None:
    [problem] = problems_of(write(tmp_path, GOOD_2, replace_cell(GOOD, column, value)))
    assert problem.startswith(f"row 3, column '{column}' | '{value}' | {expected}")


def test_the_whole_file_has_a_bound_on_dwellings(tmp_path: Path) -> None:
    rows = [
        replace_cell(replace_cell(GOOD, "department", f"D{i}"), "dwellings_1_room", "19990")
        for i in range(52)
    ]
    problems = problems_of(write(tmp_path, *rows))
    assert any(
        p.startswith("column 'dwellings_*' | 1,042,340 dwellings in all | at most 1,000,000")
        for p in problems
    )
