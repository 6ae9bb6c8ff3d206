"""Apply every chosen fix of one text: non-overlapping edits together, re-analysed until nothing changes."""

from __future__ import annotations

import ast
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from secls.analysis.findings import AnalysisResult, Finding
from secls.config import Config
from secls.fixes import build_fix
from secls.fixes.edit import minimal_span

MAX_ROUNDS = 10
# Fixes that resolve another finding of the same code too go first: SEC308's fix stops the patcher,
# which is SEC301's fix as well; fixing SEC301 first would leave SEC308 adding a second cleanup.
_FIRST = frozenset({"SEC308"})
Span = tuple[int, int, str]


@dataclass
class BatchFix:
    """The outcome for one text: the fixed text, how many fixes went in, and the final analysis."""

    text: str
    applied: int
    result: AnalysisResult
    rounds: int

    def remaining(self, unsafe: bool) -> tuple[int, int]:
        """(fixable findings left that this run could apply, findings left whose fix changes behaviour)."""
        fixable = [f for f in self.result.findings if f.fix is not None]
        safe = sum(1 for f in fixable if f.fix is not None and f.fix.safe)
        return (len(fixable) if unsafe else safe), (0 if unsafe else len(fixable) - safe)


def parses(text: str) -> bool:
    """Whether Python can parse the text."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def wanted(finding: Finding, unsafe: bool) -> bool:
    """Whether a finding has a fix this run applies (safe ones; the others with `unsafe`)."""
    return finding.fix is not None and (finding.fix.safe or unsafe)


def fix_all(text: str, analyse: Callable[[str], AnalysisResult], config: Config | None, unsafe: bool,
            max_rounds: int = MAX_ROUNDS) -> BatchFix:
    """Fix a text in rounds; each round applies the fixes whose edits do not overlap, then analyses again.

    Each fix's text parses on its own (build_fix checks it); a round's combination is parsed too, and
    falls back to one fix at a time if it does not, so the result always parses when the input did.
    """
    result = analyse(text)
    applied = rounds = 0
    while rounds < max_rounds and result.syntax_error is None:
        spans = _round_spans(text, [f for f in result.findings if wanted(f, unsafe)], config)
        if not spans:
            break
        new_text, count = _apply(text, spans)
        if count == 0 or new_text == text:
            break
        rounds += 1
        applied += count
        text = new_text
        result = analyse(text)
    return BatchFix(text=text, applied=applied, result=result, rounds=rounds)


def _round_spans(text: str, findings: list[Finding], config: Config | None) -> list[Span]:
    """The edits of one round, as (start, end, replacement) offsets that neither overlap nor touch."""
    chosen: list[Span] = []
    for finding in sorted(findings, key=lambda f: f.code not in _FIRST):
        new = build_fix(text, finding, config)
        if new is None or new == text:
            continue
        start, end, replacement = minimal_span(text, new)
        # Touching edits are deferred too: two insertions at one place have no defined order.
        if all(end < other_start or start > other_end for other_start, other_end, _ in chosen):
            chosen.append((start, end, replacement))
    return chosen


def _splice(text: str, spans: list[Span]) -> str:
    """Make non-overlapping edits, last first, so earlier offsets stay valid."""
    for start, end, replacement in sorted(spans, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _apply(text: str, spans: list[Span]) -> tuple[str, int]:
    """The text with the round's edits made and how many went in; an edit that breaks parsing is left out."""
    together = _splice(text, spans)
    if parses(together):
        return together, len(spans)
    kept: list[Span] = []
    for span in spans:
        if parses(_splice(text, kept + [span])):
            kept.append(span)
    return _splice(text, kept), len(kept)
