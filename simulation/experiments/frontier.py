"""The trade-off frontier: list risk against referral speed, and which design points are Pareto-optimal."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd

from simulation.base.errors import Words
from simulation.experiments.folders import ExperimentError
from simulation.experiments.sweep import DesignPoint

__all__ = [
    "FRONTIER_LISTS",
    "FRONTIER_SPEEDS",
    "frontier_table",
    "pareto_front",
]

logger = logging.getLogger(__name__)


FRONTIER_SPEEDS: dict[str, bool] = {
    "wait_median_months": False,
    "wait_mean_months": False,
    "wait_p90_months": False,
    "housed_within_6_months_share": True,
}
"""Speed measures of the frontier and whether more is better."""


FRONTIER_LISTS = ("listed_area_years", "listed_final")
"""List measures of the frontier (fewer is better)."""


def pareto_front(costs: np.ndarray) -> np.ndarray:
    """Which rows of ``costs`` (points × objectives, all minimised) no other row dominates.

    A row dominates another if it is no worse in every objective and better in one; equal rows
    do not dominate each other. NaN rows are never on the front.

    Examples
    --------
    >>> pareto_front(np.array([[1.0, 3.0], [2.0, 2.0], [3.0, 3.0], [2.0, 2.0]])).tolist()
    [True, True, False, True]
    """
    costs = np.asarray(costs, dtype=np.float64)
    valid = ~np.isnan(costs).any(axis=1)
    front = valid.copy()
    for index in np.flatnonzero(valid):
        others = costs[valid]
        dominated = (others <= costs[index]).all(axis=1) & (others < costs[index]).any(axis=1)
        front[index] = not dominated.any()
    return front


def frontier_table(
    summary: pd.DataFrame,
    keys: Sequence[str],
    *,
    speed: str = "wait_median_months",
    lists: str = "listed_area_years",
) -> pd.DataFrame:
    """The trade-off between housing referral households fast and keeping areas off the lists.

    Parameters
    ----------
    summary
        Per-point means and intervals (:attr:`SweepOutcome.summary`).
    keys
        The varied keys.
    speed
        A :data:`FRONTIER_SPEEDS` measure (waits are minimised, the 6-month share maximised).
    lists
        A :data:`FRONTIER_LISTS` measure (minimised).

    Returns
    -------
    pandas.DataFrame
        One row per point: ``point``, the keys, ``label``, ``speed``/``lists`` with their means
        and 95 % intervals (columns named after the measures), and ``pareto`` (not dominated),
        sorted by the list measure.

    Raises
    ------
    ExperimentError
        If a measure is unknown.
    """
    if speed not in FRONTIER_SPEEDS:
        raise ExperimentError(
            Words(
                f"speed measure {speed!r}: expected one of {list(FRONTIER_SPEEDS)}",
                f"mål for hastighed {speed!r}: forventede et af {list(FRONTIER_SPEEDS)}",
            )
        )
    if lists not in FRONTIER_LISTS:
        raise ExperimentError(
            Words(
                f"list measure {lists!r}: expected one of {list(FRONTIER_LISTS)}",
                f"mål for listerne {lists!r}: forventede et af {list(FRONTIER_LISTS)}",
            )
        )
    table = summary[["point", *keys, "replications"]].copy()
    table.insert(
        1,
        "label",
        [DesignPoint("", {k: row[k] for k in keys}).label for _, row in summary.iterrows()],
    )
    for measure in (lists, speed):
        for suffix in ("", "_low_95", "_high_95"):
            table[f"{measure}{suffix}"] = summary[f"{measure}{suffix}"].to_numpy()
    sign = -1.0 if FRONTIER_SPEEDS[speed] else 1.0
    costs = np.column_stack([table[lists].to_numpy(float), sign * table[speed].to_numpy(float)])
    table["pareto"] = pareto_front(costs)
    order = np.lexsort((costs[:, 1], costs[:, 0]))
    return table.iloc[order].reset_index(drop=True)
