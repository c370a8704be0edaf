"""The plain-language account of a referral plan, as text or Markdown.

Planners distrust a black box, so the account says what the plan does (households placed, the
maximum load, the headroom used), which limits bind where (slots, headroom, the dwellings that fit
a group), what one more slot, one more person of headroom or one more fitting dwelling would be
worth, and why any group falls short. Both renderings come from one list of
sections, so they never disagree.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from optimisation.constants import SolverName, Stage
from optimisation.diagnosis import ShortfallDiagnosis, format_amount
from optimisation.errors import format_ids
from optimisation.problem import ReferralProblem
from optimisation.solve import StageResult

__all__ = [
    "DEGENERATE_SHOWN",
    "PRICE_LEVELS_SHOWN",
    "TOP_SHOWN",
    "ExplainablePlan",
    "explain_markdown",
    "explain_text",
]

FloatArray = npt.NDArray[np.float64]

TOP_SHOWN = 10
"""How many departments a list names before it says how many more there are."""

PRICE_LEVELS_SHOWN = 3
"""How many distinct values of a shadow price the account lists (largest first)."""

DEGENERATE_SHOWN = 5
"""How many degenerate prices the account names one by one."""


class ExplainablePlan(Protocol):
    """What the account reads from a plan: a :class:`~optimisation.ReferralPlan` has all of it.

    Written out here so that this module needs nothing from :mod:`optimisation.plan`, which
    imports it to give :meth:`ReferralPlan.explain`.
    """

    @property
    def problem(self) -> ReferralProblem:
        """The problem the plan solves."""

    @property
    def departments(self) -> pd.DataFrame:
        """One row per department (``DEPARTMENT_TABLE_COLUMNS``)."""

    @property
    def groups(self) -> pd.DataFrame:
        """One row per group."""

    @property
    def fits(self) -> pd.DataFrame:
        """One row per department and capacity pool with a finite capacity."""

    @property
    def areas(self) -> pd.DataFrame:
        """One row per area (empty without areas)."""

    @property
    def units(self) -> pd.DataFrame:
        """One row per claim accounting unit (empty without pooled claims)."""

    @property
    def placed(self) -> float:
        """Households placed."""

    @property
    def total_shortfall(self) -> float:
        """Households left unplaced (stage 1's optimum)."""

    @property
    def max_load(self) -> float:
        """The maximum load (stage 2's optimum)."""

    @property
    def headroom_used(self) -> float:
        """Headroom used in total (stage 3's optimum)."""

    @property
    def prices(self) -> tuple[StageResult, ...]:
        """Each stage's shadow prices."""

    @property
    def diagnoses(self) -> tuple[ShortfallDiagnosis, ...]:
        """Why each group with a shortfall falls short."""

    @property
    def solver(self) -> SolverName:
        """The solver used."""

    @property
    def integer(self) -> bool:
        """Whether referrals are whole households."""

    @property
    def prices_from_relaxation(self) -> bool:
        """Whether the prices come from the LP relaxation."""

    @property
    def unproven(self) -> tuple[Stage, ...]:
        """Stages whose optimum is not proven."""

    @property
    def gaps(self) -> Mapping[Stage, float]:
        """The relative gap of each unproven stage."""

    @property
    def sensitivities(self) -> pd.DataFrame:
        """Which stage-1 prices are confirmed gains (empty when not checked)."""

    @property
    def max_shortfall_share(self) -> float:
        """The largest share of any group's demand left unplaced."""

    @property
    def objectives(self) -> Mapping[Stage, float]:
        """Each stage's optimum."""


@dataclass
class _Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    table: tuple[list[str], list[list[str]]] | None = None
    notes: list[str] = field(default_factory=list)


def _count(number: int, noun: str) -> str:
    return f"{number:,d} {noun}" + ("" if number == 1 else "s")


def _percent(share: float) -> str:
    return f"{100 * share:.1f} %"


def _ids(ids: Sequence[Hashable]) -> str:
    return format_ids(list(ids), TOP_SHOWN)


def _price_lines(
    values: npt.NDArray[np.float64],
    departments: Sequence[Hashable],
    scale: float,
    phrase: str,
    noun: str = "department",
) -> list[str]:
    """One line per distinct (rounded) positive price, largest first, naming the departments."""
    shown = np.round(values * scale, 2)
    positive = shown > 0
    levels = sorted(set(shown[positive].tolist()), reverse=True)
    lines = []
    for level in levels[:PRICE_LEVELS_SHOWN]:
        members = [departments[i] for i in np.flatnonzero(positive & (shown == level)).tolist()]
        where = (
            f"in {noun} {members[0]!r}"
            if len(members) == 1
            else f"in each of {len(members):,d} {noun}s: {_ids(members)}"
        )
        lines.append(f"{phrase.format(f'{level:.2f}')} {where}.")
    rest = int(positive.sum()) - sum(
        int((shown == level).sum()) for level in levels[:PRICE_LEVELS_SHOWN]
    )
    if rest:
        lines.append(f"(Smaller values in {_count(rest, 'more ' + noun)}; see the table.)")
    return lines


def _fits_bullet(plan: ExplainablePlan) -> str:
    """Where the dwellings that fit each capacity pool (usually a group) are used up."""
    fits = plan.fits
    binding = fits[fits["binding"].to_numpy(dtype=bool)]
    if binding.empty:
        return (
            "The dwellings that fit each group (rooms, rent) have room left wherever a group "
            "may go."
        )
    per_pool = []
    for pool, rows in binding.groupby("pool", sort=False)["department"]:
        ids = rows.tolist()
        per_pool.append(f"for {pool} in {_count(len(ids), 'department')} ({_ids(ids)})")
    departments = binding["department"].nunique()
    return (
        "The dwellings that fit a group (rooms, rent) are used up in "
        f"{_count(departments, 'department')}: " + "; ".join(per_pool) + "."
    )


def _unit_noun(problem: ReferralProblem) -> str:
    """What a claim accounting unit is, in words (singular)."""
    return {
        "organisation": "housing organisation",
        "municipality": "municipality",
        "department": "department",
    }[problem.unit_kind]


def _pooled_claims(problem: ReferralProblem, unit: Hashable | None = None) -> str:
    """A unit's pooled claims in words: "housing organisation 'X''s pooled claims" and so on."""
    if problem.unit_kind == "municipality":
        return "the municipality's pooled claims"
    noun = _unit_noun(problem)
    if unit is None:
        return f"a {noun}'s pooled claims"
    return f"the pooled claims of {noun} {unit!r}"


def _units_bullet(plan: ExplainablePlan) -> str:
    """Which claim accounting units have used all their pooled claims, in words."""
    problem = plan.problem
    units = plan.units
    binding = units[units["binding"].to_numpy(dtype=bool)]
    carried = float(units["carried"].sum())
    with_carried = f" (with {format_amount(carried)} claims carried over)" if carried > 0 else ""
    if problem.unit_kind == "municipality" and len(units) == 1:
        row = units.iloc[0]
        state = "are all used" if bool(row["binding"]) else "are not all used"
        return (
            f"Claims are counted across the municipality: its pooled claims{with_carried} "
            f"{state} ({format_amount(float(row['referrals']))} of "
            f"{format_amount(float(row['claims']))})."
        )
    noun = _unit_noun(problem)
    text = (
        f"Claims are counted per {noun}: the pooled claims{with_carried} are all used in "
        f"{_count(len(binding), noun)} of {len(units):,d}"
    )
    if len(binding):
        text += ": " + _ids(binding["unit"].tolist())
    return text + "."


def _sections(plan: ExplainablePlan) -> list[_Section]:
    problem = plan.problem
    table = plan.departments
    departments = problem.departments
    kind = "integer plan (MILP)" if plan.integer else "LP plan"
    demand = float(problem.demand.sum())
    sections = []

    summary = _Section("Summary")
    summary.paragraphs.append(
        f"Referral plan (kommunal anvisning) for {_count(problem.n_departments, 'department')} "
        f"and {_count(problem.n_groups, 'referral group')}; {kind}, solved with {plan.solver}."
    )
    summary.paragraphs.append(
        f"{format_amount(plan.placed)} of {format_amount(demand)} households are placed; "
        f"{format_amount(plan.total_shortfall)} remain unplaced (stage 1: as few as possible)."
    )
    if Stage.FAIRNESS in plan.objectives:
        summary.paragraphs.append(
            f"No group has more than {_percent(plan.max_shortfall_share)} of its demand "
            "unplaced (fairness stage: with the total held, the largest share left unplaced is "
            "as small as possible)."
        )
    summary.paragraphs.append(
        f"No department gives more than {_percent(plan.max_load)} of its vacancies to referrals "
        "(the load is spread as evenly as the shortfall allows)."
    )
    areas = plan.areas
    protected = areas[areas["protected"].to_numpy(dtype=bool)] if len(areas) else areas
    available = float(protected["headroom"].sum()) if len(protected) else 0.0
    if problem.department_ceilings:
        available += float(problem.headroom.sum())
    limits_text = []
    if problem.department_ceilings:
        limits_text.append(
            "No department is pushed over its ceiling "
            f"(threshold {_percent(problem.threshold)} minus margin {_percent(problem.margin)}, "
            "unless a department has its own)"
        )
    if len(protected):
        limits_text.append(
            f"no protected area ({len(protected):,d} of {len(areas):,d}) ends the period above "
            "the ceiling of the list its share of adults outside work or education could put it "
            "on"
        )
    summary.paragraphs.append(
        f"The plan uses {format_amount(plan.headroom_used)} of {format_amount(available)} "
        "persons of headroom below the ceilings (stage 3: as little as possible). "
        + (
            "; ".join(limits_text) + ", and one already above its ceiling takes only households "
            "that do not make it worse."
            if limits_text
            else "Nothing limits the composition."
        )
    )
    for stage in plan.unproven:
        gap = plan.gaps.get(stage, float("nan"))
        where = (
            f"with a relative gap of {100 * gap:.2f} %" if gap == gap else "without a gap to report"
        )
        summary.paragraphs.append(
            f"The {stage} stage of this integer plan stopped at its limit {where}: its value is "
            "the best found, not proven best; every rule of the plan holds."
        )
    groups = plan.groups
    summary.table = (
        ["group", "demand", "placed", "unplaced"],
        [
            [str(g), format_amount(d), format_amount(r), format_amount(s)]
            for g, d, r, s in zip(
                groups["group"].tolist(),
                groups["demand"].tolist(),
                groups["referrals"].tolist(),
                groups["shortfall"].tolist(),
                strict=True,
            )
        ],
    )
    sections.append(summary)

    limits = _Section("Binding limits")
    slots_full = table["slots_binding"].to_numpy(dtype=bool)
    headroom_full = table["headroom_binding"].to_numpy(dtype=bool)
    above = table["above_ceiling"].to_numpy(dtype=bool) & headroom_full
    at_max = table["load_binding"].to_numpy(dtype=bool)
    ids = np.array(departments, dtype=object)
    limits.bullets.append(
        f"Referral slots are all used in {_count(int(slots_full.sum()), 'department')}"
        + (f": {_ids(ids[slots_full].tolist())}." if slots_full.any() else ".")
    )
    limits.bullets.append(
        f"The composition headroom is used up in {_count(int(headroom_full.sum()), 'department')}"
        + (f": {_ids(ids[headroom_full].tolist())}" if headroom_full.any() else "")
        + (
            f"; {int(above.sum())} of them are already at or above the ceiling and take only "
            "households that do not worsen their mix."
            if above.any()
            else "."
        )
    )
    if len(protected):
        binding = protected[protected["binding"].to_numpy(dtype=bool)]
        above_areas = binding[binding["above_ceiling"].to_numpy(dtype=bool)]
        limits.bullets.append(
            f"The headroom of {_count(len(binding), 'protected area')} is used up"
            + (f": {_ids(binding['area'].tolist())}" if len(binding) else "")
            + (
                f"; {len(above_areas)} of them are already at or above their ceiling and take "
                "only households that do not worsen their mix."
                if len(above_areas)
                else "."
            )
        )
    if problem.pooled and len(plan.units):
        limits.bullets.append(_units_bullet(plan))
    fits = plan.fits
    if len(fits):
        limits.bullets.append(_fits_bullet(plan))
    if plan.max_load > 0:
        limits.bullets.append(
            f"{_count(int(at_max.sum()), 'department')} at the maximum load of "
            f"{_percent(plan.max_load)}: {_ids(ids[at_max].tolist())}."
        )
    sections.append(limits)

    shortfall = _Section("Shortfall")
    if plan.diagnoses:
        shortfall.paragraphs.append(
            "Groups that cannot be placed in full, and what stops them (every department that "
            "could take them has its slots full, its headroom used up"
            + (" or the dwellings that fit them taken" if len(fits) else "")
            + "):"
        )
        shortfall.bullets.extend(diagnosis.text() for diagnosis in plan.diagnoses)
        if problem.n_groups > 1:
            shortfall.notes.append(
                "The plan fixes the total shortfall at its minimum; which groups carry it follows "
                "from the later stages (the most even load, then the least headroom used), so "
                "groups whose households use more headroom are left short first."
            )
    else:
        shortfall.paragraphs.append("Every household is placed.")
    sections.append(shortfall)

    prices = _Section(
        "What one more slot, person of headroom or fitting dwelling is worth"
        if len(plan.fits)
        else "What one more slot or one more person of headroom is worth"
    )
    source = (
        "These shadow prices come from the LP relaxation of the integer plan (an integer "
        "program has none); they are rates for fractional changes."
        if plan.prices_from_relaxation
        else "These are the shadow prices of each stage's LP."
    )
    fitting_rates = np.where(
        (problem.department_limit > 0)[:, None], plan.prices[0].capacity_price, 0.0
    )
    kinds: list[tuple[str, str, Sequence[Hashable], str]] = [
        ("slots", "One more slot would house {} more households", departments, "department"),
        (
            "headroom",
            "One more person of headroom would house {} more households",
            departments,
            "department",
        ),
        (
            "area",
            "One more person of headroom would house {} more households",
            problem.areas,
            "area",
        ),
    ]
    if problem.pooled:
        kinds.append(
            (
                "claims",
                f"One more claim in {_pooled_claims(problem)} would house {{}} more households",
                problem.units,
                _unit_noun(problem),
            )
        )
    checked = plan.sensitivities
    gains_found = False
    if len(checked):
        prices.paragraphs.append(
            source + " A price is stated as a gain only where it is confirmed: HiGHS ranging "
            "shows that the rate holds for one whole extra unit, or stage 1 solved again with "
            "one more unit houses that many more. Elsewhere the LP is degenerate (several "
            "departments could take the same household, or a limit binds where nobody is left "
            "to place) or the price was not checked, and it is only a rate for small changes."
        )
        confirmed = checked[checked["reading"] == "confirmed"]
        for family, phrase, names, noun in kinds:
            rows = confirmed[confirmed["limit"] == family]
            column = {"area": "area", "claims": "unit"}.get(family, "department")
            values = _by_id(rows[column].tolist(), rows["gain_of_one"].tolist(), names)
            gains_found |= bool((values > 0).any())
            prices.bullets += _price_lines(values, names, 1.0, phrase, noun=noun)
        for pool_id in problem.pools:
            rows = confirmed[(confirmed["limit"] == "fits") & (confirmed["pool"] == pool_id)]
            values = _by_id(rows["department"].tolist(), rows["gain_of_one"].tolist(), departments)
            gains_found |= bool((values > 0).any())
            label = str(pool_id).replace("{", "{{").replace("}", "}}")
            prices.bullets += _price_lines(
                values,
                departments,
                1.0,
                f"One more fitting dwelling for {label} (a vacancy with rooms and rent that fit, "
                "for the municipality to claim) would house {} more households of it",
            )
        degenerate = checked[checked["reading"] == "degenerate"]
        for row in degenerate.head(DEGENERATE_SHOWN).itertuples(index=False):
            prices.bullets.append(_degenerate_text(row))
        if len(degenerate) > DEGENERATE_SHOWN:
            prices.bullets.append(
                f"(The LP is degenerate at {len(degenerate) - DEGENERATE_SHOWN:,d} more limits "
                "checked; see the sensitivities table.)"
            )
        unchecked = int((checked["reading"] == "unchecked").sum())
        if unchecked:
            prices.bullets.append(
                f"{_count(unchecked, 'more limit')} {'has' if unchecked == 1 else 'have'} a "
                "positive shadow price that was not checked: a rate for small changes, at most "
                "that many households per unit, not a promised gain (see the sensitivities "
                "table)."
            )
    else:
        prices.paragraphs.append(
            source + " They were not checked by ranging or a re-solve: each is a rate for small "
            "changes, the effect of one whole unit at most, and where the LP is degenerate "
            "(several departments could take the same household) the effect of a whole extra "
            "unit can be smaller, even nothing."
        )
        stage_one = plan.prices[0]
        rates = {
            "slots": stage_one.slot_price,
            "headroom": stage_one.composition_price,
            "area": stage_one.area_price,
            "claims": stage_one.claims_price,
        }
        for family, phrase, names, noun in kinds:
            values = rates[family] if len(names) else np.zeros(0)
            gains_found |= bool((values > 0).any())
            prices.bullets += _price_lines(
                values, names, 1.0, phrase.replace("would house", "would house up to"), noun=noun
            )
        for pool, pool_id in enumerate(problem.pools):
            gains_found |= bool((fitting_rates[:, pool] > 0).any())
            label = str(pool_id).replace("{", "{{").replace("}", "}}")
            prices.bullets += _price_lines(
                fitting_rates[:, pool],
                departments,
                1.0,
                f"One more fitting dwelling for {label} (a vacancy with rooms and rent that fit, "
                "for the municipality to claim) would house up to {} more households of it",
            )
    if not plan.diagnoses:
        prices.bullets.append(
            "Extra slots, headroom or fitting dwellings would house no one more: every household "
            "is placed."
        )
    elif not gains_found:
        prices.bullets.append(
            "No extra slot, person of headroom or fitting dwelling anywhere is confirmed to house "
            "more households: see the shortfall above for what stops each group."
        )
    slot_load = table["slot_value_max_load"].to_numpy(dtype=np.float64)
    headroom_load = table["headroom_value_max_load"].to_numpy(dtype=np.float64)
    prices.bullets += _price_lines(
        slot_load,
        departments,
        100.0,
        "With the shortfall held, one more slot would lower the maximum load by up to {} "
        "percentage points",
    )
    prices.bullets += _price_lines(
        headroom_load,
        departments,
        100.0,
        "With the shortfall held, one more person of headroom would lower the maximum load by "
        "up to {} percentage points",
    )
    load_tradeoff = next(
        (result.tradeoff for result in plan.prices if result.stage is Stage.MAX_LOAD), 0.0
    )
    if load_tradeoff > 0:
        prices.bullets.append(
            "Leaving one more household unplaced would lower the maximum load by up to "
            f"{100 * load_tradeoff:.2f} percentage points."
        )
    sections.append(prices)
    return sections


def _by_id(
    ids: Sequence[Hashable], values: Sequence[float], order: Sequence[Hashable]
) -> FloatArray:
    """Values keyed by id, as an array in ``order`` (0 elsewhere)."""
    position = {ident: i for i, ident in enumerate(order)}
    result = np.zeros(len(order))
    for ident, value in zip(ids, values, strict=True):
        result[position[ident]] = value
    return result


def _degenerate_text(row: Any) -> str:
    """One degenerate price, in words: the dual, and what the re-solve gave."""
    unit = {
        "slots": "slot",
        "headroom": "person of headroom",
        "area": "person of headroom",
        "fits": f"fitting dwelling for {row.pool}",
        "claims": "pooled claim",
    }[row.limit]
    if row.limit == "area":
        where = f"area {row.area!r}"
    elif row.limit == "claims":
        where = f"the pooled claims of unit {row.unit!r}"
    else:
        where = f"department {row.department!r}"
    return (
        f"Degenerate in {where}: the shadow price, {row.rate:.2f} households per {unit}, does "
        f"not hold for a whole {unit}; solving again with one more {unit} houses "
        f"{row.gain_of_one:.2f} more."
    )


def explain_text(plan: ExplainablePlan) -> str:
    """Render the account of a plan as plain text.

    Parameters
    ----------
    plan
        The plan.

    Returns
    -------
    str
        Paragraphs separated by blank lines; lists as ``- `` lines.
    """
    lines: list[str] = []
    for section in _sections(plan):
        lines.append(section.title.upper())
        lines.extend(section.paragraphs)
        if section.table is not None:
            header, rows = section.table
            widths = [
                max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)
            ]
            for row in [header, *rows]:
                lines.append(
                    "  "
                    + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
                )
        lines.extend(f"- {bullet}" for bullet in section.bullets)
        lines.extend(section.notes)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def explain_markdown(plan: ExplainablePlan) -> str:
    """Render the account of a plan as Markdown.

    Parameters
    ----------
    plan
        The plan.

    Returns
    -------
    str
        A ``# Referral plan`` document with one ``##`` section per topic.
    """
    lines = ["# Referral plan", ""]
    for section in _sections(plan):
        lines.extend([f"## {section.title}", ""])
        for paragraph in section.paragraphs:
            lines.extend([paragraph, ""])
        if section.table is not None:
            header, rows = section.table
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "|".join("---" for _ in header) + "|")
            lines.extend("| " + " | ".join(row) + " |" for row in rows)
            lines.append("")
        if section.bullets:
            lines.extend(f"- {bullet}" for bullet in section.bullets)
            lines.append("")
        for note in section.notes:
            lines.extend([note, ""])
    return "\n".join(lines).rstrip() + "\n"
