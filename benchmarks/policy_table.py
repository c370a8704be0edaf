"""The placement policies on Eksempelby, side by side: the table of issue 12, item 3.

Runs, with common random numbers (replication *r* of every scenario has the same seed):

* ``eksempelby``: first come, first served (the law's default, the reference);
* ``eksempelby_optimeret``: the referral LP re-planned every quarter;
* ``eksempelby_optimeret-first-come-same-volume``: first come, first served, capped at the
  volume the optimised policy achieved (``agreement.referral_volume_per_year``);
* ``eksempelby_optimeret-threshold-rule``: no referrals to a department above
  ``agreement.threshold_rule_above`` (35 %), first come elsewhere;

through ``simulation.compare(..., benchmarks=True)`` (what ``blandetby compare --benchmarks``
does), and prints one Markdown table: per policy, listed area-years over the horizon, the share of
referral households housed within 6 months, referrals a year, and the *price* against first come:
listed area-years avoided per 100 referral households not housed within 6 months, with its 95 %
interval (``simulation.experiments.measures.price_of_listings``). A second table contrasts the
optimised policy with each simple rule, paired.

Usage::

    python benchmarks/policy_table.py [--replications 10] [--years 20] [--out DIR] [--workers N]

Re-running with the same arguments resumes (finished replications are kept in ``DIR``).
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import pandas as pd

from simulation import compare
from simulation.experiments.executors import InProcessExecutor, LocalProcessExecutor
from simulation.inputs.scenario import load_scenario

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
FIRST_COME = SCENARIOS / "eksempelby.toml"
OPTIMISED = SCENARIOS / "eksempelby_optimeret.toml"


def _interval(mean: float, low: float, high: float, digits: int = 1) -> str:
    if math.isnan(mean):
        return "–"
    if math.isnan(low) or math.isnan(high):
        return f"{mean:.{digits}f}"
    return f"{mean:.{digits}f} [{low:.{digits}f}, {high:.{digits}f}]"


def policy_table(comparison: object) -> str:
    """The Markdown table of the policies: outcomes and the price against first come."""
    summary: pd.DataFrame = comparison.summary  # type: ignore[attr-defined]
    differences: pd.DataFrame = comparison.differences  # type: ignore[attr-defined]
    prices: pd.DataFrame = comparison.prices.set_index("scenario")  # type: ignore[attr-defined]
    labels: tuple[str, ...] = comparison.labels  # type: ignore[attr-defined]
    means = summary.pivot(index="scenario", columns="indicator", values="mean")
    lines = [
        "| policy | listed area-years | Δ vs first come [95 %] | housed within 6 months | "
        "referrals a year | price: area-years avoided per 100 not housed in 6 months [95 %] |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for label in labels:
        row = means.loc[label]
        if label == labels[0]:
            delta = price = "(reference)"
        else:
            found = differences[
                (differences["scenario"] == label)
                & (differences["indicator"] == "listed_area_years")
            ].iloc[0]
            delta = _interval(
                found["difference_mean"], found["difference_low_95"], found["difference_high_95"]
            )
            entry = prices.loc[label]
            price = _interval(entry["price"], entry["price_low"], entry["price_high"])
            if math.isnan(entry["price"]):
                price = f"– ({entry['reading']})"
        lines.append(
            f"| {label} | {row['listed_area_years']:.1f} | {delta} | "
            f"{100 * row['housed_within_6_months_share']:.0f} % | "
            f"{row['lettings_referral_per_year']:.1f} | {price} |"
        )
    return "\n".join(lines)


def contrast_table(comparison: object) -> str:
    """The optimised policy minus each simple rule, paired (mean [95 %])."""
    contrasts: pd.DataFrame = comparison.contrasts  # type: ignore[attr-defined]
    if contrasts.empty:
        return ""
    lines = [
        "| optimised − benchmark | listed area-years | housed within 6 months (points) |",
        "| --- | ---: | ---: |",
    ]
    for benchmark, rows in contrasts.groupby("reference", sort=False):
        rows = rows.set_index("indicator")
        listed = rows.loc["listed_area_years"]
        housed = rows.loc["housed_within_6_months_share"]
        lines.append(
            f"| − {benchmark} | "
            + _interval(
                listed["difference_mean"],
                listed["difference_low_95"],
                listed["difference_high_95"],
            )
            + " | "
            + _interval(
                100 * housed["difference_mean"],
                100 * housed["difference_low_95"],
                100 * housed["difference_high_95"],
            )
            + " |"
        )
    return "\n".join(lines)


def main() -> None:
    """Run the comparison and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=1, help="processes (default 1)")
    parser.add_argument("--out", type=Path, default=None, help="comparison folder")
    arguments = parser.parse_args()
    out = arguments.out or Path("comparisons") / (
        f"policy-table-{arguments.years}y-{arguments.replications}r-seed{arguments.seed}"
    )
    executor = (
        InProcessExecutor()
        if arguments.workers <= 1
        else LocalProcessExecutor(workers=arguments.workers)
    )
    started = time.perf_counter()
    comparison = compare(
        [load_scenario(FIRST_COME), load_scenario(OPTIMISED)],
        out,
        replications=arguments.replications,
        years=arguments.years,
        entropy=arguments.seed,
        executor=executor,
        benchmarks=True,
        figures=False,
    )
    print(
        f"Eksempelby, {arguments.years} years, {arguments.replications} paired replications "
        f"(seed {arguments.seed}), in {time.perf_counter() - started:.0f} s; folder {out}\n"
    )
    print(policy_table(comparison))
    print()
    print(contrast_table(comparison))


if __name__ == "__main__":
    main()
