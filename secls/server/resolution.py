"""Cross-file answers for open documents: resolved in a background thread, then re-published.

The keystroke path only reads the last `Resolution` of a document; an analysis that asks something
it has no answer for marks it missed, and this service resolves the document with jedi in a worker
process, stores the answers, and asks for a refresh when they changed. Unknown is not missing: until
the answers arrive, the rules treat the questions as unknown.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from secls.analysis.resolution import Resolution
from secls.resolve.jedi_resolver import JediResolver, default_root

log = logging.getLogger(__name__)


_RESOLVERS: dict[tuple[str, str | None], JediResolver] = {}
# Characters of other modules' source whose trees the worker keeps between documents: the trees of
# every base and patched module were most of its memory (after nova's first 100 unit-test modules,
# 84 of its 133 MB; with this budget it holds 71 MB and resolves the 100 in 1 s more CPU).
FILE_BUDGET = 1_000_000


def resolve_in_worker(text: str, path: str | None, folder: str, python: str | None) -> Resolution:
    """Resolve one document in the worker process (its resolvers and caches live there, warm)."""
    key = (folder, python)
    if key not in _RESOLVERS:
        _RESOLVERS[key] = JediResolver(Path(folder), python, file_budget=FILE_BUDGET)
    return _RESOLVERS[key].resolve(text, os.path.abspath(path) if path else None)


def _lower_priority() -> None:
    """Run the resolution worker at a lower CPU priority than the server (where the OS allows it)."""
    try:
        os.nice(10)
    except (AttributeError, OSError):
        pass


class ResolutionService:
    """Per-document resolutions, one jedi resolver per workspace root, one background thread."""

    def __init__(self, refresh: Callable[[str], None], python: Callable[[], str | None] = lambda: None) -> None:
        self._refresh = refresh
        self._python = python
        # A thread waits for each answer; the work happens in a separate process, so that jedi and the
        # parsing of other files never compete with the keystroke analysis for the GIL.
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="secls-resolve")
        self._process: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
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

    def _worker(self) -> ProcessPoolExecutor:
        if self._process is None:
            # Niced: when both compete for the CPU, the keystroke analysis goes first.
            self._process = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                                initializer=_lower_priority)
        return self._process

    def _resolve(self, uri: str, text: str, path: str | None, root: str | None) -> None:
        folder = str(Path(root).resolve()) if root else str(default_root(path))
        try:
            fresh = self._worker().submit(resolve_in_worker, text, path, folder, self._python()).result()
        except BrokenProcessPool:  # the worker died (it never runs user code, but jedi may crash): restart
            log.warning("secls: the resolution worker stopped; starting a new one")
            self._process = None
            fresh = None
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
        if self._process is not None:
            self._process.shutdown(wait=False, cancel_futures=True)
