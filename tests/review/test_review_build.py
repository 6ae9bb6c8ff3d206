"""The review model: excerpts, lifecycle summaries and verdicts, straight from the analysis."""

from __future__ import annotations

from pathlib import PurePath

from secls.analysis import analyze
from secls.config import Config
from secls.review import FileReview, Review, build_review
from secls.review.build import excerpt, lifecycle_summaries

CLASSES = '''\
import tempfile
import unittest
from unittest import mock


class TestShared(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        cls.addClassCleanup(cls.cleanup_tmp, cls.tmp)
        cls.patcher = mock.patch("os.getcwd")
        cls.patcher.start()

    def test_one(self):
        with open(self.tmp + "/x", "w") as f:
            f.write("x")


class NotATest:
    def setUp(self):
        self.fh = open("x")
'''


def test_excerpt_stays_inside_the_file() -> None:
    lines = [f"line {n}" for n in range(1, 31)]
    assert excerpt(lines, 1, 1).first_line == 1 and excerpt(lines, 1, 1).lines == ("line 1", "line 2", "line 3")
    assert excerpt(lines, 30, 30).lines == ("line 28", "line 29", "line 30")
    long = excerpt(lines, 5, 25)  # a long range is cut to a few lines
    assert long.first_line == 3 and len(long.lines) == 9


def test_lifecycle_summaries_of_test_classes_only() -> None:
    [summary] = lifecycle_summaries(CLASSES, PurePath("test_shared.py"), Config())
    assert (summary.name, summary.line, summary.setup_methods) == ("TestShared", 6, ("setUpClass",))
    # mkdtemp handed to addClassCleanup; the class-level patcher is never stopped; open() in a `with`.
    assert summary.text == ("setUpClass acquires 2, releases 1; other methods acquire 1, release 1; "
                            "via addCleanup 1, with 1")
    assert lifecycle_summaries("class (:\n", None, Config()) == []


def test_file_review_of_a_syntax_error_and_the_overall_verdict() -> None:
    text = "def f(:\n"
    broken = build_review("broken.py", text, PurePath("broken.py"), Config(), analyze(text, "broken.py"))
    assert broken.error is not None and broken.error.startswith("line 1: syntax error") and broken.sections == ()
    clean_text = "x = 1\n"
    clean = build_review("ok.py", clean_text, PurePath("ok.py"), Config(), analyze(clean_text, "ok.py"))
    assert [s.verdict for s in clean.sections] == ["No defects found."] * 8
    assert clean.verdict == "No direct security defects were found."
    review = Review([clean, broken, FileReview("gone.py", error="no such file or directory")])
    assert review.verdict == ("No direct security defects were found in 1 file reviewed. "
                              "2 files were not reviewed (see above).")
