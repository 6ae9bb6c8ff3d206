"""Inline suppressions: `# secls: ignore[...]`, bandit's `# nosec [B...]`, ruff's `# noqa: S...`."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Callable, Iterable

from secls.analysis.findings import Finding
from secls.analysis.source import SourceLines

_SECLS = re.compile(r"#\s*secls:\s*ignore(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)
_NOSEC = re.compile(r"#\s*nosec\b:?(?P<codes>(?:[\s,]*[A-Za-z]\d{3}\b)*)", re.IGNORECASE)
_NOQA = re.compile(r"#\s*noqa:\s*(?P<codes>[A-Z]+\d+(?:[\s,]+[A-Z]+\d+)*)", re.IGNORECASE)
MARKER_REGEXES = {"secls": _SECLS, "nosec": _NOSEC, "noqa": _NOQA}
_MARKERS = ("secls:", "nosec", "noqa")

ALL = "*"


def _split(codes: str) -> set[str]:
    return {c.upper() for c in re.split(r"[\s,]+", codes) if c}


def line_suppressions(line: str, strings: tuple[tuple[int, float], ...] = ()) -> set[str]:
    """Codes a line's comment suppresses: secls codes, bandit IDs, ruff codes, or ALL.

    `strings` are the (start, end) code-point spans of string literals on the line; a marker
    that starts inside one is text, not a comment.
    """
    found: set[str] = set()
    if "#" not in line:
        return found

    def real(match: re.Match[str]) -> bool:
        return not any(start <= match.start() < end for start, end in strings)

    for match in filter(real, _SECLS.finditer(line)):
        codes = match.group("codes")
        found |= _split(codes) if codes is not None and codes.strip() else {ALL}
    for match in filter(real, _NOSEC.finditer(line)):
        codes = match.group("codes").strip(" ,:")
        found |= _split(codes) if codes else {ALL}
    for match in filter(real, _NOQA.finditer(line)):
        found |= _split(match.group("codes"))
    return found


def _nodes_on(tree: ast.Module, lines: set[int]) -> Iterator[ast.AST]:
    """The nodes whose line span covers one of `lines` (descending only into those: no full walk)."""
    low, high = min(lines), max(lines)
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        first = getattr(node, "lineno", None)
        if first is not None:
            last = getattr(node, "end_lineno", None) or first
            if last < low or first > high or not any(first <= ln <= last for ln in lines):
                continue
            yield node
        stack.extend(ast.iter_child_nodes(node))


def string_spans(tree: ast.Module, source: SourceLines, lines: set[int]) -> dict[int, tuple[tuple[int, float], ...]]:
    """For each of `lines`, the code-point spans covered by string literals (f-strings included)."""
    spans: dict[int, list[tuple[int, float]]] = {}
    for node in _nodes_on(tree, lines):
        if not (isinstance(node, ast.JoinedStr)
                or (isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)))):
            continue
        first, last = node.lineno, node.end_lineno or node.lineno
        for ln in lines:
            if first <= ln <= last:
                start = source.column(ln, node.col_offset) if ln == first else 0
                end = (source.column(ln, node.end_col_offset) if ln == last and node.end_col_offset is not None
                       else float("inf"))
                spans.setdefault(ln, []).append((start, end))
    return {ln: tuple(v) for ln, v in spans.items()}


def _statement_spans(tree: ast.Module, starts: set[int]) -> dict[int, int]:
    """For statements starting on one of `starts`, the last line of their header or body."""
    spans: dict[int, int] = {}
    for node in _nodes_on(tree, starts):
        if isinstance(node, ast.stmt) and node.lineno in starts:
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
                end = body[0].lineno - 1  # compound statement: its header only
            elif isinstance(node, ast.Match) and node.cases:
                end = node.cases[0].pattern.lineno - 1
            else:
                end = node.end_lineno or node.lineno
            spans[node.lineno] = max(spans.get(node.lineno, 0), end)
    return spans


def candidate_lines(source: SourceLines) -> set[int]:
    """1-based lines that may hold a suppression comment (a cheap text test)."""
    lowered = source.text.lower()  # substring tests: a case-insensitive regex would scan every position
    if not any(marker in lowered for marker in _MARKERS):
        return set()
    return {index for index, line in enumerate(source.lines, start=1)
            if "#" in line and any(m in line.lower() for m in _MARKERS)}


def apply_suppressions(findings: Iterable[Finding], source: SourceLines, tree: ast.Module,
                       aliases: Callable[[str], tuple[str, ...]],
                       used: set[tuple[int, str]] | None = None) -> tuple[list[Finding], int]:
    """Drop findings suppressed on their line or on the first line of their statement.

    `used` collects the (line, code or ALL) of every comment entry that dropped something.
    """
    findings = list(findings)
    if not findings:
        return findings, 0
    candidates = candidate_lines(source)
    strings = string_spans(tree, source, candidates) if candidates else {}
    comments: dict[int, set[str]] = {}
    for index in sorted(candidates):
        codes = line_suppressions(source.line(index), strings.get(index, ()))
        if codes:
            comments[index] = codes
    if not comments:
        return findings, 0
    spans = _statement_spans(tree, set(comments))
    kept: list[Finding] = []
    dropped = 0
    for finding in findings:
        names = {finding.code, *aliases(finding.code)}
        lines = [finding.line] + [start for start, end in spans.items()
                                  if start < finding.line <= end]
        hits = [(ln, code) for ln in lines for code in comments.get(ln, ()) if code == ALL or code in names]
        if hits:
            dropped += 1
            if used is not None:
                used.update(hits)
        else:
            kept.append(finding)
    return kept, dropped
