"""Where a module's source lives, and which class a qualified name denotes, by reading files only."""

from __future__ import annotations

import ast
import os
from pathlib import Path

from secls.resolve.summaries import FileCache

MAX_HOPS = 8


class ModuleLocator:
    """Finds `a.b.c` as `a/b/c.py` or `a/b/c/__init__.py` under the search path (workspace first)."""

    def __init__(self, search_path: list[str]) -> None:
        self.search_path = [p for p in dict.fromkeys(search_path) if p and os.path.isdir(p)]
        self._found: dict[str, str | None] = {}

    def locate(self, dotted: str) -> str | None:
        """The source file of a module (a .py or .pyi), or None."""
        if dotted in self._found:
            return self._found[dotted]
        parts = dotted.split(".")
        found = None
        for base in self.search_path:
            folder = os.path.join(base, *parts)
            for candidate in (folder + ".py", os.path.join(folder, "__init__.py"), folder + ".pyi",
                              os.path.join(folder, "__init__.pyi")):
                if os.path.isfile(candidate):
                    found = candidate
                    break
            if found:
                break
        self._found[dotted] = found
        return found


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


def find_class(qualname: str, locator: ModuleLocator, files: FileCache) -> tuple[str, int, str] | None:
    """(file, line, name) of the class a qualified name denotes, following re-exports; None if unknown."""
    for _ in range(MAX_HOPS):
        parts = qualname.split(".")
        for split in range(len(parts) - 1, 0, -1):
            module_path = locator.locate(".".join(parts[:split]))
            if module_path is not None:
                break
        else:
            return None
        rest = parts[split:]
        parsed = files.get(module_path)
        if parsed is None or len(rest) != 1:
            return None  # nested classes and unreadable files: ask jedi
        name = rest[0]
        for node in parsed.tree.body:
            if isinstance(node, ast.ClassDef) and node.name == name:
                return module_path, node.lineno, name
        followed = _imported_as(parsed.tree, name)
        if followed is None:
            return None
        qualname = absolute(followed, module_path, locator.search_path) or ""
        if not qualname:
            return None
    return None


def _imported_as(tree: ast.Module, name: str) -> str | None:
    """The qualified name a module-level `from x import y [as name]` binds to `name`."""
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if (alias.asname or alias.name) == name:
                    prefix = "." * node.level + (node.module or "")
                    return f"{prefix}.{alias.name}" if node.module or not node.level else f"{prefix}{alias.name}"
    return None
