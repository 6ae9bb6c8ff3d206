"""Code actions: list them cheaply from findings; build the libcst fix only when one is chosen."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from lsprotocol import types

from secls.analysis import SYNTAX_ERROR_CODE, Finding
from secls.config import Config
from secls.server.convert import SOURCE, Columns, to_diagnostic

FIX = "fix"
SUPPRESS = "suppress"

_IGNORE_COMMENT = re.compile(r"#\s*secls:\s*ignore\[(?P<codes>[^\]]*)\]", re.IGNORECASE)

# (start_line0, start_col, end_line0, end_col, new_text) in code points.
Edit = tuple[int, int, int, int, str]


def findings_for_request(findings: Iterable[Finding], first_line: int, last_line: int,
                         diagnostics: Sequence[types.Diagnostic]) -> list[Finding]:
    """Our findings on the requested lines (0-based) or named by one of the client's diagnostics.

    Client diagnostics are matched by code and start line only: their columns may be in another
    unit (Neovim 0.7 sends bytes), so they are never trusted for ranges.
    """
    named = {(str(d.code), d.range.start.line) for d in diagnostics if d.source == SOURCE}
    out = []
    for f in findings:
        if f.code == SYNTAX_ERROR_CODE:
            continue
        overlaps = f.line - 1 <= last_line and f.end_line - 1 >= first_line
        if overlaps or (f.code, f.line - 1) in named:
            out.append(f)
    return out


def wants_quickfix(only: Sequence[str] | None) -> bool:
    """Whether a request's `context.only` admits quickfix actions."""
    if not only:
        return True
    return any(kind == "" or types.CodeActionKind.QuickFix.value.startswith(kind) for kind in only)


def action_data(uri: str, version: int | None, finding: Finding, kind: str) -> dict[str, Any]:
    """What codeAction/resolve needs to find the finding again."""
    return {"uri": uri, "version": version, "code": finding.code, "line": finding.line,
            "column": finding.column, "kind": kind}


def fix_action(finding: Finding, diagnostic: types.Diagnostic, data: dict[str, Any]) -> types.CodeAction:
    """The rule's quick fix, without its edit yet."""
    assert finding.fix is not None
    return types.CodeAction(title=finding.fix.title, kind=types.CodeActionKind.QuickFix,
                            diagnostics=[diagnostic], is_preferred=finding.fix.safe, data=data)


def suppress_action(finding: Finding, diagnostic: types.Diagnostic, data: dict[str, Any]) -> types.CodeAction:
    """'Suppress SECxxx on this line', without its edit yet."""
    return types.CodeAction(title=f"Suppress {finding.code} on this line",
                            kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic], data=data)


def list_actions(findings: Sequence[Finding], uri: str, version: int | None, columns: Columns,
                 config: Config) -> list[types.CodeAction]:
    """Fix and suppression actions for the findings, in that order, without edits."""
    fixes: list[types.CodeAction] = []
    suppressions: list[types.CodeAction] = []
    seen: set[tuple[str, int]] = set()
    for finding in findings:
        diagnostic = to_diagnostic(finding, uri, columns, config)
        if finding.fix is not None:
            fixes.append(fix_action(finding, diagnostic, action_data(uri, version, finding, FIX)))
        if (finding.code, finding.line) not in seen and suppression_edit(columns.lines, finding) is not None:
            seen.add((finding.code, finding.line))
            suppressions.append(suppress_action(finding, diagnostic, action_data(uri, version, finding, SUPPRESS)))
    return fixes + suppressions


def suppression_edit(lines: Sequence[str], finding: Finding) -> Edit | None:
    """Add the code to the line's `# secls: ignore[...]`, or append one; None where a comment cannot go."""
    index = finding.line - 1
    if not 0 <= index < len(lines):
        return None
    text = lines[index]
    match = _IGNORE_COMMENT.search(text)
    if match is not None:
        codes = [c for c in re.split(r"[\s,]+", match.group("codes")) if c]
        if finding.code in (c.upper() for c in codes):
            return None
        new_codes = ", ".join([*codes, finding.code])
        return (index, match.start("codes"), index, match.end("codes"), new_codes)
    stripped = text.rstrip()
    if stripped.endswith("\\"):
        return None  # a comment would break the line continuation
    return (index, len(stripped), index, len(text), f"  # secls: ignore[{finding.code}]")


def fix_edit(text: str, finding: Finding, config: Config) -> Edit | None:
    """The minimal edit of the finding's quick fix (libcst, slow), or None when none applies."""
    if finding.get("fix_text") is not None:
        return data_edit(finding)
    try:
        from secls.fixes import build_fix, minimal_edit
    except ImportError:
        return None
    new_text = build_fix(text, finding, config)
    if new_text is None or new_text == text:
        return None
    return minimal_edit(text, new_text)


def data_edit(finding: Finding) -> Edit | None:
    """The replacement a rule computed (SEC001's removal, SEC502's bump), carried in the finding's data."""
    from secls.fixes.edit import data_edit as edit_in_data

    return edit_in_data(finding)


def workspace_edit(uri: str, version: int | None, edit: Edit, columns: Columns,
                   document_changes: bool) -> types.WorkspaceEdit:
    """One text edit as a WorkspaceEdit (versioned documentChanges when the client supports them)."""
    start_line, start_col, end_line, end_col, new_text = edit
    text_edit = types.TextEdit(range=columns.range_to_client(start_line, start_col, end_line, end_col),
                               new_text=new_text)
    if document_changes:
        return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
            edits=[text_edit])])
    return types.WorkspaceEdit(changes={uri: [text_edit]})


def find_again(findings: Iterable[Finding], data: dict[str, Any]) -> Finding | None:
    """The finding an action was listed for, matched by code and line (column breaks ties)."""
    candidates = [f for f in findings if f.code == data.get("code") and f.line == data.get("line")]
    if not candidates:
        return None
    return min(candidates, key=lambda f: abs(f.column - int(data.get("column") or 0)))
