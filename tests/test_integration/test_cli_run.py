"""``blandetby run``: the main job on the bundled example, end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulation.cli.main import main
from simulation.experiments.results import read_run

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "eksempelby.toml"


def test_run_writes_tables_figures_and_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    assert (
        main(["run", str(EXAMPLE), "--years", "3", "--seed", "4", "--out", str(out), "--quiet"])
        == 0
    )
    printed = capsys.readouterr().out
    assert "Eksempelby — legal default (synthetic data): 3 years, seed 4" in printed
    assert "Udsat boligområde" in printed
    assert "Homeless singles" in printed and "homeless_single" not in printed  # names, not keys
    assert "Referral share of lettings: achieved" in printed
    assert f"Run folder: {out}" in printed
    for figure in ("criteria.png", "lists.png", "waiting_times.png", "lettings.png"):
        assert (out / "figures" / figure).stat().st_size > 10_000
    tables = read_run(out)
    assert set(tables["department_year"]["year"]) == {2025, 2026, 2027, 2028}


def test_run_again_resumes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "run"
    arguments = ["run", str(EXAMPLE), "--years", "1", "--out", str(out), "--quiet", "--no-figures"]
    assert main(arguments) == 0
    capsys.readouterr()
    assert main(arguments) == 0
    assert "(1 finished before, kept)" in capsys.readouterr().out


def test_run_refuses_another_runs_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    assert (
        main(["run", str(EXAMPLE), "--years", "1", "--out", str(out), "--quiet", "--no-figures"])
        == 0
    )
    capsys.readouterr()
    assert main(["run", str(EXAMPLE), "--years", "2", "--out", str(out), "--quiet"]) == 2
    assert "holds another run" in capsys.readouterr().err


def test_run_with_an_invalid_scenario_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(f'extends = "{EXAMPLE.as_posix()}"\nschema_version = 1\nname = 5\n')
    assert main(["run", str(broken), "--out", str(tmp_path / "x"), "--quiet"]) == 2
    assert "name: got 5; expected a valid string" in capsys.readouterr().err


def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["run", str(EXAMPLE), "--years", "zero"])
    assert exit_.value.code == 2
    assert "expected a whole number" in capsys.readouterr().err


def test_a_log_gets_a_line_per_year_or_replication(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Output that is not a terminal (a batch job's log) still shows the run advance."""
    arguments = ["run", str(EXAMPLE), "--years", "2", "--no-figures", "--workers", "1"]
    assert main([*arguments, "--out", str(tmp_path / "one")]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "Eksempelby — legal default: 24 months to run"
    assert lines[1].startswith("Eksempelby — legal default: year 2 of 2 simulated (")
    assert len(lines) == 2, "a short run says only where it ends"
    assert main([*arguments, "--replications", "2", "--out", str(tmp_path / "two")]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "Eksempelby — legal default: 2 replications to run"
    assert lines[1].startswith("Eksempelby — legal default: replication 1 of 2 finished (")
    assert lines[2].startswith("Eksempelby — legal default: replication 2 of 2 finished (")
    assert main([*arguments, "--replications", "2", "--out", str(tmp_path / "two"), "--quiet"]) == 0
    assert capsys.readouterr().err == "", "--quiet is quiet"


def test_a_log_of_a_long_single_replication_gets_a_line_per_year_at_most_every_10_s(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    from simulation.cli import run as run_command

    clock = iter(float(second) for second in range(0, 1000, 4))  # 4 s a month
    monkeypatch.setattr(run_command, "_now", lambda: next(clock))
    log = io.StringIO()
    progress = run_command.Progress("x", stream=log)
    progress.start(36, 0, unit="month")
    for _ in range(36):
        progress.advance(1)
    lines = log.getvalue().splitlines()
    assert lines[0] == "x: 36 months to run"
    assert [line.split(" (")[0] for line in lines[1:]] == [
        "x: year 1 of 3 simulated",
        "x: year 2 of 3 simulated",
        "x: year 3 of 3 simulated",
    ]
