"""The JSON API's blueprint (/api/v1), its limits, and its own description (openapi.yaml)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, send_file

bp = Blueprint("api", __name__, url_prefix="/api/v1")
SPEC = Path(__file__).resolve().parent.parent / "openapi.yaml"
MAX_LIST = 200
MAX_SEARCH = 100
MAX_SEARCH_OFFSET = 10_000


@bp.get("/openapi.yaml")
def openapi():
    return send_file(SPEC, mimetype="application/yaml", max_age=0)
