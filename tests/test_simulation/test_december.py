"""The 1 December pipeline (simulation.rules.december) on a one-area world, year after year."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.inputs.scenario import load_scenario
from simulation.law.lists import LIST_COLUMNS, classify_areas
from simulation.people.population import DepartmentCounts
from simulation.rules.agreement import place_departments
from simulation.rules.december import ListHistory, Register, first_of_december

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(ROOT / "scenarios" / "eksempelby.toml").scenario


def counts(outside_pct: float, scenario) -> DepartmentCounts:
    """One department of 2,000 residents: income 50 % of the region (criterion met), 60 %
    non-western, so its listing hinges on the outside-work criterion (2-year mean > 40 %)."""
    municipality = scenario.municipality
    one = np.ones(1)
    return DepartmentCounts(
        households=one * 900,
        residents=one * 2000,
        adults_18_plus=one * 1400,
        adults_18_64=one * 1000,
        outside_18_64=one * outside_pct * 10,
        adults_30_59=one * 600,
        basic_30_59=one * 240,
        taxpayers=one * 1000,
        income_kr=one * 1000 * 0.5 * municipality.regional_mean_income_kr,
        nonwestern=one * 1200,
        convicted=one * 1400 * municipality.national_conviction_share,
    )


OUTSIDE = {2018: 52, 2019: 52, 2020: 52, 2021: 52, 2022: 30, 2023: 44, 2024: 44}


def publish_every_year(scenario) -> pd.DataFrame:
    history = ListHistory()
    rows = []
    for year, outside in OUTSIDE.items():
        publication = first_of_december(
            scenario,
            counts(outside, scenario),
            department_ids=["d"],
            department_area=np.zeros(1, np.int64),
            area_ids=["A"],
            residents_january=np.full(1, 2000.0),
            year=year,
            history=history,
        )
        rows.append(publication.areas.reset_index().assign(year=year))
    return pd.concat(rows, ignore_index=True)


def test_the_five_year_rule_counts_the_lists_as_published(scenario) -> None:
    published = publish_every_year(scenario)
    # 2-year means: 52, 52, 52, 52, 41 (still listed), 37 (off), 44 (on again)
    assert published["parallelsamfund"].tolist() == [True] * 5 + [False, True]
    # a year off the list starts the count afresh: 2024 is the first year of a new run
    assert published["parallelsamfund_years"].tolist() == [1, 2, 3, 4, 5, 0, 1]
    assert published["omdannelsesomraade"].tolist() == [False] * 4 + [True, False, False]


def test_year_by_year_equals_classifying_the_whole_history_at_once(scenario) -> None:
    published = publish_every_year(scenario)
    values = pd.DataFrame(
        {
            "area": "A",
            "year": list(OUTSIDE),
            "residents": 2000,
            "outside_work_education_pct": [float(v) for v in OUTSIDE.values()],
            "conviction_ratio": 1.0,
            "convicted_pct": 100 * scenario.municipality.national_conviction_share,
            "basic_education_pct": 40.0,
            "income_pct_of_region": 50.0,
            "nonwestern_pct": 60.0,
        }
    )
    whole = classify_areas(values, values="yearly")
    for column in ("udsat", "parallelsamfund", "parallelsamfund_years", "omdannelsesomraade"):
        assert published[column].tolist() == whole[column].tolist(), column


def test_the_register_reads_the_lags_year_or_the_oldest_there_is(scenario) -> None:
    register = Register()
    register.record(2025, counts(30, scenario), keep_years=1)
    assert register.read(2025, 1)[0] == 2025  # nothing older: the department data
    register.record(2026, counts(50, scenario), keep_years=1)
    year, figures = register.read(2026, 1)
    assert year == 2025 and figures.outside_18_64[0] == 300
    assert register.read(2026, 0)[0] == 2026
    register.record(2027, counts(44, scenario), keep_years=1)
    assert sorted(register.figures) == [2026, 2027], "older figures are forgotten"


def test_a_lagged_list_averages_the_data_year_with_the_one_before(scenario) -> None:
    history = ListHistory()
    published = []
    for year, data_year, outside in ((2024, 2023, 52), (2025, 2024, 30)):
        publication = first_of_december(
            scenario,
            counts(outside, scenario),
            department_ids=["d"],
            department_area=np.zeros(1, np.int64),
            area_ids=["A"],
            residents_january=np.full(1, 2000.0),
            year=year,
            history=history,
            data_year=data_year,
        )
        assert publication.data_year == data_year
        published.append(publication.published["outside_work_education_pct"].iloc[0])
    assert published == pytest.approx([52.0, 41.0])


def test_a_department_leaves_its_tier_only_past_the_band(scenario) -> None:
    """Red above 40 % outside work, else green; a 2-point band: the figures must cross 38 % to
    leave red and 42 % to leave green."""
    agreement = scenario.agreement.model_validate(
        {
            "tiers": [
                {
                    "name": "red",
                    "referral_share": 0.0,
                    "when": {"outside_work_education_share_above": 0.4},
                },
                {"name": "green", "referral_share": 0.3},
            ],
            "tier_hysteresis_share": 0.02,
        }
    )
    lists = pd.DataFrame({column: [False] for column in LIST_COLUMNS})

    def indicators(outside: float) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "outside_work_education_share": [outside],
                "basic_education_share": [0.2],
                "income_ratio_region": [0.9],
                "conviction_ratio": [1.0],
                "nonwestern_share": [0.1],
            }
        )

    tier = None
    names = []
    for outside in (0.41, 0.39, 0.37, 0.41, 0.43, 0.39):
        placement = place_departments(
            agreement, ["d"], indicators(outside), lists, current_tier=tier
        )
        tier = placement.tier
        names.append(agreement.tiers[int(tier[0])].name)
    assert names == ["red", "red", "green", "green", "red", "red"]
    assert placement.referral_share[0] == 0.0
    no_band = agreement.model_copy(update={"tier_hysteresis_share": 0.0})
    plain = [
        no_band.tiers[int(place_departments(no_band, ["d"], indicators(o), lists).tier[0])].name
        for o in (0.41, 0.39)
    ]
    assert plain == ["red", "green"]
