"""A complaint opened from a scanned petition: the petition's fields fill the new complaint's
form (the complainant's ID and name split into title, first and last name, phone, address, the
subject as the summary, the suggested category, the place), saving it files the petition under
the complaint and records the complainant; a petition of another district is not found.
Requests carry bearer tokens, through the Flask app and the real records layer."""

from __future__ import annotations

import hashlib
import html
import re

import pytest
from sqlalchemy import select

from ingest.fields import read_fields
from records.areas import by_code
from records.models import Category, Complaint, ComplaintDocument, Document, DocumentState
from records.petition_prefill import address_text, split_name
from tests.conftest import client_for, make_user

FIELDS = {
    "date": "2025-08-15",
    "subject": "ขอให้ซ่อมแซมถนนภายในหมู่บ้าน",
    "citizen_id": "3174218096795",
    "name": "นายสมศักดิ์ ทองประเสริฐ",
    "phone": "0812345678",
    "house_no": "12/3",
    "moo": "4",
    "subdistrict": "ในเมือง",
    "province": "ขอนแก่น",
    "district": "บ้านไผ่",
    "category": "สาธารณูปโภค",
}

ADDRESS = "บ้านเลขที่ 12/3 หมู่ที่ 4 ตำบลในเมือง อำเภอบ้านไผ่ จังหวัดขอนแก่น"


@pytest.fixture
def petition(archive):
    with archive.db.session() as s:
        district = by_code(s, "4010")  # บ้านไผ่
        code = district.code

        d = Document(
            sha256=hashlib.sha256(b"petition-prefill").hexdigest(),
            filename="petition.png",
            media_type="image/png",
            size_bytes=1,
            state=DocumentState.done,
            kind="petition",
            fields=dict(FIELDS),
            field_confidence=dict.fromkeys(FIELDS, 0.8),
            page_count=0,
            area_id=district.id,
        )
        s.add(d)
        s.commit()
        return d.id, code


def _value(page: str, name: str) -> str | None:
    m = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page)
    return html.unescape(m.group(1)) if m else None


def _selected(page: str, name: str) -> str | None:
    block = re.search(rf'<select id="{name}" name="{name}">(.*?)</select>', page, re.S)
    m = re.search(r'<option value="([^"]*)"[^>]*\sselected', block.group(1)) if block else None
    return m.group(1) if m else None


def test_split_name_by_title():
    assert split_name("นายสมศักดิ์ ทองประเสริฐ") == ("นาย", "สมศักดิ์", "ทองประเสริฐ")
    assert split_name("นางสาวจันทร์เพ็ญ  ศรีสุข") == ("นางสาว", "จันทร์เพ็ญ", "ศรีสุข")
    assert split_name("สมชาย") == ("", "สมชาย", "")


def test_complaint_opened_from_a_petition_filled_from_its_fields(archive, app, petition):
    petition, district = petition
    clerk = make_user(archive, "counter", district, seed=301)
    c = client_for(app, archive, clerk)
    doc_page = c.get(f"/documents/{petition}").get_data(as_text=True)
    assert f'href="/complaints/new?document_id={petition}"' in doc_page

    form = c.get(f"/complaints/new?document_id={petition}").get_data(as_text=True)
    assert 'id="prefilled"' in form
    assert _value(form, "citizen_id") == "3174218096795"
    assert (_value(form, "prefix_th"), _value(form, "first_name_th"), _value(form, "last_name_th")) == (
        "นาย",
        "สมศักดิ์",
        "ทองประเสริฐ",
    )
    assert _value(form, "phone") == "0812345678"
    assert _value(form, "document_ids") == str(petition)
    assert _value(form, "incident_district") == "บ้านไผ่"
    assert _selected(form, "incident_province") == "ขอนแก่น"
    assert "ขอให้ซ่อมแซมถนนภายในหมู่บ้าน</textarea>" in form and ADDRESS + "</textarea>" in form
    assert _value(form, "incident_subdistrict") == "ในเมือง"
    with archive.db.session() as s:
        utilities = s.scalar(select(Category).where(Category.name_th == "สาธารณูปโภค"))
    assert _selected(form, "category_id") == str(utilities.id)

    # the clerk saves it as filled: the petition is the complaint's document, the person recorded
    fields = dict(re.findall(r'name="([a-z_]+)"[^>]*value="([^"]*)"', form))
    fields.update(
        summary=FIELDS["subject"],
        address=ADDRESS,
        category_id=str(utilities.id),
        incident_province="ขอนแก่น",
        channel="walk_in",
    )
    fields.pop("csrf_token", None)
    r = c.post("/complaints/new", data={k: html.unescape(v) for k, v in fields.items()})
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    with archive.db.session() as s:
        cmp = s.scalar(select(Complaint))
        assert cmp.complainant.citizen_id == "3174218096795" and cmp.complainant.last_name_th == "ทองประเสริฐ"
        assert cmp.summary == FIELDS["subject"] and cmp.category_id == utilities.id
        assert cmp.incident_province == "ขอนแก่น" and cmp.incident_subdistrict == "ในเมือง"
        assert cmp.address == ADDRESS
        [filed] = s.scalars(select(ComplaintDocument).where(ComplaintDocument.complaint_id == cmp.id))
        assert filed.document_id == petition

    # the petition is now complaint cmp's: its page says so, and opening another from it warns
    doc_page = c.get(f"/documents/{petition}").get_data(as_text=True)
    assert 'id="filed-under"' in doc_page and cmp.tracking_no in doc_page
    assert 'id="already-filed-warning"' in doc_page
    form = c.get(f"/complaints/new?document_id={petition}").get_data(as_text=True)
    assert 'id="already-opened"' in form and cmp.tracking_no in form
    again = {**{k: html.unescape(v) for k, v in fields.items()}, "from_document": str(petition)}
    r = c.post("/complaints/new", data=again)
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert f"คำร้องนี้เปิดเป็นเรื่อง {cmp.tracking_no} แล้ว" in page and 'id="repeat_ok"' in page
    assert _value(page, "summary") is None and FIELDS["subject"] + "</textarea>" in page  # nothing typed lost
    with archive.db.session() as s:
        assert len(list(s.scalars(select(Complaint)))) == 1
    r = c.post("/complaints/new", data={**again, "repeat_ok": "1"})
    assert r.status_code == 302
    with archive.db.session() as s:
        assert len(list(s.scalars(select(Complaint)))) == 2


def test_the_whole_address_is_read_from_the_petition():
    """House number, หมู่ and ตำบล (the line break inside a name read through, Thai digits folded),
    and Bangkok's แขวง and เขต written as Bangkok writes them."""
    text = (
        "ข้าพเจ้า นางสาวจันทร์เพ็ญ ศรีสุข อายุ ๔๕ ปี อยู่บ้านเลขที่ ๑๒๓/๔๕ หมู่ที่ ๗ ตำบลสร้าง\nค้อ"
        " อำเภอสว่างแดนดิน จังหวัดสกลนคร โทรศัพท์ ๐๘๑-๒๓๔-๕๖๗๘"
    )
    f = read_fields(text).values
    assert (f["house_no"], f["moo"], f["subdistrict"], f["district"]) == ("123/45", "7", "สร้างค้อ", "สว่างแดนดิน")
    assert address_text(f) == "บ้านเลขที่ 123/45 หมู่ที่ 7 ตำบลสร้างค้อ อำเภอสว่างแดนดิน จังหวัดสกลนคร"
    bangkok = {"house_no": "9", "subdistrict": "ลาดยาว", "district": "จตุจักร", "province": "กรุงเทพมหานคร"}
    assert address_text(bangkok) == "บ้านเลขที่ 9 แขวงลาดยาว เขตจตุจักร กรุงเทพมหานคร"


def test_a_petition_of_another_district_is_not_found(archive, app, petition):
    petition, district = petition
    with archive.db.session() as s:
        other_code = by_code(s, "4018").code  # ชนบท
    assert other_code != district
    other = make_user(archive, "counter", other_code, seed=302)
    c = client_for(app, archive, other)
    assert c.get(f"/complaints/new?document_id={petition}").status_code == 404
    assert c.get("/complaints/new?document_id=999999").status_code == 404


def test_a_suggested_sub_category_comes_with_its_parent(archive):
    from records.petition_prefill import complaint_values

    with archive.db.session() as s:
        debt = s.scalar(select(Category).where(Category.name_th == "หนี้นอกระบบ"))
        doc = Document(id=7, fields={"category": "หนี้นอกระบบ", "province": "ไม่มีจังหวัดนี้"})
        v = complaint_values(s, doc)
    assert (v["category_id"], v["subcategory_id"]) == (str(debt.parent_id), str(debt.id))
    assert "incident_province" not in v and v["document_ids"] == "7"  # an unknown province is not offered
