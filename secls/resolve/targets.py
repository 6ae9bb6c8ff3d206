"""Does a dotted patch target exist? Read the module's source with `ast`; never import it."""

from __future__ import annotations

import ast
import builtins
import difflib

from secls.analysis.resolution import TargetVerdict
from secls.analysis.scope import iter_statements
from secls.resolve.summaries import ParsedFile

_BUILTINS = frozenset(dir(builtins))
# Module-level code that can create names at run time: what it makes is unknown, not missing.
_DYNAMIC_CALLS = frozenset({"globals", "setattr", "vars", "locals", "exec"})


def _bound_names(body: list[ast.stmt]) -> tuple[set[str], bool]:
    """Names a module or class body binds (through if/try/with/for blocks), and whether some are dynamic."""
    names: set[str] = set()
    dynamic = False
    for node in iter_statements(ast.Module(body=body, type_ignores=[])):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            if node.name == "__getattr__":
                dynamic = True
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names.update(n for g in ast.walk(node) if isinstance(g, ast.Global) for n in g.names)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name == "*":
                    dynamic = True
                else:
                    names.add((alias.asname or alias.name).split(".")[0])
            continue
        for field in ("targets", "target", "test", "value", "iter", "items", "exc", "type", "name"):
            value = getattr(node, field, None)
            for part in value if isinstance(value, list) else [value]:
                if isinstance(part, str):  # except ... as name
                    names.add(part)
                    continue
                if not isinstance(part, ast.AST):
                    continue
                for sub in ast.walk(part):
                    if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                        names.add(sub.id)
                    elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) \
                            and sub.func.id in _DYNAMIC_CALLS:
                        dynamic = True
                    elif isinstance(sub, ast.Subscript) and isinstance(sub.value, ast.Attribute) \
                            and sub.value.attr == "modules":
                        dynamic = True  # sys.modules[__name__] = ...
    return names, dynamic


def _cached_bound_names(parsed: ParsedFile, owner: ast.AST, body: list[ast.stmt]) -> tuple[set[str], bool]:
    found = parsed.bound.get(id(owner))
    if found is None:
        found = parsed.bound[id(owner)] = _bound_names(body)
    return found


def attribute_verdict(parsed: ParsedFile, path: list[str], target: str, module_path: str) -> TargetVerdict:
    """Walk `path` (attribute names) from a module's top level through its classes."""
    owner: ast.AST = parsed.tree
    body: list[ast.stmt] = parsed.tree.body
    uncertain = False
    for depth, name in enumerate(path):
        if name.startswith("__") and name.endswith("__"):
            return TargetVerdict(None, module_path=module_path)
        names, dynamic = _cached_bound_names(parsed, owner, body)
        if name not in names:
            if depth == 0 and name in _BUILTINS:
                return TargetVerdict(True, module_path=module_path)  # mock patches builtins with create=True
            if dynamic or (depth > 0 and uncertain):
                return TargetVerdict(None, module_path=module_path)
            close = difflib.get_close_matches(name, sorted(n for n in names if not n.startswith("__")), n=1,
                                              cutoff=0.6)
            suggestion = ".".join(target.split(".")[:-len(path) + depth] + [close[0]] + path[depth + 1:]) \
                if close else None
            return TargetVerdict(False, suggestion=suggestion, module_path=module_path)
        cls = next((n for n in body if isinstance(n, ast.ClassDef) and n.name == name), None)
        if depth == len(path) - 1:
            return TargetVerdict(True, module_path=module_path)
        if cls is None:
            return TargetVerdict(None, module_path=module_path)  # an imported or assigned object: unknown
        # Inherited, made by a metaclass or a decorator: then found is found, but absent is unknown.
        uncertain = bool(cls.decorator_list or cls.keywords or any(
            not (isinstance(b, ast.Name) and b.id == "object") for b in cls.bases))
        owner, body = cls, cls.body
    return TargetVerdict(True, module_path=module_path)
