"""The pure analysis core: source text in, findings out (no LSP types here)."""

from secls.analysis.engine import SYNTAX_ERROR_CODE, analyze
from secls.analysis.findings import CATEGORIES, AnalysisResult, Finding, FixRef, Related, Severity

__all__ = ["analyze", "AnalysisResult", "Finding", "FixRef", "Related", "Severity", "CATEGORIES",
           "SYNTAX_ERROR_CODE"]
