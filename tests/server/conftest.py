"""Start `secls serve` (as `python -m secls serve`) and drive it with pytest-lsp's client."""

from __future__ import annotations

import asyncio
import sys
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

SERVER = [sys.executable, "-m", "secls", "serve"]  # what editors run: `secls serve`
TIMEOUT_S = 20.0
CLIENTS = ("visual-studio-code", "neovim", "emacs")


def capabilities(name: str, encodings: list[str] | None = None) -> types.ClientCapabilities:
    """Recorded capabilities of a client, optionally with other position encodings."""
    caps = client_capabilities(name)
    if encodings is not None:
        caps.general = types.GeneralClientCapabilities(position_encodings=encodings)
    return caps


@asynccontextmanager
async def session(caps: types.ClientCapabilities, options: dict[str, Any] | None = None,
                  root: str | None = None,
                  configuration: dict[str, Any] | None = None) -> AsyncIterator[LanguageClient]:
    """A started, initialised server; shut down on exit."""
    client = await ClientServerConfig(SERVER, client_factory=make_client).start()
    assert isinstance(client, LanguageClient)
    if configuration is not None:
        client.set_configuration(configuration, section="secls")
    try:
        result = await asyncio.wait_for(client.initialize_session(types.InitializeParams(
            capabilities=caps, initialization_options={"debounceMs": 0, **(options or {})},
            root_uri=root)), TIMEOUT_S)
        client.init_result = result  # type: ignore[attr-defined]
        client.position_encoding = str(result.capabilities.position_encoding or "utf-16")  # type: ignore[attr-defined]
        yield client
        await asyncio.wait_for(client.shutdown_session(), TIMEOUT_S)
    finally:
        process = client._server
        if process is not None and process.returncode is None:
            process.kill()  # a failed test never sent exit; do not wait for the server forever
        try:
            await asyncio.wait_for(client.stop(), TIMEOUT_S)
        except asyncio.TimeoutError:
            pass  # after a failed test the client may wait for replies that never come: let the failure show


def make_client() -> LanguageClient:
    """pytest-lsp's client, with every publishDiagnostics also queued per URI."""
    client = LanguageClient(converter_factory=default_converter)
    published: dict[str, asyncio.Queue[types.PublishDiagnosticsParams]] = defaultdict(asyncio.Queue)

    def on_diagnostics(client: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
        client.diagnostics[params.uri] = params.diagnostics
        published[params.uri].put_nowait(params)

    def on_register(client: LanguageClient, params: types.RegistrationParams) -> None:
        client.registrations.extend(params.registrations)  # type: ignore[attr-defined]

    features = {**DEFAULT_CLIENT_FEATURES, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: on_diagnostics,
                types.CLIENT_REGISTER_CAPABILITY: on_register}
    register_lsp_features(client, features)
    client.published = published  # type: ignore[attr-defined]
    client.registrations = []  # type: ignore[attr-defined]
    return client


async def diagnostics(client: LanguageClient, uri: str, version: int | None = None) -> list[types.Diagnostic]:
    """The next diagnostics published for `uri` (for `version`, skipping older ones)."""
    queue = client.published[uri]  # type: ignore[attr-defined]
    while True:
        params = await asyncio.wait_for(queue.get(), TIMEOUT_S)
        if version is None or params.version is None or params.version >= version:
            return list(params.diagnostics)


async def cleared(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    """The diagnostics published when `uri` was closed (the first publish without a version)."""
    queue = client.published[uri]  # type: ignore[attr-defined]
    while True:
        params = await asyncio.wait_for(queue.get(), TIMEOUT_S)
        if params.version is None:
            return list(params.diagnostics)


def open_doc(client: LanguageClient, uri: str, text: str, version: int = 1) -> None:
    """Send didOpen."""
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="python", version=version, text=text)))


def replace_text(client: LanguageClient, uri: str, text: str, version: int) -> None:
    """Send a full-text didChange."""
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))


@pytest.fixture
def uri(tmp_path: Any) -> str:
    """A file URI for a test module in a folder without a pyproject.toml."""
    return (tmp_path / "test_volume.py").as_uri()
