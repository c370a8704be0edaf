"""Benchmark: what the optimised placement policy costs per Eksempelby replication.

Runs paired replications (same seeds) of Eksempelby, 20 years, under first come, first served
(``scenarios/eksempelby.toml``) and under the optimised policy (``eksempelby_optimeret.toml``:
the referral LP re-planned every quarter), alternating the two so that both see the same load on
a shared machine, and prints each replication's seconds, wall and CPU (this process's CPU time,
which other work on the machine does not inflate). A replication is building the model (drawing
the population) and running it to its tables. Target (issue 12): the optimised policy costs at
most 1.5 × first come.

Usage::

    python benchmarks/policy_cost.py [--replications N] [--years Y] [--profile]

The last line printed is always ``ratio=<optimised / first come, CPU> wall_ratio=<...>
first_come_seconds=<mean CPU> optimised_seconds=<mean CPU>``.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

from simulation.inputs.scenario import load_scenario
from simulation.model import HousingModel

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
POLICIES = {
    "first_come": SCENARIOS / "eksempelby.toml",
    "optimised": SCENARIOS / "eksempelby_optimeret.toml",
}


def replication(path: Path, seed: int, years: int) -> tuple[float, float]:
    """Build and run one replication; return its wall and CPU seconds."""
    loaded = load_scenario(path)
    wall, cpu = time.perf_counter(), time.process_time()
    model = HousingModel(loaded, seed=seed, years=years)
    model.run()
    model.release()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    """Run the paired replications and print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=3)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument(
        "--profile", action="store_true", help="profile one optimised replication instead"
    )
    arguments = parser.parse_args()
    if arguments.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        replication(POLICIES["optimised"], 0, arguments.years)
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(30)
        return
    replication(POLICIES["first_come"], 0, 1)  # imports and first-use costs, not timed
    replication(POLICIES["optimised"], 0, 1)
    times: dict[str, list[tuple[float, float]]] = {policy: [] for policy in POLICIES}
    for seed in range(arguments.replications):
        for policy, path in POLICIES.items():
            wall, cpu = replication(path, seed, arguments.years)
            times[policy].append((wall, cpu))
            print(f"replication {seed} {policy:<10} wall {wall:6.2f} s  cpu {cpu:6.2f} s")
    mean = {
        policy: (
            sum(wall for wall, _ in pairs) / len(pairs),
            sum(cpu for _, cpu in pairs) / len(pairs),
        )
        for policy, pairs in times.items()
    }
    first_wall, first_cpu = mean["first_come"]
    optimised_wall, optimised_cpu = mean["optimised"]
    print(
        f"ratio={optimised_cpu / first_cpu:.2f} wall_ratio={optimised_wall / first_wall:.2f} "
        f"first_come_seconds={first_cpu:.2f} optimised_seconds={optimised_cpu:.2f}"
    )


if __name__ == "__main__":
    main()
