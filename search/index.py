"""The Whoosh index: schema, opening, and the one writer.

Writes go through `sync()`, which drains the database's index outbox under an exclusive file
lock (HOME/index.lock): one writer at a time across threads and processes, so concurrent
intakes wait their turn instead of hitting Whoosh's LockError. The index holds nothing the
database does not: `rebuild()` makes it again from the database (`damrong reindex`)."""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import shutil
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from whoosh import index as windex
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from records.complaints import document_area_ids
from records.db import Database
from records.home import Archive
from records.models import Document, DocumentState, IndexOutbox
from search.documents import day_of, filed_in_chunks, with_pages
from search.pg_index import PgSearchIndex
from search.thai_analyzer import gram_analyzer, word_analyzer

log = logging.getLogger(__name__)
INDEX_NAME = "documents"
_thread_lock = threading.Lock()


def make_schema() -> Schema:
    return Schema(
        doc_id=NUMERIC(int, bits=64, stored=True, unique=True, signed=False),
        filename=STORED,
        kind=ID(stored=True),
        created=DATETIME(stored=True, sortable=True),
        date=DATETIME(stored=True, sortable=True),  # the document's own date, else the intake date
        grams=TEXT(analyzer=gram_analyzer(), phrase=True),
        words=TEXT(analyzer=word_analyzer(), phrase=False),
        text=STORED,  # for snippets
        areas=KEYWORD,  # ids of the areas whose users may find it (central: all, not listed)
    )


def document_fields(session: Session, doc: Document) -> dict[str, Any]:
    text = doc.text
    date = day_of(doc)
    areas = " ".join(str(a) for a in sorted(document_area_ids(session, doc.id, doc.area_id)))
    return {
        "doc_id": doc.id,
        "filename": doc.filename,
        "kind": doc.kind or "other",
        "created": doc.created_at,
        "date": dt.datetime(date.year, date.month, date.day),
        "grams": f"{doc.filename}\n{text}",
        "words": text,
        "text": text,
        "areas": areas,
    }


class SearchIndex:
    """One home's Whoosh index (HOME/index) over its database `db`, the source of truth."""

    def __init__(self, path: Path, db: Database):
        self.path = path
        self.db = db
        path.mkdir(parents=True, exist_ok=True)
        self.lock_path = path.parent / "index.lock"
        if not windex.exists_in(path, INDEX_NAME):
            with self._locked():
                if not windex.exists_in(path, INDEX_NAME):
                    windex.create_in(path, make_schema(), INDEX_NAME)
        self._ix: Any = None  # the Whoosh index, opened on first use (Whoosh ships no type information)
        self._local = threading.local()
        if "areas" not in self.ix.schema.names():  # an index from before areas existed
            log.info("search index predates area filtering: rebuilding")
            self.rebuild()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with _thread_lock, open(self.lock_path, "a+") as lf:
            fcntl.flock(lf, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lf, fcntl.LOCK_UN)

    @property
    def ix(self) -> Any:
        if self._ix is None:
            self._ix = windex.open_dir(self.path, INDEX_NAME)
        return self._ix

    @contextmanager
    def searcher(self) -> Iterator[Any]:
        """A searcher kept per thread and refreshed when the index changed: opening one costs
        far more (tens of ms at 10,000 documents) than a query."""
        s = getattr(self._local, "searcher", None)
        if s is None:
            s = self.ix.searcher()
        else:
            try:
                s = s.refresh()
            except Exception:  # the index was rebuilt underneath: open the new one
                self._ix = None
                s = self.ix.searcher()
        self._local.searcher = s
        yield s

    def sync(self, batch: int = 200) -> int:
        """Apply every pending outbox entry; returns how many documents changed."""
        done = 0
        while True:
            with self._locked(), self.db.session() as s:
                rows = list(s.scalars(select(IndexOutbox).order_by(IndexOutbox.id).limit(batch)))
                if not rows:
                    return done
                ids = {r.document_id for r in rows}
                docs = with_pages(s, ids)
                w = self.ix.writer(timeout=60)
                try:
                    for doc_id in ids:
                        doc = docs.get(doc_id)
                        if doc is not None and doc.state == DocumentState.done:
                            w.update_document(**document_fields(s, doc))
                        else:
                            w.delete_by_term("doc_id", doc_id)
                    w.commit()
                except BaseException:
                    w.cancel()
                    raise
                s.execute(delete(IndexOutbox).where(IndexOutbox.id <= rows[-1].id))
                s.commit()
                done += len(ids)
                self._ix = None

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Build a new index from the database and swap it in."""
        with self._locked():
            tmp = self.path.with_name(self.path.name + ".new")
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
            ix = windex.create_in(tmp, make_schema(), INDEX_NAME)
            n = 0
            with self.db.session() as s:
                max_outbox = s.scalar(select(IndexOutbox.id).order_by(IndexOutbox.id.desc()).limit(1))
                w = ix.writer(limitmb=256)
                for docs, total in filed_in_chunks(s):
                    for doc in docs:
                        w.add_document(**document_fields(s, doc))
                    n += len(docs)
                    if progress:
                        progress(n, total)
                w.commit(optimize=True)
                if max_outbox is not None:
                    s.execute(delete(IndexOutbox).where(IndexOutbox.id <= max_outbox))
                    s.commit()
            old = self.path.with_name(self.path.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            self.path.rename(old)
            tmp.rename(self.path)
            shutil.rmtree(old, ignore_errors=True)
            self._ix = None
            return n

    def indexed_texts(self) -> dict[int, str]:
        """Every indexed document's text (the index check compares it with the database)."""
        with self.searcher() as searcher:
            return {f["doc_id"]: f.get("text", "") for f in searcher.all_stored_fields()}


_open: weakref.WeakKeyDictionary[Archive, SearchIndex | PgSearchIndex] = weakref.WeakKeyDictionary()
_open_lock = threading.Lock()


def open_index(archive: Archive) -> SearchIndex | PgSearchIndex:
    """The search index of an archive (setting search_backend): the Whoosh folder HOME/index,
    or the PostgreSQL tables of its database (search.pg_index); created when missing. One per
    archive object, so its per-thread searchers are shared by everyone who asks. Both have
    sync(), rebuild() and indexed_texts(); search.query.search takes either."""
    with _open_lock:
        index = _open.get(archive)
        if index is None:
            if archive.settings.search_backend == "postgres":
                index = PgSearchIndex(archive.db)
            else:
                index = SearchIndex(archive.settings.index_dir, archive.db)
            _open[archive] = index
        return index
