"""Preflight: what kind of file this is, judged by its bytes, never by its name."""

from __future__ import annotations

from pathlib import Path

from ingest.errors import IntakeError

UnsupportedFile = IntakeError  # the file cannot be taken in; the error says why, in Thai and English


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
    "application/pdf": ".pdf",
    "image/tiff": ".tiff",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/x-portable-anymap": ".pnm",
}


def sniff_bytes(head: bytes) -> str:
    if not head:
        raise UnsupportedFile("empty")
    # PDFs may carry junk before the header (allowed up to 1024 bytes)
    if b"%PDF-" in head[:1024]:
        return "application/pdf"
    for sig, kind in SIGNATURES:
        if head.startswith(sig):
            return kind
    raise UnsupportedFile("not_supported")


def sniff(path: Path) -> str:
    with open(path, "rb") as f:
        return sniff_bytes(f.read(1024))
