"""SARIF 2.1.0 output: rule metadata from the rule docs, one result per finding, no fixes."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from secls.analysis.findings import Finding, Severity
from secls.output.report import FileError, Report
from secls.rules.base import Rule

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/secls/secls"

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note",
           Severity.HINT: "note"}


def sarif_level(severity: Severity) -> str:
    """SARIF's level for a severity: error, warning, or note (info and hint)."""
    return _LEVELS[severity]


def artifact_uri(path: str) -> str:
    """A path as a SARIF artifact URI: relative paths stay relative references, absolute become file URIs."""
    if os.path.isabs(path):
        return PurePath(path).as_uri()
    return quote(PurePath(path).as_posix())


def _cwe_tags(rule: Rule) -> list[str]:
    return [f"external/cwe/{c.lower()}" for c in rule.cwe]


def rule_descriptor(rule: Rule, docs_url: str | None = None) -> dict[str, Any]:
    """A reportingDescriptor for a rule, from its metadata and docs."""
    descriptor: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.docs, "markdown": rule.docs},
        "help": {"text": rule.docs, "markdown": rule.docs},
        "defaultConfiguration": {"level": sarif_level(rule.severity),
                                 "enabled": rule.enabled_by_default},
        "properties": {"tags": ["security", rule.category, *rule.cwe, *_cwe_tags(rule)]},
    }
    if docs_url:
        descriptor["helpUri"] = docs_url.replace("{code}", rule.code)
    return descriptor


def _region(line: int, column: int, end_line: int, end_column: int) -> dict[str, int]:
    # SARIF columns are 1-based and endColumn is exclusive, like ours once shifted by one.
    return {"startLine": line, "startColumn": column + 1, "endLine": end_line, "endColumn": end_column + 1}


def _result(path: str, finding: Finding, index: int | None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": sarif_level(finding.severity),
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": artifact_uri(path)},
            "region": _region(finding.line, finding.column, finding.end_line, finding.end_column),
        }}],
        "properties": {"category": finding.category, "severity": finding.severity.label},
    }
    if index is not None:
        result["ruleIndex"] = index
    return result


def _notification(error: FileError) -> dict[str, Any]:
    note: dict[str, Any] = {"level": "error", "message": {"text": error.message}}
    location: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(error.path)}}
    if error.line is not None:
        location["region"] = {"startLine": error.line, "startColumn": error.column or 1}
    note["locations"] = [{"physicalLocation": location}]
    if error.code:
        note["descriptor"] = {"id": error.code}
    return note


def sarif_log(report: Report, rules: Sequence[Rule], version: str,
              docs_url: str | None = None) -> dict[str, Any]:
    """The report as a SARIF 2.1.0 log (a dict); errors become tool execution notifications."""
    index = {rule.code: i for i, rule in enumerate(rules)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {
                "name": "secls",
                "version": version,
                "semanticVersion": version,
                "informationUri": INFORMATION_URI,
                "rules": [rule_descriptor(r, docs_url) for r in rules],
            }},
            # Finding columns count code points, not SARIF's default UTF-16 code units.
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": not any(e.kind == "internal" for e in report.errors),
                "toolExecutionNotifications": [_notification(e) for e in report.errors],
            }],
            "results": [_result(pf.path, pf.finding, index.get(pf.finding.code)) for pf in report.findings],
        }],
    }


def format_sarif(report: Report, rules: Sequence[Rule], version: str, docs_url: str | None = None) -> str:
    """The report as SARIF 2.1.0 JSON text."""
    return json.dumps(sarif_log(report, rules, version, docs_url), indent=2, ensure_ascii=False) + "\n"
