"""Benchmark: the Morris screening of Eksempelby over every ranged parameter, on local workers.

Runs what ``blandetby sensitivity scenarios/eksempelby.toml --method morris`` runs (the bundled
``scenarios/ranges/uncertainty.toml``: 20 parameters for Eksempelby, so ``samples × 21`` simulated runs)
into a temporary folder, and prints the wall-clock time. Issue 15's target: within 10 minutes with
2 workers (scale ``--years`` or ``--samples`` to meet it, and say so).

Usage::

    python benchmarks/sensitivity_morris.py [--samples 10] [--years 10] [--workers 2]

The last line printed is always ``seconds=<total> runs=<simulated runs> per_run=<seconds>``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from simulation.experiments.executors import make_executor
from simulation.experiments.sensitivity import scenario_sensitivity
from simulation.inputs.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10, help="Morris trajectories")
    parser.add_argument("--years", type=int, default=10, help="years simulated per run")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    args = parser.parse_args()
    loaded = load_scenario(ROOT / "scenarios" / "eksempelby.toml")
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        outcome = scenario_sensitivity(
            loaded,
            Path(folder) / "morris",
            method="morris",
            samples=args.samples,
            years=args.years,
            executor=make_executor(args.workers),
        )
        runs = len(outcome.samples)
    seconds = time.perf_counter() - start
    print(f"morris samples={args.samples} years={args.years} workers={args.workers}")
    print(f"seconds={seconds:.0f} runs={runs} per_run={seconds * args.workers / runs:.2f}")


if __name__ == "__main__":
    main()
