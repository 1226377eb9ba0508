"""The fields the reader suggests, confirmed by a person in real headless Chromium: each field is
shown with how sure the reader was, a bad value is refused with its reason and nothing changes,
a good confirmation is saved (dates typed in the Buddhist Era with Thai digits), marked with who
confirmed it, and audited with the citizen ID masked. Real Tesseract reads the page."""

from __future__ import annotations

import re

import pytest

from tests.conftest import CHROMIUM, valid_cid

if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium on this machine", allow_module_level=True)

from playwright.sync_api import expect

from tests.test_browser import upload_via_input
from tests.thai_pages import render_lines

pytestmark = pytest.mark.browser

CID = "3174218096795"
PETITION = [
    "คำร้องเรียน/ร้องทุกข์",
    "วันที่ ๑๕ เดือน สิงหาคม พ.ศ. ๒๕๖๘",
    "เรื่อง ขอให้ซ่อมแซมถนนภายในหมู่บ้าน",
    "ข้าพเจ้า นายสมศักดิ์ ทองประเสริฐ อายุ ๔๐ ปี",
    "เลขประจำตัวประชาชน ๓-๑๗๔๒-๑๘๐๙๖-๗๙-๕",
    "อยู่บ้านเลขที่ ๑๒ อำเภอบ้านไผ่ จังหวัดขอนแก่น โทรศัพท์ ๐๘๑-๒๓๔-๕๖๗๘",
]


def test_suggested_fields_confirmed_with_confidence_be_date_and_audit(page, archive, tmp_path):
    p = tmp_path / "petition.png"
    render_lines(PETITION, width=1900).save(p, dpi=(300, 300))
    upload_via_input(page, str(p))
    page.click("li.upload-item a")
    doc_url = page.url
    form = page.locator("#fields-form")
    expect(form).to_be_visible()
    expect(page.locator("#f-citizen_id")).to_have_value(CID)
    expect(page.locator("#f-date")).to_have_value("15/08/2568")  # shown in the Buddhist Era
    expect(page.locator("#f-province")).to_have_value("ขอนแก่น")
    expect(page.locator("#f-category")).to_have_value("สาธารณูปโภค")
    assert page.locator(".field-row .conf[data-confidence]").count() >= 6  # each with its confidence

    # a wrong check digit: refused, named, nothing saved
    page.fill("#f-citizen_id", "3-1742-18096-79-4")
    page.click("#confirm-fields")
    expect(page.locator("#citizen_id-error")).to_contain_text("เลขประจำตัวประชาชนไม่ถูกต้อง")
    page.goto(doc_url)
    expect(page.locator("#f-citizen_id")).to_have_value(CID)
    from records.models import Document

    with archive.db.session() as s:
        doc = s.query(Document).one()
        assert doc.fields_confirmed_at is None and doc.fields["citizen_id"] == CID

    # a good one: another person's ID typed in Thai digits, the date in BE with Thai digits
    other = valid_cid(42)
    page.fill("#f-citizen_id", other.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")))
    page.fill("#f-date", "๑๖/๐๘/๒๕๖๘")
    page.click("#confirm-fields")
    expect(page.locator("#fields-confirmed")).to_contain_text("ยืนยันข้อมูลแล้ว")
    expect(page.locator("#field-date")).to_contain_text("16 ส.ค. 2568")
    expect(page.locator("#field-citizen_id")).to_contain_text(other)
    with archive.db.session() as s:
        doc = s.query(Document).one()
        assert doc.fields["citizen_id"] == other and doc.fields["date"] == "2025-08-16"
        assert str(doc.doc_date) == "2025-08-16" and doc.fields_confirmed_at is not None
    from records.audit import entries_for

    [entry] = [e for e in entries_for(archive.db, "document", doc.id) if e.action == "confirm_fields"]
    assert other not in str(entry.after) and other[-1] in entry.after["citizen_id"]  # masked
    assert entry.before["citizen_id"] != CID  # masked too

    # edit again later
    page.click("#edit-fields")
    expect(page.locator("#f-date")).to_have_value("16/08/2568")

    # a complaint opened from the petition: the confirmed fields fill its form, saving files it
    page.goto(doc_url)
    page.click("#open-complaint")
    expect(page.locator("#prefilled")).to_be_visible()
    expect(page.locator("#citizen_id")).to_have_value(other)
    expect(page.locator("#first_name_th")).to_have_value("สมศักดิ์")
    expect(page.locator("#last_name_th")).to_have_value("ทองประเสริฐ")
    expect(page.locator("#incident_province")).to_have_value("ขอนแก่น")
    expect(page.locator("#summary")).to_have_value("ขอให้ซ่อมแซมถนนภายในหมู่บ้าน")
    page.click("#save-complaint")
    expect(page).to_have_url(re.compile(r"/complaints/\d+$"))
    from records.models import Complaint, ComplaintDocument

    with archive.db.session() as s:
        cmp = s.query(Complaint).one()
        assert cmp.complainant.citizen_id == other
        assert [d.document_id for d in s.query(ComplaintDocument).filter_by(complaint_id=cmp.id)] == [doc.id]
