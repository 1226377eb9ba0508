"""Month-end reports on the web (`/reports`): the issued reports of the user's area and those
under it, each as PDF, XLSX or CSV; issuing one for a month that is over (a new version each time,
audited by records.monthly_report). Files are made from the frozen figures of the issue."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request, url_for

from records import audit, monthly_report, report_files
from records.monthly_report import ReportError
from thai.dates import be_long, parse_month
from webui.auth import roles
from webui.i18n import current_language, error_text, translate
from webui.permissions import REPORT_ISSUE_ROLES, STATS_ROLES

bp = Blueprint("reports", __name__, url_prefix="/reports")
MAX_ID = 2**31 - 1


def _archive():
    return current_app.extensions["archive"]


@bp.get("")
@roles(*STATS_ROLES)
def index():
    with _archive().db.session() as s:
        rows = monthly_report.listed(s, g.user)
        for r in rows:
            _ = r.area, r.issued_by
        return render_template(
            "reports.html",
            rows=rows,
            previous=monthly_report.previous_month(),
            be_long=be_long,
            month_name=lambda r: report_files.month_name(r, current_language()),
            formats=report_files.FORMATS,
        )


@bp.post("")
@roles(*REPORT_ISSUE_ROLES)
def issue():
    typed = request.form.get("month", "").strip()
    try:
        first = parse_month(typed) if typed else monthly_report.previous_month()
        r = monthly_report.issue(
            _archive().db,
            g.user,
            first,
            request.form.get("area", "").strip()[:16],
            target=_archive().settings.kpi_closed_target,
        )
    except ReportError as e:  # a month not over, an area not the user's
        flash(error_text(e.code, e.params), "error")
        return redirect(url_for("reports.index"))
    except ValueError:  # no month
        flash(translate("bad_month"), "error")
        return redirect(url_for("reports.index"))
    flash(translate("reports_issued_flash", month=report_files.month_name(r, current_language()), version=r.version))
    return redirect(url_for("reports.index"))


@bp.get("/<int:report_id>.<fmt>")
@roles(*STATS_ROLES)
def download(report_id: int, fmt: str):
    if fmt not in report_files.FORMATS or report_id > MAX_ID:
        abort(404)
    with _archive().db.session() as s:
        r = monthly_report.get(s, g.user, report_id)
        if r is None:
            abort(404)
        body = report_files.render(r, fmt, current_language())
        name = report_files.file_name(r, fmt)
        audit.record(
            _archive().db,
            "download",
            "report",
            f"{r.figures['area']['code']}/{r.period}/v{r.version}",
            user=g.user,
            after={"format": fmt},
        )
    return Response(
        body,
        mimetype=report_files.MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
