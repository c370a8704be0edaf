"""Figures of a sensitivity analysis: one bar chart per output, parameters ranked by influence.

Drawn from the tidy table of :func:`simulation.experiments.sensitivity.run_sensitivity`
(``parameter, output, index, value, conf``), never from live models; pyplot's global state is
not touched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simulation.report.experiment_plots import save_figure
from simulation.report.i18n import Language, has_term, term

__all__ = [
    "MAX_BARS",
    "OUTPUT_NAMES",
    "output_name",
    "save_sensitivity_figure",
    "sensitivity_figure",
]

MAX_BARS = 15
"""At most this many parameters per output (the most influential)."""

MAIN_INDEX = {"morris": ("mu_star", "sigma"), "sobol": ("ST", "S1")}
"""Per method: the index the bars rank by, and the one drawn beside it."""

INDEX_SYMBOLS = {"mu_star": "μ*", "sigma": "σ", "mu": "μ", "ST": "ST", "S1": "S1"}
"""The indices as they are written (language-neutral symbols)."""


OUTPUT_NAMES = {
    "listed_area_years": ("områdeår på en liste", "listed area-years"),
    "housed_within_6_months_share": (
        "andel i bolig inden for 6 måneder",
        "share housed within 6 months",
    ),
    "wait_median_incl_never_housed_months": (
        "medianventetid, også dem, der aldrig får bolig (mdr.)",
        "median wait, never housed included (months)",
    ),
    "outside_work_education_share_final": (
        "andel uden for arbejde/uddannelse ved slut",
        "share outside work/education at the end",
    ),
}
"""The outputs of ``sensitivity`` and ``robustness`` in words (Danish, English)."""


def output_name(output: str, language: Language) -> str:
    """An output of ``sensitivity`` or ``robustness`` in words (its key where it has none)."""
    if output in OUTPUT_NAMES:
        danish, english = OUTPUT_NAMES[output]
        return danish if language == "da" else english
    key = f"indicator:{output}"
    return term(key, language) if has_term(key) else output


def sensitivity_figure(
    indices: pd.DataFrame,
    method: str,
    *,
    labels: Mapping[str, str] | None = None,
    title: str = "",
    parameter_labels: Mapping[str, str] | None = None,
) -> Figure:
    """Horizontal bars (a tornado) per output: each parameter's main index with its 95 % interval.

    Parameters
    ----------
    indices
        The tidy table of indices.
    method
        ``morris`` (bars: ``mu_star`` ± conf, dots: ``sigma``) or ``sobol`` (bars: ``ST`` ± conf,
        inner bars: ``S1``).
    labels
        Readable names of the outputs.
    title
        The figure's title.
    parameter_labels
        Readable names of the parameters (default: the last two parts of their keys).
    """
    main, other = MAIN_INDEX[method]
    outputs = list(dict.fromkeys(indices["output"]))
    columns = max(1, min(2, len(outputs)))
    rows = max(1, -(-len(outputs) // columns))
    figure = Figure(figsize=(7 * columns, 0.35 * MAX_BARS * rows + 1.5), layout="constrained")
    axes = np.atleast_1d(figure.subplots(rows, columns, squeeze=False)).ravel()
    for axis, output in zip(axes, outputs, strict=False):
        mine = indices[indices["output"] == output]
        first = mine[mine["index"] == main].set_index("parameter")
        second = mine[mine["index"] == other].set_index("parameter")["value"]
        ranked = first.sort_values("value", ascending=True).tail(MAX_BARS)
        names: Sequence[str] = [
            (parameter_labels or {}).get(name) or _short(name) for name in ranked.index
        ]
        position = np.arange(len(ranked))
        conf = ranked["conf"].to_numpy(np.float64)
        axis.barh(
            position,
            ranked["value"],
            xerr=np.where(np.isfinite(conf), conf, 0.0),
            color="#4c72b0",
            alpha=0.8,
            label=f"{INDEX_SYMBOLS.get(main, main)} ± 95 %",
        )
        values = second.reindex(ranked.index).to_numpy(np.float64)
        if method == "sobol":
            axis.barh(position, values, height=0.4, color="#dd8452", label=other)
        else:
            axis.plot(values, position, "o", color="#dd8452", label=INDEX_SYMBOLS.get(other, other))
        axis.set_yticks(position, names, fontsize=8)
        axis.set_title((labels or {}).get(output, output), fontsize=10)
        axis.axvline(0, color="black", lw=0.6)
        axis.grid(axis="x", alpha=0.3)
        axis.legend(fontsize=7, loc="lower right")
    for axis in axes[len(outputs) :]:
        axis.set_visible(False)
    if title:
        figure.suptitle(title)
    return figure


def _short(name: str) -> str:
    """``applicants.sorting_by_trait.income`` → ``sorting_by_trait.income``."""
    parts = name.split(".")
    return ".".join(parts[-2:]) if len(parts) > 2 else name


def save_sensitivity_figure(
    indices: pd.DataFrame, method: str, target: Path, *, title: str = ""
) -> Path | None:
    """Draw and save the figure as PNG (atomically); ``None`` when there are no indices."""
    if indices.empty:
        return None
    return save_figure(sensitivity_figure(indices, method, title=title), target)
