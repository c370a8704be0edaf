"""Where replications run: in this process, in local worker processes, or on any Dask cluster.

An :class:`Executor` maps a function over tasks and yields the results as the tasks finish. A
*shared* object (the scenarios of a run, a few kilobytes to megabytes) goes to each worker once,
not with every task, so process start-up and scenario loading are paid once per worker.

- :class:`InProcessExecutor`: runs the tasks one after the other in this process (``--workers 1``;
  a single replication always runs here).
- :class:`LocalProcessExecutor`: a :class:`concurrent.futures.ProcessPoolExecutor` with an
  explicit ``spawn`` (or ``forkserver``) context created inside the call: nothing is set globally,
  so it is safe in notebooks and needs no ``if __name__ == "__main__"`` guard in scripts that only
  import it. Workers ignore Ctrl-C; the driver cancels what has not started and stops the workers.
  Each worker watches its parent and exits as soon as the parent is gone, however it went (SIGKILL,
  the OOM killer), so no worker (nor the resource tracker they keep alive) is left behind.
- :class:`DaskExecutor`: any ``dask.distributed`` cluster by scheduler address (``--scheduler``;
  ``dask-jobqueue`` on an HPC system, Kubernetes), an existing ``Client`` (notebooks), or a
  :class:`distributed.LocalCluster` started for the call (``--dask``). The workers must run the
  same code (the runner checks) and, unless the driver writes the results
  (``--no-shared-filesystem``), see the run folder under the same absolute path. When the driver
  goes, the scheduler releases its tasks and the workers drop those not yet started (and a local
  cluster's workers exit with it).

Examples
--------
>>> from simulation.experiments.executors import InProcessExecutor
>>> def add(shared: int, task: int) -> int:
...     return shared + task
>>> sorted(InProcessExecutor().map_unordered(add, 10, [1, 2, 3]))
[11, 12, 13]
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Literal, TypeVar

from simulation.base.errors import ArgumentWordsError, Words

__all__ = [
    "ORPHANED_EXIT",
    "DaskExecutor",
    "Executor",
    "ExecutorError",
    "InProcessExecutor",
    "LocalProcessExecutor",
    "add_executor_arguments",
    "available_cpus",
    "die_with_parent",
    "executor_from_arguments",
    "make_executor",
]

logger = logging.getLogger(__name__)

SharedT = TypeVar("SharedT")
TaskT = TypeVar("TaskT")
ResultT = TypeVar("ResultT")

StartMethod = Literal["spawn", "forkserver"]


class ExecutorError(RuntimeError):
    """An executor could not be set up (Dask missing, scheduler unreachable) or lost a worker."""


def available_cpus() -> int:
    """CPUs this process may run on (its affinity where the system tells, else ``os.cpu_count``)."""
    affinity = getattr(os, "sched_getaffinity", None)
    if affinity is not None:
        return max(1, len(affinity(0)))
    return max(1, os.cpu_count() or 1)


class Executor(ABC):
    """Runs ``function(shared, task)`` for every task and yields the results as tasks finish."""

    in_process: bool = False
    """Whether the tasks run in the calling process (so callbacks may be passed in ``shared``)."""

    @property
    @abstractmethod
    def workers(self) -> int:
        """How many tasks run at once (for a Dask cluster: the threads it had when asked)."""

    @abstractmethod
    def map_unordered(
        self,
        function: Callable[[SharedT, TaskT], ResultT],
        shared: SharedT,
        tasks: Sequence[TaskT],
    ) -> Iterator[ResultT]:
        """Yield ``function(shared, task)`` for each task, in the order the tasks finish.

        Parameters
        ----------
        function
            A module-level function (it is pickled by reference for other processes).
        shared
            Sent to each worker once; must be picklable for other processes.
        tasks
            Small picklable descriptions of the work.

        Yields
        ------
        ResultT
            One result per task. If a task raises, the exception propagates here and the tasks
            not yet started are cancelled; so they are when the caller stops iterating (or is
            interrupted with Ctrl-C).
        """

    def describe(self) -> dict[str, Any]:
        """What ``run.json`` records about the executor."""
        return {"kind": type(self).__name__, "workers": self.workers}


class InProcessExecutor(Executor):
    """Run every task in this process, one after the other."""

    in_process = True

    @property
    def workers(self) -> int:
        """One: this process."""
        return 1

    def map_unordered(
        self,
        function: Callable[[SharedT, TaskT], ResultT],
        shared: SharedT,
        tasks: Sequence[TaskT],
    ) -> Iterator[ResultT]:
        """Yield ``function(shared, task)`` for each task in order."""
        for task in tasks:
            yield function(shared, task)


# -- local processes -----------------------------------------------------------------------------

_worker_shared: Any = None
"""The shared object of this worker process (set by the pool initialiser, in workers only)."""


def _install_shared(shared: Any) -> None:
    """Pool initialiser: keep the shared object for the worker's tasks; leave Ctrl-C to the driver.

    The worker also starts watching its parent (:func:`die_with_parent`).
    """
    global _worker_shared
    _worker_shared = shared
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()


def die_with_parent() -> threading.Thread | None:
    """In a worker process: exit at once when the process that started it is gone.

    A daemon thread waits on the parent's sentinel (:func:`multiprocessing.parent_process`; a pipe
    that closes when the parent dies, however it dies) and then ends the worker with
    :func:`os._exit`: what it had finished is on disk, a replication it was writing is a hidden
    temporary file that the next run removes. Nothing is watched in a process that was not started
    by :mod:`multiprocessing`.

    Returns
    -------
    threading.Thread or None
        The watchdog, or ``None`` in a process without a multiprocessing parent.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return None
    sentinel = parent.sentinel

    def watch() -> None:
        multiprocessing.connection.wait([sentinel])
        os._exit(ORPHANED_EXIT)

    watchdog = threading.Thread(target=watch, name="blandetby-watch-parent", daemon=True)
    watchdog.start()
    return watchdog


ORPHANED_EXIT = 75
"""Exit status of a worker whose parent died (``EX_TEMPFAIL``: the run can be resumed)."""


def _call_with_installed(function: Callable[[Any, Any], Any], task: Any) -> Any:
    return function(_worker_shared, task)


class LocalProcessExecutor(Executor):
    """Run tasks in ``workers`` local processes started with an explicit ``spawn``/``forkserver`` context.

    Parameters
    ----------
    workers
        Worker processes (at most one per task is started).
    start_method
        ``spawn`` (default; the same on Linux, macOS and Windows) or ``forkserver`` (Unix; faster
        start). The context is created inside :meth:`map_unordered`; the global start method is
        never set.
    """

    def __init__(self, workers: int, *, start_method: StartMethod = "spawn") -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self._workers = workers
        self.start_method = start_method

    @property
    def workers(self) -> int:
        """Worker processes."""
        return self._workers

    def describe(self) -> dict[str, Any]:
        """Kind, workers and start method."""
        return super().describe() | {"start_method": self.start_method}

    def map_unordered(
        self,
        function: Callable[[SharedT, TaskT], ResultT],
        shared: SharedT,
        tasks: Sequence[TaskT],
    ) -> Iterator[ResultT]:
        """Yield results as the worker processes finish them (at most 2 tasks queued per worker)."""
        if not tasks:
            return
        context = multiprocessing.get_context(self.start_method)
        size = min(self._workers, len(tasks))
        pool = ProcessPoolExecutor(
            max_workers=size,
            mp_context=context,
            initializer=_install_shared,
            initargs=(shared,),
        )
        logger.info("started %d %s worker processes", size, self.start_method)
        queued = iter(tasks)
        running: set[Future[ResultT]] = set()
        finished = False
        try:
            for task in queued:
                running.add(pool.submit(_call_with_installed, function, task))
                if len(running) >= 2 * size:
                    break
            while running:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    try:
                        result = future.result()
                    except BrokenProcessPool as error:
                        raise ExecutorError(
                            Words(
                                "a worker process died or could not start (out of memory, "
                                "killed, or a script that starts workers without "
                                "`if __name__ == '__main__':`); finished replications are kept: "
                                "run the same command again to resume",
                                "en arbejdsproces døde eller kunne ikke starte (ikke nok "
                                "hukommelse, dræbt, eller et script, der starter processer uden "
                                "`if __name__ == '__main__':`); færdige gentagelser er gemt: kør "
                                "den samme kommando igen for at fortsætte",
                            )
                        ) from error
                    yield result
                    next_task = next(queued, None)
                    if next_task is not None:
                        running.add(pool.submit(_call_with_installed, function, next_task))
            finished = True
        finally:
            if finished:
                pool.shutdown(wait=True)
            else:
                _stop(pool)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel queued tasks and terminate the workers (after an error or an interrupt)."""
    processes = list(getattr(pool, "_processes", {}).values())  # no public API before 3.14
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)


# -- Dask ------------------------------------------------------------------------------------------


def _call_with(function: Callable[[Any, Any], Any], shared: Any, task: Any) -> Any:
    return function(shared, task)


class DaskExecutor(Executor):
    """Run tasks on a Dask cluster: an existing client, a scheduler address, or a local cluster.

    Parameters
    ----------
    address
        Scheduler address, e.g. ``tcp://10.0.0.5:8786`` (``--scheduler``), or a scheduler file
        path ending in ``.json``; the cluster is not shut down afterwards.
    client
        An existing ``distributed.Client`` (e.g. in a notebook); it is left open.
    workers
        Workers of the local cluster started when neither ``address`` nor ``client`` is given
        (default: the available CPUs); one thread each.
    processes
        Whether the local cluster's workers are processes (default) or threads of this process.

    Notes
    -----
    The scenarios are scattered to every worker once. Workers write their replications into the
    run folder, so they must see it under the same absolute path (a shared file system); without
    one, let the driver write (``shared_filesystem=False`` in :func:`simulation.experiments.runner.simulate`).
    """

    def __init__(
        self,
        address: str | None = None,
        *,
        client: Any = None,
        workers: int | None = None,
        processes: bool = True,
    ) -> None:
        if address is not None and client is not None:
            raise ValueError("give a scheduler address or a client, not both")
        self.address = address
        self.client = client
        self.local_workers = workers or available_cpus()
        self.processes = processes
        self._threads = self.local_workers if address is None and client is None else 0

    @property
    def workers(self) -> int:
        """Threads of the cluster when last used (for a local cluster: its workers)."""
        if self.client is not None:
            return _threads(self.client) or 1
        return self._threads or 1

    def describe(self) -> dict[str, Any]:
        """Kind, workers and where the scheduler is."""
        where = self.address or ("client" if self.client is not None else "local cluster")
        return super().describe() | {"scheduler": where}

    def map_unordered(
        self,
        function: Callable[[SharedT, TaskT], ResultT],
        shared: SharedT,
        tasks: Sequence[TaskT],
    ) -> Iterator[ResultT]:
        """Scatter ``shared`` to every worker, submit every task and yield results as they finish."""
        if not tasks:
            return
        distributed = _import_distributed()
        cluster = None
        if self.client is not None:
            client = self.client
        elif self.address is not None:
            try:
                if self.address.endswith(".json"):
                    client = distributed.Client(scheduler_file=self.address, timeout="30s")
                else:
                    client = distributed.Client(self.address, timeout="30s")
            except (OSError, TimeoutError) as error:
                raise ExecutorError(
                    Words(
                        f"cannot reach the Dask scheduler at {self.address!r}: {error}",
                        f"kan ikke nå Dask-planlæggeren på {self.address!r}: {error}",
                    )
                ) from error
        else:
            cluster = distributed.LocalCluster(
                n_workers=min(self.local_workers, len(tasks)),
                threads_per_worker=1,
                processes=self.processes,
                dashboard_address=None,
            )
            client = distributed.Client(cluster)
        try:
            self._threads = _threads(client)
            logger.info(
                "Dask cluster with %d threads at %s", self._threads, client.scheduler.address
            )
            [shared_future] = client.scatter([shared], broadcast=True, hash=False)
            futures = [
                client.submit(_call_with, function, shared_future, task, pure=False)
                for task in tasks
            ]
            try:
                for future in distributed.as_completed(futures):
                    result: ResultT = future.result()
                    future.release()
                    yield result
            finally:
                client.cancel(futures)
                shared_future.release()
        finally:
            if client is not self.client:
                client.close()
            if cluster is not None:
                cluster.close()


def _threads(client: Any) -> int:
    info = client.scheduler_info()
    return int(sum(worker.get("nthreads", 1) for worker in info.get("workers", {}).values()))


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as error:
        raise ExecutorError(
            Words(
                "Dask execution needs dask.distributed: pip install 'blandetby[dask]'",
                "kørsel med Dask skal bruge dask.distributed: pip install 'blandetby[dask]'",
            )
        ) from error
    return distributed


# -- choosing one ----------------------------------------------------------------------------------


def make_executor(
    workers: int | None = None,
    *,
    dask: bool = False,
    scheduler: str | None = None,
    tasks: int | None = None,
) -> Executor:
    """The executor the command-line options ask for.

    Parameters
    ----------
    workers
        Local worker processes (or local Dask workers with ``dask``); default: the available CPUs.
    dask
        Start a local Dask cluster for the call.
    scheduler
        Address of a running Dask scheduler (implies Dask).
    tasks
        How many replications are to run; with one (or one worker) they run in this process.

    Returns
    -------
    Executor
        In-process for a single worker or task, local processes otherwise, Dask when asked.
    """
    if scheduler is not None:
        return DaskExecutor(scheduler)
    if dask:
        return DaskExecutor(workers=workers)
    count = workers if workers is not None else available_cpus()
    if tasks is not None:
        count = min(count, tasks)
    if count <= 1:
        return InProcessExecutor()
    return LocalProcessExecutor(count)


def add_executor_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--workers``, ``--dask``, ``--scheduler``, ``--batch-size`` and ``--no-shared-filesystem``."""
    group = parser.add_argument_group("execution")
    group.add_argument(
        "--workers",
        type=_positive,
        help="parallel worker processes (default: the available CPUs; 1 runs in this process)",
    )
    where = group.add_mutually_exclusive_group()
    where.add_argument(
        "--dask", action="store_true", help="run on a local Dask cluster (--workers workers)"
    )
    where.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786, or a "
        "scheduler file .json); its workers must see the output folder at the same path",
    )
    group.add_argument(
        "--batch-size",
        type=_positive,
        help="replications per task (default: chosen from the replications and workers)",
    )
    group.add_argument(
        "--no-shared-filesystem",
        action="store_true",
        help="workers return their tables and this process writes them (for clusters that "
        "cannot see the output folder)",
    )


def executor_from_arguments(args: argparse.Namespace, tasks: int | None = None) -> Executor:
    """The executor for parsed :func:`add_executor_arguments` options."""
    return make_executor(args.workers, dask=args.dask, scheduler=args.scheduler, tasks=tasks)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ArgumentWordsError(
            Words(f"expected a whole number, got {text!r}", f"forventede et helt tal, fik {text!r}")
        ) from None
    if value < 1:
        raise ArgumentWordsError(
            Words(
                f"expected a whole number of at least 1, got {text!r}",
                f"forventede et helt tal på mindst 1, fik {text!r}",
            )
        )
    return value
