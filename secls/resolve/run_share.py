"""What the worker processes of one `secls check` hand each other: a folder of answers, each written once.

Workers resolve on their own (a shared process made each wait for the other's questions), but they
read the same modules of the project: the first to summarise a module leaves the summary here, and
the others read it instead of parsing the module again. The folder is the run's own (private, removed
after the run); an entry is written under a temporary name and renamed, so a reader sees all or nothing.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from typing import Any


class RunShare:
    """Values by key, in a folder that only this run's processes use."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def _path(self, key: str) -> str:
        return os.path.join(self.folder, hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest())

    def get(self, key: str) -> Any:
        """The value another process left under `key`, or None."""
        try:
            with open(self._path(key), "rb") as handle:
                return pickle.load(handle)  # noqa: S301 - written by this run's own processes, in its own folder
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError):
            return None

    def put(self, key: str, value: Any) -> None:
        """Leave a value for the other processes (a failure to write only costs them the work)."""
        path = self._path(key)
        temporary = f"{path}.{os.getpid()}.tmp"
        try:
            with open(temporary, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except (OSError, pickle.PicklingError):
            try:
                os.unlink(temporary)
            except OSError:
                pass
