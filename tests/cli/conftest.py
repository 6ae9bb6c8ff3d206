"""Helpers for CLI tests: run `secls` in-process or as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from secls.cli import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


@dataclass
class Run:
    """The outcome of one `secls` invocation."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        """stdout parsed as exactly one JSON document."""
        return json.loads(self.out)


@pytest.fixture(autouse=True)
def result_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A result cache of each test's own (in-process runs and subprocesses), never the user's."""
    folder = tmp_path_factory.mktemp("secls-cache")
    monkeypatch.setenv("SECLS_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def secls(capsys: pytest.CaptureFixture[str]):
    """Run `secls ARGS...` in-process; returns a Run."""

    def run(*args: str) -> Run:
        code = main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def run_subprocess(*args: str, cwd: Path | str = REPO) -> Run:
    """Run `python -m secls ARGS...` as a subprocess."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run([sys.executable, "-m", "secls", *args], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=120)
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder (with a pyproject.toml) that is also the working directory."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


LEAKY = '''\
import tempfile
import unittest


class T(unittest.TestCase):
    def setUp(self):
        self.d = tempfile.mkdtemp()

    def test_it(self):
        pass
'''
"""A test module with one SEC302 (warning) finding on line 7."""
