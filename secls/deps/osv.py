"""OSV advisories: read from a folder or a zip, indexed by canonical package name, matched by version."""

from __future__ import annotations

import json
import logging
import os
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

log = logging.getLogger(__name__)

OSV_LINK = "https://osv.dev/vulnerability/{id}"


class AdvisoryDbError(Exception):
    """An advisory database that cannot be read; the message says why."""


def _version(text: Any) -> Version | None:
    """A PEP 440 version, or None for anything else (OSV data holds a few invalid ones)."""
    try:
        return Version(str(text))
    except InvalidVersion:
        return None


@lru_cache(maxsize=8192)
def _spellings(version: Version) -> frozenset[str]:
    """Texts of a version that PEP 440 treats as equal to it: `1.2` is `1.2.0` is `1.2.0.0`."""
    text = str(version)
    if version.pre or version.post is not None or version.dev is not None or version.local or version.epoch:
        return frozenset((text,))
    release = list(version.release)
    while len(release) > 1 and release[-1] == 0:
        release.pop()
    return frozenset([".".join(map(str, release + [0] * pad)) for pad in range(4)] + [text])


# Event order at one version: an introduction before a fix of the same version.
_RANK = {"introduced": 0, "fixed": 1, "last_affected": 1}


@dataclass(frozen=True)
class Range:
    """One ECOSYSTEM range: its events sorted by version (introduced `0` first)."""

    events: tuple[tuple[Version, str], ...]
    open_start: bool

    def affects(self, version: Version) -> bool:
        """Whether the version falls inside the range (OSV's event walk)."""
        affected = self.open_start
        for at, kind in self.events:
            if kind == "introduced":
                if version >= at:
                    affected = True
                else:
                    break
            elif kind == "fixed":
                if version >= at:
                    affected = False
                else:
                    break
            elif version > at:  # last_affected
                affected = False
            else:
                break
        return affected

    def fix_after(self, version: Version) -> Version | None:
        """The first fixed version above `version` in this range."""
        return next((at for at, kind in self.events if kind == "fixed" and at > version), None)

    @property
    def fixes(self) -> list[Version]:
        """Every fixed version of the range."""
        return [at for at, kind in self.events if kind == "fixed"]


def _range(raw: dict[str, Any]) -> Range | None:
    open_start = False
    events: list[tuple[Version, str]] = []
    for event in raw.get("events", ()) or ():
        if not isinstance(event, dict):
            continue
        for kind in ("introduced", "fixed", "last_affected"):
            if kind in event:
                if kind == "introduced" and str(event[kind]) == "0":
                    open_start = True
                    continue
                version = _version(event[kind])
                if version is not None:
                    events.append((version, kind))
    if not open_start and not events:
        return None
    events.sort(key=lambda e: (e[0], _RANK[e[1]]))
    return Range(tuple(events), open_start)


@dataclass
class Affected:
    """What an advisory says about one package: ECOSYSTEM ranges and explicit versions (compiled lazily)."""

    raw: dict[str, Any]

    @cached_property
    def ranges(self) -> tuple[Range, ...]:
        """The ECOSYSTEM (and SEMVER) ranges; GIT ranges are covered by the explicit versions."""
        out = []
        for raw in self.raw.get("ranges", ()) or ():
            if isinstance(raw, dict) and raw.get("type") in ("ECOSYSTEM", "SEMVER"):
                parsed = _range(raw)
                if parsed is not None:
                    out.append(parsed)
        return tuple(out)

    @cached_property
    def versions(self) -> frozenset[Version]:
        """The explicitly listed affected versions, parsed (slow: lists hold hundreds; needed only where no range is)."""
        return frozenset(v for v in map(_version, self.raw.get("versions", ()) or ()) if v is not None)

    @cached_property
    def _listed(self) -> frozenset[str]:
        # Parsing every listed version costs ~2 s over the PyPA data: compare the text instead,
        # trying the spellings PEP 440 equates (`1.2` and `1.2.0`).
        listed = self.raw.get("versions", ()) or ()
        return frozenset(v if isinstance(v, str) else str(v) for v in listed)

    def affects(self, version: Version) -> bool:
        """Whether this version is affected: in a range, or listed (PEP 440 equality)."""
        if any(r.affects(version) for r in self.ranges):
            return True
        return bool(self._listed) and not self._listed.isdisjoint(_spellings(version))

    def fix_after(self, version: Version) -> Version | None:
        """The lowest fixed version above `version` in a range that affects it."""
        fixes = [f for r in self.ranges if r.affects(version) for f in [r.fix_after(version)] if f is not None]
        return min(fixes, default=None)


@dataclass
class Advisory:
    """One OSV advisory."""

    id: str
    aliases: tuple[str, ...]
    summary: str
    link: str

    @staticmethod
    def from_osv(data: dict[str, Any]) -> "Advisory":
        """Read the fields secls shows."""
        summary = str(data.get("summary") or "").strip()
        if not summary:
            details = " ".join(str(data.get("details") or "").split())
            summary = details if len(details) <= 240 else details[:237].rstrip() + "..."
        ident = str(data.get("id", "?"))
        return Advisory(ident, tuple(str(a) for a in data.get("aliases", ()) or ()), summary,
                        OSV_LINK.format(id=ident))


@dataclass
class Match:
    """An advisory that affects a version, and the lowest version that fixes it (if any)."""

    advisory: Advisory
    fixed: Version | None


@dataclass
class AdvisoryDatabase:
    """Advisories by canonical package name."""

    source: str
    by_package: dict[str, list[tuple[Advisory, Affected]]] = field(default_factory=lambda: defaultdict(list))
    count: int = 0
    notes: list[str] = field(default_factory=list)
    _memo: dict[tuple[str, Version], list[Match]] = field(default_factory=dict, repr=False)
    derived: dict[tuple[object, ...], object] = field(default_factory=dict, repr=False)
    """Memo of answers derived from the advisories (by rules too): the database never changes once loaded."""

    def add(self, data: dict[str, Any]) -> None:
        """Index one advisory under each PyPI package it affects."""
        self.count += 1
        if data.get("withdrawn"):
            return
        advisory: Advisory | None = None
        for affected in data.get("affected", ()) or ():
            package = affected.get("package") if isinstance(affected, dict) else None
            if not isinstance(package, dict) or package.get("ecosystem", "PyPI") != "PyPI" or not package.get("name"):
                continue
            advisory = advisory or Advisory.from_osv(data)
            self.by_package[canonicalize_name(str(package["name"]))].append((advisory, Affected(affected)))

    def warm(self) -> None:
        """Compile every range now (about 0.3 s for the PyPA data), so that no check pays for it later."""
        for entries in list(self.by_package.values()):
            for _, affected in entries:
                affected.ranges  # noqa: B018 - a cached property, computed for its side effect
                affected._listed  # noqa: B018

    def matches(self, key: str, version: Version) -> list[Match]:
        """The advisories affecting a package at a version, by ID (memoised: editors ask again and again)."""
        memo = self._memo.get((key, version))
        if memo is not None:
            return memo
        found: dict[str, Match] = {}
        for advisory, affected in self.by_package.get(key, ()):
            if affected.affects(version):
                fixed = affected.fix_after(version)
                known = found.get(advisory.id)
                if known is None or (fixed is not None and (known.fixed is None or fixed > known.fixed)):
                    found[advisory.id] = Match(advisory, fixed)
        result = sorted(found.values(), key=lambda m: m.advisory.id)
        self._memo[(key, version)] = result
        return result

    def known_versions(self, key: str) -> set[Version]:
        """Versions the advisories of a package mention: range events, and listed versions where no range is."""
        out: set[Version] = set()
        for _, affected in self.by_package.get(key, ()):
            if not affected.ranges:
                out |= affected.versions
            for r in affected.ranges:
                out |= {at for at, _ in r.events}
        return out

    def range_matches(self, key: str, specifier: SpecifierSet) -> tuple[Version | None, list[Match]]:
        """Advisories affecting some version a range admits, and the lowest such version (memoised).

        The versions tried are those the advisories and the specifier name, and `0` for open starts:
        an affected interval that the range overlaps always holds one of them.
        """
        memo_key = ("range", key, str(specifier))
        if memo_key in self.derived:
            return self.derived[memo_key]  # type: ignore[return-value]
        candidates = self.known_versions(key) | {Version("0")}
        for spec in specifier:
            version = _version(spec.version.removesuffix(".*"))
            if version is not None:
                candidates.add(version)
        admitted = sorted(v for v in candidates if specifier.contains(v, prereleases=True))
        found: dict[str, Match] = {}
        example: Version | None = None
        for advisory, affected in self.by_package.get(key, ()):
            hit = next((v for v in admitted if affected.affects(v)), None)
            if hit is not None:
                example = hit if example is None else min(example, hit)
                found.setdefault(advisory.id, Match(advisory, affected.fix_after(hit)))
        result = (example, sorted(found.values(), key=lambda m: m.advisory.id))
        self.derived[memo_key] = result
        return result

    def upgrade_target(self, key: str, version: Version, ids: set[str]) -> tuple[Version | None, str]:
        """The lowest fixed version above `version` that no advisory affects, and a note when there is none.

        Without such a version: the lowest one free of the advisories `ids`, noting what still affects it;
        failing that, the highest fixed version, noting that none fixes every advisory.
        """
        memo_key = ("upgrade", key, version, frozenset(ids))
        if memo_key in self.derived:
            return self.derived[memo_key]  # type: ignore[return-value]
        result = self._upgrade_target(key, version, ids)
        self.derived[memo_key] = result
        return result

    def _upgrade_target(self, key: str, version: Version, ids: set[str]) -> tuple[Version | None, str]:
        candidates = sorted({f for _, a in self.by_package.get(key, ()) for r in a.ranges for f in r.fixes
                             if f > version})
        if not candidates:
            return None, "no fixed version is known"
        for candidate in candidates:
            if not self.matches(key, candidate):
                return candidate, ""
        for candidate in candidates:
            remaining = [m.advisory.id for m in self.matches(key, candidate)]
            if not set(remaining) & ids:
                return candidate, f"still affected by {', '.join(remaining)}"
        return candidates[-1], "no version fixes every listed advisory"


def _iter_zip(path: str) -> Iterator[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.filename.endswith((".json", ".yaml", ".yml")) and not info.is_dir():
                yield info.filename, archive.read(info)


def _iter_folder(path: str) -> Iterator[tuple[str, bytes]]:
    for folder, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".json", ".yaml", ".yml")):
                with open(os.path.join(folder, name), "rb") as handle:
                    yield os.path.join(folder, name), handle.read()


def load_database(path: str) -> AdvisoryDatabase:
    """Read every advisory of a folder or zip; raises AdvisoryDbError when the path cannot be read."""
    if os.path.isdir(path):
        items = _iter_folder(path)
    elif zipfile.is_zipfile(path):
        items = _iter_zip(path)
    elif os.path.exists(path):
        raise AdvisoryDbError(f"{path}: not a folder or a zip of OSV advisories")
    else:
        raise AdvisoryDbError(f"{path}: no such advisory database")
    db = AdvisoryDatabase(path)
    yaml_load: Any = None
    skipped_yaml = 0
    try:
        for name, data in items:
            if name.endswith(".json"):
                loader: Any = json.loads
            else:
                if yaml_load is None:
                    try:
                        import yaml
                        yaml_load = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
                    except ImportError:
                        yaml_load = False
                if yaml_load is False:
                    skipped_yaml += 1
                    continue
                import yaml
                loader = lambda raw: yaml.load(raw, Loader=yaml_load)  # noqa: E731 - safe loader
            try:
                advisory = loader(data)
            except Exception as exc:  # one bad file must not cost the others
                db.notes.append(f"{name}: cannot read: {exc}")
                continue
            if isinstance(advisory, dict):
                db.add(advisory)
    except (OSError, zipfile.BadZipFile) as exc:
        raise AdvisoryDbError(f"{path}: cannot read: {exc}") from None
    if skipped_yaml:
        db.notes.append(f"{path}: {skipped_yaml} YAML advisories skipped (install PyYAML to read them)")
    return db


def combined(first: AdvisoryDatabase | None, second: AdvisoryDatabase | None) -> AdvisoryDatabase | None:
    """One database answering for both (advisories in both count once, by ID)."""
    if first is None or second is None or not second.by_package:
        return first if first is not None else second
    if not first.by_package:
        return second
    merged = AdvisoryDatabase(f"{first.source} + {second.source}", count=first.count + second.count)
    for key in first.by_package.keys() | second.by_package.keys():
        merged.by_package[key] = first.by_package.get(key, []) + second.by_package.get(key, [])
    return merged
