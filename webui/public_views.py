"""The public follow-up page: a citizen enters the tracking number and the last four digits of
the phone number given at intake and sees the status timeline — no names, no ID numbers, no
documents. Rate limited per address."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, jsonify, render_template, request

from records.complaints import public_timeline
from records.throttle import RateLimit
from thai.dates import thai_time
from thai.digits import fold_digits
from webui.i18n import translate

bp = Blueprint("public", __name__, url_prefix="/follow-up")
LIMIT = (30, 600)  # lookups per address per 10 minutes (the form and status.json together)


def _limiter() -> RateLimit:
    ext = current_app.extensions
    if "follow_up_limiter" not in ext:
        ext["follow_up_limiter"] = RateLimit(ext["archive"].db, "follow_up", *LIMIT)
    return ext["follow_up_limiter"]


def _lookup(tracking_no: str, phone_last4: str) -> list[dict] | None:
    """The timeline for this pair, or None: whichever part is wrong, the answer is the same."""
    tracking_no = "".join(fold_digits(tracking_no or "").split())
    return public_timeline(current_app.extensions["archive"].db, tracking_no, phone_last4 or "")


def _no_store(resp):
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.route("", methods=["GET", "POST"])
def follow_up():
    # the receipt's QR code opens the page with its tracking number filled in
    tracking_no = (request.form.get("tracking_no") or request.args.get("tracking_no") or "").strip()[:32]
    steps, problem, code = None, "", 200
    if request.method == "POST":
        if not _limiter().allow(request.remote_addr or "?"):
            problem, code = translate("follow_up_too_many"), 429
        else:
            steps = _lookup(tracking_no, request.form.get("phone_last4", ""))
            if steps is None:
                problem, code = translate("follow_up_not_found"), 404
            else:  # dates as Thailand sees them
                tracking_no = "".join(fold_digits(tracking_no).split()).upper()
                steps = [{**s, "at": thai_time(dt.datetime.fromisoformat(s["at"]))} for s in steps]
    last4 = request.form.get("phone_last4", "")[:8] if steps else ""
    resp = current_app.make_response(
        (render_template("follow_up.html", tracking_no=tracking_no, steps=steps, problem=problem, last4=last4), code)
    )
    if code == 429:
        resp.headers["Retry-After"] = str(int(LIMIT[1]))
    return _no_store(resp)


@bp.post("/feedback")
def feedback():
    """Stars and a comment for a closed complaint, or a request to reopen it (the same key)."""
    from records.feedback import FeedbackError, give
    from webui.i18n import error_text

    f = request.form
    if not _limiter().allow(request.remote_addr or "?"):
        return _no_store(current_app.make_response((translate("follow_up_too_many"), 429)))
    raw = fold_digits(f.get("stars", "")).strip()
    stars = int(raw) if raw.isdigit() and len(raw) == 1 else None
    thanks, problem, code = "", "", 200
    try:
        give(
            current_app.extensions["archive"].db,
            f.get("tracking_no", "")[:40],
            f.get("phone_last4", "")[:8],
            stars if raw else None,
            f.get("comment", ""),
            reopen=f.get("reopen") == "1",
            reason=f.get("reason", ""),
        )
        thanks = translate("feedback_reopen_thanks" if f.get("reopen") == "1" else "feedback_thanks")
    except FeedbackError as e:
        problem, code = error_text(e.code, e.params, str(e)), (404 if e.code == "follow_up_not_found" else 422)
    if raw and stars is None and not problem:
        problem, code = error_text("bad_value", {"field": "stars"}), 422
    html = render_template(
        "follow_up.html",
        tracking_no=f.get("tracking_no", "")[:40],
        steps=None,
        problem=problem,
        thanks=thanks,
        last4="",
    )
    return _no_store(current_app.make_response((html, code)))


@bp.get("/status.json")
def follow_up_json():
    if not _limiter().allow(request.remote_addr or "?"):
        resp = jsonify({"error": "too many requests", "message": translate("follow_up_too_many")})
        resp.headers["Retry-After"] = str(int(LIMIT[1]))
        return _no_store(resp), 429
    steps = _lookup(request.args.get("tracking_no", ""), request.args.get("phone_last4", ""))
    if steps is None:
        return _no_store(jsonify({"error": "not found", "message": translate("follow_up_not_found")})), 404
    return _no_store(jsonify({"steps": steps}))
