"""Simulate a synthetic country (7,085 departments, ~573,000 dwellings) for 20 years of months.

The country is the one matched to the published lists (``synthetic_country``) unless
``--departments`` asks for another size.

Prints the set-up and simulation times and, as its last line,
``household_months_per_second=<n> seconds=<n> peak_rss_mb=<n>`` where ``seconds`` covers drawing
the population and simulating every month (not generating the department data).
Target (issue 3): the whole country in at most 60 s on one core, peak memory at most 2 GB.

Usage: python benchmarks/simulate_national.py [--departments N] [--years Y] [--seed S] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import sys
import time

from simulation.inputs.synthetic import NATIONAL_DEPARTMENTS, synthetic_scenario
from simulation.model import HousingModel


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--departments", type=int, default=NATIONAL_DEPARTMENTS)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile", action="store_true", help="print the 25 costliest calls")
    args = parser.parse_args()

    loaded = synthetic_scenario(
        args.departments,
        seed=args.seed,
        years=args.years,
        country=args.departments == NATIONAL_DEPARTMENTS,
    )
    dwellings = int(loaded.departments.filter(like="dwellings_").to_numpy().sum())
    print(f"departments={args.departments} dwellings={dwellings} years={args.years}")

    started = time.perf_counter()
    model = HousingModel(loaded, seed=args.seed, years=args.years)
    built = time.perf_counter()
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    tables = model.run()
    if profiler:
        profiler.disable()
    finished = time.perf_counter()

    household_months = int(tables.monthly["households"].sum())
    seconds = finished - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"setup_seconds={built - started:.2f} simulate_seconds={finished - built:.2f}")
    print(f"referrals={len(tables.referrals)} area_years={len(tables.area_year)}")
    if profiler:
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(25)
    print(
        f"household_months_per_second={household_months / seconds:.0f} "
        f"seconds={seconds:.2f} peak_rss_mb={peak_mb:.0f}"
    )


if __name__ == "__main__":
    main()
