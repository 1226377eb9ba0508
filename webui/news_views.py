"""Activity news: the public page of every centre's news with the follow-up form beside it
(/news, no sign-in), its photos, and the staff form that publishes an item (records.news)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, send_file, url_for

from records import news
from records.models import MAX_ID
from webui.auth import roles
from webui.i18n import error_text, translate
from webui.permissions import INTAKE_ROLES

bp = Blueprint("news", __name__, url_prefix="/news")
FIELDS = ("title", "held_on", "held_at", "place", "leader", "participants", "body")


def _archive():
    return current_app.extensions["archive"]


@bp.get("")
def index():
    page = max(1, request.args.get("page", 1, type=int) or 1)
    with _archive().db.session() as s:
        items = news.latest(s, limit=20, offset=(page - 1) * 20)
    return render_template("news.html", items=items, page=page, tracking_no="", steps=None, problem="")


@bp.get("/photos/<int:photo_id>.jpg")
def photo(photo_id: int):
    if photo_id > MAX_ID:
        abort(404)
    with _archive().db.session() as s:
        p = news.photo(s, photo_id)
        if p is None:
            abort(404)
        sha = p.sha256
    resp = send_file(_archive().store.path_for(sha), mimetype="image/jpeg", max_age=86400)
    return resp


@bp.route("/new", methods=["GET", "POST"])
@roles(*INTAKE_ROLES)
def new():
    values = {k: request.form.get(k, "") for k in FIELDS}
    problem = ""
    if request.method == "POST":
        photos = [f.read() for f in request.files.getlist("photos") if f and f.filename]
        try:
            item = news.add(
                _archive(), g.user, photos=photos, keep_location=request.form.get("keep_location") == "1", **values
            )
        except news.NewsError as e:
            problem = error_text(e.code, e.params, str(e))
        else:
            flash(translate("news_saved", title=item.title), "ok")
            return redirect(url_for("news.index") + f"#news-{item.id}")
    return render_template("news_form.html", values=values, problem=problem), 422 if problem else 200
