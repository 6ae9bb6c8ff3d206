"""The review as one JSON object (dataclasses as dicts, excerpts with their first line)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from secls.review.model import FileReview, Review


def file_dict(review: FileReview) -> dict[str, Any]:
    """One file's review as JSON-ready data."""
    data = dataclasses.asdict(review)
    for section, raw in zip(review.sections, data["sections"]):
        for finding, out in zip(section.findings, raw["findings"]):
            out["location"] = finding.location
            out["fix_label"] = finding.fix_label
    for summary, out in zip(review.classes, data["classes"]):
        out["text"] = summary.text
    data["defects"] = review.defects
    return data


def review_json(review: Review) -> str:
    """The whole review: files and the overall verdict."""
    data = {"files": [file_dict(f) for f in review.files], "verdict": review.verdict}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
