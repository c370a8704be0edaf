"""``blandetby run --replications/--workers``, ``compare``, ``sweep`` and ``frontier`` end to end.

The parsers are built from the command modules themselves, so these tests do not depend on the
commands being registered in :mod:`simulation.cli.main`.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from simulation.base.spreadsheet import read_spreadsheet_csv
from simulation.cli import compare, frontier, sweep
from simulation.cli import run as run_command
from simulation.experiments.results import TABLES, finished_replications, part_name, read_run
from simulation.experiments.runner import simulate
from simulation.inputs.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "eksempelby.toml"
HIGH = ROOT / "scenarios" / "eksempelby_hoej_anvisning.toml"
SHARE = "agreement.default_referral_share"


def call(command: ModuleType, argv: list[str]) -> int:
    """Parse ``argv`` with the command's own parser and run it, as ``blandetby`` would."""
    parser = argparse.ArgumentParser(prog=f"blandetby {command.NAME}")
    command.add_arguments(parser)
    code: int = command.run(parser.parse_args(argv))
    return code


@pytest.mark.slow
def test_compare_writes_tables_figures_and_a_paired_headline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cmp"
    arguments = [str(EXAMPLE), str(HIGH), "--replications", "2", "--years", "2", "--workers", "1"]
    assert call(compare, [*arguments, "--seed", "3", "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "differences are paired by replication" in printed
    # one wide table on a wide terminal, a block per scenario on a narrow one (100 columns here)
    # scenarios by their names, not their file stems
    assert "Eksempelby — high referral share against Eksempelby — legal default:" in printed
    headline = printed.split("Price against")[0]  # the headline table, before the prices
    assert max(len(line) for line in headline.splitlines()) <= 100
    assert "Referral wait, median (months)" in printed and "Udsat areas" in printed
    manifest = json.loads((out / "compare.json").read_text())
    assert manifest["labels"] == ["eksempelby", "eksempelby_hoej_anvisning"]
    assert manifest["entropy"] == 3 and manifest["status"] == "complete"
    for label in manifest["labels"]:
        info = json.loads((out / "runs" / label / "run.json").read_text())
        assert info["entropy"] == 3 and info["status"] == "complete"
    differences = pd.read_csv(out / "differences.csv")
    referral = differences.set_index("indicator").loc["lettings_referral_per_year"]
    assert referral["difference_mean"] > 0, "a higher referral share lets more by referral"
    headline = pd.read_csv(out / "headline.csv")
    assert "eksempelby_hoej_anvisning_minus_eksempelby_low_95" in headline.columns
    figures = {p.name for p in (out / "figures").iterdir()}
    assert {"lists.png", "criteria_outside_work_education_share.png"} <= figures
    # running it again resumes: nothing is redone, the same tables come out
    before = pd.read_parquet(out / "indicators.parquet")
    again = [*arguments, "--seed", "3", "--out", str(out), "--quiet", "--no-figures"]
    assert call(compare, again) == 0
    pd.testing.assert_frame_equal(pd.read_parquet(out / "indicators.parquet"), before)


def test_compare_needs_two_scenarios(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert call(compare, [str(EXAMPLE), "--out", str(tmp_path / "x")]) == 2
    assert "at least two scenario files" in capsys.readouterr().err


def test_sweep_rejects_an_unknown_key_before_anything_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sweep"
    code = call(
        sweep,
        [
            str(EXAMPLE),
            "--vary",
            f"{SHARE}=0.1,0.2",
            "--vary",
            "agreement.referal_share=0.1",
            "--out",
            str(out),
        ],
    )
    assert code == 2
    error = capsys.readouterr().err
    assert "--vary agreement.referal_share=0.1" in error
    assert "a key of the scenario schema" in error and "nothing was run" in error
    assert not out.exists()


def test_sweep_rejects_a_bad_value_naming_key_and_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sweep"
    assert call(sweep, [str(EXAMPLE), "--vary", f"{SHARE}=0.2,25", "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert f"--vary {SHARE}=25" in error and "a share is written 0–1" in error
    assert not out.exists()


@pytest.mark.parametrize(
    ("vary", "extra", "message"),
    [
        (f"{SHARE}", [], "expected KEY=V1,V2"),
        (f"{SHARE}=0.1:0.4", [], "is a range: use --design lhs"),
        (f"{SHARE}=0.1:0.4", ["--design", "lhs"], "needs --samples"),
        (f"{SHARE}=0.1,0..2", [], "cannot read the value"),
    ],
)
def test_sweep_rejects_malformed_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], vary: str, extra: list[str], message: str
) -> None:
    out = tmp_path / "sweep"
    assert call(sweep, [str(EXAMPLE), "--vary", vary, *extra, "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


# the varied values in words, not the keys the user typed (issue 13)
SHARE_IN_WORDS = {
    "en": ("Default referral share 10 %", "Default referral share 60 %"),
    "da": (
        "Standardandel til kommunal anvisning 10 %",
        "Standardandel til kommunal anvisning 60 %",
    ),
}


@pytest.mark.parametrize("language", ["en", "da"])
def test_frontier_writes_a_pareto_table_and_plot(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    language: str,
) -> None:
    drawn: list[Figure] = []
    save = frontier.save_figure

    def keep(figure: Figure, target: Path) -> Path:
        drawn.append(figure)
        return save(figure, target)

    monkeypatch.setattr(frontier, "save_figure", keep)
    out = tmp_path / "frontier"
    arguments = [str(EXAMPLE), "--vary", f"{SHARE}=0.1,0.6", "--replications", "2"]
    arguments += ["--years", "2", "--out", str(out), "--quiet", "--workers", "1"]
    assert call(frontier, [*arguments, "--lang", language]) == 0
    printed = " ".join(capsys.readouterr().out.split())  # the sentence wraps to the terminal
    assert all(name in printed for name in SHARE_IN_WORDS[language])
    assert "default_referral_share" not in printed and "=0." not in printed
    dominated = "* = ikke domineret" if language == "da" else "* = not dominated"
    assert dominated in printed
    table = read_spreadsheet_csv(out / "frontier.csv")
    assert set(table["point"]) == {"p000", "p001"}
    assert table["pareto"].any()
    assert {"wait_mean_months", "listed_area_years_low_95"} <= set(table.columns)
    # the machine-readable label stays for researchers; the words sit beside it
    assert sorted(table["label"]) == ["default_referral_share=0.1", "default_referral_share=0.6"]
    assert sorted(table["point_name"]) == sorted(SHARE_IN_WORDS[language])
    assert (out / "figures" / "frontier.png").stat().st_size > 10_000
    (figure,) = drawn
    texts = " ".join(" ".join(text.get_text() for text in figure.findobj(Text)).split())
    assert all(name in texts for name in SHARE_IN_WORDS[language])
    assert "=" not in texts and "default_referral_share" not in texts
    axis = figure.axes[0]
    legend = {text.get_text() for text in axis.get_legend().get_texts()}
    if language == "da":
        assert "måneder" in axis.get_ylabel() and "færre er bedre" in axis.get_xlabel()
        assert legend <= {"domineret", "ikke domineret (Pareto)"}
        assert "Punkter" in texts and "Points" not in texts
    else:
        assert "months" in axis.get_ylabel() and "fewer is better" in axis.get_xlabel()
        assert legend <= {"dominated", "non-dominated (Pareto)"}
    points = read_spreadsheet_csv(out / "points.csv")
    assert points[SHARE].tolist() == [0.1, 0.6]
    assert points["point_name"].tolist() == list(SHARE_IN_WORDS[language])


@pytest.mark.parametrize("language", ["en", "da"])
def test_sweep_names_its_points_by_their_values_in_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str
) -> None:
    out = tmp_path / "sweep"
    arguments = [str(EXAMPLE), "--vary", f"{SHARE}=0.1,0.6", "--vary", "horizon.years=1,2"]
    arguments += ["--replications", "1", "--out", str(out), "--quiet", "--workers", "1"]
    assert call(sweep, [*arguments, "--lang", language]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    share, years = (
        ("Standardandel til kommunal anvisning 60 %", "Simulerede år 2 år")
        if language == "da"
        else ("Default referral share 60 %", "Years simulated 2 years")
    )
    separator = "; " if language == "da" else ", "
    assert f"{share}{separator}{years}" in printed
    assert "default_referral_share" not in printed and "years=" not in printed
    points = read_spreadsheet_csv(out / "points.csv")
    assert points["label"].iloc[-1] == "default_referral_share=0.6, years=2"
    assert points["point_name"].iloc[-1] == f"{share}{separator}{years}"


def test_run_with_workers_writes_the_same_tables_as_one_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = [str(EXAMPLE), "--years", "1", "--replications", "3", "--quiet", "--no-figures"]
    assert call(run_command, [*common, "--workers", "2", "--out", str(tmp_path / "two")]) == 0
    assert call(run_command, [*common, "--workers", "1", "--out", str(tmp_path / "one")]) == 0
    assert "3 replications" in capsys.readouterr().out
    two, one = read_run(tmp_path / "two"), read_run(tmp_path / "one")
    for name in TABLES:
        pd.testing.assert_frame_equal(two[name], one[name])
    info = json.loads((tmp_path / "two" / "run.json").read_text())
    assert info["executor"]["kind"] == "LocalProcessExecutor"
    assert info["code_digest"] and info["replication_seconds_total"] > 0


def start_and_stop(command: list[str], cwd: Path, out: Path, stop: signal.Signals) -> int:
    """Start ``command`` in its own process group; once a replication more than before has
    finished, send ``stop`` to the whole group; return the exit code."""
    before = len(finished_replications(out)) if out.exists() else 0
    process = subprocess.Popen(
        command, cwd=cwd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 120
    try:
        while len(finished_replications(out)) <= before:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "no replication finished in time"
            time.sleep(0.01)
    finally:
        os.killpg(process.pid, stop)
        code = process.wait(timeout=60)
    return code


@pytest.mark.slow
def test_interrupted_and_killed_runs_resume_to_exactly_the_uninterrupted_tables(
    tmp_path: Path,
) -> None:
    """Ctrl-C, then SIGKILL of the whole process group, then the same command: nothing differs."""
    out = tmp_path / "killed"
    replications = 12
    command = [sys.executable, "-m", "simulation.cli.main", "run", str(EXAMPLE), "--years", "2"]
    command += ["--replications", str(replications), "--workers", "2", "--batch-size", "1"]
    command += ["--out", str(out), "--quiet", "--no-figures", "--seed", "21"]

    assert start_and_stop(command, tmp_path, out, signal.SIGINT) == 130  # Ctrl-C
    interrupted = finished_replications(out)
    assert 1 <= len(interrupted) < replications
    assert json.loads((out / "run.json").read_text())["status"] == "partial"

    assert start_and_stop(command, tmp_path, out, signal.SIGKILL) == -signal.SIGKILL
    done = finished_replications(out)
    assert len(interrupted) < len(done) < replications, f"killed too late to test: {done}"
    assert json.loads((out / "run.json").read_text())["status"] == "running"

    resumed = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert resumed.returncode == 0, resumed.stderr
    assert f"({len(done)} finished before, kept)" in resumed.stdout
    assert finished_replications(out) == list(range(replications))
    assert not list(out.rglob("*.tmp")), "leftovers of the killed writers are cleaned"

    reference = tmp_path / "uninterrupted"
    simulate(load_scenario(EXAMPLE), reference, entropy=21, years=2, replications=replications)
    mine, theirs = read_run(out), read_run(reference)
    for name in TABLES:
        pd.testing.assert_frame_equal(mine[name], theirs[name])
        for replication in range(replications):
            part = Path(f"{name}.parquet") / part_name(replication)
            assert (out / part).read_bytes() == (reference / part).read_bytes()


@pytest.mark.parametrize(
    ("measure", "scale", "expected"),
    [
        ("wait_mean_months", 1.0, "0.30 [0.00, 2.03]"),  # a wait is never negative
        ("housed_within_6_months_share", 100.0, "90.00 [80.00, 100.00]"),  # a share never > 1
    ],
)
def test_frontier_intervals_stop_at_what_is_possible(
    measure: str, scale: float, expected: str
) -> None:
    from simulation.cli.frontier import _interval

    values = {
        "wait_mean_months": (0.3, -1.45, 2.03),
        "housed_within_6_months_share": (0.9, 0.8, 1.1),
    }
    mean, low, high = values[measure]
    row = pd.Series({measure: mean, f"{measure}_low_95": low, f"{measure}_high_95": high})
    assert _interval(row, measure, scale) == expected
