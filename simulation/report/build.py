"""The report: one self-contained HTML file from stored results, in Danish or English.

``blandetby report RUN_DIR [RUN_DIR …] [--lang da|en] [--plan PLAN_DIR] [--out report.html]``
builds it from run folders (:mod:`simulation.experiments.results`), compare folders (expanded to their
``runs/<label>`` folders through ``compare.json``) and, optionally, an optimiser's output folder
(``plan.csv``, ``departments.csv``, ``groups.csv``, ``explanation.md``, ``plan.png``). Nothing is
simulated: a report can be rebuilt from any run folder (docs/architecture.md, "From a scenario file to a report").

Sections, in order (their HTML ids):

``decision``
    The one-page decision (beslutningsoplæg, :mod:`simulation.report.decision`): the agreement a
    stated rule recommends, key figures with intervals, the price of caution, the areas at risk,
    the main caveat and what the replications can tell apart. It prints alone on the first A4 page.
``agreement``
    What differs between the scenarios, in words (from each run's stored scenario), and whether
    the data is synthetic.
``headline``
    A summary written from the numbers; the probability that each area is on each list, by
    year; referral waits of all groups together; referral load of the largest housing
    organisations (every group and organisation in ``details``).
``evidence``
    Fan charts of the four criteria per area with the thresholds, list counts per scenario,
    tables with 95 % intervals and, when the runs share seed and horizon, paired differences
    against the first scenario.
``followup``
    With ``--followup ACTUAL.csv``: a year's actual department figures against the projection of
    one run (:mod:`simulation.report.followup_section`): the traffic lights per department, each
    criterion against the projected band, and the areas' lists.
``plan``
    The referral plan and its explanation, when an optimiser folder is given.
``profile``
    Appendix: the starting point (:func:`simulation.report.profile.build_profile`), when the
    scenario file can still be loaded.
``assumptions``
    The scenario parameters that differ between the agreements (all of them for one), with
    value, unit and source tag, and the assumptions built into the code (``MODEL.md``).
``details``
    Appendix: the final criteria per area and agreement, the load of every housing organisation,
    the waits of every referral group, plan adherence and the paired headroom differences.

``profile``, ``assumptions`` and ``details`` are the appendix (:data:`APPENDIX`); the rest
prints to at most 12 A4 pages for five agreements, tables included whole (checked in headless
Chromium by ``tests/test_integration/test_report_browser.py``).

The page has its CSS inline and its figures embedded as base64 PNG; it needs no JavaScript, fonts
or network to be read, and a Content-Security-Policy forbids it to fetch anything.

Examples
--------
>>> from simulation.report.build import write_report
>>> write_report(["runs/eksempelby"], language="da")  # doctest: +SKIP
PosixPath('runs/eksempelby/report.html')
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulation.base.atomic import atomic_write_text
from simulation.base.errors import ScenarioError, Words, as_words, error_text
from simulation.base.outputs import output_file
from simulation.base.version import __version__
from simulation.report.appendix import assumptions_section, plan_section, profile_section
from simulation.report.data import ReportData, load_run
from simulation.report.decision import DecisionRule, decision_section
from simulation.report.followup import FollowUp, FollowUpError, follow_up
from simulation.report.followup_section import LIGHT_CSS, follow_up_section
from simulation.report.html import (
    CSS,
    Markup,
    element,
    escape,
)
from simulation.report.i18n import Language, has_term, term
from simulation.report.robustness_section import section_title, what_would_change_section
from simulation.report.sections import (
    agreement_section,
    details_section,
    evidence_section,
    headline_section,
)
from simulation.report.workbook import write_workbook

__all__ = [
    "APPENDIX",
    "PLAN_FILES",
    "REPORT_SUFFIXES",
    "SECTIONS",
    "ReportError",
    "ReportInputs",
    "ReportStep",
    "build_report",
    "check_plan_scenario",
    "render_report",
    "resolve_inputs",
    "write_report",
]

logger = logging.getLogger(__name__)

SECTIONS = (
    "decision",
    "agreement",
    "headline",
    "evidence",
    "followup",
    "plan",
    "profile",
    "assumptions",
    "details",
)
"""The section ids of a report, in order (``plan`` only with an optimiser folder)."""

APPENDIX = ("profile", "assumptions", "details")
"""The section ids of the appendix, the report's reference material (the starting point's data,
the assumptions, the long tables): the rest prints to at most 12 A4 pages for five agreements
(``tests/test_integration/test_report_browser.py``)."""

REPORT_SUFFIXES = (".html", ".htm")
"""The names a report may be written under (it is one HTML file)."""

PLAN_FILES = ("plan.csv", "departments.csv", "groups.csv")
"""The files that make a folder an optimiser output folder (``blandetby optimise --out``)."""


class ReportError(ValueError):
    """The report cannot be built from what was given (a path is not a run, compare or plan folder).

    Raised with a :class:`~simulation.base.errors.Words` message, so that it says itself in Danish.
    """


# --------------------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True)
class ReportInputs:
    """What a report is built from.

    Attributes
    ----------
    runs
        Scenario label → run folder, in report order (the first is the reference).
    plan_dir
        The optimiser's output folder, if any.
    default_out
        Where the report goes unless told otherwise: ``report.html`` in the first run or compare
        folder given.
    """

    runs: Mapping[str, Path]
    plan_dir: Path | None
    default_out: Path


def _is_plan_folder(path: Path) -> bool:
    return path.is_dir() and all((path / name).is_file() for name in PLAN_FILES)


def resolve_inputs(paths: Sequence[str | Path], plan: str | Path | None = None) -> ReportInputs:
    """Sort the arguments into run folders (compare folders expanded) and one plan folder.

    Parameters
    ----------
    paths
        Run folders, compare folders and at most one optimiser output folder, in report order.
    plan
        The optimiser output folder, if given explicitly (``--plan``).

    Raises
    ------
    ReportError
        If a path is none of these, a compare folder's ``compare.json`` is unreadable, there are
        two plan folders, or no run folder is given.
    """
    runs: dict[str, Path] = {}
    plan_dir = Path(plan) if plan is not None else None
    if plan_dir is not None and not _is_plan_folder(plan_dir):
        raise ReportError(
            Words(
                f"{plan_dir} is not an optimiser output folder: it needs {', '.join(PLAN_FILES)} "
                "(written by `blandetby optimise --out`)",
                f"{plan_dir} er ikke en mappe fra optimeringen: den skal have "
                f"{', '.join(PLAN_FILES)} (skrevet af `blandetby optimise --out`)",
            )
        )
    first: Path | None = None

    def add(label: str, folder: Path) -> None:
        unique, count = label, 2
        while unique in runs:
            unique, count = f"{label}-{count}", count + 1
        runs[unique] = folder

    for raw in paths:
        path = Path(raw)
        if (path / "compare.json").is_file():
            manifest = _read_json(path / "compare.json")
            labels = manifest.get("labels") or list(manifest.get("runs", {}))
            folders = manifest.get("runs", {})
            if not labels:
                raise ReportError(
                    Words(
                        f"{path / 'compare.json'} names no runs",
                        f"{path / 'compare.json'} nævner ingen kørsler",
                    )
                )
            for label in labels:
                folder = path / str(folders.get(label, f"runs/{label}"))
                if not (folder / "run.json").is_file():
                    raise ReportError(
                        Words(
                            f"{folder} (scenario {label!r} of the comparison {path}) is not a run "
                            "folder: it has no run.json",
                            f"{folder} (scenarie {label!r} i sammenligningen {path}) er ikke en "
                            "kørselsmappe: den har ingen run.json",
                        )
                    )
                add(str(label), folder)
            first = first or path
        elif (path / "run.json").is_file():
            add(path.resolve().name or "run", path)
            first = first or path
        elif _is_plan_folder(path):
            if plan_dir is not None and plan_dir.resolve() != path.resolve():
                raise ReportError(
                    Words(
                        f"two optimiser folders given ({plan_dir} and {path}); give one",
                        f"to mapper fra optimeringen er givet ({plan_dir} og {path}); giv én",
                    )
                )
            plan_dir = path
        elif (path / "sweep.json").is_file():
            raise ReportError(
                Words(
                    f"{path} is a sweep folder; give the run folders of the points to report on "
                    f"({path / 'points'}/<point>)",
                    f"{path} er en afsøgningsmappe; giv kørselsmapperne for de punkter, rapporten "
                    f"skal handle om ({path / 'points'}/<punkt>)",
                )
            )
        elif not path.exists():
            raise ReportError(Words(f"{path} does not exist", f"{path} findes ikke"))
        else:
            plan_files = ", ".join(PLAN_FILES)
            raise ReportError(
                Words(
                    f"{path} is not a run folder (no run.json), a compare folder (no "
                    f"compare.json) or an optimiser output folder (no {plan_files})",
                    f"{path} er hverken en kørselsmappe (ingen run.json), en "
                    f"sammenligningsmappe (ingen compare.json) eller en mappe fra optimeringen "
                    f"(ingen {plan_files})",
                )
            )
    if not runs or first is None:
        raise ReportError(
            Words(
                "no run folder or compare folder given",
                "ingen kørselsmappe eller sammenligningsmappe er givet",
            )
        )
    if plan_dir is not None:
        check_plan_scenario(plan_dir, runs)
    return ReportInputs(runs, plan_dir, first / "report.html")


def check_plan_scenario(plan_dir: Path, runs: Mapping[str, Path]) -> dict[str, Any]:
    """The plan's record (``plan.json``), checked to be of one of the runs' scenarios.

    A plan is made from one scenario (its agreement and department data); beside runs of other
    scenarios it would describe an agreement nobody simulated.

    Raises
    ------
    ReportError
        If the plan folder has no readable ``plan.json`` (made before plans recorded their
        scenario) or its scenario digest is none of the runs'.
    """
    record_path = plan_dir / "plan.json"
    if not record_path.is_file():
        raise ReportError(
            Words(
                f"{plan_dir}: no plan.json, so the scenario the plan was made from is unknown; "
                f"make the plan again with `blandetby optimise SCENARIO --out {plan_dir}` (plans "
                "record their scenario since version 0.1)",
                f"{plan_dir}: ingen plan.json, så det scenarie, planen er lavet ud fra, er ukendt; "
                f"lav planen igen med `blandetby optimise SCENARIE --out {plan_dir}` (planer har "
                "gemt deres scenarie siden version 0.1)",
            )
        )
    record = _read_json(record_path)
    scenario = record.get("scenario", {})
    digest = scenario.get("digest") if isinstance(scenario, dict) else None
    found: dict[str, str] = {}
    for label, folder in runs.items():
        info = _read_json(folder / "run.json").get("scenario", {})
        if isinstance(info, dict):
            found[label] = str(info.get("digest", ""))
    if not digest or digest not in found.values():
        made_from = (
            f"{scenario.get('name', '?')} ({scenario.get('file', '?')}, digest {str(digest)[:12]})"
            if isinstance(scenario, dict)
            else "an unknown scenario"
        )
        made_from_danish = (
            made_from.replace(", digest ", ", fingeraftryk ")
            if isinstance(scenario, dict)
            else "et ukendt scenarie"
        )
        runs_of = ", ".join(f"{label} (digest {value[:12]})" for label, value in found.items())
        runs_of_danish = ", ".join(
            f"{label} (fingeraftryk {value[:12]})" for label, value in found.items()
        )
        raise ReportError(
            Words(
                f"{record_path}: scenario.digest: the plan was made from {made_from}, which is "
                f"none of the report's runs: {runs_of}; expected a plan of one of them "
                "(`blandetby optimise <its scenario file> --out PLAN_DIR`, with the same "
                "department data options)",
                f"{record_path}: scenario.digest: planen er lavet ud fra {made_from_danish}, som "
                f"ikke er nogen af rapportens kørsler: {runs_of_danish}; forventede en plan for "
                "en af dem (`blandetby optimise <dens scenariefil> --out PLANMAPPE`, med de samme "
                "tilvalg for afdelingsdata)",
            )
        )
    return record


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ReportError(
            Words(f"{path} cannot be read: {error}", f"{path} kan ikke læses: {error}")
        ) from error
    if not isinstance(data, dict):
        raise ReportError(Words(f"{path} is not a JSON object", f"{path} er ikke et JSON-objekt"))
    return data


def load_report_data(inputs: ReportInputs) -> ReportData:
    """Read every run folder of the inputs.

    Raises
    ------
    ReportError
        If a run folder has no finished replication.
    """
    runs = []
    for label, folder in inputs.runs.items():
        try:
            runs.append(load_run(label, folder))
        except (FileNotFoundError, ValueError) as error:
            raise ReportError(as_words(error)) from error
    return ReportData(tuple(runs))


# --------------------------------------------------------------------------------------------------
# The whole report


def build_report(
    paths: Sequence[str | Path],
    *,
    language: Language = "en",
    plan: str | Path | None = None,
    rule: DecisionRule | None = None,
) -> str:
    """The report's HTML for run folders, compare folders and an optional optimiser folder.

    Parameters
    ----------
    paths
        Run folders and compare folders (in report order; the first scenario is the reference of
        paired differences), optionally with one optimiser output folder among them.
    language
        ``"da"`` or ``"en"``.
    plan
        An optimiser output folder (also detected among ``paths``).
    rule
        The decision page's rule (default: :class:`~simulation.report.decision.DecisionRule` ()).

    Raises
    ------
    ReportError
        If a path is not a run, compare or optimiser folder, or a run has no finished replication.
    """
    inputs = resolve_inputs(paths, plan)
    return render_report(
        load_report_data(inputs), language=language, plan_dir=inputs.plan_dir, rule=rule
    )


@dataclass(frozen=True)
class ReportStep:
    """A step of :func:`write_report`, with its words in every language.

    The words are the terms ``report_step:<key>`` (:data:`simulation.report.i18n.TERMS`), filled
    with ``arguments``; a step without words in both languages cannot be made, so a new step
    cannot fall back to English in a Danish terminal.

    Examples
    --------
    >>> step = ReportStep("read", {"count": 2})
    >>> step.words("da"), str(step)
    ('læser kørselsmapperne (2)', 'reading the run folders (2)')
    """

    key: str
    arguments: Mapping[str, object] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        if not has_term(f"report_step:{self.key}"):
            raise ValueError(f"report step {self.key!r} has no words (report_step:{self.key})")

    def words(self, language: Language) -> str:
        """What the step does, in ``language``."""
        return term(f"report_step:{self.key}", language).format(**self.arguments)

    def __str__(self) -> str:
        return self.words("en")


def write_report(
    paths: Sequence[str | Path],
    out: str | Path | None = None,
    *,
    language: Language = "en",
    plan: str | Path | None = None,
    rule: DecisionRule | None = None,
    xlsx: str | Path | None = None,
    on_step: Callable[[ReportStep], None] | None = None,
    robustness_dir: str | Path | None = None,
    sensitivity_dir: str | Path | None = None,
    followup: str | Path | None = None,
    followup_year: int | None = None,
    followup_run: str | None = None,
) -> Path:
    """Build the report and write it atomically.

    Parameters
    ----------
    paths, language, plan, rule
        As for :func:`build_report`.
    out
        The HTML file (default: ``report.html`` in the first run or compare folder).
    xlsx
        Also write the report's tables as one formatted workbook there
        (:func:`simulation.report.workbook.write_workbook`).
    robustness_dir, sensitivity_dir
        As for :func:`render_report` (checked before anything is read).
    on_step
        Called with each step before it starts (following up, reading the runs, drawing,
        writing the workbook), for progress: a :class:`ReportStep`, which says itself in either
        language; a report of five agreements takes 20–30 s.
    followup, followup_year, followup_run
        A year's actual department figures (the scenario's department CSV format), the calendar
        year they describe (default: the first simulated year) and the label of the run to hold
        them against (default: the first, the reference): adds the section "Follow-up".

    Returns
    -------
    pathlib.Path
        Where the report went.

    Raises
    ------
    ReportError
        As :func:`build_report`; also if the follow-up's figures, year or run are invalid
        (file, row, column, value and what was expected).
    OutputError
        If ``out`` (or the default) cannot be written: checked before anything is read.
    """
    inputs = resolve_inputs(paths, plan)
    target = output_file(
        Path(out) if out is not None else inputs.default_out, suffixes=REPORT_SUFFIXES
    )
    workbook = output_file(Path(xlsx), suffixes=(".xlsx",)) if xlsx is not None else None
    robustness = _analysis_folder(robustness_dir, "robustness.json", "blandetby robustness")
    sensitivity = _analysis_folder(sensitivity_dir, "indices.csv", "blandetby sensitivity")
    step = on_step or (lambda _: None)
    followed = None
    if followup is not None:
        step(ReportStep("follow_up", {"file": followup}))
        followed = _follow_up(inputs, Path(followup), followup_year, followup_run)
    step(ReportStep("read", {"count": len(inputs.runs)}))
    data = load_report_data(inputs)
    step(ReportStep("render"))
    page = render_report(
        data,
        language=language,
        plan_dir=inputs.plan_dir,
        rule=rule,
        robustness_dir=robustness,
        sensitivity_dir=sensitivity,
        followup=followed,
    )
    if workbook is not None:
        step(ReportStep("workbook", {"file": workbook}))
        write_workbook(data, workbook, language=language, plan_dir=inputs.plan_dir)
    atomic_write_text(target, page)
    logger.info("report of %d run(s) written to %s", len(inputs.runs), target)
    return target


def _follow_up(
    inputs: ReportInputs, actual: Path, year: int | None, label: str | None
) -> tuple[str, FollowUp]:
    """The follow-up of ``actual`` against the run ``label`` (default: the first): (label, result)."""
    label = label if label is not None else next(iter(inputs.runs))
    if label not in inputs.runs:
        labels = ", ".join(inputs.runs)
        raise ReportError(
            Words(
                f"--followup-run: got {label!r}; expected the label of one of the report's runs: "
                f"{labels}",
                f"--followup-run: fik {label!r}; forventede navnet på en af rapportens kørsler: "
                f"{labels}",
            )
        )
    try:
        return label, follow_up(inputs.runs[label], actual, year=year)
    except (FollowUpError, ScenarioError) as error:
        # the follow-up's own option is --followup-year here
        message = str(error).replace("--year: got", "--followup-year: got", 1)
        danish = error_text(error, "da").replace("--year: fik", "--followup-year: fik", 1)
        raise ReportError(Words(f"--followup: {message}", f"--followup: {danish}")) from error


def _analysis_folder(folder: str | Path | None, marker: str, command: str) -> Path | None:
    """A robustness or sensitivity folder, or a clear error if it is not one."""
    if folder is None:
        return None
    path = Path(folder)
    if not (path / marker).is_file():
        raise ReportError(
            Words(
                f"{path}: not a folder written by `{command} --out` (no {marker})",
                f"{path}: ikke en mappe skrevet af `{command} --out` (ingen {marker})",
            )
        )
    return path


def render_report(
    data: ReportData,
    *,
    language: Language = "en",
    plan_dir: Path | None = None,
    generated: dt.datetime | None = None,
    rule: DecisionRule | None = None,
    robustness_dir: Path | None = None,
    sensitivity_dir: Path | None = None,
    followup: tuple[str, FollowUp] | None = None,
) -> str:
    """Render the report of loaded runs as one HTML page.

    Parameters
    ----------
    data
        The runs (:func:`simulation.report.data.load_run`).
    language
        ``"da"`` or ``"en"``.
    plan_dir
        An optimiser output folder, if any.
    generated
        The time written in the report (default: now).
    rule
        The decision page's rule.
    robustness_dir, sensitivity_dir
        Folders written by ``blandetby robustness`` and ``blandetby sensitivity``: with either,
        the section "what would change the answer" follows the evidence.
    followup
        The label of the run and its follow-up (:func:`simulation.report.followup.follow_up`):
        the section "Follow-up" follows the evidence.
    """
    generated = generated or dt.datetime.now(dt.UTC)
    data = data.localised(language)
    sections: list[tuple[str, str, Markup]] = [
        ("agreement", term("section_agreement", language), agreement_section(data, language)),
        ("headline", term("section_headline", language), headline_section(data, language)),
        ("evidence", term("section_evidence", language), evidence_section(data, language)),
    ]
    if followup is not None:
        label, result = followup
        name = next((run.name for run in data.runs if run.label == label), label)
        sections.append(
            (
                "followup",
                term("section_followup", language),
                follow_up_section(result, language, label=name),
            )
        )
    if robustness_dir is not None or sensitivity_dir is not None:
        changes = what_would_change_section(
            robustness_dir, sensitivity_dir, language, heading=False
        )
        sections.append(("what_would_change", section_title(language), changes))
    if plan_dir is not None:
        sections.append(
            ("plan", term("section_plan", language), plan_section(plan_dir, data, language))
        )
    # the appendix (APPENDIX): reference material after the report itself
    sections.append(("profile", term("section_profile", language), profile_section(data, language)))
    sections.append(
        ("assumptions", term("section_assumptions", language), assumptions_section(data, language))
    )
    sections.append(("details", term("section_details", language), details_section(data, language)))
    title = term("report_title", language)
    names = " · ".join(dict.fromkeys(run.name for run in data.runs))
    header = [
        '<header class="top">',
        str(element("h1", title)),
        str(element("p", names, class_="meta")),
        "</header>",
    ]
    for run in data.runs:
        asked = int(run.info.get("replications", run.replications) or run.replications)
        if run.replications < asked:
            header.append(
                str(
                    element(
                        "p",
                        term("report_incomplete_banner", language).format(
                            label=run.name, finished=run.replications, asked=asked
                        ),
                        class_="banner",
                    )
                )
            )
    decision = (
        f'<section id="decision" class="decision-page">\n'
        f"<h2>{escape(term('section_decision', language))}</h2>\n"
        f"{decision_section(data, language, rule)}\n</section>"
    )
    header.append(decision)
    details = []
    for run in data.runs:
        details.append(
            str(
                element(
                    "p",
                    term("report_runs_line", language).format(
                        label=run.name,
                        replications=run.replications,
                        years=run.years,
                        start=run.info.get("start_year", run.first_year + 1),
                        seed=run.info.get("entropy", "–"),
                    ),
                    class_="meta",
                )
            )
        )
    details.append(
        str(
            element(
                "p",
                term("report_generated", language).format(
                    date=generated.strftime("%Y-%m-%d %H:%M UTC"), version=__version__
                ),
                class_="meta",
            )
        )
    )
    header.extend(details)
    synthetic = [run.name for run in data.runs if run.synthetic]
    if synthetic:
        header.append(
            str(
                element(
                    "p",
                    term("report_synthetic_banner", language).format(labels=", ".join(synthetic)),
                    class_="banner",
                )
            )
        )
    contents = f'<li><a href="#decision">{escape(term("section_decision", language))}</a></li>'
    contents += "".join(
        f'<li><a href="#{key}">{escape(heading)}</a></li>' for key, heading, _ in sections
    )
    header.append(
        f'<nav class="toc"><p class="meta">{escape(term("report_contents", language))}</p>'
        f"<ol>{contents}</ol></nav>"
    )
    body = [
        f'<section id="{key}">\n<h2>{escape(heading)}</h2>\n{content}\n</section>'
        for key, heading, content in sections
    ]
    footer = f"<footer><p>{escape(term('report_generated', language).format(date=generated.strftime('%Y-%m-%d %H:%M UTC'), version=__version__))}</p></footer>"
    return _document(language, title, "\n".join([*header, *body, footer]))


def _document(language: Language, title: str, body: str) -> str:
    policy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{language}">\n<head>\n<meta charset="utf-8" />\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1" />\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}" />\n'
        f'<meta name="generator" content="blandetby {escape(__version__)}" />\n'
        f"<title>{escape(title)}</title>\n<style>\n{CSS}\n{LIGHT_CSS}\n</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )
