"""Time to the first result of a lever change on the dashboard: Eksempelby, 6 replications of 10 years.

Does what the page does, without the browser: an engine (``simulation.dashboard.engine``) on
scenarios/eksempelby.toml with 2 worker processes started and warmed as the page starts them,
the reference run first (the page shows it on opening), then one lever change
(``agreement.default_referral_share`` 0.25 → 0.4 for the first change, then 0.33, …) into a fresh cache.
For each change it counts the seconds from the change to the first paired replication (what the
page first shows) and to the last one. A repeated setting is also timed (it comes from the cache).

Also drawn: the time to build the view the page shows first (the lists figure and the risk table
of the first pair), which comes on top of the engine's first result.

Prints one line per change and, as its LAST line,
``first_result_seconds=<median> all_seconds=<median> view_seconds=<median> cached_seconds=<s>``.
Target (issue 14): the first result within about 10 s.

Usage: python benchmarks/dashboard_first_result.py [--replications R] [--years Y] [--changes N]
       [--workers W]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "scenarios" / "eksempelby.toml"
SHARES = (0.4, 0.33, 0.2, 0.5, 0.15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=6)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument(
        "--changes", type=int, default=3, help=f"lever changes (at most {len(SHARES)})"
    )
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    from simulation.dashboard.engine import Engine, WorkerPool
    from simulation.dashboard.views import comparison_view
    from simulation.inputs.scenario import load_scenario

    reference = load_scenario(EXAMPLE)
    pool = WorkerPool(args.workers)
    with tempfile.TemporaryDirectory(prefix="dashboard-benchmark-") as cache:
        engine = Engine(reference, Path(cache), pool=pool)
        began = time.perf_counter()
        pool.warm_up()
        opened = engine.request(reference, years=args.years, replications=args.replications)
        done = opened.wait()
        print(
            f"reference: {args.replications} replications of {args.years} years "
            f"in {time.perf_counter() - began:.1f} s from a cold start ({done.status})"
        )
        firsts, alls, views = [], [], []
        for share in SHARES[: args.changes]:
            variant = reference.with_overrides({"agreement.default_referral_share": share})
            request = engine.request(variant, years=args.years, replications=args.replications)
            progress = request.wait()
            assert progress.status == "done", progress.error
            assert progress.first_result_seconds is not None
            started = time.perf_counter()
            view = comparison_view(
                request.reference_dir, request.variant_dir, progress.pairs[:1], "en"
            )
            view.lists_figure().savefig(Path(cache) / "lists.png", dpi=80)
            view.risk_html()
            view_seconds = time.perf_counter() - started
            firsts.append(progress.first_result_seconds)
            alls.append(progress.seconds)
            views.append(view_seconds)
            print(
                f"default_referral_share={share}: first pair after "
                f"{progress.first_result_seconds:.1f} s, all {len(progress.pairs)} after "
                f"{progress.seconds:.1f} s; first view drawn in {view_seconds:.1f} s"
            )
        again = engine.request(
            reference.with_overrides({"agreement.default_referral_share": SHARES[0]}),
            years=args.years,
            replications=args.replications,
        ).wait()
        print(f"default_referral_share={SHARES[0]} again: {again.seconds:.2f} s (cache)")
        engine.close()
    print(
        f"first_result_seconds={statistics.median(firsts):.2f} "
        f"all_seconds={statistics.median(alls):.2f} "
        f"view_seconds={statistics.median(views):.2f} cached_seconds={again.seconds:.2f}"
    )


if __name__ == "__main__":
    main()
