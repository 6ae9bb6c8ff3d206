"""Patch targets whose module is not a file on the search path are unknown, without asking jedi."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from secls.resolve.jedi_resolver import JediResolver

WORKSPACE = Path(__file__).resolve().parents[1] / "workspace"


@pytest.mark.parametrize("target", [
    "not_installed_pkg.mod.a",  # a package that is not installed
    "time.sleep",               # a module compiled into the interpreter (typeshed has a stub for it)
    "_io.StringIO.write",       # a compiled module's class
])
def test_a_module_without_a_source_file_is_unknown(target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    resolver = JediResolver(WORKSPACE)

    def no_jedi(*args: Any, **kwargs: Any) -> list[Any]:
        raise AssertionError("jedi was asked")

    monkeypatch.setattr(resolver, "_goto", no_jedi)
    verdict = resolver.target_verdict(target)
    assert verdict.exists is None
    assert verdict.suggestion is None


def test_a_module_file_on_the_search_path_still_decides(tmp_path: Path) -> None:
    (tmp_path / "present.py").write_text("def here():\n    pass\n", encoding="utf-8")
    resolver = JediResolver(tmp_path)
    assert resolver.target_verdict("present.here").exists is True
    missing = resolver.target_verdict("present.her")
    assert missing.exists is False and missing.suggestion == "present.here"


def test_names_bound_inside_functions_are_not_attributes(tmp_path: Path) -> None:
    (tmp_path / "mod.py").write_text(
        "import os\n\nif os.name:\n    TOP = 1\n\n\ndef helper():\n    local = 1\n    return local\n\n\n"
        "class Thing:\n    size = 2\n\n    def method(self):\n        inner = 3\n        return inner\n",
        encoding="utf-8")
    resolver = JediResolver(tmp_path)
    assert [resolver.target_verdict(t).exists for t in ("mod.TOP", "mod.helper", "mod.Thing.size",
                                                         "mod.Thing.method")] == [True, True, True, True]
    assert resolver.target_verdict("mod.local").exists is False  # a local of helper()
    assert resolver.target_verdict("mod.inner").exists is False  # a local of a method
    assert resolver.target_verdict("mod.Thing.inner").exists is False
