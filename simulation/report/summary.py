"""The short account printed after a run: lists at the start and the end, waits, referral share."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from simulation.experiments.measures import HOUSED_OUTCOMES, kaplan_meier, survival_quantile
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
        f"{'Referral waits (months)':<26}{'housed':>8}{'median':>8}{'p90':>8}{'waiting':>9}"
        f"{'left':>7}{'never housed':>14}{'evicted':>9}",
    ]
    for group, rows in referrals.groupby("group", observed=True):
        outcome = rows["outcome"]
        housed = outcome.isin(HOUSED_OUTCOMES).to_numpy(bool)
        times, survival = kaplan_meier(rows["queue_months"].to_numpy(float), housed)
        median, p90 = (survival_quantile(times, survival, q) for q in (0.5, 0.9))
        per = max(replications, 1)
        counts = [
            int(housed.sum()),
            int((outcome == "waiting").sum()),
            int((outcome == "left").sum()),
            int(outcome.isin(("left", "waiting")).sum()),
            int((outcome == "evicted").sum()),
        ]
        housed_n, waiting, left, never, evicted = (count / per for count in counts)
        lines.append(
            f"  {group!s:<24}{housed_n:>8.0f}{_months(median):>8}{_months(p90):>8}"
            f"{waiting:>9.0f}{left:>7.0f}{never:>14.0f}{evicted:>9.0f}"
        )
    lines.append(
        "  (median and p90: Kaplan–Meier, counting those never housed as still waiting; '–' "
        "where fewer were ever housed)"
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
    lapsed = tables.get("lapsed_claims")
    if lapsed is not None and len(lapsed):
        per = max(last - first, 1) * max(replications, 1)
        reasons = (
            lapsed.groupby("reason", observed=True)["claims"].sum().sort_values(ascending=False)
        )
        parts = [f"{reason} {count / per:.0f}" for reason, count in reasons.items()]
        lines.append(
            f"Lapsed claims per year: {lapsed['claims'].sum() / per:.0f} ({', '.join(parts)})"
        )
    if "vacant_months_department" in flows:
        years = max(last - first, 1) * max(replications, 1)
        parts = [
            f"{payer} {flows[f'vacant_months_{payer}'].sum() / years:.0f} "
            f"({flows[f'vacant_rent_{payer}_kr'].sum() / years:,.0f} kr)"
            for payer in ("department", "municipality")
        ]
        lines.append(f"Empty dwelling-months per year, by payer: {', '.join(parts)}")
    return "\n".join(lines)


def _months(value: float) -> str:
    return "–" if np.isnan(value) else f"{value:.1f}"


def _count(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
