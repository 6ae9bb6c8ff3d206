"""SEC001 in the editor: an unused suppression is a hint diagnostic whose code action removes it."""

from __future__ import annotations

import asyncio

from lsprotocol import types

from tests.server.conftest import capabilities, diagnostics, open_doc, replace_text, session
from tests.server.helpers import apply_edit

TEXT = '''\
import json


def load(body):
    return json.loads(body)  # secls: ignore[SEC104]  # type: ignore
'''


async def test_unused_suppression_hint_and_its_removal(uri: str) -> None:
    async with session(capabilities("visual-studio-code")) as client:
        open_doc(client, uri, TEXT)
        [diag] = [d for d in await diagnostics(client, uri, 1) if d.code == "SEC001"]
        assert diag.severity == types.DiagnosticSeverity.Hint
        assert diag.range.start.line == 4
        result = await asyncio.wait_for(client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), range=diag.range,
            context=types.CodeActionContext(diagnostics=[diag]))), 20)
        fix = next(a for a in result or [] if isinstance(a, types.CodeAction)
                   and a.title == "Remove the unused suppression comment")
        assert fix.is_preferred  # a secls comment: the safe fix
        if fix.edit is None:
            fix = await asyncio.wait_for(client.code_action_resolve_async(fix), 20)
        assert fix.edit is not None
        fixed = apply_edit(TEXT, fix.edit, uri, client.position_encoding)
        assert fixed.splitlines()[4] == "    return json.loads(body)  # type: ignore"
        replace_text(client, uri, fixed, 2)
        assert [d for d in await diagnostics(client, uri, 2) if d.code == "SEC001"] == []
