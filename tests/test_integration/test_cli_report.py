"""``blandetby report``: from run folders, compare folders and a plan to one HTML file."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from simulation.cli import report as report_command
from simulation.cli.main import main

pytestmark = pytest.mark.xdist_group("cli-report")  # one worker builds the module's world once


def blandetby(argv: list[str]) -> int:
    """Run ``blandetby …`` through the real CLI."""
    return main(argv)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, report_fixtures: ModuleType) -> Any:
    return report_fixtures.make_tiny_world(tmp_path_factory.mktemp("cli-report"))


def section_ids(html: str) -> list[str]:
    return re.findall(r'<section id="([a-z]+)">', html)


def test_the_command_has_the_shape_of_the_others() -> None:
    assert report_command.NAME == "report"
    assert report_command.HELP
    assert callable(report_command.add_arguments) and callable(report_command.run)


@pytest.mark.slow
def test_a_compare_folder_gives_a_report_beside_it(
    world: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    target = world.compare_dir / "report.html"
    target.unlink(missing_ok=True)
    assert blandetby(["report", str(world.compare_dir)]) == 0
    assert f"Report written to {target}" in capsys.readouterr().out
    html = target.read_text(encoding="utf-8")
    assert section_ids(html) == [
        "agreement",
        "headline",
        "evidence",
        "profile",
        "assumptions",
        "details",
    ]
    assert '<html lang="en">' in html
    assert html.count('<img src="data:image/png;base64,') == 7


@pytest.mark.slow
def test_several_run_folders_in_danish_with_a_plan(
    world: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "nested" / "rapport.html"
    argv = ["report", *map(str, world.run_dirs), "--lang", "da", "--plan", str(world.plan_dir)]
    assert blandetby([*argv, "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    html = out.read_text(encoding="utf-8")
    assert section_ids(html) == [
        "agreement",
        "headline",
        "evidence",
        "plan",
        "profile",
        "assumptions",
        "details",
    ]
    assert '<html lang="da">' in html and "Anvisningsplanen" in html
    assert html.count('<img src="data:image/png;base64,') == 8
    assert not list(out.parent.glob(".*.tmp"))  # written atomically, nothing left behind


@pytest.mark.slow
def test_a_plan_folder_among_the_arguments_is_the_plan(world: Any, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert (
        blandetby(["report", str(world.compare_dir), str(world.plan_dir), "--out", str(out)]) == 0
    )
    assert "plan" in section_ids(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp, world: tmp / "missing", "does not exist"),
        (lambda tmp, world: tmp, "is not a run folder (no run.json)"),
        (lambda tmp, world: world.plan_dir, "no run folder or compare folder given"),
    ],
    ids=["missing", "not-a-run-folder", "only-a-plan"],
)
def test_invalid_input_exits_2(
    world: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Any, message: str
) -> None:
    assert blandetby(["report", str(make(tmp_path, world))]) == 2
    assert message in capsys.readouterr().err


def test_a_bad_plan_folder_or_out_folder_exits_2(
    world: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert blandetby(["report", str(world.compare_dir), "--plan", str(tmp_path)]) == 2
    assert "not an optimiser output folder" in capsys.readouterr().err
    assert blandetby(["report", str(world.compare_dir), "--out", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_an_unknown_language_is_refused_by_the_parser(world: Any) -> None:
    with pytest.raises(SystemExit) as exit_info:
        blandetby(["report", str(world.compare_dir), "--lang", "sv"])
    assert exit_info.value.code == 2


def test_a_plan_from_another_scenario_is_refused(
    world: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "foreign-plan"
    assert blandetby(["optimise", str(world.hoej), "--out", str(foreign)]) == 0
    capsys.readouterr()
    out = tmp_path / "report.html"
    standard_run = str(world.run_dirs[0])
    argv = ["report", standard_run, "--plan", str(foreign), "--out", str(out)]
    assert blandetby(argv) == 2
    error = capsys.readouterr().err
    assert "plan.json: scenario.digest: the plan was made from" in error
    assert "none of the report's runs" in error and not out.exists()
    # beside the runs of both scenarios it is the plan of one of them, and says which
    assert (
        blandetby(["report", str(world.compare_dir), "--plan", str(foreign), "--out", str(out)])
        == 0
    )
    assert "The plan was made from the scenario" in out.read_text(encoding="utf-8")
    # a plan folder without its record cannot be checked: refused, with how to remake it
    (foreign / "plan.json").unlink()
    assert blandetby(argv) == 2
    assert "no plan.json" in capsys.readouterr().err


def test_report_says_its_steps_and_compare_fits_the_terminal(
    world: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from simulation.cli.compare import format_headline
    from simulation.experiments.compare import compare_runs

    out = tmp_path / "r.html"
    assert blandetby(["report", str(world.compare_dir), "--out", str(out)]) == 0
    steps = capsys.readouterr().err
    assert "report: reading the run folders (2)" in steps and "s so far" in steps
    assert blandetby(["report", str(world.compare_dir), "--out", str(out), "--quiet"]) == 0
    assert capsys.readouterr().err == ""
    comparison = compare_runs(dict(zip(("standard", "hoej"), world.run_dirs, strict=True)))
    narrow = format_headline(comparison, seed=3, terminal_width=60)
    assert max(len(line) for line in narrow.splitlines()) <= 60
    assert "hoej against standard:" in narrow
    wide = format_headline(comparison, seed=3, terminal_width=None)
    assert "hoej against standard:" not in wide  # one wide table when there is room


def test_report_steps_are_said_in_danish_with_lang_da(
    world: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, workbook = tmp_path / "r.html", tmp_path / "r.xlsx"
    argv = ["report", str(world.compare_dir), "--out", str(out), "--xlsx", str(workbook)]
    assert blandetby([*argv, "--lang", "da"]) == 0
    steps = capsys.readouterr().err.splitlines()
    assert [re.sub(r" \(\d+ s indtil nu\)$", "", line) for line in steps] == [
        "report: læser kørselsmapperne (2)",
        "report: beregner beslutningen og tegner figurerne",
        f"report: skriver regnearket {workbook}",
    ]
    for english in ("reading", "computing", "writing", "so far"):
        assert not any(english in line for line in steps), english
