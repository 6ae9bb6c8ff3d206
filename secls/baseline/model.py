"""The baseline file: accepted findings as a versioned, sorted, diff-friendly JSON document."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FILE_NAME = ".secls-baseline.json"
VERSION = 1
Key = tuple[str, str, int]  # rule code, fingerprint, occurrence


class BaselineError(Exception):
    """A baseline file that cannot be read or is not a secls baseline."""


@dataclass(frozen=True)
class Entry:
    """One accepted finding: where (path relative to the baseline's folder), which rule, which code."""

    path: str
    code: str
    scope: str
    fingerprint: str
    occurrence: int
    message: str = ""
    reason: str | None = None

    @property
    def key(self) -> Key:
        """What a finding's mark must equal to be accepted by this entry."""
        return (self.code, self.fingerprint, self.occurrence)

    def to_dict(self) -> dict[str, Any]:
        """The entry as JSON, keys in a fixed order; no `reason` key without a reason."""
        out: dict[str, Any] = {"path": self.path, "code": self.code, "scope": self.scope,
                               "fingerprint": self.fingerprint, "occurrence": self.occurrence,
                               "message": self.message}
        if self.reason is not None:
            out["reason"] = self.reason
        return out


@dataclass(frozen=True)
class Baseline:
    """The accepted findings of a workspace."""

    entries: tuple[Entry, ...] = ()
    _by_path: dict[str, frozenset[Key]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _reasons: dict[tuple[str, Key], str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_path: dict[str, set[Key]] = {}
        for entry in self.entries:
            by_path.setdefault(entry.path, set()).add(entry.key)
            if entry.reason is not None:
                self._reasons[(entry.path, entry.key)] = entry.reason
        self._by_path.update({path: frozenset(keys) for path, keys in by_path.items()})

    def keys_for(self, path: str) -> frozenset[Key]:
        """The accepted keys of one file (a posix path relative to the baseline's folder)."""
        return self._by_path.get(path, frozenset())

    def reason_for(self, path: str, key: Key) -> str | None:
        """The reason recorded for an entry, if any."""
        return self._reasons.get((path, key))


def dump_baseline(entries: Iterable[Entry]) -> str:
    """The baseline file's text: entries sorted by path, rule, scope, fingerprint and occurrence."""
    ordered = sorted(set(entries), key=lambda e: (e.path, e.code, e.scope, e.fingerprint, e.occurrence))
    data = {"version": VERSION, "entries": [e.to_dict() for e in ordered]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def parse_baseline(text: str) -> Baseline:
    """Read a baseline file's text; raises BaselineError saying what is wrong."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from None
    except RecursionError:
        raise BaselineError("not valid JSON (nested too deeply)") from None
    if not isinstance(data, dict) or "entries" not in data:
        raise BaselineError('not a secls baseline (expected an object with "version" and "entries")')
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise BaselineError(f'"version" must be an integer, not {version!r}')
    if version != VERSION:
        raise BaselineError(f"version {version} is not supported (this secls reads version {VERSION}; "
                            "recreate it with `secls baseline create`)")
    if not isinstance(data["entries"], list):
        raise BaselineError('"entries" must be a list')
    return Baseline(tuple(_entry(index, raw) for index, raw in enumerate(data["entries"])))


def load_baseline(path: str | Path) -> Baseline:
    """Read and parse a baseline file; raises BaselineError (unreadable, undecodable or malformed)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BaselineError(f"cannot read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BaselineError(f"not UTF-8: {exc.reason} at byte {exc.start}") from None
    return parse_baseline(text)


def _entry(index: int, raw: Any) -> Entry:
    if not isinstance(raw, dict):
        raise BaselineError(f"entry {index + 1}: expected an object, not {type(raw).__name__}")
    values: dict[str, Any] = {}
    for name, required in (("path", True), ("code", True), ("fingerprint", True), ("scope", False),
                           ("message", False)):
        value = raw.get(name, None if required else "")
        if not isinstance(value, str) or (required and not value):
            raise BaselineError(f'entry {index + 1}: "{name}" must be a non-empty string' if required
                                else f'entry {index + 1}: "{name}" must be a string')
        values[name] = value
    occurrence = raw.get("occurrence", 0)
    if not isinstance(occurrence, int) or isinstance(occurrence, bool) or occurrence < 0:
        raise BaselineError(f'entry {index + 1}: "occurrence" must be a whole number ≥ 0, not {occurrence!r}')
    reason = raw.get("reason")
    if reason is not None and not isinstance(reason, str):
        raise BaselineError(f'entry {index + 1}: "reason" must be a string')
    return Entry(occurrence=occurrence, reason=reason, **values)
