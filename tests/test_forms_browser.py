"""The forms of the UI walkthrough (issue 20) in a real headless Chromium, as a user meets them:
forwarding a complaint to a centre picked from a searchable list (by Thai name, by code, in Thai
digits, sub-districts too) and landing on a confirmation, never a 404; the new-complaint form
telling every problem in one submit, each beside its field, under a short count; the change of
password in Thai (and English) only; a refusal a page's script meets said in words, never
"FORBIDDEN". A real server (werkzeug) runs the real app over a fresh archive per test."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from tests.conftest import CHROMIUM, PASSWORD, make_user

if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium on this machine", allow_module_level=True)

from playwright.sync_api import expect

from tests.test_complaints_browser import new_complaint, open_as, status_of  # noqa: F401  (open_as: a fixture)

pytestmark = pytest.mark.browser

BE_YEAR = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).year + 543
FORWARDED = "ส่งต่อศูนย์อื่น"
BAN_FANG = "KKN-02 บ้านฝาง (ขอนแก่น)"  # as the list shows it


def start_forward(pg, reason: str) -> None:
    pg.select_option("#to_status", label=FORWARDED)
    pg.fill("#reason", reason)


def offered(pg) -> list[str]:
    return pg.locator("#centre-options option").evaluate_all("(os) => os.map((o) => o.value)")


# --- forwarding -----------------------------------------------------------------------------


def test_district_forwards_to_a_centre_found_by_name_and_sees_where_it_went(archive, open_as):  # noqa: F811
    counter = make_user(archive, "counter", "KKN-01", seed=51)
    officer = make_user(archive, "officer", "KKN-01", seed=52)
    c = new_complaint(archive, counter, "ที่ดินอยู่ในเขตบ้านฝาง")
    pg = open_as(officer)
    pg.goto(f"/complaints/{c.id}")
    start_forward(pg, "เหตุเกิดในเขตอำเภอบ้านฝาง")
    # the centre is found by its Thai name as it is typed, shown as "code name (province)"
    pg.locator("#to_area_code").press_sequentially("บ้านฝ")
    expect(pg.locator(f"#centre-options option[value='{BAN_FANG}']")).to_have_count(1)
    # by its code in Thai digits (DOPA ๔๐๐๒) too
    pg.fill("#to_area_code", "")
    pg.locator("#to_area_code").press_sequentially("๔๐๐๒")
    expect(pg.locator("#centre-options option").first).to_have_attribute("value", BAN_FANG)
    # a name that names no centre is refused beside the form, what was typed is kept
    pg.fill("#to_area_code", "ไม่มีศูนย์นี้")
    pg.click("#status-submit")
    expect(pg.locator("#status-error")).to_have_text("ศูนย์ปลายทาง ไม่ถูกต้อง")
    expect(pg.locator("#reason")).to_have_value("เหตุเกิดในเขตอำเภอบ้านฝาง")
    assert status_of(archive, c.id) == "received"

    # picked from the list: forwarded; the district may no longer see it, so the list says where it went
    start_forward(pg, "เหตุเกิดในเขตอำเภอบ้านฝาง")
    pg.fill("#to_area_code", BAN_FANG)
    response = None
    with pg.expect_navigation() as nav:
        pg.click("#status-submit")
    response = nav.value
    assert response.status == 200
    expect(pg).to_have_url(re.compile(r"/complaints$"))
    expect(pg.locator("#flash")).to_have_text(f"ส่งต่อเรื่อง {c.tracking_no} ไปยัง บ้านฝาง (KKN-02) แล้ว")
    expect(pg.locator("#error-message")).to_have_count(0)
    assert status_of(archive, c.id) == "forwarded"

    # Ban Fang's officer finds it, with the step in its timeline
    there = open_as(make_user(archive, "officer", "KKN-02", seed=53))
    there.goto(f"/complaints/{c.id}")
    expect(there.locator("#complaint-area")).to_have_text("บ้านฝาง (KKN-02)")
    expect(there.locator("#timeline li .to-area")).to_have_text("→ บ้านฝาง (KKN-02)")


def test_province_forwards_to_its_district_by_code_and_stays_on_the_complaint(archive, open_as):  # noqa: F811
    from records import areas
    from records.models import Area, AreaKind

    province = make_user(archive, "officer", "KKN", seed=54)
    c = new_complaint(archive, province, "เรื่องที่ศูนย์จังหวัดรับไว้")
    with archive.db.session() as s:
        tambon = s.scalar(select(Area).where(Area.code == "KKN-02-01"))
        assert tambon is not None and tambon.kind == AreaKind.subdistrict
        tambon_label = areas.label(tambon)
    assert tambon_label.startswith("KKN-02-01 ") and tambon_label.endswith("(บ้านฝาง, ขอนแก่น)")
    pg = open_as(province)
    pg.goto(f"/complaints/{c.id}?lang=th")
    start_forward(pg, "ให้อำเภอดำเนินการ")
    # sub-districts are in the list too, named with their district and province
    tambon_name = tambon_label.split(" ", 1)[1].split(" (")[0]
    pg.locator("#to_area_code").press_sequentially(tambon_name)
    expect(pg.locator(f"#centre-options option[value='{tambon_label}']")).to_have_count(1)
    # typing a code still works
    pg.fill("#to_area_code", "kkn-02")
    pg.click("#status-submit")
    expect(pg).to_have_url(re.compile(rf"/complaints/{c.id}$"))
    expect(pg.locator("#flash")).to_have_text(f"ส่งต่อเรื่อง {c.tracking_no} ไปยัง บ้านฝาง (KKN-02) แล้ว")
    expect(pg.locator("#complaint-status")).to_have_text(FORWARDED)
    expect(pg.locator("#complaint-area")).to_have_text("บ้านฝาง (KKN-02)")


# --- the new-complaint form: every problem in one submit -----------------------------------------


def test_every_problem_of_the_complaint_form_in_one_submit(archive, open_as):  # noqa: F811
    from records.models import Complaint

    counter = make_user(archive, "counter", "KKN-01", seed=55)
    pg = open_as(counter)
    pg.goto("/complaints/new")
    typed = {
        "#citizen_id": "1234567890123",  # the check digit is wrong
        "#first_name_th": "สมศักดิ์",
        "#last_name_th": "ทองประเสริฐ",
        "#phone": "๐๘๑",
        "#latitude": "๑๖๐",  # beyond 90°
        "#summary": "ขอให้ตรวจสอบเสียงดังยามวิกาล",
    }
    for sel, value in typed.items():
        pg.fill(sel, value)
    pg.select_option("#category_id", label="เรื่องอื่นๆ")  # needs its detail in words
    pg.fill("#due_date", "๓๑/๐๒/๒๕๗๐")  # no such day
    pg.click("#save-complaint")

    beside = {
        "#citizen_id-error": "เลขประจำตัวประชาชนไม่ถูกต้อง (หลักตรวจสอบไม่ตรง)",
        "#phone-error": "หมายเลขโทรศัพท์ต้องมี 9–10 หลัก",
        "#subcategory_text-error": 'หมวด "เรื่องอื่นๆ" ต้องระบุรายละเอียดหมวดย่อย',
        "#latitude-error": "ละติจูด ไม่ถูกต้อง",
        "#due_date-error": "วันกำหนดแล้วเสร็จ ไม่ถูกต้อง",
    }
    expect(pg.locator("#form-error")).to_have_text("กรุณาแก้ไข 5 รายการ")
    for sel, message in beside.items():
        expect(pg.locator(sel)).to_have_text(message)
    # each said once: beside its field, not again at the top
    expect(pg.locator("#form-error-others")).to_have_count(0)
    page_text = pg.locator("#complaint-form").inner_text() + pg.locator("#form-error").inner_text()
    for message in beside.values():
        assert page_text.count(message) == 1, message
    for sel in ("#longitude-error", "#officer_id-error", "#category_id-error"):
        expect(pg.locator(sel)).to_have_text("")
    for sel, value in typed.items():
        expect(pg.locator(sel)).to_have_value(value)
    with archive.db.session() as s:
        assert s.scalar(select(Complaint.id)) is None

    # all fixed in one go: saved
    pg.fill("#citizen_id", "3-1742-18096-79-5")
    pg.fill("#phone", "๐๘๑-๒๓๔-๕๖๗๘")
    pg.fill("#latitude", "16.43")
    pg.fill("#subcategory_text", "เสียงดังจากร้านคาราโอเกะ")
    pg.fill("#due_date", "๒๘/๐๒/๒๕๗๐")
    pg.click("#save-complaint")
    expect(pg.locator("#flash")).to_have_text(f"บันทึกเรื่องร้องเรียนแล้ว เลขที่เรื่อง KKN-{BE_YEAR}-000001")

    # in English, the count reads in English
    pg.goto("/complaints/new?lang=en")
    pg.fill("#phone", "12")
    pg.click("#save-complaint")
    expect(pg.locator("#form-error")).to_have_text("Please fix 2 problems")
    expect(pg.locator("#phone-error")).to_have_text("a phone number has 9–10 digits")
    expect(pg.locator("#category_id-error")).to_have_text("the category is required")


# --- the change of password, in one language ---------------------------------------------------


def test_password_change_problems_are_thai_in_thai_and_english_in_english(page):
    page.goto("/password?lang=th")
    page.fill("#old_password", PASSWORD)
    page.fill("#new_password", "a-brand-new-password")
    page.fill("#confirm_password", "a-different-password")
    page.click("#save-password")
    expect(page.locator("#password-error")).to_have_text("รหัสผ่านใหม่ทั้งสองช่องไม่ตรงกัน")
    page.fill("#old_password", "not-my-password")
    page.fill("#new_password", "a-brand-new-password")
    page.fill("#confirm_password", "a-brand-new-password")
    page.click("#save-password")
    expect(page.locator("#password-error")).to_have_text("รหัสผ่านเดิมไม่ถูกต้อง")

    page.goto("/password?lang=en")
    page.fill("#old_password", PASSWORD)
    page.fill("#new_password", "a-brand-new-password")
    page.fill("#confirm_password", "a-different-password")
    page.click("#save-password")
    expect(page.locator("#password-error")).to_have_text("the two new passwords do not match")


# --- a refusal a script meets is said in words -------------------------------------------------


def test_an_upload_refused_for_the_role_is_said_in_thai_not_forbidden(archive, page, admin, petition_png):
    from records.models import Role, User

    page.goto("/")
    expect(page.locator("#upload")).to_be_visible()
    with archive.db.session() as s:  # made an auditor while the page is open
        s.get(User, admin.id).role = Role.auditor
        s.commit()
    page.set_input_files("#file-input", str(petition_png))
    status = page.locator("#upload-list .upload-item .status")
    expect(status).to_have_text("ไม่สำเร็จ — ไม่มีสิทธิ์ทำรายการนี้")
    assert "forbidden" not in status.inner_text().lower()
    # an auditor's page offers no upload at all
    page.reload()
    expect(page.locator("#upload")).to_have_count(0)
