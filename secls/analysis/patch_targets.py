"""The dotted target a patch call names, as the module spells it through its imports."""

from __future__ import annotations

import ast

from secls.analysis.imports import ImportMap

PATCH_BY_TARGET = frozenset({"unittest.mock.patch", "fixtures.MockPatch", "fixtures._fixtures.mockpatch.MockPatch"})
PATCH_BY_OBJECT = frozenset({"unittest.mock.patch.object", "fixtures.MockPatchObject",
                             "fixtures._fixtures.mockpatch.MockPatchObject"})
# The own names of the calls above (a call's qualified name ends with the name `ImportMap.called_name` gives).
_PATCH_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in PATCH_BY_TARGET | PATCH_BY_OBJECT)


def patch_target_of(call: ast.Call, imports: ImportMap, shadowed: frozenset[str] = frozenset()) -> str | None:
    """The dotted target a patch call names (`patch("a.b")`, `patch.object(a, "b")`), if absolute.

    `shadowed` are names the module also assigns or takes as parameters: `driver._conn` there may be
    a local variable, not the imported module.
    """
    if imports.called_name(call) not in _PATCH_NAMES:
        return None
    qual = imports.qualname(call.func)
    if qual in PATCH_BY_TARGET and call.args:
        first = call.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str) and "." in first.value:
            return first.value
    elif qual in PATCH_BY_OBJECT and len(call.args) >= 2:
        owner = imports.qualname(call.args[0])
        attr = call.args[1]
        root = call.args[0]
        while isinstance(root, ast.Attribute):
            root = root.value
        if owner and not owner.startswith(".") and isinstance(attr, ast.Constant) and isinstance(attr.value, str) \
                and isinstance(root, ast.Name) and root.id in imports.aliases and root.id not in shadowed:
            return f"{owner}.{attr.value}"
    return None
