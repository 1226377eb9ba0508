"""Duplicates in a real headless Chromium: a clerk in Chiang Mai typing a complaint already filed in
Khon Kaen is shown that it exists (tracking number, centre, status, why) and nothing of what it
says; an officer checks a complaint on demand, links the one it repeats as related (both pages
show the link) and closes it as a duplicate of it; the person's page counts their complaints
across the country."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from records import complaints
from records.models import AuditEntry, Category
from tests.conftest import CHROMIUM, make_user, valid_cid

if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium on this machine", allow_module_level=True)

from playwright.sync_api import expect

from tests.test_complaints_browser import open_as  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser

PERSON = valid_cid(7171)
DASHED = f"{PERSON[0]}-{PERSON[1:5]}-{PERSON[5:10]}-{PERSON[10:12]}-{PERSON[12]}"
STORY = "โรงงานของบริษัททรายทองปล่อยน้ำเสียลงคลองสาธารณะ ส่งกลิ่นเหม็นไปทั้งหมู่บ้าน ปลาในคลองตายจำนวนมาก"
ELSEWHERE = "ศูนย์อื่น — เห็นเฉพาะข้อมูลพื้นฐาน"


def _filed(archive, user, **extra):
    with archive.db.session() as s:
        cat = s.scalar(select(Category.id).where(Category.name_th == "ความเดือดร้อนรำคาญ"))
    data = {
        "phone": "0812345678",
        "category_id": cat,
        "citizen_id": PERSON,
        "first_name_th": "สมศรี",
        "last_name_th": "มีสุข",
        "respondent_name": "บริษัท ทรายทอง จำกัด",
        "summary": STORY,
        **extra,
    }
    return complaints.create(archive.db, user, data)


def test_a_clerk_elsewhere_sees_that_it_exists_and_nothing_of_it(archive, open_as):  # noqa: F811
    first = _filed(archive, make_user(archive, "counter", "KKN-01", seed=171))
    clerk = make_user(archive, "counter", "CMI-01", seed=172)
    pg = open_as(clerk)
    pg.goto("/complaints/new")
    pg.fill("#citizen_id", DASHED)
    pg.fill("#respondent_name", "บ.ทรายทอง จก.")
    pg.fill("#summary", "โรงงานบริษัททรายทองปล่อยนำเสียลงคลองสาธารณะส่งกลิ่นเหม็นทั้งหมูบ้าน")
    panel = pg.locator("#duplicates-panel")
    expect(panel).to_be_visible(timeout=10_000)
    item = panel.locator(f"li.duplicate-candidate[data-tracking-no='{first.tracking_no}']")
    expect(item).to_contain_text("เมืองขอนแก่น (KKN-01)")
    expect(item).to_contain_text("ผู้ร้องคนเดียวกัน (เลขประจำตัวประชาชน)")
    expect(item).to_contain_text("ผู้ถูกร้องรายเดียวกัน")
    expect(item).to_contain_text(ELSEWHERE)
    expect(item.locator("a")).to_have_count(0)  # nothing to open
    assert "ส่งกลิ่นเหม็นไปทั้งหมู่บ้าน" not in panel.inner_text() and "สมศรี" not in panel.inner_text()
    with archive.db.session() as s:
        checks = list(s.scalars(select(AuditEntry).where(AuditEntry.action == "duplicate_check")))
    assert checks and all(e.user_id == clerk.id for e in checks)


def test_an_officer_links_a_repeat_and_closes_it_as_a_duplicate(archive, open_as):  # noqa: F811
    counter = make_user(archive, "counter", "KKN-01", seed=173)
    first = _filed(archive, counter)
    repeat = _filed(archive, counter, respondent_name="บ.ทรายทอง จก.", summary=STORY + " ขอให้ตรวจสอบด่วน")
    officer = make_user(archive, "officer", "KKN-01", seed=174)
    pg = open_as(officer)
    pg.goto(f"/complaints/{repeat.id}")
    pg.click("#check-duplicates")
    row = pg.locator(f"#duplicate-candidates tr[data-tracking-no='{first.tracking_no}']")
    expect(row).to_be_visible()
    expect(row.locator("td.reasons")).to_contain_text("เนื้อเรื่องใกล้เคียงกัน")
    expect(row.locator("a").first).to_have_attribute("href", f"/complaints/{first.id}")
    row.locator("button.link-candidate").click()
    expect(pg.locator("#flash")).to_contain_text(f"เชื่อมโยงกับเรื่อง {first.tracking_no} แล้ว")
    expect(pg.locator(f"#related-complaints li[data-tracking-no='{first.tracking_no}']")).to_be_visible()
    pg.goto(f"/complaints/{first.id}")
    expect(pg.locator(f"#related-complaints li[data-tracking-no='{repeat.tracking_no}']")).to_be_visible()

    pg.goto(f"/complaints/{repeat.id}?check=1")
    pg.locator(f"#duplicate-candidates tr[data-tracking-no='{first.tracking_no}'] a.close-as-duplicate").click()
    expect(pg.locator("#to_status")).to_have_value("closed")
    expect(pg.locator("#outcome")).to_have_value("duplicate")
    expect(pg.locator("#duplicate_of")).to_have_value(first.tracking_no)
    pg.fill("#reason", "ซ้ำกับเรื่องเดิม")
    pg.click("#status-submit")
    expect(pg.locator("#complaint-status")).to_have_text("ยุติเรื่องแล้ว")
    expect(pg.locator("#complaint-outcome a")).to_have_text(first.tracking_no)

    # the person's page: their complaints here, and counts across the country
    pg.goto(f"/complaints/{first.id}")
    pg.click("#complainant-link")
    expect(pg.locator("#person-complaints tr.complaint-row")).to_have_count(2)
    expect(pg.locator("#person-across-country tr[data-area='KKN-01']")).to_contain_text("2 เรื่อง (ยังไม่ยุติ 1)")
