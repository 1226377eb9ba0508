"""The case file of a complaint for auditors: a BagIt bag as a zip (see records.case_file),
made on request; the export is recorded in the audit log."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Blueprint, abort, after_this_request, current_app, g, send_file
from sqlalchemy import select

from records.case_file import export
from records.complaints import ComplaintError, get
from records.models import Complaint
from webui.auth import roles

bp = Blueprint("case_file", __name__)


@bp.get("/complaints/<int:complaint_id>/case-file.zip")
@roles("auditor", "admin", "officer")
def download(complaint_id: int):
    archive = current_app.extensions["archive"]
    with archive.db.session() as s:
        c = get(s, g.user, complaint_id)
        if c is None:
            abort(404)
        tracking_no = s.scalar(select(Complaint.tracking_no).where(Complaint.id == complaint_id))
    work = Path(tempfile.mkdtemp(prefix="damrong-casefile-"))
    out = work / f"{tracking_no}.zip"
    try:
        export(archive, g.user, tracking_no, out)
    except ComplaintError:
        abort(404)

    @after_this_request
    def _cleanup(resp):
        import shutil

        resp.call_on_close(lambda: shutil.rmtree(work, ignore_errors=True))
        return resp

    return send_file(out, mimetype="application/zip", as_attachment=True, download_name=out.name)
