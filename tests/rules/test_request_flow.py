"""SEC109 shows the flow from request data to the sink as related information, one step per assignment."""

from __future__ import annotations

from secls.analysis import analyze
from secls.config import Config

VIEW = '''\
import os
from flask import request


def logs():
    name = request.args["name"]
    path = os.path.join("/var/log", name)
    return open(path).read()
'''


def test_related_steps_follow_the_assignments() -> None:
    result = analyze(VIEW, "app/views.py", Config(select=("SEC109",)))
    findings = [f for f in result.findings if f.line == 8]
    assert len(findings) == 1
    steps = [(r.line, r.message) for r in findings[0].related]
    assert steps == [
        (6, "request data: flask `request.args`"),
        (6, "assigned to `name`"),
        (7, "assigned to `path`"),
        (8, "reaches the path opened by `open`"),
    ]
    assert findings[0].message == "request data (flask `request.args`) reaches the path opened by `open`"


def test_request_data_makes_eval_an_error_and_literal_eval_no_sink() -> None:
    text = "import sys\n\n\ndef main():\n    expr = sys.argv[1]\n    return eval(expr)\n"
    result = analyze(text, "app/cli.py", Config(select=("SEC101", "SEC109")))
    assert {(f.code, f.severity.label) for f in result.findings} == {("SEC101", "error"), ("SEC109", "error")}
    fixed = text.replace("return eval(expr)", "import ast\n    return ast.literal_eval(expr)")
    assert not analyze(fixed, "app/cli.py", Config(select=("SEC101", "SEC109"))).findings
