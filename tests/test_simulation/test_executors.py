"""Executors: in-process, local processes and a real Dask cluster give the same tables bit for bit."""

from __future__ import annotations

import contextlib
import json
import operator
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
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


# -- workers die with their driver -------------------------------------------------------------------

NAP = '''
import os
import time


def nap(folder, seconds):
    """Say who naps (a file named by the process id), then sleep."""
    open(os.path.join(folder, f"{os.getpid()}-{time.monotonic_ns()}"), "w").close()
    time.sleep(seconds)
'''


def _start_driver(tmp_path: Path, body: str) -> tuple[subprocess.Popen[bytes], Path]:
    """Run ``nap`` and ``body`` as a script in a new session (its own process group)."""
    import textwrap

    naps = tmp_path / "naps"
    naps.mkdir()
    script = tmp_path / "driver.py"
    script.write_text(f"{NAP}\nNAPS = {str(naps)!r}\n{textwrap.dedent(body)}")
    driver = subprocess.Popen([sys.executable, str(script)], start_new_session=True)
    return driver, naps


def _alive(group: int) -> list[int]:
    """Processes of a process group that are alive (zombies waiting for init are not)."""
    psutil = pytest.importorskip("psutil")
    alive = []
    for process in psutil.process_iter(["pid", "status"]):
        try:
            if os.getpgid(process.pid) == group and process.status() != psutil.STATUS_ZOMBIE:
                alive.append(process.pid)
        except (ProcessLookupError, psutil.NoSuchProcess):
            continue
    return alive


def _wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def _kill_driver(
    driver: subprocess.Popen[bytes], naps: Path, started: int, *, own_workers: bool = True
) -> None:
    assert _wait_for(lambda: len(list(naps.iterdir())) >= started, 60), "workers never started"
    if own_workers:
        assert len(_alive(driver.pid)) > started, "the driver, its workers (and a tracker) run"
    driver.kill()  # SIGKILL: no handler, no clean-up in the driver
    driver.wait()


def test_local_workers_exit_when_their_driver_is_killed(tmp_path: Path) -> None:
    driver, naps = _start_driver(
        tmp_path,
        """
        from simulation.experiments.executors import LocalProcessExecutor
        if __name__ == "__main__":
            for _ in LocalProcessExecutor(2).map_unordered(nap, NAPS, [600, 600, 600]):
                pass
        """,
    )
    try:
        _kill_driver(driver, naps, started=2)
        assert _wait_for(lambda: not _alive(driver.pid), 15), f"left behind: {_alive(driver.pid)}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(driver.pid, signal.SIGKILL)


@pytest.mark.slow
def test_a_local_dask_cluster_exits_when_its_driver_is_killed(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    driver, naps = _start_driver(
        tmp_path,
        """
        from simulation.experiments.executors import DaskExecutor
        if __name__ == "__main__":
            for _ in DaskExecutor(workers=2).map_unordered(nap, NAPS, [600, 600, 600]):
                pass
        """,
    )
    try:
        _kill_driver(driver, naps, started=2)
        assert _wait_for(lambda: not _alive(driver.pid), 30), f"left behind: {_alive(driver.pid)}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(driver.pid, signal.SIGKILL)


@pytest.mark.slow
def test_a_dask_clusters_tasks_are_cancelled_when_the_client_goes(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as observer,
    ):
        driver, naps = _start_driver(
            tmp_path,
            f"""
            from simulation.experiments.executors import DaskExecutor
            executor = DaskExecutor({cluster.scheduler_address!r})
            for _ in executor.map_unordered(nap, NAPS, [8, 8, 8, 8]):
                pass
            """,
        )
        try:
            _kill_driver(driver, naps, started=1, own_workers=False)

            def forgotten() -> bool:
                tasks = observer.run_on_scheduler(
                    lambda dask_scheduler: [
                        key for key in dask_scheduler.tasks if "call_with" in str(key)
                    ]
                )
                return not tasks

            assert _wait_for(forgotten, 20), "the scheduler still holds the gone client's tasks"
            time.sleep(10)  # longer than a nap: a queued task would have started by now
            assert len(list(naps.iterdir())) == 1, "only the task already running ran"
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(driver.pid, signal.SIGKILL)
