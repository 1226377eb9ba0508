"""Every object the database names: document originals and archival PDFs, ID-card photos,
scanned pages and the photos of activity news. `verify` checks each one; store recovery keeps what any of them names."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from records.models import Complainant, Document, NewsPhoto, ScanPage


class ObjectRef(NamedTuple):
    kind: str  # "original" | "archive" | "photo" | "scan-page" | "news-photo"
    owner: str  # e.g. "document 12", "scan page 7"
    sha256: str
    size: int | None  # known size, when the row records it


def object_refs(session: Session) -> Iterator[ObjectRef]:
    for doc_id, sha, arch, size in session.execute(
        select(Document.id, Document.sha256, Document.archive_sha256, Document.size_bytes)
    ):
        yield ObjectRef("original", f"document {doc_id}", sha, size)
        if arch:
            yield ObjectRef("archive", f"document {doc_id}", arch, None)
    for cid, photo in session.execute(select(Complainant.id, Complainant.photo_sha256)):
        if photo:
            yield ObjectRef("photo", f"complainant {cid}", photo, None)
    for pid, sha in session.execute(select(ScanPage.id, ScanPage.sha256)):
        yield ObjectRef("scan-page", f"scan page {pid}", sha, None)
    for nid, sha in session.execute(select(NewsPhoto.id, NewsPhoto.sha256)):
        yield ObjectRef("news-photo", f"news photo {nid}", sha, None)


def referenced(session: Session) -> set[str]:
    return {r.sha256 for r in object_refs(session)}
