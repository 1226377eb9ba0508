"""Backup and restore of a home: a consistent snapshot of the database (SQLite's online backup
API, or `pg_dump` for PostgreSQL — both safe while the server runs) plus the object store,
copied incrementally (objects are immutable and named by their SHA-256, so one already in the
destination is never copied again),
and a manifest written last — a backup without its manifest is incomplete and is refused by
restore. Restore goes into an empty home, checks every object against its name, and rebuilds
the search index from the restored database."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from records.object_store import sha256_file

if TYPE_CHECKING:
    from config import Settings
    from records.home import Archive

MANIFEST = "manifest.json"
DB_NAME = "damrong.sqlite3"
PG_DUMP_NAME = "damrong.pgdump"  # pg_dump's custom format


class BackupError(Exception):
    pass


@dataclass
class BackupResult:
    objects: int
    copied: int
    bytes_copied: int
    manifest: Path


def _sqlite_path(url: str) -> Path | None:
    return Path(url[len("sqlite:///") :]) if url.startswith("sqlite:///") else None


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL as pg_dump and pg_restore take it (no driver name)."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    if not u.drivername.startswith("postgresql"):
        raise BackupError(f"backup of a {u.drivername} database is not supported (SQLite and PostgreSQL are)")
    return u.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(args: list[str]) -> None:
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode != 0:
        raise BackupError(f"{args[0]} failed: {r.stderr.strip()[-500:]}")


def _snapshot_database(url: str, dest: Path) -> str:
    """A consistent copy of the database into `dest`; returns its file name there."""
    sqlite_path = _sqlite_path(url)
    if sqlite_path is not None:
        src = sqlite3.connect(sqlite_path)
        tmp_db = dest / (DB_NAME + ".tmp")
        out = sqlite3.connect(tmp_db)
        with out:
            src.backup(out)
        out.close()
        src.close()
        os.replace(tmp_db, dest / DB_NAME)
        return DB_NAME
    tmp = dest / (PG_DUMP_NAME + ".tmp")
    _run(["pg_dump", "--format=custom", "--no-owner", f"--file={tmp}", libpq_url(url)])
    os.replace(tmp, dest / PG_DUMP_NAME)
    return PG_DUMP_NAME


def _write_json_atomically(path: Path, data: dict[str, Any]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".manifest-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def backup(archive: Archive, dest: Path, progress: Callable[[int, int], object] | None = None) -> BackupResult:
    dest.mkdir(parents=True, exist_ok=True)
    (dest / MANIFEST).unlink(missing_ok=True)  # incomplete until the new manifest is written
    # 1. the database, consistently, while others may be writing
    for stale in (DB_NAME, PG_DUMP_NAME):
        (dest / stale).unlink(missing_ok=True)
    db_file = _snapshot_database(archive.settings.db_url, dest)
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
    manifest = {
        "format": "damrong-backup/1",
        "created": dt.datetime.now(dt.UTC).isoformat(),
        "database": {"file": db_file, "sha256": sha256_file(dest / db_file)},
        "objects": entries,
    }
    _write_json_atomically(dest / MANIFEST, manifest)
    return BackupResult(len(objects), copied, nbytes, dest / MANIFEST)


def restore(archive_settings: Settings, src: Path, progress: Callable[[int, int], object] | None = None) -> int:
    """Restore the backup at `src` into the (empty) home of `archive_settings`; returns the number
    of objects restored. The caller rebuilds the index (`search.index.open_index(archive).rebuild()`)."""
    manifest_path = src / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{src} holds no complete backup (no {MANIFEST})")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    home = archive_settings.home
    url = archive_settings.db_url
    db_target = _sqlite_path(url)
    objects_there = (home / "objects").exists() and any((home / "objects").glob("??/??/*"))
    if (db_target is not None and db_target.exists()) or objects_there or (db_target is None and _pg_has_tables(url)):
        raise BackupError(f"the home {home} is not empty: restore only into an empty home (and an empty database)")
    if (db_target is None) != (manifest["database"]["file"] == PG_DUMP_NAME):
        raise BackupError("the backup's database kind (SQLite or PostgreSQL) differs from this home's")
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
    if db_target is None:
        _run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={libpq_url(url)}", str(db_src)])
    else:
        tmp = db_target.with_suffix(".restoring")
        shutil.copyfile(db_src, tmp)
        os.replace(tmp, db_target)
    return len(manifest["objects"])


def _pg_has_tables(url: str) -> bool:
    from sqlalchemy import create_engine, inspect

    engine = create_engine(url)
    try:
        return bool(inspect(engine).get_table_names())
    finally:
        engine.dispose()
