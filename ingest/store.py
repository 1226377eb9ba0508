"""Content-addressed object store: every original is written once, atomically, under its SHA-256,
and never modified. Layout: HOME/objects/ab/cd/<sha256>, files read-only."""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator

CHUNK = 1 << 20


class StoreError(Exception):
    pass


@dataclass(frozen=True)
class Stored:
    sha256: str
    size: int
    path: Path
    created: bool  # False when the same bytes were already in the store


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ObjectStore:
    def __init__(self, root: Path):
        self.root = root
        self.tmp = root / "tmp"
        self.tmp.mkdir(parents=True, exist_ok=True)

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise StoreError(f"not a SHA-256: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def put_stream(self, src: BinaryIO, max_bytes: int | None = None) -> Stored:
        """Copy a stream into the store: temp file, fsync, rename into place, fsync folder."""
        h = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self.tmp, prefix="in-")
        tmp_path = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in iter(lambda: src.read(CHUNK), b""):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise StoreError(f"file is larger than the limit of {max_bytes // (1 << 20)} MB")
                    h.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            digest = h.hexdigest()
            final = self.path_for(digest)
            if final.is_file():
                tmp_path.unlink()
                return Stored(digest, size, final, created=False)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(tmp_path, 0o444)
            os.replace(tmp_path, final)
            _fsync_dir(final.parent)
            return Stored(digest, size, final, created=True)
        except BaseException:
            tmp_path.unlink(missing_ok=True)
            raise

    def put_file(self, path: Path, max_bytes: int | None = None) -> Stored:
        with open(path, "rb") as f:
            return self.put_stream(f, max_bytes)

    def put_bytes(self, data: bytes) -> Stored:
        import io
        return self.put_stream(io.BytesIO(data))

    def open(self, sha256: str) -> BinaryIO:
        return open(self.path_for(sha256), "rb")

    def verify(self, sha256: str) -> bool:
        p = self.path_for(sha256)
        return p.is_file() and sha256_file(p) == sha256

    def __iter__(self) -> Iterator[str]:
        for p in self.root.glob("??/??/*"):
            if p.is_file():
                yield p.name
