"""``blandetby validate`` on every bundled scenario and on broken ones; the field reference."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulation.cli.main import main
from simulation.inputs.reference import render_reference

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_validate_accepts_bundled_scenarios(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.strip() == "OK"


def test_validate_several_files(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", *map(str, SCENARIOS)]) == 0
    assert capsys.readouterr().out.count(": OK") == len(SCENARIOS)


def test_validate_rejects_with_exit_2_and_every_problem(
    write_scenario, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_scenario(
        'extends = "{example}"\nschema_version = 1\nname = "x"\n'
        "[agreement]\ndefault_referral_share = 1.5\nflexible_share = 0.2\n"
    )
    assert main(["validate", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"{path}: agreement.") for line in lines)
    assert any("got 1.5" in line for line in lines)


def test_scenarios_readme_is_the_generated_reference() -> None:
    committed = (ROOT / "scenarios" / "README.md").read_text(encoding="utf-8")
    assert committed == render_reference(), (
        "scenarios/README.md is stale: run `python -m simulation.inputs.reference scenarios/README.md`"
    )


def _export(tmp_path: Path, name: str, transform) -> Path:  # type: ignore[no-untyped-def]
    """The example's departments as an export: headers and cells changed by ``transform``."""
    source = ROOT / "scenarios" / "eksempelby_departments.csv"
    lines = [line for line in source.read_text().splitlines() if not line.startswith("#")]
    header, rows = transform(lines[0].split(","), [line.split(",") for line in lines[1:]])
    (tmp_path / f"{name}.csv").write_text(
        "\r\n".join([";".join(header), *(";".join(row) for row in rows)]), encoding="cp1252"
    )
    path = tmp_path / f"{name}.toml"
    path.write_text(
        f'extends = "{(ROOT / "scenarios" / "eksempelby.toml").as_posix()}"\nschema_version = 1\n'
        f'[municipality]\ndepartments_file = "{name}.csv"\n'
    )
    return path


def _beboerdata(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """Danish headers in other spellings, shares in fractions, many more columns, decimal commas."""
    names = {
        "department": "AFDELINGSNR.",
        "households": "Antal husstande",
        "nonwestern_share": "Ikke-vestlige (%)",
        "convicted_share": "Dømte (%)",
        "turnover_share": "Fraflytningsprocent",
    }
    extra = ["Gns. husstandsstørrelse", "Andel enlige (%)", "Bemærkninger"]
    return [*(names.get(name, name) for name in header), *extra], [
        [cell.replace(".", ",") for cell in row] + ["1,7", "45,2", "ok"] for row in rows
    ]


def test_a_beboerdata_export_needs_only_to_say_how_its_shares_are_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _export(tmp_path, "beboerdata", _beboerdata)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "column 'Dømte (%)': got values from 0.00292 to 0.03414 in all 60 rows" in err
    assert main(["validate", str(path), "--percent-columns", "fractions"]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == "OK"
    assert captured.err.strip() == (
        f"warning: {tmp_path / 'beboerdata.csv'}: 3 columns not used by blandetby, ignored: "
        "'Gns. husstandsstørrelse', 'Andel enlige (%)', 'Bemærkninger'"
    )


def test_the_ignored_columns_are_said_once_per_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _export(tmp_path, "beboerdata", _beboerdata)
    assert main(["validate", str(path), str(path), "--percent-columns", "fractions"]) == 0
    assert capsys.readouterr().err.count("warning:") == 1


@pytest.mark.parametrize(
    ("key", "value", "location"),
    [
        (
            "work_entry_per_month",
            "[0.01, 1.5]",
            "work_entry_per_month[1]: got 1.5; expected a finite number from 0 to 1",
        ),
        (
            "tenancy_failure_per_month",
            "[-0.1]",
            "[0]: got -0.1; expected a finite number from 0 to 1",
        ),
        ("tenancy_failure_per_month", "[" + "0.0, " * 31 + "0.0]", ""),
    ],
)
def test_a_hazard_above_1_a_month_or_below_0_is_rejected_with_exit_2(
    write_scenario, capsys: pytest.CaptureFixture[str], key: str, value: str, location: str
) -> None:
    path = write_scenario(
        'extends = "{example}"\nschema_version = 1\nname = "x"\n'
        f"[referral_groups.refugees]\n{key} = {value}\n"
    )
    assert main(["validate", str(path)]) == 2
    error = capsys.readouterr().err
    assert f"{path}: referral_groups.refugees.{key}" in error
    assert location in error


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ("kommunekvote = { next = 120 }", "calendar years 2000–2100 as keys"),
        ("kommunekvote = { 2027 = -5 }", "got -5; expected a finite number from 0 to 100,000"),
        ("arrivals_by_year = { 2027 = 1e9 }", "expected a finite number from 0 to 20,000"),
        (
            "kommunekvote = { 2027 = 120 }\narrivals_by_year = { 2027 = 40 }",
            "each year in arrivals_by_year or kommunekvote, not both (both have 2027)",
        ),
    ],
)
def test_a_quota_must_name_calendar_years_once_with_numbers_in_range(
    write_scenario, capsys: pytest.CaptureFixture[str], lines: str, expected: str
) -> None:
    path = write_scenario(
        'extends = "{example}"\nschema_version = 1\nname = "x"\n'
        f"[referral_groups.refugees]\n{lines}\n"
    )
    assert main(["validate", str(path)]) == 2
    error = capsys.readouterr().err
    assert f"{path}: referral_groups.refugees" in error
    assert expected in error


@pytest.mark.parametrize("value", ["-1", "25"])
def test_time_to_let_outside_0_to_24_months_is_rejected_with_exit_2(
    write_scenario, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    path = write_scenario(
        'extends = "{example}"\nschema_version = 1\nname = "x"\n'
        f"[behaviour.time_to_let_months]\nreferral = {value}\n"
    )
    assert main(["validate", str(path)]) == 2
    assert f"{path}: behaviour.time_to_let_months.referral: got {value}" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ('referral_accounting = "housing_association"', "referral_accounting: got"),
        ("claim_carry_over_months = -1", "claim_carry_over_months: got -1"),
        ("hold_for_referral = 13", "hold_for_referral: got 13"),
    ],
)
def test_claim_accounting_rejects_unknown_units_and_months_out_of_range_with_exit_2(
    write_scenario, capsys: pytest.CaptureFixture[str], lines: str, expected: str
) -> None:
    path = write_scenario(
        f'extends = "{{example}}"\nschema_version = 1\nname = "x"\n[agreement]\n{lines}\n'
    )
    assert main(["validate", str(path)]) == 2
    assert f"{path}: agreement.{expected}" in capsys.readouterr().err
