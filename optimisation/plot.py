"""A figure of a referral plan: load and headroom per department, as bars.

matplotlib is imported inside :func:`plot_plan` only, and the figure is a plain
:class:`matplotlib.figure.Figure` (no ``pyplot``), so importing :mod:`optimisation` stays light,
nothing depends on a GUI backend, and no global figure state leaks.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from optimisation.voice import Language, Voice

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from optimisation.plan import ReferralPlan

__all__ = ["plot_plan"]

MAX_LABELLED = 40
"""Departments are named on the x axis only when there are at most this many."""

MAX_BARS = 500
"""Above this many departments, bars are drawn as one collection of vertical lines (fast)."""

Colours = Sequence[tuple[float, float, float, float]] | Sequence[str] | str

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
"""Okabe and Ito's colour-blind-safe colours, for statuses (as the report's figures use)."""

LABELS: Mapping[str, tuple[str, str]] = {
    "load": ("load", "belastning"),
    "agreed referral share": ("agreed referral share", "aftalt anvisningsandel"),
    "maximum load": ("maximum load", "største belastning"),
    "referrals / vacancies": (
        "referrals per vacancy (share)",
        "anvisninger pr. ledig bolig (andel)",
    ),
    "headroom left": ("headroom left", "råderum tilbage"),
    "headroom used": ("headroom used", "råderum brugt"),
    "headroom left (persons)": ("headroom left (persons)", "råderum tilbage (personer)"),
    "headroom (persons)": ("headroom (persons)", "råderum (personer)"),
    "department": ("department", "afdeling"),
    "unknown": ("unknown", "ukendt"),
}
"""The figure's words: English, Danish."""


def _bars(
    ax: Axes,
    positions: npt.NDArray[np.int_],
    heights: npt.NDArray[np.float64],
    bottoms: npt.NDArray[np.float64],
    colours: Colours,
    label: str | None,
) -> None:
    ax.bar(positions, heights, width=0.8, bottom=bottoms, color=colours, label=label)


def _lines(
    ax: Axes,
    positions: npt.NDArray[np.int_],
    heights: npt.NDArray[np.float64],
    bottoms: npt.NDArray[np.float64],
    colours: Colours,
    label: str | None,
) -> None:
    ax.vlines(
        positions,
        bottoms,
        bottoms + heights,
        colors=colours,
        linewidth=0.6,
        label="_nolegend_" if label is None else label,
    )


def plot_plan(
    plan: ReferralPlan,
    ax: Axes | Sequence[Axes] | None = None,
    status: pd.Series | None = None,
    language: Language = "en",
    names: Mapping[Hashable, str] | None = None,
) -> Figure:
    """Draw each department's load (share of its vacancies referred) and its headroom.

    Parameters
    ----------
    plan
        The plan to draw.
    ax
        ``None`` draws a new figure with two panels (load above, headroom below); two Axes draw
        the two panels into them; a single Axes draws the load as bars and the headroom left as
        points on a second y axis.
    status
        Optional status per department (a Series indexed by department id, e.g. the legal list
        status ``"udsat"`` / ``"forebyggelse"`` / ``"none"``): the load bars are coloured by it,
        with a legend. Departments missing from it are shown as ``"unknown"``.
    language
        ``"en"`` or ``"da"``: the language of titles, axes and legends (numbers too).
    names
        Display names of departments (id → name) for the x axis; ids where there is none.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn into.

    Examples
    --------
    >>> figure = plot_plan(plan)  # doctest: +SKIP
    >>> figure.savefig("plan.png")  # doctest: +SKIP
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    voice = Voice(language, names or {})

    def word(key: str) -> str:
        english, danish = LABELS[key]
        return danish if voice.danish else english

    table = plan.departments
    positions = np.arange(len(table))
    load = table["load"].to_numpy(dtype=np.float64)
    used = table["headroom_used"].to_numpy(dtype=np.float64)
    left = np.maximum(table["headroom_left"].to_numpy(dtype=np.float64), 0.0)
    share = plan.problem.referral_share

    if ax is None:
        figure = Figure(figsize=(10, 6), layout="constrained")
        load_ax, headroom_ax = figure.subplots(2, 1, sharex=True)
        twin = False
    elif isinstance(ax, Sequence):
        load_ax, headroom_ax = ax[0], ax[1]
        twin = False
    else:
        load_ax = ax
        headroom_ax = ax.twinx()
        twin = True
    root = load_ax.get_figure(root=True)
    assert isinstance(root, Figure)

    colours: Colours = OKABE_ITO[0]
    handles = []
    if status is not None:
        labels = (
            pd.Series(status)
            .reindex(list(plan.problem.departments))
            .astype(object)
            .where(lambda s: s.notna(), word("unknown"))
            .astype(str)
        )
        categories = list(dict.fromkeys(labels.tolist()))
        colour_of = {c: OKABE_ITO[i % len(OKABE_ITO)] for i, c in enumerate(categories)}
        colours = [colour_of[label] for label in labels.tolist()]
        handles = [Patch(color=colour_of[c], label=c) for c in categories]

    draw = _bars if len(table) <= MAX_BARS else _lines
    draw(load_ax, positions, load, np.zeros_like(load), colours, None if handles else word("load"))
    load_ax.step(
        positions,
        share,
        where="mid",
        color="black",
        linewidth=0.8,
        label=word("agreed referral share"),
    )
    load_ax.axhline(
        plan.max_load,
        color="#D55E00",
        linestyle="--",
        linewidth=1,
        label=f"{word('maximum load')} {voice.percent(plan.max_load)}",
    )
    load_ax.set_ylabel(word("referrals / vacancies"))
    load_ax.set_ylim(bottom=0)
    extra = handles + load_ax.get_legend_handles_labels()[0]
    load_ax.legend(handles=extra, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")

    if twin:
        headroom_ax.plot(
            positions, left, "o", color="black", markersize=2, label=word("headroom left")
        )
        headroom_ax.set_ylabel(word("headroom left (persons)"))
    else:
        draw(headroom_ax, positions, used, np.zeros_like(used), "dimgray", word("headroom used"))
        draw(headroom_ax, positions, left, used, OKABE_ITO[4], word("headroom left"))
        headroom_ax.set_ylabel(word("headroom (persons)"))
        headroom_ax.set_ylim(bottom=0)
        headroom_ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    bottom_ax = load_ax if twin else headroom_ax
    if len(table) <= MAX_LABELLED:
        bottom_ax.set_xticks(
            positions,
            [voice.name(d) for d in table["department"].tolist()],
            rotation=90,
            fontsize="small",
        )
    bottom_ax.set_xlabel(word("department"))
    if voice.danish:  # decimal commas on the value axes
        from matplotlib.ticker import FuncFormatter

        load_ax.yaxis.set_major_formatter(
            FuncFormatter(lambda value, _: voice.number(f"{value:.2f}"))
        )
        headroom_ax.yaxis.set_major_formatter(
            FuncFormatter(lambda value, _: voice.number(f"{value:,.0f}"))
        )
    placed = voice.number(f"{plan.placed:,.0f}")
    unplaced = voice.number(f"{plan.total_shortfall:,.0f}")
    load_ax.set_title(
        voice.pick(
            f"Referral plan: {placed} households placed, {unplaced} unplaced",
            f"Anvisningsplan: {placed} husstande anvist, {unplaced} ikke anvist",
        )
    )
    return root
