"""The HTML report: sections, embedded figures, well-formed and self-contained, Danish throughout."""

from __future__ import annotations

import base64
import json
import math
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from simulation.experiments.measures import INDICATORS
from simulation.experiments.results import read_run, read_run_info
from simulation.report.build import SECTIONS, ReportError, build_report, resolve_inputs
from simulation.report.data import (
    ReportData,
    load_run,
    organisation_load,
    risk_probabilities,
    select_years,
    wait_summary,
)
from simulation.report.figures import evidence_figures, plan_figure
from simulation.report.html import PNG_SIGNATURE, markdown_to_html
from simulation.report.i18n import TERMS
from simulation.report.schema import (
    MISSING,
    describe_tiers,
    differences,
    format_value,
    parameter_label,
    parameters,
    source_tags,
)
from simulation.report.sections import summary_sentences

pytestmark = pytest.mark.xdist_group("report")  # one worker builds the module's world once

VOID = {"meta", "img", "br", "hr", "link", "input", "col", "source", "wbr"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "th", "caption", "figcaption", "title"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, report_fixtures: ModuleType) -> Any:
    """A three-area slice of Eksempelby: two scenarios compared (2 × 2 years) and a plan."""
    return report_fixtures.make_tiny_world(tmp_path_factory.mktemp("report-world"))


@pytest.fixture(scope="module")
def data(world: Any) -> ReportData:
    return ReportData(
        tuple(
            load_run(label, folder)
            for label, folder in zip(("standard", "hoej"), world.run_dirs, strict=True)
        )
    )


@pytest.fixture(scope="module")
def danish(world: Any) -> str:
    """The Danish report of the compare folder, with the plan detected among the arguments."""
    return build_report([world.compare_dir, world.plan_dir], language="da")


@pytest.fixture(scope="module")
def english(world: Any) -> str:
    """The English report of the two run folders, without a plan."""
    return build_report(world.run_dirs, language="en")


# -- reading the page ------------------------------------------------------------------------------


class Page(HTMLParser):
    """Walks a page: checks that tags balance and collects ids, images and texts by element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.images: list[dict[str, str]] = []
        self.texts: list[tuple[str, str, str]] = []  # (tag, section id, text)
        self.section = ""
        self._open: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if "id" in values:
            self.ids.append(values["id"])
        if tag == "section":
            self.section = values.get("id", "")
        if tag == "img":
            self.images.append(values)
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag in HEADINGS or tag == "td":
            self._open.append((tag, []))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack, f"</{tag}> closes nothing"
        opened = self.stack.pop()
        assert opened == tag, f"<{opened}> closed by </{tag}>"
        if self._open and self._open[-1][0] == tag:
            name, parts = self._open.pop()
            self.texts.append((name, self.section, " ".join("".join(parts).split())))

    def handle_data(self, data: str) -> None:
        for _, parts in self._open:
            parts.append(data)


def read_page(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    assert page.stack == [], f"unclosed tags: {page.stack}"
    return page


def english_only_words() -> set[str]:
    """Words of the English terms that no Danish term uses (so they give English away)."""

    def words(texts: Iterator[str]) -> set[str]:
        plain = (re.sub(r"\{[^}]*\}", " ", text) for text in texts)  # not the {placeholders}
        return {w.lower() for text in plain for w in re.findall(r"[A-Za-zÆØÅæøå]{3,}", text)}

    danish = words(pair[0] for pair in TERMS.values())
    english = words(pair[1] for pair in TERMS.values())
    return english - danish


def data_strings(data: ReportData) -> list[str]:
    """Names that are data, not words of the report: labels, scenario, area, group names …"""
    names: set[str] = set()
    for run in data.runs:
        names |= {run.label, run.name, str(run.scenario.get("file", ""))}
        content = run.content
        names |= {str(area.get("name", "")) for area in content.get("areas", {}).values()}
        names |= set(run.group_names.values()) | set(run.group_names)
        names |= {str(content.get("agreement", {}).get("name", ""))}
        names |= set(run.organisations["organisation"].astype(str))
        names |= set(run.lists["area_name"].astype(str))
    return sorted((name for name in names if name), key=len, reverse=True)


def strip_data(text: str, names: list[str]) -> str:
    for name in names:
        text = text.replace(name, " ")
    return text


# -- sections, figures, form -----------------------------------------------------------------------


def test_every_section_is_there_and_the_plan_only_when_given(danish: str, english: str) -> None:
    sections = [s for s in read_page(danish).ids if s in SECTIONS]
    assert sections == [s for s in SECTIONS if s != "followup"]  # follow-up only when given
    assert [s for s in read_page(english).ids if s in SECTIONS] == [
        s for s in SECTIONS if s not in ("plan", "followup")
    ]
    for subsection in ("headline-summary", "headline-risk", "headline-waits", "headline-load"):
        assert f'id="{subsection}"' in danish
    assert 'id="evidence-headroom"' in danish  # same seed: paired differences


def test_every_figure_is_embedded_as_png(danish: str, english: str) -> None:
    figures_da = read_page(danish).images
    figures_en = read_page(english).images
    # lists, four criteria, waits, load (+ the plan in the Danish report)
    assert len(figures_en) == 7
    assert len(figures_da) == 8
    for image in figures_da + figures_en:
        assert image["src"].startswith("data:image/png;base64,")
        assert image["alt"]
    assert danish.count('<img src="data:image/png;base64,') == 8
    payload = base64.b64decode(figures_da[0]["src"].split(",", 1)[1], validate=True)
    assert payload.startswith(PNG_SIGNATURE)


def test_the_page_is_well_formed_and_self_contained(danish: str, english: str) -> None:
    for html in (danish, english):
        read_page(html)  # balanced tags (asserted while walking)
        root = ET.fromstring(html.split("\n", 1)[1])  # and well-formed XML after the doctype
        assert root.tag == "html"
        lowered = html.lower()
        assert "<script" not in lowered and "@import" not in lowered and "url(" not in lowered
        assert not re.search(r'(src|href)="(https?:)?//', lowered)
        assert "content-security-policy" in lowered
    assert '<html lang="da">' in danish and '<html lang="en">' in english


def test_the_danish_report_has_no_english_headings(danish: str, data: ReportData) -> None:
    english = english_only_words()
    names = data_strings(data)
    page = read_page(danish)
    checked = [text for tag, _, text in page.texts if tag in HEADINGS]
    checked += [image["alt"] for image in page.images]
    assert len(checked) > 50
    for text in checked:
        leftover = strip_data(text, names)
        found = {w.lower() for w in re.findall(r"[A-Za-zÆØÅæøå]{3,}", leftover)} & english
        assert not found, f"English in a Danish heading: {text!r} ({sorted(found)})"
    # the free-text descriptions stay English, and the report says so, once, in Danish
    assert danish.count(TERMS["descriptions_in_english"][0]) == 1
    assert "The scenario's parameters" not in danish and "Referral plan" not in checked


def figure_texts(figure: Figure) -> list[str]:
    texts = [figure.get_suptitle()] if figure.get_suptitle() else []
    for axis in figure.axes:
        texts += [axis.get_title(), axis.get_xlabel(), axis.get_ylabel()]
        legend = axis.get_legend()
        if legend is not None:
            texts += [text.get_text() for text in legend.get_texts()]
    for legend in figure.legends:  # legends beside the plots, clear of the data
        texts += [legend.get_title().get_text(), *(text.get_text() for text in legend.get_texts())]
    return [text for text in texts if text]


def test_the_danish_figures_have_danish_titles_and_labels(data: ReportData, world: Any) -> None:
    english = english_only_words()
    names = data_strings(data)
    figures = [item.figure for item in evidence_figures(data, "da")]
    figures.append(plan_figure(pd.read_csv(world.plan_dir / "departments.csv"), "da"))
    texts = [text for figure in figures for text in figure_texts(figure)]
    assert len(texts) > 20
    for text in texts:
        found = {
            w.lower() for w in re.findall(r"[A-Za-zÆØÅæøå]{3,}", strip_data(text, names))
        } & english
        assert not found, f"English in a Danish figure: {text!r} ({sorted(found)})"
    # tick labels use the decimal comma too
    fan = next(item.figure for item in evidence_figures(data, "da") if "criteria" in item.id)
    fan.canvas.draw()
    ticks = [t.get_text() for ax in fan.axes for t in ax.get_yticklabels() if t.get_text()]
    assert ticks and all("." not in tick for tick in ticks)


def test_the_english_figures_keep_their_english_titles(data: ReportData) -> None:
    """Existing callers (``blandetby compare``) get the same English titles as before."""
    from simulation.report.experiment_plots import criteria_fan_figure, list_bands_figure

    fan = criteria_fan_figure(data.area_criteria, "outside_work_education_share", data.labels)
    assert (
        fan.get_suptitle()
        .replace("\n", " ")
        .startswith(
            "Outside work or education, 18–64: median, 25–75 % and 10–90 % of replications (listed "
            "above the line"
        )
    )
    bands = list_bands_figure(data.lists_by_year, data.labels)
    assert bands.get_suptitle() == (
        "Areas on the legal lists each 1 December (mean, 10–90 % of replications)"
    )
    assert bands.axes[0].get_ylabel() == "areas on the list"


def test_danish_numbers_use_the_decimal_comma(danish: str, english: str) -> None:
    page = read_page(danish)
    ours = [
        text
        for tag, section, text in page.texts
        if tag == "td" and section in ("headline", "evidence", "profile")
    ]
    assert any(re.search(r"\d,\d", text) for text in ours)
    for text in ours:
        for found in re.findall(r"\d+(?:\.\d+)+", text):
            assert re.fullmatch(r"\d{1,3}(\.\d{3})+", found), f"decimal point in {text!r}"
    assert re.search(r"\d,\d %", danish)
    assert re.search(r"\d\.\d %", english)


# -- what the report says --------------------------------------------------------------------------


def test_the_agreement_is_put_in_words(danish: str, english: str) -> None:
    assert "Standardandel til kommunal anvisning</strong>: 25 % / 50 %" in danish
    assert "Default referral share</strong>: 25 % / 50 %" in english
    assert "i rækkefølgen standard / hoej" in danish
    assert "SYNTETISKE DATA" in danish and "SYNTHETIC DATA" in english


def test_the_summary_is_written_from_the_numbers(data: ReportData) -> None:
    sentences = summary_sentences(data, "en")
    means = data.indicators.pivot(index="scenario", columns="indicator", values="mean")
    names = {run.label: run.name for run in data.runs}  # names, not folder labels
    fastest_label = str(means["housed_within_6_months_share"].idxmax())
    fastest = names[fastest_label]
    assert sentences[0].startswith(f"{fastest} houses referral households fastest")
    difference = data.differences.set_index(["scenario", "indicator"]).loc[
        ("hoej", "housed_within_6_months_share")
    ]
    points = f"{100 * difference['difference_mean']:+.1f} percentage points"
    paired = next(s for s in sentences if s.startswith(f"Compared with {names['standard']}"))
    assert points in paired and "paired over 2 replications" in paired
    # Danish sentences come from the Danish templates
    danish = data.localised("da")
    danish_names = {run.label: run.name for run in danish.runs}
    first = summary_sentences(danish, "da")[0]
    assert first.startswith(f"{danish_names[fastest_label]} skaffer hurtigst bolig")


def test_list_probabilities_are_shares_of_replications(data: ReportData, world: Any) -> None:
    run = data.runs[0]
    risks = risk_probabilities(run).set_index(["area", "list", "year"])["probability"]
    area_year = read_run(world.run_dirs[0], ["area_year"])["area_year"]
    expected = area_year.groupby(["area", "year"])["forebyggelsesomraade"].mean()
    for (area, year), probability in expected.items():
        key = (area, "forebyggelsesomraade", year)
        assert risks.get(key, 0.0) == pytest.approx(probability)
    assert set(np.unique(risks.to_numpy() * run.replications)) <= {0.0, 1.0, 2.0}


def test_waits_and_loads_match_the_tables(data: ReportData, world: Any) -> None:
    run = data.runs[0]
    tables = read_run(world.run_dirs[0], ["referrals", "department_year"])
    waits = wait_summary([run]).set_index("group")
    referrals = tables["referrals"]
    for group in run.group_names:
        medians = []
        for _, rows in referrals[referrals["group"] == group].groupby("replication"):
            # Kaplan–Meier by hand: the first month by which half of all spells were housed,
            # counting those still in the queue (censored on leaving or at the end) at risk
            months = rows["queue_months"].to_numpy(float)
            housed = rows["outcome"].isin(["housed", "evicted"]).to_numpy()
            survival, median = 1.0, math.nan
            for month in np.unique(months[housed]):
                survival *= 1 - (housed & (months == month)).sum() / (months >= month).sum()
                if survival <= 0.5:
                    median = float(month)
                    break
            medians.append(median)
        assert waits.loc[group, "median_mean"] == pytest.approx(np.nanmean(medians), nan_ok=True)
    loads = organisation_load([run]).set_index("organisation")
    departments = tables["department_year"]
    flows = departments[departments["year"] > departments["year"].min()]
    start = departments[departments["year"] == departments["year"].min()]
    per_replication = flows.groupby(["organisation", "replication"])["lettings_referral"].sum()
    for organisation, row in loads.iterrows():
        dwellings = start[start["replication"] == 0].groupby("organisation")["dwellings"].sum()
        expected = per_replication.loc[organisation].mean() / run.years
        assert row["per_year_mean"] == pytest.approx(expected)
        assert row["per_100_mean"] == pytest.approx(100 * expected / dwellings[organisation])


@pytest.mark.slow
def test_the_profile_is_skipped_when_the_scenario_file_is_gone(world: Any, tmp_path: Path) -> None:
    copy = tmp_path / "moved"
    shutil.copytree(world.run_dirs[0], copy)
    info = read_run_info(copy)
    info["scenario"]["file"] = str(tmp_path / "deleted.toml")
    (copy / "run.json").write_text(json.dumps(info), encoding="utf-8")
    html = build_report([copy], language="da")
    profile = html.split('<section id="profile">', 1)[1].split("</section>", 1)[0]
    assert "findes ikke længere" in profile and "deleted.toml" in profile
    assert "<table" not in profile
    assert [s for s in read_page(html).ids if s in SECTIONS] == [
        s for s in SECTIONS if s not in ("plan", "followup")
    ]


@pytest.mark.slow
def test_runs_with_other_seeds_are_not_paired(world: Any, tmp_path: Path) -> None:
    from simulation.experiments.executors import InProcessExecutor
    from simulation.experiments.runner import simulate
    from simulation.inputs.scenario import load_scenario

    other = simulate(
        load_scenario(world.hoej),
        tmp_path / "other-seed",
        entropy=11,
        years=2,
        replications=1,
        executor=InProcessExecutor(),
    ).run_dir
    html = build_report([world.run_dirs[0], other], language="en")
    assert "do not share seed and horizon" in html
    assert 'id="evidence-headroom"' not in html
    assert "With a single replication no intervals can be computed." in html


# -- inputs ----------------------------------------------------------------------------------------


def test_inputs_expand_compare_folders_and_find_the_plan(world: Any, tmp_path: Path) -> None:
    inputs = resolve_inputs([world.compare_dir, world.plan_dir])
    assert list(inputs.runs) == ["standard", "hoej"]
    assert inputs.plan_dir == world.plan_dir
    assert inputs.default_out == world.compare_dir / "report.html"
    both = resolve_inputs([*world.run_dirs, world.run_dirs[0]])
    assert list(both.runs) == ["standard", "hoej", "standard-2"]
    assert both.plan_dir is None and both.default_out == world.run_dirs[0] / "report.html"
    with pytest.raises(ReportError, match="is not a run folder"):
        resolve_inputs([tmp_path])
    with pytest.raises(ReportError, match="does not exist"):
        resolve_inputs([tmp_path / "nowhere"])
    with pytest.raises(ReportError, match="no run folder"):
        resolve_inputs([world.plan_dir])
    with pytest.raises(ReportError, match="not an optimiser output folder"):
        resolve_inputs([world.compare_dir], plan=tmp_path)
    (tmp_path / "sweep.json").write_text("{}")
    with pytest.raises(ReportError, match="sweep folder"):
        resolve_inputs([tmp_path])


def test_an_interrupted_run_carries_a_banner(world: Any, tmp_path: Path) -> None:
    copy = tmp_path / "interrupted"
    shutil.copytree(world.run_dirs[0], copy)
    info = read_run_info(copy)
    info["replications"], info["status"] = 5, "running"
    (copy / "run.json").write_text(json.dumps(info), encoding="utf-8")
    html = build_report([copy], language="en")
    assert "has only 2 of 5 replications finished" in html and "INCOMPLETE: " in html
    assert "har kun 2 af 5 gentagelser færdige" in build_report([copy], language="da")
    assert "INCOMPLETE" not in build_report([world.run_dirs[0]], language="en")


def test_a_run_without_finished_replications_is_refused(world: Any, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    shutil.copy(world.run_dirs[0] / "run.json", empty / "run.json")
    with pytest.raises(ReportError, match="no finished replication"):
        build_report([empty])


# -- the pieces ------------------------------------------------------------------------------------


def test_markdown_becomes_simple_html() -> None:
    text = (
        "# Plan\n\nOne *line*\nand `code` < 2.\n\n- a **b**\n- c\n  continued\n\n1. first\n"
        "2. second\n\n| group | demand |\n|---|---|\n| x | 1 |\n"
    )
    html = str(markdown_to_html(text, heading_offset=1, translate=str.upper))
    assert html.splitlines() == [
        "<h2>PLAN</h2>",
        "<p>One <em>line</em> and <code>code</code> &lt; 2.</p>",
        "<ul><li>a <strong>b</strong></li><li>c continued</li></ul>",
        "<ol><li>first</li><li>second</li></ol>",
        "<table><thead><tr><th>GROUP</th><th>DEMAND</th></tr></thead><tbody><tr><td>x</td>"
        "<td>1</td></tr></tbody></table>",
    ]
    ET.fromstring(f"<div>{html}</div>")


def test_every_scenario_field_has_a_label_and_a_unit_in_both_languages(data: ReportData) -> None:
    content = data.runs[0].content
    found = parameters(content)
    assert len(found) > 100
    for parameter, _ in found:
        assert f"field:{parameter.schema_path}" in TERMS, parameter.schema_path
        assert f"unit:{parameter.unit}" in TERMS, parameter.unit
    for indicator in INDICATORS:
        assert f"indicator:{indicator}" in TERMS


def test_differences_and_values_in_words(data: ReportData) -> None:
    first, second = (run.content for run in data.runs)
    found = differences([first, second])
    assert [p.path for p, _ in found] == ["agreement.default_referral_share"]
    parameter, values = found[0]
    assert parameter_label(parameter, "da") == "Standardandel til kommunal anvisning"
    assert [format_value(v, parameter.unit, "da") for v in values] == ["25 %", "50 %"]
    assert format_value(0.0072, "share 0–1", "da") == "0,72 %"
    assert format_value(3600.0, "kr per month", "da") == "3.600 kr. pr. måned"
    assert format_value(3600.0, "kr per month", "da", with_unit=False) == "3.600"
    assert format_value(True, "yes/no", "da") == "ja"
    assert format_value(None, "years", "en") == "default"
    assert format_value(MISSING, "years", "en") == "not set"
    assert format_value(["employment", "education"], "criteria", "da") == "arbejde; uddannelse"
    assert source_tags("Calibrated [A: reason]; law [C].") == ("A", "C")
    tiers = [
        {"name": "red", "when": {"match": "any", "area_lists": ["udsat"]}, "referral_share": 0.0},
        {"name": "green", "when": {}, "referral_share": 0.4},
    ]
    assert describe_tiers(tiers, "en") == (
        "red (referral share 0 %, when any of: the area is on the list Vulnerable area (udsat "
        "boligområde)) → green (referral share 40 %, every other department)"
    )
    groups = [p for p, _ in parameters(first) if p.section == "referral_groups"]
    assert parameter_label(groups[1], "da", first).startswith("Målgruppe Homeless singles: ")


def test_years_are_spread_evenly() -> None:
    assert select_years(2025, 2045) == [2025, 2029, 2033, 2037, 2041, 2045]
    assert select_years(2025, 2026) == [2025, 2026]


def test_the_report_shows_never_housed_evicted_lapsed_claims_and_vacancy_costs(
    english: str, danish: str
) -> None:
    for label in (
        "Never housed",
        "Tenancy failed (evicted)",
        "Lapsed referral claims per year",
        "Tomgangsleje, municipality (kr per year)",
        "Vacancy loss, departments (kr per year)",
    ):
        assert label in english
    for label in ("Aldrig anvist bolig", "Bortfaldne anvisningsretter pr. år"):
        assert label in danish


def test_the_report_places_what_would_change_the_answer_after_the_evidence(
    world: Any, data: ReportData, tmp_path: Path
) -> None:
    from simulation.report.build import render_report, write_report

    robustness_dir = tmp_path / "rob"
    robustness_dir.mkdir()
    (robustness_dir / "robustness.json").write_text(
        '{"finding": "A beats B on listed area-years unless behaviour.x1 > 0.7", "samples": 40}',
        encoding="utf-8",
    )
    page = render_report(data, language="en", robustness_dir=robustness_dir)
    assert page.index('id="evidence"') < page.index('id="what_would_change"')
    assert page.index('id="what_would_change"') < page.index('id="profile"')
    assert "unless behaviour.x1 &gt; 0.7" in page or "unless behaviour.x1 > 0.7" in page
    assert page.count("What would change the answer") == 2  # the contents and the heading
    assert 'id="what_would_change"' not in render_report(data, language="en")
    with pytest.raises(ReportError, match="not a folder written by `blandetby sensitivity"):
        write_report(world.run_dirs, tmp_path / "r.html", sensitivity_dir=tmp_path)


def test_every_step_write_report_says_has_words_in_danish_and_english() -> None:
    """A step of ``write_report`` is a ReportStep whose key has words in both languages."""
    import ast
    import inspect

    from simulation.report import build
    from simulation.report.build import ReportStep
    from simulation.report.i18n import TERMS

    tree = ast.parse(inspect.getsource(build.write_report))
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "step"
    ]
    keys = []
    for call in calls:  # every step(...) is step(ReportStep("<key>", …)), never a bare string
        [argument] = call.args
        assert isinstance(argument, ast.Call) and ast.unparse(argument.func) == "ReportStep"
        key = argument.args[0]
        assert isinstance(key, ast.Constant) and isinstance(key.value, str)
        keys.append(key.value)
    assert len(keys) >= 4 and "read" in keys
    steps = {key for key in TERMS if key.startswith("report_step:")}
    assert {f"report_step:{key}" for key in keys} == steps, "a step's words are used and defined"
    arguments = {"file": "x.csv", "count": 2}
    for key in keys:
        step = ReportStep(key, arguments)
        assert step.words("da") and step.words("da") != step.words("en") == str(step)
    with pytest.raises(ValueError, match="report step 'publish' has no words"):
        ReportStep("publish")
