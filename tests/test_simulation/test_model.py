"""The agent-based model: day 0, invariants, mechanisms and calibration.

Mechanism tests compare scenarios in expectation over seeds with common random numbers: the same
seed gives both scenarios the same population, arrivals and life events.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.inputs.scenario import LoadedScenario, load_scenario
from simulation.model import HousingModel
from simulation.people.population import Status, build_stock, synthesise
from simulation.people.state import Channel
from simulation.rules.letting import combined_letting_areas

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "eksempelby.toml"


@pytest.fixture(scope="module")
def example() -> LoadedScenario:
    return load_scenario(EXAMPLE)


def run(loaded: LoadedScenario, seed: int, years: int, **overrides: object) -> HousingModel:
    if overrides:
        loaded = loaded.with_overrides(overrides)
    model = HousingModel(loaded, seed=seed, years=years)
    model.run()
    return model


def test_day_zero_reproduces_the_department_data(example: LoadedScenario) -> None:
    frame = example.departments
    stock = build_stock(frame)
    population = synthesise(
        stock, frame, example.scenario.behaviour, 2026, np.random.default_rng(7)
    )
    counts = population.counts(2025, -1)
    assert np.array_equal(counts.households, frame["households"])
    assert np.array_equal(counts.residents, frame["residents"])
    assert np.array_equal(counts.adults_18_64, frame["residents_18_64"])
    assert np.array_equal(counts.outside_18_64, frame["outside_work_education_18_64"])
    assert np.array_equal(counts.adults_30_59, frame["residents_30_59"])
    assert np.array_equal(counts.basic_30_59, frame["basic_education_30_59"])
    adults = frame["residents"] - frame["residents_0_17"]
    assert np.array_equal(counts.convicted, np.round(frame["convicted_share"] * adults))
    np.testing.assert_allclose(
        counts.income_kr / counts.taxpayers, frame["mean_income_kr"], rtol=1e-4
    )
    # non-western persons are drawn by whole households: within one household of the target
    biggest = population.persons().max()
    assert np.all(
        np.abs(counts.nonwestern - frame["nonwestern_share"] * frame["residents"]) <= biggest
    )
    assert (
        stock.dwellings == frame[[c for c in frame if c.startswith("dwellings_")]].to_numpy().sum()
    )


@pytest.mark.parametrize(
    "scenario", ["eksempelby.toml", "eksempelby_trappemodel.toml", "eksempelby_fleksibel.toml"]
)
def test_households_conserved_and_bans_respected_every_month(scenario: str) -> None:
    loaded = load_scenario(ROOT / "scenarios" / scenario)
    model = HousingModel(loaded, seed=3, years=4, check_invariants=True)
    tables = model.run()  # check_invariants raises on any broken month
    referrals = tables.referrals
    assert (referrals["outcome"] == "housed").sum() > 100
    assert referrals["barred_from_listed_areas"].any()
    # every dwelling is occupied, or vacant because every applicant was refused (none here)
    assert model.population.occupied.sum() == model.stock.dwellings - model.vacant.size
    assert model.vacant.size == model.organisations.office.fallbacks.left_vacant == 0


def test_barred_households_never_enter_listed_areas() -> None:
    """Every referral household barred for good, one area listed: none may be housed there.

    (A ban with a duration, such as an eviction's, ends while the household waits.)
    """
    loaded = load_scenario(EXAMPLE)
    barred_everyone = {
        f"referral_groups.{group}.barred.released_minor": 1.0
        for group in loaded.scenario.referral_groups
    }
    model = HousingModel(
        loaded.with_overrides(barred_everyone), seed=5, years=3, check_invariants=True
    )
    tables = model.run()
    housed = tables.referrals[tables.referrals["outcome"] == "housed"]
    assert housed["barred_from_listed_areas"].all() and len(housed) > 50
    # the list in force when a household is housed is the one published the December before
    listed = tables.area_year.assign(in_force=tables.area_year["year"] + 1)
    listed = listed[listed["udsat"] | listed["forebyggelsesomraade"]][["area", "in_force"]]
    assert len(listed), "the test needs a listed area"
    department_area = dict(zip(model.departments.ids, model.departments.area_ids, strict=True))
    placed = housed.assign(
        area=housed["department"].map(department_area),
        in_force=model.start_year + housed["housed_month"].astype(int) // 12,
    )
    clash = placed.merge(listed, on=["area", "in_force"])
    assert clash.empty


def test_same_seed_same_tables_other_seed_other_tables(example: LoadedScenario) -> None:
    first = run(example, seed=11, years=2).tables()
    again = run(example, seed=11, years=2).tables()
    other = run(example, seed=12, years=2).tables()
    for name in ("department_year", "area_year", "referrals", "monthly"):
        pd.testing.assert_frame_equal(getattr(first, name), getattr(again, name))
    assert not first.department_year.equals(other.department_year)
    assert not first.referrals.equals(other.referrals)


ALL_PRACTICE_LEVERS = {
    "agreement.referral_accounting": "organisation",
    "agreement.claim_carry_over_months": 6,
    "agreement.hold_for_referral": 2,
    "agreement.internal_family_priority": True,
    "behaviour.time_to_let_months.referral": 0.5,
    "behaviour.time_to_let_months.external": 0.3,
    "referral_groups.refugees.kommunekvote": {"2026": 90, "2027": 60},
}
"""Every mechanism of issue 10 switched on (with Eksempelby's hazards after housing)."""


def test_with_every_practice_lever_on_the_same_seed_gives_the_same_tables(
    example: LoadedScenario,
) -> None:
    first = run(example, seed=21, years=2, **ALL_PRACTICE_LEVERS)
    again = run(example, seed=21, years=2, **ALL_PRACTICE_LEVERS)
    for name in ("department_year", "area_year", "referrals", "monthly", "lapsed_claims"):
        pd.testing.assert_frame_equal(getattr(first.tables(), name), getattr(again.tables(), name))
    tables = first.tables()
    assert (tables.referrals["outcome"] == "evicted").any()
    assert tables.department_year["vacant_rent_municipality_kr"].sum() > 0
    assert tables.lapsed_claims["claims"].sum() > 0


def test_referral_share_zero_means_no_referral_lettings(example: LoadedScenario) -> None:
    tables = run(example, 2, 3, **{"agreement.default_referral_share": 0.0}).tables()
    assert tables.department_year["lettings_referral"].sum() == 0
    assert (tables.referrals["outcome"] != "housed").all()
    assert len(tables.referrals) > 100, "households still arrive and wait"


def test_higher_referral_share_shorter_waits_more_outside_work_where_referred(
    example: LoadedScenario,
) -> None:
    waits = {0.1: [], 0.5: []}
    outside = {0.1: [], 0.5: []}
    for seed in range(4):
        low = run(example, seed, 5, **{"agreement.default_referral_share": 0.1}).tables()
        high = run(example, seed, 5, **{"agreement.default_referral_share": 0.5}).tables()
        receiving = set(high.referrals["department"].dropna())
        for share, tables in ((0.1, low), (0.5, high)):
            referrals = tables.referrals
            months = np.where(
                referrals["outcome"] == "housed",
                referrals["wait_months"].fillna(0).astype(float),
                5 * 12 - referrals["arrival_month"],
            )
            waits[share].append(months.mean())
            last = tables.department_year[
                (tables.department_year["year"] == tables.department_year["year"].max())
                & tables.department_year["department"].isin(receiving)
            ]
            outside[share].append(
                np.average(last["outside_work_education_share"], weights=last["adults_18_64"])
            )
    assert np.mean(waits[0.5]) < np.mean(waits[0.1])
    assert np.mean(outside[0.5]) > np.mean(outside[0.1])


def test_flexible_letting_brings_more_new_tenants_in_work_or_education(
    example: LoadedScenario,
) -> None:
    shares = {}
    for flexible in (0.0, 0.67):
        active = adults = 0
        for seed in range(3):
            table = run(example, seed, 3, **{"agreement.flexible_letting_share": flexible}).tables()
            flows = table.department_year
            active += flows["new_adults_in_work_or_education"].sum()
            adults += flows["new_adults_18_64"].sum()
        shares[flexible] = active / adults
    assert shares[0.67] > shares[0.0] + 0.02


def test_switching_flexible_letting_on_changes_vacancies_only_through_who_moves_in(
    example: LoadedScenario,
) -> None:
    # paired, same seed: the move-out hazard does not read the flexible share, so the month's
    # vacancies (move-outs and deaths, before any letting) are the same in the first month; later
    # months differ only because different households moved in
    models = {
        flexible: HousingModel(
            example.with_overrides({"agreement.flexible_letting_share": flexible}), seed=3, years=1
        )
        for flexible in (0.0, 0.5)
    }
    np.testing.assert_array_equal(models[0.0].hazard, models[0.5].hazard)
    for model in models.values():
        model.step()
    assert models[0.0]._month_vacancies == models[0.5]._month_vacancies
    flexible = {f: int(m.tally.lettings[Channel.FLEXIBLE].sum()) for f, m in models.items()}
    assert flexible[0.5] > flexible[0.0]


def test_combined_letting_refuses_applicants_exactly_where_and_when_the_area_qualifies(
    example: LoadedScenario,
) -> None:
    tables = run(example, 1, 2, **{"agreement.combined_letting": True}).tables()
    # § 51 b may apply in a year where last December's figures qualified the area (no listing
    # needed; there is no omdannelsesområde here, so no § 51 c refusal)
    published = tables.area_year
    qualified = published[
        combined_letting_areas(
            published["residents"].to_numpy(),
            100 * published["outside_work_education_share"].to_numpy(),
            example.scenario.legal.minimum_residents,
        )
    ]
    in_force = {
        (year + 1, area)
        for year, area in zip(qualified["year"], qualified["area"], strict=True)
        if year + 1 <= 2027  # the run's last year
    }
    refusals = tables.department_year.groupby(["year", "area"])["refusals"].sum()
    refused = set(refusals[refusals > 0].index)
    assert refused == in_force
    assert {"nordparken", "vestervang", "bakkegaarden"} <= {area for _, area in refused}
    none = run(example, 1, 2).tables()
    assert none.department_year["refusals"].sum() == 0


def test_stepped_model_places_departments_on_tiers() -> None:
    loaded = load_scenario(ROOT / "scenarios" / "eksempelby_trappemodel.toml")
    tables = run(loaded, 1, 1).tables()
    start = tables.department_year[tables.department_year["year"] == 2025]
    nordparken = start[start["area"] == "nordparken"]
    assert (nordparken["tier"] == "red").all()
    assert (nordparken["referral_share_agreed"] == 0.0).all()
    assert set(start["tier"]) <= {"red", "yellow", "green"}
    assert (start["tier"] == "green").sum() > 20


@pytest.mark.slow
def test_calibration_turnover_household_size_and_referral_share(example: LoadedScenario) -> None:
    tables = run(example, 0, 20).tables()
    flows = tables.department_year[tables.department_year["year"] > 2025]
    turnover = flows["move_outs"].sum() / flows["dwellings"].sum()
    assert turnover == pytest.approx(0.104, abs=0.01)
    size = flows["residents"].sum() / flows["households"].sum()
    assert size == pytest.approx(1.7, abs=0.1)
    lettings = (
        flows[["lettings_referral", "lettings_flexible", "lettings_internal", "lettings_external"]]
        .to_numpy()
        .sum()
    )
    achieved = flows["lettings_referral"].sum() / lettings
    assert achieved <= 0.25
    referrals = tables.referrals
    # demand, not the agreement, limits referrals here: most who arrive are housed (some of
    # them lose the tenancy later and queue again, for the same vacancies: about 0.89 where it
    # was over 0.9 before tenancies could fail)
    arrived = referrals[referrals["previous_referral_id"].isna()]
    assert arrived["outcome"].isin(["housed", "evicted"]).mean() > 0.85
    housed = referrals["outcome"].isin(["housed", "evicted"]).sum()
    assert achieved == pytest.approx(housed / lettings)
    internal = flows["lettings_internal"].sum() / lettings
    assert 0.05 <= internal <= 0.15  # internal list about 10 % of lettings [C]


@pytest.mark.slow
def test_stationary_scenario_stays_put() -> None:
    loaded = load_scenario(ROOT / "tests" / "data" / "stationary.toml")
    tables = run(loaded, 0, 20).tables()
    frame = tables.department_year
    share = (frame["outside_work_education_share"] * frame["adults_18_64"]).groupby(
        frame["year"]
    ).sum() / frame.groupby("year")["adults_18_64"].sum()
    assert abs(share.iloc[-1] - share.iloc[0]) <= 0.03


def test_status_codes_keep_work_and_study_below_outside() -> None:
    # letting and move-out rely on EMPLOYED and STUDENT sorting below OUTSIDE
    assert Status.EMPLOYED < Status.OUTSIDE and Status.STUDENT < Status.OUTSIDE


@pytest.mark.parametrize("regime", ["2021", "2018", "2014", "2010"])
def test_model_runs_under_every_legal_regime(example: LoadedScenario, regime: str) -> None:
    tables = run(example, 1, 2, **{"legal.regime": regime}).tables()
    area_year = tables.area_year
    assert set(area_year["year"]) == {2025, 2026, 2027}
    assert (area_year["parallelsamfund"] <= area_year["udsat"]).all()
    if regime != "2021":
        assert not area_year["forebyggelsesomraade"].any()
    assert area_year["outside_work_education_share"].between(0, 1).all()
