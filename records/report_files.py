"""A month-end report as the files it is sent in: CSV (UTF-8 with a BOM, so Excel opens the Thai;
one row per area of every level), XLSX (a summary sheet, one sheet per level, the categories) and
a Thai PDF (Buddhist Era dates, Thai fonts, bar charts of the month by area and by category, the
two top levels' tables). Everything is drawn from the frozen figures of one issue, never from the
live complaints, so a file made again from the same issue is the same report."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from records.models import MonthlyReport
from records.thai_pdf import new_pdf
from thai import messages
from thai.dates import be_long, be_month, thai_time

FORMATS = ("pdf", "xlsx", "csv")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
COLUMNS = (
    "received_month",
    "closed_month",
    "received_total",
    "open_end",
    "closed_end",
    "closed_share",
    "overdue_end",
    "median_days",
)


def _t(code: str, lang: str, **params: object) -> str:
    return messages.text(code, lang, params)


def month_name(r: MonthlyReport, lang: str) -> str:
    y, m = map(int, r.period.split("-"))
    return be_month(dt.date(y, m, 1), lang, long=True)


def file_name(r: MonthlyReport, fmt: str) -> str:
    return f"damrong-report-{r.figures['area']['code']}-{r.period}-v{r.version}.{fmt}"


def _name(row: dict[str, Any], lang: str) -> str:
    return str(row["name_th"] if lang == "th" else row["name_en"])


def _cell(row: dict[str, Any], col: str) -> Any:
    v = row[col]
    if col == "closed_share":
        return None if v is None else round(100 * v, 1)
    return v


def _header(lang: str) -> list[str]:
    return [
        _t("report_col_level", lang),
        _t("report_col_code", lang),
        _t("report_col_name", lang),
        _t("report_col_parent", lang),
        *[_t("report_col_" + c, lang) for c in COLUMNS],
        *[_t("status_" + s, lang) for s in ("received", "in_progress", "forwarded", "waiting_agency", "closed")],
    ]


def _rows(r: MonthlyReport, lang: str) -> list[list[Any]]:
    out = []
    for level in r.figures["levels"]:
        for row in level["rows"]:
            out.append(
                [
                    _t("report_level_" + level["level"], lang),
                    row["code"],
                    _name(row, lang),
                    row["parent"] or "",
                    *[_cell(row, c) for c in COLUMNS],
                    *row["by_status"].values(),
                ]
            )
    return out


def as_csv(r: MonthlyReport, lang: str = "th") -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(_header(lang))
    for row in _rows(r, lang):
        w.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def as_xlsx(r: MonthlyReport, lang: str = "th") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    summary = wb.active
    summary.title = _t("report_sheet_summary", lang)[:31]
    f, total = r.figures, r.figures["total"]
    summary.append([_t("report_title", lang, month=month_name(r, lang))])
    summary["A1"].font = Font(bold=True, size=14)
    for label, value in (
        (_t("report_area", lang), f"{f['area']['code']} {_name(f['area'], lang)}"),
        (_t("report_version", lang), r.version),
        (_t("report_issued", lang), _issued(r, lang)),
        (_t("report_sha256", lang), r.sha256),
        (_t("report_target", lang), f"{round(100 * f['target'])}%"),
    ):
        summary.append([label, value])
    summary.append([])
    for c in COLUMNS:
        summary.append([_t("report_col_" + c, lang), _cell(total, c)])
    summary.column_dimensions["A"].width = 34
    summary.column_dimensions["B"].width = 40
    head = _header(lang)
    for level in f["levels"]:
        ws = wb.create_sheet(_t("report_level_" + level["level"], lang)[:31])
        ws.append(head[1:])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in level["rows"]:
            ws.append(
                [
                    row["code"],
                    _name(row, lang),
                    row["parent"] or "",
                    *[_cell(row, c) for c in COLUMNS],
                    *row["by_status"].values(),
                ]
            )
        ws.column_dimensions["B"].width = 28
        ws.freeze_panes = "C2"
    cats = wb.create_sheet(_t("report_sheet_categories", lang)[:31])
    cats.append(
        [_t("report_col_category", lang), _t("report_col_received_month", lang), _t("report_col_closed_month", lang)]
    )
    for c in f["categories"]:
        cats.append([_name(c, lang), c["received_month"], c["closed_month"]])
    cats.column_dimensions["A"].width = 40
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _issued(r: MonthlyReport, lang: str) -> str:
    return be_long(r.issued_at, True) if lang == "th" else thai_time(r.issued_at).strftime("%d %B %Y %H:%M")


def _bars(pdf: Any, title: str, items: list[tuple[str, int, int]], labels: tuple[str, str]) -> None:
    """A horizontal bar chart: for each item the month's received (blue) and closed (green)."""
    items = [x for x in items if x[1] or x[2]]
    if not items:
        return
    if pdf.get_y() > pdf.h - 60:  # not a title alone at the foot of a page
        pdf.add_page()
    pdf.set_font("Garuda", "B", 11)
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    top = max(max(a, b) for _, a, b in items) or 1
    x0, width, name_w = pdf.l_margin, pdf.w - pdf.l_margin - pdf.r_margin, 52
    bar_w = width - name_w - 14
    pdf.set_font("Garuda", "", 8)
    for name, got, shut in items:
        if pdf.get_y() > pdf.h - 30:
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_xy(x0, y)
        pdf.cell(name_w, 7, name[:40])
        for i, (n, colour) in enumerate(((got, (59, 110, 165)), (shut, (58, 154, 91)))):
            pdf.set_fill_color(*colour)
            length = bar_w * n / top
            pdf.rect(x0 + name_w, y + 0.6 + 3.1 * i, max(length, 0.3), 2.8, style="F")
            pdf.set_xy(x0 + name_w + length + 1, y + 3.1 * i - 0.6)
            pdf.cell(12, 4, str(n))
        pdf.set_xy(x0, y + 7)
    pdf.set_font("Garuda", "", 8)
    for i, (label, colour) in enumerate(zip(labels, ((59, 110, 165), (58, 154, 91)))):
        pdf.set_fill_color(*colour)
        pdf.rect(x0 + name_w + 40 * i, pdf.get_y() + 1.5, 4, 3, style="F")
        pdf.set_xy(x0 + name_w + 40 * i + 5, pdf.get_y())
        pdf.cell(34, 6, label)
    pdf.ln(9)


def _table(pdf: Any, rows: list[dict[str, Any]], lang: str) -> None:
    cols = [("name", 38), *[(c, 18) for c in COLUMNS]]
    pdf.set_font("Garuda", "B", 6.5)
    y = pdf.get_y()
    for i, (c, w) in enumerate(cols):
        pdf.set_xy(pdf.l_margin + sum(w for _, w in cols[:i]), y)
        pdf.multi_cell(w, 3.6, _t("report_col_" + c, lang), border=0, align="C" if c != "name" else "L")
    pdf.set_y(y + 11)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.set_font("Garuda", "", 8)
    for row in rows:
        if pdf.get_y() > pdf.h - 18:
            pdf.add_page()
        for c, w in cols:
            v = _name(row, lang)[:26] if c == "name" else _cell(row, c)
            pdf.cell(w, 5.5, "—" if v is None else str(v), align="L" if c == "name" else "R")
        pdf.ln(5.5)


def as_pdf(r: MonthlyReport, lang: str = "th") -> bytes:
    f, total = r.figures, r.figures["total"]
    pdf = new_pdf(format="A4")
    pdf.set_margins(14, 14, 14)
    pdf.set_auto_page_break(True, 14)
    pdf.set_title(_t("report_title", lang, month=month_name(r, lang)))
    pdf.add_page()
    pdf.set_font("Garuda", "B", 15)
    pdf.multi_cell(0, 8, _t("report_title", lang, month=month_name(r, lang)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Garuda", "", 10)
    for line in (
        f"{_t('report_area', lang)}: {f['area']['code']} {_name(f['area'], lang)}",
        f"{_t('report_version', lang)}: {r.version} · {_t('report_issued', lang)}: {_issued(r, lang)}",
        f"{_t('report_sha256', lang)}: {r.sha256}",
    ):
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Garuda", "B", 11)
    pdf.cell(0, 8, _t("report_summary", lang), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Garuda", "", 10)
    share = total["closed_share"]
    for c in COLUMNS:
        v = _cell(total, c)
        shown = "—" if v is None else (f"{v}%" if c == "closed_share" else str(v))
        pdf.cell(80, 6, _t("report_col_" + c, lang))
        pdf.cell(0, 6, shown, new_x="LMARGIN", new_y="NEXT")
    verdict = "report_meets" if share is not None and share >= f["target"] else "report_misses"
    pdf.set_font("Garuda", "B", 10)
    pdf.cell(0, 7, _t(verdict, lang, target=f"{round(100 * f['target'])}%"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    labels = (_t("report_col_received_month", lang), _t("report_col_closed_month", lang))
    below = f["levels"][1]["rows"] if len(f["levels"]) > 1 else []
    if below:
        top = sorted(below, key=lambda x: -x["received_month"])[:20]
        items = [(_name(x, lang), x["received_month"], x["closed_month"]) for x in top]
        _bars(pdf, _t("report_chart_areas", lang), items, labels)
    cats = [(_name(c, lang), c["received_month"], c["closed_month"]) for c in f["categories"][:15]]
    _bars(pdf, _t("report_chart_categories", lang), cats, labels)
    for level in f["levels"][:2]:
        pdf.add_page()
        pdf.set_font("Garuda", "B", 12)
        pdf.cell(0, 8, _t("report_level_" + level["level"], lang), new_x="LMARGIN", new_y="NEXT")
        _table(pdf, level["rows"], lang)
    if len(f["levels"]) > 2:
        pdf.ln(4)
        pdf.set_font("Garuda", "", 9)
        pdf.multi_cell(0, 5, _t("report_more_in_xlsx", lang), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def render(r: MonthlyReport, fmt: str, lang: str = "th") -> bytes:
    if fmt == "pdf":
        return as_pdf(r, lang)
    if fmt == "xlsx":
        return as_xlsx(r, lang)
    if fmt == "csv":
        return as_csv(r, lang)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}")
