"""End-to-end tests of `secls serve` with recorded VS Code, Neovim and Emacs capabilities."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types

from tests.server.conftest import (CLIENTS, capabilities, cleared, diagnostics, open_doc, replace_text, session)
from tests.server.helpers import apply_edit

PATCHER = '''\
import unittest
from unittest import mock


class TestVolume(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.patcher = mock.patch("os.getcwd")
        self.getcwd = self.patcher.start()

    def test_it(self):
        self.assertTrue(self.getcwd)
'''
PATCHER_LINE = 8  # 0-based line of `self.patcher.start()`

ASTRAL = '''\
import unittest
from unittest import mock


class TestVolume(unittest.TestCase):
    def test_it(self):
        x = "😀😀"; p = mock.patch("os.getcwd").start()
'''
# `        x = "😀😀"; p = ` is 22 code points, 24 UTF-16 units and 28 UTF-8 bytes.
ASTRAL_COLUMNS = {"utf-32": 22, "utf-16": 24, "utf-8": 28}

def fixes_available() -> bool:
    """Whether secls.fixes provides build_fix/minimal_edit yet."""
    try:
        from secls.fixes import build_fix, minimal_edit  # noqa: F401
    except ImportError:
        return False
    return True


def sec301(diags: list[types.Diagnostic]) -> list[types.Diagnostic]:
    return [d for d in diags if d.code == "SEC301"]


async def code_actions(client, uri: str, diag: types.Diagnostic) -> list[types.CodeAction]:
    result = await asyncio.wait_for(client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=diag.range,
        context=types.CodeActionContext(diagnostics=[diag]))), 20)
    return [a for a in result or [] if isinstance(a, types.CodeAction)]


@pytest.mark.parametrize("client_name", CLIENTS)
async def test_patcher_diagnostic_fix_and_suppression(client_name: str, uri: str) -> None:
    caps = capabilities(client_name)
    async with session(caps) as client:
        encoding = client.position_encoding
        open_doc(client, uri, PATCHER)
        diags = sec301(await diagnostics(client, uri, 1))
        assert len(diags) == 1
        diag = diags[0]
        assert diag.range.start.line == PATCHER_LINE
        assert diag.source == "secls"
        assert diag.severity == types.DiagnosticSeverity.Warning
        assert diag.message.endswith("[resource-release]")
        assert diag.data["category"] == "resource-release"

        actions = await code_actions(client, uri, diag)
        titles = [a.title for a in actions]
        assert "Suppress SEC301 on this line" in titles

        # The suppression edit works everywhere.
        suppress = next(a for a in actions if a.title.startswith("Suppress"))
        assert suppress.edit is not None
        suppressed = apply_edit(PATCHER, suppress.edit, uri, encoding)
        assert "self.patcher.start()  # secls: ignore[SEC301]" in suppressed
        replace_text(client, uri, suppressed, 2)
        assert sec301(await diagnostics(client, uri, 2)) == []

        # Back to the original text, then the rule's own fix.
        replace_text(client, uri, PATCHER, 3)
        diag = sec301(await diagnostics(client, uri, 3))[0]
        actions = await code_actions(client, uri, diag)
        fix = next((a for a in actions if a.title == "Stop the patcher with addCleanup"), None)
        if fix is not None and fix.edit is None:
            fix = await asyncio.wait_for(client.code_action_resolve_async(fix), 20)
        if not fixes_available():
            pytest.xfail("secls.fixes (build_fix/minimal_edit) has not landed yet")
        assert fix is not None and fix.edit is not None
        assert fix.is_preferred
        fixed = apply_edit(PATCHER, fix.edit, uri, encoding)
        assert "self.addCleanup(self.patcher.stop)" in fixed
        replace_text(client, uri, fixed, 4)
        assert sec301(await diagnostics(client, uri, 4)) == []


@pytest.mark.parametrize("client_name", CLIENTS)
async def test_syntax_error_keeps_server_alive(client_name: str, uri: str) -> None:
    async with session(capabilities(client_name)) as client:
        open_doc(client, uri, PATCHER)
        assert len(sec301(await diagnostics(client, uri, 1))) == 1

        broken = PATCHER.replace("    def test_it(self):", "    def test_it(self:")
        replace_text(client, uri, broken, 2)
        diags = await diagnostics(client, uri, 2)
        # The patcher's line was not edited: its finding is kept next to the syntax error.
        assert [d.code for d in diags] == ["E999", "SEC301"]
        assert diags[0].severity == types.DiagnosticSeverity.Error
        assert diags[1].range.start.line == PATCHER_LINE

        # A change to a document that was never opened is logged and ignored.
        replace_text(client, uri.replace("test_volume", "never_opened"), "x = 1\n", 7)

        replace_text(client, uri, PATCHER, 3)
        assert len(sec301(await diagnostics(client, uri, 3))) == 1


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
async def test_astral_columns_follow_negotiated_encoding(encoding: str, uri: str) -> None:
    caps = capabilities("visual-studio-code", encodings=[encoding])
    async with session(caps) as client:
        open_doc(client, uri, ASTRAL)
        diags = sec301(await diagnostics(client, uri, 1))
        assert len(diags) == 1
        start = diags[0].range.start
        assert (start.line, start.character) == (6, ASTRAL_COLUMNS[encoding])

        # The way back: hover at the client-unit column of the finding finds it.
        hover = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=start)), 20)
        assert hover is not None and "SEC301" in hover.contents.value


@pytest.mark.parametrize("client_name", CLIENTS)
async def test_hover_shows_rule_docs(client_name: str, uri: str) -> None:
    async with session(capabilities(client_name)) as client:
        open_doc(client, uri, PATCHER)
        diag = sec301(await diagnostics(client, uri, 1))[0]
        hover = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=diag.range.start)), 20)
        assert hover is not None
        assert isinstance(hover.contents, types.MarkupContent)
        assert "## What it finds" in hover.contents.value
        assert "patch-not-stopped" in hover.contents.value

        nothing = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=0, character=0))), 20)
        assert nothing is None


async def test_did_close_clears_diagnostics(uri: str) -> None:
    async with session(capabilities("neovim")) as client:
        open_doc(client, uri, PATCHER)
        assert sec301(await diagnostics(client, uri, 1))
        client.text_document_did_close(types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))
        assert await cleared(client, uri) == []


async def test_settings_layers_and_bad_values(uri: str) -> None:
    caps = capabilities("visual-studio-code")
    async with session(caps, options={"debounceMs": -5, "docsUrl": "https://example.org/rules"},
                       configuration={"ignore": ["SEC301"]}) as client:
        # Bad initializationOptions: warned about, ignored as a whole.
        open_doc(client, uri, PATCHER)
        # workspace/configuration (ignore SEC301) arrives after `initialized`; wait for a quiet result.
        for _ in range(3):
            diags = await diagnostics(client, uri)
            if not sec301(diags):
                break
        assert sec301(diags) == []
        assert any("debounceMs" in m.message for m in client.messages)

        client.set_configuration({"ignore": [], "docsUrl": "https://example.org/rules"}, section="secls")
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
        diags = sec301(await diagnostics(client, uri))
        assert len(diags) == 1
        assert diags[0].code_description is not None
        assert diags[0].code_description.href == "https://example.org/rules/SEC301"

        # A bad value from the client: a warning, the previous settings stay.
        client.set_configuration({"select": 5}, section="secls")
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
        assert len(sec301(await diagnostics(client, uri))) == 1
        assert any("select" in m.message for m in client.messages)


@pytest.mark.parametrize("client_name", CLIENTS)
async def test_capabilities_push_only_no_notebooks(client_name: str) -> None:
    async with session(capabilities(client_name)) as client:
        caps = client.init_result.capabilities
        assert caps.diagnostic_provider is None  # pull as well made Neovim 0.11 show everything twice
        assert caps.notebook_document_sync is None
        assert caps.text_document_sync.change == types.TextDocumentSyncKind.Incremental
        assert caps.code_action_provider.resolve_provider is True
        assert caps.hover_provider
        expected = {"visual-studio-code": "utf-16", "neovim": "utf-8", "emacs": "utf-32"}[client_name]
        assert client.position_encoding == expected


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8"])
async def test_incremental_change_after_astral_characters(encoding: str, uri: str) -> None:
    caps = capabilities("neovim", encodings=[encoding])
    async with session(caps) as client:
        open_doc(client, uri, ASTRAL)
        assert len(sec301(await diagnostics(client, uri, 1))) == 1
        line = ASTRAL.splitlines()[6]
        end = len(line.encode("utf-16-le")) // 2 if encoding == "utf-16" else len(line.encode("utf-8"))
        at = types.Position(line=6, character=end)
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangePartial(
                range=types.Range(start=at, end=at), text="  # secls: ignore[SEC301]")]))
        assert sec301(await diagnostics(client, uri, 2)) == []
