"""A pool of worker processes that runs one task at a time each, and survives a crash or a stuck task.

Unlike `concurrent.futures`, a worker that crashes or overruns the timeout costs only its own task:
the task is reported as failed, the worker is replaced, and the other tasks go on.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

T = TypeVar("T")
S = TypeVar("S")
R = TypeVar("R")

# A task waits in a worker's pipe behind the running one only when its message is this small: a bigger
# one could fill the pipe, and both ends would block sending (the worker its result, we the task).
QUEUED_MESSAGE_LIMIT = 16_384


@dataclass(frozen=True)
class TaskFailure:
    """A task that gave no result: `kind` is `crash`, `timeout` or `error` (an exception in the task)."""

    kind: str
    message: str


@dataclass(frozen=True)
class WorkerCode(Generic[S, T, R]):
    """What a worker runs (module-level callables, so that spawned workers can import them)."""

    start: Callable[[], S]
    run: Callable[[S, T], R]
    finish: Callable[[S], Any]


def _serve(code: WorkerCode[Any, Any, Any], conn: Connection) -> None:
    """A worker's loop: a task in, its result out, until told to finish (then the finish value is sent)."""
    try:
        state = code.start()  # at once: a pool started before its tasks are listed gets ready meanwhile
    except Exception:
        state = None  # tried again with the first task, whose failure then says why
    while True:
        message = conn.recv()
        if message is None:
            conn.send(("finish", code.finish(state) if state is not None else None))
            conn.close()
            _exit_now()
        index, task = message
        try:
            if state is None:
                state = code.start()
            conn.send(("ok", index, code.run(state, task)))
        except Exception as exc:  # the task's own failure; the worker goes on
            conn.send(("error", index, f"{type(exc).__name__}: {exc}"))


def _exit_now() -> None:
    """End a finished worker without freeing its state object by object: a resolver's parsed modules take
    longer to free than the whole process takes to exit (~0.1 s at the end of a large run)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass
    os._exit(0)


class _Worker:
    def __init__(self, context: Any, code: WorkerCode[Any, Any, Any]) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(code, child), daemon=True)
        self.process.start()
        child.close()
        self.sent: deque[int] = deque()  # the tasks sent and not answered: the one it runs first
        self.last = -1  # the task sent to it last
        self.started = 0.0  # when the task it runs started
        self.dead = False  # found dead before it got a task

    @property
    def task(self) -> int | None:
        """The task it runs, or None when idle."""
        return self.sent[0] if self.sent else None

    def stop(self, grace: float = 0.0) -> None:
        """End the process (it is ours): after `grace` seconds to exit by itself, else now."""
        self.process.join(grace)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def default_context() -> Any:
    """fork where the platform has it (workers inherit the loaded rules), else spawn."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _next_task(worker: _Worker, pending: list[bool], workers: list[_Worker]) -> int:
    """The next task for an idle worker: the one after its last, else the start or the middle of the longest
    stretch of pending tasks. Neighbouring tasks (files of one folder) share what a worker has read."""
    after = worker.last + 1
    if worker.last >= 0 and after < len(pending) and pending[after]:
        return after
    best_start, best_length, start = -1, 0, -1
    for index, waiting in enumerate([*pending, False]):
        if waiting and start < 0:
            start = index
        elif not waiting and start >= 0:
            if index - start > best_length:
                best_start, best_length = start, index - start
            start = -1
    followed = any(other.last == best_start - 1 and other.task is not None for other in workers)
    return best_start + best_length // 2 if followed else best_start


class WorkerPool(Generic[T, R]):
    """Up to `jobs` worker processes; `start` of them (all by default) are started at once, and get ready
    (`code.start`) while the tasks are listed. More are started when there are tasks for them."""

    def __init__(self, code: WorkerCode[Any, T, R], jobs: int, start: int | None = None) -> None:
        self.code = code
        self.jobs = max(1, jobs)
        self._context = default_context()
        self._workers: list[_Worker] = []
        self._finishing: list[_Worker] = []  # told to finish: their finish values wait in their pipes
        self._finished: list[_Worker] = []  # their finish values read: they exit by themselves
        try:
            for _ in range(self.jobs if start is None else max(1, min(start, self.jobs))):
                self._workers.append(_Worker(self._context, code))
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> WorkerPool[T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, tasks: Sequence[T], timeout: float, on_result: Callable[[int, R | TaskFailure], None],
            may_wait: Callable[[int], bool] | None = None) -> list[Any]:
        """Run every task, calling `on_result(index, result or failure)` as each ends; returns the finish values
        of the workers that were still alive at the end (the pool is spent: each worker has finished).

        A task for which `may_wait(index)` is true (a short one) is sent to a busy worker, to start as soon as
        the running one ends, without waiting for us to read the result and answer. A worker with nothing
        left to do is told to finish at once, while the others end their last tasks.
        """
        pending = [True] * len(tasks)
        left = len(tasks)
        workers = self._workers

        def send(worker: _Worker) -> bool:
            """Give a worker its next task (one to queue only when it may wait); whether one was sent."""
            nonlocal left
            index = _next_task(worker, pending, workers)
            if worker.sent and (may_wait is None or not may_wait(index)):
                return False
            message = pickle.dumps((index, tasks[index]), protocol=pickle.HIGHEST_PROTOCOL)
            if worker.sent and len(message) > QUEUED_MESSAGE_LIMIT:
                return False
            pending[index] = False
            left -= 1
            try:
                worker.conn.send_bytes(message)
            except OSError:  # it died before its task (while getting ready): the task fails, not the run
                worker.process.join()
                worker.dead = True
                on_result(index, TaskFailure("crash", f"the worker process died (exit status "
                                                      f"{worker.process.exitcode})"))
                return False
            if not worker.sent:
                worker.started = time.monotonic()
            worker.sent.append(index)
            worker.last = index
            return True

        def give_back(worker: _Worker) -> None:
            """Return the tasks queued behind a dead worker's running one to the pending tasks."""
            nonlocal left
            for index in list(worker.sent)[1:]:
                pending[index] = True
                left += 1
            worker.sent.clear()

        def drop(worker: _Worker) -> None:
            worker.stop()
            workers.remove(worker)

        while left or any(w.sent for w in workers):
            while left and len(workers) < min(self.jobs, len(tasks)):
                workers.append(_Worker(self._context, self.code))
            for worker in list(workers):
                while left and len(worker.sent) < 2 and not worker.dead and send(worker):
                    pass
                if worker.dead:
                    drop(worker)
                elif not left and not worker.sent:
                    self._finish(worker)
            busy = [w for w in workers if w.sent]
            if not busy:
                continue
            deadline = min(w.started for w in busy) + timeout
            ready = wait([w.conn for w in busy], timeout=max(0.0, deadline - time.monotonic()))
            for worker in busy:
                failure = None
                if worker.conn in ready:
                    try:
                        message = worker.conn.recv()
                    except (EOFError, OSError):
                        worker.process.join()
                        failure = TaskFailure("crash", f"the worker process died (exit status "
                                                       f"{worker.process.exitcode})")
                    else:
                        index = worker.sent.popleft()
                        worker.started = time.monotonic()  # the next one, if queued, has just started
                        on_result(index, message[2] if message[0] == "ok" else TaskFailure("error", message[2]))
                        continue
                elif time.monotonic() - worker.started >= timeout:
                    failure = TaskFailure("timeout", f"not finished after {timeout:g} s")
                if failure is not None:
                    index = worker.sent[0]
                    give_back(worker)
                    drop(worker)
                    on_result(index, failure)
        for worker in list(workers):
            self._finish(worker)
        finished = []
        while self._finishing:
            worker = self._finishing.pop(0)
            try:
                finished.append(worker.conn.recv()[1])
            except (EOFError, OSError):
                pass
            self._finished.append(worker)
        return finished

    def _finish(self, worker: _Worker) -> None:
        """Tell a worker to send its finish value and exit."""
        self._workers.remove(worker)
        try:
            worker.conn.send(None)
        except OSError:  # it died while idle: nothing to finish
            worker.stop()
            return
        self._finishing.append(worker)

    def close(self) -> None:
        """End every worker: those that sent their finish value get a moment to exit by themselves, the
        others (an interrupted run) none."""
        for worker in self._finished:
            worker.stop(grace=5.0)
        for worker in self._finishing + self._workers:
            worker.stop()
        self._finished.clear()
        self._finishing.clear()
        self._workers.clear()


def run_tasks(tasks: Sequence[T], code: WorkerCode[Any, T, R], jobs: int, timeout: float,
              on_result: Callable[[int, R | TaskFailure], None],
              may_wait: Callable[[int], bool] | None = None) -> list[Any]:
    """Run every task in `jobs` processes (see `WorkerPool.run`), then end them."""
    with WorkerPool(code, max(1, min(jobs, len(tasks)))) as pool:
        return pool.run(tasks, timeout, on_result, may_wait)
