"""The incident map (/map): the page — filters, the map (webui/static/incident_map.js: markers
clustered and coloured by status, a heat layer, circles per area), the statistics per district
or province — and the two JSON answers it draws from, /map/points.json (GeoJSON) and
/map/areas.json. Also the tile layer every map of the app uses (the `map_tile_url` setting),
given to the templates as `map_tiles()` (the intake form's position picker takes it too). The
numbers and the area rules live in records.complaint_map."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, jsonify, render_template, request, url_for
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from records import areas
from records.complaint_map import MAX_POINTS, AreaStats, MapFilter, area_stats, levels_for, points
from records.complaints import ComplaintError
from records.models import MAX_ID, AreaKind, Category, ComplaintStatus
from thai.dates import parse_date
from thai.messages import text as message_text
from webui.auth import roles
from webui.i18n import current_language, error_text, format_date, translate
from webui.permissions import MAP_ROLES

bp = Blueprint("map", __name__, url_prefix="/map")
NO_TILES = ("", "none", "off")
FILTER_KEYS = ("status", "category", "area", "from", "to")
# what incident_map.js says, its {placeholders} filled in by the script
SCRIPT_TEXTS = ("map_count", "map_not_shown", "map_no_points", "map_area_tip", "map_tiles_failed", "map_open_complaint")


def _archive():
    return current_app.extensions["archive"]


def tiles() -> dict[str, str]:
    """The background tiles as Leaflet takes them; url "" when there are none (the setting empty
    or "none": the map shows the markers on a plain background)."""
    s = _archive().settings
    url = s.map_tile_url.strip()
    return {"url": "" if url.lower() in NO_TILES else url, "attribution": s.map_tile_attribution}


@bp.app_context_processor
def _map_helpers() -> dict[str, Any]:
    return {"map_tiles": tiles}


def _read_filter(s, args: MultiDict) -> tuple[MapFilter, dict[str, Any], list[ComplaintError]]:
    """The filters typed (the complaint list's: status, category, area code, dates received in
    BE or CE, Thai digits too), the ones accepted as query arguments, and what was refused."""
    problems: list[ComplaintError] = []
    kept: dict[str, Any] = {}
    status = args.get("status", "").strip()
    if status and status not in ComplaintStatus.__members__:
        problems.append(ComplaintError("bad_value", field="status"))
        status = ""
    raw_cat = args.get("category", "").strip()
    category_id = None
    if raw_cat:
        category_id = int(raw_cat) if raw_cat.isdigit() and 0 < int(raw_cat) <= MAX_ID else None
        if category_id is None or s.get(Category, category_id) is None:
            problems.append(ComplaintError("bad_value", field="category"))
            category_id = None
    area_code = args.get("area", "").strip()
    if area_code and areas.by_code(s, area_code) is None:
        problems.append(ComplaintError("bad_value", field="area"))
        area_code = ""
    days = {}
    for key in ("from", "to"):
        try:
            days[key] = parse_date(args.get(key))
        except ValueError:
            problems.append(ComplaintError("bad_date"))
            days[key] = None
    if days["from"] and days["to"] and days["from"] > days["to"]:
        problems.append(ComplaintError("bad_value", field="to"))
        days["to"] = None
    f = MapFilter(status or None, category_id, area_code or None, days["from"], days["to"])
    for key, ok in (("status", status), ("category", category_id), ("area", area_code)):
        if ok:
            kept[key] = args.get(key, "").strip()
    for key in ("from", "to"):
        if days[key]:
            kept[key] = args.get(key, "").strip()
    return f, kept, problems


def _level(args: MultiDict) -> AreaKind | None:
    """The level the statistics are counted by: as asked, else the first that says something
    (central: provinces; a province or a district: districts). None: not one this user may ask."""
    allowed = levels_for(g.user)
    asked = args.get("level", "").strip()
    if not asked:
        return allowed[0] if len(allowed) == 1 or g.user.area.kind == AreaKind.central else allowed[-1]
    return next((k for k in allowed if k.value == asked), None)


def _refused(e: ComplaintError):
    body = {
        "error": e.code,
        "message": message_text(e.code, "en", e.params),
        "message_th": message_text(e.code, "th", e.params, in_words=True),
        "error_display": error_text(e.code, e.params),
    }
    return jsonify(body), 400


def _area_row(r: AreaStats) -> dict[str, Any]:
    lang = current_language()
    a = r.area
    centre = r.centroid
    return {
        "code": a.code if a else None,
        "name": (a.name_en or a.name_th if lang != "th" else a.name_th) if a else translate("map_held_above"),
        "total": r.total,
        "with_place": r.with_place,
        "open": r.open,
        "closed": r.closed,
        "closed_pct": r.closed_pct,
        "lat": centre[0] if centre else None,
        "lon": centre[1] if centre else None,
    }


@bp.get("/points.json")
@roles(*MAP_ROLES)
def points_json():
    with _archive().db.session() as s:
        f, _kept, problems = _read_filter(s, request.args)
        if problems:
            return _refused(problems[0])
        found = points(s, g.user, f)
    lang = current_language()
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
            "properties": {
                "id": p.id,
                "tracking_no": p.tracking_no,
                "status": p.status,
                "category": p.category_th if lang == "th" else p.category_en,
            },
        }
        for p in found.points
    ]
    return jsonify(
        {
            "type": "FeatureCollection",
            "features": features,
            "total": found.total,
            "shown": len(found.points),
            "not_shown": found.not_shown,
            "limit": MAX_POINTS,
        }
    )


@bp.get("/areas.json")
@roles(*MAP_ROLES)
def areas_json():
    level = _level(request.args)
    if level is None:
        return _refused(ComplaintError("bad_value", field="level"))
    with _archive().db.session() as s:
        f, _kept, problems = _read_filter(s, request.args)
        if problems:
            return _refused(problems[0])
        rows = area_stats(s, g.user, level, f)
        return jsonify({"level": level.value, "areas": [_area_row(r) for r in rows]})


@bp.get("")
@roles(*MAP_ROLES)
def index():
    level = _level(request.args) or _level(MultiDict())
    assert level is not None  # every role that may open the map has a level of its own
    with _archive().db.session() as s:
        f, kept, problems = _read_filter(s, request.args)
        rows = [_area_row(r) for r in area_stats(s, g.user, level, f)]
        tops = s.scalars(
            select(Category)
            .where(Category.parent_id.is_(None), Category.active.is_(True))
            .order_by(Category.position, Category.id)
        )
        th = current_language() == "th"
        categories = [{"id": c.id, "name": c.name_th if th else c.name_en or c.name_th} for c in tops]
    config = {
        "points_url": url_for("map.points_json", **kept),
        "areas_url": url_for("map.areas_json", level=level.value, **kept),
        "complaint_url": url_for("complaints.show", complaint_id=1)[:-1],
        "tiles": tiles(),
        "status": {st.value: translate("status_" + st.value) for st in ComplaintStatus},
        "text": {k: translate(k) for k in SCRIPT_TEXTS},
    }
    return render_template(
        "map.html",
        statuses=list(ComplaintStatus),
        categories=categories,
        f={k: request.args.get(k, "") for k in FILTER_KEYS},
        kept=kept,
        errors=[error_text(e.code, e.params) for e in problems],
        dates=(format_date(f.date_from), format_date(f.date_to)) if f.date_from or f.date_to else None,
        level=level.value,
        levels=[k.value for k in levels_for(g.user)],
        rows=rows,
        config=config,
    )
