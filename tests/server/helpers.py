"""Apply a server's WorkspaceEdit to text, in the negotiated position encoding."""

from __future__ import annotations

from lsprotocol import types
from pygls.workspace import TextDocument
from pygls.workspace.position_codec import PositionCodec


def text_edits(edit: types.WorkspaceEdit, uri: str) -> list[types.TextEdit]:
    """The TextEdits of a WorkspaceEdit for one document (changes or documentChanges)."""
    out: list[types.TextEdit] = []
    for change in edit.document_changes or []:
        if isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri:
            out.extend(e for e in change.edits if isinstance(e, types.TextEdit))
    out.extend((edit.changes or {}).get(uri, []))
    return out


def apply_edit(text: str, edit: types.WorkspaceEdit, uri: str, encoding: str) -> str:
    """The text after the edit (positions read in `encoding`)."""
    doc = TextDocument(uri, text, position_codec=PositionCodec(encoding))
    edits = sorted(text_edits(edit, uri), key=lambda e: (e.range.start.line, e.range.start.character),
                   reverse=True)
    for e in edits:
        doc.apply_change(types.TextDocumentContentChangePartial(range=e.range, text=e.new_text))
    return doc.source
