"""The exclude globs compiled once: the same answers as `Config.is_excluded`, one regex match per path part."""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable, Sequence
from pathlib import PurePath


def exclusion_matcher(globs: Sequence[str]) -> Callable[[PurePath], bool]:
    """A predicate true for a path when a glob matches one of its parts or the whole path (like fnmatch)."""
    if not globs:
        return lambda path: False
    # fnmatch.fnmatch is fnmatchcase on normcase'd operands; one alternation of the translated globs.
    pattern = re.compile("|".join(f"(?:{fnmatch.translate(os.path.normcase(g))})" for g in globs))
    match = pattern.match

    def is_excluded(path: PurePath) -> bool:
        return match(os.path.normcase(path.as_posix())) is not None or any(
            match(os.path.normcase(part)) is not None for part in path.parts)

    return is_excluded
