"""Server-initiated work-done progress: window/workDoneProgress/create, then `$/progress` begin/report/end."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.lsp.server import LanguageServer

log = logging.getLogger(__name__)
CREATE_TIMEOUT_S = 5.0


class WorkProgress:
    """One progress bar in the client; every call does nothing when the client cannot show it."""

    def __init__(self, ls: LanguageServer, title: str) -> None:
        self._ls = ls
        self._title = title
        self.token: str | None = None
        self._percentage = -1

    async def begin(self, message: str, cancellable: bool = True) -> bool:
        """Create the token and send `begin`; returns whether the client shows progress."""
        if not self._supported():
            return False
        token = f"secls-{uuid.uuid4()}"
        try:
            await asyncio.wait_for(self._ls.work_done_progress.create_async(token), CREATE_TIMEOUT_S)
        except Exception as exc:  # refused, or no answer: the work runs without a progress bar
            log.warning("secls: window/workDoneProgress/create failed: %r", exc)
            return False
        self.token = token
        self._percentage = 0
        self._ls.work_done_progress.begin(token, types.WorkDoneProgressBegin(
            title=self._title, cancellable=cancellable, message=message, percentage=0))
        return True

    def on_cancel(self, callback: Callable[[], None]) -> None:
        """Call `callback` (on the event loop) when the user cancels the progress in the client."""
        future: Future[Any] | None = self._ls.work_done_progress.tokens.get(self.token) if self.token else None
        if future is None:
            return
        loop = asyncio.get_running_loop()
        future.add_done_callback(lambda f: loop.call_soon_threadsafe(callback) if f.cancelled() else None)

    def report(self, done: int, total: int, unit: str = "files") -> None:
        """Report `done` of `total`; sent only when the whole percentage moves (at most 100 reports)."""
        if self.token is None:
            return
        percentage = done * 100 // total if total else 100
        if percentage == self._percentage and done != total:
            return
        self._percentage = percentage
        self._ls.work_done_progress.report(self.token, types.WorkDoneProgressReport(
            message=f"{done}/{total} {unit}", percentage=percentage))

    def end(self, message: str) -> None:
        """Send `end` and forget the token."""
        if self.token is None:
            return
        token, self.token = self.token, None
        self._ls.work_done_progress.end(token, types.WorkDoneProgressEnd(message=message))
        self._ls.work_done_progress.tokens.pop(token, None)  # pygls never drops them

    def _supported(self) -> bool:
        return bool(get_capability(self._ls.client_capabilities, "window.work_done_progress", False))
