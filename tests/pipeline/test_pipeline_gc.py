"""The cyclic GC runs less often during a check; an in-process run puts it back as it was."""

from __future__ import annotations

import gc
from pathlib import Path

from secls import pipeline
from secls.pipeline import GC_THRESHOLD, RunOptions, run_check


def test_an_in_process_run_restores_the_gc_settings(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("import os\nos.system('x')\n", encoding="utf-8")
    seen: list[tuple[int, int, int]] = []
    real_analyse = pipeline._analyse

    def analyse(state, task):  # type: ignore[no-untyped-def]
        seen.append(gc.get_threshold())
        return real_analyse(state, task)

    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    pipeline._analyse = analyse  # type: ignore[assignment]
    try:
        report = run_check([str(tmp_path)], options=RunOptions(jobs=1, cache=False, progress=False))
    finally:
        pipeline._analyse = real_analyse  # type: ignore[assignment]
    assert seen == [GC_THRESHOLD]
    assert report.findings
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen


def test_a_worker_collects_less_for_its_whole_life() -> None:
    before = gc.get_threshold()
    try:
        pipeline._start(None)
        assert gc.get_threshold() == GC_THRESHOLD
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
