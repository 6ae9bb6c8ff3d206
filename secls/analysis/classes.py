"""Per-class facts through the base classes: is it a TestCase, does a base stopall, need super()."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from secls.analysis.frameworks import NEUTRAL_BASES, BaseFacts, known_base
from secls.analysis.imports import ImportMap
from secls.analysis.resolution import BaseResolver
from secls.analysis.scope import dotted, methods, nodes_of

STOPALL = "unittest.mock.patch.stopall"
NESTED_TEMPFILE = ("fixtures.NestedTempfile", "fixtures._fixtures.tempdir.NestedTempfile")
CLEANUP_REGISTRARS = frozenset({"addCleanup", "addClassCleanup", "addModuleCleanup", "addAsyncCleanup",
                                "addfinalizer", "callback", "push"})


@dataclass
class ClassFacts:
    """What a class inherits: framework facts from known bases, local bases, and unknowns."""

    node: ast.ClassDef
    local_mro: list[ast.ClassDef] = field(default_factory=list)
    known: list[BaseFacts] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    is_testcase: bool = False
    is_fixture: bool = False
    stopall: bool | None = False
    nested_tempfile: bool | None = False

    @property
    def frameworks(self) -> set[str]:
        """Names of the frameworks this class derives from."""
        return {k.framework for k in self.known}

    @property
    def enforces_super(self) -> bool:
        """Whether the runtime raises when setUp/tearDown do not up-call (testtools)."""
        return any(k.enforces_super for k in self.known)

    def base_defines(self, method: str) -> bool | None:
        """Whether a base (not unittest.TestCase) has a `method` that must be called; None if unknown."""
        if any(method in k.needs_super for k in self.known):
            return True
        if any(does_work(methods(base).get(method)) for base in self.local_mro[1:]):
            return True
        return None if self.unresolved else False

    def defining_base(self, method: str) -> str | None:
        """Name of the nearest base that defines `method` (for messages)."""
        for base in self.local_mro[1:]:
            if does_work(methods(base).get(method)):
                return base.name
        for k in self.known:
            if method in k.needs_super:
                return k.name
        return self.unresolved[0] if self.unresolved else None


def does_work(function: ast.AST | None) -> bool:
    """Whether a method has a body that does something (not just a docstring, pass, or NotImplementedError)."""
    if function is None:
        return False
    for stmt in getattr(function, "body", []):
        if isinstance(stmt, ast.Pass) or (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)):
            continue
        if isinstance(stmt, ast.Raise) and stmt.exc is not None and "NotImplementedError" in ast.unparse(stmt.exc):
            continue
        return True
    return False


def may_register(text: str) -> bool:
    """Whether a module's text names stopall or NestedTempfile (else no class of it registers either)."""
    return "stopall" in text or "NestedTempfile" in text


def _registers(cls: ast.ClassDef, imports: ImportMap) -> tuple[bool, bool]:
    """(registers mock.patch.stopall, installs fixtures.NestedTempfile) in this class body itself."""
    stopall = nested = False
    for method in methods(cls).values():
        for node in nodes_of(method, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else None
            if name in CLEANUP_REGISTRARS and node.args and imports.qualname(node.args[0]) == STOPALL:
                stopall = True
            elif imports.qualname(func) == STOPALL and method.name in ("tearDown", "doCleanups"):
                stopall = True
            elif name == "useFixture" and node.args and isinstance(node.args[0], ast.Call) \
                    and imports.qualname(node.args[0].func) in NESTED_TEMPFILE:
                nested = True
    return stopall, nested


def _looks_like_test_base(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return "Test" in last or last.endswith("Case")


def class_facts(cls: ast.ClassDef, local_classes: dict[str, ast.ClassDef], imports: ImportMap,
                resolver: BaseResolver | None = None, module_path: str | None = None,
                may_register: bool = True) -> ClassFacts:
    """Compute the facts of a class from its bases in this module, known frameworks and the resolver.

    `may_register` False: the module's text never names stopall or NestedTempfile, so that no class
    body needs searching for them.
    """
    facts = ClassFacts(node=cls)
    seen: set[int] = set()
    pending: list[ast.ClassDef] = [cls]
    while pending:  # depth-first, left to right: close to C3 for the trees tests build
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        facts.local_mro.append(current)
        next_local: list[ast.ClassDef] = []
        for base in current.bases:
            spelled = dotted(base)
            if spelled is None:
                facts.unresolved.append(ast.unparse(base))
                continue
            if spelled in local_classes and local_classes[spelled] is not current:
                next_local.append(local_classes[spelled])
                continue
            qual = imports.qualname(base)
            if qual in NEUTRAL_BASES or spelled in NEUTRAL_BASES:
                continue
            known = known_base(qual)
            if known is None and resolver is not None:
                known = resolver.base_facts(module_path, spelled)
            if known is not None:
                facts.known.append(known)
                facts.unresolved.extend(known.unresolved)
            else:
                facts.unresolved.append(spelled)
        pending = next_local + pending

    own_stopall = own_nested = False
    for klass in facts.local_mro if may_register else ():
        stopall, nested = _registers(klass, imports)
        own_stopall |= stopall
        own_nested |= nested
    facts.is_fixture = any(k.is_fixture for k in facts.known)
    facts.is_testcase = any(k.is_testcase for k in facts.known) or any(
        _looks_like_test_base(u) for u in facts.unresolved)
    unknown = bool(facts.unresolved)
    facts.stopall = True if own_stopall or any(k.registers_stopall for k in facts.known) else (
        None if unknown else False)
    facts.nested_tempfile = True if own_nested or any(k.nested_tempfile for k in facts.known) else (
        None if unknown else False)
    return facts
