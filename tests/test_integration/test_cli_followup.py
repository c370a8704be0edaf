"""``blandetby followup``: a year's actual figures against the run's projection, and bad input."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from simulation.cli.main import main
from simulation.report.followup import CRITERIA, follow_up

pytestmark = pytest.mark.xdist_group("cli-report")

YEARS = 5


def blandetby(argv: list[str]) -> int:
    with contextlib.redirect_stdout(io.StringIO()):
        return main(argv)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, report_fixtures: ModuleType) -> tuple[Path, Path]:
    """The tiny scenario run for 5 years, 2 replications: (scenario file, run folder)."""
    folder = tmp_path_factory.mktemp("followup")
    standard, _ = report_fixtures.write_scenarios(folder / "scenarios")
    run_dir = folder / "run"
    argv = ["run", str(standard), "--years", str(YEARS), "--replications", "2", "--quiet"]
    assert blandetby([*argv, "--no-figures", "--out", str(run_dir)]) == 0
    return standard, run_dir


def actual_from_state(scenario: Path, run_dir: Path, year: int, target: Path) -> Path:
    """The scenario's department CSV with replication 0's criteria of ``year`` put in."""
    departments = pd.read_csv(scenario.parent / "departments.csv", dtype=str, keep_default_na=False)
    state = pd.read_parquet(run_dir / "department_year.parquet")
    state = state[(state["year"] == year) & (state["replication"] == 0)].set_index("department")
    departments = departments.set_index("department")
    adults = departments["residents_18_64"].astype(int)
    middle = departments["residents_30_59"].astype(int)
    outside = (state["outside_work_education_share"] * adults).round().astype(int)
    basic = (state["basic_education_share"] * middle).round().astype(int)
    departments["outside_work_education_18_64"] = outside.astype(str)
    departments["basic_education_30_59"] = basic.astype(str)
    departments.reset_index().to_csv(target, index=False)
    return target


def test_followup_of_the_runs_own_year_5_state(run: tuple[Path, Path], tmp_path: Path) -> None:
    scenario, run_dir = run
    start = int(pd.read_parquet(run_dir / "area_year.parquet")["year"].min())
    year = start + YEARS
    actual = actual_from_state(scenario, run_dir, year, tmp_path / "actual.csv")
    out = tmp_path / "followup"
    argv = ["followup", str(run_dir), str(actual), "--year", str(year), "--lang", "da"]
    assert blandetby([*argv, "--out", str(out), "--xlsx", str(tmp_path / "f.xlsx")]) == 0
    rows = pd.read_csv(out / "followup_departments.csv", sep=";", decimal=",", encoding="utf-8-sig")
    state = pd.read_parquet(run_dir / "department_year.parquet")
    assert set(rows["department"]) == set(state["department"])
    # replication 0's own state lies in the band of the replications (up to rounding to persons)
    assert (rows["outside_work_education_share_position"] == "inden for båndet").all()
    assert set(rows["light"]) <= {"grøn", "gul", "rød"}  # in Danish words, as the report says
    assert set(rows["conviction_ratio_light"]) <= {"grøn", "gul", "rød"}
    result = follow_up(run_dir, actual, year=year)
    frame = result.departments
    over = frame["outside_work_education_share"] > 0.40 + 1e-9
    assert (frame.loc[over, "light"] == "red").all()  # beyond the udsat threshold is red
    for criterion in CRITERIA:
        low, high = frame[f"{criterion}_low"], frame[f"{criterion}_high"]
        assert (low <= frame[f"{criterion}_projected"] + 1e-12).all()
        assert (frame[f"{criterion}_projected"] <= high + 1e-12).all()
    assert {"area", "area_name", "lists", "projected_udsat"} <= set(result.areas.columns)
    from openpyxl import load_workbook

    assert load_workbook(tmp_path / "f.xlsx").sheetnames == [
        "Trafiklys pr. afdeling",
        "Områder og lister",
    ]


def test_followup_refuses_bad_input_with_exit_2(
    run: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario, run_dir = run
    start = int(pd.read_parquet(run_dir / "area_year.parquet")["year"].min())
    actual = actual_from_state(scenario, run_dir, start + 1, tmp_path / "actual.csv")
    # a year the run did not simulate
    assert main(["followup", str(run_dir), str(actual), "--year", str(start + 40)]) == 2
    assert "--year: got" in capsys.readouterr().err
    # a department missing from the figures
    lines = actual.read_text(encoding="utf-8").splitlines()
    short = tmp_path / "short.csv"
    short.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    assert main(["followup", str(run_dir), str(short), "--out", str(tmp_path / "o")]) == 2
    error = capsys.readouterr().err
    assert f"{short}: department: got missing" in error and "Traceback" not in error
    assert not (tmp_path / "o").exists()
    # a value the department file cannot hold
    broken = tmp_path / "broken.csv"
    frame = pd.read_csv(actual, dtype=str, keep_default_na=False)
    frame.loc[0, "households"] = "-3"
    frame.to_csv(broken, index=False)
    assert main(["followup", str(run_dir), str(broken)]) == 2
    assert "row 2, column 'households'" in capsys.readouterr().err
    # not a run folder
    assert main(["followup", str(tmp_path), str(actual)]) == 2
    assert "is not a run folder" in capsys.readouterr().err


def test_report_with_followup_has_the_section_in_danish_and_english(
    run: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario, run_dir = run
    start = int(pd.read_parquet(run_dir / "area_year.parquet")["year"].min())
    year = start + YEARS
    actual = actual_from_state(scenario, run_dir, year, tmp_path / "actual.csv")
    result = follow_up(run_dir, actual, year=year)
    for language, heading, light_words in (
        ("da", "Opfølgning", {"green": "grøn", "yellow": "gul", "red": "rød"}),
        ("en", "Follow-up", {"green": "green", "yellow": "yellow", "red": "red"}),
    ):
        out = tmp_path / f"report-{language}.html"
        argv = ["report", str(run_dir), "--lang", language, "--out", str(out)]
        assert blandetby([*argv, "--followup", str(actual), "--followup-year", str(year)]) == 0
        first_step = capsys.readouterr().err.splitlines()[0]  # the follow-up, in the language
        following = "følger" if language == "da" else "following up"
        assert first_step.startswith(f"report: {following} {actual}"), first_step
        page = out.read_text(encoding="utf-8")
        assert f'<section id="followup">\n<h2>{heading}</h2>' in page
        assert f'<a href="#followup">{heading}</a>' in page  # in the contents
        section = page.split('<section id="followup">', 1)[1].split("</section>", 1)[0]
        lights = section.split('id="followup-lights"', 1)[1].split("</table>", 1)[0]
        # one row per department, each with its light as colour class, symbol and word
        assert lights.count("<tr>") == len(result.departments) + 1
        for light in result.departments["light"]:
            assert f'class="light light-{light}"' in lights
        for light, word in light_words.items():
            count = int((result.departments["light"] == light).sum())
            assert lights.count(f"</span> {word}</td>") == count, (light, count)
        assert str(year) in section
        # every area, with the projected band of its outside-work share
        areas = section.split('id="followup-areas"', 1)[1].split("</table>", 1)[0]
        assert areas.count("<tr>") == len(result.areas) + 1
        for name in result.areas["area_name"]:
            assert f"<td>{name}</td>" in areas
        projected = "fremskrevet" if language == "da" else "projected"
        assert projected in areas
    # the traffic lights are coloured from the colour-blind-safe palette, not pure red/green
    assert "#ff0000" not in page.lower() and "#00ff00" not in page.lower()


def test_report_refuses_bad_followup_input_with_exit_2(
    run: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario, run_dir = run
    start = int(pd.read_parquet(run_dir / "area_year.parquet")["year"].min())
    actual = actual_from_state(scenario, run_dir, start + 1, tmp_path / "actual.csv")
    out = tmp_path / "report.html"
    base = ["report", str(run_dir), "--out", str(out), "--quiet"]
    # a department file with a value it cannot hold: file, row, column
    broken = tmp_path / "broken.csv"
    frame = pd.read_csv(actual, dtype=str, keep_default_na=False)
    frame.loc[0, "households"] = "-3"
    frame.to_csv(broken, index=False)
    assert main([*base, "--followup", str(broken)]) == 2
    error = capsys.readouterr().err
    assert f"--followup: {broken}" in error and "row 2, column 'households'" in error
    assert "Traceback" not in error
    # a year the run did not simulate
    assert main([*base, "--followup", str(actual), "--followup-year", str(start + 40)]) == 2
    assert "--followup-year: got" in capsys.readouterr().err
    # a run the report does not have
    assert main([*base, "--followup", str(actual), "--followup-run", "nowhere"]) == 2
    assert "--followup-run: got 'nowhere'" in capsys.readouterr().err
    # a file that is not there
    assert main([*base, "--followup", str(tmp_path / "missing.csv")]) == 2
    assert "missing.csv" in capsys.readouterr().err
    assert not out.exists(), "a refused follow-up left a report behind"


def test_tiers_are_named_in_danish_where_the_scenario_names_them() -> None:
    from simulation.report.followup import FollowUp

    result = FollowUp("s", 2027, 2, pd.DataFrame(), pd.DataFrame(), {"red": "rød"})
    assert result.tier_name("red", "da") == "rød" and result.tier_name("red", "en") == "red"
    assert result.tier_name("yellow", "da") == "yellow" and result.tier_name("", "da") == "–"
