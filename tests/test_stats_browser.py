"""The dashboard in real Chromium: the twelve-month chart is drawn (Chart.js, vendored, no CDN),
the Thai labels and BE months show, a number opens the complaint list with the complaints it
counts, and the month-end report is issued from the reports page."""

from __future__ import annotations

from sqlalchemy import select

from records import complaints
from records.models import Category
from tests.conftest import make_user, sign_in
from thai.dates import be_month, thai_today


def test_a_province_officer_reads_the_dashboard(browser, server, archive):
    with archive.db.session() as s:
        cat = s.scalar(select(Category.id).where(Category.name_th == "สาธารณูปโภค"))
    one = make_user(archive, "officer", "KKN-01", seed=9201)
    two = make_user(archive, "officer", "KKN-02", seed=9202)
    province = make_user(archive, "officer", "KKN", seed=9203, name="ปลัดจังหวัด")
    made = [complaints.create(archive.db, u, {"phone": "0812345678", "category_id": cat}) for u in (one, one, one, two)]
    complaints.transition(archive.db, one, made[0].id, "closed", "ซ่อมแล้ว", outcome="resolved")
    context = browser.new_context(base_url=server, locale="th-TH", viewport={"width": 1280, "height": 1000})
    pg = context.new_page()
    requests: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    sign_in(pg, province)
    pg.click("#nav-stats")
    pg.wait_for_selector("#trend-chart[data-drawn='1']")
    assert pg.inner_text("#n-total") == "4" and pg.inner_text("#n-closed-share") == "25.0%"
    assert "ยังไม่ถึงเป้าหมาย" in pg.inner_text("#card-kpi")
    pg.click("#trend-numbers summary")
    assert be_month(thai_today()) in pg.inner_text("#trend-table")  # this month, Buddhist Era
    assert pg.locator("#by-area tr[data-key='KKN-01'] td").nth(1).inner_text() == "3"
    pg.screenshot(path="/tmp/stats-dashboard.png", full_page=True)
    assert all(u.startswith(server) for u in requests), [u for u in requests if not u.startswith(server)]
    pg.locator("#by-area tr[data-key='KKN-01'] td").nth(2).locator("a").click()  # the open ones of KKN-01
    pg.wait_for_selector("#complaint-count")
    assert "พบ 2 เรื่อง" in pg.inner_text("#complaint-count")
    assert "เฉพาะที่ยังไม่ยุติ" in pg.inner_text("#narrowed")
    pg.click("#clear-narrowing")
    assert "พบ 3 เรื่อง" in pg.inner_text("#complaint-count")
    pg.goto("/stats")
    pg.locator("#by-area a.drill", has_text="เมืองขอนแก่น").click()
    pg.wait_for_selector("#stats-area")
    assert pg.inner_text("#stats-area") == "เมืองขอนแก่น" and pg.inner_text("#n-total") == "3"
    pg.click("#reports-link")
    pg.click("#issue-report")
    assert "ฉบับที่ 1 แล้ว" in pg.inner_text("#flash")
    with pg.expect_download() as got:
        pg.click(".report-row .report-file[data-format='pdf']")
    assert got.value.suggested_filename.startswith("damrong-report-KKN-")
    pg.screenshot(path="/tmp/stats-reports.png", full_page=True)
    context.close()
