"""The case file of a complaint for auditors: a BagIt bag as a zip (see records.case_file)."""
from __future__ import annotations

from flask import Blueprint, abort

from webui.auth import roles

bp = Blueprint("case_file", __name__)


@bp.get("/complaints/<int:complaint_id>/case-file.zip")
@roles("auditor", "admin", "officer")
def download(complaint_id: int):
    abort(404)
