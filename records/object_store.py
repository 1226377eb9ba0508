"""Content-addressed object store: every original is written once, atomically, under its SHA-256,
and never modified. Layout: HOME/objects/ab/cd/<sha256>, files read-only.

Writing is two steps so that a crash never leaves an object the database does not know, nor a
row naming an object that is not there: `stage_stream` (temp file, fsync, named by its hash in
HOME/objects/tmp), then — after the database row is committed — `commit` (rename into place).
`recover` finishes or clears what a crash left between the two."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Container, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20


class StoreError(Exception):
    pass


@dataclass(frozen=True)
class Staged:
    sha256: str
    size: int
    path: Path


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

    def stage_stream(self, src: BinaryIO, max_bytes: int | None = None) -> Staged:
        """Write a stream to the staging area (temp file, fsync), named by its SHA-256. Nothing is
        in the store yet: `commit` puts it there once the database row naming it is committed."""
        h = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self.tmp, prefix="in-", suffix=".part")
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
            staged = self.tmp / f"{digest}.{os.getpid()}.{tmp_path.stem[3:]}.staged"
            os.replace(tmp_path, staged)
            return Staged(digest, size, staged)
        except BaseException:
            tmp_path.unlink(missing_ok=True)
            raise

    def commit(self, staged: Staged) -> Stored:
        """Move a staged file into the store under its SHA-256 (rename, fsync the folder)."""
        final = self.path_for(staged.sha256)
        if final.is_file():
            staged.path.unlink(missing_ok=True)
            return Stored(staged.sha256, staged.size, final, created=False)
        if not staged.path.is_file():
            raise StoreError(f"staged file for {staged.sha256[:12]} vanished before it was stored")
        final.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(staged.path, 0o444)
        os.replace(staged.path, final)
        _fsync_dir(final.parent)
        return Stored(staged.sha256, staged.size, final, created=True)

    def discard(self, staged: Staged) -> None:
        staged.path.unlink(missing_ok=True)

    def recover(self, referenced: Container[str], older_than_s: float = 600.0) -> tuple[int, int]:
        """After a crash: staged files the database names are stored; others older than
        `older_than_s` (an intake that never committed) and interrupted writes are removed.
        Younger ones may belong to an intake still running in another process, and stay."""
        import time

        stored = removed = 0
        now = time.time()
        for p in self.tmp.iterdir():
            old = now - p.stat().st_mtime > older_than_s
            if p.suffix == ".staged":
                sha = p.name.split(".")[0]
                if sha in referenced:
                    self.commit(Staged(sha, p.stat().st_size, p))
                    stored += 1
                elif old:
                    p.unlink(missing_ok=True)
                    removed += 1
            elif old:
                p.unlink(missing_ok=True)
                removed += 1
        return stored, removed

    def put_stream(self, src: BinaryIO, max_bytes: int | None = None) -> Stored:
        """Stage and store at once (for callers with no database row to commit in between)."""
        return self.commit(self.stage_stream(src, max_bytes))

    def put_bytes(self, data: bytes) -> Stored:
        import io

        return self.put_stream(io.BytesIO(data))

    def verify(self, sha256: str) -> bool:
        p = self.path_for(sha256)
        return p.is_file() and sha256_file(p) == sha256

    def __iter__(self) -> Iterator[str]:
        for p in self.root.glob("??/??/*"):
            if p.is_file():
                yield p.name
