"""The files a requirement file includes with `-r`/`-c`, as the CLI follows them."""

from __future__ import annotations

import os

from secls.deps.kinds import CONSTRAINTS, REQUIREMENTS, requirement_kind
from secls.deps.requirements_txt import parse_requirements_txt


def included_paths(text: str, path: str) -> list[str]:
    """Paths named by `-r`/`-c` lines of a pip requirement file, relative to its folder; URLs are left out."""
    kind = requirement_kind(path) or REQUIREMENTS
    if kind not in (REQUIREMENTS, CONSTRAINTS, "in"):
        return []
    folder = os.path.dirname(path)
    out = []
    for include in parse_requirements_txt(text, kind).includes:
        if "://" in include.target:
            continue
        out.append(os.path.normpath(os.path.join(folder, os.path.expanduser(include.target))))
    return out
