"""The registry: every rule module registered once, codes and categories consistent, docs complete."""

from __future__ import annotations

import importlib
import pkgutil

import secls.rules
from secls.analysis.findings import CATEGORIES, CATEGORY_BY_DIGIT, SUPPRESSIONS
from secls.rules import ALL_RULES, rule_by_code
from secls.rules.base import DOC_SECTIONS


def _rule_modules() -> list[str]:
    names = []
    for package in pkgutil.iter_modules(secls.rules.__path__):
        if not package.ispkg:
            continue
        sub = importlib.import_module(f"secls.rules.{package.name}")
        names += [f"{sub.__name__}.{m.name}" for m in pkgutil.iter_modules(sub.__path__) if m.name.startswith("sec")]
    return names


def test_every_rule_module_is_registered_once() -> None:
    registered = [r for r in ALL_RULES]
    modules = _rule_modules()
    assert len(modules) == len(registered)
    for name in modules:
        module = importlib.import_module(name)
        assert module.RULE in registered, f"{name} is not in ALL_RULES"
        code, _, rule_name = name.rsplit(".", 1)[-1].partition("_")
        assert module.RULE.code.lower() == code
        assert module.RULE.name.replace("-", "_") == rule_name


def test_codes_unique_and_category_matches_digit() -> None:
    codes = [r.code for r in ALL_RULES]
    assert len(codes) == len(set(codes))
    for rule in ALL_RULES:
        assert rule.code.startswith("SEC") and len(rule.code) == 6
        if rule.code[3] == "0":  # SEC0xx: about suppression comments, outside the eight categories
            assert rule.category == SUPPRESSIONS
            continue
        assert rule.category in CATEGORIES
        assert CATEGORY_BY_DIGIT[rule.code[3]] == rule.category
        assert rule_by_code(rule.code.lower()) is rule


def test_docs_have_every_section() -> None:
    for rule in ALL_RULES:
        positions = [rule.docs.find(section) for section in DOC_SECTIONS]
        assert all(p >= 0 for p in positions), f"{rule.code} docs lack a section"
        assert positions == sorted(positions), f"{rule.code} docs sections out of order"
        assert rule.docs.startswith(f"# {rule.code} {rule.name}")
        assert rule.summary
