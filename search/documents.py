"""What an index takes from the database, whichever backend: the documents an outbox batch
names (with their pages), every filed document in chunks for a rebuild, and the day a document
is dated by."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from records.models import Document, DocumentState
from thai.dates import thai_time

CHUNK = 500


def with_pages(s: Session, ids: Iterable[int]) -> dict[int, Document]:
    """The documents of these ids that exist, pages loaded, by id."""
    q = select(Document).options(selectinload(Document.pages)).where(Document.id.in_(list(ids)))
    return {d.id: d for d in s.scalars(q)}


def filed_in_chunks(s: Session, size: int = CHUNK) -> Iterator[tuple[list[Document], int]]:
    """Every filed document, pages loaded, `size` at a time in id order, with how many there are
    in all; each chunk is let go of (expunged) once the caller has taken the next."""
    ids = list(s.scalars(select(Document.id).where(Document.state == DocumentState.done).order_by(Document.id)))
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        docs = with_pages(s, chunk)
        yield [docs[i] for i in chunk if i in docs], len(ids)
        s.expunge_all()


def day_of(doc: Document) -> dt.date:
    """The document's own date, else the day it was taken in as Thailand's clock showed it (a
    page taken in at 01:00 is dated that day, not the UTC day before)."""
    return doc.doc_date or thai_time(doc.created_at).date()
