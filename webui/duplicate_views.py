"""Duplicates in the web UI: the intake form's live check (what the clerk has typed so far → the
possible duplicates anywhere in the country, another area's by metadata only, the lookup
audited), linking a complaint with a related one, and the cross-district picture of an area
(people and respondents with complaints at several of its centres)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, jsonify, redirect, render_template, request, url_for

from records import audit, complaint_links, duplicates
from records.complaints import ComplaintError
from records.models import MAX_ID
from thai.digits import fold_digits
from webui.auth import roles
from webui.i18n import current_language, error_text, translate
from webui.permissions import INTAKE_ROLES, WORK_ROLES

bp = Blueprint("duplicates", __name__)


def _archive():
    return current_app.extensions["archive"]


def _number(raw, lo: float, hi: float) -> float | None:
    try:
        v = float(fold_digits(str(raw)))
    except (TypeError, ValueError):
        return None
    return v if lo <= v <= hi else None


@bp.post("/complaints/check.json")
@roles(*INTAKE_ROLES)
def check():
    """The form as typed so far (JSON or form fields) → {"candidates": [...]}, best first."""
    f = request.get_json(silent=True) or request.form.to_dict()
    if not isinstance(f, dict):
        return jsonify({"error": "bad_request"}), 400
    text: dict[str, str] = {k: str(f.get(k) or "")[:4000] for k in ("citizen_id", "respondent_name", "summary")}
    picked = fold_digits(str(f.get("complainant_id") or ""))
    if not text["citizen_id"] and picked.isdigit() and 0 < int(picked) <= MAX_ID:
        from records.complainants import get_visible

        with _archive().db.session() as s:
            person = get_visible(s, g.user, int(picked))
            text["citizen_id"] = person.citizen_id if person else ""
    place = {k: str(f.get("incident_" + k) or "")[:128] for k in ("province", "district", "subdistrict")}
    raw_cat = fold_digits(str(f.get("category_id") or ""))
    probe = duplicates.Probe(
        citizen_id=text["citizen_id"],
        respondent_name=text["respondent_name"],
        summary=text["summary"],
        province=place["province"],
        district=place["district"],
        subdistrict=place["subdistrict"],
        category_id=int(raw_cat) if raw_cat.isdigit() and 0 < int(raw_cat) <= MAX_ID else None,
        latitude=_number(f.get("latitude"), -90, 90),
        longitude=_number(f.get("longitude"), -180, 180),
    )
    found = duplicates.lookup(_archive().db, g.user, probe, lang=current_language())
    for c in found:
        if c.get("complaint_id"):
            c["url"] = url_for("complaints.show", complaint_id=c["complaint_id"])
        c["status_text"] = translate("status_" + c["status"])
        c["reasons_text"] = [translate("dup_reason_" + r) for r in c["reasons"]]
    return jsonify({"candidates": found})


@bp.post("/complaints/<int:complaint_id>/links")
@roles(*WORK_ROLES)
def link(complaint_id: int):
    if complaint_id > MAX_ID:
        abort(404)
    tracking_no = request.form.get("tracking_no", "")
    try:
        other = complaint_links.link(_archive().db, g.user, complaint_id, tracking_no)
    except ComplaintError as e:
        if e.params.get("field") == "complaint":
            abort(404)
        flash(error_text(e.code, e.params, str(e)), "error")
        return redirect(url_for("complaints.show", complaint_id=complaint_id) + "#related")
    flash(translate("related_linked", no=other.tracking_no), "ok")
    return redirect(url_for("complaints.show", complaint_id=complaint_id) + "#related")


@bp.get("/complaints/repeats")
@roles("officer", "admin", "auditor")
def repeats():
    with _archive().db.session() as s:
        people, respondents = complaint_links.repeats(s, g.user)
    audit.record(_archive().db, "view", "repeats", g.user.area.code, user=g.user)
    return render_template("repeats.html", people=people, respondents=respondents)
