"""The dashboard without a browser: levers, the engine of paired replications, the views, the settings."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

from simulation.dashboard.engine import Engine, WorkerPool
from simulation.dashboard.levers import (
    LEVERS,
    RUN_LEVERS,
    apply_settings,
    current_value,
    levers_for,
    problem_text,
    tier_levers,
    variant_toml,
)
from simulation.dashboard.server import ENVIRONMENT, DashboardSettings, server_command
from simulation.dashboard.views import comparison_view
from simulation.experiments.results import finished_replications, part_name
from simulation.experiments.runner import run_replication
from simulation.inputs.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "eksempelby.toml"
STEPPED = ROOT / "scenarios" / "eksempelby_trappemodel.toml"


@pytest.fixture(scope="module")
def example():
    return load_scenario(EXAMPLE)


@pytest.fixture(scope="module")
def stepped():
    return load_scenario(STEPPED)


# -- levers -----------------------------------------------------------------------------------------


def test_every_lever_names_a_field_that_moves_the_scenario(example) -> None:
    nudged = {
        "share": lambda value: round(min(1.0, float(value) + 0.05), 2),
        "switch": lambda value: not value,
        "choice": None,
        "criteria": lambda value: [*value, "commuter"] if "commuter" not in value else value[:1],
        "integer": lambda value: int(value) + 1,
    }
    for lever in LEVERS:
        value = current_value(example, lever, years=10, replications=6)
        if lever.kind == "choice":
            new = next(option for option in lever.options if option != value)
        else:
            new = nudged[lever.kind](value)  # type: ignore[misc]
        outcome = apply_settings(example, {lever.path: new})
        assert outcome.problems == {}, lever.path
        assert outcome.variant is not None
        assert outcome.variant.digest != example.digest, lever.path


def test_levers_have_both_languages_and_tiers_get_their_own(stepped) -> None:
    levers = levers_for(stepped)
    assert all(lever.label["da"] and lever.label["en"] for lever in levers)
    tiers = tier_levers(stepped)
    assert [lever.path for lever in tiers if lever.path.endswith(".enabled")] == [
        "agreement.tiers[0].enabled",
        "agreement.tiers[1].enabled",
        "agreement.tiers[2].enabled",
    ]
    # the green tier has no conditions, so no condition lever
    assert not any(lever.path.startswith("agreement.tiers[2].when") for lever in tiers)
    assert levers[-len(RUN_LEVERS) :] == RUN_LEVERS


def test_unchanged_settings_are_the_reference_itself(example) -> None:
    outcome = apply_settings(example, {"agreement.default_referral_share": 0.25, "run.years": 3})
    assert outcome.variant is example
    assert outcome.overrides == {}


def test_a_share_above_one_gets_the_validators_message_at_its_lever(example, tmp_path) -> None:
    outcome = apply_settings(example, {"agreement.default_referral_share": 1.5})
    assert outcome.variant is None
    [problem] = outcome.problems["agreement.default_referral_share"]
    shown = problem_text(problem)
    assert shown.startswith("agreement.default_referral_share: got 1.5; expected a share")
    # the same words as a scenario file with that value gets from the validator
    file = tmp_path / "bad.toml"
    file.write_text(
        f'extends = "{EXAMPLE.as_posix()}"\nschema_version = 1\nname = "x"\n'
        "[agreement]\ndefault_referral_share = 1.5\n"
    )
    from simulation.inputs.scenario import scenario_problems

    [from_file] = scenario_problems(file)
    assert str(from_file).endswith(shown)
    # and in Danish on a Danish page
    danish = problem_text(problem, "da")
    assert danish.startswith("agreement.default_referral_share: fik 1.5; forventede en andel")
    assert from_file.text("da").endswith(danish)


def test_text_that_is_no_number_is_the_validators_to_refuse(example) -> None:
    outcome = apply_settings(example, {"agreement.flexible_letting_share": "lots"})
    assert outcome.variant is None
    [problem] = outcome.problems["agreement.flexible_letting_share"]
    assert "'lots'" in problem_text(problem)


def test_a_tier_condition_that_cannot_hold_is_refused_at_its_lever(stepped) -> None:
    path = "agreement.tiers[1].when.outside_work_education_share_above"
    outcome = apply_settings(stepped, {path: 1.2})
    assert outcome.variant is None
    assert list(outcome.problems) == [path]


def test_a_problem_after_a_dropped_tier_is_told_at_the_tier_the_page_shows(stepped) -> None:
    # red is dropped, so yellow is tiers[0] of the variant; its problem belongs to the page's tiers[1]
    path = "agreement.tiers[1].referral_share"
    outcome = apply_settings(stepped, {"agreement.tiers[0].enabled": False, path: -0.1})
    assert list(outcome.problems) == [path]
    assert problem_text(outcome.problems[path][0]).startswith("agreement.tiers[1].referral_share")


def test_dropping_a_tier_and_changing_another(stepped) -> None:
    outcome = apply_settings(
        stepped,
        {"agreement.tiers[0].enabled": False, "agreement.tiers[2].referral_share": 0.5},
    )
    assert outcome.variant is not None
    tiers = outcome.variant.scenario.agreement.tiers
    assert [tier.name for tier in tiers] == ["yellow", "green"]
    assert tiers[1].referral_share == 0.5
    assert tiers[0].when.area_lists == stepped.scenario.agreement.tiers[1].when.area_lists


def test_the_saved_variant_extends_the_reference_with_only_what_differs(stepped, tmp_path) -> None:
    settings = {
        "agreement.flexible_letting_share": 0.5,
        "agreement.combined_letting": True,  # as the reference: not written
        "agreement.tiers[0].enabled": False,
        "agreement.placement_policy": "optimised",
    }
    target = tmp_path / "deep" / "variant.toml"
    target.parent.mkdir()
    text = variant_toml(stepped, settings, target, name="Test variant", years=7)
    target.write_text(text, encoding="utf-8")
    assert "combined_letting" not in text
    assert "flexible_letting_share = 0.5" in text
    assert "[horizon]\nyears = 7" in text
    assert text.count("[[agreement.tiers]]") == 2
    loaded = load_scenario(target)
    variant = apply_settings(stepped, settings).variant
    assert variant is not None
    assert loaded.scenario.agreement == variant.scenario.agreement
    assert loaded.scenario.horizon.years == 7
    assert loaded.scenario.name == "Test variant"
    # relative: the pair can be moved together
    assert f'extends = "{os.path.relpath(STEPPED, target.parent)}"' in text


def test_no_tiers_left_is_written_as_an_empty_list(stepped, tmp_path) -> None:
    settings = {f"agreement.tiers[{index}].enabled": False for index in range(3)}
    target = tmp_path / "none.toml"
    target.write_text(variant_toml(stepped, settings, target), encoding="utf-8")
    assert load_scenario(target).scenario.agreement.tiers == ()


# -- the engine -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pool():
    workers = WorkerPool(1)
    yield workers
    workers.close()


@pytest.mark.slow
def test_engine_pairs_replications_with_the_same_seeds_and_caches_them(
    example, pool, tmp_path_factory
) -> None:
    cache = tmp_path_factory.mktemp("cache")
    engine = Engine(example, cache, entropy=3, pool=pool)
    variant = example.with_overrides({"agreement.default_referral_share": 0.5})
    updates = []
    request = engine.request(variant, years=1, replications=2, on_update=updates.append)
    progress = request.wait(timeout=600)
    assert progress.status == "done", progress.error
    assert progress.pairs == (0, 1)
    assert progress.first_result_seconds is not None
    assert updates and updates[-1] is request
    assert request.paired
    assert finished_replications(request.reference_dir) == [0, 1]
    assert finished_replications(request.variant_dir) == [0, 1]

    # replication 1 of the variant is the one simulate() would make with the same seed
    direct = run_replication(variant, entropy=3, replication=1, years=1)["area_year"]
    stored = pd.read_parquet(request.variant_dir / "area_year.parquet" / part_name(1))
    pd.testing.assert_frame_equal(
        direct.reset_index(drop=True), stored.reset_index(drop=True), check_dtype=False
    )

    # the same settings again come from the cache: nothing is run
    markers = sorted((request.variant_dir / "replications").glob("*.json"))
    stamps = [marker.stat().st_mtime_ns for marker in markers]
    again = engine.request(variant, years=1, replications=2).wait(timeout=600)
    assert again.status == "done" and again.pairs == (0, 1)
    assert [marker.stat().st_mtime_ns for marker in markers] == stamps

    # the report of the comparison, as the page saves it
    report = tmp_path_factory.mktemp("report") / "report.html"
    comparison_view(request.reference_dir, request.variant_dir, (0, 1), "da").write_report(report)
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")

    # the views of the pair: the reference first, every replication paired
    view = comparison_view(request.reference_dir, request.variant_dir, progress.pairs, "en")
    assert view.labels == ("reference", "variant")
    assert set(view.data.indicators["scenario"]) == {"reference", "variant"}
    assert list(view.risk_table.columns[:3]) == ["area_name", "list", "year"]
    decision = view.decision_html()
    assert "<table" in decision
    assert "appendix" not in decision, "the dashboard has no appendix to point to"
    names = view.data.runs[0].group_names
    assert len(names) > 1 and all(name in decision for name in names.values()), (
        "every referral group's wait on the page"
    )
    assert view.profile_html()
    one = comparison_view(request.reference_dir, request.variant_dir, (1,), "da")
    assert one.labels == ("udgangspunkt", "variant")
    assert sorted(one.data.runs[1].measures.indicators["replication"]) == [1]


@pytest.mark.slow
def test_a_new_request_cancels_the_running_one(example, pool, tmp_path_factory) -> None:
    cache = tmp_path_factory.mktemp("cache")
    engine = Engine(example, cache, pool=pool)
    slow_variant = example.with_overrides({"agreement.flexible_letting_share": 0.2})
    slow = engine.request(slow_variant, years=20, replications=4)
    assert engine.request(slow_variant, years=20, replications=4) is slow  # asked again: runs on
    quick = engine.request(example, years=1, replications=1)
    assert slow.progress.status == "cancelled"
    assert len(slow.progress.pairs) < 4
    done = quick.wait(timeout=600)
    assert done.status == "done" and done.pairs == (0,)
    assert not quick.paired
    engine.cancel()  # nothing running: nothing happens


def test_engine_cache_folder_follows_the_variants_digest(example, tmp_path) -> None:
    engine = Engine(example, tmp_path, pool=WorkerPool(1))
    variant = example.with_overrides({"agreement.default_referral_share": 0.3})
    assert engine.run_dir(example, 10) != engine.run_dir(variant, 10)
    assert engine.run_dir(example, 10) != engine.run_dir(example, 11)
    assert engine.run_dir(variant, 10) == engine.run_dir(
        example.with_overrides({"agreement.default_referral_share": 0.3}), 10
    )


# -- the server's settings --------------------------------------------------------------------------


def test_the_server_is_offline_local_and_quiet() -> None:
    settings = DashboardSettings(scenarios=["/a.toml"], language="da", years=3)
    assert DashboardSettings(**json.loads(settings.to_json())) == settings
    command = server_command(8765)
    assert "--production" in command and "--no-check-version" in command
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert ENVIRONMENT["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"
    assert ENVIRONMENT["SOLARA_ASSETS_CDN"].startswith("http://127.0.0.1:")


def test_the_command_line_and_the_engine_load_no_web_framework() -> None:
    import subprocess
    import sys

    from simulation.experiments.runner import PRESENTATION

    assert "dashboard/" in PRESENTATION  # editing the page leaves cached runs valid
    code = (
        "import sys, simulation.cli.main, simulation.dashboard.engine, "
        "simulation.dashboard.levers, simulation.dashboard.views\n"
        "print('solara' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
