"""Which advisory database applies, loaded once per process and shared by every analysis."""

from __future__ import annotations

import gc
import logging
import os
import threading
import time

from secls.config import Config
from secls.deps.osv import AdvisoryDatabase, AdvisoryDbError, load_database

log = logging.getLogger(__name__)

ENV_VAR = "SECLS_ADVISORY_DB"

_lock = threading.Lock()
_loaded: dict[str, AdvisoryDatabase | AdvisoryDbError] = {}


def configured_path(config: Config) -> str | None:
    """The advisory database a configuration names: the setting, else $SECLS_ADVISORY_DB, else none."""
    path = config.advisory_db or os.environ.get(ENV_VAR) or None
    return os.path.abspath(os.path.expanduser(path)) if path else None


def database_at(path: str) -> AdvisoryDatabase:
    """The database at a path, read on first use (callers wait for one load); raises AdvisoryDbError."""
    with _lock:
        found = _loaded.get(path)
        if found is None:
            start = time.perf_counter()
            try:
                found = load_database(path)
                # The index lives as long as the process: keep the cyclic GC from walking it on every
                # collection (that made checks after the load several times slower).
                gc.freeze()
                log.info("secls: indexed %d advisories from %s in %.0f ms", found.count, path,
                         (time.perf_counter() - start) * 1000)
            except AdvisoryDbError as exc:
                found = exc
            _loaded[path] = found
    if isinstance(found, AdvisoryDbError):
        raise found
    return found


def database_for(config: Config) -> AdvisoryDatabase | None:
    """The configured database (loaded now if needed), or None when none is configured; raises AdvisoryDbError."""
    path = configured_path(config)
    return database_at(path) if path else None


def is_loaded(config: Config) -> bool:
    """Whether the configured database (if any) is already in memory, so analysing never waits."""
    path = configured_path(config)
    return path is None or path in _loaded


def warm_database_for(config: Config) -> None:
    """Load the configured database and compile all of it (for a background thread at start-up)."""
    db, _ = try_database_for(config)
    if db is not None:
        db.warm()


def try_database_for(config: Config) -> tuple[AdvisoryDatabase | None, str | None]:
    """The configured database and None, or None and why it cannot be read."""
    try:
        return database_for(config), None
    except AdvisoryDbError as exc:
        return None, str(exc)
