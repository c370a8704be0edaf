"""Benchmark: plan a year of referrals for the whole country (7,085 departments × 6 groups).

A realistic random instance (numpy ``default_rng(seed)``): about 81 dwellings per department,
10.4 % of them vacant per year, an agreed referral share of 0.25, adults 18–64 with 10–60 % outside
work or education, six referral groups with a few thousand households in all, and about 70 % of
(department, group) pairs compatible (the rest excluded for rooms, rent or a § 59 ban). Every
compatible pair has a capacity: only part of a department's dwellings fit a group (rooms, rent),
on average 15 % for homeless singles up to 35 % for refugee families, so the LP has a
``fits_{department}_{group}`` row per compatible pair (``--without-capacity`` leaves them out).

Usage::

    python benchmarks/plan_national.py [--departments N] [--solver highs|cbc] [--seed S]
                                       [--integer] [--without-capacity]

The last line printed is always ``seconds=<total> cpu_seconds=<total> build_seconds=<model build>
solve_seconds=<solves>``; ``seconds`` (wall) and ``cpu_seconds`` (this process's CPU time, which
other work on a shared machine does not inflate) cover validating the frames, building, solving
all stages with HiGHS ranging and the re-solves that check shadow prices, assembling the plan and
writing the explanation: from problem data to plan.

With HiGHS the LP goes to HiGHS directly as arrays (``optimisation.highs_stages``); ``--pulp``
instead times building the same model in PuLP (what ``optimisation.pulp_model`` gives, for
``.lp``/``.mps`` files) without solving it.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from optimisation import ReferralProblem, plan_referrals, pulp_model

NATIONAL_DEPARTMENTS = 7085
GROUPS = pd.DataFrame(
    {
        "group": [
            "homeless_single",
            "homeless_family",
            "refugee_single",
            "refugee_family",
            "psychiatric",
            "social_family",
        ],
        "demand": [1400.0, 250.0, 450.0, 350.0, 500.0, 300.0],
        "adults_per_household": [1.0, 1.4, 1.0, 2.0, 1.0, 1.8],
        "outside_per_household": [0.95, 1.1, 0.8, 1.5, 1.0, 1.0],
    }
)
"""Six referral groups, 3,250 households a year in all (households per year; persons each)."""

FITTING_SHARE = pd.Series(
    [0.15, 0.30, 0.20, 0.35, 0.20, 0.30], index=GROUPS["group"], name="fitting_share"
)
"""Mean share of a department's dwellings that fit each group (rooms, rent)."""


def national_instance(
    n_departments: int = NATIONAL_DEPARTMENTS, seed: int = 2024
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A random but realistic country: departments, groups and exclusions with reasons.

    Parameters
    ----------
    n_departments
        How many departments.
    seed
        Seed of the generator.

    Returns
    -------
    departments, groups, exclusions : DataFrame
        The frames :meth:`ReferralProblem.from_frames` takes.
    """
    rng = np.random.default_rng(seed)
    scale = n_departments / NATIONAL_DEPARTMENTS
    dwellings = np.maximum(6, np.round(rng.gamma(2.0, 40.5, n_departments)))
    households = np.round(dwellings * rng.uniform(0.94, 1.0, n_departments))
    turnover = 0.104 * rng.lognormal(0.0, 0.25, n_departments) / np.exp(0.25**2 / 2)
    adults = np.round(households * rng.uniform(1.1, 1.6, n_departments))
    outside_share = rng.uniform(0.10, 0.60, n_departments)
    departments = pd.DataFrame(
        {
            "department": [f"{1000 + i}-{i % 97:02d}" for i in range(n_departments)],
            "vacancies": dwellings * turnover,
            "referral_share": 0.25,
            "households": households,
            "adults": adults,
            "adults_outside": np.round(adults * outside_share),
        }
    )
    groups = GROUPS.assign(demand=np.round(GROUPS["demand"] * scale).clip(lower=1))
    excluded = rng.random((n_departments, len(groups))) > 0.70
    rows, columns = np.nonzero(excluded)
    listed_area = rng.random(n_departments) < 0.04
    reasons = np.where(
        listed_area[rows], "ban", rng.choice(["rooms", "rent"], size=len(rows), p=[0.4, 0.6])
    )
    exclusions = pd.DataFrame(
        {
            "department": departments["department"].to_numpy()[rows],
            "group": groups["group"].to_numpy()[columns],
            "reason": reasons,
        }
    )
    return departments, groups, exclusions


def national_capacity(
    departments: pd.DataFrame, groups: pd.DataFrame, seed: int = 2024
) -> pd.DataFrame:
    """Every (department, group) pair with its capacity, as a ``compatibility`` frame.

    A pair's capacity is the department's referral slots in dwellings that fit the group:
    ``referral_share × vacancies × fitting share``, the fitting share drawn from a beta
    distribution (concentration 4) around the group's mean in :data:`FITTING_SHARE`.

    Parameters
    ----------
    departments, groups
        The frames of :func:`national_instance`.
    seed
        Seed of the generator (a stream of its own, so the instance itself does not change).

    Returns
    -------
    DataFrame
        ``department``, ``group``, ``capacity`` (households per year); the exclusions of
        :func:`national_instance` still apply on top.
    """
    rng = np.random.default_rng([seed, 1])
    mean = FITTING_SHARE.reindex(groups["group"]).fillna(0.25).to_numpy()
    share = rng.beta(4.0 * mean, 4.0 * (1.0 - mean), size=(len(departments), len(groups)))
    slots = (departments["referral_share"] * departments["vacancies"]).to_numpy()
    return pd.DataFrame(
        {
            "department": np.repeat(departments["department"].to_numpy(), len(groups)),
            "group": np.tile(groups["group"].to_numpy(), len(departments)),
            "capacity": (slots[:, None] * share).ravel(),
        }
    )


def main() -> None:
    """Run the benchmark and print its timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--departments", type=int, default=NATIONAL_DEPARTMENTS)
    parser.add_argument("--solver", choices=["highs", "cbc"], default=None)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--integer", action="store_true", help="whole referrals (MILP)")
    parser.add_argument(
        "--without-capacity", action="store_true", help="no per-pair capacities (fits rows)"
    )
    parser.add_argument(
        "--pulp", action="store_true", help="also time building the PuLP model (for export)"
    )
    arguments = parser.parse_args()

    departments, groups, exclusions = national_instance(arguments.departments, arguments.seed)
    compatibility = (
        None
        if arguments.without_capacity
        else national_capacity(departments, groups, arguments.seed)
    )
    started = time.perf_counter()
    cpu_started = time.process_time()
    problem = ReferralProblem.from_frames(departments, groups, compatibility, exclusions)
    validated = time.perf_counter()
    plan = plan_referrals(problem, solver=arguments.solver, integer=arguments.integer)
    planned = time.perf_counter()
    explanation = plan.explain()
    finished = time.perf_counter()
    cpu_seconds = time.process_time() - cpu_started

    print(
        f"{problem.n_departments} departments x {problem.n_groups} groups, "
        f"{int(problem.compatible.sum())} compatible pairs, {len(plan.fits)} with a capacity "
        f"({int(plan.fits['binding'].sum())} binding), solver {plan.solver}"
        + (" (integer)" if plan.integer else "")
    )
    print(
        f"placed {plan.placed:,.1f} of {problem.demand.sum():,.0f} households; "
        f"shortfall {plan.total_shortfall:,.1f}; max load {100 * plan.max_load:.2f} %; "
        f"headroom used {plan.headroom_used:,.1f} persons"
    )
    print(f"validate frames  {validated - started:8.3f} s")
    print(f"build model(s)   {plan.build_seconds:8.3f} s")
    print(f"solve 3 stages   {plan.solve_seconds:8.3f} s (with ranging)")
    print(
        f"assemble plan    {planned - validated - plan.build_seconds - plan.solve_seconds:8.3f} s"
    )
    print(f"explain          {finished - planned:8.3f} s ({len(explanation):,d} characters)")
    if arguments.pulp:
        built = time.perf_counter()
        model = pulp_model(problem, integer=arguments.integer)
        print(
            f"PuLP model       {time.perf_counter() - built:8.3f} s "
            f"({len(model.constraints)} rows, not part of seconds=)"
        )
    print(
        f"seconds={finished - started:.3f} cpu_seconds={cpu_seconds:.3f} build_seconds={plan.build_seconds:.3f} "
        f"solve_seconds={plan.solve_seconds:.3f}"
    )


if __name__ == "__main__":
    main()
