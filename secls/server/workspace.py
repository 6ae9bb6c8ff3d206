"""The workspace review (`secls.reviewWorkspace`): every Python and requirement file, with progress.

Files are found as `secls check` finds them (plus: a folder holding `pyvenv.cfg` is a virtualenv and
skipped), analysed in niced worker processes so the keystroke analysis of open documents never waits,
and published as diagnostics unless the file is open: an open document keeps its live diagnostics.
Re-running replaces the previous results (files gone since are cleared); cancelling (the progress
bar's cancel, or `$/cancelRequest` of the command) stops after the files in flight, and what was
published stays. Closing a document the review covers publishes the analysis of the file as saved
(the review's view of it, kept up to date) instead of clearing it.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.uris import to_fs_path

from secls.deps.kinds import requirement_kind
from secls.discovery import DecodeError, SourceFile, discover, read_source
from secls.server.convert import to_diagnostic
from secls.server.documents import Snapshot, analyse_snapshot
from secls.server.progress import WorkProgress
from secls.server.resolution import _lower_priority
from secls.server.review_worker import FileJob, FileReview, review_file

if TYPE_CHECKING:
    from secls.server.app import SeclsServer

log = logging.getLogger(__name__)
COMMAND = "secls.reviewWorkspace"
TITLE = "secls: workspace review"
MAX_WORKERS = 8


def workspace_files(roots: list[tuple[str, Callable[[PurePath], bool]]]) -> list[str]:
    """The Python and requirement files under each root and its pyproject.toml (each file once), skipping
    excluded paths and virtualenvs."""
    seen: set[str] = set()
    out: list[str] = []
    for root, is_excluded in roots:
        found = discover(root, _skipping_virtualenvs(root, is_excluded))
        # Folders are searched for requirements*.txt and the like; the project's own pyproject.toml counts too.
        project = os.path.join(root, "pyproject.toml")
        extra = [SourceFile(project, os.path.realpath(project))] if os.path.isfile(project) else []
        for item in [*found, *extra]:
            if isinstance(item, SourceFile) and item.real not in seen:
                seen.add(item.real)
                out.append(os.path.abspath(item.display))
    return out


def _skipping_virtualenvs(root: str, is_excluded: Callable[[PurePath], bool]) -> Callable[[PurePath], bool]:
    # Virtualenvs called anything but .venv/venv (the default excludes) are recognised by their pyvenv.cfg.
    return lambda rel: is_excluded(rel) or os.path.isfile(os.path.join(root, rel, "pyvenv.cfg"))


class WorkspaceReview:
    """The state of workspace reviews in one server: which files the last ones covered, and the running one."""

    def __init__(self, ls: SeclsServer) -> None:
        self._ls = ls
        self.covered: set[str] = set()  # URIs the reviews analysed
        self._shown: set[str] = set()  # URIs whose review diagnostics are non-empty in the client
        self._stop: asyncio.Future[None] | None = None
        self._lock: asyncio.Lock | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def command(self) -> dict[str, Any] | None:
        """Handle `secls.reviewWorkspace`: run the review for this request; a failure is logged, not raised."""
        # pygls cancels the request's future on $/cancelRequest, not the handler's task: watch the former.
        protocol = self._ls.protocol
        request = protocol._request_futures.get(protocol.msg_id) if protocol.msg_id is not None else None
        try:
            return await self.run(request)
        except Exception:
            log.exception("workspace review failed")
            self._ls.log(types.MessageType.Error, f"secls: workspace review failed:\n{traceback.format_exc()}")
            return None

    async def run(self, request: Future[Any] | None = None) -> dict[str, Any]:
        """Review the workspace; a running review is stopped first. Returns a summary of what was done."""
        if self._stop is not None and not self._stop.done():
            self._stop.set_result(None)  # a new review replaces the running one
        self._lock = self._lock or asyncio.Lock()
        async with self._lock:
            stop = self._stop = asyncio.get_running_loop().create_future()
            if request is not None:  # $/cancelRequest cancels the request's future (pygls answers it)
                request.add_done_callback(lambda f: _resolve_soon(stop) if f.cancelled() else None)
            progress = WorkProgress(self._ls, TITLE)
            await progress.begin("finding files")
            progress.on_cancel(lambda: _set(stop))
            summary: dict[str, Any] = {"files": 0, "reviewed": 0, "findings": 0, "cancelled": False}
            try:
                await self._review(stop, progress, summary)
            finally:
                summary["cancelled"] = stop.done()
                progress.end(f"cancelled after {summary['reviewed']}/{summary['files']} files"
                             if summary["cancelled"] else
                             f"{summary['findings']} findings in {summary['files']} files")
                _set(stop)
            return summary

    async def _review(self, stop: asyncio.Future[None], progress: WorkProgress, summary: dict[str, Any]) -> None:
        roots = self._roots()
        if not roots:
            self._ls.warn("secls: the workspace review needs a workspace folder")
            return
        paths = await asyncio.to_thread(workspace_files, [(r, self._ls.settings.config(None, r).is_excluded)
                                                          for r in roots])
        self._ls.flush_warnings()
        summary["files"] = total = len(paths)
        progress.report(0, total)
        jobs = self._jobs(paths, roots)
        previous, seen = set(self.covered), set()
        errors: list[str] = []
        workers = min(MAX_WORKERS, os.cpu_count() or 1, max(1, total))
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_lower_priority)
        in_flight: deque[asyncio.Future[FileReview]] = deque()
        try:
            while True:
                while len(in_flight) < 2 * workers and not stop.done() and (job := next(jobs, None)):
                    in_flight.append(asyncio.wrap_future(pool.submit(review_file, job)))
                if not in_flight or stop.done():
                    break
                await asyncio.wait([in_flight[0], stop], return_when=asyncio.FIRST_COMPLETED)
                if stop.done():
                    break
                review = in_flight.popleft().result()
                seen.add(review.uri)
                self._publish(review.uri, review.diagnostics)
                errors.extend(review.errors)
                summary["reviewed"] += 1
                summary["findings"] += len(review.diagnostics)
                progress.report(summary["reviewed"], total)
        except BrokenProcessPool:
            self._ls.warn("secls: the workspace review stopped: a worker process died")
            _set(stop)
        finally:
            for future in in_flight:
                future.cancel()
            pool.shutdown(wait=False, cancel_futures=True)
        if errors:
            self._ls.log(types.MessageType.Warning, "secls: workspace review:\n" + "\n".join(errors))
        self.covered = previous | seen
        if not stop.done():  # complete: files gone since the last review lose their diagnostics
            for uri in previous - seen:
                self._publish(uri, [])
            self.covered = seen

    def _roots(self) -> list[str]:
        """The workspace folders as paths (the root path when the client sent no folders)."""
        folders = [to_fs_path(f.uri) for f in self._ls.workspace.folders.values()]
        roots = [f for f in folders if f] or [r for r in [self._ls.root()] if r]
        return [r for r in roots if os.path.isdir(r)]

    def _jobs(self, paths: list[str], roots: list[str]) -> Iterator[FileJob]:
        """A job per file, with its configuration (read once per folder) and the root it resolves in."""
        encoding = str(self._ls.workspace.position_codec.encoding)
        python = self._ls.settings.config(None, self._ls.root()).python
        configs: dict[str, Any] = {}
        for path in paths:
            folder = os.path.dirname(path)
            if folder not in configs:
                configs[folder] = self._ls.settings.config(path, self._ls.root())
            root = next((r for r in roots if _is_under(path, r)), roots[0])
            yield FileJob(path, Path(path).as_uri(), configs[folder], encoding, str(Path(root).resolve()), python,
                          self._ls.baseline.keys_for(path))

    def _publish(self, uri: str, diagnostics: list[types.Diagnostic]) -> None:
        """Publish review diagnostics, unless the document is open (it has live ones) or nothing changes."""
        if self._ls.open_document(uri) is not None:
            return
        if diagnostics or uri in self._shown:
            self._ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))
        if diagnostics:
            self._shown.add(uri)
        else:
            self._shown.discard(uri)

    # -- closing a covered document -----------------------------------------------------------

    def closing(self, uri: str) -> bool:
        """Whether the review takes over a document being closed (then its saved file is re-analysed and published)."""
        if uri not in self.covered:
            return False
        snap = self._ls.snapshots.get(uri)
        resolution = None if requirement_kind(uri) else self._ls.resolutions.resolution_for(uri)
        self._tasks.add(task := asyncio.ensure_future(self._after_close(uri, snap, resolution)))
        task.add_done_callback(self._tasks.discard)
        return True

    async def _after_close(self, uri: str, snap: Snapshot | None, resolution: Any) -> None:
        """Publish the analysis of the file on disk (the closed buffer's own when it was saved)."""
        path = to_fs_path(uri)
        try:
            text = await asyncio.to_thread(read_source, path) if path else None
        except (OSError, DecodeError):
            text = None
        self._shown.add(uri)  # the document's live diagnostics are still in the client
        if text is None:  # deleted, or no longer readable
            self.covered.discard(uri)
            self._publish(uri, [])
            return
        config = self._ls.settings.config(path, self._ls.root())
        if snap is None or snap.text != text or snap.config != config:
            db = await self._ls.advisory_db(config) if requirement_kind(path) else None
            loop = asyncio.get_running_loop()
            snap = await loop.run_in_executor(self._ls.analysis_pool, analyse_snapshot, uri, None, text, path,
                                              config, db, resolution)
        columns = self._ls.columns(text)
        self._publish(uri, [to_diagnostic(f, uri, columns, snap.config) for f in snap.findings])


def _is_under(path: str, root: str) -> bool:
    return os.path.commonpath([os.path.abspath(path), os.path.abspath(root)]) == os.path.abspath(root)


def _set(stop: asyncio.Future[None]) -> None:
    if not stop.done():
        stop.set_result(None)


def _resolve_soon(stop: asyncio.Future[None]) -> None:
    """Set `stop` from whatever thread cancelled the request."""
    stop.get_loop().call_soon_threadsafe(_set, stop)
