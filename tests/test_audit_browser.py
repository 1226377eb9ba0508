"""Roles and the audit log in a real headless Chromium (issue 20): each role's navigation offers
only the pages that role may open (an auditor: no counter, scan or complainants, no upload zone);
the audit log page for auditors and administrators — newest first, times in the Buddhist Era and
Bangkok time, citizen IDs masked, filters (text, object type and id, user, action, dates in BE
with Thai digits), paging, a CSV export Excel reads in Thai — and what each area's auditor sees
of it; reading and exporting the log are entries of the log too. A real server (werkzeug) runs
the real app over a fresh archive per test."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import CHROMIUM, make_user, sign_in, valid_cid

if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium on this machine", allow_module_level=True)

from playwright.sync_api import expect

pytestmark = pytest.mark.browser

BANGKOK = dt.timezone(dt.timedelta(hours=7))
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
CITIZEN_ID = "3174218096795"
CITIZEN_ID_MASKED = "3-1742-xxxxx-79-5"
FORBIDDEN = "ไม่มีสิทธิ์เข้าถึงหน้านี้"


@pytest.fixture
def open_as(browser, server):
    """open_as(user) → a page in its own browser profile, signed in as that user; every page
    fails the test on a JavaScript error."""
    contexts, errors = [], []

    def open_(user, **context_args):
        context = browser.new_context(
            base_url=server, locale="th-TH", timezone_id="Asia/Bangkok", accept_downloads=True, **context_args
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        pg = context.new_page()
        pg.on("pageerror", lambda e: errors.append(str(e)))
        sign_in(pg, user)
        return pg

    yield open_
    for c in contexts:
        c.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


def nav_links(pg) -> list[tuple[str, str]]:
    links = pg.locator("header nav a")
    return [(a.inner_text(), a.get_attribute("href")) for a in links.all()]


def test_each_role_is_offered_only_what_it_may_open(archive, open_as, admin):
    everyone = ["เรื่องร้องเรียน", "แผนที่", "เอกสาร", "ค้นหา"]
    intake = ["รับเรื่อง", "สแกน", "ผู้ร้อง"]
    cases = [
        (make_user(archive, "auditor", "KKN-01", seed=61), [*everyone, "สถิติ", "บันทึกการใช้งาน"], False),
        (make_user(archive, "counter", "KKN-01", seed=62), [*everyone, *intake], True),
        (make_user(archive, "officer", "KKN-01", seed=63), [*everyone, *intake, "สถิติ"], True),
        (admin, [*everyone, *intake, "สถิติ", "บันทึกการใช้งาน", "ผู้ดูแลระบบ"], True),
    ]
    for user, expected, uploads in cases:
        pg = open_as(user)
        pg.goto("/")
        links = nav_links(pg)
        assert [text for text, _ in links] == expected, user.role
        # every link offered opens its page, none answers "you may not"
        for text, href in links:
            r = pg.request.get(href)
            assert r.status == 200, (user.role, text, r.status)
            assert FORBIDDEN not in r.text(), (user.role, text)
        # the upload zone only for those who may upload
        expect(pg.locator("#upload")).to_have_count(1 if uploads else 0)
        expect(pg.locator("#file-input")).to_have_count(1 if uploads else 0)
        if not uploads:
            expect(pg.locator("table.docs, p.empty")).to_be_visible()  # the list itself is still there
            for url in ("/counter", "/scan", "/complainants"):  # typed in by hand: still refused
                r = pg.goto(url)
                assert r.status == 403, url
                expect(pg.locator("#error-message")).to_have_text(FORBIDDEN)
            pg.goto("/")
            pg.click("#nav-audit")
            expect(pg.locator("h1")).to_have_text("บันทึกการใช้งาน")
    # the audit log is the auditors' and administrators'
    counter_page = open_as(make_user(archive, "counter", "KKN-01", seed=64))
    assert counter_page.goto("/audit").status == 403
    assert counter_page.request.get("/audit/export.csv").status == 403
    expect(counter_page.locator("#nav-audit")).to_have_count(0)


# --- the audit log -----------------------------------------------------------------------------


def _category(archive) -> int:
    from records.models import Category

    with archive.db.session() as s:
        return s.scalar(select(Category.id).where(Category.name_th == "ที่ดิน"))


def _complaint(archive, user, summary: str):
    from records import complaints

    data = {"channel": "walk_in", "phone": "0812345678", "category_id": _category(archive), "summary": summary}
    return complaints.create(archive.db, user, data)


def rows(pg) -> list[dict[str, str]]:
    out = []
    for tr in pg.locator("#audit-table tbody tr").all():
        cells = [td.inner_text().strip() for td in tr.locator("td").all()]
        out.append(dict(zip(("at", "user", "action", "object_type", "object_id", "details"), cells, strict=True)))
    return out


def filter_by(pg, **typed) -> None:
    """Fill the filter form as a person would (every field, blank unless given) and send it."""
    for name in ("q", "object_id", "user", "from", "to"):
        pg.fill(f"#a-{name.replace('_', '-')}", typed.get(name, ""))
    pg.select_option("#a-object-type", typed.get("object_type", ""))
    pg.select_option("#a-action", typed.get("action", ""))
    with pg.expect_navigation():
        pg.click("#audit-submit")


def test_audit_log_page_filters_export_and_areas(archive, open_as, admin):
    from records import areas, audit, complainants

    with archive.db.session() as s:
        kkn01, cmi01 = areas.by_code(s, "KKN-01").id, areas.by_code(s, "CMI-01").id
    clerk = make_user(archive, "counter", "KKN-01", seed=71, name="สมหญิง ใจดี")
    neighbour = make_user(archive, "counter", "KKN-02", seed=72, name="มานพ ขยันดี")
    far = make_user(archive, "counter", "CMI-01", seed=73, name="ดวงใจ เชียงใหม่")
    complainants.save(
        archive,
        {"citizen_id": CITIZEN_ID, "first_name_th": "สมศักดิ์", "last_name_th": "ทองประเสริฐ"},
        area_id=kkn01,
        user=clerk,
    )
    mine = _complaint(archive, clerk, "ที่ดินทำกินถูกบุกรุก")
    theirs = _complaint(archive, neighbour, "ถนนในหมู่บ้านชำรุด")
    _complaint(archive, far, "น้ำประปาไม่ไหล")
    complainants.save(
        archive,
        {"citizen_id": valid_cid(999), "first_name_th": "ศรี", "last_name_th": "ลำพูน"},
        area_id=cmi01,
        user=far,
    )
    for i in range(55):  # the district clerk reads a document again and again: more than a page
        audit.record(archive.db, "view", "document", 1000 + i, user=clerk)

    # --- a district auditor: the entries of its district's users, newest first -----------------
    district = open_as(make_user(archive, "auditor", "KKN-01", seed=74, name="ผู้ตรวจ อำเภอเมือง"))
    district.click("#nav-audit")
    expect(district.locator("h1")).to_have_text("บันทึกการใช้งาน")
    # 55 views + the complaint + the complainant + the auditor's sign-in
    expect(district.locator("#audit-count")).to_have_text("พบ 58 รายการ")
    first = rows(district)
    assert len(first) == 50
    assert first[0]["user"] == "ผู้ตรวจ อำเภอเมือง" and first[0]["action"] == "เข้าสู่ระบบ"
    assert [r["object_id"] for r in first[1:4]] == ["1054", "1053", "1052"]  # newest first
    now = dt.datetime.now(BANGKOK)
    assert f"{now.year + 543}" in first[0]["at"] and f"{now:%H}:" in first[0]["at"]  # BE, Bangkok time
    users_seen = {r["user"] for r in first}
    district.click("#audit-next")
    # reading page 1 is now in the log too (the newest entry): page 2 starts one later
    expect(district.locator("#audit-count")).to_have_text("พบ 59 รายการ")
    rest = rows(district)
    users_seen |= {r["user"] for r in rest}
    assert len(rest) == 9 and rest[0]["object_id"] == "1006"
    assert users_seen == {"ผู้ตรวจ อำเภอเมือง", "สมหญิง ใจดี"}  # not the other district's, nor Chiang Mai's
    created = [r for r in rest if r["action"] == "สร้าง"]
    assert {r["object_type"] for r in created} == {"เรื่องร้องเรียน", "ผู้ร้อง"}
    assert mine.tracking_no in {r["object_id"] for r in created}
    assert theirs.tracking_no not in district.content()
    # the citizen ID shows masked, never whole — even when searched for whole
    person = next(r for r in created if r["object_type"] == "ผู้ร้อง")
    assert CITIZEN_ID_MASKED in person["details"] and CITIZEN_ID not in district.content()
    filter_by(district, q=CITIZEN_ID)
    assert [r["object_type"] for r in rows(district)] == ["ผู้ร้อง"]
    assert CITIZEN_ID not in district.locator("#audit-table").inner_text()

    # filters: free Thai text, object type and id, user, action
    filter_by(district, q="บุกรุก")
    assert [(r["action"], r["object_id"]) for r in rows(district)] == [("สร้าง", mine.tracking_no)]
    filter_by(district, object_type="complaint", object_id=mine.tracking_no)
    assert [r["object_type"] for r in rows(district)] == ["เรื่องร้องเรียน"]
    filter_by(district, object_type="document", object_id="๑๐๓๐")  # Thai digits as typed
    assert [r["object_id"] for r in rows(district)] == ["1030"]
    filter_by(district, user="สมหญิง", action="create")
    assert {r["object_type"] for r in rows(district)} == {"เรื่องร้องเรียน", "ผู้ร้อง"}
    expect(district.locator("#audit-count")).to_have_text("พบ 2 รายการ")
    filter_by(district, user=clerk.citizen_id, action="view")
    expect(district.locator("#audit-count")).to_have_text("พบ 55 รายการ")
    # dates in the Buddhist Era with Thai digits: today finds them, a range before it nothing
    today = now.date()
    be_today = f"{today:%d/%m}/{today.year + 543}".translate(THAI_DIGITS)
    filter_by(district, object_type="complaint", **{"from": be_today, "to": be_today})
    expect(district.locator("#audit-count")).to_have_text("พบ 1 รายการ")
    expect(district.locator("#a-from")).to_have_value(be_today)  # the form keeps what was typed
    last_year = f"01/01/{today.year + 542}"
    filter_by(district, object_type="complaint", **{"from": last_year, "to": f"31/12/{today.year + 542}"})
    expect(district.locator("#audit-none")).to_have_text("ไม่พบรายการ")
    filter_by(district, object_type="complaint", **{"from": today.isoformat()})  # Christian years too
    expect(district.locator("#audit-count")).to_have_text("พบ 1 รายการ")
    filter_by(district, **{"from": "๓๒/๑๓/๒๕๖๘"})
    expect(district.locator("#audit-error")).to_contain_text("วันที่ไม่ถูกต้อง")

    # --- the CSV export: the filtered rows, all of them, in Thai for Excel ---------------------
    filter_by(district, user="สมหญิง")
    with district.expect_download() as dl:
        district.click("#audit-export")
    data = Path(dl.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Excel shows the Thai
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0] == ["เวลา", "ผู้ใช้", "การกระทำ", "ประเภทรายการ", "รหัสรายการ", "รายละเอียด"]
    assert len(table) == 1 + 57  # not one page: every entry the filter finds
    assert {r[1] for r in table[1:]} == {"สมหญิง ใจดี"}
    assert table[1][2:5] == ["เปิดดู", "เอกสาร", "1054"]
    assert table[-1][2:4] == ["สร้าง", "ผู้ร้อง"]  # the oldest last
    assert table[1][0].startswith(f"{today:%d/%m}/{today.year + 543} ")  # BE, Bangkok time
    text = data.decode("utf-8-sig")
    assert CITIZEN_ID_MASKED in text and CITIZEN_ID not in text and "ถนนในหมู่บ้าน" not in text
    # exporting and reading the log were audited, with what was asked for
    filter_by(district, object_type="audit_log", action="export")
    [export] = rows(district)
    assert export["user"] == "ผู้ตรวจ อำเภอเมือง" and "user: สมหญิง" in export["details"]
    filter_by(district, object_type="audit_log", action="view", q="บุกรุก")
    assert len(rows(district)) == 1

    # --- a province auditor sees its districts; central sees everything -------------------------
    province = open_as(make_user(archive, "auditor", "KKN", seed=75))
    province.goto("/audit?object_type=complaint")
    assert {r["object_id"] for r in rows(province)} == {mine.tracking_no, theirs.tracking_no}
    central = open_as(admin)
    central.goto("/audit?object_type=complaint")
    expect(central.locator("#audit-count")).to_have_text("พบ 3 รายการ")
    central.goto("/audit?object_type=complainant")
    assert all(CITIZEN_ID not in r["details"] for r in rows(central)) and len(rows(central)) == 2
    # English, too
    central.goto("/audit?object_type=complaint&lang=en")
    expect(central.locator("h1")).to_have_text("Audit log")
    expect(central.locator("#audit-count")).to_have_text("3 entries")
    assert {r["action"] for r in rows(central)} == {"Created"}
