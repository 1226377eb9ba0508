"""The citizen's receipt slip (ใบรับเรื่อง), printed at intake: half an A4 sheet (A5, landscape)
with the tracking number, when it was received (Buddhist Era, Thailand's time), the centre, what
it is about, and how to follow it up — the follow-up page's address as a QR code and in words,
and the key: the tracking number and the last four digits of the phone given (the rest of the
number is not printed). No citizen ID and no summary: the slip leaves the centre in a pocket."""

from __future__ import annotations

import io
from urllib.parse import quote

from records.areas import centre_name
from records.models import Category, Complaint
from records.thai_pdf import new_pdf
from thai import messages
from thai.dates import be_long, thai_time


def follow_up_url(base: str, tracking_no: str) -> str:
    """The follow-up page with the tracking number filled in."""
    return f"{base.rstrip('/')}/follow-up?tracking_no={quote(tracking_no)}"


def _qr_png(text: str) -> io.BytesIO:
    import segno

    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=8, border=2)
    out.seek(0)
    return out


def receipt_pdf(c: Complaint, base_url: str, lang: str = "th") -> bytes:
    """The slip for complaint `c` (its area and category loaded) as PDF bytes."""

    def t(code: str, **params: object) -> str:
        return messages.text(code, lang, params)

    def named(o: Category) -> str:
        return o.name_th if lang == "th" else (o.name_en or o.name_th)

    url = follow_up_url(base_url, c.tracking_no)
    pdf = new_pdf(orientation="L", format=(148, 210))  # A5: half an A4 sheet
    pdf.set_auto_page_break(False)
    pdf.set_margins(14, 12, 14)
    pdf.add_page()
    pdf.set_font("Garuda", "B", 15)
    pdf.cell(0, 9, t("receipt_title"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Garuda", "", 11)
    pdf.cell(0, 7, t("receipt_centre", centre=centre_name(c.area, lang)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Garuda", "", 11)
    pdf.cell(0, 7, t("tracking_no"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Garuda", "B", 22)
    pdf.cell(0, 12, c.tracking_no, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Garuda", "", 11)
    when = be_long(c.received_at, True) if lang == "th" else thai_time(c.received_at).strftime("%d %b %Y %H:%M")
    for label, value in (
        (t("cmp_received_at"), when),
        (t("cmp_channel"), t("channel_" + c.channel)),
        (t("cmp_category"), named(c.category)),
        (t("receipt_phone"), t("receipt_phone_last4", digits=c.phone[-4:] if c.phone else "----")),
    ):
        pdf.cell(0, 7, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.cell(0, 6, t("receipt_follow_at"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Garuda", "B", 9)
    pdf.cell(0, 6, url, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Garuda", "", 11)
    pdf.multi_cell(118, 6, t("receipt_how"), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.image(_qr_png(url), x=pdf.w - 14 - 55, y=30, w=55, h=55)
    pdf.set_xy(pdf.w - 14 - 55, 86)
    pdf.set_font("Garuda", "", 9)
    pdf.multi_cell(55, 5, t("receipt_scan_me"), align="C")
    pdf.set_xy(14, pdf.h - 22)
    pdf.set_font("Garuda", "", 10)
    pdf.cell(0, 6, t("receipt_signed"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
