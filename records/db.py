"""Database engine and sessions: SQLite in WAL mode by default, any SQLAlchemy URL otherwise;
schema brought to the newest Alembic revision on open, all or nothing: a migration cut off
half-way (the process killed, the disk full) leaves the schema as it was, and the next open
runs it again."""

from __future__ import annotations

import functools
import random
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from config import Settings

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig
    from sqlalchemy.engine.interfaces import DBAPIConnection
    from sqlalchemy.pool import ConnectionPoolEntry

MIGRATIONS = Path(__file__).with_name("migrations")


def _sqlite_pragmas(dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(url: str) -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    """The newest migration, read from the files (importing Alembic costs ~0.5 s a command)."""
    revs, downs = set(), set()
    for f in (MIGRATIONS / "versions").glob("*.py"):
        src = f.read_text(encoding="utf-8")
        m = re.search(r"^revision = ['\"](\w+)['\"]", src, re.M)
        d = re.search(r"^down_revision = ['\"](\w+)['\"]", src, re.M)
        if m:
            revs.add(m.group(1))
        if d:
            downs.add(d.group(1))
    heads = revs - downs
    return heads.pop() if len(heads) == 1 else ""


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # no table yet: a new database
        return None


def _migration_engine(url: str) -> Engine:
    """An engine whose transactions enclose DDL on SQLite. By default pysqlite commits before
    every CREATE or ALTER, so a migration killed half-way left some tables made and no revision
    recorded, and the home could not be opened again. Here the driver's own transaction handling
    is off and every transaction starts with BEGIN IMMEDIATE: the whole migration is one
    transaction, and two processes opening a new home at once migrate it one after the other."""
    engine = make_engine(url)

    @event.listens_for(engine, "connect")
    def _no_implicit_commits(dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        dbapi_conn.isolation_level = None  # sqlite3.Connection: no implicit BEGIN or COMMIT

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision (idempotent; free when already there)."""
    if current_revision(engine) == head_revision():
        return
    from alembic import command

    url = engine.url.render_as_string(hide_password=False)
    # PostgreSQL's DDL is transactional as it is; an in-memory SQLite database lives in its one
    # engine (a second would migrate another, empty database)
    on_file = engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:")
    migrating = _migration_engine(url) if on_file else engine
    try:
        cfg = alembic_config(url)
        with migrating.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    finally:
        if migrating is not engine:
            migrating.dispose()


P = ParamSpec("P")
R = TypeVar("R")
LOCK_RETRIES = 5


def retry_locked(fn: Callable[P, R]) -> Callable[P, R]:
    """A write that met SQLite's "database is locked" (another writer held the lock past the busy
    timeout) run again after a growing, jittered pause, up to LOCK_RETRIES times. For functions
    that open and commit their own transaction: a retry starts from nothing."""

    @functools.wraps(fn)
    def retried(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(LOCK_RETRIES):
            try:
                return fn(*args, **kwargs)
            except OperationalError as e:
                if "database is locked" not in str(e) or attempt == LOCK_RETRIES - 1:
                    raise
                time.sleep(0.05 * 2**attempt * (1 + random.random()))
        raise AssertionError("unreachable")

    return retried


class Database:
    """One engine and a session factory for a home."""

    def __init__(self, settings: Settings, migrate: bool = True):
        settings.home.mkdir(parents=True, exist_ok=True)
        self.engine = make_engine(settings.db_url)
        if migrate:
            upgrade(self.engine)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self.sessions()

    def dispose(self) -> None:
        self.engine.dispose()
