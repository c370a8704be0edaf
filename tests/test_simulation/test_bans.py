"""The § 59 stk. 6/7 bans split referral households three ways, the same in planner and simulation.

The simulation draws each household's traits on arrival and queues it in one of three ban classes
(free, barred from udsat areas only, barred from forebyggelsesområder too); the planner splits
each group's demand by the expected share of each class and excludes each barred subgroup where
the queue would refuse it. These tests hold the two equal.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.inputs.scenario import BarredTraits, load_scenario
from simulation.people.households import draw_referral_households
from simulation.planning import (
    BAN_SUFFIXES,
    PlanningInput,
    planning_input_from_scenario,
    problem_from_input,
)
from simulation.rules.referrals import (
    BAN_CLASSES,
    ReferralQueue,
    ban_class,
    ban_class_shares,
    plan_classes,
    waiting_class,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "eksempelby.toml"
TRAITS = tuple(BarredTraits.model_fields)


def _group(**barred: float):  # type: ignore[no-untyped-def]
    loaded = load_scenario(EXAMPLE)
    group = loaded.scenario.referral_groups["homeless_single"]
    return group.model_copy(update={"barred": BarredTraits(**barred)})


def _drawn_classes(group, count: int, include_benefits: bool) -> np.ndarray:  # type: ignore[no-untyped-def]
    loaded = load_scenario(EXAMPLE)
    behaviour = loaded.scenario.behaviour
    _, traits = draw_referral_households(
        np.random.default_rng(7),
        group,
        count,
        0,
        2026,
        behaviour.income_dispersion,
        employability=0.1,
        conviction_risk=1.0,
        prevention_bans_include_benefits=include_benefits,
    )
    return np.array(
        [
            ban_class(u, p)
            for u, p in zip(traits.barred_udsat, traits.barred_prevention, strict=True)
        ]
    )


@pytest.mark.parametrize("include_benefits", [False, True])
@pytest.mark.parametrize("trait", TRAITS)
def test_each_trait_lands_in_the_class_the_planner_expects(
    trait: str, include_benefits: bool
) -> None:
    group = _group(**{trait: 1.0})
    shares = ban_class_shares(group, prevention_bans_include_benefits=include_benefits)
    expected = int(np.argmax(shares))
    assert shares[expected] == pytest.approx(1.0)
    drawn = _drawn_classes(group, 50, include_benefits)
    assert (drawn == expected).all(), (trait, BAN_CLASSES[expected], np.bincount(drawn))


@pytest.mark.parametrize("include_benefits", [False, True])
def test_class_shares_match_the_drawn_households(include_benefits: bool) -> None:
    group = _group(
        released_prisoner=0.05,
        evicted=0.1,
        non_eea_citizen=0.2,
        cash_benefit_6_months=0.4,
        integration_benefit_6_months=0.1,
        disability_pension=0.15,
        unemployment_benefit_6_months=0.05,
    )
    shares = ban_class_shares(group, prevention_bans_include_benefits=include_benefits)
    assert sum(shares) == pytest.approx(1.0)
    count = 200_000
    drawn = np.bincount(_drawn_classes(group, count, include_benefits), minlength=3) / count
    np.testing.assert_allclose(drawn, shares, atol=4 * np.sqrt(0.25 / count))


def _queue_admits() -> dict[tuple[bool, bool], set[int]]:
    """For each kind of area (udsat, forebyggelse), the ban classes the queue refers there."""
    loaded = load_scenario(EXAMPLE)
    scenario = loaded.scenario
    queue = ReferralQueue(
        {"homeless_single": scenario.referral_groups["homeless_single"]},
        np.random.default_rng(0),
        2026,
        scenario.behaviour,
        prevention_bans_include_benefits=False,
    )
    for line in queue.classes:  # one household waiting in each class
        referral_id = len(queue.group)
        queue.group.append(line.group)
        queue.arrival_month.append(0)
        queue.barred_udsat.append(line.barred_udsat)
        queue.barred_prevention.append(line.barred_prevention)
        line.line.append(referral_id)
    admits: dict[tuple[bool, bool], set[int]] = {}
    for udsat in (False, True):
        for prevention in (False, True):
            admits[(udsat, prevention)] = set()
            for kind in range(len(BAN_CLASSES)):
                allowed = np.zeros(plan_classes(1), bool)
                allowed[waiting_class(0, kind > 0, kind == 2)] = True
                if queue.longest_waiting(4, 0.0, udsat, prevention, allowed) >= 0:
                    admits[(udsat, prevention)].add(kind)
    return admits


def test_planner_excludes_each_subgroup_exactly_where_the_queue_refuses_it() -> None:
    loaded = load_scenario(EXAMPLE)
    planning = planning_input_from_scenario(loaded, months=12)
    kinds = [(False, False), (True, False), (False, True), (True, True)]
    frame = planning.departments.head(len(kinds)).copy()
    frame["udsat"] = [udsat for udsat, _ in kinds]
    frame["forebyggelsesomraade"] = [prevention for _, prevention in kinds]
    frame["listed"] = frame["udsat"] | frame["forebyggelsesomraade"]
    types = planning.dwelling_types[planning.dwelling_types["department"].isin(frame["department"])]
    problem = problem_from_input(PlanningInput(frame, types, planning.demand), loaded.scenario)
    admits = _queue_admits()
    for row, kind_of_area in zip(frame["department"], kinds, strict=True):
        for kind, suffix in enumerate(BAN_SUFFIXES):
            banned = "ban" in problem.exclusion_reasons(row, f"homeless_single{suffix}")
            assert banned == (kind not in admits[kind_of_area]), (kind_of_area, suffix)


def test_planner_demand_splits_arrivals_by_the_class_shares() -> None:
    loaded = load_scenario(EXAMPLE)
    scenario = loaded.scenario
    planning = planning_input_from_scenario(loaded, months=12)
    include = scenario.legal.prevention_bans_include_benefits
    rows = []
    for group_id, group in scenario.referral_groups.items():
        shares = ban_class_shares(group, prevention_bans_include_benefits=include)
        for suffix, share in zip(BAN_SUFFIXES, shares, strict=True):
            rows.append((planning.demand[group_id + suffix], group.arrivals_per_year * share))
    planned, expected = np.array(rows).T
    np.testing.assert_allclose(planned, expected)
    # refugees are mostly non-EEA citizens: barred from forebyggelsesområder as well
    assert planning.demand["refugees:barred_prevention"] > 30
    assert not pd.isna(planned).any()
