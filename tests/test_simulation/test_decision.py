"""The decision page: the stated rule, risks that read right, and the page first and alone in print."""

from __future__ import annotations

import dataclasses
import math
import re
from types import ModuleType
from typing import Any

import pandas as pd
import pytest
from english import english_word_count

from simulation.report.build import build_report
from simulation.report.data import ReportData, load_run, risk_probabilities, start_status
from simulation.report.decision import DecisionRule, decide, decision_section

pytestmark = pytest.mark.xdist_group("report")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, report_fixtures: ModuleType) -> Any:
    return report_fixtures.make_tiny_world(tmp_path_factory.mktemp("decision-world"))


@pytest.fixture(scope="module")
def data(world: Any) -> ReportData:
    return ReportData(
        tuple(
            load_run(label, folder)
            for label, folder in zip(("standard", "hoej"), world.run_dirs, strict=True)
        )
    )


def _lists(rows: list[tuple[int, int, str, str, str]]) -> pd.DataFrame:
    """(replication, year, area, area name, list or "") → the report's list frame."""
    frame = pd.DataFrame(rows, columns=["replication", "year", "area", "area_name", "on"])
    for name in ("udsat", "parallelsamfund", "omdannelsesomraade", "forebyggelsesomraade"):
        frame[name] = frame["on"].str.split("+").apply(lambda lists, n=name: n in lists)
    frame["residents"] = 2000
    return frame.drop(columns="on")


def test_a_step_down_is_not_a_risk_and_the_start_year_is_not_the_period(
    data: ReportData,
) -> None:
    # Nordparken starts udsat and steps down to forebyggelse; Bakken starts on no list and is
    # forebyggelse in 2027 in one of two replications; both are listed in the start year only
    # in Nordparken's case.
    rows = [
        (0, 2025, "nord", "Nordparken", "udsat"),
        (1, 2025, "nord", "Nordparken", "udsat"),
        (0, 2026, "nord", "Nordparken", "forebyggelsesomraade"),
        (1, 2026, "nord", "Nordparken", "forebyggelsesomraade"),
        (0, 2027, "nord", "Nordparken", "forebyggelsesomraade"),
        (1, 2027, "nord", "Nordparken", ""),
        (0, 2025, "bakken", "Bakken", ""),
        (1, 2025, "bakken", "Bakken", ""),
        (0, 2026, "bakken", "Bakken", ""),
        (1, 2026, "bakken", "Bakken", ""),
        (0, 2027, "bakken", "Bakken", "forebyggelsesomraade"),
        (1, 2027, "bakken", "Bakken", ""),
    ]
    run = dataclasses.replace(data.runs[0], lists=_lists(rows))
    assert start_status(run).to_dict() == {"nord": "udsat", "bakken": ""}
    risks = risk_probabilities(run).set_index(["area", "list", "year"])
    assert not risks.loc[("nord", "forebyggelsesomraade", 2026), "risk"]
    assert not risks.loc[("nord", "udsat", 2025), "risk"]
    assert risks.loc[("bakken", "forebyggelsesomraade", 2027), "risk"]
    # listed in the start year in both replications, on it in no simulated year: period 0
    assert risks.loc[("nord", "udsat", 2025), "period_probability"] == 0.0
    assert risks.loc[("bakken", "forebyggelsesomraade", 2027), "period_probability"] == 0.5


def test_the_rule_recommends_the_fewest_area_years_among_the_quick_enough(
    data: ReportData,
) -> None:
    open_door = decide(data, DecisionRule(minimum_housed_share=0.0))
    area_years = {c.label: c.area_years.mean for c in open_door.candidates}
    assert open_door.meets_rule
    assert area_years[open_door.recommended] == min(area_years.values())
    # a requirement nobody meets: the fastest is named, and the page says the rule is not met
    housed = {c.label: c.housed_share.mean for c in open_door.candidates}
    strict = decide(data, DecisionRule(minimum_housed_share=1.0))
    if max(housed.values()) < 1.0:
        assert not strict.meets_rule
        assert strict.recommended == max(housed, key=lambda label: housed[label])
        assert "Ingen af aftalerne skaffer 100 %" in decision_section(
            data, "da", DecisionRule(minimum_housed_share=1.0)
        )
    with pytest.raises(ValueError, match="expected a share from 0 to 1"):
        DecisionRule(minimum_housed_share=1.5)


def test_the_price_of_caution_and_the_power_statement(data: ReportData) -> None:
    decision = decide(data, DecisionRule(minimum_housed_share=0.0))
    fastest = max(decision.candidates, key=lambda c: c.housed_share.mean)
    if fastest.label == decision.recommended:
        assert decision.price is None
    else:
        assert decision.price is not None and decision.price.fastest == fastest.label
        assert decision.price.area_years_avoided.mean >= 0
    assert decision.replications == 2
    # two replications: a detectable difference exists (or the pairs agree exactly: NaN)
    assert math.isnan(decision.detectable_area_years) or decision.detectable_area_years >= 0
    html = decision_section(data, "da", None)
    assert "Med 2 gentagelser" in html or "kan ingen forskel skelnes" in html
    assert "Vigtigste forbehold" in html
    assert "Anbefaling" in html or "Ingen af aftalerne" in html


def test_the_decision_opens_the_report_and_prints_alone(world: Any) -> None:
    html = build_report([world.compare_dir], language="da")
    decision = html.index('<section id="decision"')
    assert decision < html.index('<section id="agreement"')
    assert decision < html.index('<nav class="toc"')
    assert re.search(r"section\.decision-page \{[^}]*break-after: page", html)
    assert "@page { size: A4" in html
    english = build_report([world.compare_dir], language="en")
    assert "The rule: among the agreements" in english


def test_the_danish_report_has_almost_no_english(world: Any) -> None:
    html = build_report([world.compare_dir, world.plan_dir], language="da")
    counts = english_word_count(html)
    assert sum(counts.values()) <= 5, counts
    # the scenario's Danish names are used: groups and scenario names
    assert "Hjemløse enlige" in html and "Homeless singles" not in html
    english = build_report([world.compare_dir], language="en")
    assert sum(english_word_count(english).values()) > 100  # the counter does count
