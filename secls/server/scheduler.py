"""Per-document debounce: one pending refresh per URI, the newest request wins."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

Refresh = Callable[[str], Awaitable[None]]


class Debouncer:
    """Runs `refresh(uri)` after a quiet period, cancelling the pending run for the same URI."""

    def __init__(self, refresh: Refresh) -> None:
        self._refresh = refresh
        self._pending: dict[str, asyncio.Task[None]] = {}

    def schedule(self, uri: str, delay_ms: int) -> None:
        """Ask for a refresh of `uri` in `delay_ms`; an earlier pending request is dropped."""
        self.cancel(uri)
        task = asyncio.ensure_future(self._run(uri, delay_ms))
        self._pending[uri] = task
        task.add_done_callback(lambda t, uri=uri: self._forget(uri, t))

    def cancel(self, uri: str) -> None:
        """Drop the pending refresh of `uri`, if any (a running worker thread finishes unseen)."""
        task = self._pending.pop(uri, None)
        if task is not None and not task.done():
            task.cancel()

    def is_pending(self, uri: str) -> bool:
        """Whether a refresh of `uri` is waiting or running."""
        task = self._pending.get(uri)
        return task is not None and not task.done()

    def pending(self) -> int:
        """How many refreshes are waiting or running."""
        return sum(not t.done() for t in self._pending.values())

    async def _run(self, uri: str, delay_ms: int) -> None:
        if delay_ms > 0:
            await asyncio.sleep(delay_ms / 1000)
        await self._refresh(uri)

    def _forget(self, uri: str, task: asyncio.Task[None]) -> None:
        if self._pending.get(uri) is task:
            del self._pending[uri]
        if not task.cancelled() and task.exception() is not None:
            log.error("refresh of %s failed", uri, exc_info=task.exception())
