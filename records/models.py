"""SQLAlchemy 2.0 typed models: documents, their pages, and the search-index outbox.

Complaints, complainants, users, areas and the audit log join these in later
migrations; documents are kept free of complaint columns so that one document
can be filed under several complaints through a link table.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from thai.dates import thai_today, utcnow  # times are stored in UTC (naive); days and years are Thailand's

# The largest row id: SQLite's INTEGER is 64-bit signed; an id beyond it names no row (and would
# overflow the driver), so it is "not found" wherever one comes from a URL or a request
MAX_ID = 2**63 - 1

# Document.kind: what the field reader (ingest.fields) tells documents apart by
DOCUMENT_KINDS = ("official_letter", "petition", "other")


class Base(DeclarativeBase):
    pass


class DocumentState(str, enum.Enum):
    """Where a document is in the pipeline. pending/processing are resumed after a restart."""

    pending = "pending"
    processing = "processing"
    done = "done"
    failed = "failed"


class Document(Base):
    """A file as one centre filed it. The stored object (by SHA-256) is one, however many centres
    file the same bytes — a ministry circular reaches every district — but each centre has its own
    record: its name for the file, its own confirmations, seen only by those who see that centre."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("sha256", "area_id", name="uq_documents_sha256_area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(512))
    media_type: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    state: Mapped[DocumentState] = mapped_column(
        Enum(DocumentState, native_enum=False, length=16), default=DocumentState.pending, index=True
    )
    error: Mapped[str | None] = mapped_column(Text)  # in English, for logs and the API
    error_code: Mapped[str | None] = mapped_column(String(32))  # a thai/messages.toml code: shown in Thai or English
    error_params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    text_source: Mapped[str | None] = mapped_column(String(16))  # "ocr" | "text-layer" | "mixed"
    mean_confidence: Mapped[float | None] = mapped_column(Float)
    kind: Mapped[str | None] = mapped_column(String(32))  # official letter, petition, other
    doc_date: Mapped[dt.date | None] = mapped_column(index=True)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # how sure the reader was of each field it suggested (0–1); the fields stay suggestions until
    # a person confirms them (who and when)
    field_confidence: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    fields_confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    fields_confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    archive_sha256: Mapped[str | None] = mapped_column(String(64))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)  # the centre that took it in
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    processed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # the processing queue (ingest.jobs): the worker reading it now, and until when its hold lasts
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)

    pages: Mapped[list[Page]] = relationship(
        back_populates="document", order_by="Page.number", cascade="all, delete-orphan"
    )

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.pages)


class Page(Base):
    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1-based
    text: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[float | None] = mapped_column(Float)  # mean word confidence 0..100; None for text layers
    source: Mapped[str] = mapped_column(String(16))  # "ocr" | "text-layer"
    width_px: Mapped[int | None] = mapped_column(Integer)
    height_px: Mapped[int | None] = mapped_column(Integer)

    document: Mapped[Document] = relationship(back_populates="pages")


class Complainant(Base):
    """A person who brings a complaint, as one centre knows them: read from the ID card or typed
    at its counter. One row per citizen ID and centre (`area_id`): a district holds its own view
    of a person and never sees, nor overwrites, what another district stored about them."""

    __tablename__ = "complainants"
    __table_args__ = (UniqueConstraint("citizen_id", "area_id", name="uq_complainants_citizen_id_area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[str] = mapped_column(String(13), index=True)
    prefix_th: Mapped[str] = mapped_column(String(64), default="")
    first_name_th: Mapped[str] = mapped_column(String(128), default="")
    middle_name_th: Mapped[str] = mapped_column(String(128), default="")
    last_name_th: Mapped[str] = mapped_column(String(128), default="")
    prefix_en: Mapped[str] = mapped_column(String(64), default="")
    first_name_en: Mapped[str] = mapped_column(String(128), default="")
    middle_name_en: Mapped[str] = mapped_column(String(128), default="")
    last_name_en: Mapped[str] = mapped_column(String(128), default="")
    birth_date: Mapped[dt.date | None] = mapped_column()
    gender: Mapped[str] = mapped_column(String(8), default="")
    address: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # parts and "text"
    phone: Mapped[str] = mapped_column(String(32), default="")
    photo_sha256: Mapped[str | None] = mapped_column(String(64))  # JPEG in the object store
    source: Mapped[str] = mapped_column(String(8), default="typed")  # "card" | "typed"
    card_expiry: Mapped[dt.date | None] = mapped_column()
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)  # the centre that took them in
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    @property
    def name_th(self) -> str:
        return f"{self.prefix_th}{self.first_name_th} {self.last_name_th}".strip()


class ScanState(str, enum.Enum):
    """A scan batch: `scanning` while a scan process feeds it; `interrupted` after a jam, an empty
    feeder, an open cover or a stopped process (the pages so far are kept, the batch can be
    continued); `open` when the scanner finished; `filed` once its pages became documents. A batch
    whose device is `station:NAME` is scanned by that counter station, which sends its pages."""

    waiting = "waiting"  # asked of a counter station (`damrong station --scanner`), not yet begun
    scanning = "scanning"
    interrupted = "interrupted"
    open = "open"
    filed = "filed"
    cancelled = "cancelled"


class ScanBatch(Base):
    """Pages scanned at one counter, stored one by one as they arrive, until they are filed."""

    __tablename__ = "scan_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    device: Mapped[str] = mapped_column(String(256))
    source: Mapped[str] = mapped_column(String(16), default="flatbed")  # flatbed | feeder | duplex
    resolution: Mapped[int] = mapped_column(Integer, default=300)
    mode: Mapped[str] = mapped_column(String(16), default="gray")  # gray | color
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # further SANE options by name
    station: Mapped[str] = mapped_column(String(64), default="")
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)  # the counter's centre
    state: Mapped[ScanState] = mapped_column(
        Enum(ScanState, native_enum=False, length=16), default=ScanState.scanning, index=True
    )
    error_code: Mapped[str | None] = mapped_column(String(32))  # scanner.faults catalogue
    error_params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    scan_pid: Mapped[int | None] = mapped_column(Integer)  # the scan process while one runs
    document_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    filed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    pages: Mapped[list[ScanPage]] = relationship(
        back_populates="batch", order_by="ScanPage.position", cascade="all, delete-orphan"
    )


class ScanPage(Base):
    """One scanned page: the image exactly as the scanner gave it (PNG in the object store), its
    place in the batch and what clean-up found or the user decided."""

    __tablename__ = "scan_pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("scan_batches.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # order in the batch, 1-based
    sha256: Mapped[str] = mapped_column(String(64))
    width_px: Mapped[int] = mapped_column(Integer)
    height_px: Mapped[int] = mapped_column(Integer)
    dpi: Mapped[int] = mapped_column(Integer)
    analysed: Mapped[bool] = mapped_column(Boolean, default=False)
    blank: Mapped[bool] = mapped_column(Boolean, default=False)
    separator: Mapped[bool] = mapped_column(Boolean, default=False)
    rotation: Mapped[int] = mapped_column(Integer, default=0)  # degrees clockwise to turn it upright
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)  # removed by the user
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    batch: Mapped[ScanBatch] = relationship(back_populates="pages")

    @property
    def kept(self) -> bool:
        return not (self.deleted or self.blank or self.separator)


class IndexOutbox(Base):
    """Changes the search index has yet to take. Written in the same transaction as the
    document, so the index can never silently miss a document; drained by one writer."""

    __tablename__ = "index_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(Integer, index=True)
    op: Mapped[str] = mapped_column(String(8), default="upsert")  # "upsert" | "delete"
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.current_timestamp())


# --- centres, people who work them, complaints and the audit log ------------------------------


class AreaKind(str, enum.Enum):
    central = "central"
    province = "province"
    district = "district"
    subdistrict = "subdistrict"


class Area(Base):
    """A Damrongdhama centre's area: the ministry (central), a province, a district in one, or a
    sub-district of a district (field teams belong to them). Users belong to one; complaints
    and documents are owned by one. `dopa_code`: the Department of Provincial Administration's
    code (2 digits a province, 4 a district, 6 a sub-district); areas added by hand have none."""

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AreaKind] = mapped_column(Enum(AreaKind, native_enum=False, length=16))
    code: Mapped[str] = mapped_column(String(16), unique=True)  # e.g. KKN, KKN-01
    name_th: Mapped[str] = mapped_column(String(128))
    name_en: Mapped[str] = mapped_column(String(128), default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    dopa_code: Mapped[str | None] = mapped_column(String(6), unique=True, index=True)

    parent: Mapped[Area | None] = relationship(remote_side=[id])


class Category(Base):
    """Complaint categories (admin-editable); a sub category has a parent. `needs_detail`: the
    complaint must say what it is in free text (เรื่องอื่นๆ)."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_th: Mapped[str] = mapped_column(String(128))
    name_en: Mapped[str] = mapped_column(String(128), default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), index=True)
    needs_detail: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Role(str, enum.Enum):
    counter = "counter"
    officer = "officer"
    auditor = "auditor"
    admin = "admin"
    field = "field"  # a sub-district field team (ชุดปฏิบัติการตำบล): works the complaints assigned to it


class User(Base):
    """A person who logs in: the 13-digit citizen ID is the username."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[str] = mapped_column(String(13), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=16))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    password_hash: Mapped[str] = mapped_column(String(256))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    area: Mapped[Area] = relationship()


class ApiToken(Base):
    """A bearer token for the JSON API; only its SHA-256 is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(128), default="")
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()


class ComplaintStatus(str, enum.Enum):
    received = "received"
    in_progress = "in_progress"
    forwarded = "forwarded"
    waiting_agency = "waiting_agency"
    closed = "closed"


class Complaint(Base):
    __tablename__ = "complaints"
    __table_args__ = (
        Index("ix_complaints_category_place", "category_id", "incident_province", "incident_district"),
        Index("ix_complaints_latitude", "latitude"),
        # the dashboard's counts of an area read from the index alone (PostgreSQL: index-only scans)
        Index(
            "ix_complaints_stats",
            "area_id",
            "status",
            "category_id",
            "channel",
            "received_at",
            postgresql_include=["closed_at", "due_date", "subcategory_id", "officer_id", "updated_at", "outcome"],
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_no: Mapped[str] = mapped_column(String(32), unique=True, index=True)  # KKN-2569-000123
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)  # the centre handling it
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    channel: Mapped[str] = mapped_column(String(16))  # records.complaints.CHANNELS: walk_in, …, open311
    complainant_id: Mapped[int | None] = mapped_column(ForeignKey("complainants.id"), index=True)
    phone: Mapped[str] = mapped_column(String(32), default="")  # as given at intake: the follow-up key
    address: Mapped[str] = mapped_column(Text, default="")
    respondent_kind: Mapped[str] = mapped_column(String(16), default="")  # person, agency, business
    respondent_name: Mapped[str] = mapped_column(String(256), default="")
    respondent_key: Mapped[str] = mapped_column(String(256), default="", index=True)  # thai.respondents.key
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    subcategory_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    subcategory_text: Mapped[str] = mapped_column(String(256), default="")
    incident_province: Mapped[str] = mapped_column(String(128), default="")
    incident_district: Mapped[str] = mapped_column(String(128), default="")
    incident_subdistrict: Mapped[str] = mapped_column(String(128), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    summary: Mapped[str] = mapped_column(Text, default="")
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    team_area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)  # the field team on it
    due_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    status: Mapped[ComplaintStatus] = mapped_column(
        Enum(ComplaintStatus, native_enum=False, length=16), default=ComplaintStatus.received, index=True
    )
    outcome: Mapped[str | None] = mapped_column(String(32))  # resolved, not_within_jurisdiction, withdrawn, duplicate
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    area: Mapped[Area] = relationship(foreign_keys=[area_id])
    complainant: Mapped[Complainant | None] = relationship()
    category: Mapped[Category] = relationship(foreign_keys=[category_id])
    subcategory: Mapped[Category | None] = relationship(foreign_keys=[subcategory_id])
    officer: Mapped[User | None] = relationship(foreign_keys=[officer_id])
    team_area: Mapped[Area | None] = relationship(foreign_keys=[team_area_id])
    events: Mapped[list[ComplaintEvent]] = relationship(order_by="ComplaintEvent.id", cascade="all, delete-orphan")
    documents: Mapped[list[ComplaintDocument]] = relationship(
        order_by="ComplaintDocument.position", cascade="all, delete-orphan"
    )

    @property
    def overdue(self) -> bool:
        return self.status != ComplaintStatus.closed and self.due_date is not None and self.due_date < thai_today()


class ComplaintEvent(Base):
    """One step of a complaint's life: who moved it from which status to which, when and why."""

    __tablename__ = "complaint_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")
    to_area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))  # forwarded to
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User | None] = relationship()


class ComplaintDocument(Base):
    """A document filed under a complaint, in order, with its kind."""

    __tablename__ = "complaint_documents"
    __table_args__ = (UniqueConstraint("complaint_id", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    kind: Mapped[str] = mapped_column(
        String(16), default="petition"
    )  # petition, evidence, official_letter, reply, report
    position: Mapped[int] = mapped_column(Integer, default=0)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    document: Mapped[Document] = relationship()


class ComplaintTextBand(Base):
    """One band of a complaint's text sketch (MinHash over its summary's character trigrams,
    records.duplicates): complaints sharing a band key are near-duplicate candidates."""

    __tablename__ = "complaint_text_bands"

    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), primary_key=True)
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    band_key: Mapped[int] = mapped_column(BigInteger, index=True)


class ComplaintLink(Base):
    """Two complaints an officer linked as related (the same matter, handled apart), both ways."""

    __tablename__ = "complaint_links"
    __table_args__ = (UniqueConstraint("complaint_id", "related_id", name="uq_complaint_links_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    related_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ComplaintFeedback(Base):
    """What the citizen said of a closed complaint on the follow-up page: 1–5 stars and a comment,
    and perhaps a request to reopen it, with the reason. The centre reads it on the complaint."""

    __tablename__ = "complaint_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    stars: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    reopen_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(Text, default="")


class FieldUpdate(Base):
    """A field team's report on a complaint from the phone: what was done, the phone's position,
    photos before and after, and the status it moved the complaint to (if any). `client_uid`
    is made on the phone when the report is written, so a report queued offline and sent again
    is recorded once."""

    __tablename__ = "field_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_uid: Mapped[str] = mapped_column(String(64), unique=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    team_area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    made_at: Mapped[dt.datetime] = mapped_column(DateTime)  # on the phone (UTC), maybe while offline
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")
    to_status: Mapped[str | None] = mapped_column(String(16))
    outcome: Mapped[str | None] = mapped_column(String(32))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)

    user: Mapped[User] = relationship()
    photos: Mapped[list[FieldPhoto]] = relationship(order_by="FieldPhoto.position", cascade="all, delete-orphan")


class FieldPhoto(Base):
    """A photo of a field report (before / after / other): resized, JPEG, no metadata."""

    __tablename__ = "field_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("field_updates.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    stage: Mapped[str] = mapped_column(String(8))  # before, after, other
    sha256: Mapped[str] = mapped_column(String(64))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)


class NewsItem(Base):
    """An activity a centre reports on the public site (ข่าวกิจกรรม): what, who led it, who took
    part, when and where, with photos."""

    __tablename__ = "news_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)  # the centre reporting it
    title: Mapped[str] = mapped_column(String(300))
    leader: Mapped[str] = mapped_column(String(200), default="")
    participants: Mapped[str] = mapped_column(Text, default="")
    held_on: Mapped[dt.date] = mapped_column(Date, index=True)
    held_at: Mapped[str] = mapped_column(String(16), default="")  # the time as written, HH:MM
    place: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    area: Mapped[Area] = relationship()
    photos: Mapped[list[NewsPhoto]] = relationship(order_by="NewsPhoto.position", cascade="all, delete-orphan")


class NewsPhoto(Base):
    """One photo of a news item: resized, its location data removed unless kept on purpose."""

    __tablename__ = "news_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    news_id: Mapped[int] = mapped_column(ForeignKey("news_items.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64))  # JPEG in the object store
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    location_kept: Mapped[bool] = mapped_column(Boolean, default=False)


class MonthlyReport(Base):
    """One issue of a month-end report (รายงานประจำเดือน) of an area and every level under it:
    the figures frozen when it was issued (JSON, with their SHA-256), so what was sent does not
    move; a re-issue is a new, higher version."""

    __tablename__ = "monthly_reports"
    __table_args__ = (UniqueConstraint("period", "area_id", "version", name="uq_monthly_reports_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(7), index=True)  # YYYY-MM, Gregorian, Thailand's month
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    sha256: Mapped[str] = mapped_column(String(64))  # of the figures as canonical JSON

    area: Mapped[Area] = relationship()
    issued_by: Mapped[User | None] = relationship()


class StatsCache(Base):
    """The dashboard's figures of one area and narrowing as last computed (records.stats_cache):
    served while younger than the stats_cache_s setting, so the central and provincial dashboards
    over millions of complaints answer at once; the timer's `damrong stats warm` recomputes them."""

    __tablename__ = "stats_cache"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of area, narrowing, target
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    compute_ms: Mapped[int] = mapped_column(Integer)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)


class AuditEntry(Base):
    """The append-only audit log. Each entry's `hash` is the SHA-256 of its content and the
    previous entry's hash, so an edited or deleted entry breaks the chain (`damrong audit verify`).
    The database refuses UPDATE and DELETE on this table (triggers)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[str] = mapped_column(String(32))  # ISO time, UTC, as hashed
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    user_name: Mapped[str] = mapped_column(String(256), default="")
    action: Mapped[str] = mapped_column(
        String(32), index=True
    )  # create, change, status, download, view, card_read, login, ...
    object_type: Mapped[str] = mapped_column(String(32), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="", index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)  # one successor per entry: a straight chain
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """The newest audit entry's id and hash, in a row of its own. An append first updates this row
    (which takes the database's write lock, or the row lock on PostgreSQL), so two appends in two
    transactions — threads or processes — never read the same last hash: no in-process lock."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    last_id: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))


class TrackingCounter(Base):
    """The last sequence number given out per tracking-number prefix (province and BE year:
    KKN-2569-), advanced in the same statement that reads it: no two complaints get one number."""

    __tablename__ = "tracking_counters"

    prefix: Mapped[str] = mapped_column(String(24), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class WebSession(Base):
    """A signed-in browser session, kept on the server: the cookie carries only a random token
    (its SHA-256 is kept here), so signing out — or a password change, or disabling the user —
    ends it for good, whoever replays the cookie."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # signed out, or ended by a password change


class SignInFailures(Base):
    """Failed sign-ins per typed username — also for IDs no account has, so the lockout tells
    nobody whether an account exists. The username is kept only as its SHA-256."""

    __tablename__ = "sign_in_failures"

    username_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class RateEvent(Base):
    """One counted event of a rate limit (a failed sign-in from an address, a follow-up lookup),
    kept in the database so that every web process counts the same. The key (an address) is kept
    only as its SHA-256; events older than the limit's window are deleted as new ones come."""

    __tablename__ = "rate_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    bucket: Mapped[str] = mapped_column(String(32))
    key_sha256: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)

    __table_args__ = (Index("ix_rate_events_bucket_key_at", "bucket", "key_sha256", "at"),)


class StationRead(Base):
    """The last card read a counter station posted (`damrong station`), waiting for the counter
    page to take it: handed out once, then deleted; never kept past a couple of minutes. Held
    here, not in one web process's memory, so whichever process serves the page finds it."""

    __tablename__ = "station_reads"

    station_key: Mapped[str] = mapped_column(String(96), primary_key=True)  # the centre's id / the station's name
    posted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


# --- exchange with other Damrong installations (records.peers) ------------------------------


class Installation(Base):
    """This installation's own identity among its peers (one row): the id a complaint's route
    carries, so a complaint never comes back to where it has been."""

    __tablename__ = "installation"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[str] = mapped_column(String(36), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Peer(Base):
    """Another Damrong installation (district ↔ province ↔ central) this one exchanges complaints
    with: its address, the credential it signs its requests to us with (`inbound_*`, made here)
    and the one we sign ours with (`outbound_credential`, made there), where complaints it sends
    are filed here (`area_id`), and how the link is doing."""

    __tablename__ = "peers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    url: Mapped[str] = mapped_column(String(512))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))  # complaints it sends are filed within it
    inbound_key_id: Mapped[str] = mapped_column(String(32), unique=True)
    inbound_secret: Mapped[str] = mapped_column(String(128))  # HMAC keys must be kept as they are
    outbound_credential: Mapped[str] = mapped_column(String(256), default="")
    remote_instance_id: Mapped[str] = mapped_column(String(36), default="")
    state: Mapped[str] = mapped_column(String(16), default="new")  # new, ok, unreachable, bad_answer, refused
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_contact_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    busy_until: Mapped[dt.datetime | None] = mapped_column(DateTime)  # a courier's lease on sending to it
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    area: Mapped[Area] = relationship()


class PeerMessage(Base):
    """The outbox: a message to a peer, written in the same transaction as the change it tells
    of, sent in order by a courier until the peer has it (a restart or a dead link loses
    nothing); a peer that refuses it leaves it `refused` with the reason."""

    __tablename__ = "peer_messages"
    __table_args__ = (Index("ix_peer_messages_due", "peer_id", "state", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    peer_id: Mapped[int] = mapped_column(ForeignKey("peers.id"))
    message_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # forward, cohandle, status
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending, sent, refused
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class PeerReceipt(Base):
    """A message taken from a peer, by its id: the same message sent again is answered as the
    first time and changes nothing."""

    __tablename__ = "peer_receipts"
    __table_args__ = (UniqueConstraint("peer_id", "message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    peer_id: Mapped[int] = mapped_column(ForeignKey("peers.id"))
    message_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(16))
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))
    answer: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ComplaintPeerLink(Base):
    """A complaint shared with a peer: sent there (`sent`) or received from there (`received`),
    handed over (`forward`) or handled by both (`cohandle`); the other side's tracking number
    and the last status it told us."""

    __tablename__ = "complaint_peer_links"
    __table_args__ = (UniqueConstraint("complaint_id", "peer_id", "direction"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    peer_id: Mapped[int] = mapped_column(ForeignKey("peers.id"))
    direction: Mapped[str] = mapped_column(String(8))  # sent, received
    mode: Mapped[str] = mapped_column(String(8))  # forward, cohandle
    remote_ref: Mapped[str] = mapped_column(String(32), default="", index=True)  # their tracking number
    remote_status: Mapped[str] = mapped_column(String(16), default="")
    remote_outcome: Mapped[str] = mapped_column(String(32), default="")
    remote_reason: Mapped[str] = mapped_column(Text, default="")
    remote_updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    route: Mapped[list[str]] = mapped_column(JSON, default=list)  # the installations it came through
    history: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # the sender's events, as sent
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    peer: Mapped[Peer] = relationship()
