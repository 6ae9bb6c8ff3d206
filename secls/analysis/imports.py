"""Import aliases of a module and the qualified names of the expressions that use them."""

from __future__ import annotations

import ast
from collections.abc import Iterable

# Spellings that name the same module: the `mock` backport is unittest.mock.
_CANONICAL_PREFIXES: tuple[tuple[str, str], ...] = (
    ("mock", "unittest.mock"),
    ("cPickle", "pickle"),
)


def canonical(qualname: str) -> str:
    """Map alternative module spellings to one name (`mock.patch` -> `unittest.mock.patch`)."""
    for alias, real in _CANONICAL_PREFIXES:
        if qualname == alias or qualname.startswith(alias + "."):
            return real + qualname[len(alias):]
    return qualname


class ImportMap:
    """Local name -> fully qualified name, from every import statement of a module."""

    def __init__(self) -> None:
        self.aliases: dict[str, str] = {}
        self.modules: set[str] = set()
        self._memo: dict[int, str | None] = {}  # id(node) -> qualname; rules ask for the same nodes

    @classmethod
    def from_statements(cls, statements: Iterable[ast.AST]) -> "ImportMap":
        """Collect the aliases of these import statements, in order."""
        result = cls()
        for node in statements:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        result.aliases[alias.asname] = canonical(alias.name)
                        result.modules.add(alias.asname)
                    else:
                        top = alias.name.split(".")[0]
                        result.aliases.setdefault(top, canonical(top))
                        result.modules.add(top)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                base = canonical(node.module)
                for alias in node.names:
                    if alias.name == "*":
                        continue
                    result.aliases[alias.asname or alias.name] = f"{base}.{alias.name}"
            elif isinstance(node, ast.ImportFrom) and node.level:
                for alias in node.names:
                    if alias.name != "*":
                        prefix = "." * node.level + (node.module + "." if node.module else "")
                        result.aliases[alias.asname or alias.name] = prefix + alias.name
        return result

    def qualname(self, node: ast.AST) -> str | None:
        """The qualified name of a Name/Attribute chain, through import aliases; None if not a chain."""
        key = id(node)
        if key in self._memo:
            return self._memo[key]
        result = self._qualname(node)
        self._memo[key] = result
        return result

    def _qualname(self, node: ast.AST) -> str | None:
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        head = self.aliases.get(node.id, node.id)
        parts.append(head)
        return ".".join(reversed(parts))

    def called_name(self, call: ast.Call) -> str | None:
        """The called function's own name, through from-import aliases (`mt` of `from tempfile import
        mktemp as mt` -> `mktemp`); cheap, for filtering calls before computing qualified names."""
        func = call.func
        if isinstance(func, ast.Attribute):
            return func.attr
        if isinstance(func, ast.Name):
            return self.aliases.get(func.id, func.id).rpartition(".")[2]
        return None

    def is_module(self, name: str) -> bool:
        """Whether a local name was bound by `import x` / `import x as y`, or names a module by from-import."""
        return name in self.modules
