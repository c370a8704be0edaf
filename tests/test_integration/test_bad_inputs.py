"""The bad-input battery: what a new user, or an attacker, gives ``blandetby``, and what it says.

Every case runs the command line in-process with the working folder set to a fresh temporary
folder holding the inputs. Each must end with exit code 2, no traceback, a message that names
where the problem is (the file, the field or CSV row and column, or the option), the value given
and what was expected, and nothing written: the folder is the same file for file, byte for byte,
before and after.

The classes follow issue 16: units that could be confused, real exports, output paths, numbers
out of bounds (in a file and on the command line), CSV files that are not text or not CSV,
messages that must not echo a file, run folders, and the errors that were already caught well.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from english import english_words

from simulation.cli.main import main
from simulation.inputs.departments import COLUMNS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "eksempelby.toml"
EXAMPLE_CSV = ROOT / "scenarios" / "eksempelby_departments.csv"
AREAS_CSV = ROOT / "tests" / "data" / "areas_example.csv"
SECRET = "SECRET_TOKEN=hunter2-do-not-print"


@dataclass(frozen=True)
class Case:
    """One bad input: the arguments (``{in}`` is the inputs folder) and what the message says."""

    id: str
    kind: str
    argv: tuple[str, ...]
    says: tuple[str, ...]
    """Pieces the message must hold: the place (file, key, row and column, option), the value
    and the expectation."""
    never: tuple[str, ...] = field(default=())
    """Text that must not appear (a secret, an escape sequence, a whole file)."""
    longest: int = 3_000
    """The message may be at most this long (a short excerpt, not the file)."""


# -- the inputs every case may use ------------------------------------------------------------------


def _example_rows() -> tuple[list[str], list[str]]:
    lines = [line for line in EXAMPLE_CSV.read_text().splitlines() if not line.startswith("#")]
    return lines[0].split(","), lines[1:]


def _departments(
    transform: Callable[[list[str], list[list[str]]], tuple[list[str], list[list[str]]]],
) -> str:
    header, rows = _example_rows()
    new_header, new_rows = transform(header, [row.split(",") for row in rows])
    return "\n".join([",".join(new_header), *(",".join(row) for row in new_rows)]) + "\n"


def _danish_fractions(
    header: list[str], rows: list[list[str]]
) -> tuple[list[str], list[list[str]]]:
    danish = {column.name: column.danish for column in COLUMNS if column.danish}
    shares = {"nonwestern_share", "convicted_share", "turnover_share"}
    return [danish[name] if name in shares else name for name in header], rows


def _share_in_percent(
    header: list[str], rows: list[list[str]]
) -> tuple[list[str], list[list[str]]]:
    index = header.index("nonwestern_share")
    for row in rows:
        row[index] = f"{100 * float(row[index]):g}"
    return header, rows


def _extra_columns(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    return [*header, "notes", "Husleje i alt"], [[*row, "x", "1"] for row in rows]


def _set_cell(
    column: str, value: str, row_index: int = 0
) -> Callable[..., tuple[list[str], list[list[str]]]]:
    def transform(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
        rows[row_index][header.index(column)] = value
        return header, rows

    return transform


def _scenario(csv_name: str = "", body: str = "") -> str:
    lines = [f'extends = "{EXAMPLE.as_posix()}"', "schema_version = 1"]
    if csv_name:
        lines += ["[municipality]", f'departments_file = "{csv_name}"']
    return "\n".join(lines) + "\n" + body


def _scenario_with(table: str, key: str, value: str) -> str:
    return _scenario(body=f"[{table}]\n{key} = {value}\n")


def _too_big(folder: Path) -> None:
    """A file of 101 MiB, sparse: no disk used, and made afresh rather than copied."""
    with (folder / "too_big.csv").open("wb") as handle:
        handle.truncate(101 * 1024 * 1024)


def build_inputs(folder: Path) -> None:
    """Write every input file the cases name into ``folder``."""
    texts = {
        "fractions.csv": _departments(_danish_fractions),
        "share_in_percent.csv": _departments(_share_in_percent),
        "extra_columns.csv": _departments(_extra_columns),
        "huge_dwellings.csv": _departments(_set_cell("dwellings_2_rooms", "1e12")),
        "income_inf.csv": _departments(_set_cell("mean_income_kr", "inf")),
        "negative.csv": _departments(_set_cell("households", "-3", 4)),
        "secret_cell.csv": _departments(_set_cell("households", (SECRET + " ") * 400)),
        "duplicate.csv": _departments(_set_cell("department", "D0002")),
        "unknown_area.csv": _departments(_set_cell("area", "atlantis")),
        "missing_column.csv": _departments(
            lambda header, rows: (header[:14] + header[15:], [row[:14] + row[15:] for row in rows])
        ),
        "empty.csv": "",
        "header_only.csv": ",".join(_example_rows()[0]) + "\n",
        "areas_shares.csv": "\n".join(
            [
                "area,year,residents,outside_work_education_pct,conviction_ratio,"
                "basic_education_pct,income_pct_of_region,nonwestern_pct",
                "nord,2024,1500,0.45,3.1,0.62,0.52,0.55",
                "syd,2024,1200,0.31,1.2,0.40,0.80,0.25",
            ]
        )
        + "\n",
        "areas_share_header.csv": "\n".join(
            [
                "area,year,residents,outside_work_education_share,conviction_ratio,"
                "basic_education_pct,income_pct_of_region,nonwestern_pct",
                "nord,2024,1500,45,3.1,62,52,55",
                "syd,2024,1200,31,1.2,40,80,25",
            ]
        )
        + "\n",
        "areas_bad_cell.csv": AREAS_CSV.read_text().replace(
            "havbakken,2021,1498", "havbakken,2021,many"
        ),
        "scenario_fractions.toml": _scenario("fractions.csv"),
        "scenario_share_in_percent.toml": _scenario("share_in_percent.csv"),
        "scenario_extra_columns.toml": _scenario("extra_columns.csv"),
        "scenario_strict.toml": _scenario("extra_columns.csv", "").replace(
            'departments_file = "extra_columns.csv"',
            'departments_file = "extra_columns.csv"\nstrict_columns = true',
        ),
        "scenario_huge_dwellings.toml": _scenario("huge_dwellings.csv"),
        "scenario_income_inf.toml": _scenario("income_inf.csv"),
        "scenario_negative.toml": _scenario("negative.csv"),
        "scenario_secret_cell.toml": _scenario("secret_cell.csv"),
        "scenario_duplicate.toml": _scenario("duplicate.csv"),
        "scenario_unknown_area.toml": _scenario("unknown_area.csv"),
        "scenario_missing_column.toml": _scenario("missing_column.csv"),
        "scenario_empty.toml": _scenario("empty.csv"),
        "scenario_header_only.toml": _scenario("header_only.csv"),
        "scenario_binary.toml": _scenario("binary.csv"),
        "scenario_environ.toml": _scenario("/proc/self/environ"),
        "scenario_stray_cr.toml": _scenario("stray_cr.csv"),
        "scenario_too_big.toml": _scenario("too_big.csv"),
        "scenario_folder.toml": _scenario("."),
        "scenario_no_csv.toml": _scenario("nowhere.csv"),
        "arrivals_inf.toml": _scenario_with(
            "referral_groups.homeless_single", "arrivals_per_year", "inf"
        ),
        "arrivals_huge.toml": _scenario_with(
            "referral_groups.homeless_single", "arrivals_per_year", "1e12"
        ),
        "arrivals_negative.toml": _scenario_with(
            "referral_groups.homeless_single", "arrivals_per_year", "-1"
        ),
        "income_huge.toml": _scenario_with("municipality", "regional_mean_income_kr", "1e308"),
        "income_tiny.toml": _scenario_with("municipality", "regional_mean_income_kr", "1"),
        "conviction_tiny.toml": _scenario_with(
            "municipality", "national_conviction_share", "1e-300"
        ),
        "share_nan.toml": _scenario_with("referral_groups.homeless_single", "couple_share", "nan"),
        "share_67.toml": _scenario_with("agreement", "flexible_letting_share", "67"),
        "children_negative.toml": _scenario_with(
            "referral_groups.homeless_single", "children_mean", "-1"
        ),
        "children_by_rooms_inf.toml": _scenario_with(
            "applicants", "children_mean_by_rooms", "[0, 0.1, inf, 1]"
        ),
        "seasonality_nan.toml": _scenario_with(
            "behaviour", "move_out_seasonality", "[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, nan]"
        ),
        "years_101.toml": _scenario_with("horizon", "years", "101"),
        "rent_huge.toml": _scenario_with("referral_groups.homeless_single", "max_rent_kr", "1e9"),
        "income_employed_inf.toml": _scenario_with("behaviour", "income_employed_kr", "inf"),
        "doubling_zero.toml": _scenario_with("behaviour", "mortality_doubling_years", "0"),
        "strength_huge.toml": _scenario_with("behaviour", "selective_move_out_strength", "1e300"),
        "minimum_residents_huge.toml": _scenario_with("legal", "minimum_residents", "1000000000"),
        "prior_years_huge.toml": _scenario_with(
            "areas.nordparken", "parallelsamfund_years_before_start", "1000"
        ),
        "planning_months_huge.toml": _scenario_with("optimiser", "planning_months", "1000"),
        "tier_ratio_huge.toml": _scenario(
            body='[[agreement.tiers]]\nname = "red"\nwhen = { income_ratio_region_below = 1e9 }\n'
        ),
        "regime_escape.toml": _scenario_with(
            "legal", "regime", '"\\u001b[31mred' + "x" * 5000 + '"'
        ),
        "unknown_key.toml": _scenario_with("agreement", "default_referal_share", "0.3"),
        "text_number.toml": _scenario_with("agreement", "default_referral_share", '"0.3"'),
        "bad_toml.toml": "schema_version = 1\nname = \n",
        "version_2.toml": _scenario().replace("schema_version = 1", "schema_version = 2"),
        "cycle_a.toml": 'extends = "cycle_b.toml"\nschema_version = 1\n',
        "cycle_b.toml": 'extends = "cycle_a.toml"\nschema_version = 1\n',
        "bad_departments_key.toml": _scenario(
            body="[agreement.referral_share_by_department]\nD9999 = 0.5\n"
        ),
        "sneaky.html": "<p>not a run</p>\n",
        "many_groups.toml": _scenario(
            body="".join(
                f'[referral_groups.g{index}]\nname = "g"\narrivals_per_year = 1\nmax_rent_kr = 4000\n'
                for index in range(60)
            )
        ),
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    binary = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    (folder / "binary.csv").write_bytes(binary)
    (folder / "areas_binary.csv").write_bytes(binary)
    (folder / "binary.toml").write_bytes(binary)
    (folder / "stray_cr.csv").write_bytes(
        _departments(lambda h, r: (h, r))
        .replace("Nordparken afd. 1", "Nordparken\rafd. 1")
        .encode()
    )
    _too_big(folder)
    (folder / "a_file").write_text("I am a file\n")
    (folder / "not_a_run").mkdir()
    (folder / "not_a_run" / "notes.txt").write_text("mine\n")
    damaged = folder / "damaged_run"
    damaged.mkdir()
    (damaged / "run.json").write_bytes(b'{"run_id": \x00\xff')


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The inputs, and a finished run of the example (1 year) to collide with."""
    folder = tmp_path_factory.mktemp("bad-inputs")
    build_inputs(folder)
    assert (
        main(
            [
                "run",
                str(EXAMPLE),
                "--years",
                "1",
                "--out",
                str(folder / "prior_run"),
                "--quiet",
                "--no-figures",
            ]
        )
        == 0
    )
    return folder


# -- the cases ---------------------------------------------------------------------------------------

IN = "{in}"
OUT = "{in}/new_out"
FOLDER_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("run", str(EXAMPLE)),
    ("compare", str(EXAMPLE), str(EXAMPLE)),
    ("sweep", str(EXAMPLE), "--vary", "agreement.default_referral_share=0.25,0.5"),
    ("frontier", str(EXAMPLE), "--vary", "agreement.default_referral_share=0.25,0.5"),
    ("optimise", str(EXAMPLE)),
    ("profile", str(EXAMPLE)),
    ("sensitivity", str(EXAMPLE)),
    ("robustness", str(EXAMPLE), str(EXAMPLE)),
)


def _cases() -> list[Case]:
    cases: list[Case] = []

    def add(kind: str, id_: str, argv: tuple[str, ...], *says: str, **extra: object) -> None:
        cases.append(Case(id_, kind, argv, says, **extra))  # type: ignore[arg-type]

    # 1. units that could be confused
    per_cent_fractions = (
        "fractions.csv",
        "column 'Dømte (%)'",
        "values from 0.00292 to 0.03414",
        "expected per cent (0–100)",
        "read as shares (0–1) they are 0.292–3.414 %",
        "--percent-columns",
    )
    add(
        "units",
        "validate-percent-columns-holding-fractions",
        ("validate", f"{IN}/scenario_fractions.toml"),
        *per_cent_fractions,
    )
    add(
        "units",
        "run-percent-columns-holding-fractions",
        ("run", f"{IN}/scenario_fractions.toml", "--out", OUT),
        *per_cent_fractions,
    )
    add(
        "units",
        "profile-percent-columns-holding-fractions",
        ("profile", f"{IN}/scenario_fractions.toml"),
        *per_cent_fractions,
    )
    add(
        "units",
        "compare-percent-columns-holding-fractions",
        ("compare", str(EXAMPLE), f"{IN}/scenario_fractions.toml", "--out", OUT),
        *per_cent_fractions,
    )
    add(
        "units",
        "share-column-holding-per-cent",
        ("validate", f"{IN}/scenario_share_in_percent.toml"),
        "share_in_percent.csv",
        "column 'nonwestern_share'",
        "values from 2.95 to 69.41",
        "expected a share from 0 to 1",
        "read as per cent",
    )
    add(
        "units",
        "classify-per-cent-file-in-shares",
        ("classify", f"{IN}/areas_shares.csv"),
        "areas_shares.csv",
        "column 'outside_work_education_pct'",
        "values from 0.31 to 0.45",
        "expected per cent (0–100)",
        "--percent-columns",
    )
    add(
        "units",
        "classify-share-header-in-per-cent",
        ("classify", f"{IN}/areas_share_header.csv"),
        "areas_share_header.csv",
        "column 'outside_work_education_share'",
        "values from 31 to 45",
        "expected a share from 0 to 1",
    )
    add(
        "units",
        "classify-fractions-flag-on-per-cent-file",
        ("classify", str(AREAS_CSV), "--percent-columns", "fractions"),
        "areas_example.csv",
        "column 'outside_work_education_pct': got 11 values from 22 to 47",
        "expected a share from 0 to 1, as --percent-columns fractions says",
    )

    # 2. real exports: columns not read are refused in strict mode
    strict = ("extra_columns.csv", "column 'notes'", "column 'Husleje i alt'", "strict_columns")
    add(
        "exports",
        "strict-columns-option",
        ("validate", f"{IN}/scenario_extra_columns.toml", "--strict-columns"),
        *strict,
    )
    add(
        "exports", "strict-columns-in-scenario", ("validate", f"{IN}/scenario_strict.toml"), *strict
    )
    add(
        "exports",
        "run-strict-columns",
        ("run", f"{IN}/scenario_extra_columns.toml", "--strict-columns", "--out", OUT),
        *strict,
    )

    # 3. output paths, checked before any work
    for command in FOLDER_COMMANDS:
        name = command[0]
        add(
            "outputs",
            f"{name}-out-is-a-file",
            (*command, "--out", f"{IN}/a_file"),
            "--out",
            "a_file: is a file",
            "expected a folder",
        )
        add(
            "outputs",
            f"{name}-out-under-a-file",
            (*command, "--out", f"{IN}/a_file/sub"),
            "--out",
            "a_file/sub",
            "a_file is a file, so nothing can be created under it",
            "expected a folder",
        )
        add(
            "outputs",
            f"{name}-out-unwritable",
            (*command, "--out", "/proc/blandetby-out"),
            "--out /proc/blandetby-out",
            "cannot write in /proc",
            "expected a folder you may write to",
        )
    run_folder = (str(EXAMPLE),)
    add(
        "outputs",
        "run-out-holds-another-run",
        ("run", *run_folder, "--years", "2", "--out", f"{IN}/prior_run", "--quiet"),
        "prior_run holds another run with 1 finished replications",
        "years 1 there, 2 now",
        "choose another --out",
    )
    add(
        "outputs",
        "run-out-is-not-a-run-folder",
        ("run", *run_folder, "--out", f"{IN}/not_a_run"),
        "not_a_run exists and is not a run folder",
        "choose another --out",
    )
    add(
        "outputs",
        "compare-out-is-not-a-compare-folder",
        ("compare", str(EXAMPLE), str(EXAMPLE), "--out", f"{IN}/not_a_run"),
        "not_a_run exists and is not a comparison folder",
        "choose another --out",
    )
    add(
        "outputs",
        "run-out-damaged-run-json",
        ("run", *run_folder, "--out", f"{IN}/damaged_run"),
        "damaged_run/run.json is damaged",
        "UnicodeDecodeError",
        "expected the run.json blandetby writes",
    )
    add(
        "outputs",
        "report-out-is-a-folder",
        ("report", f"{IN}/prior_run", "--out", f"{IN}/not_a_run"),
        "--out",
        "not_a_run: is a folder",
        "expected the name of the file to write",
    )
    add(
        "outputs",
        "report-out-wrong-suffix",
        ("report", f"{IN}/prior_run", "--out", f"{IN}/report.pdf"),
        "--out",
        "report.pdf: got '.pdf'",
        "expected a file name ending in .html or .htm",
    )
    add(
        "outputs",
        "report-out-under-a-file",
        ("report", f"{IN}/prior_run", "--out", f"{IN}/a_file/report.html"),
        "--out",
        "a_file is a file, so nothing can be created under it",
    )
    add(
        "outputs",
        "report-out-unwritable",
        ("report", f"{IN}/prior_run", "--out", "/proc/report.html"),
        "--out /proc/report.html",
        "cannot write in /proc",
    )
    add(
        "outputs",
        "classify-out-xlsx",
        ("classify", str(AREAS_CSV), "--out", f"{IN}/lists.xlsx"),
        "--out",
        "lists.xlsx: got '.xlsx'",
        "expected a file name ending in .csv or .parquet",
    )
    add(
        "outputs",
        "classify-out-is-a-folder",
        ("classify", str(AREAS_CSV), "--out", f"{IN}/not_a_run"),
        "--out",
        "not_a_run: is a folder",
    )
    add(
        "outputs",
        "classify-out-under-a-file",
        ("classify", str(AREAS_CSV), "--out", f"{IN}/a_file/lists.csv"),
        "--out",
        "a_file is a file, so nothing can be created under it",
    )
    add(
        "outputs",
        "classify-out-unwritable",
        ("classify", str(AREAS_CSV), "--out", "/proc/lists.csv"),
        "--out /proc/lists.csv",
        "cannot write in /proc",
    )
    add(
        "outputs",
        "classify-out-is-the-input",
        ("classify", f"{IN}/areas_bad_cell.csv", "--out", f"{IN}/areas_bad_cell.csv"),
        "--out",
        "areas_bad_cell.csv: is the area file itself",
        "expected another file name",
    )

    # 4. numbers out of bounds, in the file and on the command line
    bounds = [
        (
            "arrivals_inf.toml",
            "referral_groups.homeless_single.arrivals_per_year",
            "got inf",
            "expected a finite number from 0 to 20,000 (households per year)",
        ),
        (
            "arrivals_huge.toml",
            "referral_groups.homeless_single.arrivals_per_year",
            "got 1000000000000.0",
            "from 0 to 20,000",
        ),
        (
            "arrivals_negative.toml",
            "referral_groups.homeless_single.arrivals_per_year",
            "got -1",
            "from 0 to 20,000",
        ),
        (
            "income_huge.toml",
            "municipality.regional_mean_income_kr",
            "got 1e+308",
            "from 10,000 to 10,000,000 (kr per year)",
        ),
        (
            "income_tiny.toml",
            "municipality.regional_mean_income_kr",
            "got 1",
            "from 10,000 to 10,000,000",
        ),
        (
            "conviction_tiny.toml",
            "municipality.national_conviction_share",
            "got 1e-300",
            "from 0.0001 to 0.2",
        ),
        (
            "share_nan.toml",
            "referral_groups.homeless_single.couple_share",
            "got nan",
            "a share from 0 to 1",
        ),
        (
            "share_67.toml",
            "agreement.flexible_letting_share",
            "got 67",
            "a share from 0 to 1 (a share is written 0–1: 25 % is 0.25)",
        ),
        (
            "children_negative.toml",
            "referral_groups.homeless_single.children_mean",
            "got -1",
            "from 0 to 10 (children per household)",
        ),
        (
            "children_by_rooms_inf.toml",
            "applicants.children_mean_by_rooms[2]",
            "got inf",
            "from 0 to 10",
        ),
        (
            "seasonality_nan.toml",
            "behaviour.move_out_seasonality[11]",
            "got nan",
            "above 0 and at most 12",
        ),
        ("years_101.toml", "horizon.years", "got 101", "from 1 to 100 (years)"),
        (
            "rent_huge.toml",
            "referral_groups.homeless_single.max_rent_kr",
            "got 1000000000.0",
            "above 0 and at most 100,000 (kr per month)",
        ),
        (
            "income_employed_inf.toml",
            "behaviour.income_employed_kr",
            "got inf",
            "above 0 and at most 10,000,000",
        ),
        (
            "doubling_zero.toml",
            "behaviour.mortality_doubling_years",
            "got 0",
            "from 1 to 100 (years)",
        ),
        (
            "strength_huge.toml",
            "behaviour.selective_move_out_strength",
            "got 1e+300",
            "from 0 to 100",
        ),
        (
            "minimum_residents_huge.toml",
            "legal.minimum_residents",
            "got 1000000000",
            "from 0 to 100,000",
        ),
        (
            "prior_years_huge.toml",
            "areas.nordparken.parallelsamfund_years_before_start",
            "got 1000",
            "from 0 to 100",
        ),
        (
            "planning_months_huge.toml",
            "optimiser.planning_months",
            "got 1000",
            "from 1 to 60 (months)",
        ),
        (
            "tier_ratio_huge.toml",
            "agreement.tiers[0].when.income_ratio_region_below",
            "got 1000000000.0",
            "from 0 to 10",
        ),
    ]
    bounds.append(("many_groups.toml", "referral_groups", "got 64 entries", "expected at most 50"))
    for file, key, value, expected in bounds:
        add(
            "bounds",
            f"validate-{file.removesuffix('.toml')}",
            ("validate", f"{IN}/{file}"),
            file,
            key,
            value,
            expected,
        )
    add(
        "bounds",
        "run-arrivals-inf",
        ("run", f"{IN}/arrivals_inf.toml", "--out", OUT),
        "arrivals_inf.toml",
        "arrivals_per_year",
        "got inf",
        "expected a finite number",
    )
    add(
        "bounds",
        "run-arrivals-1e12",
        ("run", f"{IN}/arrivals_huge.toml", "--out", OUT),
        "arrivals_huge.toml",
        "arrivals_per_year",
        "got 1000000000000.0",
        "20,000",
    )
    add(
        "bounds",
        "optimise-income-1e308",
        ("optimise", f"{IN}/income_huge.toml", "--out", OUT),
        "income_huge.toml",
        "regional_mean_income_kr",
        "1e+308",
        "10,000,000",
    )
    add(
        "bounds",
        "department-dwellings-1e12",
        ("validate", f"{IN}/scenario_huge_dwellings.toml"),
        "huge_dwellings.csv",
        "row 2, column 'dwellings_2_rooms'",
        "'1e12'",
        "at most 20,000 (dwellings)",
    )
    add(
        "bounds",
        "department-income-inf",
        ("validate", f"{IN}/scenario_income_inf.toml"),
        "income_inf.csv",
        "row 2, column 'mean_income_kr'",
        "'inf'",
        "a finite number",
    )
    cli_numbers = [
        (
            "run-years-100000",
            ("run", str(EXAMPLE), "--years", "100000", "--out", OUT),
            "argument --years",
            "'100000'",
            "expected a whole number from 1 to 100 (as horizon.years in a scenario file)",
        ),
        (
            "run-years-minus-1",
            ("run", str(EXAMPLE), "--years", "-1", "--out", OUT),
            "argument --years",
            "'-1'",
            "from 1 to 100",
        ),
        (
            "run-years-0",
            ("run", str(EXAMPLE), "--years", "0", "--out", OUT),
            "argument --years",
            "'0'",
            "from 1 to 100",
        ),
        (
            "run-years-fraction",
            ("run", str(EXAMPLE), "--years", "1.5", "--out", OUT),
            "argument --years",
            "'1.5'",
            "a whole number",
        ),
        (
            "compare-years-1000",
            ("compare", str(EXAMPLE), str(EXAMPLE), "--years", "1000", "--out", OUT),
            "argument --years",
            "'1000'",
            "from 1 to 100",
        ),
        (
            "sweep-years-1000",
            (
                "sweep",
                str(EXAMPLE),
                "--vary",
                "agreement.default_referral_share=0.3",
                "--years",
                "1000",
                "--out",
                OUT,
            ),
            "argument --years",
            "'1000'",
            "from 1 to 100",
        ),
        (
            "run-replications-0",
            ("run", str(EXAMPLE), "--replications", "0", "--out", OUT),
            "argument --replications",
            "'0'",
            "from 1 to 10,000",
        ),
        (
            "run-replications-1e6",
            ("run", str(EXAMPLE), "--replications", "1000000", "--out", OUT),
            "argument --replications",
            "'1000000'",
            "from 1 to 10,000",
        ),
        (
            "run-seed-negative",
            ("run", str(EXAMPLE), "--seed", "-1", "--out", OUT),
            "argument --seed",
            "'-1'",
            "from 0 to 4,294,967,295",
        ),
        (
            "run-seed-huge",
            ("run", str(EXAMPLE), "--seed", "99999999999999999999", "--out", OUT),
            "argument --seed",
            "'99999999999999999999'",
            "from 0 to 4,294,967,295",
        ),
        (
            "run-workers-0",
            ("run", str(EXAMPLE), "--workers", "0", "--out", OUT),
            "argument --workers",
            "'0'",
            "at least 1",
        ),
        (
            "run-batch-size-0",
            ("run", str(EXAMPLE), "--batch-size", "0", "--out", OUT),
            "argument --batch-size",
            "'0'",
            "at least 1",
        ),
        (
            "optimise-months-0",
            ("optimise", str(EXAMPLE), "--months", "0", "--out", OUT),
            "argument --months",
            "'0'",
            "from 1 to 60 (as optimiser.planning_months in a scenario file)",
        ),
        (
            "optimise-months-61",
            ("optimise", str(EXAMPLE), "--months", "61", "--out", OUT),
            "argument --months",
            "'61'",
            "from 1 to 60",
        ),
        (
            "profile-max-rent-nan",
            ("profile", str(EXAMPLE), "--max-rent", "nan"),
            "argument --max-rent",
            "'nan'",
            "a number above 0 and at most 100,000",
        ),
        (
            "profile-max-rent-inf",
            ("profile", str(EXAMPLE), "--max-rent", "inf"),
            "argument --max-rent",
            "'inf'",
            "above 0 and at most 100,000",
        ),
        (
            "profile-max-rent-negative",
            ("profile", str(EXAMPLE), "--max-rent", "-5"),
            "argument --max-rent",
            "'-5'",
            "above 0",
        ),
        (
            "profile-departments-negative",
            ("profile", str(EXAMPLE), "--departments", "-1"),
            "argument --departments",
            "'-1'",
            "from 0 to 100,000",
        ),
        (
            "sweep-samples-0",
            (
                "sweep",
                str(EXAMPLE),
                "--vary",
                "agreement.default_referral_share=0.1:0.5",
                "--design",
                "lhs",
                "--samples",
                "0",
                "--out",
                OUT,
            ),
            "argument --samples",
            "'0'",
            "from 1 to 10,000",
        ),
        (
            "sweep-too-many-points",
            (
                "sweep",
                str(EXAMPLE),
                "--vary",
                "agreement.default_referral_share=" + ",".join(f"{v / 1000:g}" for v in range(101)),
                "--vary",
                "agreement.flexible_letting_share=" + ",".join(f"{v / 1000:g}" for v in range(101)),
                "--out",
                OUT,
            ),
            "--vary gives 10,201 combinations",
            "expected at most 10,000 points",
        ),
        (
            "sweep-value-out-of-range",
            (
                "sweep",
                str(EXAMPLE),
                "--vary",
                "agreement.default_referral_share=0.3,2",
                "--out",
                OUT,
            ),
            "agreement.default_referral_share",
            "got 2",
            "a share from 0 to 1",
            "nothing was run",
        ),
        (
            "sweep-unknown-key",
            ("sweep", str(EXAMPLE), "--vary", "agreement.default_referal_share=0.3", "--out", OUT),
            "agreement.default_referal_share",
            "a key of the scenario schema",
        ),
        (
            "classify-minimum-residents-negative",
            ("classify", str(AREAS_CSV), "--minimum-residents", "-1"),
            "argument --minimum-residents",
            "'-1'",
            "from 0 to 100,000 (as legal.minimum_residents in a scenario file)",
        ),
        (
            "classify-transformation-years-0",
            ("classify", str(AREAS_CSV), "--transformation-years", "0"),
            "argument --transformation-years",
            "'0'",
            "from 1 to 100",
        ),
        (
            "classify-transformation-years-1000",
            ("classify", str(AREAS_CSV), "--transformation-years", "1000"),
            "argument --transformation-years",
            "'1000'",
            "from 1 to 100",
        ),
    ]
    for id_, argv, *says in cli_numbers:
        add("bounds", id_, argv, *says)

    # 5. CSV files that are not text, or not CSV
    add(
        "csv",
        "department-file-binary",
        ("validate", f"{IN}/scenario_binary.toml"),
        "binary.csv",
        "got binary data (a NUL byte at byte 9)",
        "expected a department CSV file as text",
    )
    add(
        "csv",
        "department-file-too-big",
        ("validate", f"{IN}/scenario_too_big.toml"),
        "too_big.csv",
        "got a file larger than 100 MiB",
        "expected a department CSV file of at most 100 MiB",
    )
    add(
        "csv",
        "department-file-empty",
        ("validate", f"{IN}/scenario_empty.toml"),
        "empty.csv",
        "expected a header row and at least one department",
    )
    add(
        "csv",
        "department-file-header-only",
        ("validate", f"{IN}/scenario_header_only.toml"),
        "header_only.csv",
        "expected at least one department row",
    )
    add(
        "csv",
        "department-file-stray-cr",
        ("validate", f"{IN}/scenario_stray_cr.toml"),
        "stray_cr.csv",
        "row 2: got 2 cells",
        "row 3: got 22 cells",
        "expected 23 cells, one per column of the header",
        longest=600,
    )
    add(
        "csv",
        "department-file-is-a-folder",
        ("validate", f"{IN}/scenario_folder.toml"),
        "scenario_folder.toml",
        "municipality.departments_file",
        "expected an existing department CSV file",
    )
    add(
        "csv",
        "department-file-missing",
        ("validate", f"{IN}/scenario_no_csv.toml"),
        "scenario_no_csv.toml",
        "municipality.departments_file",
        "nowhere.csv",
        "expected an existing department CSV file",
    )
    add(
        "csv",
        "area-file-binary",
        ("classify", f"{IN}/areas_binary.csv"),
        "areas_binary.csv",
        "got binary data",
        "expected an area CSV file as text",
    )
    add(
        "csv",
        "area-file-missing",
        ("classify", f"{IN}/nowhere.csv"),
        "nowhere.csv",
        "expected an existing area CSV file",
    )
    add(
        "csv",
        "area-file-empty",
        ("classify", f"{IN}/empty.csv"),
        "empty.csv",
        "expected a header row and at least one area row",
    )
    add(
        "csv",
        "area-bad-cell",
        ("classify", f"{IN}/areas_bad_cell.csv"),
        "areas_bad_cell.csv",
        "row 9, column 'residents'",
        "got 'many'",
        "expected a number",
    )
    add(
        "csv",
        "scenario-file-binary",
        ("validate", f"{IN}/binary.toml"),
        "binary.toml",
        "expected a UTF-8 text file",
    )

    # 6. messages never echo a file
    add(
        "excerpts",
        "departments-file-is-proc-self-environ",
        ("validate", f"{IN}/scenario_environ.toml"),
        "/environ: got binary data (a NUL byte",
        "expected a department CSV file as text",
        never=(SECRET, "PATH="),
    )
    add(
        "excerpts",
        "run-departments-file-is-proc-self-environ",
        ("run", f"{IN}/scenario_environ.toml", "--out", OUT),
        "/environ: got binary data (a NUL byte",
        never=(SECRET, "PATH="),
    )
    add(
        "excerpts",
        "long-secret-cell",
        ("validate", f"{IN}/scenario_secret_cell.toml"),
        "secret_cell.csv",
        "row 2, column 'households'",
        "characters)",
        "expected a number",
        longest=400,
    )
    add(
        "excerpts",
        "long-toml-string-with-escape",
        ("validate", f"{IN}/regime_escape.toml"),
        "regime_escape.toml",
        "legal.regime",
        "'\\x1b[31mredxxx",
        "characters)",
        "expected",
        never=("\x1b",),
        longest=400,
    )
    add(
        "excerpts",
        "binary-scenario-file",
        ("run", f"{IN}/binary.toml", "--out", OUT),
        "binary.toml",
        "expected a UTF-8 text file",
        never=("PNG",),
    )

    # 7. run folders and reports
    add(
        "runs",
        "report-of-a-damaged-run",
        ("report", f"{IN}/damaged_run", "--out", f"{IN}/r.html"),
        "damaged_run/run.json is damaged",
        "expected the run.json blandetby writes",
    )
    add(
        "runs",
        "report-of-a-folder-that-is-no-run",
        ("report", f"{IN}/not_a_run", "--out", f"{IN}/r.html"),
        "not_a_run",
        "is not a run folder",
    )
    add(
        "runs",
        "report-of-nothing",
        ("report", f"{IN}/nowhere", "--out", f"{IN}/r.html"),
        "nowhere does not exist",
    )
    add(
        "runs",
        "report-of-a-file",
        ("report", f"{IN}/sneaky.html", "--out", f"{IN}/r.html"),
        "sneaky.html",
    )

    # 8. what was already caught well stays caught
    add(
        "scenario",
        "missing-scenario",
        ("validate", f"{IN}/nowhere.toml"),
        "nowhere.toml",
        "expected an existing scenario file (.toml)",
    )
    add(
        "scenario",
        "toml-syntax",
        ("validate", f"{IN}/bad_toml.toml"),
        "bad_toml.toml",
        "expected valid TOML (Invalid value (at line 2, column 8))",
    )
    add(
        "scenario",
        "unknown-key",
        ("validate", f"{IN}/unknown_key.toml"),
        "unknown_key.toml",
        "agreement.default_referal_share",
        "got an unknown key",
        "did you mean 'default_referral_share'?",
    )
    add(
        "scenario",
        "number-as-text",
        ("validate", f"{IN}/text_number.toml"),
        "text_number.toml",
        "agreement.default_referral_share",
        "got '0.3'",
        "expected a valid number",
    )
    add(
        "scenario",
        "schema-version-2",
        ("validate", f"{IN}/version_2.toml"),
        "version_2.toml",
        "schema_version",
        "got 2",
        "expected 1 (the version this blandetby reads)",
    )
    add(
        "scenario",
        "extends-cycle",
        ("validate", f"{IN}/cycle_a.toml"),
        "cycle_a.toml",
        "extends",
        "expected no cycle of extends",
    )
    add(
        "scenario",
        "unknown-department-in-agreement",
        ("validate", f"{IN}/bad_departments_key.toml"),
        "bad_departments_key.toml",
        "agreement.referral_share_by_department.D9999",
        "got 0.5",
        "expected a department id of eksempelby_departments.csv",
    )
    add(
        "scenario",
        "department-negative",
        ("validate", f"{IN}/scenario_negative.toml"),
        "negative.csv",
        "row 6, column 'households'",
        "got '-3'",
        "expected a number ≥ 0",
    )
    add(
        "scenario",
        "department-duplicate-id",
        ("validate", f"{IN}/scenario_duplicate.toml"),
        "duplicate.csv",
        "row 3, column 'department'",
        "got 'D0002'",
        "expected a unique department id; it is already used in row 2",
    )
    add(
        "scenario",
        "department-unknown-area",
        ("validate", f"{IN}/scenario_unknown_area.toml"),
        "unknown_area.csv",
        "row 2, column 'area'",
        "got 'atlantis'",
        "expected an area id defined in the scenario's [areas]",
    )
    add(
        "scenario",
        "department-missing-column",
        ("validate", f"{IN}/scenario_missing_column.toml"),
        "missing_column.csv",
        "column 'residents_0_17'",
        "got missing",
        "expected the column 'residents_0_17' (or 'Beboere 0-17 år')",
    )
    add(
        "scenario",
        "compare-one-scenario",
        ("compare", str(EXAMPLE), "--out", OUT),
        "compare needs at least two scenario files",
    )
    add(
        "scenario",
        "unknown-command-option",
        ("run", str(EXAMPLE), "--yeras", "3"),
        "unrecognized arguments: --yeras 3",
    )
    return cases


CASES = _cases()


def _snapshot(folder: Path) -> dict[str, str]:
    """Every path below ``folder`` with a digest of its content (``dir`` for folders)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_dir():
            found[relative] = "dir"
        elif path.stat().st_size > 10_000_000:
            found[relative] = f"size {path.stat().st_size}"
        else:
            found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _refuse(
    case: Case,
    template: Path,
    inputs: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    before: dict[str, str] | None = None,
) -> tuple[object, str]:
    """Run ``case`` on a fresh copy of the inputs in ``inputs``: its exit code and standard error.

    ``before``, if given, is filled with the inputs' snapshot before the command runs.
    """
    shutil.copytree(template, inputs, ignore=shutil.ignore_patterns("too_big.csv"))
    _too_big(inputs)
    monkeypatch.chdir(inputs)  # default output folders (runs/…, comparisons/…) would land here
    argv = [argument.replace(IN, str(inputs)) for argument in case.argv]
    if before is not None:
        before.update(_snapshot(inputs))
    try:
        code: object = main(argv)
    except SystemExit as exit_:  # argparse
        code = exit_.code
    return code, capsys.readouterr().err


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_is_refused_clearly_and_nothing_is_written(
    case: Case,
    template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inputs = tmp_path / "in"
    before: dict[str, str] = {}
    code, message = _refuse(case, template, inputs, monkeypatch, capsys, before)
    assert code == 2, message
    assert "Traceback" not in message
    for piece in case.says:
        assert piece.replace(IN, str(inputs)) in message, f"{piece!r} not in\n{message}"
    for secret in case.never:
        assert secret not in message
    assert len(message) <= case.longest, message[:500]
    assert _snapshot(inputs) == before, "something was written"


def test_the_battery_covers_every_class() -> None:
    kinds = {case.kind for case in CASES}
    assert kinds == {"units", "exports", "outputs", "bounds", "csv", "excerpts", "runs", "scenario"}
    assert len({case.id for case in CASES}) == len(CASES) >= 100


def test_the_environment_is_not_printed(
    template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``departments_file = "/proc/self/environ"``: no value of this process's environment shows."""
    monkeypatch.setenv("BLANDETBY_TEST_SECRET", SECRET)
    assert main(["validate", str(template / "scenario_environ.toml")]) == 2
    message = capsys.readouterr().err
    assert SECRET not in message and os.environ["PATH"] not in message
    assert "binary data" in message


# -- the same battery in Danish -----------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_is_refused_in_danish_with_lang_da(
    case: Case,
    template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Every case of the battery with ``BLANDETBY_LANG=da``: the same refusal, in Danish."""
    monkeypatch.setenv("BLANDETBY_LANG", "da")
    code, message = _refuse(case, template, tmp_path / "in", monkeypatch, capsys)
    assert code == 2, message
    assert "Traceback" not in message
    assert english_words(message) == [], message
    assert "fejl" in message or "forventede" in message, message
