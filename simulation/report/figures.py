"""The figures of a report, in the report's language, drawn from stored tables.

:func:`evidence_figures` draws the evidence of a comparison (list bands, a fan chart per criterion
with its thresholds, referral waits and referral load per housing organisation) with the functions
of :mod:`simulation.report.experiment_plots`; :func:`plan_figure` draws an optimiser's plan from its
``departments.csv`` (the optimiser's own ``plan.png`` is English only).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from simulation.report.data import ReportData
from simulation.report.experiment_plots import (
    criteria_fan_figure,
    list_bands_figure,
    organisation_load_figure,
    share_axis,
    waits_figure,
)
from simulation.report.i18n import Language, term
from simulation.report.plots import CRITERIA

__all__ = ["ReportFigure", "evidence_figures", "plan_figure"]

MAX_LABELLED_DEPARTMENTS = 80
"""Departments are named on the plan figure's x axis only up to this many."""


@dataclass(frozen=True)
class ReportFigure:
    """A figure of the report with its id (the HTML anchor), title (alt text) and caption."""

    id: str
    figure: Figure
    title: str
    caption: str


def evidence_figures(data: ReportData, language: Language = "en") -> list[ReportFigure]:
    """The figures of the evidence section, in order.

    Parameters
    ----------
    data
        The runs of the report.
    language
        Language of titles, labels and captions.

    Returns
    -------
    list of ReportFigure
        List bands, four criterion fan charts, waits per group, referral load per organisation.
    """
    labels = list(data.labels)
    names = {run.label: run.name for run in data.runs}
    figures = [
        ReportFigure(
            "figure-lists",
            list_bands_figure(data.lists_by_year, labels, language=language, names=names),
            term("lists_suptitle", language),
            term("lists_suptitle", language),
        )
    ]
    minimum = data.runs[0].minimum_residents
    for column, *_ in CRITERIA:
        title = term(f"criterion:{column}", language)
        figures.append(
            ReportFigure(
                f"figure-criteria-{column.replace('_', '-')}",
                criteria_fan_figure(
                    data.area_criteria,
                    column,
                    labels,
                    minimum_residents=minimum,
                    language=language,
                    names=names,
                ),
                title,
                title,
            )
        )
    waits = data.waits[data.waits["group"] != ""]
    figures.append(
        ReportFigure(
            "figure-waits",
            waits_figure(waits, labels, language=language, names=names),
            term("waits_figure_title", language),
            term("waits_caption", language),
        )
    )
    figures.append(
        ReportFigure(
            "figure-load",
            organisation_load_figure(data.loads, labels, language=language, names=names),
            term("load_figure_title", language),
            term("load_caption", language),
        )
    )
    return figures


def plan_figure(departments: pd.DataFrame, language: Language = "en") -> Figure:
    """A referral plan per department: its load against the agreed share, and its headroom.

    Parameters
    ----------
    departments
        The optimiser's ``departments.csv``: ``department``, ``vacancies``, ``slots``, ``load``,
        ``headroom_used``, ``headroom_left``.
    language
        Language of titles and labels.
    """
    figure = Figure(figsize=(10, 6), layout="constrained")
    load_axis, headroom_axis = figure.subplots(2, 1, sharex=True)
    positions = np.arange(len(departments))
    load = departments["load"].to_numpy(np.float64)
    vacancies = departments["vacancies"].to_numpy(np.float64)
    slots = departments["slots"].to_numpy(np.float64)
    agreed = np.divide(slots, vacancies, out=np.zeros_like(slots), where=vacancies > 0)
    load_axis.bar(positions, load, width=0.8, color="tab:blue", label=term("plan_load", language))
    load_axis.step(
        positions,
        agreed,
        where="mid",
        color="black",
        linewidth=0.8,
        label=term("plan_agreed_share", language),
    )
    if len(load):
        load_axis.axhline(
            float(load.max()),
            color="tab:red",
            linestyle="--",
            linewidth=0.8,
            label=term("plan_max_load", language),
        )
    load_axis.set_ylabel(term("plan_load_axis", language))
    share_axis(load_axis.yaxis, language, share=True)
    load_axis.legend(fontsize=8, loc="upper right")
    load_axis.grid(alpha=0.3, axis="y")
    used = departments["headroom_used"].to_numpy(np.float64)
    left = np.maximum(departments["headroom_left"].to_numpy(np.float64), 0.0)
    headroom_axis.bar(
        positions, used, width=0.8, color="tab:orange", label=term("plan_headroom_used", language)
    )
    headroom_axis.bar(
        positions,
        left,
        width=0.8,
        bottom=used,
        color="tab:green",
        alpha=0.5,
        label=term("plan_headroom_left", language),
    )
    headroom_axis.set_ylabel(term("plan_headroom_axis", language))
    share_axis(headroom_axis.yaxis, language, share=False)
    headroom_axis.legend(fontsize=8, loc="upper right")
    headroom_axis.grid(alpha=0.3, axis="y")
    if len(departments) <= MAX_LABELLED_DEPARTMENTS:
        headroom_axis.set_xticks(
            positions, departments["department"].astype(str), rotation=90, fontsize=6
        )
    else:
        headroom_axis.xaxis.set_major_locator(MaxNLocator(integer=True))
    headroom_axis.set_xlabel(term("department", language))
    figure.suptitle(term("plan_figure_title", language))
    return figure
