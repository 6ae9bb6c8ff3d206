"""Which files are requirement files, and of which kind, by name."""

from __future__ import annotations

from pathlib import PurePath

REQUIREMENTS, CONSTRAINTS, PIP_IN, PYPROJECT, SETUP_CFG, PYLOCK = (
    "requirements", "constraints", "in", "pyproject", "setup.cfg", "pylock")

# Names ending in `.in` that belong to other tools.
_NOT_PIP_IN = frozenset({"manifest.in", "makefile.in", "setup.in", "config.in"})


def requirement_kind(path: str | PurePath | None) -> str | None:
    """The kind of requirement file a path names, or None for anything else (a Python module)."""
    if path is None:
        return None
    name = PurePath(path).name.lower()
    if name == "pyproject.toml":
        return PYPROJECT
    if name == "setup.cfg":
        return SETUP_CFG
    if name == "pylock.toml" or (name.startswith("pylock.") and name.endswith(".toml")):
        return PYLOCK
    if name.endswith(".txt"):
        if name.startswith("requirements"):
            return REQUIREMENTS
        if name.startswith("constraints"):
            return CONSTRAINTS
        return None
    if name.endswith(".in") and name.count(".") == 1 and name not in _NOT_PIP_IN:
        return PIP_IN
    return None


def discovered_in_folders(name: str) -> bool:
    """Whether a file found while walking a folder is checked: requirements*.txt, constraints*.txt, *.in."""
    return requirement_kind(name) in (REQUIREMENTS, CONSTRAINTS, PIP_IN)


def is_application_file(kind: str) -> bool:
    """Whether a kind lists what an application installs (unpinned entries there deserve a hint)."""
    return kind in (REQUIREMENTS, CONSTRAINTS)
