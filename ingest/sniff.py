"""Preflight: what kind of file this is, judged by its bytes, never by its name."""
from __future__ import annotations

from pathlib import Path


class UnsupportedFile(Exception):
    """The file cannot be taken in; the message says why, in words a clerk can act on."""


SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", "application/pdf"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"P4", "image/x-portable-anymap"),
    (b"P5", "image/x-portable-anymap"),
    (b"P6", "image/x-portable-anymap"),
]

EXTENSIONS = {
    "application/pdf": ".pdf", "image/tiff": ".tiff", "image/jpeg": ".jpg", "image/png": ".png",
    "image/x-portable-anymap": ".pnm",
}


def sniff_bytes(head: bytes) -> str:
    if not head:
        raise UnsupportedFile("the file is empty (0 bytes)")
    # PDFs may carry junk before the header (allowed up to 1024 bytes)
    if b"%PDF-" in head[:1024]:
        return "application/pdf"
    for sig, kind in SIGNATURES:
        if head.startswith(sig):
            return kind
    raise UnsupportedFile("not a PDF, TIFF, JPEG or PNG file (its contents do not match any of them)")


def sniff(path: Path) -> str:
    with open(path, "rb") as f:
        return sniff_bytes(f.read(1024))
