"""One file of a workspace review, in a worker process: read it, analyse it, turn its findings into diagnostics."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from secls.analysis.resolution import Resolution
from secls.baseline.model import Key
from secls.config import Config
from secls.deps.database import try_database_for
from secls.deps.kinds import requirement_kind
from secls.deps.sources import pins_of, with_api
from secls.discovery import DecodeError, read_source
from secls.server.convert import SOURCE, Columns, to_diagnostic
from secls.server.documents import analyse_snapshot
from secls.server.resolution import resolve_in_worker

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileJob:
    """What a worker needs to review one file."""

    path: str
    uri: str
    config: Config
    encoding: str  # the negotiated position encoding
    root: str  # the workspace folder: where base classes and patch targets are resolved
    python: str | None  # whose packages resolution sees
    accepted: frozenset[Key] = frozenset()  # the baseline entries of this file: their findings are hidden


@dataclass(frozen=True)
class FileReview:
    """The diagnostics of one reviewed file, and internal errors worth logging."""

    uri: str
    diagnostics: list[types.Diagnostic]
    errors: tuple[str, ...] = field(default=())


def review_file(job: FileJob) -> FileReview:
    """Review one file from disk, as the server analyses an open document (runs in a worker process)."""
    try:
        return _review(job)
    except Exception as exc:  # one file's failure is logged; the review goes on with the others
        log.exception("secls: reviewing %s failed", job.path)
        return FileReview(job.uri, [], (f"{job.path}: analysis failed: {exc!r}",))


def _review(job: FileJob) -> FileReview:
    try:
        text = read_source(job.path)
    except DecodeError as exc:
        return FileReview(job.uri, [_file_diagnostic(str(exc))])
    except OSError as exc:  # deleted or unreadable since discovery
        return FileReview(job.uri, [], (f"{job.path}: cannot read: {exc.strerror or exc}",))
    db, resolution, errors = None, None, []
    if requirement_kind(job.path):
        db, error = try_database_for(job.config)
        if error is not None:
            errors.append(f"advisory database: {error}")
        if job.config.osv_api:  # only what the OSV cache already knows: no network for a whole workspace
            db = with_api(db, job.config, pins_of(text, job.path), fetch=False)
    else:
        resolution = _resolve(text, job)
    snap = analyse_snapshot(job.uri, None, text, job.path, job.config, db, resolution, job.accepted)
    columns = Columns(text, PositionCodec(job.encoding))
    diagnostics = [to_diagnostic(f, job.uri, columns, job.config) for f in snap.findings]
    return FileReview(job.uri, diagnostics, tuple(errors) + tuple(f"{job.path}: {e}" for e in snap.result.errors))


def _resolve(text: str, job: FileJob) -> Resolution | None:
    """Cross-file answers for a module; None (everything unknown) when resolution fails."""
    try:
        return resolve_in_worker(text, job.path, job.root, job.python)
    except Exception:  # best effort, as for open documents: unknown stays unknown
        log.exception("secls: resolving %s failed", job.path)
        return None


def _file_diagnostic(message: str) -> types.Diagnostic:
    """An error about the whole file (it cannot be decoded), on its first line."""
    start = types.Position(line=0, character=0)
    return types.Diagnostic(range=types.Range(start=start, end=start), message=message,
                            severity=types.DiagnosticSeverity.Error, source=SOURCE)
