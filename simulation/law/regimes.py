"""The law's vocabulary and numbers: the lists, the regimes 2010–2021, their criteria and thresholds.

Everything here is data about § 61 a and § 61 b (what :func:`simulation.law.lists.classify_areas`
applies): the signs the law uses (:class:`Comparison`, with :data:`TOLERANCE` for binary
arithmetic), each regime's criteria and thresholds (:data:`REGIME_RULES`), the columns of an area
table (:data:`AREA_COLUMNS`), the list names (:data:`LIST_NAMES`), the resident minimum, and the
same criteria in the model's units (:func:`model_criteria`). See ``docs/law.md`` §2.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = [
    "AREA_COLUMNS",
    "AREA_COLUMN_BY_NAME",
    "KEY_COLUMNS",
    "LIST_COLUMNS",
    "LIST_NAMES",
    "MINIMUM_RESIDENTS",
    "MODEL_COLUMNS",
    "NONWESTERN_COLUMN",
    "OUTSIDE_WORK_EDUCATION",
    "REGIMES",
    "REGIME_RULES",
    "TOLERANCE",
    "AreaColumn",
    "BoolArray",
    "Comparison",
    "Criterion",
    "FloatArray",
    "IntArray",
    "ListName",
    "ModelCriterion",
    "Regime",
    "RegimeRules",
    "criteria_met",
    "model_criteria",
    "regime_rules",
]

logger = logging.getLogger(__name__)


TOLERANCE = 1e-9
"""Absolute tolerance (in the unit of the value: percentage points, or ratio) within which a value
counts as equal to a threshold."""


BoolArray = npt.NDArray[np.bool_]


FloatArray = npt.NDArray[np.float64]


IntArray = npt.NDArray[np.int64]


class Regime(StrEnum):
    """The legal regime that classifies the areas, named after its first list (1 December)."""

    Y2021 = "2021"
    """Current law (lists of 2021 onwards): udsat, parallelsamfund, omdannelses-, forebyggelses-."""
    Y2018 = "2018"
    """Lists of 2018–2020: udsat boligområde, ghettoområde, hårdt ghettoområde."""
    Y2014 = "2014"
    """Lists of 2014–2017: ghettoområde, at least 3 of 5 criteria."""
    Y2010 = "2010"
    """Lists of 2010–2013: ghettoområde, at least 2 of 3 criteria."""


REGIMES: tuple[Regime, ...] = tuple(Regime)
"""The closed set of regimes, newest first."""


class Comparison(StrEnum):
    """How a value is compared with a threshold; the law's sign, applied with :data:`TOLERANCE`."""

    ABOVE = ">"
    AT_LEAST = "≥"
    BELOW = "<"

    def holds(self, values: FloatArray, threshold: float) -> BoolArray:
        """Whether each value meets the threshold; values within :data:`TOLERANCE` count as at it.

        Parameters
        ----------
        values
            The values, in the threshold's unit.
        threshold
            The threshold.

        Returns
        -------
        numpy.ndarray
            One boolean per value.
        """
        if self is Comparison.ABOVE:
            return np.asarray(values > threshold + TOLERANCE)
        if self is Comparison.AT_LEAST:
            return np.asarray(values >= threshold - TOLERANCE)
        return np.asarray(values < threshold - TOLERANCE)

    @property
    def negation(self) -> str:
        """The sign of the opposite comparison (for 'not met' texts)."""
        return {Comparison.ABOVE: "≤", Comparison.AT_LEAST: "<", Comparison.BELOW: "≥"}[self]


@dataclass(frozen=True)
class Criterion:
    """One criterion of a list: which column, which sign, which threshold.

    Parameters
    ----------
    name
        Stem of the output column ``{name}_met`` (e.g. ``outside_work_education``).
    column
        The input column read (e.g. ``outside_work_education_pct``).
    comparison
        The law's sign.
    threshold
        Threshold for the list the criteria make (udsat boligområde / ghettoområde), in the
        column's unit.
    label
        How a planner reads the criterion (``outside work/education``).
    unit
        Unit shown after a value and the threshold (``" %"``; empty for a ratio).
    after
        Text after the threshold (``" of region"``, ``" × national"``).
    decimals
        Decimals shown for a value.
    averaged
        In yearly mode the law reads the mean of the year and the year before.
    prevention_threshold
        Threshold for the forebyggelsesområde, where the regime has one.
    """

    name: str
    column: str
    comparison: Comparison
    threshold: float
    label: str
    unit: str = " %"
    after: str = ""
    decimals: int = 1
    averaged: bool = False
    prevention_threshold: float | None = None

    @property
    def met_column(self) -> str:
        """The output column: the criterion met at the list threshold."""
        return f"{self.name}_met"

    @property
    def mean_column(self) -> str:
        """The output column with the 2-year mean (yearly mode, averaged criteria only)."""
        return f"{self.column}_2y"


@dataclass(frozen=True)
class RegimeRules:
    """Everything that differs between regimes: criteria, thresholds, counts and list names.

    Parameters
    ----------
    regime
        The regime.
    criteria
        The criteria counted for the list (``criteria_met``), with their thresholds.
    criteria_needed
        How many of ``criteria`` an eligible area must meet to be on the list.
    list_name
        The list the criteria make: ``udsat boligområde`` (2018, 2021) or ``ghettoområde`` (2010,
        2014, where it is reported in both ``udsat`` and ``parallelsamfund``).
    parallel_nonwestern_pct
        Non-western share (per cent) above which a listed area is a parallelsamfund (2018:
        ghettoområde); ``None`` where the criteria list is itself the ghetto list.
    parallel_name
        The name of the ``parallelsamfund`` column's list under this regime.
    transformation_years
        Default consecutive years on the ``parallelsamfund`` list that make the
        ``omdannelsesomraade`` list; ``None`` where the regime has no such list.
    transformation_name
        The name of that list under this regime.
    prevention_nonwestern_pct
        Non-western share (per cent) above which a forebyggelsesområde is possible; ``None`` where
        the regime has no forebyggelsesområde.
    prevention_criteria_needed
        How many criteria at their ``prevention_threshold`` a forebyggelsesområde must meet.
    """

    regime: Regime
    criteria: tuple[Criterion, ...]
    criteria_needed: int
    list_name: str
    parallel_nonwestern_pct: float | None
    parallel_name: str
    transformation_years: int | None = None
    transformation_name: str = ""
    prevention_nonwestern_pct: float | None = None
    prevention_criteria_needed: int = 0

    @property
    def has_prevention(self) -> bool:
        """Whether the regime has a forebyggelsesområde (2021 only)."""
        return self.prevention_nonwestern_pct is not None

    @property
    def columns(self) -> tuple[str, ...]:
        """The input columns this regime reads, in canonical order."""
        used = {"area", "year", "residents", NONWESTERN_COLUMN}
        used.update(criterion.column for criterion in self.criteria)
        return tuple(column.name for column in AREA_COLUMNS if column.name in used)


NONWESTERN_COLUMN = "nonwestern_pct"


KEY_COLUMNS = ("area", "year", "residents")


OUTSIDE_WORK_EDUCATION = Criterion(
    "outside_work_education",
    "outside_work_education_pct",
    Comparison.ABOVE,
    40.0,
    "outside work/education",
    averaged=True,
    prevention_threshold=30.0,
)


_CONVICTION_RATIO = Criterion(
    "conviction",
    "conviction_ratio",
    Comparison.AT_LEAST,
    3.0,
    "conviction ratio",
    unit="",
    after=" × national",
    decimals=2,
    averaged=True,
    prevention_threshold=2.0,
)


_BASIC_EDUCATION = Criterion(
    "basic_education",
    "basic_education_pct",
    Comparison.ABOVE,
    60.0,
    "basic education only",
    prevention_threshold=60.0,
)


_INCOME = Criterion(
    "income",
    "income_pct_of_region",
    Comparison.BELOW,
    55.0,
    "income",
    after=" of region",
    prevention_threshold=65.0,
)


_NONWESTERN_GHETTO = Criterion(
    "nonwestern", NONWESTERN_COLUMN, Comparison.ABOVE, 50.0, "non-western"
)


_CONVICTED_PCT = Criterion(
    "conviction",
    "convicted_pct",
    Comparison.ABOVE,
    2.7,
    "convicted",
    after=" of residents 18+",
    averaged=True,
)


REGIME_RULES: Mapping[Regime, RegimeRules] = MappingProxyType(
    {
        Regime.Y2021: RegimeRules(
            Regime.Y2021,
            (OUTSIDE_WORK_EDUCATION, _CONVICTION_RATIO, _BASIC_EDUCATION, _INCOME),
            criteria_needed=2,
            list_name="udsat boligområde",
            parallel_nonwestern_pct=50.0,
            parallel_name="parallelsamfund",
            transformation_years=5,
            transformation_name="omdannelsesområde",
            prevention_nonwestern_pct=30.0,
            prevention_criteria_needed=2,
        ),
        Regime.Y2018: RegimeRules(
            Regime.Y2018,
            (OUTSIDE_WORK_EDUCATION, _CONVICTION_RATIO, _BASIC_EDUCATION, _INCOME),
            criteria_needed=2,
            list_name="udsat boligområde",
            parallel_nonwestern_pct=50.0,
            parallel_name="ghettoområde",
            transformation_years=4,  # [U]: 4 or 5
            transformation_name="hårdt ghettoområde",
        ),
        Regime.Y2014: RegimeRules(
            Regime.Y2014,
            (
                OUTSIDE_WORK_EDUCATION,  # 2-year mean [U]
                _NONWESTERN_GHETTO,
                _CONVICTED_PCT,  # 2-year mean [U]
                Criterion(
                    "basic_education",
                    "basic_education_pct",
                    Comparison.ABOVE,
                    50.0,
                    "basic education only (incl. unknown)",
                ),
                _INCOME,
            ),
            criteria_needed=3,
            list_name="ghettoområde",
            parallel_nonwestern_pct=None,
            parallel_name="ghettoområde",
        ),
        Regime.Y2010: RegimeRules(
            Regime.Y2010,
            (
                _NONWESTERN_GHETTO,
                Criterion(  # no averaging [U]
                    "outside_work_education",
                    "outside_work_education_pct",
                    Comparison.ABOVE,
                    40.0,
                    "outside work/education",
                ),
                Criterion(
                    "conviction",
                    "convicted_pct",
                    Comparison.ABOVE,
                    2.7,
                    "convicted",
                    after=" of residents 18+",
                ),
            ),
            criteria_needed=2,
            list_name="ghettoområde",
            parallel_nonwestern_pct=None,
            parallel_name="ghettoområde",
        ),
    }
)
"""The rules of each regime (``docs/law.md`` §2)."""


def regime_rules(regime: str) -> RegimeRules:
    """Look up the rules of a regime given by name (``"2021"``) or as a :class:`Regime`.

    Parameters
    ----------
    regime
        The regime.

    Returns
    -------
    RegimeRules
        Its criteria, thresholds and list names.

    Raises
    ------
    ValueError
        If ``regime`` is not one of :data:`REGIMES`.
    """
    try:
        return REGIME_RULES[Regime(str(regime))]
    except ValueError:
        allowed = ", ".join(repr(str(item)) for item in REGIMES)
        raise ValueError(f"unknown legal regime {regime!r}; expected one of {allowed}") from None


@dataclass(frozen=True)
class AreaColumn:
    """One column of the area table (one row per area and year)."""

    name: str
    kind: Literal["text", "year", "count", "percent", "ratio"]
    """``percent`` is 0–100; ``ratio`` is any number ≥ 0 (including income in % of the region,
    which may exceed 100)."""
    unit: str
    description: str


AREA_COLUMNS: tuple[AreaColumn, ...] = (
    AreaColumn("area", "text", "id", "Area id (boligområde)."),
    AreaColumn("year", "year", "year", "The list year (published 1 December of that year)."),
    AreaColumn("residents", "count", "persons", "Residents on 1 January of the year."),
    AreaColumn(
        "outside_work_education_pct",
        "percent",
        "% of residents 18–64",
        "Share of 18–64-year-olds outside work or education (criterion 1).",
    ),
    AreaColumn(
        "conviction_ratio",
        "ratio",
        "ratio to the national share",
        "Share of residents 18+ convicted (penal code, weapons, drugs) divided by the national "
        "share (criterion 2; regimes 2018 and 2021).",
    ),
    AreaColumn(
        "convicted_pct",
        "percent",
        "% of residents 18+",
        "Share of residents 18+ convicted (regimes 2010 and 2014).",
    ),
    AreaColumn(
        "basic_education_pct",
        "percent",
        "% of residents 30–59",
        "Share of 30–59-year-olds with basic school only (criterion 3; 2014: incl. unknown).",
    ),
    AreaColumn(
        "income_pct_of_region",
        "ratio",
        "% of the region's mean",
        "Mean gross income of 15–64-year-olds excl. students, in % of the region's (criterion 4); "
        "may exceed 100.",
    ),
    AreaColumn(
        NONWESTERN_COLUMN,
        "percent",
        "% of residents",
        "Share of residents who are non-western immigrants or descendants.",
    ),
)
"""The columns of an area table, in canonical order. Other columns are carried along untouched."""


AREA_COLUMN_BY_NAME = {column.name: column for column in AREA_COLUMNS}


class ListName(StrEnum):
    """The legal lists of § 61 a / § 61 b (published every 1 December), as the model names them."""

    UDSAT = "udsat"
    PARALLELSAMFUND = "parallelsamfund"
    OMDANNELSESOMRAADE = "omdannelsesomraade"
    FOREBYGGELSESOMRAADE = "forebyggelsesomraade"


LIST_COLUMNS: tuple[str, ...] = tuple(name.value for name in ListName)
"""The boolean list columns of :func:`classify_areas`, in order of the law."""


LIST_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "udsat": "Udsat boligområde",
        "parallelsamfund": "Parallelsamfund",
        "omdannelsesomraade": "Omdannelsesområde",
        "forebyggelsesomraade": "Forebyggelsesområde",
    }
)
"""Each list column and the list's name in current law (§ 61 a, § 61 b)."""


MINIMUM_RESIDENTS = 1000
"""Residents (1 January) an area needs to be listed (§ 61 a stk. 1)."""


@dataclass(frozen=True)
class ModelCriterion:
    """A criterion of a regime in the model's units: shares 0–1, the conviction ratio as a ratio.

    The model's tables (departments, area × year) hold shares where the lists read per cent; this
    is the same criterion, from :data:`REGIME_RULES`, with its thresholds converted.

    Attributes
    ----------
    column
        The model's column (``outside_work_education_share``, ``conviction_ratio``,
        ``basic_education_share``, ``income_ratio_region``).
    comparison
        The law's sign.
    threshold
        The udsat threshold, in the column's unit.
    prevention_threshold
        The forebyggelse threshold, where the regime has one.
    """

    column: str
    comparison: Comparison
    threshold: float
    prevention_threshold: float | None

    @property
    def side(self) -> Literal["above", "below"]:
        """Which side of the threshold lists: ``"above"`` or ``"below"``."""
        return "below" if self.comparison is Comparison.BELOW else "above"

    def holds(self, values: FloatArray, *, prevention: bool = False) -> BoolArray:
        """Whether each value meets the udsat (or forebyggelse) threshold, as the lists read it."""
        threshold = self.prevention_threshold if prevention else self.threshold
        if threshold is None:
            return np.zeros(np.shape(values), bool)
        return self.comparison.holds(np.asarray(values, np.float64), threshold)


MODEL_COLUMNS: Mapping[str, tuple[str, float]] = MappingProxyType(
    {
        "outside_work_education_pct": ("outside_work_education_share", 100.0),
        "conviction_ratio": ("conviction_ratio", 1.0),
        "basic_education_pct": ("basic_education_share", 100.0),
        "income_pct_of_region": ("income_ratio_region", 100.0),
    }
)
"""The lists' input column → (the model's column, the lists' unit per model unit)."""


def model_criteria(regime: str = "2021") -> tuple[ModelCriterion, ...]:
    """The regime's criteria that the model computes, in the model's units.

    The 2021 and 2018 regimes have the four criteria of the model's tables; the 2010 and 2014
    regimes' non-western and ``convicted_pct`` criteria have no model column and are left out.

    Examples
    --------
    >>> [(c.column, c.threshold) for c in model_criteria()][:2]
    [('outside_work_education_share', 0.4), ('conviction_ratio', 3.0)]
    """
    result = []
    for criterion in regime_rules(regime).criteria:
        if criterion.column not in MODEL_COLUMNS:
            continue
        column, scale = MODEL_COLUMNS[criterion.column]
        prevention = criterion.prevention_threshold
        result.append(
            ModelCriterion(
                column,
                criterion.comparison,
                criterion.threshold / scale,
                None if prevention is None else prevention / scale,
            )
        )
    return tuple(result)


def criteria_met(frame: pd.DataFrame, regime: str = "2021") -> IntArray:
    """How many of the regime's criteria each row meets, read in the model's units.

    Parameters
    ----------
    frame
        One row per department or area, with the columns of :func:`model_criteria`.
    regime
        The regime whose thresholds apply.
    """
    met = np.zeros(len(frame), np.int64)
    for criterion in model_criteria(regime):
        met += criterion.holds(frame[criterion.column].to_numpy(np.float64))
    return met
