"""Re-parsing only the changed statement (secls.fixes.reparse) gives what a whole parse gives, node by node;
printing only the changed statement (secls.fixes.printing) gives the module's code; and the fix invariants
checked with parses reused (as the corpus runs check them) give the same verdicts as without."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import libcst as cst
import pytest

from secls.analysis import analyze
from secls.config import Config
from secls.fixes.invariants import check_fix
from secls.fixes.locate import Located, _parse, reuse_parses
from secls.fixes.printing import edited_code
from secls.fixes.registry import BUILDERS
from secls.fixes.reparse import reparse
from secls.rules import ALL_RULES
from tests.fixes.test_fix_invariants import FIXTURES, PATHS, SHAPES, TEST_PATH, VARIANTS, fixture_path

MODULE = '''\
"""Doc."""
import os


class First:
    def one(self):
        return 1
# at column 0, before a method
    @mock.patch("os.getcwd")
    def three(self, getcwd):
        return 3

        # indented deeper, after the method

    def four(self):

        return 4



class T(object):
  # a class indented by two
  def two(self):
      if os.sep:
          x = call(1,
                   2)
      else:
          try:
              y = 2
          except OSError:
              y = 3  # trailing
          finally:
              z = 4
  # a comment of the class


def top(a):
    for item in a:
        while item:
# at column 0
            item -= 1
            # indented deeper, after the block

    return a
'''

EDITS = {  # name: (old, new), the first occurrence replaced
    "call_argument": ("call(1,", "call(10,"),
    "line_added": ("                   2)", "                   2,\n                   3)"),
    "else_block": ("y = 2", "y = 22"),
    "handler": ("y = 3  # trailing", "y = 33  # trailing"),
    "finally_block": ("z = 4", "z = (4 +\n                   5)"),
    "statement_inserted": ("          x = call", "          w = 0\n          x = call"),
    "after_column_0_comment": ("item -= 1", "item -= 2"),
    "top_level": ("    return a\n", "    return (a,\n            a)\n"),
    "decorator": ('patch("os.getcwd")', 'patch("os.getcwd", autospec=True)'),
    "after_a_column_0_comment": ("return 3", "return 33"),
    "blank_line_first": ("        return 4", "        return 44"),
}


def nodes_of(node: cst.CSTNode) -> list[cst.CSTNode]:
    """Every node below `node` (itself included), in pre-order."""
    found = [node]
    for child in node.children:
        found.extend(nodes_of(child))
    return found


def assert_same(made: Located, whole: Located) -> None:
    """Same tree, same positions, parents and owners for every node, same recorded nodes in the same order."""
    assert made.module.deep_equals(whole.module)
    assert made.module.default_indent == whole.module.default_indent
    pairs = list(zip(nodes_of(made.module), nodes_of(whole.module), strict=True))
    twin = {id(a): b for a, b in pairs}
    for a, b in pairs:
        assert made.ranges.get(id(a)) == whole.ranges.get(id(b)), type(a).__name__
        for mine, theirs in ((made.parents.get(id(a)), whole.parents.get(id(b))),
                             (made.owners.get(id(a)), whole.owners.get(id(b)))):
            assert (mine is None and theirs is None) or twin[id(mine)] is theirs, type(a).__name__
    assert [twin[id(n)] for n in made.nodes] == whole.nodes


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_reparse_is_the_whole_parse(edit: str, newline: str) -> None:
    text = MODULE.replace("\n", newline)
    old, new = (part.replace("\n", newline) for part in EDITS[edit])
    new_text = text.replace(old, new, 1)
    base = _parse(text)
    assert base is not None and base.exact
    made = reparse(base, text, new_text)
    whole = _parse(new_text)
    assert made is not None and whole is not None
    assert_same(made, whole)


@pytest.mark.parametrize("old, new", [
    ("        return 1", "        return 11"),  # the first block's first statement: it sets the default indent
    ('"""Doc."""', '"""Docs."""'),  # the first lines: the encoding and line break are read there
    ("    return a\n", "    return a\nprint(\n"),  # no longer one statement
], ids=["default_indent", "first_lines", "not_one_statement"])
def test_reparse_declines_what_only_a_whole_parse_can_tell(old: str, new: str) -> None:
    base = _parse(MODULE)
    assert base is not None
    assert reparse(base, MODULE, MODULE.replace(old, new, 1)) is None


def test_reparse_needs_a_whole_parse_as_base() -> None:
    base = _parse(MODULE)
    assert base is not None
    made = reparse(base, MODULE, MODULE.replace("y = 2", "y = 22"))
    assert made is not None and not made.exact
    assert reparse(made, MODULE.replace("y = 2", "y = 22"), MODULE.replace("y = 2", "y = 222")) is None


def every_fix() -> list[tuple[str, str, Config]]:
    """(text, path, config) of every shape variant and rule fixture."""
    cases = [(VARIANTS[variant](SHAPES[shape]), PATHS.get(shape, TEST_PATH), Config())
             for shape in SHAPES for variant in VARIANTS]
    config = replace(Config(select=tuple(r.code for r in ALL_RULES)))
    for fixture in FIXTURES:
        text = fixture.read_text(encoding="utf-8")
        cases.append((text, fixture_path(fixture, text), config))
    return cases


CASES = every_fix()


@pytest.mark.parametrize("case", range(len(CASES)))
def test_printing_and_reparsing_each_fix_match_the_whole(case: int) -> None:
    text, path, config = CASES[case]
    base = _parse(text)
    assert base is not None
    for finding in analyze(text, path, config).findings:
        builder = BUILDERS.get(finding.code)
        edits = builder(base, finding, config) if finding.fix is not None and builder is not None else None
        if edits is None:
            continue
        module = edits.apply(base.module, base.parents, base.owners)
        code = module.code
        assert edited_code(base, text, module) == code
        made = reparse(base, text, code) if code != text else None
        if made is not None:
            whole = _parse(code)
            assert whole is not None
            assert_same(made, whole)


@pytest.mark.parametrize("case", range(len(CASES)))
def test_reused_parses_give_the_same_verdicts(case: int) -> None:
    text, path, config = CASES[case]
    findings = analyze(text, path, config).findings
    fixable = [f for f in findings if f.fix is not None]
    alone = [check_fix(text, f, path, config, before=findings) for f in fixable]
    with reuse_parses():
        reused = [check_fix(text, f, path, config, before=findings) for f in fixable]
    assert reused == alone


def test_reused_parses_reparse_a_long_module_and_agree() -> None:
    """A fix deep in a module long enough to reparse: the stale fix is built on the re-parsed text."""
    body = "".join(f"    def test_{n}(self):\n        x = {n}\n\n" for n in range(30))
    text = ("import unittest\nfrom unittest import mock\n\n\nclass T(unittest.TestCase):\n" + body
            + "    @mock.patch('os.getcwd')\n    def test_patched(self, getcwd):\n        pass\n")
    path = str(Path("pkg/tests/test_long.py"))
    config = Config(select=tuple(r.code for r in ALL_RULES))
    findings = analyze(text, path, config).findings
    fixable = [f for f in findings if f.fix is not None and f.code == "SEC804"]
    assert fixable
    alone = check_fix(text, fixable[0], path, config, before=findings)
    with reuse_parses():
        reused = check_fix(text, fixable[0], path, config, before=findings)
        base = _parse(text)
        assert base is not None and reused.new_text is not None
        assert reparse(base, text, reused.new_text) is not None
    assert reused == alone and not alone.problems
