"""Fix invariants over every fixable shape (in LF, CRLF, tab-indented and no-final-newline variants) and
over every rule fixture: the fixed text parses, the finding is gone, nothing else changed, and applying
the fix again changes nothing."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from secls.analysis import analyze
from secls.config import Config
from secls.fixes.invariants import check_fix

TEST_PATH = "pkg/tests/test_shapes.py"

SHAPES: dict[str, str] = {
    "sec301_self": '''\
import unittest
from unittest import mock


class T(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.patcher = mock.patch("os.getcwd")
        self.getcwd = self.patcher.start()  # the patch
        self.other = 1

    def test_x(self):
        local = mock.patch("os.getpid")
        local.start()
''',
    "sec301_cls_and_module": '''\
import unittest
from unittest import mock


def setUpModule():
    mp = mock.patch("os.sep")
    mp.start()


class T(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cp = mock.patch("os.getuid")
        cls.cp.start()
''',
    "sec301_chained": '''\
import unittest
from unittest import mock
from unittest.mock import patch as p


class T(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.m = mock.patch.object(unittest, "main").start()
        p("os.getpid").start()
        patcher = None
        self.n = mock.patch(
            "os.getuid",
            return_value=0,
        ).start()

    def test_last(self):
        mock.patch("os.getgid").start()''',
    "sec301_suite": '''\
import unittest
from unittest import mock


class T(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.q = mock.patch("os.getcwd")
        if True: self.q.start()
''',
    "sec302_tempdirs": '''\
"""Module docstring."""
import os
import tempfile
import unittest


class T(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.tmp = tempfile.mkdtemp()
        self.td = tempfile.TemporaryDirectory()
        self.ntf = tempfile.NamedTemporaryFile(delete=False)
        fd, path = tempfile.mkstemp()
        self.path = path
        os.write(fd, b"x")
''',
    "sec302_aliases": '''\
import shutil as sh
import tempfile as tf
import unittest


class T(unittest.TestCase):
    def test_dir(self):
        d = tf.mkdtemp()
        self.assertTrue(d)
''',
    "sec303_handles": '''\
import sqlite3
import subprocess
import unittest


class T(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.conn = sqlite3.connect(":memory:")
        self.proc = subprocess.Popen(["true"])
        # trailing comment of the block
''',
    "sec303_unicode": '''\
import unittest

import testtools


class Tést(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.fé = open("ñ.txt")  # café
        self.g = 1; self.ü = open("x")


class Décorated(testtools.TestCase):
    @staticmethod
    def helper():
        return 1

    @unittest.skipIf(False, "ß")
    def setUp(self):
        # comment first
        self.z = 1
''',
    "sec304_env_chdir": '''\
import os
import unittest


class T(unittest.TestCase):
    def setUp(self):
        super().setUp()
        # set the variable
        os.environ["REQUESTS_CA_BUNDLE"] = ""

    def test_dir(self):
        os.chdir("/")
        self.assertTrue(True)


# A restore anywhere in a class counts for the whole class (see SEC304), so this one stands alone.
class U(unittest.TestCase):
    def test_update(self):
        os.environ.update({"A": "1"}, B="2")
''',
    "sec304_mock_spelling": '''\
import os
import unittest
import unittest.mock


class T(unittest.TestCase):
    def test_env(self):
        os.environ["X"] = "1"
''',
    "sec306_super": '''\
import testtools


class T(testtools.TestCase):
    def setUp(self):
        """Set things up."""
        self.x = 1

    def tearDown(self):
        self.x = None
        # done


class A(testtools.TestCase):
    async def asyncSetUp(self):
        self.y = 2

    def setUp(self): self.z = 3
''',
    "sec307_with": '''\
def read_key(path):
    f = open(path)  # opened
    data = f.read()
    # about to close
    f.close()
    return data


def only_close(path):
    g = open(path)
    g.close()
''',
    "sec308_mock_stop": '''\
import unittest
from unittest import mock


class T(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.p = mock.patch("os.getcwd")
        self.m = self.p.start()
        self.addCleanup(self.m.stop)
        self.g = mock.patch("os.getpid").start()
        self.addCleanup(self.g.stop)
''',
    "sec001_unused": '''\
import json
import pickle  # nosec B403


def load(blob, body):
    a = pickle.loads(blob)  # nosec B301, B602
    b = json.loads(body)  # nosec B301  # type: ignore[no-any-return]
    c = json.loads(body)  # noqa: E501,S301
    # secls: ignore[SEC104]
    d = json.loads(body)  # secls: ignore[SEC104] -- reviewed
    return a, b, c, d  # nosec''',
}
PATHS = {"sec307_with": "pkg/app/storage.py"}


def to_crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def to_tabs(text: str) -> str:
    return re.sub(r"^((?:    )+)", lambda m: "\t" * (len(m.group(1)) // 4), text, flags=re.MULTILINE)


VARIANTS = {"lf": lambda t: t, "crlf": to_crlf, "tabs": to_tabs,
            "no_final_newline": lambda t: t.rstrip("\n")}
VERSIONS = {"py38": (3, 8), "py311": (3, 11), "unknown": None}


def assert_invariants(text: str, path: str, config: Config) -> int:
    """Check every fixable finding of a text; returns how many fixes were built."""
    result = analyze(text, path, config)
    assert result.syntax_error is None
    built = 0
    for finding in result.findings:
        if finding.fix is None:
            continue
        check = check_fix(text, finding, path, config)
        problems = check.problems
        assert check.new_text is not None, f"{finding.code} line {finding.line} is marked fixable but has no edit"
        assert not problems, (f"{finding.code} line {finding.line} ({dict(finding.data)}):\n"
                                    + "\n".join(problems) + f"\n--- fixed text:\n{check.new_text}")
        built += 1
    return built


@pytest.mark.parametrize("version", VERSIONS, ids=list(VERSIONS))
@pytest.mark.parametrize("variant", VARIANTS, ids=list(VARIANTS))
@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_shape_fixes_keep_invariants(shape: str, variant: str, version: str) -> None:
    text = VARIANTS[variant](SHAPES[shape])
    config = Config(target_version=VERSIONS[version])
    assert assert_invariants(text, PATHS.get(shape, TEST_PATH), config) > 0


FIXTURES = sorted((Path(__file__).parent.parent / "fixtures").rglob("*.py"))
_PATH_HEADER = re.compile(r"^#\s*fixture-path:\s*(?P<path>\S+)", re.MULTILINE)


def fixture_path(fixture: Path, text: str) -> str:
    match = _PATH_HEADER.search(text)
    return match.group("path") if match else f"pkg/tests/test_{fixture.stem}.py"


@pytest.mark.parametrize("version", VERSIONS, ids=list(VERSIONS))
@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_fixture_fixes_keep_invariants(fixture: Path, version: str) -> None:
    from secls.rules import ALL_RULES

    text = fixture.read_text(encoding="utf-8")
    config = replace(Config(select=tuple(r.code for r in ALL_RULES)), target_version=VERSIONS[version])
    assert_invariants(text, fixture_path(fixture, text), config)
