"""`secls review`: one section per category with what was examined, findings with lines, verdicts."""

from __future__ import annotations

from pathlib import Path

from secls.analysis.findings import CATEGORIES
from tests.cli.conftest import EXAMPLES, LEAKY

MIXED = '''\
import pickle
import subprocess
import unittest
from unittest import mock

import requests

API_PASSWORD = "hunter2-S3cr3t!"


def load(blob, host):
    subprocess.call("ping " + host, shell=True)
    try:
        return pickle.loads(blob)
    except Exception:
        pass


class TestLoad(unittest.TestCase):
    def setUp(self):
        self.patcher = mock.patch("myapp.policy.authorize")
        self.patcher.start()

    def test_it(self):
        assert requests.get("https://example.org", verify=False)
'''


def headings(markdown: str) -> list[str]:
    return [line[4:] for line in markdown.splitlines() if line.startswith("### ") and line[4].isdigit()]


def test_every_finding_of_check_is_in_its_section_with_its_line(secls, project: Path) -> None:
    (project / "test_mixed.py").write_text(MIXED)
    checked = secls("check", "--no-resolve", "--format", "json", "test_mixed.py").json()["findings"]
    assert len(checked) >= 8
    run = secls("review", "--no-resolve", "--format", "json", "test_mixed.py")
    assert run.code == 1, run.err
    data = run.json()
    [file] = data["files"]
    assert [s["slug"] for s in file["sections"]] == list(CATEGORIES)
    listed = {(f["code"], f["line"], s["slug"], f["severity"]) for s in file["sections"] for f in s["findings"]}
    assert listed == {(f["code"], f["line"], f["category"], f["severity"]) for f in checked}
    for section in file["sections"]:
        assert section["examined"] and section["verdict"]
        for finding in section["findings"]:
            assert finding["location"] == f"test_mixed.py:{finding['line']}"
            # The excerpt holds the flagged line.
            first = finding["excerpt"]["first_line"]
            assert MIXED.splitlines()[finding["line"] - 1] == finding["excerpt"]["lines"][finding["line"] - first]
    assert file["defects"] == sum(f["severity"] in ("error", "warning") for f in checked)
    assert data["verdict"].startswith(f"{file['defects']} security defects to fix in 1 file reviewed")


def test_markdown_lists_findings_examined_facts_and_verdicts(secls, project: Path) -> None:
    (project / "test_mixed.py").write_text(MIXED)
    run = secls("review", "--no-resolve", "test_mixed.py")
    assert run.code == 1
    md = run.out
    assert headings(md) == [f"{n}. {title}" for n, title in enumerate(CATEGORIES.values(), 1)]
    assert md.count("**Verdict:**") == 8
    sections = dict(zip(CATEGORIES, md.split("\n### ")[1:9]))
    assert "1 call to subprocess or the shell (line 12); 1 call to deserialisers (line 14)" in sections[
        "input-validation"]
    assert "**`test_mixed.py:12`** SEC102 shell-injection [error]" in sections["input-validation"]
    assert "1 credential-like name: `API_PASSWORD` (line 8)" in sections["secrets"]
    assert "1 acquisition, 0 released, 1 not released (line 22)" in sections["resource-release"]
    assert "fix available: Stop the patcher with addCleanup" in sections["resource-release"]
    assert "1 try statement, 1 except handler (1 broad: line 15), 0 finally blocks." in sections["error-handling"]
    assert "1 third-party module imported: requests." in sections["dependencies"]
    assert "3 standard library modules imported: pickle, subprocess, unittest." in sections["dependencies"]
    assert "1 call to network clients and TLS (line 25)" in sections["access-control"]
    assert "unsafe fix available: Remove verify=False" in sections["access-control"]
    assert "1 of them replaces a security control: 1 policy function (`myapp.policy.authorize`)" in sections[
        "mocking"]
    assert "**Verdict:** No defects; 1 informational note (SEC801)." in sections["mocking"]
    assert "**Verdict:** 1 defect to fix (1 warning; 1 with a quick fix)." in sections["resource-release"]
    assert "6 direct security defects found (2 error, 4 warning: SEC102, SEC104, SEC301, SEC401, SEC703, SEC707)" \
        in md
    assert md.rstrip().endswith("6 security defects to fix in 1 file reviewed (3 informational notes).")


def test_examples_clean_and_leaky(secls) -> None:
    run = secls("review", "--no-resolve", str(EXAMPLES))
    assert run.code == 1
    clean, leaky = run.out.split("\n## `")[1:3]
    assert clean.startswith(f"{EXAMPLES}/clean_test.py")
    assert "3 acquisitions, all released: 3 via addCleanup." in clean
    assert "No direct security defects were found." in clean
    assert "3 acquisitions, 0 released, 3 not released (lines 12, 13, 14)." in leaky
    for line, code in ((12, "SEC301"), (13, "SEC302"), (14, "SEC303")):
        assert f"**`{EXAMPLES}/leaky_test.py:{line}`** {code}" in leaky


def test_output_file_and_html(secls, project: Path) -> None:
    (project / "test_leaky.py").write_text(LEAKY)
    run = secls("review", "--no-resolve", "--format", "html", "--output", "report.html", "test_leaky.py")
    assert run.code == 1 and run.out == ""
    page = (project / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page and "http" not in page
    assert page.count('<section class="category') == 8
    assert 'data-code="SEC302" data-line="7"' in page


def test_bad_input_gets_a_message(secls, project: Path) -> None:
    (project / "test_broken.py").write_text("def f(:\n")
    (project / "requirements.txt").write_text("requests==2.0\n")
    run = secls("review", "--no-resolve", "test_broken.py", "requirements.txt")
    assert run.code == 1
    assert "Not reviewed: line 1: syntax error" in run.out
    assert "Not reviewed: a requirement file" in run.out
    assert "2 files were not reviewed" in run.out
    missing = secls("review", "--no-resolve", "nowhere.py")
    assert missing.code == 2 and "nowhere.py: no such file or directory" in missing.err
    assert secls("review", "--select", "XYZ", "test_broken.py").code == 2
    assert secls("review", "--root", "nowhere", "test_broken.py").code == 2
    unwritable = secls("review", "--no-resolve", "--output", str(project / "no" / "dir.md"), "test_broken.py")
    assert unwritable.code == 2 and "--output: cannot write" in unwritable.err


def test_select_and_ignore_apply(secls, project: Path) -> None:
    (project / "test_mixed.py").write_text(MIXED)
    data = secls("review", "--no-resolve", "--format", "json", "--select", "SEC3", "test_mixed.py").json()
    codes = {f["code"] for s in data["files"][0]["sections"] for f in s["findings"]}
    assert codes == {"SEC301"}
    data = secls("review", "--no-resolve", "--format", "json", "--ignore", "SEC3,SEC7", "test_mixed.py").json()
    codes = {f["code"] for s in data["files"][0]["sections"] for f in s["findings"]}
    assert codes and not any(c.startswith(("SEC3", "SEC7")) for c in codes)
