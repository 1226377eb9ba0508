"""Backup and restore of a home: a consistent snapshot of the database (SQLite's online backup
API, safe while the server runs) plus the object store, copied incrementally (objects are
immutable and named by their SHA-256, so one already in the destination is never copied again),
and a manifest written last — a backup without its manifest is incomplete and is refused by
restore. Restore goes into an empty home, checks every object against its name, and rebuilds
the search index from the restored database."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ingest.store import sha256_file

MANIFEST = "manifest.json"
DB_NAME = "damrong.sqlite3"


class BackupError(Exception):
    pass


@dataclass
class BackupResult:
    objects: int
    copied: int
    bytes_copied: int
    manifest: Path


def _sqlite_path(archive) -> Path:
    url = archive.settings.db_url
    if not url.startswith("sqlite:///"):
        raise BackupError("backup of a non-SQLite database: use pg_dump for PostgreSQL "
                          "(the object store can still be copied with this command's --objects-only)")
    return Path(url[len("sqlite:///"):])


def _write_json_atomically(path: Path, data: dict) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".manifest-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def backup(archive, dest: Path, progress=None) -> BackupResult:
    dest.mkdir(parents=True, exist_ok=True)
    (dest / MANIFEST).unlink(missing_ok=True)  # incomplete until the new manifest is written
    # 1. the database, consistently, while others may be writing
    src = sqlite3.connect(_sqlite_path(archive))
    tmp_db = dest / (DB_NAME + ".tmp")
    out = sqlite3.connect(tmp_db)
    with out:
        src.backup(out)
    out.close()
    src.close()
    os.replace(tmp_db, dest / DB_NAME)
    # 2. the objects, incrementally
    objects = sorted(archive.store)
    copied = nbytes = 0
    entries = []
    for i, sha in enumerate(objects, 1):
        s = archive.store.path_for(sha)
        d = dest / "objects" / sha[:2] / sha[2:4] / sha
        size = s.stat().st_size
        if not (d.is_file() and d.stat().st_size == size):
            d.parent.mkdir(parents=True, exist_ok=True)
            tmp = d.with_suffix(".tmp")
            shutil.copyfile(s, tmp)
            os.replace(tmp, d)
            copied += 1
            nbytes += size
        entries.append({"sha256": sha, "size": size})
        if progress:
            progress(i, len(objects))
    # 3. the manifest, last
    manifest = {"format": "damrong-backup/1", "created": dt.datetime.now(dt.timezone.utc).isoformat(),
                "database": {"file": DB_NAME, "sha256": sha256_file(dest / DB_NAME)},
                "objects": entries}
    _write_json_atomically(dest / MANIFEST, manifest)
    return BackupResult(len(objects), copied, nbytes, dest / MANIFEST)


def restore(archive_settings, src: Path, progress=None) -> int:
    """Restore the backup at `src` into the (empty) home of `archive_settings`; returns the number
    of objects restored. The caller rebuilds the index (`Archive(...).index.rebuild()`)."""
    manifest_path = src / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{src} holds no complete backup (no {MANIFEST})")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    home = archive_settings.home
    db_target = Path(archive_settings.db_url[len("sqlite:///"):]) if archive_settings.db_url.startswith(
        "sqlite:///") else None
    if db_target is None:
        raise BackupError("restore into a non-SQLite database is not supported by this command")
    if db_target.exists() or (home / "objects").exists() and any((home / "objects").glob("??/??/*")):
        raise BackupError(f"the home {home} is not empty: restore only into an empty home")
    db_src = src / manifest["database"]["file"]
    if sha256_file(db_src) != manifest["database"]["sha256"]:
        raise BackupError("the database file in the backup does not match its manifest checksum")
    home.mkdir(parents=True, exist_ok=True)
    for i, entry in enumerate(manifest["objects"], 1):
        sha = entry["sha256"]
        s = src / "objects" / sha[:2] / sha[2:4] / sha
        if not s.is_file() or sha256_file(s) != sha:
            raise BackupError(f"object {sha} is missing or damaged in the backup")
        d = home / "objects" / sha[:2] / sha[2:4] / sha
        d.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(s, d)
        os.chmod(d, 0o444)
        if progress:
            progress(i, len(manifest["objects"]))
    tmp = db_target.with_suffix(".restoring")
    shutil.copyfile(db_src, tmp)
    os.replace(tmp, db_target)
    return len(manifest["objects"])
