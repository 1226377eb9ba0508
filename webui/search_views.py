"""The search page: a query box, date range (Buddhist Era or Christian), order; each hit titled by
what the document is (search.titles), its file name beside, a Thai snippet."""

from __future__ import annotations

from flask import Blueprint, current_app, g, render_template, request

from search.index import open_index
from search.query import search as run_search
from search.query import visible_to
from search.titles import name_hits
from thai.citizen_id import mask_in_text
from thai.dates import parse_date
from webui.i18n import translate
from webui.paging import page_number

bp = Blueprint("search", __name__)
PER_PAGE = 20


@bp.get("/search")
def search():
    q = request.args.get("q", "").strip()
    order = request.args.get("order", "relevance")
    if order not in ("relevance", "newest"):
        order = "relevance"
    page = page_number()
    error = None
    results = None
    try:
        date_from = parse_date(request.args.get("from"))
        date_to = parse_date(request.args.get("to"))
    except ValueError:
        date_from = date_to = None
        error = translate("bad_date")
    if q and error is None:
        results = run_search(
            open_index(current_app.extensions["archive"]),
            q,
            limit=PER_PAGE,
            offset=(page - 1) * PER_PAGE,
            date_from=date_from,
            date_to=date_to,
            order=order,
            allowed=visible_to(g.user),
        )
        with current_app.extensions["archive"].db.session() as s:
            name_hits(s, results.hits)
        for h in results.hits:  # a list of hits shows IDs masked, as every listing does
            h.snippet, h.filename, h.title = mask_in_text(h.snippet), mask_in_text(h.filename), mask_in_text(h.title)
    return render_template(
        "search.html",
        q=q,
        results=results,
        error=error,
        order=order,
        page=page,
        per_page=PER_PAGE,
        date_from=request.args.get("from", ""),
        date_to=request.args.get("to", ""),
    )
