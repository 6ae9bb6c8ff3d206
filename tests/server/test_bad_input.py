"""The server survives anything a client or a buffer can send, and answers correctly afterwards."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from lsprotocol import types

from secls.analysis import analyze
from tests.server.conftest import TIMEOUT_S, capabilities, diagnostics, open_doc, replace_text, session
from tests.server.test_server import PATCHER, PATCHER_LINE, sec301


def send_raw(client: Any, message: dict[str, Any]) -> None:
    """Write one JSON-RPC message, however malformed, straight to the server's stdin."""
    body = json.dumps({"jsonrpc": "2.0", **message}).encode()
    client._server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)


def change(client: Any, uri: str, version: int, start: types.Position, end: types.Position, text: str) -> None:
    """Send one incremental didChange."""
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangePartial(range=types.Range(start=start, end=end), text=text)]))


async def next_publish(client: Any, uri: str) -> types.PublishDiagnosticsParams:
    return await asyncio.wait_for(client.published[uri].get(), TIMEOUT_S)


class Probe:
    """A document whose diagnostics and hover prove the server alive and correct after each bad message."""

    def __init__(self, client: Any, uri: str) -> None:
        self.client, self.uri, self.version = client, uri, 1

    async def open(self) -> None:
        open_doc(self.client, self.uri, PATCHER)
        assert len(sec301(await diagnostics(self.client, self.uri, 1))) == 1

    async def check(self) -> None:
        """Edit the probe (the finding moves down one line) and ask for a hover on the finding."""
        self.version += 1
        shift = self.version % 2
        replace_text(self.client, self.uri, "\n" * shift + PATCHER, self.version)
        [diag] = sec301(await diagnostics(self.client, self.uri, self.version))
        assert diag.range.start.line == PATCHER_LINE + shift
        hover = await asyncio.wait_for(self.client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=self.uri), position=diag.range.start)), TIMEOUT_S)
        assert hover is not None and "SEC301" in hover.contents.value


@asynccontextmanager
async def probed(uri: str) -> AsyncIterator[tuple[Any, Probe]]:
    """A session with the probe document open."""
    async with session(capabilities("visual-studio-code")) as client:
        probe = Probe(client, uri)
        await probe.open()
        yield client, probe


BAD_MESSAGES: list[dict[str, Any]] = [
    {"method": "textDocument/didOpen", "params": {}},
    {"method": "textDocument/didOpen", "params": {"textDocument": {"uri": 7, "text": None}}},
    {"method": "textDocument/didChange", "params": {"textDocument": {"uri": "file:///nowhere.py", "version": 2},
                                                    "contentChanges": [{"text": "x = 1\n"}]}},
    {"method": "textDocument/didChange", "params": {"contentChanges": "nonsense"}},
    {"method": "textDocument/didClose", "params": {"textDocument": {}}},
    {"method": "textDocument/didSave", "params": None},
    {"method": "workspace/didChangeConfiguration", "params": {"settings": {"secls": {"maxLines": "lots"}}}},
    {"method": "workspace/didChangeConfiguration", "params": {"settings": [1, 2]}},
    {"id": 9001, "method": "textDocument/hover", "params": {"textDocument": 3}},
    {"id": 9002, "method": "textDocument/hover",
     "params": {"textDocument": {"uri": "file:///never/opened.py"}, "position": {"line": 0, "character": 0}}},
    {"id": 9003, "method": "textDocument/codeAction", "params": {"textDocument": {"uri": "x"}, "range": "all"}},
    {"id": 9004, "method": "codeAction/resolve", "params": {"title": "x", "data": [1, 2, 3]}},
    {"id": 9005, "method": "secls/noSuchMethod", "params": {}},
    {"id": 9006, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": "file:///x.py"}, "position": {"line": -1, "character": 2**40}}},
    {"method": "$/cancelRequest", "params": {"id": 123456}},
    {"method": "$/setTrace", "params": {"value": "loud"}},
]


async def test_malformed_messages_leave_the_server_working(uri: str) -> None:
    async with probed(uri) as (client, probe):
        for message in BAD_MESSAGES + BAD_MESSAGES:  # twice: a first failure leaves nothing half done
            send_raw(client, message)
            await probe.check()


async def test_odd_uris_are_analysed(uri: str) -> None:
    async with probed(uri) as (client, probe):
        for bad_uri in ("not a uri", "file:///%zz/test_x.py", "untitled:Untitled-1", "file://host/share/test_x.py",
                        "vscode-notebook-cell:/a.ipynb#X1"):
            open_doc(client, bad_uri, "import os\nos.system(x)\n")
            codes = [d.code for d in (await next_publish(client, bad_uri)).diagnostics]
            assert codes == ["SEC102"], bad_uri
            await probe.check()


async def test_positions_beyond_the_end_are_clamped(uri: str) -> None:
    async with probed(uri) as (client, probe):
        other = uri.replace("test_volume", "test_other")
        open_doc(client, other, "import os\n")
        await diagnostics(client, other, 1)
        far = types.Position(line=10_000, character=10_000)
        change(client, other, 2, far, far, "os.system(x)\n")
        [diag] = await diagnostics(client, other, 2)
        assert diag.code == "SEC102" and diag.range.start.line == 1  # appended at the end
        # A range given end first, and a line past the end of the line.
        change(client, other, 3, types.Position(line=1, character=500), types.Position(line=0, character=0),
               "import os\nos.system(y)")
        [diag] = await diagnostics(client, other, 3)  # both lines replaced: the range is read start first
        assert diag.code == "SEC102" and diag.range.start.line == 1 and diag.range.end.character == 12
        for position in (far, types.Position(line=1, character=10**6)):
            await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=other), position=position)), TIMEOUT_S)
            await asyncio.wait_for(client.text_document_code_action_async(types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=other), range=types.Range(start=position, end=far),
                context=types.CodeActionContext(diagnostics=[]))), TIMEOUT_S)
        await probe.check()


async def test_out_of_order_and_duplicate_versions_publish_the_current_text(uri: str) -> None:
    async with probed(uri) as (client, probe):
        other = uri.replace("test_volume", "test_versions")
        open_doc(client, other, "x = 1\n", version=10)
        await diagnostics(client, other)
        replace_text(client, other, "import os\nos.system(x)\n", 5)  # older than the open
        replace_text(client, other, "import os\n\nos.system(y)\n", 5)  # the same version, other text
        while True:  # the last publish for version 5 is of the current text
            params = await next_publish(client, other)
            if params.version == 5 and [d.range.start.line for d in params.diagnostics] == [2]:
                break
        await probe.check()


async def test_form_feeds_do_not_shift_incremental_edits(uri: str) -> None:
    """pygls' own line splitting breaks at \\x0c: an edit below a form feed used to land a line too high."""
    text = "import os\n\x0c\nx = 1\n\x0c# \u2028 \x1c\nos.system(x)\n"
    async with session(capabilities("neovim")) as client:
        open_doc(client, uri, text)
        [diag] = await diagnostics(client, uri, 1)
        assert diag.range.start.line == 4
        at = types.Position(line=2, character=4)
        change(client, uri, 2, at, types.Position(line=2, character=5), "os.system(y)")
        expected = text.replace("x = 1", "x = os.system(y)")
        diags = await diagnostics(client, uri, 2)
        assert [(d.code, d.range.start.line) for d in diags] == [
            (f.code, f.line - 1) for f in analyze(expected, "test_volume.py").findings] == [("SEC102", 2),
                                                                                         ("SEC102", 4)]
        change(client, uri, 3, types.Position(line=4, character=10), types.Position(line=4, character=11), "y")
        diags = await diagnostics(client, uri, 3)
        assert [(d.range.start.line, d.range.end.character) for d in diags] == [(2, 16), (4, 12)]


BAD_BUFFERS = [
    ("\ufeffimport os; os.system(x)\n", "SEC102", 0, 12, "shell"),
    ("import os\nx = 'a\x00b'\n", "E999", 1, 6, "NUL"),
    ("x = " + "-" * 5000 + "1\n", "E999", 0, 0, "nested too deeply"),
    # 1,500 `+` terms: the rules walk the chain without recursing, so the finding is there
    ("import subprocess\nsubprocess.call(" + "'a' + " * 1500 + "x, shell=True)\n", "SEC102", 1, 0, "shell"),
    ("", None, 0, 0, ""),
    ("\r\n\r\n", None, 0, 0, ""),
    ("if True:\r\tx = 1\r\timport os; os.system(x)\r", "SEC102", 2, 12, "shell"),
]


async def test_bad_buffers(uri: str) -> None:
    async with probed(uri) as (client, probe):
        for number, (text, code, line, character, words) in enumerate(BAD_BUFFERS):
            other = uri.replace("test_volume", f"test_buffer{number}")
            open_doc(client, other, text)
            diags = await diagnostics(client, other, 1)
            if code is None:
                assert diags == [], text
            else:
                diag = next(d for d in diags if d.code == code)
                assert (diag.range.start.line, diag.range.start.character) == (line, character), text[:40]
                assert words in diag.message
            await probe.check()


async def test_size_limit_setting(uri: str) -> None:
    async with session(capabilities("visual-studio-code"), options={"maxLines": 5}) as client:
        open_doc(client, uri, PATCHER)
        [diag] = await diagnostics(client, uri, 1)
        assert diag.code == "I900" and diag.severity == types.DiagnosticSeverity.Information
        assert "maxLines" in diag.message and "max-lines" in diag.message
        client.set_configuration({"maxLines": 0}, section="secls")  # pulled on didChangeConfiguration
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
        assert len(sec301(await diagnostics(client, uri, 1))) == 1
