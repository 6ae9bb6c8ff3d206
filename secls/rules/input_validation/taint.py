"""Request data followed through a function's assignments (intra-procedural, in source order)."""

from __future__ import annotations

import ast
import re
import weakref
from dataclasses import dataclass, field

from secls.analysis.context import ModuleContext
from secls.analysis.scope import iter_own_nodes
from secls.rules.input_validation.common import current_scope, short_name

# Text that any source needs: flask's request comes with an import of flask; Django's with its attributes.
# Separate patterns, each starting with a literal, so that `re` can skip ahead instead of trying
# every position (one alternation of `\b...` patterns cost as much as the rest of a module's rules).
_MENTIONS = tuple(re.compile(p) for p in (
    r"flask\b", r"request\.(?:GET|POST|body|COOKIES|FILES|META|headers|data|query_params|content_params|REQUEST)\b",
    r"argv\b", r"input\s*\("))
DJANGO_ATTRIBUTES = frozenset({"GET", "POST", "body", "COOKIES", "FILES", "META", "headers", "data",
                               "query_params", "content_params", "REQUEST"})
SANITISERS = frozenset({
    "int", "float", "bool", "len", "ord", "hash", "shlex.quote", "pipes.quote", "os.path.basename",
    "posixpath.basename", "ntpath.basename", "werkzeug.utils.secure_filename", "html.escape",
    "markupsafe.escape", "uuid.UUID", "ipaddress.ip_address",
})
# Calls whose result carries the taint of their arguments.
_PROPAGATORS = frozenset({"str", "bytes", "os.path.join", "os.path.normpath", "os.path.abspath",
                          "urllib.parse.unquote", "base64.b64decode", "bytes.decode"})
_ATTR = "_secls_taint"
_MAX_DEPTH = 100  # nesting (other than `+` chains) deeper than this is not followed: Python's stack is not deep

Position = tuple[int, int]


@dataclass(frozen=True)
class Step:
    """One step of a flow: the node and what happens there."""

    node: ast.AST
    message: str


@dataclass
class FunctionTaint:
    """For each local name, its taint after each binding, in source order."""

    ctx: ModuleContext
    history: dict[str, list[tuple[Position, tuple[Step, ...] | None]]] = field(default_factory=dict)

    def name_at(self, name: str, at: Position) -> tuple[Step, ...] | None:
        """The flow that reaches a name read at a position, if it holds request data there."""
        steps = None
        for position, value in self.history.get(name, ()):
            if position > at:
                break
            steps = value
        return steps

    def of(self, node: ast.AST | None, at: Position | None = None, depth: int = 0) -> tuple[Step, ...] | None:
        """The flow from request data into an expression, or None when it holds none."""
        if node is None or depth > _MAX_DEPTH:
            return None
        if at is None:
            at = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
        source = source_description(node, self.ctx)
        if source:
            return (Step(node, f"request data: {source}"),)
        if isinstance(node, ast.Name):
            return self.name_at(node.id, at) if node.id in self.history else None
        if isinstance(node, ast.Call):
            name = self.ctx.call_name(node)
            if name in SANITISERS or short_name(node) in ("quote", "basename", "secure_filename", "escape"):
                return None
            if isinstance(node.func, ast.Attribute) and name not in _PROPAGATORS:
                if node.func.attr in ("fullmatch", "match", "search", "startswith", "endswith", "isdigit",
                                      "isalnum", "count", "index", "find"):
                    return None
                via = self.of(node.func.value, at, depth + 1)
                if via:
                    return via
                if node.func.attr not in ("format", "join", "replace", "strip", "lower", "upper", "decode",
                                          "encode", "split"):
                    return None
            elif name not in _PROPAGATORS:
                return None
            children: list[ast.AST] = [*node.args, *(k.value for k in node.keywords)]
        elif isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
            children = [node.value]
        elif isinstance(node, ast.FormattedValue):
            children = [node.value]
        elif isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            children = [g.iter for g in node.generators]
        elif isinstance(node, ast.BinOp):
            children = _operands(node)
        elif isinstance(node, (ast.JoinedStr, ast.IfExp, ast.BoolOp, ast.List, ast.Tuple, ast.Set,
                               ast.Dict)):
            children = [c for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr)]
        else:
            return None
        for child in children:
            found = self.of(child, at, depth + 1)
            if found:
                return found
        return None


def _operands(node: ast.BinOp) -> list[ast.AST]:
    """The operands of a chain of binary operations, left to right, found without recursion."""
    found: list[ast.AST] = []
    todo: list[ast.AST] = [node]
    while todo:
        current = todo.pop()
        if isinstance(current, ast.BinOp):
            todo += (current.right, current.left)
        else:
            found.append(current)
    return found


def source_description(node: ast.AST, ctx: ModuleContext) -> str | None:
    """How an expression reads request data directly (`flask.request.args`, `sys.argv`, `input()`), else None."""
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name) and node.func.id in ("input", "raw_input") \
                and ctx.qualname(node.func) in ("input", "raw_input"):
            return f"`{node.func.id}()`"
        return None
    if isinstance(node, ast.Attribute):
        qualname = ctx.qualname(node)
        if qualname is None:
            return None
        if qualname.startswith("flask.request.") and qualname.count(".") == 2:
            return f"flask `request.{node.attr}`"
        if node.attr in DJANGO_ATTRIBUTES and (qualname == f"request.{node.attr}"
                                               or qualname.endswith(f".request.{node.attr}")) \
                and not qualname.startswith(("flask.", "requests.")):
            return f"`request.{node.attr}`"
        if qualname == "sys.argv":
            return "`sys.argv`"
    elif isinstance(node, ast.Name) and node.id != "sys" and ctx.qualname(node) == "sys.argv":
        return "`sys.argv`"
    return None


def may_have_sources(ctx: ModuleContext) -> bool:
    """Whether the module's text mentions any request-data source at all (cached)."""
    cached = getattr(ctx.tree, "_secls_mentions_sources", None)
    if cached is None:
        text = ctx.source.text
        cached = any(pattern.search(text) for pattern in _MENTIONS)
        setattr(ctx.tree, "_secls_mentions_sources", cached)
    return cached


def _end(node: ast.AST) -> Position:
    return (node.end_lineno or node.lineno, node.end_col_offset or 0)  # type: ignore[attr-defined]


def _names(target: ast.AST) -> list[ast.Name]:
    return [n for n in ast.walk(target) if isinstance(n, ast.Name)]


def _guarded(test: ast.expr) -> list[str]:
    """Names a condition checks with a regex full match (`re.fullmatch(p, x)`, `PATTERN.fullmatch(x)`)."""
    names = []
    for node in ast.walk(test):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "fullmatch":
            for arg in node.args[-1:]:
                if isinstance(arg, ast.Name):
                    names.append(arg.id)
    return names


def function_taint(ctx: ModuleContext, scope: ast.AST | None = None) -> FunctionTaint:
    """The taint of the scope being visited (computed once per scope)."""
    scope = scope or current_scope(ctx)
    cached = getattr(scope, _ATTR, None)
    if cached is not None:
        return cached
    # Kept on the scope node: a strong reference back to the context would make the whole tree a
    # reference cycle that only the cyclic GC frees (the tree must go when the analysis ends).
    taint = FunctionTaint(weakref.proxy(ctx))
    setattr(scope, _ATTR, taint)
    if not may_have_sources(ctx):
        return taint
    history = taint.history
    for node in iter_own_nodes(scope):
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
            value = node.value
            if value is None:
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            steps = taint.of(value, (node.lineno, node.col_offset))
            if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and not steps:
                steps = taint.name_at(node.target.id, (node.lineno, node.col_offset))
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            targets, steps = [node.target], taint.of(node.iter)
            if steps:  # the loop variable holds request data from the loop's header on, in its body too
                for name in _names(node.target):
                    entry = steps + (Step(name, f"assigned to `{name.id}`"),)
                    history.setdefault(name.id, []).append((_end(node.iter), entry))
            continue
        elif isinstance(node, (ast.If, ast.While)):
            for name in _guarded(node.test):
                history.setdefault(name, []).append((_end(node.test), None))
            continue
        else:
            continue
        for target in targets:
            for name in _names(target):
                entry = steps + (Step(name, f"assigned to `{name.id}`"),) if steps else None
                if entry or name.id in history:
                    history.setdefault(name.id, []).append((_end(node), entry))
    return taint
