"""The PostgreSQL search index (`search_backend = "postgres"`): the same Thai analysis as the
Whoosh index, held in one table of the archive's own PostgreSQL database, so every web process
and worker on every machine shares it.

One row per filed document (`search_docs`): its squashed text (letters and digits only, digits
folded — search.thai_analyzer.squash), the set of its character trigrams (`grams`, text[] with
a GIN index that holds the date too), the set of its dictionary words (nlpo3, for ranking), the
text for snippets, its date and the areas whose users may find it (int[], GIN). A substring is
found as in Whoosh: the documents holding all of the query's trigrams (the GIN index intersects
their lists) whose squashed text holds the query itself (`strpos`, so no false hit). The table
is derived like the Whoosh folder: `sync()` drains the same index outbox (one writer at a time:
an advisory lock), `rebuild()` makes it again from the documents. It is made on first use
(CREATE IF NOT EXISTS) rather than by a migration: an archive on SQLite, or on PostgreSQL with
Whoosh, never has it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, delete, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from records.complaints import document_area_ids
from records.db import Database
from records.models import Document, DocumentState, IndexOutbox
from search.documents import day_of, filed_in_chunks, with_pages
from search.thai_analyzer import grams, squash, words_of

log = logging.getLogger(__name__)
SYNC_LOCK = 0x44414D52  # pg_advisory_xact_lock key of the one index writer ("DAMR")

TABLE = """CREATE TABLE IF NOT EXISTS search_docs (
        doc_id bigint PRIMARY KEY,
        filename text NOT NULL,
        kind text NOT NULL,
        created timestamp NOT NULL,
        date date NOT NULL,
        squashed text {lz4}NOT NULL,
        grams text[] {lz4}NOT NULL,
        words text[] {lz4}NOT NULL,
        body text {lz4}NOT NULL,
        areas integer[] NOT NULL
    )"""
# where the server has it, the long columns are kept with lz4: a search reads a candidate's
# squashed text, and lz4 gives it back twice as fast as PostgreSQL's own pglz (a third more disk)
HAS_LZ4 = "SELECT count(*) FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
# The trigram index holds each document's date beside its trigrams (btree_gin, a trusted
# extension shipped with PostgreSQL): the newest page of a common word is then found in the
# index among the newest documents alone, not by reading the date of every document holding it.
# Without btree_gin (a server without contrib) it holds the trigrams only, under the old name.
GRAMS_DATE = ("search_docs_grams_date", "USING gin (grams, date) WITH (fastupdate = off)")
GRAMS_ONLY = ("search_docs_grams", "USING gin (grams) WITH (fastupdate = off)")
OTHER_INDEXES = [
    ("search_docs_areas", "USING gin (areas)"),
    ("search_docs_date", "(date, doc_id)"),
]
STATS = "CREATE TABLE IF NOT EXISTS search_stats (id integer PRIMARY KEY, docs bigint NOT NULL, chars bigint NOT NULL)"
HAS_BTREE_GIN = "SELECT count(*) FROM pg_available_extensions WHERE name = 'btree_gin'"


def indexes(conn: Connection) -> list[tuple[str, str]]:
    """(name, definition) of search_docs's indexes on this server: the trigram one with dates
    where btree_gin can be had (made here if need be), else with trigrams alone."""
    grams = GRAMS_ONLY
    if conn.scalar(text(HAS_BTREE_GIN)):
        try:
            with conn.begin_nested():  # no right to create it: the trigrams alone, as before
                conn.execute(text("CREATE EXTENSION IF NOT EXISTS btree_gin"))
            grams = GRAMS_DATE
        except DBAPIError as e:
            log.warning("btree_gin could not be made (%s): the trigram index holds no dates", e.orig)
    return [grams, *OTHER_INDEXES]


def create_index(conn: Connection, name: str, definition: str) -> None:
    conn.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON search_docs {definition}"))


UPSERT = text(
    """INSERT INTO search_docs (doc_id, filename, kind, created, date, squashed, grams, words, body, areas)
    VALUES (:doc_id, :filename, :kind, :created, :date, :squashed, :grams, :words, :body, :areas)
    ON CONFLICT (doc_id) DO UPDATE SET filename = excluded.filename, kind = excluded.kind,
      created = excluded.created, date = excluded.date, squashed = excluded.squashed,
      grams = excluded.grams, words = excluded.words, body = excluded.body, areas = excluded.areas"""
)


def row_of(session: Session, doc: Document) -> dict[str, Any]:
    """A document as its search_docs row: what the Whoosh index holds, in the same analysis."""
    body = doc.text
    return {
        "doc_id": doc.id,
        "filename": doc.filename,
        "kind": doc.kind or "other",
        "created": doc.created_at,
        "date": day_of(doc),
        **analysed(doc.filename, body),
        "body": body,
        "areas": sorted(document_area_ids(session, doc.id, doc.area_id)),
    }


def analysed(filename: str, body: str) -> dict[str, Any]:
    """The analysed columns of a document's row: squashed text, its trigrams, its words."""
    squashed = squash(f"{filename}\n{body}")[0]
    return {
        "squashed": squashed,
        "grams": sorted(set(grams(squashed))),
        "words": sorted({w for w in words_of(body) if len(w) > 1}),
    }


class PgSearchIndex:
    """The search_docs table of the archive database `db` (PostgreSQL)."""

    backend = "postgres"

    def __init__(self, db: Database):
        if db.engine.dialect.name != "postgresql":
            raise ValueError("the postgres search backend needs a PostgreSQL database (DAMRONG_DATABASE_URL)")
        self.db = db
        with db.engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SYNC_LOCK})
            lz4 = "COMPRESSION lz4 " if conn.scalar(text(HAS_LZ4)) else ""
            conn.execute(text(TABLE.format(lz4=lz4)))
            wanted = indexes(conn)
            for name, definition in wanted:
                create_index(conn, name, definition)  # a table from before the dates: made once, here
            if GRAMS_DATE in wanted:
                conn.execute(text(f"DROP INDEX IF EXISTS {GRAMS_ONLY[0]}"))  # what it replaces
            conn.execute(text(STATS))
            conn.execute(text("INSERT INTO search_stats VALUES (1, 0, 0) ON CONFLICT (id) DO NOTHING"))

    def _write(self, s: Session, docs: list[Document]) -> None:
        rows = [row_of(s, d) for d in docs]
        if rows:
            s.execute(UPSERT, rows)

    def sync(self, batch: int = 200) -> int:
        """Apply every pending outbox entry; returns how many documents changed."""
        done = 0
        while True:
            with self.db.session() as s:
                s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SYNC_LOCK})
                rows = list(s.scalars(select(IndexOutbox).order_by(IndexOutbox.id).limit(batch)))
                if not rows:
                    s.rollback()
                    return done
                ids = {r.document_id for r in rows}
                filed = [d for d in with_pages(s, ids).values() if d.state == DocumentState.done]
                gone = ids - {d.id for d in filed}
                before = _sizes(s, ids)
                self._write(s, filed)
                if gone:
                    s.execute(text("DELETE FROM search_docs WHERE doc_id = ANY(:ids)"), {"ids": sorted(gone)})
                after = _sizes(s, ids)
                s.execute(
                    text("UPDATE search_stats SET docs = docs + :n, chars = chars + :c WHERE id = 1"),
                    {"n": after[0] - before[0], "c": after[1] - before[1]},
                )
                s.execute(delete(IndexOutbox).where(IndexOutbox.id <= rows[-1].id))
                s.commit()
                done += len(ids)

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Make the table again from the database, in one transaction (searches meanwhile see
        the old rows)."""
        with self.db.session() as s:
            s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SYNC_LOCK})
            max_outbox = s.scalar(select(IndexOutbox.id).order_by(IndexOutbox.id.desc()).limit(1))
            s.execute(text("DELETE FROM search_docs"))
            n = 0
            for docs, total in filed_in_chunks(s):
                self._write(s, docs)
                n += len(docs)
                if progress:
                    progress(n, total)
            if max_outbox is not None:
                s.execute(delete(IndexOutbox).where(IndexOutbox.id <= max_outbox))
            _refresh_stats(s)
            s.commit()
        with self.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE search_docs"))  # (in a transaction rolled back, it would count for nothing)
        return n

    def indexed_texts(self) -> dict[int, str]:
        """Every indexed document's text (the index check compares it with the database)."""
        with self.db.session() as s:
            return {r.doc_id: r.body for r in s.execute(text("SELECT doc_id, body FROM search_docs"))}

    def average_length(self, s: Session) -> float:
        docs, chars = s.execute(text("SELECT docs, chars FROM search_stats WHERE id = 1")).one()
        return chars / docs if docs else 1.0


def _sizes(s: Session, ids: set[int]) -> tuple[int, int]:
    n, c = s.execute(
        text("SELECT count(*), coalesce(sum(length(squashed)), 0) FROM search_docs WHERE doc_id = ANY(:ids)"),
        {"ids": sorted(ids)},
    ).one()
    return int(n), int(c)


def _refresh_stats(s: Session) -> None:
    """The number of documents and their mean length (BM25's length normalisation), counted
    whole (a rebuild); a sync adds what it changed."""
    s.execute(
        text(
            "UPDATE search_stats SET docs = t.n, chars = t.c FROM "
            "(SELECT count(*) AS n, coalesce(sum(length(squashed)), 0) AS c FROM search_docs) t WHERE id = 1"
        )
    )
