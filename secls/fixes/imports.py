"""Module-level imports: how a module is spelled here, and adding an import after the existing ones."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from secls.fixes.locate import Located
from secls.fixes.statements import parse_line
from secls.fixes.transform import Edits

# Spellings that name the same module (the `mock` backport is unittest.mock).
_SAME = {"mock": "unittest.mock"}


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def _module_level_imports(statements: list[cst.CSTNode]) -> Iterator[cst.Import | cst.ImportFrom]:
    """Imports at module level, also inside top-level `try`/`if` blocks, not inside functions or classes."""
    for statement in statements:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, (cst.Import, cst.ImportFrom)):
                    yield small
        elif isinstance(statement, (cst.If, cst.Try, cst.With)):
            blocks = [statement.body]
            if isinstance(statement, cst.Try):
                blocks += [h.body for h in statement.handlers]
                blocks += [b.body for b in (statement.orelse, statement.finalbody) if b is not None]
            elif isinstance(statement, cst.If) and statement.orelse is not None:
                blocks.append(statement.orelse.body if isinstance(statement.orelse, cst.Else) else
                              cst.IndentedBlock(body=[statement.orelse]))
            for block in blocks:
                yield from _module_level_imports(list(block.body))


def module_spelling(located: Located, module_name: str) -> str | None:
    """The local spelling of a module (`shutil`, `sh` for `import shutil as sh`, `mock`), or None."""
    for imp in _module_level_imports(list(located.module.body)):
        if isinstance(imp, cst.Import):
            for alias in imp.names:
                full = _dotted(alias.name)
                canonical = _SAME.get(full, full)
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    if canonical == module_name:
                        return alias.asname.name.value
                elif full == module_name or full.startswith(module_name + "."):
                    return module_name  # `import os.path` binds `os` too
                elif canonical == module_name:
                    return full  # `import mock`, the backport
        elif isinstance(imp, cst.ImportFrom) and imp.module is not None and not imp.relative \
                and not isinstance(imp.names, cst.ImportStar):
            base = _SAME.get(_dotted(imp.module), _dotted(imp.module))
            for alias in imp.names:
                if f"{base}.{_dotted(alias.name)}" == module_name:
                    return alias.asname.name.value if alias.asname is not None else _dotted(alias.name)  # type: ignore[union-attr]
    return None


def imported_name(located: Located, qualified: str) -> str | None:
    """The local name of `from module import name` (e.g. `patch` for unittest.mock.patch), or None."""
    module_name, _, name = qualified.rpartition(".")
    for imp in _module_level_imports(list(located.module.body)):
        if isinstance(imp, cst.ImportFrom) and imp.module is not None and not imp.relative \
                and not isinstance(imp.names, cst.ImportStar):
            if _SAME.get(_dotted(imp.module), _dotted(imp.module)) != module_name:
                continue
            for alias in imp.names:
                if _dotted(alias.name) == name:
                    return alias.asname.name.value if alias.asname is not None else name  # type: ignore[union-attr]
    return None


def ensure_module(located: Located, edits: Edits, module_name: str) -> str:
    """The spelling of a module, adding `import module_name` after the existing imports when missing."""
    spelled = module_spelling(located, module_name)
    if spelled is not None:
        return spelled
    add_import(located, edits, f"import {module_name}")
    return module_name


def add_import(located: Located, edits: Edits, code: str) -> None:
    """Insert an import line after the last top-level import (else after the docstring, else first)."""
    body = list(located.module.body)
    statement = parse_line(code, located)
    last_import = None
    for item in body:
        if isinstance(item, cst.SimpleStatementLine) and all(
                isinstance(s, (cst.Import, cst.ImportFrom)) for s in item.body):
            last_import = item
        elif last_import is not None:
            break
    if last_import is not None:
        edits.insert_after(last_import, [statement])
        return
    if body and _is_docstring(body[0]):
        edits.insert_after(body[0], [statement])  # type: ignore[arg-type]
    elif body:
        edits.insert_before(body[0], [statement])  # type: ignore[arg-type]
    else:
        raise ValueError("an empty module has nothing to fix")


def _is_docstring(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 \
        and isinstance(statement.body[0], cst.Expr) \
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
