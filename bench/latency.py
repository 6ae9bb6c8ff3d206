"""didChange -> publishDiagnostics latency of the real server over stdio, next to `ast.parse`.

Run: python bench/latency.py [--edits N] [FILE ...]
Without FILE: a ~2,000-line stdlib test file and nova's 18k-line test_compute_mgr.py (fetched
with `pip download --no-deps nova==34.0.0` into bench/.cache/ when the corpus tests' .corpus/ cache does not have it).
"""

from __future__ import annotations

import argparse
import ast
import gc
import json
import statistics
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path
from typing import Any, BinaryIO

HERE = Path(__file__).resolve().parent
SERVER_COMMAND = [sys.executable, "-m", "secls", "serve"]
CACHE = HERE / ".cache"
NOVA_MEMBER = "nova/tests/unit/compute/test_compute_mgr.py"
NOVA_CORPUS = HERE.parent / ".corpus" / "nova-34.0.0-py3-none-any" / NOVA_MEMBER  # the corpus tests' cache
STDLIB_FILE = Path(sysconfig.get_paths()["stdlib"]) / "test" / "test_urllib2.py"


def nova_file() -> Path:
    """nova's test_compute_mgr.py: from the corpus tests' cache, else downloaded into bench/.cache."""
    if NOVA_CORPUS.is_file():
        return NOVA_CORPUS
    target = CACHE / "nova" / NOVA_MEMBER
    if not target.is_file():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "nova==34.0.0",
                        "-d", str(CACHE)], check=True)
        wheel = next(CACHE.glob("nova-34.0.0*.whl"))
        with zipfile.ZipFile(wheel) as zf:
            zf.extract(NOVA_MEMBER, CACHE / "nova")
    return target


class RawClient:
    """A minimal synchronous JSON-RPC client over the server's stdio (no client-side parsing cost)."""

    def __init__(self, command: list[str]) -> None:
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.proc.stdin and self.proc.stdout
        self.stdin: BinaryIO = self.proc.stdin
        self.stdout: BinaryIO = self.proc.stdout
        self._id = 0

    def send(self, method: str, params: Any, request: bool = False) -> int | None:
        """Write one message; returns the id of a request."""
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            self._id += 1
            message["id"] = self._id
        body = json.dumps(message).encode()
        self.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.stdin.flush()
        return message.get("id")


    def initialize(self, root_uri: str | None = None, options: Any = None, capabilities: Any = None) -> None:
        """The initialize handshake (UTF-16 positions; debounce 0 unless `options` say otherwise)."""
        request = self.send("initialize", {
            "processId": None, "rootUri": root_uri,
            "capabilities": {**(capabilities or {}), "general": {"positionEncodings": ["utf-16"]}},
            "initializationOptions": options if options is not None else {"debounceMs": 0}}, request=True)
        self.wait_for(lambda m: m.get("id") == request)
        self.send("initialized", {})
    def receive(self) -> dict[str, Any]:
        """Read one message."""
        length = 0
        while True:
            line = self.stdout.readline()
            if not line:
                raise EOFError("server closed its stdout")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode("ascii").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        return json.loads(self.stdout.read(length))

    def wait_for(self, predicate: Any) -> dict[str, Any]:
        """Read messages until one matches."""
        while True:
            message = self.receive()
            if predicate(message):
                return message

    def close(self) -> None:
        """shutdown + exit."""
        request = self.send("shutdown", None, request=True)
        self.wait_for(lambda m: m.get("id") == request)
        self.send("exit", None)
        self.proc.wait(timeout=10)


def diagnostics_for(uri: str, version: int) -> Any:
    return lambda m: (m.get("method") == "textDocument/publishDiagnostics"
                      and m["params"]["uri"] == uri and m["params"].get("version") == version)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def median_time(fn: Any, repeat: int) -> float:
    """Median wall time of fn() in ms."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(path: Path, edits: int) -> dict[str, Any]:
    """Latencies of `edits` full-text didChanges on one file, and ast.parse / analyze() of the same text."""
    text = path.read_text(encoding="utf-8")
    uri = path.resolve().as_uri()
    client = RawClient(SERVER_COMMAND)
    try:
        client.initialize()
        client.send("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": text}})
        first = client.wait_for(diagnostics_for(uri, 1))
        latencies = []
        for i in range(edits):
            version = i + 2
            new_text = text + ("# edited\n" if i % 2 == 0 else "")
            params = {"textDocument": {"uri": uri, "version": version},
                      "contentChanges": [{"text": new_text}]}
            start = time.perf_counter()
            client.send("textDocument/didChange", params)
            client.wait_for(diagnostics_for(uri, version))
            latencies.append((time.perf_counter() - start) * 1000)
        client.close()
    finally:
        if client.proc.poll() is None:
            client.proc.kill()

    from secls.analysis import analyze

    parse_ms = median_time(lambda: ast.parse(text), max(9, edits // 4))
    analyze_ms = median_time(lambda: analyze(text, path=str(path)), max(5, edits // 8))
    gc.collect()
    gc.freeze()  # the server freezes its start-up objects too; compare like with like
    analyze_frozen_ms = median_time(lambda: analyze(text, path=str(path)), max(5, edits // 8))
    gc.unfreeze()
    return {
        "file": path.name, "lines": text.count("\n") + 1, "edits": edits,
        "findings": len(first["params"]["diagnostics"]),
        "p50": statistics.median(latencies), "p95": percentile(latencies, 95),
        "parse": parse_ms, "analyze": analyze_ms, "analyze_frozen": analyze_frozen_ms,
    }


def main(argv: list[str] | None = None) -> int:
    """Measure and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--edits", type=int, default=60)
    args = parser.parse_args(argv)
    files = args.files or [STDLIB_FILE, nova_file()]
    rows = [measure(f, args.edits if f.stat().st_size < 200_000 else max(20, args.edits // 3)) for f in files]
    print(f"secls server latency (Python {sys.version.split()[0]}, debounce 0, full-text didChange)\n")
    print("| file | lines | edits | diagnostics | p50 ms | p95 ms | ast.parse ms (median) | p50 / ast.parse "
          "| analyze() ms in-process |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['file']} | {r['lines']:,} | {r['edits']} | {r['findings']} | {r['p50']:.1f} | {r['p95']:.1f} "
              f"| {r['parse']:.1f} | {r['p50'] / r['parse']:.2f}x | {r['analyze']:.1f} "
              f"({r['analyze_frozen']:.1f} after gc.freeze) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
