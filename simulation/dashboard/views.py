"""What the dashboard shows of a comparison, built from the run folders by the report's own functions.

:func:`comparison_view` reads the reference's and the variant's run folders (the engine's cache),
keeps the replications finished in both (so that every figure and table is paired, also while
replications are still coming in) and hands them to :mod:`simulation.report`: the lists by year
with bands, the per-area risk table, waits and outcomes by group, load per housing organisation,
the report's one-page decision and the starting point's profile. Nothing here needs a browser.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

import pandas as pd
from matplotlib.figure import Figure

from simulation.base.atomic import atomic_write_text
from simulation.experiments.measures import RunMeasures
from simulation.report.appendix import profile_section
from simulation.report.build import render_report
from simulation.report.data import ReportData, RunData, load_run
from simulation.report.experiment_plots import (
    list_bands_figure,
    organisation_load_figure,
    waits_figure,
)
from simulation.report.i18n import has_term, percent, term
from simulation.report.sections import headline_section

__all__ = [
    "LABELS",
    "TEXT",
    "ComparisonView",
    "comparison_view",
    "text",
]

Language = Literal["da", "en"]

LABELS: Mapping[Language, tuple[str, str]] = {
    "da": ("udgangspunkt", "variant"),
    "en": ("reference", "variant"),
}
"""The two scenarios' labels in figures and tables."""

TEXT: Mapping[str, tuple[str, str]] = {
    "title": ("Blandet By — hvad nu hvis?", "Blandet By — what if?"),
    "levers": ("Håndtag", "Levers"),
    "run": ("Kørsel", "Run"),
    "cancel": ("Stop", "Cancel"),
    "reset": ("Tilbage til udgangspunktet", "Back to the reference"),
    "progress": (
        "{done} af {total} parrede gentagelser færdige ({seconds:.0f} s)",
        "{done} of {total} paired replications finished ({seconds:.0f} s)",
    ),
    "cancelled": ("Stoppet.", "Cancelled."),
    "failed": ("Kørslen fejlede: {error}", "The run failed: {error}"),
    "invalid": (
        "Ugyldigt input — intet er kørt. Ret værdien ved håndtaget.",
        "Invalid input — nothing was run. Correct the value at the lever.",
    ),
    "waiting": ("Venter på den første parrede gentagelse …", "Waiting for the first paired replication …"),
    "same": (
        "Varianten er lig udgangspunktet: flyt et håndtag for at sammenligne.",
        "The variant is the reference: move a lever to compare.",
    ),
    "lists_tab": ("Lister", "Lists"),
    "risk_tab": ("Risiko", "Risk"),
    "waits_tab": ("Ventetid", "Waits"),
    "load_tab": ("Belastning", "Load"),
    "decision_tab": ("Beslutning", "Decision"),
    "profile_tab": ("Udgangspunkt", "Starting point"),
    "save_scenario": ("Gem varianten som scenarie (TOML)", "Save the variant as a scenario (TOML)"),
    "save_report": ("Gem rapporten (HTML)", "Save the report (HTML)"),
    "saved": ("Gemt: {path}", "Saved: {path}"),
    "area": ("Område", "Area"),
    "list": ("Liste", "List"),
    "year": ("År", "Year"),
    "probability": ("Sandsynlighed, {label}", "Probability, {label}"),
    "no_risk": ("Intet område kommer på en liste i nogen gentagelse.", "No area is on a list in any replication."),
}  # fmt: skip
"""The page's own words in Danish and English (the report's come from its i18n)."""


def text(key: str, language: Language) -> str:
    """The page's word for ``key`` in ``language``."""
    danish, english = TEXT[key]
    return danish if language == "da" else english


def _keep(frame: pd.DataFrame, replications: Sequence[int]) -> pd.DataFrame:
    if "replication" not in frame:
        return frame
    return frame[frame["replication"].isin(list(replications))].reset_index(drop=True)


def _named(run: RunData, label: str) -> RunData:
    """The run with ``(label)`` after its scenario's name (English and Danish)."""
    info = copy.deepcopy(dict(run.info))
    scenario = dict(info.get("scenario") or {})
    content = dict(scenario.get("content") or {})
    for holder in (scenario, content):
        if holder.get("name"):
            holder["name"] = f"{holder['name']} ({label})"
    danish = dict(content.get("danish") or {})
    if danish.get("name"):
        danish["name"] = f"{danish['name']} ({label})"
        content["danish"] = danish
    scenario["content"] = content
    info["scenario"] = scenario
    return dataclasses.replace(run, info=info)


def restrict(run: RunData, replications: Sequence[int]) -> RunData:
    """The run with only the given replications (so that two runs pair exactly)."""
    measures = RunMeasures(
        _keep(run.measures.indicators, replications),
        _keep(run.measures.lists_by_year, replications),
        _keep(run.measures.area_criteria, replications),
    )
    return dataclasses.replace(
        run,
        measures=measures,
        lists=_keep(run.lists, replications),
        referrals=_keep(run.referrals, replications),
        organisations=_keep(run.organisations, replications),
    )


@dataclass(frozen=True)
class ComparisonView:
    """The reference and the variant (or the reference alone) over the same replications.

    Attributes
    ----------
    data
        The runs as the report reads them, the reference first.
    replications
        The replications shown (finished in both).
    language
        The page's language.
    """

    data: ReportData
    replications: tuple[int, ...]
    language: Language

    @property
    def labels(self) -> tuple[str, ...]:
        """The scenarios shown, the reference first."""
        return self.data.labels

    def lists_figure(self) -> Figure:
        """Areas on each list by year, mean and 10–90 % band, the scenarios side by side."""
        return list_bands_figure(self.data.lists_by_year, self.labels, language=self.language)

    def waits_figure(self) -> Figure:
        """Referral waits by group."""
        return waits_figure(self.data.waits, self.labels, language=self.language)

    def load_figure(self) -> Figure:
        """Referral lettings per 100 dwellings per housing organisation."""
        return organisation_load_figure(self.data.loads, self.labels, language=self.language)

    @cached_property
    def risk_table(self) -> pd.DataFrame:
        """Per area × list × year: the probability of being on the list, one column per scenario.

        Only areas and lists with a probability above 0 in some scenario and year are kept.
        """
        frames = []
        for label, risks in self.data.risks.items():
            frames.append(risks.assign(scenario=label))
        if not frames or all(frame.empty for frame in frames):
            return pd.DataFrame(columns=["area_name", "list", "year", *self.labels])
        long = pd.concat(frames, ignore_index=True)
        wide = long.pivot_table(
            index=["area_name", "list", "year"], columns="scenario", values="probability"
        ).reindex(columns=list(self.labels))
        wide = wide.fillna(0.0).reset_index()
        wide.columns.name = None
        return wide.sort_values(["area_name", "list", "year"], kind="stable").reset_index(drop=True)

    def risk_html(self) -> str:
        """:attr:`risk_table` as an HTML table (probabilities in per cent)."""
        table = self.risk_table
        if table.empty:
            return f"<p>{text('no_risk', self.language)}</p>"
        header = [
            text("area", self.language),
            text("list", self.language),
            text("year", self.language),
            *(text("probability", self.language).format(label=label) for label in self.labels),
        ]
        rows = []
        for record in table.itertuples(index=False):
            values = list(record)
            cells = [
                f"<td>{values[0]}</td>",
                f"<td>{_list_name(str(values[1]), self.language)}</td>",
                f"<td>{int(values[2])}</td>",
                *(
                    f'<td class="number">{percent(float(value), 0, self.language)}</td>'
                    for value in values[3:]
                ),
            ]
            rows.append("<tr>" + "".join(cells) + "</tr>")
        head = "".join(f"<th>{cell}</th>" for cell in header)
        return (
            '<table class="risk-table"><thead><tr>'
            + head
            + "</tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table>"
        )

    def decision_html(self) -> str:
        """The report's one-page decision (its headline section) for this comparison."""
        return str(headline_section(self.data, self.language, complete=True))

    def profile_html(self) -> str:
        """The report's profile of the starting point (the reference's)."""
        reference = ReportData(self.data.runs[:1])
        return str(profile_section(reference, self.language))

    def report_html(self) -> str:
        """The whole report of this comparison, as ``blandetby report`` writes it."""
        return render_report(self.data, language=self.language)

    def write_report(self, target: str | Path) -> Path:
        """Write :meth:`report_html` atomically to ``target``."""
        path = Path(target)
        atomic_write_text(path, self.report_html())
        return path

    def headline_numbers(self) -> dict[str, float]:
        """Areas on the udsat or forebyggelse list in the final year, mean per scenario."""
        lists = self.data.lists_by_year
        final = lists[(lists["list"] == "listed") & (lists["year"] == lists["year"].max())]
        return {str(row.scenario): float(row.mean) for row in final.itertuples()}


def _list_name(column: str, language: Language) -> str:
    return term(column, language) if has_term(column) else column


def comparison_view(
    reference_dir: Path,
    variant_dir: Path,
    replications: Sequence[int],
    language: Language = "en",
) -> ComparisonView:
    """Read the two run folders (one, when they are the same) over the replications given.

    Raises
    ------
    ValueError
        If a folder has none of the replications finished.
    """
    pairs = tuple(sorted(replications))
    if not pairs:
        raise ValueError("no paired replication has finished yet")
    reference_label, variant_label = LABELS[language]
    runs = [restrict(load_run(reference_label, reference_dir), pairs)]
    if variant_dir != reference_dir:
        runs.append(restrict(load_run(variant_label, variant_dir), pairs))
        # the report names runs by their scenario, which the variant shares: say which is which
        runs = [_named(run, label) for run, label in zip(runs, LABELS[language], strict=True)]
    for run in runs:
        if run.measures.indicators.empty:
            raise ValueError(f"{run.run_dir} has none of replications {pairs} finished")
    return ComparisonView(ReportData(tuple(runs)), pairs, language)
