"""The server hides findings accepted in the workspace's `.secls-baseline.json`, and follows its changes."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types

from secls.analysis import analyze
from secls.baseline.match import new_entries
from secls.baseline.model import FILE_NAME, dump_baseline
from tests.server.conftest import capabilities, diagnostics, open_doc, replace_text, session

MODULE = '''\
import tempfile
import unittest


class TestVolume(unittest.TestCase):
    def setUp(self):
        self.d = tempfile.mkdtemp()
        self.e = tempfile.mkdtemp(suffix="e")

    def test_it(self):
        pass
'''
D_LINE, E_LINE = 6, 7  # 0-based lines of the two SEC302 findings


def accept(root: Path, text: str, only_line: int | None = None) -> None:
    """Write a baseline at `root` accepting the findings of `text` as test_volume.py (or the one on a line)."""
    findings = [f for f in analyze(text, "test_volume.py").findings
                if only_line is None or f.line == only_line + 1]
    (root / FILE_NAME).write_text(dump_baseline(new_entries(text, "test_volume.py", findings)), encoding="utf-8")


def lines(diags: list[types.Diagnostic]) -> list[int]:
    """The 0-based lines of the SEC302 diagnostics."""
    return sorted(d.range.start.line for d in diags if d.code == "SEC302")


async def test_baselined_finding_is_hidden_and_comes_back_when_its_statement_changes(tmp_path: Path) -> None:
    accept(tmp_path, MODULE, only_line=D_LINE)
    uri = (tmp_path / "test_volume.py").as_uri()
    async with session(capabilities("visual-studio-code"), root=tmp_path.as_uri()) as client:
        open_doc(client, uri, MODULE)
        assert lines(await diagnostics(client, uri, 1)) == [E_LINE]
        # Moved down and reformatted: still hidden.
        moved = MODULE.replace("import unittest\n", "import unittest\n\n# the tests\n").replace(
            "self.d = tempfile.mkdtemp()", "self.d = (tempfile.mkdtemp())  # scratch")
        replace_text(client, uri, moved, 2)
        assert lines(await diagnostics(client, uri, 2)) == [E_LINE + 2]
        # The accepted statement changes: its finding is published again.
        changed = MODULE.replace("self.d = tempfile.mkdtemp()", "self.d = tempfile.mkdtemp(prefix='d')")
        replace_text(client, uri, changed, 3)
        assert lines(await diagnostics(client, uri, 3)) == [D_LINE, E_LINE]

        # VS Code watches files for us: the server registered a watcher and reloads on its events.
        [registration] = [r for r in client.registrations if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
        [watcher] = registration.register_options["watchers"]
        assert FILE_NAME in str(watcher["globPattern"])
        accept(tmp_path, changed)
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[types.FileEvent(
            uri=(tmp_path / FILE_NAME).as_uri(), type=types.FileChangeType.Changed)]))
        assert lines(await diagnostics(client, uri, 3)) == []


async def test_without_dynamic_registration_the_file_is_polled(tmp_path: Path) -> None:
    uri = (tmp_path / "test_volume.py").as_uri()
    async with session(capabilities("neovim"), root=tmp_path.as_uri()) as client:
        open_doc(client, uri, MODULE)
        assert lines(await diagnostics(client, uri, 1)) == [D_LINE, E_LINE]
        assert client.registrations == []
        accept(tmp_path, MODULE, only_line=E_LINE)
        replace_text(client, uri, MODULE + "\n", 2)  # the next analysis notices the new mtime
        assert lines(await diagnostics(client, uri, 2)) == [D_LINE]
        (tmp_path / FILE_NAME).unlink()
        replace_text(client, uri, MODULE, 3)
        assert lines(await diagnostics(client, uri, 3)) == [D_LINE, E_LINE]


async def test_a_malformed_baseline_is_shown_and_every_finding_published(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_text('{"version": 1, "entries": [{"path": 3}]}')
    uri = (tmp_path / "test_volume.py").as_uri()
    async with session(capabilities("neovim"), root=tmp_path.as_uri()) as client:
        open_doc(client, uri, MODULE)
        assert lines(await diagnostics(client, uri, 1)) == [D_LINE, E_LINE]
        for _ in range(100):
            if client.messages:
                break
            await asyncio.sleep(0.05)
        [message] = [m.message for m in client.messages if FILE_NAME in m.message]
        assert 'entry 1: "path" must be a non-empty string' in message
