"""Accepted findings that survive edits: fingerprints from the code, the baseline file, matching."""
