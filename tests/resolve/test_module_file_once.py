"""jedi is asked once per module name that plain files on the search path do not show."""

from __future__ import annotations

from pathlib import Path

import pytest

from secls.resolve.jedi_resolver import JediResolver

WORKSPACE = Path(__file__).resolve().parents[1] / "workspace"


def test_jedi_is_asked_once_per_missing_package(monkeypatch: pytest.MonkeyPatch) -> None:
    resolver = JediResolver(WORKSPACE)
    asked: list[str] = []
    real = resolver._ask_module_file

    def ask(dotted: str) -> str | None:
        asked.append(dotted)
        return real(dotted)

    monkeypatch.setattr(resolver, "_ask_module_file", ask)
    verdicts = [resolver.target_verdict(t) for t in ("not_installed_pkg.mod.a", "not_installed_pkg.mod.b",
                                                     "not_installed_pkg.other.c")]
    assert [v.exists for v in verdicts] == [None, None, None]
    assert asked == ["not_installed_pkg"]


def test_a_module_file_that_went_away_is_asked_for_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    resolver = JediResolver(WORKSPACE)
    stub = tmp_path / "gone.pyi"
    stub.write_text("x: int\n", encoding="utf-8")
    answers = iter([str(stub), None])
    monkeypatch.setattr(resolver, "_ask_module_file", lambda dotted: next(answers))
    assert resolver._module_file("gone") == str(stub)
    assert resolver._module_file("gone") == str(stub)
    stub.unlink()
    assert resolver._module_file("gone") is None
