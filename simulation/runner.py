"""Runs: one replication of the model, and a run folder of replications that resumes after a crash.

Replication *r* of a run with entropy *e* draws from ``SeedSequence(e, spawn_key=(r,))`` (the
*r*-th child of ``SeedSequence(e).spawn(n)``, whatever *n*), so the same entropy gives the same
replication bit for bit, alone or among a hundred, in one process or many; and replication *r* of
two scenarios shares its random numbers wherever the scenarios do not differ (common random
numbers).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation import __version__
from simulation.atomic import atomic_write_text
from simulation.model import HousingModel, Planner
from simulation.results import TABLES, finished_replications, read_run_info, write_replication
from simulation.scenario import LoadedScenario

__all__ = [
    "RunFolderError",
    "replication_seed",
    "run_id_for",
    "run_info",
    "run_replication",
    "simulate",
]


class RunFolderError(ValueError):
    """The output folder holds a different run (or something else) and would be mixed up."""


def replication_seed(entropy: int, replication: int) -> np.random.SeedSequence:
    """The seed sequence of replication ``replication`` of a run with ``entropy``."""
    return np.random.SeedSequence(entropy, spawn_key=(replication,))


def run_id_for(loaded: LoadedScenario, entropy: int, years: int) -> str:
    """A short id that changes whenever the inputs, the seed, the horizon or the code change."""
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
    tables = model.run(progress)
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
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        **extra,
    }


@dataclass(frozen=True)
class RunOutcome:
    """What :func:`simulate` did."""

    run_dir: Path
    run_id: str
    replications: int
    ran: Sequence[int]
    """Replications simulated now (the others were already finished)."""
    wall_seconds: float


def simulate(
    loaded: LoadedScenario,
    run_dir: str | Path,
    *,
    entropy: int = 0,
    years: int | None = None,
    replications: int = 1,
    planner: Planner | None = None,
    on_month: Callable[[int], None] | None = None,
    on_replication: Callable[[int], None] | None = None,
) -> RunOutcome:
    """Run replications into a run folder, skipping those already finished there.

    Re-running the same command resumes an interrupted run: finished replications are kept,
    unfinished ones are redone, nothing is duplicated.

    Raises
    ------
    RunFolderError
        If ``run_dir`` holds a different run (other scenario, seed, horizon or code version).
    """
    run_dir = Path(run_dir)
    horizon = years if years is not None else loaded.scenario.horizon.years
    info = run_info(loaded, entropy, horizon, replications)
    prepare_run_folder(run_dir, info)
    started = time.perf_counter()
    done = set(finished_replications(run_dir))
    ran = []
    for replication in range(replications):
        if replication in done:
            continue
        began = time.perf_counter()
        tables = run_replication(
            loaded,
            entropy=entropy,
            replication=replication,
            years=horizon,
            planner=planner,
            progress=on_month,
        )
        seconds = time.perf_counter() - began
        write_replication(
            run_dir, replication, tables, {"replication": replication, "seconds": seconds}
        )
        ran.append(replication)
        if on_replication is not None:
            on_replication(1)
    wall = time.perf_counter() - started
    finish_run_folder(run_dir, info, wall)
    return RunOutcome(run_dir, info["run_id"], replications, ran, wall)


def prepare_run_folder(run_dir: Path, info: dict[str, Any]) -> None:
    """Create the run folder with its ``run.json``, or check that it holds this same run."""
    if (run_dir / "run.json").is_file():
        existing = read_run_info(run_dir)
        if existing.get("run_id") != info["run_id"]:
            raise RunFolderError(
                f"{run_dir} holds another run ({existing.get('scenario', {}).get('name')!r}, "
                f"seed {existing.get('entropy')}, {existing.get('years')} years, version "
                f"{existing.get('package_version')}); choose another --out or delete the folder"
            )
        if existing.get("replications", 0) > info["replications"]:
            info["replications"] = existing["replications"]
        return
    if run_dir.exists() and any(run_dir.iterdir()):
        raise RunFolderError(f"{run_dir} exists and is not a run folder; choose another --out")
    run_dir.mkdir(parents=True, exist_ok=True)
    atomic_write_text(run_dir / "run.json", json.dumps(info | {"status": "running"}, indent=2))


def finish_run_folder(run_dir: Path, info: dict[str, Any], wall_seconds: float) -> None:
    """Record the run as complete, with its timings."""
    markers = sorted((run_dir / "replications").glob("*.json"))
    seconds = [json.loads(marker.read_text())["seconds"] for marker in markers]
    complete = len(finished_replications(run_dir)) >= info["replications"]
    record = info | {
        "status": "complete" if complete else "partial",
        "wall_seconds": round(wall_seconds, 3),
        "replication_seconds_total": round(float(sum(seconds)), 3),
    }
    atomic_write_text(run_dir / "run.json", json.dumps(record, indent=2))
