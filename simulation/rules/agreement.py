"""The agreement in force: which tier each department is on, and its referral and flexible shares.

Stepped models (trappetrinsmodeller) place departments on tiers once a year, every 1 December,
from their own indicators and their area's list status; each department goes to the first tier
whose conditions hold. Shares agreed for single departments win over tiers; departments on no tier
(or with no stepped model) get the agreement's default referral share and flexible-letting share.

Calm tiers: the indicators may be 2-year means (``agreement.tier_mean_years``, averaged by the
caller), and a hysteresis band (``agreement.tier_hysteresis_share`` and
``tier_hysteresis_conviction_ratio``) keeps a department on its tier until its figures are the
band's width past the tier's bounds. Every condition of a tier says "at least this bad" (a share
above, income below, a list), so moving a department's figures toward worse can only move it to
an earlier tier: the department stays where it is as long as its tier lies between the tier of
its figures made a band worse and the tier of its figures made a band better, and otherwise
goes to the nearer of the two.
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


def _first_tier(agreement: Agreement, indicators: pd.DataFrame, lists: pd.DataFrame) -> np.ndarray:
    """Per department, the index of the first tier whose conditions hold (len(tiers): none)."""
    count = len(indicators)
    tier = np.full(count, len(agreement.tiers), np.int64)
    unplaced = np.ones(count, bool)
    for index, step in enumerate(agreement.tiers):
        chosen = unplaced & _holds(step.when, indicators, lists)
        tier[chosen] = index
        unplaced &= ~chosen
    return tier


WORSE = {
    "outside_work_education_share": 1.0,
    "basic_education_share": 1.0,
    "nonwestern_share": 1.0,
    "income_ratio_region": -1.0,
    "conviction_ratio": 1.0,
}
"""Which way each indicator gets worse (+1: higher is worse)."""


def _moved(indicators: pd.DataFrame, agreement: Agreement, direction: float) -> pd.DataFrame:
    """The indicators moved by the hysteresis band toward worse (+1) or better (−1)."""
    moved = indicators.copy()
    for column, worse in WORSE.items():
        band = (
            agreement.tier_hysteresis_conviction_ratio
            if column == "conviction_ratio"
            else agreement.tier_hysteresis_share
        )
        moved[column] = indicators[column] + direction * worse * band
    return moved


def place_departments(
    agreement: Agreement,
    department_ids: list[str],
    indicators: pd.DataFrame,
    lists: pd.DataFrame,
    *,
    current_tier: np.ndarray | None = None,
) -> Placement:
    """Place every department on its tier and give it its shares.

    Parameters
    ----------
    agreement
        The agreement in force.
    department_ids
        Department ids, in the model's order.
    indicators
        Per department (same order): the columns of :data:`INDICATORS`, shares 0–1 (2-year
        means where ``agreement.tier_mean_years`` is 2).
    lists
        Per department (same order): booleans ``udsat``, ``parallelsamfund``,
        ``omdannelsesomraade``, ``forebyggelsesomraade`` of its area.
    current_tier
        Per department, the tier it is on now (-1: none, as before the first placement); with
        a hysteresis band it stays there until its figures are the band past the tier's bounds.
    """
    count = len(department_ids)
    none = len(agreement.tiers)
    chosen_tier = _first_tier(agreement, indicators, lists)
    banded = agreement.tier_hysteresis_share > 0 or agreement.tier_hysteresis_conviction_ratio > 0
    if banded and current_tier is not None and none > 0:
        current = np.where(current_tier < 0, none, current_tier)
        worse = _first_tier(agreement, _moved(indicators, agreement, 1.0), lists)
        better = _first_tier(agreement, _moved(indicators, agreement, -1.0), lists)
        placed = current_tier >= 0
        chosen_tier = np.where(
            ~placed,
            chosen_tier,
            np.where(current > better, better, np.where(current < worse, worse, current)),
        )
    tier = np.where(chosen_tier == none, -1, chosen_tier).astype(np.int64)
    referral = np.full(count, agreement.default_referral_share)
    flexible = np.full(count, agreement.flexible_letting_share)
    for index, step in enumerate(agreement.tiers):
        on = tier == index
        if step.referral_share is not None:
            referral[on] = step.referral_share
        if step.flexible_letting_share is not None:
            flexible[on] = step.flexible_letting_share
    position = {department: i for i, department in enumerate(department_ids)}
    for department, share in agreement.referral_share_by_department.items():
        referral[position[department]] = share
    return Placement(tier, referral, flexible)
