"""Exact fixed text for the main shapes of each fix."""

from __future__ import annotations

import pytest

from secls.analysis import analyze
from secls.analysis.findings import Finding
from secls.config import Config
from secls.fixes import build_fix

TEST_PATH = "pkg/tests/test_example.py"


def only(text: str, code: str, line: int | None = None, path: str = TEST_PATH,
         config: Config | None = None) -> Finding:
    found = [f for f in analyze(text, path, config).findings if f.code == code and (line is None or f.line == line)]
    assert len(found) == 1, found
    return found[0]


def fix(text: str, code: str, line: int | None = None, config: Config | None = None,
        path: str = TEST_PATH) -> str | None:
    return build_fix(text, only(text, code, line, path, config), config)


HEAD = "import unittest\nfrom unittest import mock\n\n\nclass T(unittest.TestCase):\n"


def test_sec301_self_patcher() -> None:
    text = HEAD + ('    def setUp(self):\n        super().setUp()\n        self.p = mock.patch("os.getcwd")\n'
                   '        self.getcwd = self.p.start()  # keep this comment\n        self.x = 1\n')
    assert fix(text, "SEC301") == HEAD + (
        '    def setUp(self):\n        super().setUp()\n        self.p = mock.patch("os.getcwd")\n'
        '        self.getcwd = self.p.start()  # keep this comment\n'
        '        self.addCleanup(self.p.stop)\n        self.x = 1\n')


def test_sec301_cls_patcher() -> None:
    text = HEAD + ('    @classmethod\n    def setUpClass(cls):\n        super().setUpClass()\n'
                   '        cls.p = mock.patch("os.getcwd")\n        cls.p.start()\n')
    assert fix(text, "SEC301") == text + "        cls.addClassCleanup(cls.p.stop)\n"


def test_sec301_chained_binds_the_patcher() -> None:
    text = HEAD + ('    def setUp(self):\n        super().setUp()\n'
                   '        self.m = mock.patch("os.getcwd").start()\n')
    assert fix(text, "SEC301") == HEAD + (
        '    def setUp(self):\n        super().setUp()\n'
        '        patcher = mock.patch("os.getcwd")\n'
        '        self.m = patcher.start()\n'
        '        self.addCleanup(patcher.stop)\n')


def test_sec301_chained_picks_a_free_name() -> None:
    text = HEAD + ('    def test_x(self):\n        patcher = 1\n'
                   '        mock.patch("os.getcwd").start()\n')
    assert fix(text, "SEC301") == HEAD + (
        '    def test_x(self):\n        patcher = 1\n'
        '        patcher_2 = mock.patch("os.getcwd")\n'
        '        patcher_2.start()\n'
        '        self.addCleanup(patcher_2.stop)\n')


def test_sec301_chained_enter_context_on_311() -> None:
    text = HEAD + ('    def setUp(self):\n        super().setUp()\n'
                   '        self.m = mock.patch("os.getcwd").start()\n')
    config = Config(target_version=(3, 11))
    assert fix(text, "SEC301", config=config) == HEAD + (
        '    def setUp(self):\n        super().setUp()\n'
        '        self.m = self.enterContext(mock.patch("os.getcwd"))\n')


def test_sec301_chained_enter_class_context_on_311() -> None:
    text = HEAD + ('    @classmethod\n    def setUpClass(cls):\n        super().setUpClass()\n'
                   '        cls.m = mock.patch("os.getcwd").start()\n')
    config = Config(target_version=(3, 12))
    assert fix(text, "SEC301", config=config) == text.replace(
        'mock.patch("os.getcwd").start()', 'cls.enterClassContext(mock.patch("os.getcwd"))')


def test_sec302_adds_import_shutil_after_the_imports() -> None:
    text = ('"""Doc."""\nimport tempfile\nimport unittest\n\n\nclass T(unittest.TestCase):\n'
            '    def setUp(self):\n        super().setUp()\n        self.tmp = tempfile.mkdtemp()\n')
    assert fix(text, "SEC302") == (
        '"""Doc."""\nimport tempfile\nimport unittest\nimport shutil\n\n\nclass T(unittest.TestCase):\n'
        '    def setUp(self):\n        super().setUp()\n        self.tmp = tempfile.mkdtemp()\n'
        '        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)\n')


def test_sec302_reuses_import_shutil() -> None:
    text = ('import shutil\nimport tempfile\nimport unittest\n\n\nclass T(unittest.TestCase):\n'
            '    def test_x(self):\n        d = tempfile.mkdtemp()\n        self.assertTrue(d)\n')
    assert fix(text, "SEC302") == text.replace(
        "mkdtemp()\n", "mkdtemp()\n        self.addCleanup(shutil.rmtree, d, ignore_errors=True)\n")


def test_sec302_other_kinds() -> None:
    text = ('import os\nimport tempfile\nimport unittest\n\n\nclass T(unittest.TestCase):\n'
            '    def setUp(self):\n        super().setUp()\n'
            '        self.td = tempfile.TemporaryDirectory()\n'
            '        self.f = tempfile.NamedTemporaryFile(delete=False)\n'
            '        fd, path = tempfile.mkstemp()\n        self.path = path\n')
    assert "        self.addCleanup(self.td.cleanup)\n" in fix(text, "SEC302", 9)
    assert "        self.addCleanup(os.unlink, self.f.name)\n" in fix(text, "SEC302", 10)
    assert ("        fd, path = tempfile.mkstemp()\n"
            "        self.addCleanup(os.unlink, path)\n        self.addCleanup(os.close, fd)\n") in fix(text, "SEC302", 11)


def test_sec303_popen_kills_then_waits() -> None:
    text = ('import subprocess\nimport unittest\n\n\nclass T(unittest.TestCase):\n'
            '    def setUp(self):\n        super().setUp()\n        self.proc = subprocess.Popen(["true"])\n')
    assert fix(text, "SEC303") == text + "        self.addCleanup(self.proc.wait)\n        self.addCleanup(self.proc.kill)\n"


def test_sec304_environ_patcher_before_311() -> None:
    text = ('import os\nimport unittest\n\n\nclass T(unittest.TestCase):\n'
            '    def setUp(self):\n        super().setUp()\n        os.environ["TOKEN"] = "x"  # why\n')
    assert fix(text, "SEC304") == (
        'import os\nimport unittest\nfrom unittest import mock\n\n\nclass T(unittest.TestCase):\n'
        '    def setUp(self):\n        super().setUp()\n'
        '        patcher = mock.patch.dict(os.environ, {"TOKEN": "x"})\n'
        '        patcher.start()\n'
        '        self.addCleanup(patcher.stop)  # why\n')


def test_sec304_environ_enter_context_reuses_mock_spelling() -> None:
    text = ('import os\nimport unittest\nimport mock\n\n\nclass T(unittest.TestCase):\n'
            '    def test_x(self):\n        os.environ["TOKEN"] = "x"\n')
    assert fix(text, "SEC304", config=Config(target_version=(3, 11))) == text.replace(
        'os.environ["TOKEN"] = "x"', 'self.enterContext(mock.patch.dict(os.environ, {"TOKEN": "x"}))')


def test_sec304_chdir_restore_goes_before() -> None:
    text = ('import os\nimport unittest\n\n\nclass T(unittest.TestCase):\n'
            '    def test_x(self):\n        os.chdir("/")\n        self.assertTrue(True)\n')
    assert fix(text, "SEC304") == text.replace(
        '        os.chdir("/")\n', '        self.addCleanup(os.chdir, os.getcwd())\n        os.chdir("/")\n')


def test_sec304_no_fix_without_self() -> None:
    text = 'import os\n\n\ndef test_env():\n    os.environ["Z"] = "1"\n'
    assert fix(text, "SEC304") is None


def test_sec306_after_docstring_and_last() -> None:
    text = ('import testtools\n\n\nclass T(testtools.TestCase):\n'
            '    def setUp(self):\n        """Doc."""\n        self.x = 1\n\n'
            '    def tearDown(self):\n        self.x = None\n')
    assert fix(text, "SEC306", 5) == text.replace('"""Doc."""\n', '"""Doc."""\n        super().setUp()\n')
    assert fix(text, "SEC306", 9) == text + "        super().tearDown()\n"


def test_sec306_async() -> None:
    text = ('import unittest\n\n\nclass Base(unittest.IsolatedAsyncioTestCase):\n'
            '    async def asyncSetUp(self):\n        self.a = 1\n\n\n'
            'class T(Base):\n    async def asyncSetUp(self):\n        self.b = 2\n')
    assert fix(text, "SEC306", 10) == text.replace(
        "        self.b = 2\n", "        await super().asyncSetUp()\n        self.b = 2\n")


def test_sec307_with_block() -> None:
    text = ('def read_key(path):\n    f = open(path)\n    data = f.read()\n    f.close()\n    return data\n')
    assert fix(text, "SEC307", path="pkg/app/keys.py") == (
        'def read_key(path):\n    with open(path) as f:\n        data = f.read()\n    return data\n')


def test_sec307_no_fix_without_close() -> None:
    text = 'def leak(path):\n    f = open(path, "w")\n    f.write("x")\n'
    assert fix(text, "SEC307", path="pkg/app/keys.py") is None


def test_sec308_known_patcher() -> None:
    text = HEAD + ('    def setUp(self):\n        super().setUp()\n        self.p = mock.patch("os.getcwd")\n'
                   '        self.m = self.p.start()\n        self.addCleanup(self.m.stop)\n')
    assert fix(text, "SEC308") == text.replace("addCleanup(self.m.stop)", "addCleanup(self.p.stop)")


def test_sec308_chained() -> None:
    text = HEAD + ('    def setUp(self):\n        super().setUp()\n'
                   '        self.m = mock.patch("os.getcwd").start()\n        self.addCleanup(self.m.stop)\n')
    assert fix(text, "SEC308") == HEAD + (
        '    def setUp(self):\n        super().setUp()\n'
        '        patcher = mock.patch("os.getcwd")\n        self.m = patcher.start()\n'
        '        self.addCleanup(patcher.stop)\n')


def test_crlf_file_gets_crlf_lines() -> None:
    text = ('import tempfile\r\nimport unittest\r\n\r\n\r\nclass T(unittest.TestCase):\r\n'
            '    def setUp(self):\r\n        super().setUp()\r\n        self.tmp = tempfile.mkdtemp()\r\n')
    assert fix(text, "SEC302") == (
        'import tempfile\r\nimport unittest\r\nimport shutil\r\n\r\n\r\nclass T(unittest.TestCase):\r\n'
        '    def setUp(self):\r\n        super().setUp()\r\n        self.tmp = tempfile.mkdtemp()\r\n'
        '        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)\r\n')


def test_tabs_and_last_line_without_newline() -> None:
    text = HEAD + '\tdef setUp(self):\n\t\tsuper().setUp()\n\t\tself.p = mock.patch("x")\n\t\tself.p.start()'
    assert fix(text, "SEC301") == text + "\n\t\tself.addCleanup(self.p.stop)"


def test_sec303_pair_closes_each() -> None:
    # Lib/test/test_asyncio/test_events.py: `self.addCleanup(r, w.close)` would call r(w.close)
    text = HEAD.replace("import unittest", "import socket\nimport unittest") + (
        "    def test_x(self):\n        r, w = socket.socketpair()\n        w.send(b'x')\n")
    assert fix(text, "SEC303") == text.replace(
        "socketpair()\n", "socketpair()\n        self.addCleanup(r.close)\n        self.addCleanup(w.close)\n")


def test_fixes_are_built_in_a_file_with_a_space_before_an_except_colon() -> None:
    # libcst prints `except OSError :` without its space (LibCST issue #1457); the fixes of such a file
    # (Lib/test/test_posix.py) were all declined although their findings said fixable.
    text = ("import os\n\n\ndef f():\n    try:\n        os.stat('x')\n    except OSError :\n        raise\n"
            "    except (KeyError, ValueError) \\\n        :\n        raise\n    try:\n        os.stat('y')\n"
            "    except* TypeError  :\n        raise\n    try:\n        os.stat('z')\n    except:\n        pass\n")
    assert fix(text, "SEC402", path="pkg/app/mod.py") == text.replace("    except:\n", "    except Exception:\n")


def test_one_line_suite_gets_a_small_statement() -> None:
    text = HEAD + '    def setUp(self):\n        super().setUp()\n        self.p = mock.patch("x")\n        if True: self.p.start()\n'
    assert fix(text, "SEC301") == text.replace("self.p.start()", "self.p.start(); self.addCleanup(self.p.stop)")


@pytest.mark.parametrize("text", ["def broken(:\n", "", "\x00", "class T(unittest.TestCase):\n    def"])
def test_odd_input_returns_none(text: str) -> None:
    finding = Finding(code="SEC301", category="resource-release", severity=2, message="m",  # type: ignore[arg-type]
                      line=1, column=0, end_line=1, end_column=3,
                      data=(("patcher", "p"), ("registrar", "self.addCleanup"), ("result", "")))
    assert build_fix(text, finding) is None


def test_unknown_code_returns_none() -> None:
    finding = Finding(code="SEC101", category="input-validation", severity=2, message="m",  # type: ignore[arg-type]
                      line=1, column=0, end_line=1, end_column=3)
    assert build_fix("eval(x)\n", finding) is None


def test_importing_secls_fixes_does_not_import_libcst() -> None:
    import subprocess
    import sys

    code = "import sys, secls.fixes; print('libcst' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_registry_matches_the_cheap_code_list() -> None:
    from secls.fixes import fixable_codes
    from secls.fixes.registry import BUILDERS

    assert set(BUILDERS) == set(fixable_codes())
