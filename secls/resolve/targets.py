"""Does a dotted patch target exist? Read the module's source with `ast`; never import it."""

from __future__ import annotations

import ast
import bisect
import builtins
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from secls.analysis.resolution import TargetVerdict
from secls.resolve.summaries import ParsedFile

_BUILTINS = frozenset(dir(builtins))
# Module-level code that can create names at run time: what it makes is unknown, not missing.
_DYNAMIC_CALLS = frozenset({"globals", "setattr", "vars", "locals", "exec"})


# Outside assignment targets, an expression binds a name or makes names at run time only through
# a walrus, a comprehension, or one of the dynamic calls: a line without any of these is not walked.
# (Substrings, not words: a line found needlessly is only walked needlessly.)
_MAY_BIND = (":=", "for", "globals", "setattr", "vars", "locals", "exec", "modules")
_ALWAYS_WALKED = frozenset({"targets", "target", "items", "name"})
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class _Lines:
    """The numbers of the lines that may bind names (or say `global`), for a quick test of a node's span."""

    def __init__(self, text: str) -> None:
        self.may_bind = _lines_containing(_MAY_BIND, text)
        self.global_ = _lines_containing(("global",), text)

    @staticmethod
    def within(numbers: list[int], node: ast.AST) -> bool:
        """Whether one of the numbered lines lies in the node's span (True when its position is unknown)."""
        start, end = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
        if start is None or end is None:
            return True
        index = bisect.bisect_left(numbers, start)
        return index < len(numbers) and numbers[index] <= end


def _lines_containing(words: tuple[str, ...], text: str) -> list[int]:
    """The numbers of the lines (as `ast` numbers them) that contain one of `words` (none holds a line break)."""
    if "\r" in text:
        return [n for n, line in enumerate(_LINE_BREAK.split(text), 1) if any(w in line for w in words)]
    found: list[int] = []
    for word in words:  # str.find is far quicker than a regular expression's scan of the text
        at = text.find(word)
        while at >= 0:
            found.append(at)
            at = text.find(word, at + 1)
    found.sort()
    numbers: list[int] = []
    line, counted = 1, 0
    for at in found:
        line += text.count("\n", counted, at)
        counted = at
        if not numbers or numbers[-1] != line:
            numbers.append(line)
    return numbers


def _bound_names(body: list[ast.stmt], lines: _Lines | None = None) -> tuple[set[str], bool]:
    """Names a module or class body binds (through if/try/with/for blocks), and whether some are dynamic.

    With the module's `lines`, parts of statements whose text cannot bind a name are not walked.
    """
    names: set[str] = set()
    dynamic = False
    for node in _body_statements(body):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            if node.name == "__getattr__":
                dynamic = True
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
                    lines is None or lines.within(lines.global_, node)):
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
                if not isinstance(part, ast.AST) or (field not in _ALWAYS_WALKED and lines is not None
                                                       and not lines.within(lines.may_bind, part)):
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


def _body_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements of a module or class body, through if/try/with/for/while/match blocks; not the bodies of
    the functions and classes it defines (their names are theirs, not the body's)."""
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for name in ("cases", "finalbody", "orelse", "handlers", "body"):
            block = getattr(node, name, None)
            if isinstance(block, list):
                for child in reversed(block):
                    if isinstance(child, ast.match_case):
                        stack.extend(reversed(child.body))
                    elif isinstance(child, ast.excepthandler):
                        stack.append(child)  # type: ignore[arg-type]
                    elif isinstance(child, ast.stmt):
                        stack.append(child)


@dataclass(frozen=True)
class BodyNames:
    """What a module or class body binds: its names, whether others appear at run time, and its classes."""

    names: frozenset[str]
    dynamic: bool
    classes: dict[str, BodyNames]  # the first class of each name defined directly in the body
    uncertain: bool = False  # a class that may also get attributes elsewhere (bases, decorators, metaclass)


def body_names(parsed: ParsedFile) -> BodyNames:
    """The names a module binds and, class by class, those its classes bind (all a target is checked against)."""
    return _names_of(parsed.tree.body, _Lines(parsed.text), uncertain=False)


def _names_of(body: list[ast.stmt], lines: _Lines, uncertain: bool) -> BodyNames:
    names, dynamic = _bound_names(body, lines)
    classes: dict[str, BodyNames] = {}
    for node in body:
        if isinstance(node, ast.ClassDef) and node.name not in classes:
            # Inherited, made by a metaclass or a decorator: then found is found, but absent is unknown.
            classes[node.name] = _names_of(node.body, lines, uncertain=bool(
                node.decorator_list or node.keywords or any(
                    not (isinstance(b, ast.Name) and b.id == "object") for b in node.bases)))
    return BodyNames(frozenset(names), dynamic, classes, uncertain)


def attribute_verdict(module: BodyNames, path: list[str], target: str, module_path: str) -> TargetVerdict:
    """Walk `path` (attribute names) from a module's top level through its classes."""
    owner = module
    uncertain = False
    for depth, name in enumerate(path):
        if name.startswith("__") and name.endswith("__"):
            return TargetVerdict(None, module_path=module_path)
        if name not in owner.names:
            if depth == 0 and name in _BUILTINS:
                return TargetVerdict(True, module_path=module_path)  # mock patches builtins with create=True
            if owner.dynamic or (depth > 0 and uncertain):
                return TargetVerdict(None, module_path=module_path)
            close = difflib.get_close_matches(name, sorted(n for n in owner.names if not n.startswith("__")), n=1,
                                              cutoff=0.6)
            suggestion = ".".join(target.split(".")[:-len(path) + depth] + [close[0]] + path[depth + 1:]) \
                if close else None
            return TargetVerdict(False, suggestion=suggestion, module_path=module_path)
        if depth == len(path) - 1:
            return TargetVerdict(True, module_path=module_path)
        cls = owner.classes.get(name)
        if cls is None:
            return TargetVerdict(None, module_path=module_path)  # an imported or assigned object: unknown
        uncertain = cls.uncertain
        owner = cls
    return TargetVerdict(True, module_path=module_path)
