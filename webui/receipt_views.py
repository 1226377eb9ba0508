"""The receipt slip a counter prints for the citizen at intake (records.receipt), as a PDF."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, request, send_file

from records import audit, complaints
from records.models import MAX_ID
from records.receipt import receipt_pdf
from webui.auth import roles
from webui.i18n import current_language
from webui.permissions import INTAKE_ROLES

bp = Blueprint("receipt", __name__)


@bp.get("/complaints/<int:complaint_id>/receipt.pdf")
@roles(*INTAKE_ROLES)
def receipt(complaint_id: int):
    import io

    archive = current_app.extensions["archive"]
    if complaint_id > MAX_ID:
        abort(404)
    base = archive.settings.public_url or request.url_root
    with archive.db.session() as s:
        c = complaints.get(s, g.user, complaint_id)
        if c is None:
            abort(404)
        data, tracking_no = receipt_pdf(c, base, current_language()), c.tracking_no
    audit.record(archive.db, "print_receipt", "complaint", tracking_no, user=g.user)
    return send_file(
        io.BytesIO(data), mimetype="application/pdf", download_name=f"receipt-{tracking_no}.pdf", as_attachment=False
    )
