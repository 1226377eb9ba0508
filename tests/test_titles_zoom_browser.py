"""Search hits and page images in a real headless Chromium (issue 20): a hit is titled by what
the document is — an official letter by its number and subject, a petition by its subject, as
read or as the clerk corrected it; else its file name — with the file name in small print below;
the command line's `search --json` keeps its keys (and gains the title). A document's page images
zoom (fit width, 100%, 200%, a click on the image) and open at full size, on a desktop and on a
phone. A real server (werkzeug) runs the real app over a fresh archive per test; OCR is real
Tesseract."""

from __future__ import annotations

import io
import json
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import pytest

from tests.conftest import CHROMIUM, LETTER_LINES, PETITION_LINES, damrong, sign_in
from tests.thai_pages import render_lines

if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium on this machine", allow_module_level=True)

from PIL import Image
from playwright.sync_api import expect

from search.index import open_index

pytestmark = pytest.mark.browser

LETTER_NO = "มท 0205.3/ว 4777"
LETTER_SUBJECT = "การเร่งรัดการยุติเรื่องร้องเรียน"
PETITION_SUBJECT = "ขอความช่วยเหลือเรื่องหนี้นอกระบบ"
LETTER_FILE = "scan-20261202-1714-batch2.png"
PETITION_FILE = "scan-20261202-1715-batch2.png"
NOTE_FILE = "scan-20261202-1716-batch2.png"
SCAN_WIDTH = 1400  # render_lines' page width: the full-size image is the scan itself


def _read(archive, tmp_path, pages: dict[str, tuple[list[str], str]]) -> dict[str, int]:
    """Small rendered Thai pages, stored under scanner-style file names, OCR'd two at a time and
    indexed: {file name: document id}."""
    from ingest.pipeline import intake, process

    ids = {}
    for name, (lines, font) in pages.items():
        p = tmp_path / name
        render_lines(lines, font=font).save(p, dpi=(300, 300))
        r = intake(archive, p, filename=name)
        assert r.document_id, r.error
        ids[name] = r.document_id
    with ThreadPoolExecutor(2) as pool:
        done = list(pool.map(lambda i: process(archive, i), ids.values()))
    assert all(d.state.value == "done" for d in done), [d.error for d in done]
    open_index(archive).sync()
    return ids


def hits_for(pg, text: str):
    pg.goto("/search?q=" + quote(text))
    expect(pg.locator("#result-count")).to_be_visible()
    return pg.locator("ol.hits li.hit")


def test_hits_are_titled_by_number_and_subject(archive, page, home, tmp_path):
    ids = _read(
        archive,
        tmp_path,
        {
            LETTER_FILE: (LETTER_LINES, "Loma"),
            PETITION_FILE: (PETITION_LINES, "Garuda"),
            NOTE_FILE: (["บันทึกการโทรศัพท์ของนายสมศักดิ์ ทองประเสริฐ"], "Garuda"),
        },
    )
    # a letter: its number and its subject, the file name in small print below
    [letter] = hits_for(page, LETTER_NO).all()
    title = letter.locator("a.hit-title")
    expect(title).to_have_text(f"{LETTER_NO} — {LETTER_SUBJECT}")
    expect(title).to_have_attribute("href", f"/documents/{ids[LETTER_FILE]}")
    expect(letter.locator(".filename")).to_have_text(LETTER_FILE)
    title_size = float(title.evaluate("a => parseFloat(getComputedStyle(a).fontSize)"))
    file_size = float(letter.locator(".filename").evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert file_size < title_size

    # a petition by its subject; a document that names none by its file name (shown once)
    hits = hits_for(page, "ทองประเสริฐ")
    expect(hits).to_have_count(2)
    by_href = {h.locator("a.hit-title").get_attribute("href"): h for h in hits.all()}
    petition, note = by_href[f"/documents/{ids[PETITION_FILE]}"], by_href[f"/documents/{ids[NOTE_FILE]}"]
    expect(petition.locator("a.hit-title")).to_have_text(PETITION_SUBJECT)
    expect(petition.locator(".filename")).to_have_text(PETITION_FILE)
    expect(note.locator("a.hit-title")).to_have_text(NOTE_FILE)
    expect(note.locator(".filename")).to_have_count(0)

    # the clerk corrects the petition's subject on its page: the hit is named so at once
    page.goto(f"/documents/{ids[PETITION_FILE]}")
    page.fill("#f-subject", "ขอความช่วยเหลือเรื่องหนี้นอกระบบและเจ้าหนี้ทวงหนี้")
    page.click("#confirm-fields")
    expect(page.locator("#flash")).to_be_visible()
    hits = hits_for(page, "ทองประเสริฐ")
    expect(hits.locator("a.hit-title", has_text="เจ้าหนี้ทวงหนี้")).to_have_text("ขอความช่วยเหลือเรื่องหนี้นอกระบบและเจ้าหนี้ทวงหนี้")

    # the command line keeps its contract, and gains the title
    out = json.loads(damrong("search", LETTER_NO, "--json", home=home).stdout)
    [hit] = out["hits"]
    assert {"document_id", "filename", "score", "snippet"} <= set(hit)
    assert (hit["document_id"], hit["filename"]) == (ids[LETTER_FILE], LETTER_FILE)
    assert hit["title"] == f"{LETTER_NO} — {LETTER_SUBJECT}"


# --- zoom on the page images -------------------------------------------------------------------

WIDTH = "e => e.getBoundingClientRect().width"
PAGE_OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def _loaded(pg, img) -> None:
    pg.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=img.element_handle())


def test_page_images_zoom_on_a_desktop_and_a_phone(archive, page, browser, server, admin, tmp_path):
    ids = _read(archive, tmp_path, {LETTER_FILE: (LETTER_LINES, "Loma")})
    doc = ids[LETTER_FILE]
    page.goto(f"/documents/{doc}")
    figure = page.locator("#page-1 figure")
    img, frame = figure.locator("img"), figure.locator(".zoom-frame")
    _loaded(page, img)
    screen = img.evaluate("i => i.naturalWidth")
    assert screen == 1000  # the screen image

    # fit width: the image fills its frame, nothing to scroll
    expect(figure.locator("button.zoom-fit")).to_have_attribute("aria-pressed", "true")
    assert abs(img.evaluate(WIDTH) - frame.evaluate("f => f.clientWidth")) <= 2
    assert frame.evaluate("f => f.scrollWidth <= f.clientWidth")

    # 200%: twice the screen size, from the full-size image (sharp), scrolling in its frame
    figure.locator("button.zoom-200").click()
    expect(figure).to_have_attribute("data-zoom", "2")
    expect(figure.locator("button.zoom-200")).to_have_attribute("aria-pressed", "true")
    expect(figure.locator("button.zoom-fit")).to_have_attribute("aria-pressed", "false")
    sharp = "i => i.src.includes('size=full') && i.complete && i.naturalWidth > 0"
    page.wait_for_function(sharp, arg=img.element_handle())
    assert img.evaluate("i => i.naturalWidth") == SCAN_WIDTH
    assert abs(img.evaluate(WIDTH) - 2 * screen) <= 2
    assert frame.evaluate("f => f.scrollWidth > f.clientWidth")
    assert page.evaluate(PAGE_OVERFLOW) <= 0  # the frame scrolls, not the page

    # 100%: the screen image's own size
    figure.locator("button.zoom-100").click()
    expect(figure).to_have_attribute("data-zoom", "1")
    assert abs(img.evaluate(WIDTH) - screen) <= 2

    # back to fit; a click on the image zooms in, another zooms out
    figure.locator("button.zoom-fit").click()
    expect(figure).to_have_attribute("data-zoom", "fit")
    img.click()
    expect(figure).to_have_attribute("data-zoom", "2")
    assert abs(img.evaluate(WIDTH) - 2 * screen) <= 2
    img.click()
    expect(figure).to_have_attribute("data-zoom", "fit")

    # "open full size": the scan at its own size, in a tab of its own
    full = figure.locator("a.full-size")
    expect(full).to_have_text("เปิดภาพขนาดเต็ม")
    expect(full).to_have_attribute("target", "_blank")
    with page.context.expect_page() as tab:
        full.click()
    shown = tab.value
    shown.wait_for_load_state()
    assert shown.evaluate("() => document.images[0].naturalWidth") == SCAN_WIDTH
    shown.close()
    r = page.request.get(full.get_attribute("href"))
    assert r.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(r.body())).width == SCAN_WIDTH

    # on a phone: the image fits the screen, the buttons answer a tap, the page never scrolls sideways
    phone_context = browser.new_context(
        base_url=server,
        locale="th-TH",
        timezone_id="Asia/Bangkok",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    try:
        phone = phone_context.new_page()
        errors: list[str] = []
        phone.on("pageerror", lambda e: errors.append(str(e)))
        sign_in(phone, admin)
        phone.goto(f"/documents/{doc}")
        figure = phone.locator("#page-1 figure")
        img = figure.locator("img")
        img.scroll_into_view_if_needed()
        _loaded(phone, img)
        assert phone.evaluate(PAGE_OVERFLOW) <= 0
        assert 300 <= img.evaluate(WIDTH) <= 390
        figure.locator("button.zoom-200").tap()
        expect(figure).to_have_attribute("data-zoom", "2")
        assert abs(img.evaluate(WIDTH) - 2 * screen) <= 2
        assert figure.locator(".zoom-frame").evaluate("f => f.scrollWidth > f.clientWidth")
        assert phone.evaluate(PAGE_OVERFLOW) <= 0
        img.tap()
        expect(figure).to_have_attribute("data-zoom", "fit")
        assert img.evaluate(WIDTH) <= 390
        assert not errors, errors
    finally:
        phone_context.close()
