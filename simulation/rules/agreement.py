"""The agreement in force: which tier each department is on, and its referral and flexible shares.

Stepped models (trappetrinsmodeller) place departments on tiers once a year, every 1 December,
from their own indicators and their area's list status; each department goes to the first tier
whose conditions hold. Shares agreed for single departments win over tiers; departments on no tier
(or with no stepped model) get the agreement's default referral share and flexible-letting share.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.inputs.scenario import Agreement, TierConditions
from simulation.law.regimes import ListName, criteria_met

__all__ = ["Placement", "criteria_met_by_department", "place_departments"]

INDICATORS = (
    "outside_work_education_share",
    "basic_education_share",
    "income_ratio_region",
    "conviction_ratio",
    "nonwestern_share",
)


@dataclass(frozen=True)
class Placement:
    """Per department: its tier (-1 for none), agreed referral share and flexible-letting share."""

    tier: np.ndarray
    referral_share: np.ndarray
    flexible_share: np.ndarray


def criteria_met_by_department(indicators: pd.DataFrame) -> np.ndarray:
    """How many of the four udsat criteria (current law) a department meets on its own."""
    return criteria_met(indicators)


def _holds(when: TierConditions, indicators: pd.DataFrame, lists: pd.DataFrame) -> np.ndarray:
    """Per department, whether a tier's conditions hold."""
    tests: list[np.ndarray] = []
    if when.area_lists:
        columns = [ListName(name).value for name in when.area_lists]
        tests.append(np.asarray(lists[columns].to_numpy().any(axis=1), bool))
    bounds = (
        ("outside_work_education_share", when.outside_work_education_share_above, np.greater),
        ("basic_education_share", when.basic_education_share_above, np.greater),
        ("nonwestern_share", when.nonwestern_share_above, np.greater),
        ("income_ratio_region", when.income_ratio_region_below, np.less),
        ("conviction_ratio", when.conviction_ratio_at_least, np.greater_equal),
    )
    for column, bound, compare in bounds:
        if bound is not None:
            tests.append(np.asarray(compare(indicators[column].to_numpy(), bound), bool))
    if when.criteria_met_at_least is not None:
        tests.append(criteria_met_by_department(indicators) >= when.criteria_met_at_least)
    if not tests:
        return np.ones(len(indicators), bool)
    stacked = np.vstack(tests)
    holds = stacked.any(axis=0) if when.match == "any" else stacked.all(axis=0)
    return np.asarray(holds, bool)


def place_departments(
    agreement: Agreement,
    department_ids: list[str],
    indicators: pd.DataFrame,
    lists: pd.DataFrame,
) -> Placement:
    """Place every department on its tier and give it its shares.

    Parameters
    ----------
    agreement
        The agreement in force.
    department_ids
        Department ids, in the model's order.
    indicators
        Per department (same order): the columns of :data:`INDICATORS`, shares 0–1.
    lists
        Per department (same order): booleans ``udsat``, ``parallelsamfund``,
        ``omdannelsesomraade``, ``forebyggelsesomraade`` of its area.
    """
    count = len(department_ids)
    tier = np.full(count, -1, np.int64)
    referral = np.full(count, agreement.default_referral_share)
    flexible = np.full(count, agreement.flexible_letting_share)
    unplaced = np.ones(count, bool)
    for index, step in enumerate(agreement.tiers):
        chosen = unplaced & _holds(step.when, indicators, lists)
        tier[chosen] = index
        if step.referral_share is not None:
            referral[chosen] = step.referral_share
        if step.flexible_letting_share is not None:
            flexible[chosen] = step.flexible_letting_share
        unplaced &= ~chosen
    position = {department: i for i, department in enumerate(department_ids)}
    for department, share in agreement.referral_share_by_department.items():
        referral[position[department]] = share
    return Placement(tier, referral, flexible)
