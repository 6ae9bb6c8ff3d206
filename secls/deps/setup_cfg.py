"""Requirements in setup.cfg: `install_requires` and `[options.extras_require]`."""

from __future__ import annotations

import re

from secls.analysis.source import SourceLines
from secls.deps.model import ParsedFile, Span
from secls.deps.requirement import read_requirement

_SECTION = re.compile(r"^\s*\[(?P<name>[^\]]+)\]")
_KEY = re.compile(r"^(?P<key>[A-Za-z0-9_.-]+)\s*[=:]\s*(?P<value>.*)$")


def parse_setup_cfg(text: str, kind: str) -> ParsedFile:
    """Read the requirement lists of a setup.cfg; never raises."""
    parsed = ParsedFile(kind)
    section = ""
    collecting = False
    for lineno, line in enumerate(SourceLines(text).lines, start=1):
        header = _SECTION.match(line)
        if header:
            section, collecting = header.group("name").strip(), False
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        value_start: int | None = None
        if not line[0].isspace():
            key = _KEY.match(line)
            collecting = bool(key) and ((section == "options" and key.group("key") == "install_requires")
                                        or section == "options.extras_require")
            if collecting and key and key.group("value").strip():
                value_start = key.start("value")
        elif collecting:
            value_start = len(line) - len(line.lstrip())
        if value_start is None:
            continue
        value = re.sub(r"\s+#.*$", "", line[value_start:]).rstrip()
        item = read_requirement(value, lambda a, b: Span(lineno, value_start + a, lineno, value_start + b))
        parsed.add(item)
    return parsed
