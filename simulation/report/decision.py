"""The one-page decision (beslutningsoplæg) that opens the report.

Which agreement to sign, by a stated rule; three or four key figures with 95 % intervals; the price
of caution; the areas at risk, each with its list and year; the main caveat; and what the number
of replications can and cannot tell apart. It is written from the stored runs alone
(:class:`simulation.report.data.ReportData`) and printed on one A4 page (the report's style sheet
puts a page break after it).

The rule (:class:`DecisionRule`): among the agreements that house at least a given share of the
referred households within 6 months, recommend the one with the fewest area-years on the udsat or
forebyggelse list; if none reaches the share, the one that houses most. "Not clearly different"
is never read as "as safe": the page says how large a difference the replications could detect.

Examples
--------
>>> DecisionRule(minimum_housed_share=0.6).minimum_housed_share
0.6
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.experiments.measures import WAIT_WINDOW_MONTHS, t_interval
from simulation.report.data import LIST_SEVERITY, ReportData, RunData
from simulation.report.format import format_difference, format_with_interval
from simulation.report.html import Cell, Markup, element, escape, join, table
from simulation.report.i18n import Language, number, percent, term

__all__ = [
    "AT_RISK_PROBABILITY",
    "AreaRisk",
    "Candidate",
    "Decision",
    "DecisionRule",
    "Estimate",
    "PriceOfCaution",
    "decide",
    "decision_section",
]

AT_RISK_PROBABILITY = 0.2
"""An area is named at risk of a list when it is on it, in at least one simulated year, in at least
this share of the replications of some agreement."""

MAX_RISK_ROWS = 6
"""The decision page names at most this many areas at risk (the likeliest)."""

POWER = 0.8
"""The power of the detectable difference in the power statement (80 %, two-sided 5 % test)."""


@dataclass(frozen=True)
class DecisionRule:
    """The stated rule by which the report recommends an agreement.

    Attributes
    ----------
    minimum_housed_share
        The least share (0–1) of the referred households an agreement must house within 6 months
        (mean over replications) to be acceptable; among the acceptable, the fewest area-years on
        the udsat or forebyggelse list wins.
    """

    minimum_housed_share: float = 0.5

    def __post_init__(self) -> None:
        share = self.minimum_housed_share
        if not (isinstance(share, int | float) and 0.0 <= share <= 1.0):
            raise ValueError(
                f"minimum housed share: got {share!r}; expected a share from 0 to 1 "
                "(a share is written 0–1: 50 % is 0.5)"
            )


@dataclass(frozen=True)
class Estimate:
    """A mean over replications with its 95 % interval (NaN bounds with one replication)."""

    mean: float
    low: float = math.nan
    high: float = math.nan

    @classmethod
    def of(cls, values: Sequence[float] | np.ndarray | pd.Series) -> Estimate:
        """The t-interval estimate of ``values`` (NaNs dropped)."""
        return cls(*t_interval(np.asarray(values, dtype=np.float64)))

    @property
    def clear(self) -> bool:
        """Whether the interval excludes 0 (for a difference: statistically certain)."""
        return bool(self.low > 0 or self.high < 0)


@dataclass(frozen=True)
class Candidate:
    """One agreement on the table, with the figures the rule reads.

    Attributes
    ----------
    label, name
        The run's label and the agreement's name.
    area_years
        Area-years on the udsat or forebyggelse list over the simulated years.
    listed_final
        Areas on the udsat or forebyggelse list on the last 1 December.
    housed_share
        Share of referred households housed within 6 months (NaN if nobody was referred).
    slowest_group, slowest_housed_share
        The referral group housed least often within 6 months, and that share.
    acceptable
        Whether it meets the rule's least housed share.
    """

    label: str
    name: str
    area_years: Estimate
    listed_final: Estimate
    housed_share: Estimate
    slowest_group: str
    slowest_housed_share: Estimate
    acceptable: bool


@dataclass(frozen=True)
class PriceOfCaution:
    """What choosing the recommended agreement over the fastest one buys and costs.

    Attributes
    ----------
    fastest
        The label of the agreement that houses most referred households within 6 months.
    area_years_avoided
        Area-years on the lists avoided over the period (fastest minus recommended).
    households_not_housed
        More referred households not housed within 6 months over the period (recommended minus
        fastest).
    per_100
        Area-years avoided per 100 more households not housed within 6 months (NaN if none).
    """

    fastest: str
    area_years_avoided: Estimate
    households_not_housed: Estimate
    per_100: float


@dataclass(frozen=True)
class AreaRisk:
    """An area that may move onto a graver list than the one it starts on.

    Attributes
    ----------
    area_name, list
        The area and the list (a key of :data:`simulation.report.data.LIST_SEVERITY`).
    start_status
        The gravest list it starts on (``""``: none).
    probability
        Per agreement label: the share of replications in which the area is on the list in at least
        one simulated year.
    first_year
        Per agreement label: the median first year on the list, over the replications where it
        happens (absent if it never does).
    """

    area_name: str
    list: str
    start_status: str
    probability: dict[str, float]
    first_year: dict[str, int]


@dataclass(frozen=True)
class Decision:
    """What the decision page says, computed from the runs.

    Attributes
    ----------
    rule
        The rule applied.
    candidates
        The agreements, in report order.
    recommended
        The label of the recommended agreement.
    meets_rule
        Whether any agreement meets the rule's least housed share (if not, the fastest is named).
    runner_up, runner_up_difference
        The acceptable agreement with the next fewest area-years, and its area-years minus the
        recommended's (paired by replication where the runs are paired); ``None`` if there is none.
    price
        The price of caution, or ``None`` when the recommended agreement is also the fastest.
    risks
        Areas at risk of a graver list under some agreement, likeliest first.
    staying
        Areas the recommended agreement starts on a list: (area name, list, share of replications
        still on that list or a graver one on the last 1 December).
    replications
        The fewest finished replications of any agreement.
    detectable_area_years, detectable_housed_share
        The smallest difference from the recommended agreement the replications detect with 80 %
        power (NaN with fewer than two replications).
    replications_for_one_area_year
        About how many replications would detect a difference of one area-year.
    synthetic
        Whether any run uses made-up data.
    """

    rule: DecisionRule
    candidates: tuple[Candidate, ...]
    recommended: str
    meets_rule: bool
    runner_up: str | None
    runner_up_difference: Estimate | None
    price: PriceOfCaution | None
    risks: tuple[AreaRisk, ...]
    staying: tuple[tuple[str, str, float], ...]
    replications: int
    detectable_area_years: float
    detectable_housed_share: float
    replications_for_one_area_year: int | None
    synthetic: bool

    def candidate(self, label: str) -> Candidate:
        """The candidate of a label."""
        return next(candidate for candidate in self.candidates if candidate.label == label)


# --------------------------------------------------------------------------------------------------
# The numbers


def _indicator(run: RunData, column: str) -> pd.Series:
    frame = run.measures.indicators
    return pd.Series(
        frame[column].astype(np.float64).to_numpy(),
        index=frame["replication"].astype(int).to_numpy(),
    )


def _not_housed_quickly(run: RunData) -> pd.Series:
    """Per replication: referred households not housed within 6 months (of those observed 6)."""
    referrals = run.referrals
    observed = referrals["arrival_month"].to_numpy() + WAIT_WINDOW_MONTHS < run.years * 12
    waits = referrals["wait_months"].to_numpy(np.float64)
    quick = (referrals["outcome"] == "housed").to_numpy() & (
        np.nan_to_num(waits, nan=np.inf) <= WAIT_WINDOW_MONTHS
    )
    late = pd.Series(observed & ~quick).groupby(referrals["replication"].to_numpy()).sum()
    replications = _indicator(run, "listed_area_years").index
    return late.reindex(replications, fill_value=0).astype(np.float64)


def _difference(first: pd.Series, second: pd.Series, paired: bool) -> tuple[Estimate, float]:
    """``first − second`` with its 95 % interval, and the standard deviation it rests on."""
    if paired:
        joined = pd.concat([first, second], axis=1, join="inner").dropna()
        difference = joined.iloc[:, 0] - joined.iloc[:, 1]
        sd = float(difference.std(ddof=1)) if len(difference) > 1 else math.nan
        return Estimate.of(difference), sd
    from scipy import stats

    a, b = first.dropna(), second.dropna()
    mean = float(a.mean() - b.mean())
    if min(len(a), len(b)) < 2:
        return Estimate(mean), math.nan
    sd = math.sqrt(float(a.var(ddof=1)) + float(b.var(ddof=1)))
    half = float(stats.t.ppf(0.975, min(len(a), len(b)) - 1)) * sd / math.sqrt(min(len(a), len(b)))
    return Estimate(mean, mean - half, mean + half), sd


def _detectable(sd: float, replications: int) -> float:
    """The smallest mean difference a paired t-test over ``replications`` detects with 80 % power."""
    if replications < 2 or math.isnan(sd):
        return math.nan
    from scipy import stats

    degrees = replications - 1
    factor = float(stats.t.ppf(0.975, degrees) + stats.t.ppf(POWER, degrees))
    return factor * sd / math.sqrt(replications)


def _replications_for(sd: float, difference: float) -> int | None:
    if math.isnan(sd) or sd == 0.0:
        return None
    from scipy import stats

    factor = float(stats.norm.ppf(0.975) + stats.norm.ppf(POWER))
    return max(2, math.ceil((factor * sd / difference) ** 2))


def _candidates(data: ReportData, rule: DecisionRule) -> list[Candidate]:
    candidates = []
    waits = data.waits
    for run in data.runs:
        housed = Estimate.of(_indicator(run, "housed_within_6_months_share"))
        groups = waits[(waits["scenario"] == run.label) & (waits["group"] != "")]
        groups = groups[groups["housed_6m_mean"].notna()]
        if groups.empty:
            slowest, slowest_share = "", Estimate(math.nan)
        else:
            row = groups.sort_values("housed_6m_mean", kind="stable").iloc[0]
            slowest = str(row["group_name"])
            slowest_share = Estimate(
                float(row["housed_6m_mean"]),
                float(row["housed_6m_low"]),
                float(row["housed_6m_high"]),
            )
        candidates.append(
            Candidate(
                label=run.label,
                name=run.name,
                area_years=Estimate.of(_indicator(run, "listed_area_years")),
                listed_final=Estimate.of(_indicator(run, "listed_final")),
                housed_share=housed,
                slowest_group=slowest,
                slowest_housed_share=slowest_share,
                acceptable=bool(
                    not math.isnan(housed.mean) and housed.mean >= rule.minimum_housed_share
                )
                or bool(math.isnan(housed.mean) and rule.minimum_housed_share == 0.0),
            )
        )
    return candidates


def _first_years(run: RunData, area: str, list_name: str) -> int | None:
    rows = run.lists[(run.lists["area"].astype(str) == area) & (run.lists["year"] > run.first_year)]
    on = rows[rows[list_name].astype(bool)]
    if on.empty:
        return None
    return int(np.median(on.groupby("replication")["year"].min().to_numpy()))


def _area_risks(data: ReportData) -> list[AreaRisk]:
    found: dict[tuple[str, str], AreaRisk] = {}
    for run in data.runs:
        risks = data.risks[run.label]
        if risks.empty:
            continue
        period = risks[risks["risk"]].drop_duplicates(["area", "list"])
        for row in period.to_dict("records"):
            key = (str(row["area"]), str(row["list"]))
            entry = found.get(key)
            if entry is None:
                entry = AreaRisk(
                    str(row["area_name"]), str(row["list"]), str(row["start_status"]), {}, {}
                )
                found[key] = entry
            entry.probability[run.label] = float(row["period_probability"])
            year = _first_years(run, key[0], key[1])
            if year is not None:
                entry.first_year[run.label] = year
    at_risk = [
        risk for risk in found.values() if max(risk.probability.values()) >= AT_RISK_PROBABILITY
    ]
    # one row per area: its gravest list at risk
    gravest: dict[str, AreaRisk] = {}
    for risk in at_risk:
        held = gravest.get(risk.area_name)
        if held is None or LIST_SEVERITY[risk.list] > LIST_SEVERITY[held.list]:
            gravest[risk.area_name] = risk
    return sorted(
        gravest.values(), key=lambda risk: (-max(risk.probability.values()), risk.area_name)
    )


def _staying(run: RunData) -> list[tuple[str, str, float]]:
    risks = run.lists
    first = risks[risks["year"] == run.first_year]
    first = first[first["replication"] == first["replication"].min()]
    final = risks[risks["year"] == run.last_year]
    staying = []
    for row in first.itertuples(index=False):
        on = [name for name in LIST_SEVERITY if bool(getattr(row, name))]
        if not on:
            continue
        status = max(on, key=LIST_SEVERITY.__getitem__)
        graver = [name for name in LIST_SEVERITY if LIST_SEVERITY[name] >= LIST_SEVERITY[status]]
        mine = final[final["area"] == row.area]
        still = mine[graver].any(axis=1).mean() if not mine.empty else math.nan
        staying.append((str(row.area_name), status, float(still)))
    return staying


def decide(data: ReportData, rule: DecisionRule | None = None) -> Decision:
    """Apply the rule to the runs and gather what the decision page says.

    Parameters
    ----------
    data
        The runs of the report.
    rule
        The decision rule (default: :class:`DecisionRule` ()).
    """
    rule = rule or DecisionRule()
    candidates = _candidates(data, rule)
    acceptable = [candidate for candidate in candidates if candidate.acceptable]
    meets_rule = bool(acceptable)

    def housed_key(candidate: Candidate) -> tuple[float, float]:
        share = candidate.housed_share.mean
        return (-1.0 if math.isnan(share) else share, -candidate.area_years.mean)

    fastest = max(candidates, key=housed_key)
    if acceptable:
        ordered = sorted(
            acceptable,
            key=lambda candidate: (candidate.area_years.mean, -housed_key(candidate)[0]),
        )
        recommended = ordered[0]
        runner_up = ordered[1] if len(ordered) > 1 else None
    else:
        recommended, runner_up = fastest, None
    runs = {run.label: run for run in data.runs}
    chosen_run = runs[recommended.label]
    paired = data.paired
    runner_up_difference = None
    if runner_up is not None:
        runner_up_difference, _ = _difference(
            _indicator(runs[runner_up.label], "listed_area_years"),
            _indicator(chosen_run, "listed_area_years"),
            paired,
        )
    price = None
    if fastest.label != recommended.label:
        fastest_run = runs[fastest.label]
        avoided, _ = _difference(
            _indicator(fastest_run, "listed_area_years"),
            _indicator(chosen_run, "listed_area_years"),
            paired,
        )
        late, _ = _difference(
            _not_housed_quickly(chosen_run), _not_housed_quickly(fastest_run), paired
        )
        per_100 = 100.0 * avoided.mean / late.mean if late.mean > 0 else math.nan
        price = PriceOfCaution(fastest.label, avoided, late, per_100)
    area_sds, share_sds = [], []
    for run in data.runs:
        if run.label == recommended.label:
            continue
        _, sd = _difference(
            _indicator(run, "listed_area_years"),
            _indicator(chosen_run, "listed_area_years"),
            paired,
        )
        area_sds.append(sd)
        _, sd = _difference(
            _indicator(run, "housed_within_6_months_share"),
            _indicator(chosen_run, "housed_within_6_months_share"),
            paired,
        )
        share_sds.append(sd)
    if not area_sds:  # one agreement: the spread of its own replications
        area_sds = [float(_indicator(chosen_run, "listed_area_years").std(ddof=1))]
        share_sds = [float(_indicator(chosen_run, "housed_within_6_months_share").std(ddof=1))]
    replications = min(run.replications for run in data.runs)
    area_sd = float(np.nanmedian(area_sds)) if not all(map(math.isnan, area_sds)) else math.nan
    share_sd = float(np.nanmedian(share_sds)) if not all(map(math.isnan, share_sds)) else math.nan
    return Decision(
        rule=rule,
        candidates=tuple(candidates),
        recommended=recommended.label,
        meets_rule=meets_rule,
        runner_up=runner_up.label if runner_up is not None else None,
        runner_up_difference=runner_up_difference,
        price=price,
        risks=tuple(_area_risks(data)[:MAX_RISK_ROWS]),
        staying=tuple(_staying(chosen_run)),
        replications=replications,
        detectable_area_years=_detectable(area_sd, replications),
        detectable_housed_share=_detectable(share_sd, replications),
        replications_for_one_area_year=_replications_for(area_sd, 1.0),
        synthetic=any(run.synthetic for run in data.runs),
    )


# --------------------------------------------------------------------------------------------------
# The page


def _estimate_cell(estimate: Estimate, kind: str, language: Language, *, chosen: bool) -> Cell:
    text = format_with_interval(estimate.mean, estimate.low, estimate.high, kind, language)
    value, _, interval = text.partition(" [")
    interval = f"[{interval}" if interval else ""
    content = Markup(
        f"{escape(value)}<br /><small>{escape(interval)}</small>" if interval else escape(value)
    )
    return Cell(content, numeric=True, css_class="chosen" if chosen else None)


def _list_name(name: str, language: Language) -> str:
    return term(name, language) if name else term("no_list", language)


def _key_figures(decision: Decision, slowest: dict[str, Estimate], language: Language) -> Markup:
    """The key figures: one column per agreement, the recommended one starred."""
    chosen = decision.recommended
    header: list[object] = [term("decision_figure", language)]
    for candidate in decision.candidates:
        title = candidate.name
        if candidate.label == chosen:
            title = f"★ {title}"
        header.append(
            Cell(title, numeric=True, css_class="chosen" if candidate.label == chosen else None)
        )
    rows: list[list[object]] = []

    def row(label: str, values: list[Cell]) -> None:
        rows.append([label, *values])

    candidates = decision.candidates
    row(
        term("decision_area_years", language),
        [
            _estimate_cell(c.area_years, "count", language, chosen=c.label == chosen)
            for c in candidates
        ],
    )
    row(
        term("decision_listed_final", language),
        [
            _estimate_cell(c.listed_final, "count", language, chosen=c.label == chosen)
            for c in candidates
        ],
    )
    row(
        term("decision_housed", language),
        [
            _estimate_cell(c.housed_share, "share", language, chosen=c.label == chosen)
            for c in candidates
        ],
    )
    group = decision.candidate(chosen).slowest_group
    if group:
        row(
            term("decision_slowest", language).format(group=group),
            [
                _estimate_cell(slowest[c.label], "share", language, chosen=c.label == chosen)
                for c in candidates
            ],
        )
    row(
        term("decision_meets_rule", language),
        [
            Cell(
                term("yes" if c.acceptable else "no", language),
                numeric=True,
                css_class="chosen" if c.label == chosen else None,
            )
            for c in candidates
        ],
    )
    return table(
        header,
        rows,
        caption=term("decision_figures_caption", language).format(
            replications=decision.replications
        ),
        css_class="decision",
    )


def _slowest_cells(data: ReportData, decision: Decision) -> dict[str, Estimate]:
    """The slowest group of the recommended agreement, under every agreement."""
    group = decision.candidate(decision.recommended).slowest_group
    waits = data.waits
    found = {}
    for candidate in decision.candidates:
        rows = waits[(waits["scenario"] == candidate.label) & (waits["group_name"] == group)]
        if rows.empty:
            found[candidate.label] = Estimate(math.nan)
        else:
            row = rows.iloc[0]
            found[candidate.label] = Estimate(
                float(row["housed_6m_mean"]),
                float(row["housed_6m_low"]),
                float(row["housed_6m_high"]),
            )
    return found


def _risk_table(decision: Decision, language: Language) -> Markup:
    header: list[object] = [term("area", language), term("decision_risk_list", language)]
    for candidate in decision.candidates:
        header.append(
            Cell(
                candidate.name,
                numeric=True,
                css_class="chosen" if candidate.label == decision.recommended else None,
            )
        )
    rows = []
    for risk in decision.risks:
        cells: list[object] = [
            f"{risk.area_name} ({term('decision_starts', language)}: "
            f"{_list_name(risk.start_status, language).lower()})",
            term(risk.list, language),
        ]
        for candidate in decision.candidates:
            probability = risk.probability.get(candidate.label, 0.0)
            year = risk.first_year.get(candidate.label)
            text = escape(percent(probability, 0, language))
            if year is not None and probability > 0:
                when = term("decision_from_year", language).format(year=year)
                text = Markup(f"{text}<br /><small>{escape(when)}</small>")
            style = None
            if probability > 0:
                style = f"background: rgba(200, 70, 40, {0.1 + 0.5 * probability:.2f})"
            cells.append(
                Cell(
                    text,
                    numeric=True,
                    style=style,
                    css_class="chosen" if candidate.label == decision.recommended else None,
                )
            )
        rows.append(cells)
    return table(
        header,
        rows,
        caption=term("decision_risk_caption", language).format(
            threshold=percent(AT_RISK_PROBABILITY, 0, language)
        ),
        css_class="decision",
    )


def decision_section(
    data: ReportData, language: Language, rule: DecisionRule | None = None
) -> Markup:
    """The decision page's body: recommendation, key figures, price, risks, caveat, power."""
    decision = decide(data, rule)
    chosen = decision.candidate(decision.recommended)
    share = percent(decision.rule.minimum_housed_share, 0, language)
    parts: list[object] = []
    if decision.meets_rule:
        lead = term("decision_recommend", language).format(
            name=chosen.name,
            area_years=format_with_interval(
                chosen.area_years.mean,
                chosen.area_years.low,
                chosen.area_years.high,
                "count",
                language,
            ),
            housed=percent(chosen.housed_share.mean, 0, language),
            share=share,
        )
    else:
        lead = term("decision_none_meets", language).format(share=share, name=chosen.name)
    parts.append(Markup(f'<p class="recommendation">{escape(lead)}</p>'))
    parts.append(
        element(
            "p",
            term("decision_rule", language).format(share=share, months=WAIT_WINDOW_MONTHS),
            class_="rule",
        )
    )
    if decision.runner_up is not None and decision.runner_up_difference is not None:
        runner = decision.candidate(decision.runner_up)
        difference = decision.runner_up_difference
        text = format_difference(
            difference.mean, difference.low, difference.high, "count", language
        )
        key = "decision_runner_up_clear" if difference.clear else "decision_runner_up_unclear"
        parts.append(element("p", term(key, language).format(name=runner.name, difference=text)))
    slowest = _slowest_cells(data, decision)
    parts.append(_key_figures(decision, slowest, language))
    group_share = slowest[chosen.label]
    if chosen.slowest_group and group_share.mean < decision.rule.minimum_housed_share:
        parts.append(
            element(
                "p",
                term("decision_slowest_warning", language).format(
                    group=chosen.slowest_group,
                    share=percent(group_share.mean, 0, language),
                    name=chosen.name,
                ),
                class_="caveat",
            )
        )
    if decision.price is not None:
        price = decision.price
        fastest = decision.candidate(price.fastest)
        avoided = price.area_years_avoided
        late = price.households_not_housed
        parts.append(
            element(
                "p",
                term("decision_price", language).format(
                    name=chosen.name,
                    fastest=fastest.name,
                    avoided=format_with_interval(
                        avoided.mean, avoided.low, avoided.high, "count", language
                    ),
                    late=format_with_interval(late.mean, late.low, late.high, "lettings", language),
                    per_100=number(price.per_100, 1, language)
                    if not math.isnan(price.per_100)
                    else "–",
                ),
                class_="price",
            )
        )
    else:
        parts.append(element("p", term("decision_no_price", language).format(name=chosen.name)))
    if decision.risks:
        parts.append(_risk_table(decision, language))
    else:
        parts.append(
            element(
                "p",
                term("decision_no_risks", language).format(
                    threshold=percent(AT_RISK_PROBABILITY, 0, language)
                ),
            )
        )
    if decision.staying:
        last_year = next(run.last_year for run in data.runs if run.label == chosen.label)
        shown = "; ".join(
            f"{area} ({term(status, language).lower()}): {percent(still, 0, language)}"
            for area, status, still in decision.staying
        )
        parts.append(
            element(
                "p",
                term("decision_staying", language).format(
                    name=chosen.name, year=last_year, areas=shown
                ),
            )
        )
    caveats = [term("decision_caveat", language)]
    if decision.synthetic:
        caveats.insert(0, term("decision_synthetic", language))
    parts.append(
        element(
            "p", f"{term('decision_caveat_label', language)}: {' '.join(caveats)}", class_="caveat"
        )
    )
    parts.append(element("p", _power_text(decision, language), class_="power"))
    return join(parts)


def _power_text(decision: Decision, language: Language) -> str:
    if decision.replications < 2 or math.isnan(decision.detectable_area_years):
        return term("decision_power_none", language).format(replications=decision.replications)
    text = term("decision_power", language).format(
        replications=decision.replications,
        area_years=number(decision.detectable_area_years, 1, language),
        points=number(100 * decision.detectable_housed_share, 0, language)
        if not math.isnan(decision.detectable_housed_share)
        else "–",
    )
    needed = decision.replications_for_one_area_year
    if needed is not None and needed > decision.replications:
        text += " " + term("decision_power_more", language).format(replications=needed)
    return text
