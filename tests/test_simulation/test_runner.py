"""Run folders: layout, reading back, resuming, refusing to mix runs, seeds per replication."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.experiments.results import (
    TABLES,
    IncompleteRunError,
    IncompleteRunWarning,
    finished_replications,
    read_run,
    read_run_info,
    write_replication,
)
from simulation.experiments.runner import (
    RunFolderError,
    replication_seed,
    run_replication,
    simulate,
)
from simulation.inputs.scenario import LoadedScenario, load_scenario

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def example() -> LoadedScenario:
    return load_scenario(ROOT / "scenarios" / "eksempelby.toml")


def test_replication_seeds_do_not_depend_on_how_many(example: LoadedScenario) -> None:
    children = np.random.SeedSequence(42).spawn(5)
    for index, child in enumerate(children):
        assert (
            replication_seed(42, index).generate_state(4).tolist()
            == child.generate_state(4).tolist()
        )


def test_run_folder_layout_and_read_back(tmp_path: Path, example: LoadedScenario) -> None:
    outcome = simulate(example, tmp_path / "run", entropy=3, years=2, replications=2)
    run_dir = outcome.run_dir
    assert outcome.ran == [0, 1]
    info = json.loads((run_dir / "run.json").read_text())
    assert info["status"] == "complete"
    assert info["scenario"]["digest"] == example.digest
    assert info["entropy"] == 3 and info["years"] == 2 and info["replications"] == 2
    for name in TABLES:
        parts = sorted((run_dir / f"{name}.parquet").iterdir())
        assert [p.name for p in parts] == ["replication-00000.parquet", "replication-00001.parquet"]
    tables = read_run(run_dir)
    area_year = tables["area_year"]
    assert set(area_year["replication"]) == {0, 1}
    assert (area_year["entropy"] == 3).all()
    assert area_year["run_id"].nunique() == 1
    assert set(area_year["year"]) == {2025, 2026, 2027}
    assert {"udsat", "parallelsamfund", "omdannelsesomraade", "forebyggelsesomraade"} <= set(
        area_year
    )
    # pandas reads a table folder directly too
    assert len(pd.read_parquet(run_dir / "area_year.parquet")) == len(area_year)


def test_a_replication_is_the_same_alone_or_among_others(
    tmp_path: Path, example: LoadedScenario
) -> None:
    together = read_run(
        simulate(example, tmp_path / "a", entropy=9, years=1, replications=3).run_dir
    )
    alone = run_replication(example, entropy=9, replication=2, years=1)
    mine = together["department_year"]
    pd.testing.assert_frame_equal(
        mine[mine["replication"] == 2].reset_index(drop=True), alone["department_year"]
    )


def test_rerun_resumes_and_redoes_unfinished(tmp_path: Path, example: LoadedScenario) -> None:
    run_dir = tmp_path / "run"
    simulate(example, run_dir, entropy=1, years=1, replications=2)
    before = read_run(run_dir)
    # a crash after writing a table but before the marker: replication 1 is unfinished
    (run_dir / "replications" / "00001.json").unlink()
    (run_dir / "area_year.parquet" / "replication-00001.parquet").write_bytes(b"half")
    assert finished_replications(run_dir) == [0]
    with pytest.warns(IncompleteRunWarning, match="incomplete: 1 of 2 replications"):
        assert set(read_run(run_dir)["area_year"]["replication"]) == {0}, "unfinished is not read"
    outcome = simulate(example, run_dir, entropy=1, years=1, replications=3)
    assert outcome.ran == [1, 2]
    after = read_run(run_dir)
    for name in TABLES:
        pd.testing.assert_frame_equal(
            after[name][after[name]["replication"] < 2].reset_index(drop=True), before[name]
        )


def test_a_different_run_is_not_mixed_in(tmp_path: Path, example: LoadedScenario) -> None:
    run_dir = tmp_path / "run"
    simulate(example, run_dir, entropy=1, years=1)
    with pytest.raises(RunFolderError) as raised:
        simulate(example, run_dir, entropy=2, years=2)
    assert (
        "holds another run with 1 finished replications: seed 1 there, 2 now; years 1 there, 2 now"
        in str(raised.value)
    )
    changed = example.with_overrides({"agreement.default_referral_share": 0.5})
    with pytest.raises(RunFolderError, match="the scenario file or its department data changed"):
        simulate(changed, run_dir, entropy=1, years=1)
    other = tmp_path / "not-a-run"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(RunFolderError, match="not a run folder"):
        simulate(example, other, entropy=1, years=1)


def test_written_tables_are_atomic(tmp_path: Path) -> None:
    frame = pd.DataFrame({"replication": [0], "value": [1.5]})
    write_replication(tmp_path, 0, {"area_year": frame}, {"seconds": 1.0})
    leftovers = [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    assert finished_replications(tmp_path) == [0]


def test_many_folders_are_all_checked_before_any_is_touched(
    tmp_path: Path, example: LoadedScenario
) -> None:
    from simulation.experiments.runner import RunJob, simulate_many

    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine")
    jobs = [RunJob(example, tmp_path / "fresh", 1, 1, 1), RunJob(example, taken, 1, 1, 1)]
    with pytest.raises(RunFolderError, match="not a run folder"):
        simulate_many(jobs)
    assert not (tmp_path / "fresh").exists()


def test_progress_hears_what_was_finished_before(tmp_path: Path, example: LoadedScenario) -> None:
    run_dir = tmp_path / "run"
    simulate(example, run_dir, entropy=1, years=1, replications=1)
    started: list[tuple[int, int]] = []
    counted: list[int] = []
    outcome = simulate(
        example,
        run_dir,
        entropy=1,
        years=1,
        replications=3,
        on_start=lambda total, done: started.append((total, done)),
        on_replication=counted.append,
    )
    assert started == [(3, 1)] and counted == [1, 1] and outcome.ran == [1, 2]
    info = json.loads((run_dir / "run.json").read_text())
    assert info["status"] == "complete" and info["code_digests"] == [info["code_digest"]]


def test_a_finished_replication_leaves_no_model_behind(example: LoadedScenario) -> None:
    """Workers run hundreds of replications: none may be kept alive (mesa's Agent._ids did)."""
    import gc

    from simulation.model import HousingModel

    def alive() -> int:
        gc.collect()
        return sum(isinstance(thing, HousingModel) for thing in gc.get_objects())

    before = alive()
    for replication in range(3):
        run_replication(example, entropy=0, replication=replication, years=1)
    assert alive() == before


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    import os
    import stat

    from simulation.base.atomic import atomic_write_text

    target = tmp_path / "report.html"
    atomic_write_text(target, "<html></html>")
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask


def test_the_code_digest_covers_the_model_and_leaves_out_the_presentation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from simulation.experiments import runner

    root = Path(runner.__file__).resolve().parents[1]
    copy = tmp_path / "simulation"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("__pycache__"))

    def digest_of(folder: Path) -> str:
        monkeypatch.setattr(runner, "__file__", str(folder / "experiments" / "runner.py"))
        runner.code_digest.cache_clear()
        return runner.code_digest()

    try:
        before = digest_of(copy)
        (copy / "report" / "plots.py").write_text("# a figure changed\n")
        (copy / "cli" / "main.py").write_text("# the command line changed\n")
        assert digest_of(copy) == before
        (copy / "rules" / "letting.py").write_text("# a rule changed\n")
        assert digest_of(copy) != before
    finally:
        runner.code_digest.cache_clear()


def test_a_folder_of_a_run_that_finished_nothing_is_started_afresh(
    tmp_path: Path, example: LoadedScenario
) -> None:
    run_dir = tmp_path / "run"
    simulate(example, run_dir, entropy=1, years=1)
    for marker in (run_dir / "replications").iterdir():  # as if it died in its first replication
        marker.unlink()
    outcome = simulate(example, run_dir, entropy=2, years=1)
    assert outcome.ran == [0]
    assert read_run_info(run_dir)["entropy"] == 2


def test_a_damaged_run_json_is_named(tmp_path: Path, example: LoadedScenario) -> None:
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "run.json").write_bytes(b'{"run_id": \x00\xff')
    with pytest.raises(RunFolderError, match=r"run.json is damaged .*delete the folder"):
        simulate(example, run_dir, entropy=1, years=1)


def test_an_interrupted_run_is_read_with_a_warning_or_refused(
    tmp_path: Path, example: LoadedScenario
) -> None:
    run_dir = simulate(example, tmp_path / "run", entropy=1, years=1, replications=2).run_dir
    (run_dir / "replications" / "00001.json").unlink()
    with pytest.warns(IncompleteRunWarning, match=r"incomplete: 1 of 2 replications"):
        tables = read_run(run_dir, ("area_year",))
    assert set(tables["area_year"]["replication"]) == {0}
    with pytest.raises(IncompleteRunError, match=r"incomplete: 1 of 2 replications"):
        read_run(run_dir, ("area_year",), complete_only=True)
    from simulation.report.summary import summarise

    with pytest.warns(IncompleteRunWarning):
        tables = read_run(run_dir, ("department_year", "area_year", "referrals"))
    text = summarise(tables, read_run_info(run_dir))
    assert text.splitlines()[1].startswith("incomplete: 1 of 2 replications")
