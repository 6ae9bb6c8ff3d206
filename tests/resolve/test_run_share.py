"""Workers of one run hand each other module summaries and base answers through the run's folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from secls.resolve.jedi_resolver import JediResolver
from secls.resolve.run_share import RunShare
from secls.resolve.summaries import FileCache

WORKSPACE = Path(__file__).resolve().parents[1] / "workspace"
TEST = "from pkg import bases\n\n\nclass T(bases.StopallTestCase):\n    pass\n"


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(WORKSPACE, tmp_path / "ws")
    (tmp_path / "ws" / "pkg" / "mod.py").write_text("class Thing:\n    def run(self):\n        pass\n")
    return tmp_path / "ws"


def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files parsed from now on, by any resolver of this process."""
    parsed: list[str] = []
    real = FileCache.get

    def get(self: FileCache, path: str):  # type: ignore[no-untyped-def]
        if path not in self._files:
            parsed.append(os.path.basename(path))
        return real(self, path)

    monkeypatch.setattr(FileCache, "get", get)
    return parsed


def test_a_second_worker_reads_what_the_first_left(workspace: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    share = RunShare(str(tmp_path / "share"))
    os.mkdir(share.folder)
    first = JediResolver(workspace, share=share)
    answers = [first.target_verdict("pkg.mod.Thing.run").exists, first.target_verdict("pkg.mod.Thing.walk").exists,
               first.resolve(TEST, str(workspace / "test_a.py")).bases["bases.StopallTestCase"]]
    parsed = parses(monkeypatch)
    second = JediResolver(workspace, share=share)
    again = [second.target_verdict("pkg.mod.Thing.run").exists, second.target_verdict("pkg.mod.Thing.walk").exists,
             second.resolve(TEST, str(workspace / "test_b.py")).bases["bases.StopallTestCase"]]
    assert again == answers == [True, False, answers[2]] and answers[2] is not None
    assert parsed == []  # neither mod.py nor bases.py was parsed again


def test_an_edited_module_is_read_again(workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    share = RunShare(str(tmp_path / "share"))
    os.mkdir(share.folder)
    assert JediResolver(workspace, share=share).target_verdict("pkg.mod.Thing.walk").exists is False
    module = workspace / "pkg" / "mod.py"
    module.write_text(module.read_text() + "\n    def walk(self):\n        pass\n")
    os.utime(module, (1, 1))  # a different stamp even within the file system's time resolution
    parsed = parses(monkeypatch)
    assert JediResolver(workspace, share=share).target_verdict("pkg.mod.Thing.walk").exists is True
    assert parsed == ["mod.py"]


def test_an_unusable_folder_only_costs_the_work(tmp_path: Path) -> None:
    share = RunShare(str(tmp_path / "missing"))
    share.put("key", {"a": 1})  # nowhere to write: nothing happens
    assert share.get("key") is None
    (tmp_path / "broken").mkdir()
    broken = RunShare(str(tmp_path / "broken"))
    with open(broken._path("key"), "wb") as handle:
        handle.write(b"not a pickle")
    assert broken.get("key") is None
