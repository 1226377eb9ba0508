"""The separator sheet: a printable A4 page with a QR code. Put one between documents in a feeder
stack and each starts a new document when the batch is filed. This module makes the sheet and
recognises it on a scanned page (zxing-cpp)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import zxingcpp
from PIL import Image, ImageDraw, ImageFont

CODE = "DAMRONG-ARCHIVE:SEPARATOR"
FONT = Path("/usr/share/fonts/truetype/tlwg/Garuda.ttf")
DPI = 150
A4 = (round(8.27 * DPI), round(11.69 * DPI))


def sheet_image() -> Image.Image:
    page = Image.new("L", A4, 255)
    qr = zxingcpp.create_barcode(CODE, zxingcpp.BarcodeFormat.QRCode).to_image(scale=16)
    qr = Image.fromarray(np.asarray(qr)).convert("L")
    page.paste(qr, ((A4[0] - qr.width) // 2, (A4[1] - qr.height) // 2))
    draw = ImageDraw.Draw(page)
    big = ImageFont.truetype(str(FONT), 56)
    small = ImageFont.truetype(str(FONT), 28)
    lines = [
        (big, "แผ่นคั่นเอกสาร"),
        (small, "Document separator — Damrong Archive"),
        (small, "วางแผ่นนี้ระหว่างเอกสารแต่ละฉบับในเครื่องป้อนกระดาษ"),
        (small, "Put this sheet between documents in the feeder"),
    ]
    y = 140
    for font, text in lines:
        w = draw.textlength(text, font=font)
        draw.text(((A4[0] - w) / 2, y), text, font=font, fill=0)
        y += int(font.size * 1.8)
    return page


def sheet_pdf() -> bytes:
    buf = io.BytesIO()
    sheet_image().save(buf, "PDF", resolution=float(DPI))
    return buf.getvalue()


def is_separator(page: Image.Image) -> bool:
    """True when the page carries the separator code (any orientation, any scan resolution)."""
    grey = page.convert("L")
    factor = max(1, round(max(grey.size) / 1400))  # the code's modules stay several pixels wide
    small = grey.reduce(factor) if factor > 1 else grey
    return any(r.text == CODE for r in zxingcpp.read_barcodes(small, formats=zxingcpp.BarcodeFormat.QRCode))
