"""The ingest pipeline, step by step: preflight → store the original (immutable, SHA-256) →
document row (pending) → read pages (text layer or OCR) → fields → archival PDF → pages and
fields committed together with an index-outbox entry → index sync.

A document whose processing is interrupted stays `pending`/`processing` and is resumed by
`resume()`; one whose file is bad ends `failed` with a clear reason. Nothing already stored is
touched by a failure."""

from __future__ import annotations

import datetime as dt
import io
import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ingest import fields as fields_mod
from ingest.archive_pdf import build_archive
from ingest.reader import pieces_of, read_pages
from ingest.sniff import UnsupportedFile, sniff
from records import audit, category_model, disk
from records.file_names import received_name
from records.models import Document, DocumentState, IndexOutbox, Page, User
from records.object_store import StoreError
from thai.dates import utcnow

log = logging.getLogger(__name__)


@dataclass
class IntakeResult:
    document_id: int | None
    sha256: str | None
    filename: str
    duplicate: bool
    state: str
    error: str | None = None
    page_count: int = 0
    error_code: str | None = None
    error_params: dict | None = None

    def as_json(self) -> dict:
        return {
            "document_id": self.document_id,
            "sha256": self.sha256,
            "filename": self.filename,
            "duplicate": self.duplicate,
            "state": self.state,
            "error": self.error,
            "error_code": self.error_code,
            "pages": self.page_count,
        }


def intake(
    archive, path: Path, filename: str | None = None, area_id: int | None = None, user: User | None = None
) -> IntakeResult:
    """Preflight and store the original, create the document row (owned by the centre `area_id`
    that took it in; none: central only), audited as an upload by `user` in the same transaction.
    No OCR yet — unless another centre already filed the same bytes: then this centre's new record
    takes that reading (the object is stored once and read once), and learns nothing else of the
    other filing. The same bytes filed again by the same centre are that centre's document."""
    filename = received_name(filename or path.name)
    try:
        size = path.stat().st_size
        if size == 0:
            raise UnsupportedFile("empty")
        if size > archive.settings.max_file_mb << 20:
            raise UnsupportedFile("too_big_file", limit=archive.settings.max_file_mb)
        media_type = sniff(path)
        try:
            with open(path, "rb") as f:
                staged = archive.store.stage_stream(f, max_bytes=archive.settings.max_file_mb << 20)
        except StoreError:
            raise UnsupportedFile("too_big_file", limit=archive.settings.max_file_mb) from None
        except OSError as e:
            if disk.is_full(e, archive.settings.home):
                raise UnsupportedFile("disk_full") from e
            raise
    except UnsupportedFile as e:
        return IntakeResult(None, None, filename, False, "rejected", str(e), 0, e.code, e.params)
    # the row first, then the object: a crash in between leaves a staged file that
    # `recover` stores (the row names it) — never an object no row knows, nor a row without one
    try:
        return _record(archive, staged, filename, media_type, area_id, user, path)
    except Exception as e:
        if not disk.is_full(e, archive.settings.home):
            raise
        archive.store.discard(staged)
        log.error("disk full: %s not stored", filename)
        return IntakeResult(
            None, None, filename, False, "rejected", UnsupportedFile("disk_full").message("en"), 0, "disk_full", {}
        )


def _record(
    archive, staged, filename: str, media_type: str, area_id: int | None, user: User | None, path: Path
) -> IntakeResult:
    with archive.db.session() as s:
        own = Document.area_id.is_(None) if area_id is None else Document.area_id == area_id
        doc = s.scalar(select(Document).where(Document.sha256 == staged.sha256, own))
        if doc is not None:
            _audit_upload(archive, s, user, doc, duplicate=True)
            s.commit()
            archive.store.commit(staged)  # no-op when stored; restores a lost object otherwise
            return IntakeResult(
                doc.id,
                doc.sha256,
                doc.filename,
                True,
                doc.state.value,
                doc.error,
                doc.page_count,
                doc.error_code,
                doc.error_params,
            )
        doc = Document(
            sha256=staged.sha256,
            filename=filename,
            media_type=media_type,
            size_bytes=staged.size,
            state=DocumentState.pending,
            fields={},
            area_id=area_id,
        )
        s.add(doc)
        read = _reading_of(s, doc)
        try:
            if read is not None:
                _take_reading(s, read, doc)
            s.flush()
        except IntegrityError:  # the same bytes, the same centre, at the same moment: one record
            s.rollback()
            return intake(archive, path, filename, area_id, user)
        _audit_upload(archive, s, user, doc, duplicate=False)
        s.commit()
        archive.store.commit(staged)
        log.info("stored document %s (%s, %d bytes)", doc.id, staged.sha256[:12], staged.size)
        return IntakeResult(doc.id, doc.sha256, filename, False, doc.state.value, page_count=doc.page_count)


def _audit_upload(archive, s, user: User | None, doc: Document, duplicate: bool) -> None:
    if user is not None:
        audit.record(
            archive.db,
            "upload",
            "document",
            doc.id,
            user=user,
            session=s,
            after={"sha256": doc.sha256, "size": doc.size_bytes, "duplicate": duplicate},
        )


def _reading_of(s, doc: Document) -> Document | None:
    """Another record of the same bytes, read already (any centre's: only its reading is used)."""
    return s.scalar(
        select(Document)
        .where(Document.sha256 == doc.sha256, Document.state == DocumentState.done, Document.id != doc.id)
        .order_by(Document.id)
        .limit(1)
    )


def _page_rows(pages) -> list[Page]:
    """Page rows for what was read of each page (a fresh reading, or another record's pages)."""
    return [
        Page(
            number=p.number,
            text=p.text,
            confidence=p.confidence,
            source=p.source,
            width_px=p.width_px,
            height_px=p.height_px,
        )
        for p in pages
    ]


def _take_reading(s, read: Document, doc: Document) -> None:
    """What was read from the bytes — pages, text, suggested fields, the archival PDF — into this
    centre's record; none of the other record's own (its name, who confirmed what)."""
    doc.pages = _page_rows(read.pages)
    for f in ("page_count", "text_source", "mean_confidence", "archive_sha256"):
        setattr(doc, f, getattr(read, f))
    _suggest_kind(s, doc, read.kind)
    if read.fields_confirmed_at is None:
        suggested, confidence = read.fields, read.field_confidence
    else:  # the other centre's confirmed values are theirs: read the text again for ours
        found = fields_mod.read_fields("\n\n".join(p.text for p in read.pages))
        suggested, confidence = found.values, found.confidence
    doc.fields, doc.field_confidence = dict(suggested), dict(confidence or {})
    doc.doc_date = dt.date.fromisoformat(doc.fields["date"]) if doc.fields.get("date") else None
    doc.state, doc.processed_at = DocumentState.done, utcnow()
    s.flush()
    s.add(IndexOutbox(document_id=doc.id, op="upsert"))


def _suggest_kind(s, doc: Document, kind: str | None) -> None:
    """The reader's kind for the document, unless it has one: a kind given while it was being read
    (filed under a complaint as a petition, records.complaints.file_document) stays. One
    conditional UPDATE, so a filing committed meanwhile is never overwritten."""
    s.flush()
    s.execute(
        update(Document).where(Document.id == doc.id, Document.kind.is_(None)).values(kind=kind),
        execution_options={"synchronize_session": False},
    )
    s.refresh(doc, ["kind"])


def process(archive, document_id: int) -> Document:
    """Read, OCR and file one stored document. Safe to run again after a crash."""
    settings, store = archive.settings, archive.store
    with archive.db.session() as s:
        doc = s.get(Document, document_id)
        if doc is None:
            raise KeyError(document_id)
        if doc.state == DocumentState.done:
            return doc
        if doc.attempts >= settings.max_attempts:  # it never came back the times before: a crash each time
            _fail(s, document_id, UnsupportedFile("gave_up", attempts=doc.attempts))
            return s.get(Document, document_id)
        read = _reading_of(s, doc)
        if read is not None:  # another centre's record of the same bytes was read meanwhile
            _take_reading(s, read, doc)
            s.commit()
            return doc
        doc.state = DocumentState.processing
        doc.attempts += 1
        s.commit()
        work = Path(tempfile.mkdtemp(prefix=f"damrong-{document_id}-"))
        try:
            pages = read_pages(store.path_for(doc.sha256), doc.media_type, settings, work)
            if not pages:
                raise UnsupportedFile("no_pages")
            text = "\n\n".join(p.text for p in pages)
            found = fields_mod.read_fields(text, pieces_of(pages))
            category_model.apply(settings.home, found.values, found.confidence, settings.category_min_probability)
            pdf_bytes = build_archive([p.archive for p in pages], title=doc.filename)
            archived = store.stage_stream(io.BytesIO(pdf_bytes))
            doc.pages = _page_rows(pages)
            doc.page_count = len(pages)
            sources = {p.source for p in pages}
            doc.text_source = sources.pop() if len(sources) == 1 else "mixed"
            confs = [p.confidence for p in pages if p.confidence is not None]
            doc.mean_confidence = round(sum(confs) / len(confs), 1) if confs else None
            _suggest_kind(s, doc, found.kind)
            doc.fields = found.values
            doc.field_confidence = found.confidence
            doc.fields_confirmed_at = doc.fields_confirmed_by = None
            doc.doc_date = dt.date.fromisoformat(found.values["date"]) if found.values.get("date") else None
            doc.archive_sha256 = archived.sha256
            doc.state = DocumentState.done
            doc.error = doc.error_code = doc.error_params = None
            doc.processed_at = utcnow()
            s.add(IndexOutbox(document_id=doc.id, op="upsert"))
            s.commit()
            store.commit(archived)
            log.info("document %s done: %d pages, %s", doc.id, doc.page_count, doc.text_source)
        except UnsupportedFile as e:
            s.rollback()
            _fail(s, document_id, e)
        except Exception as e:  # never leave a half-written record; keep the reason
            s.rollback()
            if disk.is_full(e, settings.home):  # not the file's fault: it waits, and is read again at the next start
                log.error("document %s: disk full, left to resume", document_id)
                _wait_for_space(s, document_id)
                return s.get(Document, document_id)
            log.exception("document %s failed", document_id)
            _fail(s, document_id, UnsupportedFile("internal", detail=f"{type(e).__name__}: {str(e)[:200]}"))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return s.get(Document, document_id)


def _wait_for_space(s, document_id: int) -> None:
    doc = s.get(Document, document_id)
    doc.state, doc.attempts = DocumentState.pending, max(0, doc.attempts - 1)
    doc.error, doc.error_code, doc.error_params = UnsupportedFile("disk_full").message("en"), "disk_full", {}
    try:
        s.commit()
    except Exception:  # the database cannot take even that: it is still `processing`, resumed all the same
        s.rollback()


def _fail(s, document_id: int, err: UnsupportedFile) -> None:
    doc = s.get(Document, document_id)
    doc.state = DocumentState.failed
    doc.error, doc.error_code, doc.error_params = str(err), err.code, err.params
    doc.processed_at = utcnow()
    s.commit()
    log.warning("document %s failed: %s", document_id, err)


def unfinished(archive) -> list[int]:
    with archive.db.session() as s:
        return list(
            s.scalars(
                select(Document.id)
                .where(Document.state.in_([DocumentState.pending, DocumentState.processing]))
                .order_by(Document.id)
            )
        )


def recover_store(archive) -> tuple[int, int]:
    """Store the staged files the database names (a crash between row and rename); clear old
    staged files no row names (intakes that never committed)."""
    from records.object_refs import referenced

    with archive.db.session() as s:
        names = referenced(s)
    return archive.store.recover(names)


def resume(archive) -> list[int]:
    """Finish what a crash or restart left: staged files, then unprocessed documents."""
    recover_store(archive)
    ids = unfinished(archive)
    for i in ids:
        process(archive, i)
    return ids
