"""One input through `analyze()` (every rule on) and through every fix it offers, with each broken promise reported.

Shared by the fuzz tests (tests/fuzz), the corpus fix-invariant test (tests/corpus) and the bench scripts
(bench/fuzz.py, bench/fix_corpus.py), so a failure found by a long run reproduces in a short one.
"""

from __future__ import annotations

import gc
import traceback
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from secls.analysis import analyze
from secls.analysis.findings import Finding
from secls.analysis.source import SourceLines
from secls.config import Config
from secls.fixes.apply import fixed_text
from secls.fixes.invariants import check_fix
from secls.fixes.locate import reuse_parses
from secls.pipeline import GC_THRESHOLD
from secls.rules import ALL_RULES

ALL_CODES = tuple(rule.code for rule in ALL_RULES)
VERSIONS: tuple[tuple[int, int] | None, ...] = (None, (3, 8), (3, 11))


def all_rules_config(target_version: tuple[int, int] | None = None) -> Config:
    """A configuration with every rule on, off-by-default ones included (they are enabled by full code)."""
    return replace(Config(select=ALL_CODES), target_version=target_version)


@dataclass
class Outcome:
    """What one input did: how many findings and fixes were checked, and every problem found."""

    findings: int = 0
    fixes_checked: int = 0
    fixes_declined: int = 0
    checked_by_code: Counter[str] = field(default_factory=Counter)
    syntax_error: bool = False
    problems: list[str] = field(default_factory=list)


def _last_frames(exc: BaseException) -> str:
    """The exception and the innermost frames of its traceback, enough to find the bug."""
    frames = traceback.extract_tb(exc.__traceback__)[-4:]
    where = " <- ".join(f"{f.filename.rsplit('/', 2)[-1]}:{f.lineno} {f.name}" for f in reversed(frames))
    return f"{type(exc).__name__}: {exc} [{where}]"


def _range_problem(source: SourceLines, finding: Finding) -> str | None:
    """A finding whose range is not inside the text would put the editor's cursor nowhere."""
    count = len(source.lines)
    if not (1 <= finding.line <= finding.end_line <= count):
        return f"{finding.code} lines {finding.line}-{finding.end_line} outside 1-{count}"
    if not 0 <= finding.column <= len(source.line(finding.line)):
        return f"{finding.code} column {finding.column} outside line {finding.line}"
    if not 0 <= finding.end_column <= len(source.line(finding.end_line)):
        return f"{finding.code} end column {finding.end_column} outside line {finding.end_line}"
    if finding.line == finding.end_line and finding.end_column < finding.column:
        return f"{finding.code} ends before it starts on line {finding.line}"
    return None


def check_fixes(text: str, path: str, config: Config, findings: list[Finding], outcome: Outcome,
                strict: bool, chosen: Sequence[Finding] | None = None) -> None:
    """Apply each fixable finding's fix alone and check the invariants; `strict`: a declined fix is a problem.

    `findings` is the whole analysis of `text` (with `path` and `config`): each check compares against it.
    `chosen`: the fixable findings to check (default: all of them). The text is parsed by libcst once for
    all its fixes (reuse_parses); each fix starts from the original text.
    """
    with reuse_parses(), _fewer_collections():
        for finding in fixable(findings) if chosen is None else chosen:
            _check_one(text, path, config, findings, finding, outcome, strict)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """The pipeline's GC thresholds while one text's fixes are checked.

    The text's libcst tree (a million nodes for 870 kB) lives through all its fixes, and each fix's analysis
    allocates enough to start a full collection, which walks it again: about 1 s of a fix's 2 s with the
    default thresholds on nova's test_compute_mgr.py.
    """
    old = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def fixable(findings: list[Finding]) -> list[Finding]:
    """The findings that offer a fix, in the analysis's order."""
    return [f for f in findings if f.fix is not None]


def _check_one(text: str, path: str, config: Config, findings: list[Finding], finding: Finding,
               outcome: Outcome, strict: bool) -> None:
    """One finding's fix, applied alone to the original text."""
    try:
        check = check_fix(text, finding, path, config, before=findings)
    except Exception as exc:  # noqa: BLE001 - the harness reports what the invariant checker hit
        outcome.problems.append(f"checking the {finding.code} fix at line {finding.line} raised "
                                f"{_last_frames(exc)}")
        return
    if check.new_text is None:
        try:
            fixed_text(text, finding, config)  # build_fix swallows exceptions: surface them here
        except Exception as exc:  # noqa: BLE001
            outcome.problems.append(f"the {finding.code} fix at line {finding.line} raised {_last_frames(exc)}")
            return
        outcome.fixes_declined += 1
        if strict:
            outcome.problems.append(f"{finding.code} at line {finding.line} is marked fixable but no fix "
                                    "was built")
        return
    outcome.fixes_checked += 1
    outcome.checked_by_code[finding.code] += 1
    outcome.problems.extend(f"{finding.code} fix at line {finding.line}: {p}" for p in check.problems)


def check_text(text: str, path: str, config: Config | None = None, fixes: bool = True,
               strict: bool = False, part: slice | None = None) -> Outcome:
    """Analyse text, check every finding's range and, with `fixes`, every offered fix; never raises.

    `part`: check only that slice of the fixable findings (a long file's fixes split between processes).
    """
    config = config or all_rules_config()
    outcome = Outcome()
    try:
        result = analyze(text, path, config)
    except Exception as exc:  # noqa: BLE001 - exactly what the fuzzer looks for
        outcome.problems.append(f"analyze() raised {_last_frames(exc)}")
        return outcome
    outcome.problems.extend(result.errors)
    source = SourceLines(text)
    if result.syntax_error is not None:
        outcome.syntax_error = True
        problem = _range_problem(source, result.syntax_error)
        if problem:
            outcome.problems.append(problem)
        return outcome
    outcome.findings = len(result.findings)
    for finding in result.findings:
        problem = _range_problem(source, finding)
        if problem:
            outcome.problems.append(problem)
    if fixes:
        chosen = None if part is None else fixable(result.findings)[part]
        check_fixes(text, path, config, result.findings, outcome, strict, chosen)
    return outcome
