"""Analysed snapshots of open documents: what was analysed, at which version, with which result."""

from __future__ import annotations

import gc
from dataclasses import dataclass, field

from secls.analysis import AnalysisResult, Finding
from secls.analysis.resolution import Resolution
from secls.baseline.match import split_findings
from secls.baseline.model import Key
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
    resolved: int = 0  # the generation of cross-file answers it was analysed with
    edits: int = 0  # how many edits the document had had (its EditLog count) when this text was taken
    carried: tuple[Finding, ...] = ()  # while it does not parse: the last good findings, moved through the edits
    accepted: frozenset[Key] = frozenset()  # the baseline entries of this document (their findings are hidden)

    @property
    def findings(self) -> list[Finding]:
        """Findings to show: the syntax error and the carried findings, or the rule findings."""
        error = self.result.syntax_error
        return [error, *self.carried] if error is not None else self.result.findings


def analyse_snapshot(uri: str, version: int | None, text: str, path: str | None, config: Config,
                     db: AdvisoryDatabase | None = None, resolution: Resolution | None = None,
                     accepted: frozenset[Key] = frozenset(), keep: list[object] | None = None) -> Snapshot:
    """Analyse one version of a Python module or requirement file (runs in a worker thread).

    Findings the baseline accepts (`accepted`) are left out; `keep` receives the syntax tree, for the
    caller to free after publishing.
    """
    # The trees hold no reference cycles, so reference counting frees them; a full cyclic collection
    # in the middle of an analysis would walk every live node (measured: the 100 ms latency spikes).
    gc.disable()
    try:
        result = analyze_document(text, path, config, db, resolver=resolution, keep=keep)
        if accepted and result.syntax_error is None:
            result.findings, _ = split_findings(text, path, result.findings, accepted)
    finally:
        gc.enable()
    return Snapshot(uri, version, text, config, result, resolution.generation if resolution else 0, accepted)
