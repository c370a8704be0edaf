"""The data dictionary of a run folder: a Frictionless ``datapackage.json`` and CSV copies.

Every run folder gets a ``datapackage.json`` (`Frictionless Data Package
<https://specs.frictionlessdata.io/data-package/>`_) that names each table, its files, and every
column with its type, unit and meaning, so that a researcher opening the folder in R, Python or a
spreadsheet does not need this code's docstrings. ``blandetby run --csv`` also writes each table
as one CSV file beside its Parquet parts (in the Danish Excel dialect with ``--lang da``).

Examples
--------
>>> COLUMNS["area_year"]["udsat"].unit
'yes/no'
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.base.atomic import atomic_write_text
from simulation.base.spreadsheet import CsvDialect, spreadsheet_csv
from simulation.experiments.results import (
    TABLES,
    IncompleteRunWarning,
    finished_replications,
    part_name,
    read_run,
    read_run_info,
)

__all__ = ["COLUMNS", "Column", "write_data_dictionary", "write_run_csv"]


@dataclass(frozen=True)
class Column:
    """One column of a run table: its Frictionless type, unit and meaning."""

    type: str
    unit: str
    description: str


_RUN = {
    "run_id": Column("string", "", "the run's id (changes with inputs, seed, horizon, version)"),
    "entropy": Column("integer", "", "the seed of the run (numpy SeedSequence entropy)"),
    "replication": Column("integer", "", "the replication's index (0, 1, …)"),
}
_CRITERIA = {
    "outside_work_education_share": Column(
        "number", "share 0–1", "adults 18–64 outside work or education (2-year mean in area_year)"
    ),
    "basic_education_share": Column(
        "number", "share 0–1", "residents 30–59 with basic school only"
    ),
    "income_ratio_region": Column(
        "number", "ratio", "mean income of 15–64-year-olds as a multiple of the region's"
    ),
    "conviction_ratio": Column(
        "number", "ratio", "convicted residents 18+ as a multiple of the national share"
    ),
    "nonwestern_share": Column(
        "number", "share 0–1", "immigrants and descendants from non-western countries"
    ),
}
_YEAR = Column(
    "integer",
    "year",
    "calendar year; stocks as of 1 December; the row of the year before the start is the "
    "department data itself (day 0), with no flows",
)

COLUMNS: dict[str, dict[str, Column]] = {
    "department_year": {
        **_RUN,
        "year": _YEAR,
        "department": Column("string", "", "department (afdeling) id of the department data"),
        "area": Column(
            "string", "", "area (boligområde) id; empty: the department is its own area"
        ),
        "organisation": Column("string", "", "housing organisation (boligorganisation)"),
        "dwellings": Column("integer", "dwellings", "family dwellings"),
        "households": Column("integer", "households", "households living there"),
        "residents": Column("integer", "persons", "residents"),
        "adults_18_64": Column("integer", "persons", "residents aged 18–64"),
        **_CRITERIA,
        "move_outs": Column("integer", "households per year", "households that moved out"),
        "lettings_referral": Column("integer", "lettings per year", "by municipal referral (§ 59)"),
        "lettings_flexible": Column("integer", "lettings per year", "by flexible criteria (§ 60)"),
        "lettings_internal": Column("integer", "lettings per year", "from the internal list"),
        "lettings_external": Column("integer", "lettings per year", "from the external list"),
        "refusals": Column(
            "integer", "applicants per year", "applicants refused (§ 51 b combined letting, § 51 c)"
        ),
        "vacant_months_department": Column(
            "integer", "dwelling-months per year", "empty months the department pays for"
        ),
        "vacant_months_municipality": Column(
            "integer",
            "dwelling-months per year",
            "empty months the municipality pays for (referral dwellings, dwellings held)",
        ),
        "vacant_rent_department_kr": Column(
            "number", "kr per year", "rent of the empty months the department pays for"
        ),
        "vacant_rent_municipality_kr": Column(
            "number", "kr per year", "rent of the empty months the municipality pays (tomgangsleje)"
        ),
        "new_adults_18_64": Column("integer", "persons per year", "adults 18–64 who moved in"),
        "new_adults_in_work_or_education": Column(
            "integer", "persons per year", "of them, in work or education"
        ),
        "rehoused_in": Column(
            "integer", "households per year", "households rehoused here from development plans"
        ),
        "tier": Column("string", "", "the agreement's tier in force that year (empty on day 0)"),
        "referral_share_agreed": Column(
            "number", "share 0–1", "share of vacancies the municipality may claim that year"
        ),
        "tier_data_year": Column(
            "integer", "year", "the year whose figures placed the department on its tier"
        ),
    },
    "area_year": {
        **_RUN,
        "year": _YEAR,
        "data_year": Column(
            "integer", "year", "the year whose figures the lists compare (the data lag)"
        ),
        "area": Column("string", "", "area (boligområde) id"),
        "area_name": Column(
            "string",
            "",
            "the area's name (for a department outside any area, the department's name, else its code)",
        ),
        "residents": Column("integer", "persons", "residents on 1 December"),
        **_CRITERIA,
        "criteria_met": Column("integer", "criteria", "udsat criteria met (of 4)"),
        "prevention_criteria_met": Column("integer", "criteria", "forebyggelse criteria met"),
        "udsat": Column("boolean", "yes/no", "on the udsat list (incl. parallelsamfund), § 61 a"),
        "parallelsamfund": Column("boolean", "yes/no", "on the parallelsamfund list, § 61 a"),
        "omdannelsesomraade": Column("boolean", "yes/no", "an omdannelsesområde, § 61 a stk. 5"),
        "forebyggelsesomraade": Column("boolean", "yes/no", "a forebyggelsesområde, § 61 b"),
        "parallelsamfund_years": Column(
            "integer", "years", "consecutive years on the parallelsamfund list"
        ),
        "family_dwellings": Column("integer", "dwellings", "family dwellings left in the area"),
        "family_dwellings_share": Column(
            "number", "share 0–1", "family dwellings' share under a development plan (NaN: none)"
        ),
        "rehoused_out": Column(
            "integer", "households per year", "households rehoused out by a development plan"
        ),
        "left_with_sale": Column(
            "integer", "households per year", "households that left with a sale of dwellings"
        ),
    },
    "referrals": {
        **_RUN,
        "referral_id": Column("integer", "", "the referral household's id within its replication"),
        "group": Column("string", "", "referral group id (names in run.json, referral_groups)"),
        "arrival_month": Column(
            "integer", "month", "month the household joined the queue (0 = first January)"
        ),
        "housed_month": Column("integer", "month", "month it was housed (empty: not housed)"),
        "department": Column(
            "string",
            "",
            "department of the referral letting (empty: not housed); a household whose let "
            "dwelling a development plan took before it moved in is rehoused elsewhere and keeps "
            "this department",
        ),
        "wait_months": Column("integer", "months", "months from arrival to a home (empty: none)"),
        "left_month": Column("integer", "month", "month it found housing elsewhere (empty: none)"),
        "outcome": Column(
            "string",
            "",
            "housed, evicted (housed, then the tenancy failed), left (housing elsewhere) or waiting",
        ),
        "queue_months": Column(
            "integer", "months", "months in the queue until housed, leaving or the end (censored)"
        ),
        "evicted_month": Column("integer", "month", "month the tenancy failed (empty: none)"),
        "previous_referral_id": Column(
            "integer", "", "the spell before this one, for a household back after an eviction"
        ),
        "barred_from_listed_areas": Column(
            "boolean", "yes/no", "may not be referred to listed areas (§ 59, stk. 6–7)"
        ),
    },
    "monthly": {
        **_RUN,
        "month": Column("integer", "month", "month since the first simulated January (0)"),
        "year": Column("integer", "year", "calendar year of the month"),
        "households": Column("integer", "households", "households living in the dwellings"),
        "vacancies": Column("integer", "dwellings", "dwellings vacant during the month"),
        "referral_queue": Column("integer", "households", "households waiting for a referral"),
        "rehousing_queue": Column(
            "integer", "households", "households waiting to be rehoused (development plans)"
        ),
    },
    "plan_adherence": {
        **_RUN,
        "window_start_month": Column("integer", "month", "first month of the plan window"),
        "window_months": Column("integer", "months", "length of the plan window"),
        "department": Column("string", "", "department id"),
        "group": Column("string", "", "plan group (<group>, <group>:barred_udsat, …)"),
        "planned": Column("number", "households", "referrals the plan wanted"),
        "realised": Column("integer", "households", "referrals made"),
        "unrealised": Column("number", "households", "referrals planned but not made"),
        "claims": Column("integer", "claims", "the department's claims in the window"),
        "claims_lapsed": Column("integer", "claims", "of them, let go"),
        "reason": Column("string", "", "why a quota was not met (the commonest lapse reason)"),
    },
    "lapsed_claims": {
        **_RUN,
        "month": Column("integer", "month", "month since the first simulated January (0)"),
        "department": Column("string", "", "department id"),
        "reason": Column("string", "", "why the claims were let go"),
        "claims": Column("integer", "claims", "claims let go"),
    },
}
"""Per table, every column: Frictionless type, unit and meaning. ``monthly`` also has one
``queue_<group>`` column per referral group (households of that group waiting)."""

_KEYS = {
    "department_year": ["replication", "year", "department"],
    "area_year": ["replication", "year", "area"],
    "referrals": ["replication", "referral_id"],
    "monthly": ["replication", "month"],
    "plan_adherence": ["replication", "window_start_month", "department", "group"],
    "lapsed_claims": ["replication", "month", "department", "reason"],
}


def _field(name: str, column: Column) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": column.type, "description": column.description}
    if column.unit:
        field["unit"] = column.unit
    return field


def _fields(table: str, names: list[str]) -> list[dict[str, Any]]:
    known = COLUMNS.get(table, {})
    fields = []
    for name in names:
        if name in known:
            fields.append(_field(name, known[name]))
        elif table == "monthly" and name.startswith("queue_"):
            group = name.removeprefix("queue_")
            fields.append(
                _field(
                    name, Column("integer", "households", f"households of group {group} waiting")
                )
            )
        else:
            fields.append({"name": name, "type": "any", "description": "(not documented)"})
    return fields


def _columns_of(run_dir: Path, table: str, replications: list[int]) -> list[str]:
    for replication in replications:
        part = run_dir / f"{table}.parquet" / part_name(replication)
        if part.is_file():
            import pyarrow.parquet as pq

            return list(pq.read_schema(part).names)
    return list(COLUMNS.get(table, {}))


def write_data_dictionary(run_dir: str | Path, *, csv_dialect: CsvDialect | None = None) -> Path:
    """Write ``datapackage.json`` into a run folder (atomically) and return its path.

    Parameters
    ----------
    run_dir
        A run folder (``run.json`` present).
    csv_dialect
        If the tables were also written as CSV (:func:`write_run_csv`), their dialect; the CSV
        files are then listed as resources too.
    """
    run_dir = Path(run_dir)
    info = read_run_info(run_dir)
    done = finished_replications(run_dir)
    resources: list[dict[str, Any]] = []
    for table in TABLES:
        fields = _fields(table, _columns_of(run_dir, table, done))
        schema: dict[str, Any] = {"fields": fields}
        if table in _KEYS:
            schema["primaryKey"] = _KEYS[table]
        resources.append(
            {
                "name": table,
                "path": [f"{table}.parquet/{part_name(r)}" for r in done],
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
                "schema": schema,
            }
        )
        if csv_dialect is not None and (run_dir / f"{table}.csv").is_file():
            dialect = (
                {"delimiter": ";", "decimalChar": ",", "header": True}
                if csv_dialect == "da"
                else {"delimiter": ",", "header": True}
            )
            resources.append(
                {
                    "name": f"{table}_csv",
                    "path": f"{table}.csv",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8-sig" if csv_dialect == "da" else "utf-8",
                    "dialect": dialect,
                    "schema": schema,
                }
            )
    scenario = info.get("scenario", {})
    package = {
        "profile": "data-package",
        "name": f"blandetby-run-{info.get('run_id', 'unknown')}",
        "title": f"Blandet By run of {scenario.get('name', '?')}",
        "description": (
            "Tidy tables of a Blandet By run: one row per replication × year × department or "
            "area, per referral household, or per month. Shares are 0–1 (not per cent); ratios "
            "are multiples of the region's or the nation's value; months count from the first "
            "simulated January (0). What was run is in run.json."
        ),
        "version": str(info.get("package_version", "")),
        "created": str(info.get("created", "")),
        "resources": resources,
    }
    target = run_dir / "datapackage.json"
    atomic_write_text(target, json.dumps(package, indent=2, ensure_ascii=False) + "\n")
    return target


def write_run_csv(run_dir: str | Path, dialect: CsvDialect = "en") -> list[Path]:
    """Write each table of a run folder as one CSV file beside its Parquet parts.

    Values are rounded to 4 significant digits of their column and, with ``dialect="da"``,
    written with semicolons, decimal commas and a byte-order mark (Danish Excel); the Parquet
    parts keep full precision. Returns the files written.
    """
    run_dir = Path(run_dir)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IncompleteRunWarning)
        tables = read_run(run_dir)
    written = []
    for name, frame in tables.items():
        target = run_dir / f"{name}.csv"
        atomic_write_text(target, spreadsheet_csv(_plain(frame), dialect))
        written.append(target)
    write_data_dictionary(run_dir, csv_dialect=dialect)
    return written


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categories as text and nullable integers as objects, so that CSV writes them plainly."""
    plain = frame.copy()
    for column in plain.columns:
        if isinstance(plain[column].dtype, pd.CategoricalDtype):
            plain[column] = plain[column].astype(str)
    return plain
