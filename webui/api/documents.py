"""The API's documents and search: download an original (audited), and full-text search over
what the caller's area may find (citizen IDs in snippets masked)."""

from __future__ import annotations

from flask import g, jsonify, request, send_file

from records import audit, complaints
from records.file_names import safe_name
from records.models import MAX_ID, Document
from search.index import open_index
from search.query import search as run_search
from search.query import visible_to
from thai.citizen_id import mask_in_text as mask_ids
from webui.api.blueprint import MAX_SEARCH, MAX_SEARCH_OFFSET, bp
from webui.api.errors import ApiError
from webui.api.requests import archive_of_app, arg_date, arg_int, text_value

# --- documents -------------------------------------------------------------------------------
# GET /api/v1/documents/<id> (its processing status) is webui.documents.status, area-checked there.


@bp.get("/documents/<int:document_id>/download")
def download(document_id: int):
    archive = archive_of_app()
    with archive.db.session() as s:
        doc = s.get(Document, document_id) if document_id <= MAX_ID else None
        if doc is None or not complaints.document_visible(s, g.user, doc):
            raise ApiError(404, "not_found", field="document")
        sha, media_type, filename = doc.sha256, doc.media_type, doc.filename
    path = archive.store.path_for(sha)
    if not path.is_file():
        raise ApiError(410, "gone")
    audit.record(archive.db, "download", "document", document_id, user=g.user, after={"object": "original"})
    return send_file(path, mimetype=media_type, as_attachment=True, download_name=safe_name(filename, media_type))


# --- search ----------------------------------------------------------------------------------


@bp.get("/search")
def search():
    q = text_value("q", request.args.get("q") or "", 500).strip()
    if not q:
        raise ApiError(400, "required", field="q")
    order = request.args.get("order") or "relevance"
    if order not in ("relevance", "newest"):
        raise ApiError(400, "bad_value", field="order")
    limit = arg_int("limit", 20, 1, MAX_SEARCH)
    offset = arg_int("offset", 0, 0, MAX_SEARCH_OFFSET)
    date_from, date_to = arg_date("from"), arg_date("to")
    res = run_search(
        open_index(archive_of_app()),
        q,
        limit=limit,
        offset=offset,
        date_from=date_from,
        date_to=date_to,
        order=order,
        allowed=visible_to(g.user),
    )
    return jsonify(
        {
            "total": res.total,
            "more": res.more,
            "limit": limit,
            "offset": offset,
            "hits": [
                {
                    "document_id": h.document_id,
                    "filename": h.filename,
                    "score": h.score,
                    "tier": h.tier,
                    "date": h.date.isoformat() if h.date else None,
                    "snippet": mask_ids(h.snippet),
                }
                for h in res.hits
            ],
        }
    )
