"""Matching findings against a baseline: which are accepted, which entries no longer match anything."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import PurePath

from secls.analysis.findings import Finding
from secls.baseline.fingerprint import marks
from secls.baseline.model import Baseline, Entry, Key


def split_findings(text: str, path: str | PurePath | None, findings: Sequence[Finding],
                   accepted: Collection[Key]) -> tuple[list[Finding], list[Key]]:
    """The findings the baseline does not accept, and the keys of those it does."""
    codes = {key[0] for key in accepted}
    # Occurrences are counted per rule, so only the findings of rules with entries need marks (and a parse).
    candidates = [f for f in findings if f.code in codes]
    if not candidates:
        return list(findings), []
    hidden: set[int] = set()
    matched: list[Key] = []
    for finding, mark in zip(candidates, marks(text, path, candidates)):
        if mark.key in accepted:
            matched.append(mark.key)
            hidden.add(id(finding))
    return [f for f in findings if id(f) not in hidden], matched


def new_entries(text: str, path: str, findings: Sequence[Finding], reason: str | None = None,
                previous: Baseline | None = None) -> list[Entry]:
    """Baseline entries for a file's findings (`path` relative and posix); a previous reason is kept."""
    out = []
    for finding, mark in zip(findings, marks(text, path, findings)):
        kept = reason if reason is not None else previous.reason_for(path, mark.key) if previous else None
        out.append(Entry(path, mark.code, mark.scope, mark.fingerprint, mark.occurrence, finding.message, kept))
    return out


def stale_entries(baseline: Baseline, matched: Collection[tuple[str, Key]], checked: Collection[str]) -> list[Entry]:
    """Entries of files that were checked which matched no finding."""
    return [e for e in baseline.entries if e.path in checked and (e.path, e.key) not in matched]
