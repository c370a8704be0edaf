"""Scenario files: the world and the agreement, as data.

A scenario is a TOML file validated into frozen pydantic models. Every field carries its unit, default and
description (``scenarios/README.md`` is generated from them). A scenario may ``extends = "other.toml"``
and override only what differs: tables merge key by key, everything else (numbers, strings, lists)
replaces. Paths are relative to the file that names them. Unknown keys are errors.

Sources are marked in the descriptions: ``[C]`` confirmed in the law or an official page, ``[S]`` a
secondary source, ``[U]`` unverified (a parameter with a documented default), ``[A]`` a modelling
assumption, with its reason. See ``docs/law.md`` and ``simulation/MODEL.md`` for the facts behind them.

Examples
--------
>>> from simulation.inputs.scenario import load_scenario
>>> loaded = load_scenario("scenarios/eksempelby.toml")  # doctest: +SKIP
>>> loaded.scenario.agreement.default_referral_share  # doctest: +SKIP
0.25
"""

from __future__ import annotations

import hashlib
import json
import tomllib
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import annotated_types
import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo

from simulation.base.errors import Problem, ScenarioError, Words, danish_number, show_value
from simulation.inputs.csvfiles import PercentColumns
from simulation.law.regimes import MINIMUM_RESIDENTS, OUTSIDE_WORK_EDUCATION, ListName, Regime

__all__ = [
    "SCHEMA_VERSION",
    "Agreement",
    "Applicants",
    "Area",
    "BarredTraits",
    "Behaviour",
    "DevelopmentPlan",
    "FlexibleCriterion",
    "Horizon",
    "Legal",
    "LoadedScenario",
    "Municipality",
    "OptimiserSettings",
    "PlanMeasure",
    "ReferralGroup",
    "Scenario",
    "SortingByTrait",
    "Tier",
    "TierConditions",
    "Trends",
    "apply_overrides",
    "build_scenario",
    "field_bounds",
    "load_scenario",
    "nested_model",
    "scenario_problems",
    "toml_expected",
]

SCHEMA_VERSION = 1
"""The scenario schema version this package reads."""

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def documented(default: Any = ..., *, unit: str, description: str, **constraints: Any) -> Any:
    """Declare a scenario field with its unit and description (used for the field reference)."""
    return Field(default, description=description, json_schema_extra={"unit": unit}, **constraints)


Share = Annotated[float, Field(ge=0.0, le=1.0)]
"""A share written as a number from 0 to 1 (25 % is 0.25)."""

MAX_INCOME_KR = 10_000_000.0
"""The highest mean yearly income a scenario may give (kr; Danish means are about 200,000–500,000)."""

YEAR_MIN, YEAR_MAX = 2000, 2100
"""The calendar years a scenario may name."""

YEARS_SINCE_HOUSED_MAX = 30
"""Longest list of yearly values for referred households after housing (years 1 to 30)."""


class Section(BaseModel):
    """Base of every scenario table: frozen, strict about types, unknown keys rejected.

    Every number is finite (``inf`` and ``nan`` are refused) and every numeric field has a lower and
    an upper bound, so that a scenario ``blandetby validate`` accepts is one that runs.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class FlexibleCriterion(StrEnum):
    """Criteria for flexible letting (fleksibel udlejning, § 60); citizenship may never be one [C]."""

    EMPLOYMENT = "employment"
    EDUCATION = "education"
    COMMUTER = "commuter"
    FAMILY_WITH_CHILDREN = "family_with_children"
    SENIOR_DOWNSIZING = "senior_downsizing"


class Municipality(Section):
    """The municipality (kommune) and where its department data lives."""

    name: str = documented(unit="text", description="Name of the municipality.")
    region: str = documented(
        "Region Midtjylland",
        unit="text",
        description="The region whose mean income the income criterion compares with.",
    )
    regional_mean_income_kr: float = documented(
        340_000.0,
        unit="kr per year",
        ge=10_000,
        le=MAX_INCOME_KR,
        description="Mean gross income of the region's 15–64-year-olds excluding students "
        "(criterion 4's yardstick) [S].",
    )
    national_conviction_share: float = documented(
        0.0072,
        unit="share 0–1",
        ge=0.0001,
        le=0.2,
        description="National share of residents 18+ convicted under the penal code, weapons or "
        "drugs acts (criterion 2's yardstick); about 0.72 % [S].",
    )
    departments_file: str = documented(
        unit="path",
        description="CSV of department aggregates (see 'Department data'), relative to the scenario file.",
    )
    percent_columns: PercentColumns = documented(
        "auto",
        unit="auto/percent/fractions",
        description="How the department CSV's share columns are written: auto = as each header "
        "says (a header with %, pct or procent in per cent 0–100, others 0–1), refusing a column "
        "whose values contradict it; percent or fractions = every share column so "
        "(`--percent-columns` on the command line).",
    )
    strict_columns: bool = documented(
        False,
        unit="yes/no",
        description="Refuse department CSV columns the model does not read (default: ignore them "
        "with one warning; `--strict-columns` on the command line).",
    )


class Legal(Section):
    """The legal regime for the lists of § 61 a / § 61 b and the letting bans tied to them."""

    regime: Regime = documented(
        Regime.Y2021,
        unit="regime",
        description="Which law classifies the areas: 2021 (current), 2018, 2014 or 2010 [C].",
    )
    minimum_residents: int = documented(
        MINIMUM_RESIDENTS,
        unit="residents",
        ge=0,
        le=100_000,
        description="An area is listed only with at least this many residents on 1 January [C].",
    )
    transformation_years: int | None = documented(
        None,
        unit="years",
        ge=1,
        le=100,
        description="Consecutive years as parallelsamfund (2018: ghetto) that make an "
        "omdannelsesområde (2018: hårdt ghettoområde); empty = the regime's default (2021: 5 [C], "
        "2018: 4 [U]).",
    )
    prevention_excludes_udsat: bool = documented(
        True,
        unit="yes/no",
        description="An area on the udsat list is not also a forebyggelsesområde [U].",
    )
    prevention_bans_include_benefits: bool = documented(
        False,
        unit="yes/no",
        description="§ 59 stk. 7: whether bans (5)–(7) (6 months of kontanthjælp-type benefits, "
        "førtidspension, dagpenge) apply in forebyggelsesområder in full, beyond (1)–(4) and "
        "selvforsørgelses-/hjemrejse-/overgangsydelse [U].",
    )
    data_lag_years: int = documented(
        1,
        unit="years",
        ge=0,
        le=3,
        description="The lists of 1 December of year Y compare the register figures of year "
        "Y − lag (criteria 1–2 as the mean of that year and the one before; criteria 3–4 that "
        "year alone; the yardstick incomes of that year), while residents are counted on "
        "1 January of Y. 1: 'figures from last year and the year before' [S: DR, December 2019, "
        "quoting the ministry]; 0 reads the state of the day.",
    )


class PlanMeasure(Section):
    """One measure of a development plan (udviklingsplan, § 168 a), taking effect on 1 January."""

    year: int = documented(
        unit="year", ge=2000, le=2100, description="The year the measure takes effect (1 January)."
    )
    kind: Literal["demolish", "sell", "convert", "build_private"] = documented(
        unit="measure",
        description="demolish: the dwellings go, their households are rehoused; sell: they leave "
        "the almene stock with their tenants; convert: they become youth or senior dwellings "
        "(outside the family stock the model lets), their households are rehoused; "
        "build_private: new private dwellings on the area's land (no almene dwelling changes) [C: "
        "the means of § 168 a plans].",
    )
    dwellings: int = documented(
        unit="dwellings", ge=1, le=1_000_000, description="How many dwellings."
    )
    department: str | None = documented(
        None,
        unit="department id",
        description="The department the dwellings are taken from; empty: the area's departments, "
        "at random among their dwellings.",
    )


class DevelopmentPlan(Section):
    """A development plan for an omdannelsesområde (§ 168 a): measures by year and the target."""

    target_family_share: Share = documented(
        0.4,
        unit="share 0–1",
        description="Almene family dwellings at most this share of all dwellings in the area [C: "
        "40 %].",
    )
    target_year: int = documented(
        2030, unit="year", ge=2000, le=2100, description="By 1 January of this year [C: 2030]."
    )
    other_dwellings: int = documented(
        0,
        unit="dwellings",
        ge=0,
        le=1_000_000,
        description="Dwellings in the area on day 0 that are not almene family dwellings (private, "
        "youth, senior): the rest of the target's denominator.",
    )
    measures: tuple[PlanMeasure, ...] = documented(
        (), unit="list of tables", description="The plan's measures, each in its year."
    )


class Area(Section):
    """A housing area (boligområde, § 61 a stk. 3): the unit the legal lists are about."""

    name: str = documented(unit="text", description="Name of the area.")
    parallelsamfund_years_before_start: int = documented(
        0,
        unit="years",
        ge=0,
        le=100,
        description="Consecutive years the area was on the parallelsamfund list before the year "
        "of the department data (they count toward the 5-year omdannelsesområde rule).",
    )
    development_plan: DevelopmentPlan | None = documented(
        None,
        unit="table",
        description="The area's § 168 a development plan, if it has one (the model carries it out "
        "whatever the lists say later: the plan binds after the area leaves the list [C]).",
    )


class BarredTraits(Section):
    """Shares of a referral group's households with each trait that § 59 stk. 6/7 bars from listed areas."""

    released_prisoner: Share = documented(
        0.0,
        unit="share 0–1",
        description="(1) released after a prison sentence in the last 6 months [C].",
    )
    released_minor: Share = documented(
        0.0,
        unit="share 0–1",
        description="(2) a member under 18 released from an institution after a conviction [C].",
    )
    evicted: Share = documented(
        0.0,
        unit="share 0–1",
        description="(3) evicted for gross misconduct in the last 6 months [C].",
    )
    non_eea_citizen: Share = documented(
        0.0,
        unit="share 0–1",
        description="(4) a member not an EU/EEA/Swiss citizen (students excepted) [C].",
    )
    cash_benefit_6_months: Share = documented(
        0.0,
        unit="share 0–1",
        description="(5) 6 consecutive months of kontanthjælp or uddannelseshjælp [C].",
    )
    integration_benefit_6_months: Share = documented(
        0.0,
        unit="share 0–1",
        description="(5) 6 consecutive months of selvforsørgelses-, hjemrejse- or overgangsydelse "
        "(also barred in forebyggelsesområder) [C].",
    )
    disability_pension: Share = documented(
        0.0, unit="share 0–1", description="(6) receives førtidspension [C]."
    )
    unemployment_benefit_6_months: Share = documented(
        0.0,
        unit="share 0–1",
        description="(7) 6 consecutive months of dagpenge, sygedagpenge or ressourceforløbsydelse [C].",
    )


class ReferralGroup(Section):
    """A kind of urgent household the municipality refers (kommunal anvisning, § 59)."""

    name: str = documented(unit="text", description="Name shown in tables and figures.")
    arrivals_per_year: float = documented(
        unit="households per year",
        ge=0,
        le=20_000,
        description="Mean arrivals to the municipal referral queue in years that "
        "arrivals_by_year and kommunekvote do not name (all of Denmark refers about 5,300 "
        "households a year [C]).",
    )
    arrivals_by_year: dict[str, Annotated[float, Field(ge=0, le=20_000)]] = documented(
        {},
        unit="households per year, per calendar year",
        description="Mean arrivals in the years named (e.g. { 2026 = 40, 2027 = 25 }), as a "
        "planner expects them; other years take arrivals_per_year.",
    )
    kommunekvote: dict[str, Annotated[int, Field(ge=0, le=100_000)]] = documented(
        {},
        unit="persons per year, per calendar year",
        description="The municipality's quota of refugees (kommunekvote) in the years named, as "
        "Udlændingestyrelsen publishes it from the national figure (landstal) and the "
        "distribution key [S: integrationsloven §§ 7–8]: persons, turned into households by the "
        "group's mean household size (1 + couple_share + children_mean). A year may be in "
        "arrivals_by_year or here, not both.",
    )
    couple_share: Share = documented(
        0.0,
        unit="share 0–1",
        description="Share of households with two adults (the rest have one).",
    )
    children_mean: float = documented(
        0.0,
        unit="children per household",
        ge=0,
        le=10,
        description="Mean number of children (Poisson).",
    )
    age_mean: float = documented(
        35.0, unit="years", ge=18, le=90, description="Mean age of the adults."
    )
    rooms_min: int = documented(
        1,
        unit="rooms",
        ge=1,
        le=4,
        description="Smallest dwelling the household can be referred to.",
    )
    max_rent_kr: float = documented(
        unit="kr per month",
        gt=0,
        le=100_000,
        description="Highest rent the household can pay; a homeless person about 3,500 kr [S].",
    )
    outside_work_education_share: Share = documented(
        0.8,
        unit="share 0–1",
        description="Share of adults 18–64 outside work and education on arrival.",
    )
    basic_education_share: Share = documented(
        0.5, unit="share 0–1", description="Share of adults with basic school only."
    )
    nonwestern_share: Share = documented(
        0.2,
        unit="share 0–1",
        description="Share of households of non-western origin (immigrants or descendants).",
    )
    convicted_share: Share = documented(
        0.02,
        unit="share 0–1",
        description="Share of adults convicted in the year before arrival (counts in criterion 2).",
    )
    barred: BarredTraits = documented(
        BarredTraits(),
        unit="table",
        description="Shares with each trait barred from listed areas (drawn independently).",
    )
    leave_queue_per_year: Share = documented(
        0.2,
        unit="share per year",
        description="Hazard of leaving the queue housed elsewhere (family, private rental) [A].",
    )
    work_entry_per_month: tuple[Share, ...] = documented(
        (),
        unit="chance per month, by year since housed",
        max_length=YEARS_SINCE_HOUSED_MAX,
        description="Once housed by referral, the monthly chance that an adult 18–64 outside work "
        "and education enters work (under 30: education), by year since housed (1st, 2nd, …; "
        "the last value holds after); on top of the ordinary job finding at the group's "
        "employability. Empty: no such rise. Eksempelby's values and their sources (refugees: "
        "about 4 in 10 adults in work some 3 years after arrival [U]; others [A]) are in "
        "simulation/MODEL.md.",
    )
    tenancy_failure_per_month: tuple[Share, ...] = documented(
        (),
        unit="chance per month, by year since housed",
        max_length=YEARS_SINCE_HOUSED_MAX,
        description="Once housed by referral, the monthly chance that the tenancy fails (eviction, "
        "abandonment): the household leaves its dwelling and joins the referral queue again, "
        "barred by the eviction for 6 months (§ 59 stk. 6 nr. 3); by year since housed (the "
        "last value holds after). Empty: none fail. Housing First in Denmark: about 9 in 10 "
        "housed with floating support kept their dwelling [S: SFI's evaluation of the "
        "homelessness strategy, Benjaminsen 2013]; see simulation/MODEL.md.",
    )

    @field_validator("arrivals_by_year", "kommunekvote")
    @classmethod
    def _calendar_years(cls, value: dict[str, Any]) -> dict[str, Any]:
        for year in value:
            if not (year.isdigit() and YEAR_MIN <= int(year) <= YEAR_MAX):
                raise ValueError(
                    Words(
                        f"calendar years {YEAR_MIN}–{YEAR_MAX} as keys, e.g. 2027 = 40 "
                        f"(got {year!r})",
                        f"kalenderår {YEAR_MIN}–{YEAR_MAX} som nøgler, f.eks. 2027 = 40 "
                        f"(fik {year!r})",
                    )
                )
        return value

    @model_validator(mode="after")
    def _one_source_per_year(self) -> ReferralGroup:
        both = sorted(set(self.arrivals_by_year) & set(self.kommunekvote))
        if both:
            raise ValueError(
                Words(
                    "each year in arrivals_by_year or kommunekvote, not both "
                    f"(both have {', '.join(both)})",
                    "hvert år i arrivals_by_year eller kommunekvote, ikke i begge "
                    f"(begge har {', '.join(both)})",
                )
            )
        return self

    def arrivals_in(self, year: int) -> float:
        """Mean arrivals (households) in ``year``: from the quota, the yearly table or the default."""
        key = str(year)
        if key in self.kommunekvote:
            persons = 1.0 + self.couple_share + self.children_mean
            return self.kommunekvote[key] / persons
        return self.arrivals_by_year.get(key, self.arrivals_per_year)

    @property
    def barred_share(self) -> float:
        """Chance that a household has at least one trait barred from udsatte boligområder."""
        clear = 1.0
        for name in type(self.barred).model_fields:
            clear *= 1.0 - getattr(self.barred, name)
        return 1.0 - clear


Children = Annotated[float, Field(ge=0.0, le=10.0)]
"""A mean number of children per household (0 to 10)."""


class SortingByTrait(Section):
    """How far applicants resemble a department's current residents, trait by trait (self-selection).

    Empty traits take ``applicants.sorting``. No Danish data on the sorting of movers in and out by
    trait is used yet (LBF Beboerdata has movers in and out per department, not read here): the
    values are assumptions [A].
    """

    outside_work_education: Share | None = documented(
        None,
        unit="weight 0–1",
        description="Work and education status (criterion 1) and the chance of finding work [A].",
    )
    basic_education: Share | None = documented(
        None, unit="weight 0–1", description="Basic school only (criterion 3) [A]."
    )
    income: Share | None = documented(
        None, unit="weight 0–1", description="Personal income level (criterion 4) [A]."
    )
    conviction: Share | None = documented(
        None, unit="weight 0–1", description="Personal conviction risk (criterion 2) [A]."
    )
    nonwestern: Share | None = documented(
        0.9,
        unit="weight 0–1",
        description="Non-western origin [A: origin is the most persistent trait of an area "
        "(networks, chain migration); fragile areas kept their non-western shares while other "
        "criteria moved, model-review D4].",
    )


class Applicants(Section):
    """Households on the waiting lists (ventelister): who gets a dwelling that is not a referral."""

    couple_share_by_rooms: tuple[Share, Share, Share, Share] = documented(
        (0.05, 0.25, 0.45, 0.6),
        unit="share 0–1 for 1, 2, 3, 4+ rooms",
        description="Share of applicant households with two adults, by dwelling size [A: calibrated "
        "to 1.7 persons per household, DOMAIN §3].",
    )
    children_mean_by_rooms: tuple[Children, Children, Children, Children] = documented(
        (0.0, 0.1, 0.55, 1.3),
        unit="children for 1, 2, 3, 4+ rooms",
        description="Mean children per applicant household, by dwelling size [A: calibrated as above].",
    )
    age_mean: float = documented(
        38.0, unit="years", ge=18, le=90, description="Mean age of applicant adults [A]."
    )
    employed_share: Share = documented(
        0.57, unit="share 0–1", description="Share of applicant adults 18–64 in work [A]."
    )
    student_share: Share = documented(
        0.16, unit="share 0–1", description="Share of applicant adults 18–64 in education [A]."
    )
    basic_education_share: Share = documented(
        0.28, unit="share 0–1", description="Share of applicant adults with basic school only [A]."
    )
    nonwestern_share: Share = documented(
        0.2,
        unit="share 0–1",
        description="Share of applicant households of non-western origin [A].",
    )
    commuter_share: Share = documented(
        0.1,
        unit="share 0–1",
        description="Share of applicant households that qualify as commuters (flexible criterion) [A].",
    )
    sorting: Share = documented(
        0.75,
        unit="weight 0–1",
        description="How far applicants to a department resemble its current residents rather "
        "than its own intake (see applicant_anchor): 1 = they mirror the residents, so any change "
        "persists; 0 = they are the intake whatever happens; self-selection [A]. Used for every "
        "trait not set in sorting_by_trait.",
    )
    sorting_by_trait: SortingByTrait = documented(
        SortingByTrait(),
        unit="table",
        description="Sorting per trait; empty traits use sorting [A].",
    )
    applicant_anchor: Literal["department", "pool"] = documented(
        "department",
        unit="department/pool",
        description="What applicants resemble apart from the residents. department: the "
        "department's own day-0 intake (its mix on day 0, moved by the trends), so that a "
        "department whose flows do not change keeps its criteria [A: day 0 is a steady state]; "
        "pool: one applicant pool for the whole municipality (employed_share, student_share, "
        "basic_education_share, nonwestern_share above), which pulls every department toward the "
        "pool (the model before issue 11; kept for comparison).",
    )
    cash_benefit_share: Share = documented(
        0.45,
        unit="share 0–1",
        description="Share of applicant adults outside work currently on kontanthjælp-type "
        "benefits (refused in omdannelsesområder under § 51 c) [A].",
    )
    cash_benefit_6_months_share: Share = documented(
        0.35,
        unit="share 0–1",
        description="Share of applicant adults outside work with 6 consecutive months of "
        "kontanthjælp-type benefits (refused under § 51 b); at most the share above [A].",
    )
    disability_pension_share: Share = documented(
        0.2,
        unit="share 0–1",
        description="Share of applicants outside work on førtidspension (§ 51 b extension) [A].",
    )
    unemployment_benefit_6_months_share: Share = documented(
        0.15,
        unit="share 0–1",
        description="Share of applicants outside work with 6 months of dagpenge or sygedagpenge "
        "(§ 51 b extension) [A].",
    )
    internal_list_share: Share = documented(
        0.5,
        unit="share 0–1",
        description="Share of waiting-list lettings first offered to the internal list: every 2nd "
        "since 2019 [S].",
    )
    internal_acceptance: Share = documented(
        0.22,
        unit="share 0–1",
        description="Chance that an internal-list offer is taken by a sitting tenant; otherwise it "
        "goes external [A: calibrated to internal ≈ 10 % of lettings, DOMAIN §3].",
    )

    @model_validator(mode="after")
    def _six_months_within_current(self) -> Applicants:
        if self.cash_benefit_6_months_share > self.cash_benefit_share:
            six_months, current = self.cash_benefit_6_months_share, self.cash_benefit_share
            raise ValueError(
                Words(
                    f"cash_benefit_6_months_share ({six_months}) cannot exceed "
                    f"cash_benefit_share ({current}): 6-month recipients are among "
                    "the current ones",
                    f"at cash_benefit_6_months_share ({danish_number(str(six_months))}) ikke er "
                    f"større end cash_benefit_share ({danish_number(str(current))}): de, der har "
                    "fået kontanthjælp i 6 måneder, er blandt de nuværende modtagere",
                )
            )
        if self.employed_share + self.student_share > 1:
            total = f"{self.employed_share + self.student_share:g}"
            raise ValueError(
                Words(
                    f"employed_share + student_share ({total}) "
                    "must be at most 1; the rest are outside work and education",
                    f"at employed_share + student_share ({danish_number(total)}) højst er 1; "
                    "resten er uden for arbejde og uddannelse",
                )
            )
        return self


class TierConditions(Section):
    """When a department belongs to a tier of a stepped model (its own indicators, one year)."""

    match: Literal["any", "all"] = documented(
        "any", unit="any/all", description="Whether any or all of the conditions given must hold."
    )
    area_lists: tuple[ListName, ...] = documented(
        (),
        unit="list names",
        description="The department's area is on one of these lists (udsat, parallelsamfund, "
        "omdannelsesomraade, forebyggelsesomraade).",
    )
    outside_work_education_share_above: Share | None = documented(
        None,
        unit="share 0–1",
        description="Share of 18–64-year-olds outside work/education above this.",
    )
    basic_education_share_above: Share | None = documented(
        None,
        unit="share 0–1",
        description="Share of 30–59-year-olds with basic school only above this.",
    )
    income_ratio_region_below: float | None = documented(
        None,
        unit="ratio",
        ge=0,
        le=10,
        description="Mean income relative to the region below this.",
    )
    conviction_ratio_at_least: float | None = documented(
        None,
        unit="ratio",
        ge=0,
        le=100,
        description="Conviction share relative to the nation at least this.",
    )
    nonwestern_share_above: Share | None = documented(
        None, unit="share 0–1", description="Non-western share of residents above this."
    )
    criteria_met_at_least: int | None = documented(
        None,
        unit="criteria",
        ge=0,
        le=4,
        description="At least this many of the four udsat criteria met by the department alone.",
    )

    def is_unconditional(self) -> bool:
        """Whether no condition is given, so that every department matches."""
        return not self.area_lists and all(
            getattr(self, name) is None
            for name in type(self).model_fields
            if name.endswith(("_above", "_below", "_at_least"))
        )


class Tier(Section):
    """One step of a stepped model (trappetrinsmodel): its conditions and its letting rules."""

    name: str = documented(
        unit="text", description="Name of the tier, e.g. 'red', 'yellow', 'green'."
    )
    when: TierConditions = documented(
        TierConditions(),
        unit="table",
        description="Conditions for the tier; a tier without conditions takes every department.",
    )
    referral_share: Share | None = documented(
        None,
        unit="share 0–1",
        description="Share of vacancies the municipality may claim; empty = the default share.",
    )
    flexible_letting_share: Share | None = documented(
        None,
        unit="share 0–1",
        description="Share of non-referral vacancies let by flexible criteria; empty = the "
        "agreement's share.",
    )


class OptimiserSettings(Section):
    """The referral LP used by the `optimised` placement policy and by `blandetby optimise`."""

    threshold: Share = documented(
        OUTSIDE_WORK_EDUCATION.threshold / 100,
        unit="share 0–1",
        description="The legal threshold for adults 18–64 outside work/education (udsat) [C].",
    )
    safety_margin: Share = documented(
        0.05,
        unit="share 0–1",
        description="Margin below the threshold (and, for the forebyggelse list, below the "
        "non-western share that makes it reachable) the plan keeps [A].",
    )
    protect: Literal["areas", "departments", "both"] = documented(
        "areas",
        unit="choice",
        description="What the plan protects. areas: each area that can be listed ends the period "
        "with its share of adults 18–64 outside work or education below the threshold of the "
        "list that could take it (the forebyggelse list's 30 % where its non-western share "
        "makes that list reachable, else threshold), less the margin; departments: each "
        "department's own share below threshold less the margin; both.",
    )
    protect_small_areas: bool = documented(
        False,
        unit="yes/no",
        description="Protect areas too small to be listed in the period (fewer residents than "
        "legal.minimum_residents less area_resident_margin); by default they are not.",
    )
    area_resident_margin: Share = documented(
        0.1,
        unit="share 0–1",
        description="An area with fewer residents than (1 − this) × legal.minimum_residents "
        "cannot reach the minimum within the period and is not protected [A].",
    )
    planning_months: int = documented(
        12, unit="months", ge=1, le=60, description="Period a plan covers."
    )
    replan_every_months: int = documented(
        3, unit="months", ge=1, le=12, description="How often the simulation re-plans."
    )
    integer: bool = documented(
        False,
        unit="yes/no",
        description="Whole referrals (MILP) instead of the LP: whole claims, each for a whole "
        "dwelling that fits the household.",
    )
    time_limit_seconds: float | None = documented(
        60.0,
        unit="seconds",
        gt=0,
        le=86_400,
        description="Whole referrals: the time each MILP solve may take; a stage stopped there "
        "keeps its best plan and reports its gap (empty = no limit; a limit that is reached makes "
        "the plan depend on the machine).",
    )
    fair_shortfall: bool = documented(
        False,
        unit="yes/no",
        description="After placing as many as possible, make the largest share of any referral "
        "group's demand left unplaced as small as possible (no group carries more than its share "
        "of the shortfall), before spreading the load.",
    )
    solver: Literal["auto", "highs", "cbc"] = documented(
        "auto", unit="solver", description="LP solver; auto = HiGHS when installed, else CBC."
    )


class Agreement(Section):
    """The strategic referral and letting agreement between municipality and housing organisations."""

    name: str = documented("Default", unit="text", description="Name of the agreement.")
    period_years: int = documented(
        4, unit="years", ge=1, le=30, description="Length of the agreement (for reporting)."
    )
    default_referral_share: Share = documented(
        0.25,
        unit="share 0–1",
        description="Share of vacant family dwellings the municipality may claim (kommunal "
        "anvisning, § 59); 1 in 4 by law [C], any share by agreement.",
    )
    referral_share_by_department: dict[str, Share] = documented(
        {},
        unit="share 0–1 per department id",
        description="Agreed shares for single departments; they win over tiers and the default.",
    )
    tiers: tuple[Tier, ...] = documented(
        (),
        unit="list of tables",
        max_length=20,
        description="Stepped model: departments are placed once a year, each on the first tier "
        "whose conditions hold; none = the default share everywhere (at most 20 tiers).",
    )
    flexible_letting_share: Share = documented(
        0.0,
        unit="share 0–1",
        description="Share of non-referral vacancies outside listed areas let by flexible criteria "
        "(fleksibel udlejning, § 60 stk. 1); Copenhagen uses 2/3 [S].",
    )
    flexible_criteria: tuple[FlexibleCriterion, ...] = documented(
        (FlexibleCriterion.EMPLOYMENT, FlexibleCriterion.EDUCATION),
        unit="criteria",
        description="Who qualifies for flexible letting (employment, education, commuter, "
        "family_with_children, senior_downsizing).",
    )
    combined_letting: bool = documented(
        False,
        unit="yes/no",
        description="The municipality applies kombineret udlejning (§ 51 b): waiting-list "
        "applicants with 6 months of kontanthjælp are refused where allowed [C].",
    )
    combined_letting_extended: bool = documented(
        False,
        unit="yes/no",
        description="§ 51 b extended to førtidspension and 6 months of dagpenge/sygedagpenge [C].",
    )
    tier_mean_years: Literal[1, 2] = documented(
        1,
        unit="years",
        description="Tiers compare the mean of the department's figures over this many years "
        "(2: the data year and the one before, as the lists do for criteria 1–2).",
    )
    tier_hysteresis_share: float = documented(
        0.0,
        unit="share 0–1",
        ge=0,
        le=0.2,
        description="A department leaves its tier only when its figures are this far past the "
        "tier's bounds (shares and the income ratio; 0.02 = 2 points): a band against tiers "
        "flickering on one year's noise [A].",
    )
    tier_hysteresis_conviction_ratio: float = documented(
        0.0,
        unit="ratio",
        ge=0,
        le=2,
        description="The same band for the conviction ratio (multiples of the national share) [A].",
    )
    data_lag_years: int = documented(
        1,
        unit="years",
        ge=0,
        le=3,
        description="Tiers placed on 1 December of year Y, and referral plans made in year Y, "
        "read the department figures of year Y − lag: Landsbyggefonden's Beboerdata, on which "
        "agreements rest, is yearly and comes out the year after [S]; 0 reads the state of the "
        "day.",
    )
    placement_policy: Literal["first_come", "threshold_rule", "optimised"] = documented(
        "first_come",
        unit="policy",
        description="first_come (alias next_vacancy): each claimed vacancy goes to the "
        "longest-waiting household that fits it; threshold_rule: the same, but no referrals to a "
        "department above threshold_rule_above; optimised: the municipality follows the referral "
        "LP's plan, remade every optimiser.replan_every_months.",
    )
    referral_accounting: Literal["department", "organisation", "municipality"] = documented(
        "department",
        unit="unit",
        description="Over which unit the municipality's share of vacancies is counted (§ 59 stk. "
        "2 leaves it to the agreement [C]): per department (every 4th vacancy of each), per "
        "housing organisation, or across the municipality; the claim falls on the vacancy that "
        "completes it, in any department of the unit with a share above 0. Default: per "
        "department, the strictest reading [A]; agreements often count per organisation over "
        "the period [S: BL's concept for referral agreements]. The referral plan (optimised "
        "policy, blandetby optimise) counts claims the same way: with carry-over a claims row per "
        "unit, without it each department at its unit's average share (docs/optimiser.md, Pooled "
        "claims).",
    )
    claim_carry_over_months: int = documented(
        0,
        unit="months",
        ge=0,
        le=60,
        description="How long an unused claim (nobody waiting fits the dwelling) waits for a "
        "fitting vacancy in the same accounting unit; 0: it lapses at once [A].",
    )
    hold_for_referral: int = documented(
        0,
        unit="months",
        ge=0,
        le=12,
        description="How long the municipality may hold a claimed dwelling empty while it finds "
        "a household, paying the rent (tomgangsleje); then it goes to the waiting lists and the "
        "claim lapses. 0: never held [A].",
    )
    internal_family_priority: bool = documented(
        False,
        unit="yes/no",
        description="On the internal list, families with children go first to dwellings of 3 "
        "rooms or more (as the letting rules of many organisations say; bekendtgørelse om "
        "udlejning af almene boliger § 4) [S].",
    )

    threshold_rule_above: Share = documented(
        0.35,
        unit="share 0–1",
        description="threshold_rule: no referrals to a department whose share of adults 18–64 "
        "outside work or education, as published on the last 1 December, is above this [A].",
    )
    referral_volume_per_year: float | None = documented(
        None,
        unit="households per year",
        ge=0,
        le=20_000,
        description="At most this many referrals a year, earned evenly month by month (unused "
        "ones carry over); empty = no cap. With first_come it gives first come, first served at "
        "another policy's volume (blandetby compare --benchmarks sets it to the optimised "
        "policy's).",
    )

    @field_validator("placement_policy", mode="before")
    @classmethod
    def _old_policy_name(cls, value: Any) -> Any:
        return "first_come" if value == "next_vacancy" else value

    @model_validator(mode="after")
    def _unconditional_tier_is_last(self) -> Agreement:
        for index, tier in enumerate(self.tiers[:-1]):
            if tier.when.is_unconditional():
                raise ValueError(
                    Words(
                        f"tier {tier.name!r} (tiers[{index}]) has no conditions, so the tiers "
                        "after it can never be reached; give it conditions or move it last",
                        f"trin {tier.name!r} (tiers[{index}]) har ingen betingelser, så trinene "
                        "efter det kan aldrig nås; giv det betingelser, eller flyt det sidst",
                    )
                )
        return self


MonthsToLet = Annotated[float, Field(ge=0.0, le=24.0)]
"""Mean empty months between a letting and the move-in."""


class TimeToLet(Section):
    """Mean months a dwelling stands empty between its letting and the move-in, per channel.

    The months are drawn per letting (geometric: 0, 1, 2, … with this mean); the rent of an
    empty month (tomgangsleje) is paid by the municipality for a referral, by the department
    otherwise. Sitting tenants moving on the internal list move without an empty month [A].
    """

    referral: MonthsToLet = documented(
        0.0,
        unit="months",
        description="After a municipal referral; the municipality pays the rent meanwhile "
        "(tomgangsleje, BL's referral agreements) [A: 0 = moves in the month it is referred].",
    )
    flexible: MonthsToLet = documented(
        0.0, unit="months", description="After a flexible letting (§ 60) [A]."
    )
    external: MonthsToLet = documented(
        0.0,
        unit="months",
        description="After a letting from the external waiting list [A: applicants give 3 "
        "months' notice elsewhere and usually move in when the old tenant leaves].",
    )


class Behaviour(Section):
    """How households behave: move-outs, life events and the referral queue."""

    time_to_let_months: TimeToLet = documented(
        TimeToLet(),
        unit="table",
        description="Empty months between a letting and the move-in, per channel (their rent is "
        "recorded per payer).",
    )

    turnover_share_per_year: Share = documented(
        0.104,
        unit="share per year",
        description="Move-outs of family dwellings per dwelling and year, for departments without "
        "their own turnover (10.4 % in 2019) [C].",
    )
    move_out_seasonality: tuple[Annotated[float, Field(gt=0, le=12)], ...] = documented(
        (0.75, 0.8, 0.9, 0.95, 1.0, 1.05, 1.15, 1.35, 1.1, 1.0, 0.95, 0.9),
        unit="relative, January–December",
        description="Monthly move-out intensity relative to the mean (lettings peak in August, low "
        "in January [C]); normalised to mean 1.",
    )

    @field_validator("move_out_seasonality")
    @classmethod
    def _twelve_positive_months(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if len(value) != 12 or any(month <= 0 for month in value):
            raise ValueError(
                Words(
                    f"12 positive numbers, January to December (got {len(value)})",
                    f"12 positive tal, januar til december (fik {len(value)})",
                )
            )
        return value

    selective_move_out_strength: float = documented(
        1.5,
        unit="relative hazard",
        ge=0,
        le=100,
        description="Extra move-out hazard of households with an adult in work or education where "
        "the department's outside-work share exceeds the threshold below: hazard × (1 + strength × "
        "excess / (1 − threshold)) [A: the tipping mechanism; SFI on resource-strong leavers].",
    )
    selective_move_out_threshold: Share = documented(
        0.30,
        unit="share 0–1",
        description="Outside-work share above which resourceful households leave faster [A].",
    )
    job_finding_per_year: Share = documented(
        0.13,
        unit="share per year",
        description="Chance that an adult outside work finds a job within a year [A].",
    )
    job_loss_per_year: Share = documented(
        0.06,
        unit="share per year",
        description="Chance that an employed adult leaves work in a year [A].",
    )
    study_start_per_year: Share = documented(
        0.03,
        unit="share per year",
        description="Chance that an adult under 30 outside work starts an education [A].",
    )
    study_completion_per_year: Share = documented(
        0.25,
        unit="share per year",
        description="Chance that a student finishes in a year; finishers enter work [A].",
    )
    conviction_per_year_outside: Share = documented(
        0.014,
        unit="share per year",
        description="Chance that an adult outside work is convicted in a year [A: with the rate "
        "below, about 0.72 % of all adults, DOMAIN §2].",
    )
    conviction_per_year_inside: Share = documented(
        0.0035,
        unit="share per year",
        description="Chance that an adult in work or education is convicted in a year [A].",
    )
    income_employed_kr: float = documented(
        360_000.0,
        unit="kr per year",
        gt=0,
        le=MAX_INCOME_KR,
        description="Mean gross income of an employed adult [A].",
    )
    income_outside_kr: float = documented(
        175_000.0,
        unit="kr per year",
        gt=0,
        le=MAX_INCOME_KR,
        description="Mean gross income (mostly transfers) of an adult outside work [A].",
    )
    income_dispersion: float = documented(
        0.35, unit="log sd", ge=0, le=2, description="Spread of personal income levels [A]."
    )
    birth_per_year: Share = documented(
        0.045,
        unit="share per year",
        description="Chance of a birth in a year for a household with an adult aged 20–44 [A].",
    )
    child_leaves_per_year: Share = documented(
        0.055,
        unit="share per year",
        description="Chance a child leaves in a year (turning 18 and moving out; ≈ 1/18) [A].",
    )
    separation_per_year: Share = documented(
        0.025,
        unit="share per year",
        description="Chance that a couple separates in a year; one adult leaves the dwelling [A].",
    )
    mortality_at_65_per_year: Share = documented(
        0.012,
        unit="share per year",
        description="Death rate at age 65 (Gompertz) [A: DST life tables].",
    )
    mortality_doubling_years: float = documented(
        8.0,
        unit="years",
        ge=1,
        le=100,
        description="Years in which the death rate doubles [A: Gompertz].",
    )


class Trends(Section):
    """Change over the years that comes from outside the agreement: the only drift in the model.

    A department whose flows in and out do not change keeps its criteria (``applicants``); these
    trends move what the applicants bring or the yardsticks, the same for every department. All
    default to 0 (no trend). Years count from the year of the department data (the year before
    the first simulated January).
    """

    regional_income_growth_per_year: float = documented(
        0.0,
        unit="share per year",
        ge=-0.1,
        le=0.1,
        description="Growth of the region's mean income (criterion 4's yardstick) beyond the "
        "growth of social-housing residents' incomes; positive lowers every department's income "
        "ratio [A: 0 = incomes keep pace].",
    )
    job_finding_change_per_year: float = documented(
        0.0,
        unit="share per year",
        ge=-0.2,
        le=0.2,
        description="Relative change per year of the chance of finding work, for residents and "
        "applicants alike (an employment boom is positive) [A: 0 = the labour market of the "
        "department data's year].",
    )
    basic_education_change_per_year: float = documented(
        0.0,
        unit="share points per year",
        ge=-0.05,
        le=0.05,
        description="Change per year of the share of adults with basic school only in every "
        "department's intake (applicants before sorting toward the residents; the residents "
        "follow over the years). Younger cohorts are better educated: negative [A: 0].",
    )
    nonwestern_change_per_year: float = documented(
        0.0,
        unit="share points per year",
        ge=-0.05,
        le=0.05,
        description="Change per year of the share of households of non-western origin in every "
        "department's intake (the origin mix of applicants before sorting toward the residents) "
        "[A: 0].",
    )

    def regional_income_factor(self, years: int) -> float:
        """The region's mean income after ``years`` years, relative to the data's year."""
        return float((1.0 + self.regional_income_growth_per_year) ** years)


class Horizon(Section):
    """How long the model runs."""

    start_year: int = documented(
        2026, unit="year", ge=2000, le=2100, description="Year of the first simulated January."
    )
    years: int = documented(20, unit="years", ge=1, le=100, description="Years to simulate.")


class DanishNames(Section):
    """Danish names for what a Danish report, profile or workbook shows (``--lang da``).

    The other fields name things in the scenario's own language; these give the Danish names
    where those are English. A name left out shows as the field itself.
    """

    name: str = documented("", unit="text", description="The scenario's name in Danish.")
    description: str = documented(
        "", unit="text", description="What the scenario is for, in Danish."
    )
    agreement: str = documented("", unit="text", description="The agreement's name in Danish.")
    referral_groups: dict[str, str] = documented(
        {},
        unit="text per group id",
        max_length=50,
        description="Danish names of the referral groups, by group id.",
    )
    tiers: dict[str, str] = documented(
        {},
        unit="text per tier name",
        max_length=20,
        description="Danish names of the agreement's tiers, by tier name.",
    )


class Scenario(Section):
    """A whole scenario file: the municipality, its areas and referral needs, and the agreement."""

    schema_version: Literal[1] = documented(
        unit="version", description="Scenario schema version; this package reads version 1."
    )
    name: str = documented(unit="text", description="Name of the scenario, shown in results.")
    description: str = documented("", unit="text", description="What the scenario is for.")
    synthetic: bool = documented(
        False,
        unit="yes/no",
        description="Whether the data is made up (shown on every result and report).",
    )
    language: Literal["auto", "da", "en"] = documented(
        "auto",
        unit="language",
        description="Language of what the commands print and write for this scenario (da: "
        "Danish, en: English); a command's --lang overrides it, and auto means $BLANDETBY_LANG, "
        "else English.",
    )
    municipality: Municipality = documented(unit="table", description="The municipality.")
    legal: Legal = documented(Legal(), unit="table", description="The legal regime.")
    areas: dict[str, Area] = documented(
        {},
        unit="table per area id",
        max_length=10_000,
        description="Areas (boligområder); departments name their area by its id (at most 10,000).",
    )
    referral_groups: dict[str, ReferralGroup] = documented(
        {},
        unit="table per group id",
        max_length=50,
        description="Kinds of urgent households the municipality refers (at most 50).",
    )
    applicants: Applicants = documented(
        Applicants(), unit="table", description="The waiting-list applicant profile."
    )
    agreement: Agreement = documented(Agreement(), unit="table", description="The agreement.")
    behaviour: Behaviour = documented(Behaviour(), unit="table", description="Household behaviour.")
    optimiser: OptimiserSettings = documented(
        OptimiserSettings(), unit="table", description="The referral optimiser."
    )
    trends: Trends = documented(
        Trends(), unit="table", description="Trends from outside the agreement (default none)."
    )
    horizon: Horizon = documented(Horizon(), unit="table", description="The simulated period.")
    danish: DanishNames = documented(
        DanishNames(), unit="table", description="Danish names of what outputs show (--lang da)."
    )

    def regional_mean_income(self, year: int) -> float:
        """Criterion 4's yardstick in ``year`` (kr per year): the stated mean, moved by the trend."""
        years = year - (self.horizon.start_year - 1)
        return self.municipality.regional_mean_income_kr * self.trends.regional_income_factor(years)


def nested_model(annotation: Any) -> tuple[type[BaseModel] | None, Literal["", "id", "list"]]:
    """The table model a field holds, and how.

    ``""``: directly (or empty: an optional table, such as a development plan); ``"id"``: one per
    key (areas, referral groups); ``"list"``: one per item (tiers). ``(None, "")`` for a plain
    value.
    """
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, ""
    origin = getattr(annotation, "__origin__", None)
    args: tuple[Any, ...] = getattr(annotation, "__args__", ())
    tables = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
    if origin is None and len(args) == 2 and type(None) in args and len(tables) == 1:
        return tables[0], ""
    if (
        origin is dict
        and len(args) == 2
        and isinstance(args[1], type)
        and issubclass(args[1], BaseModel)
    ):
        return args[1], "id"
    if origin is tuple and args and isinstance(args[0], type) and issubclass(args[0], BaseModel):
        return args[0], "list"
    return None, ""


def field_bounds(info: FieldInfo) -> tuple[str, str]:
    """A numeric field's lower and upper bound as text (``""`` where it has none).

    The bounds of a list's items count as the list's (``children_mean_by_rooms``). A lower bound
    that excludes its value reads ``> 0``.
    """
    metadata = list(info.metadata)
    for argument in typing.get_args(info.annotation):
        if typing.get_origin(argument) is typing.Annotated:
            for extra in typing.get_args(argument)[1:]:
                metadata.extend(getattr(extra, "metadata", [extra]))
    low = high = ""
    for bound in metadata:
        if isinstance(bound, annotated_types.Ge):
            low = show_bound(bound.ge)
        elif isinstance(bound, annotated_types.Gt):
            low = f"> {show_bound(bound.gt)}"
        elif isinstance(bound, annotated_types.Le):
            high = show_bound(bound.le)
        elif isinstance(bound, annotated_types.Lt):
            high = f"< {show_bound(bound.lt)}"
    return low, high


def show_bound(value: Any) -> str:
    """A bound as a planner reads it: ``20,000``, ``0.2``."""
    number = float(value)
    return f"{int(number):,}" if number.is_integer() else f"{number:g}"


# --------------------------------------------------------------------------------------------------
# Loading


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with its department table, ready to simulate or optimise.

    Attributes
    ----------
    scenario
        The validated scenario.
    departments
        The validated department table (one row per department; see :mod:`simulation.inputs.departments`).
    source
        The scenario file.
    raw
        The merged TOML content (after ``extends``), with paths made absolute; overrides start here.
    digest
        SHA-256 of the validated scenario and the department data: equal digests, equal inputs.
    """

    scenario: Scenario
    departments: pd.DataFrame = field(repr=False)
    source: Path
    raw: Mapping[str, Any] = field(repr=False)
    digest: str

    def with_overrides(self, overrides: Mapping[str, Any]) -> LoadedScenario:
        """Return a copy with dotted keys replaced, e.g. ``{"agreement.default_referral_share": 0.3}``.

        Raises
        ------
        ScenarioError
            If a key does not exist in the schema or a value is invalid.
        """
        raw = apply_overrides(self.raw, overrides, source=self.source)
        label = f"{self.source} with {_describe(overrides)}"
        reread = any(key.startswith("municipality.departments_file") for key in overrides)
        return _build(
            raw, self.source, label=label, departments=None if reread else self.departments
        )


PATH_KEYS: tuple[tuple[str, ...], ...] = (("municipality", "departments_file"),)
"""Key paths that hold file paths; each is resolved relative to the file that sets it."""


def load_scenario(path: str | Path, overrides: Mapping[str, Any] | None = None) -> LoadedScenario:
    """Read, merge (``extends``), validate and load a scenario with its department data.

    Parameters
    ----------
    path
        The scenario TOML file.
    overrides
        Dotted keys set after the file is read, before anything is validated (as
        :meth:`LoadedScenario.with_overrides`), e.g. ``{"municipality.percent_columns": "percent"}``
        from the command line.

    Returns
    -------
    LoadedScenario
        The validated scenario and its department table.

    Raises
    ------
    ScenarioError
        Listing every problem found, each naming file, key path, value and what was expected.
    """
    source = Path(path)
    raw = _read_merged(source, chain=())
    if overrides:
        raw = apply_overrides(raw, overrides, source=source)
    return _build(raw, source, label=str(source))


def scenario_problems(
    path: str | Path, overrides: Mapping[str, Any] | None = None
) -> list[Problem]:
    """Every problem with a scenario file and its department data (empty when it is valid)."""
    try:
        load_scenario(path, overrides)
    except ScenarioError as error:
        return list(error.problems)
    return []


def apply_overrides(
    raw: Mapping[str, Any], overrides: Mapping[str, Any], *, source: Path | str = "overrides"
) -> dict[str, Any]:
    """Return ``raw`` with each dotted key set to its value (tables created as needed).

    The key must name a field of the schema (``agreement.default_referral_share``,
    ``referral_groups.homeless_single.arrivals_per_year``); values are validated afterwards.

    Raises
    ------
    ScenarioError
        If a key names no field of the schema.
    """
    merged: dict[str, Any] = _deep_copy(raw)
    problems = []
    for dotted, value in overrides.items():
        parts = dotted.split(".")
        if not _is_schema_path(parts):
            problems.append(
                Problem(
                    source,
                    dotted,
                    show_value(value),
                    Words(
                        "a key of the scenario schema "
                        "(see scenarios/README.md), e.g. agreement.default_referral_share",
                        "en nøgle i scenarieskemaet "
                        "(se scenarios/README.md), f.eks. agreement.default_referral_share",
                    ),
                )
            )
            continue
        node = merged
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                problems.append(
                    Problem(
                        source,
                        dotted,
                        show_value(value),
                        Words(f"{part} to be a table", f"at {part} er en tabel"),
                    )
                )
                break
            node = child
        else:
            node[parts[-1]] = value
    if problems:
        raise ScenarioError(problems)
    return merged


def _is_schema_path(parts: list[str]) -> bool:
    """Whether dotted key parts name a field (dict-valued fields take any key)."""
    model: Any = Scenario
    index = 0
    while index < len(parts):
        fields = getattr(model, "model_fields", None)
        if fields is None or parts[index] not in fields:
            return False
        annotation = fields[parts[index]].annotation
        index += 1
        origin = getattr(annotation, "__origin__", None)
        if origin is dict:
            if index == len(parts):
                return True
            index += 1  # the user's key, e.g. an area or group id
            annotation = annotation.__args__[1]
        if index == len(parts):
            return True
        model = annotation
    return True


def _describe(overrides: Mapping[str, Any]) -> str:
    return ", ".join(f"{key}={value!r}" for key, value in overrides.items())


def _read_merged(path: Path, chain: tuple[Path, ...]) -> dict[str, Any]:
    """Read one TOML file, resolve its paths and merge it over what it extends."""
    resolved = path.resolve()
    if resolved in chain:
        cycle = " → ".join(str(p) for p in (*chain, resolved))
        raise ScenarioError(
            [
                Problem(
                    path,
                    "extends",
                    "",
                    Words(
                        f"no cycle of extends; found {cycle}",
                        f"ingen ring af extends; fandt {cycle}",
                    ),
                )
            ]
        )
    if not path.is_file():
        where = chain[-1] if chain else path
        location = "extends" if chain else ""
        raise ScenarioError([Problem(where, location, str(path), SCENARIO_FILE_EXPECTED)])
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError([Problem(path, "", "", toml_expected(error))]) from None
    except UnicodeDecodeError:
        raise ScenarioError(
            [Problem(path, "", "", Words("a UTF-8 text file", "en tekstfil i UTF-8"))]
        ) from None
    for key_path in PATH_KEYS:
        _resolve_path(data, key_path, path)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError(
            [
                Problem(
                    path,
                    "extends",
                    show_value(parent),
                    Words("a file name (text)", "et filnavn (tekst)"),
                )
            ]
        )
    base = _read_merged(path.parent / parent, (*chain, resolved))
    return _deep_merge(base, data)


def _resolve_path(data: dict[str, Any], key_path: tuple[str, ...], file: Path) -> None:
    node: Any = data
    for key in key_path[:-1]:
        node = node.get(key) if isinstance(node, dict) else None
    if isinstance(node, dict) and isinstance(node.get(key_path[-1]), str):
        node[key_path[-1]] = str((file.parent / node[key_path[-1]]).resolve())


def _deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = _deep_copy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = _deep_copy(value) if isinstance(value, dict) else value
    return merged


def _deep_copy(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: _deep_copy(value) if isinstance(value, Mapping) else value
        for key, value in data.items()
    }


def build_scenario(
    raw: Mapping[str, Any],
    departments: pd.DataFrame,
    *,
    source: Path,
    overrides: Mapping[str, Any] | None = None,
) -> LoadedScenario:
    """Validate scenario content given as a mapping, with a department table already in memory.

    Used for generated scenarios (:func:`simulation.inputs.synthetic.synthetic_scenario`); files go
    through :func:`load_scenario`. The department table is checked by the same rules as a CSV.
    """
    content = apply_overrides(raw, overrides or {}, source=source)
    return _build(content, source, label=str(source), departments=departments)


def _build(
    raw: dict[str, Any], source: Path, *, label: str, departments: pd.DataFrame | None = None
) -> LoadedScenario:
    """Validate merged content, load (or check) the department data and cross-check both."""
    from simulation.inputs.departments import check_departments, read_departments

    problems: list[Problem] = []
    version = raw.get("schema_version")
    if version is not None and version != SCHEMA_VERSION:
        raise ScenarioError(
            [
                Problem(
                    label,
                    "schema_version",
                    show_value(version),
                    Words(
                        f"{SCHEMA_VERSION} (the version this blandetby reads)",
                        f"{SCHEMA_VERSION} (den version, denne blandetby læser)",
                    ),
                )
            ]
        )
    try:
        # Strict JSON-mode validation: numbers stay numbers ("0.25" is an error, not 0.25), while
        # TOML arrays become tuples and strings become enums as JSON allows.
        scenario = Scenario.model_validate_json(json.dumps(raw, default=str), strict=True)
    except ValidationError as error:
        raise ScenarioError(_translate(error, label, raw)) from None
    departments_path = Path(scenario.municipality.departments_file)
    if departments is None and not departments_path.is_file():
        raise ScenarioError(
            [
                Problem(
                    label,
                    "municipality.departments_file",
                    str(departments_path),
                    Words(
                        "an existing department CSV file (paths are relative to the scenario file "
                        "that names them)",
                        "en eksisterende CSV-fil med afdelinger (stier regnes fra den scenariefil, "
                        "der nævner dem)",
                    ),
                )
            ]
        )
    try:
        if departments is None:
            departments = read_departments(
                departments_path,
                areas=scenario.areas.keys(),
                percent_columns=scenario.municipality.percent_columns,
                strict_columns=scenario.municipality.strict_columns,
            )
        else:
            departments = check_departments(
                departments, label=departments_path, areas=scenario.areas.keys()
            )
    except ScenarioError as error:
        problems.extend(error.problems)
        departments = None
    if departments is not None:
        known = set(departments["department"])
        for department, share in scenario.agreement.referral_share_by_department.items():
            if department not in known:
                problems.append(
                    Problem(
                        label,
                        f"agreement.referral_share_by_department.{department}",
                        show_value(share),
                        Words(
                            f"a department id of {departments_path.name}",
                            f"et afdelings-id fra {departments_path.name}",
                        ),
                    )
                )
        used = set(departments["area"])
        for area in scenario.areas:
            if area not in used:
                problems.append(
                    Problem(
                        label,
                        f"areas.{area}",
                        "",
                        Words(
                            f"at least one department of {departments_path.name} in area {area!r}",
                            f"mindst én afdeling i {departments_path.name} i boligområde {area!r}",
                        ),
                    )
                )
        area_of = dict(zip(departments["department"], departments["area"], strict=True))
        for area, spec in scenario.areas.items():
            plan = spec.development_plan
            for index, measure in enumerate(plan.measures if plan is not None else ()):
                if measure.department is not None and area_of.get(measure.department) != area:
                    problems.append(
                        Problem(
                            label,
                            f"areas.{area}.development_plan.measures[{index}].department",
                            measure.department,
                            Words(
                                f"a department of area {area!r} in {departments_path.name}",
                                f"en afdeling i boligområde {area!r} i {departments_path.name}",
                            ),
                        )
                    )
    if problems or departments is None:
        raise ScenarioError(problems)
    digest = _digest(scenario, departments)
    return LoadedScenario(scenario, departments, source, raw, digest)


def _digest(scenario: Scenario, departments: pd.DataFrame) -> str:
    content = scenario.model_dump(mode="json")
    content["municipality"]["departments_file"] = Path(scenario.municipality.departments_file).name
    for how_read in (
        "percent_columns",
        "strict_columns",
    ):  # the department table says what was read
        del content["municipality"][how_read]
    del content["language"]  # what the commands print in, not what is simulated
    hasher = hashlib.sha256(json.dumps(content, sort_keys=True).encode())
    hasher.update(pd.util.hash_pandas_object(departments, index=False).to_numpy().tobytes())
    return hasher.hexdigest()


def _translate(error: ValidationError, label: str, raw: Mapping[str, Any]) -> list[Problem]:
    """Turn pydantic's errors into problems a planner can act on."""
    problems = []
    for item in error.errors(include_url=False):
        location = _key_path(item["loc"])
        kind = item["type"]
        value = item.get("input")
        if kind == "extra_forbidden":
            problems.append(Problem(label, location, UNKNOWN_KEY, _allowed_keys(item["loc"])))
            continue
        if kind == "missing":
            problems.append(Problem(label, location, NOTHING, REQUIRED_KEY))
            continue
        expected = _expected(item)
        if kind in RANGE_ERRORS:
            expected = _range_expected(item["loc"]) or expected
        if kind == "too_long":
            context = item.get("ctx", {})
            entries = len(value) if isinstance(value, dict | list) else "?"
            most = context.get("max_length")
            problems.append(
                Problem(
                    label,
                    location,
                    Words(f"{entries} entries", f"{entries} elementer"),
                    Words(f"at most {most}", f"højst {most}"),
                )
            )
            continue
        problems.append(Problem(label, location, show_value(value), expected))
    return problems


def _expected(item: Any) -> Words:
    """What pydantic's error ``item`` expected, in English (its message) and Danish (a template)."""
    message: str = item["msg"]
    for prefix in ("Input should be ", "Value error, "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
    return Words(message, _danish_expected(item, message))


EXPECTED_DANISH: dict[str, str] = {
    "float_type": "et tal",
    "int_type": "et helt tal",
    "int_parsing": "et helt tal",
    "int_from_float": "et helt tal (uden decimaler)",
    "float_parsing": "et tal",
    "finite_number": "et endeligt tal",
    "string_type": "en tekst (i anførselstegn)",
    "bool_type": "true eller false",
    "bool_parsing": "true eller false",
    "model_type": "en tabel",
    "model_attributes_type": "en tabel",
    "dict_type": "en tabel",
    "tuple_type": "en liste ([…])",
    "list_type": "en liste ([…])",
    "greater_than": "større end {gt}",
    "greater_than_equal": "mindst {ge}",
    "less_than": "mindre end {lt}",
    "less_than_equal": "højst {le}",
    "literal_error": "{expected}",
    "enum": "{expected}",
    "too_short": "mindst {min_length} elementer",
    "too_long": "højst {max_length} elementer",
    "string_too_short": "mindst {min_length} tegn",
    "string_too_long": "højst {max_length} tegn",
}
"""The Danish of what each of pydantic's error types expects, with the error's context.

The English is pydantic's own message; a scenario's values can only meet these types (a test
sets every field of the schema to wrong values and checks that each type met is here).
"""


def _danish_expected(item: Any, english: str) -> str:
    """The Danish of pydantic's error ``item`` (``english`` if its type has none)."""
    kind = item["type"]
    context = dict(item.get("ctx") or {})
    if kind == "value_error":
        reason = context.get("error")
        said = reason.args[0] if isinstance(reason, ValueError) and reason.args else None
        return said.danish if isinstance(said, Words) else english
    template = EXPECTED_DANISH.get(kind)
    if template is None:
        return english
    shown = {}
    for key, value in context.items():
        text = show_bound(value) if isinstance(value, int | float) else str(value)
        if key == "expected":  # "'a', 'b' or 'c'"
            head, _, last = text.rpartition(" or ")
            text = f"{head} eller {last}" if head else text
        shown[key] = danish_number(text) if isinstance(value, int | float) else text
    return template.format_map(shown)


def _key_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or Words("(top level)", "(øverste niveau)")


def _field_at(loc: tuple[int | str, ...]) -> tuple[Any, Any]:
    """The (model, field info) a location points to, as far as it can be followed."""
    model: Any = Scenario
    info = None
    for part in loc:
        fields = getattr(model, "model_fields", None)
        if isinstance(part, int) or fields is None:
            continue
        if part not in fields:
            if info is not None and getattr(info.annotation, "__origin__", None) is dict:
                continue  # a user key of a dict-valued field
            return model, None
        info = fields[part]
        annotation = info.annotation
        args = [a for a in getattr(annotation, "__args__", ()) if hasattr(a, "model_fields")]
        model = args[-1] if args else annotation
    return model, info


def _allowed_keys(loc: tuple[int | str, ...]) -> Words:
    model, _ = _field_at(loc[:-1])
    fields = getattr(model, "model_fields", None)
    if not fields:
        return Words("remove it", "at den fjernes")
    import difflib

    unknown = str(loc[-1])
    close = difflib.get_close_matches(unknown, list(fields), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    names = ", ".join(fields)
    danish_hint = f" (mente du {close[0]!r}?)" if close else ""
    return Words(f"{hint}one of: {names}", f"en af: {names}{danish_hint}")


RANGE_ERRORS = frozenset(
    {"less_than_equal", "less_than", "greater_than_equal", "greater_than", "finite_number"}
)
"""Pydantic's errors for a number out of its field's range (or not finite)."""


def _range_expected(loc: tuple[int | str, ...]) -> Words | None:
    """The whole range of the field at ``loc`` in words, with its unit (empty if unknown)."""
    _, info = _field_at(loc)
    if info is None:
        return None
    low, high = field_bounds(info)
    if not low or not high:
        return None
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    unit = str(extra.get("unit", ""))
    if unit.startswith("share") and (low, high) == ("0", "1"):
        return Words(
            "a share from 0 to 1 (a share is written 0–1: 25 % is 0.25)",
            "en andel fra 0 til 1 (en andel skrives 0–1: 25 % er 0,25)",
        )
    bottom, top = low.removeprefix("> "), high
    start = f"above {bottom} and at most" if low.startswith(">") else f"from {low} to"
    english = f"a finite number {start} {high}" + (f" ({unit})" if unit else "")
    bottom, top = danish_number(bottom), danish_number(top)
    begin = f"over {bottom} og højst" if low.startswith(">") else f"fra {bottom} til"
    danish_unit = UNITS_DANISH.get(unit, unit)
    danish = f"et endeligt tal {begin} {top}" + (f" ({danish_unit})" if unit else "")
    return Words(english, danish)


UNITS_DANISH: dict[str, str] = {
    "share 0–1": "andel 0–1",
    "share per year": "andel pr. år",
    "years": "år",
    "year": "år",
    "months": "måneder",
    "ratio": "forhold",
    "kr per year": "kr. pr. år",
    "kr per month": "kr. pr. måned",
    "share points per year": "procentpoint pr. år (som andel)",
    "households per year": "husstande pr. år",
    "households per year, per calendar year": "husstande pr. år, pr. kalenderår",
    "persons per year, per calendar year": "personer pr. år, pr. kalenderår",
    "dwellings": "boliger",
    "weight 0–1": "vægt 0–1",
    "seconds": "sekunder",
    "rooms": "rum",
    "residents": "beboere",
    "relative hazard": "relativ risiko",
    "log sd": "log-standardafvigelse",
    "children per household": "børn pr. husstand",
    "children for 1, 2, 3, 4+ rooms": "børn for 1, 2, 3, 4+ rum",
    "share 0–1 for 1, 2, 3, 4+ rooms": "andel 0–1 for 1, 2, 3, 4+ rum",
    "share 0–1 per department id": "andel 0–1 pr. afdelings-id",
    "chance per month, by year since housed": "sandsynlighed pr. måned, efter år siden indflytning",
    "relative, January–December": "relativ, januar–december",
    "version": "version",
    "criteria": "kriterier",
}
"""The units of the scenario's numeric fields in Danish (for a number out of its range)."""

UNKNOWN_KEY = Words("an unknown key", "en ukendt nøgle")
"""The value of a problem with a key the schema does not have."""

NOTHING = Words("nothing", "intet")
"""The value of a problem with a missing key."""

REQUIRED_KEY = Words("this key (it is required)", "denne nøgle (den er påkrævet)")
"""What a problem with a missing key expected."""

SCENARIO_FILE_EXPECTED = Words(
    "an existing scenario file (.toml)", "en eksisterende scenariefil (.toml)"
)
"""What a problem with a missing scenario file expected."""


def toml_expected(error: tomllib.TOMLDecodeError) -> Words:
    """What a file TOML cannot read expected: valid TOML, with where it went wrong."""
    english = f"valid TOML ({error})"
    message, _, where = str(error).rpartition(" (at ")
    if not message:
        return Words(english, f"gyldig TOML ({error})")
    place = (
        where.removesuffix(")")
        .replace("end of document", "slutningen af filen")
        .replace("line", "linje")
        .replace("column", "kolonne")
    )
    return Words(english, f"gyldig TOML ({place}: {TOML_DANISH.get(message, message)})")


TOML_DANISH: dict[str, str] = {
    "Invalid value": "ugyldig værdi",
    "Invalid statement": "ugyldig linje",
    "Expected '=' after a key in a key/value pair": "forventede '=' efter en nøgle",
    "Expected newline or end of document after a statement": (
        "forventede linjeskift eller filens slutning efter en værdi"
    ),
    "Invalid initial character for a key part": "ugyldigt første tegn i en nøgle",
    "Cannot overwrite a value": "en værdi kan ikke overskrives",
    "Unclosed array": "en liste, der ikke lukkes",
    "Unclosed inline table": "en tabel, der ikke lukkes",
    "Unterminated string": "en tekst, der ikke afsluttes",
    "Illegal character": "ulovligt tegn",
    "Invalid hex value": "ugyldig hex-værdi",
}
"""Python's TOML reader's commonest messages in Danish (others are shown as it says them)."""
