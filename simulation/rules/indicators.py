"""The legal criteria computed from counts of people: per department, and per area for the lists.

One implementation serves the model (counts of its simulated residents), the profile of a
scenario and the tests (counts taken from the department data, :meth:`counts_from_departments`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.people.population import DepartmentCounts

__all__ = [
    "area_values",
    "counts_from_departments",
    "department_indicators",
    "published_values",
]


def counts_from_departments(departments: pd.DataFrame) -> DepartmentCounts:
    """The criteria populations as the department data states them (day 0).

    Taxpayers 15–64 excluding students are approximated by the residents 18–64 (the data gives
    their mean income, not their number).
    """
    adults = (departments["residents"] - departments["residents_0_17"]).to_numpy(np.float64)
    working_age = departments["residents_18_64"].to_numpy(np.float64)
    residents = departments["residents"].to_numpy(np.float64)
    return DepartmentCounts(
        households=departments["households"].to_numpy(np.float64),
        residents=residents,
        adults_18_plus=adults,
        adults_18_64=working_age,
        outside_18_64=departments["outside_work_education_18_64"].to_numpy(np.float64),
        adults_30_59=departments["residents_30_59"].to_numpy(np.float64),
        basic_30_59=departments["basic_education_30_59"].to_numpy(np.float64),
        taxpayers=working_age,
        income_kr=departments["mean_income_kr"].to_numpy(np.float64) * working_age,
        nonwestern=departments["nonwestern_share"].to_numpy(np.float64) * residents,
        convicted=departments["convicted_share"].to_numpy(np.float64) * adults,
    )


def area_values(
    counts: DepartmentCounts,
    department_area: np.ndarray,
    area_ids: list[str],
    residents_january: np.ndarray,
    year: int,
    regional_income: float,
    national_conviction_share: float,
) -> pd.DataFrame:
    """The year's raw criterion values per area, in the input format of the lists module."""
    size = len(area_ids)

    def total(values: np.ndarray) -> np.ndarray:
        result: np.ndarray = np.bincount(department_area, values, minlength=size)
        return result

    adults = total(counts.adults_18_plus)
    convicted_share = total(counts.convicted) / np.maximum(adults, 1)
    return pd.DataFrame(
        {
            "area": area_ids,
            "year": year,
            "residents": np.round(total(residents_january)).astype(np.int64),
            "outside_work_education_pct": 100
            * total(counts.outside_18_64)
            / np.maximum(total(counts.adults_18_64), 1),
            "conviction_ratio": convicted_share / national_conviction_share,
            "convicted_pct": 100 * convicted_share,
            "basic_education_pct": 100
            * total(counts.basic_30_59)
            / np.maximum(total(counts.adults_30_59), 1),
            "income_pct_of_region": 100
            * total(counts.income_kr)
            / np.maximum(total(counts.taxpayers), 1)
            / regional_income,
            "nonwestern_pct": 100
            * total(counts.nonwestern)
            / np.maximum(total(counts.residents), 1),
        }
    )


def published_values(now: pd.DataFrame, national_conviction_share: float) -> pd.DataFrame:
    """The values the law publishes: the 2-year means where the regime averages (per cent)."""
    outside = now.get("outside_work_education_pct_2y", now["outside_work_education_pct"])
    if "conviction_ratio_2y" in now:
        conviction = now["conviction_ratio_2y"]
    elif "convicted_pct_2y" in now:  # 2014 averages the convicted share itself
        conviction = now["convicted_pct_2y"] / 100 / national_conviction_share
    else:
        conviction = now["conviction_ratio"]
    return pd.DataFrame(
        {"outside_work_education_pct": outside, "conviction_ratio": conviction}, index=now.index
    )


def department_indicators(
    counts: DepartmentCounts, regional_income: float, national_conviction_share: float
) -> pd.DataFrame:
    """The four criteria and the non-western share per department, one year (shares 0–1)."""
    return pd.DataFrame(
        {
            "outside_work_education_share": counts.outside_18_64
            / np.maximum(counts.adults_18_64, 1),
            "basic_education_share": counts.basic_30_59 / np.maximum(counts.adults_30_59, 1),
            "income_ratio_region": counts.income_kr
            / np.maximum(counts.taxpayers, 1)
            / regional_income,
            "conviction_ratio": counts.convicted
            / np.maximum(counts.adults_18_plus, 1)
            / national_conviction_share,
            "nonwestern_share": counts.nonwestern / np.maximum(counts.residents, 1),
        }
    )
