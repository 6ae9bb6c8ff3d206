"""`secls check --jobs N` and the result cache: the same output in any order of running, never a stale result."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from secls.output.json_output import format_json
from secls.pipeline import ResolveSpec, RunOptions, run_check

WORKSPACE = Path(__file__).resolve().parents[1] / "workspace"
TEST = '''import tempfile
from unittest import mock

from pkg import bases


class TestThing(bases.PlainTestCase):
    def setUp(self):
        super().setUp()
        self.patcher = mock.patch("pkg.clock.now")
        self.patcher.start()
        self.d = tempfile.mkdtemp()

    @mock.patch("pkg.clock.nwo")
    def test_it(self, mock_now):
        pass
'''


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tests/workspace copied, with a dozen test modules (one with a syntax error), as the working directory."""
    root = tmp_path / "ws"
    shutil.copytree(WORKSPACE, root)
    tests = root / "tests"
    tests.mkdir()
    for n in range(12):
        (tests / f"test_{n:02d}.py").write_text(TEST.replace("TestThing", f"TestThing{n}"))
    (tests / "test_broken.py").write_text("def broken(:\n")
    (tests / "requirements.txt").write_text("requests==2.0.0\nflask\n")
    monkeypatch.chdir(root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return root


def cli(cwd: Path, *args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SECLS_CACHE_DIR": str(cache), "XDG_CACHE_HOME": str(cache / "xdg")}
    return subprocess.run([sys.executable, "-m", "secls", "check", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def test_jobs_and_cache_give_the_same_output(workspace: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    runs = [cli(workspace, "--format", "json", "--jobs", "1", "--no-cache", ".", cache=cache),
            cli(workspace, "--format", "json", "--jobs", "2", ".", cache=cache),   # cold: fills the cache
            cli(workspace, "--format", "json", "--jobs", "2", ".", cache=cache),   # warm
            cli(workspace, "--format", "json", "--jobs", "1", ".", cache=cache)]   # warm, in process
    assert {run.returncode for run in runs} == {1}, [run.stderr for run in runs]
    assert all(run.stdout == runs[0].stdout for run in runs)
    report = json.loads(runs[0].stdout)
    paths = [f["path"] for f in report["findings"]]
    assert paths == sorted(paths, key=lambda p: (not p.startswith("./pkg"), p))  # in the order files were found
    assert {("SEC803", 14)} <= {(f["code"], f["line"]) for f in report["findings"]}  # resolved in a worker
    assert [e["path"] for e in report["errors"]] == ["./tests/test_broken.py"]
    assert list(cache.glob("check-*.pickle"))
    text = [cli(workspace, "--jobs", str(jobs), ".", cache=cache).stdout for jobs in (1, 2)]
    assert text[0] == text[1] and "Found" in text[0]


def test_a_changed_dependency_is_not_answered_from_the_cache(workspace: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"

    def missing_targets() -> set[str]:
        run = cli(workspace, "--format", "json", "--exit-zero", "--jobs", "2", "tests", cache=cache)
        return {f["path"] for f in json.loads(run.stdout)["findings"] if f["code"] == "SEC803"}

    assert len(missing_targets()) == 12
    clock = workspace / "pkg" / "clock.py"
    clock.write_text(clock.read_text() + "\n\ndef nwo():\n    return 1\n")
    assert missing_targets() == set()


def test_a_changed_file_or_configuration_is_analysed_again(workspace: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from secls import check as check_module
    from secls.analysis import AnalysisResult

    options = RunOptions(jobs=1, cache_dir=tmp_path / "cache", progress=False)
    first = format_json(run_check(["tests"], {}, None, options))
    # From now on every analysis reports nothing: only what is answered from the cache has findings.
    monkeypatch.setattr(check_module, "analyze", lambda *a, **k: AnalysisResult())
    assert format_json(run_check(["tests"], {}, None, options)) == first
    (workspace / "tests" / "test_00.py").write_text(TEST + "\n# edited\n")
    edited = json.loads(format_json(run_check(["tests"], {}, None, options)))
    assert "tests/test_00.py" not in {f["path"] for f in edited["findings"]}
    assert "tests/test_01.py" in {f["path"] for f in edited["findings"]}
    selected = json.loads(format_json(run_check(["tests"], {"select": "SEC3"}, None, options)))
    assert selected["findings"] == []


def test_warm_run_loads_no_rules_jedi_or_libcst(workspace: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (workspace / "tests" / "requirements.txt").unlink()  # requirement files are always checked (advisories change)
    assert cli(workspace, "--jobs", "2", ".", cache=cache).returncode == 1
    probe = ("import sys\nfrom secls.cli import main\ncode = main(['check', '--format', 'json', '.'])\n"
             "print(sorted(m for m in ('secls.rules', 'jedi', 'libcst', 'secls.resolve.jedi_resolver') "
             "if m in sys.modules), file=sys.stderr)\n")
    env = {**os.environ, "SECLS_CACHE_DIR": str(cache), "XDG_CACHE_HOME": str(cache / "xdg")}
    done = subprocess.run([sys.executable, "-c", probe], cwd=workspace, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.stderr.strip().splitlines()[-1] == "[]"
    assert json.loads(done.stdout)["findings"]


def test_a_run_without_requirement_files_loads_no_advisory_code(workspace: Path, tmp_path: Path) -> None:
    (workspace / "tests" / "requirements.txt").unlink()
    probe = ("import sys\nfrom secls.cli import main\ncode = main(['check', '--no-cache', '--jobs', '1', '.'])\n"
             "print(sorted(m for m in ('secls.deps.osv', 'secls.deps.database', 'packaging.version', 'zipfile') "
             "if m in sys.modules), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=workspace, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")})
    assert "SEC301" in done.stdout  # the rules ran
    assert done.stderr.strip().splitlines()[-1] == "[]"


def test_worker_crash_timeout_and_error_are_reported_per_file(workspace: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from secls import pipeline

    real = pipeline.check_file

    def pathological(source, *args, **kwargs):  # runs in the forked workers
        if source.display.endswith("test_03.py"):
            os._exit(7)
        if source.display.endswith("test_05.py"):
            time.sleep(60)
        if source.display.endswith("test_07.py"):
            raise RuntimeError("rule on fire")
        return real(source, *args, **kwargs)

    monkeypatch.setattr(pipeline, "check_file", pathological)
    options = RunOptions(jobs=2, cache_dir=tmp_path / "cache", progress=False, timeout=3,
                         resolve=ResolveSpec(workspace, None))
    report = run_check(["tests"], {}, None, options)
    errors = {Path(e.path).name: (e.kind, e.message) for e in report.errors}
    assert errors["test_03.py"][0] == "internal" and "died" in errors["test_03.py"][1]
    assert errors["test_05.py"] == ("file", "not checked: the analysis took longer than 3 s (--file-timeout)")
    assert errors["test_07.py"] == ("internal", "internal error: RuntimeError: rule on fire")
    checked = {Path(f.path).name for f in report.findings}
    assert {f"test_{n:02d}.py" for n in range(12)} - checked == {"test_03.py", "test_05.py", "test_07.py"}
    # failures are not kept: the next run analyses those files again
    monkeypatch.setattr(pipeline, "check_file", real)
    again = run_check(["tests"], {}, None, options)
    assert [e.path for e in again.errors] == ["tests/test_broken.py"]


def test_jobs_must_be_positive(workspace: Path, tmp_path: Path) -> None:
    for bad in ("0", "-1", "two"):
        run = cli(workspace, "--jobs", bad, ".", cache=tmp_path)
        assert run.returncode == 2 and "--jobs" in run.stderr
    run = cli(workspace, "--file-timeout", "0", ".", cache=tmp_path)
    assert run.returncode == 2 and "--file-timeout" in run.stderr


def test_no_progress_bar_when_stderr_is_not_a_terminal(workspace: Path, tmp_path: Path) -> None:
    run = cli(workspace, "--exit-zero", ".", cache=tmp_path)
    assert run.returncode == 0 and run.stderr == ""


def test_no_cache_writes_nothing(workspace: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert cli(workspace, "--no-cache", "--exit-zero", ".", cache=cache).returncode == 0
    assert not cache.exists() or not list(cache.rglob("*.pickle")) and not list(cache.rglob("resolve-*"))
