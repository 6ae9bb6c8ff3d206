"""Analysed snapshots of open documents: what was analysed, at which version, with which result."""

from __future__ import annotations

from dataclasses import dataclass, field

from secls.analysis import AnalysisResult, Finding
from secls.config import Config
from secls.deps.analyze import analyze_document
from secls.deps.osv import AdvisoryDatabase


@dataclass
class Snapshot:
    """One version of a document and its analysis."""

    uri: str
    version: int | None
    text: str
    config: Config
    result: AnalysisResult = field(default_factory=AnalysisResult)

    @property
    def findings(self) -> list[Finding]:
        """Findings to show: the syntax error alone, or the rule findings."""
        error = self.result.syntax_error
        return [error] if error is not None else self.result.findings


def analyse_snapshot(uri: str, version: int | None, text: str, path: str | None, config: Config,
                     db: AdvisoryDatabase | None = None) -> Snapshot:
    """Analyse one version of a Python module or requirement file (runs in a worker thread)."""
    return Snapshot(uri, version, text, config, analyze_document(text, path, config, db))
