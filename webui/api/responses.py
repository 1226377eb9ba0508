"""Writing API responses: complaints and filed documents as JSON (no full citizen ID, no phone
number), citizen IDs inside text masked, safe download names."""

from __future__ import annotations

import datetime as dt

from flask import g, jsonify
from sqlalchemy import func, select

from records import complaints
from records.models import Complaint, ComplaintDocument
from thai.citizen_id import masked
from webui.api.requests import archive_of_app, visible_complaint


def timestamp(value: dt.datetime | None) -> str | None:
    return value.replace(microsecond=0).isoformat() + "Z" if value else None  # stored naive, in UTC


def category_json(cat) -> dict | None:
    return {"id": cat.id, "name_th": cat.name_th, "name_en": cat.name_en} if cat is not None else None


def complaint_json(s, c, document_count: int | None = None) -> dict:
    """A complaint as the API shows it: the complainant's citizen ID masked, no phone number."""
    if document_count is None:
        document_count = (
            s.scalar(select(func.count(ComplaintDocument.id)).where(ComplaintDocument.complaint_id == c.id)) or 0
        )
    duplicate = complaints.get(s, g.user, c.duplicate_of_id) if c.duplicate_of_id else None
    person = c.complainant
    return {
        "id": c.id,
        "tracking_no": c.tracking_no,
        "status": c.status.value,
        "outcome": c.outcome,
        "received_at": timestamp(c.received_at),
        "due_date": c.due_date.isoformat() if c.due_date else None,
        "overdue": c.overdue,
        "closed_at": timestamp(c.closed_at),
        "channel": c.channel,
        "area": c.area.code,
        "category": category_json(c.category),
        "subcategory": category_json(c.subcategory),
        "subcategory_text": c.subcategory_text,
        "respondent": {"kind": c.respondent_kind, "name": c.respondent_name},
        "incident": {
            "province": c.incident_province,
            "district": c.incident_district,
            "subdistrict": c.incident_subdistrict,
            "latitude": c.latitude,
            "longitude": c.longitude,
        },
        "summary": c.summary,
        "officer_id": c.officer_id,
        "duplicate_of": duplicate.tracking_no if duplicate is not None else None,
        "complainant": (
            {"citizen_id": masked(person.citizen_id), "name": person.name_th} if person is not None else None
        ),
        "document_count": document_count,
    }


def filed_json(link: ComplaintDocument) -> dict:
    d = link.document
    return {
        "document_id": d.id,
        "filename": d.filename,
        "kind": link.kind,
        "position": link.position,
        "added_at": timestamp(link.added_at),
        "state": d.state.value,
        "media_type": d.media_type,
        "size_bytes": d.size_bytes,
        "pages": d.page_count,
    }


def one_complaint(complaint_id: int, status: int = 200, checked: bool = True):
    """The complaint as JSON; `checked=False` right after the caller changed it (forwarded to a
    centre they do not see, they are still shown what they just did)."""
    with archive_of_app().db.session() as s:
        c = visible_complaint(s, complaint_id) if checked else s.get(Complaint, complaint_id)
        return jsonify(complaint_json(s, c)), status
