"""New households: waiting-list applicants and urgent referral cases, drawn from their profiles.

Applicants are drawn for a given dwelling (their size follows its rooms) and department, from what
applicants to that department look like (:func:`applicant_mix`): the department's own intake (its
day-0 mix, moved by the scenario's trends), moved toward its current residents as far as
``applicants.sorting`` says (people apply where people like them live). A department whose flows in
and out do not change therefore keeps its mix. Referral households are drawn on arrival in the
municipal queue from their group's profile, together with the traits that § 59 stk. 6/7 bars from
listed areas.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.inputs.scenario import Applicants, Behaviour, ReferralGroup, Trends
from simulation.people.population import (
    MAX_ADULTS,
    NO_CONVICTION,
    NON_EEA_SHARE_OF_NONWESTERN,
    HouseholdBatch,
    Status,
    steady_employability,
)

__all__ = [
    "FAMILY_ROOMS_MIN",
    "ApplicantFlags",
    "DepartmentMix",
    "ReferralTraits",
    "applicant_mix",
    "draw_applicants",
    "draw_referral_households",
    "pool_mix",
    "trended_intake",
    "year_to_date_convictions",
]


@dataclass(frozen=True)
class DepartmentMix:
    """Per department: the shares and mean personal factors of its residents or its applicants.

    Shares are those of the criteria (outside work/education of adults 18–64, basic school only of
    adults 30–59, non-western of residents); the factors are means over adults.
    """

    outside_share: np.ndarray
    basic_share: np.ndarray
    nonwestern_share: np.ndarray
    income_level: np.ndarray
    employability: np.ndarray
    conviction_risk: np.ndarray


def pool_mix(profile: Applicants, behaviour: Behaviour, departments: int) -> DepartmentMix:
    """One applicant pool for every department (``applicant_anchor = "pool"``).

    Its employability is the pool's steady state of work flows among applicants not in education.
    """
    pool_outside = 1.0 - profile.employed_share - profile.student_share
    labour_force = max(1.0 - profile.student_share, 1e-9)
    employability = float(steady_employability(pool_outside / labour_force, behaviour))

    def every(value: float) -> np.ndarray:
        return np.full(departments, value, np.float64)

    return DepartmentMix(
        outside_share=every(pool_outside),
        basic_share=every(profile.basic_education_share),
        nonwestern_share=every(profile.nonwestern_share),
        income_level=every(1.0),
        employability=every(employability),
        conviction_risk=every(1.0),
    )


def trended_intake(
    intake: DepartmentMix, trends: Trends, behaviour: Behaviour, years: int
) -> DepartmentMix:
    """The intake ``years`` after the department data, moved by the scenario's trends.

    Basic-school and non-western shares move by their change per year (clipped to 0–1); the
    outside-work share follows the chance of finding work: with yearly chances ``f·p`` of finding
    work and ``q/f`` of losing it the share settles at ``q / (q + f² p)``, so it is scaled by that
    steady state at the trended ``p`` over the one at the data's ``p``. With no trends the intake
    is returned as it is.
    """
    if years == 0 or trends == Trends():
        return intake
    finding = behaviour.job_finding_per_year
    loss = behaviour.job_loss_per_year
    boost = (1.0 + trends.job_finding_change_per_year) ** years
    pull = intake.employability.astype(np.float64) ** 2 * finding
    ratio = (loss + pull) / (loss + pull * boost)
    return DepartmentMix(
        outside_share=np.clip(intake.outside_share * ratio, 0.0, 1.0),
        basic_share=np.clip(
            intake.basic_share + trends.basic_education_change_per_year * years, 0.0, 1.0
        ),
        nonwestern_share=np.clip(
            intake.nonwestern_share + trends.nonwestern_change_per_year * years, 0.0, 1.0
        ),
        income_level=intake.income_level,
        employability=intake.employability,
        conviction_risk=intake.conviction_risk,
    )


def applicant_mix(
    residents: DepartmentMix, intake: DepartmentMix, profile: Applicants
) -> DepartmentMix:
    """What applicants to each department look like: its intake, moved toward its residents.

    Each trait is ``(1 − sorting) × intake + sorting × residents``, with the sorting of
    ``applicants.sorting_by_trait`` (``applicants.sorting`` where a trait has none). Where the
    residents still look like the intake, so do the applicants: the department stays as it is.
    """
    by_trait = profile.sorting_by_trait

    def blend(trait: float | None, of_intake: np.ndarray, of_residents: np.ndarray) -> np.ndarray:
        sorting = profile.sorting if trait is None else trait
        result: np.ndarray = (1 - sorting) * of_intake + sorting * of_residents
        return result

    return DepartmentMix(
        outside_share=blend(
            by_trait.outside_work_education, intake.outside_share, residents.outside_share
        ),
        basic_share=blend(by_trait.basic_education, intake.basic_share, residents.basic_share),
        nonwestern_share=blend(
            by_trait.nonwestern, intake.nonwestern_share, residents.nonwestern_share
        ),
        income_level=blend(by_trait.income, intake.income_level, residents.income_level),
        employability=blend(
            by_trait.outside_work_education, intake.employability, residents.employability
        ),
        conviction_risk=blend(
            by_trait.conviction, intake.conviction_risk, residents.conviction_risk
        ),
    )


@dataclass(frozen=True)
class ApplicantFlags:
    """Per applicant household, what the refusal rules (§ 51 b, § 51 c) and flexible letting read."""

    cash_benefit: np.ndarray
    """An adult currently on kontanthjælp-type benefits (§ 51 c)."""
    cash_benefit_6_months: np.ndarray
    """An adult with 6 consecutive months of kontanthjælp-type benefits (§ 51 b)."""
    extended: np.ndarray
    """An adult on førtidspension or with 6 months of dagpenge/sygedagpenge (§ 51 b extended)."""
    employed: np.ndarray
    """An adult in work (flexible criterion ``employment``)."""
    student: np.ndarray
    """An adult in education (``education``)."""
    commuter: np.ndarray
    """Qualifies as a commuter (``commuter``; drawn at ``applicants.commuter_share``)."""
    senior: np.ndarray
    """An adult aged 60 or more, applying for at most 2 rooms (``senior_downsizing``)."""
    family_with_children: np.ndarray
    """A child in the household, applying for at least :data:`FAMILY_ROOMS_MIN` rooms
    (``family_with_children``)."""


FAMILY_ROOMS_MIN = 3
"""Flexible letting's criterion for families with children (børnefamilier) is used for dwellings
of this many rooms or more [S: DOMAIN §1, "families with children for 3+ rooms"]."""
AGE_SPREAD_YEARS = 11.0
"""Standard deviation of adult ages around a profile's mean (years) [A]."""
NONWESTERN_SHARE_OF_NON_EEA = 0.8
"""Of referral households without EU/EEA citizenship, the share of non-western origin [A]."""


def _ages(rng: np.random.Generator, mean: float, shape: tuple[int, ...]) -> np.ndarray:
    ages: np.ndarray = np.clip(rng.normal(mean, AGE_SPREAD_YEARS, shape), 18.0, 95.0).astype(
        np.float32
    )
    return ages


def _born(ages: np.ndarray, month: int) -> np.ndarray:
    """Month of birth of people aged ``ages`` (years) at ``month``."""
    born: np.ndarray = month - np.round(ages * 12.0).astype(np.int32)
    return born


def draw_applicants(
    rng: np.random.Generator,
    profile: Applicants,
    rooms: np.ndarray,
    department: np.ndarray,
    mix: DepartmentMix,
    dispersion: float,
    month: int,
    *,
    year: int,
    conviction_per_year: tuple[float, float],
) -> tuple[HouseholdBatch, ApplicantFlags]:
    """Draw one applicant household per entry of ``rooms`` / ``department``.

    Parameters
    ----------
    rng
        The letting stream.
    profile
        The scenario's waiting-list applicant profile.
    rooms
        Rooms of the dwelling each applicant applies for (1–4).
    department
        Department index of that dwelling.
    mix
        What applicants to each department look like (:func:`applicant_mix`).
    dispersion
        Log standard deviation of personal income levels.
    month
        The month of the run they apply in.
    year
        The calendar year of ``month``.
    conviction_per_year
        Chances of a conviction per year outside work and inside (the behaviour's): applicants
        bring their convictions of the year so far, as residents do (see
        :func:`year_to_date_convictions`).
    """
    count = int(rooms.size)
    batch = HouseholdBatch.empty(count)
    room_index = np.clip(rooms.astype(np.int64) - 1, 0, 3)
    couples = rng.random(count) < np.asarray(profile.couple_share_by_rooms)[room_index]
    batch.children = np.minimum(
        rng.poisson(np.asarray(profile.children_mean_by_rooms)[room_index]), 10
    ).astype(np.int8)
    batch.adult[:, 0] = True
    batch.adult[:, 1] = couples
    age = _ages(rng, profile.age_mean, (count, MAX_ADULTS))
    batch.born = _born(age, month)

    outside_p = mix.outside_share[department]
    student_of_inside = profile.student_share / max(
        profile.employed_share + profile.student_share, 1e-9
    )
    draw = rng.random((count, MAX_ADULTS))
    working_age = batch.adult & (age < 65.0)
    outside = working_age & (draw < outside_p[:, None])
    inside_draw = (draw - outside_p[:, None]) / np.maximum(1 - outside_p[:, None], 1e-9)
    student = working_age & ~outside & (inside_draw < student_of_inside) & (age < 35.0)
    status = np.full((count, MAX_ADULTS), Status.RETIRED, np.int8)
    status[working_age] = Status.EMPLOYED
    status[student] = Status.STUDENT
    status[outside] = Status.OUTSIDE
    batch.status = status

    basic_p = mix.basic_share[department]
    batch.basic = batch.adult & (rng.random((count, MAX_ADULTS)) < basic_p[:, None])
    nonwestern_p = mix.nonwestern_share[department]
    batch.nonwestern = rng.random(count) < nonwestern_p
    batch.non_eea = batch.nonwestern & (rng.random(count) < NON_EEA_SHARE_OF_NONWESTERN)
    level = mix.income_level[department]
    batch.income_level = (
        rng.lognormal(-(dispersion**2) / 2, dispersion, (count, MAX_ADULTS)) * level[:, None]
    ).astype(np.float32)
    employability = mix.employability[department]
    batch.employability = np.repeat(employability[:, None], MAX_ADULTS, axis=1).astype(np.float32)
    risk = mix.conviction_risk[department]
    batch.conviction_risk = np.repeat(risk[:, None], MAX_ADULTS, axis=1).astype(np.float32)
    batch.convicted_year = year_to_date_convictions(rng, batch, conviction_per_year, month, year)

    # benefits of the adults outside work: kontanthjælp-type, førtidspension, dagpenge, other
    benefit = rng.random((count, MAX_ADULTS))
    cash = outside & (benefit < profile.cash_benefit_share)
    cash_6 = outside & (benefit < profile.cash_benefit_6_months_share)
    extended_low = profile.cash_benefit_share
    extended_high = (
        extended_low
        + profile.disability_pension_share
        + (profile.unemployment_benefit_6_months_share)
    )
    extended = outside & (benefit >= extended_low) & (benefit < min(extended_high, 1.0))
    months = rng.integers(0, 6, (count, MAX_ADULTS))
    batch.outside_since = (month - np.where(cash_6, 6 + months * 4, months)).astype(np.int32)
    flags = ApplicantFlags(
        cash_benefit=cash.any(axis=1),
        cash_benefit_6_months=cash_6.any(axis=1),
        extended=extended.any(axis=1),
        employed=(status == Status.EMPLOYED).any(axis=1),
        student=(status == Status.STUDENT).any(axis=1),
        commuter=rng.random(count) < profile.commuter_share,
        senior=(batch.adult & (age >= 60.0)).any(axis=1) & (rooms <= 2),
        family_with_children=(batch.children > 0) & (rooms >= FAMILY_ROOMS_MIN),
    )
    return batch, flags


def year_to_date_convictions(
    rng: np.random.Generator,
    batch: HouseholdBatch,
    conviction_per_year: tuple[float, float],
    month: int,
    year: int,
) -> np.ndarray:
    """The year of each adult's last conviction, for households moving in in ``month`` of ``year``.

    The criterion counts the residents of 1 December convicted during the year, wherever they
    lived (§ 61 a); so a newcomer was convicted this year with the chance of the months of the
    year up to and including the month of moving in (the month's life events come before the
    letting), by status and personal conviction risk. Without this, every move would carry
    convictions out and none in, and the criterion would fall with turnover.
    """
    outside, inside = (1.0 - (1.0 - rate) ** (1.0 / 12.0) for rate in conviction_per_year)
    places = np.flatnonzero(batch.adult.ravel())
    status = batch.status.ravel()[places]
    per_month = np.where(status == Status.OUTSIDE, outside, inside)
    per_month = per_month * batch.conviction_risk.ravel()[places]
    # the chance of one or more in the months so far: months × monthly chance to first order
    # (about 0.1 % a month at an average risk, where the second-order term is below 0.01 points)
    chance = per_month * (month % 12 + 1)
    convicted = places[rng.random(places.size) < chance]
    flat = np.full(batch.adult.size, NO_CONVICTION, np.int16)
    flat[convicted] = year
    result: np.ndarray = flat.reshape(batch.adult.shape)
    return result


BAN_MONTHS = 6
"""How long the bans for a prison release or an eviction last (§ 59 stk. 6 nr. 1 and 3) [C]."""


@dataclass(frozen=True)
class ReferralTraits:
    """Per referral household: whether it may be referred to listed areas (§ 59 stk. 6/7)."""

    barred_udsat: np.ndarray
    """Barred from udsatte boligområder (any of the traits (1)–(7))."""
    barred_prevention: np.ndarray
    """Barred from forebyggelsesområder (traits (1)–(4) and integration benefits, or all)."""
    bans_end: np.ndarray | None = None
    """The month from which the bans with a duration (released from prison, evicted: nr. 1 and 3,
    :data:`BAN_MONTHS`) no longer apply; ``None``: no ban has a duration."""
    lasting_udsat: np.ndarray | None = None
    """Still barred from udsatte boligområder once those bans have ended (by the other traits)."""
    lasting_prevention: np.ndarray | None = None
    """Still barred from forebyggelsesområder once those bans have ended."""


def draw_referral_households(
    rng: np.random.Generator,
    group: ReferralGroup,
    count: int,
    month: int,
    year: int,
    dispersion: float,
    *,
    employability: float,
    conviction_risk: float,
    prevention_bans_include_benefits: bool,
) -> tuple[HouseholdBatch, ReferralTraits]:
    """Draw ``count`` households of a referral group arriving in ``month`` (of ``year``).

    ``employability`` and ``conviction_risk`` are the group's personal factors (see
    :class:`~simulation.people.population.HouseholdBatch`): its arrival profile is its steady state.
    """
    batch = HouseholdBatch.empty(count)
    batch.adult[:, 0] = True
    batch.adult[:, 1] = rng.random(count) < group.couple_share
    batch.children = np.minimum(rng.poisson(group.children_mean, count), 10).astype(np.int8)
    age = _ages(rng, group.age_mean, (count, MAX_ADULTS))
    batch.born = _born(age, month)
    working_age = batch.adult & (age < 65.0)
    outside = working_age & (rng.random((count, MAX_ADULTS)) < group.outside_work_education_share)

    barred = group.barred
    draws = {name: rng.random(count) for name in type(barred).model_fields}
    traits = {name: draws[name] < getattr(barred, name) for name in draws}
    on_benefits = (
        traits["cash_benefit_6_months"]
        | traits["integration_benefit_6_months"]
        | traits["disability_pension"]
        | traits["unemployment_benefit_6_months"]
    )
    outside[:, 0] |= on_benefits & working_age[:, 0]
    status = np.full((count, MAX_ADULTS), Status.RETIRED, np.int8)
    status[working_age] = Status.EMPLOYED
    status[outside] = Status.OUTSIDE
    batch.status = status
    batch.basic = batch.adult & (rng.random((count, MAX_ADULTS)) < group.basic_education_share)
    batch.nonwestern = rng.random(count) < group.nonwestern_share
    batch.non_eea = traits["non_eea_citizen"]
    batch.nonwestern |= batch.non_eea & (rng.random(count) < NONWESTERN_SHARE_OF_NON_EEA)
    batch.income_level = rng.lognormal(
        -(dispersion**2) / 2, dispersion, (count, MAX_ADULTS)
    ).astype(np.float32)
    batch.employability[:] = employability
    batch.conviction_risk[:] = conviction_risk
    convicted = batch.adult & (rng.random((count, MAX_ADULTS)) < group.convicted_share)
    convicted[:, 0] |= traits["released_prisoner"]
    batch.convicted_year = np.where(convicted, year, NO_CONVICTION).astype(np.int16)
    spell = traits["cash_benefit_6_months"] | traits["integration_benefit_6_months"]
    months = np.where(spell[:, None], 6 + rng.integers(0, 18, (count, MAX_ADULTS)), 0)
    batch.outside_since = (month - months).astype(np.int32)

    always = (
        traits["released_prisoner"]
        | traits["released_minor"]
        | traits["evicted"]
        | traits["non_eea_citizen"]
        | traits["integration_benefit_6_months"]
    )
    benefits = (
        traits["cash_benefit_6_months"]
        | traits["disability_pension"]
        | traits["unemployment_benefit_6_months"]
    )
    prevention = always | benefits if prevention_bans_include_benefits else always
    # the release or eviction happened up to 6 months before arrival: given the trait, its draw
    # (below the share) is uniform, so it also says how long ago, with no extra draw
    bans_end = np.full(count, month, np.int64)
    for name in ("released_prisoner", "evicted"):
        share = max(getattr(barred, name), 1e-300)
        ago = np.minimum(np.floor(draws[name] / share * BAN_MONTHS), BAN_MONTHS - 1)
        bans_end = np.where(
            traits[name], np.maximum(bans_end, month + BAN_MONTHS - ago.astype(np.int64)), bans_end
        )
    lasting = (
        traits["released_minor"]
        | traits["non_eea_citizen"]
        | traits["integration_benefit_6_months"]
    )
    lasting_prevention = lasting | benefits if prevention_bans_include_benefits else lasting
    return batch, ReferralTraits(
        barred_udsat=always | benefits,
        barred_prevention=prevention,
        bans_end=bans_end,
        lasting_udsat=lasting | benefits,
        lasting_prevention=lasting_prevention,
    )
