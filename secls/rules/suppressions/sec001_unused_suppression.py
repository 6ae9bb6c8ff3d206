"""SEC001 unused-suppression: a `# secls: ignore`, `# nosec` or `# noqa: S...` that suppresses nothing."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING

from secls.analysis.directives import Code, Directive, directives
from secls.analysis.findings import SUPPRESSIONS, Finding, FixRef, Severity
from secls.analysis.source import SourceLines
from secls.analysis.suppressions import ALL
from secls.rules.base import Rule

if TYPE_CHECKING:
    from secls.analysis.context import ModuleContext

DOCS = """\
# SEC001 unused-suppression

## What it finds

A suppression comment, or a code in one, that suppressed no finding in this run:
`# secls: ignore[...]`, bandit's `# nosec` and ruff's `# noqa: S...` for rules secls
implements. A code is judged only when every secls rule it names was enabled in the run, and a
blanket comment (`# secls: ignore`, `# nosec`) only when every rule on by default was.

## Why it matters

A suppression outlives the code it was written for: after a refactor it silently hides the next
real finding on that line. Comments that suppress nothing are noise that reviewers learn to skip.

## Example

```python
data = json.loads(body)  # nosec B301          # SEC001: nothing here is deserialised with pickle
token = make_token()  # secls: ignore[SEC201, SEC605]   # SEC001 when only SEC201 is reported
```

## Fix

Remove the comment, or only the unused codes from its list; other comments on the line
(`# type: ignore`, `# noqa: E501`) stay. Removing a `# secls: ignore` is a safe fix. Removing a
`# nosec` or `# noqa` needs `--unsafe-fixes`: bandit or ruff may still need it, since their
checks are not secls's (ruff's RUF100 is the same check for `noqa`). Keep a comment that another
tool still needs with `# secls: ignore[SEC001]` on the same line.
"""

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_FOREIGN = {"nosec": "bandit", "noqa": "ruff"}


def _visits_nothing(node: ast.AST, ctx: "ModuleContext") -> Iterator[Finding]:
    """SEC001 visits no node: the engine calls `unused_suppressions` once the suppressions are applied."""
    return iter(())


RULE = Rule(
    code="SEC001", name="unused-suppression", category=SUPPRESSIONS, severity=Severity.HINT, docs=DOCS,
    nodes=(), check=_visits_nothing,
    fix_title="Remove the unused suppression",
)


@lru_cache(maxsize=1)
def _owners() -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """Every code a suppression may name -> the rules answering to it; and the rules on by default."""
    from secls.rules import ALL_RULES  # the registry imports this module

    owners: dict[str, set[str]] = {}
    for rule in ALL_RULES:
        for name in (rule.code, *rule.cross_references()):
            owners.setdefault(name.upper(), set()).add(rule.code)
    defaults = frozenset(r.code for r in ALL_RULES if r.enabled_by_default)
    return {k: frozenset(v) for k, v in owners.items()}, defaults


def _judged(kind: str, code: str, enabled: set[str]) -> bool:
    """Whether this run can tell that a code of a directive is unused."""
    owners = _owners()[0].get(code)
    if not owners:
        return kind == "secls"  # a code no secls rule answers to never suppresses anything
    if kind == "noqa" and not code.startswith("S"):
        return False  # ruff's other families (E722, PT011) are ruff's business
    return owners <= enabled


def unused_suppressions(ctx: "ModuleContext", used: set[tuple[int, str]], active: Sequence[Rule]) -> list[Finding]:
    """SEC001 findings for the directives (or codes of them) that dropped no finding; [] when SEC001 is off."""
    enabled = {rule.code for rule in active}
    if RULE.code not in enabled:
        return []
    found = directives(ctx.source, ctx.tree)
    if not found:
        return []
    everything = _owners()[1] <= enabled
    unused: list[tuple[Directive, list[Code]]] = []
    keepers: dict[int, list[tuple[Directive, Code]]] = {}
    for directive in found:
        if directive.blanket:
            if everything and (directive.line, ALL) not in used:
                unused.append((directive, []))
            continue
        codes = []
        for code in directive.codes:
            if code.code == RULE.code:
                keepers.setdefault(directive.line, []).append((directive, code))
            elif (directive.line, code.code) not in used and _judged(directive.kind, code.code, enabled):
                codes.append(code)
        if codes:
            unused.append((directive, codes))
    # `# secls: ignore[SEC001]` keeps the other comments of its line; it is itself unused when there are
    # none, which only a run of every default rule can tell (any of them could have judged one unused).
    kept = [(d, codes) for d, codes in unused if d.line not in keepers]
    for line, entries in keepers.items():
        if everything and not any(d.line == line for d, _ in unused):
            by_directive: dict[Directive, list[Code]] = {}
            for directive, code in entries:
                by_directive.setdefault(directive, []).append(code)
            kept.extend(by_directive.items())
    return [_finding(ctx, directive, codes) for directive, codes in sorted(kept, key=lambda e: e[0].start)]


def _finding(ctx: "ModuleContext", directive: Directive, codes: list[Code]) -> Finding:
    """One SEC001 finding over the directive, carrying its removal as a text edit."""
    source = ctx.source
    text = source.line(directive.line)
    shown = text[directive.start:directive.end].strip()
    whole = not codes or len(codes) == len(directive.codes)
    if whole:
        message = f"`{shown}` suppresses no secls finding on this line"
        edit = _remove_comment(source, directive)
        title = "Remove the unused suppression comment"
    else:
        names = ", ".join(c.code for c in codes)
        message = f"{names} in `{shown}` suppress{'es' if len(codes) == 1 else ''} no secls finding on this line"
        edit = _remove_codes(text, directive, codes)
        title = f"Remove {names} from the suppression comment"
    tool = _FOREIGN.get(directive.kind)
    if tool:
        title += f" ({tool} may still need it)"
    line, column, end_line, end_column, new_text = edit
    old = _text_between(source, line, column, end_line, end_column)
    data = {"directive": directive.kind, "codes": ",".join(c.code for c in codes),
            "fix_line": str(line), "fix_column": str(column), "fix_end_line": str(end_line),
            "fix_end_column": str(end_column), "fix_text": new_text, "fix_old": old}
    severity = ctx.config.severity_for(RULE.code, RULE.severity)
    return Finding(code=RULE.code, category=RULE.category, severity=severity, message=message,
                   line=directive.line, column=directive.start, end_line=directive.line, end_column=directive.end,
                   fix=FixRef(title=title, safe=tool is None), data=tuple(sorted(data.items())))


def _remove_comment(source: SourceLines, directive: Directive) -> tuple[int, int, int, int, str]:
    """(line, col, end_line, end_col, '') deleting the comment, its leading spaces, or its whole line."""
    line = directive.line
    text = source.line(line)
    if directive.comment_end < len(text):  # another comment follows: it moves to where this one started
        return line, directive.start, line, directive.comment_end, ""
    code = text[:directive.start].rstrip()
    if code:
        return line, len(code), line, len(text), ""
    if line < len(source.lines):  # a comment alone on its line: the line goes, with its line break
        return line, 0, line + 1, 0, ""
    if line > 1:  # the last line, without a break: take the previous line's break instead
        return line - 1, len(source.line(line - 1)), line, len(text), ""
    return line, 0, line, len(text), ""


def _text_between(source: SourceLines, line: int, column: int, end_line: int, end_column: int) -> str:
    """The text of a range that ends on its line or the next (the edit checks it is still there)."""
    if line == end_line:
        return source.line(line)[column:end_column]
    line_break = next(islice(_LINE_BREAK.finditer(source.text), line - 1, None))
    return source.line(line)[column:] + line_break.group() + source.line(end_line)[:end_column]


def _remove_codes(text: str, directive: Directive, codes: Iterable[Code]) -> tuple[int, int, int, int, str]:
    """(line, col, end_line, end_col, new list) rewriting the directive's code list without `codes`."""
    drop = {id(code) for code in codes}
    first = directive.codes[0]
    separator = text[first.end:directive.codes[1].start] if len(directive.codes) > 1 else ", "
    prefix = text[directive.codes_start:first.start]
    kept = [text[c.start:c.end] for c in directive.codes if id(c) not in drop]
    return (directive.line, directive.codes_start, directive.line, directive.codes_end,
            prefix + separator.join(kept))
