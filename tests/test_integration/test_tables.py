"""Tables people open: Danish Excel CSV, the workbook, the run folder's data dictionary."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest

from simulation.base.spreadsheet import read_spreadsheet_csv, spreadsheet_csv
from simulation.cli.main import main
from simulation.experiments.dictionary import COLUMNS
from simulation.report.data import ReportData, load_run
from simulation.report.workbook import SHEETS, write_workbook

pytestmark = pytest.mark.xdist_group("cli-report")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, report_fixtures: ModuleType) -> Any:
    return report_fixtures.make_tiny_world(tmp_path_factory.mktemp("tables"))


def read_danish_excel_csv(path: Path) -> list[dict[str, str]]:
    """Read a file as Danish Excel does: UTF-8 with BOM, semicolons (Python's csv, no pandas)."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path} has no byte-order mark"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def danish_number(text: str) -> float:
    assert "." not in text or "," not in text, text
    return float(text.replace(",", "."))


def test_danish_csv_is_what_danish_excel_opens() -> None:
    frame = pd.DataFrame(
        {"area": ["Nordparken", "=cmd"], "share": [0.30000000000000004, 0.1234567], "count": [1, 2]}
    )
    text = spreadsheet_csv(frame, "da")
    assert text.startswith("\ufeffarea;share;count\r\n")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert [danish_number(row["share"]) for row in rows] == [0.3, 0.1235]
    assert rows[1]["area"] == "'=cmd"  # never a formula
    assert "0.30000000000000004" not in spreadsheet_csv(frame, "en")


def test_optimise_in_danish_writes_danish_excel_csv(world: Any, tmp_path: Path) -> None:
    out = tmp_path / "plan"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["optimise", str(world.standard), "--lang", "da", "--out", str(out)]) == 0
    rows = read_danish_excel_csv(out / "groups.csv")
    assert rows and {"group", "demand", "referrals", "shortfall"} <= set(rows[0])
    demand = [danish_number(row["demand"]) for row in rows]
    assert all(value >= 0 for value in demand)
    # the report reads either dialect back
    back = read_spreadsheet_csv(out / "groups.csv")
    assert back["demand"].to_numpy() == pytest.approx(demand)


def test_the_workbook_holds_the_sheets(world: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    data = ReportData(
        tuple(
            load_run(label, folder)
            for label, folder in zip(("standard", "hoej"), world.run_dirs, strict=True)
        )
    )
    target = write_workbook(
        data, tmp_path / "tabeller.xlsx", language="da", plan_dir=world.plan_dir
    )
    book = load_workbook(target)
    assert book.sheetnames == [danish for danish, _ in SHEETS.values()]
    risk = book["Risiko pr. område og år"]
    header = [cell.value for cell in risk[1]]
    assert header[:5] == [
        "Scenarie",
        "Boligområde",
        "Starter som",
        "Liste",
        "Risiko (alvorligere liste)",
    ]
    probabilities = [row[5] for row in risk.iter_rows(min_row=2, values_only=True)]
    assert probabilities and all(0 <= value <= 1 for value in probabilities if value is not None)
    assert risk.cell(row=2, column=6).number_format == "0.0%"
    plan = book["Anvisningsplan"]
    assert [cell.value for cell in plan[1]][:3] == ["Afdeling", "Navn", "Målgruppe"]
    assert plan.max_row > 1
    english = load_workbook(write_workbook(data, tmp_path / "tables.xlsx", language="en"))
    assert english.sheetnames == [name for _, name in SHEETS.values()]
    assert english["Plan"].cell(row=1, column=1).value == "No referral plan given (--plan)."


def test_every_run_folder_has_a_data_dictionary(world: Any) -> None:
    run_dir = world.run_dirs[0]
    package = json.loads((run_dir / "datapackage.json").read_text(encoding="utf-8"))
    resources = {resource["name"]: resource for resource in package["resources"]}
    assert set(resources) == set(COLUMNS)
    for name, resource in resources.items():
        part = run_dir / resource["path"][0]
        columns = pq.read_schema(part).names
        fields = {field["name"]: field for field in resource["schema"]["fields"]}
        assert list(fields) == columns
        assert all(field["type"] != "any" for field in fields.values()), name
    area = {field["name"]: field for field in resources["area_year"]["schema"]["fields"]}
    assert area["outside_work_education_share"]["unit"] == "share 0–1"
    assert area["udsat"]["type"] == "boolean"


def test_run_writes_csv_beside_parquet(world: Any, tmp_path: Path) -> None:
    out = tmp_path / "run"
    argv = ["run", str(world.standard), "--years", "1", "--csv", "--lang", "da", "--quiet"]
    with contextlib.redirect_stdout(io.StringIO()):
        assert main([*argv, "--no-figures", "--out", str(out)]) == 0
    rows = read_danish_excel_csv(out / "area_year.csv")
    parquet = pd.read_parquet(out / "area_year.parquet")
    assert len(rows) == len(parquet)
    assert list(rows[0]) == list(parquet.columns)
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    csv_resources = [r for r in package["resources"] if r["format"] == "csv"]
    assert {r["path"] for r in csv_resources} == {f"{name}.csv" for name in COLUMNS}
    assert csv_resources[0]["dialect"]["delimiter"] == ";"
