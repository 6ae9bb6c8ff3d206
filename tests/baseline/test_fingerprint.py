"""Baseline fingerprints survive moves, renames elsewhere and reformatting, and break when the flagged code changes."""

from __future__ import annotations

from secls.analysis import analyze
from secls.analysis.findings import Finding
from secls.baseline.fingerprint import Anchors, marks
from secls.baseline.match import new_entries, split_findings, stale_entries
from secls.baseline.model import Baseline
from secls.config import Config

PATH = "tests/test_volume.py"
MODULE = '''\
import subprocess
import tempfile
import unittest
from unittest import mock


def helper(cmd):
    try:
        subprocess.call(cmd, shell=True)
    except:
        pass


class TestVolume(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.d = tempfile.mkdtemp()
        self.e = tempfile.mkdtemp()

    @mock.patch("nova.policy.authorize", autospec=True)
    def test_policy(self, authorize):
        with mock.patch("os.getcwd", return_value="/") as getcwd:
            getcwd()
'''
CONFIG = Config().merged({"select": ["SEC", "SEC804"]})  # SEC804 is off by default
CODES = ["SEC102", "SEC302", "SEC302", "SEC401", "SEC402", "SEC801", "SEC804"]


def findings(text: str) -> list[Finding]:
    """What secls reports for a module at PATH (a test file)."""
    result = analyze(text, PATH, CONFIG)
    assert result.syntax_error is None and result.errors == []
    return result.findings


def baseline_of(text: str) -> Baseline:
    """A baseline that accepts every finding of `text`."""
    return Baseline(tuple(new_entries(text, PATH, findings(text))))


def shown_after(edited: str, original: str = MODULE) -> list[str]:
    """Codes still shown for `edited` with a baseline made from `original`."""
    found = findings(edited)
    visible, _ = split_findings(edited, PATH, found, baseline_of(original).keys_for(PATH))
    return sorted(f.code for f in visible)


def test_the_module_has_the_findings_the_tests_rely_on() -> None:
    assert sorted(f.code for f in findings(MODULE)) == CODES
    assert shown_after(MODULE) == []


def test_shifted_lines_keep_the_match() -> None:
    edited = MODULE.replace("import unittest\n", "import unittest\nimport os\n\nVALUE = os.sep\n\n\n")
    assert findings(edited)[0].line != findings(MODULE)[0].line
    assert shown_after(edited) == []


def test_renaming_unrelated_code_keeps_the_match() -> None:
    edited = MODULE.replace("def test_policy(self, authorize)", "def test_policy_renamed(self, authorize)")
    edited += "\n\ndef another_helper():\n    return 1\n"
    # Only the findings inside the renamed test move scope; the others still match.
    assert shown_after(edited) == ["SEC804"]
    edited = MODULE.replace("import subprocess\n", "import subprocess\nimport os as operating_system\n")
    assert shown_after(edited) == []


def test_reformatting_keeps_the_match() -> None:
    edited = (MODULE
              .replace("subprocess.call(cmd, shell=True)",
                       "subprocess.call(  # run it\n            cmd,\n            shell=True,\n        )")
              .replace('"nova.policy.authorize"', "'nova.policy.authorize'")
              .replace("self.d = tempfile.mkdtemp()", "self.d = (tempfile.mkdtemp())  # a comment")
              .replace('with mock.patch("os.getcwd", return_value="/") as getcwd:',
                       "with mock.patch(\n            'os.getcwd', return_value='/'\n        ) as getcwd:")
              .replace("    def setUp(self):\n", "    # set up\n    def setUp(self) :\n"))
    assert edited.count("\n") > MODULE.count("\n")
    assert shown_after(edited) == []


def test_changing_the_flagged_statement_breaks_the_match() -> None:
    edited = MODULE.replace("self.d = tempfile.mkdtemp()", "self.d = tempfile.mkdtemp(prefix='vol')")
    assert shown_after(edited) == ["SEC302"]
    edited = MODULE.replace("subprocess.call(cmd, shell=True)", "subprocess.check_call(cmd, shell=True)")
    assert shown_after(edited) == ["SEC102"]


def test_a_compound_statement_is_matched_by_its_header_only() -> None:
    # The body of the `with` and of the `try` changes; their headers (the flagged parts) do not.
    edited = MODULE.replace("            getcwd()\n", "            getcwd()\n            getcwd()\n")
    edited = edited.replace("    except:\n        pass\n", "    except:\n        pass  # ignored\n        pass\n")
    assert shown_after(edited) == []
    edited = MODULE.replace('return_value="/"', 'return_value="/srv"')
    assert shown_after(edited) == ["SEC804"]


def test_a_decorator_is_matched_alone() -> None:
    edited = MODULE.replace('    @mock.patch("nova.policy.authorize", autospec=True)\n',
                            '    @unittest.skipIf(False, "never")\n'
                            '    @mock.patch("nova.policy.authorize", autospec=True)\n')
    assert shown_after(edited) == []
    edited = MODULE.replace('"nova.policy.authorize"', '"nova.policy.enforce"')
    assert shown_after(edited) == ["SEC801"]


def test_identical_statements_are_told_apart_by_occurrence() -> None:
    text = MODULE.replace("self.e = tempfile.mkdtemp()", "self.d = tempfile.mkdtemp()")
    found = marks(text, PATH, findings(text))
    sec302 = [m for m in found if m.code == "SEC302"]
    assert len({m.fingerprint for m in sec302}) == 1
    assert sorted(m.occurrence for m in sec302) == [0, 1]
    # One of the two goes: the other still matches, and one entry matches nothing.
    baseline = baseline_of(text)
    edited = text.replace("        self.d = tempfile.mkdtemp()\n", "", 1)
    visible, keys = split_findings(edited, PATH, findings(edited), baseline.keys_for(PATH))
    assert "SEC302" not in [f.code for f in visible]
    stale = stale_entries(baseline, {(PATH, k) for k in keys}, {PATH})
    assert [(e.code, e.occurrence) for e in stale] == [("SEC302", 1)]
    # A third identical statement is new: it is shown.
    edited = text.replace("        self.d = tempfile.mkdtemp()\n", "        self.d = tempfile.mkdtemp()\n" * 2, 1)
    visible, _ = split_findings(edited, PATH, findings(edited), baseline.keys_for(PATH))
    assert [f.code for f in visible] == ["SEC302"]


def test_stale_entries_are_only_those_of_checked_files() -> None:
    baseline = baseline_of(MODULE)
    assert stale_entries(baseline, set(), {"other.py"}) == []
    assert len(stale_entries(baseline, set(), {PATH})) == len(CODES)


def test_anchors_name_the_scope_and_the_statement() -> None:
    anchors = Anchors(MODULE)
    by_code = {f.code: anchors.of(f.line, f.column) for f in findings(MODULE)}
    assert (by_code["SEC102"].scope, by_code["SEC102"].statement) == ("helper", "subprocess.call(cmd, shell=True)")
    assert by_code["SEC402"].statement == "except:"
    assert (by_code["SEC801"].scope, by_code["SEC801"].statement) == (
        "TestVolume", "@mock.patch('nova.policy.authorize', autospec=True)")
    assert by_code["SEC804"].scope == "TestVolume.test_policy"
    assert by_code["SEC804"].statement == "with mock.patch('os.getcwd', return_value='/') as getcwd:"


def test_multibyte_text_before_the_finding_on_the_same_line() -> None:
    text = 'import tempfile\nx = "ünïcødé"; y = tempfile.mkdtemp(); z = 1\n'
    anchors = Anchors(text)
    assert anchors.of(2, text.splitlines()[1].index("y")).statement == "y = tempfile.mkdtemp()"
    assert anchors.of(2, text.splitlines()[1].index("z")).statement == "z = 1"


def test_lines_stand_in_where_there_is_no_statement() -> None:
    text = "def f():\n    x = 1\n    # password = 'hunter2'   \n    return x\n"
    assert Anchors(text).of(3, 4).statement == "# password = 'hunter2'"
    assert Anchors(text).of(3, 4).scope == "f"
    broken = "def f(:\n    x =   1\n"
    assert Anchors(broken).of(2, 4).statement == "x = 1"
    requirements = "requests ==  2.0.0   # pinned\n"
    assert Anchors(requirements, python=False).of(1, 0).statement == "requests == 2.0.0 # pinned"


def test_findings_of_rules_without_entries_are_left_alone() -> None:
    only = Baseline(tuple(e for e in baseline_of(MODULE).entries if e.code == "SEC302"))
    visible, matched = split_findings(MODULE, PATH, findings(MODULE), only.keys_for(PATH))
    assert sorted(f.code for f in visible) == [c for c in CODES if c != "SEC302"]
    assert [key[0] for key in matched] == ["SEC302", "SEC302"]
