"""The report's first three sections: the agreement in words, the headline and the evidence.

Each ``*_section`` function returns the HTML of one section's body from the loaded runs
(:class:`simulation.report.data.ReportData`) in Danish or English.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from simulation.experiments.measures import INDICATORS
from simulation.report.data import (
    LIST_SEVERITY,
    REPLICATIONS_FOR_YEARLY,
    ReportData,
    RunData,
    select_years,
    start_status,
)
from simulation.report.figures import evidence_figures
from simulation.report.format import (
    CRITERION_TERMS,
    MAX_ROWS,
    finite,
    format_difference,
    format_interval,
    format_with_interval,
    indicator_kind,
    note,
    owner_content,
    records_by,
    subsection,
    truncated_note,
    wrap,
)
from simulation.report.html import (
    Cell,
    Markup,
    element,
    escape,
    figure_html,
    join,
    table,
)
from simulation.report.i18n import Language, number, percent, signed, term
from simulation.report.plots import CRITERIA, LIST_LABELS
from simulation.report.profile import data_years_note
from simulation.report.schema import (
    differences,
    format_value,
    parameter_label,
    parameters,
)

__all__ = [
    "agreement_section",
    "details_section",
    "evidence_section",
    "headline_section",
    "summary_sentences",
]

SHORT_VALUE = 40
"""Differing values up to this many characters are written on one line, separated by slashes."""

RISK_YEARS = 6
"""Years shown in a risk table (the start and the final year included)."""

LIST_ORDER = {name: index for index, name in enumerate(LIST_LABELS)}
"""The lists in the order of the law (udsat, parallelsamfund, omdannelses-, forebyggelsesområde)."""


# --------------------------------------------------------------------------------------------------
# 1. The agreement in words


def agreement_section(data: ReportData, language: Language) -> Markup:
    """Section 1: the scenarios, and what differs between them in plain words."""
    entries = []
    for index, run in enumerate(data.runs):
        heading = run.name
        if index == 0 and len(data.runs) > 1:
            heading += f" ({term('reference_marker', language)})"
        details = []
        description = str(run.content.get("description", "")).strip()
        if description:
            details.append(f"{term('description', language)}: {description}")
        details.append(
            f"{term('scenario_file', language)}: {run.scenario.get('file', '–')}"
            + (f" ({term('synthetic_yes', language)})" if run.synthetic else "")
        )
        details.append(
            data_years_note(run.first_year, run.list_lag_years, run.tier_lag_years, language)
        )
        entries.append(
            str(element("dt", heading)) + "".join(str(element("dd", d)) for d in details)
        )
    parts: list[object] = [
        subsection(
            "agreement-scenarios",
            term("scenarios_title", language),
            Markup(f'<dl class="scenarios">{"".join(entries)}</dl>'),
        )
    ]
    if len(data.runs) > 1:
        contents = [run.content for run in data.runs]
        found = [
            (parameter, values)
            for parameter, values in differences(contents)
            if parameter.section != "danish"  # the Danish names show as the names themselves
        ]
        if found:
            items = []
            for parameter, values in found:
                label = parameter_label(parameter, language, owner_content(parameter, contents))
                shown = [
                    format_value(value, parameter.unit, language, schema_path=parameter.schema_path)
                    for value in values
                ]
                if max(len(text) for text in shown) <= SHORT_VALUE:
                    items.append(
                        f"<li><strong>{escape(label)}</strong>: {escape(' / '.join(shown))}</li>"
                    )
                else:
                    inner = "".join(
                        f"<li>{escape(run.label)}: {escape(text)}</li>"
                        for run, text in zip(data.runs, shown, strict=True)
                    )
                    items.append(f"<li><strong>{escape(label)}</strong>:<ul>{inner}</ul></li>")
            order = term("in_order", language).format(labels=" / ".join(data.labels))
            body: list[object] = [
                element("p", f"{term('values_per_scenario', language)} ({order}):"),
                Markup(f"<ul>{''.join(items)}</ul>"),
                element("p", term("everything_else_same", language)),
            ]
        else:
            body = [element("p", term("nothing_differs", language))]
        parts.append(
            subsection("agreement-differences", term("differences_title", language), *body)
        )
    else:
        run = data.runs[0]
        items = []
        for parameter, value in parameters(run.content, expand_lists=False):
            if parameter.section != "agreement":
                continue
            label = parameter_label(parameter, language, run.content)
            text = format_value(value, parameter.unit, language, schema_path=parameter.schema_path)
            items.append(f"<li><strong>{escape(label)}</strong>: {escape(text)}</li>")
        parts.append(
            subsection(
                "agreement-settings",
                term("settings_title", language),
                element("p", term("one_scenario", language)),
                Markup(f"<ul>{''.join(items)}</ul>"),
            )
        )
    return join(parts)


# --------------------------------------------------------------------------------------------------
# 2. The headline


def headline_section(data: ReportData, language: Language, *, complete: bool = False) -> Markup:
    """Section 2: the summary, list risks by year, waits, load per organisation.

    In the report the waits show all groups together and the load the largest organisations,
    each group and organisation being in the appendix; ``complete`` shows them all here (a page
    without an appendix: the dashboard).
    """
    if complete:
        waits: list[object] = [wrap(_waits_table(data, language, every_group=True))]
        load = _load_table(data, language)
    else:
        waits = [
            wrap(_waits_table(data, language, every_group=False)),
            note(term("waits_groups_in_appendix", language)),
        ]
        load = [
            note(term("load_in_appendix", language)),
            *_load_table(data, language, top=LOAD_ROWS_SHOWN),
        ]
    parts: list[object] = [
        subsection(
            "headline-summary",
            term("summary_title", language),
            element("p", " ".join(summary_sentences(data, language)), class_="lead"),
        ),
        subsection("headline-risk", term("risk_title", language), *_risk_tables(data, language)),
        subsection("headline-waits", term("waits_title", language), *waits),
        subsection("headline-load", term("load_title", language), *load),
    ]
    return join(parts)


def _name(data: ReportData, label: str) -> str:
    """The scenario's name (what people read) for its label (a folder name)."""
    return next((run.name for run in data.runs if run.label == label), label)


def _means(data: ReportData) -> dict[str, dict[str, float]]:
    table = data.indicators
    return {
        str(label): dict(zip(rows["indicator"], rows["mean"].astype(float), strict=True))
        for label, rows in table.groupby("scenario", sort=False)
    }


def _listed_probability(run: RunData, year: int) -> pd.Series:
    """Per area name: the share of replications in which it is on the udsat or forebyggelse list."""
    rows = run.lists[run.lists["year"] == year]
    listed = (rows["udsat"] | rows["forebyggelsesomraade"]).astype(np.float64)
    return listed.groupby(rows["area_name"].astype(str), sort=False).mean()


def summary_sentences(data: ReportData, language: Language) -> list[str]:
    """The summary paragraph, sentence by sentence, written from the numbers.

    Which scenario houses referral households fastest (share housed within 6 months, then the
    90th percentile of waits), which keeps most areas off the lists (area-years on a list, then
    listed areas at the end), the paired differences against the first scenario with their 95 %
    intervals, the highest risk of a list and the heaviest referral load.
    """
    means = _means(data)
    labels = list(data.labels)
    referred = any(not math.isnan(means[label]["housed_within_6_months_share"]) for label in labels)
    sentences = []
    if len(labels) == 1 and not referred:
        label = labels[0]
        sentences.append(
            term("rec_single_no_referrals", language).format(
                label=_name(data, label),
                area_years=number(means[label]["listed_area_years"], 1, language),
            )
        )
    elif len(labels) == 1:
        label = labels[0]
        sentences.append(
            term("rec_single", language).format(
                label=_name(data, label),
                share=percent(means[label]["housed_within_6_months_share"], 1, language),
                p90=number(means[label]["wait_p90_months"], 1, language),
                area_years=number(means[label]["listed_area_years"], 1, language),
            )
        )
    else:
        fastest = max(
            labels,
            key=lambda x: (
                finite(means[x]["housed_within_6_months_share"], -1.0),
                -finite(means[x]["wait_p90_months"], math.inf),
            ),
        )
        fewest = min(
            labels,
            key=lambda x: (
                finite(means[x]["listed_area_years"], math.inf),
                finite(means[x]["listed_final"], math.inf),
            ),
        )
        if referred:
            sentences.append(
                term("rec_fastest", language).format(
                    label=_name(data, fastest),
                    share=percent(means[fastest]["housed_within_6_months_share"], 1, language),
                    p90=number(means[fastest]["wait_p90_months"], 1, language),
                )
            )
        else:
            sentences.append(term("rec_no_referrals", language))
        last_year = data.runs[labels.index(fewest)].last_year
        sentences.append(
            term("rec_fewest_lists", language).format(
                label=_name(data, fewest),
                area_years=number(means[fewest]["listed_area_years"], 1, language),
                final=number(means[fewest]["listed_final"], 1, language),
                year=last_year,
            )
        )
        if referred:
            sentences.append(
                term("rec_same_best" if fastest == fewest else "rec_tradeoff", language).format(
                    label=_name(data, fastest)
                )
            )
        if data.paired:
            sentences.extend(_paired_sentences(data, language))
        else:
            sentences.append(term("rec_unpaired", language))
    sentences.extend(_risk_sentences(data, language))
    loads = [
        row
        for row in records_by(data.loads, ["scenario", "organisation"]).values()
        if not math.isnan(float(row["per_100_mean"]))
    ]
    top = max(loads, key=lambda row: float(row["per_100_mean"]), default=None)
    if top is not None and float(top["per_100_mean"]) > 0:
        sentences.append(
            term("rec_load", language).format(
                organisation=top["organisation"],
                value=number(float(top["per_100_mean"]), 2, language),
                label=_name(data, str(top["scenario"])),
            )
        )
    return sentences


def _paired_sentences(data: ReportData, language: Language) -> list[str]:
    sentences = []
    table = data.differences
    for label in data.labels[1:]:
        rows = records_by(table[table["scenario"] == label], ["indicator"])
        housed = rows[("housed_within_6_months_share",)]
        lists = rows[("listed_area_years",)]
        values = {
            "reference": _name(data, data.reference),
            "label": _name(data, label),
            "pairs": int(lists["pairs"]),
            "lists": signed(float(lists["difference_mean"]), 1, language),
            "lists_interval": format_interval(
                float(lists["difference_low_95"]),
                float(lists["difference_high_95"]),
                "count",
                language,
                sign=True,
            )
            or "–",
        }
        if math.isnan(float(housed["difference_mean"])):  # nobody referred in one of them
            sentences.append(term("rec_paired_lists", language).format(**values))
            clear = [bool(lists["clear"])]
            measures = ["measure_lists"]
        else:
            values["housed"] = _points(float(housed["difference_mean"]), language)
            values["housed_interval"] = (
                format_interval(
                    float(housed["difference_low_95"]),
                    float(housed["difference_high_95"]),
                    "share",
                    language,
                    sign=True,
                )
                or "–"
            )
            sentences.append(term("rec_paired", language).format(**values))
            clear = [bool(housed["clear"]), bool(lists["clear"])]
            measures = ["measure_housed", "measure_lists"]
        if math.isnan(float(lists["difference_low_95"])):
            continue  # a single pair: no interval, nothing to say about clarity
        if all(clear):
            sentences.append(term("rec_clear" if len(clear) > 1 else "rec_lists_clear", language))
        elif any(clear):
            measure = term(measures[clear.index(True)], language)
            sentences.append(term("rec_one_clear", language).format(measure=measure))
        else:
            sentences.append(term("rec_none_clear", language))
    return sentences


def _points(share_difference: float, language: Language) -> str:
    return f"{signed(100 * share_difference, 1, language)} {term('percentage_points', language)}"


def _risk_sentences(data: ReportData, language: Language) -> list[str]:
    best: tuple[float, str, str, int, str] | None = None
    for run in data.runs:
        risks = data.risks[run.label]
        final = risks[(risks["year"] == run.last_year) & risks["risk"]]
        if final.empty:
            continue
        top = max(records_by(final, ["area", "list"]).values(), key=lambda row: row["probability"])
        candidate = (
            float(top["probability"]),
            str(top["area_name"]),
            str(top["list"]),
            run.last_year,
            run.label,
        )
        if best is None or candidate[0] > best[0]:
            best = candidate
    if best is None or best[0] <= 0:
        return [term("rec_no_risk", language)]
    sentences = [
        term("rec_risk", language).format(
            area=best[1],
            list=term(best[2], language),
            probability=percent(best[0], 0, language),
            year=best[3],
            label=_name(data, best[4]),
        )
    ]
    at_risk: dict[str, list[str]] = {}
    for run in data.runs:
        probability = _listed_probability(run, run.last_year)
        names = run.lists.drop_duplicates("area").set_index("area")["area_name"].astype(str)
        status = start_status(run)
        listed_at_start = {names.get(area, area) for area in status.index[status != ""]}
        for area, value in probability.items():
            if value >= 0.5 and str(area) not in listed_at_start:
                at_risk.setdefault(str(area), []).append(run.label)
    if at_risk:
        shown = ", ".join(f"{area} ({', '.join(labels)})" for area, labels in at_risk.items())
        sentences.append(
            term("rec_at_risk", language).format(year=data.runs[0].last_year, areas=shown)
        )
    return sentences


def _risk_tables(data: ReportData, language: Language) -> list[object]:
    parts: list[object] = [note(term("risk_intro", language))]
    few = min(run.replications for run in data.runs)
    if few < REPLICATIONS_FOR_YEARLY:
        parts.append(
            element(
                "p",
                term("risk_few_replications", language).format(
                    replications=few,
                    step=percent(1 / max(few, 1), 0, language),
                    needed=REPLICATIONS_FOR_YEARLY,
                ),
                class_="banner",
            )
        )
    for run in data.runs:
        risks = data.risks[run.label]
        if risks.empty:
            parts.append(element("p", term("risk_none", language).format(label=run.name)))
            continue
        years = select_years(run.first_year, run.last_year, RISK_YEARS)
        pivot = risks.pivot_table(
            index=["area", "area_name", "list"], columns="year", values="probability"
        ).reindex(columns=years)
        final = pivot[run.last_year]
        facts = records_by(risks.drop_duplicates(["area", "list"]), ["area", "area_name", "list"])
        order = sorted(
            pivot.index,
            key=lambda key: (
                not bool(facts[key]["risk"]),
                -LIST_SEVERITY[key[2]],
                -finite(float(facts[key]["period_probability"]), 0.0),
                -finite(float(final.loc[key]), 0.0),
                key[1],
            ),
        )
        header: list[object] = [
            term("area", language),
            term("risk_start_status", language),
            term("list", language),
        ]
        for year in years:
            if year == run.first_year:
                header.append(Cell(term("year_start", language).format(year=year), numeric=True))
            elif year == run.last_year:
                header.append(
                    Cell(
                        term("year_final", language).format(year=year),
                        numeric=True,
                        css_class="final",
                    )
                )
            else:
                header.append(Cell(str(year), numeric=True))
        header.append(
            Cell(
                term("risk_period", language).format(first=run.first_year + 1, last=run.last_year),
                numeric=True,
            )
        )
        rows = []
        for key in order:
            risk = bool(facts[key]["risk"])
            status = str(facts[key]["start_status"])
            cells: list[object] = [
                key[1],
                term(status, language) if status else term("no_list", language),
                term(key[2], language)
                + ("" if risk else f" ({term('risk_not_graver', language)})"),
            ]
            for year in years:
                probability = float(pivot.loc[key, year])
                cells.append(
                    _probability_cell(probability, language, final=year == run.last_year, risk=risk)
                )
            cells.append(
                _probability_cell(
                    float(facts[key]["period_probability"]), language, final=False, risk=risk
                )
            )
            rows.append(cells)
        parts.append(
            wrap(
                table(
                    header,
                    rows,
                    caption=term("risk_caption", language).format(label=run.name),
                    numeric=[False, False, False, *[True] * (len(years) + 1)],
                    css_class="risk",
                )
            )
        )
    return parts


def _probability_cell(
    probability: float, language: Language, *, final: bool, risk: bool = True
) -> Cell:
    """A probability, shaded red when it is a risk (a graver list), grey when it is not."""
    if math.isnan(probability):
        return Cell("–", numeric=True, css_class="final" if final else None)
    style = None
    if probability > 0:
        alpha = 0.12 + 0.55 * probability
        colour = "200, 70, 40" if risk else "120, 130, 145"
        style = f"background: rgba({colour}, {alpha if risk else alpha / 2:.2f})"
    return Cell(
        percent(probability, 0, language),
        numeric=True,
        style=style,
        css_class="final" if final else None,
    )


def _waits_table(data: ReportData, language: Language, *, every_group: bool = True) -> Markup:
    """Waits per referral group and scenario; only all groups together unless ``every_group``.

    The report shows all groups together (one row per agreement) and leaves the rows per group,
    groups × agreements long, to the appendix: the report itself prints short.
    """
    waits = data.waits
    header = [
        term("group", language),
        term("scenario", language),
        term("housed_per_year", language),
        term("wait_median", language),
        term("wait_p90", language),
        term("indicator:housed_within_6_months_share", language),
        term("waiting_at_end", language),
        term("never_housed", language),
        term("evicted", language),
    ]
    groups = list(dict.fromkeys(waits["group"]))
    groups = [g for g in groups if g != ""] + [""] if every_group else [""]
    rows = []
    for group in groups:
        for _, row in waits[waits["group"] == group].iterrows():
            name = term("all_groups", language) if group == "" else str(row["group_name"])
            rows.append(
                [
                    Cell(name, css_class="final" if group == "" else None),
                    _name(data, str(row["scenario"])),
                    format_with_interval(
                        row["housed_per_year_mean"],
                        row["housed_per_year_low"],
                        row["housed_per_year_high"],
                        "count",
                        language,
                    ),
                    format_with_interval(
                        row["median_mean"],
                        row["median_low"],
                        row["median_high"],
                        "months",
                        language,
                    ),
                    format_with_interval(
                        row["p90_mean"], row["p90_low"], row["p90_high"], "months", language
                    ),
                    format_with_interval(
                        row["housed_6m_mean"],
                        row["housed_6m_low"],
                        row["housed_6m_high"],
                        "share",
                        language,
                    ),
                    format_with_interval(
                        row["waiting_end_mean"],
                        row["waiting_end_low"],
                        row["waiting_end_high"],
                        "count",
                        language,
                    ),
                    *(
                        format_with_interval(
                            row[f"{name}_mean"],
                            row[f"{name}_low"],
                            row[f"{name}_high"],
                            "count",
                            language,
                        )
                        for name in ("never_housed", "evicted")
                    ),
                ]
            )
    return table(
        header,
        rows,
        caption=term("waits_caption", language),
        numeric=[False, False, True, True, True, True, True, True, True],
        css_class="wide",
    )


def _top_organisations(data: ReportData) -> list[str]:
    dwellings = data.loads.groupby("organisation", sort=False)["dwellings"].max()
    return list(dwellings.sort_values(ascending=False, kind="stable").index[:MAX_ROWS])


LOAD_ROWS_SHOWN = 3
"""Housing organisations in the headline's load table (the largest); all of them in the appendix."""


def _load_table(data: ReportData, language: Language, *, top: int | None = None) -> list[object]:
    """Referral load per housing organisation and scenario: the ``top`` largest (or all shown)."""
    loads = data.loads
    organisations = _top_organisations(data)[:top]
    header = [
        term("organisation", language),
        term("dwellings", language),
        term("scenario", language),
        term("referrals_per_year", language),
        term("referrals_per_100", language),
    ]
    rows = []
    for organisation in sorted(organisations):
        mine = records_by(loads[loads["organisation"] == organisation], ["scenario"])
        for label in data.labels:
            if (label,) not in mine:
                continue
            row = mine[(label,)]
            rows.append(
                [
                    organisation,
                    number(float(row["dwellings"]), 0, language),
                    _name(data, label),
                    format_with_interval(
                        row["per_year_mean"],
                        row["per_year_low"],
                        row["per_year_high"],
                        "count",
                        language,
                    ),
                    format_with_interval(
                        row["per_100_mean"],
                        row["per_100_low"],
                        row["per_100_high"],
                        "ratio",
                        language,
                    ),
                ]
            )
    parts: list[object] = [
        wrap(
            table(
                header,
                rows,
                caption=term("load_caption", language),
                numeric=[False, True, False, True, True],
            )
        )
    ]
    total = loads["organisation"].nunique()
    if total > len(organisations):
        parts.append(truncated_note(len(organisations), total, "order_largest", language))
    return parts


# --------------------------------------------------------------------------------------------------
# 3. The evidence


def evidence_section(data: ReportData, language: Language) -> Markup:
    """Section 3: figures and tables with 95 % intervals; paired differences if paired."""
    notes: list[object] = []
    if len(data.runs) > 1:
        notes.append(note(term("paired_note" if data.paired else "unpaired_note", language)))
    if min(run.replications for run in data.runs) < 2:
        notes.append(note(term("few_replications_note", language)))
    figures = {figure.id: figure for figure in evidence_figures(data, language)}

    def embed(key: str) -> Markup:
        item = figures[key]
        return figure_html(item.figure, item.title, item.caption, id_=item.id)

    criteria = [key for key in figures if key.startswith("figure-criteria-")]
    parts: list[object] = [
        *notes,
        subsection("evidence-lists", term("lists_band_title", language), embed("figure-lists")),
        subsection(
            "evidence-criteria",
            term("criteria_fans_title", language),
            note(term("criteria_fans_intro", language)),
            *[embed(key) for key in criteria],
        ),
        subsection("evidence-waits", term("waits_figure_title", language), embed("figure-waits")),
        subsection("evidence-load", term("load_figure_title", language), embed("figure-load")),
        subsection(
            "evidence-indicators",
            term("indicators_title", language),
            wrap(_indicator_table(data, language)),
        ),
    ]
    return join(parts)


def details_section(data: ReportData, language: Language) -> Markup:
    """Appendix: the final criteria per area and scenario, and the paired headroom differences.

    Long tables (areas × agreements) that back the fan charts; they follow the assumptions so that
    the report itself stays short in print.
    """
    parts: list[object] = [
        subsection(
            "evidence-criteria-final",
            term("criteria_final_title", language),
            *_criteria_table(data, language),
        ),
    ]
    parts.append(
        subsection("details-load", term("load_title", language), *_load_table(data, language))
    )
    parts.append(
        subsection(
            "details-waits",
            term("waits_by_group_title", language),
            wrap(_waits_table(data, language)),
        )
    )
    adherence = _adherence_table(data, language)
    if adherence is not None:
        parts.append(
            subsection(
                "evidence-adherence",
                term("adherence_title", language),
                note(term("adherence_intro", language)),
                wrap(adherence),
            )
        )
    if data.paired:
        parts.append(
            subsection(
                "evidence-headroom",
                term("headroom_title", language),
                *_headroom_tables(data, language),
            )
        )
    return join(parts)


ADHERENCE_REASONS = (
    "fewer_claims",
    "no_fitting_household",
    "nobody_waiting",
    "barred",
    "not_in_plan",
    "claims_used_by_other_groups",
)
"""Why planned referrals were not made, in the order the report shows them."""


def _adherence_table(data: ReportData, language: Language) -> Markup | None:
    """Planned against realised referrals per scenario with a plan, and why the rest were not."""
    header: list[object] = [
        term("scenario", language),
        term("adherence_planned", language),
        term("adherence_realised", language),
        term("adherence_range", language),
        *[term(f"adherence_reason:{reason}", language) for reason in ADHERENCE_REASONS],
    ]
    rows = []
    for run in data.runs:
        frame = run.adherence
        if frame.empty:
            continue
        windows = frame.groupby(["replication", "window_start_month"])[["planned", "realised"]]
        per_window = windows.sum()
        share = per_window["realised"] / per_window["planned"].where(per_window["planned"] > 0)
        planned = float(per_window["planned"].sum())
        unrealised = frame.groupby("reason")["unrealised"].sum()
        missing = float(unrealised.sum())
        years = max(run.years, 1) * max(run.replications, 1)
        realised = float(per_window["realised"].sum()) / planned if planned else math.nan
        row: list[object] = [
            _name(data, run.label),
            number(planned / years, 1, language),
            percent(realised, 0, language),
            f"{percent(float(share.min()), 0, language)} – {percent(float(share.max()), 0, language)}",
        ]
        for reason in ADHERENCE_REASONS:
            amount = float(unrealised.get(reason, 0.0))
            row.append(percent(amount / missing, 0, language) if missing else "–")
        rows.append(row)
    if not rows:
        return None
    return table(
        header,
        rows,
        caption=term("adherence_caption", language),
        numeric=[False, *([True] * (len(header) - 1))],
        css_class="wide",
    )


def _indicator_table(data: ReportData, language: Language) -> Markup:
    """The indicators per agreement, then the paired differences against the reference.

    With two agreements both fit one table; with more, the differences get a table of their own
    so that neither runs off the page (in print as on a 1280-pixel screen).
    """
    summary = records_by(data.indicators, ["scenario", "indicator"])
    others = list(data.labels[1:]) if data.paired else []
    differences_table = records_by(data.differences, ["scenario", "indicator"]) if others else {}
    split = len(data.labels) > 2
    level_header: list[object] = [term("indicator", language)]
    level_header += [Cell(_name(data, label), numeric=True) for label in data.labels]
    difference_header = [
        Cell(
            term("difference_vs", language).format(
                label=_name(data, label), reference=_name(data, data.reference)
            ),
            numeric=True,
        )
        for label in others
    ]
    level_rows, difference_rows = [], []
    for indicator in INDICATORS:
        kind = indicator_kind(indicator)
        name = term(f"indicator:{indicator}", language)
        levels: list[object] = [name]
        for label in data.labels:
            row = summary[(label, indicator)]
            levels.append(
                Cell(
                    format_with_interval(row["mean"], row["low"], row["high"], kind, language),
                    numeric=True,
                )
            )
        changes: list[object] = []
        for label in others:
            row = differences_table[(label, indicator)]
            changes.append(
                Cell(
                    format_difference(
                        row["difference_mean"],
                        row["difference_low_95"],
                        row["difference_high_95"],
                        kind,
                        language,
                    ),
                    numeric=True,
                    css_class="final" if bool(row["clear"]) else None,
                )
            )
        if split:
            level_rows.append(levels)
            difference_rows.append([name, *changes])
        else:
            level_rows.append([*levels, *changes])
    caption = term("indicators_caption", language)
    differences_caption = term("differences_caption", language).format(
        reference=_name(data, data.reference)
    )
    if not split:
        header = [*level_header, *difference_header]
        if others:
            caption += "; " + differences_caption
        return table(header, level_rows, caption=caption)
    parts = [table(level_header, level_rows, caption=caption, css_class="wide")]
    if others:
        parts.append(
            table(
                [term("indicator", language), *difference_header],
                difference_rows,
                caption=differences_caption[:1].upper() + differences_caption[1:],
                css_class="wide",
            )
        )
    return join(parts)


def _criteria_headers(language: Language) -> list[object]:
    return [Cell(term(CRITERION_TERMS[column], language), numeric=True) for column, *_ in CRITERIA]


def _criterion_kind(column: str) -> str:
    return "ratio" if column == "conviction_ratio" else "share"


def _criteria_table(data: ReportData, language: Language) -> list[object]:
    final = data.final_criteria
    if final.empty:
        return [note(term("rec_no_risk", language))]
    indexed = records_by(final, ["area", "scenario", "criterion"])
    header = [term("area", language), term("scenario", language), *_criteria_headers(language)]
    rows = []
    for area in dict.fromkeys(final["area"]):
        name = str(final.loc[final["area"] == area, "area_name"].iloc[0])
        for label in data.labels:
            if (area, label, CRITERIA[0][0]) not in indexed:
                continue
            cells: list[object] = [name, _name(data, label)]
            for column, *_ in CRITERIA:
                row = indexed[(area, label, column)]
                cells.append(
                    format_with_interval(
                        row["mean"], row["low"], row["high"], _criterion_kind(column), language
                    )
                )
            rows.append(cells)
    year = data.runs[0].last_year
    return [
        wrap(
            table(
                header,
                rows,
                caption=term("criteria_final_caption", language).format(year=year),
                numeric=[False, False, True, True, True, True],
                css_class="wide",
            )
        )
    ]


def _headroom_tables(data: ReportData, language: Language) -> list[object]:
    headroom = data.headroom_differences
    if headroom.empty:
        return []
    indexed = records_by(headroom, ["scenario", "area", "criterion"])
    parts: list[object] = []
    for label in data.labels[1:]:
        header = [term("area", language), *_criteria_headers(language)]
        rows = []
        for area in dict.fromkeys(headroom.loc[headroom["scenario"] == label, "area"]):
            name = str(headroom.loc[headroom["area"] == area, "area_name"].iloc[0])
            cells: list[object] = [name]
            for column, *_ in CRITERIA:
                row = indexed[(label, area, column)]
                clear = bool(row["low"] > 0 or row["high"] < 0)
                cells.append(
                    Cell(
                        format_difference(
                            row["mean"], row["low"], row["high"], _criterion_kind(column), language
                        ),
                        numeric=True,
                        css_class="final" if clear else None,
                    )
                )
            rows.append(cells)
        parts.append(
            wrap(
                table(
                    header,
                    rows,
                    caption=term("headroom_caption", language).format(
                        year=data.runs[0].last_year,
                        label=_name(data, label),
                        reference=_name(data, data.reference),
                    ),
                )
            )
        )
    return parts
