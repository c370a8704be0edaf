"""The legal lists of almenboligloven § 61 a and § 61 b: which housing areas are on which list.

Every 1 December the ministry publishes, for each housing area (boligområde: physically contiguous
almene departments with at least 1,000 residents on 1 January), whether it is

- an **udsat boligområde** (vulnerable area): at least 2 of the 4 criteria below at their udsat
  thresholds;
- a **parallelsamfund** (parallel society): an udsat boligområde where non-western immigrants and
  descendants are more than 50 % of the residents;
- an **omdannelsesområde** (transformation area): a parallelsamfund in each of the last 5 years;
- a **forebyggelsesområde** (prevention area, § 61 b): non-western immigrants and descendants more
  than 30 % and at least 2 of the 4 criteria at their (lower) forebyggelse thresholds.

The four criteria, with the signs the law uses (``>`` for shares, ``≥`` for the conviction ratio,
``<`` for income):

=== ======================================================= ============ =============== =========
 #  criterion (input column, per cent unless noted)          udsat        forebyggelse    averaging
=== ======================================================= ============ =============== =========
 1  ``outside_work_education_pct``: 18–64-year-olds outside  > 40 %       > 30 %          2 years
    work or education
 2  ``conviction_ratio``: share of residents 18+ convicted   ≥ 3          ≥ 2             2 years
    divided by the national share (a ratio, not per cent)
 3  ``basic_education_pct``: 30–59-year-olds with basic      > 60 %       > 60 %          1 year
    school only
 4  ``income_pct_of_region``: mean gross income of           < 55 %       < 65 %          1 year
    15–64-year-olds excl. students, in % of the region's
=== ======================================================= ============ =============== =========

Older regimes are kept so that old lists can be back-tested (:class:`Regime`). They had other list
names; this module reports every regime in the same four boolean columns:

- ``"2021"`` (current law): ``udsat``, ``parallelsamfund``, ``omdannelsesomraade`` and
  ``forebyggelsesomraade`` as above.
- ``"2018"``: the same four criteria; ``udsat`` as in 2021; the *ghettoområde* (udsat and
  non-western > 50 %) is reported in ``parallelsamfund``, the *hårdt ghettoområde* (a ghettoområde
  in each of the last 4 years [U]: 4 or 5) in ``omdannelsesomraade``; there was no
  forebyggelsesområde, so ``forebyggelsesomraade`` is always False.
- ``"2014"``: the *ghettoområde* is an area meeting at least 3 of 5 criteria (outside work/education
  > 40 %, non-western > 50 %, ``convicted_pct`` > 2.7 % of residents 18+, basic education only
  > 50 % including unknown education, income < 55 % of the region). It is reported in
  ``parallelsamfund`` **and** in ``udsat``: under the older regimes the ghetto list was the only
  list of vulnerable areas, so the invariant *parallelsamfund ⇒ udsat* holds in every regime.
  ``omdannelsesomraade`` and ``forebyggelsesomraade`` are False.
- ``"2010"``: the *ghettoområde* is an area meeting at least 2 of 3 criteria (non-western > 50 %,
  outside work/education > 40 %, ``convicted_pct`` > 2.7 %); reported as in 2014.

The 2010 and 2014 regimes read ``convicted_pct`` (per cent of residents 18+ convicted) instead of
``conviction_ratio``; a regime never requires a column it does not use.

Knife edges are real (one conviction or 34 residents have decided a listing), so the rules are
applied exactly as the law reads them, with one concession to binary arithmetic: a value within
:data:`TOLERANCE` (1e-9, absolute) of a threshold counts as *at* the threshold. A share summed in
a simulation as 0.04 + 0.56 and converted to per cent is 60.00000000000001, which is *not* above
60 %; 0.08 + 0.47 gives 54.99999999999999, which is *not* below 55 %; a conviction ratio computed
as 2.9999999999999996 *is* at least 3. The tolerance is far below anything a published value can
resolve (they have one or two decimals).

Examples
--------
>>> import pandas as pd
>>> from simulation.law.lists import classify_areas
>>> areas = pd.DataFrame({
...     "area": ["havbakken", "lyngparken"], "year": [2024, 2024], "residents": [1480, 999],
...     "outside_work_education_pct": [43.1, 45.0], "conviction_ratio": [1.2, 3.5],
...     "basic_education_pct": [55.0, 62.0], "income_pct_of_region": [52.0, 50.0],
...     "nonwestern_pct": [48.0, 70.0]})
>>> result = classify_areas(areas)
>>> result[["area", "udsat", "parallelsamfund", "criteria_met"]]
         area  udsat  parallelsamfund  criteria_met
0   havbakken   True            False             2
1  lyngparken  False            False             4
>>> print(result["reasons"].iloc[0])  # doctest: +ELLIPSIS
udsat boligområde (2 of 4 criteria): outside work/education 43.1 % > 40 %, income 52.0 % < 55 ...
>>> print(result["reasons"].iloc[1])
not eligible: 999 residents < 1,000 (the minimum for a list)
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from simulation.base.errors import Problem, ScenarioError, Words, at_row, column_words, show_value
from simulation.law.regimes import (
    AREA_COLUMN_BY_NAME,
    KEY_COLUMNS,
    LIST_COLUMNS,
    MINIMUM_RESIDENTS,
    NONWESTERN_COLUMN,
    REGIME_RULES,
    REGIMES,
    TOLERANCE,
    AreaColumn,
    BoolArray,
    Comparison,
    FloatArray,
    IntArray,
    Regime,
    RegimeRules,
    regime_rules,
)

__all__ = [
    "AREAS_LABEL",
    "Texts",
    "cell_location",
    "classify_areas",
    "duplicate_problems",
    "regime_of",
]

logger = logging.getLogger(__name__)


AREAS_LABEL = "areas"
"""The 'file' named in problems with a table handed to :func:`classify_areas` in memory."""


# --------------------------------------------------------------------------------------------------
# The regimes, as data


# --------------------------------------------------------------------------------------------------
# The area table's columns


_GENERATED_COLUMNS = frozenset(
    {
        "eligible",
        "criteria_met",
        "prevention_criteria_met",
        *LIST_COLUMNS,
        "parallelsamfund_years",
        "reasons",
        *(criterion.met_column for rules in REGIME_RULES.values() for criterion in rules.criteria),
        *(criterion.mean_column for rules in REGIME_RULES.values() for criterion in rules.criteria),
    }
)


# --------------------------------------------------------------------------------------------------
# Classification


def classify_areas(
    frame: pd.DataFrame,
    regime: str = "2021",
    *,
    values: Literal["published", "yearly"] = "published",
    minimum_residents: int = MINIMUM_RESIDENTS,
    transformation_years: int | None = None,
    prevention_excludes_udsat: bool = True,
    prior_parallelsamfund_years: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Classify housing areas onto the legal lists of § 61 a / § 61 b, year by year.

    Parameters
    ----------
    frame
        One row per area and year with the columns of :data:`AREA_COLUMNS` that the regime reads
        (:attr:`RegimeRules.columns`): ``area``, ``year``, ``residents`` (persons on 1 January),
        the criterion columns in per cent (0–100) or as a ratio, and ``nonwestern_pct``. Other
        columns are carried along; result columns already present are recomputed.
    regime
        ``"2021"`` (current law, default), ``"2018"``, ``"2014"`` or ``"2010"``, or a
        :class:`Regime`. See the module docstring for how older lists map onto the four list
        columns.
    values
        ``"published"``: the columns hold the values the law compares (as published, 2-year means
        already taken). ``"yearly"``: they hold each year's raw value and the function takes the
        2-year means the law prescribes: under 2021 and 2018 criteria 1 (outside work/education)
        and 2 (conviction ratio) are the mean of the year and the year before, criteria 3 and 4
        one year; under 2014 outside work/education and ``convicted_pct`` are 2-year means [U];
        under 2010 nothing is averaged [U]. Where an area has no row for the year before, the
        year's own value is used alone. The means are reported in ``{column}_2y`` columns.
    minimum_residents
        An area with fewer residents is on no list, whatever its criteria (persons; the law's 1,000
        [C]: exactly 1,000 qualifies).
    transformation_years
        Consecutive years on the ``parallelsamfund`` list that put an area on the
        ``omdannelsesomraade`` list; ``None`` = the regime's default (2021: 5 [C]; 2018: 4 [U], the
        law may be read as 5). Ignored by 2014 and 2010, which have no such list.
    prevention_excludes_udsat
        An udsat boligområde is not also a forebyggelsesområde [U]; default True. 2021 only.
    prior_parallelsamfund_years
        Per area id, the consecutive years the area was on the ``parallelsamfund`` list (2018–2020,
        2010–2017: the ghetto list) immediately before its earliest year in ``frame`` (default 0).
        They extend a run that reaches back to that earliest year. Areas absent from ``frame`` are
        ignored.

    Returns
    -------
    pandas.DataFrame
        Every input row and column, sorted by area and year, plus:

        - ``{column}_2y`` (yearly mode, averaged criteria only): the 2-year mean used.
        - ``eligible``: at least ``minimum_residents`` residents.
        - ``{criterion}_met``: each criterion of the regime met at its list threshold
          (``outside_work_education_met``, ``conviction_met``, ``basic_education_met``,
          ``income_met``; 2014 and 2010 also ``nonwestern_met`` and only their own criteria).
        - ``criteria_met``: how many of them (of 4, 5 or 3; whatever the residents).
        - ``prevention_criteria_met``: 2021: how many of the 4 criteria are met at their
          forebyggelse thresholds; 0 under other regimes.
        - ``udsat``, ``parallelsamfund``, ``omdannelsesomraade``, ``forebyggelsesomraade``: the
          lists (booleans). ``parallelsamfund`` implies ``udsat`` and ``omdannelsesomraade``
          implies ``parallelsamfund`` in every regime.
        - ``parallelsamfund_years``: consecutive years on the ``parallelsamfund`` list up to and
          including this one: a missing year or a year off the list breaks the run;
          ``prior_parallelsamfund_years`` extends a run that reaches back to the area's earliest
          year.
        - ``reasons``: why, in words a planner reads.

    Raises
    ------
    ScenarioError
        If the table is invalid (every problem named by row, as in a CSV with a header row 1,
        column, value and rule): a column the regime reads is missing, a value is missing, not a
        number, negative or a percentage above 100, a year is not a whole number, an area id is
        empty, or an (area, year) appears twice.
    ValueError
        If ``regime``, ``values``, ``minimum_residents``, ``transformation_years`` or
        ``prior_parallelsamfund_years`` is invalid.

    Notes
    -----
    Thresholds are compared with an absolute tolerance of :data:`TOLERANCE` (1e-9): a value that
    equals a threshold up to it counts as at the threshold. So a share summed as 0.04 + 0.56 and
    shown in per cent, 60.00000000000001, is not above 60 %; 54.99999999999999 (0.08 + 0.47) is not
    below 55 %; and a conviction ratio of 2.9999999999999996 is at least 3.
    """
    rules = regime_rules(regime)
    if values not in ("published", "yearly"):
        raise ValueError(f"values must be 'published' or 'yearly', not {values!r}")
    if minimum_residents < 0:
        raise ValueError(f"minimum_residents must be ≥ 0, not {minimum_residents}")
    if transformation_years is not None and transformation_years < 1:
        raise ValueError(f"transformation_years must be ≥ 1 or None, not {transformation_years}")
    prior = dict(prior_parallelsamfund_years or {})
    negative_prior = {area: years for area, years in prior.items() if years < 0}
    if negative_prior:
        raise ValueError(f"prior_parallelsamfund_years must be ≥ 0; got {negative_prior}")
    run_years = (
        transformation_years if transformation_years is not None else rules.transformation_years
    )

    table = _checked_table(frame, rules)
    areas = table["area"].to_numpy(dtype=object)
    years = table["year"].to_numpy(dtype=np.int64)
    new_area = _first_of_area(areas)
    follows_previous_year = ~new_area
    follows_previous_year[1:] &= years[1:] == years[:-1] + 1

    used: dict[str, FloatArray] = {
        column: table[column].to_numpy(dtype=np.float64)
        for column in rules.columns
        if column not in KEY_COLUMNS
    }
    for criterion in rules.criteria:
        if values == "yearly" and criterion.averaged:
            raw = used[criterion.column]
            previous = np.empty_like(raw)
            previous[0:1] = np.nan
            previous[1:] = raw[:-1]
            mean = np.where(follows_previous_year, (raw + previous) / 2.0, raw)
            table[criterion.mean_column] = mean
            used[criterion.column] = mean

    eligible = table["residents"].to_numpy(dtype=np.float64) >= minimum_residents - TOLERANCE
    met = {
        criterion.name: criterion.comparison.holds(used[criterion.column], criterion.threshold)
        for criterion in rules.criteria
    }
    criteria_met = _count_true(met.values(), len(table))
    udsat = eligible & (criteria_met >= rules.criteria_needed)
    nonwestern = used[NONWESTERN_COLUMN]
    if rules.parallel_nonwestern_pct is None:  # 2010, 2014: the criteria make the ghetto list
        parallel = udsat
    else:
        parallel = udsat & Comparison.ABOVE.holds(nonwestern, rules.parallel_nonwestern_pct)
    parallel_years = _run_lengths(areas, new_area, follows_previous_year, parallel, prior)
    if rules.transformation_years is not None and run_years is not None:
        transformation = parallel & (parallel_years >= run_years)
    else:
        transformation = np.zeros(len(table), dtype=bool)

    prevention_met: dict[str, BoolArray] = {}
    prevention = np.zeros(len(table), dtype=bool)
    if rules.prevention_nonwestern_pct is not None:
        for criterion in rules.criteria:
            if criterion.prevention_threshold is not None:
                prevention_met[criterion.name] = criterion.comparison.holds(
                    used[criterion.column], criterion.prevention_threshold
                )
        prevention_count = _count_true(prevention_met.values(), len(table))
        prevention = (
            eligible
            & Comparison.ABOVE.holds(nonwestern, rules.prevention_nonwestern_pct)
            & (prevention_count >= rules.prevention_criteria_needed)
        )
        if prevention_excludes_udsat:
            prevention &= ~udsat
    else:
        prevention_count = np.zeros(len(table), dtype=np.int64)

    table["eligible"] = eligible
    for criterion in rules.criteria:
        table[criterion.met_column] = met[criterion.name]
    table["criteria_met"] = criteria_met
    table["prevention_criteria_met"] = prevention_count
    table["udsat"] = udsat
    table["parallelsamfund"] = parallel
    table["omdannelsesomraade"] = transformation
    table["forebyggelsesomraade"] = prevention
    table["parallelsamfund_years"] = parallel_years
    table["reasons"] = _reasons(
        rules,
        _Outcome(
            residents=table["residents"].to_numpy(dtype=np.float64),
            used=used,
            averaged=follows_previous_year if values == "yearly" else np.zeros(len(table), bool),
            eligible=eligible,
            met=met,
            criteria_met=criteria_met,
            prevention_met=prevention_met,
            prevention_count=prevention_count,
            udsat=udsat,
            parallel=parallel,
            transformation=transformation,
            prevention=prevention,
            parallel_years=parallel_years,
        ),
        minimum_residents=minimum_residents,
        run_years=run_years,
    )
    table.attrs["regime"] = str(rules.regime)
    logger.debug(
        "classified %d area-years under regime %s: %d udsat, %d parallelsamfund",
        len(table),
        rules.regime,
        int(udsat.sum()),
        int(parallel.sum()),
    )
    return table


def _count_true(masks: Iterable[BoolArray], length: int) -> IntArray:
    """Count, per row, how many of the masks are True."""
    total = np.zeros(length, dtype=np.int64)
    for mask in masks:
        total += mask
    return total


def _first_of_area(areas: npt.NDArray[np.object_]) -> BoolArray:
    """For rows sorted by area: True on each area's first row."""
    first = np.ones(len(areas), dtype=bool)
    first[1:] = areas[1:] != areas[:-1]
    return first


def _run_lengths(
    areas: npt.NDArray[np.object_],
    new_area: BoolArray,
    follows_previous_year: BoolArray,
    flag: BoolArray,
    prior: Mapping[str, int],
) -> IntArray:
    """Consecutive flagged years ending at each row (rows sorted by area and year).

    A run continues from one row to the next only within an area, from a year to the next year, with
    both rows flagged. ``prior`` years are added to a run that starts at the area's first row.
    """
    count = len(flag)
    positions = np.arange(count, dtype=np.int64)
    continues = follows_previous_year.copy()
    continues[1:] &= flag[:-1]
    continues &= flag
    segment_starts = np.flatnonzero(~continues)
    segment_start = segment_starts[np.cumsum(~continues) - 1] if count else positions
    runs = np.where(flag, positions - segment_start + 1, 0).astype(np.int64)
    if prior:
        area_starts = np.flatnonzero(new_area)
        area_start = area_starts[np.cumsum(new_area) - 1]
        before = np.array([prior.get(area, 0) for area in areas[area_starts]], dtype=np.int64)
        before_by_row = before[np.cumsum(new_area) - 1]
        runs += np.where(flag & (segment_start == area_start), before_by_row, 0)
    return runs


def _checked_table(frame: pd.DataFrame, rules: RegimeRules) -> pd.DataFrame:
    """Validate the columns the regime reads; return a sorted, typed copy without result columns."""
    missing = [name for name in rules.columns if name not in frame.columns]
    if missing:
        raise ScenarioError(
            Problem(
                AREAS_LABEL,
                column_words(repr(name)),
                Words("missing", "ingen kolonne"),
                Words(
                    f"the column {name!r} ({AREA_COLUMN_BY_NAME[name].unit}), which regime "
                    f"{rules.regime} reads: {AREA_COLUMN_BY_NAME[name].description}",
                    f"kolonnen {name!r}, som regime {rules.regime} læser",
                ),
            )
            for name in missing
        )
    stale = [name for name in frame.columns if name in _GENERATED_COLUMNS]
    table = frame.drop(columns=stale).reset_index(drop=True)
    problems: list[Problem] = []
    for name in rules.columns:
        problems.extend(_column_problems(table, AREA_COLUMN_BY_NAME[name]))
    if not problems:
        problems.extend(duplicate_problems(AREAS_LABEL, table["area"], table["year"], None))
    if problems:
        raise ScenarioError(problems)
    table["area"] = table["area"].astype(str)
    table["year"] = pd.to_numeric(table["year"]).astype(np.int64)
    for name in rules.columns:
        if name not in ("area", "year"):
            table[name] = pd.to_numeric(table[name])
    return table.sort_values(["area", "year"], kind="stable").reset_index(drop=True)


def _column_problems(table: pd.DataFrame, column: AreaColumn) -> list[Problem]:
    """Problems in one column of an in-memory table; rows numbered as in a CSV (header row 1)."""
    series = table[column.name]
    if column.kind == "text":
        text = series.astype(str).str.strip()
        bad = series.isna().to_numpy() | (text == "").to_numpy()
        return [
            Problem(
                AREAS_LABEL,
                cell_location(position + 2, column.name),
                show_value(series.iat[position]),
                Words("a non-empty area id", "et boligområde-id, der ikke er tomt"),
            )
            for position in np.flatnonzero(bad).tolist()
        ]
    numbers = pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64)
    missing = series.isna().to_numpy()
    with np.errstate(invalid="ignore"):
        rules: list[tuple[BoolArray, str]] = [
            (missing, Words("a number (the value is missing)", "et tal (værdien mangler)")),
            (~missing & np.isnan(numbers), Words("a number", "et tal")),
            (np.isinf(numbers), Words("a finite number", "et endeligt tal")),
            (numbers < 0, Words("a number ≥ 0", "et tal ≥ 0")),
        ]
        if column.kind == "percent":
            rules.append(
                (
                    np.isfinite(numbers) & (numbers > 100),
                    Words("a percentage from 0 to 100", "en procentsats fra 0 til 100"),
                )
            )
        if column.kind in ("year", "count"):
            whole = np.isfinite(numbers) & (numbers != np.round(numbers))
            rules.append((whole, Words("a whole number", "et helt tal")))
    problems = []
    for broken, rule in rules:
        for position in np.flatnonzero(broken).tolist():
            problems.append(
                Problem(
                    AREAS_LABEL,
                    cell_location(position + 2, column.name),
                    show_value(series.iat[position]),
                    rule,
                )
            )
    return sorted(problems, key=lambda problem: _row_of(problem.location))


def duplicate_problems(
    file: Path | str, areas: pd.Series, years: pd.Series, rows: Sequence[int] | None
) -> list[Problem]:
    """Find (area, year) pairs given twice: a problem at each repeat, naming the first row."""
    keys = pd.DataFrame({"area": areas.astype(str).to_numpy(), "year": years.to_numpy()})
    duplicated = keys.duplicated(keep="first").to_numpy()
    if not duplicated.any():
        return []
    row_numbers = list(rows) if rows is not None else list(range(2, len(keys) + 2))
    first_row: dict[tuple[str, object], int] = {}
    problems = []
    for position, (area, year) in enumerate(zip(keys["area"], keys["year"], strict=True)):
        key = (area, year)
        if key not in first_row:
            first_row[key] = row_numbers[position]
        elif duplicated[position]:
            problems.append(
                Problem(
                    file,
                    cell_location(row_numbers[position], "year"),
                    str(year),
                    Words(
                        f"each (area, year) once; area {area!r} year {year} is already in row "
                        f"{first_row[key]}",
                        f"hvert (boligområde, år) én gang; boligområde {area!r} år {year} er "
                        f"allerede i række {first_row[key]}",
                    ),
                )
            )
    return problems


def cell_location(row: int, column: str) -> Words:
    """Where a problem is in a table: its row and column (``række …, kolonne …`` in Danish)."""
    return at_row(row, column_words(repr(column)))


def _row_of(location: str) -> int:
    return int(location.split(",", 1)[0].removeprefix("row "))


# --------------------------------------------------------------------------------------------------
# Reasons a planner reads


@dataclass(frozen=True)
class _Outcome:
    """Intermediate arrays of one classification, for the reasons text."""

    residents: FloatArray
    used: Mapping[str, FloatArray]
    averaged: BoolArray
    """Rows whose averaged criteria are 2-year means (yearly values with the year before given)."""
    eligible: BoolArray
    met: Mapping[str, BoolArray]
    criteria_met: IntArray
    prevention_met: Mapping[str, BoolArray]
    prevention_count: IntArray
    udsat: BoolArray
    parallel: BoolArray
    transformation: BoolArray
    prevention: BoolArray
    parallel_years: IntArray


Texts = npt.NDArray[np.object_]
"""One Python string per row (object arrays concatenate fast and without fixed widths)."""


def _reasons(
    rules: RegimeRules, outcome: _Outcome, *, minimum_residents: int, run_years: int | None
) -> list[str]:
    """Write one text per row: which lists and why, or why not.

    Each kind of text is built only on the rows it describes (index arrays), so the cost grows with
    what is said, not with rows times every possible phrase.
    """
    total = len(rules.criteria)
    text = np.full(len(outcome.eligible), "", dtype=object)
    nonwestern = outcome.used[NONWESTERN_COLUMN]

    def met_criteria(index: IntArray, prevention: bool) -> Texts:
        """Join the criteria met on rows ``index``: "outside work/education 43.1 % > 40 %, …"."""
        joined = np.full(len(index), "", dtype=object)
        masks = outcome.prevention_met if prevention else outcome.met
        for criterion in rules.criteria:
            threshold = criterion.prevention_threshold if prevention else criterion.threshold
            if threshold is None or criterion.name not in masks:
                continue
            hit = masks[criterion.name][index]
            rows = index[hit]
            mean = _where(outcome.averaged[rows] & criterion.averaged, " (2-year mean)", "")
            piece = _concat(
                f"{criterion.label} ",
                _number(outcome.used[criterion.column][rows], criterion.decimals, threshold),
                criterion.unit,
                mean,
                f" {criterion.comparison} {threshold:g}{criterion.unit}{criterion.after}",
            )
            before = joined[hit]
            joined[hit] = _where(before == "", piece, _concat(before, ", ", piece))
        return joined

    def prevention_text(index: IntArray) -> Texts:
        threshold = rules.prevention_nonwestern_pct or 0.0
        return _concat(
            "forebyggelsesområde (non-western ",
            _number(nonwestern[index], 1, threshold),
            f" % > {threshold:g} %; ",
            _integers(outcome.prevention_count[index]),
            f" of {total} criteria at forebyggelse thresholds): ",
            met_criteria(index, prevention=True),
        )

    listed = np.flatnonzero(outcome.udsat)
    if len(listed):
        listed_text = _concat(
            f"{rules.list_name} (",
            _integers(outcome.criteria_met[listed]),
            f" of {total} criteria): ",
            met_criteria(listed, prevention=False),
        )
        if rules.parallel_nonwestern_pct is not None:
            threshold = rules.parallel_nonwestern_pct
            hit = outcome.parallel[listed]
            listed_text[hit] = _concat(
                listed_text[hit],
                f"; {rules.parallel_name}: non-western ",
                _number(nonwestern[listed[hit]], 1, threshold),
                f" % > {threshold:g} %",
            )
        hit = outcome.transformation[listed]
        listed_text[hit] = _concat(
            listed_text[hit],
            f"; {rules.transformation_name}: {rules.parallel_name} ",
            _integers(outcome.parallel_years[listed[hit]]),
            f" years running (≥ {run_years})",
        )
        if rules.has_prevention:  # an udsat area is also one if prevention_excludes_udsat is off
            hit = outcome.prevention[listed]
            listed_text[hit] = _concat(listed_text[hit], "; ", prevention_text(listed[hit]))
        text[listed] = listed_text

    prevention_only = np.flatnonzero(outcome.prevention & ~outcome.udsat)
    text[prevention_only] = prevention_text(prevention_only)

    unlisted = np.flatnonzero(outcome.eligible & ~outcome.udsat & ~outcome.prevention)
    some = outcome.criteria_met[unlisted] > 0
    unlisted_text = np.full(
        len(unlisted),
        f"not listed: no criterion met (need {rules.criteria_needed} of {total})",
        dtype=object,
    )
    unlisted_text[some] = _concat(
        "not listed: ",
        _integers(outcome.criteria_met[unlisted[some]]),
        f" of {total} criteria (need {rules.criteria_needed}): ",
        met_criteria(unlisted[some], prevention=False),
    )
    if rules.prevention_nonwestern_pct is not None:
        # Enough criteria at the forebyggelse thresholds, yet the non-western share is too low.
        threshold = rules.prevention_nonwestern_pct
        hit = outcome.prevention_count[unlisted] >= rules.prevention_criteria_needed
        unlisted_text[hit] = _concat(
            unlisted_text[hit],
            "; ",
            _integers(outcome.prevention_count[unlisted[hit]]),
            f" of {total} criteria at forebyggelse thresholds but non-western ",
            _number(nonwestern[unlisted[hit]], 1, threshold),
            f" % ≤ {threshold:g} %",
        )
    text[unlisted] = unlisted_text

    small = np.flatnonzero(~outcome.eligible)
    text[small] = _concat(
        "not eligible: ",
        _number(outcome.residents[small], 0, float(minimum_residents)),
        f" residents < {minimum_residents:,} (the minimum for a list)",
    )
    return [str(item) for item in text]


def _number(values: FloatArray, decimals: int, threshold: float) -> Texts:
    """Format values with ``decimals`` decimals.

    Where rounding would show the threshold itself for a value that is not at it (40.04 as
    "40.0"), all significant digits are shown instead.
    """
    shown = np.round(values, decimals)
    ambiguous = (np.abs(shown - threshold) <= TOLERANCE) & (np.abs(values - shown) > TOLERANCE)
    texts = np.empty(len(values), dtype=object)
    texts[:] = [
        f"{value:.12g}" if exact else f"{value:.{decimals}f}"
        for value, exact in zip(values.tolist(), ambiguous.tolist(), strict=True)
    ]
    return texts


def _integers(values: IntArray) -> Texts:
    """Whole numbers as text."""
    texts = np.empty(len(values), dtype=object)
    texts[:] = [str(value) for value in values.tolist()]
    return texts


def _where(condition: BoolArray, chosen: Texts | str, otherwise: Texts | str) -> Texts:
    """Choose texts elementwise, keeping Python strings."""
    return np.where(
        condition, np.asarray(chosen, dtype=object), np.asarray(otherwise, dtype=object)
    )


def _concat(*parts: str | Texts) -> Texts:
    """Concatenate strings and text arrays elementwise."""
    result: Texts = np.asarray(parts[0], dtype=object)
    for part in parts[1:]:
        result = np.add(result, np.asarray(part, dtype=object))
    return result


def regime_of(frame: pd.DataFrame) -> Regime:
    """Find the regime a classification was made under (``frame.attrs``, else inferred)."""
    recorded = frame.attrs.get("regime")
    if recorded in REGIMES:
        return Regime(recorded)
    if "nonwestern_met" in frame.columns:
        return Regime.Y2014 if "income_met" in frame.columns else Regime.Y2010
    return Regime.Y2021
