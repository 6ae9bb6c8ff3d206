"""The engine: parse once, walk once, dispatch every node to the rules that asked for its type."""

from __future__ import annotations

import ast
import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING

from secls.analysis.resolution import BaseResolver
from secls.analysis.context import ModuleContext
from secls.analysis.findings import AnalysisResult, Finding, Severity
from secls.analysis.guards import BOM, after_bom, nul_position, size_notice, too_deep_notice
from secls.analysis.scope import OWN_NODES as _OWN, TreeIndex
from secls.analysis.source import SourceLines
from secls.analysis.suppressions import apply_suppressions
from secls.config import Config

if TYPE_CHECKING:
    from secls.rules.base import Rule

SYNTAX_ERROR_CODE = "E999"


def _syntax_error(text: str, exc: BaseException) -> Finding:
    source = SourceLines(text)
    if isinstance(exc, SyntaxError) and exc.lineno:
        line = max(1, min(exc.lineno, len(source.lines)))
        # SyntaxError.offset is 1-based and counts code points for str input.
        col = max(0, min((exc.offset or 1) - 1, len(source.line(line))))
        end = col + 1 if col < len(source.line(line)) else col
        message = f"syntax error: {exc.msg}"
    elif "\x00" in text:  # Python 3.11 does not say where
        line, col = nul_position(text)
        end, message = col + 1, "syntax error: source code cannot contain NUL bytes (\\x00)"
    else:
        line, col, end = 1, 0, len(source.line(1))
        too_deep = isinstance(exc, (RecursionError, MemoryError))
        kind = "nested too deeply for Python's parser" if too_deep else str(exc)
        message = f"cannot parse: {kind}"
    return Finding(code=SYNTAX_ERROR_CODE, category="", severity=Severity.ERROR, message=message,
                   line=line, column=col, end_line=line, end_column=end)


def _with_keyword_rules(call: ast.Call, node_rules: list["Rule"], by_keyword: dict[str, list["Rule"]]) -> list["Rule"]:
    """The rules for a call plus those that check every call given one of its keyword arguments."""
    extra = [rule for kw in call.keywords if kw.arg in by_keyword for rule in by_keyword[kw.arg]  # type: ignore[index]
             if rule not in node_rules]
    return node_rules + list(dict.fromkeys(extra)) if extra else node_rules


def parse(text: str, filename: str = "<unknown>") -> ast.Module:
    """Parse text with `ast`, with warnings (invalid escapes) silenced; raises SyntaxError and friends."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text, filename=filename)


def analyze(text: str, path: str | PurePath | None = None, config: Config | None = None,
            rules: Sequence["Rule"] | None = None, resolver: BaseResolver | None = None,
            keep: list[object] | None = None, tree: ast.Module | None = None,
            index: TreeIndex | None = None) -> AnalysisResult:
    """Analyse one module's text; never raises for bad input, reports a syntax error instead.

    `keep` receives the syntax tree, so that the caller frees it when it likes (the server: after
    publishing; freeing a large module's tree takes milliseconds). `tree`, when given, is `parse(text)`
    done by the caller (who asked it other questions too): it is analysed instead of parsing again;
    `index`, given only with `tree`, is `index_tree(tree)`.
    """
    from secls.rules import enabled_rules
    from secls.rules.suppressions.sec001_unused_suppression import unused_suppressions

    config = config or Config()
    if (notice := size_notice(text, config)) is not None:
        return AnalysisResult(findings=[notice])
    if text.startswith(BOM):  # a buffer can hold one; Python rejects it in a str, the editor counts it
        return after_bom(analyze(text[1:], path, config, rules, resolver, keep))
    pure_path = PurePath(path) if path is not None else None
    try:
        if tree is None:
            tree = parse(text, str(pure_path or "<unknown>"))
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return AnalysisResult(syntax_error=_syntax_error(text, exc))

    active = list(rules) if rules is not None else enabled_rules(config)
    dispatch: dict[type[ast.AST], list[Rule]] = defaultdict(list)
    by_call_name: dict[str, list[Rule]] = defaultdict(list)
    by_keyword: dict[str, list[Rule]] = defaultdict(list)
    for rule in active:
        for node_type in rule.nodes:
            if node_type is ast.Call and rule.calls is not None:
                for name in rule.calls:
                    by_call_name[name].append(rule)
                for keyword in rule.call_keywords:
                    by_keyword[keyword].append(rule)
                dispatch.setdefault(ast.Call, [])  # calls are visited, for the named rules at least
            else:
                dispatch[node_type].append(rule)
    call_rules = dispatch.get(ast.Call, [])
    literal_rules = dispatch.get(ast.Constant, [])
    min_string = min((r.min_string or 0 for r in literal_rules), default=0)  # 0: some rule reads every literal
    # The rules for a call named `name`: every-call rules, then the named ones (merged once per name).
    rules_by_name = {name: call_rules + named for name, named in by_call_name.items()}

    ctx = ModuleContext(text, tree, pure_path, config, resolver, index)
    if keep is not None:
        keep.append(tree)
    result = AnalysisResult()
    findings: list[Finding] = []

    too_deep: dict[str, tuple[int, int]] = {}  # rule code -> lines of the node it recursed too deep in

    # The context's index already holds every scope's nodes: walk those lists, not the tree again. The
    # rules are called inline, not through a helper: this loop runs once per node of interest.
    index, called_name, Call, Constant, rules_for = ctx.index, ctx.imports.called_name, ast.Call, ast.Constant, \
        dispatch.get

    def scopes() -> Iterator[tuple[list[ast.AST], Iterable[ast.AST]]]:
        """(enclosing scopes, nodes) to dispatch: the module itself, then each scope's own nodes from the index."""
        yield [], (tree,)
        for scope, _ in index.owners.values():
            own: list[ast.AST] = getattr(scope, _OWN)
            yield index.stack_of(own), own

    for ctx.stack, nodes in scopes():
        for node in nodes:
            node_type = type(node)
            node_rules = rules_for(node_type)
            if node_rules is None:
                continue
            if node_type is Call:
                if rules_by_name:
                    node_rules = rules_by_name.get(called_name(node) or "", node_rules)  # type: ignore[arg-type]
                if by_keyword and node.keywords:  # type: ignore[attr-defined]
                    node_rules = _with_keyword_rules(node, node_rules, by_keyword)  # type: ignore[arg-type]
            elif node_type is Constant and min_string and (
                    type(value := node.value) is not str or len(value) < min_string):  # type: ignore[attr-defined]
                continue
            for rule in node_rules:
                if too_deep and (failed := too_deep.get(rule.code)) is not None \
                        and failed[0] <= getattr(node, "lineno", 0) <= failed[1]:
                    continue  # inside the node it failed on: it would fail again, slowly
                try:
                    found = rule.check(node, ctx)
                    if found:  # most checks return (): nothing to add
                        findings.extend(found)
                except RecursionError:
                    line = getattr(node, "lineno", 1)
                    too_deep[rule.code] = (line, getattr(node, "end_lineno", None) or line)
                except Exception as exc:  # a rule bug must not cost the user the other findings
                    result.errors.append(f"internal error in {rule.code} at line "
                                         f"{getattr(node, 'lineno', 1)}: {type(exc).__name__}: {exc}")

    findings = [f.with_severity(config.severity_for(f.code, f.severity)) for f in findings]
    findings += [too_deep_notice(code, *lines) for code, lines in too_deep.items()]
    unique = {(f.code, f.line, f.column, f.end_line, f.end_column): f for f in findings}

    cross_references = {rule.code: rule.cross_references() for rule in active}

    def aliases(code: str) -> tuple[str, ...]:
        return cross_references.get(code, ())

    used: set[tuple[int, str]] = set()
    kept, result.suppressed = apply_suppressions(unique.values(), ctx.source, tree, aliases, used)
    kept += unused_suppressions(ctx, used, active)
    result.findings = sorted(kept, key=Finding.sort_key)
    return result

