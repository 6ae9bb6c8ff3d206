"""The review in the editor: `secls.reviewReport` over workspace/executeCommand, and the lifecycle code lens."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from secls.analysis.findings import CATEGORIES
from tests.server.conftest import TIMEOUT_S, capabilities, diagnostics, open_doc, session

MODULE = '''\
import tempfile
import unittest
from unittest import mock

import fixtures


class TestVolume(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.patcher = mock.patch("os.getcwd")
        self.patcher.start()
        self.addCleanup(self.patcher.stop)
        self.useFixture(fixtures.MockPatch("nova.privsep.path.writefile"))
        self.tmp = tempfile.mkdtemp()

    def test_it(self):
        with open(self.tmp + "/x", "w") as f:
            f.write("x")


class Helper:
    pass


class TestOther(unittest.TestCase):
    def test_nothing(self):
        pass
'''
VOLUME_LINE = 7  # 0-based line of `class TestVolume`
OTHER_LINE = 25


async def execute(client, *arguments: object) -> object:
    """Run the review command."""
    return await asyncio.wait_for(client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="secls.reviewReport", arguments=list(arguments))), TIMEOUT_S)


async def lenses(client, uri: str) -> list[types.CodeLens]:
    """The code lenses of a document."""
    result = await asyncio.wait_for(client.text_document_code_lens_async(types.CodeLensParams(
        text_document=types.TextDocumentIdentifier(uri=uri))), TIMEOUT_S)
    return list(result or [])


async def test_review_command_returns_the_markdown_review(uri: str) -> None:
    async with session(capabilities("visual-studio-code")) as client:
        assert "secls.reviewReport" in client.init_result.capabilities.execute_command_provider.commands
        open_doc(client, uri, MODULE)
        await diagnostics(client, uri, 1)
        markdown = await execute(client, uri)
        assert isinstance(markdown, str)
        headings = [line for line in markdown.splitlines() if line.startswith("### ") and ". " in line]
        assert headings == [f"### {n}. {title}" for n, title in enumerate(CATEGORIES.values(), 1)]
        assert markdown.count("**Verdict:**") == 8
        # The leaked mkdtemp is listed with its line, severity and fix; the privsep patch is a note.
        assert ":15`** SEC302 temp-not-removed [warning]" in markdown
        assert "fix available" in markdown
        assert ":14`** SEC801 security-control-patched [info]" in markdown
        assert "1 of them replaces a security control: 1 privsep function" in markdown
        assert "2 TestCase classes, 1 setUp method (TestVolume.setUp)." in markdown
        assert "1 direct security defect found (1 warning: SEC302)" in markdown
        # The argument may also be `{"uri": ...}`.
        assert await execute(client, {"uri": uri}) == markdown


async def test_review_command_rejects_bad_arguments(uri: str) -> None:
    async with session(capabilities("neovim")) as client:
        open_doc(client, uri, MODULE)
        await diagnostics(client, uri, 1)
        for arguments in [(), (42,), (uri, uri), ({"path": uri},), ("file:///nowhere/not_open.py",)]:
            with pytest.raises(JsonRpcException, match="secls.reviewReport: (expected one argument|.* is not an open)"):
                await execute(client, *arguments)
        # The server is still there.
        assert "### 1. Input validation" in await execute(client, uri)


async def test_code_lens_off_by_default(uri: str) -> None:
    async with session(capabilities("visual-studio-code")) as client:
        assert client.init_result.capabilities.code_lens_provider is not None
        open_doc(client, uri, MODULE)
        await diagnostics(client, uri, 1)
        assert await lenses(client, uri) == []


async def test_code_lens_when_enabled(uri: str) -> None:
    async with session(capabilities("visual-studio-code"), options={"codeLens": True}) as client:
        open_doc(client, uri, MODULE)
        await diagnostics(client, uri, 1)
        found = {lens.range.start.line: lens.command.title for lens in await lenses(client, uri)
                 if lens.command is not None}
        # Acquired in setUp: the patcher (addCleanup), the MockPatch (useFixture), the mkdtemp (leaked).
        assert found == {
            VOLUME_LINE: "setUp acquires 3, releases 2; other methods acquire 1, release 1; "
                         "via addCleanup 1, useFixture 1, with 1",
            OTHER_LINE: "other methods acquire 0, release 0",
        }


async def test_code_lens_follows_the_setting(uri: str) -> None:
    async with session(capabilities("visual-studio-code"), configuration={"codeLens": False}) as client:
        refreshed = asyncio.Event()

        @client.feature(types.WORKSPACE_CODE_LENS_REFRESH)
        def on_refresh(params: None) -> None:
            refreshed.set()

        open_doc(client, uri, MODULE)
        await diagnostics(client, uri, 1)
        assert await lenses(client, uri) == []
        client.set_configuration({"codeLens": True}, section="secls")
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={}))
        # The server asks VS Code (which supports it) to request the lenses again.
        await asyncio.wait_for(refreshed.wait(), TIMEOUT_S)
        assert [lens.range.start.line for lens in await lenses(client, uri)] == [VOLUME_LINE, OTHER_LINE]
