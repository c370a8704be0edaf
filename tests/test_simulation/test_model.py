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
from simulation.people.population import build_stock, synthesise
from simulation.people.state import Channel
from simulation.rules.indicators import area_values, counts_from_departments
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
    rows = tables.department_year
    # the year of the department data had no agreement in force; the first year has the tiers
    # placed from the department data
    day0 = rows[rows["year"] == 2025]
    assert (day0["tier"] == "").all() and day0["referral_share_agreed"].isna().all()
    assert day0["tier_data_year"].isna().all()
    first = rows[rows["year"] == 2026]
    nordparken = first[first["area"] == "nordparken"]
    assert (nordparken["tier"] == "red").all()
    assert (nordparken["referral_share_agreed"] == 0.0).all()
    assert set(first["tier"]) <= {"red", "yellow", "green"}
    assert (first["tier"] == "green").sum() > 20
    assert (first["tier_data_year"] == 2025).all()


STEPPED = ROOT / "scenarios" / "eksempelby_trappemodel.toml"


def test_each_tier_achieves_at_most_what_was_agreed() -> None:
    """Agreed vs achieved per tier: the yearly row shows the tier in force during that year.

    A department claims its agreed share of the year's vacancies (every vacancy is let in the
    month it arises) plus the part of a claim carried over, so its referral lettings are at most
    share × lettings + 1; the red tier (no referrals) gets none at all.
    """
    rows = run(load_scenario(STEPPED), 3, 6).tables().department_year
    flows = rows[rows["year"] > rows["year"].min()]
    lettings = flows[
        ["lettings_referral", "lettings_flexible", "lettings_internal", "lettings_external"]
    ].sum(axis=1)
    bound = np.floor(flows["referral_share_agreed"] * lettings + 1.0 + 1e-9)
    assert (flows["lettings_referral"] <= bound).all()
    by_tier = (
        flows.assign(lettings=lettings).groupby("tier")[["lettings_referral", "lettings"]].sum()
    )
    achieved = by_tier["lettings_referral"] / by_tier["lettings"]
    agreed = flows.groupby("tier")["referral_share_agreed"].max()
    assert set(achieved.index) == {"red", "yellow", "green"}
    assert by_tier.loc["red", "lettings_referral"] == 0
    assert (achieved <= agreed + 1e-9).all()
    assert achieved["green"] > achieved["yellow"] > 0


def tier_changes(rows: pd.DataFrame) -> tuple[float, float]:
    """Share of department-years whose tier differs from the year before, and the share of
    departments that changed tier at least four times."""
    tiers = rows[rows["tier"] != ""].pivot(index="department", columns="year", values="tier")
    changed = tiers.ne(tiers.shift(axis=1)).iloc[:, 1:]
    return float(changed.to_numpy().mean()), float((changed.sum(axis=1) >= 4).mean())


@pytest.mark.slow
def test_two_year_means_and_a_band_calm_the_tiers() -> None:
    """Same seeds, the same stepped model read calmly: fewer tier changes (issue 11, item 3)."""
    loaded = load_scenario(STEPPED).with_overrides(
        {"agreement.tier_mean_years": 1, "agreement.tier_hysteresis_share": 0.0}
    )
    calm = loaded.with_overrides(
        {"agreement.tier_mean_years": 2, "agreement.tier_hysteresis_share": 0.02}
    )
    plain = [tier_changes(run(loaded, seed, 12).tables().department_year) for seed in (0, 1)]
    steady = [tier_changes(run(calm, seed, 12).tables().department_year) for seed in (0, 1)]
    assert np.mean([s[0] for s in steady]) < 0.6 * np.mean([p[0] for p in plain])
    assert np.mean([s[1] for s in steady]) <= np.mean([p[1] for p in plain])


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


STATIONARY = ROOT / "tests" / "data" / "stationary.toml"
CRITERIA = (
    "outside_work_education_share",
    "conviction_ratio",
    "basic_education_share",
    "income_ratio_region",
)
STATIONARY_TOLERANCE = pd.Series(
    {
        "outside_work_education_share": 0.02,  # ±2 percentage points
        "conviction_ratio": 0.3,  # ±0.3 of the national share
        "basic_education_share": 0.02,  # ±2 percentage points
        "income_ratio_region": 0.03,  # ±3 points of the region's mean income
    }
)
"""How far an area's criteria may move in 20 years when nothing changes who moves in or out."""
STATIONARY_REPLICATIONS = 12
STATIONARY_WINDOWS = {"years 4-6": (4, 6), "years 9-11": (9, 11), "years 18-20": (18, 20)}


def stationary_drift(loaded: LoadedScenario, replications: int) -> dict[str, pd.DataFrame]:
    """Per area and window: the mean over replications of each criterion minus day 0's, and SE.

    Also ``"day 0"`` (the criteria as the department data states them) and ``"residents"``.
    """
    frames = [
        run(loaded, seed, 20).tables().area_year.assign(replication=seed)
        for seed in range(replications)
    ]
    frame = pd.concat(frames, ignore_index=True)
    first = int(frame["year"].min())
    # day 0 as the department data states it (day-0 households round convictions to persons)
    data = loaded.departments
    area_ids = list(dict.fromkeys(data["area"]))
    counts = counts_from_departments(data)
    stated = area_values(
        counts,
        data["area"].map({area: i for i, area in enumerate(area_ids)}).to_numpy(),
        area_ids,
        counts.residents,
        first,
        loaded.scenario.municipality.regional_mean_income_kr,
        loaded.scenario.municipality.national_conviction_share,
    ).set_index("area")
    day0 = pd.DataFrame(
        {
            "outside_work_education_share": stated["outside_work_education_pct"] / 100,
            "conviction_ratio": stated["conviction_ratio"],
            "basic_education_share": stated["basic_education_pct"] / 100,
            "income_ratio_region": stated["income_pct_of_region"] / 100,
        }
    )
    result = {}
    for name, (start, end) in STATIONARY_WINDOWS.items():
        window = frame[frame["year"].between(first + start, first + end)]
        per_replication = window.groupby(["replication", "area"])[list(CRITERIA)].mean()
        by_area = per_replication.groupby("area")
        result[name] = by_area.mean() - day0
        result[f"{name} se"] = by_area.std() / np.sqrt(replications)
    result["day 0"] = day0
    result["residents"] = stated["residents"].astype(np.float64)
    return result


def convergence(drift: pd.DataFrame, day0: pd.DataFrame, weight: pd.Series) -> pd.Series:
    """Per criterion: the slope of the areas' drift on their day-0 distance from the mean.

    0 when areas keep their differences; −1 when every area ends at the mean (full reversion).
    """
    slopes = {}
    for column in CRITERIA:
        distance = day0[column] - np.average(day0[column], weights=weight)
        slopes[column] = float(
            np.sum(weight * distance * drift[column]) / np.sum(weight * distance**2)
        )
    return pd.Series(slopes)


@pytest.mark.slow
def test_stationary_scenario_keeps_every_areas_criteria() -> None:
    """Nothing changes who moves in or out, so no area may drift (issue 11, item 1).

    Averaged over replications and over three years around years 5, 10 and 20, every area's four
    criteria stay within :data:`STATIONARY_TOLERANCE` of the department data, beyond three
    standard errors of the replications' mean (an area's mix wanders: newcomers are drawn one by
    one, and sorting toward the residents keeps what chance brought; in a single department of
    100 residents one conviction more is a ratio of 2). Pooled over the areas, where that noise
    averages out, the level moves by at most half the tolerance (the conviction ratio creeps up
    by about 0.1: applicants are rarely 65 or older, so the rarely convicted elderly become fewer;
    see simulation/MODEL.md) and the areas are not pulled toward each other by more than a tenth
    of their day-0 differences, as the single applicant pool of old did by 40–50 %
    (:func:`test_one_applicant_pool_pulls_every_area_toward_it`).
    """
    loaded = load_scenario(STATIONARY)
    drift = stationary_drift(loaded, STATIONARY_REPLICATIONS)
    day0, weight = drift["day 0"], drift["residents"]
    for name in STATIONARY_WINDOWS:
        moved = drift[name].abs()
        allowed = STATIONARY_TOLERANCE + 3 * drift[f"{name} se"]
        beyond = moved[(moved > allowed).any(axis=1)]
        assert beyond.empty, f"{name}: drift beyond tolerance\n{beyond.to_string()}"
        level = drift[name].apply(lambda column: np.average(column, weights=weight))
        assert (level.abs() <= STATIONARY_TOLERANCE / 2).all(), f"{name}: drift in level\n{level}"
        pull = convergence(drift[name], day0, weight)
        assert (pull.abs() <= 0.1).all(), f"{name}: areas pulled together\n{pull}"


@pytest.mark.slow
def test_one_applicant_pool_pulls_every_area_toward_it() -> None:
    """The mechanism switched off: with one pool for all departments, the areas converge."""
    loaded = load_scenario(STATIONARY).with_overrides({"applicants.applicant_anchor": "pool"})
    drift = stationary_drift(loaded, 2)
    pull = convergence(drift["years 18-20"], drift["day 0"], drift["residents"])
    assert pull["basic_education_share"] < -0.3
    assert pull["income_ratio_region"] < -0.3
    nordparken = drift["years 18-20"].loc["nordparken"]
    assert nordparken["income_ratio_region"] > 0.08
    assert nordparken["basic_education_share"] < -0.08


def test_trends_are_the_only_drift_and_each_moves_its_criterion() -> None:
    """Same seed with and without each trend: the trend moves its criterion, the right way."""
    loaded = load_scenario(STATIONARY)
    years = 5
    plain = run(loaded, 4, years).tables().area_year.set_index(["area", "year"])
    first, last = int(plain.index.levels[1].min()), int(plain.index.levels[1].max())
    growth = 0.01
    richer_region = run(
        loaded, 4, years, **{"trends.regional_income_growth_per_year": growth}
    ).tables()
    ratio = richer_region.area_year.set_index(["area", "year"])["income_ratio_region"]
    # the yardstick of the figures' year grows, nothing else differs (common random numbers):
    # exactly its factor
    data_year = int(plain["data_year"].xs(last, level="year").iloc[0])
    np.testing.assert_allclose(
        ratio.xs(last, level="year"),
        plain["income_ratio_region"].xs(last, level="year") / (1 + growth) ** (data_year - first),
        rtol=1e-9,
    )

    def national(tables: pd.DataFrame, column: str, weight: str) -> float:
        final = tables[tables["year"] == tables["year"].max()]
        return float(np.average(final[column], weights=final[weight]))

    base = run(loaded, 4, years).tables().department_year
    boom = run(loaded, 4, years, **{"trends.job_finding_change_per_year": 0.05}).tables()
    assert national(boom.department_year, "outside_work_education_share", "adults_18_64") < (
        national(base, "outside_work_education_share", "adults_18_64") - 0.01
    )
    # the applicants' intake moves; sorting toward the residents (origin 0.9, schooling 0.75) damps
    # what newcomers show at first, so the stock moves by a fraction of the intake's change
    origin = run(loaded, 4, years, **{"trends.nonwestern_change_per_year": 0.02}).tables()
    assert national(origin.department_year, "nonwestern_share", "residents") > (
        national(base, "nonwestern_share", "residents") + 0.002
    )
    schooled = run(loaded, 4, years, **{"trends.basic_education_change_per_year": -0.02})
    assert national(schooled.tables().department_year, "basic_education_share", "adults_18_64") < (
        national(base, "basic_education_share", "adults_18_64") - 0.005
    )


def test_the_lists_read_last_years_figures() -> None:
    """With the default lag the list of 1 December Y compares the figures of Y − 1 (issue 11).

    In the stationary scenario the lists change nothing about who moves (no referrals, no
    flexible letting), so both runs follow the same households: the lagged list of each year is
    the unlagged list of the year before, and the first December compares the department data
    again.
    """
    loaded = load_scenario(STATIONARY)
    lagged = run(loaded, 6, 4).tables().area_year.set_index(["area", "year"])
    today = (
        run(loaded, 6, 4, **{"legal.data_lag_years": 0})
        .tables()
        .area_year.set_index(["area", "year"])
    )
    first = int(lagged.index.levels[1].min())
    years = sorted(set(lagged.index.levels[1]))
    assert (lagged["data_year"].xs(first, level="year") == first).all()
    assert (lagged["data_year"].xs(first + 1, level="year") == first).all()
    assert (today["data_year"] == today.index.get_level_values("year")).all()
    values = [
        "outside_work_education_share",
        "conviction_ratio",
        "basic_education_share",
        "income_ratio_region",
        "nonwestern_share",
    ]
    pd.testing.assert_frame_equal(
        lagged[values].xs(first + 1, level="year"), lagged[values].xs(first, level="year")
    )
    for year in years[2:]:
        pd.testing.assert_frame_equal(
            lagged[values].xs(year, level="year"), today[values].xs(year - 1, level="year")
        )


def test_plans_read_the_figures_of_the_agreements_lag(example: LoadedScenario) -> None:
    model = HousingModel(example, seed=2, years=3)
    for _ in range(12 + 5):  # into the second year
        model.step()
    figures = model.department_figures()
    assert figures is model.register.figures[model.year - 1]
    live = HousingModel(example.with_overrides({"agreement.data_lag_years": 0}), seed=2, years=3)
    for _ in range(12 + 5):
        live.step()
    np.testing.assert_array_equal(
        live.department_figures().outside_18_64,
        live.population.counts(live.year, live.month).outside_18_64,
    )


NORDPARKEN_PLAN = {
    "areas.nordparken.development_plan": {
        "other_dwellings": 50,
        "measures": [
            {"year": 2026, "kind": "demolish", "dwellings": 300},
            {"year": 2027, "kind": "sell", "dwellings": 200},
            {"year": 2027, "kind": "convert", "dwellings": 100, "department": "D0001"},
            {"year": 2028, "kind": "build_private", "dwellings": 600},
        ],
    }
}


def test_a_development_plan_changes_the_stock_and_rehouses_its_tenants(
    example: LoadedScenario,
) -> None:
    """§ 168 a (issue 11, item 4): dwellings go when the plan says, their households are
    rehoused outside planned and listed areas, buyers' tenants leave the almene stock, and the
    target share counts the area's other dwellings."""
    model = HousingModel(
        example.with_overrides(NORDPARKEN_PLAN), seed=3, years=4, check_invariants=True
    )
    tables = model.run()
    area = tables.area_year.set_index(["area", "year"])
    nordparken = area.loc["nordparken"]
    before = int(nordparken.loc[2025, "family_dwellings"])
    assert nordparken.loc[2026, "family_dwellings"] == before - 300
    assert nordparken.loc[2027, "family_dwellings"] == before - 600
    assert nordparken.loc[2029, "family_dwellings"] == before - 600
    assert nordparken.loc[2029, "family_dwellings_share"] == pytest.approx(
        (before - 600) / (before - 600 + 50 + 300 + 600)
    )
    assert np.isnan(area.loc[("vestervang", 2029), "family_dwellings_share"]), "no plan there"
    # every household in a demolished or converted dwelling is rehoused, none into the area
    assert 0.95 * 300 <= nordparken.loc[2026, "rehoused_out"] <= 300
    assert nordparken.loc[2027, "left_with_sale"] >= 0.95 * 200
    rehoused = tables.department_year
    assert rehoused["rehoused_in"].sum() == nordparken["rehoused_out"].sum()
    assert rehoused.loc[rehoused["area"] == "nordparken", "rehoused_in"].sum() == 0
    assert tables.monthly["rehousing_queue"].iloc[-1] == 0
    converted = rehoused[(rehoused["department"] == "D0001") & (rehoused["year"] == 2027)]
    day0 = rehoused[(rehoused["department"] == "D0001") & (rehoused["year"] == 2025)]
    assert int(converted["dwellings"].iloc[0]) <= int(day0["dwellings"].iloc[0]) - 100
    assert nordparken.loc[2027, "residents"] < 0.75 * nordparken.loc[2025, "residents"]


def test_a_measure_takes_dwellings_spoken_for_last_and_frees_them(example: LoadedScenario) -> None:
    """A whole department demolished while some of its empty dwellings are held for a referral or
    let and waiting for their household: the measure takes the others first, then those; a taken
    hold ends (its claim lapses) and a taken letting's household is rehoused, so no household
    ever moves into a dwelling that is gone (the month's invariants check it)."""
    frame = example.departments
    row = frame.loc[frame["department"] == "D0001"].iloc[0]
    everything = int(
        sum(row[f"dwellings_{size}"] for size in ("1_room", "2_rooms", "3_rooms", "4_rooms"))
    )
    overrides = {
        "areas.nordparken.development_plan": {
            "other_dwellings": 0,
            "measures": [
                {"year": 2027, "kind": "demolish", "dwellings": everything, "department": "D0001"}
            ],
        },
        "agreement.hold_for_referral": 6,
        "behaviour.time_to_let_months.external": 4.0,
        "behaviour.time_to_let_months.referral": 4.0,
    }
    model = HousingModel(example.with_overrides(overrides), seed=5, years=3, check_invariants=True)
    tables = model.run()  # raises on a household in a removed dwelling or a miscounted vacancy
    rehoused = tables.department_year["rehoused_in"].sum()
    assert rehoused == tables.area_year["rehoused_out"].sum() - model.plans.queue_length
    d0001 = model.stock.department == model.departments.ids.index("D0001")
    assert model.plans.removed[d0001].all()
    assert not model.population.occupied[d0001].any()
    assert not np.isin(model.municipality.accounting.held_slots, np.flatnonzero(d0001)).any()
    assert model.moving_in is not None
    assert not np.isin(model.moving_in.reserved, np.flatnonzero(d0001)).any()


def test_a_measure_prefers_dwellings_not_spoken_for(example: LoadedScenario) -> None:
    """Half of a department demolished: none of the dwellings spoken for is taken."""
    from simulation.rules.plans import DevelopmentPlans

    overrides = {
        "areas.nordparken.development_plan": {
            "other_dwellings": 0,
            "measures": [
                {"year": 2027, "kind": "demolish", "dwellings": 40, "department": "D0001"}
            ],
        }
    }
    model = HousingModel(example.with_overrides(overrides), seed=5, years=1)
    plans: DevelopmentPlans = model.plans
    inside = np.flatnonzero(model.stock.department == model.departments.ids.index("D0001"))
    busy = inside[::2][: inside.size // 2]
    plans.start_year(2027, busy)
    assert int(plans.removed[inside].sum()) == 40
    assert not plans.removed[busy].any()


def test_a_department_outside_any_area_is_named_by_its_own_name() -> None:
    """area_year names a department outside any § 61 a area as the department file does."""
    loaded = load_scenario(EXAMPLE)
    departments = loaded.departments
    alone = departments[departments["area"] == departments["department"]]
    assert len(alone) > 0, "Eksempelby has departments outside any area"
    model = HousingModel(loaded, seed=1, years=1)
    names = dict(zip(model.areas.ids, model.areas.names, strict=True))
    for code, name in zip(alone["department"], alone["name"], strict=True):
        assert names[code] == name != code
    area_year = model.run().area_year
    shown = area_year.drop_duplicates("area").set_index("area")["area_name"]
    assert shown[alone["department"].iloc[0]] == alone["name"].iloc[0]
