"""Process-wide state that tests change: the environment, the cwd, sys.path, signals, module attributes."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from secls.analysis.imports import ImportMap
from secls.analysis.scope import FunctionNode, dotted, nodes_of, parents_within, statement_of

# Qualified-name prefixes -> the piece of global state they touch.
STATE_OF: dict[str, str] = {
    "os.environ": "environment", "os.putenv": "environment", "os.unsetenv": "environment",
    "os.chdir": "working directory", "os.fchdir": "working directory", "os.getcwd": "working directory",
    "os.getcwdb": "working directory", "socket.getdefaulttimeout": "default socket timeout",
    "signal.getsignal": "signal handlers", "locale.getlocale": "locale",
    "sys.path": "sys.path", "sys.modules": "sys.modules",
    "signal.signal": "signal handlers", "socket.setdefaulttimeout": "default socket timeout",
    "locale.setlocale": "locale", "warnings.simplefilter": "warning filters",
    "warnings.filterwarnings": "warning filters", "warnings.resetwarnings": "warning filters",
    "warnings.catch_warnings": "warning filters", "logging.disable": "logging level",
}
# Context managers and fixtures (by their last name) that save and restore one piece of state.
GUARDS: dict[str, str] = {
    "catch_warnings": "warning filters", "check_warnings": "warning filters",
    "EnvironmentVarGuard": "environment", "EnvironmentVariable": "environment",
    "change_cwd": "working directory", "temp_cwd": "working directory", "chdir": "working directory",
    "DirsOnSysPath": "sys.path", "CleanImport": "sys.modules", "isolated_modules": "sys.modules",
}

# Calls that only read a state (used to save it for a later restore).
READERS = frozenset({"os.getcwd", "os.getcwdb", "socket.getdefaulttimeout", "signal.getsignal",
                     "locale.getlocale"})
_MUTATORS = {"append", "insert", "extend", "update", "setdefault", "__setitem__"}


@dataclass(frozen=True)
class StateChange:
    """One statement that changes process-wide state; `restores` when it puts back a saved value."""

    key: str
    node: ast.AST
    statement: ast.stmt
    description: str
    restores: bool = False

    @property
    def resets(self) -> bool:
        """A module attribute set to None or an empty literal: a cache or singleton reset before a test."""
        value = getattr(self.node, "value", None)
        if not isinstance(self.node, ast.Assign) or "." not in self.key:
            return False
        if isinstance(value, ast.Constant):
            return value.value in (None, False, 0, "")
        if isinstance(value, (ast.Dict, ast.List, ast.Set, ast.Tuple)):
            return not getattr(value, "keys", None) and not getattr(value, "elts", None)
        return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and \
            value.func.id in ("dict", "list", "set") and not value.args


_STATE_MODULES = frozenset(prefix.split(".", 1)[0] for prefix in STATE_OF)


def _state_of(qualname: str | None) -> str | None:
    if not qualname or qualname.partition(".")[0] not in _STATE_MODULES:
        return None
    for prefix, key in STATE_OF.items():
        if qualname == prefix or qualname.startswith(prefix + ".") or qualname.startswith(prefix + "["):
            return key
    return None


def _may_be_state(func: ast.expr, imports: ImportMap) -> bool:
    """Whether a called name can lead to a state module (`_state_of`), without building its qualified name."""
    while isinstance(func, ast.Attribute):
        func = func.value
    if not isinstance(func, ast.Name):
        return False
    return imports.aliases.get(func.id, func.id).partition(".")[0] in _STATE_MODULES


def mentioned_states(node: ast.AST, imports: ImportMap) -> set[str]:
    """Every state key a node's code mentions (names, `setattr(mod, 'x')`, 'os.environ' strings)."""
    found: set[str] = set()
    called = {id(sub.func) for sub in ast.walk(node) if isinstance(sub, ast.Call)}
    for sub in ast.walk(node):
        if isinstance(sub, (ast.Attribute, ast.Name)):
            qual = imports.qualname(sub)
            key = _state_of(qual)
            if key:
                found.add(key)
            if qual and "." in qual and id(sub) not in called:
                found.add(qual)  # calling os.getcwd() does not put back an `os.getcwd = ...`
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str) and sub.value.count(".") >= 1 \
                and len(sub.value) < 120:
            key = _state_of(sub.value)
            found.add(key or sub.value)
        elif isinstance(sub, ast.Call):
            guard = GUARDS.get((dotted(sub.func) or "").rsplit(".", 1)[-1])
            if guard:
                found.add(guard)
            # (obj, "name") argument pairs: setattr(mod, "name", v), addCleanup(setattr, mod, "name", v),
            # swap_attr(sys, "breakpointhook", ...), mock.patch.object(mod, "name")
            parts = [sub.func, *sub.args]
            for first, second in zip(parts, parts[1:]):
                if isinstance(second, ast.Constant) and isinstance(second.value, str) \
                        and isinstance(first, (ast.Name, ast.Attribute)):
                    qual = imports.qualname(first)
                    if qual:
                        found.add(f"{qual}.{second.value}")
    return found


# Configuring a mock is not changing a module: the patch that put the mock there restores it.
MOCK_ATTRIBUTES = frozenset({"return_value", "side_effect", "spec", "spec_set", "name", "mock_calls",
                             "call_args", "call_count", "called", "method_calls"})


def _module_attribute(target: ast.AST, imports: ImportMap, shadowing: Callable[[], set[str]]) -> str | None:
    """`mod.attr` or `mod.Class.attr` where `mod` is an imported module, as a qualified name."""
    if not isinstance(target, ast.Attribute) or target.attr in MOCK_ATTRIBUTES:
        return None
    root = target
    while isinstance(root, ast.Attribute):
        root = root.value
    if not isinstance(root, ast.Name) or root.id in ("self", "cls"):
        return None
    if not imports.is_module(root.id) and not (root.id in imports.aliases and root.id[:1].islower()):
        return None
    if root.id in shadowing():
        return None
    return imports.qualname(target)


def local_names(function: FunctionNode) -> set[str]:
    """Parameters and names a function assigns: they shadow imports of the same name."""
    args = function.args
    names = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
    names |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
    for node in nodes_of(function, ast.Name):
        if isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def _saved_names(function: FunctionNode, imports: ImportMap) -> dict[str, set[str]]:
    """Locals assigned from a read of some state (`old = os.getcwd()`) -> the states they saved."""
    saved: dict[str, set[str]] = {}
    for node in nodes_of(function, ast.Assign):
        if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            states = {s for s in mentioned_states(node.value, imports) if s in STATE_OF.values() or "." in s}
            if states:
                saved.setdefault(node.targets[0].id, set()).update(states)
    return saved


# The own names (`ImportMap.called_name`) of every call `state_changes` can report: a mutator, os.putenv, or
# a call of a STATE_OF name.
_CHANGE_CALL_NAMES = _MUTATORS | {"putenv"} | {prefix.rsplit(".", 1)[-1] for prefix in STATE_OF}


def _may_be_changed(target: ast.AST, imports: ImportMap) -> bool:
    """Whether an assignment target can change global state: a subscript or attribute of an imported or state
    module's name (a superset of what `state_changes` reports; `x = ...` and `self.x = ...` never do)."""
    while isinstance(target, (ast.Attribute, ast.Subscript)):
        target = target.value
    return isinstance(target, ast.Name) and (target.id in imports.aliases or target.id in _STATE_MODULES)


def state_changes(function: FunctionNode, imports: ImportMap,
                  called_names: frozenset[str] | None = None) -> Iterator[StateChange]:
    """Statements of a function that change global state (del/pop are not reported as changes).

    `called_names`: the own names of the module's calls (`ModuleContext.called_names`), when known.
    """
    saved_cache: list[dict[str, set[str]]] = []

    def restoring(change: StateChange) -> StateChange:
        if not saved_cache:
            saved_cache.append(_saved_names(function, imports))
        saved = saved_cache[0]
        values = [change.node.value] if isinstance(change.node, (ast.Assign, ast.AugAssign, ast.AnnAssign)) \
            else list(getattr(change.node, "args", []))
        for value in values:
            for name in ast.walk(value) if value is not None else ():
                if isinstance(name, ast.Name) and change.key in saved.get(name.id, ()):
                    return StateChange(change.key, change.node, change.statement, change.description, True)
        return change
    changes: list[StateChange] = []
    calls_may_change = called_names is None or not called_names.isdisjoint(_CHANGE_CALL_NAMES)
    kinds = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Call) if calls_may_change else \
        (ast.Assign, ast.AugAssign, ast.AnnAssign)
    called_name = imports.called_name
    for node in nodes_of(function, *kinds):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            stmt: ast.stmt = node
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if not _may_be_changed(target, imports):
                    continue
                if isinstance(target, ast.Subscript):
                    key = _state_of(imports.qualname(target.value))
                    if key in ("environment", "sys.modules", "sys.path"):
                        changes.append(restoring(StateChange(key, node, stmt, ast.unparse(target) + " = ...")))
                    continue
                qual = imports.qualname(target) if isinstance(target, ast.Attribute) else None
                key = _state_of(qual)
                if key in ("environment", "sys.path", "sys.modules"):
                    changes.append(restoring(StateChange(key, node, stmt, ast.unparse(target) + " = ...")))
                    continue
                attr = _module_attribute(target, imports, lambda: local_names(function))
                if attr:
                    changes.append(restoring(StateChange(attr, node, stmt, ast.unparse(target) + " = ...")))
        elif isinstance(node, ast.Call):
            if called_name(node) not in _CHANGE_CALL_NAMES or not _may_be_state(node.func, imports):
                continue
            qual = imports.qualname(node.func)
            key = _state_of(qual)
            if key is None or qual is None or qual in READERS:
                continue
            stmt = statement_of(node, parents_within(function)) or node  # type: ignore[assignment]
            last = qual.rsplit(".", 1)[-1]
            if key in ("environment", "sys.path", "sys.modules"):
                if last in _MUTATORS or qual == "os.putenv":
                    changes.append(restoring(StateChange(key, node, stmt, ast.unparse(node.func) + "(...)")))
            elif key == "locale" and (len(node.args) + len(node.keywords) < 2 or (
                    len(node.args) == 2 and isinstance(node.args[1], ast.Constant) and node.args[1].value is None)):
                continue  # setlocale(category) and setlocale(category, None) only query
            elif qual in ("warnings.resetwarnings", "warnings.catch_warnings") or qual not in STATE_OF:
                continue  # a reset, or a call on something else (`signal.signal.assert_called_once_with`)
            else:
                changes.append(restoring(StateChange(key, node, stmt, ast.unparse(node.func) + "(...)")))
    yield from sorted(changes, key=lambda c: (c.node.lineno, c.node.col_offset))
