"""The 1 December pipeline (simulation.rules.december) on a one-area world, year after year."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.inputs.scenario import load_scenario
from simulation.law.lists import classify_areas
from simulation.people.population import DepartmentCounts
from simulation.rules.december import ListHistory, first_of_december

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
