"""Document rules: SEC502/SEC503 over a requirement file, giving the same results as a Python analysis."""

from __future__ import annotations

from pathlib import PurePath

from secls.analysis.findings import AnalysisResult, Finding, Severity
from secls.analysis.source import SourceLines
from secls.analysis.suppressions import ALL, line_suppressions
from secls.analysis.resolution import BaseResolver
from secls.config import Config
from secls.deps.kinds import is_application_file, requirement_kind
from secls.deps.model import ParsedFile
from secls.deps.osv import AdvisoryDatabase
from secls.deps.parse import parse_file
from secls.rules.dependencies import sec502_vulnerable_dependency as sec502
from secls.rules.dependencies import sec503_unpinned_dependency as sec503

TOML_ERROR_CODE = "E999"


def _findings(parsed: ParsedFile, config: Config, db: AdvisoryDatabase | None) -> list[Finding]:
    found: list[Finding] = []
    if config.is_enabled(sec502.RULE.code):
        found += [sec502.check_problem(p) for p in parsed.problems]
        if db is not None:
            for entry in parsed.entries:
                check = sec502.check_pin if entry.pinned is not None else sec502.check_range
                found += check(entry, db)
    if config.is_enabled(sec503.RULE.code) and is_application_file(parsed.kind):
        for entry in parsed.entries:
            found += sec503.check_entry(entry)
    return found


def analyze_requirements(text: str, path: str | PurePath | None, config: Config | None = None,
                         db: AdvisoryDatabase | None = None) -> AnalysisResult:
    """Analyse a requirement file (its kind from its name, else pip's format); never raises for bad input."""
    config = config or Config()
    kind = requirement_kind(path) or "requirements"
    parsed = parse_file(text, kind)
    result = AnalysisResult()
    if kind in ("pyproject", "pylock") and parsed.problems and not parsed.entries:
        problem = parsed.problems[0]  # TOML that does not parse: nothing was checked
        s = problem.span
        result.syntax_error = Finding(code=TOML_ERROR_CODE, category="", severity=Severity.ERROR,
                                      message=problem.message, line=s.line, column=s.column,
                                      end_line=s.end_line, end_column=s.end_column)
        return result
    source = SourceLines(text)
    kept = []
    for f in _findings(parsed, config, db):
        codes = line_suppressions(source.line(f.line))
        if ALL in codes or f.code in codes:
            result.suppressed += 1
        else:
            kept.append(f.with_severity(config.severity_for(f.code, f.severity)))
    result.findings = sorted(kept, key=Finding.sort_key)
    return result


def analyze_document(text: str, path: str | PurePath | None, config: Config | None = None,
                     db: AdvisoryDatabase | None = None, requirements: bool = False,
                     resolver: BaseResolver | None = None, keep: list[object] | None = None) -> AnalysisResult:
    """Analyse a requirement file or a Python module, by the file's name (or as requirements when told);
    `keep` receives a module's syntax tree (see `analyze`)."""
    if requirements or requirement_kind(path) is not None:
        return analyze_requirements(text, path, config, db)
    from secls.analysis import analyze

    return analyze(text, path, config, resolver=resolver, keep=keep)
