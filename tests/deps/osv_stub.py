"""A loopback OSV API (127.0.0.1 only) for tests: querybatch and vulns, counting requests."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from packaging.version import Version

VULN = {"id": "GHSA-test-0001", "aliases": ["CVE-2099-0001"], "summary": "Test advisory",
        "affected": [{"package": {"ecosystem": "PyPI", "name": "demo-pkg"},
                      "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.5"}]}]}]}


class OsvStub:
    """A loopback HTTP server speaking OSV's querybatch and vulns endpoints, counting requests."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, body: Any, status: int = 200) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                stub.requests.append(self.path)
                queries = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["queries"]
                results = []
                for q in queries:
                    hit = q["package"]["name"] == "demo-pkg" and Version(q["version"]) < Version("1.5")
                    results.append({"vulns": [{"id": VULN["id"], "modified": "2099-01-01T00:00:00Z"}]} if hit else {})
                self._send({"results": results})

            def do_GET(self) -> None:
                stub.requests.append(self.path)
                if self.path == f"/v1/vulns/{VULN['id']}":
                    self._send(VULN)
                else:
                    self._send({"code": 5, "message": "not found"}, 404)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
