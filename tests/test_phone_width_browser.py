"""Every page at a phone's width (390×844, in headless Chromium): nothing wider than the screen,
no page that scrolls sideways — the lists, the forms, a document with its page image and fields,
a complaint, the counter, the scan page, the audit log, administration, the public pages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import CHROMIUM, make_user, sign_in, valid_cid

if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium on this machine", allow_module_level=True)

pytestmark = pytest.mark.browser

WIDTH = 390
WIDER = """() => [...document.querySelectorAll('body *')]
  .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.right > innerWidth + 1; })
  .slice(0, 5).map(e => e.tagName + (e.id ? '#' + e.id : '') + ' ' + Math.round(e.getBoundingClientRect().right))"""


def test_every_page_fits_a_phone(browser, server, archive, petition_png):
    from ingest.pipeline import intake, process
    from records import complaints
    from records.models import Category, Complaint

    officer = make_user(archive, "officer", "KKN-01", seed=991, name="นางสาวสมใจ ทดลองยาวมากเป็นพิเศษ")
    admin = make_user(archive, "admin", "MOI", seed=992)
    with archive.db.session() as s:
        cat = s.scalar(select(Category.id).where(Category.name_th == "สาธารณูปโภค"))
    c = complaints.create(
        archive.db,
        officer,
        {
            "phone": "0812345678",
            "category_id": cat,
            "citizen_id": valid_cid(9911),
            "first_name_th": "มานี",
            "last_name_th": "มีนาคมสุขสวัสดิ์ยิ่งยืนยาว",
            "respondent_name": "องค์การบริหารส่วนตำบลบ้านเป็ดใหญ่หนองบัวลำภู",
            "summary": "ถนนลูกรังชำรุดเป็นหลุมบ่อยาวต่อเนื่องหลายกิโลเมตร" * 6,
        },
    )
    r = intake(archive, petition_png, area_id=officer.area_id)
    process(archive, r.document_id)
    complaints.file_document(archive.db, officer, c.id, r.document_id, "petition")
    with archive.db.session() as s:
        person = s.get(Complaint, c.id).complainant_id
    pages = {
        None: ["/login", "/follow-up"],
        officer: [
            "/",
            f"/documents/{r.document_id}",
            "/search?q=ถนน",
            "/complaints",
            "/complaints/new",
            f"/complaints/{c.id}",
            f"/complaints/{c.id}?check=1",
            f"/complaints/{c.id}/edit",
            "/counter",
            "/scan",
            "/complainants",
            f"/complainants/{person}",
            "/complaints/repeats",
            "/stats",
            "/reports",
            "/password",
        ],
        admin: ["/audit", "/admin/users", "/admin/categories", "/stats"],
    }
    too_wide = {}
    for user, urls in pages.items():
        context = browser.new_context(base_url=server, locale="th-TH", viewport={"width": WIDTH, "height": 844})
        context.set_default_timeout(15_000)
        pg = context.new_page()
        if user is not None:
            sign_in(pg, user)
        for url in urls:
            pg.goto(url)
            pg.wait_for_load_state("networkidle")
            wide = pg.evaluate("document.documentElement.scrollWidth")
            if wide > WIDTH:
                too_wide[url] = (wide, pg.evaluate(WIDER))
        context.close()
    assert not too_wide, too_wide
