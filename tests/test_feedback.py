"""The citizen's word on a closed complaint, on the public follow-up page (no sign-in; the
tracking number and the last four phone digits are the key): stars and a comment, a request to
reopen with its reason; the centre sees them on the complaint and in its satisfaction figure."""

from __future__ import annotations

import re

from sqlalchemy import select

from records import complaints
from records.models import Category, ComplaintFeedback
from tests.conftest import client_for, make_user


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_citizen_rates_a_closed_complaint_and_asks_to_reopen_it(archive, app):
    officer = make_user(archive, "officer", "KKN-01", seed=771)
    with archive.db.session() as s:
        cat = s.scalar(select(Category.id).where(Category.name_th == "สาธารณูปโภค"))
    c = complaints.create(archive.db, officer, {"phone": "081-234-5678", "category_id": cat, "summary": "ไฟดับ"})
    citizen = app.test_client()

    def look(last4="5678"):
        page = citizen.get("/follow-up").get_data(as_text=True)
        return citizen.post(
            "/follow-up", data={"csrf_token": _csrf(page), "tracking_no": c.tracking_no, "phone_last4": last4}
        )

    def say(**fields):
        page = look().get_data(as_text=True)
        data = {"csrf_token": _csrf(page), "tracking_no": c.tracking_no, "phone_last4": "5678", **fields}
        return citizen.post("/follow-up/feedback", data=data)

    assert 'id="feedback-form"' not in look().get_data(as_text=True)  # open: nothing to rate yet
    r = say(stars="5")
    assert r.status_code == 422 and "ให้คะแนนได้เมื่อยุติเรื่องแล้ว" in r.get_data(as_text=True)
    complaints.transition(archive.db, officer, c.id, "closed", "ซ่อมแล้ว", outcome="resolved")
    assert 'id="feedback-form"' in look().get_data(as_text=True)

    r = say(stars="๔", comment="เจ้าหน้าที่มาซ่อมเร็ว")  # Thai digits too
    assert r.status_code == 200 and "ขอบคุณสำหรับความคิดเห็น" in r.get_data(as_text=True)
    r = say(reopen="1")
    assert r.status_code == 422 and "ต้องระบุเหตุผล" in r.get_data(as_text=True)
    r = say(reopen="1", reason="ไฟดับอีกแล้วตั้งแต่เมื่อวาน")
    assert r.status_code == 200 and "คำขอเปิดเรื่องใหม่" in r.get_data(as_text=True)
    r = say(stars="9")
    assert r.status_code == 422
    wrong = citizen.post(
        "/follow-up/feedback",
        data={"csrf_token": _csrf(look().get_data(as_text=True)), "tracking_no": c.tracking_no, "phone_last4": "0000"},
    )
    assert wrong.status_code == 404
    with archive.db.session() as s:
        said = list(s.scalars(select(ComplaintFeedback).order_by(ComplaintFeedback.id)))
    assert [(f.stars, f.reopen_requested) for f in said] == [(4, False), (None, True)]

    web = client_for(app, archive, officer)
    page = web.get(f"/complaints/{c.id}").get_data(as_text=True)
    assert "★★★★☆" in page and "เจ้าหน้าที่มาซ่อมเร็ว" in page
    assert "ผู้ร้องขอให้เปิดเรื่องใหม่: ไฟดับอีกแล้วตั้งแต่เมื่อวาน" in page
    listing = web.get("/complaints").get_data(as_text=True)
    assert "เฉลี่ย 4.0 จาก 5 ดาว (1 เรื่อง)" in listing and "ขอเปิดเรื่องใหม่ 1 เรื่อง" in listing
    other = make_user(archive, "officer", "CMI-01", seed=772)
    assert "เฉลี่ย" not in client_for(app, archive, other).get("/complaints").get_data(as_text=True)
