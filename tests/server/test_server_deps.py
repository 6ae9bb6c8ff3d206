"""End-to-end: requirement files in `secls serve` — SEC502 diagnostics, hover, the bump action."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types

from tests.deps.shared_db import shared_db_path
from tests.server.conftest import CLIENTS, capabilities, diagnostics, open_doc, replace_text, session
from tests.server.helpers import apply_edit

REQUIREMENTS = "flask==3.0.3\nPyYAML==5.3  # config\nrequests>=2.32\n"
PYPROJECT = '''\
[project]
name = "app"
version = "1.0"
dependencies = [
    "requests==2.19.0",
    "click>=8",
]
'''


def sec502_errors(diags: list[types.Diagnostic]) -> list[types.Diagnostic]:
    return [d for d in diags if d.code == "SEC502" and d.severity == types.DiagnosticSeverity.Error]


async def bump(client, uri: str, text: str, diag: types.Diagnostic, title: str, version: int) -> str:
    """Apply the SEC502 action titled `title`, send the new text, return it."""
    result = await asyncio.wait_for(client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=diag.range,
        context=types.CodeActionContext(diagnostics=[diag]))), 20)
    actions = [a for a in result or [] if isinstance(a, types.CodeAction)]
    action = next(a for a in actions if a.title == title)
    if action.edit is None:
        action = await asyncio.wait_for(client.code_action_resolve_async(action), 20)
    assert action.edit is not None
    new_text = apply_edit(text, action.edit, uri, client.position_encoding)
    replace_text(client, uri, new_text, version)
    return new_text


@pytest.mark.parametrize("client_name", CLIENTS)
async def test_requirement_files_diagnostics_and_bump(client_name: str, tmp_path: Path) -> None:
    options = {"advisoryDb": shared_db_path()}
    requirements = (tmp_path / "requirements.txt").as_uri()
    pyproject = (tmp_path / "pyproject.toml").as_uri()
    async with session(capabilities(client_name), options=options) as client:
        open_doc(client, requirements, REQUIREMENTS)
        diags = await diagnostics(client, requirements, 1)
        errors = sec502_errors(diags)
        assert [(d.range.start.line, d.range.start.character, d.range.end.character) for d in errors] == [(1, 0, 11)]
        assert "PYSEC-2020-96" in errors[0].message and "CVE-2020-14343" in errors[0].message

        hover = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=requirements),
            position=types.Position(line=1, character=3))), 20)
        assert hover is not None
        value = hover.contents.value if isinstance(hover.contents, types.MarkupContent) else str(hover.contents)
        assert "https://osv.dev/vulnerability/PYSEC-2021-142" in value

        fixed = await bump(client, requirements, REQUIREMENTS, errors[0], "Upgrade PyYAML to 5.4", 2)
        assert fixed == REQUIREMENTS.replace("5.3", "5.4")
        assert sec502_errors(await diagnostics(client, requirements, 2)) == []

        open_doc(client, pyproject, PYPROJECT)
        errors = sec502_errors(await diagnostics(client, pyproject, 1))
        assert [(d.range.start.line, d.range.start.character) for d in errors] == [(4, 5)]
        assert "PYSEC-2018-28" in errors[0].message
        fixed = await bump(client, pyproject, PYPROJECT, errors[0], "Upgrade requests to 2.31.0", 2)
        assert '"requests==2.31.0"' in fixed
        assert sec502_errors(await diagnostics(client, pyproject, 2)) == []


async def test_missing_advisory_db_is_reported_once(tmp_path: Path) -> None:
    uri = (tmp_path / "requirements.txt").as_uri()
    async with session(capabilities("visual-studio-code"), options={"advisoryDb": str(tmp_path / "none.zip")}) as client:
        open_doc(client, uri, "flask\n")
        diags = await diagnostics(client, uri, 1)
        assert [d.code for d in diags] == ["SEC503"]
        shown = [m.message for m in client.messages if "advisory database" in m.message]
        assert len(shown) == 1 and "no such advisory database" in shown[0]


async def test_osv_api_answers_arrive_in_the_background(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.deps.osv_stub import OsvStub

    stub = OsvStub()
    monkeypatch.setenv("SECLS_CACHE_DIR", str(tmp_path / "cache"))  # inherited by the server process
    monkeypatch.delenv("SECLS_ADVISORY_DB", raising=False)
    uri = (tmp_path / "requirements.txt").as_uri()
    try:
        async with session(capabilities("neovim"), options={"osvApi": stub.url}) as client:
            open_doc(client, uri, "demo-pkg==1.0\n")
            for _ in range(5):  # the first publish may come before the API's answer
                diags = await diagnostics(client, uri, 1)
                if any(d.code == "SEC502" for d in diags):
                    break
            assert [d.code for d in diags] == ["SEC502"] and "GHSA-test-0001" in diags[0].message
            assert stub.requests[0] == "/v1/querybatch"
    finally:
        stub.stop()
