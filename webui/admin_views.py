"""Administration: users (add, disable, reset a first password) and complaint categories."""
from __future__ import annotations

from flask import Blueprint, render_template

from webui.auth import roles

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@roles("admin")
def users():
    return render_template("error.html", message="…")
