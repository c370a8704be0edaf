"""``blandetby classify``: the table, the file written, and the errors a planner sees."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from simulation.cli.main import main

EXAMPLE = Path(__file__).parents[1] / "data" / "areas_example.csv"
HEADER = (
    "area,year,residents,outside_work_education_pct,conviction_ratio,basic_education_pct,"
    "income_pct_of_region,nonwestern_pct\n"
)


def test_prints_a_table_and_counts(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "300")  # wide enough for one line a row (narrower: see below)
    assert main(["classify", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["area", "year", "residents"]
    assert any(line.startswith("havbakken") and "omdannelsesområde" in line for line in lines)
    assert "lists of 2024 (regime 2021):" in out
    assert "  udsat boligområde: 2 (havbakken, lyngparken)" in lines
    assert "  parallelsamfund: 1 (havbakken)" in lines
    assert "  omdannelsesområde: 1 (havbakken)" in lines
    assert "  forebyggelsesområde: 2 (engtoften, kaeret)" in lines


def test_older_regime_uses_its_own_list_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", str(EXAMPLE), "--regime", "2018"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "  ghettoområde: 1 (havbakken)" in lines
    assert "  hårdt ghettoområde: 1 (havbakken)" in lines
    assert not any("forebyggelsesområde:" in line for line in lines)


def test_writes_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out" / "lists.csv"
    assert main(["classify", str(EXAMPLE), "--out", str(target)]) == 0
    assert str(target) in capsys.readouterr().out
    written = pd.read_csv(target)
    assert len(written) == 11
    transformed = written.loc[written["omdannelsesomraade"], ["area", "year"]]
    assert transformed.to_dict("records") == [{"area": "havbakken", "year": 2024}]
    assert sorted(path.name for path in target.parent.iterdir()) == [
        "lists.csv"
    ]  # no temporary left


def test_writes_parquet_with_yearly_means(tmp_path: Path) -> None:
    target = tmp_path / "lists.parquet"
    assert main(["classify", str(EXAMPLE), "--yearly", "--out", str(target)]) == 0
    written = pd.read_parquet(target)
    assert "outside_work_education_pct_2y" in written.columns
    assert written["udsat"].dtype == bool


def test_bad_row_exits_2_naming_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "areas.csv"
    path.write_text(
        HEADER + "x,2024,1200,30,1,50,60,20\ny,2024,lots,30,1,50,60,20\n", encoding="utf-8"
    )
    assert main(["classify", str(path)]) == 2
    captured = capsys.readouterr()
    assert "row 3, column 'residents': got 'lots'; expected a number" in captured.err
    assert captured.out == ""


def test_missing_column_for_the_regime_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "areas.csv"
    path.write_text(HEADER + "x,2024,1200,45,1,50,60,60\n", encoding="utf-8")
    assert main(["classify", str(path), "--regime", "2010"]) == 2
    assert "column 'convicted_pct': got missing" in capsys.readouterr().err
    assert main(["classify", str(path)]) == 0


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.csv"
    assert main(["classify", str(missing)]) == 2
    assert f"{missing}: expected an existing area CSV file" in capsys.readouterr().err


def test_unknown_regime_is_an_argument_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["classify", str(EXAMPLE), "--regime", "2019"])
    assert caught.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_transformation_years_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", str(EXAMPLE), "--transformation-years", "6"]) == 0
    assert "  omdannelsesområde: 0" in capsys.readouterr().out.splitlines()
    with pytest.raises(SystemExit) as exit_:
        main(["classify", str(EXAMPLE), "--transformation-years", "0"])
    assert exit_.value.code == 2
    assert (
        "argument --transformation-years: expected a whole number from 1 to 100 (as "
        "legal.transformation_years in a scenario file), got '0'"
    ) in capsys.readouterr().err


def test_csv_output_cannot_carry_spreadsheet_formulas(tmp_path: Path) -> None:
    path = tmp_path / "areas.csv"
    link = '=HYPERLINK("http://example.com/x","Nordparken")'
    quoted = '"' + link.replace('"', '""') + '"'
    path.write_text(
        HEADER.rstrip("\n") + ",note\n"
        f"{quoted},2024,1200,45,1,50,60,20,+1 555\n"
        "-ok,2024,1200,30,1,50,60,20,@home\n",
        encoding="utf-8",
    )
    out = tmp_path / "lists.csv"
    assert main(["classify", str(path), "--out", str(out)]) == 0
    written = pd.read_csv(out, keep_default_na=False)
    assert set(written["area"]) == {"'" + link, "'-ok"}
    assert set(written["note"]) == {"'+1 555", "'@home"}
    assert written["residents"].tolist() == [1200, 1200], "numbers are left as numbers"


def test_a_narrow_terminal_gets_the_lists_and_reasons_under_each_row(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["classify", str(EXAMPLE)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= 80
    row = next(i for i, line in enumerate(lines) if line.startswith("havbakken     2024"))
    assert "lists: udsat boligområde, parallelsamfund, omdannelsesområde" in lines[row + 1]
    assert lines[row + 2].startswith("    udsat boligområde (3 of 4 criteria)")
