"""The executors: same results serially and in a process pool; workers stay single-threaded."""

from __future__ import annotations

import os

from vidtrace.jobs.executor import THREAD_POOL_VARIABLES, LocalProcessExecutor, SerialExecutor


def _square(value: int) -> int:
    return value * value


def _thread_settings(_: int) -> dict[str, str | None]:
    return {name: os.environ.get(name) for name in THREAD_POOL_VARIABLES}


def test_serial_and_process_pool_give_the_same_results() -> None:
    serial = SerialExecutor()
    pool = LocalProcessExecutor(2)
    try:
        for executor in (serial, pool):
            futures = {executor.submit(_square, n) for n in range(10)}
            results: set[int] = set()
            while futures:
                done, futures = executor.wait_any(futures)
                results |= {f.result() for f in done}
            assert results == {n * n for n in range(10)}
        assert set(pool.submit(_thread_settings, 0).result().values()) == {"1"}
    finally:
        pool.shutdown()


def test_a_failing_call_surfaces_its_error() -> None:
    future = SerialExecutor().submit(_square, "x")  # type: ignore[arg-type]
    assert isinstance(future.exception(), TypeError)
