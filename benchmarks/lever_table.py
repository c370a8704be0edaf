"""Each lever of an agreement on Eksempelby, paired against the legal default: MODEL.md's lever table.

Runs ``scenarios/eksempelby.toml`` (the law's default: every 4th vacancy to the municipality, no
flexible letting, no combined letting) and one variant per lever, all with the same seed, so
replication *r* of every variant sees the same households and arrivals wherever the agreements
do not differ (common random numbers). Prints one Markdown table: per lever the mean paired
difference from the default, with its 95 % interval, of

* listed area-years (areas on the udsat or forebyggelse list, summed over the years),
* the share of referral households housed within 6 months,
* the median wait of those housed (months),
* referral lettings a year and flexible lettings a year.

Levers (a lever whose field the installed schema does not have is left out, with a note):

* referral share 1 in 10 and 1 in 2 (``agreement.default_referral_share``);
* flexible letting as Eksempelby's ``_fleksibel`` variant agrees it;
* § 51 b combined letting (``agreement.combined_letting``);
* the stepped model (``eksempelby_trappemodel.toml``);
* unused claims carried over 3 months (``agreement.claim_carry_over_months``).

Usage::

    python benchmarks/lever_table.py [--replications 10] [--years 20] [--workers 2] [--out DIR]

Re-running with the same arguments resumes (finished replications are kept in ``DIR``).
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path
from typing import Any

import pandas as pd

from simulation import compare
from simulation.base.errors import ScenarioError
from simulation.experiments.executors import InProcessExecutor, LocalProcessExecutor
from simulation.inputs.scenario import LoadedScenario, load_scenario

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
COLUMNS = {
    "listed_area_years": ("listed area-years", 1),
    "housed_within_6_months_share": ("housed within 6 months (points)", 1),
    "wait_median_months": ("median wait, housed (months)", 1),
    "lettings_referral_per_year": ("referral lettings a year", 0),
    "lettings_flexible_per_year": ("flexible lettings a year", 0),
}


def levers() -> tuple[list[str], list[LoadedScenario], list[str]]:
    """The labels and scenarios of the comparison (the default first), and the levers left out."""
    default = load_scenario(SCENARIOS / "eksempelby.toml")
    overrides: list[tuple[str, dict[str, Any]]] = [
        ("referral share 1 in 10", {"agreement.default_referral_share": 0.10}),
        ("referral share 1 in 2", {"agreement.default_referral_share": 0.50}),
        ("combined letting (§ 51 b)", {"agreement.combined_letting": True}),
        ("claims carried over 3 months", {"agreement.claim_carry_over_months": 3}),
    ]
    labels, scenarios, missing = ["legal default"], [default], []
    for label, override in overrides:
        try:
            scenarios.append(default.with_overrides(override))
        except ScenarioError:
            missing.append(f"{label} ({', '.join(override)} is not in this schema)")
            continue
        labels.append(label)
    for label, file in (
        ("flexible letting", "eksempelby_fleksibel.toml"),
        ("stepped model", "eksempelby_trappemodel.toml"),
    ):
        labels.append(label)
        scenarios.append(load_scenario(SCENARIOS / file))
    return labels, scenarios, missing


def _cell(row: pd.Series, digits: int, scale: float) -> str:
    mean, low, high = (
        scale * row[key] for key in ("difference_mean", "difference_low_95", "difference_high_95")
    )
    if math.isnan(low) or math.isnan(high):
        return f"{mean:+.{digits}f}"
    return f"{mean:+.{digits}f} [{low:+.{digits}f}, {high:+.{digits}f}]"


def lever_table(differences: pd.DataFrame, labels: list[str]) -> str:
    """The Markdown table of the paired differences, one row per lever."""
    header = "| lever | " + " | ".join(name for name, _ in COLUMNS.values()) + " |"
    lines = [header, "|---" + "|---:" * len(COLUMNS) + "|"]
    for label in labels[1:]:
        cells = []
        for indicator, (_, digits) in COLUMNS.items():
            found = differences[
                (differences["scenario"] == label) & (differences["indicator"] == indicator)
            ]
            scale = 100.0 if indicator.endswith("_share") else 1.0
            cells.append(_cell(found.iloc[0], digits, scale) if len(found) else "–")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("runs/lever_table"))
    arguments = parser.parse_args()
    labels, scenarios, missing = levers()
    executor = (
        LocalProcessExecutor(arguments.workers) if arguments.workers > 1 else InProcessExecutor()
    )
    started = time.perf_counter()
    comparison = compare(
        scenarios,
        arguments.out,
        labels=labels,
        replications=arguments.replications,
        years=arguments.years,
        executor=executor,
        figures=False,
    )
    print(
        f"Eksempelby, {arguments.years} years, {arguments.replications} paired replications: "
        "mean difference from the legal default [95 % interval]"
    )
    print()
    print(lever_table(comparison.differences, labels))
    for note in missing:
        print(f"\nleft out: {note}")
    print(f"\nseconds={time.perf_counter() - started:.1f}")


if __name__ == "__main__":
    main()
