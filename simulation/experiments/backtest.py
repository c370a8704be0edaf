"""The back-test: start a synthetic country at a past year's published lists and run it forward.

There is no real department data in the project, so the back-test asks the weaker question the
data allows: a country that *lists like Denmark did* on 1 December of a past year, run forward
under the rules then in force, does it list like Denmark did in the following years? It runs
one segment per legal regime, because the model has one regime per run:

- 1 December 2018 → 2020 under the 2018 rules (udsat boligområde, ghettoområde, hårdt
  ghettoområde after 4 years [U]), the hårde ghettoområder with development plans from 2019;
- 1 December 2021 → 2024 under today's rules (forebyggelsesområder added), the
  omdannelsesområder with development plans from 2022.

Each replication draws its own country (seed = replication) matched to the segment's first list
(:func:`simulation.inputs.synthetic.synthetic_country`) and simulates it with the default
agreement, the data lag and no trends. The counts are compared with :data:`PUBLISHED_SERIES`;
``python -m simulation.report.backtest`` draws the figure of ``simulation/MODEL.md``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from simulation.inputs.synthetic import NATIONAL_DEPARTMENTS, synthetic_scenario
from simulation.law.regimes import LIST_COLUMNS
from simulation.model import HousingModel

__all__ = ["PUBLISHED_SERIES", "SEGMENTS", "BacktestSegment", "run_backtest"]

logger = logging.getLogger(__name__)

PUBLISHED_SERIES = pd.DataFrame(
    {
        "year": [2018, 2019, 2020, 2021, 2022, 2023, 2024],
        "udsat": [43, 40, 25, 20, 17, 19, 12],
        "parallelsamfund": [29, 28, 15, 12, 10, 12, 8],
        "omdannelsesomraade": [15, 15, 13, 10, 9, 8, 7],
        "forebyggelsesomraade": [None, None, None, 62, 67, 56, 63],
    }
)
"""The published lists of 1 December 2018–2024 [C: BL's yearly overviews; DOMAIN.md]. 2018–2020
under the names of the time: udsatte boligområder, ghettoområder, hårde ghettoområder (the
model's ``udsat``, ``parallelsamfund``, ``omdannelsesomraade`` columns under regime 2018)."""


@dataclass(frozen=True)
class BacktestSegment:
    """A stretch of years under one legal regime, started from the lists of its first year."""

    name: str
    regime: str
    first_year: int
    """The year of the day-0 list (the department data's year)."""
    last_year: int
    listed: dict[str, int]
    """Areas the country draws on each list on day 0 (as :data:`COUNTRY_LISTED_AREAS`)."""


SEGMENTS = (
    BacktestSegment(
        "2018–2020 (2018 rules)",
        "2018",
        2018,
        2020,
        {"omdannelsesomraade": 15, "parallelsamfund": 14, "udsat": 14},
    ),
    BacktestSegment(
        "2021–2024 (2021 rules)",
        "2021",
        2021,
        2024,
        {"omdannelsesomraade": 10, "parallelsamfund": 2, "udsat": 8, "forebyggelsesomraade": 62},
    ),
)
"""The back-test's segments: each starts from the published list of its first year."""


def run_backtest(
    replications: int,
    *,
    segments: tuple[BacktestSegment, ...] = SEGMENTS,
    progress: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Run every segment ``replications`` times; return the model's list counts by year.

    Returns
    -------
    pandas.DataFrame
        ``segment, replication, year`` and the count of areas on each list (columns of
        :data:`simulation.law.lists.LIST_COLUMNS`), from the day-0 list to the segment's last.
    """
    rows = []
    for segment in segments:
        for replication in range(replications):
            loaded = synthetic_scenario(
                NATIONAL_DEPARTMENTS,
                seed=replication,
                years=segment.last_year - segment.first_year,
                country=True,
                start_year=segment.first_year + 1,
                country_lists=segment.listed,
                overrides={"legal.regime": segment.regime},
            )
            model = HousingModel(loaded, seed=replication)
            tables = model.run()
            model.release()
            counts = tables.area_year.groupby("year")[list(LIST_COLUMNS)].sum().reset_index()
            rows.append(counts.assign(segment=segment.name, replication=replication))
            if progress is not None:
                progress(f"{segment.name}: replication {replication} done")
    frame = pd.concat(rows, ignore_index=True)
    return frame[["segment", "replication", "year", *LIST_COLUMNS]]
