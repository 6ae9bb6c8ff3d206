"""What a module needs answered from outside: base classes not defined here, and patch targets."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from secls.analysis.engine import parse
from secls.analysis.frameworks import NEUTRAL_BASES, known_base
from secls.analysis.imports import ImportMap
from secls.analysis.global_state import local_names
from secls.analysis.scope import TreeIndex, dotted, index_tree
from secls.analysis.patch_targets import patch_target_of
from secls.analysis.source import SourceLines

@dataclass(frozen=True)
class BaseQuestion:
    """A base class expression: where its last name is (1-based line, code-point column) and its qualname."""

    line: int
    column: int
    qualname: str | None


@dataclass
class Questions:
    """Base expressions not answerable here, and dotted patch targets."""

    bases: dict[str, BaseQuestion] = field(default_factory=dict)
    targets: set[str] = field(default_factory=set)


def base_question(base: ast.expr, imports: ImportMap, source: SourceLines | None) -> BaseQuestion:
    """The question to ask about one base expression (`source` None: an all-ASCII text, whose byte offsets
    are columns)."""
    line = base.end_lineno or base.lineno
    offset = base.end_col_offset or 1
    column = offset if source is None else source.column(line, offset)
    return BaseQuestion(line, max(0, column - 1), imports.qualname(base))


def column_source(text: str) -> SourceLines | None:
    """What `base_question` needs to turn a text's byte offsets into columns: nothing when it is all ASCII."""
    return None if text.isascii() else SourceLines(text)


def parse_or_none(text: str) -> ast.Module | None:
    """A module's tree, or None when it does not parse (the analysis then reports why)."""
    try:
        return parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def collect_questions(text: str, tree: ast.Module | None = None, index: TreeIndex | None = None) -> Questions:
    """List what only another file can answer (never raises on bad input).

    `tree` is `parse(text)` when the caller has it already (None: parsed here; unparsable: no questions),
    and `index` its `index_tree(tree)`, which the analysis of the same tree can use too.
    """
    questions = Questions()
    if tree is None:
        tree = parse_or_none(text)
        if tree is None:
            return questions
        index = None
    if index is None:
        index = index_tree(tree)
    classes = index.classes
    imports = ImportMap.from_statements(index.imports)
    local = {n.name for n in classes}
    asked: list[tuple[str, ast.expr]] = []
    for node in classes:
        for base in node.bases:
            spelled = dotted(base)
            if spelled is None or spelled in local or spelled in NEUTRAL_BASES:
                continue
            qual = imports.qualname(base)
            if qual in NEUTRAL_BASES or known_base(qual) is not None:
                continue
            asked.append((spelled, base))
    if asked:
        source = column_source(text)
        for spelled, base in asked:
            questions.bases[spelled] = base_question(base, imports, source)
    shadowed_in: dict[int, frozenset[str]] = {}  # a function's local names, found when a target needs them
    owners = index.owners
    for call, own in index.calls:
        # Local names can only veto a target: ask without them first (most calls name none).
        target = patch_target_of(call, imports)
        if not target:
            continue
        scope = owners[id(own)][0]
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            shadowed = shadowed_in.get(id(scope))
            if shadowed is None:
                shadowed = shadowed_in[id(scope)] = frozenset(local_names(scope))
            target = patch_target_of(call, imports, shadowed)
        if target:
            questions.targets.add(target)
    return questions
