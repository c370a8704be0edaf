"""Figures of comparisons and frontiers, drawn from their tables (never from live models).

Every function returns a :class:`matplotlib.figure.Figure` without touching pyplot's global state,
so it is safe in notebooks and worker processes. Lines are medians (or means, where said) over
replications; fans span the 10th–90th (light) and 25th–75th (dark) percentiles.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from simulation.base.atomic import atomic_path
from simulation.experiments.results import read_run_info
from simulation.report import palette
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

MAX_AREAS = 8
"""At most this many areas in a fan chart: those that come closest to the threshold (the
criteria tables of the report's appendix have every area)."""


def _colours(count: int) -> list[str]:
    return palette.colours(count)


def _outside_legend(figure: Figure, axis: Any, title: str, columns: int) -> None:
    """One legend for the figure, below the plots (never over the data)."""
    handles, names = axis.get_legend_handles_labels()
    if handles:
        figure.legend(
            handles,
            names,
            loc="outside lower center",
            ncol=max(1, min(columns, len(handles))),
            fontsize=8,
            title=title,
            title_fontsize=8,
            frameon=False,
        )


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
    lists_by_year: pd.DataFrame,
    labels: Sequence[str],
    *,
    language: Language = "en",
    names: Mapping[str, str] | None = None,
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
    names
        The scenarios' names for the legend (default: the labels).
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
            name = (names or {}).get(label, label)
            axis.plot(mine["year"], mine["mean"], color=colour, label=name, marker="o", ms=3)
            axis.fill_between(mine["year"], mine["p10"], mine["p90"], color=colour, alpha=0.15)
        axis.set_title(title)
        axis.set_ylim(bottom=0, top=max(1.0, axis.get_ylim()[1]))
        axis.set_ylabel(term("areas_on_list", language))
        axis.yaxis.set_major_locator(MaxNLocator(integer=True))
        axis.xaxis.set_major_locator(MaxNLocator(integer=True))
        axis.grid(alpha=0.3)
    _outside_legend(figure, axes[0], term("legend_mean_band", language), 3)
    figure.suptitle(term("lists_suptitle", language))
    return figure


def criteria_fan_figure(
    area_criteria: pd.DataFrame,
    criterion: str,
    labels: Sequence[str],
    *,
    minimum_residents: int = 1000,
    language: Language = "en",
    names: Mapping[str, str] | None = None,
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
    names
        The scenarios' names for the legend (default: the labels).
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
        area_name = rows.loc[rows["area"] == area, "area_name"].iloc[0]
        for label, colour in zip(labels, colours, strict=True):
            if (label, area) not in present:
                continue
            band = quantiles.loc[(label, area)]
            years = band.index.to_numpy()
            axis.fill_between(years, band[0.1], band[0.9], color=colour, alpha=0.12)
            axis.fill_between(years, band[0.25], band[0.75], color=colour, alpha=0.25)
            name = (names or {}).get(label, label)
            axis.plot(years, band[0.5], color=colour, linewidth=1.4, label=name)
        axis.axhline(udsat, color="black", linewidth=1)
        if prevention != udsat:
            axis.axhline(prevention, color="black", linewidth=0.8, linestyle="--")
        axis.set_title(str(area_name), fontsize=9)
        axis.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
        is_share = criterion != "conviction_ratio"  # the income ratio reads best in per cent
        share_axis(axis.yaxis, language, share=is_share)
        axis.grid(alpha=0.3)
    for axis in axes.ravel()[len(areas) :]:
        axis.set_visible(False)
    if areas:
        _outside_legend(figure, axes.ravel()[0], term("legend_median_band", language), 3)
    text = term("fan_suptitle", language).format(
        title=title, side=term(f"side:{'above' if side == 'above' else 'below'}", language)
    )
    width = int(figure.get_figwidth() * 14)  # characters of 10 pt that fit across the figure
    figure.suptitle(
        "\n".join(textwrap.wrap(text, width)) if len(text) > width else text, fontsize=10
    )
    return figure


def waits_figure(
    waits: pd.DataFrame,
    labels: Sequence[str],
    *,
    language: Language = "en",
    names: Mapping[str, str] | None = None,
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
    names
        The scenarios' names for the legend (default: the labels).
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
                [  # a wait is never below 0 months: the interval is clipped there
                    means - np.clip(mine[f"{measure}_low"].to_numpy(np.float64), 0, None),
                    mine[f"{measure}_high"].to_numpy(np.float64) - means,
                ]
            )
            axis.bar(
                positions + (index - (len(labels) - 1) / 2) * width,
                np.nan_to_num(means),
                width=width,
                color=colour,
                label=(names or {}).get(label, label),
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
    _outside_legend(figure, axes[0], term("legend_mean_interval", language), 3)
    figure.suptitle(
        f"{term('waits_figure_title', language)} ({term('figure_note_band', language).lower()})",
        fontsize=10,
    )
    return figure


def organisation_load_figure(
    load: pd.DataFrame,
    labels: Sequence[str],
    *,
    language: Language = "en",
    names: Mapping[str, str] | None = None,
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
    names
        The scenarios' names for the legend (default: the labels).
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
                means - np.clip(mine["per_100_low"].to_numpy(np.float64), 0, None),
                mine["per_100_high"].to_numpy(np.float64) - means,
            ]
        )
        axis.barh(
            positions + (index - (len(labels) - 1) / 2) * bar,
            np.nan_to_num(means),
            height=bar,
            color=colour,
            label=(names or {}).get(label, label),
            xerr=np.nan_to_num(np.clip(errors, 0, None)),
            capsize=2,
            error_kw={"elinewidth": 0.8},
        )
    axis.set_yticks(positions, organisations, fontsize=8)
    axis.invert_yaxis()
    axis.set_xlabel(term("per_100_axis", language))
    share_axis(axis.xaxis, language, share=False)
    axis.grid(alpha=0.3, axis="x")
    _outside_legend(figure, axis, term("legend_mean_interval", language), 3)
    axis.set_title(
        f"{term('load_figure_title', language)} ({term('figure_note_band', language).lower()})",
        fontsize=10,
    )
    return figure


FRONTIER_AXES: dict[str, tuple[str, str]] = {
    "listed_area_years": (
        "Områdeår på udsat- eller forebyggelseslisten (summen over årene)",
        "Area-years on the udsat or forebyggelse list (sum over the years)",
    ),
    "listed_final": (
        "Områder på udsat- eller forebyggelseslisten det sidste år",
        "Areas on the udsat or forebyggelse list in the final year",
    ),
    "wait_median_months": (
        "Medianventetid på en anvist bolig (måneder)",
        "Median wait for a referral home (months)",
    ),
    "wait_mean_months": (
        "Gennemsnitlig ventetid på en anvist bolig (måneder)",
        "Mean wait for a referral home (months)",
    ),
    "wait_p90_months": (
        "90 %-fraktilen af ventetiden på en anvist bolig (måneder)",
        "90th percentile of the wait for a referral home (months)",
    ),
    "housed_within_6_months_share": (
        "Anviste husstande i bolig inden for 6 måneder (andel)",
        "Referral households housed within 6 months (share)",
    ),
}
"""The frontier's axis titles in words, with units: (Danish, English)."""

FRONTIER_WORDS: dict[str, tuple[str, str]] = {
    "fewer": ("færre er bedre", "fewer is better"),
    "more": ("mere er bedre", "more is better"),
    "less": ("mindre er bedre", "less is better"),
    "title": (
        "Hurtig bolig til anviste husstande mod områder holdt fri af listerne "
        "(punkter: gennemsnit over gentagelserne)",
        "Housing referral households fast vs keeping areas off the lists "
        "(points: mean over replications)",
    ),
    "dominated": ("domineret", "dominated"),
    "pareto": ("ikke domineret (Pareto)", "non-dominated (Pareto)"),
    "points": ("Punkter", "Points"),
}
"""The frontier figure's other words: (Danish, English)."""


def _frontier_word(words: Mapping[str, tuple[str, str]], key: str, language: Language) -> str:
    danish, english = words[key]
    return danish if language == "da" else english


def frontier_figure(
    table: pd.DataFrame, *, speed: str, lists: str, language: Language = "en"
) -> Figure:
    """The Pareto plot: list measure against speed measure, one point per design point.

    Points on the frontier (not dominated) are filled and joined; every point carries its short
    id (``p002``), and a key beside the plot says which varied values each id stands for (in
    words, from the ``point_name`` column where the table has one, else ``label``), so that
    labels never pile up on the data. The bars are 95 % intervals of the mean over replications,
    clipped to what the measure can be (no negative waits or area-years, shares within 0–1).

    Parameters
    ----------
    table
        :func:`simulation.experiments.frontier.frontier_table`.
    speed, lists
        The measures on the y and x axes.
    language
        Language of titles, legend and key.
    """
    from simulation.experiments.frontier import FRONTIER_SPEEDS

    def word(key: str) -> str:
        return _frontier_word(FRONTIER_WORDS, key, language)

    def axis_title(measure: str) -> str:
        return (
            _frontier_word(FRONTIER_AXES, measure, language)
            if measure in FRONTIER_AXES
            else measure
        )

    figure = Figure(figsize=(11, 6.5), layout="constrained")
    axis, key_axis = figure.subplots(1, 2, width_ratios=[3, 1])
    on_front = table["pareto"].to_numpy(bool)
    share = speed.endswith("_share")
    for mask, colour, name in (
        (~on_front, palette.MUTED, word("dominated")),
        (on_front, palette.EMPHASIS, word("pareto")),
    ):
        rows = table[mask]
        if rows.empty:
            continue
        axis.errorbar(
            rows[lists],
            rows[speed],
            xerr=_error_bars(rows, lists, upper=None),
            yerr=_error_bars(rows, speed, upper=1.0 if share else None),
            fmt="o",
            capsize=2,
            elinewidth=0.8,
            markersize=6,
            color=colour,
            label=name,
        )
    front = table[on_front].sort_values(lists)
    axis.plot(front[lists], front[speed], color=palette.EMPHASIS, linewidth=1, alpha=0.6)
    for index, (_, row) in enumerate(table.sort_values([lists, speed]).iterrows()):
        dx, dy = ((6, 6), (6, -12), (-28, 6), (-28, -12))[index % 4]
        axis.annotate(
            str(row["point"]),
            (row[lists], row[speed]),
            xytext=(dx, dy),
            textcoords="offset points",
            fontsize=7.5,
            color=palette.EMPHASIS if bool(row["pareto"]) else "0.35",
        )
    axis.set_xlabel(f"{axis_title(lists)} – {word('fewer')}")
    better = "more" if FRONTIER_SPEEDS[speed] else "less"
    axis.set_ylabel(f"{axis_title(speed)} – {word(better)}")
    axis.set_title(word("title"), fontsize=10)
    axis.set_xlim(left=0)
    if share:
        axis.set_ylim(0, 1)
    else:
        axis.set_ylim(bottom=0)
    axis.margins(x=0.08, y=0.15)
    share_axis(axis.xaxis, language, share=False)
    share_axis(axis.yaxis, language, share=share)
    axis.grid(alpha=0.3)
    axis.legend(fontsize=8, loc="best")
    key_axis.axis("off")
    names = "point_name" if "point_name" in table else "label"
    lines = [f"{row['point']}: {row[names]}" for _, row in table.sort_values("point").iterrows()]
    wrapped = "\n".join(textwrap.fill(line, 38, subsequent_indent="    ") for line in lines)
    key_axis.text(
        0, 1, f"{word('points')}\n{wrapped}", va="top", ha="left", fontsize=7.5, family="monospace"
    )
    return figure


def _error_bars(rows: pd.DataFrame, measure: str, *, upper: float | None) -> np.ndarray:
    """Error bar lengths of the 95 % interval, clipped to [0, upper]."""
    values = rows[measure].to_numpy(float)
    low = np.clip(rows[f"{measure}_low_95"].to_numpy(float), 0.0, upper)
    high = rows[f"{measure}_high_95"].to_numpy(float)
    if upper is not None:
        high = np.minimum(high, upper)
    return np.nan_to_num(np.clip(np.vstack([values - low, high - values]), 0.0, None), nan=0.0)


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
