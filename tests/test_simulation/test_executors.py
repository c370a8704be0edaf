"""Executors: in-process, local processes and a real Dask cluster give the same tables bit for bit."""

from __future__ import annotations

import json
import operator
from pathlib import Path

import pandas as pd
import pytest

from simulation.experiments.executors import (
    DaskExecutor,
    InProcessExecutor,
    LocalProcessExecutor,
    make_executor,
)
from simulation.experiments.results import TABLES, finished_replications, part_name, read_run
from simulation.experiments.runner import (
    ReplicationTask,
    WorkerContext,
    code_digest,
    run_replications,
    simulate,
)
from simulation.inputs.scenario import LoadedScenario, load_scenario

ROOT = Path(__file__).resolve().parents[2]

YEARS = 1
REPLICATIONS = 4


@pytest.fixture(scope="module")
def example() -> LoadedScenario:
    return load_scenario(ROOT / "scenarios" / "eksempelby.toml")


@pytest.fixture(scope="module")
def sequential(tmp_path_factory: pytest.TempPathFactory, example: LoadedScenario) -> Path:
    """The reference: every replication in this process, one after the other."""
    run_dir = tmp_path_factory.mktemp("sequential") / "run"
    simulate(example, run_dir, entropy=11, years=YEARS, replications=REPLICATIONS)
    return run_dir


def assert_same_run(run_dir: Path, reference: Path) -> None:
    """Same finished replications, same tables, and the same Parquet bytes part by part."""
    assert finished_replications(run_dir) == finished_replications(reference)
    mine, theirs = read_run(run_dir), read_run(reference)
    for name in TABLES:
        pd.testing.assert_frame_equal(mine[name], theirs[name])
        for replication in finished_replications(reference):
            part = Path(name + ".parquet") / part_name(replication)
            assert (run_dir / part).read_bytes() == (reference / part).read_bytes(), part


def test_in_process_executor_runs_every_task_in_order() -> None:
    assert list(InProcessExecutor().map_unordered(operator.add, 10, [1, 2, 3])) == [11, 12, 13]


def test_make_executor_chooses_by_workers_and_tasks() -> None:
    assert isinstance(make_executor(1), InProcessExecutor)
    assert isinstance(make_executor(4, tasks=1), InProcessExecutor), "one task runs here"
    local = make_executor(2, tasks=10)
    assert isinstance(local, LocalProcessExecutor) and local.workers == 2
    assert isinstance(make_executor(2, dask=True), DaskExecutor)
    remote = make_executor(scheduler="tcp://127.0.0.1:8786")
    assert isinstance(remote, DaskExecutor) and remote.address == "tcp://127.0.0.1:8786"


def test_local_processes_write_the_same_tables_as_a_sequential_run(
    tmp_path: Path, example: LoadedScenario, sequential: Path
) -> None:
    outcome = simulate(
        example,
        tmp_path / "run",
        entropy=11,
        years=YEARS,
        replications=REPLICATIONS,
        executor=LocalProcessExecutor(2),
        batch_size=1,
    )
    assert outcome.ran == list(range(REPLICATIONS))
    assert_same_run(outcome.run_dir, sequential)
    assert not list(outcome.run_dir.rglob("*.tmp"))


def test_driver_writes_when_there_is_no_shared_filesystem(
    tmp_path: Path, example: LoadedScenario, sequential: Path
) -> None:
    outcome = simulate(
        example,
        tmp_path / "run",
        entropy=11,
        years=YEARS,
        replications=REPLICATIONS,
        shared_filesystem=False,
    )
    assert_same_run(outcome.run_dir, sequential)


def test_a_failing_task_raises_in_the_driver() -> None:
    with pytest.raises(ZeroDivisionError):
        list(LocalProcessExecutor(2).map_unordered(operator.truediv, 1, [1, 0, 2, 4]))


def test_markers_record_who_ran_a_replication_with_which_code(
    tmp_path: Path, example: LoadedScenario
) -> None:
    context = WorkerContext(scenarios={0: example}, code_digest="driver")
    task = ReplicationTask(0, str(tmp_path), 0, 1, (0,), write=True)
    [answer] = run_replications(context, task)
    marker = json.loads((tmp_path / "replications" / "00000.json").read_text())
    assert marker == dict(answer.info)
    assert marker["code_digest"] == code_digest() != "driver"
    assert {"host", "pid", "seconds", "finished"} <= set(marker)


@pytest.mark.slow
def test_a_dask_local_cluster_writes_the_same_tables(
    tmp_path: Path, example: LoadedScenario, sequential: Path
) -> None:
    pytest.importorskip("distributed")
    executor = DaskExecutor(workers=2, processes=True)
    outcome = simulate(
        example,
        tmp_path / "run",
        entropy=11,
        years=YEARS,
        replications=REPLICATIONS,
        executor=executor,
        batch_size=1,
    )
    assert outcome.ran == list(range(REPLICATIONS))
    assert executor.workers == 2
    assert_same_run(outcome.run_dir, sequential)
