"""The engine: parse once, walk once, dispatch every node to the rules that asked for its type."""

from __future__ import annotations

import ast
import warnings
from collections import defaultdict
from collections.abc import Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING

from secls.analysis.resolution import BaseResolver
from secls.analysis.context import ModuleContext
from secls.analysis.findings import AnalysisResult, Finding, Severity
from secls.analysis.scope import iter_own_nodes
from secls.analysis.source import SourceLines
from secls.analysis.suppressions import apply_suppressions
from secls.config import Config

if TYPE_CHECKING:
    from secls.rules.base import Rule

SYNTAX_ERROR_CODE = "E999"
_SCOPES = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def _syntax_error(text: str, exc: BaseException) -> Finding:
    source = SourceLines(text)
    if isinstance(exc, SyntaxError) and exc.lineno:
        line = max(1, min(exc.lineno, len(source.lines)))
        # SyntaxError.offset is 1-based and counts code points for str input.
        col = max(0, min((exc.offset or 1) - 1, len(source.line(line))))
        end = col + 1 if col < len(source.line(line)) else col
        message = f"syntax error: {exc.msg}"
    else:
        line, col, end = 1, 0, len(source.line(1))
        kind = "too deeply nested" if isinstance(exc, (RecursionError, MemoryError)) else str(exc)
        message = f"cannot parse: {kind}"
    return Finding(code=SYNTAX_ERROR_CODE, category="", severity=Severity.ERROR, message=message,
                   line=line, column=col, end_line=line, end_column=end)


def parse(text: str, filename: str = "<unknown>") -> ast.Module:
    """Parse text with `ast`, with warnings (invalid escapes) silenced; raises SyntaxError and friends."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text, filename=filename)


def analyze(text: str, path: str | PurePath | None = None, config: Config | None = None,
            rules: Sequence["Rule"] | None = None, resolver: BaseResolver | None = None) -> AnalysisResult:
    """Analyse one module's text; never raises for bad input, reports a syntax error instead."""
    from secls.rules import enabled_rules
    from secls.rules.suppressions.sec001_unused_suppression import unused_suppressions

    config = config or Config()
    pure_path = PurePath(path) if path is not None else None
    try:
        tree = parse(text, str(pure_path or "<unknown>"))
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return AnalysisResult(syntax_error=_syntax_error(text, exc))

    active = list(rules) if rules is not None else enabled_rules(config)
    dispatch: dict[type[ast.AST], list[Rule]] = defaultdict(list)  # read with [] only for present keys
    by_call_name: dict[str, list[Rule]] = defaultdict(list)
    for rule in active:
        for node_type in rule.nodes:
            if node_type is ast.Call and rule.calls is not None:
                for name in rule.calls:
                    by_call_name[name].append(rule)
                dispatch.setdefault(ast.Call, [])
            else:
                dispatch[node_type].append(rule)

    ctx = ModuleContext(text, tree, pure_path, config, resolver)
    result = AnalysisResult()
    findings: list[Finding] = []

    called_name = ctx.imports.called_name

    def rules_for(node: ast.AST) -> list[Rule]:
        rules = dispatch[type(node)]
        if by_call_name and type(node) is ast.Call:
            name = called_name(node)  # type: ignore[arg-type]
            named = by_call_name.get(name) if name is not None else None
            if named:
                return rules + named
        return rules

    def run(node: ast.AST) -> None:
        for rule in rules_for(node):
            try:
                findings.extend(rule.check(node, ctx))
            except Exception as exc:  # a rule bug must not cost the user the other findings
                result.errors.append(f"internal error in {rule.code} at line "
                                     f"{getattr(node, 'lineno', 1)}: {type(exc).__name__}: {exc}")

    # The context's index already holds every scope's nodes: walk those lists, not the tree again.
    if ast.Module in dispatch:
        run(tree)
    scopes: list[tuple[ast.AST, list[ast.AST]]] = [(tree, [])]
    while scopes:
        scope, stack = scopes.pop()
        ctx.stack = stack
        for node in iter_own_nodes(scope):
            if type(node) in dispatch:
                run(node)
            if isinstance(node, _SCOPES):
                scopes.append((node, stack + [node]))
            elif isinstance(node, ast.Lambda):
                scopes.append((node, stack))

    findings = [f.with_severity(config.severity_for(f.code, f.severity)) for f in findings]
    unique = {(f.code, f.line, f.column, f.end_line, f.end_column): f for f in findings}

    cross_references = {rule.code: rule.cross_references() for rule in active}

    def aliases(code: str) -> tuple[str, ...]:
        return cross_references.get(code, ())

    used: set[tuple[int, str]] = set()
    kept, result.suppressed = apply_suppressions(unique.values(), ctx.source, tree, aliases, used)
    kept += unused_suppressions(ctx, used, active)
    result.findings = sorted(kept, key=Finding.sort_key)
    return result

