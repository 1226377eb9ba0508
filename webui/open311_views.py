"""The Open311 GeoReport v2 interface (/open311/v2/, the discovery document at /open311/): outside
systems (the 1111 hotline, a city platform) list our services, submit complaints and follow them,
in JSON or XML (webui.open311_format). records.open311 maps between Open311 and our records.

Who is asking: an `api_key` (form field or query argument) or `Authorization: Bearer`, one of
our API tokens (records.users.create_token, `damrong token create`), acting as its user with that
user's role and area — the session cookie is never read here (webui.auth lets these paths
through untouched), so a page elsewhere cannot make a signed-in browser submit a request, and
no CSRF token is needed. Invalid keys are counted per address (records.throttle) and refused for
a while after too many. Services need no key. Every error is the spec's: a list of {code,
description} with the HTTP status (400 a field, 403 the key, 404 nothing by that id)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request, url_for
from werkzeug.exceptions import HTTPException

from records import areas, complaints, open311, users
from records.models import Complaint, User
from records.open311 import Open311Error
from records.throttle import RateLimit
from thai import messages
from thai.errors import CodedError
from webui.open311_format import JSON_TYPE, XML_TYPE, answer, errors, fmt_of_path

bp = Blueprint("open311", __name__, url_prefix="/open311")
FMT = "<any(json, xml):fmt>"
KEY_FAILURES = (30, 600)  # invalid api_keys per address per 10 minutes
FORMATS = ["application/json", "text/xml"]


def _archive():
    return current_app.extensions["archive"]


def _field(name: str, quiet: bool = False) -> str:
    """A query argument, else a field of a submitted form (`quiet`: "" for a body too big to
    read, when the error about it is being written)."""
    value = request.args.get(name)
    if not value and request.method == "POST":
        try:
            value = request.form.get(name)
        except HTTPException:
            if not quiet:
                raise
    return (value or "").strip()


def _lang() -> str:
    """Thai, or English when `locale` or Accept-Language asks for it."""
    asked = _field("locale", quiet=True).lower()
    if asked:
        return "en" if asked.startswith("en") else "th"
    return request.accept_languages.best_match(["th", "en"]) or "th"


def _limiter() -> RateLimit:
    ext = current_app.extensions
    if "open311_key_limiter" not in ext:
        ext["open311_key_limiter"] = RateLimit(ext["archive"].db, "open311_key", *KEY_FAILURES)
    return ext["open311_key_limiter"]


def _caller() -> User:
    """The user the request's api_key (or bearer token) acts as; 403 without a valid one."""
    key = _field("api_key")
    header = request.headers.get("Authorization", "")
    if not key and header.lower().startswith("bearer "):
        key = header[7:].strip()
    if not key:
        raise Open311Error(403, "required", field="api_key")
    address = request.remote_addr or "?"
    if _limiter().blocked(address):  # a valid key too, as sign-in does: no oracle while blocked
        raise Open311Error(429, "open311_too_many_keys", minutes=KEY_FAILURES[1] // 60)
    user = users.user_for_token(_archive().db, key)
    if user is None:
        _limiter().allow(address)  # counts this failure
        raise Open311Error(403, "invalid_token")
    if user.must_change_password:
        raise Open311Error(403, "password_change_required")
    return user


def _described(e: CodedError) -> str:
    params = {k: open311.FIELD_NAMES.get(v, v) if k == "field" else v for k, v in e.params.items()}
    lang = _lang()
    return messages.text(e.code, lang, params, in_words=lang == "th")  # the English keeps Open311's names


@bp.errorhandler(Open311Error)
def _refused(e: Open311Error):
    return errors(request.view_args.get("fmt", "json") if request.view_args else "json", e.status, _described(e))


@bp.errorhandler(CodedError)  # records.complaints.create's own refusals (ComplaintError)
def _records_refused(e: CodedError):
    status = 403 if e.code == "forbidden" else 400
    return errors(request.view_args.get("fmt", "json") if request.view_args else "json", status, _described(e))


@bp.after_app_request
def _errors_as_open311(resp: Response) -> Response:
    """Every error under /open311/ in the spec's shape, whoever answered it (an unknown path or
    format, a method not allowed, a body too big, a server error)."""
    if resp.status_code < 400 or not request.path.startswith("/open311/"):
        return resp
    if resp.content_type == XML_TYPE or (resp.content_type == JSON_TYPE and isinstance(resp.get_json(), list)):
        return resp  # one of ours
    status, lang = resp.status_code, _lang()
    if status == 404:
        text = messages.text("not_found", lang, {"field": "resource"}, in_words=True)
    elif status == 405:
        text = messages.text("method_not_allowed", lang)
    elif status == 413:
        text = messages.text("too_big_file", lang, {"limit": _archive().settings.max_file_mb})
    elif status == 507:
        text = messages.text("disk_full", lang)
    elif status >= 500:
        text = messages.text("server_error", lang)
    else:
        text = messages.text("http_error", lang, {"detail": resp.status})
    new = errors(fmt_of_path(request.path), status, text)
    for k, v in resp.headers.items():
        if k.lower() in ("allow", "retry-after"):
            new.headers[k] = v
    return new


# --- discovery and services -------------------------------------------------------------------


@bp.get(f"/discovery.{FMT}")
def discovery(fmt: str):
    lang = _lang()
    base = request.url_root.rstrip("/") + "/open311/v2"
    endpoint = {
        "specification": open311.SPECIFICATION,
        "url": base,
        "changeset": open311.CHANGESET,
        "type": "production",
        "formats": FORMATS,
    }
    body = {
        "changeset": open311.CHANGESET,
        "contact": messages.text("open311_contact", lang),
        "key_service": messages.text("open311_key_service", lang),
        "endpoints": [endpoint],
    }
    return answer(fmt, "discovery", body)


def _known_jurisdiction() -> None:
    """A jurisdiction_id given must name an area (any: the services are everyone's)."""
    code = (request.args.get("jurisdiction_id") or "").strip()
    if code:
        with _archive().db.session() as s:
            if areas.by_code(s, code[:16]) is None:
                raise Open311Error(404, "not_found", field="jurisdiction_id")


@bp.get(f"/v2/services.{FMT}")
def services(fmt: str):
    _known_jurisdiction()
    with _archive().db.session() as s:
        return answer(fmt, "services", open311.services(s, _lang()))


@bp.get(f"/v2/services/<code>.{FMT}")
def service_definition(code: str, fmt: str):
    """Our services take no attributes (metadata false): the definition says so."""
    _known_jurisdiction()
    with _archive().db.session() as s:
        found = open311.service(s, code)
        if found is None:
            raise Open311Error(404, "not_found", field="service_code")
        cat, sub = found
        body = {"service_code": str((sub or cat).id), "attributes": []}
    return answer(fmt, "service_definition", body)


# --- service requests -------------------------------------------------------------------------


@bp.post(f"/v2/requests.{FMT}")
def create_request(fmt: str):
    """A complaint opened through records.complaints.create (audited there) as the key's user,
    at the jurisdiction given or the user's own centre, channel open311."""
    user = _caller()
    if user.role not in complaints.CAN_CREATE:  # auditors and field teams read, never file
        raise Open311Error(403, "forbidden")
    lang = _lang()
    db = _archive().db
    with db.session() as s:
        data = open311.intake_data(s, user, request.form)
    created = complaints.create(db, user, data)
    with db.session() as s:
        c = s.get(Complaint, created.id)
        assert c is not None  # just stored
        body = [
            {
                "service_request_id": c.tracking_no,
                "service_notice": open311.notice(c, url_for("public.follow_up", _external=True), lang),
                "account_id": None,
            }
        ]
    return answer(fmt, "service_requests", body)  # 200: what the spec's clients look for


@bp.get(f"/v2/requests.{FMT}")
def list_requests(fmt: str):
    user = _caller()
    lang = _lang()
    args = request.args
    ids = [i.strip() for i in (args.get("service_request_id") or "").split(",") if i.strip()]
    with _archive().db.session() as s:
        code = (args.get("jurisdiction_id") or "").strip()
        area = open311.jurisdiction(s, user, code[:16]) if code and not ids else None
        start, end = (args.get(k) or "" for k in ("start_date", "end_date"))
        found = open311.find(
            s,
            user,
            ids=[i[:64] for i in ids],
            service_code=(args.get("service_code") or "")[:1000],
            start=open311.parse_time("start_date", start) if start else None,
            end=open311.parse_time("end_date", end) if end else None,
            status=(args.get("status") or "")[:64],
            area=area,
        )
        return answer(fmt, "service_requests", [open311.as_request(c, lang) for c in found])


@bp.get(f"/v2/requests/<request_id>.{FMT}")
def get_request(request_id: str, fmt: str):
    user = _caller()
    with _archive().db.session() as s:
        c = complaints.by_tracking_no(s, user, request_id[:64])
        if c is None:  # missing, or not this key's to see: the same answer
            raise Open311Error(404, "not_found", field="service_request_id")
        return answer(fmt, "service_requests", [open311.as_request(c, _lang())])
