"""A complaint's case file as a BagIt bag (RFC 8493, the `bagit` library): every document's
original as received, its archival searchable PDF and OCR text per page, the complaint record
and its documents' metadata as JSON, the complaint's audit-trail entries with their hash chain,
and a summary PDF listing every file with its SHA-256 — in Thai (Buddhist Era dates) or English,
statuses and outcomes named in words from the message catalogue. An inspector
checks it without our software: `bagit.py --validate BAG` or `sha256sum -c manifest-sha256.txt`.
Each export is itself recorded in the audit log."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import bagit
from sqlalchemy import or_, select

from records import audit
from records.complaints import ComplaintError, by_tracking_no
from records.file_names import safe_name
from records.models import AuditEntry, Complaint, ComplaintDocument, User
from records.thai_pdf import new_pdf
from thai import messages
from thai.dates import be_long, be_short, thai_time, utcnow

if TYPE_CHECKING:
    from records.home import Archive

ORGANISATION = "ศูนย์ดำรงธรรม กระทรวงมหาดไทย (Damrongdhama Centre, Ministry of Interior)"
README = """This folder is a BagIt bag (RFC 8493) holding one complaint's case file.

Check it without any Damrong software:
  bagit.py --validate THIS_FOLDER        (pip install bagit)
  or, inside it: sha256sum -c manifest-sha256.txt && sha256sum -c tagmanifest-sha256.txt

data/complaint.json   the complaint record, its status timeline and its documents' metadata
data/audit.json       the complaint's audit-trail entries. Each entry's "hash" is the SHA-256 of the
                      UTF-8 JSON array [prev_hash, at, user_id, user_name, action, object_type,
                      object_id, before, after] (keys sorted, separators "," and ":", no ASCII
                      escaping); "prev_hash" is the hash of the entry before it in the whole log.
data/documents/NN-ID/ original/ (the file as received), archive.pdf (searchable PDF/A),
                      text/page-NNN.txt (OCR text), metadata.json
data/summary.pdf      a readable summary (Thai) listing every file and its SHA-256
"""


def _write_json(path: Path, obj: object) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


def _record(c: Complaint) -> dict[str, Any]:
    p = c.complainant
    return {
        "tracking_no": c.tracking_no,
        "status": c.status.value,
        "outcome": c.outcome,
        "received_at": c.received_at.isoformat() + "Z",
        "due_date": c.due_date.isoformat() if c.due_date else None,
        "closed_at": c.closed_at.isoformat() + "Z" if c.closed_at else None,
        "channel": c.channel,
        "area": {"code": c.area.code, "name_th": c.area.name_th},
        "complainant": None
        if p is None
        else {"citizen_id": p.citizen_id, "name_th": p.name_th, "address": (p.address or {}).get("text", "")},
        "phone": c.phone,
        "address": c.address,
        "respondent": {"kind": c.respondent_kind, "name": c.respondent_name},
        "category": c.category.name_th,
        "subcategory": c.subcategory.name_th if c.subcategory else c.subcategory_text,
        "incident": {
            "province": c.incident_province,
            "district": c.incident_district,
            "subdistrict": c.incident_subdistrict,
            "latitude": c.latitude,
            "longitude": c.longitude,
        },
        "summary": c.summary,
        "officer": c.officer.name if c.officer else None,
        "timeline": [
            {
                "at": e.at.isoformat() + "Z",
                "from": e.from_status,
                "to": e.to_status,
                "outcome": e.outcome,
                "reason": e.reason,
                "user": e.user.name if e.user else None,
            }
            for e in c.events
        ],
    }


def export(
    archive: Archive, user: User, tracking_no: str, out: Path | str | BinaryIO, lang: str = "th"
) -> Path | BinaryIO:
    """Write the case file of `tracking_no` as a bag folder at `out`, a zip when `out` ends in
    .zip, or a zip into the open file `out` (a web download streams it: nothing is left behind).
    The user must be allowed to see the complaint. The summary PDF is in `lang` (the request's
    or the command line's: "th" or "en"). Returns where it was written."""
    with archive.db.session() as s:
        c = by_tracking_no(s, user, tracking_no)
        if c is None:
            raise ComplaintError("not_found", field="complaint")
        record = _record(c)
        links = list(
            s.scalars(
                select(ComplaintDocument)
                .where(ComplaintDocument.complaint_id == c.id)
                .order_by(ComplaintDocument.position)
            )
        )
        docs = [(link, link.document, list(link.document.pages)) for link in links]
        doc_ids = [str(link.document_id) for link in links]
        trail = list(
            s.scalars(
                select(AuditEntry)
                .where(
                    or_(
                        (AuditEntry.object_type == "complaint") & (AuditEntry.object_id == c.tracking_no),
                        (AuditEntry.object_type == "document") & AuditEntry.object_id.in_(doc_ids),
                    )
                )
                .order_by(AuditEntry.id)
            )
        )
        trail_json = [
            {
                "id": e.id,
                "at": e.at,
                "user_id": e.user_id,
                "user_name": e.user_name,
                "action": e.action,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "before": e.before,
                "after": e.after,
                "prev_hash": e.prev_hash,
                "hash": e.hash,
            }
            for e in trail
        ]
        work = Path(tempfile.mkdtemp(prefix="case-", dir=archive.work_dir))  # cleared on the next start, if left
        try:
            bag_dir = work / "bag"
            (bag_dir / "documents").mkdir(parents=True)
            listing = []
            for n, (link, doc, pages) in enumerate(docs, 1):
                d = bag_dir / "documents" / f"{n:02d}-{doc.id}"
                (d / "original").mkdir(parents=True)
                (d / "text").mkdir()
                stored_as = safe_name(doc.filename, doc.media_type)
                shutil.copyfile(archive.store.path_for(doc.sha256), d / "original" / stored_as)
                if doc.archive_sha256:
                    shutil.copyfile(archive.store.path_for(doc.archive_sha256), d / "archive.pdf")
                for p in pages:
                    (d / "text" / f"page-{p.number:03d}.txt").write_text(p.text, encoding="utf-8")
                _write_json(
                    d / "metadata.json",
                    {
                        "document_id": doc.id,
                        "kind": link.kind,
                        "position": link.position,
                        "filename": doc.filename,
                        "stored_as": f"original/{stored_as}",
                        "media_type": doc.media_type,
                        "size_bytes": doc.size_bytes,
                        "sha256": doc.sha256,
                        "archive_sha256": doc.archive_sha256,
                        "received_at": doc.created_at.isoformat() + "Z",
                        "filed_at": link.added_at.isoformat() + "Z",
                        "pages": doc.page_count,
                        "text_source": doc.text_source,
                        "fields": doc.fields,
                        "field_confidence": doc.field_confidence or {},
                        "fields_confirmed_at": doc.fields_confirmed_at.isoformat() + "Z"
                        if doc.fields_confirmed_at
                        else None,
                    },
                )
                listing.append((link, doc))
            record["documents"] = [
                {
                    "position": link.position,
                    "kind": link.kind,
                    "document_id": doc.id,
                    "filename": doc.filename,
                    "sha256": doc.sha256,
                }
                for link, doc in listing
            ]
            _write_json(bag_dir / "complaint.json", record)
            _write_json(bag_dir / "audit.json", trail_json)
            (bag_dir / "README.txt").write_text(README, encoding="utf-8")
            _summary_pdf(bag_dir, record, trail_json, user, lang)
            info = {
                "Source-Organization": ORGANISATION,
                "External-Identifier": c.tracking_no,
                "External-Description": f"Case file of complaint {c.tracking_no}",
                "Bagging-Date": dt.date.today().isoformat(),
                "Export-Date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "Exported-By": f"{user.name} ({user.role.value}, {user.area.code})",
                "Bag-Group-Identifier": c.area.code,
            }
            bagit.make_bag(str(bag_dir), info, checksums=["sha256"])
            if not isinstance(out, Path | str):  # a file to write the zip into (a web download)
                _zip(bag_dir, c.tracking_no, out)
            elif (out := Path(out)).suffix.lower() == ".zip":
                out.parent.mkdir(parents=True, exist_ok=True)
                tmp_zip = out.with_name(out.name + ".part")
                with open(tmp_zip, "wb") as f:
                    _zip(bag_dir, c.tracking_no, f)
                tmp_zip.replace(out)
            else:
                if out.exists() and any(out.iterdir()):
                    raise ComplaintError("bad_value", field="output folder (not empty)")
                out.parent.mkdir(parents=True, exist_ok=True)
                if out.exists():
                    out.rmdir()
                shutil.move(str(bag_dir), out)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    audit.record(
        archive.db,
        "export_case_file",
        "complaint",
        tracking_no,
        user=user,
        after={"documents": len(docs), "format": "folder" if isinstance(out, Path) and out.is_dir() else "zip"},
    )
    return out


def _zip(bag_dir: Path, tracking_no: str, out: BinaryIO) -> None:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(bag_dir.rglob("*")):
            if f.is_file():
                z.write(f, Path(tracking_no) / f.relative_to(bag_dir))


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _when(value: dt.datetime | dt.date | None, lang: str, with_time: bool = False) -> str:
    """Thai: '19 ธันวาคม 2563 14:05 น.' (Buddhist Era); English: '19 Dec 2020 14:05' (Thai time)."""
    if lang == "th" or value is None:
        return be_long(value, with_time)
    if isinstance(value, dt.datetime):
        local = thai_time(value)
        return be_short(local.date(), "en") + (f" {local:%H:%M}" if with_time else "")
    return be_short(value, "en")


def _summary_pdf(bag_dir: Path, record: dict[str, Any], trail: list[dict[str, Any]], user: User, lang: str) -> None:
    def t(code: str, **params: object) -> str:
        return messages.text(code, lang, params)

    def status(value: str | None) -> str:
        return t(f"status_{value}") if value and messages.has(f"status_{value}") else value or "-"

    def outcome(value: str | None) -> str:
        return t(f"outcome_{value}") if value and messages.has(f"outcome_{value}") else value or ""

    pdf = new_pdf(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()

    def line(text: str, size: int = 11, gap: float = 6.5) -> None:
        pdf.set_font("Garuda", size=size)
        pdf.multi_cell(0, gap, text, new_x="LMARGIN", new_y="NEXT")

    def received(iso: str) -> dt.datetime:
        return dt.datetime.fromisoformat(iso[:-1])

    line(t("case_title", no=record["tracking_no"]), 16, 9)
    line(t("case_exported", when=_when(utcnow(), lang, True), name=user.name, area=record["area"]["name_th"]))
    due = _when(dt.date.fromisoformat(record["due_date"]), lang) if record["due_date"] else "-"
    line(
        t(
            "case_received",
            when=_when(received(record["received_at"]), lang, True),
            status=status(record["status"]),
            due=due,
        )
    )
    if record["outcome"]:
        line(f"{t('cmp_outcome')}: {outcome(record['outcome'])}")
    line(
        t("case_category", category=record["category"])
        + (f" / {record['subcategory']}" if record["subcategory"] else "")
    )
    if record["summary"]:
        line(t("case_summary", summary=record["summary"]))
    line("")
    line(t("cmp_timeline"), 13, 8)
    for e in record["timeline"]:
        step = f"{status(e['from'])} → {status(e['to'])}" if e["from"] else status(e["to"])
        if e["outcome"]:
            step += f" ({outcome(e['outcome'])})"
        line(f"• {_when(received(e['at']), lang, True)}  {step}  {e['user'] or ''}  {e['reason'] or ''}", 10, 6)
    line("")
    line(t("case_files"), 13, 8)
    for f in sorted(bag_dir.rglob("*")):
        if f.is_file():
            line(f"{f.relative_to(bag_dir)}", 9, 5)
            line(f"    {_sha256(f)}", 8, 4.5)
    line("")
    line(t("case_audit", n=len(trail)), 10, 6)
    line(t("case_check"), 10, 6)
    pdf.output(str(bag_dir / "summary.pdf"))
