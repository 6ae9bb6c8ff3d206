"""Applying didChange content changes to open documents with LSP's line breaks, recording each edit."""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types
from pygls.workspace import TextDocument

from secls.server.carry import Edit, EditLog, apply_edit, edit_between, replacement
from secls.server.convert import Columns


def change_edit(text: str, change: types.TextDocumentContentChangeEvent, columns: Columns) -> Edit:
    """A content change as an edit of `text` in code points (positions past the end are clamped)."""
    if isinstance(change, types.TextDocumentContentChangePartial):
        start = columns.from_client(change.range.start)
        end = columns.from_client(change.range.end)
        start, end = min(start, end), max(start, end)
        return Edit(*start, *end, change.text)
    return edit_between(text, change.text)


def apply_changes(doc: TextDocument, changes: Sequence[types.TextDocumentContentChangeEvent],
                  version: int | None, log: EditLog) -> None:
    """Apply the changes in order and set the version, recording the edits in `log`.

    pygls splits lines with `str.splitlines`, which also breaks at form feeds, \\x1c-\\x1e, \\x85 and
    \\u2028; LSP positions count \\r\\n, \\r and \\n only, so the edits are applied here.
    """
    for change in changes:
        text = doc.source
        if isinstance(change, types.TextDocumentContentChangeWholeDocument):
            new, edit = change.text, replacement(text, change.text)
        else:
            new, edit = apply_edit(text, change_edit(text, change, Columns(text, doc.position_codec)))
        doc.apply_change(types.TextDocumentContentChangeWholeDocument(text=new))
        log.add(edit)
    doc.version = version
