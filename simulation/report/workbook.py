"""The report's tables as one formatted Excel workbook (``blandetby report --xlsx``).

Sheets, in order (Danish names with ``language="da"``): the starting point (profile of the first
scenario: its areas, then its referral groups), the risk of each list by area and year, the
referral waits by group, the referral load per housing organisation, and the referral plan (if an
optimiser folder was given). Headers are bold and frozen, columns are as wide as their contents,
shares are formatted as per cent and counts with thousands separators; Excel shows them in the
reader's own locale, so one workbook serves Danish and English readers alike. Written with
openpyxl, atomically.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from simulation.base.atomic import atomic_path
from simulation.base.spreadsheet import read_spreadsheet_csv, rounded
from simulation.report.appendix import scenario_file
from simulation.report.data import ReportData, select_years
from simulation.report.i18n import Language, term

__all__ = ["SHEETS", "write_sheets", "write_workbook"]

SHEETS: dict[str, tuple[str, str]] = {
    "profile": ("Udgangspunkt", "Profile"),
    "risk": ("Risiko pr. område og år", "Risk by area and year"),
    "waits": ("Ventetid pr. målgruppe", "Waits by group"),
    "load": ("Belastning pr. organisation", "Load per organisation"),
    "plan": ("Anvisningsplan", "Plan"),
}
"""Each sheet's name in Danish and English (at most 31 characters, as Excel allows)."""

SHARE = "0.0%"
COUNT = "#,##0.0"
WHOLE = "#,##0"


def _words(danish: str, english: str, language: Language) -> str:
    return danish if language == "da" else english


def _profile_frames(data: ReportData, language: Language) -> list[tuple[str, pd.DataFrame]]:
    from simulation.inputs.scenario import load_scenario
    from simulation.report.profile import build_profile, in_language

    run = data.runs[0]
    path = scenario_file(run)
    if path is None:
        message = _words(
            f"Scenariefilen {run.scenario.get('file', '–')} findes ikke længere.",
            f"The scenario file {run.scenario.get('file', '–')} no longer exists.",
            language,
        )
        return [("", pd.DataFrame(columns=[message]))]
    try:
        loaded = load_scenario(path)
        profile = in_language(build_profile(loaded), loaded, language)
    except (ValueError, OSError) as error:
        return [("", pd.DataFrame(columns=[str(error).splitlines()[0]]))]
    areas = profile.areas[
        [
            "name",
            "departments",
            "residents",
            "outside_work_education_share",
            "conviction_ratio",
            "basic_education_share",
            "income_ratio_region",
            "nonwestern_share",
            "criteria_met",
            "lists",
        ]
    ].rename(
        columns={
            "name": term("area", language),
            "departments": term("departments", language),
            "residents": term("residents", language),
            "outside_work_education_share": term("outside_work_education", language),
            "conviction_ratio": term("conviction_ratio", language),
            "basic_education_share": term("basic_education", language),
            "income_ratio_region": term("income", language),
            "nonwestern_share": term("nonwestern", language),
            "criteria_met": term("criteria_met", language),
            "lists": term("lists", language),
        }
    )
    groups = profile.groups[
        [
            "name",
            "arrivals_per_year",
            "barred_share",
            "fitting_capacity_per_year",
            "fitting_capacity_outside_lists_per_year",
        ]
    ].rename(
        columns={
            "name": term("group", language),
            "arrivals_per_year": term("arrivals_per_year", language),
            "barred_share": term("barred_share", language),
            "fitting_capacity_per_year": term("fitting_capacity", language),
            "fitting_capacity_outside_lists_per_year": term("of_which_outside_lists", language),
        }
    )
    return [(run.name, areas), ("", groups)]


def _risk_frame(data: ReportData, language: Language) -> pd.DataFrame:
    rows = []
    for run in data.runs:
        risks = data.risks[run.label]
        if risks.empty:
            continue
        years = select_years(run.first_year, run.last_year, run.last_year - run.first_year + 1)
        pivot = risks.pivot_table(
            index=["area", "area_name", "list"], columns="year", values="probability"
        ).reindex(columns=years)
        facts = {
            (str(record["area"]), str(record["list"])): record
            for record in risks.drop_duplicates(["area", "list"]).to_dict("records")
        }
        for key, values in pivot.iterrows():
            area, area_name, list_name = (str(part) for part in key)  # type: ignore[attr-defined]
            fact = facts[(area, list_name)]
            status = str(fact["start_status"])
            row: dict[str, object] = {
                term("scenario", language): run.name,
                term("area", language): area_name,
                _words("Starter som", "Starts as", language): term(status, language)
                if status
                else term("no_list", language),
                term("list", language): term(str(list_name), language),
                _words("Risiko (alvorligere liste)", "Risk (graver list)", language): term(
                    "yes" if bool(fact["risk"]) else "no", language
                ),
            }
            for year in years:
                row[str(year)] = float(values[year])
            row[
                _words(
                    f"I perioden {run.first_year + 1}–{run.last_year}",
                    f"In the period {run.first_year + 1}–{run.last_year}",
                    language,
                )
            ] = float(fact["period_probability"])
            rows.append(row)
    return pd.DataFrame(rows)


def _waits_frame(data: ReportData, language: Language) -> pd.DataFrame:
    names = {run.label: run.name for run in data.runs}
    frame = data.waits
    out = pd.DataFrame(
        {
            term("group", language): [
                term("all_groups", language) if group == "" else name
                for group, name in zip(frame["group"], frame["group_name"], strict=True)
            ],
            term("scenario", language): frame["scenario"].map(names),
        }
    )
    for column, danish, english in (
        ("housed_per_year", "Boligplaceret pr. år", "Housed per year"),
        ("median", "Ventetid, median (mdr.)", "Wait, median (months)"),
        ("p90", "Ventetid, 90 %-fraktil (mdr.)", "Wait, 90th percentile (months)"),
        ("housed_6m", "Bolig inden for 6 mdr.", "Housed within 6 months"),
        ("waiting_end", "Venter ved slut (husstande)", "Waiting at the end (households)"),
    ):
        label = _words(danish, english, language)
        out[label] = frame[f"{column}_mean"].to_numpy()
        out[f"{label} {_words('fra', 'low', language)}"] = frame[f"{column}_low"].clip(lower=0.0)
        high = frame[f"{column}_high"]
        out[f"{label} {_words('til', 'high', language)}"] = (
            high.clip(upper=1.0) if column == "housed_6m" else high
        )
    return out


def _load_frame(data: ReportData, language: Language) -> pd.DataFrame:
    names = {run.label: run.name for run in data.runs}
    frame = data.loads
    out = pd.DataFrame(
        {
            term("organisation", language): frame["organisation"],
            term("scenario", language): frame["scenario"].map(names),
            term("dwellings", language): frame["dwellings"],
        }
    )
    for column, danish, english in (
        ("per_year", "Anvisninger pr. år", "Referrals per year"),
        ("per_100", "Anvisninger pr. 100 boliger pr. år", "Referrals per 100 dwellings per year"),
    ):
        label = _words(danish, english, language)
        out[label] = frame[f"{column}_mean"].to_numpy()
        out[f"{label} {_words('fra', 'low', language)}"] = frame[f"{column}_low"].clip(lower=0.0)
        high = frame[f"{column}_high"]
        out[f"{label} {_words('til', 'high', language)}"] = (
            high.clip(upper=1.0) if column == "housed_6m" else high
        )
    return out


def _plan_frame(plan_dir: Path | None, data: ReportData, language: Language) -> pd.DataFrame:
    if plan_dir is None:
        message = _words(
            "Ingen anvisningsplan givet (--plan).", "No referral plan given (--plan).", language
        )
        return pd.DataFrame(columns=[message])
    plan = read_spreadsheet_csv(plan_dir / "plan.csv")
    groups: dict[str, str] = {}
    for run in data.runs:
        groups = run.group_names | groups
    department_names: dict[str, str] = {}
    path = scenario_file(data.runs[0])
    if path is not None:
        from simulation.inputs.scenario import load_scenario

        try:
            departments = load_scenario(path).departments
            department_names = dict(
                zip(departments["department"], departments["name"].astype(str), strict=True)
            )
        except (ValueError, OSError):
            department_names = {}

    def group_name(key: str) -> str:
        base, _, barred = str(key).partition(":")
        name = groups.get(base, base)
        return f"{name} ({term('barred_suffix', language)})" if barred else name

    return pd.DataFrame(
        {
            term("department", language): plan["department"].astype(str),
            term("name", language): plan["department"].astype(str).map(department_names),
            term("group", language): plan["group"].map(group_name),
            _words("Anvisninger i perioden", "Referrals in the period", language): plan[
                "referrals"
            ],
            _words("Plads (passende boliger)", "Room (fitting dwellings)", language): plan[
                "capacity"
            ],
        }
    )


def _number_format(header: str, values: pd.Series) -> str | None:
    if not pd.api.types.is_float_dtype(values):
        return WHOLE if pd.api.types.is_integer_dtype(values) else None
    finite = values.dropna()
    lowered = header.lower()
    shares = (
        "andel" in lowered
        or "share" in lowered
        or "6 mdr" in lowered
        or "6 months" in lowered
        or "periode" in lowered
        or lowered[:4].isdigit()
        or "uden for" in lowered
        or "outside" in lowered
        or "grundskole" in lowered
        or "basic" in lowered
        or "ikke-vestlige" in lowered
        or "non-western" in lowered
    )
    if shares and (finite.empty or (finite.min() >= 0 and finite.max() <= 1)):
        return SHARE
    return COUNT


def _write_sheet(sheet: object, blocks: Sequence[tuple[str, pd.DataFrame]]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    assert isinstance(sheet, Worksheet)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E8F1FA")
    widths: dict[int, int] = {}
    row_index = 1
    first_header: int | None = None
    for title, shown in blocks:
        frame = rounded(shown)
        if title:
            sheet.cell(row=row_index, column=1, value=title).font = Font(bold=True, size=12)
            row_index += 1
        for column_index, header in enumerate(frame.columns, start=1):
            cell = sheet.cell(row=row_index, column=column_index, value=str(header))
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[column_index] = max(widths.get(column_index, 8), min(len(str(header)), 28))
        if first_header is None:
            first_header = row_index
        formats = [_number_format(str(header), frame[header]) for header in frame.columns]
        for values in frame.itertuples(index=False):
            row_index += 1
            for column_index, value in enumerate(values, start=1):
                if (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
                    value = None
                cell = sheet.cell(row=row_index, column=column_index, value=value)
                number_format = formats[column_index - 1]
                if number_format is not None and value is not None:
                    cell.number_format = number_format
                widths[column_index] = max(widths.get(column_index, 8), min(len(str(value)), 40))
        row_index += 2
    for column_index, width in widths.items():
        sheet.column_dimensions[get_column_letter(column_index)].width = width + 2
    if first_header is not None:
        sheet.freeze_panes = sheet.cell(row=first_header + 1, column=2)


def write_workbook(
    data: ReportData,
    target: str | Path,
    *,
    language: Language = "en",
    plan_dir: Path | None = None,
) -> Path:
    """Write the report's tables as one formatted workbook (atomically).

    Parameters
    ----------
    data
        The runs of the report.
    target
        The ``.xlsx`` file.
    language
        ``"da"`` or ``"en"``: sheet names, headers and names.
    plan_dir
        The optimiser's folder, if any (else the plan sheet says none was given).
    """
    data = data.localised(language)
    contents: dict[str, list[tuple[str, pd.DataFrame]]] = {
        "profile": _profile_frames(data, language),
        "risk": [("", _risk_frame(data, language))],
        "waits": [("", _waits_frame(data, language))],
        "load": [("", _load_frame(data, language))],
        "plan": [("", _plan_frame(plan_dir, data, language))],
    }
    sheets = {SHEETS[key][0 if language == "da" else 1]: blocks for key, blocks in contents.items()}
    return write_sheets(sheets, target)


def write_sheets(
    sheets: Mapping[str, Sequence[tuple[str, pd.DataFrame]]], target: str | Path
) -> Path:
    """Write formatted sheets (name → titled tables, one below the other) as a workbook."""
    from openpyxl import Workbook

    target = Path(target)
    book = Workbook()
    default = book.active
    if default is not None:
        book.remove(default)
    for name, blocks in sheets.items():
        _write_sheet(book.create_sheet(name[:31]), blocks)
    with atomic_path(target) as temporary:
        book.save(temporary)
    return target
