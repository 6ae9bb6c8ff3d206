"""Every input the fuzzer or the corpus fix runs broke something with, reduced, and what must hold for it now."""

from __future__ import annotations

import pytest

from secls.analysis import analyze
from secls.fixes import build_fix
from secls.fixes.apply import fixed_text
from tests.fuzz.harness import all_rules_config, check_text

TEST_PATH = "pkg/tests/test_regression.py"

# Inputs that must analyse without an internal error and whose every offered fix keeps the invariants.
CASES: dict[str, str] = {
    # fuzz (nest_deeply): is_literal, SEC103's string parts and the taint walk recursed once per `+`.
    "deep_plus_into_sql": 'cur.execute("select * from t where a = " + ' + " + ".join(["x"] * 1000) + ")\n",
    "deep_plus_into_eval": "eval(" + " + ".join(["input()"] * 1000) + ")\n",
    "deep_plus_into_shell": "import os\nos.system(" + " + ".join(["a"] * 1000) + ")\n",
    "deep_subscript_into_eval": "from flask import request\neval(request.args" + "[0]" * 900 + ")\n",
    # fuzz (nest_deeply): libcst recursed past the stack building fixes (yaml.load, md5, autospec, timeout).
    "deep_call_in_fixable_call": "import yaml\nyaml.load(" + " + ".join(["a"] * 600) + ")\n",
    "deep_not_next_to_a_fix": ("import hashlib\nhashlib.md5(b'x')\nx = " + "not " * 900 + "a\n"),
    # fuzz (to_lone_cr): libcst drops a final lone CR, so the fixed text lost the file's last line break.
    "lone_cr_line_breaks": "import hashlib\rhashlib.new('md5')\r",
    # fuzz (mutated neutron test_floatingip_pools.py): `autospec=True` went before the closing `)` line,
    # changing that line and the columns of the next patch on it.
    "autospec_multiline_with": '''\
from unittest import mock


def test_pools(self):
    with mock.patch.object(
        subnet_obj.Subnet, 'get_objects',
        return_value=[1]
    ) as m1, mock.patch.object(
        net_obj.ExternalNetwork, 'get_objects',
        return_value=[2]
    ) as m2:
        pass
''',
    # corpus (nova test_nova_manage.py): in a parenthesised with item the call's range started at `(`,
    # so the offered SEC804 fix was never built.
    "autospec_parenthesised_with_item": '''\
from unittest import mock


def test_remove(self):
    with (
        mock.patch(
            'nova.compute.rpcapi.ComputeAPI.remove_volume_connection',
            side_effect=ValueError)
    ) as (
        mock_remove
    ):
        pass
''',
    # fuzz (neutron test_batch_notifier.py): a cleanup registered in one test counted for the other
    # test's start of the same patcher, so fixing one finding made the other disappear.
    "patcher_started_in_two_tests": '''\
import unittest
from unittest import mock


class T(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.spawn_p = mock.patch.object(unittest, 'main')

    def test_one(self):
        spawn = self.spawn_p.start()
        self.assertEqual(0, spawn.call_count)

    def test_two(self):
        spawn = self.spawn_p.start()
        self.assertEqual(1, spawn.call_count)
''',
    # fuzz (bandit examples/try_except_continue.py): `except Exception:` reveals SEC403 on its body.
    "bare_except_then_swallowed": '''\
for i in {0, 2}:
    try:
        a = i
    except ZeroDivisionError:
        continue
    except:
        a = 2
''',
    # fuzz (bandit examples/xml_minidom.py, a duplicated line): the added import moved an identical call
    # to the fixed one's place, and the idempotence check fixed that one.
    "identical_call_moves_into_place": '''\
from xml.dom.minidom import parse as badParse
a = badParse("somfilethatdoesntexist.xml")
a = badParse("somfilethatdoesntexist.xml")
print(a)
''',
    # corpus (nova test_availability_zone.py): SEC308's fix splits the chained start three lines above
    # the cleanup, which the invariant checker took for an edit outside the finding.
    "cleanup_of_mock_below_multiline_start": '''\
import unittest
from unittest import mock


class T(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.mock_get_all = mock.patch.object(
            unittest, 'main',
            side_effect=ValueError).start()
        self.addCleanup(self.mock_get_all.stop)
''',
    # fuzz (a rule fixture with a pasted handler): `ast` accepts a bare `except:` before another handler
    # (the compiler rejects it later), libcst raises CSTValidationError while parsing it.
    "bare_except_not_last": """\
try:
    pass
except:
    pass
except ValueError:
    pass
""",
    # fuzz (coding_cookie on bandit's examples/skip.py): a text that starts with a BOM parses as the analysis reads it.
    "bom_unused_suppression": '\ufeffimport subprocess\nsubprocess.call(["/bin/ls", "-l"])  # nosec\nx = 1  # nosec\n',
    # fuzz (truncated SEC001 fixture): two unused directives on one line are two findings; fixing one leaves the other.
    "two_unused_directives_on_a_line": ("import json\n\n\ndef load(body):\n"
                                        "    return json.loads(body)  # nosec B301  # secls: ignore\n"),
    # fuzz (neutron test_metadata_path.py): `autospec=True` on its own line moves the next patch of the `with` down.
    "autospec_moves_the_next_patch": '''\
from unittest import mock


def test_it(self):
    with mock.patch.object(self.daemon,
                           "config") as h_config, mock.patch.object(
                 self.api,
                 "get_info") as get_info:
        pass
''',
    # fuzz (swapped lines of the SEC308 fixture): a name bound to a second patcher before the cleanup stops
    # that patcher, not the first one it held.
    "cleanup_of_a_rebound_patcher_name": '''\
import unittest
from unittest import mock


class OneNameTwoPatchers(unittest.TestCase):
    def setUp(self):
        m = mock.patch("os.getcwd")
        self.getcwd = m.start()
        self.addCleanup(self.getcwd.stop)
        m = mock.patch("os.getpid")
        self.addCleanup(self.getpid.stop)
        self.getpid = m.start()
''',
    # fuzz seed 11 (delete_span joined two md5 calls): fixing one of two alike findings on a line leaves the other.
    "two_alike_findings_on_a_line": "import hashlib\nhashlib.md5(b'1').update(hashlib.md5(b'2').digest())\n",
    # fuzz seed 11 (SEC304 fixture spliced into nova): a fix that adds an import still reveals the next change.
    "next_environment_change_after_an_added_import": '''\
import os
import unittest


class Leaky(unittest.TestCase):
    def setUp(self):
        os.environ["X_TOKEN"] = "abc"
        os.environ.update({"A": "1"})
''',
    # fuzz seed 11 (to_lone_cr): a line libcst adds ends in the file's first kind of break, a lone CR, which
    # before the next LF reads as one CRLF; such a fix is declined.
    "mixed_line_breaks_added_line": ("# temp\rimport shutil\nimport tempfile\nimport unittest\n\n\n"
                                     "class Leaky(unittest.TestCase):\n    def setUp(self):\n"
                                     "        self.tmpdir = tempfile.mkdtemp()\n\n    def test_it(self):\n        pass\n"),
    # fuzz seed 11 (duplicate_lines): a patcher started twice needs two stops; one added stops one start.
    "patcher_started_twice": '''\
import unittest
from unittest import mock


class Twice(unittest.TestCase):
    def setUp(self):
        m = mock.patch("os.getpid")
        self.getpid = m.start()
        self.getpid = m.start()
''',
    # ...but a start in either branch of an if runs once: one stop serves both.
    "patcher_started_in_either_branch": '''\
import unittest
from unittest import mock


class Either(unittest.TestCase):
    def setUp(self):
        m = mock.patch("os.getpid")
        if self.id():
            self.getpid = m.start()
        else:
            self.getpid = m.start()
        self.addCleanup(m.stop)
''',
    # fuzz seed 23 (swap_lines): fixing the sha1 call leaves the md5 call that became its argument reported.
    "weak_hash_inside_a_weak_hash": "import hashlib\nhashlib.sha1(\n    data,\nhashlib.new('MD5', data)\n)\n",
    # fuzz seed 43 (SEC303's fix in one branch of an if): a cleanup registered in the else branch closes
    # only the else branch's connection.
    "cleanup_in_one_branch": '''\
import http.client
import unittest


class Branches(unittest.TestCase):
    def test_alternative_bindings(self):
        if self.id():
            conn = http.client.HTTPConnection("example.org")
        else:
            conn = http.client.HTTPConnection("example.com")
            self.addCleanup(conn.close)
        conn.request("GET", "/")
''',
    # fuzz (truncated cinder test_perf_base.py): calling a read `assert_called_` made it a SEC802 typo.
    "read_assertion_typo": """\
from unittest import mock


def test_flush(self):
    m = mock.Mock()
    m.assert_called_
""",
}


@pytest.mark.parametrize("name", CASES)
def test_regression_keeps_invariants(name: str) -> None:
    outcome = check_text(CASES[name], TEST_PATH, all_rules_config())
    assert not outcome.syntax_error
    assert outcome.problems == []


@pytest.mark.parametrize("name", ["deep_plus_into_sql", "deep_plus_into_shell"])
def test_deep_concatenation_is_still_judged(name: str) -> None:
    codes = {f.code for f in analyze(CASES[name], TEST_PATH, all_rules_config()).findings}
    assert {"deep_plus_into_sql": "SEC103", "deep_plus_into_shell": "SEC102"}[name] in codes


def test_fix_too_deep_for_libcst_is_declined_not_raised() -> None:
    text = CASES["deep_call_in_fixable_call"]
    finding = next(f for f in analyze(text, TEST_PATH, all_rules_config()).findings if f.code == "SEC104")
    assert fixed_text(text, finding, all_rules_config()) is None  # no exception escapes the fix builder


def test_bare_except_before_another_handler_gets_no_fix() -> None:
    text = CASES["bare_except_not_last"]
    finding = next(f for f in analyze(text, TEST_PATH, all_rules_config()).findings if f.code == "SEC402")
    assert fixed_text(text, finding, all_rules_config()) is None  # declined: libcst cannot parse it


def test_read_typo_gets_no_call_fix() -> None:
    findings = analyze(CASES["read_assertion_typo"], TEST_PATH, all_rules_config()).findings
    assert [(f.code, f.fix) for f in findings if f.code == "SEC806"] == [("SEC806", None)]


def test_lone_cr_text_is_never_given_other_line_breaks() -> None:
    text = CASES["lone_cr_line_breaks"]
    finding = next(f for f in analyze(text, TEST_PATH, all_rules_config()).findings if f.code == "SEC705")
    new = build_fix(text, finding, all_rules_config())
    assert new is None or new.endswith("\r") and "\n" not in new


def test_autospec_keeps_the_closing_line() -> None:
    text = CASES["autospec_multiline_with"]
    finding = next(f for f in analyze(text, TEST_PATH, all_rules_config()).findings if f.code == "SEC804")
    new = build_fix(text, finding, all_rules_config())
    assert new is not None and "        return_value=[1],\n        autospec=True\n    ) as m1," in new


def test_fix_in_parenthesised_with_item_is_built() -> None:
    text = CASES["autospec_parenthesised_with_item"]
    finding = next(f for f in analyze(text, TEST_PATH, all_rules_config()).findings if f.code == "SEC804")
    new = build_fix(text, finding, all_rules_config())
    assert new is not None and "side_effect=ValueError,\n            autospec=True)\n    ) as (" in new


def test_each_test_start_of_a_patcher_needs_its_own_stop() -> None:
    findings = analyze(CASES["patcher_started_in_two_tests"], TEST_PATH, all_rules_config()).findings
    assert [f.line for f in findings if f.code == "SEC301"] == [11, 15]


def test_a_cleanup_stops_the_patcher_its_name_holds_then() -> None:
    text = CASES["cleanup_of_a_rebound_patcher_name"]
    config = all_rules_config()
    finding = next(f for f in analyze(text, TEST_PATH, config).findings if f.code == "SEC308" and f.line == 11)
    new = build_fix(text, finding, config)
    assert new is not None and "self.addCleanup(m.stop)" in new
    # m holds the os.getpid patcher there: the os.getcwd patcher started at line 8 is still never stopped.
    assert [f.line for f in analyze(new, TEST_PATH, config).findings if f.code == "SEC301"] == [8]


def test_a_fix_that_would_mix_in_another_line_break_is_declined() -> None:
    text = CASES["mixed_line_breaks_added_line"]
    finding = next(f for f in analyze(text, TEST_PATH, all_rules_config()).findings if f.code == "SEC302")
    assert build_fix(text, finding, all_rules_config()) is None
    consistent = text.replace("\r", "\n")
    finding = next(f for f in analyze(consistent, TEST_PATH, all_rules_config()).findings if f.code == "SEC302")
    assert build_fix(consistent, finding, all_rules_config()) is not None


def test_each_start_of_one_patcher_in_a_method_needs_its_own_stop() -> None:
    text = CASES["patcher_started_twice"]
    config = all_rules_config()
    findings = [f for f in analyze(text, TEST_PATH, config).findings if f.code == "SEC301"]
    assert [f.line for f in findings] == [8, 9]
    new = build_fix(text, findings[1], config)
    assert new is not None
    assert [f.line for f in analyze(new, TEST_PATH, config).findings if f.code == "SEC301"] == [8]
    either = CASES["patcher_started_in_either_branch"]
    assert not [f for f in analyze(either, TEST_PATH, config).findings if f.code == "SEC301"]


def test_a_cleanup_in_one_branch_releases_that_branch_only() -> None:
    text = CASES["cleanup_in_one_branch"]
    config = all_rules_config()
    assert [f.line for f in analyze(text, TEST_PATH, config).findings if f.code == "SEC303"] == [8]
    after_both = text.replace("            self.addCleanup(conn.close)\n        conn",
                              "        self.addCleanup(conn.close)\n        conn")
    assert after_both != text
    assert not [f for f in analyze(after_both, TEST_PATH, config).findings if f.code == "SEC303"]
