"""Letting on hand-made worlds: flexible letting (§ 60), the waiting lists, § 51 b and § 51 c.

The worlds are those of ``worlds.py``; ``script`` fixes, in order, the waiting-list applicants
the letting draws (3 per dwelling, then 12 more where none qualified), and ``World.who`` tells
which of them moved in where.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from simulation.inputs.scenario import FlexibleCriterion
from simulation.people.households import ApplicantFlags, draw_applicants
from simulation.people.population import HouseholdBatch, Status
from simulation.people.state import Channel
from simulation.rules.letting import (
    combined_letting_areas,
    fits_household,
    flexible_letting,
    internal_list_turn,
    meets_flexible_criteria,
)

from worlds import (
    ANYONE,
    CASH_6_MONTHS,
    CASH_NOW,
    COMMUTER,
    EMPLOYED,
    PARENT,
    PENSIONER,
    PLAIN,
    SENIOR,
    STUDENT,
    Applicant,
    Script,
    World,
    same_household,
)

MEETING: dict[FlexibleCriterion, Applicant] = {
    FlexibleCriterion.EMPLOYMENT: EMPLOYED,
    FlexibleCriterion.EDUCATION: STUDENT,
    FlexibleCriterion.COMMUTER: COMMUTER,
    FlexibleCriterion.SENIOR_DOWNSIZING: SENIOR,
    FlexibleCriterion.FAMILY_WITH_CHILDREN: PARENT,
}
"""For each flexible-letting criterion, a scripted applicant who meets that one only."""


def flags_of(*applicants: Applicant) -> ApplicantFlags:
    """The flags of hand-made applicants, one per entry."""
    return ApplicantFlags(
        **{
            name: np.array([getattr(a, name) for a in applicants], bool)
            for name in ApplicantFlags.__dataclass_fields__
        }
    )


# --------------------------------------------------------------------------------------------------
# § 60: flexible letting


@pytest.fixture
def flexible_world(make_world: Callable[..., World], script: Script) -> World:
    """A world where every applicant is in work (and so meets the default criteria)."""
    script.otherwise = EMPLOYED
    return make_world()


def test_flexible_letting_is_obligatory_in_listed_areas_and_at_the_agreed_share_elsewhere() -> None:
    listed = np.array([True, True, False, False, False, True])
    agreed_share = np.array([0.0, 0.0, 0.5, 0.5, 0.0, 1.0])
    agreed_draw = np.array([0.9, 0.1, 0.4, 0.6, 0.0, 0.0])
    flexible = flexible_letting(listed, agreed_share, agreed_draw)
    # listed: always; elsewhere: draw < share. No share of offers is dropped beforehand
    assert flexible.tolist() == [True, True, True, False, False, True]


@pytest.mark.parametrize("criterion", list(FlexibleCriterion))
def test_each_flexible_criterion_admits_exactly_the_applicants_who_meet_it(
    criterion: FlexibleCriterion,
) -> None:
    applicants = [PLAIN, EMPLOYED, STUDENT, COMMUTER, SENIOR, PARENT]
    meets = meets_flexible_criteria(flags_of(*applicants), frozenset({criterion}))
    expected = [applicant is MEETING[criterion] for applicant in applicants]
    assert meets.tolist() == expected


def test_applicants_meeting_any_one_agreed_criterion_qualify() -> None:
    applicants = [PLAIN, EMPLOYED, STUDENT, COMMUTER, SENIOR, PARENT]
    criteria = frozenset({FlexibleCriterion.EMPLOYMENT, FlexibleCriterion.FAMILY_WITH_CHILDREN})
    assert meets_flexible_criteria(flags_of(*applicants), criteria).tolist() == [
        False,
        True,
        False,
        False,
        False,
        True,
    ]
    assert not meets_flexible_criteria(flags_of(*applicants), frozenset()).any()


@pytest.mark.parametrize("criterion", list(MEETING))
def test_a_flexible_letting_goes_to_the_first_applicant_meeting_the_criterion_unchanged(
    make_world: Callable[..., World], script: Script, criterion: FlexibleCriterion
) -> None:
    world = make_world(**{"agreement.flexible_criteria": [criterion.value]})
    others = [kind for kind in (PLAIN, *MEETING.values()) if kind is not MEETING[criterion]]
    script.then(*others, MEETING[criterion], MEETING[criterion])
    slot = world.vacate(0, rooms=3, count=1)
    world.let_external(slot, flexible=True)
    assert world.who(slot[0]) == ("applicant", len(others))
    assert same_household(script.applicants(), len(others), world.population, slot[0])
    assert world.lettings() == {
        Channel.REFERRAL: 0,
        Channel.FLEXIBLE: 1,
        Channel.INTERNAL: 0,
        Channel.EXTERNAL: 0,
    }


def test_every_non_referral_letting_in_a_listed_area_is_flexible(flexible_world: World) -> None:
    world = flexible_world
    world.list_area(0, udsat=True)
    world.list_area(1, forebyggelse=True)
    world.shares(flexible=0.0)
    world.office.applicants = world.office.applicants.model_copy(
        update={"internal_acceptance": 0.0}
    )  # no internal moves here (see the next test)
    vacancies = np.r_[world.vacate(0), world.vacate(1)]
    assert world.let(vacancies).left_behind.size == 0
    assert world.lettings(0)[Channel.FLEXIBLE] == 8
    assert world.lettings(1)[Channel.FLEXIBLE] == 8


def test_an_agreement_with_no_flexible_criterion_lets_nothing_flexibly_even_in_listed_areas(
    make_world: Callable[..., World], script: Script
) -> None:
    script.otherwise = EMPLOYED
    world = make_world(**{"agreement.flexible_criteria": []})
    world.list_area(0, udsat=True)
    world.shares(flexible=1.0)
    vacancies = np.r_[world.vacate(0), world.vacate(1)]
    world.let_month(vacancies)
    assert world.lettings(0)[Channel.FLEXIBLE] == world.lettings(1)[Channel.FLEXIBLE] == 0
    assert world.lettings(0)[Channel.EXTERNAL] + world.lettings(0)[Channel.INTERNAL] == 8
    assert world.office.fallbacks.flexible_offers == 0, "no offer is made by flexible criteria"


@pytest.mark.parametrize(("status", "moves"), [(Status.EMPLOYED, True), (Status.OUTSIDE, False)])
def test_an_internal_move_in_a_listed_area_is_a_flexible_letting_too(
    make_world: Callable[..., World], script: Script, status: Status, moves: bool
) -> None:
    # § 60 stk. 4 covers every letting that is not a referral, internal moves included: the
    # internal list keeps its turn, and only a tenant meeting a criterion may take the offer
    script.otherwise = EMPLOYED
    world = make_world(**{"applicants.internal_acceptance": 1.0})
    population = world.population
    population.born[population.adult] = -40 * 12
    population.status[population.adult] = status
    world.list_area(0, udsat=True)
    vacancies = world.vacate(0)
    left_behind = world.let(vacancies).left_behind
    moved = world.lettings(0)[Channel.INTERNAL]
    assert (moved > 0) == moves  # 4 internal offers (one mover may be drawn twice)
    assert world.lettings(0)[Channel.FLEXIBLE] == 8 - moved
    assert world.lettings(0)[Channel.EXTERNAL] == 0
    assert left_behind.size == moved
    assert world.office.fallbacks.to_waiting_list == 0


@pytest.mark.parametrize(("share", "flexible"), [(0.0, 0), (1.0, 8)])
def test_outside_listed_areas_the_agreed_share_is_let_flexibly(
    flexible_world: World, share: float, flexible: int
) -> None:
    world = flexible_world
    world.shares(flexible=share)
    world.let(world.vacate(2))
    assert world.lettings(2)[Channel.FLEXIBLE] == flexible
    assert sum(world.lettings(2).values()) == 8


def test_a_quarter_of_lettings_are_flexible_at_an_agreed_quarter(flexible_world: World) -> None:
    # 200 lettings, each flexible with chance 1/4: 50 expected, standard deviation
    # sqrt(200 · 1/4 · 3/4) = 6.1. The bound of 4 standard deviations (26 to 74) fails by
    # chance about once in 16,000 seeds; a share read as 3/4 (150) or as 0 or 1 fails it.
    world = flexible_world
    world.shares(flexible=0.25)
    for month in range(25):
        world.month = month
        world.let(world.vacate(2))
    assert sum(world.lettings(2).values()) == 200
    assert 26 <= world.lettings(2)[Channel.FLEXIBLE] <= 74


def test_an_applicant_is_a_family_with_children_when_a_child_applies_for_three_rooms_or_more(
    world: World,
) -> None:
    rooms = np.repeat(np.arange(1, 5), 500)
    profile = world.model.loaded.scenario.applicants.model_copy(
        update={"children_mean_by_rooms": (0.5, 0.5, 0.5, 0.5)}
    )
    batch, flags = draw_applicants(
        np.random.default_rng(4),
        profile,
        rooms,
        np.zeros(rooms.size, np.int64),
        world.departments.mix,
        0.5,
        0,
        year=2027,
        conviction_per_year=(0.0, 0.0),
    )
    with_children = batch.children > 0
    assert np.array_equal(flags.family_with_children, with_children & (rooms >= 3))
    # children are as common in small dwellings here; only the rooms keep them from the criterion
    assert with_children[rooms <= 2].sum() > 300 and flags.family_with_children.sum() > 300


# --------------------------------------------------------------------------------------------------
# The waiting lists


def test_every_second_waiting_list_letting_is_offered_to_the_internal_list() -> None:
    credit = np.zeros(2)
    turn = internal_list_turn(np.array([0, 1, 0, 0, 1, 0, 1]), credit, 0.5)
    assert turn.tolist() == [False, False, True, False, True, True, False]
    assert credit.tolist() == [0.0, 0.5]  # department 1 had three: the next is its turn
    assert internal_list_turn(np.array([1, 0]), credit, 0.5).tolist() == [True, False]


def test_an_internal_move_lets_the_dwelling_to_a_sitting_tenant_who_leaves_one_behind(
    make_world: Callable[..., World], script: Script
) -> None:
    world = make_world(**{"applicants.internal_acceptance": 1.0})
    households_of_every_size(world)
    vacancies = world.vacate(1)
    left_behind = world.let(vacancies).left_behind
    # every 2nd of 8: four offers, each taken by a tenant of the (one) organisation
    assert world.lettings(1) == {
        Channel.REFERRAL: 0,
        Channel.FLEXIBLE: 0,
        Channel.INTERNAL: 4,
        Channel.EXTERNAL: 4,
    }
    assert left_behind.size == 4
    assert not world.population.occupied[left_behind].any()
    assert sorted(world.who(slot)[0] for slot in vacancies) == ["applicant"] * 4 + ["tenant"] * 4
    assert world.tally.move_outs.sum() == 4


@pytest.fixture
def any_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every dwelling fits every household: for tests of the lists' turns, not of the sizes."""

    def fits(rooms: np.ndarray, persons: np.ndarray) -> np.ndarray:
        return np.ones(np.broadcast_shapes(np.shape(rooms), np.shape(persons)), bool)

    monkeypatch.setattr("simulation.rules.letting.fits_household", fits)


def households_of_every_size(world: World) -> None:
    """Make the sitting tenants alternately singles and couples with two children (aged 40).

    Every dwelling of the world fits one of the two (:func:`fits_household`).
    """
    population = world.population
    slots = np.arange(population.occupied.size)
    population.adult[:] = False
    population.adult[:, 0] = True
    population.adult[:, 1] = slots % 2 == 1
    population.born[:, :2] = -40 * 12
    population.children[:] = (slots % 2 == 1) * 2


def test_a_dwelling_fits_a_household_of_at_most_one_person_fewer_than_rooms_and_two_per_room() -> (
    None
):
    rooms = np.array([1, 1, 1, 2, 3, 3, 4, 4])
    persons = np.array([1, 2, 3, 1, 1, 2, 2, 9])
    assert fits_household(rooms, persons).tolist() == [
        True,
        True,
        False,
        True,
        False,
        True,
        False,
        False,
    ]


INTERNAL_ONLY = {"applicants.internal_acceptance": 1.0, "applicants.internal_list_share": 1.0}
"""Every letting that is not a referral is offered to the internal list, and taken if someone fits."""


def test_internal_moves_give_each_dwelling_to_a_tenant_whose_household_it_fits(
    make_world: Callable[..., World], script: Script
) -> None:
    world = make_world(**INTERNAL_ONLY)
    households_of_every_size(world)
    population = world.population
    one_room, four_rooms = world.vacate(1, rooms=1), world.vacate(2, rooms=4)
    left_behind = world.let(np.r_[one_room, four_rooms]).left_behind
    assert world.lettings()[Channel.INTERNAL] == 4 == left_behind.size
    assert [world.who(int(slot))[0] for slot in np.r_[one_room, four_rooms]] == ["tenant"] * 4
    assert (population.persons()[one_room] == 1).all()  # a family of four needs 2 rooms or more
    assert (population.persons()[four_rooms] == 4).all()  # 4 rooms are too many for a single


def test_internal_moves_go_first_to_tenants_whose_dwelling_does_not_fit(
    make_world: Callable[..., World], script: Script
) -> None:
    # singles everywhere: half of them in 3 or 4 rooms, too many for one person; a random pick
    # among those tried would take them for half of the offers
    rooms_left = []
    for seed in range(3):
        world = make_world(seed=seed, **INTERNAL_ONLY)
        population = world.population
        population.adult[:] = False
        population.adult[:, 0] = True
        population.children[:] = 0
        offers = np.r_[world.vacate(0, rooms=1), world.vacate(1, rooms=2), world.vacate(2, rooms=1)]
        left_behind = world.let(offers).left_behind
        assert left_behind.size >= offers.size // 2  # two offers may pick the same tenant
        rooms_left += population.stock.rooms[left_behind].tolist()
    assert np.mean(np.array(rooms_left) >= 3) >= 0.75


def test_families_with_children_go_first_to_three_rooms_where_the_agreement_says_so(
    make_world: Callable[..., World], script: Script
) -> None:
    """Paired: the priority gives more of the larger dwellings to families with children."""
    families = {}
    for priority in (False, True):
        taken = []
        for seed in range(4):
            world = make_world(
                seed=seed, **INTERNAL_ONLY, **{"agreement.internal_family_priority": priority}
            )
            population = world.population
            slots = np.arange(population.occupied.size)
            # couples, every other one with a child: both fit 2 and 3 rooms, and neither is in a
            # dwelling that does not fit it but in the 1- and 4-room ones
            population.adult[:] = False
            population.adult[:, :2] = True
            population.children[:] = slots % 2
            offers = np.r_[world.vacate(0, rooms=3), world.vacate(1, rooms=3)]
            world.let(offers)
            moved = [slot for slot in offers if world.who(int(slot))[0] == "tenant"]
            assert len(moved) >= offers.size - 1
            taken += (population.children[moved] > 0).tolist()
        families[priority] = np.mean(taken)
    # without the priority about half (as among the tenants tried); with it nearly all
    assert families[True] >= 0.9
    assert families[False] <= 0.7


# --------------------------------------------------------------------------------------------------
# § 51 b: combined letting; § 51 c: omdannelsesområder


def test_combined_letting_may_apply_from_1000_residents_and_40_per_cent_outside_work() -> None:
    residents = np.array([1_000, 999, 1_000, 5_000, 5_000])
    outside_pct = np.array([40.0, 80.0, 39.99, 40.0 - 1e-12, 41.0])
    allowed = combined_letting_areas(residents, outside_pct, 1_000)
    assert allowed.tolist() == [True, False, False, True, True]


@pytest.mark.parametrize(
    ("agreement", "area_qualifies", "applicants", "housed"),
    [
        ({"agreement.combined_letting": True}, True, [CASH_6_MONTHS, CASH_6_MONTHS, PLAIN], 2),
        ({"agreement.combined_letting": False}, True, [CASH_6_MONTHS, PLAIN], 0),
        ({"agreement.combined_letting": True}, False, [CASH_6_MONTHS, PLAIN], 0),
        ({"agreement.combined_letting": True}, True, [CASH_NOW, PLAIN], 0),
        ({"agreement.combined_letting": True}, True, [PENSIONER, PLAIN], 0),
        (
            {"agreement.combined_letting": True, "agreement.combined_letting_extended": True},
            True,
            [PENSIONER, CASH_6_MONTHS, PLAIN],
            2,
        ),
        (
            {"agreement.combined_letting": False, "agreement.combined_letting_extended": True},
            True,
            [PENSIONER, PLAIN],
            0,
        ),
    ],
    ids=[
        "applied-in-a-qualifying-area",
        "not-agreed",
        "area-does-not-qualify",
        "under-6-months-not-refused",
        "førtidspension-only-when-extended",
        "extended",
        "extended-needs-combined-letting",
    ],
)
def test_combined_letting_refuses_only_where_the_area_qualifies_and_the_agreement_applies_it(
    make_world: Callable[..., World],
    script: Script,
    agreement: dict[str, bool],
    area_qualifies: bool,
    applicants: list[Applicant],
    housed: int,
) -> None:
    world = make_world(**agreement)
    world.list_area(0, combined_letting=area_qualifies)
    script.then(*applicants)
    slot = world.vacate(0, count=1)
    world.let_external(slot)
    assert world.who(slot[0]) == ("applicant", housed)
    assert world.tally.refusals.tolist() == [housed, 0, 0]  # each applicant passed over counts
    assert world.lettings(0)[Channel.EXTERNAL] == 1


@pytest.mark.parametrize(
    ("listing", "housed"), [({"omdannelse": True}, 2), ({"udsat": True}, 0), ({}, 0)]
)
def test_an_omdannelsesomraade_refuses_every_applicant_on_cash_benefits(
    world: World, script: Script, listing: dict[str, bool], housed: int
) -> None:
    # § 51 c needs no agreement (combined letting is off) and no 6 months
    world.list_area(0, **listing)
    script.then(CASH_NOW, CASH_6_MONTHS, PENSIONER, PLAIN)
    slot = world.vacate(0, count=1)
    world.let_external(slot)
    assert world.who(slot[0]) == ("applicant", housed)
    assert world.tally.refusals[0] == housed


def test_section_51_b_and_c_refuse_sitting_tenants_only_from_another_department(
    make_world: Callable[..., World],
) -> None:
    # § 51 b and § 51 c spare applicants "who already live in the department"
    world = make_world(**{"agreement.combined_letting": True})
    population = world.population
    population.born[population.adult] = -40 * 12  # every adult 40 and outside work for a year
    population.status[population.adult] = Status.OUTSIDE
    population.outside_since[population.adult] = -12
    world.list_area(0, omdannelse=True)
    movers = np.concatenate([world.slots(0)[:2], world.slots(1)[:2]])
    refused = world.office._refused_tenants(movers, np.zeros(4, np.int64), world.month)
    assert refused.tolist() == [False, False, True, True]
    # combined letting alone (no omdannelsesområde): the same exemption
    world = make_world(**{"agreement.combined_letting": True})
    world.population.born[world.population.adult] = -40 * 12
    world.population.status[world.population.adult] = Status.OUTSIDE
    world.population.outside_since[world.population.adult] = -12
    world.list_area(0, combined_letting=True)
    refused = world.office._refused_tenants(movers, np.zeros(4, np.int64), world.month)
    assert refused.tolist() == [False, False, True, True]


def test_an_omdannelsesomraade_refuses_sitting_tenants_from_elsewhere_an_internal_move(
    make_world: Callable[..., World], script: Script
) -> None:
    # flexible letting is obligatory in the listed area: every tenant is 62, outside work (so
    # counted as on kontanthjælp) and meets senior_downsizing for the 1-room dwellings let
    outcomes = set()
    for seed in range(4):
        world = make_world(
            seed=seed,
            **{
                "applicants.internal_acceptance": 1.0,
                "agreement.flexible_criteria": ["senior_downsizing"],
            },
        )
        population = world.population
        population.born[population.adult] = -62 * 12
        population.status[population.adult] = Status.OUTSIDE
        world.list_area(0, omdannelse=True)
        slot = world.slots(0)[1]  # the 2nd letting: offered to the internal list
        world.let(world.vacate(0, count=2))
        internal = world.lettings(0)[Channel.INTERNAL]
        # taken by a tenant of the department itself, refused to one from another department
        assert internal + world.tally.refusals[0] == 1
        if internal:
            assert world.who(slot)[0] == "tenant"
        outcomes.add(internal)
    assert outcomes == {0, 1}


# --------------------------------------------------------------------------------------------------
# When nobody drawn qualifies: the waiting list, more applicants, or a vacant month; nobody changed


def test_a_flexible_letting_where_nobody_meets_a_criterion_is_let_from_the_waiting_list(
    make_world: Callable[..., World], script: Script
) -> None:
    world = make_world(**{"agreement.combined_letting": True})
    world.list_area(0, combined_letting=True)
    script.then(CASH_6_MONTHS, CASH_6_MONTHS)  # then plain applicants: none in work or education
    slot = world.vacate(0, count=1)
    assert world.let_external(slot, flexible=True).size == 0
    # the flexible search went through all 3 + 12 drawn; the waiting list gives the dwelling to
    # the first of them not refused, as drawn, and the letting counts as external
    assert script.calls == [3, 12]
    assert world.who(slot[0]) == ("applicant", 2)
    assert same_household(script.applicants(), 2, world.population, slot[0])
    assert world.lettings(0)[Channel.FLEXIBLE] == 0
    assert world.lettings(0)[Channel.EXTERNAL] == 1
    assert world.tally.refusals[0] == 2
    fallbacks = world.office.fallbacks
    assert (fallbacks.flexible_offers, fallbacks.to_waiting_list) == (1, 1)
    assert (fallbacks.extra_rounds, fallbacks.left_vacant) == (0, 0)


def test_a_dwelling_whose_first_fifteen_applicants_are_all_refused_draws_more(
    world: World, script: Script
) -> None:
    world.list_area(0, omdannelse=True)
    script.then(*[CASH_NOW] * 20, PLAIN)
    slot = world.vacate(0, count=1)
    assert world.let_external(slot).size == 0
    assert script.calls == [3, 12, 12]
    assert world.who(slot[0]) == ("applicant", 20)
    assert same_household(script.applicants(), 20, world.population, slot[0])
    assert world.tally.refusals[0] == 20
    assert world.lettings(0)[Channel.EXTERNAL] == 1
    assert world.office.fallbacks.extra_rounds == 1


def test_a_flexible_letting_whose_applicants_are_all_refused_goes_on_as_a_waiting_list_letting(
    world: World, script: Script
) -> None:
    world.list_area(0, omdannelse=True)
    script.then(*[CASH_NOW] * 15, EMPLOYED, PLAIN)
    slot = world.vacate(0, count=1)
    world.let_external(slot, flexible=True)
    assert world.who(slot[0]) == ("applicant", 15)
    assert world.lettings(0)[Channel.EXTERNAL] == 1  # no longer a flexible letting
    assert world.tally.refusals[0] == 15


def test_a_dwelling_whose_every_applicant_is_refused_stays_vacant_until_next_month(
    make_world: Callable[..., World], script: Script
) -> None:
    world = make_world(**{"applicants.internal_acceptance": 0.0})  # no tenant takes it either
    world.list_area(0, omdannelse=True)
    script.otherwise = CASH_NOW
    slot = world.vacate(0, count=1)
    assert world.let_external(slot).tolist() == slot.tolist()
    assert script.calls == [3, 12, 12, 12]
    assert world.who(slot[0]) == ("vacant", -1)
    assert sum(world.lettings().values()) == 0
    assert world.tally.refusals[0] == 39  # every applicant passed over counts
    assert world.office.fallbacks.left_vacant == 1
    # the model carries it to next month's letting
    world.let_month(slot)
    assert world.model.vacant.tolist() == slot.tolist()
    script.otherwise = PLAIN
    world.month = 1
    world.let_month(world.model.vacant)
    assert world.who(slot[0]) == ("applicant", 78)  # 39 refused in each month before
    assert world.model.vacant.size == 0


def test_dwellings_left_unlet_are_let_next_month_and_the_invariants_count_them(
    make_world: Callable[..., World], script: Script
) -> None:
    world = make_world(**{"behaviour.turnover_share_per_year": 1.0})
    world.model.check_invariants = True  # raises in any month where the count is off
    world.list_area(0, omdannelse=True)
    script.otherwise = CASH_NOW  # refused in department 0 only
    for _ in range(6):
        world.model.step()
    pending = world.model.vacant
    assert pending.size > 0
    assert (world.population.stock.department[pending] == 0).all()
    assert world.population.stock.dwellings - world.population.occupied.sum() == pending.size
    script.otherwise = PLAIN
    world.model.step()
    assert world.population.occupied[pending].all()
    assert world.model.vacant.size == 0


def test_the_invariant_check_catches_a_dwelling_left_vacant_without_being_carried(
    world: World, script: Script
) -> None:
    world.model.check_invariants = True
    world.vacate(1, count=1)  # vacated behind the model's back: never let, never carried
    with pytest.raises(AssertionError, match="vacant"):
        world.model.step()


def test_applicants_move_in_exactly_as_drawn_and_flexible_tenants_meet_the_criterion(
    make_world: Callable[..., World], drawn: list[tuple[HouseholdBatch, ApplicantFlags]]
) -> None:
    # real draws; a family-with-children criterion that 1- and 2-room dwellings can never meet
    world = make_world(
        **{
            "agreement.flexible_criteria": ["family_with_children"],
            "agreement.combined_letting": True,
            "agreement.combined_letting_extended": True,
        }
    )
    world.list_area(0, combined_letting=True)
    small, large = [], []
    for month in range(10):
        world.month = month
        vacancies = world.vacate(0)
        world.let_external(vacancies, flexible=True)
        rooms = world.population.stock.rooms[vacancies]
        small.extend(vacancies[rooms <= 2].tolist())
        large.extend(vacancies[rooms >= 3].tolist())
        everyone = HouseholdBatch.concatenate([batch for batch, _ in drawn])
        assert all(
            any(
                same_household(everyone, row, world.population, slot)
                for row in range(len(everyone))
            )
            for slot in vacancies
        ), "a household moved in that was not drawn as it is"
        assert (world.population.children[vacancies[rooms >= 3]] > 0).all()
    assert world.lettings(0)[Channel.FLEXIBLE] == len(large) == 40
    assert world.office.fallbacks.to_waiting_list == len(small) == 40
    assert world.lettings(0)[Channel.EXTERNAL] == 40


# --------------------------------------------------------------------------------------------------
# The month: referral first, then flexible letting, then the lists; vacancy chains


def test_referral_comes_before_flexible_letting_and_flexible_letting_before_the_lists(
    make_world: Callable[..., World], script: Script
) -> None:
    world = make_world()
    script.otherwise = EMPLOYED
    world.list_area(0, udsat=True)
    world.wait(ANYONE, count=8)
    world.let_month(world.vacate(0))
    # 1 in 4 to the municipality; every other letting in the udsat area is flexible (no tenant
    # takes an internal offer at the default acceptance in this world's seed)
    assert world.lettings(0) == {
        Channel.REFERRAL: 2,
        Channel.FLEXIBLE: 6,
        Channel.INTERNAL: 0,
        Channel.EXTERNAL: 0,
    }


def test_outside_listed_areas_every_second_letting_after_referral_is_offered_internally(
    make_world: Callable[..., World],
    script: Script,
    monkeypatch: pytest.MonkeyPatch,
    any_size: None,
) -> None:
    monkeypatch.setattr("simulation.model.MAX_CHAIN", 1)  # one round: no chain to follow
    world = make_world(**{"applicants.internal_acceptance": 1.0})
    world.wait(ANYONE, count=8)
    world.let_month(world.vacate(0))
    # 8 vacancies: the 4th and 8th referred; of the other 6 every 2nd moves a tenant (3) and the
    # rest go external (3); the 3 dwellings the movers left go external after the last round
    assert world.lettings() == {
        Channel.REFERRAL: 2,
        Channel.FLEXIBLE: 0,
        Channel.INTERNAL: 3,
        Channel.EXTERNAL: 6,
    }
    assert world.population.occupied.all()


@pytest.mark.parametrize("rounds", [1, 3, 5])
def test_a_vacancy_chain_stops_after_max_chain_rounds_and_the_rest_goes_external(
    make_world: Callable[..., World],
    script: Script,
    monkeypatch: pytest.MonkeyPatch,
    any_size: None,
    rounds: int,
) -> None:
    monkeypatch.setattr("simulation.model.MAX_CHAIN", rounds)
    world = make_world(
        **{"applicants.internal_list_share": 1.0, "applicants.internal_acceptance": 1.0}
    )
    world.shares(referral=0.0)
    # one vacancy; every round a tenant moves into it and leaves another behind
    world.let_month(world.vacate(0, count=1))
    assert world.lettings() == {
        Channel.REFERRAL: 0,
        Channel.FLEXIBLE: 0,
        Channel.INTERNAL: rounds,
        Channel.EXTERNAL: 1,
    }
    assert world.population.occupied.all()
