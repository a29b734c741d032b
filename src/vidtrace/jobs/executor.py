"""The executor interface the runners use, and the two local implementations.

An executor runs picklable functions somewhere and hands back ``concurrent.futures.Future``s. A
Dask executor implements the same three methods around ``distributed.Client``.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, Protocol, TypeVar

R = TypeVar("R")


class Executor(Protocol):
    workers: int

    def submit(self, fn: Callable[..., R], *args: Any) -> Future[R]: ...

    def wait_any(self, futures: Iterable[Future[Any]]) -> tuple[set[Future[Any]], set[Future[Any]]]:
        """Block until at least one future is done; return (done, not done)."""
        ...

    def shutdown(self) -> None: ...


class SerialExecutor:
    """Runs each call at once in this process: for tests, debugging and ``--workers 1``."""

    def __init__(
        self, initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()
    ):
        self.workers = 1
        if initializer is not None:
            initializer(*initargs)

    def submit(self, fn: Callable[..., R], *args: Any) -> Future[R]:
        future: Future[R] = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as error:
            future.set_exception(error)
        return future

    def wait_any(self, futures: Iterable[Future[Any]]) -> tuple[set[Future[Any]], set[Future[Any]]]:
        return set(futures), set()

    def shutdown(self) -> None:
        pass


class LocalProcessExecutor:
    """A pool of worker processes on this machine."""

    def __init__(
        self,
        workers: int,
        initializer: Callable[..., None] | None = None,
        initargs: tuple[Any, ...] = (),
    ) -> None:
        self.workers = workers
        _one_thread_per_worker()
        # "spawn" avoids inheriting the parent's open database connections and threads.
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=initializer,
            initargs=initargs,
        )

    def submit(self, fn: Callable[..., R], *args: Any) -> Future[R]:
        return self._pool.submit(fn, *args)

    def wait_any(self, futures: Iterable[Future[Any]]) -> tuple[set[Future[Any]], set[Future[Any]]]:
        done, pending = wait(futures, return_when=FIRST_COMPLETED)
        return set(done), set(pending)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


# Each worker is one core's worth of work. A BLAS or OpenMP thread pool per worker oversubscribes
# the cores and spins: measured, 2 workers ran at 0.8x the speed of 1 before this, 1.8x after.
THREAD_POOL_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _one_thread_per_worker() -> None:
    """Set before the workers start: they read it when they import numpy."""
    for name in THREAD_POOL_VARIABLES:
        os.environ.setdefault(name, "1")


def make_executor(
    workers: int, initializer: Callable[..., None], initargs: tuple[Any, ...]
) -> Executor:
    if workers <= 1:
        return SerialExecutor(initializer, initargs)
    return LocalProcessExecutor(workers, initializer, initargs)
