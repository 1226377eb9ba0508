"""The counter: read the ID card (button, or automatically when a card goes in) into the
complainant form, or type it for citizens without a card; the complainant list (ID numbers
masked). The reader is on this machine, or — when the server runs elsewhere — on a counter
station (`damrong station`) that posts each read here."""

from __future__ import annotations

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
from sqlalchemy import select

from records import audit, station_reads
from records.complainants import InvalidComplainant, save
from records.models import Complainant
from thai.citizen_id import masked
from webui.auth import roles
from webui.i18n import current_language, translate
from webui.permissions import INTAKE_ROLES

bp = Blueprint("counter", __name__)


def _archive():
    return current_app.extensions["archive"]


def _station_key(station: str) -> str:
    """Reads are kept per centre: a counter elsewhere using the same station name sees nothing."""
    return f"{g.user.area_id}/{station}"


def _card_error(e):
    return jsonify({"error": e.code, "message": e.message(current_language())}), 409


COUNTER_ROLES = INTAKE_ROLES


@bp.get("/counter")
@roles(*COUNTER_ROLES)
def counter():
    return render_template("counter.html", station=request.args.get("station", ""), values={}, problems={})


@bp.post("/counter")
@roles(*COUNTER_ROLES)
def save_complainant():
    values = request.form.to_dict()
    try:
        person = save(
            _archive(),
            values,
            photo_jpeg_b64=values.get("photo_jpeg_b64") or None,
            source=values.get("source") or "typed",
            area_id=g.user.area_id,
            user=g.user,
        )
    except InvalidComplainant as e:
        return render_template(
            "counter.html",
            station=values.get("station", ""),
            values=values,
            problems={k: translate("problem_" + v) for k, v in e.problems.items()},
        ), 422
    flash(translate("complainant_saved", name=person.name_th, id=masked(person.citizen_id)))
    return redirect(url_for("counter.complainants"))


@bp.get("/complainants")
@roles(*COUNTER_ROLES)
def complainants():
    from records.complainants import visible

    with _archive().db.session() as s:
        people = list(
            s.scalars(select(Complainant).where(visible(s, g.user)).order_by(Complainant.updated_at.desc()).limit(200))
        )
    return render_template("complainants.html", people=people, masked=masked)


@bp.get("/complainants/<int:person_id>")
@roles(*COUNTER_ROLES)
def complainant(person_id: int):
    """One person and every complaint of theirs this user may see (at any centre within the
    user's area, found by the citizen ID): "I'm calling about my complaint" without its number;
    and how many they made at each centre of the country (counts only: the repeat-complainant
    view)."""
    from records import complaints
    from records.complainants import get_visible
    from records.complaint_links import across_country

    with _archive().db.session() as s:
        person = get_visible(s, g.user, person_id)
        if person is None:
            abort(404)
        total, rows = complaints.query(s, g.user, citizen_id=person.citizen_id, limit=200)
        for c in rows:
            _ = c.area, c.category  # loaded for the template
        counts = across_country(s, person.citizen_id)
        html = render_template("complainant.html", person=person, masked=masked, total=total, rows=rows, counts=counts)
    audit.record(_archive().db, "view", "complainant", masked(person.citizen_id), user=g.user)
    return html


@bp.get("/complainants/<int:person_id>/photo.jpg")
def photo(person_id: int):
    from records.complainants import get_visible

    with _archive().db.session() as s:
        person = get_visible(s, g.user, person_id)
        if person is None or not person.photo_sha256:
            abort(404)
        return send_file(_archive().store.path_for(person.photo_sha256), mimetype="image/jpeg")


@bp.get("/api/v1/card/status")
@roles(*COUNTER_ROLES)
def card_status():
    from scanner.card_reader import card_present, list_readers

    readers = list_readers()
    return jsonify({"readers": readers, "present": bool(readers) and card_present(request.args.get("reader"))})


@bp.post("/api/v1/card/read")
@roles(*COUNTER_ROLES)
def card_read():
    from scanner.card_reader import read
    from scanner.thai_id import CardError

    try:
        data = read(request.args.get("reader"), with_photo=True)
    except CardError as e:
        return _card_error(e)
    audit.record(
        _archive().db,
        "card_read",
        "citizen",
        masked(data.citizen_id),
        user=g.user,
        after={"reader": request.args.get("reader") or "", "checksum_ok": data.checksum_ok},
    )
    return jsonify(data.as_json())


@bp.post("/api/v1/stations/<station>/card")
@roles(*COUNTER_ROLES)
def station_post(station: str):
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or "citizen_id" not in data:
        return jsonify({"error": "bad_request"}), 400
    audit.record(
        _archive().db, "card_read", "citizen", masked(str(data["citizen_id"])), user=g.user, after={"station": station}
    )
    station_reads.put(_archive().db, _station_key(station), data)
    return jsonify({"ok": True})


@bp.get("/api/v1/stations/<station>/card")
@roles(*COUNTER_ROLES)
def station_take(station: str):
    data = station_reads.take(_archive().db, _station_key(station))
    return (jsonify(data), 200) if data else ("", 204)
