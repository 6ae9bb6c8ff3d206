"""Formatting a check's report: text, JSON, SARIF."""

from secls.output.report import FileError, PathFinding, Report

__all__ = ["FileError", "PathFinding", "Report"]
