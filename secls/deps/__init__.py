"""Requirement files as documents, and the advisory databases (OSV) their pins are checked against."""
