"""The review as Markdown: one section per category, findings with `path:line`, verdicts."""

from __future__ import annotations

from secls.review.model import FileReview, Review, ReviewFinding


def _finding(f: ReviewFinding) -> list[str]:
    width = len(str(f.excerpt.first_line + len(f.excerpt.lines)))
    code = [f"{n:>{width}} | {text}" for n, text in enumerate(f.excerpt.lines, f.excerpt.first_line)]
    return [f"- **`{f.location}`** {f.code} {f.rule} [{f.severity}] — {f.message} ({f.fix_label})", "",
            "  ```python", *(f"  {line}" for line in code), "  ```"]


def file_markdown(review: FileReview, level: int = 2) -> str:
    """One file's review."""
    head = "#" * level
    out = [f"{head} `{review.path}`", ""]
    if review.error is not None:
        return "\n".join(out + [f"Not reviewed: {review.error}", ""])
    for number, section in enumerate(review.sections, 1):
        out += [f"{head}# {number}. {section.title}", "", "Examined:", ""]
        out += [f"- {line}" for line in section.examined]
        out.append("")
        if section.findings:
            out += ["Findings:", ""]
            for finding in section.findings:
                out += _finding(finding)
            out.append("")
        out += [f"**Verdict:** {section.verdict}", ""]
    out += [f"{head}# Verdict", "", review.verdict, ""]
    return "\n".join(out)


def review_markdown(review: Review) -> str:
    """The whole review: a title, each file, the overall verdict."""
    out = ["# Security review", ""]
    for file in review.files:
        out.append(file_markdown(file))
    out += ["## Overall verdict", "", review.verdict, ""]
    return "\n".join(out)
