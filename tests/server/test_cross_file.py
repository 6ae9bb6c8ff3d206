"""A subclass whose base lives in another file: unknown at first, precise once the base is resolved."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types

from tests.server.conftest import TIMEOUT_S, capabilities, diagnostics, open_doc, replace_text, session

BASE = '''import unittest
from unittest import mock


class ProjectTestCase(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.addCleanup(mock.patch.stopall)
'''

SUBCLASS = '''from unittest import mock

from base import ProjectTestCase


class TestThing(ProjectTestCase):
    def setUp(self):
        super().setUp()
        self.getcwd = mock.patch("os.getcwd").start()
'''


async def test_subclass_clean_after_base_resolved_without_an_edit(tmp_path: Path) -> None:
    (tmp_path / "base.py").write_text(BASE)
    (tmp_path / "test_thing.py").write_text(SUBCLASS)
    uri = (tmp_path / "test_thing.py").as_uri()
    async with session(capabilities("visual-studio-code"), root=tmp_path.as_uri()) as client:
        open_doc(client, uri, SUBCLASS)
        first = await diagnostics(client, uri)
        # The file alone cannot say whether the base stops all patchers: a hint, never a warning.
        assert [(d.code, d.severity) for d in first] == [("SEC301", types.DiagnosticSeverity.Hint)]
        # Then the base is resolved in the background and the document is published again, clean.
        second = await asyncio.wait_for(diagnostics(client, uri), TIMEOUT_S)
        assert second == []


async def test_base_without_stopall_becomes_a_warning(tmp_path: Path) -> None:
    (tmp_path / "base.py").write_text(BASE.replace("        self.addCleanup(mock.patch.stopall)\n", ""))
    (tmp_path / "test_thing.py").write_text(SUBCLASS)
    uri = (tmp_path / "test_thing.py").as_uri()
    async with session(capabilities("neovim"), root=tmp_path.as_uri()) as client:
        open_doc(client, uri, SUBCLASS)
        first = await diagnostics(client, uri)
        assert [d.severity for d in first] == [types.DiagnosticSeverity.Hint]
        second = await asyncio.wait_for(diagnostics(client, uri), TIMEOUT_S)
        assert [(d.code, d.severity) for d in second] == [("SEC301", types.DiagnosticSeverity.Warning)]


async def test_answers_arriving_while_typing_are_used_by_the_next_edit(tmp_path: Path) -> None:
    """New answers wait for a pause: edits meanwhile use them, so no extra analysis or publish is made."""
    (tmp_path / "base.py").write_text(BASE)
    (tmp_path / "test_thing.py").write_text(SUBCLASS)
    uri = (tmp_path / "test_thing.py").as_uri()
    async with session(capabilities("neovim"), {"debounceMs": 0}, root=tmp_path.as_uri()) as client:
        open_doc(client, uri, SUBCLASS)
        published = client.published[uri]  # type: ignore[attr-defined]
        seen = [await asyncio.wait_for(published.get(), TIMEOUT_S)]
        version, clean_edits = 1, 0
        while clean_edits < 5:  # type, one publish per edit, until five edits came back clean
            version += 1
            assert version < 400, f"the cross-file answers never reached an edit's analysis: {seen[-3:]}"
            replace_text(client, uri, SUBCLASS + "#" * (version % 3) + "\n", version)
            params = await asyncio.wait_for(published.get(), TIMEOUT_S)
            seen.append(params)
            clean_edits = clean_edits + 1 if not params.diagnostics else 0
            await asyncio.sleep(0.02)
        await asyncio.sleep(1.0)  # the pause: the deferred refresh finds nothing new to publish
        assert published.empty()
        assert [p.version for p in seen] == list(range(1, version + 1))  # one publish per version, none twice
