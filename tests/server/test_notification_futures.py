"""The server forgets the futures pygls files for notifications (the leak bench/soak.py measured)."""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

from secls.server.app import SeclsProtocol
from secls.server.notifications import ForgetNotificationFutures


class _Pygls:
    """Files a future under a made-up id for each notification, as pygls 2.1 does for generator handlers."""

    def __init__(self) -> None:
        self._request_futures: dict[str, Future[Any]] = {"7": Future()}  # a pending request: kept
        self.pending: Future[Any] = Future()

    def _handle_notification(self, method_name: str, params: Any) -> None:
        done: Future[Any] = Future()
        done.set_result(None)
        self._request_futures[f"{method_name}-done"] = done
        self._request_futures[f"{method_name}-pending"] = self.pending


class _Protocol(ForgetNotificationFutures, _Pygls):
    pass


def test_notification_futures_are_dropped_once_done() -> None:
    protocol = _Protocol()
    protocol._handle_notification("textDocument/didOpen", None)
    protocol._handle_notification("textDocument/didChange", None)
    # the first notification's finished future is gone; pending ones stay until they are done
    assert set(protocol._request_futures) == {"7", "textDocument/didOpen-pending", "textDocument/didChange-done",
                                              "textDocument/didChange-pending"}
    protocol.pending.set_result(None)
    protocol._handle_notification("textDocument/didClose", None)
    protocol.pending = Future()
    assert set(protocol._request_futures) == {"7", "textDocument/didClose-done", "textDocument/didClose-pending"}


def test_the_server_protocol_forgets_them() -> None:
    assert issubclass(SeclsProtocol, ForgetNotificationFutures)
