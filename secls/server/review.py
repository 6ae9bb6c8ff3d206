"""The review in the editor: the `secls.reviewReport` command and the lifecycle code lens."""

from __future__ import annotations

import asyncio
import os
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pygls.uris import to_fs_path

from secls.deps.kinds import requirement_kind
from secls.review import FileReview, Review, build_review
from secls.review.build import lifecycle_summaries
from secls.review.markdown import review_markdown

if TYPE_CHECKING:
    from secls.server.app import SeclsServer

REVIEW_COMMAND = "secls.reviewReport"


def _invalid(message: str) -> JsonRpcInvalidParams:
    return JsonRpcInvalidParams(message=f"{REVIEW_COMMAND}: {message}")


def command_uri(arguments: tuple[Any, ...]) -> str:
    """The document URI among a command's arguments: `"file:///..."` or `{"uri": "file:///..."}`."""
    first = arguments[0] if len(arguments) == 1 else None
    if isinstance(first, dict):
        first = first.get("uri")
    if not isinstance(first, str) or not first:
        raise _invalid(f"expected one argument, the URI of an open document; got {list(arguments)!r}")
    return first


def _display(path: str | None, uri: str, root: str | None) -> str:
    """The document's path relative to the workspace root when inside it, else its path (or URI)."""
    if path is None:
        return uri
    if root is not None:
        relative = os.path.relpath(path, root)
        if not relative.startswith(".."):
            return relative
    return path


async def review_report(ls: "SeclsServer", arguments: tuple[Any, ...]) -> str:
    """The review of an open document as Markdown; bad arguments and unknown documents are errors."""
    uri = command_uri(arguments)
    snap = await ls.snapshot(uri)
    if snap is None:
        raise _invalid(f"{uri} is not an open document")
    path = to_fs_path(uri)
    display = _display(path, uri, ls.root())
    if requirement_kind(path or uri) is not None:
        review = FileReview(display, error="a requirement file: its pins are reviewed by the diagnostics")
    else:
        resolution = ls.resolutions.resolution_for(uri)
        review = await asyncio.to_thread(build_review, display, snap.text, PurePath(path) if path else None,
                                         snap.config, snap.result, resolution)
    return review_markdown(Review([review]))


async def code_lenses(ls: "SeclsServer", params: types.CodeLensParams) -> list[types.CodeLens] | None:
    """One lens per TestCase class with its lifecycle in numbers, when the `codeLens` setting is on."""
    uri = params.text_document.uri
    path = to_fs_path(uri)
    if ls.open_document(uri) is None or requirement_kind(path or uri) is not None:
        return None
    if not ls.settings.config(path, ls.root()).code_lens:
        return None
    snap = await ls.snapshot(uri)
    if snap is None or snap.result.syntax_error is not None:
        return None
    summaries = await asyncio.to_thread(lifecycle_summaries, snap.text, PurePath(path) if path else None,
                                        snap.config, ls.resolutions.resolution_for(uri))
    lenses = []
    for summary in summaries:
        position = types.Position(line=summary.line - 1, character=0)
        # An empty command id: clients show the title as text, with nothing to run.
        lenses.append(types.CodeLens(range=types.Range(start=position, end=position),
                                     command=types.Command(title=summary.text, command="")))
    return lenses


def refresh_code_lenses(ls: "SeclsServer") -> None:
    """Ask the client to re-request code lenses (settings changed), when it supports that."""
    if ls.capability("workspace.code_lens.refresh_support", False):
        ls.workspace_code_lens_refresh(None)
