"""The back-test harness: countries started at past published lists, and their figure."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from simulation.experiments.backtest import PUBLISHED_SERIES, SEGMENTS, run_backtest
from simulation.law.regimes import LIST_COLUMNS
from simulation.report.backtest import backtest_figure


@pytest.mark.slow
def test_each_segment_starts_at_its_published_list() -> None:
    """The day-0 list of every segment is the published one (forebyggelse within its noise)."""
    short = tuple(replace(segment, last_year=segment.first_year + 1) for segment in SEGMENTS)
    counts = run_backtest(1, segments=short)
    assert set(counts["segment"]) == {segment.name for segment in SEGMENTS}
    published = PUBLISHED_SERIES.set_index("year")
    for segment in SEGMENTS:
        rows = counts[counts["segment"] == segment.name].set_index("year")
        assert list(rows.index) == [segment.first_year, segment.first_year + 1]
        day0 = rows.loc[segment.first_year]
        for column in ("udsat", "parallelsamfund", "omdannelsesomraade"):
            assert day0[column] == published.loc[segment.first_year, column], column
        if segment.regime == "2021":
            assert abs(day0["forebyggelsesomraade"] - 62) <= 5
        else:
            assert day0["forebyggelsesomraade"] == 0


def test_the_figure_shows_every_list_against_the_published_series() -> None:
    rows = []
    for segment in SEGMENTS:
        for replication in range(3):
            for year in range(segment.first_year, segment.last_year + 1):
                rows.append(
                    {
                        "segment": segment.name,
                        "replication": replication,
                        "year": year,
                        **{column: 10 + replication for column in LIST_COLUMNS},
                    }
                )
    figure = backtest_figure(pd.DataFrame(rows))
    assert len(figure.axes) == 4
    titles = [axis.get_title() for axis in figure.axes]
    assert any("Forebyggelses" in title for title in titles)
    # published line plus one model line per segment
    assert all(len(axis.get_lines()) >= 2 for axis in figure.axes)
