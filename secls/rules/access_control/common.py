"""Shared plumbing of the access-control rules: hosts, HTTP clients, localhost."""

from __future__ import annotations

import ast
import re

CATEGORY = "access-control"

HTTP_VERBS = frozenset({"get", "options", "head", "post", "put", "patch", "delete", "request"})
_LOCAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:[^@/]*@)?(?:localhost|127\.\d+\.\d+\.\d+|\[::1\]|::1)(?:[:/]|$)",
                    re.IGNORECASE)


def literal_text(node: ast.AST | None) -> str | None:
    """The leading literal text of a string or f-string (`f"https://localhost/{x}"` -> `https://localhost/`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        return str(node.values[0].value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return literal_text(node.left)
    return None


def is_local_url(node: ast.AST | None) -> bool:
    """Whether a URL or host literal points at this machine."""
    text = literal_text(node)
    return text is not None and _LOCAL.match(text) is not None
