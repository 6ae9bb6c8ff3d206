"""Quick fixes: libcst edits built on demand for one finding (libcst is imported only here, lazily)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from secls.fixes.edit import Edit, apply_edit, data_edit, minimal_edit

if TYPE_CHECKING:
    from secls.analysis.findings import Finding
    from secls.config import Config

__all__ = ["Edit", "build_fix", "fixable_codes", "minimal_edit"]

FIXABLE = frozenset({"SEC101", "SEC104", "SEC105", "SEC106", "SEC107",
                     "SEC301", "SEC302", "SEC303", "SEC304", "SEC306", "SEC307", "SEC308",
                     "SEC802", "SEC803", "SEC804", "SEC805", "SEC806",
                     "SEC402", "SEC604", "SEC605", "SEC606", "SEC703", "SEC705", "SEC707"})


def fixable_codes() -> frozenset[str]:
    """Rule codes that have a fix builder (cheap: does not import libcst)."""
    return FIXABLE


def build_fix(text: str, finding: "Finding", config: "Config | None" = None) -> str | None:
    """The whole text with the finding's quick fix applied, or None when no safe edit can be built."""
    if finding.get("fix_text") is not None:  # the rule computed the edit itself (SEC001, SEC502)
        edit = data_edit(finding)
        new_text = apply_edit(text, edit, finding.get("fix_old")) if edit is not None else None
        return new_text if new_text != text else None
    if finding.code not in FIXABLE:
        return None
    try:
        from secls.fixes.apply import fixed_text
        return fixed_text(text, finding, config)
    except Exception:  # noqa: BLE001 - a fix must never take the editor down; no edit is the safe answer
        return None
