"""The JSON API (/api/v1) for other systems and scripts: complaints (intake, changes, status
transitions, their events), the documents filed under them, downloads and full-text search.

Who is asking: a bearer token (`Authorization: Bearer <token>`, records.users.create_token) or
the browser session with its CSRF token (webui.auth). Every read and write goes through
records.complaints, so the area rules are those of the pages: a district sees its own records,
a province its districts' too, the ministry everything. A record that exists but is not the
caller's to see answers exactly like one that does not exist (404). Errors are always JSON:
{"error": code, "message": English, "message_th": Thai}. No response carries a full citizen ID.

The description of every endpoint: webui/openapi.yaml, served at /api/v1/openapi.yaml (to
signed-in callers, like the rest of /api/)."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

from flask import Blueprint, current_app, g, jsonify, request, send_file
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException

from ingest.pipeline import intake
from records import audit, complaints
from records.models import (
    Area,
    Complaint,
    ComplaintDocument,
    ComplaintEvent,
    ComplaintStatus,
    Document,
    DocumentState,
    Role,
)
from search.index import open_index
from search.query import search as run_search
from search.query import visible_to
from thai import messages
from thai.citizen_id import masked
from thai.dates import parse_date
from thai.errors import CodedError

bp = Blueprint("api", __name__, url_prefix="/api/v1")
SPEC = Path(__file__).with_name("openapi.yaml")
MAX_ID = 2**63 - 1  # SQLite's INTEGER: a larger id cannot exist (and would overflow the driver)
MAX_LIST = 200
MAX_SEARCH = 100
MAX_SEARCH_OFFSET = 10_000

ERROR_STATUS = {"forbidden": 403, "bad_transition": 409, "internal": 500}


# --- errors ----------------------------------------------------------------------------------


class ApiError(CodedError):
    """A request the API refuses, with its HTTP status; the code is the catalogue's."""

    def __init__(self, status: int, code: str, **params: object) -> None:
        super().__init__(code, **params)
        self.status = status


def error_body(code: str, params: dict | None = None, message: str | None = None) -> dict:
    """{"error", "message", "message_th"}: the English keeps the JSON names of fields and statuses
    (a program reads them), the Thai names them in words."""
    params = params or {}
    return {
        "error": code,
        "message": message or messages.text(code, "en", params),
        "message_th": messages.text(code, "th", params, in_words=True),
    }


def _error(status: int, code: str, message: str | None = None, **params):
    return jsonify(error_body(code, params, message)), status


@bp.errorhandler(ApiError)
def _api_error(e: ApiError):
    return _error(e.status, e.code, **e.params)


@bp.errorhandler(CodedError)  # ComplaintError, UserError, IntakeError: the records' and intake's codes
def _records_error(e: CodedError):
    status = ERROR_STATUS.get(e.code, 400)
    if e.code == "not_found":  # the complaint or document itself; a missing reference is a bad request
        status = 404 if e.params.get("field") in ("complaint", "document") else 400
    return jsonify(error_body(e.code, e.params)), status


@bp.errorhandler(HTTPException)
def _http_error(e: HTTPException):
    return _http_body(e.code or 500, e.name)


@bp.errorhandler(500)
def _server_error(e):
    return _http_body(500, "internal server error")


def _http_body(status: int, detail: str):
    if status == 413:
        limit = current_app.extensions["archive"].settings.max_file_mb
        return _error(413, "too_big_file", limit=limit)
    if status == 404:  # an unknown path, or an id the app's pages answer 404 for
        return _error(404, "not_found", field="resource")
    code = {
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        405: "method_not_allowed",
        410: "gone",
        500: "server_error",
    }.get(status, "http_error")
    return _error(status, code, detail=detail)


@bp.after_app_request
def _api_errors_as_json(resp):
    """Every error under /api/ in the one JSON shape, whoever answered it: the sign-in and role
    guards ({"error": "<sentence>"}) and the app's HTML error pages (unknown paths and ids)."""
    if resp.status_code < 400 or not request.path.startswith("/api/"):
        return resp
    if resp.is_json:
        body = resp.get_json(silent=True)
        if not (isinstance(body, dict) and set(body) == {"error"} and isinstance(body["error"], str)):
            return resp
        sentence = body["error"]
        if resp.status_code == 401:
            code = "invalid_token" if "token" in sentence else "unauthorized"
        elif resp.status_code == 403:
            code = "password_change_required" if "password" in sentence else "forbidden"
        else:
            code = {400: "bad_request", 404: "not_found"}.get(resp.status_code, "http_error")
        new, _ = _error(resp.status_code, code, message=sentence, detail=sentence, field="resource")
    elif resp.mimetype == "text/html":
        new, _ = _http_body(resp.status_code, resp.status)
    else:
        return resp
    new.status_code = resp.status_code
    for k, v in resp.headers.items():
        if k.lower() in ("www-authenticate", "allow", "retry-after"):
            new.headers[k] = v
    return new


# --- reading requests ------------------------------------------------------------------------


def _archive():
    return current_app.extensions["archive"]


def _json_body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "bad_json")
    return data


def _text(name: str, v, max_len: int) -> str:
    if not isinstance(v, str):
        raise ApiError(400, "bad_value", field=name)
    try:
        v.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: the database cannot store it
        raise ApiError(400, "bad_value", field=name) from None
    if len(v) > max_len:
        raise ApiError(400, "too_long", field=name, max=max_len)
    return v


def _int(name: str, v) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not 0 < v <= MAX_ID:
        raise ApiError(400, "bad_value", field=name)
    return v


def _number(name: str, v) -> float:
    try:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise TypeError
        return float(v)
    except (TypeError, OverflowError):  # an integer beyond any float, too
        raise ApiError(400, "bad_value", field=name) from None


def _fields(data: dict, spec: dict[str, tuple], required: tuple[str, ...] = ()) -> dict:
    """The body checked against `spec` (name → (type, max length or None, nullable)): unknown
    fields, wrong types and over-long text are refused before anything is written."""
    for name in data:
        if name not in spec:
            raise ApiError(400, "unknown_field", field=name)
    for name in required:
        if data.get(name) in (None, ""):
            raise ApiError(400, "required", field=name)
    out = {}
    for name, v in data.items():
        kind, max_len, nullable = spec[name]
        if v is None:
            if not nullable:
                raise ApiError(400, "bad_value", field=name)
            out[name] = None
        elif kind == "string":
            out[name] = _text(name, v, max_len)
        elif kind == "integer":
            out[name] = _int(name, v)
        else:
            out[name] = _number(name, v)
    return out


def _arg_int(name: str, default: int, lo: int, hi: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not re.fullmatch(r"[0-9]{1,19}", raw) or not lo <= int(raw) <= hi:
        raise ApiError(400, "bad_value", field=name)
    return int(raw)


def _arg_date(name: str) -> dt.date | None:
    try:
        return parse_date(request.args.get(name))
    except ValueError:
        raise ApiError(400, "bad_value", field=name) from None


def _arg_bool(name: str) -> bool:
    raw = (request.args.get(name) or "").strip().lower()
    if raw in ("", "false", "0", "no"):
        return False
    if raw in ("true", "1", "yes"):
        return True
    raise ApiError(400, "bad_value", field=name)


def _can(roles: set[Role]) -> None:
    if g.user.role not in roles:
        raise ApiError(403, "forbidden")


def _visible(s, complaint_id: int):
    c = complaints.get(s, g.user, complaint_id) if complaint_id <= MAX_ID else None
    if c is None:
        raise ApiError(404, "not_found", field="complaint")
    return c


# --- writing responses -----------------------------------------------------------------------


def _ts(value: dt.datetime | None) -> str | None:
    return value.replace(microsecond=0).isoformat() + "Z" if value else None  # stored naive, in UTC


def _category(cat) -> dict | None:
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
        "received_at": _ts(c.received_at),
        "due_date": c.due_date.isoformat() if c.due_date else None,
        "overdue": c.overdue,
        "closed_at": _ts(c.closed_at),
        "channel": c.channel,
        "area": c.area.code,
        "category": _category(c.category),
        "subcategory": _category(c.subcategory),
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


def _filed_json(link: ComplaintDocument) -> dict:
    d = link.document
    return {
        "document_id": d.id,
        "filename": d.filename,
        "kind": link.kind,
        "position": link.position,
        "added_at": _ts(link.added_at),
        "state": d.state.value,
        "media_type": d.media_type,
        "size_bytes": d.size_bytes,
        "pages": d.page_count,
    }


def _one(complaint_id: int, status: int = 200, checked: bool = True):
    """The complaint as JSON; `checked=False` right after the caller changed it (forwarded to a
    centre they do not see, they are still shown what they just did)."""
    with _archive().db.session() as s:
        c = _visible(s, complaint_id) if checked else s.get(Complaint, complaint_id)
        return jsonify(complaint_json(s, c)), status


# 13 digits, Thai or Arabic, maybe split by spaces, dashes or the snippet's <mark> tags
_ID_RUN = re.compile(r"\d(?:(?:[\s\-]|</?mark>){0,3}\d){12}")


def mask_ids(text: str) -> str:
    """Every 13-digit run (a citizen ID, as a document may hold one) with digits 6–10 hidden."""

    def hide(m: re.Match) -> str:
        out, n = [], 0
        for part in re.split(r"(</?mark>)", m.group(0)):
            if part.startswith("<"):
                out.append(part)
                continue
            for ch in part:
                if ch.isdigit():
                    n += 1
                    out.append("x" if 6 <= n <= 10 else ch)
                else:
                    out.append(ch)
        return "".join(out)

    return _ID_RUN.sub(hide, text)


def _safe_filename(name: str | None) -> str:
    name = Path(name or "").name
    name = re.sub(r"[\x00-\x1f\x7f]", "_", name).strip()[:255]
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        name = name.encode("utf-8", "replace").decode("utf-8")
    return name if name not in ("", ".", "..") else "upload"


# --- the description ---------------------------------------------------------------------------


@bp.get("/openapi.yaml")
def openapi():
    return send_file(SPEC, mimetype="application/yaml", max_age=0)


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
    _can(complaints.CAN_CREATE)
    data = _fields(_json_body(), CREATE_FIELDS, required=("phone", "category_id"))
    if "area" in data:
        data["area_code"] = data.pop("area")
    c = complaints.create(_archive().db, g.user, data)
    return _one(c.id, 201)


@bp.get("/complaints")
def list_complaints():
    status = request.args.get("status") or None
    if status is not None and status not in ComplaintStatus.__members__:
        raise ApiError(400, "bad_value", field="status")
    category_id = _arg_int("category_id", 0, 1, MAX_ID) or None
    area = request.args.get("area") or None
    if area is not None:
        area = _text("area", area, 16)
    text = _text("q", request.args.get("q") or "", 200) or None
    limit = _arg_int("limit", 50, 1, MAX_LIST)
    offset = _arg_int("offset", 0, 0, MAX_ID)
    date_from, date_to = _arg_date("from"), _arg_date("to")
    overdue = _arg_bool("overdue")
    with _archive().db.session() as s:
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
    return _one(complaint_id)


@bp.get("/complaints/by-tracking/<path:tracking_no>")
def get_by_tracking(tracking_no: str):
    with _archive().db.session() as s:
        c = complaints.by_tracking_no(s, g.user, _text("tracking_no", tracking_no, 64))
        if c is None:
            raise ApiError(404, "not_found", field="complaint")
        return jsonify(complaint_json(s, c))


@bp.patch("/complaints/<int:complaint_id>")
def update_complaint(complaint_id: int):
    _can(complaints.CAN_WORK)
    data = _fields(_json_body(), UPDATE_FIELDS)
    with _archive().db.session() as s:
        c = _visible(s, complaint_id)
        if {"category_id", "subcategory_id", "subcategory_text"} & set(data):
            # the category is checked as a whole: what the request leaves out stays as it is
            data.setdefault("category_id", c.category_id)
            data.setdefault("subcategory_id", c.subcategory_id)
            data.setdefault("subcategory_text", c.subcategory_text)
    complaints.update(_archive().db, g.user, complaint_id, data)
    return _one(complaint_id)


@bp.post("/complaints/<int:complaint_id>/status")
def change_status(complaint_id: int):
    _can(complaints.CAN_WORK)
    data = _fields(_json_body(), TRANSITION_FIELDS, required=("to_status",))
    with _archive().db.session() as s:
        _visible(s, complaint_id)
    complaints.transition(
        _archive().db,
        g.user,
        complaint_id,
        data["to_status"],
        reason=data.get("reason") or "",
        outcome=data.get("outcome"),
        to_area_code=data.get("to_area"),
        duplicate_of=data.get("duplicate_of"),
    )
    return _one(complaint_id, checked=False)


@bp.get("/complaints/<int:complaint_id>/events")
def events(complaint_id: int):
    with _archive().db.session() as s:
        c = _visible(s, complaint_id)
        out = []
        for e in s.scalars(
            select(ComplaintEvent).where(ComplaintEvent.complaint_id == c.id).order_by(ComplaintEvent.id)
        ):
            to_area = s.get(Area, e.to_area_id) if e.to_area_id else None
            out.append(
                {
                    "id": e.id,
                    "at": _ts(e.at),
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


def _kind(value) -> str:
    kind = value or "petition"
    if kind not in complaints.DOCUMENT_KINDS:
        raise ApiError(400, "bad_value", field="kind")
    return kind


def _filed(complaint_id: int, document_id: int) -> dict:
    with _archive().db.session() as s:
        link = s.scalar(
            select(ComplaintDocument).where(
                ComplaintDocument.complaint_id == complaint_id, ComplaintDocument.document_id == document_id
            )
        )
        return _filed_json(link)


def _already_filed(complaint_id: int, document_id: int) -> bool:
    with _archive().db.session() as s:
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
    with _archive().db.session() as s:
        c = _visible(s, complaint_id)
        links = list(
            s.scalars(
                select(ComplaintDocument)
                .where(ComplaintDocument.complaint_id == c.id)
                .order_by(ComplaintDocument.position)
            )
        )
        return jsonify(
            {"complaint_id": c.id, "tracking_no": c.tracking_no, "documents": [_filed_json(link) for link in links]}
        )


@bp.post("/complaints/<int:complaint_id>/documents")
def upload_document(complaint_id: int):
    """A file (multipart `file`, with `kind`): stored, queued for OCR and filed under the
    complaint. The same bytes as a stored document are that document, filed once."""
    _can(complaints.CAN_CREATE)
    archive = _archive()
    with archive.db.session() as s:
        _visible(s, complaint_id)  # nothing is stored for a complaint the caller may not see
    unknown = (set(request.form) | set(request.files)) - {"file", "kind"}
    if unknown:
        raise ApiError(400, "unknown_field", field=sorted(unknown)[0])
    kind = _kind(request.form.get("kind"))
    f = request.files.get("file")
    if f is None:
        raise ApiError(400, "required", field="file")
    name = _safe_filename(f.filename)
    with tempfile.NamedTemporaryFile(dir=archive.store.tmp, prefix="api-upload-", delete=True) as tmp:
        f.save(tmp)
        tmp.flush()
        r = intake(archive, Path(tmp.name), filename=name, area_id=g.user.area_id)
    if r.state == "rejected" or not r.document_id:
        body = error_body(r.error_code or "bad_request", r.error_params, r.error)
        body["filename"] = name
        return jsonify(body), 400
    existed = r.duplicate and _already_filed(complaint_id, r.document_id)
    complaints.file_document(archive.db, g.user, complaint_id, r.document_id, kind)
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
    _can(complaints.CAN_CREATE)
    data = _fields(_json_body(), LINK_FIELDS, required=("document_id",))
    kind = _kind(data.get("kind"))
    archive = _archive()
    with archive.db.session() as s:
        _visible(s, complaint_id)
        doc = s.get(Document, data["document_id"])
        if doc is None or not complaints.document_visible(s, g.user, doc):
            raise ApiError(404, "not_found", field="document")
        state = doc.state
    existed = _already_filed(complaint_id, data["document_id"])
    complaints.file_document(archive.db, g.user, complaint_id, data["document_id"], kind)
    if state == DocumentState.done:  # the index learns who may find it now (pending ones: after OCR)
        current_app.extensions["ingest_worker"].submit(data["document_id"])
    return jsonify(_filed(complaint_id, data["document_id"])), 200 if existed else 201


# --- documents -------------------------------------------------------------------------------
# GET /api/v1/documents/<id> (its processing status) is webui.documents.status, area-checked there.


@bp.get("/documents/<int:document_id>/download")
def download(document_id: int):
    archive = _archive()
    with archive.db.session() as s:
        doc = s.get(Document, document_id) if document_id <= MAX_ID else None
        if doc is None or not complaints.document_visible(s, g.user, doc):
            raise ApiError(404, "not_found", field="document")
        sha, media_type, filename = doc.sha256, doc.media_type, doc.filename
    path = archive.store.path_for(sha)
    if not path.is_file():
        raise ApiError(410, "gone")
    audit.record(archive.db, "download", "document", document_id, user=g.user, after={"object": "original"})
    return send_file(path, mimetype=media_type, as_attachment=True, download_name=_safe_filename(filename))


# --- search ----------------------------------------------------------------------------------


@bp.get("/search")
def search():
    q = _text("q", request.args.get("q") or "", 500).strip()
    if not q:
        raise ApiError(400, "required", field="q")
    order = request.args.get("order") or "relevance"
    if order not in ("relevance", "newest"):
        raise ApiError(400, "bad_value", field="order")
    limit = _arg_int("limit", 20, 1, MAX_SEARCH)
    offset = _arg_int("offset", 0, 0, MAX_SEARCH_OFFSET)
    date_from, date_to = _arg_date("from"), _arg_date("to")
    res = run_search(
        open_index(_archive()),
        q,
        limit=limit,
        offset=offset,
        date_from=date_from,
        date_to=date_to,
        order=order,
        allowed=visible_to(g.user),
    )
    return jsonify(
        {
            "total": res.total,
            "limit": limit,
            "offset": offset,
            "hits": [
                {
                    "document_id": h.document_id,
                    "filename": h.filename,
                    "score": h.score,
                    "tier": h.tier,
                    "date": h.date.isoformat() if h.date else None,
                    "snippet": mask_ids(h.snippet),
                }
                for h in res.hits
            ],
        }
    )
