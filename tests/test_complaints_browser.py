"""Complaints in a real headless Chromium: intake at a district counter (Thai form, the
"เรื่องอื่นๆ" detail rule, nothing typed lost, tracking number in the Buddhist Era year), an
officer moving a complaint through its life and reopening it (timeline with names), overdue
complaints standing out, the area rules in the UI (list, complaint pages, documents filed under
complaints and search, for district, province and central users), auditors reading without
acting, and administration (a new user made to replace the issued first password; categories).
A real server (werkzeug) runs the real app over a fresh archive per test; OCR is real Tesseract."""

from __future__ import annotations

import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from tests.conftest import CHROMIUM, make_user, sign_in, valid_cid
from tests.thai_pages import render_lines

if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium on this machine", allow_module_level=True)

from playwright.sync_api import expect

from search.index import open_index

pytestmark = pytest.mark.browser

BE_YEAR = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).year + 543  # today in Bangkok
OTHER = "เรื่องอื่นๆ"
NEEDS_DETAIL = 'หมวด "เรื่องอื่นๆ" ต้องระบุรายละเอียดหมวดย่อย'
REASON_REQUIRED = "ต้องระบุเหตุผล"
OUTCOME_REQUIRED = "ต้องระบุผลการยุติเรื่อง"
RECEIVED, IN_PROGRESS, CLOSED = "รับเรื่องแล้ว", "อยู่ระหว่างดำเนินการ", "ยุติเรื่องแล้ว"
COMPLAINANT_ID = "3-1742-18096-79-5"
COMPLAINANT_MASKED = "3-1742-xxxxx-79-5"


@pytest.fixture
def open_as(browser, server):
    """open_as(user) → a page in its own browser profile, signed in as that user (None: signed
    out). Every page fails the test on a JavaScript error."""
    contexts, errors = [], []

    def open_(user=None):
        context = browser.new_context(base_url=server, locale="th-TH", timezone_id="Asia/Bangkok")
        context.set_default_timeout(15_000)
        contexts.append(context)
        pg = context.new_page()
        pg.on("pageerror", lambda e: errors.append(str(e)))
        if user is not None:
            sign_in(pg, user)
        return pg

    yield open_
    for c in contexts:
        c.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


def category_id(archive, name_th: str) -> int:
    from records.models import Category

    with archive.db.session() as s:
        return s.scalar(select(Category.id).where(Category.name_th == name_th))


def new_complaint(archive, user, summary: str, **extra):
    """A complaint made the way the intake form makes it (records.complaints.create)."""
    from records import complaints

    data = {
        "channel": "walk_in",
        "phone": "0812345678",
        "category_id": category_id(archive, "ที่ดิน"),
        "summary": summary,
        **extra,
    }
    return complaints.create(archive.db, user, data)


def status_of(archive, complaint_id: int) -> str:
    from records.models import Complaint

    with archive.db.session() as s:
        return s.get(Complaint, complaint_id).status.value


def expect_listed(pg, *tracking_nos: str) -> None:
    """The complaint list shows exactly these, newest first (waits for a page still loading)."""
    links = pg.locator("#complaint-table a.tracking-no")
    if tracking_nos:
        expect(links).to_have_text(list(tracking_nos))
    else:
        expect(pg.locator("#complaint-count")).to_have_text("พบ 0 เรื่อง")
        expect(links).to_have_count(0)


def change_status(pg, status_label: str, reason: str = "", outcome_label: str | None = None) -> None:
    pg.select_option("#to_status", label=status_label)
    if outcome_label:
        pg.select_option("#outcome", label=outcome_label)
    pg.fill("#reason", reason)
    pg.click("#status-submit")


# --- intake at the counter --------------------------------------------------------------------


def test_intake_at_district_counter(archive, open_as, tmp_path):
    counter = make_user(archive, "counter", "KKN-01", seed=11, name="นางสาวสมใจ รับเรื่อง")
    pg = open_as(counter)
    pg.goto("/complaints")
    expect(pg.locator("h1")).to_have_text("เรื่องร้องเรียน")
    expect(pg.locator("#complaint-count")).to_have_text("พบ 0 เรื่อง")
    pg.click("#new-complaint")
    expect(pg).to_have_url(re.compile(r"/complaints/new$"))
    expect(pg.locator("h1")).to_have_text("รับเรื่องร้องเรียนใหม่")
    # a district counter has no choice of centre: it is theirs
    expect(pg.locator("#area_code")).to_have_count(0)

    # sub categories follow the category chosen
    pg.select_option("#category_id", label="ที่ดิน")
    shown = pg.locator("#subcategory_id option:not([hidden])").all_inner_texts()
    assert shown == ["—", "บุกรุกที่ดิน", "เอกสารสิทธิ์"], shown
    pg.select_option("#category_id", label="สาธารณูปโภค")
    shown = pg.locator("#subcategory_id option:not([hidden])").all_inner_texts()
    assert shown == ["—", "ถนน", "ไฟฟ้า", "ประปา"], shown

    typed = {
        "#citizen_id": COMPLAINANT_ID,
        "#prefix_th": "นาย",
        "#first_name_th": "สมศักดิ์",
        "#last_name_th": "ทองประเสริฐ",
        "#phone": "๐๘๑-๒๓๔-๕๖๗๘",
        "#address": "๙๙/๑ หมู่ ๒ ตำบลในเมือง",
        "#respondent_name": "องค์การบริหารส่วนตำบลบ้านค้อ",
        "#incident_district": "เมืองขอนแก่น",
        "#incident_subdistrict": "ในเมือง",
        "#summary": "ขอให้ตรวจสอบการก่อสร้างถนนที่ไม่ได้มาตรฐาน",
        "#latitude": "16.4322",
        "#longitude": "102.8236",
    }
    pg.select_option("#channel", label="ยื่นที่ศูนย์")
    for sel, value in typed.items():
        pg.fill(sel, value)
    pg.select_option("#respondent_kind", label="หน่วยงานรัฐ")
    pg.select_option("#incident_province", label="ขอนแก่น")
    pg.select_option("#category_id", label=OTHER)
    expect(pg.locator("#subcategory_id")).to_be_hidden()  # "เรื่องอื่นๆ" has no sub categories
    expect(pg.locator("#detail-label")).to_have_class(re.compile(r"\brequired\b"))
    petition = tmp_path / "petition.png"
    render_lines(["เรื่อง ขอให้ตรวจสอบการก่อสร้างถนน"]).save(petition, dpi=(300, 300))
    pg.set_input_files("#files", str(petition))

    # "เรื่องอื่นๆ" without saying what it is: refused in Thai, nothing typed is lost
    pg.click("#save-complaint")
    expect(pg.locator("#form-error")).to_have_text("กรุณาแก้ไข 1 รายการ")  # a count: the reason is beside its field
    expect(pg.locator("#subcategory_text-error")).to_have_text(NEEDS_DETAIL)
    for sel, value in typed.items():
        expect(pg.locator(sel)).to_have_value(value)
    expect(pg.locator("#category_id option:checked")).to_have_text(OTHER)
    expect(pg.locator("#incident_province option:checked")).to_have_text("ขอนแก่น")
    expect(pg.locator("#respondent_kind option:checked")).to_have_text("หน่วยงานรัฐ")
    expect(pg.locator("#document_ids")).to_have_value("1")  # the file attached is kept too
    from records.models import Complaint

    with archive.db.session() as s:
        assert s.scalar(select(Complaint.id)) is None

    pg.fill("#subcategory_text", "ร้องเรียนการก่อสร้างถนน")
    pg.click("#save-complaint")
    tracking_no = f"KKN-{BE_YEAR}-000001"
    expect(pg).to_have_url(re.compile(r"/complaints/\d+$"))
    expect(pg.locator("#flash")).to_have_text(f"บันทึกเรื่องร้องเรียนแล้ว เลขที่เรื่อง {tracking_no}")
    expect(pg.locator("#tracking-no")).to_have_text(tracking_no)
    expect(pg.locator("#complaint-status")).to_have_text(RECEIVED)
    expect(pg.locator("#complainant")).to_have_text(f"นายสมศักดิ์ ทองประเสริฐ {COMPLAINANT_MASKED}")
    expect(pg.locator("#complaint-phone")).to_have_text("0812345678")
    expect(pg.locator("#complaint-category")).to_have_text(f"{OTHER} — ร้องเรียนการก่อสร้างถนน")
    expect(pg.locator("#complaint-area")).to_have_text("เมืองขอนแก่น (KKN-01)")
    expect(pg.locator("#complaint-due")).to_contain_text(str(BE_YEAR))  # 15 days on: may cross a year end
    docs = pg.locator("#complaint-documents tbody tr")
    expect(docs).to_have_count(1)
    expect(docs.first.locator("a")).to_have_text("petition.png")
    expect(docs.first.locator("a")).to_have_attribute("href", "/documents/1")
    expect(docs.first.locator("td").nth(1)).to_have_text("คำร้อง")
    expect(pg.locator("#timeline li")).to_have_count(1)
    expect(pg.locator("#timeline li .who")).to_have_text("นางสาวสมใจ รับเรื่อง")
    # a counter takes complaints in and files documents, but does not work them
    expect(pg.locator("#file-form")).to_be_visible()
    expect(pg.locator("#status-form")).to_have_count(0)
    expect(pg.locator("#edit-link")).to_have_count(0)

    pg.goto("/complaints")
    expect_listed(pg, tracking_no)
    row = pg.locator("#complaint-table tbody tr").first
    expect(row.locator("td").nth(1)).to_contain_text(str(BE_YEAR))
    expect(row.locator("td.status")).to_have_text(RECEIVED)
    expect(row).not_to_have_class(re.compile(r"\boverdue\b"))
    # found by the text filter, by tracking number or words of the summary
    pg.fill("#f-q", "ก่อสร้างถนน")
    pg.click("#filter-submit")
    expect_listed(pg, tracking_no)
    pg.fill("#f-q", "ไม่มีเรื่องนี้")
    pg.click("#filter-submit")
    expect(pg.locator("#complaint-count")).to_have_text("พบ 0 เรื่อง")

    # every view of the complaint is in the audit log
    from records import audit

    assert [e.action for e in audit.entries_for(archive.db, "complaint", tracking_no)] == [
        "create",
        "file_document",
        "view",
    ]


def test_intake_for_a_saved_complainant(archive, open_as):
    """The counter's complainant list leads to the intake form with that person already chosen."""
    from records.complainants import save

    counter = make_user(archive, "counter", "KKN-01", seed=12)
    person = save(
        archive,
        {
            "citizen_id": valid_cid(4242),
            "prefix_th": "นาง",
            "first_name_th": "มาลี",
            "last_name_th": "ใจดี",
            "phone": "0891112222",
            "address": "๑ ถนนมิตรภาพ",
        },
        area_id=counter.area_id,
    )  # taken in at this counter's centre
    pg = open_as(counter)
    pg.goto("/complainants")
    pg.locator("#complainant-table a.new-complaint").first.click()
    expect(pg).to_have_url(re.compile(rf"/complaints/new\?complainant_id={person.id}$"))
    expect(pg.locator("#chosen-person")).to_contain_text("นางมาลี ใจดี")
    expect(pg.locator("#phone")).to_have_value("0891112222")
    pg.select_option("#category_id", label="ที่ดิน")
    pg.select_option("#subcategory_id", label="บุกรุกที่ดิน")
    pg.fill("#summary", "เพื่อนบ้านบุกรุกที่ดิน")
    pg.fill("#due_date", "๓๑/๑๒/๒๕๗๐")
    pg.click("#save-complaint")
    expect(pg.locator("#complainant")).to_contain_text("นางมาลี ใจดี")
    expect(pg.locator("#complaint-category")).to_have_text("ที่ดิน / บุกรุกที่ดิน")
    expect(pg.locator("#complaint-due")).to_have_text("31 ธ.ค. 2570")


# --- an officer works it ----------------------------------------------------------------------


def test_officer_moves_complaint_and_reopens_it(archive, open_as):
    counter = make_user(archive, "counter", "KKN-01", seed=21, name="นางสาวสมใจ รับเรื่อง")
    officer = make_user(archive, "officer", "KKN-01", seed=22, name="นายวิชัย ดำเนินการ")
    c = new_complaint(archive, counter, "ถนนในหมู่บ้านชำรุด")
    later = new_complaint(archive, counter, "ไฟฟ้าส่องสว่างเสีย")
    pg = open_as(officer)
    pg.goto(f"/complaints/{c.id}")
    expect(pg.locator("#complaint-status")).to_have_text(RECEIVED)
    options = pg.locator("#to_status option").all_inner_texts()
    assert options == [IN_PROGRESS, "ส่งต่อศูนย์อื่น", "รอหน่วยงานตอบ", CLOSED], options

    change_status(pg, IN_PROGRESS, "ประสานองค์การบริหารส่วนตำบลแล้ว")
    expect(pg.locator("#flash")).to_have_text(f'เปลี่ยนสถานะเป็น "{IN_PROGRESS}" แล้ว')
    expect(pg.locator("#complaint-status")).to_have_text(IN_PROGRESS)

    # closing needs an outcome: refused in Thai, the reason typed is kept
    change_status(pg, CLOSED, "ซ่อมถนนเรียบร้อยแล้ว")
    expect(pg.locator("#status-error")).to_have_text(OUTCOME_REQUIRED)
    expect(pg.locator("#reason")).to_have_value("ซ่อมถนนเรียบร้อยแล้ว")
    assert status_of(archive, c.id) == "in_progress"
    change_status(pg, CLOSED, "ซ่อมถนนเรียบร้อยแล้ว", outcome_label="แก้ไขปัญหาแล้ว")
    expect(pg.locator("#complaint-status")).to_have_text(CLOSED)
    expect(pg.locator("#complaint-outcome")).to_have_text("แก้ไขปัญหาแล้ว")

    events = pg.locator("#timeline li")
    expect(events).to_have_count(3)
    expect(events.locator(".who")).to_have_text(["นางสาวสมใจ รับเรื่อง", "นายวิชัย ดำเนินการ", "นายวิชัย ดำเนินการ"])
    expect(events.locator(".step")).to_have_text([RECEIVED, f"{RECEIVED} → {IN_PROGRESS}", f"{IN_PROGRESS} → {CLOSED}"])
    expect(events.nth(1).locator(".reason")).to_have_text("ประสานองค์การบริหารส่วนตำบลแล้ว")
    expect(events.nth(2).locator(".reason")).to_have_text("ซ่อมถนนเรียบร้อยแล้ว")
    expect(events.nth(2).locator(".outcome")).to_have_text("ผลการยุติเรื่อง: แก้ไขปัญหาแล้ว")
    expect(events.nth(2).locator(".when")).to_contain_text(str(BE_YEAR))

    # a closed complaint can only be reopened, and only with a reason
    expect(pg.locator("#to_status option")).to_have_text([IN_PROGRESS])
    change_status(pg, IN_PROGRESS, "")
    expect(pg.locator("#status-error")).to_have_text(REASON_REQUIRED)
    assert status_of(archive, c.id) == "closed"
    change_status(pg, IN_PROGRESS, "ผู้ร้องแจ้งว่าถนนยังชำรุดอยู่")
    expect(pg.locator("#complaint-status")).to_have_text(IN_PROGRESS)
    expect(pg.locator("#complaint-outcome")).to_have_count(0)
    expect(events).to_have_count(4)
    expect(events.nth(3).locator(".step")).to_have_text(f"{CLOSED} → {IN_PROGRESS}")
    expect(events.nth(3).locator(".reason")).to_have_text("ผู้ร้องแจ้งว่าถนนยังชำรุดอยู่")
    expect(events.nth(3).locator(".who")).to_have_text("นายวิชัย ดำเนินการ")

    # a due date in the past (typed in the Buddhist Era, Thai digits): the complaint stands out
    pg.click("#edit-link")
    expect(pg.locator("#summary")).to_have_value("ถนนในหมู่บ้านชำรุด")
    pg.fill("#due_date", "๑๕/๐๑/๒๕๖๗")
    pg.click("#save-complaint")
    expect(pg.locator("#complaint-due")).to_have_text("15 ม.ค. 2567")
    pg.goto("/complaints")
    rows = pg.locator("#complaint-table tbody tr")
    expect(rows).to_have_count(2)
    overdue = pg.locator(f"#complaint-table tr[data-tracking-no='{c.tracking_no}']")
    expect(overdue).to_have_class(re.compile(r"\boverdue\b"))
    expect(overdue.locator(".overdue-badge")).to_have_text("เกินกำหนด")
    on_time = pg.locator(f"#complaint-table tr[data-tracking-no='{later.tracking_no}']")
    expect(on_time).not_to_have_class(re.compile(r"\boverdue\b"))
    expect(on_time.locator(".overdue-badge")).to_have_count(0)
    pg.check("#f-overdue")
    pg.click("#filter-submit")
    expect_listed(pg, c.tracking_no)
    # status filter
    pg.goto("/complaints?status=received")
    expect_listed(pg, later.tracking_no)


# --- who sees what ----------------------------------------------------------------------------


def _documents(archive, tmp_path, owners: dict[str, int]) -> dict[str, int]:
    """Small rendered Thai petitions, stored, OCR'd (two at a time) and owned by a centre."""
    from ingest.pipeline import intake, process

    people = {"kkn01-petition.png": "นายสมศักดิ์ ทองประเสริฐ", "kkn02-petition.png": "นางมาลี ใจดี"}
    ids = {}
    for name, area_id in owners.items():
        p = tmp_path / name
        render_lines(["เรื่อง ขอความช่วยเหลือเรื่องหนี้นอกระบบ", f"ข้าพเจ้า {people[name]}"]).save(p, dpi=(300, 300))
        r = intake(archive, p, filename=name, area_id=area_id)
        assert r.document_id, r.error
        ids[name] = r.document_id
    with ThreadPoolExecutor(2) as pool:
        done = list(pool.map(lambda i: process(archive, i), ids.values()))
    assert all(d.state.value == "done" for d in done), [d.error for d in done]
    return ids


def test_area_rules_in_the_ui(archive, open_as, admin, tmp_path):
    from records import areas, complaints
    from records.models import Area

    with archive.db.session() as s:
        ban_phai = areas.by_code(s, "KKN-02")  # บ้านฝาง, DOPA 4002: every district is seeded
        assert ban_phai.name_th == "บ้านฝาง"
        kkn01 = areas.by_code(s, "KKN-01").id
        kkn02 = ban_phai.id
        assert s.get(Area, kkn02).parent.code == "KKN"
    c1 = make_user(archive, "counter", "KKN-01", seed=31)
    c2 = make_user(archive, "counter", "KKN-02", seed=32)
    c3 = make_user(archive, "counter", "CMI-01", seed=33)
    mine = new_complaint(archive, c1, "เรื่องที่เมืองขอนแก่น")
    theirs = new_complaint(archive, c2, "เรื่องที่บ้านไผ่")
    far = new_complaint(archive, c3, "เรื่องที่เชียงใหม่")
    assert (mine.tracking_no, theirs.tracking_no, far.tracking_no) == (
        f"KKN-{BE_YEAR}-000001",
        f"KKN-{BE_YEAR}-000002",
        f"CMI-{BE_YEAR}-000001",
    )
    docs = _documents(archive, tmp_path, {"kkn01-petition.png": kkn01, "kkn02-petition.png": kkn02})
    complaints.file_document(archive.db, c1, mine.id, docs["kkn01-petition.png"], "petition")
    complaints.file_document(archive.db, c2, theirs.id, docs["kkn02-petition.png"], "evidence")
    open_index(archive).sync()
    other_doc = docs["kkn02-petition.png"]

    def found(pg, q="ขอความช่วยเหลือ") -> list[str]:
        pg.goto(f"/search?q={q}")
        expect(pg.locator("#result-count")).to_be_visible()
        return sorted(pg.locator("ol.hits li.hit .filename").all_inner_texts())

    # a district officer: its own district only
    district = open_as(make_user(archive, "officer", "KKN-01", seed=34))
    district.goto("/complaints")
    expect_listed(district, mine.tracking_no)
    district.goto("/complaints?area=KKN-02")
    expect(district.locator("#complaint-count")).to_have_text("พบ 0 เรื่อง")
    for url in (
        f"/complaints/{theirs.id}",
        f"/complaints/{far.id}",
        f"/complaints/{theirs.id}/edit",
        f"/documents/{other_doc}",
        f"/documents/{other_doc}/original",
        f"/documents/{other_doc}/archive.pdf",
        f"/documents/{other_doc}/pages/1.jpg",
        "/complaints/9999",
    ):
        assert district.request.get(url).status == 404, url
    r = district.goto(f"/complaints/{theirs.id}")
    assert r.status == 404
    expect(district.locator("#error-message")).to_have_text("ไม่พบหน้านี้")
    # a guessed transition or filing on another district's complaint looks the same
    status = district.evaluate(
        """async (url) => (await fetch(url, {method: 'POST',
        body: new URLSearchParams({to_status: 'closed', reason: 'x', outcome: 'withdrawn'})})).status""",
        f"/complaints/{theirs.id}/status",
    )
    assert status == 404
    assert status_of(archive, theirs.id) == "received"
    district.goto(f"/complaints/{mine.id}")
    expect(district.locator("#complaint-documents tbody tr a")).to_have_text("kkn01-petition.png")
    assert district.request.get(f"/documents/{docs['kkn01-petition.png']}").status == 200
    # filing the other district's document by guessed id is refused too
    district.fill("#file-document-id", str(other_doc))
    district.click("#file-submit")
    expect(district.locator("#file__-error")).to_have_text("ไม่พบเอกสาร")
    assert found(district) == ["kkn01-petition.png"]
    assert found(district, "มาลี") == []

    # a province officer: both districts of the province, not another province
    province = open_as(make_user(archive, "officer", "KKN", seed=35))
    province.goto("/complaints")
    expect_listed(province, theirs.tracking_no, mine.tracking_no)
    province.goto("/complaints?area=KKN-02")
    expect_listed(province, theirs.tracking_no)
    province.goto(f"/complaints/{theirs.id}")
    expect(province.locator("#complaint-area")).to_have_text("บ้านฝาง (KKN-02)")
    expect(province.locator("#complaint-documents tbody tr td").nth(1)).to_have_text("หลักฐาน")
    assert province.request.get(f"/documents/{other_doc}").status == 200
    assert province.request.get(f"/complaints/{far.id}").status == 404
    assert found(province) == ["kkn01-petition.png", "kkn02-petition.png"]

    # central: everything
    central = open_as(admin)
    central.goto("/complaints")
    expect_listed(central, far.tracking_no, theirs.tracking_no, mine.tracking_no)
    central.goto("/complaints?area=CMI")
    expect_listed(central, far.tracking_no)
    assert central.request.get(f"/complaints/{far.id}").status == 200
    assert found(central) == ["kkn01-petition.png", "kkn02-petition.png"]


def test_auditor_reads_but_cannot_act(archive, open_as):
    counter = make_user(archive, "counter", "KKN-01", seed=41)
    auditor = make_user(archive, "auditor", "MOI", seed=42, name="นายตรวจ สอบ")
    c = new_complaint(archive, counter, "เรื่องให้ผู้ตรวจสอบดู")
    pg = open_as(auditor)
    pg.goto("/complaints")
    expect(pg.locator("#new-complaint")).to_have_count(0)
    pg.click(f"text={c.tracking_no}")
    expect(pg.locator("#tracking-no")).to_have_text(c.tracking_no)
    expect(pg.locator("#complaint-summary")).to_have_text("เรื่องให้ผู้ตรวจสอบดู")
    for form in ("#status-form", "#file-form", "#edit-link"):
        expect(pg.locator(form)).to_have_count(0)
    expect(pg.locator("form[method='post']:not(.logout)")).to_have_count(0)
    expect(pg.locator("#case-file-link")).to_have_attribute("href", f"/complaints/{c.id}/case-file.zip")

    def post(url, body):
        return pg.evaluate(
            """async ([url, body]) => (await fetch(url, {method: 'POST',
            body: new URLSearchParams(body)})).status""",
            [url, body],
        )

    assert post(f"/complaints/{c.id}/status", {"to_status": "in_progress", "reason": "ลอง"}) == 403
    assert post(f"/complaints/{c.id}/edit", {"summary": "แก้"}) == 403
    assert post(f"/complaints/{c.id}/documents", {"document_id": "1", "kind": "petition"}) == 403
    assert post("/complaints/new", {"phone": "0812345678"}) == 403
    assert pg.request.get(f"/complaints/{c.id}/edit").status == 403
    assert pg.request.get("/complaints/new").status == 403
    assert pg.request.get("/admin/users").status == 403
    assert status_of(archive, c.id) == "received"
    from records import audit

    views = [e for e in audit.entries_for(archive.db, "complaint", c.tracking_no) if e.action == "view"]
    assert [e.user_name for e in views] == ["นายตรวจ สอบ"]


# --- administration ---------------------------------------------------------------------------


def test_admin_adds_user_who_must_change_first_password(archive, page, open_as):
    page.goto("/")
    page.click("header nav >> text=ผู้ดูแลระบบ")
    expect(page).to_have_url(re.compile(r"/admin/users$"))
    expect(page.locator("#user-table td.masked-id").first).to_have_text(re.compile(r"^\d-\d{4}-xxxxx-\d\d-\d$"))
    # a wrong ID number is refused in Thai, what was typed stays
    page.fill("#new-citizen-id", "1234567890123")
    page.fill("#new-name", "นางสาวใหม่ ใจงาม")
    page.select_option("#new-role", label="เจ้าหน้าที่รับเรื่อง")
    page.fill("#new-area", "KKN-01")
    page.click("#add-user")
    expect(page.locator("#user-error")).to_have_text("ชื่อผู้ใช้ต้องเป็นเลขประจำตัวประชาชน 13 หลักที่ถูกต้อง")
    expect(page.locator("#new-name")).to_have_value("นางสาวใหม่ ใจงาม")
    cid = valid_cid(777)
    page.fill("#new-citizen-id", cid)
    page.click("#add-user")
    first_password = page.locator("#issued-password").inner_text()
    assert len(first_password) >= 10
    row = page.locator("#user-table tr.user-row", has_text="นางสาวใหม่ ใจงาม")
    expect(row.locator("td.masked-id")).to_have_text(f"{cid[0]}-{cid[1:5]}-xxxxx-{cid[10:12]}-{cid[12]}")
    expect(row.locator("td.user-state")).to_have_text("ใช้งานได้ · ยังไม่เปลี่ยนรหัสผ่านแรก")
    page.reload()
    expect(page.locator("#issued-password")).to_have_count(0)  # shown once

    from records.models import User

    with archive.db.session() as s:
        new_user = s.scalar(select(User).where(User.citizen_id == cid))
        _ = new_user.area
        s.expunge(new_user)
    assert new_user.role.value == "counter" and new_user.must_change_password

    # the new user signs in with the issued password and must replace it before anything else
    pg = open_as()
    sign_in(pg, new_user, first_password)
    expect(pg).to_have_url(re.compile(r"/password$"))
    expect(pg.locator("#must-change")).to_be_visible()
    pg.goto("/complaints")
    expect(pg).to_have_url(re.compile(r"/password$"))
    pg.fill("#old_password", first_password)
    pg.fill("#new_password", "a-brand-new-password")
    pg.fill("#confirm_password", "a-brand-new-password")
    pg.click("#save-password")
    pg.goto("/complaints")
    expect(pg).to_have_url(re.compile(r"/complaints$"))
    expect(pg.locator("#whoami")).to_contain_text("นางสาวใหม่ ใจงาม")

    # disabled: signed out and refused; enabled with a fresh first password: back, and made to change it
    page.goto("/admin/users")
    row.locator("button.toggle-active").click()
    expect(row.locator("td.user-state")).to_have_text("ปิดใช้งาน")
    pg.goto("/complaints")
    expect(pg).to_have_url(re.compile(r"/login"))
    pg.fill("#username", cid)
    pg.fill("#password", "a-brand-new-password")
    pg.click("#sign-in")
    expect(pg.locator("#login-error")).to_have_text("บัญชีนี้ถูกปิดใช้งาน")
    row.locator("button.toggle-active").click()
    expect(row.locator("td.user-state")).to_have_text("ใช้งานได้")
    row.locator("button.reset-password").click()
    second = page.locator("#issued-password").inner_text()
    assert second != first_password
    sign_in(pg, new_user, second)
    expect(pg).to_have_url(re.compile(r"/password$"))

    from records import audit

    actions = [(e.action, e.object_type) for e in audit.entries_for(archive.db, "user", new_user.id)]
    assert ("create", "user") in actions and ("reset_password", "user") in actions
    assert actions.count(("change", "user")) == 2


def test_admin_edits_categories(archive, page):
    page.goto("/admin/categories")
    page.fill("#category-name-th", "ที่สาธารณะ")
    page.fill("#category-name-en", "Public land")
    page.select_option("#category-parent", label="ที่ดิน")
    page.click("#add-category")
    expect(page.locator("#flash")).to_have_text("เพิ่มประเภท ที่สาธารณะ แล้ว")
    page.fill("#category-name-th", "ร้องทุกข์ทั่วไป")
    page.check("#category-needs-detail")
    page.click("#add-category")
    expect(page.locator("#flash")).to_have_text("เพิ่มประเภท ร้องทุกข์ทั่วไป แล้ว")
    # rename a category; deactivate another
    row = page.locator("#category-table tr.category-row", has=page.locator("input[value='คุ้มครองผู้บริโภค']"))
    row.locator("input[name='name_th']").fill("คุ้มครองผู้บริโภค (สคบ.)")
    row.locator("button.save-category").click()
    expect(page.locator("#flash")).to_have_text("บันทึกประเภทเรื่องแล้ว")
    nuisance = page.locator("#category-table tr.category-row", has=page.locator("input[value='ความเดือดร้อนรำคาญ']"))
    nuisance.locator("button.toggle-category").click()
    expect(nuisance.locator("td.category-state")).to_have_text("ปิดใช้งาน")

    page.goto("/complaints/new")
    labels = page.locator("#category_id option").all_inner_texts()
    assert "คุ้มครองผู้บริโภค (สคบ.)" in labels and "ร้องทุกข์ทั่วไป" in labels
    assert "ความเดือดร้อนรำคาญ" not in labels
    page.select_option("#category_id", label="ที่ดิน")
    assert "ที่สาธารณะ" in page.locator("#subcategory_id option:not([hidden])").all_inner_texts()
    # the new category needs its detail, like "เรื่องอื่นๆ"
    page.select_option("#category_id", label="ร้องทุกข์ทั่วไป")
    page.fill("#phone", "0812345678")
    page.click("#save-complaint")
    expect(page.locator("#subcategory_text-error")).to_have_text('หมวด "ร้องทุกข์ทั่วไป" ต้องระบุรายละเอียดหมวดย่อย')
    from records import audit
    from records.models import AuditEntry

    with archive.db.session() as s:
        kinds = [
            (e.action, e.object_type) for e in s.scalars(select(AuditEntry).where(AuditEntry.object_type == "category"))
        ]
    assert kinds.count(("create", "category")) == 2 and kinds.count(("change", "category")) == 2
    assert audit.verify_chain(archive.db).ok
