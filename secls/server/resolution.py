"""Cross-file answers for open documents: resolved in a background thread, then re-published.

The keystroke path only reads the last `Resolution` of a document; an analysis that asks something
it has no answer for marks it missed, and this service resolves the document with jedi in its own
thread, stores the answers, and asks for a refresh when they changed. Unknown is not missing: until
the answers arrive, the rules treat the questions as unknown.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from secls.analysis.resolution import Resolution
from secls.resolve.jedi_resolver import JediResolver, default_root

log = logging.getLogger(__name__)


class ResolutionService:
    """Per-document resolutions, one jedi resolver per workspace root, one background thread."""

    def __init__(self, refresh: Callable[[str], None], python: Callable[[], str | None] = lambda: None) -> None:
        self._refresh = refresh
        self._python = python
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="secls-resolve")
        self._lock = threading.Lock()
        self._resolvers: dict[str, JediResolver] = {}
        self._resolutions: dict[str, Resolution] = {}
        self._pending: set[str] = set()
        self._generation = 0

    def resolution_for(self, uri: str) -> Resolution:
        """The answers to analyse a document with (empty until resolved: everything unknown)."""
        with self._lock:
            return self._resolutions.setdefault(uri, Resolution())

    def after_analysis(self, uri: str, text: str, path: str | None, root: str | None) -> None:
        """Resolve the document in the background if its last analysis missed answers."""
        with self._lock:
            resolution = self._resolutions.get(uri)
            if resolution is None or not resolution.missed or uri in self._pending:
                return
            self._pending.add(uri)
        self._pool.submit(self._resolve, uri, text, path, root)

    def _resolver(self, path: str | None, root: str | None) -> JediResolver:
        folder = str(Path(root).resolve()) if root else str(default_root(path))
        with self._lock:
            if folder not in self._resolvers:
                self._resolvers[folder] = JediResolver(Path(folder), self._python())
            return self._resolvers[folder]

    def _resolve(self, uri: str, text: str, path: str | None, root: str | None) -> None:
        try:
            fresh = self._resolver(path, root).resolve(text, os.path.abspath(path) if path else None)
        except Exception:  # resolution is best effort: unknown stays unknown
            log.exception("secls: resolving %s failed", uri)
            fresh = None
        with self._lock:
            self._pending.discard(uri)
            old = self._resolutions.get(uri)
            if fresh is None or old is None:  # closed meanwhile, or failed
                return
            if old.same_answers(fresh):
                old.missed_bases.clear()
                old.missed_targets.clear()
                return
            self._generation += 1
            fresh.generation = self._generation
            self._resolutions[uri] = fresh
        self._refresh(uri)

    def invalidate(self) -> list[str]:
        """Forget every answer (a file was saved: a base class may have changed); returns the documents."""
        with self._lock:
            self._generation += 1
            for uri in self._resolutions:
                self._resolutions[uri] = Resolution(generation=self._generation,
                                                    missed_bases={"*"})  # re-resolve on the next analysis
            return list(self._resolutions)

    def forget(self, uri: str) -> None:
        """Drop a closed document's answers."""
        with self._lock:
            self._resolutions.pop(uri, None)

    def shutdown(self) -> None:
        """Stop the background thread (a running resolution finishes, queued ones are dropped)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
