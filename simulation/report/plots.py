"""Figures of a run, drawn from its stored tables (never from live model objects).

Each function takes the tidy tables of :func:`simulation.experiments.results.read_run` and returns a
:class:`matplotlib.figure.Figure` (no pyplot state, safe in notebooks and worker processes). With
several replications the lines are medians and the bands span the 10th to 90th percentile.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from simulation.base.atomic import atomic_path
from simulation.law.regimes import LIST_NAMES, model_criteria
from simulation.report import palette

__all__ = [
    "CRITERIA",
    "LIST_LABELS",
    "criteria_figure",
    "lettings_figure",
    "list_count_figure",
    "save_run_figures",
    "waiting_figure",
]

CRITERION_TITLES = {
    "outside_work_education_share": "Outside work or education, 18–64",
    "conviction_ratio": "Convicted 18+, relative to the nation",
    "basic_education_share": "Basic school only, 30–59",
    "income_ratio_region": "Income of 15–64, relative to the region",
}

CRITERIA = tuple(
    (c.column, CRITERION_TITLES[c.column], c.threshold, c.prevention_threshold, c.side)
    for c in model_criteria()
)
"""(column, title, udsat threshold, forebyggelse threshold, side that lists) of the four criteria
(current law, from :func:`simulation.law.lists.model_criteria`)."""

LIST_LABELS = LIST_NAMES
"""Each list column and the list's name (:data:`simulation.law.lists.LIST_NAMES`)."""

CHANNELS = {
    "lettings_referral": "Municipal referral",
    "lettings_flexible": "Flexible letting",
    "lettings_internal": "Internal list",
    "lettings_external": "External list",
}


def _band(frame: pd.DataFrame, by: list[str], column: str) -> pd.DataFrame:
    """Median and 10–90 % band of ``column`` over replications, per ``by``."""
    grouped = frame.groupby(by, observed=True)[column]
    return pd.DataFrame(
        {
            "median": grouped.median(),
            "low": grouped.quantile(0.1),
            "high": grouped.quantile(0.9),
        }
    ).reset_index()


def criteria_figure(area_year: pd.DataFrame, minimum_residents: int = 1000) -> Figure:
    """Each area's four criteria over time, with the udsat (solid) and forebyggelse (dashed) lines.

    Only areas that reach ``minimum_residents`` at some point are drawn (smaller ones never list).
    """
    figure = Figure(figsize=(12, 8), layout="constrained")
    axes = figure.subplots(2, 2, sharex=True).ravel()
    big = area_year.groupby("area")["residents"].max() >= minimum_residents
    areas = list(big[big].index)
    colours = _colours(len(areas))
    styles = palette.line_styles(len(areas))
    for axis, (column, title, udsat, prevention, side) in zip(axes, CRITERIA, strict=True):
        for area, colour, style in zip(areas, colours, styles, strict=True):
            rows = area_year[area_year["area"] == area]
            band = _band(rows, ["year"], column)
            label = rows["area_name"].iloc[0] if "area_name" in rows else area
            axis.plot(
                band["year"], band["median"], color=colour, linestyle=style, label=label, lw=1.5
            )
            if "replication" in rows and rows["replication"].nunique() > 1:
                axis.fill_between(band["year"], band["low"], band["high"], color=colour, alpha=0.15)
        axis.axhline(udsat, color="black", linewidth=1.2, label="udsat threshold")
        if prevention != udsat:
            axis.axhline(
                prevention,
                color="black",
                linestyle="--",
                linewidth=1,
                label="forebyggelse threshold",
            )
        axis.set_title(f"{title} ({'listed above' if side == 'above' else 'listed below'})")
        axis.xaxis.set_major_locator(MaxNLocator(integer=True))
        axis.grid(alpha=0.3)
    for axis in axes[2:]:
        axis.set_xlabel("year (1 December)")
    handles, names = axes[0].get_legend_handles_labels()
    figure.legend(
        handles,
        names,
        loc="outside right upper",
        fontsize=7,
        title="median over replications;\nband 10–90 %",
        title_fontsize=7,
        frameon=False,
    )
    figure.suptitle("The four criteria per area (as published each 1 December)")
    return figure


def list_count_figure(area_year: pd.DataFrame) -> Figure:
    """How many areas are on each list, per year."""
    figure = Figure(figsize=(9, 5), layout="constrained")
    axis = figure.subplots()
    keys = ["replication", "year"] if "replication" in area_year else ["year"]
    counts = area_year.groupby(keys)[list(LIST_LABELS)].sum().reset_index()
    for (column, label), colour in zip(
        LIST_LABELS.items(), _colours(len(LIST_LABELS)), strict=True
    ):
        band = _band(counts, ["year"], column)
        (line,) = axis.plot(
            band["year"], band["median"], marker="o", markersize=3, label=label, color=colour
        )
        if "replication" in counts and counts["replication"].nunique() > 1:
            axis.fill_between(
                band["year"], band["low"], band["high"], alpha=0.15, color=line.get_color()
            )
    axis.set_ylabel("areas on the list")
    axis.set_xlabel("year (list published 1 December)")
    axis.yaxis.set_major_locator(MaxNLocator(integer=True))
    axis.xaxis.set_major_locator(MaxNLocator(integer=True))
    axis.set_ylim(bottom=0)
    figure.legend(
        loc="outside right upper",
        fontsize=8,
        title="median over replications;\nband 10–90 %",
        title_fontsize=8,
        frameon=False,
    )
    axis.grid(alpha=0.3)
    axis.set_title("Areas on the legal lists")
    return figure


def waiting_figure(referrals: pd.DataFrame) -> Figure:
    """Months from joining the referral queue to being housed, per group."""
    figure = Figure(figsize=(9, 5), layout="constrained")
    axis = figure.subplots()
    groups = (
        list(referrals["group"].cat.categories)
        if hasattr(referrals["group"], "cat")
        else (sorted(referrals["group"].unique()))
    )
    housed = referrals[referrals["outcome"].isin(["housed", "evicted"])]
    data = [
        housed.loc[housed["group"] == g, "wait_months"].dropna().to_numpy(float) for g in groups
    ]
    labels = []
    for group in groups:
        rows = referrals[referrals["group"] == group]
        waiting = int((rows["outcome"] == "waiting").sum())
        labels.append(f"{group}\n({waiting} still waiting)" if waiting else group)
    axis.boxplot([d if d.size else np.zeros(1) for d in data], showfliers=True)
    axis.set_xticks(range(1, len(labels) + 1), labels, fontsize=8)
    axis.set_ylabel("months waited (housed households)")
    axis.set_xlabel("referral group (box: quartiles, line: median)")
    axis.grid(alpha=0.3, axis="y")
    axis.set_title("Waiting time for a municipal referral")
    return figure


def lettings_figure(department_year: pd.DataFrame) -> Figure:
    """Lettings per year by channel (mean over replications), stacked."""
    figure = Figure(figsize=(9, 5), layout="constrained")
    axis = figure.subplots()
    flows = department_year[department_year["lettings_external"].notna()]
    keys = ["replication", "year"] if "replication" in flows else ["year"]
    per_year = flows.groupby(keys)[list(CHANNELS)].sum().groupby("year").mean()
    per_year = per_year[per_year.sum(axis=1) > 0]
    bottom = np.zeros(len(per_year))
    for (column, label), colour in zip(CHANNELS.items(), _colours(len(CHANNELS)), strict=True):
        values = per_year[column].to_numpy(float)
        axis.bar(per_year.index, values, bottom=bottom, label=label, color=colour)
        bottom += values
    axis.set_ylabel("lettings per year")
    axis.set_xlabel("year")
    axis.xaxis.set_major_locator(MaxNLocator(integer=True))
    figure.legend(loc="outside right upper", fontsize=8, frameon=False)
    axis.grid(alpha=0.3, axis="y")
    axis.set_title("Lettings by channel (mean over replications)")
    return figure


def save_run_figures(tables: Mapping[str, pd.DataFrame], folder: str | Path) -> list[Path]:
    """Draw every run figure into ``folder`` as PNG (atomically); return the files."""
    folder = Path(folder)
    figures = {
        "criteria.png": criteria_figure(tables["area_year"]),
        "lists.png": list_count_figure(tables["area_year"]),
        "waiting_times.png": waiting_figure(tables["referrals"]),
        "lettings.png": lettings_figure(tables["department_year"]),
    }
    written = []
    for name, figure in figures.items():
        target = folder / name
        with atomic_path(target) as temporary:
            figure.savefig(temporary, dpi=110, format="png")
        written.append(target)
    return written


def _colours(count: int) -> list[str]:
    return palette.colours(count)
