"""New households: waiting-list applicants and urgent referral cases, drawn from their profiles.

Applicants are drawn for a given dwelling (their size follows its rooms) and department (with
``applicants.sorting`` they resemble its residents: people apply where people like them live).
Referral households are drawn on arrival in the municipal queue from their group's profile,
together with the traits that § 59 stk. 6/7 bars from listed areas.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.inputs.scenario import Applicants, ReferralGroup
from simulation.people.population import (
    MAX_ADULTS,
    NO_CONVICTION,
    NON_EEA_SHARE_OF_NONWESTERN,
    HouseholdBatch,
    Status,
)

__all__ = [
    "FAMILY_ROOMS_MIN",
    "ApplicantFlags",
    "DepartmentMix",
    "ReferralTraits",
    "draw_applicants",
    "draw_referral_households",
]


@dataclass(frozen=True)
class DepartmentMix:
    """What applicants to each department resemble (updated every December), per department."""

    outside_share: np.ndarray
    basic_share: np.ndarray
    nonwestern_share: np.ndarray
    income_level: np.ndarray
    employability: np.ndarray
    conviction_risk: np.ndarray


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
    pool_employability: float,
    month: int,
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
        Department resident mix the applicants are sorted toward.
    dispersion
        Log standard deviation of personal income levels.
    pool_employability
        Employability of the applicant pool (at which its outside-work share is steady).
    month
        The month of the run they apply in.
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

    sorting = profile.sorting
    pool_outside = 1.0 - profile.employed_share - profile.student_share
    outside_p = (1 - sorting) * pool_outside + sorting * mix.outside_share[department]
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

    basic_p = (1 - sorting) * profile.basic_education_share + sorting * mix.basic_share[department]
    batch.basic = batch.adult & (rng.random((count, MAX_ADULTS)) < basic_p[:, None])
    nonwestern_p = (1 - sorting) * profile.nonwestern_share + sorting * mix.nonwestern_share[
        department
    ]
    batch.nonwestern = rng.random(count) < nonwestern_p
    batch.non_eea = batch.nonwestern & (rng.random(count) < NON_EEA_SHARE_OF_NONWESTERN)
    level = (1 - sorting) + sorting * mix.income_level[department]
    batch.income_level = (
        rng.lognormal(-(dispersion**2) / 2, dispersion, (count, MAX_ADULTS)) * level[:, None]
    ).astype(np.float32)
    employability = (1 - sorting) * pool_employability + sorting * mix.employability[department]
    batch.employability = np.repeat(employability[:, None], MAX_ADULTS, axis=1).astype(np.float32)
    risk = (1 - sorting) + sorting * mix.conviction_risk[department]
    batch.conviction_risk = np.repeat(risk[:, None], MAX_ADULTS, axis=1).astype(np.float32)

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
