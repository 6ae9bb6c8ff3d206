"""Per open document: the edits since its last analysis that parsed, to carry that analysis's findings."""

from __future__ import annotations

import dataclasses
from urllib.parse import unquote

from secls.server.carry import EditLog, carry
from secls.server.documents import Snapshot


class History:
    """Edit logs and last good snapshots of the open documents, by URI."""

    def __init__(self) -> None:
        self._logs: dict[str, EditLog] = {}
        self._good: dict[str, Snapshot] = {}

    def log(self, uri: str) -> EditLog:
        """The edit log of a document (a new one if it had none)."""
        return self._logs.setdefault(unquote(uri), EditLog())

    def reset(self, uri: str) -> None:
        """Start afresh: the document was (re)opened."""
        self._logs[unquote(uri)] = EditLog()
        self._good.pop(unquote(uri), None)

    def forget(self, uri: str) -> None:
        """Drop everything about a closed document."""
        self._logs.pop(unquote(uri), None)
        self._good.pop(unquote(uri), None)

    def forget_findings(self) -> None:
        """Drop every last good analysis (the settings changed, so their findings may be wrong)."""
        self._good.clear()

    def with_carried(self, snap: Snapshot) -> Snapshot:
        """A snapshot that parsed becomes the last good one; one that did not gets its findings carried."""
        key = unquote(snap.uri)
        log = self.log(key)
        good = self._good.get(key)
        if snap.result.syntax_error is None:
            if good is None or good.edits <= snap.edits:
                self._good[key] = snap
                log.forget_before(snap.edits)
            return snap
        edits = log.between(good.edits, snap.edits) if good is not None else None
        if good is None or edits is None:
            return dataclasses.replace(snap, carried=())
        return dataclasses.replace(snap, carried=tuple(carry(good.result.findings, edits)))
