"""The language server: document lifecycle, publishing, settings, code actions and hover."""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from urllib.parse import unquote

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument

import secls
from secls.config import Config
from secls.deps.database import try_database_for, warm_database_for
from secls.deps.kinds import requirement_kind
from secls.deps import sources
from secls.deps.osv import AdvisoryDatabase
from secls.server import actions, review
from secls.server.baseline import BaselineStore, watch
from secls.server.convert import Columns, finding_range, to_diagnostic
from secls.server.documents import Snapshot, analyse_snapshot
from secls.server.edits import apply_changes
from secls.server.history import History
from secls.server.hover import findings_at, hover_markdown
from secls.server.notifications import ForgetNotificationFutures
from secls.server.scheduler import Debouncer
from secls.server.resolution import ResolutionService
from secls.server.settings import SECTION, Settings
from secls.server.workspace import COMMAND as REVIEW_WORKSPACE, WorkspaceReview

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
CONFIGURATION_TIMEOUT_S = 5.0
RESOLVED_IDLE_MS = 300  # new cross-file answers are re-published after this long without a refresh


class SeclsProtocol(ForgetNotificationFutures, LanguageServerProtocol):
    """pygls' protocol, except that a didChange for a document never opened is logged and ignored."""

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams):  # type: ignore[override]
        """Apply the change to a known document, else log it and do nothing."""
        if unquote(params.text_document.uri) not in self.workspace.text_documents:
            self._server.log(types.MessageType.Warning,
                             f"secls: didChange for a document that is not open: {params.text_document.uri}")
            return None
        # Applied here, not by pygls: see apply_changes.
        doc = self.workspace.text_documents[unquote(params.text_document.uri)]
        apply_changes(doc, params.content_changes, params.text_document.version,
                      self._server.history.log(params.text_document.uri))
        if (user_handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield user_handler, (params,), None
        return None


class SeclsServer(LanguageServer):
    """Holds the per-session state: settings, analysed snapshots, the debouncer and the worker."""

    def __init__(self) -> None:
        super().__init__("secls", secls.__version__, protocol_cls=SeclsProtocol,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.settings = Settings()
        self.snapshots: dict[str, Snapshot] = {}
        self.history = History()  # edits since the last analysis that parsed, to carry its findings
        self.debouncer = Debouncer(self.refresh)
        # One analysis thread: analyses queue up and a cancelled, not yet started one never runs.
        self.analysis_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="secls-analysis")
        self._fixes: dict[str, tuple[int | None, dict[tuple[str, int, int], actions.Edit | None]]] = {}
        self._logged_errors: dict[str, tuple[str, ...]] = {}
        self._db_errors: set[str] = set()
        self._background: set[asyncio.Future[None]] = set()
        self.resolutions = ResolutionService(self._refresh_from_thread,
                                             lambda: self.settings.config(None, self.root()).python)
        self._loop: asyncio.AbstractEventLoop | None = None  # the server's loop, for the resolution thread
        self._resolved_refresh: set[str] = set()
        self._trees: list[object] = []  # syntax trees of finished analyses, freed after publishing
        self.baseline = BaselineStore(self.warn)
        self.workspace_review = WorkspaceReview(self)

    def _refresh_from_thread(self, uri: str) -> None:
        """Schedule a refresh from the resolution thread, on the event loop."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._schedule_resolved, uri)

    def _schedule_resolved(self, uri: str) -> None:
        """Re-analyse with new cross-file answers once typing pauses; publish only if the findings change.

        An edit meanwhile is analysed with the new answers anyway; a refresh already waiting or running
        schedules this again when it ends (it may have started with the old answers).
        """
        self._resolved_refresh.add(uri)
        if not self.debouncer.is_pending(uri):
            self.debouncer.schedule(uri, RESOLVED_IDLE_MS)

    def shutdown(self) -> None:
        """Stop the analysis worker (queued analyses are dropped), then pygls."""
        self.resolutions.shutdown()
        self.analysis_pool.shutdown(wait=False, cancel_futures=True)
        super().shutdown()

    # -- plumbing -----------------------------------------------------------------------------

    def log(self, kind: types.MessageType, message: str) -> None:
        """Send a window/logMessage (and never fail doing so)."""
        try:
            self.window_log_message(types.LogMessageParams(type=kind, message=message))
        except Exception:  # the client may be gone; stderr still has it
            log.exception("cannot send log message: %s", message)

    def warn(self, message: str) -> None:
        """Show a warning to the user (window/showMessage) and log it."""
        log.warning("%s", message)
        try:
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=message))
        except Exception:
            log.exception("cannot show message: %s", message)

    def flush_warnings(self) -> None:
        """Show warnings the settings collected (a bad pyproject, say)."""
        for message in self.settings.take_warnings():
            self.warn(message)

    def open_document(self, uri: str) -> TextDocument | None:
        """The open document at `uri`, or None (never a document read from disk)."""
        return self.workspace.text_documents.get(unquote(uri))

    def columns(self, text: str) -> Columns:
        """A converter between code points of `text` and the negotiated position encoding."""
        return Columns(text, self.workspace.position_codec)

    def capability(self, field: str, default: Any = None) -> Any:
        """A client capability by dotted path."""
        return get_capability(self.client_capabilities, field, default)

    def root(self) -> str | None:
        """The workspace root folder, if any."""
        try:
            return self.workspace.root_path
        except RuntimeError:
            return None

    # -- analysis -----------------------------------------------------------------------------

    async def analyse(self, uri: str) -> Snapshot | None:
        """Analyse the current text of an open document in the worker thread."""
        doc = self.open_document(uri)
        if doc is None:
            return None
        version, text, mark = doc.version, doc.source, self.history.log(uri).count
        path = to_fs_path(uri)
        config = self.settings.config(path, self.root())
        self.flush_warnings()
        resolution = None if requirement_kind(path or doc.path) else self.resolutions.resolution_for(uri)
        if self.baseline.poll():  # the baseline file changed (no watcher): every open document again
            self.republish_all()
        accepted = self.baseline.keys_for(path or doc.path)
        last = self.snapshots.get(uri)
        if last is not None and last.text == text and last.config == config and last.accepted == accepted and (
                resolution is None or last.resolved == resolution.generation):
            return self.history.with_carried(dataclasses.replace(last, version=version, edits=mark))  # didSave, undo
        # Requirement files wait for the advisory index (loaded once, off the analysis thread).
        db = None
        if requirement_kind(path or doc.path):
            db = await self.advisory_db(config)
            if config.osv_api:
                db = self.with_osv_api(uri, text, path or doc.path, config, db)
        loop = self._loop = asyncio.get_running_loop()
        snap = await loop.run_in_executor(self.analysis_pool, analyse_snapshot, uri, version, text,
                                          path or doc.path, config, db, resolution, accepted, self._trees)
        if resolution is not None:  # answers it asked for and did not get: resolve them in the background
            self.resolutions.after_analysis(uri, text, path or doc.path, self.root())
        return self.history.with_carried(dataclasses.replace(snap, edits=mark))

    def with_osv_api(self, uri: str, text: str, path: str | None, config: Config,
                     db: AdvisoryDatabase | None) -> AdvisoryDatabase | None:
        """The database plus the OSV API's cached answers; stale pins are asked about in the background."""
        pins = sources.pins_of(text, path)
        if sources.needs_fetch(config, pins):
            async def fetch_then_refresh() -> None:
                if await asyncio.to_thread(sources.fetch, config, pins):
                    self.snapshots.pop(uri, None)  # same text, new answers: do not reuse the analysis
                    self.debouncer.schedule(uri, 0)
            self._background.add(task := asyncio.ensure_future(fetch_then_refresh()))
            task.add_done_callback(self._background.discard)
        return sources.with_api(db, config, pins, fetch=False)

    async def advisory_db(self, config: Config) -> AdvisoryDatabase | None:
        """The configured advisory database, loaded in a background thread; a failure is shown once."""
        db, error = await asyncio.to_thread(try_database_for, config)
        if error is not None and error not in self._db_errors:
            self._db_errors.add(error)
            self.warn(f"secls: advisory database: {error}")
        return db

    def is_current(self, snapshot: Snapshot) -> bool:
        """Whether a snapshot is of the document's current text (versions alone may repeat)."""
        doc = self.open_document(snapshot.uri)
        return (doc is not None and doc.version == snapshot.version
                and self.history.log(snapshot.uri).count == snapshot.edits)

    async def snapshot(self, uri: str) -> Snapshot | None:
        """The analysis of the document's current text (cached, else computed now)."""
        doc = self.open_document(uri)
        if doc is None:
            return None
        cached = self.snapshots.get(uri)
        if cached is not None and cached.version == doc.version and cached.text == doc.source:
            return cached
        snap = await self.analyse(uri)
        if snap is not None and self.is_current(snap):
            self.snapshots[uri] = snap
        return snap

    async def refresh(self, uri: str) -> None:
        """Analyse a document and publish its diagnostics, unless a newer version arrived meanwhile."""
        try:
            quiet = uri in self._resolved_refresh
            self._resolved_refresh.discard(uri)
            before = self.snapshots.get(uri)
            snap = await self.analyse(uri)
            if snap is None or not self.is_current(snap):
                return
            self.snapshots[uri] = snap
            if quiet and before is not None and before.version == snap.version and before.findings == snap.findings:
                return  # new cross-file answers that change nothing: no second, identical publish
            self.publish(snap)
        except asyncio.CancelledError:
            raise
        except Exception:
            self.log(types.MessageType.Error, f"secls: analysis of {uri} failed:\n{traceback.format_exc()}")
        finally:
            loop = asyncio.get_running_loop()
            # The analysed trees are freed once the diagnostics are out (a large one takes milliseconds).
            loop.call_soon(self._trees.clear)
            if uri in self._resolved_refresh:  # answers arrived while this refresh ran
                loop.call_soon(self._schedule_resolved, uri)

    def publish(self, snap: Snapshot) -> None:
        """Send the snapshot's findings as diagnostics."""
        columns = self.columns(snap.text)
        diagnostics = [to_diagnostic(f, snap.uri, columns, snap.config) for f in snap.findings]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=snap.uri, version=snap.version, diagnostics=diagnostics))
        errors = tuple(snap.result.errors)
        if errors and self._logged_errors.get(snap.uri) != errors:
            self.log(types.MessageType.Warning, "secls: " + "\n".join(errors))
        self._logged_errors[snap.uri] = errors

    def schedule(self, uri: str, debounce: bool) -> None:
        """Refresh a document after the configured debounce (or at once)."""
        delay = self.settings.config(None, self.root()).debounce_ms if debounce else 0
        self.debouncer.schedule(uri, delay)

    def forget(self, uri: str, clear: bool = True) -> None:
        """Drop everything about a closed document and (unless told not to) clear its diagnostics."""
        self.debouncer.cancel(uri)
        self.snapshots.pop(uri, None)
        self.history.forget(uri)
        self.resolutions.forget(uri)
        self._fixes.pop(uri, None)
        self._logged_errors.pop(uri, None)
        if clear:
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def republish_all(self) -> None:
        """Re-analyse every open document (settings changed)."""
        self.snapshots.clear()
        self.history.forget_findings()
        for uri in list(self.workspace.text_documents):
            self.debouncer.schedule(uri, 0)

    # -- settings -----------------------------------------------------------------------------

    async def pull_configuration(self) -> bool | None:
        """Ask the client for the `secls` section: whether the settings changed; None if it cannot answer."""
        if not self.capability("workspace.configuration", False):
            return None
        params = types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)])
        try:
            result = await asyncio.wait_for(self.workspace_configuration_async(params), CONFIGURATION_TIMEOUT_S)
        except Exception as exc:  # includes the timeout
            self.log(types.MessageType.Warning, f"secls: workspace/configuration failed: {exc!r}")
            return None
        before = self.settings.editor
        raw = result[0] if result else None
        if raw is not None:
            self.apply_workspace_settings(raw)
        return self.settings.editor != before

    def apply_workspace_settings(self, raw: Any) -> None:
        """Take settings from the client; warn and keep the previous ones when they are invalid."""
        error = self.settings.set_workspace(raw)
        if error:
            self.warn(error)

    # -- fixes --------------------------------------------------------------------------------

    async def fix_edit(self, snap: Snapshot, finding: Any) -> actions.Edit | None:
        """The quick fix's edit for a finding, built once per document version."""
        version, cache = self._fixes.get(snap.uri, (None, {}))
        if version != snap.version:
            cache = {}
            self._fixes[snap.uri] = (snap.version, cache)
        key = (finding.code, finding.line, finding.column)
        if key not in cache:
            cache[key] = await asyncio.to_thread(actions.fix_edit, snap.text, finding, snap.config)
        return cache[key]


def guarded(default: Any = None) -> Callable[[F], F]:
    """Wrap a handler so that an exception is logged to the client and never reaches pygls."""

    def decorate(fn: F) -> F:
        def report(ls: SeclsServer) -> Any:
            log.exception("handler %s failed", fn.__name__)
            ls.log(types.MessageType.Error, f"secls: {fn.__name__} failed:\n{traceback.format_exc()}")
            return default

        if asyncio.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def async_wrapper(ls: SeclsServer, params: Any) -> Any:
                try:
                    return await fn(ls, params)
                except Exception:
                    return report(ls)
            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(fn)
        def wrapper(ls: SeclsServer, params: Any) -> Any:
            try:
                return fn(ls, params)
            except Exception:
                return report(ls)
        return wrapper  # type: ignore[return-value]

    return decorate


server = SeclsServer()


@server.feature(types.INITIALIZE)
@guarded()
def initialize(ls: SeclsServer, params: types.InitializeParams) -> None:
    """Take initializationOptions (bad ones are reported after `initialized`)."""
    error = ls.settings.set_init_options(params.initialization_options)
    if error:
        ls.settings.warnings.append(error)


@server.feature(types.INITIALIZED)
@guarded()
async def initialized(ls: SeclsServer, params: types.InitializedParams) -> None:
    """Report start-up warnings, read the baseline and pull the client's settings."""
    ls.baseline.start(ls.root())  # before the first await: documents opened next are filtered already
    ls.flush_warnings()
    if await ls.pull_configuration():
        ls.republish_all()
    # Start indexing (and compiling) the advisories now, so the first requirement file does not wait for them.
    asyncio.get_running_loop().run_in_executor(None, warm_database_for, ls.settings.config(None, ls.root()))
    ls.baseline.watched = await watch(ls, ls.baseline)


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
@guarded()
def did_change_watched_files(ls: SeclsServer, params: types.DidChangeWatchedFilesParams) -> None:
    """Reload the baseline when its file changed, and republish."""
    if ls.baseline.on_changes(change.uri for change in params.changes):
        ls.republish_all()


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
@guarded()
def did_open(ls: SeclsServer, params: types.DidOpenTextDocumentParams) -> None:
    """Analyse a newly opened document at once."""
    ls.history.reset(params.text_document.uri)
    ls.schedule(params.text_document.uri, debounce=False)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
@guarded()
def did_change(ls: SeclsServer, params: types.DidChangeTextDocumentParams) -> None:
    """Analyse after the debounce."""
    ls.schedule(params.text_document.uri, debounce=True)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
@guarded()
def did_save(ls: SeclsServer, params: types.DidSaveTextDocumentParams) -> None:
    """Analyse at once on save; a saved module may be another document's base class, so re-resolve all."""
    if ls.open_document(params.text_document.uri) is not None:
        ls.schedule(params.text_document.uri, debounce=False)
    if params.text_document.uri.endswith(".py"):
        for uri in ls.resolutions.invalidate():
            ls.schedule(uri, debounce=False)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
@guarded()
def did_close(ls: SeclsServer, params: types.DidCloseTextDocumentParams) -> None:
    """Clear a closed document's diagnostics (the workspace review's, if it covers the file, replace them)."""
    ls.forget(params.text_document.uri, clear=not ls.workspace_review.closing(params.text_document.uri))


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
@guarded()
async def did_change_configuration(ls: SeclsServer, params: types.DidChangeConfigurationParams) -> None:
    """Re-read settings (pulled when the client supports it, else pushed) and republish."""
    pulled = await ls.pull_configuration()
    if pulled is None and isinstance(params.settings, dict) and params.settings:
        ls.apply_workspace_settings(params.settings)
    ls.settings.forget_projects()
    ls.republish_all()
    review.refresh_code_lenses(ls)


@server.command(REVIEW_WORKSPACE)
async def review_workspace(ls: SeclsServer, *args: Any) -> dict[str, Any] | None:
    """Review every Python and requirement file of the workspace (work-done progress; cancellable)."""
    return await ls.workspace_review.command()


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix], resolve_provider=True))
@guarded(default=None)
async def code_action(ls: SeclsServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    """Fix and suppression actions for our findings in the range; fix edits lazily where possible."""
    if not actions.wants_quickfix(params.context.only):
        return None
    snap = await ls.snapshot(params.text_document.uri)
    if snap is None:
        return None
    columns = ls.columns(snap.text)
    first, _ = columns.from_client(params.range.start)
    last, _ = columns.from_client(params.range.end)
    found = actions.findings_for_request(snap.findings, first, last, params.context.diagnostics)
    listed = actions.list_actions(found, snap.uri, snap.version, columns, snap.config)
    lazy = "edit" in (ls.capability("text_document.code_action.resolve_support.properties", []) or [])
    out = []
    for action in listed:
        if action.data["kind"] == actions.SUPPRESS or not lazy:
            await resolve_into(ls, snap, action)
            if action.edit is None:
                continue
        out.append(action)
    return out or None


@server.feature(types.CODE_ACTION_RESOLVE)
@guarded()
async def code_action_resolve(ls: SeclsServer, action: types.CodeAction) -> types.CodeAction:
    """Build the edit of the chosen action on the document's current text."""
    data = action.data if isinstance(action.data, dict) else {}
    snap = await ls.snapshot(str(data.get("uri", "")))
    if snap is not None:
        await resolve_into(ls, snap, action)
    return action


async def resolve_into(ls: SeclsServer, snap: Snapshot, action: types.CodeAction) -> None:
    """Set an action's edit from its data (left empty when the finding or its fix is gone)."""
    data = action.data if isinstance(action.data, dict) else {}
    finding = actions.find_again(snap.findings, data)
    if finding is None:
        return
    columns = ls.columns(snap.text)
    if data.get("kind") == actions.SUPPRESS:
        edit = actions.suppression_edit(columns.lines, finding)
    else:
        edit = await ls.fix_edit(snap, finding)
    if edit is not None:
        changes = bool(ls.capability("workspace.workspace_edit.document_changes", False))
        action.edit = actions.workspace_edit(snap.uri, snap.version, edit, columns, changes)


@server.feature(types.TEXT_DOCUMENT_HOVER)
@guarded()
async def hover(ls: SeclsServer, params: types.HoverParams) -> types.Hover | None:
    """The rule docs of the findings under the cursor."""
    snap = await ls.snapshot(params.text_document.uri)
    if snap is None:
        return None
    columns = ls.columns(snap.text)
    line, column = columns.from_client(params.position)
    found = findings_at(snap.findings, line, column)
    if not found:
        return None
    formats = ls.capability("text_document.hover.content_format", None)
    kind = (types.MarkupKind.Markdown if not formats or types.MarkupKind.Markdown in formats
            else types.MarkupKind.PlainText)
    return types.Hover(contents=types.MarkupContent(kind=kind, value=hover_markdown(found)),
                       range=finding_range(found[0], columns))


@server.command(review.REVIEW_COMMAND)
async def review_report(ls: SeclsServer, *arguments: Any) -> str:
    """The Markdown review of an open document (`workspace/executeCommand`, argument: its URI)."""
    return await review.review_report(ls, arguments)


@server.feature(types.TEXT_DOCUMENT_CODE_LENS)
@guarded()
async def code_lens(ls: SeclsServer, params: types.CodeLensParams) -> list[types.CodeLens] | None:
    """Lifecycle lenses over TestCase classes (off unless the `codeLens` setting is on)."""
    return await review.code_lenses(ls, params)
