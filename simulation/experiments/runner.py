"""Runs: one replication of the model, and run folders of replications that resume after a crash.

Replication *r* of a run with entropy *e* draws from ``SeedSequence(e, spawn_key=(r,))`` (the
*r*-th child of ``SeedSequence(e).spawn(n)``, whatever *n*), so the same entropy gives the same
replication bit for bit, alone or among a hundred, in one process or many; and replication *r* of
two scenarios shares its random numbers wherever the scenarios do not differ (common random
numbers).

Replications run through an :class:`~simulation.experiments.executors.Executor` (this process, local worker
processes or a Dask cluster). Each worker writes every replication it finishes into the run folder
itself (:func:`simulation.experiments.results.write_replication`: tables atomically, then a marker) and returns
only a few numbers, so the driver's memory does not grow with the number of replications. Tasks
carry several replications where there are many; the scenarios go to each worker once.

Examples
--------
>>> from simulation.experiments.runner import simulate
>>> from simulation.experiments.executors import LocalProcessExecutor
>>> from simulation.inputs.scenario import load_scenario
>>> loaded = load_scenario("scenarios/eksempelby.toml")  # doctest: +SKIP
>>> simulate(loaded, "runs/x", replications=20, executor=LocalProcessExecutor(2))  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib.util
import json
import logging
import os
import socket
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation.base.atomic import atomic_write_text
from simulation.base.errors import Words, in_language
from simulation.base.version import __version__
from simulation.experiments.dictionary import write_data_dictionary
from simulation.experiments.executors import Executor, InProcessExecutor
from simulation.experiments.results import (
    MARKERS,
    TABLES,
    RunFolderError,
    finished_replications,
    read_run_info,
    write_replication,
)
from simulation.inputs.scenario import LoadedScenario
from simulation.model import HousingModel, Planner

__all__ = [
    "RunFolderError",
    "RunJob",
    "RunOutcome",
    "code_digest",
    "replication_seed",
    "run_id_for",
    "run_info",
    "run_replication",
    "simulate",
    "simulate_many",
]

logger = logging.getLogger(__name__)

PRESENTATION = (
    "cli/",
    "dashboard/",
    "report/",
    "experiments/backtest.py",
    "experiments/compare.py",
    "experiments/executors.py",
    "experiments/folders.py",
    "experiments/frontier.py",
    "experiments/measures.py",
    "experiments/robustness.py",
    "experiments/sensitivity.py",
    "experiments/sweep.py",
    "experiments/workbench.py",
    "inputs/uncertainty.py",
)
"""Wings and modules of :mod:`simulation` (paths from the package folder) that do not change a
run's tables: the command line, the dashboard, the report, and the experiments' analysis and
executors (left out of :func:`code_digest`)."""


def replication_seed(entropy: int, replication: int) -> np.random.SeedSequence:
    """The seed sequence of replication ``replication`` of a run with ``entropy``."""
    return np.random.SeedSequence(entropy, spawn_key=(replication,))


@functools.cache
def code_digest() -> str:
    """SHA-256 (first 16 hex digits) of the source that makes a run's tables.

    Covers every ``.py`` file of the :mod:`simulation` and :mod:`optimisation` packages except the
    command line, the report and the experiments' analysis (:data:`PRESENTATION`).
    Recorded in ``run.json`` and in every replication's marker, so that a run resumed with other
    model code is visible (and logged), as is a worker that runs other code than the driver (a
    cluster with another install). Computed once per process.
    """
    hasher = hashlib.sha256()
    here = Path(__file__).resolve().parents[1]  # the simulation package
    spec = importlib.util.find_spec("optimisation")  # located, not imported
    other = Path(spec.origin).parent if spec is not None and spec.origin else None
    for name, root in (("simulation", here), ("optimisation", other)):
        if root is None:
            continue
        for path in sorted(root.rglob("*.py")):
            relative = path.relative_to(root)
            if name == "simulation" and relative.as_posix().startswith(PRESENTATION):
                continue
            hasher.update(f"{name}/{relative.as_posix()}\n".encode())
            hasher.update(path.read_bytes())
    return hasher.hexdigest()[:16]


def run_id_for(loaded: LoadedScenario, entropy: int, years: int) -> str:
    """A short id that changes whenever the inputs, the seed, the horizon or the version change.

    The source digest (:func:`code_digest`) is recorded in ``run.json`` and in every
    replication's marker rather than in the id, so that a developer's edit does not void a
    half-finished sweep; resuming with other code logs a warning and is recorded.
    """
    text = json.dumps([loaded.digest, entropy, years, __version__])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def run_replication(
    loaded: LoadedScenario,
    *,
    entropy: int,
    replication: int,
    years: int | None = None,
    planner: Planner | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, pd.DataFrame]:
    """Simulate one replication and return its tables with the run columns in front.

    Parameters
    ----------
    loaded
        The scenario.
    entropy
        The run's seed (``--seed``).
    replication
        The replication's index (0 for a single run).
    years
        Years to simulate (default: the scenario's horizon).
    planner
        The referral planner for the ``optimised`` policy (default: the LP).
    progress
        Called with 1 after every simulated month.
    """
    horizon = years if years is not None else loaded.scenario.horizon.years
    model = HousingModel(
        loaded, seed=replication_seed(entropy, replication), years=horizon, planner=planner
    )
    try:
        tables = model.run(progress)
    finally:
        model.release()
    run_id = run_id_for(loaded, entropy, horizon)
    result = {}
    for name in TABLES:
        frame = getattr(tables, name)
        frame.insert(0, "replication", np.int64(replication))
        frame.insert(0, "entropy", np.int64(entropy))
        frame.insert(0, "run_id", run_id)
        result[name] = frame
    return result


def run_info(
    loaded: LoadedScenario, entropy: int, years: int, replications: int, **extra: Any
) -> dict[str, Any]:
    """What ``run.json`` records about a run."""
    scenario = loaded.scenario
    return {
        "run_id": run_id_for(loaded, entropy, years),
        "scenario": {
            "file": str(loaded.source),
            "name": scenario.name,
            "digest": loaded.digest,
            "synthetic": scenario.synthetic,
            "content": scenario.model_dump(mode="json"),
        },
        "entropy": entropy,
        "replications": replications,
        "years": years,
        "start_year": scenario.horizon.start_year,
        "package_version": __version__,
        "code_digest": code_digest(),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        **extra,
    }


# -- one run folder or many ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RunJob:
    """One run folder to fill: a scenario, its folder, seed, horizon and replications.

    Attributes
    ----------
    loaded
        The scenario.
    run_dir
        The run folder (created, or resumed when it holds this same run).
    entropy
        The run's seed; give paired scenarios the same one (common random numbers).
    years
        Years to simulate (default: the scenario's horizon).
    replications
        Replications 0 … ``replications`` − 1.
    """

    loaded: LoadedScenario
    run_dir: Path
    entropy: int = 0
    years: int | None = None
    replications: int = 1

    @property
    def horizon(self) -> int:
        """Years simulated."""
        return self.years if self.years is not None else self.loaded.scenario.horizon.years


@dataclass(frozen=True)
class RunOutcome:
    """What :func:`simulate` did to one run folder."""

    run_dir: Path
    run_id: str
    replications: int
    ran: Sequence[int]
    """Replications simulated now (the others were already finished)."""
    wall_seconds: float


@dataclass(frozen=True)
class WorkerContext:
    """What every worker gets once: the scenarios by job, the planner and the driver's code digest."""

    scenarios: Mapping[int, LoadedScenario]
    code_digest: str
    planner: Planner | None = None
    on_month: Callable[[int], None] | None = None
    """Month progress (only when the replications run in the driver's own process)."""


@dataclass(frozen=True)
class ReplicationTask:
    """A batch of replications of one job, for one worker."""

    job: int
    run_dir: str
    entropy: int
    years: int
    replications: tuple[int, ...]
    write: bool
    """Whether the worker writes the replications itself (else it returns the tables)."""


@dataclass(frozen=True)
class FinishedReplication:
    """A worker's answer for one replication: its timing and, if the driver writes, its tables."""

    job: int
    replication: int
    info: Mapping[str, Any]
    tables: Mapping[str, pd.DataFrame] | None = field(default=None, repr=False)


def run_replications(context: WorkerContext, task: ReplicationTask) -> list[FinishedReplication]:
    """Worker side: simulate a batch of replications, writing each into the run folder as it ends.

    Each replication's marker records the host, the process and the digest of the code that ran
    it; the driver warns when that differs from its own (a cluster with another install).
    """
    loaded = context.scenarios[task.job]
    run_dir = Path(task.run_dir)
    answers = []
    for replication in task.replications:
        if task.write and (run_dir / MARKERS / f"{replication:05d}.json").is_file():
            continue  # finished meanwhile by another process: nothing to redo
        began = time.perf_counter()
        tables = run_replication(
            loaded,
            entropy=task.entropy,
            replication=replication,
            years=task.years,
            planner=context.planner,
            progress=context.on_month,
        )
        info = {
            "replication": replication,
            "entropy": task.entropy,
            "code_digest": code_digest(),
            "seconds": round(time.perf_counter() - began, 4),
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        if task.write:
            write_replication(run_dir, replication, tables, info)
            answers.append(FinishedReplication(task.job, replication, info))
        else:
            answers.append(FinishedReplication(task.job, replication, info, tables))
    return answers


def simulate(
    loaded: LoadedScenario,
    run_dir: str | Path,
    *,
    entropy: int = 0,
    years: int | None = None,
    replications: int = 1,
    planner: Planner | None = None,
    executor: Executor | None = None,
    batch_size: int | None = None,
    shared_filesystem: bool = True,
    on_month: Callable[[int], None] | None = None,
    on_replication: Callable[[int], None] | None = None,
    on_start: Callable[[int, int], None] | None = None,
) -> RunOutcome:
    """Run replications into a run folder, skipping those already finished there.

    Re-running the same call resumes an interrupted run: finished replications are kept,
    unfinished ones are redone, nothing is duplicated. See :func:`simulate_many` for the
    parameters; ``on_month`` is called after every simulated month only when the replications run
    in this process.

    Raises
    ------
    RunFolderError
        If ``run_dir`` holds a different run (other scenario, seed, horizon or code).
    """
    job = RunJob(loaded, Path(run_dir), entropy, years, replications)
    [outcome] = simulate_many(
        [job],
        planner=planner,
        executor=executor,
        batch_size=batch_size,
        shared_filesystem=shared_filesystem,
        on_month=on_month,
        on_replication=on_replication,
        on_start=on_start,
    )
    return outcome


def simulate_many(
    jobs: Sequence[RunJob],
    *,
    planner: Planner | None = None,
    executor: Executor | None = None,
    batch_size: int | None = None,
    shared_filesystem: bool = True,
    on_month: Callable[[int], None] | None = None,
    on_replication: Callable[[int], None] | None = None,
    on_start: Callable[[int, int], None] | None = None,
) -> list[RunOutcome]:
    """Fill several run folders at once (the scenarios of a comparison, the points of a sweep).

    Every folder is checked (or created) before anything runs; then the unfinished replications
    of all of them go to one executor, so that workers stay busy across folders.

    Parameters
    ----------
    jobs
        The run folders to fill.
    planner
        The referral planner for the ``optimised`` policy (default: the LP); must be picklable
        for other processes.
    executor
        Where the replications run (default: this process).
    batch_size
        Replications per task (default: 1, rising to at most 8 when there are more than 16
        replications per worker).
    shared_filesystem
        Whether workers write their replications into the run folders themselves (default). With
        ``False`` they return their tables and this process writes them (for clusters that cannot
        see the folders).
    on_month
        Called with 1 after every simulated month (only when running in this process).
    on_replication
        Called with 1 whenever a replication has been written.
    on_start
        Called once every folder is checked, before anything runs, with the replications asked
        for in all folders and how many of them were already finished (for a progress bar).

    Returns
    -------
    list of RunOutcome
        One per job, in order.

    Raises
    ------
    RunFolderError
        If a folder holds a different run; nothing has run then.
    """
    executor = executor if executor is not None else InProcessExecutor()
    started = time.perf_counter()
    infos = [run_info(job.loaded, job.entropy, job.horizon, job.replications) for job in jobs]
    for job, info in zip(jobs, infos, strict=True):
        check_run_folder(job.run_dir, info)  # every folder, before any is touched
    pending: list[tuple[int, list[int]]] = []
    for index, (job, info) in enumerate(zip(jobs, infos, strict=True)):
        prepare_run_folder(job.run_dir, info)
        done = set(finished_replications(job.run_dir))
        todo = [r for r in range(job.replications) if r not in done]
        if todo:
            pending.append((index, todo))
    total = sum(len(todo) for _, todo in pending)
    if on_start is not None:
        asked = sum(job.replications for job in jobs)
        on_start(asked, asked - total)
    size = batch_size or _batch_size(total, executor.workers)
    tasks = [
        ReplicationTask(
            job=index,
            run_dir=str(jobs[index].run_dir.resolve()),
            entropy=jobs[index].entropy,
            years=jobs[index].horizon,
            replications=tuple(todo[start : start + size]),
            write=shared_filesystem,
        )
        for index, todo in pending
        for start in range(0, len(todo), size)
    ]
    context = WorkerContext(
        scenarios={index: jobs[index].loaded for index, _ in pending},
        code_digest=code_digest(),
        planner=planner,
        on_month=on_month if executor.in_process else None,
    )
    logger.info("%d replications to run in %d tasks on %s", total, len(tasks), executor.describe())
    ran: list[list[int]] = [[] for _ in jobs]
    foreign: set[str] = set()
    try:
        for answers in executor.map_unordered(run_replications, context, tasks):
            for answer in answers:
                digest = str(answer.info.get("code_digest"))
                if digest != context.code_digest and digest not in foreign:
                    foreign.add(digest)
                    logger.warning(
                        "replication %d ran on %s with other model code (digest %s) than this "
                        "process loaded (%s); its marker records which",
                        answer.replication,
                        answer.info.get("host"),
                        digest,
                        context.code_digest,
                    )
                if answer.tables is not None:
                    write_replication(
                        jobs[answer.job].run_dir, answer.replication, answer.tables, answer.info
                    )
                ran[answer.job].append(answer.replication)
                if on_replication is not None:
                    on_replication(1)
    finally:
        wall = time.perf_counter() - started
        for job, info in zip(jobs, infos, strict=True):
            finish_run_folder(job.run_dir, info, wall, executor=executor.describe())
    return [
        RunOutcome(job.run_dir, info["run_id"], job.replications, sorted(done_now), wall)
        for job, info, done_now in zip(jobs, infos, ran, strict=True)
    ]


def _batch_size(replications: int, workers: int) -> int:
    """Replications per task: one, until there are more than 16 per worker; at most 8.

    A task costs a millisecond or so to hand out (locally or on Dask), a replication of a
    municipality a second: small batches keep the workers evenly loaded to the end, larger ones
    spare the scheduler when there are thousands of replications.
    """
    if workers <= 1 or replications == 0:
        return 1
    return max(1, min(8, replications // (16 * workers)))


def check_run_folder(run_dir: Path, info: Mapping[str, Any]) -> None:
    """Check that ``run_dir`` is new, empty, or holds this same run (changing nothing).

    A folder of another run in which no replication finished (a run that failed or was stopped
    at once) holds no results; :func:`prepare_run_folder` starts it afresh.

    Raises
    ------
    RunFolderError
        If it holds another run with finished replications (saying what differs), or files that
        are not a run folder's.
    """
    if (run_dir / "run.json").is_file():
        existing = read_run_info(run_dir)
        finished = finished_replications(run_dir)
        if existing.get("run_id") != info["run_id"] and finished:
            differences = run_differences(existing, info)
            english = "; ".join(differences)
            danish = "; ".join(in_language(difference, "da") for difference in differences)
            raise RunFolderError(
                Words(
                    f"{run_dir} holds another run with {len(finished)} finished replications: "
                    f"{english}; choose another --out or delete the folder",
                    f"{run_dir} rummer en anden kørsel med {len(finished)} færdige gentagelser: "
                    f"{danish}; vælg en anden --out, eller slet mappen",
                )
            )
    elif run_dir.exists() and any(run_dir.iterdir()):
        raise RunFolderError(
            Words(
                f"{run_dir} exists and is not a run folder; choose another --out",
                f"{run_dir} findes og er ikke en kørselsmappe; vælg en anden --out",
            )
        )


def run_differences(existing: Mapping[str, Any], info: Mapping[str, Any]) -> list[Words]:
    """What differs between the run recorded in a folder and the one asked for, in words."""

    def scenario(record: Mapping[str, Any]) -> tuple[str, str]:
        found = record.get("scenario", {})
        found = found if isinstance(found, Mapping) else {}
        return str(found.get("name")), str(found.get("digest", ""))[:12]

    (old_name, old_digest), (new_name, new_digest) = scenario(existing), scenario(info)
    differences = []
    if old_digest != new_digest:
        what = f"scenario {old_name!r}" if old_name == new_name else f"scenario {old_name!r} there"
        what_danish = f"scenarie {old_name!r}" + ("" if old_name == new_name else " dér")
        differences.append(
            Words(
                f"{what} (inputs {old_digest}…) is not {new_name!r} as now (inputs {new_digest}…): "
                "the scenario file or its department data changed",
                f"{what_danish} (input {old_digest}…) er ikke {new_name!r} som nu (input "
                f"{new_digest}…): scenariefilen eller dens afdelingsdata er ændret",
            )
        )
    labels = {"entropy": ("seed", "startværdi"), "years": ("years", "år")}
    labels["package_version"] = ("version", "version")
    for key, (label, label_danish) in labels.items():
        if existing.get(key) != info.get(key):
            old, new = existing.get(key), info.get(key)
            differences.append(
                Words(f"{label} {old} there, {new} now", f"{label_danish} {old} dér, {new} nu")
            )
    return differences or [Words("its run id differs", "dens kørsels-id er et andet")]


def prepare_run_folder(run_dir: Path, info: dict[str, Any]) -> None:
    """Create the run folder with its ``run.json``, or check that it holds this same run.

    A resumed folder is cleaned of the hidden temporary files a killed run may have left.
    """
    check_run_folder(run_dir, info)
    if (run_dir / "run.json").is_file() and read_run_info(run_dir).get("run_id") != info["run_id"]:
        logger.info("%s held another run with nothing finished; it is started afresh", run_dir)
        _remove_temporaries(run_dir)
        for name in TABLES:  # parts of replications that never got their marker
            for part in (run_dir / f"{name}.parquet").glob("replication-*.parquet"):
                part.unlink()
        (run_dir / "run.json").unlink()
    if (run_dir / "run.json").is_file():
        existing = read_run_info(run_dir)
        if existing.get("replications", 0) > info["replications"]:
            info["replications"] = existing["replications"]
        info["created"] = existing.get("created", info["created"])
        seen = list(existing.get("code_digests", [existing.get("code_digest")]))
        if info["code_digest"] not in seen:
            logger.warning(
                "%s was started with other model code (digest %s, now %s); the replications "
                "run now will differ from those of the same index run before",
                run_dir,
                ", ".join(str(digest) for digest in seen),
                info["code_digest"],
            )
            seen.append(info["code_digest"])
        info["code_digests"] = seen
        _remove_temporaries(run_dir)
        atomic_write_text(run_dir / "run.json", json.dumps(info | {"status": "running"}, indent=2))
        return
    info["code_digests"] = [info["code_digest"]]
    run_dir.mkdir(parents=True, exist_ok=True)
    atomic_write_text(run_dir / "run.json", json.dumps(info | {"status": "running"}, indent=2))


def _remove_temporaries(run_dir: Path) -> None:
    """Delete the hidden ``.*.tmp`` files an interrupted writer left (never read, just litter)."""
    for name in (*TABLES, MARKERS):
        folder = run_dir / (f"{name}.parquet" if name in TABLES else name)
        if folder.is_dir():
            for leftover in folder.glob(".*.tmp"):
                leftover.unlink(missing_ok=True)


def finish_run_folder(
    run_dir: Path, info: dict[str, Any], wall_seconds: float, **extra: Any
) -> None:
    """Record the run as complete (or partial), with its timings."""
    markers = sorted((run_dir / MARKERS).glob("*.json"))
    seconds = [json.loads(marker.read_text())["seconds"] for marker in markers]
    complete = len(finished_replications(run_dir)) >= info["replications"]
    record = info | {
        "status": "complete" if complete else "partial",
        "finished_replications": len(markers),
        "wall_seconds": round(wall_seconds, 3),
        "replication_seconds_total": round(float(sum(seconds)), 3),
        **extra,
    }
    atomic_write_text(run_dir / "run.json", json.dumps(record, indent=2))
    write_data_dictionary(run_dir)  # every column, type, unit and meaning: datapackage.json
