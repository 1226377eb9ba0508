"""The API's complaints: intake, listing with filters, one by id or tracking number, changes,
status transitions and their events, and the documents filed under a complaint (upload a file,
link a stored one, list them)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import current_app, g, jsonify, request
from sqlalchemy import func, select

from ingest.pipeline import intake
from records import complaints
from records.file_names import received_name
from records.models import MAX_ID, Area, ComplaintDocument, ComplaintEvent, ComplaintStatus, Document, DocumentState
from webui.api.blueprint import MAX_LIST, bp
from webui.api.errors import ApiError, error_body
from webui.api.requests import (
    archive_of_app,
    arg_bool,
    arg_date,
    arg_int,
    checked_body,
    json_body,
    require_role,
    text_value,
    visible_complaint,
)
from webui.api.responses import complaint_json, filed_json, one_complaint, timestamp

# --- complaints ------------------------------------------------------------------------------

S, T, N = "string", "integer", "number"
_PLACE = {
    "respondent_name": (S, 256, False),
    "incident_province": (S, 128, False),
    "incident_district": (S, 128, False),
    "incident_subdistrict": (S, 128, False),
    "latitude": (N, None, True),
    "longitude": (N, None, True),
    "summary": (S, 4000, False),
    "address": (S, 4000, False),
}
_DETAILS = {
    **_PLACE,
    "respondent_kind": (S, 16, False),
    "category_id": (T, None, False),
    "subcategory_id": (T, None, True),
    "subcategory_text": (S, 256, False),
    "phone": (S, 32, False),
    "due_date": (S, 32, True),
    "officer_id": (T, None, True),
}
CREATE_FIELDS = {
    **_DETAILS,
    "channel": (S, 16, False),
    "area": (S, 16, False),
    "citizen_id": (S, 32, True),
    "prefix_th": (S, 64, False),
    "first_name_th": (S, 128, False),
    "last_name_th": (S, 128, False),
}
UPDATE_FIELDS = _DETAILS
TRANSITION_FIELDS = {
    "to_status": (S, 32, False),
    "reason": (S, 4000, True),
    "outcome": (S, 32, True),
    "to_area": (S, 16, True),
    "duplicate_of": (S, 32, True),
}
LINK_FIELDS = {"document_id": (T, None, False), "kind": (S, 32, False)}


@bp.post("/complaints")
def create_complaint():
    require_role(complaints.CAN_CREATE)
    data = checked_body(json_body(), CREATE_FIELDS, required=("phone", "category_id"))
    if "area" in data:
        data["area_code"] = data.pop("area")
    c = complaints.create(archive_of_app().db, g.user, data)
    return one_complaint(c.id, 201)


CHECK_FIELDS = {
    "of": (S, 32, True),
    "citizen_id": (S, 32, True),
    "respondent_name": (S, 256, True),
    "summary": (S, 4000, True),
    "category_id": (T, None, True),
    "incident_province": (S, 128, True),
    "incident_district": (S, 128, True),
    "incident_subdistrict": (S, 128, True),
    "latitude": (N, None, True),
    "longitude": (N, None, True),
    "limit": (T, None, True),
}


@bp.post("/complaints/check")
def check_duplicates():
    """Possible duplicates anywhere in the country (another area's by metadata only, audited)."""
    from records import duplicates
    from webui.i18n import current_language

    data = {k: v for k, v in checked_body(json_body(), CHECK_FIELDS).items() if v is not None}
    limit = data.pop("limit", 5)
    if not 1 <= limit <= 50:
        raise ApiError(400, "bad_value", field="limit")
    for name, lo, hi in (("latitude", -90, 90), ("longitude", -180, 180)):
        if name in data and not lo <= data[name] <= hi:
            raise ApiError(400, "bad_value", field=name)
    of = data.pop("of", None)
    db = archive_of_app().db
    if of:
        with db.session() as s:
            c = complaints.by_tracking_no(s, g.user, of)
            if c is None:
                raise ApiError(404, "not_found", field="of")
            probe = duplicates.Probe.of_complaint(c)
    else:
        place = {k.removeprefix("incident_"): data.pop(k) for k in list(data) if k.startswith("incident_")}
        probe = duplicates.Probe(**data, **place)
    found = duplicates.lookup(db, g.user, probe, limit=limit, lang=current_language(), about=of or "")
    return jsonify({"candidates": found})


@bp.get("/complaints")
def list_complaints():
    status = request.args.get("status") or None
    if status is not None and status not in ComplaintStatus.__members__:
        raise ApiError(400, "bad_value", field="status")
    category_id = arg_int("category_id", 0, 1, MAX_ID) or None
    area = request.args.get("area") or None
    if area is not None:
        area = text_value("area", area, 16)
    text = text_value("q", request.args.get("q") or "", 200) or None
    limit = arg_int("limit", 50, 1, MAX_LIST)
    offset = arg_int("offset", 0, 0, MAX_ID)
    date_from, date_to = arg_date("from"), arg_date("to")
    overdue = arg_bool("overdue")
    with archive_of_app().db.session() as s:
        total, rows = complaints.query(
            s,
            g.user,
            status=status,
            category_id=category_id,
            area_code=area,
            date_from=date_from,
            date_to=date_to,
            overdue=overdue,
            text=text,
            limit=limit,
            offset=offset,
        )
        counts = dict(
            s.execute(
                select(ComplaintDocument.complaint_id, func.count(ComplaintDocument.id))
                .where(ComplaintDocument.complaint_id.in_([c.id for c in rows]))
                .group_by(ComplaintDocument.complaint_id)
            ).all()
        )
        return jsonify(
            {
                "total": total,
                "limit": limit,
                "offset": offset,
                "complaints": [complaint_json(s, c, counts.get(c.id, 0)) for c in rows],
            }
        )


@bp.get("/complaints/<int:complaint_id>")
def get_complaint(complaint_id: int):
    return one_complaint(complaint_id)


@bp.get("/complaints/by-tracking/<path:tracking_no>")
def get_by_tracking(tracking_no: str):
    with archive_of_app().db.session() as s:
        c = complaints.by_tracking_no(s, g.user, text_value("tracking_no", tracking_no, 64))
        if c is None:
            raise ApiError(404, "not_found", field="complaint")
        return jsonify(complaint_json(s, c))


@bp.patch("/complaints/<int:complaint_id>")
def update_complaint(complaint_id: int):
    require_role(complaints.CAN_WORK)
    data = checked_body(json_body(), UPDATE_FIELDS)
    with archive_of_app().db.session() as s:
        c = visible_complaint(s, complaint_id)
        if {"category_id", "subcategory_id", "subcategory_text"} & set(data):
            # the category is checked as a whole: what the request leaves out stays as it is
            data.setdefault("category_id", c.category_id)
            data.setdefault("subcategory_id", c.subcategory_id)
            data.setdefault("subcategory_text", c.subcategory_text)
    complaints.update(archive_of_app().db, g.user, complaint_id, data)
    return one_complaint(complaint_id)


@bp.post("/complaints/<int:complaint_id>/status")
def change_status(complaint_id: int):
    require_role(complaints.CAN_WORK)
    data = checked_body(json_body(), TRANSITION_FIELDS, required=("to_status",))
    with archive_of_app().db.session() as s:
        visible_complaint(s, complaint_id)
    complaints.transition(
        archive_of_app().db,
        g.user,
        complaint_id,
        data["to_status"],
        reason=data.get("reason") or "",
        outcome=data.get("outcome"),
        to_area_code=data.get("to_area"),
        duplicate_of=data.get("duplicate_of"),
    )
    return one_complaint(complaint_id, checked=False)


@bp.get("/complaints/<int:complaint_id>/events")
def events(complaint_id: int):
    with archive_of_app().db.session() as s:
        c = visible_complaint(s, complaint_id)
        out = []
        for e in s.scalars(
            select(ComplaintEvent).where(ComplaintEvent.complaint_id == c.id).order_by(ComplaintEvent.id)
        ):
            to_area = s.get(Area, e.to_area_id) if e.to_area_id else None
            out.append(
                {
                    "id": e.id,
                    "at": timestamp(e.at),
                    "from_status": e.from_status,
                    "to_status": e.to_status,
                    "outcome": e.outcome,
                    "reason": e.reason,
                    "to_area": to_area.code if to_area else None,
                    "user_id": e.user_id,
                    "user_name": e.user.name if e.user else None,
                }
            )
        return jsonify({"complaint_id": c.id, "tracking_no": c.tracking_no, "events": out})


# --- documents under a complaint -------------------------------------------------------------


def _kind(value) -> str | None:
    """The kind asked for; None when none was (a new filing is a petition, one filed already
    keeps its kind)."""
    if value in (None, ""):
        return None
    if value not in complaints.DOCUMENT_KINDS:
        raise ApiError(400, "bad_value", field="kind")
    return value


def _filed(complaint_id: int, document_id: int) -> dict:
    with archive_of_app().db.session() as s:
        link = s.scalar(
            select(ComplaintDocument).where(
                ComplaintDocument.complaint_id == complaint_id, ComplaintDocument.document_id == document_id
            )
        )
        return filed_json(link)


def _already_filed(complaint_id: int, document_id: int) -> bool:
    with archive_of_app().db.session() as s:
        return (
            s.scalar(
                select(ComplaintDocument.id).where(
                    ComplaintDocument.complaint_id == complaint_id, ComplaintDocument.document_id == document_id
                )
            )
            is not None
        )


@bp.get("/complaints/<int:complaint_id>/documents")
def complaint_documents(complaint_id: int):
    with archive_of_app().db.session() as s:
        c = visible_complaint(s, complaint_id)
        links = list(
            s.scalars(
                select(ComplaintDocument)
                .where(ComplaintDocument.complaint_id == c.id)
                .order_by(ComplaintDocument.position)
            )
        )
        return jsonify(
            {"complaint_id": c.id, "tracking_no": c.tracking_no, "documents": [filed_json(link) for link in links]}
        )


@bp.post("/complaints/<int:complaint_id>/documents")
def upload_document(complaint_id: int):
    """A file (multipart `file`, with `kind`): stored, queued for OCR and filed under the
    complaint. The same bytes as a stored document are that document, filed once."""
    require_role(complaints.CAN_CREATE)
    archive = archive_of_app()
    with archive.db.session() as s:
        visible_complaint(s, complaint_id)  # nothing is stored for a complaint the caller may not see
    unknown = (set(request.form) | set(request.files)) - {"file", "kind"}
    if unknown:
        raise ApiError(400, "unknown_field", field=sorted(unknown)[0])
    kind = _kind(request.form.get("kind"))
    f = request.files.get("file")
    if f is None:
        raise ApiError(400, "required", field="file")
    name = received_name(f.filename)
    with tempfile.NamedTemporaryFile(dir=archive.store.tmp, prefix="api-upload-", delete=True) as tmp:
        f.save(tmp)
        tmp.flush()
        r = intake(archive, Path(tmp.name), filename=name, area_id=g.user.area_id, user=g.user)
    if r.state == "rejected" or not r.document_id:
        body = error_body(r.error_code or "bad_request", r.error_params, r.error)
        body["filename"] = name
        return jsonify(body), 400
    existed = r.duplicate and _already_filed(complaint_id, r.document_id)
    complaints.file_document(archive.db, g.user, complaint_id, r.document_id, kind, change_kind=False)
    worker = current_app.extensions["ingest_worker"]
    # a new file is read (OCR); a stored one that is done only needs the index told who may find it now
    if (not r.duplicate and r.state in ("pending", "processing")) or r.state == DocumentState.done.value:
        worker.submit(r.document_id)
    out = _filed(complaint_id, r.document_id)
    out["duplicate"] = r.duplicate
    return jsonify(out), 200 if existed else 201


@bp.post("/complaints/<int:complaint_id>/documents/link")
def link_document(complaint_id: int):
    """File a document already in the archive (one the caller may see) under the complaint."""
    require_role(complaints.CAN_CREATE)
    data = checked_body(json_body(), LINK_FIELDS, required=("document_id",))
    kind = _kind(data.get("kind"))
    archive = archive_of_app()
    with archive.db.session() as s:
        visible_complaint(s, complaint_id)
        doc = s.get(Document, data["document_id"])
        if doc is None or not complaints.document_visible(s, g.user, doc):
            raise ApiError(404, "not_found", field="document")
        state = doc.state
    existed = _already_filed(complaint_id, data["document_id"])
    complaints.file_document(archive.db, g.user, complaint_id, data["document_id"], kind)
    if state == DocumentState.done:  # the index learns who may find it now (pending ones: after OCR)
        current_app.extensions["ingest_worker"].submit(data["document_id"])
    return jsonify(_filed(complaint_id, data["document_id"])), 200 if existed else 201
