"""Built-in knowledge of well-known test base classes (see shared TEST-SEMANTICS.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BaseFacts:
    """What a base class contributes to the lifecycle of its subclasses."""

    name: str
    framework: str
    is_testcase: bool = True
    is_fixture: bool = False
    registers_stopall: bool = False
    nested_tempfile: bool = False
    enforces_super: bool = False
    # Lifecycle methods whose base implementation does real work, so an override must call it.
    needs_super: frozenset[str] = frozenset()
    # Bases further up that could not be resolved: what they do is unknown, not absent.
    unresolved: tuple[str, ...] = ()


_UNITTEST = ("unittest.TestCase", "unittest.case.TestCase", "unittest.IsolatedAsyncioTestCase",
             "unittest.async_case.IsolatedAsyncioTestCase")
_TESTTOOLS = ("testtools.TestCase", "testtools.testcase.TestCase")
_OSLOTEST = ("oslotest.base.BaseTestCase",)
_FIXTURES_TESTCASE = ("fixtures.TestWithFixtures", "fixtures.testcase.TestWithFixtures")
_FIXTURE = ("fixtures.Fixture", "fixtures.fixture.Fixture")
_DJANGO = tuple(f"{mod}.{name}" for mod in ("django.test", "django.test.testcases")
                for name in ("SimpleTestCase", "TransactionTestCase", "TestCase", "LiveServerTestCase")) + (
    "django.contrib.staticfiles.testing.StaticLiveServerTestCase",)
_TWISTED = ("twisted.trial.unittest.TestCase", "twisted.trial.unittest.SynchronousTestCase",
            "twisted.trial._synctest.SynchronousTestCase", "twisted.trial._asynctest.TestCase")

KNOWN_BASES: dict[str, BaseFacts] = {}
for _name in _UNITTEST:
    KNOWN_BASES[_name] = BaseFacts(_name, "unittest")
for _name in _TESTTOOLS:
    KNOWN_BASES[_name] = BaseFacts(_name, "testtools", enforces_super=True,
                                   needs_super=frozenset({"setUp", "tearDown"}))
for _name in _OSLOTEST:
    KNOWN_BASES[_name] = BaseFacts(_name, "oslotest", registers_stopall=True, nested_tempfile=True,
                                   enforces_super=True, needs_super=frozenset({"setUp", "tearDown"}))
for _name in _FIXTURES_TESTCASE:
    KNOWN_BASES[_name] = BaseFacts(_name, "fixtures", needs_super=frozenset({"setUp"}))
for _name in _FIXTURE:
    KNOWN_BASES[_name] = BaseFacts(_name, "fixtures", is_testcase=False, is_fixture=True,
                                   needs_super=frozenset({"setUp"}))
for _name in _DJANGO:
    KNOWN_BASES[_name] = BaseFacts(_name, "django", needs_super=frozenset({"setUpClass", "tearDownClass"}))
for _name in _TWISTED:
    KNOWN_BASES[_name] = BaseFacts(_name, "twisted")

NEUTRAL_BASES = frozenset({"object", "builtins.object", "typing.Generic", "abc.ABC", "metaclass"})

LIFECYCLE_METHODS = frozenset({"setUp", "tearDown", "setUpClass", "tearDownClass",
                               "asyncSetUp", "asyncTearDown"})
SETUP_METHODS = frozenset({"setUp", "asyncSetUp", "setup_method", "setup", "_setUp"})
CLASS_SETUP_METHODS = frozenset({"setUpClass", "setup_class", "setUpTestData"})
TEARDOWN_METHODS = frozenset({"tearDown", "asyncTearDown", "teardown_method", "teardown",
                              "tearDownClass", "teardown_class", "cleanUp", "_tearDown"})


def known_base(qualname: str | None) -> BaseFacts | None:
    """Facts for a base class spelled by its qualified name, if it is a well-known framework base."""
    if qualname is None:
        return None
    return KNOWN_BASES.get(qualname)
