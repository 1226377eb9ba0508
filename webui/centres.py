"""The centres a complaint may be forwarded to, found by what is typed — a code or DOPA code
(Thai or Arabic digits), a Thai or English name or part of one — as a small JSON list
("KKN-02 บ้านฝาง (ขอนแก่น)") that the status form's <datalist> is filled from as the officer
types. There are some 8,400 areas (every sub-district), so the page never carries them all."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from records import areas
from webui.auth import roles
from webui.i18n import current_language

bp = Blueprint("centres", __name__)
LIMIT = 20


@bp.get("/centres")
@roles("officer", "admin")  # who may forward a complaint
def find():
    lang = current_language()
    with current_app.extensions["archive"].db.session() as s:
        found = areas.find(s, request.args.get("q", ""), limit=LIMIT)
        return jsonify({"centres": [{"code": a.code, "label": areas.label(a, lang)} for a in found]})
