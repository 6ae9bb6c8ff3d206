"""Where a requirement file's advisories come from: the local database, and the OSV API's cache."""

from __future__ import annotations

from pathlib import PurePath

from secls.config import Config
from secls.deps.kinds import requirement_kind
from secls.deps.osv import AdvisoryDatabase, combined
from secls.deps.osv_api import Pin, api_for
from secls.deps.parse import parse_file

# (local, cached) -> their combination; the pair is kept so that ids cannot be reused while cached.
_combined: dict[tuple[int, int], tuple[object, object, AdvisoryDatabase | None]] = {}


def pins_of(text: str, path: str | PurePath | None) -> list[Pin]:
    """(canonical name, version) of every pin and locked version of a requirement file."""
    parsed = parse_file(text, requirement_kind(path) or "requirements")
    return [(e.key, str(e.pinned)) for e in parsed.entries if e.pinned is not None]


def with_api(local: AdvisoryDatabase | None, config: Config, pins: list[Pin],
             fetch: bool) -> AdvisoryDatabase | None:
    """The local database plus what the OSV API said about these pins (asked now only when `fetch`)."""
    api = api_for(config.osv_api)
    if api is None:
        return local
    if fetch:
        api.fetch(pins)
    cached = api.cached_database(pins)
    key = (id(local), id(cached))
    if key not in _combined:
        if len(_combined) > 32:
            _combined.clear()
        _combined[key] = (local, cached, combined(local, cached))
    return _combined[key][2]


def needs_fetch(config: Config, pins: list[Pin]) -> bool:
    """Whether the OSV API is on and has pins to be asked about (false while it is unreachable)."""
    api = api_for(config.osv_api)
    return api is not None and bool(api.stale(pins))


def fetch(config: Config, pins: list[Pin]) -> bool:
    """Ask the OSV API now (blocking, short timeout); whether new answers arrived."""
    api = api_for(config.osv_api)
    return api is not None and api.fetch(pins)
