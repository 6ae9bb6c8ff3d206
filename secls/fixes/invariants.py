"""The fix invariants, as a checker usable by tests and corpus runs: what a quick fix must never break."""

from __future__ import annotations

import ast
import difflib
import functools
import re
from collections import deque
from dataclasses import dataclass, field

from secls.analysis import analyze
from secls.analysis.engine import parse as parse_ast
from secls.analysis.findings import Finding
from secls.analysis.guards import BOM
from secls.analysis.source import line_break_kinds
from secls.config import Config
from secls.fixes import build_fix
from secls.fixes.locate import taken_tree

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_IMPORT_LINE = re.compile(r"^\s*(import|from)\s")
_MARGIN = 2


@dataclass
class FixCheck:
    """The outcome of applying one finding's fix: the new text and every invariant it broke."""

    new_text: str | None
    problems: list[str] = field(default_factory=list)


@functools.lru_cache(maxsize=2)
def _tree(text: str) -> ast.Module:
    """The text's ast, parsed once for all the fixes checked on it (read, never changed)."""
    return _parse(text)


def _parse(text: str) -> ast.Module:
    """Parse as the analysis does: a byte order mark at the start is no part of the code."""
    return parse_ast(text[len(BOM):] if text.startswith(BOM) else text)


def _window(text: str, finding: Finding) -> tuple[int, int]:
    """Old lines a fix may touch: the finding's statement (its function for SEC306/SEC307, the function up to
    it for SEC308), with a margin."""
    try:
        tree = _tree(text)
    except SyntaxError:
        return finding.line - _MARGIN, finding.end_line + _MARGIN
    start, end = finding.line, finding.end_line
    whole_function = finding.code in ("SEC306", "SEC307")
    for node in _walk_at(tree, finding.line):
        if not isinstance(node, ast.stmt) or node.end_lineno is None:
            continue
        if node.lineno <= finding.line <= node.end_lineno:
            is_function = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            if whole_function and is_function:
                end = max(end, node.end_lineno)
            elif finding.code == "SEC308" and is_function:
                start = node.lineno  # the fix also splits the `start()` that bound the mock, above the cleanup
            elif not is_function and not isinstance(node, ast.ClassDef) and not (
                    hasattr(node, "body") and node.lineno < finding.line):
                end = max(end, node.end_lineno)
    return start - _MARGIN, end + _MARGIN


def _walk_at(tree: ast.AST, line: int) -> list[ast.AST]:
    """ast.walk's nodes, in its order, less the subtrees of nodes whose lines exclude `line` (a statement's
    statements are within its lines, so no statement around `line` is left out)."""
    found: list[ast.AST] = []
    todo = deque([tree])
    while todo:
        node = todo.popleft()
        found.append(node)
        todo.extend(child for child in ast.iter_child_nodes(node)
                    if getattr(child, "end_lineno", None) is None or child.lineno <= line <= child.end_lineno)
    return found


def _line_opcodes(old_lines: list[str], new_lines: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's line opcodes from old to new, the lines both share at the start and the end matched first
    (the diff of 20,000 lines costs more than a fix check's analysis; the edit is a few lines)."""
    limit = min(len(old_lines), len(new_lines))
    head = 0
    while head < limit and old_lines[head] == new_lines[head]:
        head += 1
    tail = 0
    while tail < limit - head and old_lines[-1 - tail] == new_lines[-1 - tail]:
        tail += 1
    old_end, new_end = len(old_lines) - tail, len(new_lines) - tail
    matcher = difflib.SequenceMatcher(None, old_lines[head:old_end], new_lines[head:new_end], autojunk=False)
    opcodes = [("equal", 0, head, 0, head)] if head else []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" and opcodes and opcodes[-1][0] == "equal":
            opcodes[-1] = ("equal", opcodes[-1][1], head + i2, opcodes[-1][3], head + j2)
        else:
            opcodes.append((tag, head + i1, head + i2, head + j1, head + j2))
    if tail:
        if opcodes and opcodes[-1][0] == "equal":
            opcodes[-1] = ("equal", opcodes[-1][1], len(old_lines), opcodes[-1][3], len(new_lines))
        else:
            opcodes.append(("equal", old_end, len(old_lines), new_end, len(new_lines)))
    return opcodes


def check_fix(text: str, finding: Finding, path: str | None = None, config: Config | None = None,
              before: list[Finding] | None = None) -> FixCheck:
    """Apply the finding's fix and report every broken invariant (an empty list: the fix is sound).

    `before`: analyze(text, path, config).findings when the caller has them (checking several fixes of one
    text), so the original is not analysed again for each fix.
    """
    new = build_fix(text, finding, config)
    result = FixCheck(new_text=new)
    problems = result.problems
    if new is None:
        problems.append("no fix was built")
        return result
    tree = taken_tree(new)  # the tree build_fix parsed the text into to check it (inside reuse_parses())
    if tree is None:
        try:
            tree = _parse(new)
        except SyntaxError as exc:
            problems.append(f"the fixed text does not parse: {exc}")
            return result
    old_lines, new_lines = _LINE_BREAK.split(text), _LINE_BREAK.split(new)
    kinds = line_break_kinds(text)
    if kinds and (newline_kinds := line_break_kinds(new) - kinds):
        problems.append(f"the fix introduced other line breaks: {sorted(newline_kinds)!r}")
    forward: dict[int, int] = {}
    changed_old: set[int] = set()
    changed_new: set[int] = set()
    edited_new: set[int] = set()  # changed_new less the imports the fix added
    low, high = _window(text, finding)
    for tag, i1, i2, j1, j2 in _line_opcodes(old_lines, new_lines):
        if tag == "equal":
            forward.update({i1 + k + 1: j1 + k + 1 for k in range(i2 - i1)})
            continue
        changed_old.update(range(i1 + 1, i2 + 1))
        changed_new.update(range(j1 + 1, j2 + 1))
        added = new_lines[j1:j2]
        if tag == "insert" and added and all(_IMPORT_LINE.match(line) for line in added):
            continue  # a missing import, added after the module's imports
        edited_new.update(range(j1 + 1, j2 + 1))
        first, last = (i1 + 1, i2) if tag != "insert" else (i1, i1 + 1)
        if first < low or last > high:
            problems.append(f"the fix changed old lines {first}-{last}, outside {low}-{high}")
    backward = {v: k for k, v in forward.items()}

    if before is None:
        before = analyze(text, path, config).findings
    after = analyze(new, path, config, tree=tree).findings  # the tree is the analysis's from here on
    place = {forward.get(finding.line)} | changed_new
    # Others of the code in the edited lines, about other things (`sha1(data, new("md5"))`), moved with the edit.
    others = {f.message for f in before if f.code == finding.code and f.line in changed_old
              and f.message != finding.message}
    still = [a for a in after if a.code == finding.code and a.line in place and _same_kind(a, finding)
             and a.message not in others]
    alike = [b for b in before if b.code == finding.code and b.line == finding.line and _same_kind(b, finding)]
    if len(still) >= len(alike):  # one fewer: the others alike on the line (`md5(); md5()`) are theirs to fix
        problems += [f"{finding.code} is still reported at line {a.line}: {a.message}" for a in still]
    old_keys = {(f.code, f.line, f.column) for f in before}
    new_keys = {(f.code, f.line, f.column) for f in after}
    for other in before:
        if other is finding or other == finding or other.line not in forward or _resolved_together(finding, other):
            continue
        if (other.code, forward[other.line], other.column) not in new_keys:
            problems.append(f"{other.code} at line {other.line} disappeared: {other.message}")
    codes_in_edit = {f.code for f in before if f.line in changed_old or f.line == finding.line}
    shifted = {(f.code, f.message) for f in before if (f.line in changed_old or f.line == finding.line)
               and f != finding}
    for new_finding in after:
        origin = backward.get(new_finding.line)
        if origin is not None and (new_finding.code, origin, new_finding.column) in old_keys:
            continue
        if new_finding.line in changed_new and new_finding.code in codes_in_edit - {finding.code}:
            continue
        if new_finding.line in changed_new and (new_finding.code, new_finding.message) in shifted:
            continue  # another finding of the edited line, moved along by the edit
        if _unmasked(finding, new_finding, new, min(edited_new, default=finding.line)):
            continue
        problems.append(f"new {new_finding.code} at line {new_finding.line}: {new_finding.message}")

    # Idempotence: the stale finding applied to the fixed text changes nothing, unless another finding of
    # the code now sits at its place (an identical statement moved up by the edit) and is fixed instead.
    moved_in = any((f.code, f.line, f.column) == (finding.code, finding.line, finding.column) for f in after)
    stale = None if moved_in else build_fix(new, finding, config)
    if stale is not None and stale != new:
        problems.append("the fix applied again to the fixed text (stale finding) changed it again")
    return result


def _same_kind(again: Finding, finding: Finding) -> bool:
    """Another finding of the code at the place counts as 'not gone' unless it is about a different thing."""
    return all(again.get(key) == value for key, value in finding.data
               if key in ("kind", "state", "method", "patched", "directive", "codes"))


def _resolved_together(fixed: Finding, other: Finding) -> bool:
    """Fixes that legitimately resolve another finding too.

    A category-1 fix that replaces a sink (eval, yaml.load, an XML parser) resolves the SEC109 flow into it.
    SEC308's fix stops the patcher, which resolves the SEC301 of the same start; a SEC304 fix in setUp
    restores the whole state (patch.dict restores all of os.environ, the chdir cleanup the directory)
    after every test of the class, so the class's other changes of that state are restored too.
    """
    if fixed.code in ("SEC101", "SEC104", "SEC105") and other.code == "SEC109":
        return fixed.line <= other.line <= fixed.end_line  # the fix removed the sink the flow reached
    if fixed.code == "SEC308" and other.code == "SEC301":
        return bool(fixed.get("mock")) and other.get("result") == fixed.get("mock")
    return fixed.code == other.code == "SEC304" and fixed.get("state") == other.get("state") \
        and fixed.get("role") == "setUp"


def _function_span(text: str, line: int) -> tuple[int, int] | None:
    """(first, last) line of the innermost function around a line."""
    span = None
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno is not None \
                and node.lineno <= line <= node.end_lineno:
            if span is None or node.lineno >= span[0]:
                span = (node.lineno, node.end_lineno)
    return span


def _unmasked(fixed: Finding, new_finding: Finding, new_text: str, edited_line: int) -> bool:
    """Findings a fix reveals rather than causes.

    SEC304 reports one change per state and method: fixing it reveals the method's next change. A bare
    `except:` is SEC402's alone; once it reads `except Exception:`, SEC403 judges whether its body swallows.
    """
    if fixed.code == "SEC402" and new_finding.code == "SEC403":
        return new_finding.line == edited_line
    if not (fixed.code == new_finding.code == "SEC304" and new_finding.get("state") == fixed.get("state")):
        return False
    span = _function_span(new_text, edited_line)
    return span is not None and span[0] <= new_finding.line <= span[1]
