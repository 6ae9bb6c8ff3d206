"""Per-module facts computed once and shared by every rule."""

from __future__ import annotations

import ast
from pathlib import PurePath
from typing import TYPE_CHECKING

from secls.analysis.classes import ClassFacts, class_facts, may_register
from secls.analysis.resolution import BaseResolver
from secls.analysis.findings import Finding, FixRef, Related, Severity
from secls.analysis.imports import ImportMap
from secls.analysis.scope import FunctionNode, TreeIndex, index_tree
from secls.analysis.source import SourceLines
from secls.config import Config, default_test_path

if TYPE_CHECKING:
    from secls.analysis.lifecycle import ClassLifecycle
    from secls.rules.base import Rule

PYTEST_FIXTURE = frozenset({"pytest.fixture", "pytest.yield_fixture", "pytest_asyncio.fixture"})


class ModuleContext:
    """The module being analysed: text, tree, imports, classes, test-ness, and the walk's position."""

    def __init__(self, text: str, tree: ast.Module, path: PurePath | None, config: Config,
                 resolver: BaseResolver | None = None, index: TreeIndex | None = None) -> None:
        """`index`: `index_tree(tree)` when the caller made it already."""
        self.source = SourceLines(text)
        self.tree = tree
        self.path = path
        self.config = config
        self.resolver = resolver
        self.index = index if index is not None else index_tree(tree)
        classes = self.index.classes
        self.imports = ImportMap.from_statements(self.index.imports)
        self.is_test_path = default_test_path(path, config.test_globs)
        self.classes: dict[str, ast.ClassDef] = {}
        self.all_classes = classes
        for node in classes:
            self.classes.setdefault(node.name, node)
        self.stack: list[ast.AST] = []
        self._facts: dict[int, ClassFacts] = {}
        self._lifecycles: dict[int, ClassLifecycle] = {}
        self._has_test_class: bool | None = None
        self._may_register: bool | None = None  # whether the text names stopall or NestedTempfile
        self._calls_by_name: dict[str, list[tuple[ast.Call, list[ast.AST]]]] | None = None
        self._called_names: frozenset[str] | None = None
        self._mentions: dict[tuple[str, ...], bool] = {}
        # Rules' per-node answers that hold nodes: kept here, as a cache on a node that points back at
        # a node (or at the context) would make a reference cycle that outlives the analysis.
        self.memo: dict[tuple[str, int], object] = {}

    # --- names -------------------------------------------------------------------------------
    def qualname(self, node: ast.AST) -> str | None:
        """Qualified name of a Name/Attribute chain through the module's imports."""
        return self.imports.qualname(node)

    def mentions(self, names: tuple[str, ...]) -> bool:
        """Whether the module's text contains any of these strings (asked once per module and tuple)."""
        found = self._mentions.get(names)
        if found is None:
            text = self.source.text
            found = self._mentions[names] = any(name in text for name in names)
        return found

    def call_name(self, node: ast.AST) -> str | None:
        """Qualified name of the function a Call calls, else None."""
        return self.imports.qualname(node.func) if isinstance(node, ast.Call) else None

    @property
    def called_names(self) -> frozenset[str]:
        """The own names (`ImportMap.called_name`) of every call in the module: a filter before scanning calls."""
        names = self._called_names
        if names is None:
            self.calls_named("")  # rules ask it anyway: its index has every name
            names = self._called_names = frozenset(self._calls_by_name or ())
        return names

    def calls_named(self, name: str) -> list[tuple[ast.Call, list[ast.AST]]]:
        """The module's calls of functions with this own name (`ImportMap.called_name`), with their stacks."""
        index = self._calls_by_name
        if index is None:
            index = self._calls_by_name = {}
            called_name, stack_of = self.imports.called_name, self.index.stack_of
            last_own: list[ast.AST] | None = None
            stack: list[ast.AST] = []
            for call, own in self.index.calls:
                name_of_call = called_name(call)
                if name_of_call is not None:
                    if own is not last_own:  # calls come in source order: runs of them share a scope
                        last_own, stack = own, stack_of(own)
                    index.setdefault(name_of_call, []).append((call, stack))
        return index.get(name, [])

    # --- classes and test code --------------------------------------------------------------
    def class_facts(self, cls: ast.ClassDef) -> ClassFacts:
        """Facts of a class through its bases (cached)."""
        key = id(cls)
        if key not in self._facts:
            path = str(self.path) if self.path else None
            if self._may_register is None:
                self._may_register = may_register(self.source.text)
            facts = class_facts(cls, self.classes, self.imports, self.resolver, path, self._may_register)
            self._facts[key] = facts
            if len(facts.local_mro) == 1 and not facts.known and not facts.unresolved:
                self._as_mixin(cls, facts)
        return self._facts[key]

    def _as_mixin(self, cls: ast.ClassDef, facts: ClassFacts) -> None:
        """A class with no bases of its own runs under its subclasses' bases: take what they all say."""
        subclasses = [c for c in self.all_classes if any(
            isinstance(b, ast.Name) and b.id == cls.name for b in c.bases)]
        if not subclasses:
            if self.is_test_path and cls.name.startswith("Test") and any(
                    isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == "setUp" for n in cls.body):
                facts.stopall = facts.nested_tempfile = None  # a mixin used elsewhere: unknown
            return
        derived = [self.class_facts(sub) for sub in subclasses]
        if not any(d.is_testcase for d in derived):
            return
        facts.is_testcase = True
        for name in ("stopall", "nested_tempfile"):
            values = [getattr(d, name) for d in derived]
            merged = True if all(v is True for v in values) else (None if None in values else False)
            setattr(facts, name, getattr(facts, name) or merged)

    def lifecycle(self, cls: ast.ClassDef) -> "ClassLifecycle":
        """The acquisitions and releases of a class's lifecycle methods (cached)."""
        from secls.analysis.lifecycle import build_class_lifecycle

        key = id(cls)
        if key not in self._lifecycles:
            self._lifecycles[key] = build_class_lifecycle(cls, self)
        return self._lifecycles[key]

    def module_lifecycle(self) -> "ClassLifecycle":
        """The acquisitions and releases of the module's test functions, fixtures and setUpModule (cached)."""
        from secls.analysis.lifecycle import build_module_lifecycle

        key = id(self.tree)
        if key not in self._lifecycles:
            self._lifecycles[key] = build_module_lifecycle(self)
        return self._lifecycles[key]

    def is_test_class(self, cls: ast.ClassDef) -> bool:
        """A TestCase (by its bases) or, in a test file, a `Test*` class (pytest style)."""
        facts = self.class_facts(cls)
        if facts.is_testcase:
            return True
        return self.is_test_path and cls.name.startswith("Test")

    def is_pytest_fixture(self, function: FunctionNode) -> bool:
        """Whether a function is decorated as a pytest fixture."""
        for deco in function.decorator_list:
            target = deco.func if isinstance(deco, ast.Call) else deco
            if self.qualname(target) in PYTEST_FIXTURE:
                return True
        return False

    def enclosing_class(self) -> ast.ClassDef | None:
        """The innermost class around the node being visited."""
        for node in reversed(self.stack):
            if isinstance(node, ast.ClassDef):
                return node
        return None

    def enclosing_function(self) -> FunctionNode | None:
        """The innermost function around the node being visited."""
        for node in reversed(self.stack):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return node
        return None

    def is_test_code(self) -> bool:
        """Whether the node being visited is test code: a test file, a TestCase, a pytest test or fixture."""
        if self.is_test_path:
            return True
        for node in self.stack:
            if isinstance(node, ast.ClassDef) and self.class_facts(node).is_testcase:
                return True
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
                    node.name.startswith("test_") or self.is_pytest_fixture(node)):
                return True
        return False

    # --- reporting ---------------------------------------------------------------------------
    def report(self, rule: "Rule", node: ast.AST, message: str, *, severity: Severity | None = None,
               fix: bool | str = False, fix_safe: bool = True, data: dict[str, str] | None = None,
               related: tuple[tuple[ast.AST, str], ...] = ()) -> Finding:
        """Make a finding of `rule` over `node`'s range (code-point columns)."""
        line, col, end_line, end_col = self.source.node_range(node)
        fix_ref = None
        if fix:
            title = fix if isinstance(fix, str) else rule.fix_title
            fix_ref = FixRef(title=title or f"Fix {rule.code}", safe=fix_safe)
        rel = tuple(Related(*self.source.node_range(n), message=m) for n, m in related)
        return Finding(code=rule.code, category=rule.category, severity=severity or rule.severity,
                       message=message, line=line, column=col, end_line=end_line, end_column=end_col,
                       fix=fix_ref, data=tuple(sorted((data or {}).items())), related=rel)
