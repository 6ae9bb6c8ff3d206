"""The workspace's baseline in the server: loaded at start, reloaded when it changes, looked up per document."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from secls.baseline.model import FILE_NAME, Baseline, BaselineError, Key, load_baseline

if TYPE_CHECKING:
    from secls.server.app import SeclsServer

REGISTRATION_ID = "secls-baseline-watcher"
REGISTRATION_TIMEOUT_S = 5.0
Stamp = tuple[int, int] | None  # (mtime in ns, size) of the file as last read; None when absent


class BaselineStore:
    """The accepted findings of `.secls-baseline.json` at the workspace root (none without a root)."""

    def __init__(self, warn: Callable[[str], None]) -> None:
        self.warn = warn
        self.root: str | None = None
        self.baseline = Baseline()
        self.watched = False  # the client tells us about changes; otherwise the file's mtime is polled
        self._stamp: Stamp = None

    @property
    def file(self) -> Path | None:
        """The baseline file of the workspace."""
        return Path(self.root) / FILE_NAME if self.root else None

    def start(self, root: str | None) -> None:
        """Read the workspace root's baseline, if it has one."""
        self.root = os.path.abspath(root) if root else None
        self.reload()

    def reload(self) -> bool:
        """Read the file again; whether the accepted findings changed. A malformed file is shown and ignored."""
        file = self.file
        self._stamp = _stamp(file)
        baseline = Baseline()
        if file is not None and self._stamp is not None:
            try:
                baseline = load_baseline(file)
            except BaselineError as exc:
                self.warn(f"secls: baseline {file}: {exc}; every finding is shown until it is fixed")
        changed = baseline.entries != self.baseline.entries
        self.baseline = baseline
        return changed

    def poll(self) -> bool:
        """Without a file watcher: reload when the file's mtime or size changed; whether anything changed."""
        if self.watched or self.file is None or _stamp(self.file) == self._stamp:
            return False
        return self.reload()

    def on_changes(self, uris: Iterable[str]) -> bool:
        """Watched-file events: reload if one is about the baseline file; whether anything changed."""
        file = self.file
        if file is None or not any(_same_file(to_fs_path(uri), file) for uri in uris):
            return False
        return self.reload()

    def keys_for(self, path: str | None) -> frozenset[Key]:
        """The accepted keys of the document at `path` (nothing outside the workspace root)."""
        if path is None or self.root is None or not self.baseline.entries:
            return frozenset()
        relative = os.path.relpath(os.path.abspath(path), self.root)
        if relative == os.pardir or relative.startswith(os.pardir + os.sep):
            return frozenset()
        return self.baseline.keys_for(Path(relative).as_posix())


async def watch(ls: SeclsServer, store: BaselineStore) -> bool:
    """Ask the client to report changes of the baseline file (when it supports dynamic registration)."""
    if store.root is None or not ls.capability("workspace.did_change_watched_files.dynamic_registration", False):
        return False
    pattern: types.GlobPattern = f"**/{FILE_NAME}"
    if ls.capability("workspace.did_change_watched_files.relative_pattern_support", False):
        pattern = types.RelativePattern(base_uri=from_fs_path(store.root) or "", pattern=FILE_NAME)
    options = types.DidChangeWatchedFilesRegistrationOptions(watchers=[types.FileSystemWatcher(glob_pattern=pattern)])
    params = types.RegistrationParams(registrations=[types.Registration(
        id=REGISTRATION_ID, method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options)])
    try:
        await asyncio.wait_for(ls.client_register_capability_async(params), REGISTRATION_TIMEOUT_S)
    except Exception as exc:  # includes the timeout: fall back to polling the mtime
        ls.log(types.MessageType.Warning, f"secls: cannot watch {store.file} ({exc!r}); polling it instead")
        return False
    return True


def _stamp(file: Path | None) -> Stamp:
    try:
        stat = file.stat() if file is not None else None
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size) if stat is not None else None


def _same_file(path: str | None, file: Path) -> bool:
    return path is not None and os.path.normcase(os.path.abspath(path)) == os.path.normcase(str(file))
