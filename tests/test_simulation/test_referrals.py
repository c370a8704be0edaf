"""Municipal referral (kommunal anvisning, § 59) on hand-made worlds: claims, the queue, the bans.

Every world (see ``worlds.py``) has departments of eight dwellings in slot order 1, 1, 2, 2, 3,
3, 4, 4 rooms at 3,000, 3,000, 4,000, 4,000, 5,000, 5,000, 6,000 and 6,000 kr a month, each its own
area. Referral groups: ``ANYONE`` fits every dwelling, ``SINGLE`` only 1-room ones (rent at most
3,500 kr), ``FAMILY`` only 3 rooms or more.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from simulation.people.state import Channel
from simulation.rules.letting import Plan
from simulation.rules.referrals import plan_classes, waiting_class

from worlds import ANYONE, FAMILY, SINGLE, World


@pytest.mark.parametrize(
    ("share", "claimed", "credit_left"),
    [
        (0.25, [4, 8], 0.0),
        (1 / 3, [3, 6], 2 / 3),
        (0.4, [3, 5, 8], 0.2),
        (0.5, [2, 4, 6, 8], 0.0),
        (1.0, [1, 2, 3, 4, 5, 6, 7, 8], 0.0),
        (0.0, [], 0.0),
    ],
)
def test_each_vacancy_earns_the_share_and_the_vacancy_completing_a_claim_is_referred(
    world: World, share: float, claimed: list[int], credit_left: float
) -> None:
    # credit after each vacancy at 0.4: .4 .8 1.2→.2 .6 1.0→0 .4 .8 1.2→.2 (claims at 3, 5, 8)
    world.shares(referral=share)
    world.wait(ANYONE, count=8)
    vacancies = world.vacate(0)
    referred = world.refer(vacancies)
    assert (np.flatnonzero(referred) + 1).tolist() == claimed
    assert world.departments.referral_credit[0] == pytest.approx(credit_left)
    assert world.lettings(0)[Channel.REFERRAL] == len(claimed)
    assert world.queue.waiting() == 8 - len(claimed)


def test_claims_count_per_department_and_carry_over_from_month_to_month(world: World) -> None:
    world.wait(ANYONE, count=4)
    first, second = world.vacate(0), world.vacate(1)
    referred: dict[int, list[bool]] = {0: [], 1: []}
    for month in range(8):  # one vacancy a month in each department, alternating
        world.month = month
        for department, slots in ((0, first), (1, second)):
            referred[department].append(bool(world.refer(slots[[month]])[0]))
    every_fourth = [False, False, False, True] * 2
    assert referred == {0: every_fourth, 1: every_fourth}


def test_a_claim_with_nobody_fitting_lapses_and_its_credit_is_spent(world: World) -> None:
    world.shares(referral=0.5)
    family = world.wait(FAMILY)
    small, large = world.vacate(0, rooms=1), world.vacate(0, rooms=3)
    # the 2nd vacancy completes a claim, but a family needs 3 rooms: the claim lapses; had it been
    # carried over, the 3rd vacancy would be referred instead of the 4th
    referred = world.refer(np.r_[small, large])
    assert referred.tolist() == [False, False, False, True]
    assert world.who(large[1]) == ("referral", family[0])
    assert world.departments.referral_credit[0] == 0.0


def test_with_nobody_waiting_vacancies_still_earn_credit_and_the_claims_lapse(
    world: World,
) -> None:
    slots = world.vacate(0)
    assert not world.refer(slots[:5]).any()  # a claim at the 4th, nobody to take it
    assert world.departments.referral_credit[0] == pytest.approx(0.25)
    household = world.wait(ANYONE)
    assert world.refer(slots[5:]).tolist() == [False, False, True]  # 0.5, 0.75, 1.0
    assert world.who(slots[7]) == ("referral", household[0])


def test_the_longest_waiting_household_that_fits_is_referred_first(world: World) -> None:
    world.shares(referral=1.0)  # every vacancy is claimed
    single = world.wait(SINGLE, since=0)
    family = world.wait(FAMILY, since=1)
    anyone = world.wait(ANYONE, since=2, count=2)
    three_rooms, two_rooms, one_room = (world.vacate(0, rooms=r) for r in (3, 2, 1))
    order = np.r_[three_rooms[:1], two_rooms[:1], one_room]
    assert world.refer(order).all()
    # 3 rooms: the single waited longer but needs 1 room at 3,500 kr at most; 2 rooms at 4,000 kr
    # fits neither single nor family; then the single; then the second of the same month
    assert [world.who(slot) for slot in order] == [
        ("referral", family[0]),
        ("referral", anyone[0]),
        ("referral", single[0]),
        ("referral", anyone[1]),
    ]
    assert world.queue.waiting() == 0


def test_a_referred_household_moves_in_and_leaves_the_queue(world: World) -> None:
    world.month = 7
    household = world.wait(ANYONE, since=3)[0]
    slot = world.vacate(2, rooms=4, count=1)
    world.shares(referral=1.0)
    assert world.refer(slot).all()
    assert world.population.occupied[slot[0]]
    assert world.population.moved_in_month[slot[0]] == 7
    assert world.queue.housed_month[household] == 7
    assert world.queue.department[household] == 2
    assert world.lettings(2)[Channel.REFERRAL] == 1
    assert world.queue.table(8)["wait_months"].tolist() == [4]


@pytest.mark.parametrize("listing", ["udsat", "omdannelse"])
def test_a_barred_household_is_never_referred_into_an_udsat_area(
    world: World, listing: str
) -> None:
    world.shares(referral=1.0)
    world.list_area(0, **{listing: True})
    barred = world.wait(ANYONE, since=0, barred_udsat=True)
    clear = world.wait(ANYONE, since=1)
    listed = world.vacate(0, rooms=2)
    assert world.refer(listed[:1]).all()
    assert world.who(listed[0]) == ("referral", clear[0])
    # only the barred household is left: the next claim in the udsat area lapses
    assert not world.refer(listed[1:]).any()
    assert world.queue.waiting_ids() == barred


def test_a_barred_household_is_referred_into_an_unlisted_area(world: World) -> None:
    world.shares(referral=1.0)
    world.list_area(0, udsat=True)
    barred = world.wait(ANYONE, since=0, barred_udsat=True)
    world.wait(ANYONE, since=1)
    unlisted = world.vacate(1, rooms=2, count=1)
    assert world.refer(unlisted).all()
    assert world.who(unlisted[0]) == ("referral", barred[0])


@pytest.mark.parametrize(
    ("trait", "bans_include_benefits", "referred"),
    [
        ("cash_benefit_6_months", False, True),
        ("cash_benefit_6_months", True, False),
        ("disability_pension", False, True),
        ("disability_pension", True, False),
        ("non_eea_citizen", False, False),
        ("integration_benefit_6_months", False, False),
    ],
)
def test_a_forebyggelsesomraade_bars_traits_one_to_four_and_benefits_as_configured(
    make_world: Callable[..., World], trait: str, bans_include_benefits: bool, referred: bool
) -> None:
    # § 59 stk. 7: bans (1)-(4) and integration benefits always; (5)-(7) only if configured.
    # Every household arriving has the trait (share 1), so the outcome does not depend on draws.
    world = make_world(
        **{
            "legal.prevention_bans_include_benefits": bans_include_benefits,
            f"referral_groups.anyone.barred.{trait}": 1.0,
            "referral_groups.anyone.arrivals_per_year": 120.0,
        }
    )
    world.shares(referral=1.0)
    world.list_area(0, forebyggelse=True)
    world.list_area(1, udsat=True)
    assert world.queue.arrive(0) > 0
    prevention, udsat = world.vacate(0, count=1), world.vacate(1, count=1)
    assert world.refer(prevention).tolist() == [referred]
    assert world.refer(udsat).tolist() == [False]  # every trait bars from udsat areas


def test_a_ban_with_a_duration_ends_while_the_household_waits_and_it_keeps_its_place(
    world: World,
) -> None:
    # § 59 stk. 6 nr. 1 and 3: released from prison / evicted "in the last 6 months"
    world.shares(referral=1.0)
    world.list_area(0, udsat=True)
    banned = world.wait(ANYONE, since=0, barred_udsat=True, barred_prevention=True, bans_end=3)
    clear = world.wait(ANYONE, since=1, count=2)
    world.queue.drop_leavers(2)  # still banned in month 2
    listed = world.vacate(0, rooms=2)
    assert world.refer(listed[:1]).all()
    assert world.who(listed[0]) == ("referral", clear[0])
    world.queue.drop_leavers(3)  # the ban has ended: first come, first served by arrival
    assert world.queue.barred_udsat[banned[0]] is False
    assert world.refer(listed[1:]).all()
    assert world.who(listed[1]) == ("referral", banned[0])
    assert world.queue.waiting_ids() == clear[1:]


@pytest.mark.parametrize(
    ("traits", "lasting"),
    [
        ({"released_prisoner": 1.0}, False),
        ({"evicted": 1.0}, False),
        ({"released_prisoner": 1.0, "non_eea_citizen": 1.0}, True),
        ({"evicted": 1.0, "released_minor": 1.0}, True),
    ],
)
def test_prison_and_eviction_bans_end_within_six_months_of_arrival_other_bans_stay(
    make_world: Callable[..., World], traits: dict[str, float], lasting: bool
) -> None:
    world = make_world(
        **{f"referral_groups.anyone.barred.{name}": share for name, share in traits.items()},
        **{"referral_groups.anyone.arrivals_per_year": 600.0},
    )
    world.list_area(0, udsat=True)
    assert world.queue.arrive(0) > 0
    waiting = world.queue.waiting_ids()
    assert all(world.queue.barred_udsat[r] for r in waiting)
    ends = [entry[0] for entry in world.queue._bans_ending]
    if lasting:
        assert ends == []  # nothing to lift: the other trait bars it anyway
    else:
        assert len(ends) == len(waiting)
        assert min(ends) >= 1 and max(ends) <= 6
        assert len(set(ends)) > 1  # released or evicted at different times before arrival
    world.queue.drop_leavers(6)
    still = world.queue.waiting_ids()
    assert [world.queue.barred_udsat[r] for r in still] == [lasting] * len(still)


def test_the_plan_restricts_who_is_referred(world: World) -> None:
    world.shares(referral=1.0)
    anyone = world.wait(ANYONE, since=0)
    single = world.wait(SINGLE, since=1)
    remaining = np.zeros((world.departments.count, plan_classes(3)))
    remaining[0, waiting_class(SINGLE, False)] = 1.0
    plan = Plan(remaining)
    slots = world.vacate(0, rooms=1)
    assert world.refer(slots[:1], plan).all()
    assert world.who(slots[0]) == ("referral", single[0])  # not the longer-waiting ANYONE
    assert plan.remaining[0, waiting_class(SINGLE, False)] == 0.0
    # the plan has nothing left for department 0: the claim lapses, ANYONE keeps waiting
    assert not world.refer(slots[1:], plan).any()
    assert world.departments.referral_credit[0] == 0.0
    assert world.queue.waiting_ids() == anyone


def test_the_plan_tells_barred_households_from_the_rest_of_their_group(world: World) -> None:
    world.shares(referral=1.0)
    world.wait(ANYONE, since=0, barred_udsat=True)
    clear = world.wait(ANYONE, since=1)
    remaining = np.zeros((world.departments.count, plan_classes(3)))
    remaining[1, waiting_class(ANYONE, False)] = 5.0
    slot = world.vacate(1, count=1)
    assert world.refer(slot, Plan(remaining)).all()
    assert world.who(slot[0]) == ("referral", clear[0])
