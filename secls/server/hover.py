"""Hover: the docs of the rules whose findings cover a position."""

from __future__ import annotations

from collections.abc import Iterable

from secls.analysis import Finding


def covers(finding: Finding, line: int, column: int) -> bool:
    """Whether a finding's range holds a 0-based line and code-point column (ends inclusive)."""
    start = (finding.line - 1, finding.column)
    end = (finding.end_line - 1, finding.end_column)
    return start <= (line, column) <= end


def findings_at(findings: Iterable[Finding], line: int, column: int) -> list[Finding]:
    """Findings covering a position, one per code."""
    seen: dict[str, Finding] = {}
    for f in findings:
        if f.code not in seen and covers(f, line, column):
            seen[f.code] = f
    return list(seen.values())


def hover_markdown(findings: Iterable[Finding]) -> str:
    """Markdown for the findings: the message, then the rule's docs."""
    from secls.rules import rule_by_code

    parts = []
    for f in findings:
        rule = rule_by_code(f.code)
        title = f"**{f.code}**" + (f" `{rule.name}` ({rule.category})" if rule else "")
        body = f"{title}: {f.message}"
        details = f.get("details")
        if details:
            body += "\n\n" + details
        if rule is not None:
            body += "\n\n" + rule.docs.strip()
        parts.append(body)
    return "\n\n---\n\n".join(parts)
