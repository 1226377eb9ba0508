"""The public follow-up page in real Chromium, not signed in: the citizen sees the status timeline
(Thai labels, Buddhist Era dates) and nothing personal; a wrong pair is just "not found"; too many
lookups from one address get 429."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from records import complaints
from records.models import Category
from tests.conftest import make_user, valid_cid
from thai.citizen_id import formatted, masked
from webui import public_views

PERSON = valid_cid(8123)
FIRST, LAST = "สมศักดิ์", "ทองประเสริฐ"
SUMMARY = "เจ้าหนี้นอกระบบคิดดอกเบี้ยร้อยละยี่สิบต่อเดือนและข่มขู่ครอบครัว"
RESPONDENT = "นายบุญมา เงินกู้"
REASON = "เจ้าหนี้ยอมลดดอกเบี้ยตามที่ตกลงกันที่อำเภอ"
PHONE = "0812345678"


@pytest.fixture
def closed_case(archive):
    """A complaint taken in at Mueang Khon Kaen, worked on and closed as resolved."""
    officer = make_user(archive, "officer", "KKN-01", seed=901)
    with archive.db.session() as s:
        debt = s.scalar(select(Category.id).where(Category.name_th == "หนี้สิน/หนี้นอกระบบ"))
    c = complaints.create(
        archive.db,
        officer,
        {
            "category_id": debt,
            "phone": "081-234-5678",
            "citizen_id": PERSON,
            "prefix_th": "นาย",
            "first_name_th": FIRST,
            "last_name_th": LAST,
            "summary": SUMMARY,
            "respondent_kind": "person",
            "respondent_name": RESPONDENT,
            "address": "99 หมู่ 3 ตำบลในเมือง",
        },
    )
    complaints.transition(archive.db, officer, c.id, "in_progress")
    complaints.transition(archive.db, officer, c.id, "waiting_agency", reason="มีหนังสือถึงอำเภอเมือง")
    complaints.transition(archive.db, officer, c.id, "closed", reason=REASON, outcome="resolved")
    return c


def look_up(pg, tracking_no: str, last4: str):
    """Fill in and send the form; the response of the POST."""
    pg.fill("#tracking_no", tracking_no)
    pg.fill("#phone_last4", last4)
    with pg.expect_navigation() as nav:
        pg.click("#follow-up-check")
    return nav.value


def test_citizen_sees_timeline_in_thai_with_be_dates_and_nothing_personal(anon_page, closed_case):
    pg = anon_page
    pg.goto("/follow-up")
    assert pg.locator("h1").inner_text() == "ติดตามเรื่องร้องเรียน"
    resp = look_up(pg, closed_case.tracking_no.lower(), "๕๖๗๘")  # Thai digits, lower case
    assert resp.status == 200
    rows = pg.locator("#follow-up-timeline tbody tr")
    assert rows.count() == 4
    assert [rows.nth(i).locator(".status").inner_text() for i in range(4)] == [
        "รับเรื่องแล้ว",
        "อยู่ระหว่างดำเนินการ",
        "รอหน่วยงานตอบ",
        "ยุติเรื่องแล้ว",
    ]
    assert rows.nth(3).locator(".outcome").inner_text() == "แก้ไขปัญหาแล้ว"
    today = dt.datetime.now(dt.UTC) + dt.timedelta(hours=7)  # the date in Thailand
    months = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]
    when = rows.nth(0).locator(".when").inner_text()
    assert re.fullmatch(r"\d{1,2} \S+ \d{4} \d{2}:\d{2}", when), when
    assert f"{today.day} {months[today.month - 1]} {today.year + 543}" in when  # BE, not CE
    assert str(today.year) not in pg.locator("#follow-up-timeline").inner_text()
    assert closed_case.tracking_no in pg.locator("#timeline-title").inner_text()

    html = pg.content()
    text = pg.locator("body").inner_text()
    for secret in (
        FIRST,
        LAST,
        PERSON,
        formatted(PERSON),
        masked(PERSON),
        SUMMARY,
        RESPONDENT,
        REASON,
        "มีหนังสือถึงอำเภอเมือง",
        "ตำบลในเมือง",
        PHONE,
        "081-234-5678",
        "หนี้สิน",
        "xxxxx",
    ):
        assert secret not in html and secret not in text, secret


def test_wrong_pair_is_not_found_without_saying_which_part(anon_page, closed_case):
    pg = anon_page
    pg.goto("/follow-up")
    answers = []
    for tracking_no, last4 in (
        (closed_case.tracking_no, "5679"),  # wrong phone
        (closed_case.tracking_no.replace("000001", "000002"), "5678"),  # wrong number
        (closed_case.tracking_no, "45678"),
        (closed_case.tracking_no, ""),
    ):
        if not last4:
            pg.evaluate("document.querySelector('#phone_last4').removeAttribute('required')")
        resp = look_up(pg, tracking_no, last4)
        assert resp.status == 404
        assert pg.locator("#follow-up-timeline").count() == 0
        answers.append(pg.locator("#follow-up-problem").inner_text())
    assert len(set(answers)) == 1 and answers[0].startswith("ไม่พบเรื่อง")
    assert "โทรศัพท์" in answers[0] and "เลขที่เรื่อง" in answers[0]  # names both, blames neither
    assert "รับเรื่องแล้ว" not in pg.content()


def test_english_with_lang_en(anon_page, closed_case):
    pg = anon_page
    pg.goto("/follow-up?lang=en")
    assert pg.locator("h1").inner_text() == "Follow up a complaint"
    look_up(pg, closed_case.tracking_no, "5678")
    statuses = pg.locator("#follow-up-timeline .status").all_inner_texts()
    assert statuses == ["Received", "In progress", "Waiting on an agency", "Closed"]
    today = dt.datetime.now(dt.UTC) + dt.timedelta(hours=7)
    assert str(today.year) in pg.locator("#follow-up-timeline .when").first.inner_text()
    assert FIRST not in pg.content() and SUMMARY not in pg.content()
    look_up(pg, closed_case.tracking_no, "0000")
    assert pg.locator("#follow-up-problem").inner_text().startswith("No complaint matches")


def test_status_json_gives_steps_only(anon_page, closed_case):
    r = anon_page.request.get(
        "/follow-up/status.json", params={"tracking_no": closed_case.tracking_no, "phone_last4": "5678"}
    )
    assert r.status == 200
    body = r.json()
    assert list(body) == ["steps"] and [s["status"] for s in body["steps"]] == [
        "received",
        "in_progress",
        "waiting_agency",
        "closed",
    ]
    assert all(set(s) == {"status", "at", "outcome"} for s in body["steps"])
    r = anon_page.request.get(
        "/follow-up/status.json", params={"tracking_no": closed_case.tracking_no, "phone_last4": "1234"}
    )
    assert r.status == 404 and "steps" not in r.json()


def test_too_many_lookups_get_429(anon_page, closed_case, monkeypatch):
    monkeypatch.setattr(public_views, "LIMIT", (5, 600))  # read when the server makes its limiter
    pg = anon_page
    for _ in range(3):  # the JSON lookups and the form share one limit
        r = pg.request.get(
            "/follow-up/status.json", params={"tracking_no": closed_case.tracking_no, "phone_last4": "0000"}
        )
        assert r.status == 404
    pg.goto("/follow-up")
    assert look_up(pg, closed_case.tracking_no, "0000").status == 404
    assert look_up(pg, closed_case.tracking_no, "5678").status == 200
    resp = look_up(pg, closed_case.tracking_no, "5678")  # the right pair, but one too many
    assert resp.status == 429 and resp.headers.get("retry-after") == "600"
    assert pg.locator("#follow-up-problem").inner_text() == "ตรวจสอบบ่อยเกินไป กรุณารอสักครู่แล้วลองใหม่"
    assert pg.locator("#follow-up-timeline").count() == 0
    r = pg.request.get("/follow-up/status.json", params={"tracking_no": closed_case.tracking_no, "phone_last4": "5678"})
    assert r.status == 429 and "steps" not in r.json()
    assert r.json()["message"] == "ตรวจสอบบ่อยเกินไป กรุณารอสักครู่แล้วลองใหม่"
