"""The profile of a scenario, and Danish/English formatting."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from simulation.inputs.scenario import load_scenario
from simulation.report.i18n import TERMS, number, percent, term
from simulation.report.profile import build_profile, render_profile, write_profile

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def stepped():
    return build_profile(load_scenario(ROOT / "scenarios" / "eksempelby_trappemodel.toml"))


def test_numbers_follow_the_language() -> None:
    assert number(1234567.891, 2, "da") == "1.234.567,89"
    assert number(1234567.891, 2, "en") == "1,234,567.89"
    assert percent(0.4, 1, "da") == "40,0 %"
    assert number(float("nan"), 1, "da") == "–"
    with pytest.raises(KeyError):
        term("no such term", "da")
    assert all(len(pair) == 2 and all(pair) for pair in TERMS.values())


def test_department_margins_and_lists(stepped) -> None:
    departments = stepped.departments
    assert len(departments) == 60
    row = departments.set_index("department").loc["D0004"]
    assert row["outside_margin"] == pytest.approx(0.40 - row["outside_work_education_share"])
    assert row["income_margin"] == pytest.approx(row["income_ratio_region"] - 0.55)
    assert row["area_lists"] == "udsat"
    assert row["tier"] == "red" and row["referral_share"] == 0.0
    assert (departments["affordable_dwellings"] <= departments["dwellings"]).all()
    assert departments["referral_capacity_per_year"].sum() == pytest.approx(
        (departments["vacancies_per_year"] * departments["referral_share"]).sum()
    )


def test_areas_and_organisations_add_up(stepped) -> None:
    areas = stepped.areas.set_index("area")
    assert areas.loc["nordparken", "lists"] == "udsat"
    assert areas.loc["nordparken", "criteria_met"] >= 2
    organisations = stepped.organisations
    assert organisations["dwellings"].sum() == stepped.departments["dwellings"].sum()
    assert organisations["share_of_capacity"].sum() == pytest.approx(1.0)


def test_need_against_capacity_shows_the_stepped_model_squeezes_homeless_singles() -> None:
    default = build_profile(load_scenario(ROOT / "scenarios" / "eksempelby.toml")).groups
    stepped = build_profile(
        load_scenario(ROOT / "scenarios" / "eksempelby_trappemodel.toml")
    ).groups
    singles = lambda groups: groups.set_index("group").loc["homeless_single"]  # noqa: E731
    assert (
        singles(stepped)["fitting_capacity_per_year"]
        < singles(default)["fitting_capacity_per_year"]
    )
    assert (
        singles(default)["fitting_capacity_outside_lists_per_year"]
        <= singles(default)["fitting_capacity_per_year"]
    )


def test_danish_rendering_has_no_english_headings(stepped) -> None:
    text = render_profile(stepped, "da")
    for english in ("Areas", "Housing organisations", "Referral need", "Departments closest"):
        assert english not in text
    assert "Boligområder: kriterier og lister" in text and "49,4 %" in text
    assert "SYNTETISKE DATA" in text


def test_csv_files_in_both_languages(stepped, tmp_path: Path) -> None:
    english = write_profile(stepped, tmp_path / "en", "en")
    danish = write_profile(stepped, tmp_path / "da", "da")
    assert [p.name for p in english] == [p.name for p in danish]
    frame = pd.read_csv(tmp_path / "en" / "profile_departments.csv")
    assert len(frame) == 60
    again = pd.read_csv(tmp_path / "da" / "profile_departments.csv", sep=";", decimal=",")
    assert again["outside_work_education_share"].iloc[0] == pytest.approx(
        frame["outside_work_education_share"].iloc[0], abs=1e-4
    )


def test_a_department_outside_any_area_is_named_as_the_department(stepped) -> None:
    areas = stepped.areas.set_index("area")
    departments = stepped.departments.set_index("department")
    alone = [area for area in areas.index if area in departments.index]
    assert alone, "Eksempelby has departments outside any area"
    for code in alone:
        assert areas.loc[code, "name"] == departments.loc[code, "name"] != code
