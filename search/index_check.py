"""The search index compared with the database, its source of truth: documents missing from the
index, stale in it (the indexed text differs from the database's), or in it but no longer filed.
With `repair`, those documents are queued in the index outbox and the one writer applies them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from records.models import Document, DocumentState, IndexOutbox
from search.index import SearchIndex
from search.pg_index import PgSearchIndex


def check_index(index: SearchIndex | PgSearchIndex, repair: bool = False) -> tuple[list[dict[str, object]], int]:
    """The problems found (one dict each, `object` "index") and how many index entries were
    repaired (0 unless `repair`)."""
    problems: list[dict[str, object]] = []
    indexed = index.indexed_texts()
    to_upsert, to_delete = [], []
    with index.db.session() as s:
        done = {
            d.id: d
            for d in s.scalars(
                select(Document).options(selectinload(Document.pages)).where(Document.state == DocumentState.done)
            )
        }
        for doc_id, doc in sorted(done.items()):
            if doc_id not in indexed:
                problems.append({"document_id": doc_id, "object": "index", "problem": "missing from the search index"})
                to_upsert.append(doc_id)
            elif indexed[doc_id] != doc.text:
                problems.append({"document_id": doc_id, "object": "index", "problem": "stale in the search index"})
                to_upsert.append(doc_id)
        for doc_id in sorted(set(indexed) - set(done)):
            problems.append({"document_id": doc_id, "object": "index", "problem": "in the index but not filed"})
            to_delete.append(doc_id)
        if repair and (to_upsert or to_delete):
            s.add_all(
                [IndexOutbox(document_id=i, op="upsert") for i in to_upsert]
                + [IndexOutbox(document_id=i, op="delete") for i in to_delete]
            )
            s.commit()
    repaired = index.sync() if repair and (to_upsert or to_delete) else 0
    return problems, repaired
