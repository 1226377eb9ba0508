"""The citizen's receipt slip at intake: an A5 PDF with the tracking number, the date in the
Buddhist Era, the centre and how to follow it up (a QR code to the follow-up page with the
number filled in; the last four phone digits as the key) — and no citizen ID, no full phone."""

from __future__ import annotations

import re
import subprocess

import pikepdf
import zxingcpp
from PIL import Image
from sqlalchemy import select

from records import complaints
from records.models import AuditEntry, Category
from tests.conftest import client_for, make_user, valid_cid


def test_the_receipt_tells_the_citizen_how_to_follow_it_up(archive, app, tmp_path):
    clerk = make_user(archive, "counter", "KKN-01", seed=881)
    with archive.db.session() as s:
        cat = s.scalar(select(Category.id).where(Category.name_th == "สาธารณูปโภค"))
    person = valid_cid(8811)
    c = complaints.create(
        archive.db,
        clerk,
        {
            "phone": "081-234-5678",
            "category_id": cat,
            "citizen_id": person,
            "first_name_th": "มานี",
            "last_name_th": "มีนา",
        },
    )
    web = client_for(app, archive, clerk)
    page = web.get(f"/complaints/{c.id}").get_data(as_text=True)
    assert f'href="/complaints/{c.id}/receipt.pdf"' in page
    r = web.get(f"/complaints/{c.id}/receipt.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    pdf_path = tmp_path / "receipt.pdf"
    pdf_path.write_bytes(r.data)
    with pikepdf.open(pdf_path) as pdf:
        [page1] = pdf.pages
        width, height = (float(v) for v in page1.mediabox[2:])
        assert (round(width), round(height)) == (595, 420)  # A5 landscape: half an A4 sheet
        assert page1.get_images()  # the QR code
    # the QR code, read as a phone reads it, opens the follow-up page for this complaint
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf_path), str(tmp_path / "slip")], check=True)
    [code] = zxingcpp.read_barcodes(Image.open(tmp_path / "slip-1.png"))
    assert code.text == f"http://localhost/follow-up?tracking_no={c.tracking_no}"
    text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert c.tracking_no in flat and "ใบรับเรื่องร้องเรียน" in flat and "เมืองขอนแก่น" in flat
    assert "ลงท้ายด้วย5678" in flat and f"/follow-up?tracking_no={c.tracking_no}" in flat
    assert str(int(c.received_at.year) + 543) in flat  # the Buddhist Era year
    assert person not in flat and "0812345678" not in flat and "มานี" not in flat
    # the QR code's page opens with the tracking number filled in
    follow = app.test_client().get(f"/follow-up?tracking_no={c.tracking_no}").get_data(as_text=True)
    assert f'value="{c.tracking_no}"' in follow
    with archive.db.session() as s:
        assert s.scalar(select(AuditEntry.action).where(AuditEntry.action == "print_receipt")) == "print_receipt"
    auditor = make_user(archive, "auditor", "KKN", seed=882)
    assert client_for(app, archive, auditor).get(f"/complaints/{c.id}/receipt.pdf").status_code == 403
    other = make_user(archive, "counter", "CMI-01", seed=883)
    assert client_for(app, archive, other).get(f"/complaints/{c.id}/receipt.pdf").status_code == 404
