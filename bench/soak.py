"""Soak: thousands of keystrokes through the real server over stdio; latency and memory at the start and the end.

Run: python bench/soak.py [--edits 10000] [--rate 50] [--window 1000] [--file FILE [--root DIR]] [--json]
Without --file: nova 34.0.0's nova/tests/unit/test_fixtures.py (649 lines, from the corpus tests' cache or
downloaded like bench/latency.py does), opened in a workspace rooted at its distribution, so cross-file
resolution runs as in an editor. The edits type statements into method bodies one character at a time
(incremental didChange, debounce 0) and delete them again, so the buffer keeps returning to the file's own
text, passing through invalid code on the way; every 100th edit also asks for code actions and a hover.
Each edit waits for its publishDiagnostics, then the next is sent at the given rate. Reported: p50/p95
latency and the server's RSS (psutil; the resolution worker process separately) over the first and the
last `--window` edits. Targets (issue 7): RSS growth < 10 MB, no latency drift.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO)]
from latency import CACHE, SERVER_COMMAND, RawClient, diagnostics_for, percentile  # noqa: E402

NOVA_VERSION = "34.0.0"
NOVA_FILE = "nova/tests/unit/test_fixtures.py"
STATEMENTS = (
    'p = mock.patch("os.getpid"); p.start()',
    "tmp = tempfile.mkdtemp()",
    'os.environ["SOAK"] = "1"',
    "value = eval(input())",
    'self.useFixture(fixtures.MonkeyPatch("os.getcwd", lambda: "/"))',
    "try:\n            pass\n        except Exception:\n            pass",
)


def nova_file() -> Path:
    """nova's test_fixtures.py: from the corpus tests' cache, else extracted from the wheel they download."""
    cached = REPO / ".corpus" / f"nova-{NOVA_VERSION}-py3-none-any" / NOVA_FILE
    if cached.is_file():
        return cached
    target = CACHE / "nova" / NOVA_FILE
    if not target.is_file():
        from tests.corpus.conftest import fetch_wheel

        with zipfile.ZipFile(fetch_wheel(f"nova=={NOVA_VERSION}")) as archive:
            archive.extract(NOVA_FILE, CACHE / "nova")
    return target


def position(text: str, offset: int) -> dict[str, int]:
    """The LSP position (UTF-16 columns) of a code-point offset."""
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return {"line": line, "character": len(text[start:offset].encode("utf-16-le")) // 2}


@dataclass
class Typist:
    """Types statements into method bodies of a text character by character, then deletes them again."""

    text: str
    rng: random.Random
    pending: list[tuple[int, str]] = field(default_factory=list)  # (offset, inserted text or "" to delete one)

    def _plan(self) -> None:
        lines = self.text.split("\n")
        bodies = [i for i, line in enumerate(lines) if line.startswith("        ") and line.strip()
                  and not line.rstrip().endswith(("(", ",", "\\"))]
        at = self.rng.choice(bodies)
        offset = sum(len(line) + 1 for line in lines[:at]) + len(lines[at])  # the end of that line
        typed = "\n        " + self.rng.choice(STATEMENTS)
        self.pending = [(offset + i, ch) for i, ch in enumerate(typed)]
        self.pending += [(offset + i, "") for i in reversed(range(len(typed)))]

    def next_change(self) -> dict[str, Any]:
        """The next incremental change (and apply it to the local copy)."""
        if not self.pending:
            self._plan()
        offset, inserted = self.pending.pop(0)
        start = position(self.text, offset)
        if inserted:
            self.text = self.text[:offset] + inserted + self.text[offset:]
            return {"range": {"start": start, "end": start}, "text": inserted}
        end = position(self.text, offset + 1)
        self.text = self.text[:offset] + self.text[offset + 1:]
        return {"range": {"start": start, "end": end}, "text": ""}


@dataclass
class Window:
    """Latencies and memory samples of a run of edits."""

    latencies: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)
    worker_rss: list[int] = field(default_factory=list)

    def row(self) -> dict[str, float]:
        """p50/p95 latency in ms; RSS (MB) median and at the window's last edit."""
        mb = 1024 * 1024
        return {"edits": len(self.latencies), "p50_ms": statistics.median(self.latencies),
                "p95_ms": percentile(self.latencies, 95), "max_ms": max(self.latencies),
                "rss_median_mb": statistics.median(self.rss) / mb, "rss_end_mb": self.rss[-1] / mb,
                "worker_rss_end_mb": self.worker_rss[-1] / mb if self.worker_rss else 0.0}


def worker_rss(server: psutil.Process) -> int:
    """RSS of the server's child processes (the resolution worker), 0 when there are none."""
    total = 0
    for child in server.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.Error:
            pass
    return total


def soak(path: Path, root: Path, edits: int, rate: float, window: int, seed: int = 0) -> dict[str, Any]:
    """Run the edits; returns the first and last windows' figures and the whole run's."""
    text = path.read_text(encoding="utf-8")
    uri = path.resolve().as_uri()
    client = RawClient(SERVER_COMMAND)
    server = psutil.Process(client.proc.pid)
    first, last, every = Window(), Window(), Window()
    actions = 0
    try:
        client.initialize(root.as_uri())
        client.send("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": text}})
        client.wait_for(diagnostics_for(uri, 1))
        start_rss = server.memory_info().rss
        typist = Typist(text, random.Random(seed))
        interval = 1.0 / rate if rate > 0 else 0.0
        began = time.perf_counter()
        for i in range(edits):
            due = began + i * interval
            if (pause := due - time.perf_counter()) > 0:
                time.sleep(pause)
            version = i + 2
            change = typist.next_change()
            sent = time.perf_counter()
            client.send("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                   "contentChanges": [change]})
            client.wait_for(diagnostics_for(uri, version))
            latency = (time.perf_counter() - sent) * 1000
            rss, worker = server.memory_info().rss, worker_rss(server)
            for target, wanted in ((first, i < window), (last, i >= edits - window), (every, True)):
                if wanted:
                    target.latencies.append(latency)
                    target.rss.append(rss)
                    target.worker_rss.append(worker)
            if (i + 1) % 100 == 0:
                actions += ask_actions_and_hover(client, uri, change)
        elapsed = time.perf_counter() - began
        client.close()
    finally:
        if client.proc.poll() is None:
            client.proc.kill()
    head, tail = first.row(), last.row()
    return {"file": str(path), "lines": text.count("\n") + 1, "edits": edits, "seconds": elapsed,
            "rate": edits / elapsed, "requests": actions, "start_rss_mb": start_rss / 1024 / 1024,
            "first": head, "last": tail, "all": every.row(),
            "rss_growth_mb": tail["rss_median_mb"] - head["rss_median_mb"]}


def ask_actions_and_hover(client: RawClient, uri: str, change: dict[str, Any]) -> int:
    """A code-action and a hover request around the last edit (the fix and hover caches see use too)."""
    where = change["range"]["start"]
    line_range = {"start": {"line": max(0, where["line"] - 3), "character": 0},
                  "end": {"line": where["line"] + 3, "character": 0}}
    ids = [client.send("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": line_range,
                                                   "context": {"diagnostics": []}}, request=True),
           client.send("textDocument/hover", {"textDocument": {"uri": uri}, "position": where}, request=True)]
    for request in ids:
        client.wait_for(lambda m, request=request: m.get("id") == request)
    return len(ids)


def main(argv: list[str] | None = None) -> int:
    """Soak the server and print the figures (Markdown, or JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=50.0, help="edits per second (0: as fast as possible)")
    parser.add_argument("--window", type=int, default=1000, help="edits in the first and last windows")
    parser.add_argument("--file", type=Path)
    parser.add_argument("--root", type=Path, help="the workspace root (default: nova's, or the file's folder)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    window = max(1, min(args.window, args.edits))
    path = args.file or nova_file()
    root = args.root or (path.parent if args.file else path.parents[len(Path(NOVA_FILE).parts) - 1])
    result = soak(path, root.resolve(), args.edits, args.rate, window)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"secls soak: {result['edits']:,} edits of {result['file']} ({result['lines']} lines) in "
          f"{result['seconds']:.0f} s ({result['rate']:.1f}/s), {result['requests']} code-action/hover requests, "
          f"Python {sys.version.split()[0]}\n")
    print("| edits | p50 ms | p95 ms | max ms | server RSS MB (median) | at the end | resolution worker RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in ("first", "last", "all"):
        r = result[name]
        print(f"| {name} {r['edits']:,} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['max_ms']:.1f} "
              f"| {r['rss_median_mb']:.1f} | {r['rss_end_mb']:.1f} | {r['worker_rss_end_mb']:.1f} |")
    print(f"\nRSS after didOpen {result['start_rss_mb']:.1f} MB; growth first -> last window "
          f"{result['rss_growth_mb']:+.1f} MB (target < 10 MB); p95 drift "
          f"{result['last']['p95_ms'] - result['first']['p95_ms']:+.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
