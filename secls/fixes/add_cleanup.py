"""SEC301/SEC302/SEC303: register the release with addCleanup right after the acquisition."""

from __future__ import annotations

import libcst as cst

from secls.analysis.findings import Finding
from secls.config import Config
from secls.fixes.bind_patcher import bind_chained_patcher
from secls.fixes.imports import ensure_module, module_spelling
from secls.fixes.locate import Located
from secls.fixes.statements import Unit, registered_after, unit_of
from secls.fixes.transform import Edits
from secls.rules.resource_release.sec303_handle_not_closed import released_names


def _insert_cleanups(located: Located, edits: Edits, unit: Unit, calls: list[str]) -> bool:
    """Insert each cleanup call after the unit, in this order; False if they are all there already."""
    fresh = [c for c in calls if not registered_after(unit, c, located)]
    if not fresh:
        return False
    edits.insert_after(unit.node, [unit.build(c, located) for c in fresh])
    return True


def patch_not_stopped(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """SEC301: `registrar(patcher.stop)` after the start, binding a chained patcher first."""
    registrar = finding.get("registrar") or ""
    patcher = finding.get("patcher") or ""
    call = located.at(finding, cst.Call)
    if not registrar or call is None or not _is_start(call):
        return None
    receiver = call.func.value  # type: ignore[attr-defined]
    unit = unit_of(call, located)
    if unit is None:
        return None
    edits = Edits()
    if patcher:
        if located.code(receiver) != patcher:
            return None  # stale: the range no longer holds this patcher's start
        return edits if _insert_cleanups(located, edits, unit, [f"{registrar}({patcher}.stop)"]) else None
    if not isinstance(receiver, cst.Call):
        return None
    return bind_chained_patcher(located, edits, unit, call, registrar, config, finding.get("result") or "")


def _is_start(call: cst.Call) -> bool:
    return isinstance(call.func, cst.Attribute) and call.func.attr.value == "start" and not call.args


def temp_not_removed(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """SEC302: remove the directory, clean up the TemporaryDirectory, close/unlink mkstemp's results."""
    registrar, target, kind = finding.get("registrar") or "", finding.get("target") or "", finding.get("kind")
    call = located.at(finding, cst.Call)
    if not registrar or not target or call is None:
        return None
    unit = unit_of(call, located)
    if unit is None or not _assigns_to(unit, call, target, located):
        return None
    if kind == "tempdir":
        calls, module_needed = [f"{registrar}({{mod}}.rmtree, {target}, ignore_errors=True)"], "shutil"
    elif kind == "tempdir_obj":
        calls, module_needed = [f"{registrar}({target}.cleanup)"], ""
    elif kind == "tempfile":
        calls, module_needed = [f"{registrar}({{mod}}.unlink, {target}.name)"], "os"
    elif kind == "mkstemp":
        calls, module_needed = _mkstemp_cleanups(registrar, target, finding.get("needs") or ""), "os"
    else:
        return None
    if not calls:
        return None
    edits = Edits()
    if module_needed:
        # Spell the module as this file does; a missing import is added only if a cleanup is inserted.
        spelled = module_spelling(located, module_needed) or module_needed
        calls = [c.replace("{mod}", spelled) for c in calls]
    if not _insert_cleanups(located, edits, unit, calls):
        return None
    if module_needed:
        ensure_module(located, edits, module_needed)
    return edits


def _mkstemp_cleanups(registrar: str, target: str, needs: str) -> list[str]:
    """Unlink first, close second: cleanups run last-in first-out, so the descriptor closes before unlink."""
    parts = [p.strip() for p in target.split(",")]
    wanted = [n for n in needs.split(",") if n] or ["fd", "path"]
    if len(parts) == 2:
        fd, path = parts
    elif len(parts) == 1:
        fd, path = f"{parts[0]}[0]", f"{parts[0]}[1]"
    else:
        return []
    calls = []
    if "path" in wanted:
        if path == "_":
            return []
        calls.append(f"{registrar}({{mod}}.unlink, {path})")
    if "fd" in wanted:
        if fd == "_":
            return []
        calls.append(f"{registrar}({{mod}}.close, {fd})")
    return calls


def _assigns_to(unit: Unit, call: cst.Call, target: str, located: Located) -> bool:
    """Whether the unit binds the call's result to the target spelling (a stale finding does not)."""
    small = unit.small
    if isinstance(small, cst.Assign) and small.value is call and len(small.targets) == 1:
        spelled = located.code(small.targets[0].target)
    elif isinstance(small, cst.AnnAssign) and small.value is call:
        spelled = located.code(small.target)
    else:
        return False
    return _normal(spelled) == _normal(target)


def _normal(text: str) -> str:
    return "".join(text.split()).strip("()[]").replace(",", ", ")


def handle_not_closed(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """SEC303: `registrar(target.close)` (or the matching releases, LIFO-ordered) after the acquisition."""
    registrar, target = finding.get("registrar") or "", finding.get("target") or ""
    releases = [r for r in (finding.get("release") or "").split(",") if r]
    call = located.at(finding, cst.Call)
    if not registrar or not target or not releases or call is None:
        return None
    unit = unit_of(call, located)
    if unit is None or not _assigns_to(unit, call, target, located):
        return None
    # `r, w = socket.socketpair()`: each of the pair is released (not `addCleanup(r, w.close)`).
    names = released_names(target)
    if names is None:
        return None
    # Cleanups run last-in first-out: register in reverse so they run in the listed order (kill, wait).
    calls = [f"{registrar}({name}.{release})" for name in names for release in reversed(releases)]
    edits = Edits()
    return edits if _insert_cleanups(located, edits, unit, calls) else None
