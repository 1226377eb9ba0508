"""The audit log for auditors and administrators (`/audit`): a table a page at a time, newest
first, filtered by text, object, user, action and dates (Buddhist Era or Christian, Thai or
Arabic digits); the same rows as a CSV file Excel opens in Thai (UTF-8 with a BOM). What a user
may see is decided by records.audit_query (areas); reading the log and exporting it are entries
of the log too."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from flask import Blueprint, Response, current_app, g, render_template, request, stream_with_context

from records import audit, audit_query
from records.audit_query import AuditFilter
from records.models import AuditEntry
from thai import messages
from thai.dates import be_numeric, parse_date, thai_time, utcnow
from webui.auth import roles
from webui.i18n import translate
from webui.paging import page_number
from webui.permissions import AUDIT_ROLES

bp = Blueprint("audit", __name__, url_prefix="/audit")
PER_PAGE = 50
FIELDS = ("q", "object_type", "object_id", "user", "action", "from", "to")


def _archive():
    return current_app.extensions["archive"]


def _typed() -> dict[str, str]:
    return {k: request.args.get(k, "").strip()[:200] for k in FIELDS}


def _filter(typed: dict[str, str]) -> tuple[AuditFilter, str | None]:
    """The filter the query string asks for, and the message when a date is no date (then the
    dates filter nothing, as on the other list pages)."""
    error = None
    try:
        date_from, date_to = parse_date(typed["from"]), parse_date(typed["to"])
    except ValueError:
        date_from = date_to = None
        error = translate("bad_date")
    f = AuditFilter(
        text=typed["q"],
        object_type=typed["object_type"] if typed["object_type"] in audit_query.OBJECT_TYPES else "",
        object_id=typed["object_id"],
        user=typed["user"],
        action=typed["action"] if typed["action"] in audit_query.ACTIONS else "",
        date_from=date_from,
        date_to=date_to,
    )
    return f, error


def label(prefix: str, code: str) -> str:
    """An action or object type in words (the code itself when the catalogue has no words)."""
    return translate(prefix + code) if code and messages.has(prefix + code) else code


def _row(e: AuditEntry) -> dict:
    return {
        "id": e.id,
        "at": thai_time(audit_query.at_utc(e)),
        "user": e.user_name or "",
        "action": e.action,
        "action_text": label("audit_action_", e.action),
        "object_type": e.object_type,
        "object_type_text": label("audit_object_", e.object_type),
        "object_id": e.object_id,
        "details": audit_query.details(e),
    }


@bp.get("")
@roles(*AUDIT_ROLES)
def index():
    typed = _typed()
    f, error = _filter(typed)
    page = page_number()
    db = _archive().db
    with db.session() as s:
        total = audit_query.count(s, g.user, f)
        rows = [_row(e) for e in audit_query.page(s, g.user, f, PER_PAGE, (page - 1) * PER_PAGE)]
    # what was read, and how it was asked for: the log as it stood, the reading next in it
    audit.record(db, "view", "audit_log", "", user=g.user, after={**f.as_record(), "page": page, "rows": len(rows)})
    query_args = {k: v for k, v in typed.items() if v}
    return render_template(
        "audit.html",
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // PER_PAGE)),
        f=typed,
        error=error,
        query_args=query_args,
        actions=[(a, label("audit_action_", a)) for a in audit_query.ACTIONS],
        object_types=[(o, label("audit_object_", o)) for o in audit_query.OBJECT_TYPES],
    )


def _cell(value: str) -> str:
    """A cell Excel shows as text: never read as a formula (=, +, -, @ first)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _csv_lines(user, f: AuditFilter, lang: str) -> Iterator[str]:
    buf = io.StringIO()
    out = csv.writer(buf)

    def line(values) -> str:
        out.writerow([_cell(str(v)) for v in values])
        text = buf.getvalue()
        buf.seek(0)
        buf.truncate()
        return text

    def words(key: str) -> str:
        return messages.text(key, lang)

    def said(prefix: str, code: str) -> str:
        return messages.text(prefix + code, lang) if code and messages.has(prefix + code) else code

    yield "\ufeff" + line(
        words(k)
        for k in ("audit_at", "audit_user", "audit_action", "audit_object_type", "audit_object_id", "audit_details")
    )
    with _archive().db.session() as s:
        for e in audit_query.every(s, user, f):
            local = thai_time(audit_query.at_utc(e))
            yield line(
                [
                    f"{be_numeric(local.date())} {local:%H:%M:%S}",
                    e.user_name or "",
                    said("audit_action_", e.action),
                    said("audit_object_", e.object_type),
                    e.object_id,
                    audit_query.details(e),
                ]
            )


@bp.get("/export.csv")
@roles(*AUDIT_ROLES)
def export():
    """The filtered rows, all of them (not only one page), streamed as they are read."""
    typed = _typed()
    f, _error = _filter(typed)
    audit.record(_archive().db, "export", "audit_log", "", user=g.user, after={**f.as_record(), "format": "csv"})
    name = f"audit-log-{thai_time(utcnow()):%Y%m%d-%H%M}.csv"
    body = stream_with_context(_csv_lines(g.user, f, g.get("lang", "th")))
    return Response(
        body,
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
        content_type="text/csv; charset=utf-8",
    )
