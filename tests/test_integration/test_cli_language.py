"""``--lang da|en`` on every command: Danish help, Danish output, and where the default comes from.

The scenario's ``language`` counts before ``$BLANDETBY_LANG``, which counts before English; help
is in the language of ``--lang`` on the command line or the environment (it is printed before any
scenario is read). Tables printed on the terminal fit its width.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from english import HELP
from english import english_words as find_english

from simulation.cli.arguments import LANGUAGE_VARIABLE, help_language
from simulation.cli.danish import _parsers, untranslated
from simulation.cli.main import build_parser, main


def english_words(text: str) -> list[str]:
    """The common English words of help and terminal text (quoted words count too)."""
    return find_english(text, HELP, quoted=True)


def all_help(language: str) -> str:
    """The help of ``blandetby`` and of every command, in ``language``."""
    parser = build_parser("da" if language == "da" else "en")
    return "\n".join(each.format_help() for each in _parsers(parser))


@pytest.fixture(autouse=True)
def no_language_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LANGUAGE_VARIABLE, raising=False)


def test_every_help_text_has_a_danish_text() -> None:
    assert untranslated(build_parser()) == []


def test_the_danish_help_has_no_english() -> None:
    from simulation.cli.danish import argparse_language

    with argparse_language("da"):
        danish = all_help("da")
    found = english_words(danish)
    assert len(found) <= 3, found  # e.g. "auto" choices are identifiers, not words
    assert "brug: blandetby" in danish and "positionelle argumenter" in danish
    assert "vis denne hjælp og afslut" in danish and "gentagelser" in danish
    english = all_help("en")
    assert len(english_words(english)) > 100  # the counter does count
    assert "usage: blandetby" in english and "show this help message and exit" in english


@pytest.mark.parametrize(
    ("argv", "environment"),
    [
        (["--lang", "da", "--help"], None),
        (["run", "--help"], "da"),
        (["run", "--lang", "da", "--help"], None),
        (["run", "--lang=da", "--help"], "en"),
    ],
)
def test_help_is_danish_when_asked(
    argv: list[str],
    environment: str | None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if environment:
        monkeypatch.setenv(LANGUAGE_VARIABLE, environment)
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 0
    printed = capsys.readouterr().out
    assert printed.startswith("brug: blandetby") and "tilvalg:" in printed
    assert len(english_words(printed)) <= 1
    # and argparse's own words are English again afterwards
    assert argparse.ArgumentParser(prog="x").format_usage().startswith("usage:")


def test_an_argument_error_is_danish_with_lang_da(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--lang", "da", "run"])
    assert stop.value.code == 2
    error = capsys.readouterr().err
    assert "fejl: disse argumenter mangler: SCENARIE" in error


def test_help_language_reads_the_command_line_then_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert help_language(["run", "x.toml"]) == "en"
    assert help_language(["run", "--lang", "da"]) == "da"
    assert help_language(["--lang=da", "run"]) == "da"
    monkeypatch.setenv(LANGUAGE_VARIABLE, "DA")
    assert help_language(["run"]) == "da"
    assert help_language(["run", "--lang", "en"]) == "en"
    monkeypatch.setenv(LANGUAGE_VARIABLE, "fr")  # not one of ours: English
    assert help_language(["run"]) == "en"


def test_every_command_takes_lang() -> None:
    parser = build_parser()
    commands = [each for each in _parsers(parser) if each is not parser]
    assert len(commands) >= 13
    for command in commands:
        lang = [action for action in command._actions if action.dest == "lang"]
        assert lang and lang[0].choices == ("da", "en") and lang[0].default is None, command.prog


def run_once(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def test_run_speaks_danish(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["run", str(example), "--years", "1", "--quiet", "--no-figures"]
    danish = run_once([*argv, "--out", str(tmp_path / "da"), "--lang", "da"], capsys)
    assert "Eksempelby — lovens standard (syntetiske data): 1 år, startværdi 0" in danish
    assert "Områder på listerne" in danish and "Hjemløse enlige" in danish
    assert re.search(r"opnået \d+,\d %", danish)  # the decimal comma
    assert "Kørselsmappe:" in danish
    assert len(english_words(danish)) <= 2, english_words(danish)
    english = run_once([*argv, "--out", str(tmp_path / "en")], capsys)
    assert "Referral share of lettings: achieved" in english and "Homeless singles" in english


def test_the_language_comes_from_the_scenario_then_the_environment(
    write_scenario: Callable[[str, str], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    danish_scenario = write_scenario('extends = "{example}"\nlanguage = "da"\n', "da.toml")
    plain = write_scenario('extends = "{example}"\n', "plain.toml")
    argv = ["--years", "1", "--quiet", "--no-figures"]
    out = tmp_path / "runs"
    said = run_once(["run", str(danish_scenario), *argv, "--out", str(out / "1")], capsys)
    assert "Kørselsmappe:" in said  # the scenario's language
    # report and followup read a run folder: its scenario's language counts there
    from simulation.cli.arguments import folder_language

    assert folder_language(out / "1") == "da" and folder_language(tmp_path) == "auto"
    said = run_once(
        ["run", str(danish_scenario), *argv, "--out", str(out / "2"), "--lang", "en"], capsys
    )
    assert "Run folder:" in said  # --lang wins over the scenario
    said = run_once(["run", str(plain), *argv, "--out", str(out / "3")], capsys)
    assert "Run folder:" in said  # nothing says otherwise: English
    monkeypatch.setenv(LANGUAGE_VARIABLE, "da")
    said = run_once(["run", str(plain), *argv, "--out", str(out / "4")], capsys)
    assert "Kørselsmappe:" in said  # the environment
    english_scenario = write_scenario('extends = "{example}"\nlanguage = "en"\n', "en.toml")
    said = run_once(["run", str(english_scenario), *argv, "--out", str(out / "5")], capsys)
    assert "Run folder:" in said  # the scenario wins over the environment
    said = run_once(["--lang", "en", "run", str(plain), *argv, "--out", str(out / "6")], capsys)
    assert "Run folder:" in said  # blandetby --lang sets every command's default


@pytest.fixture(scope="module")
def world(report_fixtures: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    return report_fixtures.make_tiny_world(tmp_path_factory.mktemp("cli-language"))


def test_compare_speaks_danish_with_names_and_fits_80_columns(world: Any) -> None:
    from simulation.cli.compare import format_headline, format_prices
    from simulation.experiments.compare import compare_runs

    comparison = compare_runs(dict(zip(("standard", "hoej"), world.run_dirs, strict=True)))
    names = {"standard": "Eksempelby — lovens standard", "hoej": "Høj anvisningsandel"}
    for width in (80, 60):
        text = "\n".join(
            [
                format_headline(
                    comparison, seed=3, terminal_width=width, language="da", names=names
                ),
                format_prices(comparison, language="da", names=names, terminal_width=width),
            ]
        )
        assert max(len(line) for line in text.splitlines()) <= width
    assert "Høj anvisningsandel mod Eksempelby — lovens standard:" in text
    assert "gentagelser hver, startværdi 3" in text and "Ventetid, median (mdr.)" in text
    assert re.search(r"\d,\d", text) and not re.search(r"\d\.\d", text)  # decimal commas only
    assert "hoej" not in text and "standard:" not in text.replace("lovens standard:", "")
    assert len(english_words(text)) <= 2, english_words(text)
    english = format_headline(comparison, seed=3, terminal_width=None)
    assert "differences are paired by replication" in english and "hoej" in english


def test_classify_speaks_danish_within_80_columns(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    areas = Path(__file__).parents[1] / "data" / "areas_example.csv"
    danish = run_once(["classify", str(areas), "--lang", "da"], capsys)
    assert "listerne for 2024 (lovgrundlag 2021):" in danish
    flowing = " ".join(danish.split())  # the reasons wrap
    assert "(3 af 4 kriterier): uden for arbejde/uddannelse 46,8 % > 40 %" in flowing
    assert max(len(line) for line in danish.splitlines()) <= 80
    assert len(english_words(danish)) == 0, english_words(danish)
    english = run_once(["classify", str(areas)], capsys)
    assert "lists of 2024 (regime 2021):" in english and "(3 of 4 criteria)" in english


def test_progress_lines_speak_danish() -> None:
    import io

    from simulation.cli.run import Progress

    stream = io.StringIO()
    with Progress("Eksempelby", stream=stream, language="da") as progress:
        progress.start(3, 1)
        progress.advance(1)
    lines = stream.getvalue().splitlines()
    assert lines[0] == "Eksempelby: 3 gentagelser at køre (1 færdige fra før beholdes)"
    assert lines[1].startswith("Eksempelby: gentagelse 2 af 3 færdig (")
    assert "indtil nu, omkring" in lines[1]


def test_the_language_does_not_change_what_is_simulated(
    write_scenario: Callable[[str, str], Path],
) -> None:
    from simulation.inputs.scenario import load_scenario

    danish = load_scenario(write_scenario('extends = "{example}"\nlanguage = "da"\n', "da.toml"))
    plain = load_scenario(write_scenario('extends = "{example}"\n', "plain.toml"))
    assert danish.scenario.language == "da" and plain.scenario.language == "auto"
    assert danish.digest == plain.digest  # run folders and plans stay the same scenario's
