"""File names, as received and as written out. A document keeps the name it came with (folders,
control characters and broken UTF-8 taken out: `received_name`); whatever is written under a
name — a file in a case file's bag, a zip entry, a download's Content-Disposition — uses
`safe_name`: a name every file system, zip tool and browser takes, however long, Thai, dotted or
strange the original was. The original name stays in the record's metadata."""

from __future__ import annotations

import re

CONTROL = re.compile(r"[\x00-\x1f\x7f]")
UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
NAME_BYTES = 120  # well under the 255 bytes a file name may have (a Thai letter takes three)
EXTENSIONS = {"application/pdf": ".pdf", "image/tiff": ".tiff", "image/jpeg": ".jpg", "image/png": ".png"}


def _valid_utf8(name: str) -> str:
    return name.encode("utf-8", "replace").decode("utf-8")


def received_name(name: str | None) -> str:
    """The name a file is recorded under: its last path part, control characters replaced,
    at most 255 characters; "upload" when nothing is left."""
    name = _valid_utf8((name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = CONTROL.sub("_", name).strip()[:255]
    return name if name not in ("", ".", "..") else "upload"


def safe_name(name: str | None, media_type: str = "") -> str:
    """A name to write a file under: no folders, control characters or characters Windows
    refuses, no leading dots, at most NAME_BYTES of UTF-8 with its extension kept; "original"
    (with the media type's extension) when nothing is left."""
    base = UNSAFE.sub("_", _valid_utf8((name or "").replace("\\", "/").rsplit("/", 1)[-1])).strip().lstrip(".")
    stem, dot, ext = base.rpartition(".")
    if not dot or not stem or len(ext.encode()) > 12:
        stem, ext = base, ""
    ext = "." + ext if ext else EXTENSIONS.get(media_type, "")
    stem = stem.encode()[: NAME_BYTES - len(ext.encode())].decode(errors="ignore").strip()
    return (stem or "original") + ext
