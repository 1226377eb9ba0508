"""The web UI in a real headless Chromium: upload (file chooser and drag-and-drop), OCR progress,
search with Thai names, ID numbers and Buddhist Era dates, the document page, downloads, and the
Thai/English switch. A real server (werkzeug) runs the real app over a fresh archive per test;
OCR is real Tesseract."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import time
from urllib.parse import quote

import pytest

from tests.conftest import CHROMIUM
from tests.thai_pages import render_lines

if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium on this machine", allow_module_level=True)

from playwright.sync_api import expect

pytestmark = pytest.mark.browser

OCR_TIMEOUT_MS = 120_000  # real Tesseract; others may be running OCR on this machine too
INDEX_WAIT_S = 20  # "done" is shown once the record commits; the index follows a moment later
CITIZEN_ID_THAI = "๓๑๗๔๒๑๘๐๙๖๗๙๕"
CITIZEN_ID_DASHED = "3-1742-18096-79-5"
NAME = "ทองประเสริฐ"
FINISHED = ", ".join(f"li.upload-item[data-state='{s}']" for s in ("done", "failed", "rejected"))


# --- the server and the browser ---------------------------------------------------------------


# --- helpers ----------------------------------------------------------------------------------


def png_bytes(lines: list[str]) -> bytes:
    buf = io.BytesIO()
    render_lines(lines).save(buf, "PNG", dpi=(300, 300))
    return buf.getvalue()


def wait_finished(page, row):
    """Wait for an upload row to reach an end state (done, failed or rejected); returns it."""
    page.wait_for_selector(FINISHED, timeout=OCR_TIMEOUT_MS)
    return row.get_attribute("data-state")


def upload_via_input(page, path_or_payload) -> None:
    """Choose a file through the page's file input and wait until its row has finished."""
    page.goto("/")
    page.set_input_files("#file-input", path_or_payload)
    row = page.locator("li.upload-item").last
    expect(row).to_be_visible()
    state = wait_finished(page, row)
    assert state == "done", f"upload ended {state!r}: {row.inner_text()}"


def search_hits(page, url: str):
    """Open a search URL; the index is fed just after a document is marked done, so give it a
    moment to appear. Returns the hits locator."""
    deadline = time.monotonic() + INDEX_WAIT_S
    while True:
        page.goto(url)
        hits = page.locator("ol.hits li.hit")
        if hits.count() or time.monotonic() > deadline:
            return hits
        time.sleep(0.3)


def q(text: str) -> str:
    return "/search?q=" + quote(text)


# --- tests ------------------------------------------------------------------------------------


def test_upload_then_find_by_name_and_citizen_id(page, petition_png):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.locator("h1")).to_have_text("เอกสาร")
    expect(page.locator("p.empty")).to_have_text("ยังไม่มีเอกสาร")

    page.set_input_files("#file-input", str(petition_png))
    row = page.locator("li.upload-item")
    expect(row).to_have_count(1)
    expect(row.locator(".name")).to_have_text("petition.png")
    state = wait_finished(page, row)
    assert state == "done", row.inner_text()
    expect(row.locator(".status")).to_contain_text("เสร็จแล้ว")
    expect(row.locator("progress")).to_have_attribute("value", "100")
    open_link = row.locator(".status a")
    expect(open_link).to_have_attribute("href", "/documents/1")

    hits = search_hits(page, q(NAME))
    expect(hits).to_have_count(1)
    link = hits.first.locator("a").first
    expect(link).to_have_text("ขอความช่วยเหลือเรื่องหนี้นอกระบบ")  # titled by its subject (issue 20)
    expect(link).to_have_attribute("href", "/documents/1")
    expect(hits.first.locator(".filename")).to_have_text("petition.png")
    expect(hits.first.locator(".snippet mark").first).to_have_text(NAME)
    expect(page.locator("#result-count")).to_have_text("พบ 1 เอกสาร")
    expect(page.locator("#q")).to_have_value(NAME)

    for ident in (CITIZEN_ID_THAI, CITIZEN_ID_DASHED):
        hits = search_hits(page, q(ident))
        expect(hits).to_have_count(1)
        expect(hits.first.locator(".filename")).to_have_text("petition.png")
        expect(hits.first.locator("a").first).to_have_attribute("href", "/documents/1")

    # the list on the front page now shows it, done
    page.goto("/")
    rows = page.locator("table.docs tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("a")).to_have_text("petition.png")
    expect(rows.first).to_have_class("state-done")


def test_drag_and_drop_upload(page):
    data = png_bytes(["เรื่อง ขอรับเงินช่วยเหลือผู้ประสบอุทกภัย", "นางมณีรัตน์ ศรีสุวรรณ อำเภอเมือง"])
    page.goto("/")
    zone = page.locator("#upload")
    dt_handle = page.evaluate_handle(
        """([b64, name]) => {
            const bin = atob(b64);
            const bytes = new Uint8Array(bin.length);
            for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
            const dt = new DataTransfer();
            dt.items.add(new File([bytes], name, {type: 'image/png'}));
            return dt;
        }""",
        [base64.b64encode(data).decode(), "flood-aid.png"],
    )
    zone.dispatch_event("dragenter", {"dataTransfer": dt_handle})
    zone.dispatch_event("dragover", {"dataTransfer": dt_handle})
    expect(zone).to_have_class("dropzone over")  # the drop target lights up while dragging
    zone.dispatch_event("drop", {"dataTransfer": dt_handle})
    expect(zone).not_to_have_class("dropzone over")

    row = page.locator("li.upload-item")
    expect(row).to_have_count(1)
    expect(row.locator(".name")).to_have_text("flood-aid.png")
    expect(row.locator("progress")).to_be_attached()
    state = wait_finished(page, row)
    assert state == "done", row.inner_text()
    expect(row.locator(".status")).to_contain_text("เสร็จแล้ว")

    hits = search_hits(page, q("อุทกภัย"))
    expect(hits).to_have_count(1)
    expect(hits.first.locator(".filename")).to_have_text("flood-aid.png")


def test_document_page_image_text_downloads_and_be_date(page, petition_png):
    upload_via_input(page, str(petition_png))
    page.locator("li.upload-item .status a").click()
    expect(page).to_have_url(re.compile(r"/documents/1$"))
    expect(page.locator("h1")).to_have_text("petition.png")
    expect(page.locator("#doc-state")).to_have_text("เสร็จแล้ว")

    img = page.locator("section.page figure img").first
    img.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    assert img.evaluate("i => i.naturalWidth") > 0
    resp = page.request.get(img.get_attribute("src"))
    assert resp.status == 200 and resp.headers["content-type"] == "image/jpeg"

    # the OCR text stands beside the page image
    pre = page.locator("section.page .page-text pre").first
    expect(pre).to_contain_text(NAME)
    expect(pre).to_contain_text("3-1742-18096-79-5")
    box_img, box_pre = img.bounding_box(), pre.bounding_box()
    assert box_img and box_pre
    assert box_pre["x"] >= box_img["x"] + box_img["width"] - 1, (box_img, box_pre)  # to its right
    assert box_pre["y"] < box_img["y"] + box_img["height"], (box_img, box_pre)  # on the same row

    downloads = {
        "#download-original": ("image/png", "petition.png"),
        "#download-archive": ("application/pdf", "petition-archive.pdf"),
    }
    for sel, (ctype, fname) in downloads.items():
        link = page.locator(sel)
        expect(link).to_be_visible()
        r = page.request.get(link.get_attribute("href"))
        assert r.status == 200, sel
        assert r.headers["content-type"].split(";")[0] == ctype, (sel, r.headers["content-type"])
        assert "attachment" in r.headers.get("content-disposition", ""), sel
        assert fname in r.headers.get("content-disposition", ""), sel
        body = r.body()
        assert body[:8] == b"\x89PNG\r\n\x1a\n" if ctype == "image/png" else body[:5] == b"%PDF-"
    assert (
        page.request.get(page.locator("#download-original").get_attribute("href")).body() == petition_png.read_bytes()
    )

    # received date in the Buddhist Era (the app shows Thai local time, UTC+7)
    be_year = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=7)).year + 543
    received = page.locator("dl.meta dt", has_text="วันที่นำเข้า").locator("xpath=following-sibling::dd[1]")
    expect(received).to_contain_text(str(be_year))
    assert str(be_year) in page.locator("main").inner_text()


def test_language_switch_persists(page):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "th")
    switch = page.locator("#lang-switch")
    expect(switch).to_have_text("English")
    switch.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Documents")
    expect(page.locator("p.empty")).to_have_text("No documents yet")
    expect(page.locator("#lang-switch")).to_have_text("ภาษาไทย")
    assert any(c["name"] == "lang" and c["value"] == "en" for c in page.context.cookies())

    # a later page load, with no ?lang=, remembers the choice (cookie)
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Documents")
    page.goto("/search")
    expect(page.locator("h1")).to_have_text("Search")
    expect(page.locator("#search-submit")).to_have_text("Search")

    # and back to Thai
    page.locator("#lang-switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.locator("h1")).to_have_text("ค้นหา")
    page.goto("/")
    expect(page.locator("h1")).to_have_text("เอกสาร")


def test_bad_upload_is_rejected_and_list_unchanged(page):
    page.goto("/")
    expect(page.locator("p.empty")).to_have_text("ยังไม่มีเอกสาร")
    page.set_input_files(
        "#file-input",
        {"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": "บันทึกการประชุม meeting notes\n".encode()},
    )
    row = page.locator("li.upload-item")
    expect(row).to_have_count(1)
    expect(row.locator(".name")).to_have_text("notes.jpg")
    expect(row).to_have_attribute("data-state", "rejected")
    status = row.locator(".status")
    expect(status).to_contain_text("ไม่รับไฟล์")
    text = status.inner_text()
    # the reason is shown after the state, and there is nothing to open
    assert " — " in text and len(text.split(" — ", 1)[1].strip()) > 5, text
    expect(status.locator("a")).to_have_count(0)
    expect(row.locator("progress")).to_have_attribute("value", "100")

    page.reload()
    expect(page.locator("p.empty")).to_have_text("ยังไม่มีเอกสาร")
    expect(page.locator("table.docs")).to_have_count(0)


def test_search_form_be_dates_in_thai_digits(page, petition_png):
    upload_via_input(page, str(petition_png))
    search_hits(page, q(NAME))  # wait until the index has it

    page.goto("/search")
    page.fill("#q", NAME)
    page.fill("input[name=from]", "๐๑/๐๑/๒๕๐๐")
    page.fill("input[name=to]", "๓๑/๑๒/๒๖๐๐")
    page.click("form.search-form button[type=submit]")
    hits = page.locator("ol.hits li.hit")
    expect(hits).to_have_count(1)
    expect(hits.first.locator(".filename")).to_have_text("petition.png")
    expect(page.locator("#search-error")).to_have_count(0)
    # the form keeps what was typed
    expect(page.locator("input[name=from]")).to_have_value("๐๑/๐๑/๒๕๐๐")
    expect(page.locator("input[name=to]")).to_have_value("๓๑/๑๒/๒๖๐๐")

    # a range that ends before the document came in finds nothing
    page.fill("input[name=from]", "๐๑/๐๑/๒๕๐๐")
    page.fill("input[name=to]", "๓๑/๑๒/๒๕๕๐")
    page.click("form.search-form button[type=submit]")
    expect(page.locator("ol.hits li.hit")).to_have_count(0)
    expect(page.locator("#result-count")).to_have_text("ไม่พบเอกสาร")

    # an impossible date: the error paragraph, no results
    page.fill("input[name=from]", "๓๒/๑๓/๒๕๖๘")
    page.fill("input[name=to]", "")
    page.click("form.search-form button[type=submit]")
    err = page.locator("#search-error")
    expect(err).to_be_visible()
    expect(err).to_contain_text("วันที่ไม่ถูกต้อง")
    expect(page.locator("ol.hits")).to_have_count(0)
    expect(page.locator("input[name=from]")).to_have_value("๓๒/๑๓/๒๕๖๘")
