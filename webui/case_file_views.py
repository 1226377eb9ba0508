"""The case file of a complaint for auditors: a BagIt bag as a zip (see records.case_file),
made on request; the export is recorded in the audit log."""

from __future__ import annotations

import tempfile

from flask import Blueprint, abort, current_app, g, send_file
from sqlalchemy import select

from records.case_file import export
from records.complaints import ComplaintError, get
from records.models import Complaint
from webui.auth import roles
from webui.i18n import current_language
from webui.permissions import CASE_FILE_ROLES

bp = Blueprint("case_file", __name__)


@bp.get("/complaints/<int:complaint_id>/case-file.zip")
@roles(*CASE_FILE_ROLES)
def download(complaint_id: int):
    """The zip is written into an unnamed temporary file (no name on disk, gone when closed, even
    if the process dies) and streamed from there."""
    archive = current_app.extensions["archive"]
    with archive.db.session() as s:
        c = get(s, g.user, complaint_id)
        if c is None:
            abort(404)
        tracking_no = s.scalar(select(Complaint.tracking_no).where(Complaint.id == complaint_id))
    out = tempfile.TemporaryFile(dir=archive.work_dir)  # noqa: SIM115  (send_file closes it when sent)
    try:
        export(archive, g.user, tracking_no, out, lang=current_language())
    except ComplaintError:
        out.close()
        abort(404)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return send_file(out, mimetype="application/zip", as_attachment=True, download_name=f"{tracking_no}.zip")
