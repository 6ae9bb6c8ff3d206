"""The pure analysis core: source text in, findings out (no LSP types here)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from secls.analysis.findings import CATEGORIES, AnalysisResult, Finding, FixRef, Related, Severity

if TYPE_CHECKING:
    from secls.analysis.engine import SYNTAX_ERROR_CODE, analyze

__all__ = ["analyze", "AnalysisResult", "Finding", "FixRef", "Related", "Severity", "CATEGORIES",
           "SYNTAX_ERROR_CODE"]


def __getattr__(name: str) -> Any:
    # The engine imports the config and the rules, which import this package: load it on first use.
    if name in ("analyze", "SYNTAX_ERROR_CODE"):
        from secls.analysis import engine

        return getattr(engine, name)
    raise AttributeError(name)
