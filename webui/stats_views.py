"""The KPI dashboard (`/stats`): the figures of records.statistics for the signed-in user's area
or one within it, narrowed by dates (BE or CE, Thai or Arabic digits), category and channel; every
number links to the complaint list with the same narrowing. The same figures as JSON at
`/stats.json` for scripts and the charts."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask import Blueprint, current_app, g, jsonify, render_template, request
from sqlalchemy import select

from records import areas, statistics, stats_cache
from records.models import Area, AreaKind, Category, ComplaintStatus
from records.statistics import Dashboard, Filters, StatsError
from thai.dates import be_long, be_month, be_numeric, parse_date
from webui.auth import roles
from webui.i18n import current_language, error_text, translate
from webui.permissions import STATS_ROLES

bp = Blueprint("stats", __name__)
MAX_ID = 2**31 - 1


def _archive():
    return current_app.extensions["archive"]


def _filters(args) -> tuple[Filters, str | None]:
    """The narrowing the query string asks for, and what is wrong with it (then it is dropped)."""
    error = None
    try:
        date_from, date_to = parse_date(args.get("from")), parse_date(args.get("to"))
    except ValueError:
        date_from = date_to = None
        error = translate("bad_date")
    category = args.get("category", 0, type=int)
    channel = args.get("channel", "")
    return (
        Filters(
            area_code=args.get("area", "").strip()[:16],
            date_from=date_from,
            date_to=date_to,
            category_id=category if 0 < category <= MAX_ID else None,
            channel=channel if channel in statistics.CHANNELS else "",
        ),
        error,
    )


def _line_json(line: statistics.Line) -> dict[str, Any]:
    return {
        "key": line.key,
        "name": line.label_th if current_language() == "th" else line.label_en,
        "total": line.total,
        "closed": line.closed,
        "open": line.open,
        "overdue": line.overdue,
        "closed_share": line.closed_share,
    }


def as_json(d: Dashboard) -> dict[str, Any]:
    return {
        "area": {"code": d.area.code, "name": d.area.name_th, "kind": d.area.kind.value},
        "total": d.total,
        "by_status": d.by_status,
        "closed_share": d.closed_share,
        "target": d.target,
        "meets_target": d.meets_target,
        "overdue": d.overdue,
        "median_days_to_close": d.median_days,
        "p90_days_to_close": d.p90_days,
        "by_category": [_line_json(x) for x in d.by_category],
        "by_subcategory": [_line_json(x) for x in d.by_subcategory],
        "by_channel": [_line_json(x) for x in d.by_channel],
        "by_area": [_line_json(x) for x in d.by_area],
        "by_officer": [_line_json(x) for x in d.by_officer],
        "months": [{"month": m.key, "received": m.received, "closed": m.closed} for m in d.months],
        "completeness": d.completeness,
        "computed_at": d.computed_at.isoformat() + "Z" if d.computed_at else None,
    }


def _compute(s) -> tuple[Dashboard | None, Filters, str | None]:
    f, error = _filters(request.args)
    try:
        settings = _archive().settings
        d = stats_cache.dashboard(s, g.user, f, settings.kpi_closed_target, settings.stats_cache_s)
    except StatsError as e:
        return None, f, error_text(e.code, e.params)
    return d, f, error


@bp.get("/stats")
@roles(*STATS_ROLES)
def dashboard():
    with _archive().db.session() as s:
        d, f, error = _compute(s)
        lang = current_language()
        below: list[Area] = []
        if d is not None and d.area.kind != AreaKind.subdistrict:
            below = list(s.scalars(select(Area).where(Area.parent_id == d.area.id).order_by(Area.code)))
        ups: list[Area] = []
        if d is not None and d.area.id != g.user.area_id:  # the way back up to the user's own area
            up = d.area.parent
            while up is not None and areas.within(s, g.user.area, up.id):
                ups.insert(0, up)
                if up.id == g.user.area_id:
                    break
                up = up.parent
        categories = list(s.scalars(select(Category).where(Category.parent_id.is_(None)).order_by(Category.position)))
        chart = None
        if d is not None:
            chart = {
                "labels": [be_month(m.first, lang) for m in d.months],
                "received": [m.received for m in d.months],
                "closed": [m.closed for m in d.months],
                "received_label": translate("stats_received"),
                "closed_label": translate("stats_closed"),
            }
        base = dataclasses.replace(f, area_code=d.filters.area_code) if d is not None else f
        return render_template(
            "stats.html",
            d=d,
            f=f,
            typed={k: request.args.get(k, "") for k in ("area", "from", "to", "category", "channel")},
            base_args=base.args(),
            error=error,
            below=below,
            ups=ups,
            categories=categories,
            channels=statistics.CHANNELS,
            completeness=statistics.COMPLETENESS,
            chart=chart,
            statuses=[s.value for s in ComplaintStatus],
            keep={k: v for k, v in request.args.items() if k in ("from", "to", "category", "channel") and v},
            be_month=be_month,
            be_numeric=be_numeric,
            be_long=be_long,
        )


@bp.get("/stats.json")
@roles(*STATS_ROLES)
def dashboard_json():
    with _archive().db.session() as s:
        d, _f, error = _compute(s)
        if d is None:
            return jsonify({"error": "not_found", "message": error}), 404
        out = as_json(d)
        if error:
            out["warning"] = error
        return jsonify(out)
