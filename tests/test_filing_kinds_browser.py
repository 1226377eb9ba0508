"""Filing under a complaint, in a real headless Chromium over the real server (issue 20): the scan
page's document-kind picker, filing a document again under another kind (the complaint page says
what happened), the document's own kind following its filing (a scanned petition is listed as a
petition, not "other"), the complaint page following each document's OCR in place, and the
favicon. Real SANE (`pnm:0`), real Tesseract in the server's ingest worker."""

from __future__ import annotations

import re
import time

import pytest

from tests.conftest import CHROMIUM, PETITION_LINES
from tests.test_scan_browser import SCAN_TIMEOUT_MS, start_scan, wait_batch_state, wait_document_done
from tests.thai_pages import render_lines

if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium on this machine", allow_module_level=True)

from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("sane_config")]

OCR_TIMEOUT_MS = 120_000
DONE_TH = "เสร็จแล้ว"


def new_complaint(archive, admin):
    from records import complaints
    from records.models import Category

    with archive.db.session() as s:
        cat_id = s.query(Category).filter_by(name_th="ที่ดิน").one().id
    return complaints.create(archive.db, admin, {"phone": "0812345678", "category_id": cat_id, "area_code": "KKN-01"})


def scan_into(page, complaint, pnm, kind: str | None = None) -> int:
    """From the complaint page: scan one page and file it under the complaint (as `kind`, or the
    picker's default); returns the document's id, once back on the complaint page."""
    page.goto(f"/complaints/{complaint.id}")
    page.click("#scan-for-complaint")
    expect(page.locator("#device option[value='pnm:0']")).to_be_attached()
    start_scan(page, "pnm:0", "flatbed", f"filename={pnm}", resolution="300")
    wait_batch_state(page, "open", SCAN_TIMEOUT_MS)
    expect(page.locator("#file-under")).to_have_value(complaint.tracking_no)
    if kind:
        page.select_option("#file-kind", kind)
    page.click("#file-batch")
    page.wait_for_url(f"**/complaints/{complaint.id}")
    row = page.locator("#complaint-documents tr.complaint-document").last
    return int(row.get_attribute("data-document-id"))


def document_row(page, doc_id: int):
    return page.locator(f"#complaint-documents tr.complaint-document[data-document-id='{doc_id}']")


def listed_kind(page, doc_id: int) -> str:
    """The kind the document list shows for the document."""
    page.goto("/")
    row = page.locator("table.docs tbody tr", has=page.locator(f"a[href='/documents/{doc_id}']"))
    expect(row).to_have_count(1)
    return row.locator("td").nth(2).inner_text()


def file_again(page, doc_id: int, kind: str) -> None:
    """The complaint page's file-document form."""
    page.fill("#file-document-id", str(doc_id))
    page.select_option("#file-kind", kind)
    with page.expect_navigation():
        page.click("#file-submit")


@pytest.fixture
def pnm(tmp_path):
    """A page the field reader cannot tell a kind from (no ข้าพเจ้า, no คำร้อง): it says "other"."""
    p = tmp_path / "page.pnm"
    render_lines(PETITION_LINES[:1]).save(p, "PPM")
    return p


@pytest.fixture
def long_pnm(tmp_path):
    """The same kind of page with a long body: its OCR takes long enough (seconds) for the
    complaint page to be shown while it is still being read."""
    p = tmp_path / "long.pnm"
    body = [f"ขอให้ตรวจสอบการก่อสร้างถนนในหมู่บ้านแห่งนี้ ซึ่งล่าช้ามาแล้ว {n} เดือน" for n in range(1, 25)]
    render_lines(PETITION_LINES[:1] + body).save(p, "PPM")
    return p


def test_scanned_petition_is_a_petition_and_its_ocr_state_follows_in_place(page, archive, admin, long_pnm):
    c = new_complaint(archive, admin)
    page.goto(f"/complaints/{c.id}")
    page.click("#scan-for-complaint")
    # the picker offers the complaint's document kinds, in Thai, petition first and chosen
    picker = page.locator("#file-kind")
    expect(picker.locator("option")).to_have_text(["คำร้อง", "หลักฐาน", "หนังสือราชการ", "หนังสือตอบ", "รายงานผล"])
    expect(picker).to_have_value("petition")

    state_requests: list[str] = []
    page.on("request", lambda r: state_requests.append(r.url) if "/state.json" in r.url else None)
    doc_id = scan_into(page, c, long_pnm)
    expect(page.locator(".flash").first).to_have_text(f"แนบเอกสาร #{doc_id} เข้าเรื่องแล้ว เป็น “คำร้อง”")
    row = document_row(page, doc_id)
    expect(row.locator(".doc-kind")).to_have_text("คำร้อง")

    # the page was shown while the document waited for OCR; it follows it without a reload
    page.evaluate("() => { window.notReloaded = true; }")
    assert row.get_attribute("data-state") in ("pending", "processing")
    expect(row.locator(".doc-state")).to_have_text(re.compile("รอประมวลผล|กำลังอ่านข้อความ"))
    expect(row.locator(".doc-state")).to_have_text(DONE_TH, timeout=OCR_TIMEOUT_MS)
    expect(row.locator(".doc-pages")).to_have_text("1")
    assert page.evaluate("() => window.notReloaded === true")
    assert state_requests, "the page never asked for the document's state"
    # and stops asking once every document is done
    asked = len(state_requests)
    time.sleep(4)
    assert len(state_requests) == asked

    # the reader found no kind in it ("other"); filed as a petition, it is listed as one
    doc = wait_document_done(page, doc_id)
    assert doc["kind"] == "petition"
    assert listed_kind(page, doc_id) == "คำร้อง"
    page.goto(f"/documents/{doc_id}")
    expect(page.locator("dl.meta dt:text-is('ประเภท') + dd")).to_have_text("คำร้อง")

    # filed again as evidence: the complaint says so and shows it so, still one row
    page.goto(f"/complaints/{c.id}")
    file_again(page, doc_id, "evidence")
    expect(page.locator(".flash").first).to_contain_text(f"#{doc_id}")
    expect(page.locator(".flash").first).to_contain_text("เปลี่ยนประเภทเป็น “หลักฐาน”")
    expect(page.locator("#complaint-documents tr.complaint-document")).to_have_count(1)
    expect(document_row(page, doc_id).locator(".doc-kind")).to_have_text("หลักฐาน")
    # the same again changes nothing, and says that
    file_again(page, doc_id, "evidence")
    expect(page.locator(".flash").first).to_contain_text("ไม่มีการเปลี่ยนแปลง")
    expect(document_row(page, doc_id).locator(".doc-kind")).to_have_text("หลักฐาน")

    from records import audit

    trail = [(e.action, e.after) for e in audit.entries_for(archive.db, "complaint", c.tracking_no)]
    kinds = [(a, d.get("kind")) for a, d in trail if a in ("file_document", "document_kind")]
    assert kinds == [("file_document", "petition"), ("document_kind", "evidence")]


def test_kind_picked_on_the_scan_page_and_refiled_as_petition(page, archive, admin, pnm):
    c = new_complaint(archive, admin)
    doc_id = scan_into(page, c, pnm, kind="evidence")
    expect(page.locator(".flash").first).to_contain_text("“หลักฐาน”")
    expect(document_row(page, doc_id).locator(".doc-kind")).to_have_text("หลักฐาน")
    doc = wait_document_done(page, doc_id)
    assert doc["kind"] == "other"  # evidence is no kind of document of its own: the reader's stands
    assert listed_kind(page, doc_id) == "อื่น ๆ"

    # the clerk sees it is the petition itself: filed again as one, it becomes one
    page.goto(f"/complaints/{c.id}?lang=en")
    file_again(page, doc_id, "petition")
    expect(page.locator(".flash").first).to_have_text(
        f"Document #{doc_id} was already filed under the complaint; it is now filed as “Petition”"
    )
    expect(document_row(page, doc_id).locator(".doc-kind")).to_have_text("Petition")
    assert page.request.get(f"/api/v1/documents/{doc_id}").json()["kind"] == "petition"
    page.goto("/?lang=th")
    assert listed_kind(page, doc_id) == "คำร้อง"

    from records import audit

    [changed] = [e for e in audit.entries_for(archive.db, "complaint", c.tracking_no) if e.action == "document_kind"]
    assert changed.before == {"document_id": doc_id, "kind": "evidence", "document_kind": "other"}
    assert changed.after["kind"] == "petition" and changed.after["document_kind"] == "petition"


def test_favicon_is_linked_and_served(anon_page):
    failed: list[str] = []
    anon_page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    anon_page.goto("/login")
    icon = anon_page.locator("link[rel='icon']")
    expect(icon).to_have_attribute("href", re.compile(r"/static/favicon\.svg$"))
    for url in (icon.get_attribute("href"), "/favicon.ico"):  # the name browsers ask for unprompted
        r = anon_page.request.get(url)
        assert r.ok and r.headers["content-type"].startswith("image/svg+xml"), (url, r.status)
        assert b"<svg" in r.body()
    anon_page.goto("/favicon.ico")  # as a browser tab would show it
    assert not failed, failed
