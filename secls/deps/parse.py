"""Read any requirement file by its kind."""

from __future__ import annotations

from secls.deps.kinds import PYLOCK, PYPROJECT, SETUP_CFG
from secls.deps.model import ParsedFile
from secls.deps.pylock import parse_pylock
from secls.deps.pyproject import parse_pyproject
from secls.deps.requirements_txt import parse_requirements_txt
from secls.deps.setup_cfg import parse_setup_cfg


def parse_file(text: str, kind: str) -> ParsedFile:
    """The requirements, includes, skipped lines and problems of a requirement file of this kind."""
    if kind == PYPROJECT:
        return parse_pyproject(text, kind)
    if kind == PYLOCK:
        return parse_pylock(text, kind)
    if kind == SETUP_CFG:
        return parse_setup_cfg(text, kind)
    return parse_requirements_txt(text, kind)
