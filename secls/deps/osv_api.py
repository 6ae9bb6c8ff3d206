"""The OSV query API (`/v1/querybatch`, `/v1/vulns/ID`) behind an on-disk cache, with a short timeout.

Callers that must not wait (the server) read the cache with `cached_database` and fetch in the
background with `fetch`; when the API cannot be reached, one line is logged and the cache alone
answers until `OFFLINE_RETRY_S` has passed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from secls.deps.osv import AdvisoryDatabase

log = logging.getLogger(__name__)

TIMEOUT_S = 3.0
TTL_S = 24 * 3600
OFFLINE_RETRY_S = 300.0
BATCH = 1000  # the API's limit of queries per batch

Pin = tuple[str, str]  # (canonical name, version text)


def default_cache_dir() -> Path:
    """`$SECLS_CACHE_DIR/osv`, else `$XDG_CACHE_HOME/secls/osv`, else `~/.cache/secls/osv`."""
    base = os.environ.get("SECLS_CACHE_DIR")
    if base:
        return Path(base) / "osv"
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(xdg) / "secls" / "osv"


class OsvApi:
    """One API endpoint with its cache of query answers and advisories."""

    def __init__(self, base_url: str, cache_dir: Path | None = None, timeout: float = TIMEOUT_S) -> None:
        self.base_url = base_url.rstrip("/")
        digest = hashlib.sha256(self.base_url.encode()).hexdigest()[:12]
        self.cache = (cache_dir or default_cache_dir()) / digest
        self.timeout = timeout
        self.offline_until = 0.0
        self._lock = threading.Lock()
        self._answers: dict[Pin, tuple[float, list[str]]] = {}
        self._vulns: dict[str, dict[str, Any]] = {}
        self._databases: dict[frozenset[str], AdvisoryDatabase] = {}

    # -- cache --------------------------------------------------------------------------------

    def _query_file(self, pin: Pin) -> Path:
        return self.cache / "queries" / f"{quote(pin[0], safe='')}=={quote(pin[1], safe='')}.json"

    def _vuln_file(self, ident: str) -> Path:
        return self.cache / "vulns" / f"{quote(ident, safe='')}.json"

    def _cached_ids(self, pin: Pin, fresh_only: bool) -> list[str] | None:
        answer = self._answers.get(pin)
        if answer is None:
            try:
                data = json.loads(self._query_file(pin).read_text(encoding="utf-8"))
                ids = data.get("ids")
                if not isinstance(ids, list):
                    return None
                answer = (float(data.get("time", 0)), [str(i) for i in ids])
            except (OSError, ValueError, AttributeError):
                return None
            self._answers[pin] = answer
        if fresh_only and time.time() - answer[0] > TTL_S:
            return None
        return answer[1]

    def _cached_vuln(self, ident: str) -> dict[str, Any] | None:
        vuln = self._vulns.get(ident)
        if vuln is None:
            try:
                vuln = json.loads(self._vuln_file(ident).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return None
            if not isinstance(vuln, dict):
                return None
            self._vulns[ident] = vuln
        return vuln

    def _write(self, path: Path, data: Any) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            log.warning("secls: cannot write the OSV cache %s: %s", path, exc)

    def cached_database(self, pins: Iterable[Pin]) -> AdvisoryDatabase:
        """The advisories the cache holds for these pins (never touches the network; the same set, the same
        database, so its memoised answers are kept)."""
        ids = frozenset(i for pin in pins for i in self._cached_ids(pin, fresh_only=False) or ())
        db = self._databases.get(ids)
        if db is None:
            db = AdvisoryDatabase(self.base_url)
            for ident in sorted(ids):
                vuln = self._cached_vuln(ident)
                if vuln is not None:
                    db.add(vuln)
            if len(self._databases) > 32:
                self._databases.clear()
            self._databases[ids] = db
        return db

    def stale(self, pins: Iterable[Pin]) -> list[Pin]:
        """Pins without a fresh cached answer (none while the API is known to be unreachable)."""
        if time.monotonic() < self.offline_until:
            return []
        return [pin for pin in dict.fromkeys(pins) if self._cached_ids(pin, fresh_only=True) is None]

    # -- network ------------------------------------------------------------------------------

    def _request(self, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, method="POST" if data else "GET",
                                         headers={"Content-Type": "application/json", "User-Agent": "secls"})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - configured URL
            return json.loads(response.read())

    def fetch(self, pins: Iterable[Pin]) -> bool:
        """Ask the API about stale pins and cache the answers and advisories; whether anything was fetched."""
        with self._lock:  # one fetch at a time: concurrent ones would ask the same questions
            todo = self.stale(pins)
            if not todo:
                return False
            try:
                for start in range(0, len(todo), BATCH):
                    self._fetch_batch(todo[start:start + BATCH])
            except (urllib.error.URLError, OSError, ValueError) as exc:
                self.offline_until = time.monotonic() + OFFLINE_RETRY_S
                reason = getattr(exc, "reason", exc)
                log.warning("secls: OSV API %s unreachable (%s); using cached answers for %.0f minutes",
                            self.base_url, reason, OFFLINE_RETRY_S / 60)
                return False
            return True

    def _fetch_batch(self, pins: list[Pin]) -> None:
        queries = [{"package": {"ecosystem": "PyPI", "name": name}, "version": version} for name, version in pins]
        answer = self._request("/v1/querybatch", {"queries": queries})
        results = answer.get("results", []) if isinstance(answer, dict) else []
        now = time.time()
        for pin, result in zip(pins, results):
            vulns = result.get("vulns", []) if isinstance(result, dict) else []
            ids = [str(v["id"]) for v in vulns if isinstance(v, dict) and "id" in v]
            for ident in ids:
                if self._cached_vuln(ident) is None:
                    vuln = self._request(f"/v1/vulns/{quote(ident, safe='')}")
                    self._write(self._vuln_file(ident), vuln)
                    if isinstance(vuln, dict):
                        self._vulns[ident] = vuln
            self._write(self._query_file(pin), {"time": now, "ids": ids})
            self._answers[pin] = (now, ids)


_apis: dict[str, OsvApi] = {}
_apis_lock = threading.Lock()


def api_for(base_url: str | None) -> OsvApi | None:
    """The process's client of an API URL (None when the API is off)."""
    if not base_url:
        return None
    with _apis_lock:
        if base_url not in _apis:
            _apis[base_url] = OsvApi(base_url)
        return _apis[base_url]
