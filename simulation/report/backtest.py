"""The back-test figure: the model's list counts against the published ones, with bands.

Run it (a few minutes per replication pair; the national country is simulated)::

    python -m simulation.report.backtest --replications 6 \
        --figure simulation/figures/backtest.png --table simulation/figures/backtest.csv

See :mod:`simulation.experiments.backtest` for what the back-test does, and
``simulation/MODEL.md`` for the figure and its reading.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from simulation.base.atomic import atomic_path, atomic_write_text
from simulation.experiments.backtest import PUBLISHED_SERIES, SEGMENTS, run_backtest
from simulation.law.regimes import LIST_COLUMNS

__all__ = ["backtest_figure", "main"]

logger = logging.getLogger(__name__)

TITLES = {
    "udsat": "Udsatte boligområder",
    "parallelsamfund": "Parallelsamfund (2018–20: ghettoområder)",
    "omdannelsesomraade": "Omdannelsesområder (2018–20: hårde ghettoområder)",
    "forebyggelsesomraade": "Forebyggelsesområder (from 2021)",
}


def backtest_figure(counts: pd.DataFrame) -> Figure:
    """One panel per list: the published counts, and the model's median with its 10–90 % band.

    ``counts`` is :func:`simulation.experiments.backtest.run_backtest`'s frame; each segment is
    drawn on its own, from its day-0 list (which matches the published one by construction).
    """
    figure = Figure(figsize=(11, 7), layout="constrained")
    axes = figure.subplots(2, 2, sharex=True).ravel()
    for axis, column in zip(axes, LIST_COLUMNS, strict=True):
        published = PUBLISHED_SERIES.dropna(subset=[column])
        axis.plot(
            published["year"],
            published[column],
            color="black",
            marker="s",
            markersize=4,
            label="published",
        )
        for index, segment in enumerate(dict.fromkeys(counts["segment"])):
            rows = counts[counts["segment"] == segment]
            if not rows[column].any():
                continue
            grouped = rows.groupby("year")[column]
            years = grouped.median().index.to_numpy()
            label = "model (median, 10–90 %)" if index == 0 else None
            (line,) = axis.plot(
                years, grouped.median(), color="tab:blue", marker="o", markersize=3, label=label
            )
            axis.fill_between(
                years,
                grouped.quantile(0.1),
                grouped.quantile(0.9),
                color=line.get_color(),
                alpha=0.2,
            )
        axis.axvline(2020.5, color="grey", linestyle=":", linewidth=1)
        axis.set_title(TITLES[column], fontsize=10)
        axis.set_ylim(bottom=0)
        axis.yaxis.set_major_locator(MaxNLocator(integer=True))
        axis.xaxis.set_major_locator(MaxNLocator(integer=True))
        axis.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    figure.suptitle(
        "Back-test: synthetic countries started at the published lists of 2018 and 2021 "
        "(dotted: the change of rules)"
    )
    return figure


def main(argv: list[str] | None = None) -> None:
    """Run the back-test and write its figure and table."""
    parser = argparse.ArgumentParser(description="Back-test the lists against 2018–2024.")
    parser.add_argument("--replications", type=int, default=6)
    parser.add_argument("--figure", type=Path, default=Path("backtest.png"))
    parser.add_argument("--table", type=Path, default=Path("backtest.csv"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logger.setLevel(logging.INFO)  # our progress, not Mesa's step messages
    counts = run_backtest(args.replications, segments=SEGMENTS, progress=logger.info)
    atomic_write_text(args.table, counts.to_csv(index=False))
    with atomic_path(args.figure) as temporary:
        backtest_figure(counts).savefig(temporary, dpi=110, format="png")
    summary = counts.groupby(["segment", "year"])[list(LIST_COLUMNS)].median().reset_index()
    logger.info("%s", summary.to_string(index=False))


if __name__ == "__main__":
    main()
