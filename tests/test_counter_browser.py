"""The counter page in a real headless Chromium, with the Thai ID card read through the real PC/SC
stack (pyscard → pcscd → vsmartcard vpcd virtual reader → tests/vicc.py): reading by button and
automatically when a card goes in, typing a citizen ID by hand (checked in the page and again on
the server), saving a complainant and seeing the ID masked in the list, and card faults shown in
Thai. A real server (werkzeug) runs the real app over a fresh archive per test."""

from __future__ import annotations

import re
import shutil

import pytest

from tests.conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium on this machine", allow_module_level=True)
if shutil.which("pcscd") is None:
    pytest.skip("pcscd is not installed", allow_module_level=True)

from playwright.sync_api import expect

# the PC/SC fixtures (pcscd started when not running; `insert` puts a card in "Virtual PCD 00 00")
from tests.test_id_card import VALID_ID, memory, photo_jpeg

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("pcscd")]

READER = "Virtual PCD 00 00"
READ_TIMEOUT_MS = 10_000  # a full read with the photo takes well under a second over vpcd
AUTO_READ_TIMEOUT_MS = 12_000  # the page polls the reader every 1.5 s, then reads

DASHED = "3-1742-18096-79-5"
MASKED = "3-1742-xxxxx-79-5"
BAD_CHECK_DIGIT_THAI = "๓-๑๗๔๒-๑๘๐๙๖-๗๙-๔"  # VALID_ID with its last digit changed
INSERT_CARD = "เสียบบัตรประชาชนที่เครื่องอ่าน"
READ_OK = "อ่านบัตรเรียบร้อย"
NOT_AN_ID_CARD = "บัตรนี้ไม่ใช่บัตรประจำตัวประชาชน"
EXPIRED = "บัตรหมดอายุแล้ว"
CHECKSUM_BAD = "เลขประจำตัวประชาชนไม่ถูกต้อง (หลักตรวจสอบไม่ตรง)"
FORM_FIELDS = [
    "#citizen_id",
    "#prefix_th",
    "#first_name_th",
    "#last_name_th",
    "#first_name_en",
    "#last_name_en",
    "#birth_date",
    "#address",
    "#phone",
]


# --- the server and the browser ---------------------------------------------------------------


# --- helpers ----------------------------------------------------------------------------------


def open_counter(page):
    page.goto("/counter")
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.locator("h1")).to_have_text("รับเรื่อง")


def click_read_card(page) -> None:
    """Click "read card" just after the page's reader poll (GET /api/v1/card/status, every 1.5 s)
    has answered, so no poll overlaps the read: a poll powers the card down and breaks a read in
    progress (see test_button_read_not_broken_by_reader_polling)."""
    with page.expect_response(lambda r: "/api/v1/card/status" in r.url, timeout=5_000):
        pass
    page.click("#read-card")


def expect_card_in_form(page, timeout: int = READ_TIMEOUT_MS) -> None:
    """The form holds what the emulated card carries (Buddhist Era birth date, photo shown)."""
    expect(page.locator("#citizen_id")).to_have_value(DASHED, timeout=timeout)
    expect(page.locator("#prefix_th")).to_have_value("นางสาว")
    expect(page.locator("#first_name_th")).to_have_value("มณีรัตน์")
    expect(page.locator("#last_name_th")).to_have_value("ศรีสุข")
    expect(page.locator("#first_name_en")).to_have_value("Maneerat")
    expect(page.locator("#last_name_en")).to_have_value("Srisuk")
    expect(page.locator("#birth_date")).to_have_value("15/04/2520")
    expect(page.locator("#address")).to_have_value(re.compile(r"^99/1 .*จังหวัดขอนแก่น$"))
    photo = page.locator("#photo")
    expect(photo).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    assert photo.evaluate("i => [i.naturalWidth, i.naturalHeight]") == [88, 110]
    expect(page.locator("#card-status")).to_have_text(READ_OK)
    expect(page.locator("#citizen_id-error")).to_have_text("")
    expect(page.locator("#card-flags")).to_have_text("")


def expect_form_empty(page) -> None:
    for sel in FORM_FIELDS:
        expect(page.locator(sel)).to_have_value("")
    expect(page.locator("#photo")).to_be_hidden()
    expect(page.locator("#photo_jpeg_b64")).to_have_value("")


def complainant_rows(page):
    return page.locator("#complainant-table tbody tr")


def assert_no_full_id(page, digits: str = VALID_ID) -> None:
    html = page.content()
    spaced = f"{digits[0]} {digits[1:5]} {digits[5:10]} {digits[10:12]} {digits[12]}"
    dashed = f"{digits[0]}-{digits[1:5]}-{digits[5:10]}-{digits[10:12]}-{digits[12]}"
    for form in (digits, dashed, spaced, digits[5:10]):
        assert form not in html, f"the full citizen ID ({form}) is in the page"


# --- tests ------------------------------------------------------------------------------------


def test_read_card_button_fills_form_then_save_lists_masked(page, insert, archive):
    insert(memory=memory())
    open_counter(page)
    expect_form_empty(page)

    click_read_card(page)
    expect_card_in_form(page)
    expect(page.locator("#source")).to_have_value("card")

    page.fill("#phone", "๐๘๑๒๓๔๕๖๗๘")
    page.click("#save-complainant")
    expect(page).to_have_url(re.compile(r"/complainants$"))
    expect(page.locator("h1")).to_have_text("ผู้ร้อง")
    flash = page.locator("#flash")
    expect(flash).to_be_visible()
    expect(flash).to_have_text(f"บันทึกผู้ร้อง นางสาวมณีรัตน์ ศรีสุข ({MASKED}) แล้ว")

    rows = complainant_rows(page)
    expect(rows).to_have_count(1)
    cells = rows.first.locator("td")
    expect(rows.first.locator("td.masked-id")).to_have_text(MASKED)
    expect(cells.nth(1)).to_have_text("นางสาวมณีรัตน์ ศรีสุข")
    expect(cells.nth(2)).to_have_text("0812345678")  # Thai digits folded on the server
    expect(cells.nth(3)).to_have_text("บัตรประชาชน")  # source: the ID card
    assert_no_full_id(page)

    # what the card gave was kept: the photo (served from the store), birth date, card expiry
    from sqlalchemy import select

    from records.models import Complainant

    with archive.db.session() as s:
        person = s.scalars(select(Complainant)).one()
        assert person.citizen_id == VALID_ID and person.source == "card"
        assert person.birth_date.isoformat() == "1977-04-15"
        assert person.card_expiry is not None and person.card_expiry.isoformat() == "2027-01-01"
        assert person.address["text"].endswith("จังหวัดขอนแก่น")
        person_id = person.id
    r = page.request.get(f"/complainants/{person_id}/photo.jpg")
    assert r.status == 200 and r.headers["content-type"] == "image/jpeg"
    assert r.body() == photo_jpeg()


def test_card_inserted_while_page_open_is_read_automatically(page, insert):
    open_counter(page)
    expect(page.locator("#auto-read")).to_be_checked()
    expect(page.locator("#card-status")).to_have_text(INSERT_CARD)
    expect_form_empty(page)

    insert(memory=memory())
    expect_card_in_form(page, timeout=AUTO_READ_TIMEOUT_MS)  # no click
    expect(page.locator("#source")).to_have_value("card")


def test_typed_citizen_id_checked_in_page_then_saved_masked(page, pcscd):
    open_counter(page)
    page.fill("#first_name_th", "สมชาย")
    page.fill("#last_name_th", "ใจดี")
    page.fill("#citizen_id", BAD_CHECK_DIGIT_THAI)
    err = page.locator("#citizen_id-error")
    expect(err).to_have_text(CHECKSUM_BAD)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.click("#save-complainant")
    page.wait_for_timeout(500)  # a submit that got through would have been sent by now
    assert posts == [], f"the form was sent with a bad check digit: {posts}"
    expect(page).to_have_url(re.compile(r"/counter$"))
    expect(err).to_have_text(CHECKSUM_BAD)
    expect(page.locator("#citizen_id")).to_have_value(BAD_CHECK_DIGIT_THAI)

    page.fill("#citizen_id", VALID_ID)
    expect(err).to_have_text("")
    page.click("#save-complainant")
    expect(page).to_have_url(re.compile(r"/complainants$"))
    expect(page.locator("#flash")).to_have_text(f"บันทึกผู้ร้อง สมชาย ใจดี ({MASKED}) แล้ว")
    rows = complainant_rows(page)
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td.masked-id")).to_have_text(MASKED)
    expect(rows.first.locator("td").nth(3)).to_have_text("พิมพ์เอง")  # source: typed
    assert_no_full_id(page)


def test_server_rejects_bad_citizen_id_when_page_check_bypassed(page, pcscd):
    open_counter(page)
    page.fill("#first_name_th", "สมชาย")
    page.fill("#last_name_th", "ใจดี")
    page.fill("#citizen_id", BAD_CHECK_DIGIT_THAI)
    with page.expect_navigation() as nav:
        # form.submit() fires no submit event, so the page's own check does not run
        page.evaluate("document.getElementById('complainant-form').submit()")
    assert nav.value.status == 422
    expect(page).to_have_url(re.compile(r"/counter$"))
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.locator("#citizen_id-error")).to_have_text(CHECKSUM_BAD)
    # what was typed is still there to correct
    expect(page.locator("#citizen_id")).to_have_value(BAD_CHECK_DIGIT_THAI)
    expect(page.locator("#first_name_th")).to_have_value("สมชาย")
    expect(page.locator("#last_name_th")).to_have_value("ใจดี")

    page.goto("/complainants")
    expect(page.locator("#flash")).to_have_count(0)
    expect(complainant_rows(page)).to_have_count(0)


def test_card_that_is_not_an_id_card_shown_in_thai(page, insert):
    insert(memory=memory(), applet=False)
    open_counter(page)
    click_read_card(page)
    status = page.locator("#card-status")
    expect(status).to_have_text(NOT_AN_ID_CARD, timeout=READ_TIMEOUT_MS)
    expect(status).to_have_attribute("data-state", "error")
    expect_form_empty(page)
    expect(page.locator("#card-flags")).to_have_text("")
    expect(page.locator("#source")).to_have_value("typed")


def test_expired_card_flagged_in_thai(page, insert):
    insert(memory=memory(expires="25600102"))
    open_counter(page)
    click_read_card(page)
    expect(page.locator("#citizen_id")).to_have_value(DASHED, timeout=READ_TIMEOUT_MS)
    expect(page.locator("#first_name_th")).to_have_value("มณีรัตน์")
    flags = page.locator("#card-flags")
    expect(flags).to_be_visible()
    expect(flags).to_have_text(EXPIRED)
    expect(page.locator("#card-status")).to_have_text(READ_OK)


def test_button_read_not_broken_by_reader_polling(page, insert):
    """A clerk clicks "read card" while the page (or another counter page) polls the reader: the
    read must still succeed. Provoked on purpose: status requests run back to back during the read."""
    insert(memory=memory())
    outcomes = []
    for _attempt in range(5):
        open_counter(page)
        page.evaluate("""() => {
            window.__poll = true;
            for (let i = 0; i < 2; i++) (async () => {
                while (window.__poll) { try { await fetch('/api/v1/card/status'); } catch (e) { return; } }
            })();
        }""")
        page.wait_for_timeout(50)
        page.click("#read-card")
        page.wait_for_function(
            "() => ['read', 'error'].includes(document.getElementById('card-status').dataset.state)",
            timeout=READ_TIMEOUT_MS,
        )
        page.evaluate("() => { window.__poll = false; }")
        outcomes.append((page.locator("#card-status").inner_text(), page.locator("#citizen_id").input_value()))
    assert all(o == (READ_OK, DASHED) for o in outcomes), f"reads broken by polling: {outcomes}"
