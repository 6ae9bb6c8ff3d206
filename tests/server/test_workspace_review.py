"""End-to-end: `secls.reviewWorkspace` — progress, diagnostics of unopened files, cancellation, open documents."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from secls.analysis.engine import analyze
from secls.baseline.fingerprint import marks
from secls.config import Config
from secls.server.review_worker import FileJob, review_file
from secls.server.workspace import workspace_files
from tests.deps.shared_db import shared_db_path
from tests.server.conftest import TIMEOUT_S, capabilities, cleared, diagnostics, open_doc, session

COMMAND = "secls.reviewWorkspace"


@pytest.fixture
def options() -> dict[str, str]:
    """Server options with the shared advisory database (the test skips when it is absent)."""
    return {"advisoryDb": shared_db_path()}


LEAKY_TEST = '''\
import tempfile
import unittest


class T(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def test_it(self):
        self.assertTrue(self.tmp)
'''
EVAL = "def run(expr):\n    return eval(expr)\n"


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A small project: findings in a module, a test, a requirement file; files the review must skip."""
    write(tmp_path, {
        "pyproject.toml": '[project]\nname = "app"\ndependencies = ["requests==2.19.0"]\n\n[tool.secls]\nextend-exclude = ["generated"]\n',
        "app/__init__.py": "",
        "app/handlers.py": EVAL,
        "app/live.py": EVAL,
        "app/clean.py": "VALUE = 1\n",
        "tests/test_tmp.py": LEAKY_TEST,
        "requirements.txt": "flask==3.0.3\nPyYAML==5.3\n",
        "generated/gen.py": EVAL,  # excluded by [tool.secls]
        ".venv/lib/site.py": EVAL,  # excluded by default
        "node_modules/pkg/x.py": EVAL,  # excluded by default
        "env/pyvenv.cfg": "home = /usr/bin\n",  # a virtualenv with an unusual name
        "env/lib/mod.py": EVAL,
    })
    return tmp_path


def published(client: Any) -> dict[str, list[types.PublishDiagnosticsParams]]:
    """Every publish so far, per URI (drains the queues)."""
    out: dict[str, list[types.PublishDiagnosticsParams]] = {}
    for uri, queue in client.published.items():
        while not queue.empty():
            out.setdefault(uri, []).append(queue.get_nowait())
    return out


async def review(client: Any) -> Any:
    return await asyncio.wait_for(client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=COMMAND)), 120)


def progress_values(client: Any) -> list[Any]:
    """The values of the one progress token the server created."""
    assert len(client.progress_reports) == 1, client.progress_reports
    return next(iter(client.progress_reports.values()))


async def first_report(client: Any) -> Any:
    """Wait until the server reported progress on some file; returns its token."""
    for _ in range(int(TIMEOUT_S * 100)):
        for token, values in client.progress_reports.items():
            if any(isinstance(v, types.WorkDoneProgressReport) and v.percentage for v in values):
                return token
        await asyncio.sleep(0.01)
    raise AssertionError("no progress report")


async def test_review_publishes_unopened_files_with_progress(workspace: Path, options: dict[str, str]) -> None:
    async with session(capabilities("visual-studio-code"), options=options, root=workspace.as_uri()) as client:
        assert COMMAND in client.init_result.capabilities.execute_command_provider.commands
        live = (workspace / "app/live.py").as_uri()
        open_doc(client, live, "VALUE = 2\n")  # the buffer differs from the file: its findings are the live ones
        assert await diagnostics(client, live, 1) == []

        summary = await review(client)
        assert summary == {"files": 7, "reviewed": 7, "findings": 5, "cancelled": False}
        got = published(client)
        codes = {uri.rsplit("/", 1)[1]: sorted(str(d.code) for p in ps for d in p.diagnostics) for uri, ps in got.items()}
        assert codes == {"handlers.py": ["SEC101"], "test_tmp.py": ["SEC302"], "requirements.txt": ["SEC502"],
                         "pyproject.toml": ["SEC502"]}  # and live.py, open: not published
        assert set(got) == {(workspace / name).as_uri() for name in
                            ("app/handlers.py", "tests/test_tmp.py", "requirements.txt", "pyproject.toml")}
        assert all(p.version is None for ps in got.values() for p in ps)

        values = progress_values(client)
        assert isinstance(values[0], types.WorkDoneProgressBegin) and values[0].cancellable
        assert isinstance(values[-1], types.WorkDoneProgressEnd)
        reports = values[1:-1]
        assert reports and all(isinstance(v, types.WorkDoneProgressReport) for v in reports)
        assert [r.percentage for r in reports] == sorted(r.percentage for r in reports)
        assert reports[-1].message == "7/7 files" and reports[-1].percentage == 100
        assert values[-1].message == "5 findings in 7 files"

        # Closing the open document shows the review's view of the saved file instead of clearing it.
        client.text_document_did_close(types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=live)))
        assert [d.code for d in await cleared(client, live)] == ["SEC101"]

        # A second review replaces the first: a deleted file and a fixed file lose their diagnostics.
        (workspace / "app/handlers.py").unlink()
        (workspace / "tests/test_tmp.py").write_text("VALUE = 3\n")
        summary = await review(client)
        assert summary["files"] == 6 and not summary["cancelled"]
        got = published(client)
        assert [list(p.diagnostics) for p in got[(workspace / "app/handlers.py").as_uri()]] == [[]]
        assert [list(p.diagnostics) for p in got[(workspace / "tests/test_tmp.py").as_uri()]] == [[]]
        assert (workspace / "requirements.txt").as_uri() in got


async def test_open_document_keeps_live_diagnostics(workspace: Path, options: dict[str, str]) -> None:
    async with session(capabilities("neovim"), options=options, root=workspace.as_uri()) as client:
        handlers = (workspace / "app/handlers.py").as_uri()
        open_doc(client, handlers, EVAL + "x = eval('1')\n")
        live = await diagnostics(client, handlers, 1)
        assert [d.code for d in live] == ["SEC101", "SEC101"]
        await review(client)
        assert handlers not in published(client)
        assert list(client.diagnostics[handlers]) == live


async def test_review_without_progress_support(workspace: Path, options: dict[str, str]) -> None:
    caps = capabilities("visual-studio-code")
    caps.window = types.WindowClientCapabilities(work_done_progress=False)
    async with session(caps, options=options, root=workspace.as_uri()) as client:
        summary = await review(client)
        assert summary["reviewed"] == 7 and not client.progress_reports
        assert len(published(client)) == 5


@pytest.fixture
def big_workspace(tmp_path: Path) -> Path:
    """300 modules, each with a finding."""
    write(tmp_path, {f"pkg{i // 50}/mod{i}.py": f"def run{i}(expr):\n    return eval(expr)\n" for i in range(300)})
    return tmp_path


async def stopped_early(client: Any) -> int:
    """Wait for the end of the progress; check that publishing stopped well short of 300 files."""
    for _ in range(int(TIMEOUT_S * 100)):
        if isinstance(progress_values(client)[-1], types.WorkDoneProgressEnd):
            break
        await asyncio.sleep(0.01)
    values = progress_values(client)
    assert isinstance(values[-1], types.WorkDoneProgressEnd) and values[-1].message.startswith("cancelled after")
    await asyncio.sleep(1.0)  # nothing more arrives after the end
    count = len(published(client))
    assert 0 < count < 300
    return count


async def test_cancel_request_stops_the_review(big_workspace: Path) -> None:
    async with session(capabilities("visual-studio-code"), root=big_workspace.as_uri()) as client:
        request = asyncio.ensure_future(client.protocol.send_request_async(
            types.WORKSPACE_EXECUTE_COMMAND, types.ExecuteCommandParams(command=COMMAND), msg_id="review-1"))
        await first_report(client)
        client.cancel_request(types.CancelParams(id="review-1"))
        with pytest.raises(JsonRpcException):
            await asyncio.wait_for(request, TIMEOUT_S)
        await stopped_early(client)


async def test_progress_cancel_stops_the_review(big_workspace: Path) -> None:
    async with session(capabilities("visual-studio-code"), root=big_workspace.as_uri()) as client:
        request = asyncio.ensure_future(review(client))
        token = await first_report(client)
        client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
        summary = await asyncio.wait_for(request, TIMEOUT_S)
        assert summary["cancelled"] and summary["files"] == 300 and 0 < summary["reviewed"] < 300
        assert await stopped_early(client) == summary["reviewed"]


def test_review_file_reports_unreadable_files(tmp_path: Path) -> None:
    undecodable = tmp_path / "latin.py"
    undecodable.write_bytes(b'NAME = "\xff"\n')
    job = FileJob(str(undecodable), undecodable.as_uri(), Config(), "utf-16", str(tmp_path), None)
    review = review_file(job)
    assert [d.severity for d in review.diagnostics] == [types.DiagnosticSeverity.Error]
    assert "cannot decode as utf-8" in review.diagnostics[0].message and not review.errors
    gone = review_file(replace(job, path=str(tmp_path / "gone.py")))
    assert gone.diagnostics == [] and "cannot read" in gone.errors[0]


def test_workspace_files_skip_virtualenvs_and_symlink_loops(workspace: Path) -> None:
    (workspace / "app" / "loop").symlink_to(workspace / "app")
    files = workspace_files([(str(workspace), Config().is_excluded)])
    assert [Path(f).relative_to(workspace).as_posix() for f in files] == [
        "app/__init__.py", "app/clean.py", "app/handlers.py", "app/live.py", "generated/gen.py",
        "requirements.txt", "tests/test_tmp.py", "pyproject.toml"]


def test_review_file_hides_baselined_findings(tmp_path: Path) -> None:
    module = tmp_path / "run.py"
    module.write_text("import subprocess\n\n\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n", encoding="utf-8")
    job = FileJob(str(module), module.as_uri(), Config(), "utf-16", str(tmp_path), None)
    shown = review_file(job).diagnostics
    assert any(d.code == "SEC102" for d in shown)
    text = module.read_text(encoding="utf-8")
    findings = [f for f in analyze(text, str(module)).findings if f.code == "SEC102"]
    accepted = frozenset(mark.key for mark in marks(text, str(module), findings))
    hidden = review_file(replace(job, accepted=accepted)).diagnostics
    assert [d.code for d in hidden] == [d.code for d in shown if d.code != "SEC102"]
