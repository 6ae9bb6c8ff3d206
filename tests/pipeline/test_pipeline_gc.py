"""The cyclic GC runs less often during a check; an in-process run puts it back as it was."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from secls import pipeline
from secls.pipeline import GC_THRESHOLD, RunOptions, run_check


def test_an_in_process_run_restores_the_gc_settings(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("import os\nos.system('x')\n", encoding="utf-8")
    seen: list[tuple[int, int, int]] = []
    real_analyse = pipeline._analyse

    def analyse(state, task):  # type: ignore[no-untyped-def]
        seen.append(gc.get_threshold())
        return real_analyse(state, task)

    gc.unfreeze()  # earlier tests in this process may have frozen objects
    before = gc.get_threshold()
    pipeline._analyse = analyse  # type: ignore[assignment]
    try:
        report = run_check([str(tmp_path)], options=RunOptions(jobs=1, cache=False, progress=False))
    finally:
        pipeline._analyse = real_analyse  # type: ignore[assignment]
    assert seen == [GC_THRESHOLD]
    assert report.findings
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_an_in_process_run_leaves_what_its_caller_froze_frozen(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("import os\nos.system('x')\n", encoding="utf-8")
    kept = [object() for _ in range(10)]
    gc.freeze()
    frozen = gc.get_freeze_count()
    try:
        run_check([str(tmp_path)], options=RunOptions(jobs=1, cache=False, progress=False))
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()
    del kept


def test_a_worker_collects_less_for_its_whole_life() -> None:
    before = gc.get_threshold()
    try:
        pipeline._start(None, 1)
        assert gc.get_threshold() == GC_THRESHOLD
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_an_analysis_keeps_no_node_in_a_reference_cycle() -> None:
    """Workers freeze what each file leaves: a tree node in a cycle would keep its subtree to the end."""
    import ast

    from secls.analysis import analyze

    texts = [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.rglob("*.py"))]
    assert texts
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for text in texts:
            analyze(text, "tests/test_mod.py")
        gc.collect()
        in_cycles = [type(o).__name__ for o in gc.garbage if isinstance(o, ast.AST)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert in_cycles == []


def test_each_file_checked_is_frozen(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("import os\nos.system('x')\n", encoding="utf-8")
    counts: list[int] = []
    real_check = pipeline.check_file

    def check_file(*args, **kwargs):  # type: ignore[no-untyped-def]
        counts.append(gc.get_freeze_count())
        assert not gc.isenabled()  # paused while a file is analysed
        return real_check(*args, **kwargs)

    pipeline.check_file = check_file  # type: ignore[assignment]
    state = pipeline._WorkerState(None)
    path = str(tmp_path / "a.py")
    task = pipeline.FileTask(pipeline.SourceFile(path, path), pipeline.load_config(path, None, {})[0], tmp_path)
    before = gc.get_freeze_count()
    try:
        for _ in range(2):
            pipeline._analyse(state, task)
        assert counts[1] > before  # the first file's leftovers were frozen before the second
        assert gc.isenabled()
    finally:
        pipeline.check_file = real_check  # type: ignore[assignment]
        gc.unfreeze()


def test_a_worker_keeps_the_trees_it_analysed_while_its_memory_is_within_its_share(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ast

    paths = []
    for name in ("a.py", "b.py", "c.py"):
        (tmp_path / name).write_text("import os\nos.system('x')\n", encoding="utf-8")
        paths.append(str(tmp_path / name))
    config = pipeline.load_config(paths[0], None, {})[0]
    peak = pipeline.peak_memory()
    assert peak is not None and peak > 10 << 20  # bytes (this process holds more than 10 MB)
    memory = iter([peak, peak, peak, 2 * peak])  # asked at the start, then before each file
    monkeypatch.setattr(pipeline, "peak_memory", lambda: next(memory, 2 * peak))
    monkeypatch.setattr(pipeline, "KEPT_TREES_MEMORY", 2 * (peak + 1))  # two workers: each may hold a bit more
    before = gc.get_threshold()
    try:
        state = pipeline._start(None, 2)
        reports = [pipeline._analyse(state, pipeline.FileTask(pipeline.SourceFile(p, p), config, tmp_path))[0]
                   for p in paths]
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
    assert [len(r.findings) for r in reports] == [1, 1, 1]
    assert len(state.kept_trees) == 2 and all(isinstance(t, ast.Module) for t in state.kept_trees)
    assert state.keep_below == 0  # past its share: the third tree was freed as usual
    in_process = pipeline._WorkerState(None)  # a run in our own process frees each tree
    pipeline._analyse(in_process, pipeline.FileTask(pipeline.SourceFile(paths[0], paths[0]), config, tmp_path))
    assert in_process.kept_trees == []
