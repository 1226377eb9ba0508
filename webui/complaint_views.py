"""Complaint pages: the list with filters, one complaint (documents, timeline, actions), and
intake at the counter. The rules (areas, roles, transitions) live in records.complaints; these
views only gather what was typed, show it back with the reason when it is refused, and never
lose what the user typed."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from records import areas, audit, complaints, statistics
from records.complaints import ComplaintError
from records.models import (
    MAX_ID,
    Area,
    AreaKind,
    Category,
    Complainant,
    Complaint,
    ComplaintDocument,
    ComplaintEvent,
    ComplaintStatus,
    Document,
    Role,
    User,
)
from thai.citizen_id import masked
from thai.dates import be_numeric, parse_date
from thai.digits import fold_digits
from webui.auth import roles
from webui.i18n import current_language, error_text, translate
from webui.paging import page_number

bp = Blueprint("complaints", __name__, url_prefix="/complaints")
PER_PAGE = 50
CREATE_ROLES = ("counter", "officer", "admin")
WORK_ROLES = ("officer", "admin")
# form fields that records.complaints names in its errors → the input the message sits beside
FIELD_INPUT = {
    "category": "category_id",
    "subcategory": "subcategory_id",
    "name": "first_name_th",
    "complainant": "citizen_id",
    "area": "area_code",
    "officer": "officer_id",
    "to_area": "to_area_code",
    "duplicate_of": "duplicate_of",
    "document": "document_ids",
    "status": "to_status",
    "kind": "kind",
}
CODE_INPUT = {
    "needs_detail": "subcategory_text",
    "bad_phone": "phone",
    "bad_citizen_id": "citizen_id",
    "reason_required": "reason",
    "outcome_required": "outcome",
}
# the inputs of complaint_form.html with a message beside them
FORM_INPUTS = {
    "channel",
    "citizen_id",
    "first_name_th",
    "last_name_th",
    "phone",
    "respondent_kind",
    "category_id",
    "subcategory_id",
    "subcategory_text",
    "latitude",
    "longitude",
    "area_code",
    "due_date",
    "officer_id",
    "files",
    "document_ids",
    "scan",
    "repeat_ok",
}
STATUS_ORDER = list(ComplaintStatus)
# the intake form's inputs that are not the complaint's (documents, the scan, the card's extras)
INTAKE_ONLY = (
    "document_ids",
    "from_document",
    "repeat_ok",
    "scan_batch_id",
    "scan_kind",
    "station",
    "photo_jpeg_b64",
    "source",
)


@bp.url_value_preprocessor
def _no_huge_ids(_endpoint, values):
    if values and values.get("complaint_id", 0) > MAX_ID:
        abort(404)


def _archive():
    return current_app.extensions["archive"]


def _can(*role_names: str) -> bool:
    return g.user is not None and g.user.role.value in role_names


def problem_text(e: ComplaintError) -> str:
    """The error in the reader's language, with field and status names in words."""
    return error_text(e.code, e.params, str(e))


def _input_of(e: ComplaintError) -> str:
    return CODE_INPUT.get(e.code) or FIELD_INPUT.get(e.params.get("field", ""), e.params.get("field", ""))


def _problems(e: ComplaintError) -> dict[str, str]:
    """{input name: message}, plus '_' for the message at the top of the form (the one-line
    status and filing forms)."""
    msg = problem_text(e)
    field = _input_of(e)
    return {"_": msg, **({field: msg} if field else {})}


def _form_problems(errors: list[ComplaintError], files: list[str] | None = None) -> dict:
    """The complaint form's problems, all at once: {input name: its message(s)} beside each
    field; '_' a short count at the top ("กรุณาแก้ไข 3 รายการ"), '_others' the problems no field
    shows (they are said in full under the count). `files`: uploads refused, by reason."""
    shown: dict[str, list[str]] = {}
    others: list[str] = []
    for field, msg in [*(("files", f) for f in files or []), *((_input_of(e), problem_text(e)) for e in errors)]:
        if field in FORM_INPUTS:
            if msg not in shown.setdefault(field, []):
                shown[field].append(msg)
        elif msg not in others:
            others.append(msg)
    n = sum(len(v) for v in shown.values()) + len(others)
    return {
        "_": translate("cmp_fix_one" if n == 1 else "cmp_fix_problems", n=n),
        "_others": others,
        **{k: " · ".join(v) for k, v in shown.items()},
    }


def _counted(by_input: dict[str, str]) -> dict:
    """Problems already by input (the card holder's record, a repeat not confirmed) in the form's
    layout: the count at the top, each message beside its input."""
    n = len(by_input)
    return {"_": translate("cmp_fix_one" if n == 1 else "cmp_fix_problems", n=n), "_others": [], **by_input}


# --- choices for the forms ---------------------------------------------------------------------


def _categories(s) -> tuple[list[Category], list[Category]]:
    rows = list(s.scalars(select(Category).where(Category.active.is_(True)).order_by(Category.position, Category.id)))
    return [c for c in rows if c.parent_id is None], [c for c in rows if c.parent_id is not None]


def _choices(s) -> dict:
    tops, subs = _categories(s)
    visible = areas.visible_area_ids(s, g.user.area)
    provinces = list(s.scalars(select(Area).where(Area.kind == AreaKind.province).order_by(Area.name_th)))
    uq = select(User).where(User.active.is_(True), User.role.in_([Role.officer, Role.admin])).order_by(User.name)
    centres = select(Area).where(Area.kind.in_(areas.CENTRES)).order_by(Area.code)
    if visible is not None:
        uq = uq.where(User.area_id.in_(visible))
        centres = centres.where(Area.id.in_(visible))
    return {
        "categories": tops,
        "subcategories": subs,
        "provinces": provinces,
        "officers": list(s.scalars(uq.limit(500))),
        "centres": list(s.scalars(centres)) if g.user.area.kind != AreaKind.district else [],
        "channels": complaints.FORM_CHANNELS,
        "respondent_kinds": complaints.RESPONDENT_KINDS,
        "document_kinds": complaints.DOCUMENT_KINDS,
        "outcomes": complaints.OUTCOMES,
    }


def _document_ids(raw: str) -> list[int]:
    """'12, 13 ๑๔' → [12, 13, 14]; anything else in the field is an error."""
    parts = [p for p in re.split(r"[\s,;]+", fold_digits(raw or "").strip()) if p]
    if not all(p.isdigit() for p in parts):
        raise ComplaintError("bad_value", field="document")
    ids = list(dict.fromkeys(int(p) for p in parts))
    if any(i > MAX_ID for i in ids):
        raise ComplaintError("not_found", field="document")
    return ids


def _int_or_error(values: dict, key: str, field: str) -> None:
    v = (values.get(key) or "").strip()
    if v and (not fold_digits(v).isdigit() or int(fold_digits(v)) > MAX_ID):
        raise ComplaintError("bad_value", field=field)
    if v:
        values[key] = fold_digits(v)


# --- the list ----------------------------------------------------------------------------------


NARROWING = ("channel", "subcategory", "officer", "open", "missing", "closed_from", "closed_to")


def _narrowing_labels(query_args: dict) -> dict[str, str]:
    """The dashboard's narrowing in force, each as the words the list shows for it."""
    out = {}
    for k in NARROWING:
        v = query_args.get(k)
        if not v:
            continue
        name = translate("stats_filter_" + k)
        if k == "missing" and v in statistics.COMPLETENESS:
            out[k] = f"{name}: {translate('missing_' + v)}"
        elif k == "channel" and v in statistics.CHANNELS:
            out[k] = f"{name}: {translate('channel_' + v)}"
        elif k == "officer" and v == "none":
            out[k] = f"{name}: {translate('stats_unassigned')}"
        elif k == "open":
            out[k] = name
        else:
            out[k] = f"{name}: {v}"
    return out


def _dashboard_filters(args) -> dict:
    """The list's narrowing a dashboard number opens it with (records.complaints.query's
    keyword filters); a value that names nothing finds nothing rather than everything."""
    out: dict = {}
    if args.get("channel"):
        out["channel"] = args["channel"][:16]
    if args.get("subcategory"):
        sub = args.get("subcategory", 0, type=int)
        out["subcategory_id"] = sub if 0 < sub <= MAX_ID else -1
    if args.get("officer"):
        out["officer"] = args["officer"][:12]
    if args.get("open") == "1":
        out["open_only"] = True
    if args.get("missing") in statistics.COMPLETENESS:
        out["missing"] = args["missing"]
    try:
        out["closed_from"], out["closed_to"] = parse_date(args.get("closed_from")), parse_date(args.get("closed_to"))
    except ValueError:
        out["error"] = True
    return out


@bp.get("")
def index():
    args = request.args
    page = page_number()
    status = args.get("status", "")
    if status not in ComplaintStatus.__members__:
        status = ""
    category_id = args.get("category", 0, type=int)
    if not 0 <= category_id <= MAX_ID:
        category_id = -1  # names no category: nothing found
    area_code = args.get("area", "").strip()
    error = None
    try:
        date_from, date_to = parse_date(args.get("from")), parse_date(args.get("to"))
    except ValueError:
        date_from = date_to = None
        error = translate("bad_date")
    overdue = args.get("overdue") == "1"
    text = args.get("q", "").strip()
    more = _dashboard_filters(args)
    if more.pop("error", None):
        error = translate("bad_date")
    with _archive().db.session() as s:
        total, rows = complaints.query(
            s,
            g.user,
            status=status or None,
            category_id=category_id or None,
            area_code=area_code or None,
            date_from=date_from,
            date_to=date_to,
            overdue=overdue,
            text=text or None,
            limit=PER_PAGE,
            offset=(page - 1) * PER_PAGE,
            **more,
        )
        tops, _subs = _categories(s)
        for c in rows:
            _ = c.area, c.category, c.subcategory  # loaded for the template
        from records.feedback import satisfaction

        happy = satisfaction(s, g.user)
        query_args = {k: v for k, v in args.items() if k not in ("page", "lang") and v}
        return render_template(
            "complaints.html",
            rows=rows,
            total=total,
            page=page,
            pages=max(1, -(-total // PER_PAGE)),
            categories=tops,
            statuses=STATUS_ORDER,
            f={
                "status": status,
                "category": category_id,
                "area": area_code,
                "from": args.get("from", ""),
                "to": args.get("to", ""),
                "overdue": overdue,
                "q": text,
            },
            query_args=query_args,
            narrowed=_narrowing_labels(query_args),
            unnarrowed={k: v for k, v in query_args.items() if k not in NARROWING},
            error=error,
            can_create=_can(*CREATE_ROLES),
            satisfaction=happy,
        )


# --- intake ------------------------------------------------------------------------------------


def _prefill_complainant(s, values: dict) -> Complainant | None:
    raw = values.get("complainant_id")
    if not raw or not str(raw).isdigit() or int(raw) > MAX_ID:
        values.pop("complainant_id", None)
        return None
    from records.complainants import get_visible

    person = get_visible(s, g.user, int(raw))
    if person is None:
        values.pop("complainant_id", None)
    return person


def _render_form(values: dict, problems: dict, status: int = 200):
    from scanner.batches import station_device

    station = (values.get("station") or "")[:64]
    with _archive().db.session() as s:
        person = _prefill_complainant(s, values)
        return render_template(
            "complaint_form.html",
            mode="new",
            values=values,
            problems=problems,
            person=person,
            person_id=masked(person.citizen_id) if person else "",
            action=url_for("complaints.new"),
            station=station,
            station_device=station_device(station),
            already_opened=[(c.id, c.tracking_no) for c in _already_opened(values)],
            **_choices(s),
        ), status


def _already_opened(values: dict) -> list[Complaint]:
    """The complaints (this user may see) already opened from the petition the form came from."""
    raw = values.get("from_document") or ""
    if not raw.isdigit() or int(raw) > MAX_ID:
        return []
    with _archive().db.session() as s:
        found = complaints.filed_under(s, g.user, int(raw))
        s.expunge_all()
        return found


def _repeat_problem(values: dict) -> dict[str, str]:
    """A petition already opened as a complaint opens another only when the clerk confirms it is
    a new complaint (the box on the form); otherwise the form comes back, warning."""
    opened = _already_opened(values)
    if not opened or values.get("repeat_ok") == "1":
        return {}
    msg = translate("repeat_not_confirmed", numbers=", ".join(c.tracking_no for c in opened))
    return {"_": msg, "repeat_ok": msg}


def _save_card_holder(values: dict) -> dict[str, str]:
    """A complainant read from the ID card on the intake form is saved as the counter page saves
    one (photo, birth date, English name, card expiry), and the complaint then names that record.
    Returns the problems by input (nothing saved when there are any)."""
    from records.complainants import InvalidComplainant, save

    if values.get("source") != "card" or values.get("complainant_id") or not values.get("citizen_id"):
        return {}
    try:
        person = save(
            _archive(),
            values,
            photo_jpeg_b64=values.get("photo_jpeg_b64") or None,
            source="card",
            area_id=g.user.area_id,
            user=g.user,
        )
    except InvalidComplainant as e:
        return {k: translate("problem_" + v) for k, v in e.problems.items()}
    values["complainant_id"] = str(person.id)
    for k in ("photo_jpeg_b64", "citizen_id", "birth_date", "expiry_date"):
        values.pop(k, None)  # the saved record holds them now
    return {}


def _file_scan(values: dict, complaint_id: int) -> str | None:
    """The intake form's scanned batch filed under the new complaint; the reason it could not
    be (its pages stay in the batch, on the scan page) or None."""
    from records.complaints import DOCUMENT_KINDS
    from scanner.batches import BatchError
    from webui.scan_views import file_batch_documents

    raw = fold_digits(values.get("scan_batch_id") or "").strip()
    if not raw.isdigit() or int(raw) > MAX_ID:
        return None
    kind = str(values.get("scan_kind") or "")
    kind = kind if kind in DOCUMENT_KINDS else "petition"
    try:
        file_batch_documents(int(raw), complaint_id, kind)
    except (BatchError, ComplaintError) as e:
        reason = error_text(e.code, e.params, str(e))
        return translate("intake_scan_not_filed", reason=reason, batch=raw)
    return None


@bp.get("/new")
@roles(*CREATE_ROLES)
def new():
    values: dict = {"channel": "walk_in", "station": request.args.get("station", "")[:64]}
    raw_doc = request.args.get("document_id", "")
    if raw_doc.isdigit() and int(raw_doc) <= MAX_ID:
        # from a scanned petition: its fields fill the form, the clerk checks them
        from records.petition_prefill import complaint_values

        with _archive().db.session() as s:
            doc = s.get(Document, int(raw_doc))
            if doc is None or not complaints.document_visible(s, g.user, doc):
                abort(404)
            values.update(complaint_values(s, doc), from_document=str(doc.id))
    if request.args.get("complainant_id", "").isdigit() and int(request.args["complainant_id"]) <= MAX_ID:
        with _archive().db.session() as s:
            from records.complainants import get_visible

            person = get_visible(s, g.user, int(request.args["complainant_id"]))
            if person is not None:
                values.update(
                    complainant_id=str(person.id), phone=person.phone, address=(person.address or {}).get("text", "")
                )
    return _render_form(values, {})


def _store_uploads(values: dict) -> list[str]:
    """Each uploaded file stored (and queued for OCR) before the complaint is saved; their
    document ids join the form's document list, so a refused form keeps them. Returns the
    reasons for files that were refused."""
    archive, worker = _archive(), current_app.extensions["ingest_worker"]
    from ingest.pipeline import intake

    ids, refused = [], []
    for f in request.files.getlist("files"):
        if not f or not f.filename:
            continue
        name = Path(f.filename).name
        with tempfile.NamedTemporaryFile(dir=archive.store.tmp, prefix="upload-", delete=True) as tmp:
            f.save(tmp)
            tmp.flush()
            r = intake(archive, Path(tmp.name), filename=name, area_id=g.user.area_id, user=g.user)
        if r.document_id is None:
            refused.append(f"{name}: {error_text(r.error_code, r.error_params, r.error)}")
            continue
        if r.state in ("pending", "processing") and not r.duplicate:
            worker.submit(r.document_id)
        ids.append(str(r.document_id))
    if ids:
        existing = [p for p in re.split(r"[\s,;]+", values.get("document_ids", "").strip()) if p]
        values["document_ids"] = ", ".join(dict.fromkeys(existing + ids))
    return refused


@bp.post("/new")
@roles(*CREATE_ROLES)
def create():
    values = request.form.to_dict()
    values.pop("csrf_token", None)
    refused = _store_uploads(values)
    repeat = _repeat_problem(values)
    if repeat:
        return _render_form(values, _counted(repeat), 422)
    card_problems = _save_card_holder(values)
    if card_problems:
        return _render_form(values, _counted(card_problems), 422)
    db = _archive().db
    problems: list[ComplaintError] = []  # every problem of the form, found in one submit
    dropped = set(INTAKE_ONLY)
    doc_ids: list[int] = []
    try:
        doc_ids = _document_ids(values.get("document_ids", ""))
    except ComplaintError as e:
        problems.append(e)
    for key, field in (("officer_id", "officer"), ("complainant_id", "complainant")):
        try:
            _int_or_error(values, key, field)
        except ComplaintError as e:
            problems.append(e)
            dropped.add(key)
    with db.session() as s:
        docs = [s.get(Document, i) for i in doc_ids]
        if any(d is None or not complaints.document_visible(s, g.user, d) for d in docs):
            problems.append(ComplaintError("not_found", field="document"))
    data = {k: v for k, v in values.items() if k not in dropped}
    c = None
    try:
        if problems or refused:
            problems += complaints.validate(db, g.user, data)
        else:
            c = complaints.create(db, g.user, data)
    except ComplaintError as e:
        problems += e.problems
    if c is None:
        return _render_form(values, _form_problems(problems, refused), 422)
    unfiled = []
    for doc_id in doc_ids:
        try:
            complaints.file_document(db, g.user, c.id, doc_id, "petition")
        except ComplaintError as e:
            unfiled.append(f"#{doc_id}: {problem_text(e)}")
    scan_problem = _file_scan(values, c.id)
    if scan_problem:
        unfiled.append(scan_problem)
    flash(translate("cmp_saved", no=c.tracking_no), "ok")
    for p in unfiled:
        flash(p, "error")
    return redirect(url_for("complaints.show", complaint_id=c.id))


# --- one complaint -----------------------------------------------------------------------------


def _load(s, complaint_id: int) -> Complaint:
    c = complaints.get(s, g.user, complaint_id)
    if c is None:
        abort(404)
    return c


def _render_show(
    complaint_id: int,
    problems: dict | None = None,
    values: dict | None = None,
    status: int = 200,
    candidates: list[dict] | None = None,
) -> tuple[str, int, str]:
    from records import field_work
    from records.complaint_links import related
    from records.feedback import of_complaint
    from records.peer_outbox import of_complaint as shared_with
    from webui.peer_views import sendable

    with _archive().db.session() as s:
        c = s.scalar(
            select(Complaint)
            .where(Complaint.id == _load(s, complaint_id).id)
            .options(
                selectinload(Complaint.events).selectinload(ComplaintEvent.user),
                selectinload(Complaint.documents).selectinload(ComplaintDocument.document),
            )
        )
        area_names = {
            a.id: a
            for a in s.scalars(select(Area).where(Area.id.in_({e.to_area_id for e in c.events if e.to_area_id})))
        }
        duplicate_of = complaints.get(s, g.user, c.duplicate_of_id) if c.duplicate_of_id else None
        peer_links, peer_messages = shared_with(s, c.id)
        peer_choices = sendable(s) if _can(*WORK_ROLES) else []
        html = render_template(
            "complaint.html",
            c=c,
            person_id=masked(c.complainant.citizen_id) if c.complainant else "",
            area_names=area_names,
            duplicate_of=duplicate_of,
            related=related(s, g.user, c.id),
            feedback=of_complaint(s, c.id),
            field_reports=field_work.updates_of(s, c.id),
            peer_links=peer_links,
            peer_messages=peer_messages,
            peer_choices=peer_choices,
            peer_names={link.peer_id: link.peer.name for link in peer_links},
            teams=field_work.teams_for(s, c) if _can(*WORK_ROLES) else [],
            candidates=candidates,
            next_statuses=[st for st in STATUS_ORDER if st in complaints.TRANSITIONS[c.status]],
            can_work=_can(*WORK_ROLES),
            can_file=_can(*CREATE_ROLES),
            can_case_file=_can("auditor", "officer", "admin"),
            problems=problems or {},
            values=values or {},
            **_choices(s),
        )
        return html, status, c.tracking_no


@bp.get("/<int:complaint_id>")
def show(complaint_id: int):
    """One complaint; with ?check=1 its possible duplicates too (on demand: the lookup of other
    areas' complaints is audited); ?duplicate_of=TRACKING fills the status form to close it as
    a duplicate of that one."""
    from records import duplicates
    from webui.i18n import current_language

    candidates = None
    if request.args.get("check") == "1":
        with _archive().db.session() as s:
            c = _load(s, complaint_id)
            probe, tracking_no = duplicates.Probe.of_complaint(c), c.tracking_no
        candidates = duplicates.lookup(_archive().db, g.user, probe, lang=current_language(), about=tracking_no)
    values = None
    if request.args.get("duplicate_of"):
        values = {"to_status": "closed", "outcome": "duplicate", "duplicate_of": request.args["duplicate_of"][:32]}
    html, status, tracking_no = _render_show(complaint_id, values=values, candidates=candidates)
    audit.record(_archive().db, "view", "complaint", tracking_no, user=g.user)
    return html, status


@bp.post("/<int:complaint_id>/status")
@roles(*WORK_ROLES)
def change_status(complaint_id: int):
    f = request.form
    try:
        complaints.transition(
            _archive().db,
            g.user,
            complaint_id,
            f.get("to_status", ""),
            f.get("reason", ""),
            outcome=f.get("outcome") or None,
            to_area_code=f.get("to_area_code") or None,
            duplicate_of=f.get("duplicate_of") or None,
        )
    except ComplaintError as e:
        if e.code == "not_found" and e.params.get("field") == "complaint":
            abort(404)
        html, status, _no = _render_show(
            complaint_id, {f"status_{k}": v for k, v in _problems(e).items()}, f.to_dict(), 422
        )
        return html, status
    if f.get("to_status") != "forwarded":
        flash(translate("cmp_status_changed", status=translate(f"status_{f.get('to_status')}")), "ok")
        return redirect(url_for("complaints.show", complaint_id=complaint_id))
    with _archive().db.session() as s:
        c = s.get(Complaint, complaint_id)  # just forwarded by this user: they saw it a moment ago
        assert c is not None  # complaints are never deleted
        name = c.area.name_th if current_language() == "th" else (c.area.name_en or c.area.name_th)
        flash(translate("cmp_forwarded", no=c.tracking_no, centre=f"{name} ({c.area.code})"), "ok")
        still_seen = complaints.get(s, g.user, complaint_id) is not None
    if still_seen:  # e.g. a province forwarding to one of its districts
        return redirect(url_for("complaints.show", complaint_id=complaint_id))
    return redirect(url_for("complaints.index"))  # out of this user's area now: the list says where it went


@bp.post("/<int:complaint_id>/documents")
@roles(*CREATE_ROLES)
def file_document(complaint_id: int):
    f = request.form
    try:
        ids = _document_ids(f.get("document_id", ""))
        if not ids:
            raise ComplaintError("required", field="document")
        kind = f.get("kind", "petition")
        outcomes: dict[str, list[str]] = {}
        for doc_id in ids:
            outcome = complaints.file_document(_archive().db, g.user, complaint_id, doc_id, kind)
            outcomes.setdefault(outcome, []).append(f"#{doc_id}")
    except ComplaintError as e:
        if e.code == "not_found" and e.params.get("field") == "complaint":
            abort(404)
        html, status, _no = _render_show(
            complaint_id, {f"file_{k}": v for k, v in _problems(e).items()}, f.to_dict(), 422
        )
        return html, status
    _flash_filed(outcomes, translate(f"cmp_doc_kind_{kind}"))
    return redirect(url_for("complaints.show", complaint_id=complaint_id) + "#documents")


def _flash_filed(outcomes: dict[str, list[str]], kind: str) -> None:
    """What filing did, truthfully: filed, its kind changed, or nothing (filed so already)."""
    for outcome, docs in outcomes.items():
        documents = ", ".join(docs)
        if outcome == "filed":
            flash(translate("cmp_document_filed", documents=documents, kind=kind), "ok")
        elif outcome == "kind_changed":
            flash(translate("cmp_document_kind_changed", documents=documents, kind=kind), "ok")
        else:
            flash(translate("cmp_document_already_filed", documents=documents, kind=kind), "ok")


# --- editing details ---------------------------------------------------------------------------

EDIT_FIELDS = (
    "phone",
    "address",
    "respondent_kind",
    "respondent_name",
    "category_id",
    "subcategory_id",
    "subcategory_text",
    "incident_province",
    "incident_district",
    "incident_subdistrict",
    "latitude",
    "longitude",
    "summary",
    "due_date",
    "officer_id",
)


def _render_edit(complaint_id: int, values: dict | None, problems: dict, status: int = 200):
    with _archive().db.session() as s:
        c = _load(s, complaint_id)
        if values is None:
            values = {
                "phone": c.phone,
                "address": c.address,
                "respondent_kind": c.respondent_kind,
                "respondent_name": c.respondent_name,
                "category_id": str(c.category_id),
                "subcategory_id": str(c.subcategory_id or ""),
                "subcategory_text": c.subcategory_text,
                "incident_province": c.incident_province,
                "incident_district": c.incident_district,
                "incident_subdistrict": c.incident_subdistrict,
                "latitude": "" if c.latitude is None else str(c.latitude),
                "longitude": "" if c.longitude is None else str(c.longitude),
                "summary": c.summary,
                "due_date": be_numeric(c.due_date),
                "officer_id": str(c.officer_id or ""),
            }
        return render_template(
            "complaint_form.html",
            mode="edit",
            c=c,
            values=values,
            problems=problems,
            person=c.complainant,
            person_id=masked(c.complainant.citizen_id) if c.complainant else "",
            action=url_for("complaints.edit", complaint_id=c.id),
            **_choices(s),
        ), status


@bp.get("/<int:complaint_id>/edit")
@roles(*WORK_ROLES)
def edit(complaint_id: int):
    return _render_edit(complaint_id, None, {})


@bp.post("/<int:complaint_id>/edit")
@roles(*WORK_ROLES)
def save_edit(complaint_id: int):
    values = {k: request.form.get(k, "") for k in EDIT_FIELDS}
    try:
        _int_or_error(values, "officer_id", "officer")
        data = dict(values)
        for k in ("latitude", "longitude"):
            if not data[k].strip():
                data.pop(k)  # records.complaints keeps a position it is not given
        complaints.update(_archive().db, g.user, complaint_id, data)
    except ComplaintError as e:
        if e.code == "not_found" and e.params.get("field") == "complaint":
            abort(404)
        return _render_edit(complaint_id, values, _form_problems(e.problems), 422)
    flash(translate("cmp_updated"), "ok")
    return redirect(url_for("complaints.show", complaint_id=complaint_id))
