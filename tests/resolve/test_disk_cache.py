"""The resolver's answers kept between runs: read back as written, and never trusted when old or tampered."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from secls.analysis.frameworks import BaseFacts
from secls.analysis.resolution import TargetVerdict
from secls.resolve import disk_cache
from secls.resolve.summaries import stamp_of

FACTS = BaseFacts("pkg.bases.Base", "unittest", registers_stopall=True, needs_super=frozenset({"setUp"}),
                  unresolved=("pkg.other.Mixin",))


@pytest.fixture
def answers(tmp_path: Path) -> tuple[disk_cache.Bases, disk_cache.Targets]:
    source = tmp_path / "bases.py"
    source.write_text("class Base: pass\n")
    deps = [(str(source), stamp_of(str(source)))]
    bases = {"pkg.bases.Base": (FACTS, deps), "pkg.bases.Gone": (None, deps)}
    targets = {"pkg.clock.now": (TargetVerdict(True, module_path=str(source), module="pkg.clock"), deps),
               "pkg.clock.nwo": (TargetVerdict(False, suggestion="pkg.clock.now"), deps)}
    return bases, targets


def test_answers_are_read_back_as_written(tmp_path: Path, answers: tuple[disk_cache.Bases, disk_cache.Targets]
                                          ) -> None:
    path = tmp_path / "cache" / "resolve-x.pickle"
    disk_cache.save(path, *answers)
    assert disk_cache.load(path) == answers
    bases, _ = disk_cache.load(path)
    assert disk_cache.still_valid(bases["pkg.bases.Base"][1])
    (tmp_path / "bases.py").write_text("class Base:\n    x = 1\n")
    assert not disk_cache.still_valid(bases["pkg.bases.Base"][1])


def test_old_foreign_or_damaged_answers_are_empty(tmp_path: Path,
                                                  answers: tuple[disk_cache.Bases, disk_cache.Targets]) -> None:
    path = tmp_path / "resolve-x.pickle"
    assert disk_cache.load(path) == ({}, {})  # none yet
    for data in (b"", b"not a pickle", b'{"format": 1}', pickle.dumps([1, 2]),
                 pickle.dumps({"format": 1, "version": disk_cache.FINGERPRINT, "bases": {}, "targets": {}}),
                 pickle.dumps({"format": disk_cache.FORMAT, "version": "older", "bases": answers[0], "targets": {}}),
                 pickle.dumps({"format": disk_cache.FORMAT, "version": disk_cache.FINGERPRINT, "bases": [],
                               "targets": {}})):
        path.write_bytes(data)
        assert disk_cache.load(path) == ({}, {}), data


def test_a_tampered_cache_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self) -> tuple[object, ...]:
            return (os.system, (f"touch {marker}",))

    path = tmp_path / "resolve-x.pickle"
    path.write_bytes(pickle.dumps({"format": disk_cache.FORMAT, "version": disk_cache.FINGERPRINT,
                                   "bases": {"x": (Evil(), [])}, "targets": {}}))
    assert disk_cache.load(path) == ({}, {})
    assert not marker.exists()


def test_an_unwritable_cache_is_skipped(tmp_path: Path, answers: tuple[disk_cache.Bases, disk_cache.Targets]
                                        ) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    disk_cache.save(blocker / "resolve-x.pickle", *answers)  # its folder cannot be made: no error
    assert disk_cache.load(blocker / "resolve-x.pickle") == ({}, {})
