"""Run real editors headless against `secls serve`: the test module, the expected results, the runner."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
EDITORS = HERE.parents[1] / "editors"
SECLS = Path(sys.executable).parent / "secls"  # the secls of the environment running pytest
TIMEOUT_S = 60

CASE = (HERE / "volume_case.py").read_text(encoding="utf-8")
START = "        self.label = \"😀 volume 🚀\"; self.getcwd = self.patcher.start()\n"
FIXED = CASE.replace(START, START + "        self.addCleanup(self.patcher.stop)\n")
LINE = 8  # 0-based line of the finding
# `        self.label = "😀 volume 🚀"; self.getcwd = ` then `self.patcher.start()`, per encoding.
COLUMNS = {"utf-32": (49, 69), "utf-16": (51, 71), "utf-8": (55, 75)}
MESSAGE_START = "patcher `self.patcher` started in setUp is never stopped"


@dataclass
class EditorRun:
    """What a headless editor run left behind."""

    returncode: int
    output: str
    report: dict[str, Any] | None
    seconds: float


def tool(path: str | Path | None, what: str) -> str:
    """An editor executable; missing is a failure in CI and a skip elsewhere."""
    if path and Path(path).is_file() and os.access(path, os.X_OK):
        return str(path)
    message = f"{what} is not installed (bash .ci/run installs it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def system_tool(name: str) -> str | None:
    """`name` from the system PATH, not from a virtual environment's bin."""
    return shutil.which(name, path="/usr/local/bin:/usr/bin:/bin")


@pytest.fixture
def module(tmp_path: Path) -> Path:
    """The test module, alone in a fresh project folder."""
    path = tmp_path / "project" / "test_volume.py"
    path.parent.mkdir()
    path.write_text(CASE, encoding="utf-8")
    return path


@pytest.fixture
def broken_secls(tmp_path: Path) -> Path:
    """A `secls` that dies once the editor has talked to it, as a broken installation would (Python takes a
    tenth of a second to fail: the editor's first message is written by then; a server gone before that write
    can kill a batch-mode Emacs with SIGPIPE, silently: seen under load)."""
    path = tmp_path / "broken-secls"
    path.write_text("#!/bin/sh\nhead -c 1 >/dev/null\nsleep 0.5\necho 'secls: broken on purpose' >&2\nexit 3\n")
    path.chmod(0o755)
    return path


def run_editor(argv: list[str], env: dict[str, str], report: Path, home: Path) -> EditorRun:
    """Run an editor in its own session; kill it and its servers on timeout and when done."""
    full_env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"),
                "XDG_DATA_HOME": str(home / "data"), "XDG_STATE_HOME": str(home / "state"),
                "XDG_CACHE_HOME": str(home / "cache"), "SECLS_REPORT": str(report), **env}
    started = time.monotonic()
    process = subprocess.Popen(argv, env=full_env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        pytest.fail(f"{argv[0]} did not finish in {TIMEOUT_S} s; output:\n{output}")
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # a server the editor left running
        except ProcessLookupError:
            pass
    data = json.loads(report.read_text(encoding="utf-8")) if report.exists() else None
    return EditorRun(process.returncode, output, data, time.monotonic() - started)


def check_report(run: EditorRun, encoding: str) -> dict[str, Any]:
    """The shared end-to-end expectations: one SEC301 at the right range, fixed text, cleared."""
    assert run.returncode == 0, f"editor exited {run.returncode}:\n{run.output}"
    assert run.report is not None, f"editor wrote no report:\n{run.output}"
    report = run.report
    assert report["code"] == "SEC301"
    assert report["count"] == 1
    assert report["message"].startswith(MESSAGE_START), report["message"]
    start, end = COLUMNS[encoding]
    lsp_range = report["lsp_range"]
    assert (lsp_range["start"]["line"], lsp_range["start"]["character"]) == (LINE, start)
    assert (lsp_range["end"]["line"], lsp_range["end"]["character"]) == (LINE, end)
    assert report["fixed_text"] == FIXED
    assert report["remaining"] == 0
    return report


def check_fails_fast(run: EditorRun, expected: str) -> None:
    """A broken server makes the editor script fail quickly, saying why."""
    assert run.returncode != 0, f"passed with a broken server:\n{run.output}"
    assert expected in run.output, run.output
    assert run.seconds < 30, f"took {run.seconds:.1f} s to notice the broken server"
