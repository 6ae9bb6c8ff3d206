"""Render a page in headless Chromium (Debian's `chromium`) and read back the DOM it built."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
VOID = frozenset({"meta", "br", "img", "link", "input", "hr", "col", "source", "wbr"})


@dataclass
class Element:
    """A DOM element: tag, attributes, children, and its text content."""

    tag: str
    attrs: dict[str, str]
    children: list["Element"] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The element's text content, as `textContent` gives it."""
        return "".join(self.parts)

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list["Element"]:
        """Descendants by tag and class, in document order."""
        out = []
        for child in self.children:
            if (tag is None or child.tag == tag) and (cls is None or cls in child.attrs.get("class", "").split()):
                out.append(child)
            out.extend(child.find_all(tag, cls))
        return out


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.open) - 1, 0, -1):
            if self.open[i].tag == tag:
                del self.open[i:]
                return

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.parts.append(data)


def render(page: Path) -> Element:
    """The DOM Chromium built for a local page (no network: the page must need none)."""
    if not os.access(CHROMIUM, os.X_OK):
        message = "chromium is not installed (bash .ci/editors installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    done = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           "--user-data-dir=" + str(page.parent / "chromium-profile"), "--dump-dom",
                           page.resolve().as_uri()],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "<body" in done.stdout, done.stderr[-2000:]
    builder = _Builder()
    builder.feed(done.stdout)
    return builder.root
