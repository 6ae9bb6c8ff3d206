"""Recognising files that are not Python source at all (images, archives, executables, UTF-16 text)."""

from __future__ import annotations

SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive"),
    (b"\x7fELF", "an ELF executable"),
    (b"\x1f\x8b", "gzip data"),
    (b"\xff\xfe", "UTF-16 text"),
    (b"\xfe\xff", "UTF-16 text"),
)


def signature_of(data: bytes) -> str | None:
    """What a file starting with a known binary signature is ("a PNG image"), else None."""
    for signature, name in SIGNATURES:
        if data.startswith(signature):
            return name
    return None


def binary_description(data: bytes) -> str | None:
    """What a file that is not text looks like ("a PNG image", "binary data"), or None if it may be text."""
    name = signature_of(data)
    if name is not None:
        return name
    nul = data.find(b"\x00", 0, 8192)
    if nul >= 0:
        return f"binary data (a NUL byte at offset {nul})"
    return None
