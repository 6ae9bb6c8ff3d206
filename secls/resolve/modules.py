"""Where a module's source lives, and which class a qualified name denotes, by reading files only."""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from pathlib import Path

from secls.analysis.scope import dotted
from secls.resolve.summaries import FileCache

MAX_HOPS = 8


class ModuleLocator:
    """Finds `a.b.c` as `a/b/c.py` or `a/b/c/__init__.py` under the search path (workspace first)."""

    def __init__(self, search_path: list[str]) -> None:
        self.search_path = [p for p in dict.fromkeys(search_path) if p and os.path.isdir(p)]
        self._found: dict[str, str | None] = {}
        self._listings: dict[str, frozenset[str]] = {}

    def locate(self, dotted: str) -> str | None:
        """The source file of a module (a .py or .pyi), or None."""
        if dotted in self._found:
            return self._found[dotted]
        parts = dotted.split(".")
        found = None
        for base in self.search_path:
            # Most names asked are not modules (a class, an attribute): a folder's listing, read once,
            # rules out its entries without a stat of each candidate file.
            folder = base
            for part in parts[:-1]:
                if part not in self._listing(folder):
                    break
                folder = os.path.join(folder, part)
            else:
                last, listing = parts[-1], self._listing(folder)
                module = os.path.join(folder, last)
                candidates = ((module + ".py", last + ".py"), (os.path.join(module, "__init__.py"), last),
                              (module + ".pyi", last + ".pyi"), (os.path.join(module, "__init__.pyi"), last))
                for candidate, entry in candidates:
                    if entry in listing and os.path.isfile(candidate):
                        found = candidate
                        break
            if found:
                break
        self._found[dotted] = found
        return found

    def _listing(self, folder: str) -> frozenset[str]:
        """The names in a folder (none when it is not one), read once."""
        names = self._listings.get(folder)
        if names is None:
            try:
                names = frozenset(os.listdir(folder))
            except OSError:
                names = frozenset()
            self._listings[folder] = names
        return names


def module_name_of(path: str, search_path: list[str]) -> str | None:
    """The dotted name of a file under one of the search-path folders."""
    full = os.path.abspath(path)
    for base in search_path:
        base = os.path.abspath(base)
        if full.startswith(base + os.sep):
            rel = Path(full[len(base) + 1:]).with_suffix("")
            parts = list(rel.parts)
            if parts and parts[-1] == "__init__":
                parts.pop()
            return ".".join(parts) if parts else None
    return None


def absolute(qualname: str, from_path: str, search_path: list[str]) -> str | None:
    """Turn a relative qualified name (`.base.Foo`, as ImportMap spells it) into an absolute one."""
    if not qualname.startswith("."):
        return qualname
    level = len(qualname) - len(qualname.lstrip("."))
    module = module_name_of(from_path, search_path)
    if module is None:
        return None
    package = module.split(".")
    if not from_path.endswith("__init__.py"):
        package = package[:-1]
    if level - 1 > len(package):
        return None
    package = package[:len(package) - (level - 1)]
    rest = qualname[level:]
    return ".".join(package + [rest]) if package else rest


@dataclass(frozen=True)
class ClassLookup:
    """Where a qualified name's class is defined, or whether following it left the source files."""

    found: tuple[str, int, str] | None = None  # (file, line, name)
    # The name leads to a module that has no source file on the search path (not installed, or compiled):
    # jedi would see at most a stub there, which is not asked for a name imported from it directly either.
    left_files: bool = False


def find_class(qualname: str, locator: ModuleLocator, files: FileCache) -> ClassLookup:
    """The class a qualified name denotes, following re-exports and aliases through module files."""
    for _ in range(MAX_HOPS):
        parts = qualname.split(".")
        for split in range(len(parts) - 1, 0, -1):
            module_path = locator.locate(".".join(parts[:split]))
            if module_path is not None:
                break
        else:
            return ClassLookup(left_files=True)
        rest = parts[split:]
        parsed = files.get(module_path)
        if parsed is None:
            return ClassLookup()  # unreadable: ask jedi
        name = rest[0]
        for node in parsed.tree.body:
            if isinstance(node, ast.ClassDef) and node.name == name:
                # a nested class (`Outer.Inner`) is left to jedi
                return ClassLookup(found=(module_path, node.lineno, name)) if len(rest) == 1 else ClassLookup()
        bound = _bound_to(parsed.tree, name, module_name_of(module_path, locator.search_path))
        if bound is None:
            return ClassLookup()
        qualname = absolute(".".join([bound, *rest[1:]]), module_path, locator.search_path) or ""
        if not qualname:
            return ClassLookup()
    return ClassLookup()


def _bound_to(tree: ast.Module, name: str, module: str | None) -> str | None:
    """The qualified name a module's one top-level binding of `name` refers to: `from x import y [as name]`,
    `import x.y as name`, or `name = a.b` (`a` imported, else defined in the module); None when there is
    no such binding, or more than one."""
    bindings: list[str | None] = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if (alias.asname or alias.name) == name:
                    prefix = "." * node.level + (node.module or "")
                    bindings.append(f"{prefix}.{alias.name}" if node.module or not node.level
                                    else f"{prefix}{alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname == name:
                    bindings.append(alias.name)
                elif alias.asname is None and alias.name.split(".")[0] == name:
                    bindings.append(name)
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            bindings.append(_assigned_name(tree, node.value, module) if len(node.targets) == 1 else None)
    return bindings[0] if len(bindings) == 1 else None


def _assigned_name(tree: ast.Module, value: ast.expr, module: str | None) -> str | None:
    """The qualified name of an assigned `a.b.c`, through the module's top-level imports of `a`."""
    spelled = dotted(value)
    if spelled is None:
        return None
    head, _, tail = spelled.partition(".")
    imported = _bound_to(ast.Module(body=[n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))],
                                    type_ignores=[]), head, module)
    if imported is not None:
        return f"{imported}.{tail}" if tail else imported
    return f"{module}.{spelled}" if module else None
