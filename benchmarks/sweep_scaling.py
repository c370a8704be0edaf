"""Parallel scaling and driver memory of replications: the bundled example, 1 vs 2 workers.

Runs R replications of scenarios/eksempelby.toml for Y years into a fresh run folder, once in one
process (``--workers 1``: the replications run in the driver) and once with 2 local worker
processes (spawned, the scenario sent once per worker, several replications per task), each
configuration in a fresh Python process so that start-up and peak memory are its own. The time
counted is the whole ``simulate`` call: worker start-up, simulation and writing the tables.

It then repeats the 2-worker run with ``--memory-replications`` replications to show that the
driver's peak memory does not grow with R (workers write their own tables; the driver keeps only
a few numbers per replication).

Prints one line per configuration and, as its LAST line,
``replications_per_second_1=<n> replications_per_second_2=<n> efficiency=<n>`` where
efficiency = rps_2 / (2 · rps_1). Target (issue 5): efficiency ≥ 0.8 on 2 workers.

Each configuration runs ``--repeat`` times (alternating) and the fastest counts, since the
machine may be shared.

Usage: python benchmarks/sweep_scaling.py [--replications R] [--years Y]
       [--memory-replications R2] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "scenarios" / "eksempelby.toml"
CPUS = os.cpu_count() or 1


def child(replications: int, years: int, workers: int, out: Path) -> None:
    """Run one configuration in this (fresh) process and print its figures as JSON."""
    from simulation.experiments.executors import make_executor
    from simulation.experiments.runner import simulate
    from simulation.inputs.scenario import load_scenario

    loaded = load_scenario(EXAMPLE)
    executor = make_executor(workers, tasks=replications)
    started = time.perf_counter()
    simulate(loaded, out, entropy=0, years=years, replications=replications, executor=executor)
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    driver = own.ru_maxrss / 1024
    workers_peak = children.ru_maxrss / 1024
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu,
                "driver_peak_rss_mb": driver,
                "worker_peak_rss_mb": workers_peak,
                "executor": executor.describe(),
            }
        )
    )


def measure(replications: int, years: int, workers: int) -> dict[str, float]:
    """Run a configuration in a fresh process; return its seconds and peak memory."""
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, __file__, "--child", str(replications), str(years)]
        command += [str(workers), str(Path(folder) / "run")]
        busy_before, started = busy_cpu_seconds(), time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        busy, wall = busy_cpu_seconds() - busy_before, time.perf_counter() - started
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    # CPU the rest of the machine used meanwhile, as a share of all its CPUs (0: we had it alone)
    result["other_load"] = max(0.0, busy - result["cpu_seconds"]) / (wall * CPUS)
    rate = replications / result["seconds"]
    print(
        f"replications={replications} years={years} workers={workers} "
        f"seconds={result['seconds']:.2f} replications_per_second={rate:.3f} "
        f"driver_peak_rss_mb={result['driver_peak_rss_mb']:.0f} "
        f"worker_peak_rss_mb={result['worker_peak_rss_mb']:.0f} "
        f"other_load={result['other_load']:.2f}",
        flush=True,
    )
    return result


def busy_cpu_seconds() -> float:
    """CPU seconds the whole machine has been busy (Linux ``/proc/stat``; 0 elsewhere)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        replications, years, workers = (int(value) for value in sys.argv[2:5])
        child(replications, years, workers, Path(sys.argv[5]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=32)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--memory-replications", type=int, default=96)
    parser.add_argument("--repeat", type=int, default=2, help="runs per configuration (best)")
    args = parser.parse_args()

    # best of --repeat, alternating, so that a burst of other work on the machine counts less;
    # other_load on each line says how busy the rest of the machine was meanwhile
    ones, twos = [], []
    for _ in range(args.repeat):
        ones.append(measure(args.replications, args.years, 1))
        twos.append(measure(args.replications, args.years, 2))
    one = min(ones, key=lambda result: result["seconds"])
    two = min(twos, key=lambda result: result["seconds"])
    many = measure(args.memory_replications, args.years, 2)
    rps_1 = args.replications / one["seconds"]
    rps_2 = args.replications / two["seconds"]
    print(
        f"driver_peak_rss_mb with 2 workers: R={args.replications}: "
        f"{two['driver_peak_rss_mb']:.0f} MB, R={args.memory_replications}: "
        f"{many['driver_peak_rss_mb']:.0f} MB"
    )
    print(
        f"replications_per_second_1={rps_1:.3f} replications_per_second_2={rps_2:.3f} "
        f"efficiency={rps_2 / (2 * rps_1):.3f}"
    )


if __name__ == "__main__":
    main()
