"""Field teams' pages, phone first (/field/): the complaints assigned to the member's team,
nearest first when the phone shares its position, one complaint with a navigation link and the
report form (note, photos before/after, position, closing with the result), the reports' photos,
and what makes it installable and usable offline — the web manifest, the service worker (scope
/field/) and a fresh CSRF token for the phone's queue of reports written offline
(webui/static/field.js). The district assigns a complaint to a team from the complaint page
(POST /complaints/N/team). The rules live in records.field_work."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
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
from flask_wtf.csrf import generate_csrf

from records import audit, field_work
from records.field_work import FieldError, Report
from thai.digits import fold_digits
from webui.auth import roles, wants_json
from webui.i18n import error_text, translate
from webui.permissions import FIELD_ROLES, WORK_ROLES

bp = Blueprint("field", __name__)
CACHE_VERSION = "field-v1"


def _archive():
    return current_app.extensions["archive"]


def _near() -> tuple[float, float] | None:
    """?near=lat,lon (the phone's position, Thai digits too) or None."""
    raw = fold_digits(request.args.get("near", ""))
    try:
        lat, lon = (float(x) for x in raw.split(",", 1))
    except ValueError:
        return None
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


@bp.get("/field/")
@roles(*FIELD_ROLES)
def index():
    near = _near()
    with _archive().db.session() as s:
        rows = field_work.assigned(s, g.user, near)
        closed = field_work.recently_closed(s, g.user)
        html = render_template("field.html", rows=rows, closed=closed, near=near)
    return html


@bp.get("/field/c/<tracking_no>")
@roles(*FIELD_ROLES)
def show(tracking_no: str):
    with _archive().db.session() as s:
        c = field_work.assigned_one(s, g.user, tracking_no)
        if c is None:
            abort(404)
        html = render_template(
            "field_complaint.html",
            c=c,
            reports=field_work.updates_of(s, c.id),
            outcomes=field_work.TEAM_OUTCOMES,
            max_photos=field_work.MAX_PHOTOS,
        )
        no = c.tracking_no
    kept = request.headers.get("X-Damrong-Prefetch") == "1"  # copied to the phone for offline use
    audit.record(_archive().db, "view", "complaint", no, user=g.user, after={"offline_copy": True} if kept else None)
    return html


def _report_from_form() -> Report:
    f = request.form
    photos: list[tuple[str, bytes]] = []
    for stage in field_work.STAGES:
        photos += [(stage, p.read()) for p in request.files.getlist(f"photo_{stage}") if p and p.filename]
    return Report(
        client_uid=f.get("client_uid", ""),
        note=f.get("note", ""),
        to_status=f.get("to_status", ""),
        outcome=f.get("outcome", ""),
        latitude=f.get("latitude"),
        longitude=f.get("longitude"),
        accuracy_m=f.get("accuracy"),
        made_at=f.get("made_at", ""),
        photos=photos,
    )


@bp.post("/field/c/<tracking_no>/reports")
@roles(*FIELD_ROLES)
def report(tracking_no: str):
    """A report from the phone (its queue, as JSON; or the plain form without scripts)."""
    try:
        u, new = field_work.report(_archive(), g.user, tracking_no, _report_from_form())
    except FieldError as e:
        message = error_text(e.code, e.params, str(e))
        status = 404 if e.code == "not_found" else 422
        if wants_json():  # the queue keeps the report and shows why it was refused
            return jsonify({"error": e.code, "message": str(e), "error_display": message}), status
        if status == 404:
            abort(404)
        flash(message, "error")
        return redirect(url_for("field.show", tracking_no=tracking_no))
    if wants_json():
        return jsonify({"id": u.id, "new": new, "status": u.to_status, "photos": len(u.photos)}), 201 if new else 200
    flash(translate("field_report_saved"), "ok")
    return redirect(url_for("field.show", tracking_no=tracking_no))


@bp.get("/field/token.json")
@roles(*FIELD_ROLES)
def token():
    """What the phone's queue needs before it sends: a CSRF token of this session and whose it is."""
    resp = jsonify({"csrf": generate_csrf(), "user": g.user.id})
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/field/photos/<int:photo_id>.jpg")
def photo(photo_id: int):
    with _archive().db.session() as s:
        p = field_work.photo(s, g.user, photo_id)
        if p is None:
            abort(404)
        sha = p.sha256
    resp = send_file(_archive().store.path_for(sha), mimetype="image/jpeg", max_age=86400)
    resp.headers["Cache-Control"] = "private, max-age=86400"
    return resp


@bp.get("/field/manifest.webmanifest")
def manifest():
    """The web manifest that makes the field pages installable on the phone's home screen."""
    body = {
        "name": translate("field_app_name"),
        "short_name": translate("field_short_name"),
        "lang": "th",
        "start_url": url_for("field.index"),
        "scope": url_for("field.index"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b4f8a",
        "icons": [
            {"src": url_for("static", filename=f"field-icon-{n}.png"), "sizes": f"{n}x{n}", "type": "image/png"}
            for n in (192, 512)
        ],
    }
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")


@bp.get("/field/sw.js")
def service_worker():
    """The service worker: keeps the field pages and their files for when there is no signal."""
    js = render_template(
        "field_sw.js",
        version=CACHE_VERSION,
        shell=[
            url_for("field.index"),
            url_for("static", filename="style.css"),
            url_for("static", filename="field.js"),
            url_for("static", filename="favicon.svg"),
            url_for("field.manifest"),
        ],
    )
    resp = Response(js, mimetype="text/javascript")
    resp.headers["Cache-Control"] = "no-cache"
    resp.headers["Service-Worker-Allowed"] = url_for("field.index")
    return resp


@bp.post("/complaints/<int:complaint_id>/team")
@roles(*WORK_ROLES)
def assign(complaint_id: int):
    """The district gives the complaint to a sub-district's field team (or takes it back)."""
    try:
        team = field_work.assign(_archive().db, g.user, complaint_id, request.form.get("team", ""))
    except FieldError as e:
        if e.code == "not_found":
            abort(404)
        flash(error_text(e.code, e.params, str(e)), "error")
    else:
        flash(translate("field_assigned", team=team.name_th) if team else translate("field_unassigned"), "ok")
    return redirect(url_for("complaints.show", complaint_id=complaint_id) + "#field-team")
