"""The analysis core is pure: no LSP types outside secls/server."""

from __future__ import annotations

import ast
from pathlib import Path

import secls

ROOT = Path(secls.__file__).parent
FORBIDDEN = ("pygls", "lsprotocol")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_server_imports_lsp_libraries() -> None:
    offenders = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*.py")
                 if "server" not in p.relative_to(ROOT).parts and _imports(p) & set(FORBIDDEN)]
    assert offenders == []


def test_analysis_and_rules_do_not_import_libcst_or_jedi() -> None:
    for package in ("analysis", "rules"):
        for path in (ROOT / package).rglob("*.py"):
            assert not _imports(path) & {"libcst", "jedi"}, path
