"""Follow-up (opfølgning): a year's actual department figures held against the run's projection.

BL's templates for stepped agreements come with yearly follow-up indicators and a traffic-light
table per department. ``blandetby followup RUN_DIR ACTUAL.csv`` does the same from a run folder:
it reads the year's department figures (the scenario's own department CSV format, e.g. the next
Beboerdata export), computes what the law and the agreement make of them (each department's
criteria, its tier under the agreement and its area's lists, as :func:`build_profile` does for the
starting point), and sets each criterion beside the projection for that year: the run's median
and its band over replications (the 10th to the 90th percentile; the outermost replications when
there are fewer than ten).

The traffic light of a department is the worst of its four criteria: **red** when a criterion is
beyond its udsat threshold, **yellow** when it is within the warning margin of it
(:data:`WARNING_MARGINS`), **green** otherwise. Whether the actual figure lies **below**,
**within** or **above** the projected band says whether the agreement works out as projected.

Examples
--------
>>> light_of([0.1, 0.2, -0.01, 0.3], [0.05, 0.05, 0.05, 0.5])
'red'
>>> light_of([0.03, 0.2, 0.2, 1.0], [0.05, 0.05, 0.05, 0.5])
'yellow'
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation.base.atomic import atomic_write_text
from simulation.base.errors import Problem, ScenarioError, Words
from simulation.base.spreadsheet import CsvDialect, spreadsheet_csv
from simulation.experiments.results import IncompleteRunWarning, read_run, read_run_info
from simulation.inputs.departments import read_departments
from simulation.inputs.scenario import LoadedScenario, load_scenario
from simulation.report.i18n import Language, has_term, number, percent, term
from simulation.report.profile import build_profile

__all__ = [
    "CRITERIA",
    "WARNING_MARGINS",
    "FollowUp",
    "FollowUpError",
    "follow_up",
    "light_of",
    "render_follow_up",
    "write_follow_up",
    "write_follow_up_workbook",
]

CRITERIA: dict[str, str] = {
    "outside_work_education_share": "outside_margin",
    "conviction_ratio": "conviction_margin",
    "basic_education_share": "basic_margin",
    "income_ratio_region": "income_margin",
}
"""The four criteria of a department (``department_year`` columns) and their profile margins."""

WARNING_MARGINS: dict[str, float] = {
    "outside_work_education_share": 0.05,
    "conviction_ratio": 0.5,
    "basic_education_share": 0.05,
    "income_ratio_region": 0.05,
}
"""How close to its threshold a criterion turns the light yellow: 5 percentage points for the
shares and the income ratio, half the national conviction rate for the conviction ratio."""


POSITION_TOLERANCE: dict[str, float] = {
    "outside_work_education_share": 0.005,
    "conviction_ratio": 0.05,
    "basic_education_share": 0.005,
    "income_ratio_region": 0.005,
}
"""How far outside the band a figure may lie and still count as within it: half a percentage
point (a few households in a small department), 0.05 for the conviction ratio."""


PERSONS_BEHIND = {
    "outside_work_education_share": "residents_18_64",
    "basic_education_share": "residents_30_59",
}
"""The department CSV's count each share is of: a share of a small department moves in steps of
one person, so half a person is also within the band."""


class FollowUpError(ValueError):
    """The run folder or the year cannot be followed up (the message says which and why).

    Raised with a :class:`~simulation.base.errors.Words` message, so that it says itself in Danish.
    """


@dataclass(frozen=True)
class FollowUp:
    """A year's follow-up of a run.

    Attributes
    ----------
    scenario_name
        The run's scenario.
    year
        The calendar year the actual figures describe (as of 1 December).
    replications
        Replications the projection rests on.
    departments
        One row per department: ``department``, ``name``, ``organisation``, ``area``,
        ``area_name``, ``tier`` (the agreement's tier the actual figures put it on),
        ``light`` (``green``, ``yellow``, ``red``), and per criterion ``<criterion>``
        (actual), ``<criterion>_projected`` (median), ``_low``, ``_high`` (band) and
        ``_position`` (``below``, ``within``, ``above``) and ``_light`` (the criterion's own
        light).
    areas
        One row per area: ``area``, ``area_name``, ``lists`` (the lists the actual figures put
        it on), per criterion ``<criterion>`` (the area's value by the actual figures, one year's
        data), ``<criterion>_projected``, ``_low`` and ``_high`` (the run's median and band of
        the value the law publishes that year), and ``projected_<list>`` (the share of
        replications with the area on that list in the year).
    danish_tiers
        The scenario's Danish names of its tiers (``[danish] tiers``), for Danish output.
    """

    scenario_name: str
    year: int
    replications: int
    departments: pd.DataFrame
    areas: pd.DataFrame
    danish_tiers: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def tier_name(self, tier: str, language: Language) -> str:
        """A tier's name in ``language`` ("–" for none)."""
        if not tier:
            return "–"
        return self.danish_tiers.get(tier, tier) if language == "da" else tier


def light_of(margins: Sequence[float], warnings_at: Sequence[float]) -> str:
    """The traffic light of a department from its criteria's margins to their thresholds.

    A negative margin is beyond the threshold (red); a margin below its warning distance is
    yellow; otherwise green. NaN margins (a criterion not published) are ignored.
    """
    light = "green"
    for margin, warning in zip(margins, warnings_at, strict=True):
        if math.isnan(margin):
            continue
        if margin < 0:
            return "red"
        if margin < warning:
            light = "yellow"
    return light


def _scenario(run_dir: Path) -> LoadedScenario:
    """The scenario the run was made from, loaded from its file (as recorded in ``run.json``)."""
    info = read_run_info(run_dir)
    scenario = info.get("scenario", {})
    recorded = Path(str(scenario.get("file", ""))) if isinstance(scenario, dict) else Path()
    candidates = [recorded, *(parent / recorded for parent in run_dir.resolve().parents)]
    path = next((candidate for candidate in candidates if candidate.is_file()), None)
    if path is None:
        raise FollowUpError(
            Words(
                f"{run_dir / 'run.json'}: scenario.file: {recorded} cannot be found; expected the "
                "scenario file the run was made from (run the command from the folder the run "
                "was made in)",
                f"{run_dir / 'run.json'}: scenario.file: {recorded} kan ikke findes; forventede "
                "den scenariefil, kørslen er lavet ud fra (kør kommandoen fra den mappe, kørslen "
                "blev lavet i)",
            )
        )
    return load_scenario(path)


def _band(values: Any) -> pd.DataFrame:
    """Median and band (10th to 90th percentile, outermost replications when fewer than 10)."""
    return pd.DataFrame(
        {
            "projected": values.median(),
            "low": values.quantile(0.1, interpolation="lower"),
            "high": values.quantile(0.9, interpolation="higher"),
        }
    )


def follow_up(run_dir: str | Path, actual: str | Path, *, year: int | None = None) -> FollowUp:
    """Hold a year's actual department figures against a run's projection.

    Parameters
    ----------
    run_dir
        A run folder (``blandetby run``, or one under a comparison's ``runs/``).
    actual
        The year's department figures, in the scenario's department CSV format.
    year
        The calendar year they describe (default: the first simulated year).

    Raises
    ------
    FollowUpError
        If the folder is no run folder, its scenario file is gone, or the year was not simulated.
    ScenarioError
        If the CSV is not a valid department file, or its departments are not the scenario's
        (file, row, column, value and what was expected).
    """
    run_dir = Path(run_dir)
    if not (run_dir / "run.json").is_file():
        raise FollowUpError(
            Words(
                f"{run_dir} is not a run folder: it has no run.json",
                f"{run_dir} er ikke en kørselsmappe: den har ingen run.json",
            )
        )
    loaded = _scenario(run_dir)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IncompleteRunWarning)
        tables = read_run(run_dir, ("department_year", "area_year"))
    department_year, area_year = tables["department_year"], tables["area_year"]
    if department_year.empty:
        raise FollowUpError(
            Words(
                f"{run_dir} has no finished replication yet",
                f"{run_dir} har endnu ingen færdig gentagelse",
            )
        )
    first, last = int(department_year["year"].min()), int(department_year["year"].max())
    year = first + 1 if year is None else year
    if not first < year <= last:
        raise FollowUpError(
            Words(
                f"--year: got {year}; expected a simulated year of {run_dir}, {first + 1} to "
                f"{last}",
                f"--year: fik {year}; forventede et simuleret år i {run_dir}, {first + 1} til "
                f"{last}",
            )
        )
    frame = read_departments(
        actual,
        areas=loaded.scenario.areas.keys(),
        percent_columns=loaded.scenario.municipality.percent_columns,
    )
    expected = set(loaded.departments["department"])
    found = set(frame["department"])
    problems = []
    if expected - found:
        missing = ", ".join(sorted(expected - found)[:8])
        problems.append(
            Problem(
                str(actual),
                "department",
                Words(f"missing {missing}", f"mangler {missing}"),
                Words(
                    "every department of the scenario the run was made from",
                    "hver afdeling i det scenarie, kørslen er lavet ud fra",
                ),
            )
        )
    if found - expected:
        extra = ", ".join(sorted(found - expected)[:8])
        problems.append(
            Problem(
                str(actual),
                "department",
                extra,
                Words(
                    f"only the departments of {loaded.scenario.name} (the run's scenario)",
                    f"kun afdelingerne i {loaded.scenario.name} (kørslens scenarie)",
                ),
            )
        )
    if problems:
        raise ScenarioError(problems)
    profile = build_profile(dataclasses.replace(loaded, departments=frame))
    departments = profile.departments.set_index("department")
    projected_rows = department_year[department_year["year"] == year]
    replications = int(projected_rows["replication"].nunique())
    rows = departments[["name", "organisation", "area", "tier"]].copy()
    area_names = dict(zip(profile.areas["area"], profile.areas["name"], strict=True))
    rows["area_name"] = rows["area"].map(area_names).fillna(rows["area"])
    margins = departments[list(CRITERIA.values())].to_numpy(np.float64)
    rows["light"] = [light_of(list(margin), list(WARNING_MARGINS.values())) for margin in margins]
    for criterion, margin in CRITERIA.items():  # each criterion's own light (BL's table)
        rows[f"{criterion}_light"] = [
            light_of([value], [WARNING_MARGINS[criterion]])
            for value in departments[margin].astype(np.float64)
        ]
    for criterion in CRITERIA:
        band = _band(projected_rows.groupby("department")[criterion]).reindex(rows.index)
        value = departments[criterion].astype(np.float64)
        rows[criterion] = value
        rows[f"{criterion}_projected"] = band["projected"]
        rows[f"{criterion}_low"] = band["low"]
        rows[f"{criterion}_high"] = band["high"]
        tolerance = pd.Series(POSITION_TOLERANCE[criterion], index=rows.index)
        persons = PERSONS_BEHIND.get(criterion)
        if persons is not None:  # half a person of the department's count, if that is more
            counts = frame.set_index("department")[persons].reindex(rows.index).astype(float)
            tolerance = tolerance.combine(0.5 / counts.clip(lower=1.0), max)
        rows[f"{criterion}_position"] = np.select(
            [value < band["low"] - tolerance, value > band["high"] + tolerance],
            ["below", "above"],
            default="within",
        )
        rows.loc[value.isna() | band["low"].isna(), f"{criterion}_position"] = ""
    area_rows = profile.areas[["area", "name", "lists"]].rename(columns={"name": "area_name"})
    listed = area_year[area_year["year"] == year]
    actual_areas = profile.areas.set_index("area")
    for criterion in CRITERIA:
        band = _band(listed.groupby("area")[criterion]).reindex(area_rows["area"])
        area_rows[criterion] = area_rows["area"].map(actual_areas[criterion]).astype(np.float64)
        for column in ("projected", "low", "high"):
            area_rows[f"{criterion}_{column}"] = band[column].to_numpy(np.float64)
    for name in ("udsat", "parallelsamfund", "omdannelsesomraade", "forebyggelsesomraade"):
        share = listed.groupby("area")[name].mean()
        area_rows[f"projected_{name}"] = area_rows["area"].map(share).astype(np.float64)
    return FollowUp(
        scenario_name=str(loaded.scenario.name),
        year=year,
        replications=replications,
        departments=rows.reset_index(),
        areas=area_rows.reset_index(drop=True),
        danish_tiers=dict(loaded.scenario.danish.tiers),
    )


def write_follow_up(
    result: FollowUp, out_dir: str | Path, *, dialect: CsvDialect = "en"
) -> list[Path]:
    """Write ``followup_departments.csv`` and ``followup_areas.csv`` into ``out_dir``.

    In Danish (``dialect="da"``) the lights and band positions are words a planner reads
    (``rød``, ``over båndet``), as in the report's section; the columns keep their keys.
    """
    out = Path(out_dir)
    written = []
    for name, frame in (("departments", result.departments), ("areas", result.areas)):
        target = out / f"followup_{name}.csv"
        shown = _in_words(frame) if dialect == "da" else frame
        atomic_write_text(target, spreadsheet_csv(shown, dialect))
        written.append(target)
    return written


def _in_words(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its lights and band positions in Danish words."""
    shown = frame.copy()
    for column in shown.columns:
        kind = "light" if column == "light" or column.endswith("_light") else ""
        kind = "position" if column.endswith("_position") else kind
        if kind:
            shown[column] = [
                term(f"{kind}:{value}", "da") if has_term(f"{kind}:{value}") else value
                for value in shown[column]
            ]
    return shown


def write_follow_up_workbook(
    result: FollowUp, target: str | Path, *, language: Language = "en"
) -> Path:
    """Write the follow-up as a workbook: the departments' traffic lights, then the areas."""
    from simulation.report.workbook import write_sheets

    departments = result.departments.copy()
    departments["light"] = departments["light"].map(lambda light: term(f"light:{light}", language))
    return write_sheets(
        {
            term("followup_sheet_departments", language): [("", departments)],
            term("followup_sheet_areas", language): [("", result.areas)],
        },
        target,
    )


LIGHT_MARKS = {"green": "●", "yellow": "◐", "red": "○"}


def render_follow_up(result: FollowUp, language: Language = "en", *, width: int = 100) -> str:
    """The follow-up for a terminal: counts of lights, then the departments to look at.

    Departments that are yellow or red, or whose outside-work share left the projected band,
    are listed (worst first); the rest are counted.
    """
    frame = result.departments
    counts = frame["light"].value_counts()
    lines = [
        term("followup_title", language).format(
            name=result.scenario_name, year=result.year, replications=result.replications
        ),
        term("followup_counts", language).format(
            green=int(counts.get("green", 0)),
            yellow=int(counts.get("yellow", 0)),
            red=int(counts.get("red", 0)),
        ),
        "",
    ]
    criterion = "outside_work_education_share"
    order = {"red": 0, "yellow": 1, "green": 2}
    shown = frame[(frame["light"] != "green") | (frame[f"{criterion}_position"] != "within")]
    shown = shown.sort_values(
        ["light", "department"],
        key=lambda column: column.map(order) if column.name == "light" else column,
    )
    lines.append(term("followup_outside", language))
    header = (
        f"{term('light', language):<7} {term('department', language):<24} "
        f"{term('tier', language):<8} {term('followup_actual', language):>8} "
        f"{term('followup_projected', language):>12} {term('followup_band', language):>11}  "
        f"{term('followup_position', language)}"
    )
    lines.append(header[:width])
    for row in shown.to_dict("records"):
        position = str(row[f"{criterion}_position"])
        band = (
            f"{number(100 * row[f'{criterion}_low'], 0, language)}–"
            f"{number(100 * row[f'{criterion}_high'], 0, language)} %"
        )
        light = str(row["light"])
        text = (
            f"{LIGHT_MARKS[light]} {term('light:' + light, language):<5} "
            f"{(str(row['name']) or str(row['department']))[:24]:<24} "
            f"{(str(row['tier']) or '–')[:8]:<8} "
            f"{percent(row[criterion], 1, language):>8} "
            f"{percent(row[f'{criterion}_projected'], 1, language):>12} {band:>11}  "
            + (term("position:" + position, language) if position else "")
        )
        lines.append(text.rstrip()[:width])
    hidden = len(frame) - len(shown)
    if hidden:
        lines.append(term("followup_hidden", language).format(count=hidden))
    lines.append("")
    listed = result.areas[result.areas["lists"].astype(str) != ""]
    for row in listed.to_dict("records"):
        names = [term(name, language) for name in str(row["lists"]).split(",") if name]
        projected = row.get(f"projected_{str(row['lists']).split(',')[0]}", math.nan)
        lines.append(
            term("followup_area", language).format(
                area=row["area_name"],
                lists=", ".join(names),
                probability=percent(float(projected), 0, language)
                if not math.isnan(float(projected))
                else "–",
            )[:width]
        )
    lines.append(term("followup_note", language).format(margin=number(5, 0, language)))
    return "\n".join(lines)
