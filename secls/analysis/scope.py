"""Helpers over function and class nodes: names, decorators, bodies."""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
# The index walk stores each scope's own nodes on the scope node, so that the many questions rules
# ask of one method never walk its subtree again. Parents are mapped per scope, on demand, by
# id(node): a parent attribute on every node would make each tree a reference cycle.
OWN_NODES = _OWN = "_secls_own"  # the attribute holding a scope's own nodes
_PARENTS = "_secls_parents"
_BY_TYPE = "_secls_by_type"
_METHODS = "_secls_methods"  # a class's `methods()`
_GROUPS = "_secls_groups"  # a scope's own nodes of the types in _GROUPED, by type, in walk order
Parents = dict[int, ast.AST]


# Child fields of each node type that can hold nodes worth indexing. Skipped: names and other
# scalars (so that the commonest nodes, names and constants, have none), expression contexts like
# Load, and operators like Add (singletons that no rule visits; read them as `node.op`).
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}
_NOT_CHILDREN = frozenset({"ctx", "type_comment", "op", "ops", "id", "attr", "name", "arg", "asname", "module",
                           "level", "kind", "conversion", "is_async"})
_SCALARS_ONLY = (ast.Constant, ast.MatchSingleton, ast.Global, ast.Nonlocal)


def _child_fields(node_type: type) -> tuple[str, ...]:
    """The node-holding fields of a node type, last first (the walk pushes them on a stack)."""
    fields = _CHILD_FIELDS.get(node_type)
    if fields is None:
        fields = () if issubclass(node_type, _SCALARS_ONLY) else tuple(
            f for f in reversed(node_type._fields) if f not in _NOT_CHILDREN)
        _CHILD_FIELDS[node_type] = fields
    return fields


@dataclass
class TreeIndex:
    """What the index walk collects besides the per-scope node lists."""

    imports: list[ast.AST]
    classes: list[ast.ClassDef]
    calls: list[tuple[ast.Call, list[ast.AST]]]  # every call, with its scope's own-node list
    # id(a scope's own-node list) -> (the scope node, the enclosing scope's list; None for the module)
    owners: dict[int, tuple[ast.AST, list[ast.AST] | None]]
    _stacks: dict[int, list[ast.AST]] = field(default_factory=dict)

    def stack_of(self, own: list[ast.AST]) -> list[ast.AST]:
        """The enclosing classes and functions of a scope's nodes (lambdas add none), as the engine's walk."""
        stacks = self._stacks
        chain: list[tuple[ast.AST, list[ast.AST]]] = []
        key = id(own)
        while key not in stacks:
            scope, outer = self.owners[key]
            if outer is None:
                stacks[key] = []
                break
            chain.append((scope, own))
            own, key = outer, id(outer)
        stack = stacks[key]
        for scope, inner in reversed(chain):
            if not isinstance(scope, ast.Lambda):
                stack = [*stack, scope]
            stacks[id(inner)] = stack
        return stack


_CALL, _SCOPE, _IMPORT, _GROUP = 1, 2, 3, 4
# The node types rules ask a scope for (`nodes_of`): grouped per scope by the index walk, so that
# those questions never walk a scope's nodes again. Not names or constants: too many, rarely asked.
_GROUPED_ONLY = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor, ast.comprehension, ast.With,
                 ast.AsyncWith, ast.Return, ast.Yield, ast.YieldFrom, ast.Await, ast.Raise)
_GROUPED = frozenset({ast.Call, *_SCOPES, *_GROUPED_ONLY})
_KINDS: dict[type, int] = {ast.Call: _CALL, ast.Import: _IMPORT, ast.ImportFrom: _IMPORT,
                           **{t: _SCOPE for t in _SCOPES}, **{t: _GROUP for t in _GROUPED_ONLY}}


def index_tree(tree: ast.Module) -> TreeIndex:
    """One walk over the module: per-scope node lists (pre-order); imports, classes and calls in source order."""
    imports: list[ast.AST] = []
    classes: list[ast.ClassDef] = []
    calls: list[tuple[ast.Call, list[ast.AST]]] = []
    AST, kinds, known_fields = ast.AST, _KINDS, _CHILD_FIELDS
    module_own: list[ast.AST] = []
    module_groups: defaultdict[type, list[ast.AST]] = defaultdict(list)
    setattr(tree, _OWN, module_own)
    setattr(tree, _GROUPS, module_groups)
    owners: dict[int, tuple[ast.AST, list[ast.AST] | None]] = {id(module_own): (tree, None)}
    # Each scope is walked on its own stack of bare nodes; the scopes found are walked afterwards.
    scopes: list[tuple[list[ast.AST], defaultdict[type, list[ast.AST]], list[ast.AST]]] = [
        (module_own, module_groups, tree.body)]
    nested = False
    while scopes:
        own, groups, body = scopes.pop()
        stack = body[::-1]
        pop, push, append = stack.pop, stack.append, own.append
        while stack:
            node = pop()
            append(node)
            node_type = type(node)
            kind = kinds.get(node_type)
            if kind is not None:
                if kind is _IMPORT:
                    imports.append(node)
                    continue
                groups[node_type].append(node)
                if kind is _CALL:
                    calls.append((node, own))  # type: ignore[arg-type]
                elif kind is _SCOPE:
                    nested = True
                    inner: list[ast.AST] = []
                    inner_groups: defaultdict[type, list[ast.AST]] = defaultdict(list)
                    node._secls_own = inner  # type: ignore[attr-defined]
                    node._secls_groups = inner_groups  # type: ignore[attr-defined]
                    owners[id(inner)] = (node, own)
                    if node_type is ast.ClassDef:
                        classes.append(node)  # type: ignore[arg-type]
                    scopes.append((inner, inner_groups, node.body if isinstance(node.body, list) else [node.body]))
                    # decorators, bases, defaults and annotations belong to the enclosing scope
                    for name in _child_fields(node_type):
                        if name != "body":
                            value = getattr(node, name, None)
                            if isinstance(value, list):
                                for child in reversed(value):
                                    if isinstance(child, AST):
                                        push(child)
                            elif isinstance(value, AST):
                                push(value)
                    continue
            fields = known_fields.get(node_type)
            if fields is None:
                fields = _child_fields(node_type)
            for name in fields:
                value = getattr(node, name, None)
                if value is None:
                    continue
                if type(value) is list:
                    for child in reversed(value):
                        if isinstance(child, AST):
                            push(child)
                elif isinstance(value, AST):
                    push(value)
    if nested:  # scope by scope is not source order across scopes: imports in functions come later
        position = _position
        imports.sort(key=position)
        classes.sort(key=position)
        calls.sort(key=lambda item: position(item[0]))
    return TreeIndex(imports, classes, calls, owners)


def _position(node: ast.AST) -> tuple[int, int]:
    return node.lineno, node.col_offset  # type: ignore[attr-defined]


def iter_own_nodes(function: ast.AST) -> Iterator[ast.AST]:
    """Every node inside a function or class body, not descending into nested functions or classes."""
    cached = getattr(function, _OWN, None)
    if cached is not None:
        yield from cached
        return
    stack: list[ast.AST] = list(reversed(getattr(function, "body", [])))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, _SCOPES):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def nodes_of(scope: ast.AST, *types: type[ast.AST]) -> list[ast.AST]:
    """A scope's own nodes of exactly these types, in source order per type (grouped once, cached)."""
    grouped: defaultdict[type, list[ast.AST]] | None = getattr(scope, _GROUPS, None)
    if grouped is not None and _GROUPED.issuperset(types):  # grouped by the index walk
        if len(types) == 1:
            return grouped.get(types[0], [])
        return [node for node_type in types for node in grouped.get(node_type, ())]
    groups: dict[type, list[ast.AST]] | None = getattr(scope, _BY_TYPE, None)
    if groups is None:
        groups = {}
        for node in iter_own_nodes(scope):
            groups.setdefault(type(node), []).append(node)
        setattr(scope, _BY_TYPE, groups)
    if len(types) == 1:
        return groups.get(types[0], [])
    return [node for node_type in types for node in groups.get(node_type, ())]


def parents_within(scope: ast.AST) -> Parents:
    """Parent of every node in a scope's own nodes (the scope's direct statements have none); cached."""
    cached = getattr(scope, _PARENTS, None)
    if cached is None:
        cached = {}
        for node in iter_own_nodes(scope):
            if isinstance(node, _SCOPES):
                continue
            for child in ast.iter_child_nodes(node):
                cached[id(child)] = node
        setattr(scope, _PARENTS, cached)  # scope -> map -> descendants only: no reference cycle
    return cached


def statement_of(node: ast.AST, parents: Parents) -> ast.stmt | None:
    """The innermost statement that contains a node."""
    current: ast.AST | None = node
    while current is not None and not isinstance(current, ast.stmt):
        current = parents.get(id(current))
    return current


def iter_statements(tree: ast.AST) -> Iterator[ast.stmt]:
    """Every statement of a tree (bodies of compound statements included), without entering expressions."""
    stack: list[ast.stmt] = list(reversed(getattr(tree, "body", [])))
    while stack:
        node = stack.pop()
        yield node
        for name in ("handlers", "orelse", "finalbody", "body", "cases"):
            block = getattr(node, name, None)
            if isinstance(block, list):
                for child in reversed(block):
                    if isinstance(child, (ast.stmt, ast.excepthandler, ast.match_case)):
                        stack.append(child)  # type: ignore[arg-type]


def methods(cls: ast.ClassDef) -> Mapping[str, FunctionNode]:
    """The methods defined directly in a class body, by name (the last definition wins); read-only, cached."""
    cached: Mapping[str, FunctionNode] | None = cls.__dict__.get(_METHODS)
    if cached is None:
        # Read-only, as every caller shares it: a caller that wants to change it copies it.
        cached = MappingProxyType({n.name: n for n in cls.body if isinstance(n, FunctionNode)})
        setattr(cls, _METHODS, cached)  # class -> mapping -> its methods: no reference cycle
    return cached


def dotted(node: ast.AST) -> str | None:
    """The source spelling of a Name/Attribute chain (`self.patcher.stop`), else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def first_param(function: FunctionNode) -> str | None:
    """The name of the first positional parameter (`self`, `cls`), if any."""
    args = function.args.posonlyargs + function.args.args
    return args[0].arg if args else None
