"""Finding -> LSP Diagnostic, and columns between code points and the client's position encoding."""

from __future__ import annotations

from functools import cached_property

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from secls.analysis import Finding
from secls.analysis.source import SourceLines
from secls.config import Config

SOURCE = "secls"


class Columns:
    """Converts 0-based (line, code-point column) pairs of one text to and from client units."""

    def __init__(self, text: str, codec: PositionCodec) -> None:
        self.text = text
        self.codec = codec
        # UTF-32 columns are code points, and so are the columns of an all-ASCII text in any
        # encoding: then nothing is converted and the text is not even split into lines.
        self._identity = codec.encoding == types.PositionEncodingKind.Utf32 or text.isascii()

    @cached_property
    def lines(self) -> list[str]:
        """Lines split the way Python and LSP count them (\r\n, \r, \n)."""
        return SourceLines(self.text).lines

    def to_client(self, line: int, column: int) -> types.Position:
        """A code-point position as a client Position."""
        if self._identity or line >= len(self.lines):
            return types.Position(line=line, character=column)
        text = self.lines[line]
        if text.isascii():
            return types.Position(line=line, character=min(column, len(text)))
        return types.Position(line=line, character=self.codec.client_num_units(text[:column]))

    def range_to_client(self, line: int, column: int, end_line: int, end_column: int) -> types.Range:
        """A code-point range (0-based lines) as a client Range."""
        return types.Range(start=self.to_client(line, column), end=self.to_client(end_line, end_column))

    def from_client(self, position: types.Position) -> tuple[int, int]:
        """A client Position as (0-based line, code-point column), clamped to the text."""
        if not self.lines:
            return 0, 0
        line = position.line
        if line >= len(self.lines):
            line = len(self.lines) - 1
            return line, len(self.lines[line])
        text = self.lines[line]
        if self._identity or text.isascii():
            return line, min(position.character, len(text))
        units = 0
        for index, char in enumerate(text):
            if units >= position.character:
                return line, index
            units += self.codec.impl.code_units_for_char(char)
        return line, len(text)


def finding_range(finding: Finding, columns: Columns) -> types.Range:
    """The client Range of a finding."""
    return columns.range_to_client(finding.line - 1, finding.column, finding.end_line - 1, finding.end_column)


def to_diagnostic(finding: Finding, uri: str, columns: Columns, config: Config) -> types.Diagnostic:
    """One finding as an LSP Diagnostic (source, code, category in the message and in data)."""
    message = f"{finding.message} [{finding.category}]" if finding.category else finding.message
    href = None
    if config.docs_url and finding.category:
        href = types.CodeDescription(href=f"{config.docs_url.rstrip('/')}/{finding.code}")
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(uri=uri, range=columns.range_to_client(
                r.line - 1, r.column, r.end_line - 1, r.end_column)),
            message=r.message)
        for r in finding.related
    ] or None
    return types.Diagnostic(
        range=finding_range(finding, columns),
        severity=types.DiagnosticSeverity(int(finding.severity)),
        code=finding.code,
        code_description=href,
        source=SOURCE,
        message=message,
        related_information=related,
        data={"category": finding.category,
              "fix": finding.fix.title if finding.fix else None,
              "safe": bool(finding.fix and finding.fix.safe)},
    )
