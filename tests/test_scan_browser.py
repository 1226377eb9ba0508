"""The scan page in a real headless Chromium, scanning through pyinsane2 and real SANE virtual
backends (no mocks): `test:0`/`test:1` (frontend-tester: a feeder of ten sheets, faults injected by
its read-return-value option) and `pnm:0` (returns a given PNM file as the scanned page). Each scan
runs in its own `python -m cli scan-job` process started by the real server (werkzeug, fresh
archive per test); filed batches are OCR'd by real Tesseract in the server's ingest worker."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.conftest import CHROMIUM, PETITION_LINES
from tests.thai_pages import render_lines

if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium on this machine", allow_module_level=True)

from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("sane_config")]

SCAN_TIMEOUT_MS = 60_000  # ten sheets from the test backend, on a busy 2-core machine
OCR_TIMEOUT_S = 120  # real Tesseract; the filed batch is OCR'd in the background
INDEX_WAIT_S = 20  # "done" is recorded before the index writer has caught up
SLOW = "read-delay=true\nread-delay-duration=50000"  # ~0.3 s a sheet

JAMMED_TH = "กระดาษติด"
FINISHED_TH = "สแกนเสร็จ"
NAME = "ทองประเสริฐ"


# --- helpers ----------------------------------------------------------------------------------


def open_scan(page, query: str = "") -> None:
    page.goto("/scan" + query)
    expect(page.locator("#device option[value='test:0']")).to_be_attached()  # the list has loaded


def set_options(page, text: str) -> None:
    details = page.locator("details:has(#options)")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    page.fill("#options", text)


def start_scan(page, device: str, source: str, options: str, resolution: str = "100") -> None:
    page.select_option("#device", device)
    page.select_option("#source", source)
    page.fill("#resolution", resolution)
    set_options(page, options)
    page.click("#start-scan")
    expect(page.locator("#batch")).to_be_visible()


def batch_id_of(page) -> int:
    page.wait_for_function("() => /batch=\\d+/.test(location.hash)")
    return int(page.evaluate("() => /batch=(\\d+)/.exec(location.hash)[1]"))


def batch_json(page, batch_id: int) -> dict:
    r = page.request.get(f"/scan/batches/{batch_id}.json")
    assert r.ok, r.status
    return r.json()


def wait_batch_state(page, state: str, timeout_ms: int = SCAN_TIMEOUT_MS) -> None:
    expect(page.locator("#batch")).to_have_attribute("data-state", state, timeout=timeout_ms)


def thumb_ids(page) -> list[int]:
    return [int(x) for x in page.locator("#thumbs li.thumb").evaluate_all("els => els.map(e => e.dataset.page)")]


def wait_document_done(page, document_id: int) -> dict:
    deadline = time.monotonic() + OCR_TIMEOUT_S
    while True:
        doc = page.request.get(f"/api/v1/documents/{document_id}").json()
        if doc["state"] not in ("pending", "processing"):
            assert doc["state"] == "done", doc
            return doc
        assert time.monotonic() < deadline, f"document {document_id} still {doc['state']}"
        time.sleep(0.3)


def file_batch(page) -> int:
    """Press "file as document"; returns the id of the (one) document it became."""
    page.click("#file-batch")
    wait_batch_state(page, "filed", 30_000)
    link = page.locator("#filed-documents a.filed-document")
    expect(link).to_have_count(1)
    href = link.get_attribute("href")
    assert href.startswith("/documents/")
    return int(href.rsplit("/", 1)[1])


def image_of(page, url: str) -> Image.Image:
    r = page.request.get(url)
    assert r.ok and r.headers["content-type"] == "image/jpeg", (url, r.status)
    return Image.open(io.BytesIO(r.body()))


def ui_search(page, words: str):
    """Search through the search form; the index is fed just after a document is marked done, so
    give it a moment to appear. Returns the hits locator."""
    deadline = time.monotonic() + INDEX_WAIT_S
    while True:
        page.goto("/search")
        page.fill("#q", words)
        with page.expect_navigation():
            page.press("#q", "Enter")
        hits = page.locator("ol.hits li.hit")
        if hits.count() or time.monotonic() > deadline:
            return hits
        time.sleep(0.3)


def new_page(browser, server, errors: list[str]):
    context = browser.new_context(base_url=server, locale="th-TH", timezone_id="Asia/Bangkok")
    context.set_default_timeout(15_000)
    pg = context.new_page()
    pg.on("pageerror", lambda e: errors.append(str(e)))
    return context, pg


# --- tests ------------------------------------------------------------------------------------


def test_feeder_jam_continue_edit_and_file(page):
    open_scan(page)
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.locator("#batch")).to_be_hidden()
    start_scan(page, "test:0", "feeder", "test-picture=Grid\nread-return-value=SANE_STATUS_JAMMED")
    batch_id = batch_id_of(page)

    wait_batch_state(page, "interrupted")
    expect(page.locator("#batch-error")).to_contain_text(JAMMED_TH)
    expect(page.locator("#batch-title")).to_contain_text("test:0")
    expect(page.locator("#continue-scan")).to_be_visible()
    expect(page.locator("#cancel-batch")).to_be_visible()
    expect(page.locator("#file-batch")).to_be_hidden()  # nothing to file yet
    expect(page.locator("#thumbs li.thumb")).to_have_count(0)
    st = batch_json(page, batch_id)
    assert (st["state"], st["error_code"], st["pages"]) == ("interrupted", "scan_jammed", [])

    # the jam is cleared: continue with the fault option gone (and a narrower sheet, so that
    # a turned page can be told from an upright one: the tester's full area is square)
    set_options(page, "test-picture=Grid\nbr-x=150")
    page.click("#continue-scan")
    thumbs = page.locator("#thumbs li.thumb")
    expect(thumbs).to_have_count(10, timeout=SCAN_TIMEOUT_MS)
    wait_batch_state(page, "open")
    expect(page.locator("#batch-state")).to_contain_text(FINISHED_TH)
    expect(page.locator("#batch-error")).to_have_text("")
    expect(page.locator("#file-batch")).to_be_visible()
    expect(page.locator("#thumbs li.thumb.left-out")).to_have_count(0)  # grid pages are not blank
    first = thumbs.first.locator("img")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=first.element_handle())
    st = batch_json(page, batch_id)
    assert [p["position"] for p in st["pages"]] == list(range(1, 11))
    assert all(p["analysed"] for p in st["pages"])
    assert all(p["rotation"] == 0 for p in st["pages"])  # the clean-up turns no page without text
    ids = [p["id"] for p in st["pages"]]
    assert thumb_ids(page) == ids

    # a reload shows the same batch (its id is in the URL)
    page.reload()
    expect(page.locator("#batch")).to_be_visible()
    expect(thumbs).to_have_count(10)
    assert thumb_ids(page) == ids

    # delete the last page, turn the second, move the third one to the right
    thumbs.nth(9).locator("button.delete").click()
    expect(page.locator(f"li.thumb[data-page='{ids[9]}']")).to_have_class("thumb left-out")
    expect(page.locator(f"li.thumb[data-page='{ids[9]}'] button.restore")).to_be_visible()
    page.locator(f"li.thumb[data-page='{ids[1]}'] button.rotate").click()
    expect(page.locator(f"li.thumb[data-page='{ids[1]}'] img")).to_have_attribute(
        "src", f"/scan/pages/{ids[1]}.jpg?r=90&size=thumb"
    )
    page.locator(f"li.thumb[data-page='{ids[2]}'] button.move-right").click()
    order = [ids[0], ids[1], ids[3], ids[2], *ids[4:]]
    page.wait_for_function(
        "want => [...document.querySelectorAll('#thumbs li.thumb')].map(e => +e.dataset.page).join() === want",
        arg=",".join(map(str, order)),
    )
    expect(thumbs.first.locator("button.move-left")).to_be_disabled()
    expect(thumbs.last.locator("button.move-right")).to_be_disabled()
    st = batch_json(page, batch_id)
    assert [p["id"] for p in st["pages"]] == order
    assert [p["deleted"] for p in st["pages"]] == [False] * 9 + [True]
    by_id = {p["id"]: p for p in st["pages"]}
    assert [by_id[i]["rotation"] for i in ids] == [0, 90] + [0] * 8

    doc_id = file_batch(page)
    expect(page.locator("#batch-state")).to_contain_text("จัดเก็บแล้ว")
    for sel in ("#continue-scan", "#file-batch", "#cancel-batch"):
        expect(page.locator(sel)).to_be_hidden()
    expect(page.locator("#thumbs button")).to_have_count(0)  # a filed batch is not editable
    assert batch_json(page, batch_id)["document_ids"] == [doc_id]

    page.click("a.filed-document")
    expect(page).to_have_url(re.compile(rf"/documents/{doc_id}$"))
    doc = wait_document_done(page, doc_id)
    assert doc["pages"] == 9
    page.reload()
    expect(page.locator("section.page")).to_have_count(9)
    expect(page.locator("#doc-state")).to_have_text("เสร็จแล้ว")
    expect(page.locator("dl.meta dt:text-is('หน้า') + dd")).to_have_text("9")
    # the turned page went into the document turned: a quarter turn swaps its sides
    upright = image_of(page, f"/documents/{doc_id}/pages/1.jpg")
    sideways = image_of(page, f"/documents/{doc_id}/pages/2.jpg")
    assert by_id[ids[0]]["width"] < by_id[ids[0]]["height"]  # scanned portrait
    assert upright.width < upright.height and sideways.width > sideways.height


def test_thai_page_scanned_on_flatbed_is_filed_ocrd_and_found(page, tmp_path):
    pnm = tmp_path / "petition.pnm"
    im = render_lines(PETITION_LINES)
    im.save(pnm, "PPM")
    open_scan(page)
    page.select_option("#device", "pnm:0")
    # the pnm backend has only a flatbed: the page offers nothing else
    expect(page.locator("#source option[value='feeder']")).to_be_disabled()
    start_scan(page, "pnm:0", "flatbed", f"filename={pnm}", resolution="300")
    batch_id = batch_id_of(page)
    expect(page.locator("#thumbs li.thumb")).to_have_count(1, timeout=SCAN_TIMEOUT_MS)
    wait_batch_state(page, "open")
    expect(page.locator("#batch-error")).to_have_text("")
    [p] = batch_json(page, batch_id)["pages"]
    assert (p["width"], p["height"], p["kept"]) == (im.width, im.height, True)

    doc_id = file_batch(page)
    doc = wait_document_done(page, doc_id)
    assert doc["pages"] == 1 and doc["filename"].endswith(".tiff")
    assert doc["fields"]["citizen_id"] == "3-1742-xxxxx-79-5"  # read right, shown masked by the API

    hits = ui_search(page, NAME)
    expect(hits).to_have_count(1)
    link = hits.first.locator("a").first
    expect(link).to_have_attribute("href", f"/documents/{doc_id}")
    expect(hits.first.locator(".filename")).to_have_text(doc["filename"])  # the title is the subject
    expect(hits.first.locator(".snippet mark").first).to_have_text(NAME)


@pytest.mark.parametrize(
    "status,code,thai,english",
    [
        ("SANE_STATUS_NO_DOCS", "scan_no_docs", "ไม่มีกระดาษ", "feeder is empty"),
        ("SANE_STATUS_COVER_OPEN", "scan_cover_open", "ฝาเครื่องสแกนเปิด", "cover is open"),
    ],
    ids=["empty_feeder", "cover_open"],
)
def test_empty_feeder_and_open_cover_shown_in_thai_and_english(page, status, code, thai, english):
    open_scan(page)
    start_scan(page, "test:0", "feeder", f"read-return-value={status}")
    batch_id = batch_id_of(page)
    wait_batch_state(page, "interrupted")
    expect(page.locator("#batch-error")).to_contain_text(thai)
    expect(page.locator("#batch-error")).to_contain_text("สแกนต่อ")  # what to press next
    expect(page.locator("#continue-scan")).to_be_visible()
    expect(page.locator("#file-batch")).to_be_hidden()
    st = batch_json(page, batch_id)
    assert (st["error_code"], st["pages"]) == (code, [])

    # the same batch after a reload, in English
    page.goto(f"/scan?lang=en#batch={batch_id}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#batch")).to_be_visible()
    expect(page.locator("#batch-error")).to_contain_text(english)
    expect(page.locator("#batch-title")).to_contain_text(f"Scan batch {batch_id}")
    expect(page.locator("#continue-scan")).to_have_text("Continue")

    # a fresh visit lists the unfinished batch; opening it shows it again
    page.goto("/scan")
    expect(page.locator("#batch")).to_be_hidden()
    listed = page.locator(f"#open-batches a[data-batch='{batch_id}']")
    expect(listed).to_have_count(1)
    expect(page.locator("#open-batches li").first).to_contain_text(english)
    listed.click()
    expect(page.locator("#batch")).to_be_visible()
    expect(page.locator("#batch-error")).to_contain_text(english)
    assert batch_id_of(page) == batch_id

    # set aside: no longer listed
    page.click("#cancel-batch")
    wait_batch_state(page, "cancelled", 10_000)
    page.goto("/scan?lang=th")
    expect(page.locator("#open-batches a")).to_have_count(0)
    assert batch_json(page, batch_id)["state"] == "cancelled"


def test_two_counters_scan_two_devices_at_once(page, browser, server, archive):
    from tests.conftest import make_user, sign_in

    errors: list[str] = []
    context, other = new_page(browser, server, errors)
    sign_in(other, make_user(archive, "counter", "KKN-01", seed=5))
    try:
        open_scan(page)
        open_scan(other)
        for pg, device, picture in ((page, "test:0", "Grid"), (other, "test:1", "Solid black")):
            pg.select_option("#device", device)
            pg.select_option("#source", "feeder")
            pg.fill("#resolution", "100")
            set_options(pg, f"test-picture={picture}\n{SLOW}")
        page.click("#start-scan")
        other.click("#start-scan")
        grid_id, black_id = batch_id_of(page), batch_id_of(other)
        assert grid_id != black_id
        for pg in (page, other):
            expect(pg.locator("#thumbs li.thumb")).to_have_count(10, timeout=SCAN_TIMEOUT_MS)
            wait_batch_state(pg, "open")
            expect(pg.locator("#batch-error")).to_have_text("")
        grid, black = batch_json(page, grid_id), batch_json(page, black_id)
        assert (grid["device"], black["device"]) == ("test:0", "test:1")
        grid_pages, black_pages = {p["id"] for p in grid["pages"]}, {p["id"] for p in black["pages"]}
        assert len(grid_pages) == len(black_pages) == 10 and not grid_pages & black_pages
        # the two ran at the same time (neither waited for the other): their pages were stored
        # interleaved
        assert min(black_pages) < max(grid_pages) and min(grid_pages) < max(black_pages)
        assert set(thumb_ids(page)) == grid_pages and set(thumb_ids(other)) == black_pages
        # each counter sees its own device's pages
        for pg, pages, dark in ((page, grid["pages"], False), (other, black["pages"], True)):
            for p in (pages[0], pages[-1]):
                mean = float(np.asarray(image_of(pg, p["thumb_url"]).convert("L")).mean())
                assert (mean < 10) == dark, (p, mean)
    finally:
        context.close()
    assert not errors, f"JavaScript errors in the second page: {errors}"


def test_separator_sheet_downloads_as_pdf(page):
    open_scan(page)
    link = page.locator("#separator-pdf")
    expect(link).to_contain_text("แผ่นคั่นเอกสาร")
    with page.expect_download() as dl:
        link.click()
    download = dl.value
    assert download.suggested_filename == "damrong-separator.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
    r = page.request.get(link.get_attribute("href"))
    assert r.ok and r.headers["content-type"] == "application/pdf"
    assert r.body().startswith(b"%PDF") and b"%%EOF" in r.body()[-64:]


def test_scanned_batch_filed_under_a_complaint(page, archive, admin, tmp_path):
    """The counter scans the petition and files it straight under the complaint just opened."""
    from records import complaints
    from records.models import Category, ComplaintDocument

    with archive.db.session() as s:
        cat_id = s.query(Category).filter_by(name_th="ที่ดิน").one().id
    c = complaints.create(archive.db, admin, {"phone": "0812345678", "category_id": cat_id, "area_code": "KKN-01"})
    pnm = tmp_path / "petition.pnm"
    render_lines(PETITION_LINES[:1]).save(pnm, "PPM")
    page.goto(f"/complaints/{c.id}")  # from the complaint just opened at the counter
    page.click("#scan-for-complaint")
    expect(page.locator("#device option[value='test:0']")).to_be_attached()
    start_scan(page, "pnm:0", "flatbed", f"filename={pnm}", resolution="300")
    wait_batch_state(page, "open")
    expect(page.locator("#file-under")).to_have_value(c.tracking_no)
    page.click("#file-batch")
    page.wait_for_url(f"**/complaints/{c.id}")
    with archive.db.session() as s:
        assert s.query(ComplaintDocument).filter_by(complaint_id=c.id).count() == 1

    # a tracking number this user may not see (or that does not exist) files nothing
    open_scan(page)
    start_scan(page, "pnm:0", "flatbed", f"filename={pnm}", resolution="300")
    wait_batch_state(page, "open")
    page.fill("#file-under", "CMI-2569-999999")
    page.click("#file-batch")
    expect(page.locator("#batch-error")).to_contain_text("CMI-2569-999999")
    expect(page.locator("#batch")).to_have_attribute("data-state", "open")
