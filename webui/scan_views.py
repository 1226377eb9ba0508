"""The scan page: the scanners this server can drive, a scan started per counter (each in a
process of its own, so two counters on two devices never share one), thumbnails as pages arrive,
the fault and a "continue" after a jam, page edits, and "file as document". SANE itself is never
loaded in the server process: device listing and scanning run in `python -m cli` children."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import threading
import time

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    render_template,
    request,
    send_file,
    url_for,
)
from PIL import Image

from records.models import MAX_ID, ScanPage
from scanner import batches
from scanner.scan_process import spawn
from scanner.separator import sheet_pdf
from thai.digits import fold_digits
from webui.auth import roles
from webui.i18n import error_text, translate
from webui.permissions import INTAKE_ROLES

bp = Blueprint("scan", __name__, url_prefix="/scan")
station_bp = Blueprint("scan_station", __name__)  # the counter station's API: /api/v1/stations/…/scan
log = logging.getLogger(__name__)
DEVICES_TTL_S = 20
THUMB_PX = 240


class ScanProcesses:
    """The scan processes this server started (reaped as they end), and a short-lived cache of
    the device list."""

    def __init__(self, archive):
        self.archive = archive
        self._lock = threading.Lock()
        self._procs: dict[int, subprocess.Popen] = {}
        self._devices: tuple[float, list] = (0.0, [])

    def start(self, batch_id: int) -> None:
        self.reap()
        proc = spawn(self.archive, batch_id)
        with self._lock:
            self._procs[batch_id] = proc

    def reap(self) -> None:
        with self._lock:
            for batch_id, proc in list(self._procs.items()):
                if proc.poll() is not None:
                    del self._procs[batch_id]

    def devices(self, refresh: bool = False) -> list[dict]:
        with self._lock:
            at, found = self._devices
        if found and not refresh and time.time() - at < DEVICES_TTL_S:
            return found
        r = subprocess.run(
            [sys.executable, "-m", "cli", "devices", "--json"],
            env={**os.environ, **self.archive.settings.as_env()},
            capture_output=True,
            text=True,
            timeout=60,
        )
        found = json.loads(r.stdout)["devices"] if r.returncode == 0 and r.stdout.strip() else []
        with self._lock:
            self._devices = (time.time(), found)
        return found

    def shutdown(self) -> None:
        """Let running scans finish on their own (their pages are stored as they come)."""
        self.reap()


def _procs() -> ScanProcesses:
    return current_app.extensions["scan_processes"]


def _archive():
    return current_app.extensions["archive"]


def _own_batch(batch_id: int) -> int:
    """The batch's area, when this user's area may see it; 404 otherwise (like a missing one)."""
    from records.areas import within
    from records.models import ScanBatch

    with _archive().db.session() as s:
        b = s.get(ScanBatch, batch_id) if 0 < batch_id <= MAX_ID else None
        if b is None or not within(s, g.user.area, b.area_id):
            abort(404)
        return b.area_id


def _own_page(page_id: int) -> int:
    with _archive().db.session() as s:
        page = s.get(ScanPage, page_id) if 0 < page_id <= MAX_ID else None
        if page is None:
            abort(404)
        batch_id = page.batch_id
    _own_batch(batch_id)
    return batch_id


def _problem(e: batches.BatchError | Exception, status: int = 409):
    code = getattr(e, "code", "internal")
    params = getattr(e, "params", {"detail": str(e)})
    return jsonify({"error_code": code, "error": str(e), "error_display": error_text(code, params, str(e))}), status


def _batch_json(batch_id: int) -> dict:
    try:
        st = batches.status(_archive(), batch_id)
    except KeyError:
        abort(404)
    st["error_display"] = error_text(st["error_code"], st["error_params"]) if st["error_code"] else ""
    for p in st["pages"]:
        p["thumb_url"] = url_for("scan.page_image", page_id=p["id"], r=p["rotation"], size="thumb")
        p["image_url"] = url_for("scan.page_image", page_id=p["id"], r=p["rotation"])
    st["documents"] = [{"id": d, "url": url_for("documents.show", document_id=d)} for d in st["document_ids"]]
    return st


def _options_from(text: str) -> dict[str, str]:
    out = {}
    for line in (text or "").replace(";", "\n").splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip():
            out[key.strip()] = value.strip()
    return out


@bp.get("")
@roles(*INTAKE_ROLES)
def scan_page():
    from records import complaints
    from records.areas import visible_area_ids

    a = _archive()
    with a.db.session() as s:
        mine = visible_area_ids(s, g.user.area)
    open_batches = [
        st for st in (batches.status(a, b) for b in batches.unfinished(a)) if mine is None or st["area_id"] in mine
    ]
    return render_template(
        "scan.html",
        open_batches=open_batches,
        document_kinds=complaints.DOCUMENT_KINDS,
        settings=a.settings,
        station=request.args.get("station", "")[:64],
        station_device=batches.station_device(request.args.get("station", "")[:64]),
    )


@bp.get("/devices.json")
@roles(*INTAKE_ROLES)
def devices():
    try:
        return jsonify({"devices": _procs().devices(refresh=request.args.get("refresh") == "1")})
    except (subprocess.TimeoutExpired, ValueError) as e:
        log.warning("listing scanners failed: %s", e)
        return jsonify({"devices": [], "error": str(e)}), 503


@bp.post("/batches")
@roles(*INTAKE_ROLES)
def start_batch():
    data = request.get_json(silent=True) or request.form
    device = (data.get("device") or "").strip()
    if not device:
        return jsonify(
            {"error_code": "scan_no_device", "error_display": error_text("scan_no_device", {"device": ""})}
        ), 400
    try:
        resolution = int(fold_digits(str(data.get("resolution") or 0))) or None
    except ValueError:
        resolution = None
    try:
        batch_id = batches.create(
            _archive(),
            device,
            data.get("source") or "flatbed",
            resolution,
            data.get("mode") or None,
            _options_from(data.get("options", "")),
            data.get("station", "")[:64],
            area_id=g.user.area_id,
        )
        _scan(batch_id, device)
    except batches.BatchError as e:
        return _problem(e)
    return jsonify(_batch_json(batch_id)), 201


@bp.get("/batches/<int:batch_id>.json")
def batch(batch_id: int):
    _own_batch(batch_id)
    _procs().reap()
    return jsonify(_batch_json(batch_id))


@bp.post("/batches/<int:batch_id>/continue")
@roles(*INTAKE_ROLES)
def continue_batch(batch_id: int):
    """Scan more pages into the batch, after a fault is cleared; the source and options may change
    (a torn page can go on the flatbed)."""
    from records.models import ScanBatch

    _own_batch(batch_id)
    data = request.get_json(silent=True) or {}
    a = _archive()
    with a.db.session() as s:
        b = s.get(ScanBatch, batch_id)
        if b is None:
            abort(404)
        if data.get("source"):
            b.source = data["source"]
        if "options" in data:
            b.options = _options_from(data["options"])
        s.commit()
        device = b.device
    try:
        _scan(batch_id, device)
    except batches.BatchError as e:
        return _problem(e)
    return jsonify(_batch_json(batch_id))


def _scan(batch_id: int, device: str) -> None:
    """Start scanning into the batch: a scan process here, or — for `station:NAME` — ask that
    counter station, whose `damrong station --scanner` sends the pages."""
    if batches.is_station(device):
        batches.request_station_scan(_archive(), batch_id)
    else:
        _procs().start(batch_id)


@bp.post("/batches/<int:batch_id>/file")
@roles(*INTAKE_ROLES)
def file_batch(batch_id: int):
    """File the batch as documents, optionally under a complaint (its tracking number)."""
    from records import complaints

    a = _archive()
    _own_batch(batch_id)
    data = request.get_json(silent=True) or {}
    tracking_no = (data.get("tracking_no") or "").strip()
    kind = data.get("kind") or "petition"  # the kind under the complaint (the scan page's picker)
    if kind not in complaints.DOCUMENT_KINDS:
        return _problem(complaints.ComplaintError("bad_value", field="kind"), 400)
    complaint_id = None
    if tracking_no:
        with a.db.session() as s:
            c = complaints.by_tracking_no(s, g.user, tracking_no)
            if c is None:
                return _problem(complaints.ComplaintError("not_found", field=tracking_no), 404)
            complaint_id = c.id
    try:
        ids = file_batch_documents(batch_id, complaint_id, kind)
    except KeyError:
        abort(404)
    except batches.BatchError as e:
        return _problem(e)
    filed = [f"#{d}" for d in ids] if complaint_id else []
    out = _batch_json(batch_id)
    if complaint_id:
        out["complaint_url"] = url_for("complaints.show", complaint_id=complaint_id)
        # shown on the complaint page the scan page goes to next
        flash(translate("cmp_document_filed", documents=", ".join(filed), kind=translate(f"cmp_doc_kind_{kind}")), "ok")
    return jsonify(out)


def file_batch_documents(batch_id: int, complaint_id: int | None, kind: str = "petition") -> list[int]:
    """File a batch of this user's area as documents (queued for OCR), under a complaint when one
    is named (the scan page's "file under", the intake form's save); returns the documents' ids.
    Raises BatchError (the batch stays as it was, its pages kept) or ComplaintError; a missing or
    another area's batch is a 404."""
    from records import complaints

    batch_area = _own_batch(batch_id)
    a = _archive()
    results = batches.file(a, batch_id, area_id=batch_area or g.user.area_id)
    worker = current_app.extensions["ingest_worker"]
    ids = []
    for r in results:
        if r.document_id and r.state in ("pending", "processing"):
            worker.submit(r.document_id)
        if r.document_id:
            ids.append(r.document_id)
            if complaint_id:
                # the same original scanned again keeps the kind it is filed as (no silent change)
                complaints.file_document(a.db, g.user, complaint_id, r.document_id, kind, change_kind=False)
    return ids


@bp.post("/batches/<int:batch_id>/cancel")
@roles(*INTAKE_ROLES)
def cancel_batch(batch_id: int):
    _own_batch(batch_id)
    try:
        batches.cancel(_archive(), batch_id)
    except KeyError:
        abort(404)
    except batches.BatchError as e:
        return _problem(e)
    return jsonify(_batch_json(batch_id))


@bp.post("/pages/<int:page_id>")
@roles(*INTAKE_ROLES)
def edit_page(page_id: int):
    _own_page(page_id)
    data = request.get_json(silent=True) or {}
    a = _archive()
    try:
        batches.edit_page(
            a,
            page_id,
            rotate=int(data.get("rotate") or 0),
            deleted=data.get("deleted"),
            keep=bool(data.get("keep")),
            move_to=data.get("move_to"),
        )
        with a.db.session() as s:
            batch_id = s.get(ScanPage, page_id).batch_id
    except KeyError:
        abort(404)
    except batches.BatchError as e:
        return _problem(e)
    return jsonify(_batch_json(batch_id))


@bp.get("/pages/<int:page_id>.jpg")
def page_image(page_id: int):
    _own_page(page_id)
    a = _archive()
    with a.db.session() as s:
        page = s.get(ScanPage, page_id)
        if page is None:
            abort(404)
        sha, rotation = page.sha256, page.rotation
    with Image.open(a.store.path_for(sha)) as im:
        if request.args.get("size") == "thumb":
            im.draft("L", (THUMB_PX * 2, THUMB_PX * 2))
            im.thumbnail((THUMB_PX, THUMB_PX * 2))
        out = im.convert("L" if im.mode in ("1", "L", "I;16") else "RGB")
    if rotation:
        out = out.rotate(-rotation, expand=True)
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=80)
    buf.seek(0)
    resp = send_file(buf, mimetype="image/jpeg")
    resp.headers["Cache-Control"] = "private, max-age=3600"
    return resp


@bp.get("/separator.pdf")
def separator():
    return Response(
        sheet_pdf(),
        mimetype="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="damrong-separator.pdf"'},
    )


# --- the counter station's side (`damrong station --scanner`, scanner/station_scan.py) ----------
# Paths under /api/v1/stations/NAME/scan; a station's token is a counter user's, and a station
# sees only the batches its centre asked of a station of that name.


def _station_batch(station: str, batch_id: int) -> None:
    from records.models import ScanBatch

    with _archive().db.session() as s:
        b = s.get(ScanBatch, batch_id)
        if b is None or b.device != batches.station_device(station) or b.area_id != g.user.area_id:
            abort(404)


@station_bp.get("/api/v1/stations/<station>/scan")
@roles(*INTAKE_ROLES)
def station_request(station: str):
    """What this station is asked to scan now: 204 when nothing."""
    req = batches.next_station_request(_archive(), station, g.user.area_id)
    return (jsonify(req), 200) if req else ("", 204)


@station_bp.post("/api/v1/stations/<station>/scan/<int:batch_id>/begin")
@roles(*INTAKE_ROLES)
def station_begin(station: str, batch_id: int):
    _station_batch(station, batch_id)
    try:
        batches.station_begin(_archive(), batch_id)
    except batches.BatchError as e:
        return _problem(e)
    return jsonify({"ok": True})


@station_bp.put("/api/v1/stations/<station>/scan/<int:batch_id>/pages/<int:position>")
@roles(*INTAKE_ROLES)
def station_page(station: str, batch_id: int, position: int):
    """One scanned page (the PNG as the body), in order; sending it again is harmless."""
    _station_batch(station, batch_id)
    try:
        page_id, again = batches.station_page(_archive(), batch_id, position, request.get_data())
    except batches.BatchError as e:
        return _problem(e, 409 if e.code == "scan_page_gap" else 422)
    return jsonify({"page_id": page_id, "position": position, "duplicate": again}), 200 if again else 201


@station_bp.post("/api/v1/stations/<station>/scan/<int:batch_id>/end")
@roles(*INTAKE_ROLES)
def station_end(station: str, batch_id: int):
    """The station's scan ended: finished, or the fault (a catalogue code) that stopped it."""
    from thai.errors import CodedError

    _station_batch(station, batch_id)
    data = request.get_json(silent=True) or {}
    code = data.get("error_code")
    fault = None
    if code:
        from thai import messages

        fault = CodedError(code if messages.has(code) else "scan_stopped", **dict(data.get("error_params") or {}))
    batches.end_scan(_archive(), batch_id, fault)
    return jsonify(_batch_json(batch_id))
