"""Documents: the list, upload (several files, progress), one document's pages beside their
text, downloads of the original and the archival PDF, page images, and processing status."""

from __future__ import annotations

import logging
import subprocess
import tempfile
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from PIL import Image, ImageSequence
from sqlalchemy import func, select

from config import Settings
from ingest.limits import run_limited
from ingest.pipeline import intake
from records import audit, document_fields
from records.complaints import document_visible, visible_documents
from records.file_names import received_name, safe_name
from records.models import MAX_ID, Document, DocumentState
from thai.citizen_id import masked
from thai.dates import be_numeric
from webui.auth import roles
from webui.i18n import error_text, translate
from webui.paging import page_number
from webui.permissions import INTAKE_ROLES, can

log = logging.getLogger(__name__)
bp = Blueprint("documents", __name__)
PER_PAGE = 50
SCREEN_SIZE = (100, 1000)  # page images: PDF pages at 100 dpi, images at most 1000 px wide
FULL_SIZE = (200, 2480)  # zoomed in: 200 dpi, or the scan itself up to A4 at 300 dpi


def _archive():
    return current_app.extensions["archive"]


def _get(document_id: int) -> Document:
    """The document, when it exists and this user's area may see it; 404 otherwise (a guessed id
    from another district looks exactly like one that does not exist)."""
    with _archive().db.session() as s:
        doc = s.get(Document, document_id) if document_id <= MAX_ID else None
        if doc is None or not document_visible(s, g.user, doc):
            abort(404)
        _ = doc.pages  # load while the session is open
        return doc


@bp.get("/")
def index():
    if g.user.role.value == "field":  # a field team's home is its phone page
        return redirect(url_for("field.index"))
    page = page_number()
    with _archive().db.session() as s:
        mine = visible_documents(s, g.user)
        total = s.scalar(select(func.count(Document.id)).where(mine))
        docs = list(
            s.scalars(
                select(Document).where(mine).order_by(Document.id.desc()).offset((page - 1) * PER_PAGE).limit(PER_PAGE)
            )
        )
    template = "_doc_table.html" if request.args.get("partial") else "documents.html"
    return render_template(template, docs=docs, total=total, page=page, pages=max(1, -(-total // PER_PAGE)))


@bp.post("/upload")
@roles(*INTAKE_ROLES)
def upload():
    """Takes one or more files (field `files`); each is stored before anything else happens."""
    archive = _archive()
    worker = current_app.extensions["ingest_worker"]
    files = request.files.getlist("files")
    if not files:
        return jsonify({"error": "no_file", "error_display": error_text("no_file", {})}), 400
    out = []
    for f in files:
        name = received_name(f.filename)
        with tempfile.NamedTemporaryFile(dir=archive.store.tmp, prefix="upload-", delete=True) as tmp:
            f.save(tmp)
            tmp.flush()
            r = intake(archive, Path(tmp.name), filename=name, area_id=g.user.area_id, user=g.user)
        if r.document_id and r.state in ("pending", "processing") and not r.duplicate:
            worker.submit(r.document_id)
        j = r.as_json()
        j["error_display"] = error_text(r.error_code, r.error_params, r.error)
        out.append(j)
    status = 200 if all(o["state"] != "rejected" for o in out) else 422
    return jsonify({"documents": out}), status


@bp.get("/api/v1/documents/<int:document_id>")
def status(document_id: int):
    doc = _get(document_id)
    if doc.state == DocumentState.done:  # what was read is in the answer: a view (polling an OCR under way is not)
        audit.record(_archive().db, "view", "document", doc.id, user=g.user, after={"via": "api"})
    return jsonify(
        {
            "document_id": doc.id,
            "filename": doc.filename,
            "state": doc.state.value,
            "error": doc.error,
            "error_code": doc.error_code,
            "error_display": error_text(doc.error_code, doc.error_params, doc.error),
            "pages": doc.page_count,
            "sha256": doc.sha256,
            "archive_sha256": doc.archive_sha256,
            "fields": {k: masked(v) if k == "citizen_id" else v for k, v in (doc.fields or {}).items()},
            "kind": doc.kind,
            "field_confidence": doc.field_confidence or {},
            "fields_confirmed": doc.fields_confirmed_at is not None,
        }
    )


@bp.get("/documents/<int:document_id>/state.json")
def state(document_id: int):
    """Where a document is in the pipeline, for a page that shows it while it is read (the
    complaint page polls this): its state and page count only, nothing read from it (no view to
    audit)."""
    with _archive().db.session() as s:
        doc = s.get(Document, document_id) if 0 < document_id <= MAX_ID else None
        if doc is None or not document_visible(s, g.user, doc):
            abort(404)
        return jsonify(
            {
                "document_id": doc.id,
                "state": doc.state.value,
                "state_display": translate(f"state_{doc.state.value}"),
                "error_display": error_text(doc.error_code, doc.error_params, doc.error) if doc.error else "",
                "pages": doc.page_count,
            }
        )


def _confirmer(doc: Document):
    if doc.fields_confirmed_by is None:
        return None
    from records.models import User

    with _archive().db.session() as s:
        return s.get(User, doc.fields_confirmed_by)


def _form_values(doc: Document) -> dict:
    """The fields as the form shows them: dates in the Buddhist Era, references one line."""
    import datetime as dt

    out = {}
    for name in document_fields.fields_for(doc.kind):
        v = (doc.fields or {}).get(name, "")
        if name == "date" and v:
            v = be_numeric(dt.date.fromisoformat(v))
        elif name == "references":
            v = ", ".join(v or [])
        out[name] = v
    return out


@bp.get("/documents/<int:document_id>")
def show(document_id: int, problems: dict | None = None, typed: dict | None = None):
    doc = _get(document_id)
    if not problems:  # the page shows the OCR text and the fields: a view, audited (a refused edit is not)
        audit.record(_archive().db, "view", "document", doc.id, user=g.user)
    editing = request.args.get("edit") == "1" or doc.fields_confirmed_at is None or bool(problems)
    may_edit = can("documents.confirm_fields")
    from records.complaints import filed_under

    with _archive().db.session() as s:
        complaints_of_doc = [(c.id, c.tracking_no, c.status.value) for c in filed_under(s, g.user, doc.id)]
    return render_template(
        "document.html",
        doc=doc,
        filed_under=complaints_of_doc,
        confirmer=_confirmer(doc),
        editing=editing and may_edit,
        may_edit=may_edit,
        form=typed or _form_values(doc),
        problems=problems or {},
        field_names=document_fields.fields_for(doc.kind),
        urgencies=document_fields.URGENCIES,
    )


@bp.post("/documents/<int:document_id>/fields")
@roles(*INTAKE_ROLES)
def confirm_fields(document_id: int):
    """The clerk's check of the suggested fields: saved as typed, marked confirmed."""
    from webui.i18n import translate

    doc = _get(document_id)
    if doc.state.value != "done":
        abort(409)
    typed = {k: request.form.get(k, "") for k in document_fields.fields_for(doc.kind) if k in request.form}
    try:
        document_fields.confirm(_archive().db, doc.id, typed, g.user)
    except document_fields.FieldError as e:
        flash(translate("fields_not_saved"), "error")
        return show(document_id, problems={e.field: translate("field_err_" + e.code)}, typed=typed), 422
    flash(translate("fields_saved"))
    return redirect(url_for("documents.show", document_id=doc.id) + "#fields")


@bp.get("/documents/<int:document_id>/original")
def original(document_id: int):
    doc = _get(document_id)
    path = _archive().store.path_for(doc.sha256)
    if not path.is_file():
        abort(410)
    audit.record(_archive().db, "download", "document", doc.id, user=g.user, after={"object": "original"})
    return send_file(
        path, mimetype=doc.media_type, as_attachment=True, download_name=safe_name(doc.filename, doc.media_type)
    )


@bp.get("/documents/<int:document_id>/archive.pdf")
def archival(document_id: int):
    doc = _get(document_id)
    if not doc.archive_sha256:
        abort(404)
    name = safe_name(Path(safe_name(doc.filename)).stem + "-archive.pdf")
    audit.record(_archive().db, "download", "document", doc.id, user=g.user, after={"object": "archive.pdf"})
    return send_file(
        _archive().store.path_for(doc.archive_sha256),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=name,
    )


@bp.get("/documents/<int:document_id>/pages/<int:number>.jpg")
def page_image(document_id: int, number: int):
    """A page as a JPEG for the screen (`?size=full`: at full size, for zooming in), made once
    from the original and cached under derived/."""
    doc = _get(document_id)
    if doc.state != DocumentState.done or not 1 <= number <= doc.page_count:
        abort(404)  # a failed or unread document has no pages to show
    full = request.args.get("size") == "full"
    archive = _archive()
    seen = {"page": number, **({"size": "full"} if full else {})}
    audit.record(archive.db, "view_page", "document", doc.id, user=g.user, after=seen)
    out = archive.settings.derived_dir / doc.sha256[:2] / f"{doc.sha256}-{number}{'-full' if full else ''}.jpg"
    if not out.is_file():
        out.parent.mkdir(parents=True, exist_ok=True)
        size = FULL_SIZE if full else SCREEN_SIZE
        try:
            _render_preview(archive.store.path_for(doc.sha256), doc.media_type, number, out, archive.settings, *size)
        except (OSError, ValueError, subprocess.SubprocessError, Image.DecompressionBombError) as e:
            log.warning("document %s page %s: no preview (%s)", doc.id, number, type(e).__name__)
            abort(404)
    return send_file(out, mimetype="image/jpeg", max_age=86400)


def _render_preview(
    src: Path, media_type: str, number: int, out: Path, settings: Settings, dpi: int = 100, width: int = 1000
) -> None:
    """The page at screen size (or larger: `dpi` for a PDF, at most `width` pixels wide for an
    image); the renderer under the parsers' limits (ingest.limits)."""
    tmp = out.with_suffix(".tmp.jpg")
    if media_type == "application/pdf":
        with tempfile.TemporaryDirectory() as d:
            stem = Path(d) / "p"
            r = run_limited(
                [
                    "pdftoppm",
                    "-r",
                    str(dpi),
                    "-gray",
                    "-jpeg",
                    "-singlefile",
                    "-f",
                    str(number),
                    "-l",
                    str(number),
                    str(src),
                    str(stem),
                ],
                settings.parse_memory_mb,
                settings.parse_timeout_s,
            )
            if r.returncode != 0:
                raise OSError(f"pdftoppm exit {r.returncode}")
            Path(str(stem) + ".jpg").replace(tmp)
    else:
        Image.MAX_IMAGE_PIXELS = settings.max_pixels
        with Image.open(src) as im:
            for i, frame in enumerate(ImageSequence.Iterator(im), start=1):
                if i == number:
                    fr = frame.convert("L")
                    fr.thumbnail((width, width * 2))
                    fr.save(tmp, "JPEG", quality=80)
                    break
    tmp.replace(out)
