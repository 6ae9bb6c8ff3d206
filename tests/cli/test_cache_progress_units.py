"""Units of the parallel, cached check: the result cache, the worker pool, the progress line, the excludes."""

from __future__ import annotations

import io
import os
import pickle
import sys
import time
from pathlib import Path, PurePath

import pytest

from secls.analysis.findings import Finding, FixRef, Severity
from secls.config import DEFAULT_EXCLUDE, Config
from secls.exclude import exclusion_matcher
from secls.output.report import FileError, PathFinding, Report
from secls.pipeline import merge_into
from secls.progress import Progress, wanted
from secls.result_cache import VARIANTS_PER_FILE, ResultCache, cache_dir
from secls.workers import TaskFailure, WorkerCode, WorkerPool, run_tasks

FINDING = Finding("SEC302", "resource-release", Severity.WARNING, "never removed", 7, 8, 7, 26,
                  fix=FixRef("remove it in tearDown", safe=False))


def fragment(path: str = "a.py") -> Report:
    return Report(findings=[PathFinding(path, FINDING)], errors=[FileError(path, "x", 1, 2, "E999", "syntax")],
                  files_checked=1)


def test_cache_round_trip_and_dependencies(tmp_path: Path) -> None:
    dep = tmp_path / "base.py"
    dep.write_text("class Base: pass\n")
    info = os.stat(dep)
    real = str(tmp_path / "a.py")
    Path(real).write_text("x = 1\n")
    cache = ResultCache.open("scope", tmp_path)
    assert cache.get(real, "v", "hash") is None
    cache.put(real, "v", "hash", [(str(dep), (info.st_mtime, info.st_size))], fragment())
    cache.put(str(tmp_path / "deleted.py"), "v", "hash", [], fragment())
    cache.save()
    again = ResultCache.open("scope", tmp_path)
    assert again.get(real, "v", "hash") == fragment()
    assert again.get(real, "v", "other content") is None
    assert again.get(real, "other variant", "hash") is None
    assert list(again.entries) == [real]  # results of files that no longer exist are dropped
    dep.write_text("class Base:\n    x = 1\n")
    assert ResultCache.open("scope", tmp_path).get(real, "v", "hash") is None  # the base changed
    assert ResultCache.open("other scope", tmp_path).get(real, "v", "hash") is None


def test_cache_keeps_a_few_variants_per_file(tmp_path: Path) -> None:
    cache = ResultCache.open("scope", tmp_path)
    for n in range(VARIANTS_PER_FILE + 2):
        cache.put("/a.py", f"v{n}", "hash", [], fragment())
    assert list(cache.entries["/a.py"]) == [f"v{n}" for n in range(2, VARIANTS_PER_FILE + 2)]


def test_a_tampered_cache_runs_nothing(tmp_path: Path) -> None:
    cache = ResultCache.open("scope", tmp_path)
    cache.put("/a.py", "v", "hash", [], fragment())
    cache.save()
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    data = {"format": 1, "code": cache.fingerprint, "entries": Evil()}
    cache.path.write_bytes(pickle.dumps(data))
    assert ResultCache.open("scope", tmp_path).entries == {}
    cache.path.write_bytes(b"not a pickle")
    assert ResultCache.open("scope", tmp_path).entries == {}
    assert not marker.exists()


def test_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SECLS_CACHE_DIR", str(tmp_path / "here"))
    assert cache_dir() == tmp_path / "here"
    monkeypatch.delenv("SECLS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform == "linux":
        assert cache_dir() == tmp_path / "xdg" / "secls"


def test_merge_keeps_order_and_counts() -> None:
    report = Report()
    merge_into(report, fragment("a.py"))
    merge_into(report, fragment("b.py"))
    assert [pf.path for pf in report.findings] == ["a.py", "b.py"]
    assert [e.path for e in report.errors] == ["a.py", "b.py"]
    assert report.files_checked == 2


def _start() -> dict[str, int]:
    return {"pid": os.getpid()}


def _run(state: dict[str, int], task: str) -> tuple[str, int]:
    if task == "crash":
        os._exit(3)
    if task == "hang":
        time.sleep(60)
    if task == "raise":
        raise ValueError("bad task")
    return task.upper(), state["pid"]


def _finish(state: dict[str, int]) -> int:
    return state["pid"]


def test_pool_reports_each_task_and_survives_failures() -> None:
    tasks = ["a", "crash", "b", "hang", "c", "raise", "d"]
    results: dict[int, object] = {}
    finished = run_tasks(tasks, WorkerCode(_start, _run, _finish), jobs=2, timeout=2,
                         on_result=lambda index, result: results.__setitem__(index, result))
    assert sorted(results) == list(range(len(tasks)))
    assert [results[i][0] for i in (0, 2, 4, 6)] == ["A", "B", "C", "D"]  # type: ignore[index]
    assert isinstance(results[1], TaskFailure) and results[1].kind == "crash" and "3" in results[1].message
    assert results[3] == TaskFailure("timeout", "not finished after 2 s")
    assert results[5] == TaskFailure("error", "ValueError: bad task")
    assert {pid for _, pid in (results[i] for i in (0, 2, 4, 6))} >= set(finished)  # type: ignore[misc]
    assert os.getpid() not in finished


def test_tasks_queued_behind_a_failing_one_are_run_by_its_replacement() -> None:
    tasks = ["crash", "a", "b", "hang", "c", "raise", "d"]
    results: dict[int, object] = {}
    asked: list[int] = []

    def may_wait(index: int) -> bool:
        asked.append(index)
        return True

    run_tasks(tasks, WorkerCode(_start, _run, _finish), jobs=1, timeout=2,
              on_result=lambda index, result: results.__setitem__(index, result), may_wait=may_wait)
    assert sorted(results) == list(range(len(tasks)))
    assert [results[i][0] for i in (1, 2, 4, 6)] == ["A", "B", "C", "D"]  # type: ignore[index]
    assert isinstance(results[0], TaskFailure) and results[0].kind == "crash"
    assert results[3] == TaskFailure("timeout", "not finished after 2 s")
    assert results[5] == TaskFailure("error", "ValueError: bad task")
    assert 1 in asked and 4 in asked  # sent to wait behind the crash and the hang: then given back


def test_only_tasks_that_may_wait_are_queued_behind_a_running_one() -> None:
    tasks = ["a", "b", "c", "d"]
    asked: list[int] = []
    results: dict[int, object] = {}

    def may_wait(index: int) -> bool:
        asked.append(index)
        return False

    run_tasks(tasks, WorkerCode(_start, _run, _finish), jobs=1, timeout=5,
              on_result=lambda index, result: results.__setitem__(index, result), may_wait=may_wait)
    assert [results[i][0] for i in range(4)] == ["A", "B", "C", "D"]  # type: ignore[index]
    assert asked and set(asked) <= {1, 2, 3}


MARKS = Path(os.environ.get("SECLS_TEST_MARKS", "/nonexistent"))


def _start_marked() -> dict[str, int]:
    (MARKS / f"started-{os.getpid()}").write_text(str(time.monotonic()))
    return _start()


def _run_slow(state: dict[str, int], task: str) -> tuple[str, int]:
    if task == "slow":
        time.sleep(1.5)
    return _run(state, task)


def _finish_marked(state: dict[str, int]) -> int:
    (MARKS / f"finished-{os.getpid()}").write_text(str(time.monotonic()))
    return _finish(state)


def _start_dying() -> dict[str, int]:
    os._exit(4)


def _marks(folder: Path, kind: str) -> dict[int, float]:
    return {int(p.name.split("-")[1]): float(p.read_text()) for p in folder.glob(f"{kind}-*")}


def test_a_pool_gets_ready_before_its_tasks_and_retires_idle_workers_early(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(f"{__name__}.MARKS", tmp_path)
    results: dict[int, object] = {}
    ended: dict[int, float] = {}

    def on_result(index: int, result: object) -> None:
        results[index] = result
        ended[index] = time.monotonic()

    with WorkerPool(WorkerCode(_start_marked, _run_slow, _finish_marked), jobs=2) as pool:
        deadline = time.monotonic() + 10
        while len(_marks(tmp_path, "started")) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(_marks(tmp_path, "started")) == 2  # both started before any task was known
        finished = pool.run(["slow", "a"], timeout=10, on_result=on_result)
    assert [results[i][0] for i in (0, 1)] == ["SLOW", "A"]  # type: ignore[index]
    slow_pid = results[0][1]  # type: ignore[index]
    other_pid = results[1][1]  # type: ignore[index]
    assert slow_pid != other_pid and sorted(finished) == sorted([slow_pid, other_pid])
    # The worker with nothing left finished while the other still ran its slow task.
    assert _marks(tmp_path, "finished")[other_pid] < ended[0]


def test_a_pool_with_more_workers_than_tasks_finishes_them_all(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(f"{__name__}.MARKS", tmp_path)
    with WorkerPool(WorkerCode(_start_marked, _run, _finish_marked), jobs=3) as pool:
        finished = pool.run(["a"], timeout=10, on_result=lambda index, result: None)
    assert len(finished) == 3 and len(_marks(tmp_path, "finished")) == 3
    with WorkerPool(WorkerCode(_start, _run, _finish), jobs=2) as pool:
        assert len(pool.run([], timeout=10, on_result=lambda index, result: None)) == 2


def test_a_pool_starts_some_workers_now_and_more_for_the_tasks(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from secls.pipeline import _files_at_most

    monkeypatch.setattr(f"{__name__}.MARKS", tmp_path)
    with WorkerPool(WorkerCode(_start_marked, _run_slow, _finish), jobs=3, start=1) as pool:
        deadline = time.monotonic() + 10
        while not _marks(tmp_path, "started") and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.2)
        assert len(_marks(tmp_path, "started")) == 1
        finished = pool.run(["slow", "a", "b"], timeout=10, on_result=lambda index, result: None)
    assert len(finished) == 3 and len(_marks(tmp_path, "started")) == 3
    (tmp_path / "pkg").mkdir()
    assert _files_at_most([str(tmp_path / "a.py"), str(tmp_path / "b.py")]) == 2  # files, or nothing there
    assert _files_at_most([str(tmp_path / "a.py"), str(tmp_path / "pkg")]) is None  # a folder: any number


def test_workers_that_die_while_getting_ready_fail_their_tasks_not_the_run() -> None:
    results: dict[int, object] = {}
    run_tasks(["a", "b", "c"], WorkerCode(_start_dying, _run, _finish), jobs=2, timeout=10,
              on_result=lambda index, result: results.__setitem__(index, result))
    assert sorted(results) == [0, 1, 2]
    assert all(isinstance(r, TaskFailure) and r.kind == "crash" and "4" in r.message for r in results.values())


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal_with_enough_files() -> None:
    assert not wanted(500, io.StringIO())
    assert not wanted(3, Terminal())
    assert wanted(500, Terminal())


def test_progress_draws_in_place_and_erases() -> None:
    stream = Terminal()
    progress = Progress(4, stream, interval=0)
    for _ in range(4):
        progress.advance()
    progress.close()
    text = stream.getvalue()
    assert text.startswith("\r[")
    assert "] 1/4 files" in text and "[" + "#" * 24 + "] 4/4 files" in text
    assert "\n" not in text
    last = text.rsplit("\r", 2)
    assert last[-1] == "" and last[-2].strip() == ""  # the line is blanked, the cursor back at the margin


@pytest.mark.parametrize("globs", [DEFAULT_EXCLUDE, ("*_pb2.py", "generated"), ("tests/*",), ("a/b/*",), ("[[]x]",),
                                   ()])
def test_compiled_excludes_match_like_the_configuration(globs: tuple[str, ...]) -> None:
    paths = ["a/b.py", "build/x.py", "x/foo.egg-info/y.py", "src/node_modules", "pkg/__pycache__/a.pyc",
             "generated/x_pb2.py", "a/b/c_pb2.py", "tests/integration/t.py", "[x]/a.py", ".venv", "ok.py"]
    matcher = exclusion_matcher(globs)
    config = Config(exclude=globs)
    for path in map(PurePath, paths):
        assert matcher(path) == config.is_excluded(path), path


def test_workers_take_neighbouring_tasks_and_split_what_is_left() -> None:
    from secls.workers import _next_task

    class Idle:
        def __init__(self) -> None:
            self.last, self.task = -1, None

    first, second = Idle(), Idle()
    pending = [True] * 10
    order = []
    for worker in (first, second, first, second, first):
        worker.task = worker.last = _next_task(worker, pending, [first, second])  # type: ignore[arg-type]
        pending[worker.task] = False
        order.append(worker.task)
    assert order == [0, 5, 1, 6, 2]  # two contiguous halves, one per worker
    # The second worker is done with its half while the first is on task 2 with 3-6 left: it takes 5.
    first.last = first.task = 2
    second.last, second.task = 9, None
    pending = [False] * 3 + [True] * 4 + [False] * 3
    assert _next_task(second, pending, [first, second]) == 5  # type: ignore[arg-type]
