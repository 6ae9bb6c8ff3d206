"""`secls check` resolves across the files of the workspace, and keeps the answers between runs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

WORKSPACE = Path(__file__).resolve().parents[1] / "workspace"
TEST = '''from unittest import mock

from pkg import bases


class TestThing(bases.PlainTestCase):
    @mock.patch("pkg.clock.nwo")
    def test_it(self, mock_now):
        pass
'''


def run(cwd: Path, *args: str, cache: Path) -> dict:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run([sys.executable, "-m", "secls", "check", "--format", "json", "--exit-zero", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def found(report: dict) -> set[tuple[str, int]]:
    return {(f["code"], f["line"]) for f in report["findings"] if f["code"] == "SEC803"}


def test_check_resolves_and_caches_between_runs(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(WORKSPACE, workspace)
    (workspace / "test_thing.py").write_text(TEST)
    cache = tmp_path / "cache"
    first = run(workspace, "test_thing.py", cache=cache)
    assert found(first) == {("SEC803", 7)}
    assert list((cache / "secls").glob("resolve-*.pickle"))
    assert run(workspace, "test_thing.py", cache=cache) == first
    # the patched module changes: the kept answer is read again, not trusted
    clock = workspace / "pkg" / "clock.py"
    clock.write_text(clock.read_text() + "\n\ndef nwo():\n    return 1\n")
    assert found(run(workspace, "test_thing.py", cache=cache)) == set()


def test_root_and_no_resolve(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(WORKSPACE, workspace)
    (workspace / "test_thing.py").write_text(TEST)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = str(workspace / "test_thing.py")
    assert found(run(elsewhere, target, "--root", str(workspace), "--no-cache", cache=tmp_path)) == {("SEC803", 7)}
    assert found(run(workspace, target, "--no-resolve", cache=tmp_path)) == set()


def test_root_must_be_a_folder(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "secls", "check", "--root", str(tmp_path / "nope"), str(tmp_path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "--root" in done.stderr
