"""The workspace review (`secls.reviewWorkspace`) of nova's tests through the real server, over stdio.

Run: python bench/workspace_review.py [--edits-every-ms 100] [--no-cli]   (0: no edits during the review)
The workspace is nova 34.0.0's unpacked wheel (the corpus tests' .corpus/ cache; fetched with pip
otherwise) with everything but `nova/tests` excluded through the editor's `exclude` setting, so
base classes still resolve from the whole package. While the review runs, an open 2,000-line file
is edited and the didChange -> publishDiagnostics latency is measured (the review must not stall it),
next to the same edits before the review. Prints the figures; `--no-cli` skips `secls check` on the
same files for comparison.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from corpora import nova_root
from latency import SERVER_COMMAND, STDLIB_FILE, RawClient, percentile



class Session:
    """A RawClient that answers the server's requests (progress tokens, configuration) and counts what it sees."""

    def __init__(self, root: Path, exclude: list[str]) -> None:
        self.client = RawClient(SERVER_COMMAND)
        self.publishes: set[str] = set()
        self.progress: list[dict[str, Any]] = []
        self.answers: dict[int, tuple[dict[str, Any], float]] = {}  # responses, with the time they were read
        request = self.client.send("initialize", {
            "processId": None, "rootUri": root.as_uri(),
            "capabilities": {"window": {"workDoneProgress": True}, "general": {"positionEncodings": ["utf-16"]}},
            "initializationOptions": {"debounceMs": 0, "exclude": exclude}}, request=True)
        self.next(lambda m: m.get("id") == request)
        self.client.send("initialized", {})

    def next(self, predicate: Any) -> dict[str, Any]:
        """Read messages (answering requests, recording progress and publishes) until one matches."""
        while True:
            message = self.client.receive()
            if "method" in message and "id" in message:  # a request from the server: accept it
                body = {"jsonrpc": "2.0", "id": message["id"], "result": None}
                data = json.dumps(body).encode()
                self.client.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(data), data))
                self.client.stdin.flush()
            elif "id" in message:
                self.answers[message["id"]] = (message, time.perf_counter())
            elif message.get("method") == "$/progress":
                self.progress.append(message["params"]["value"])
            elif message.get("method") == "textDocument/publishDiagnostics" and message["params"].get("version") is None:
                self.publishes.add(message["params"]["uri"])
            if predicate(message):
                return message

    def edit(self, uri: str, text: str, version: int) -> float:
        """One full-text didChange; ms until its diagnostics are published."""
        start = time.perf_counter()
        self.client.send("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                     "contentChanges": [{"text": text}]})
        self.next(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                  and m["params"]["uri"] == uri and m["params"].get("version") == version)
        return (time.perf_counter() - start) * 1000


def run(edit_gap_ms: float) -> dict[str, Any]:
    """Review nova's tests once; latencies of an open document before and during the review."""
    root = nova_root()
    exclude = [f"nova/{p.name}" for p in sorted((root / "nova").iterdir()) if p.name != "tests"]
    files = sum(1 for _ in (root / "nova" / "tests").rglob("*.py"))
    session = Session(root, exclude)
    text = STDLIB_FILE.read_text(encoding="utf-8")
    uri = STDLIB_FILE.as_uri()
    session.client.send("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "python", "version": 1, "text": text}})
    session.next(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri)
    version = 1
    idle = []
    for _ in range(20):
        version += 1
        idle.append(session.edit(uri, text + "# edit\n" * (version % 2), version))
    start = time.perf_counter()
    request = session.client.send("workspace/executeCommand", {"command": "secls.reviewWorkspace"}, request=True)
    busy: list[float] = []
    while request not in session.answers:
        if edit_gap_ms <= 0:  # no edits: just wait for the answer
            session.next(lambda m: m.get("id") == request and "method" not in m)
            break
        time.sleep(edit_gap_ms / 1000)
        version += 1
        busy.append(session.edit(uri, text + "# edit\n" * (version % 2), version))
    elapsed = session.answers[request][1] - start
    try:
        session.client.close()
    except subprocess.TimeoutExpired:  # a background resolution still running: not what is measured here
        session.client.proc.kill()
    return {"files": files, "seconds": elapsed, "result": session.answers[request][0].get("result"),
            "published": len(session.publishes), "idle": idle, "busy": busy,
            "reports": sum(1 for v in session.progress if v.get("kind") == "report")}


def cli_seconds(root: Path) -> float:
    """Wall time of `secls check --no-cache` on the same files (cross-file resolution on, as in the server)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "secls", "check", "--no-cache", "--exit-zero", "nova/tests"], cwd=root,
                   stdout=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits-every-ms", type=float, default=100.0)
    parser.add_argument("--no-cli", action="store_true")
    args = parser.parse_args(argv)
    r = run(args.edits_every_ms)
    print(f"secls workspace review of nova 34.0.0's tests through the server (Python {sys.version.split()[0]})\n")
    print(f"- files: {r['files']}; review answered after {r['seconds']:.1f} s: {r['result']}")
    print(f"- unopened files published: {r['published']}; $/progress reports: {r['reports']}")
    for name in ("idle", "busy"):
        values = r[name]
        if not values:
            continue
        print(f"- didChange -> publish on {STDLIB_FILE.name}, {'before' if name == 'idle' else 'during'} the review: "
              f"{len(values)} edits, p50 {statistics.median(values):.1f} ms, p95 {percentile(values, 95):.1f} ms")
    if not args.no_cli:
        print(f"- `secls check --no-cache nova/tests` (one process): {cli_seconds(nova_root()):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
