"""What a search hit is called: an official letter by its number and subject, a petition (or any
other document) by its subject — the fields read at ingest, or as the clerk confirmed them
(records.document_fields) — else by its file name. Read from the database when the hits are
shown, so a confirmed correction names the hit at once, whichever index answered."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from records.models import Document
from search.results import Hit

MAX_LEN = 200  # an OCR'd subject can run on: the title stays one line's worth


def _one_line(value: Any) -> str:
    return " ".join(str(value).split()) if isinstance(value, str) else ""


def title_of(kind: str | None, fields: dict[str, Any] | None) -> str:
    """The title the document's fields give it ('' when they give none)."""
    fields = fields or {}
    subject = _one_line(fields.get("subject"))
    doc_no = _one_line(fields.get("doc_no")) if kind == "official_letter" else ""
    title = " — ".join(p for p in (doc_no, subject) if p)
    return title if len(title) <= MAX_LEN else title[: MAX_LEN - 1].rstrip() + "…"


def titles(s: Session, ids: Iterable[int]) -> dict[int, str]:
    """{document id: title} for those of these documents whose fields give one."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = s.execute(select(Document.id, Document.kind, Document.fields).where(Document.id.in_(wanted)))
    out = {doc_id: title_of(kind, fields) for doc_id, kind, fields in rows}
    return {k: v for k, v in out.items() if v}


def name_hits(s: Session, hits: list[Hit]) -> None:
    """Give each hit its title: the fields' one, else its file name."""
    found = titles(s, (h.document_id for h in hits))
    for h in hits:
        h.title = found.get(h.document_id) or h.filename
