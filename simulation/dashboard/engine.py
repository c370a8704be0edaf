"""The dashboard's engine: paired replications in the background, cached, cancellable, with progress.

A lever change asks for a comparison of the variant against the unchanged reference: the same
replications with the same seed (common random numbers), run by the experiments' own runner
(:func:`simulation.experiments.runner.simulate_many`) into ordinary run folders. The folders are
the cache: each sits under ``CACHE/runs/<run id>``, and the run id changes with the scenario's
digest, the seed, the horizon and the version; asking again for a setting already seen finds its
replications finished and runs nothing. The reference's folder is shared by every variant.

Replications run in worker processes that stay up between requests (:class:`WorkerPool`), so a
lever change does not pay for starting Python, NumPy and Mesa again. A new request cancels the one
running: the pool stops the workers at once (those replications are redone if asked for again),
and a fresh pool starts for the new request. Replications are handed out pair by pair (replication
0 of both scenarios first), so the first paired result comes as early as it can; the request's
``on_update`` is called whenever another pair is finished.

Nothing here draws or imports a web framework: :class:`Engine` is driven by the page
(:mod:`simulation.dashboard.app`) and by tests alike.

Examples
--------
>>> from simulation.dashboard.engine import Engine
>>> from simulation.inputs.scenario import load_scenario
>>> reference = load_scenario("scenarios/eksempelby.toml")  # doctest: +SKIP
>>> engine = Engine(reference, "runs/dashboard-cache", workers=2)  # doctest: +SKIP
>>> request = engine.request(reference.with_overrides({"agreement.default_referral_share": 0.4}), years=10, replications=6)  # doctest: +SKIP
>>> request.wait().status  # doctest: +SKIP
'done'
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from simulation.experiments.executors import Executor, die_with_parent
from simulation.experiments.results import finished_replications
from simulation.experiments.runner import RunJob, run_id_for, simulate_many
from simulation.inputs.scenario import LoadedScenario

__all__ = [
    "Cancelled",
    "Engine",
    "Progress",
    "Request",
    "WorkerPool",
]

logger = logging.getLogger(__name__)

Status = Literal["running", "done", "cancelled", "failed"]


class Cancelled(Exception):
    """A request was cancelled (by the planner or by a newer request)."""


def _worker_start() -> None:
    """Worker initialiser: leave Ctrl-C to the server, exit when the server process is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()


def _warm_up(_: object, __: object) -> bool:
    """Import the model in a worker, so that the first request does not wait for it."""
    import simulation.experiments.runner  # noqa: F401

    return True


def _replication_order(task: Any) -> tuple[int, int]:
    """Replication index first, then the job: replication 0 of every scenario before 1."""
    replications = getattr(task, "replications", (0,))
    return (min(replications) if replications else 0, getattr(task, "job", 0))


class WorkerPool(Executor):
    """Worker processes that live from one request to the next and stop at once on cancel.

    An :class:`~simulation.experiments.executors.Executor` for
    :func:`~simulation.experiments.runner.simulate_many`: every task carries the shared object
    (the scenarios of the request, a few kilobytes), so one pool serves requests with different
    scenarios. Tasks are handed out replication by replication, pairs first
    (:func:`_replication_order`).

    Parameters
    ----------
    workers
        Worker processes.
    start_method
        ``spawn`` (default) or ``forkserver``.
    """

    def __init__(
        self, workers: int, *, start_method: Literal["spawn", "forkserver"] = "spawn"
    ) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self._workers = workers
        self.start_method = start_method
        self._pool: ProcessPoolExecutor | None = None
        self._spare: ProcessPoolExecutor | None = None
        self._keep_spare = False
        self._lock = threading.Lock()
        self.cancel_event = threading.Event()
        """Set to stop the tasks running now (checked every 0.1 s while they run)."""

    @property
    def workers(self) -> int:
        """Worker processes."""
        return self._workers

    def _new_pool(self) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(
            max_workers=self._workers,
            mp_context=multiprocessing.get_context(self.start_method),
            initializer=_worker_start,
        )
        for _ in range(self._workers):  # start every worker now, each importing the model
            pool.submit(_warm_up, None, None)
        logger.info("started %d %s worker processes", self._workers, self.start_method)
        return pool

    def _ensure(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = self._spare if self._spare is not None else self._new_pool()
                self._spare = None
            return self._pool

    def warm_up(self, *, spare: bool = True) -> None:
        """Start the workers now, and (``spare``) a second set to take over after a cancel.

        Stopping a running replication means stopping its process; with a spare set of workers
        already up, the next request does not wait for new ones to start (while the spare set
        waits, it takes memory but no processor time).
        """
        self._ensure()
        with self._lock:
            if spare and self._spare is None:
                self._spare = self._new_pool()
            self._keep_spare = spare

    def stop(self) -> None:
        """Terminate the running workers (what they ran is lost); the spare set takes over."""
        with self._lock:
            pool, self._pool = self._pool, None
            if self._keep_spare and self._spare is None:
                self._spare = self._new_pool()
        if pool is not None:
            _terminate(pool)

    def close(self) -> None:
        """Terminate every worker, the spare set's too."""
        with self._lock:
            pools, self._pool, self._spare = (self._pool, self._spare), None, None
            self._keep_spare = False
        for pool in pools:
            if pool is not None:
                _terminate(pool)

    def map_unordered(
        self,
        function: Callable[[Any, Any], Any],
        shared: Any,
        tasks: Sequence[Any],
    ) -> Iterator[Any]:
        """Yield results as they finish; raise :class:`Cancelled` once :attr:`cancel_event` is set."""
        if not tasks:
            return
        pool = self._ensure()
        running: set[Future[Any]] = {
            pool.submit(function, shared, task) for task in sorted(tasks, key=_replication_order)
        }
        finished = False
        try:
            while running:
                if self.cancel_event.is_set():
                    raise Cancelled()
                done, running = wait(running, timeout=0.1, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
            finished = True
        finally:
            if not finished:
                self.stop()


def _terminate(pool: ProcessPoolExecutor) -> None:
    """Cancel a pool's queued tasks and terminate its processes."""
    processes = list(getattr(pool, "_processes", {}).values())  # no public API before 3.14
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)


@dataclass(frozen=True)
class Progress:
    """Where a request stands.

    Attributes
    ----------
    status
        ``running``, ``done``, ``cancelled`` or ``failed``.
    pairs
        Replications finished for both scenarios (paired), in order.
    replications
        Replications asked for.
    seconds
        Since the request started.
    first_result_seconds
        When the first pair was ready (``None`` until then).
    error
        What went wrong (``failed`` only).
    """

    status: Status
    pairs: tuple[int, ...]
    replications: int
    seconds: float
    first_result_seconds: float | None = None
    error: str | None = None

    @property
    def fraction(self) -> float:
        """Share of the pairs finished (0–1)."""
        return len(self.pairs) / self.replications if self.replications else 1.0


@dataclass
class Request:
    """One comparison asked of the engine: the reference and a variant, paired, in the background.

    Attributes
    ----------
    reference_dir, variant_dir
        The run folders (the same folder when the variant is the reference).
    years, replications, entropy
        The run's horizon, replications and seed.
    """

    reference_dir: Path
    variant_dir: Path
    years: int
    replications: int
    entropy: int
    _jobs: list[RunJob] = field(repr=False)
    _on_update: Callable[[Request], None] | None = field(default=None, repr=False)
    _started: float = field(default_factory=time.perf_counter, repr=False)
    _status: Status = "running"
    _pairs: tuple[int, ...] = ()
    _first: float | None = None
    _error: str | None = None
    _thread: threading.Thread | None = field(default=None, repr=False)
    _cancel: threading.Event = field(default_factory=threading.Event, repr=False)
    _stop_workers: threading.Event | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def progress(self) -> Progress:
        """Where the request stands now."""
        with self._lock:
            return Progress(
                self._status,
                self._pairs,
                self.replications,
                round(time.perf_counter() - self._started, 3),
                self._first,
                self._error,
            )

    @property
    def paired(self) -> bool:
        """Whether reference and variant differ (else there is one folder)."""
        return self.reference_dir != self.variant_dir

    def cancel(self) -> None:
        """Stop the request (returns at once; :meth:`wait` for it to have stopped)."""
        self._cancel.set()
        if self._stop_workers is not None and self._status == "running":
            self._stop_workers.set()

    def wait(self, timeout: float | None = None) -> Progress:
        """Wait until the request has finished, failed or been cancelled; return its progress."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.progress

    def _update(self) -> None:
        """Recount the finished pairs; tell the page when there are more."""
        done = set(range(self.replications))
        for job in self._jobs:
            done &= set(finished_replications(job.run_dir))
        pairs = tuple(sorted(done))
        with self._lock:
            grew = len(pairs) > len(self._pairs)
            self._pairs = pairs
            if pairs and self._first is None:
                self._first = round(time.perf_counter() - self._started, 3)
        if grew and self._on_update is not None:
            self._on_update(self)

    def _finish(self, status: Status, error: str | None = None) -> None:
        with self._lock:
            self._status = status
            self._error = error
        if self._on_update is not None:
            self._on_update(self)


class Engine:
    """Runs paired comparisons of variants against one reference scenario, one request at a time.

    Parameters
    ----------
    reference
        The unchanged scenario (the reference of every comparison).
    cache_dir
        Where the run folders go (``cache_dir/runs/<run id>``); kept between sessions.
    workers
        Worker processes.
    entropy
        The seed of every run (common random numbers between reference and variants).
    pool
        Worker processes shared with other engines (default: ``workers`` of its own). Engines
        sharing a pool must not run requests at the same time.
    """

    def __init__(
        self,
        reference: LoadedScenario,
        cache_dir: str | Path,
        *,
        workers: int = 2,
        entropy: int = 0,
        pool: WorkerPool | None = None,
    ) -> None:
        self.reference = reference
        self.cache_dir = Path(cache_dir)
        self.entropy = entropy
        self.pool = pool if pool is not None else WorkerPool(workers)
        self._current: Request | None = None
        self._lock = threading.Lock()

    def run_dir(self, loaded: LoadedScenario, years: int) -> Path:
        """The cache's run folder of a scenario at a horizon."""
        return self.cache_dir / "runs" / run_id_for(loaded, self.entropy, years)

    def warm_up(self) -> None:
        """Start the worker processes now (they import the model while the page loads)."""
        self.pool.warm_up()

    def request(
        self,
        variant: LoadedScenario,
        *,
        years: int,
        replications: int,
        on_update: Callable[[Request], None] | None = None,
    ) -> Request:
        """Start comparing ``variant`` with the reference in the background; cancel any earlier request.

        The same comparison asked again while it runs (the page re-asks when its language changes)
        is the running request, now reporting to ``on_update``.

        Parameters
        ----------
        variant
            The variant (the reference itself shows the reference alone).
        years, replications
            The horizon and replications of both.
        on_update
            Called (from the engine's thread) when another pair has finished and when the request
            ends; keep it short.
        """
        with self._lock:
            reference_dir = self.run_dir(self.reference, years)
            variant_dir = self.run_dir(variant, years)
            current = self._current
            if (
                current is not None
                and current.progress.status == "running"
                and (current.reference_dir, current.variant_dir, current.years)
                == (reference_dir, variant_dir, years)
                and current.replications == replications
            ):
                current._on_update = on_update  # the same comparison asked again: let it run
                return current
            if current is not None:
                current.cancel()
                current.wait()
            self.pool.cancel_event.clear()
            jobs = [RunJob(self.reference, reference_dir, self.entropy, years, replications)]
            if variant_dir != reference_dir:
                jobs.append(RunJob(variant, variant_dir, self.entropy, years, replications))
            request = Request(
                reference_dir, variant_dir, years, replications, self.entropy, jobs, on_update
            )
            request._stop_workers = self.pool.cancel_event
            request._thread = threading.Thread(
                target=self._run, args=(request,), name="blandetby-dashboard-engine", daemon=True
            )
            self._current = request
            request._thread.start()
            return request

    def _run(self, request: Request) -> None:
        def finished_one(_: int) -> None:
            if request._cancel.is_set():
                raise Cancelled()
            request._update()

        try:
            request._update()  # what the cache already holds
            if request._cancel.is_set():
                raise Cancelled()
            simulate_many(
                request._jobs, executor=self.pool, batch_size=1, on_replication=finished_one
            )
            request._update()
        except Cancelled:
            request._finish("cancelled")
        except Exception as error:  # the page shows it; the server goes on
            logger.exception("the comparison failed")
            request._finish("failed", f"{type(error).__name__}: {error}")
        else:
            request._finish("done")

    def cancel(self) -> None:
        """Cancel the running request, if any, and wait for it to stop."""
        with self._lock:
            if self._current is not None:
                self._current.cancel()
                self._current.wait()

    def close(self) -> None:
        """Cancel what runs and stop the worker processes."""
        self.cancel()
        self.pool.close()
