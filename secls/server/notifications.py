"""A pygls 2.1 leak, plugged: the future of every notification run by a generator handler is never dropped."""

from __future__ import annotations

from typing import Any


class ForgetNotificationFutures:
    """Protocol mixin: drop a notification's future once it is done.

    pygls's `_execute_handler` files the future of a generator handler (its own didOpen/didChange/didClose)
    under a made-up id in `_request_futures`, which only responses and cancellations ever empty: one
    future per keystroke, about 0.9 KB each (bench/soak.py: 18 MB over 10,000 edits). The finished ones
    are dropped at the next notification, not from a done-callback: pygls iterates the dict on shutdown
    and cancels what is pending, which would run such a callback in the middle of its loop.
    """

    _request_futures: dict[Any, Any]

    def _handle_notification(self, method_name: str, params: Any) -> None:
        futures = self._request_futures
        pending = []
        for msg_id in getattr(self, "_notification_ids", ()):
            future = futures.get(msg_id)
            if future is not None and not future.done():
                pending.append(msg_id)
            else:
                futures.pop(msg_id, None)
        before = set(futures)
        super()._handle_notification(method_name, params)  # type: ignore[misc]
        self._notification_ids = pending + list(futures.keys() - before)  # ids no one will ask for
