"""`secls check --format sarif`: the structure SARIF 2.1.0 requires, checked without a network."""

from __future__ import annotations

from pathlib import Path

from secls.output.report import FileError, Report
from secls.output.sarif import artifact_uri, sarif_level
from secls.analysis.findings import Severity
from secls.rules import ALL_RULES
from tests.cli.conftest import EXAMPLES, LEAKY, run_subprocess

LEVELS = {"none", "note", "warning", "error"}


def _check_region(region: dict) -> None:
    assert region["startLine"] >= 1 and region["startColumn"] >= 1
    assert region["endLine"] >= region["startLine"]
    if region["endLine"] == region["startLine"]:
        assert region["endColumn"] >= region["startColumn"]


def test_sarif_log_structure() -> None:
    run = run_subprocess("check", "--format", "sarif", "examples")
    assert run.code == 1, run.err
    log = run.json()
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    [sarif_run] = log["runs"]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "secls" and driver["version"]
    assert sarif_run["columnKind"] == "unicodeCodePoints"
    ids = [r["id"] for r in driver["rules"]]
    assert ids == [r.code for r in ALL_RULES]
    for descriptor, rule in zip(driver["rules"], ALL_RULES):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"] == rule.docs
        assert descriptor["help"]["markdown"] == rule.docs
        assert descriptor["defaultConfiguration"]["level"] in LEVELS
        tags = descriptor["properties"]["tags"]
        assert rule.category in tags
        assert all(cwe in tags for cwe in rule.cwe)
    assert sarif_run["results"]
    for result in sarif_run["results"]:
        assert result["ruleId"] in ids
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in LEVELS
        assert result["message"]["text"]
        assert "fixes" not in result
        [location] = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == "examples/leaky_test.py"
        _check_region(physical["region"])
    assert sarif_run["invocations"][0]["executionSuccessful"] is True


def test_sarif_regions_match_json(project: Path, secls) -> None:
    (project / "test_a.py").write_text(LEAKY)
    findings = secls("check", "--format", "json", "test_a.py").json()["findings"]
    results = secls("check", "--format", "sarif", "test_a.py").json()["runs"][0]["results"]
    assert len(findings) == len(results)
    for f, r in zip(findings, results):
        region = r["locations"][0]["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (
            f["line"], f["column"], f["end_line"], f["end_column"])
        assert r["level"] == {"error": "error", "warning": "warning", "info": "note", "hint": "note"}[f["severity"]]


def test_sarif_syntax_error_is_a_notification(project: Path, secls) -> None:
    (project / "bad.py").write_text("def f(:\n")
    run = secls("check", "--format", "sarif", "bad.py")
    assert run.code == 1
    invocation = run.json()["runs"][0]["invocations"][0]
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and "syntax error" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["region"]["startLine"] == 1


def test_levels_and_uris() -> None:
    assert [sarif_level(s) for s in Severity] == ["error", "warning", "note", "note"]
    assert artifact_uri("a b/c.py") == "a%20b/c.py"
    assert artifact_uri("/tmp/x.py") == "file:///tmp/x.py"


def test_internal_error_marks_execution_unsuccessful() -> None:
    from secls.output.sarif import sarif_log

    report = Report(errors=[FileError("a.py", "internal error in SEC301", kind="internal")])
    log = sarif_log(report, ALL_RULES, "0")
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_clean_example_has_no_warning_results(secls) -> None:
    results = secls("check", "--format", "sarif", str(EXAMPLES / "clean_test.py")).json()["runs"][0]["results"]
    assert [r for r in results if r["level"] in ("error", "warning")] == []
