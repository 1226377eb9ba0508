"""Migrations are all or nothing: a new home whose first migration is cut off half-way (the
process killed, the disk full) holds no half-made schema, and the next start migrates it whole.
pysqlite commits before every DDL statement unless told otherwise; records.db tells it."""

from __future__ import annotations

import sqlite3

import pytest
from alembic.ddl.impl import DefaultImpl

from records.db import Database, current_revision, head_revision


def _tables(path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_a_migration_cut_off_half_way_leaves_nothing_and_the_next_start_completes_it(settings, monkeypatch):
    real = DefaultImpl.create_table
    made = []

    def create_then_fail(self, table, *args, **kwargs):
        if len(made) == 3:  # three tables made, then the process "dies"
            raise RuntimeError("cut off mid-migration")
        made.append(table.name)
        return real(self, table, *args, **kwargs)

    monkeypatch.setattr(DefaultImpl, "create_table", create_then_fail)
    with pytest.raises(RuntimeError, match="cut off"):
        Database(settings)
    assert len(made) == 3
    path = settings.home / "damrong.sqlite3"
    assert _tables(path) == set()  # none of the three it made is left
    monkeypatch.setattr(DefaultImpl, "create_table", real)
    db = Database(settings)
    try:
        assert current_revision(db.engine) == head_revision()
        assert {"documents", "complaints", "audit_log", "alembic_version"} <= _tables(path)
    finally:
        db.dispose()
