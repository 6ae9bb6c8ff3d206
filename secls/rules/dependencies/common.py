"""Shared plumbing of the dependency rules."""

from __future__ import annotations

CATEGORY = "dependencies"
