"""Whole-archive verification: every stored object re-hashed against the SHA-256 recorded at
intake (or, with `fast`, checked for presence and size), missing, corrupt and unreferenced
objects found, and the search index compared with the database — documents missing from it,
stale in it (indexed text differs from the database), or in it but no longer filed. Index
problems can be repaired by queueing the documents for the one index writer."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from records.models import Document, DocumentState, IndexOutbox
from records.object_refs import object_refs


@dataclass
class Report:
    objects_checked: int = 0
    bytes_checked: int = 0
    documents: int = 0
    seconds: float = 0.0
    problems: list[dict] = field(default_factory=list)
    repaired: int = 0

    def as_json(self) -> dict:
        return {"objects_checked": self.objects_checked, "bytes_checked": self.bytes_checked,
                "documents": self.documents, "seconds": round(self.seconds, 2), "problems": self.problems,
                "repaired_index_entries": self.repaired}


def verify_archive(archive, fast: bool = False, repair_index: bool = False, progress=None) -> Report:
    started = time.perf_counter()
    rep = Report()
    with archive.db.session() as s:
        rep.documents = s.query(Document).count()
        refs = list(object_refs(s))
    referenced: set[str] = set()
    for n, ref in enumerate(refs, 1):
        if progress:
            progress(n, len(refs))
        referenced.add(ref.sha256)
        where = {"owner": ref.owner, "object": ref.kind, "sha256": ref.sha256}
        path = archive.store.path_for(ref.sha256)
        if not path.is_file():
            rep.problems.append({**where, "problem": "missing"})
            continue
        actual = path.stat().st_size
        rep.objects_checked += 1
        rep.bytes_checked += actual
        bad = (ref.size is not None and actual != ref.size) if fast else not archive.store.verify(ref.sha256)
        if bad:
            rep.problems.append({**where, "problem": "corrupt"})
    for digest in sorted(set(archive.store) - referenced):
        rep.problems.append({"object": "unreferenced", "sha256": digest, "problem": "not in the database"})
    _check_index(archive, rep, repair_index)
    rep.seconds = time.perf_counter() - started
    return rep


def _check_index(archive, rep: Report, repair: bool) -> None:
    with archive.index.searcher() as searcher:
        indexed = {f["doc_id"]: f.get("text", "") for f in searcher.all_stored_fields()}
    to_upsert, to_delete = [], []
    with archive.db.session() as s:
        done = {d.id: d for d in s.scalars(select(Document).options(selectinload(Document.pages))
                                           .where(Document.state == DocumentState.done))}
        for doc_id, doc in sorted(done.items()):
            if doc_id not in indexed:
                rep.problems.append({"document_id": doc_id, "object": "index", "problem": "missing from the search index"})
                to_upsert.append(doc_id)
            elif indexed[doc_id] != doc.text:
                rep.problems.append({"document_id": doc_id, "object": "index", "problem": "stale in the search index"})
                to_upsert.append(doc_id)
        for doc_id in sorted(set(indexed) - set(done)):
            rep.problems.append({"document_id": doc_id, "object": "index", "problem": "in the index but not filed"})
            to_delete.append(doc_id)
        if repair and (to_upsert or to_delete):
            s.add_all([IndexOutbox(document_id=i, op="upsert") for i in to_upsert]
                      + [IndexOutbox(document_id=i, op="delete") for i in to_delete])
            s.commit()
    if repair and (to_upsert or to_delete):
        rep.repaired = archive.index.sync()
