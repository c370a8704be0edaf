"""Municipal referral (kommunal anvisning, § 59) on hand-made worlds: claims, the queue, the bans.

Every world (see ``worlds.py``) has departments of eight dwellings in slot order 1, 1, 2, 2, 3,
3, 4, 4 rooms at 3,000, 3,000, 4,000, 4,000, 5,000, 5,000, 6,000 and 6,000 kr a month, each its own
area. Referral groups: ``ANYONE`` fits every dwelling, ``SINGLE`` only 1-room ones (rent at most
3,500 kr), ``FAMILY`` only 3 rooms or more.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.experiments.measures import kaplan_meier, survival_quantile
from simulation.inputs.scenario import load_scenario
from simulation.model import HousingModel
from simulation.people.population import Status, working_age
from simulation.people.state import PAYERS, Channel
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
    remaining[0, waiting_class(SINGLE, False, False)] = 1.0
    plan = Plan(remaining)
    slots = world.vacate(0, rooms=1)
    assert world.refer(slots[:1], plan).all()
    assert world.who(slots[0]) == ("referral", single[0])  # not the longer-waiting ANYONE
    assert plan.remaining[0, waiting_class(SINGLE, False, False)] == 0.0
    # the plan has nothing left for department 0: the claim lapses, ANYONE keeps waiting
    assert not world.refer(slots[1:], plan).any()
    assert world.departments.referral_credit[0] == 0.0
    assert world.queue.waiting_ids() == anyone


def test_the_plan_tells_barred_households_from_the_rest_of_their_group(world: World) -> None:
    world.shares(referral=1.0)
    world.wait(ANYONE, since=0, barred_udsat=True)
    clear = world.wait(ANYONE, since=1)
    remaining = np.zeros((world.departments.count, plan_classes(3)))
    remaining[1, waiting_class(ANYONE, False, False)] = 5.0
    slot = world.vacate(1, count=1)
    assert world.refer(slot, Plan(remaining)).all()
    assert world.who(slot[0]) == ("referral", clear[0])


# --------------------------------------------------------------------------------------------------
# After housing: work or education, failed tenancies, outcomes and Kaplan–Meier waits


def housed_referral(world: World, *, age: int = 40, department: int = 0) -> tuple[int, int]:
    """One household of ``ANYONE`` referred into a department's first dwelling: (id, slot)."""
    world.shares(referral=1.0)
    (referral_id,) = world.wait(ANYONE)
    slot = world.vacate(department, count=1)
    assert world.refer(slot).all()
    world.population.born[slot[0], 0] = world.month - age * 12
    return referral_id, int(slot[0])


def test_a_failed_tenancy_empties_the_dwelling_and_the_household_joins_the_queue_again(
    make_world: Callable[..., World],
) -> None:
    world = make_world(**{"referral_groups.anyone.tenancy_failure_per_month": [0.0, 1.0]})
    referral_id, slot = housed_referral(world)
    for month in (1, 11):  # in its first year it never fails (0.0)
        assert world.queue.live_on(world.population, month).size == 0
    assert world.population.occupied[slot]
    assert world.queue.live_on(world.population, 12).tolist() == [slot]  # the second year: 1.0
    assert not world.population.occupied[slot]
    table = world.queue.table(24)
    first, again = table.iloc[referral_id], table.iloc[-1]
    assert (first["outcome"], first["evicted_month"]) == ("evicted", 12)
    assert again["previous_referral_id"] == referral_id
    assert (again["arrival_month"], again["outcome"], again["queue_months"]) == (12, "waiting", 12)
    # evicted within 6 months: barred from listed areas (§ 59 stk. 6 nr. 3) until the ban ends
    assert world.queue.waiting() == 1
    assert world.queue.barred_udsat[-1] and world.queue.barred_prevention[-1]
    world.queue.end_bans(18)
    assert not world.queue.barred_udsat[-1]


def test_an_adult_outside_work_enters_work_or_under_30_education_once_housed(
    make_world: Callable[..., World],
) -> None:
    world = make_world(**{"referral_groups.anyone.work_entry_per_month": [1.0]})
    _, older = housed_referral(world, age=40)
    _, younger = housed_referral(world, age=25, department=1)
    population = world.population
    assert (population.status[[older, younger], 0] == Status.OUTSIDE).all()
    assert world.queue.live_on(population, 1).size == 0  # nobody fails
    assert population.status[older, 0] == Status.EMPLOYED
    assert population.status[younger, 0] == Status.STUDENT
    assert population.employability[[older, younger], 0].tolist() == [1.0, 1.0]


def test_without_hazards_housed_households_stay_as_they_are_and_nothing_is_drawn(
    world: World,
) -> None:
    _, slot = housed_referral(world)
    state = world.queue.lives_rng.bit_generator.state
    assert world.queue.live_on(world.population, 5).size == 0
    assert world.population.status[slot, 0] == Status.OUTSIDE
    assert world.queue.lives_rng.bit_generator.state == state


def test_the_kaplan_meier_median_counts_those_never_housed() -> None:
    # four spells: housed after 1 and 3 months, one left after 2, one still waiting after 4
    durations = np.array([1.0, 2.0, 3.0, 4.0])
    housed = np.array([True, False, True, False])
    times, survival = kaplan_meier(durations, housed)
    assert times.tolist() == [1.0, 3.0]
    assert survival.tolist() == pytest.approx([0.75, 0.375])
    assert survival_quantile(times, survival, 0.5) == 3.0  # the housed-only median would be 2
    assert np.isnan(survival_quantile(times, survival, 0.9))  # never reached
    assert np.isnan(survival_quantile(*kaplan_meier(durations, np.zeros(4, bool)), 0.5))


def test_the_outcome_of_each_spell_is_housed_left_or_waiting(world: World) -> None:
    world.shares(referral=1.0)
    _housed, left, waiting = world.wait(ANYONE, count=3)
    world.queue.leave_month[left] = 2
    world.month = 3
    world.queue.drop_leavers(3)
    assert world.refer(world.vacate(0, count=1)).all()
    table = world.queue.table(10).set_index("referral_id")
    assert table["outcome"].tolist() == ["housed", "left", "waiting"]
    assert table["queue_months"].tolist() == [3, 2, 10]
    assert table.loc[waiting, "evicted_month"] is pd.NA


@pytest.mark.slow
def test_referred_households_leave_work_less_and_fail_more_as_their_hazards_say() -> None:
    """Paired (same seed): work entry lowers referred adults' outside share; failure evicts."""
    loaded = load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "eksempelby.toml")
    outcomes = {}
    for name, work, failure in (("none", [], []), ("work", [0.05], []), ("fail", [], [0.02])):
        overrides: dict[str, object] = {}
        for group in loaded.scenario.referral_groups:
            overrides[f"referral_groups.{group}.work_entry_per_month"] = work
            overrides[f"referral_groups.{group}.tenancy_failure_per_month"] = failure
        model = HousingModel(loaded.with_overrides(overrides), seed=3, years=4)
        tables = model.run()
        population = model.population
        referred = population.occupied & (population.referral_id >= 0)
        adults = working_age(population.adult[referred], population.born[referred], model.month)
        outside = (population.status[referred] == Status.OUTSIDE) & adults
        outcomes[name] = (outside.sum() / adults.sum(), tables.referrals)
    assert outcomes["work"][0] < outcomes["none"][0] - 0.15
    assert (outcomes["none"][1]["outcome"] == "evicted").sum() == 0
    evicted = (outcomes["fail"][1]["outcome"] == "evicted").sum()
    assert evicted > 50
    assert len(outcomes["fail"][1]) == len(outcomes["none"][1]) + evicted  # each fails once at most


# --------------------------------------------------------------------------------------------------
# Demand from the quota (kommunekvote) or a yearly table


def test_a_group_takes_its_arrivals_from_the_quota_or_the_yearly_table_or_the_default(
    make_world: Callable[..., World],
) -> None:
    world = make_world(
        **{
            "referral_groups.family.couple_share": 0.5,
            "referral_groups.family.children_mean": 1.5,
            "referral_groups.family.kommunekvote": {"2026": 3_000},  # 3 persons a household
            "referral_groups.single.arrivals_by_year": {"2027": 600.0},
            "referral_groups.anyone.arrivals_per_year": 120.0,
        }
    )
    family, single, anyone = (world.queue.groups[g] for g in (FAMILY, SINGLE, ANYONE))
    assert family.arrivals_in(2026) == pytest.approx(1_000.0)
    assert family.arrivals_in(2027) == 0.0  # the default of the hand-made world
    assert (single.arrivals_in(2026), single.arrivals_in(2027)) == (0.0, 600.0)
    assert anyone.arrivals_in(2030) == 120.0
    for month in range(24):
        world.queue.arrive(month)
    table = world.queue.table(24)
    by_year = table.groupby([table["group"].astype(str), table["arrival_month"] // 12]).size()
    assert 900 < by_year[("family", 0)] < 1_100 and ("family", 1) not in by_year
    assert 520 < by_year[("single", 1)] < 680 and ("single", 0) not in by_year
    assert 80 < by_year[("anyone", 0)] < 160 and 80 < by_year[("anyone", 1)] < 160


def test_a_larger_quota_brings_more_refugees_to_the_queue_and_longer_waits(
    make_world: Callable[..., World],
) -> None:
    """Paired (same seed): next year's higher quota means more arrivals and more left waiting."""
    waiting = {}
    for quota in (12, 120):
        world = make_world(
            seed=4,
            **{
                "referral_groups.anyone.kommunekvote": {"2026": quota},
                "agreement.default_referral_share": 1.0,
            },
        )
        for month in range(12):
            world.month = month
            world.queue.arrive(month)
            world.refer(world.vacate(month % 3, count=1))  # one vacancy a month
        waiting[quota] = (len(world.queue), world.queue.waiting())
    assert waiting[120][0] > 5 * waiting[12][0]
    assert waiting[120][1] > waiting[12][1]


# --------------------------------------------------------------------------------------------------
# Claim accounting as agreed: the unit counted, claims carried over, dwellings held


def test_claims_counted_per_organisation_fall_on_the_vacancy_completing_the_organisations_claim(
    make_world: Callable[..., World],
) -> None:
    referred = {}
    for unit in ("department", "organisation"):
        world = make_world(**{"agreement.referral_accounting": unit})
        world.wait(ANYONE, count=2)
        # two vacancies in each of two departments: 0.5 a department, 1.0 for the organisation
        slots = np.r_[world.vacate(0, count=2), world.vacate(1, count=2)]
        referred[unit] = world.refer(slots).tolist()
    assert referred["department"] == [False] * 4
    assert referred["organisation"] == [False, False, False, True]


def test_a_claim_nobody_fits_is_carried_over_to_the_next_fitting_vacancy_of_the_unit(
    make_world: Callable[..., World],
) -> None:
    world = make_world(**{"agreement.claim_carry_over_months": 3})
    world.shares(referral=0.5)
    family = world.wait(FAMILY)
    small, large = world.vacate(0, rooms=1), world.vacate(0, rooms=3)
    # the 2nd vacancy completes a claim a family cannot use: carried over, it takes the 3rd
    # (where the claim lapsed at once, the 4th: see the lapse test above)
    assert world.refer(np.r_[small, large]).tolist() == [False, False, True, False]
    assert world.who(large[0]) == ("referral", family[0])
    assert world.model.municipality.lapses == []


def test_a_carried_claim_lapses_after_its_months_with_the_reason_of_its_last_try(
    make_world: Callable[..., World],
) -> None:
    world = make_world(**{"agreement.claim_carry_over_months": 2})
    world.shares(referral=1.0)
    world.wait(FAMILY)
    one_room = world.vacate(0, rooms=1)
    world.refer(one_room[:1])  # a claim nobody fits: carried over
    for month in (1, 2):
        world.month = month
        world.refer(np.empty(0, np.int64))
    assert world.model.municipality.lapses == []
    world.month = 3
    world.refer(np.empty(0, np.int64))
    assert world.model.municipality.lapses == [(3, 0, "no_fitting_household")]
    table = world.model.municipality.lapsed_claims(list(world.departments.ids))
    assert table.to_dict("records") == [
        {"month": 3, "department": "d0", "reason": "no_fitting_household", "claims": 1}
    ]


def test_without_carry_over_every_lapsed_claim_is_recorded_with_its_reason(world: World) -> None:
    world.shares(referral=1.0)
    world.wait(FAMILY)
    world.list_area(1, udsat=True)
    world.wait(ANYONE, barred_udsat=True)
    listed, small = world.vacate(1, rooms=2, count=1), world.vacate(0, rooms=1)
    # 2 rooms in an udsat area: "anyone" fits but is barred, the family needs 3 rooms; then
    # "anyone" takes a 1-room dwelling elsewhere, and the other fits nobody left
    assert world.refer(np.r_[listed, small]).tolist() == [False, True, False]
    assert world.model.municipality.lapses == [(0, 1, "barred"), (0, 0, "no_fitting_household")]


def test_a_held_dwelling_waits_for_a_household_and_the_municipality_pays_its_rent(
    make_world: Callable[..., World],
) -> None:
    world = make_world(**{"agreement.hold_for_referral": 2})
    world.shares(referral=1.0)
    model, municipality = world.model, world.model.municipality
    kept, released = world.vacate(0, rooms=3, count=1), world.vacate(1, rooms=3, count=1)
    # nobody waits: both claimed and held (a family could use them)
    assert world.refer(np.r_[kept, released]).all()
    assert sorted(municipality.accounting.held_slots.tolist()) == sorted([*kept, *released])
    municipality.count_held_months()
    assert world.tally.vacant_months[PAYERS.index("municipality")].sum() == 2
    assert world.tally.vacant_rent[PAYERS.index("municipality")].sum() == 2 * 5_000
    # a month later a family arrives: the first held dwelling is referred to it
    family = world.wait(FAMILY, since=1)
    assert municipality.review_held(1).size == 0
    assert world.who(int(kept[0])) == ("referral", family[0])
    # the other is released to the waiting lists after 2 months, and its claim lapses
    assert municipality.review_held(2).tolist() == released.tolist()
    assert municipality.lapses == [(2, 1, "nobody_waiting")]
    del model


@pytest.mark.slow
def test_carrying_claims_over_and_holding_dwellings_raise_referrals_and_quick_housing() -> None:
    """Paired (same seed) on Eksempelby: the levers do what a practitioner expects."""
    example = load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "eksempelby.toml")
    results = {}
    for name, overrides in (
        ("as the law's strictest reading", {}),
        ("carried over", {"agreement.claim_carry_over_months": 12}),
        ("held", {"agreement.hold_for_referral": 2}),
    ):
        model = HousingModel(example.with_overrides(overrides), seed=5, years=4)
        tables = model.run()
        flows = tables.department_year[tables.department_year["year"] > 2025]
        referrals = tables.referrals
        observed = referrals["arrival_month"] + 6 < model.month
        quick = referrals["wait_months"].fillna(99) <= 6
        results[name] = (
            flows["lettings_referral"].sum(),
            quick[observed].mean(),
            flows["vacant_rent_municipality_kr"].sum(),
            tables.lapsed_claims["claims"].sum(),
        )
    base, carried, held = (results[n] for n in results)
    assert carried[0] > base[0] and carried[1] > base[1] + 0.05 and carried[3] < base[3]
    assert held[0] >= base[0] and held[1] >= base[1]
    assert base[2] == carried[2] == 0 and held[2] > 0  # holding costs the municipality rent
