"""Does the optimised policy realise its plan when the plan pools claims as the agreement does?

Paired runs of ``scenarios/eksempelby_optimeret.toml`` with claims counted per housing
organisation and carried over (``agreement.referral_accounting = "organisation"``,
``agreement.claim_carry_over_months``), each seed run twice with the same households and
arrivals (common random numbers):

* **pooled**: the planner as it is (``simulation.planning``): a ``claims`` row per organisation
  with the claims banked now, each department limited by its vacancies and fitting dwellings;
* **own share**: the planner of old, each department limited to its own share of its vacancies
  and of its fitting dwellings, whatever the agreement counts.

Prints per variant the referrals planned and realised over the run (``plan_adherence``), the
share realised, referrals made, lapsed claims, and the share of referral households housed within
6 months, with the mean paired difference (pooled − own share) and its 95 % interval.

Usage::

    python benchmarks/pooled_adherence.py [--seeds 5] [--years 3] [--carry-over 3] \
        [--share 0.10]

``--share`` sets ``agreement.default_referral_share`` (default: the scenario's), to see the plans
where claims are scarce.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

import simulation.planning as planning
from simulation.inputs.scenario import load_scenario
from simulation.model import HousingModel

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "eksempelby_optimeret.toml"


@contextmanager
def own_share_planner() -> Iterator[None]:
    """The planner of old: each department at its own share, no claim units."""
    pooled = planning._claims

    def own_share(arrays: planning.PlanningArrays, agreement: object) -> tuple[object, ...]:
        return np.asarray(arrays.referral_share, np.float64), None, None

    planning._claims = own_share  # type: ignore[assignment]
    try:
        yield
    finally:
        planning._claims = pooled


def measure(seed: int, years: int, carry_over: int, share: float | None) -> dict[str, float]:
    """One run's figures."""
    overrides: dict[str, object] = {
        "agreement.referral_accounting": "organisation",
        "agreement.claim_carry_over_months": carry_over,
    }
    if share is not None:
        overrides["agreement.default_referral_share"] = share
    loaded = load_scenario(SCENARIO).with_overrides(overrides)
    tables = HousingModel(loaded, seed=seed, years=years).run()
    adherence = tables.plan_adherence
    referrals = tables.referrals
    housed = referrals.dropna(subset=["housed_month"])
    waited = housed["housed_month"] - housed["arrival_month"]
    planned = float(adherence["planned"].sum())
    realised = float(adherence["realised"].sum())
    return {
        "planned": planned,
        "realised": realised,
        "realised_share": realised / planned if planned else math.nan,
        "referrals_made": float(len(housed)),
        "lapsed_claims": float(tables.lapsed_claims["claims"].sum()),
        "housed_within_6_months": float((waited <= 6).sum()) / max(len(referrals), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--carry-over", type=int, default=3)
    parser.add_argument("--share", type=float, default=None)
    arguments = parser.parse_args()
    started = time.perf_counter()
    pooled, own = [], []
    for seed in range(arguments.seeds):
        pooled.append(measure(seed, arguments.years, arguments.carry_over, arguments.share))
        with own_share_planner():
            own.append(measure(seed, arguments.years, arguments.carry_over, arguments.share))
    print(
        f"Eksempelby, optimised policy, claims per organisation carried over "
        f"{arguments.carry_over} months"
        + ("" if arguments.share is None else f", referral share {arguments.share:g}")
        + f"; {arguments.seeds} paired seeds × {arguments.years} years"
    )
    print("| measure | pooled plan | own-share plan | paired difference (95 % interval) |")
    print("| --- | --- | --- | --- |")
    for key in pooled[0]:
        a = np.array([run[key] for run in pooled])
        b = np.array([run[key] for run in own])
        difference = a - b
        half = (
            1.96 * difference.std(ddof=1) / math.sqrt(len(difference))
            if len(difference) > 1
            else math.nan
        )
        print(
            f"| {key} | {a.mean():.3f} | {b.mean():.3f} | {difference.mean():+.3f} (± {half:.3f}) |"
        )
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
