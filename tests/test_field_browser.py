"""A field team member's phone, in headless Chromium at 390×844 with a real service worker and
the production server (gunicorn): the list nearest first from the phone's position, the
complaint opened when the link to the server is gone, two reports with camera photos written
without a signal, kept on the phone across a reload, sent once the server is back, sent again
without being recorded twice — and the district reading them with their photos."""

from __future__ import annotations

import os
import signal
import subprocess

import pytest
from PIL import Image
from sqlalchemy import func, select

from records import complaints, field_work
from records.models import Category, Complaint, FieldUpdate
from tests.conftest import CHROMIUM, free_port, make_user, sign_in, start_server, wait_for

if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium on this machine", allow_module_level=True)

pytestmark = pytest.mark.browser

WIDER = """() => [...document.querySelectorAll('body *')]
  .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.right > innerWidth + 1; })
  .map(e => e.tagName + (e.id ? '#' + e.id : ''))"""
QUEUED = """() => new Promise((resolve) => {
  const req = indexedDB.open('damrong-field', 1);
  req.onsuccess = () => { const all = req.result.transaction('reports').objectStore('reports').getAll();
    all.onsuccess = () => resolve(all.result.length); };
  req.onerror = () => resolve(-1);
})"""
KEEP_COPY = """() => new Promise((resolve) => {
  const req = indexedDB.open('damrong-field', 1);
  req.onsuccess = () => { const all = req.result.transaction('reports').objectStore('reports').getAll();
    all.onsuccess = () => { window.__copy = all.result; resolve(all.result.length); }; };
})"""
PUT_BACK = """() => new Promise((resolve) => {
  const req = indexedDB.open('damrong-field', 1);
  req.onsuccess = () => { const tx = req.result.transaction('reports', 'readwrite');
    window.__copy.forEach((r) => tx.objectStore('reports').put(r)); tx.oncomplete = () => resolve(true); };
})"""


def _camera_photo(path, colour) -> None:
    Image.new("RGB", (3000, 4000), colour).save(path, "JPEG")  # a phone's portrait photo


def _gone(url: str) -> bool:
    """Nothing answers at `url` any more."""
    import requests

    try:
        requests.get(f"{url}/login", timeout=2)
    except requests.ConnectionError:
        return True
    return False


def _reports(archive) -> int:
    with archive.db.session() as s:
        return s.scalar(select(func.count(FieldUpdate.id)))


def test_a_field_team_reports_from_the_phone_without_a_signal_and_the_district_sees_it(
    browser, archive, home, tmp_path
):
    officer = make_user(archive, "officer", "KKN-01", seed=8001, name="นางสาวอำเภอ เมือง")
    member = make_user(archive, "field", "KKN-01-02", seed=8002, name="นายสนาม สำราญ")
    with archive.db.session() as s:
        cat = s.scalar(select(Category.id).where(Category.name_th == "สาธารณูปโภค"))
    base = {"phone": "0812345678", "category_id": cat}
    far = complaints.create(
        archive.db, officer, base | {"summary": "ถนนชำรุด", "latitude": "16.52", "longitude": "102.95"}
    )
    near = complaints.create(
        archive.db,
        officer,
        base | {"summary": "ไฟฟ้าส่องสว่างดับทั้งซอย", "latitude": "16.4412", "longitude": "102.8355"},
    )
    for c in (far, near):
        field_work.assign(archive.db, officer, c.id, "KKN-01-02")
    before, after = tmp_path / "IMG_0001.jpg", tmp_path / "IMG_0002.jpg"
    _camera_photo(before, (120, 60, 30))
    _camera_photo(after, (30, 140, 60))

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DAMRONG_HOME": str(home)}
    server = start_server(env, port, log=tmp_path / "serve.log")
    phone = browser.new_context(
        base_url=url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="th-TH",
        timezone_id="Asia/Bangkok",
        permissions=["geolocation"],
        geolocation={"latitude": 16.4400, "longitude": 102.8300, "accuracy": 15},
    )
    phone.set_default_timeout(20_000)
    pg = phone.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    try:
        sign_in(pg, member)
        assert pg.url.endswith("/field/")
        assert pg.locator(".field-card").count() == 2
        pg.click("#nearest-first")
        pg.wait_for_url(lambda u: "near=" in u)
        order = pg.locator(".field-card").evaluate_all("cards => cards.map(c => c.dataset.tracking)")
        assert order == [near.tracking_no, far.tracking_no]
        assert pg.locator(".field-card").first.locator(".distance").inner_text() == "ห่าง 602 ม."
        assert pg.evaluate(WIDER) == []
        # installable: a manifest and a service worker controlling the page, the complaints kept
        assert pg.evaluate("navigator.serviceWorker.ready.then(r => r.active.state)") in ("activated", "activating")
        pg.reload()
        wait_for("the service worker to control the page", lambda: pg.evaluate("!!navigator.serviceWorker.controller"))
        pg.goto(f"/field/c/{near.tracking_no}")
        assert "destination=16.441200%2C102.835500" in pg.get_attribute("#navigate", "href")

        subprocess.run(["pkill", "-KILL", "-P", str(server.pid)], check=False)  # the district's link goes down
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        wait_for("nothing to answer", lambda: _gone(url), timeout=30)
        pg.goto("/field/")  # from the phone's own copy
        assert pg.locator(".field-card").count() == 2
        pg.goto(f"/field/c/{near.tracking_no}")
        assert pg.locator("#field-summary").inner_text() == "ไฟฟ้าส่องสว่างดับทั้งซอย"

        pg.fill("#note", "ตรวจพื้นที่แล้ว หลอดไฟขาด ๓ จุด")
        pg.set_input_files("#photo-before", str(before))
        pg.click("#send-report")
        wait_for("the first report queued", lambda: pg.evaluate(QUEUED) == 1)
        pg.check("#closing")
        pg.select_option("#outcome", "resolved")
        pg.fill("#note", "เปลี่ยนหลอดไฟครบแล้ว ใช้งานได้ปกติ")
        pg.set_input_files("#photo-after", str(after))
        pg.click("#send-report")
        wait_for("the second report queued", lambda: pg.evaluate(QUEUED) == 2)
        pg.goto(f"/field/c/{near.tracking_no}")  # a reload (still no server): nothing lost
        assert pg.evaluate(QUEUED) == 2
        assert pg.locator("#queue-summary").inner_text() == "รอส่ง 2 รายการ"
        assert pg.evaluate(WIDER) == []
        pg.screenshot(path=str(tmp_path / "phone-queued.png"), full_page=True)
        assert _reports(archive) == 0
        assert pg.evaluate(KEEP_COPY) == 2  # what the phone sends, kept aside to send it twice

        server = start_server(env, port, log=tmp_path / "serve.log")  # the link is back
        pg.click("#send-now")
        wait_for("both reports on the server", lambda: _reports(archive) == 2, timeout=60)
        wait_for("the queue empty", lambda: pg.evaluate(QUEUED) == 0)
        pg.evaluate(PUT_BACK)  # as if the answers had been lost on the way: the phone sends again
        pg.reload()  # the queue is sent whenever a field page opens
        wait_for("the queue empty again", lambda: pg.evaluate(QUEUED) == 0)
        assert _reports(archive) == 2  # each recorded once

        with archive.db.session() as s:
            c = s.get(Complaint, near.id)
            assert (c.status.value, c.outcome) == ("closed", "resolved")
            sent = field_work.updates_of(s, near.id)
            assert [u.to_status for u in sent] == ["closed", "in_progress"]
            assert [[p.stage for p in u.photos] for u in sent] == [["after"], ["before"]]
            assert all((u.latitude, u.longitude) == (16.44, 102.83) for u in sent)
            width, height = sent[0].photos[0].width, sent[0].photos[0].height
        assert (width, height) == (1200, 1600)  # made smaller on the phone, upright

        office = browser.new_context(base_url=url, locale="th-TH", timezone_id="Asia/Bangkok")
        desk = office.new_page()
        sign_in(desk, officer)
        desk.goto(f"/complaints/{near.id}")
        items = desk.locator("#field-reports .field-report-item")
        assert items.count() == 2
        assert "เปลี่ยนหลอดไฟครบแล้ว" in items.first.inner_text() and "นายสนาม สำราญ" in items.first.inner_text()
        desk.wait_for_function(
            "[...document.querySelectorAll('#field-reports img')].every(i => i.complete && i.naturalWidth > 0)"
        )
        assert desk.locator("#team-now").inner_text().endswith("สำราญ")
        desk.screenshot(path=str(tmp_path / "district-sees-reports.png"), full_page=True)
        office.close()
    finally:
        phone.close()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    assert not errors, errors
