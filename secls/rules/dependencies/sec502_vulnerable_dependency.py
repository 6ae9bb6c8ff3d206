"""SEC502 vulnerable-dependency: a pinned requirement that a known advisory affects."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from secls.analysis.findings import Finding, FixRef, Severity
from secls.rules.base import Rule
from secls.rules.dependencies.common import CATEGORY

if TYPE_CHECKING:  # loaded with the advisory database: a Python file's check never needs them
    from packaging.version import Version

    from secls.deps.model import Entry, Problem
    from secls.deps.osv import AdvisoryDatabase, Match

DOCS = """\
# SEC502 vulnerable-dependency

## What it finds

A requirement pinned with `==`/`===` (or resolved to one version by `pylock.toml`) whose version
an OSV advisory affects, in `requirements*.txt`, `constraints*.txt`, `*.in`, `pyproject.toml`
(`[project]` dependencies and optional dependencies, `[dependency-groups]`, Poetry's tables),
`setup.cfg` or `pylock.toml`. The error sits on the requirement and names the advisory IDs, their
aliases (CVE, GHSA) and the fixed versions; hover shows each advisory's summary and link. A range
that admits affected versions is reported as information. Lines that cannot be read as
requirements are reported as warnings, since they cannot be checked (pip would refuse them too).

Advisories come from an OSV database: a folder of OSV JSON (or PyPA YAML) files, or a zip such
as osv.dev's `PyPI/all.zip`, named by `--advisory-db PATH`, the setting `advisoryDb` /
`[tool.secls] advisory-db`, or `$SECLS_ADVISORY_DB`. Without one, this rule reports only
unreadable lines.

## Why it matters

A known-vulnerable version is the cheapest attack there is: the advisory tells an attacker
what to send. Pins make builds reproducible, and they also freeze the vulnerability in place
until someone bumps them.

## Example

```text
PyYAML==5.3      # SEC502: PYSEC-2020-96 (CVE-2020-1747), fixed in 5.3.1; PYSEC-2021-142 ...
requests>=2.0    # SEC502 (information): admits 2.19.0, affected by PYSEC-2018-28
```

## Fix

Move the pin to the lowest version that fixes every listed advisory (the quick fix does it, and
says so when no single version fixes them all):

```text
PyYAML==5.4
```

Regenerate hashes (`--hash`) and lock files after the bump. Cross-references: CWE-1395, CWE-937.
"""

_MAX_IDS = 6


def _describe(match: Match) -> str:
    aliases = f" ({', '.join(match.advisory.aliases)})" if match.advisory.aliases else ""
    return match.advisory.id + aliases


def hover_details(matches: list[Match]) -> str:
    """Markdown: each advisory's link, aliases, summary and fix."""
    lines = []
    for m in matches:
        fixed = f" Fixed in {m.fixed}." if m.fixed else " No fix known."
        aliases = f" ({', '.join(m.advisory.aliases)})" if m.advisory.aliases else ""
        lines.append(f"- [{m.advisory.id}]({m.advisory.link}){aliases}: {m.advisory.summary}{fixed}")
    return "\n".join(lines)


def finding(entry_span: tuple[int, int, int, int], message: str, severity: Severity,
            fix: FixRef | None = None, data: dict[str, str] | None = None) -> Finding:
    """A SEC502 finding over a range."""
    line, col, end_line, end_col = entry_span
    return Finding(code=RULE.code, category=CATEGORY, severity=severity, message=message, line=line, column=col,
                   end_line=end_line, end_column=end_col, fix=fix, data=tuple(sorted((data or {}).items())))


def _span(entry: Entry) -> tuple[int, int, int, int]:
    s = entry.span
    return s.line, s.column, s.end_line, s.end_column


@dataclass(frozen=True)
class PinReport:
    """What SEC502 says about one package version, whatever line pins it (memoised per database)."""

    summary: str
    target: str | None
    note: str
    details: str


def pin_report(db: AdvisoryDatabase, key: str, version: Version) -> PinReport | None:
    """The advisories of a pinned version in words, the upgrade target and the hover text; None if unaffected."""
    memo_key = ("sec502-pin", key, version)
    if memo_key in db.derived:
        return db.derived[memo_key]  # type: ignore[return-value]
    report = None
    matches = db.matches(key, version)
    if matches:
        shown = "; ".join(_describe(m) + (f" fixed in {m.fixed}" if m.fixed else " not fixed")
                          for m in matches[:_MAX_IDS])
        more = f"; and {len(matches) - _MAX_IDS} more" if len(matches) > _MAX_IDS else ""
        count = f"{len(matches)} known {'advisory' if len(matches) == 1 else 'advisories'}"
        target, note = db.upgrade_target(key, version, {m.advisory.id for m in matches})
        report = PinReport(f"{version} has {count}: {shown}{more}", str(target) if target else None, note,
                           hover_details(matches))
    db.derived[memo_key] = report
    return report


def check_pin(entry: Entry, db: AdvisoryDatabase) -> Iterator[Finding]:
    """An error for a pin (or locked version) that advisories affect, with the bump as its fix."""
    assert entry.pinned is not None
    report = pin_report(db, entry.key, entry.pinned)
    if report is None:
        return
    target, note = report.target, report.note
    message = f"{entry.name} {report.summary}"
    if target is not None:
        message += f"; upgrade to {target}" + (f" ({note})" if note else "")
    else:
        message += f" ({note})"
    data = {"details": report.details}
    fix = None
    if target is not None and entry.version_span is not None and not entry.locked:
        title = f"Upgrade {entry.name} to {target}"
        notes = [note] if note else []
        if entry.hashed:
            notes.append("regenerate the hashes")
        title += f" ({'; '.join(notes)})" if notes else ""
        fix = FixRef(title=title, safe=not notes)
        vs = entry.version_span
        data |= {"fix_line": str(vs.line), "fix_column": str(vs.column), "fix_end_line": str(vs.end_line),
                 "fix_end_column": str(vs.end_column), "fix_text": target}
    elif entry.locked:
        message += "; update the lock file"
    yield finding(_span(entry), message, Severity.ERROR, fix, data)


def check_range(entry: Entry, db: AdvisoryDatabase) -> Iterator[Finding]:
    """Information for a version range that admits a version some advisory affects."""
    if not entry.specifier or entry.key not in db.by_package:
        return
    example, listed = db.range_matches(entry.key, entry.specifier)
    if not listed:
        return
    ids = ", ".join(_describe(m) for m in listed[:_MAX_IDS])
    more = f" and {len(listed) - _MAX_IDS} more" if len(listed) > _MAX_IDS else ""
    from packaging.version import Version

    shown = f" (e.g. {example})" if example is not None and example != Version("0") else ""
    message = (f"{entry.name}{entry.specifier} admits versions{shown} affected by {ids}{more}: "
               "raise the lower bound past the fixed versions")
    yield finding(_span(entry), message, Severity.INFO, data={"details": hover_details(listed)})


def check_problem(problem: Problem) -> Finding:
    """A line that cannot be checked: a warning (info for an unknown pip option)."""
    s = problem.span
    return finding((s.line, s.column, s.end_line, s.end_column), problem.message,
                   Severity.WARNING if problem.warning else Severity.INFO)


def _no_python_check(node: ast.AST, ctx: object) -> Iterator[Finding]:
    """A document rule: nothing to do in Python modules (see secls.deps.analyze)."""
    return iter(())


RULE = Rule(
    code="SEC502", name="vulnerable-dependency", category=CATEGORY, severity=Severity.ERROR,
    docs=DOCS, nodes=(), check=_no_python_check, cwe=("CWE-1395", "CWE-937"),
    fix_title="Upgrade to the fixed version",
)
