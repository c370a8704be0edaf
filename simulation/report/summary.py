"""The short account printed after a run: lists at the start and the end, waits, referral share."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from simulation.experiments.results import incomplete_note
from simulation.report.plots import LIST_LABELS

__all__ = ["summarise"]


def summarise(tables: Mapping[str, pd.DataFrame], info: Mapping[str, object]) -> str:
    """A plain-text summary of a run's tables (means over replications where there are several).

    A run with fewer finished replications than it asked for carries an "incomplete: k of R
    replications" line under its title.
    """
    areas = tables["area_year"]
    departments = tables["department_year"]
    referrals = tables["referrals"]
    replications = int(areas["replication"].nunique()) if len(areas) else 0
    first, last = int(areas["year"].min()), int(areas["year"].max())
    scenario = info.get("scenario", {})
    name = scenario.get("name", "") if isinstance(scenario, Mapping) else ""
    synthetic = (
        " (synthetic data)" if isinstance(scenario, Mapping) and scenario.get("synthetic") else ""
    )
    incomplete = incomplete_note(info, replications)
    lines = [
        f"{name}{synthetic}: {last - first} years, seed {info.get('entropy')}, "
        f"{replications} replication{'s' if replications != 1 else ''}",
        *([incomplete] if incomplete else []),
        "",
        f"{'Areas on the lists':<26}{'1 Dec ' + str(first):>14}{'1 Dec ' + str(last):>14}",
    ]
    per_year = (
        areas.groupby(["replication", "year"])[list(LIST_LABELS)].sum().groupby("year").mean()
    )
    start_counts = per_year.loc[first].to_dict()
    end_counts = per_year.loc[last].to_dict()
    for column, label in LIST_LABELS.items():
        start, end = float(start_counts[column]), float(end_counts[column])
        lines.append(f"  {label:<24}{_count(start):>14}{_count(end):>14}")

    lines += [
        "",
        f"{'Referral waits (months)':<26}{'housed':>8}{'median':>8}{'p90':>8}{'waiting':>9}",
    ]
    for group, rows in referrals.groupby("group", observed=True):
        housed = rows.loc[rows["outcome"] == "housed", "wait_months"].dropna().to_numpy(float)
        waiting = int((rows["outcome"] == "waiting").sum())
        median = f"{np.median(housed):.1f}" if housed.size else "–"
        p90 = f"{np.percentile(housed, 90):.1f}" if housed.size else "–"
        per = max(replications, 1)
        lines.append(
            f"  {group!s:<24}{housed.size / per:>8.0f}{median:>8}{p90:>8}{waiting / per:>9.0f}"
        )

    flows = departments[departments["year"] > first]
    lettings = (
        flows[["lettings_referral", "lettings_flexible", "lettings_internal", "lettings_external"]]
        .to_numpy()
        .sum()
    )
    vacancies_weight = flows["move_outs"].to_numpy(float)
    agreed = (
        float(np.average(flows["referral_share_agreed"], weights=vacancies_weight))
        if (vacancies_weight.sum() > 0)
        else float(flows["referral_share_agreed"].mean())
    )
    achieved = flows["lettings_referral"].sum() / lettings if lettings else 0.0
    lines += [
        "",
        f"Referral share of lettings: achieved {100 * achieved:.1f} % "
        f"(the agreement allows {100 * agreed:.1f} % of vacancies)",
    ]
    return "\n".join(lines)


def _count(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
