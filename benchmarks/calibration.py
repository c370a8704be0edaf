"""MODEL.md's calibration table, measured: the bundled example under its default agreement.

Runs Eksempelby (``scenarios/eksempelby.toml``) for ``--years`` years with seeds 0 … ``--seeds``−1
in this process and prints one Markdown row per quantity, mean over the seeds with the range
across them, from the years after the first (the first year starts from day-0 data):

* turnover of family dwellings per year (move-outs per dwelling);
* persons per household;
* the municipal referral share of lettings, and of lettings in areas on no list;
* the internal-list share of lettings;
* adults 18–64 outside work or education, at the start and at the end;
* dwellings vacant on 1 December (those whose applicants were all refused), per 1,000.

Usage::

    python benchmarks/calibration.py [--seeds 5] [--years 20] [--scenario FILE]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.inputs.scenario import load_scenario
from simulation.model import HousingModel

ROOT = Path(__file__).resolve().parents[1]
CHANNELS = ["lettings_referral", "lettings_flexible", "lettings_internal", "lettings_external"]


def measure(tables: object) -> dict[str, float]:
    """The calibration quantities of one run's tables."""
    department_year: pd.DataFrame = tables.department_year  # type: ignore[attr-defined]
    area_year: pd.DataFrame = tables.area_year  # type: ignore[attr-defined]
    first, last = int(department_year["year"].min()), int(department_year["year"].max())
    flows = department_year[department_year["year"] > first]
    lettings = flows[CHANNELS].to_numpy().sum()
    # an area on any list (parallelsamfund and omdannelsesområder are udsat areas too)
    listed = area_year.set_index(["area", "year"])[["udsat", "forebyggelsesomraade"]].any(axis=1)
    key = pd.MultiIndex.from_arrays([flows["area"], flows["year"]])
    unlisted = flows[~listed.reindex(key).fillna(False).to_numpy(bool)]
    unlisted_lettings = unlisted[CHANNELS].to_numpy().sum()

    def outside(year: int) -> float:
        rows = department_year[department_year["year"] == year]
        return float(np.average(rows["outside_work_education_share"], weights=rows["adults_18_64"]))

    return {
        "turnover of family dwellings per year": flows["move_outs"].sum()
        / flows["dwellings"].sum(),
        "persons per household": flows["residents"].sum() / flows["households"].sum(),
        "municipal referral share of lettings": flows["lettings_referral"].sum() / lettings,
        "the same, in areas on no list": unlisted["lettings_referral"].sum() / unlisted_lettings,
        "internal list share of lettings": flows["lettings_internal"].sum() / lettings,
        "adults 18–64 outside work/education, start": outside(first),
        "the same, end": outside(last),
        "dwellings vacant on 1 December, per 1,000": 1000.0
        * (1.0 - flows["households"].sum() / flows["dwellings"].sum()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "eksempelby.toml")
    arguments = parser.parse_args()
    loaded = load_scenario(arguments.scenario)
    started = time.perf_counter()
    rows = []
    for seed in range(arguments.seeds):
        model = HousingModel(loaded, seed=seed, years=arguments.years)
        model.run()
        rows.append(measure(model.tables()))
        model.release()
    frame = pd.DataFrame(rows)
    print(f"| quantity | model (seeds 0–{arguments.seeds - 1}, {arguments.years} years) | range |")
    print("|---|---|---|")
    for column in frame.columns:
        values = frame[column]
        share = "share" in column or "outside" in column or "turnover" in column
        share = share or column.startswith("the same")
        if share:
            text = f"{100 * values.mean():.1f} %"
            spread = f"{100 * values.min():.1f}–{100 * values.max():.1f} %"
        else:
            text = f"{values.mean():.2f}"
            spread = f"{values.min():.2f}–{values.max():.2f}"
        print(f"| {column} | {text} | {spread} |")
    print(f"seconds={time.perf_counter() - started:.1f}")


if __name__ == "__main__":
    main()
