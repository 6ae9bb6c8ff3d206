"""The review as one self-contained HTML page: inline CSS, no scripts, nothing fetched."""

from __future__ import annotations

import re
from html import escape

from secls.review.model import FileReview, Review, ReviewFinding, Section

CSS = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1d2330; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
h1 { margin-top: 0; } h2 code { font-size: 0.9em; }
code { font: 0.9em ui-monospace, monospace; background: #eef0f4; padding: 0 0.2em; border-radius: 3px; }
article.file { background: #fff; border: 1px solid #d8dce3; border-radius: 8px; padding: 0.5rem 1.5rem;
  margin-bottom: 1.5rem; }
section.category { border-top: 1px solid #e6e9ee; padding-top: 0.25rem; }
h3 { margin-bottom: 0.25rem; } h4 { margin: 0.5rem 0 0.25rem; font-size: 0.9em; color: #5a6272; }
ul.examined { margin-top: 0; }
ol.findings { padding-left: 1.2rem; }
li.finding { margin-bottom: 0.75rem; }
.location { font-family: ui-monospace, monospace; font-weight: 600; }
.severity { display: inline-block; padding: 0 0.4em; border-radius: 4px; font-size: 0.85em; color: #fff; }
.severity-error { background: #b42318; } .severity-warning { background: #b54708; }
.severity-info { background: #175cd3; } .severity-hint { background: #667085; }
.fix { color: #3b6e22; font-size: 0.9em; } .fix.none { color: #667085; }
pre.excerpt { background: #0f1720; color: #e6edf3; padding: 0.5rem 0; border-radius: 6px; overflow-x: auto;
  font: 13px/1.45 ui-monospace, monospace; }
pre.excerpt .src { display: block; padding: 0 0.75rem; white-space: pre; }
pre.excerpt .src.hit { background: #3a2a0a; }
pre.excerpt .ln { display: inline-block; min-width: 3em; color: #7d8590; user-select: none; }
p.verdict { font-weight: 600; }
.clean p.verdict { color: #3b6e22; } .defects p.verdict { color: #b42318; }
footer.overall { background: #fff; border: 2px solid #1d2330; border-radius: 8px; padding: 0.5rem 1.5rem; }
"""


_CODE_SPAN = re.compile(r"`([^`]+)`")


def _inline(text: str) -> str:
    """Escaped text with Markdown `code spans` as <code>."""
    return _CODE_SPAN.sub(r"<code>\1</code>", escape(text))


def _finding(f: ReviewFinding) -> str:
    rows = []
    for n, text in enumerate(f.excerpt.lines, f.excerpt.first_line):
        hit = " hit" if f.line <= n <= f.end_line else ""
        rows.append(f'<span class="src{hit}" data-line="{n}"><span class="ln">{n}</span>{escape(text)}</span>')
    fix = f'<span class="fix{" none" if f.fix is None else ""}">{escape(f.fix_label)}</span>'
    return (f'<li class="finding" data-code="{escape(f.code)}" data-line="{f.line}" data-severity="{f.severity}">'
            f'<p><span class="location">{escape(f.location)}</span> <strong>{escape(f.code)}</strong> '
            f'{escape(f.rule)} <span class="severity severity-{f.severity}">{f.severity}</span><br>'
            f'{_inline(f.message)}<br>{fix}</p><pre class="excerpt">{"".join(rows)}</pre></li>')


def _section(number: int, section: Section) -> str:
    examined = "".join(f"<li>{_inline(line)}</li>" for line in section.examined)
    findings = ""
    if section.findings:
        findings = ('<h4>Findings</h4><ol class="findings">'
                    + "".join(_finding(f) for f in section.findings) + "</ol>")
    state = "defects" if any(f.severity in ("error", "warning") for f in section.findings) else "clean"
    return (f'<section class="category {state}" data-category="{section.slug}"><h3>{number}. {escape(section.title)}'
            f'</h3><h4>Examined</h4><ul class="examined">{examined}</ul>{findings}'
            f'<p class="verdict">Verdict: {_inline(section.verdict)}</p></section>')


def _file(review: FileReview) -> str:
    head = f'<article class="file" data-path="{escape(review.path)}"><h2><code>{escape(review.path)}</code></h2>'
    if review.error is not None:
        return head + f'<p class="error">Not reviewed: {escape(review.error)}</p></article>'
    sections = "".join(_section(n, s) for n, s in enumerate(review.sections, 1))
    state = "defects" if review.defects else "clean"
    return (head + sections + f'<section class="file-verdict {state}"><h3>Verdict</h3>'
            f'<p class="verdict">{_inline(review.verdict)}</p></section></article>')


def review_html(review: Review) -> str:
    """The whole review as one HTML document."""
    files = "".join(_file(f) for f in review.files)
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>secls security review</title><style>{CSS}</style></head><body><main>'
            f'<h1>Security review</h1>{files}<footer class="overall"><h2>Overall verdict</h2>'
            f'<p class="verdict" id="overall-verdict">{escape(review.verdict)}</p></footer></main></body></html>\n')
