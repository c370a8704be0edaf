"""Errors in Danish with ``--lang da``: a planner who works in Danish is not dropped into English.

Each command runs in-process on a bad input, once with ``--lang da`` and once without: exit code
2 (1 for a failed solve), a Danish message that names the file, the field or row and column, the
value and what was expected, and no common English word; the English message is as before.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from english import english_words

from simulation.cli.arguments import LANGUAGE_VARIABLE
from simulation.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "eksempelby.toml"
OTHER = ROOT / "scenarios" / "eksempelby_hoej_anvisning.toml"
EXAMPLE_CSV = ROOT / "scenarios" / "eksempelby_departments.csv"


@pytest.fixture(autouse=True)
def no_language_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LANGUAGE_VARIABLE, raising=False)


def blandetby(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run the command line; return its exit code and what it said on standard error."""
    capsys.readouterr()
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    return code, capsys.readouterr().err


def danish(message: str) -> str:
    """``message``, checked to hold no common English word."""
    assert english_words(message) == [], message
    return message


def scenario(tmp_path: Path, body: str, *, csv: Path | None = None) -> Path:
    lines = [f'extends = "{EXAMPLE.as_posix()}"', "schema_version = 1"]
    if csv is not None:
        lines += ["[municipality]", f'departments_file = "{csv.name}"']
    path = tmp_path / "scenario.toml"
    path.write_text("\n".join(lines) + "\n" + body, encoding="utf-8")
    return path


def departments_with(tmp_path: Path, column: str, value: str, name: str = "bad.csv") -> Path:
    """The example's department CSV with ``column`` of its first department set to ``value``."""
    lines = [line for line in EXAMPLE_CSV.read_text().splitlines() if not line.startswith("#")]
    header = lines[0].split(",")
    first = lines[1].split(",")
    first[header.index(column)] = value
    path = tmp_path / name
    path.write_text("\n".join([lines[0], ",".join(first), *lines[2:]]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished one-year run of the example."""
    out = tmp_path_factory.mktemp("errors-da") / "run"
    argv = ["run", str(EXAMPLE), "--years", "1", "--out", str(out), "--quiet", "--no-figures"]
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(argv) == 0
    return out


# -- the scenario and its department data ----------------------------------------------------------


def test_a_bad_toml_value_in_danish_and_in_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = scenario(
        tmp_path, "[agreement]\ndefault_referral_share = 1.5\nflexible_letting_share = 'x'\n"
    )
    code, message = blandetby(["validate", str(path), "--lang", "da"], capsys)
    assert code == 2
    assert danish(message).count(str(path)) == 2
    assert (
        "agreement.default_referral_share: fik 1.5; forventede en andel fra 0 til 1 (en andel "
        "skrives 0–1: 25 % er 0,25)" in message
    )
    assert "agreement.flexible_letting_share: fik 'x'; forventede et tal" in message
    code, english = blandetby(["validate", str(path)], capsys)
    assert code == 2
    assert "agreement.default_referral_share: got 1.5; expected a share from 0 to 1" in english
    assert "agreement.flexible_letting_share: got 'x'; expected a valid number" in english


def test_an_unknown_key_a_missing_file_and_broken_toml_in_danish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = scenario(tmp_path, "[agreement]\ndefault_referal_share = 0.3\n")
    code, message = blandetby(["run", str(path), "--lang", "da"], capsys)
    assert code == 2
    assert "agreement.default_referal_share: fik en ukendt nøgle; forventede en af: " in danish(
        message
    )
    assert "(mente du 'default_referral_share'?)" in message
    code, message = blandetby(["run", str(tmp_path / "nowhere.toml"), "--lang", "da"], capsys)
    assert code == 2
    assert "nowhere.toml: fik " in danish(message)
    assert "forventede en eksisterende scenariefil (.toml)" in message
    broken = tmp_path / "broken.toml"
    broken.write_text("schema_version = 1\nname = \n", encoding="utf-8")
    code, message = blandetby(["optimise", str(broken), "--lang", "da"], capsys)
    assert code == 2
    assert "forventede gyldig TOML (linje 2, kolonne 8: ugyldig værdi)" in danish(message)


def test_a_bad_department_cell_in_danish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = departments_with(tmp_path, "households", "mange")
    path = scenario(tmp_path, "", csv=csv)
    code, message = blandetby(["run", str(path), "--lang", "da", "--years", "1"], capsys)
    assert code == 2
    assert f"{csv}: række 2, kolonne 'households': fik 'mange'; forventede et tal" in danish(
        message
    )
    code, english = blandetby(["run", str(path), "--years", "1"], capsys)
    assert f"{csv}: row 2, column 'households': got 'mange'; expected a number" in english


def test_the_scenarios_own_language_counts_before_it_is_valid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``language = "da"`` in the file: its problems are Danish without ``--lang``."""
    path = scenario(tmp_path, "[horizon]\nyears = 101\n")
    path.write_text('language = "da"\n' + path.read_text(encoding="utf-8"), encoding="utf-8")
    code, message = blandetby(["run", str(path)], capsys)
    assert code == 2
    assert "horizon.years: fik 101; forventede et endeligt tal fra 1 til 100 (år)" in danish(
        message
    )
    child = tmp_path / "child.toml"  # what it extends says it too
    child.write_text('extends = "scenario.toml"\nschema_version = 1\n', encoding="utf-8")
    code, message = blandetby(["validate", str(child)], capsys)
    assert code == 2 and "horizon.years: fik 101" in message


def test_a_warning_about_the_input_in_danish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [line for line in EXAMPLE_CSV.read_text().splitlines() if not line.startswith("#")]
    csv = tmp_path / "extra.csv"
    csv.write_text("\n".join([lines[0] + ",ekstra", *(f"{line},1" for line in lines[1:])]) + "\n")
    path = scenario(tmp_path, "", csv=csv)
    code, message = blandetby(["validate", str(path), "--lang", "da"], capsys)
    assert code == 0
    expected = f"advarsel: {csv}: 1 kolonne, som blandetby ikke bruger, springes over: 'ekstra'\n"
    assert danish(message) == expected
    code, english = blandetby(["validate", str(path)], capsys)
    assert english == f"warning: {csv}: 1 column not used by blandetby, ignored: 'ekstra'\n"


# -- run folders, report and follow-up --------------------------------------------------------------


def test_a_folder_that_is_not_a_run_folder_in_danish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("mine\n")
    code, message = blandetby(["report", str(tmp_path), "--lang", "da"], capsys)
    assert code == 2
    assert message.startswith(f"fejl: {tmp_path} er hverken en kørselsmappe (ingen run.json)")
    danish(message)
    actual = tmp_path / "actual.csv"
    actual.write_text(EXAMPLE_CSV.read_text())
    code, message = blandetby(["followup", str(tmp_path), str(actual), "--lang", "da"], capsys)
    assert code == 2
    assert danish(message) == f"fejl: {tmp_path} er ikke en kørselsmappe: den har ingen run.json\n"
    out = ["--out", str(tmp_path), "--years", "1", "--quiet"]
    code, message = blandetby(["run", str(EXAMPLE), *out, "--lang", "da"], capsys)
    assert code == 2
    assert f"fejl: {tmp_path} findes og er ikke en kørselsmappe; vælg en anden --out" in danish(
        message
    )
    code, english = blandetby(["report", str(tmp_path)], capsys)
    assert english.startswith(f"error: {tmp_path} is not a run folder (no run.json)")


def test_a_run_without_a_finished_replication_in_danish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "run.json").write_text('{"run_id": "x", "replications": 1, "scenario": {}}')
    out = ["--out", str(tmp_path / "r.html"), "--quiet"]
    code, message = blandetby(["report", str(tmp_path), *out, "--lang", "da"], capsys)
    assert code == 2
    assert danish(message) == f"fejl: {tmp_path} har endnu ingen færdig gentagelse\n"


def test_a_plan_of_another_scenario_is_refused_in_danish(
    run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "foreign-plan"
    code, _ = blandetby(["optimise", str(OTHER), "--out", str(foreign)], capsys)
    assert code == 0
    argv = ["report", str(run_dir), "--plan", str(foreign), "--out", str(tmp_path / "r.html")]
    code, message = blandetby([*argv, "--lang", "da"], capsys)
    assert code == 2
    name = "Eksempelby — high referral share"  # the scenario's own name, in its language
    assert f"plan.json: scenario.digest: planen er lavet ud fra {name} (" in message
    danish(message.replace(name, ""))
    assert "som ikke er nogen af rapportens kørsler: run (fingeraftryk " in message
    code, english = blandetby(argv, capsys)
    assert "plan.json: scenario.digest: the plan was made from" in english


def test_followup_bad_input_in_danish(
    run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    actual = departments_with(tmp_path, "residents", "-4")
    code, message = blandetby(["followup", str(run_dir), str(actual), "--lang", "da"], capsys)
    assert code == 2
    assert f"{actual}: række 2, kolonne 'residents': fik '-4'; forventede et tal ≥ 0" in danish(
        message
    )
    argv = ["followup", str(run_dir), str(EXAMPLE_CSV), "--year", "2099", "--lang", "da"]
    code, message = blandetby(argv, capsys)
    assert code == 2
    assert danish(message).startswith("fejl: --year: fik 2099; forventede et simuleret år i ")


# -- the optimiser ----------------------------------------------------------------------------------


def test_a_failed_solve_in_danish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A solve that ends without an optimum (forced here: the example is solvable) exits 1."""
    from optimisation.constants import SolverName, SolverStatus, Stage
    from optimisation.errors import SolverError
    from simulation.cli import optimise

    def infeasible(*args: object, **kwargs: object) -> None:
        raise SolverError(SolverStatus.INFEASIBLE, SolverName.HIGHS, Stage.SHORTFALL)

    monkeypatch.setattr(optimise, "plan_for_scenario", infeasible)
    argv = ["optimise", str(EXAMPLE), "--out", str(tmp_path / "plan")]
    code, message = blandetby([*argv, "--lang", "da"], capsys)
    assert code == 1
    assert danish(message) == (
        "fejl: løseren fejlede: highs sluttede i trin 'shortfall' med status 'infeasible' "
        "(ingen løsning opfylder betingelserne); der blev ikke lavet nogen plan\n"
    )
    code, english = blandetby(argv, capsys)
    assert english == (
        "error: the solver failed: highs ended stage 'shortfall' with status 'infeasible'; "
        "no plan was produced\n"
    )


def test_the_english_word_counter_counts() -> None:
    found = english_words("error: x is not a run folder; expected a folder")
    assert found == ["error", "is", "not", "a", "folder", "expected", "a", "folder"]
    assert english_words("fejl: 'the file' er ikke en kørselsmappe; --the-option") == []
