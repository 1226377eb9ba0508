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
import re
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


SHA256 = re.compile(r"[0-9a-f]{64}")


def _inside(src: Path, relative: str) -> Path:
    """A file of the backup: a regular file, no symlink anywhere on its way, inside `src`."""
    path = src / relative
    root = src.resolve()
    if ".." in Path(relative).parts or Path(relative).is_absolute():
        raise BackupError(f"the manifest names {relative!r}, outside the backup")
    here = root
    for part in Path(relative).parts:
        here = here / part
        if here.is_symlink():
            raise BackupError(f"{relative} in the backup is a symbolic link: refused")
    if not path.is_file() or not path.resolve().is_relative_to(root):
        raise BackupError(f"{relative} is missing from the backup")
    return path


def _checked_manifest(src: Path) -> tuple[Path, str, list[str]]:
    """The backup's database file and kind, and its objects — everything checked before anything
    is touched: the manifest's shape, names only of the two database files and of SHA-256
    objects, no path outside the backup, no symbolic link, every file matching its checksum."""
    manifest_path = src / MANIFEST
    if manifest_path.is_symlink() or not manifest_path.is_file():
        raise BackupError(f"{src} holds no complete backup (no {MANIFEST})")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        database, objects = manifest["database"], manifest["objects"]
        db_file, db_sha = str(database["file"]), str(database["sha256"])
        shas = [str(o["sha256"]) for o in objects]
    except (ValueError, KeyError, TypeError) as e:
        raise BackupError(f"{MANIFEST} is not a Damrong backup manifest ({type(e).__name__}: {e})") from None
    if manifest.get("format") != "damrong-backup/1":
        raise BackupError(f"{MANIFEST} is of an unknown format: {manifest.get('format')!r}")
    if db_file not in (DB_NAME, PG_DUMP_NAME):
        raise BackupError(f"the manifest names {db_file!r} as the database: only {DB_NAME} or {PG_DUMP_NAME}")
    bad = [sha for sha in [db_sha, *shas] if not SHA256.fullmatch(sha)]
    if bad:
        raise BackupError(f"the manifest holds {len(bad)} names that are not SHA-256 checksums, e.g. {bad[0][:80]!r}")
    db_src = _inside(src, db_file)
    if sha256_file(db_src) != db_sha:
        raise BackupError("the database file in the backup does not match its manifest checksum")
    for sha in shas:
        if sha256_file(_inside(src, f"objects/{sha[:2]}/{sha[2:4]}/{sha}")) != sha:
            raise BackupError(f"object {sha} is damaged in the backup")
    return db_src, db_file, shas


def restore(archive_settings: Settings, src: Path, progress: Callable[[int, int], object] | None = None) -> int:
    """Restore the backup at `src` into the (empty) home of `archive_settings`; returns the number
    of objects restored. The backup is checked whole before the home is touched (a crafted or
    damaged one is refused with nothing written); the objects are copied into a staging folder
    that becomes the object store only when all are there, the database last — a failure half-way
    leaves the home as empty as it was, to try again. The caller rebuilds the index
    (`search.index.open_index(archive).rebuild()`)."""
    home = archive_settings.home
    url = archive_settings.db_url
    db_target = _sqlite_path(url)
    objects_dir = home / "objects"
    objects_there = objects_dir.exists() and any(objects_dir.glob("??/??/*"))
    if (db_target is not None and db_target.exists()) or objects_there or (db_target is None and _pg_has_tables(url)):
        raise BackupError(f"the home {home} is not empty: restore only into an empty home (and an empty database)")
    db_src, db_file, shas = _checked_manifest(src)
    if (db_target is None) != (db_file == PG_DUMP_NAME):
        raise BackupError("the backup's database kind (SQLite or PostgreSQL) differs from this home's")
    home.mkdir(parents=True, exist_ok=True)
    staging = home / "objects.restoring"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for i, sha in enumerate(shas, 1):
            d = staging / sha[:2] / sha[2:4] / sha
            d.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src / "objects" / sha[:2] / sha[2:4] / sha, d)
            os.chmod(d, 0o444)
            if progress:
                progress(i, len(shas))
        if objects_dir.exists():  # only its empty staging area (objects/tmp): nothing stored
            shutil.rmtree(objects_dir)
        staging.rename(objects_dir)
        if db_target is None:
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--exit-on-error",
                    "--single-transaction",
                    f"--dbname={libpq_url(url)}",
                    str(db_src),
                ]
            )
        else:
            tmp = db_target.with_suffix(".restoring")
            shutil.copyfile(db_src, tmp)
            os.replace(tmp, db_target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if objects_dir.exists() and (db_target is None or not db_target.exists()):
            shutil.rmtree(objects_dir, ignore_errors=True)  # the objects without their database: undone
        raise
    return len(shas)


def _pg_has_tables(url: str) -> bool:
    from sqlalchemy import create_engine, inspect

    engine = create_engine(url)
    try:
        return bool(inspect(engine).get_table_names())
    finally:
        engine.dispose()
