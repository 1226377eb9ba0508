"""The public follow-up page: a citizen enters the tracking number and the last four digits of
the phone number given at intake and sees the status timeline — no names, no ID numbers, no
documents. Rate limited per address."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request

from records.complaints import public_timeline
from webui.ratelimit import RateLimiter

bp = Blueprint("public", __name__, url_prefix="/follow-up")
LIMIT = (30, 600)  # lookups per address per 10 minutes


def _limiter() -> RateLimiter:
    return current_app.extensions.setdefault("follow_up_limiter", RateLimiter(*LIMIT))


@bp.route("", methods=["GET", "POST"])
def follow_up():
    return render_template("error.html", message="…")


@bp.get("/status.json")
def follow_up_json():
    if not _limiter().allow(request.remote_addr or "?"):
        return jsonify({"error": "too many requests"}), 429
    steps = public_timeline(current_app.extensions["archive"].db, request.args.get("tracking_no", ""),
                            request.args.get("phone_last4", ""))
    if steps is None:
        return jsonify({"error": "not found"}), 404
    return jsonify({"steps": steps})
