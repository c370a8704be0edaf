"""Figures of comparisons and frontiers, drawn from their tables (never from live models).

Every function returns a :class:`matplotlib.figure.Figure` without touching pyplot's global state,
so it is safe in notebooks and worker processes. Lines are medians (or means, where said) over
replications; fans span the 10th–90th (light) and 25th–75th (dark) percentiles.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from simulation.base.atomic import atomic_path
from simulation.experiments.results import read_run_info
from simulation.report.i18n import Language, number, percent, term
from simulation.report.plots import CRITERIA, LIST_LABELS

if TYPE_CHECKING:
    from simulation.experiments.compare import Comparison

__all__ = [
    "criteria_fan_figure",
    "frontier_figure",
    "list_bands_figure",
    "organisation_load_figure",
    "save_comparison_figures",
    "save_figure",
    "waits_figure",
]

MAX_AREAS = 12
"""At most this many areas in a fan chart: those that come closest to the threshold."""


def _colours(count: int) -> list[tuple[float, float, float, float]]:
    from matplotlib import colormaps

    palette = colormaps["tab10"]
    return [palette(i % 10) for i in range(count)]


def share_axis(
    axis: Axis, language: Language, *, share: bool = True, decimals: int | None = None
) -> None:
    """Label an axis's ticks in the language: shares (0–1) as per cent, other numbers as numbers.

    Parameters
    ----------
    axis
        The x or y axis of an Axes.
    language
        ``"da"`` (decimal comma) or ``"en"``.
    share
        Whether the values are shares from 0 to 1 (shown as ``40 %``).
    decimals
        Decimals shown; by default the fewest that show each tick exactly (up to 3).
    """
    scale = 100.0 if share else 1.0

    def label(value: float, _: object) -> str:
        places = decimals if decimals is not None else _fewest_decimals(scale * value)
        if share:
            return percent(value, places, language)
        return number(value, places, language)

    axis.set_major_formatter(FuncFormatter(label))


def _fewest_decimals(value: float, most: int = 3) -> int:
    for places in range(most + 1):
        if abs(round(value, places) - value) < 1e-6:
            return places
    return most


def list_bands_figure(
    lists_by_year: pd.DataFrame, labels: Sequence[str], *, language: Language = "en"
) -> Figure:
    """Areas on each list per year and scenario: the mean with a 10–90 % band over replications.

    Parameters
    ----------
    lists_by_year
        :attr:`simulation.experiments.compare.Comparison.lists_by_year`.
    labels
        The scenarios, in the order to draw them.
    language
        Language of titles and labels (``"en"`` or ``"da"``); the list names are Danish in both.
    """
    figure = Figure(figsize=(12, 8), layout="constrained")
    axes = figure.subplots(2, 2, sharex=True).ravel()
    colours = _colours(len(labels))
    for axis, (column, title) in zip(axes, LIST_LABELS.items(), strict=True):
        rows = lists_by_year[lists_by_year["list"] == column]
        for label, colour in zip(labels, colours, strict=True):
            mine = rows[rows["scenario"] == label].sort_values("year")
            if mine.empty:
                continue
            axis.plot(mine["year"], mine["mean"], color=colour, label=label, marker="o", ms=3)
            axis.fill_between(mine["year"], mine["p10"], mine["p90"], color=colour, alpha=0.15)
        axis.set_title(title)
        axis.set_ylim(bottom=0, top=max(1.0, axis.get_ylim()[1]))
        axis.set_ylabel(term("areas_on_list", language))
        axis.yaxis.set_major_locator(MaxNLocator(integer=True))
        axis.xaxis.set_major_locator(MaxNLocator(integer=True))
        axis.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    figure.suptitle(term("lists_suptitle", language))
    return figure


def criteria_fan_figure(
    area_criteria: pd.DataFrame,
    criterion: str,
    labels: Sequence[str],
    *,
    minimum_residents: int = 1000,
    language: Language = "en",
) -> Figure:
    """Fan charts of one criterion per area and scenario, with the udsat and forebyggelse lines.

    Parameters
    ----------
    area_criteria
        :attr:`simulation.experiments.compare.Comparison.area_criteria`.
    criterion
        A criterion column, e.g. ``outside_work_education_share``.
    labels
        The scenarios, in the order to draw them.
    minimum_residents
        Areas that never reach it cannot be listed and are left out.
    language
        Language of titles and tick labels (``"en"`` or ``"da"``).
    """
    spec = {column: rest for column, *rest in CRITERIA}
    if criterion not in spec:
        raise ValueError(f"criterion {criterion!r}: expected one of {list(spec)}")
    _, udsat, prevention, side = spec[criterion]
    title = term(f"criterion:{criterion}", language)
    big = area_criteria.groupby("area")["residents"].max() >= minimum_residents
    rows = area_criteria[area_criteria["area"].isin(big[big].index)]
    closest = rows.groupby("area")[f"{criterion}_headroom"].median().sort_values()
    areas = list(closest.index[:MAX_AREAS])
    columns = 4 if len(areas) > 6 else max(1, min(3, len(areas)))
    lines = max(1, int(np.ceil(len(areas) / columns)))
    figure = Figure(figsize=(3.4 * columns, 2.6 * lines + 0.8), layout="constrained")
    axes = np.atleast_1d(figure.subplots(lines, columns, sharex=True, sharey=True, squeeze=False))
    colours = _colours(len(labels))
    quantiles = (
        rows.groupby(["scenario", "area", "year"])[criterion]
        .quantile(np.array([0.1, 0.25, 0.5, 0.75, 0.9]))
        .unstack()
    )
    present = set(zip(rows["scenario"], rows["area"], strict=True))
    for axis, area in zip(axes.ravel(), areas, strict=False):
        name = rows.loc[rows["area"] == area, "area_name"].iloc[0]
        for label, colour in zip(labels, colours, strict=True):
            if (label, area) not in present:
                continue
            band = quantiles.loc[(label, area)]
            years = band.index.to_numpy()
            axis.fill_between(years, band[0.1], band[0.9], color=colour, alpha=0.12)
            axis.fill_between(years, band[0.25], band[0.75], color=colour, alpha=0.25)
            axis.plot(years, band[0.5], color=colour, linewidth=1.4, label=label)
        axis.axhline(udsat, color="black", linewidth=1)
        if prevention != udsat:
            axis.axhline(prevention, color="black", linewidth=0.8, linestyle="--")
        axis.set_title(str(name), fontsize=9)
        axis.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
        is_share = criterion != "conviction_ratio"  # the income ratio reads best in per cent
        share_axis(axis.yaxis, language, share=is_share)
        axis.grid(alpha=0.3)
    for axis in axes.ravel()[len(areas) :]:
        axis.set_visible(False)
    if areas:
        axes.ravel()[0].legend(fontsize=7)
    text = term("fan_suptitle", language).format(
        title=title, side=term(f"side:{'above' if side == 'above' else 'below'}", language)
    )
    width = int(figure.get_figwidth() * 14)  # characters of 10 pt that fit across the figure
    figure.suptitle(
        "\n".join(textwrap.wrap(text, width)) if len(text) > width else text, fontsize=10
    )
    return figure


def waits_figure(
    waits: pd.DataFrame, labels: Sequence[str], *, language: Language = "en"
) -> Figure:
    """Referral waits per group and scenario: median and 90th percentile with 95 % intervals.

    Parameters
    ----------
    waits
        One row per scenario × group: ``scenario``, ``group_name``, and ``median``/``p90`` each
        with ``_mean``, ``_low`` and ``_high`` (months; the mean over replications of each
        replication's median or 90th percentile, and its 95 % t-interval).
    labels
        The scenarios, in the order to draw them.
    language
        Language of titles and labels.
    """
    figure = Figure(figsize=(12, 4.8), layout="constrained")
    axes = figure.subplots(1, 2, sharey=False)
    groups = list(dict.fromkeys(waits["group_name"]))
    colours = _colours(len(labels))
    width = 0.8 / max(len(labels), 1)
    positions = np.arange(len(groups), dtype=np.float64)
    for axis, measure, title in (
        (axes[0], "median", term("median", language)),
        (axes[1], "p90", term("percentile_90", language)),
    ):
        for index, (label, colour) in enumerate(zip(labels, colours, strict=True)):
            mine = waits[waits["scenario"] == label].set_index("group_name").reindex(groups)
            means = mine[f"{measure}_mean"].to_numpy(np.float64)
            errors = np.vstack(
                [
                    means - mine[f"{measure}_low"].to_numpy(np.float64),
                    mine[f"{measure}_high"].to_numpy(np.float64) - means,
                ]
            )
            axis.bar(
                positions + (index - (len(labels) - 1) / 2) * width,
                np.nan_to_num(means),
                width=width,
                color=colour,
                label=label,
                yerr=np.nan_to_num(np.clip(errors, 0, None)),
                capsize=2,
                error_kw={"elinewidth": 0.8},
            )
        axis.set_xticks(positions, groups, fontsize=8)
        axis.set_title(title)
        axis.set_ylabel(term("months", language))
        axis.set_ylim(bottom=0)
        share_axis(axis.yaxis, language, share=False)
        axis.grid(alpha=0.3, axis="y")
    axes[0].legend(fontsize=8)
    figure.suptitle(
        f"{term('waits_figure_title', language)} ({term('figure_note_band', language).lower()})",
        fontsize=10,
    )
    return figure


def organisation_load_figure(
    load: pd.DataFrame, labels: Sequence[str], *, language: Language = "en"
) -> Figure:
    """Referral lettings per 100 dwellings and year, per housing organisation and scenario.

    Parameters
    ----------
    load
        One row per scenario × organisation: ``scenario``, ``organisation`` and
        ``per_100_mean``, ``per_100_low``, ``per_100_high`` (95 % interval over replications).
    labels
        The scenarios, in the order to draw them.
    language
        Language of titles and labels.
    """
    organisations = list(dict.fromkeys(load["organisation"]))
    height = max(3.0, 0.45 * len(organisations) * max(len(labels), 1) ** 0.5 + 1.5)
    figure = Figure(figsize=(10, height), layout="constrained")
    axis = figure.subplots()
    colours = _colours(len(labels))
    bar = 0.8 / max(len(labels), 1)
    positions = np.arange(len(organisations), dtype=np.float64)
    for index, (label, colour) in enumerate(zip(labels, colours, strict=True)):
        mine = load[load["scenario"] == label].set_index("organisation").reindex(organisations)
        means = mine["per_100_mean"].to_numpy(np.float64)
        errors = np.vstack(
            [
                means - mine["per_100_low"].to_numpy(np.float64),
                mine["per_100_high"].to_numpy(np.float64) - means,
            ]
        )
        axis.barh(
            positions + (index - (len(labels) - 1) / 2) * bar,
            np.nan_to_num(means),
            height=bar,
            color=colour,
            label=label,
            xerr=np.nan_to_num(np.clip(errors, 0, None)),
            capsize=2,
            error_kw={"elinewidth": 0.8},
        )
    axis.set_yticks(positions, organisations, fontsize=8)
    axis.invert_yaxis()
    axis.set_xlabel(term("per_100_axis", language))
    share_axis(axis.xaxis, language, share=False)
    axis.grid(alpha=0.3, axis="x")
    axis.legend(fontsize=8)
    axis.set_title(
        f"{term('load_figure_title', language)} ({term('figure_note_band', language).lower()})",
        fontsize=10,
    )
    return figure


def frontier_figure(table: pd.DataFrame, *, speed: str, lists: str) -> Figure:
    """The Pareto plot: list measure against speed measure, one point per design point.

    Points on the frontier (not dominated) are filled, joined and labelled with their varied
    values; the bars are 95 % intervals of the mean over replications.

    Parameters
    ----------
    table
        :func:`simulation.experiments.compare.frontier_table`.
    speed, lists
        The measures on the y and x axes.
    """
    from simulation.experiments.frontier import FRONTIER_SPEEDS
    from simulation.experiments.measures import INDICATORS

    figure = Figure(figsize=(9, 6.5), layout="constrained")
    axis = figure.subplots()
    on_front = table["pareto"].to_numpy(bool)
    for mask, colour, name in (
        (~on_front, "0.6", "dominated"),
        (on_front, "tab:red", "non-dominated (Pareto)"),
    ):
        rows = table[mask]
        if rows.empty:
            continue
        xerr = _error_bars(rows, lists)
        yerr = _error_bars(rows, speed)
        axis.errorbar(
            rows[lists],
            rows[speed],
            xerr=xerr,
            yerr=yerr,
            fmt="o",
            capsize=2,
            elinewidth=0.8,
            markersize=6,
            color=colour,
            label=name,
        )
    front = table[on_front].sort_values(lists)
    axis.plot(front[lists], front[speed], color="tab:red", linewidth=1, alpha=0.6)
    for index, (_, row) in enumerate(front.iterrows()):
        axis.annotate(
            f"{row['point']}\n" + str(row["label"]).replace(", ", "\n"),
            (row[lists], row[speed]),
            xytext=(8, 8 if index % 2 == 0 else -8),
            textcoords="offset points",
            va="bottom" if index % 2 == 0 else "top",
            fontsize=7.5,
            color="tab:red",
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.7},
        )
    for _, row in table[~on_front].iterrows():
        axis.annotate(
            str(row["point"]),
            (row[lists], row[speed]),
            xytext=(4, -10),
            textcoords="offset points",
            fontsize=7,
            color="0.45",
        )
    axis.set_xlabel(f"{lists}: {INDICATORS[lists]} (fewer is better)")
    better = "more" if FRONTIER_SPEEDS[speed] else "less"
    axis.set_ylabel(f"{speed} ({better} is better)")
    axis.set_title(
        f"Housing referral households fast vs keeping areas off the lists\n{INDICATORS[speed]}",
        fontsize=10,
    )
    axis.margins(x=0.08, y=0.15)
    axis.grid(alpha=0.3)
    axis.legend(fontsize=8)
    return figure


def _error_bars(rows: pd.DataFrame, measure: str) -> np.ndarray:
    low = (rows[measure] - rows[f"{measure}_low_95"]).to_numpy(float)
    high = (rows[f"{measure}_high_95"] - rows[measure]).to_numpy(float)
    return np.nan_to_num(np.vstack([low, high]), nan=0.0)


def save_figure(figure: Figure, target: Path) -> Path:
    """Save ``figure`` as PNG to ``target`` atomically."""
    with atomic_path(target) as temporary:
        figure.savefig(temporary, dpi=110, format="png")
    return target


def save_comparison_figures(comparison: Comparison, out_dir: Path) -> list[Path]:
    """Draw a comparison's figures into ``out_dir/figures``: list bands and a fan chart per criterion."""
    folder = out_dir / "figures"
    written: list[Path] = []
    if comparison.lists_by_year.empty:
        return written
    written.append(
        save_figure(
            list_bands_figure(comparison.lists_by_year, comparison.labels), folder / "lists.png"
        )
    )
    minimum = _minimum_residents(comparison.run_dirs)
    for column, *_ in CRITERIA:
        figure = criteria_fan_figure(
            comparison.area_criteria, column, comparison.labels, minimum_residents=minimum
        )
        written.append(save_figure(figure, folder / f"criteria_{column}.png"))
    return written


def _minimum_residents(run_dirs: Mapping[str, Path]) -> int:
    first = next(iter(run_dirs.values()))
    content = read_run_info(first).get("scenario", {}).get("content", {})
    return int(content.get("legal", {}).get("minimum_residents", 1000))
