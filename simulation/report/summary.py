"""The short account printed after a run: lists at the start and the end, waits, referral share."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import numpy as np
import pandas as pd

from simulation.experiments.measures import HOUSED_OUTCOMES, kaplan_meier, survival_quantile
from simulation.experiments.results import incomplete_note
from simulation.report.i18n import Language, has_term, number, percent, term
from simulation.report.plots import LIST_LABELS

__all__ = ["summarise"]


def summarise(
    tables: Mapping[str, pd.DataFrame],
    info: Mapping[str, object],
    *,
    language: Language = "en",
    group_names: Mapping[str, str] | None = None,
    scenario_name: str = "",
    width: int | None = None,
) -> str:
    """A plain-text summary of a run's tables (means over replications where there are several).

    A run with fewer finished replications than it asked for carries an "incomplete: k of R
    replications" line under its title.

    Parameters
    ----------
    language
        ``da`` or ``en``: the words and the decimal mark.
    group_names
        The referral groups' names by id (default: the ids).
    scenario_name
        The scenario's name as shown (default: its ``name`` in ``run.json``).
    width
        The terminal's width: a table row wider than this puts the group's name on a line of its
        own (default: no limit).
    """
    danish = language == "da"
    areas = tables["area_year"]
    departments = tables["department_year"]
    referrals = tables["referrals"]
    replications = int(areas["replication"].nunique()) if len(areas) else 0
    first, last = int(areas["year"].min()), int(areas["year"].max())
    scenario = info.get("scenario", {})
    name = scenario_name or (scenario.get("name", "") if isinstance(scenario, Mapping) else "")
    is_synthetic = isinstance(scenario, Mapping) and scenario.get("synthetic")
    incomplete = incomplete_note(info, replications)
    if danish:
        if incomplete:
            asked = int(str(info.get("replications", replications)))
            incomplete = f"ufuldstændig: {replications} af {asked} gentagelser er færdige"
        synthetic = " (syntetiske data)" if is_synthetic else ""
        title = (
            f"{name}{synthetic}: {last - first} år, startværdi {info.get('entropy')}, "
            f"{replications} {'gentagelser' if replications != 1 else 'gentagelse'}"
        )
        heading, day = "Områder på listerne", "1. dec. "
    else:
        synthetic = " (synthetic data)" if is_synthetic else ""
        title = (
            f"{name}{synthetic}: {last - first} years, seed {info.get('entropy')}, "
            f"{replications} replication{'s' if replications != 1 else ''}"
        )
        heading, day = "Areas on the lists", "1 Dec "
    lines = [
        title,
        *([incomplete] if incomplete else []),
        "",
        f"{heading:<26}{day + str(first):>14}{day + str(last):>14}",
    ]
    per_year = (
        areas.groupby(["replication", "year"])[list(LIST_LABELS)].sum().groupby("year").mean()
    )
    start_counts = per_year.loc[first].to_dict()
    end_counts = per_year.loc[last].to_dict()
    for column, label in LIST_LABELS.items():
        start, end = float(start_counts[column]), float(end_counts[column])
        lines.append(f"  {label:<24}{_count(start, language):>14}{_count(end, language):>14}")

    danish_headings = ("Ventetid på anvisning (mdr.)", "i bolig", "median", "90 %", "venter")
    english_headings = ("Referral waits (months)", "housed", "median", "p90", "waiting")
    headings = (
        (*danish_headings, "udtrådt", "aldrig bolig", "ophørt")
        if danish
        else (*english_headings, "left", "never housed", "evicted")
    )
    rows: list[tuple[str, str]] = []
    for group, group_rows in referrals.groupby("group", observed=True):
        outcome = group_rows["outcome"]
        housed = outcome.isin(HOUSED_OUTCOMES).to_numpy(bool)
        times, survival = kaplan_meier(group_rows["queue_months"].to_numpy(float), housed)
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
        figures = (
            f"{housed_n:>8.0f}{_months(median, language):>7}{_months(p90, language):>7}"
            f"{waiting:>8.0f}{left:>9.0f}{never:>13.0f}{evicted:>8.0f}"
        )
        rows.append((str((group_names or {}).get(str(group), group)), figures))
    sizes = (8, 7, 7, 8, 9, 13, 8)
    columns = "".join(f"{text:>{size}}" for text, size in zip(headings[1:], sizes, strict=True))
    name_width = max([24, *(len(group) + 1 for group, _ in rows)])
    if width is not None and 2 + name_width + len(columns) > width:
        name_width = width - 2 - len(columns)  # long names wrap
    own_line = name_width < 14  # too narrow to wrap names beside the figures
    if own_line:
        lines += ["", headings[0], f"  {columns}"]
    elif len(headings[0]) >= name_width + 2:  # the title above the column headings
        lines += ["", headings[0], f"{'':<{name_width + 2}}{columns}"]
    else:
        lines += ["", f"{headings[0]:<{name_width + 2}}{columns}"]
    for group, figures in rows:
        if own_line:
            lines += [f"  {group}", f"  {figures}"]
            continue
        parts = textwrap.wrap(group, name_width - 1) or [""]
        lines.append(f"  {parts[0]:<{name_width}}{figures}")
        lines.extend(f"    {part}" for part in parts[1:])
    note = (
        "  (median og 90 %: Kaplan–Meier, hvor de, der aldrig fik bolig, tælles som stadig "
        "ventende; '–' hvor for få nogensinde fik bolig)"
        if danish
        else "  (median and p90: Kaplan–Meier, counting those never housed as still waiting; '–' "
        "where fewer were ever housed)"
    )
    lines.extend(textwrap.wrap(note, width, subsequent_indent="  ") if width else [note])

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
    more = [
        f"Anvisningsandel af udlejningerne: opnået {percent(achieved, 1, 'da')} (aftalen giver "
        f"anvisningsret til {percent(agreed, 1, 'da')} af de ledige boliger)"
        if danish
        else f"Referral share of lettings: achieved {100 * achieved:.1f} % "
        f"(the agreement allows {100 * agreed:.1f} % of vacancies)"
    ]
    lapsed = tables.get("lapsed_claims")
    if lapsed is not None and len(lapsed):
        per = max(last - first, 1) * max(replications, 1)
        reasons = (
            lapsed.groupby("reason", observed=True)["claims"].sum().sort_values(ascending=False)
        )
        parts = [
            f"{_reason(str(reason), language)} {number(count / per, 0, language)}"
            for reason, count in reasons.items()
        ]
        total = number(lapsed["claims"].sum() / per, 0, language)
        more.append(
            f"Bortfaldne anvisningsretter pr. år: {total} ({', '.join(parts)})"
            if danish
            else f"Lapsed claims per year: {total} ({', '.join(parts)})"
        )
    if "vacant_months_department" in flows:
        years = max(last - first, 1) * max(replications, 1)
        payers = {"department": "afdelingerne", "municipality": "kommunen"} if danish else {}
        parts = [
            f"{payers.get(payer, payer)} "
            f"{number(flows[f'vacant_months_{payer}'].sum() / years, 0, language)} "
            f"({number(flows[f'vacant_rent_{payer}_kr'].sum() / years, 0, language)}"
            f"\u00a0{'kr.' if danish else 'kr'})"
            for payer in ("department", "municipality")
        ]
        more.append(
            f"Tomme boligmåneder pr. år efter betaler: {', '.join(parts)}"
            if danish
            else f"Empty dwelling-months per year, by payer: {', '.join(parts)}"
        )
    lines.append("")
    for line in more:
        lines.extend(textwrap.wrap(line, width, subsequent_indent="  ") if width else [line])
    return "\n".join(lines)


def _reason(reason: str, language: Language) -> str:
    """Why a claim lapsed, in words (the key where the report has no words for it)."""
    key = f"adherence_reason:{reason}"
    return term(key, language).lower() if has_term(key) else reason


def _months(value: float, language: Language = "en") -> str:
    return "–" if np.isnan(value) else number(float(value), 1, language)


def _count(value: float, language: Language = "en") -> str:
    return number(float(value), 0 if float(value).is_integer() else 1, language)
