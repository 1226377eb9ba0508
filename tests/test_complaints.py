"""Complaints through records.complaints (no browser): the lifecycle and its transition table,
tracking numbers, intake checks, who sees and may do what, and the hash-chained audit log —
including a log tampered with behind the database's back, caught by `damrong audit verify`."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from sqlalchemy import select

from records import audit, complaints
from records.complaints import ComplaintError
from records.models import Category, ComplaintStatus
from tests.conftest import damrong, make_user, valid_cid
from thai.messages import text as _text

BE_YEAR = dt.datetime.now(dt.UTC).year + 543
PERSON_CID = valid_cid(4242)


@pytest.fixture
def people(archive):
    """Users at every level: KKN (province) with districts KKN-01 and KKN-02, CMI-01 elsewhere,
    and the ministry."""
    return {  # KKN-02 is บ้านฝาง
        "counter": make_user(archive, "counter", "KKN-01", seed=11),
        "officer": make_user(archive, "officer", "KKN-01", seed=12),
        "officer2": make_user(archive, "officer", "KKN-02", seed=13),
        "province": make_user(archive, "officer", "KKN", seed=14),
        "auditor": make_user(archive, "auditor", "KKN", seed=15),
        "other": make_user(archive, "officer", "CMI-01", seed=16),
        "central": make_user(archive, "admin", "MOI", seed=17),
    }


def category(archive, name_th: str = "ขอความช่วยเหลือ") -> int:
    with archive.db.session() as s:
        return s.scalar(select(Category.id).where(Category.name_th == name_th, Category.parent_id.is_(None)))


def new(archive, user, **extra):
    data = {
        "category_id": category(archive),
        "phone": "081-234-5678",
        "citizen_id": PERSON_CID,
        "first_name_th": "สมศักดิ์",
        "last_name_th": "ทองประเสริฐ",
        "summary": "ถูกเจ้าหนี้นอกระบบข่มขู่",
    }
    data.update(extra)
    return complaints.create(archive.db, user, data)


def status_of(archive, user, complaint_id):
    with archive.db.session() as s:
        c = complaints.get(s, user, complaint_id)
        return c.status, c.outcome, c.closed_at, [(e.from_status, e.to_status, e.outcome) for e in c.events]


def refused(code: str, fn, *args, **kw) -> ComplaintError:
    with pytest.raises(ComplaintError) as e:
        fn(*args, **kw)
    assert e.value.code == code, (e.value.code, e.value.params)
    return e.value


# --- lifecycle ------------------------------------------------------------------------------


def test_lifecycle_received_to_closed_and_reopened(archive, people):
    c = new(archive, people["counter"])
    assert c.status == ComplaintStatus.received and c.tracking_no == f"KKN-{BE_YEAR}-000001"
    from thai.dates import thai_time  # the due date counts days in Thailand (UTC+7)

    assert c.due_date == thai_time(c.received_at).date() + dt.timedelta(days=complaints.DEFAULT_DAYS)
    off = people["officer"]
    complaints.transition(archive.db, off, c.id, "in_progress")
    complaints.transition(archive.db, off, c.id, "waiting_agency", reason="ส่งหนังสือถึงอำเภอ")
    complaints.transition(archive.db, off, c.id, "closed", reason="เจ้าหนี้ยอมเจรจา", outcome="resolved")
    st, outcome, closed_at, events = status_of(archive, off, c.id)
    assert (st, outcome) == (ComplaintStatus.closed, "resolved") and closed_at is not None
    assert events == [
        (None, "received", None),
        ("received", "in_progress", None),
        ("in_progress", "waiting_agency", None),
        ("waiting_agency", "closed", "resolved"),
    ]

    refused("reason_required", complaints.transition, archive.db, off, c.id, "in_progress")  # reopen
    refused("bad_transition", complaints.transition, archive.db, off, c.id, "waiting_agency", reason="x")
    complaints.transition(archive.db, off, c.id, "in_progress", reason="ผู้ร้องแจ้งว่ายังถูกข่มขู่")
    st, outcome, closed_at, events = status_of(archive, off, c.id)
    assert (st, outcome, closed_at) == (ComplaintStatus.in_progress, None, None)
    assert events[-1] == ("closed", "in_progress", None)


def test_transition_table_and_what_each_step_needs(archive, people):
    off = people["officer"]
    c = new(archive, off)
    e = refused("bad_transition", complaints.transition, archive.db, off, c.id, "received")
    assert "received" in _text(e.code, "th", e.params) and "ไม่ได้" in _text(e.code, "th", e.params)
    refused("bad_value", complaints.transition, archive.db, off, c.id, "finished")
    refused("reason_required", complaints.transition, archive.db, off, c.id, "closed", outcome="resolved")
    e = refused("outcome_required", complaints.transition, archive.db, off, c.id, "closed", reason="จบ")
    assert _text(e.code, "th", e.params) == "ต้องระบุผลการยุติเรื่อง"
    refused("outcome_required", complaints.transition, archive.db, off, c.id, "closed", reason="จบ", outcome="happy")
    # forwarding needs a reason and another centre; the complaint moves there
    refused("reason_required", complaints.transition, archive.db, off, c.id, "forwarded", to_area_code="KKN-02")
    refused("bad_value", complaints.transition, archive.db, off, c.id, "forwarded", reason="r", to_area_code="KKN-01")
    refused("bad_value", complaints.transition, archive.db, off, c.id, "forwarded", reason="r", to_area_code="XXX")
    complaints.transition(archive.db, off, c.id, "forwarded", reason="เกิดเหตุในเขตบ้านฝาง", to_area_code="KKN-02")
    assert status_of(archive, people["officer2"], c.id)[0] == ComplaintStatus.forwarded
    with archive.db.session() as s:
        assert complaints.get(s, off, c.id) is None  # no longer KKN-01's
    # nothing was half-done by the refusals
    assert [ev[1] for ev in status_of(archive, people["officer2"], c.id)[3]] == ["received", "forwarded"]


def test_duplicate_needs_the_other_tracking_number(archive, people):
    off = people["officer"]
    first, second = new(archive, off), new(archive, off)
    refused("not_found", complaints.transition, archive.db, off, second.id, "closed", reason="ซ้ำ", outcome="duplicate")
    refused(
        "not_found",
        complaints.transition,
        archive.db,
        off,
        second.id,
        "closed",
        reason="ซ้ำ",
        outcome="duplicate",
        duplicate_of=second.tracking_no,
    )
    refused(
        "not_found",
        complaints.transition,
        archive.db,
        off,
        second.id,
        "closed",
        reason="ซ้ำ",
        outcome="duplicate",
        duplicate_of=f"KKN-{BE_YEAR}-999999",
    )
    complaints.transition(
        archive.db, off, second.id, "closed", reason="ซ้ำ", outcome="duplicate", duplicate_of=first.tracking_no.lower()
    )
    with archive.db.session() as s:
        c = complaints.get(s, off, second.id)
        assert (c.status, c.outcome, c.duplicate_of_id) == (ComplaintStatus.closed, "duplicate", first.id)


# --- tracking numbers and intake checks -----------------------------------------------------


def test_tracking_numbers_count_per_province_and_year(archive, people, monkeypatch):
    assert new(archive, people["counter"]).tracking_no == f"KKN-{BE_YEAR}-000001"
    assert new(archive, people["officer2"]).tracking_no == f"KKN-{BE_YEAR}-000002"  # another district, same province
    assert new(archive, people["province"]).tracking_no == f"KKN-{BE_YEAR}-000003"
    assert new(archive, people["other"]).tracking_no == f"CMI-{BE_YEAR}-000001"
    assert new(archive, people["central"]).tracking_no == f"MOI-{BE_YEAR}-000001"
    assert new(archive, people["central"], area_code="KKN-02").tracking_no == f"KKN-{BE_YEAR}-000004"
    monkeypatch.setattr(complaints, "utcnow", lambda: dt.datetime(2030, 3, 1, 9, 0))
    assert new(archive, people["counter"]).tracking_no == "KKN-2573-000001"
    assert new(archive, people["counter"]).tracking_no == "KKN-2573-000002"


def test_other_category_needs_detail(archive, people):
    other = category(archive, "เรื่องอื่นๆ")
    e = refused("needs_detail", new, archive, people["counter"], category_id=other)
    assert "เรื่องอื่นๆ" in _text(e.code, "th", e.params)
    refused("needs_detail", new, archive, people["counter"], category_id=other, subcategory_text="   ")
    c = new(archive, people["counter"], category_id=other, subcategory_text="ขอย้ายทะเบียนบ้าน")
    assert c.subcategory_text == "ขอย้ายทะเบียนบ้าน"


def test_intake_refusals(archive, people):
    bad = PERSON_CID[:12] + str((int(PERSON_CID[12]) + 1) % 10)
    e = refused("bad_citizen_id", new, archive, people["counter"], citizen_id=bad)
    assert _text(e.code, "th", e.params).startswith("เลขประจำตัวประชาชนไม่ถูกต้อง")
    assert _text(e.code, "en", e.params).startswith("invalid citizen ID")
    refused("bad_phone", new, archive, people["counter"], phone="12-34")
    refused("required", new, archive, people["counter"], category_id=None)
    refused("bad_value", new, archive, people["counter"], channel="pigeon")
    refused("bad_value", new, archive, people["counter"], area_code="CMI-01")  # outside the user's area
    # a typed ID with Thai digits and dashes is the same person
    thai = PERSON_CID.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    a = new(archive, people["counter"])
    b = new(archive, people["counter"], citizen_id=f"{thai[0]}-{thai[1:5]}-{thai[5:10]}-{thai[10:12]}-{thai[12]}")
    with archive.db.session() as s:
        assert (
            complaints.get(s, people["counter"], a.id).complainant_id
            == complaints.get(s, people["counter"], b.id).complainant_id
        )


# --- who sees what, who may do what ---------------------------------------------------------


def test_area_visibility_district_province_central(archive, people):
    k1 = new(archive, people["officer"])
    k2 = new(archive, people["officer2"])
    c1 = new(archive, people["other"])
    sees = {
        "officer": {k1.id},
        "officer2": {k2.id},
        "province": {k1.id, k2.id},
        "auditor": {k1.id, k2.id},
        "other": {c1.id},
        "central": {k1.id, k2.id, c1.id},
    }
    with archive.db.session() as s:
        for who, ids in sees.items():
            total, rows = complaints.query(s, people[who])
            assert (total, {c.id for c in rows}) == (len(ids), ids), who
            for c in (k1, k2, c1):
                assert (complaints.get(s, people[who], c.id) is not None) == (c.id in ids), (who, c.tracking_no)
                assert (complaints.by_tracking_no(s, people[who], c.tracking_no) is not None) == (c.id in ids)
        total, rows = complaints.query(s, people["central"], area_code="KKN")
        assert {c.id for c in rows} == {k1.id, k2.id}
        total, rows = complaints.query(s, people["province"], area_code="CMI")  # asking does not widen it
        assert total == 0
    # another district's complaint cannot be touched (and is not admitted to exist)
    refused("not_found", complaints.transition, archive.db, people["officer2"], k1.id, "in_progress")
    refused("not_found", complaints.update, archive.db, people["other"], k1.id, {"summary": "x"})
    complaints.transition(archive.db, people["province"], k1.id, "in_progress")  # the province may


def test_a_complaint_is_found_by_its_person(archive, people, app):
    """ "I'm calling about my complaint" without the tracking number: by the complainant's name (or
    both names), citizen ID (dashes, Thai digits), phone (part of it), or the respondent's name —
    within the caller's area only; the complainant's page lists that person's complaints."""
    from tests.conftest import client_for

    mine = new(archive, people["counter"], respondent_name="บริษัท ทรายทอง จำกัด")
    elsewhere = new(
        archive,
        people["other"],
        citizen_id=PERSON_CID,
        phone="0899999999",
        respondent_name="บริษัท ทรายทอง จำกัด",
    )
    other_person = new(
        archive,
        people["counter"],
        citizen_id=valid_cid(777),
        first_name_th="มานี",
        last_name_th="มีนา",
        phone="0870000000",
    )
    dashed_thai = "๙-๘๗๖๕"  # nobody's phone: finds nothing
    number = PERSON_CID
    thai_number = number.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    asks = {
        "สมศักดิ์": {mine.id},
        "สมศักดิ์  ทองประเสริฐ": {mine.id},
        "ทองประ": {mine.id},
        f"{thai_number[0]}-{thai_number[1:5]}-{thai_number[5:10]}-{thai_number[10:12]}-{thai_number[12]}": {mine.id},
        "๕๖๗๘": {mine.id},
        "081 234": {mine.id},
        "ทรายทอง": {mine.id},
        "มีนา": {other_person.id},
        dashed_thai: set(),
    }
    with archive.db.session() as s:
        for text, expected in asks.items():
            _total, rows = complaints.query(s, people["counter"], text=text)
            assert {c.id for c in rows} == expected, text
        # the ministry sees the same person's complaints in both provinces
        _total, rows = complaints.query(s, people["central"], text=number)
        assert {c.id for c in rows} == {mine.id, elsewhere.id}
        person_id = s.get(type(mine), mine.id).complainant_id

    page = client_for(app, archive, people["counter"]).get(f"/complainants/{person_id}").get_data(as_text=True)
    assert mine.tracking_no in page and elsewhere.tracking_no not in page and other_person.tracking_no not in page
    assert "xxxxx" in page and number not in page
    central = client_for(app, archive, people["central"]).get(f"/complainants/{person_id}").get_data(as_text=True)
    assert mine.tracking_no in central and elsewhere.tracking_no in central
    assert client_for(app, archive, people["other"]).get(f"/complainants/{person_id}").status_code == 404
    from records.models import AuditEntry

    with archive.db.session() as s:
        views = list(s.scalars(select(AuditEntry).where(AuditEntry.object_type == "complainant")))
    assert len(views) == 2 and all(e.action == "view" and "xxxxx" in e.object_id for e in views)


def test_auditor_reads_but_may_not_change(archive, people):
    c = new(archive, people["officer"])
    refused("forbidden", new, archive, people["auditor"])
    refused("forbidden", complaints.transition, archive.db, people["auditor"], c.id, "in_progress")
    refused("forbidden", complaints.update, archive.db, people["auditor"], c.id, {"summary": "แก้"})
    refused("forbidden", complaints.transition, archive.db, people["counter"], c.id, "in_progress")
    e = refused("forbidden", new, archive, people["auditor"])
    assert _text(e.code, "th", e.params) == "ไม่มีสิทธิ์ทำรายการนี้"
    assert _text(e.code, "en", e.params) == "you may not do this"
    with archive.db.session() as s:
        assert complaints.get(s, people["auditor"], c.id).status == ComplaintStatus.received
    assert [x.action for x in audit.entries_for(archive.db, "complaint", c.tracking_no)] == ["create"]


# --- the audit log --------------------------------------------------------------------------


def test_audit_log_records_each_change_with_before_and_after(archive, people):
    off = people["officer"]
    c = new(archive, off)
    complaints.transition(archive.db, off, c.id, "in_progress")
    complaints.update(archive.db, off, c.id, {"respondent_name": "นายเจ้าหนี้", "summary": "ถูกข่มขู่ทางโทรศัพท์"})
    complaints.transition(archive.db, off, c.id, "closed", reason="ยุติ", outcome="withdrawn")
    log = audit.entries_for(archive.db, "complaint", c.tracking_no)
    assert [e.action for e in log] == ["create", "status", "change", "status"]
    assert all(e.user_id == off.id and e.user_name == off.name for e in log)
    create, to_progress, change, to_closed = log
    assert create.before is None and create.after["tracking_no"] == c.tracking_no
    assert create.after["status"] == "received" and create.after["phone"] == "081234xxxx"
    p = PERSON_CID
    assert create.after["complainant"] == f"{p[0]}-{p[1:5]}-xxxxx-{p[10:12]}-{p[12]}"
    assert to_progress.before["status"] == "received" and to_progress.after["status"] == "in_progress"
    assert change.before == {"respondent_name": "", "summary": "ถูกเจ้าหนี้นอกระบบข่มขู่"}
    assert change.after == {"respondent_name": "นายเจ้าหนี้", "summary": "ถูกข่มขู่ทางโทรศัพท์"}
    assert to_closed.before == {"status": "in_progress", "outcome": None, "area_id": c.area_id}
    assert to_closed.after == {"status": "closed", "outcome": "withdrawn", "area_id": c.area_id, "reason": "ยุติ"}
    everything = json.dumps([[e.before, e.after] for e in log], ensure_ascii=False)
    assert PERSON_CID not in everything and "0812345678" not in everything  # no full ID or phone in the log
    rep = audit.verify_chain(archive.db)
    assert rep.ok and rep.entries == 4


def _filled_log(archive, people) -> list[int]:
    off = people["officer"]
    for _ in range(3):
        c = new(archive, off)
        complaints.transition(archive.db, off, c.id, "in_progress")
    with archive.db.session() as s:
        from records.models import AuditEntry

        return list(s.scalars(select(AuditEntry.id).order_by(AuditEntry.id)))


def _verify(home) -> tuple[int, dict]:
    r = damrong("audit", "verify", "--json", home=home, check=False)
    return r.returncode, json.loads(r.stdout.strip().splitlines()[-1])


def test_tampered_audit_entry_is_caught_by_audit_verify(archive, people, home):
    ids = _filled_log(archive, people)
    assert len(ids) == 6
    rc, rep = _verify(home)
    anchor = rep.pop("anchor")
    assert (rc, rep) == (0, {"ok": True, "entries": 6, "first_broken": None, "problem": ""})
    assert anchor.startswith(f"{ids[-1]}:") and len(anchor.split(":")[1]) == 64
    plain = damrong("audit", "verify", home=home)
    assert "6 entries checked: OK" in plain.stdout and anchor in plain.stdout

    db = sqlite3.connect(archive.settings.home / "damrong.sqlite3")
    try:
        victim = ids[3]  # a status change: pretend the complaint was closed instead
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("UPDATE audit_log SET after = json_set(after, '$.status', 'closed') WHERE id = ?", (victim,))
        db.rollback()
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("DELETE FROM audit_log WHERE id = ?", (victim,))
        db.rollback()
        # an attacker with the file in hand removes the guard and edits the entry
        db.execute("DROP TRIGGER audit_log_no_update")
        db.execute("UPDATE audit_log SET after = json_set(after, '$.status', 'closed') WHERE id = ?", (victim,))
        db.commit()
        assert (
            json.loads(db.execute("SELECT after FROM audit_log WHERE id = ?", (victim,)).fetchone()[0])["status"]
            == "closed"
        )
    finally:
        db.close()
    rc, rep = _verify(home)
    assert rc == 1 and rep["ok"] is False and rep["first_broken"] == victim
    assert "changed" in rep["problem"]
    plain = damrong("audit", "verify", home=home, check=False)
    assert plain.returncode == 1 and f"BROKEN at entry {victim}" in plain.stdout


def test_deleted_audit_entry_is_caught_by_audit_verify(archive, people, home):
    ids = _filled_log(archive, people)
    db = sqlite3.connect(archive.settings.home / "damrong.sqlite3")
    try:
        db.execute("DROP TRIGGER audit_log_no_delete")
        db.execute("DELETE FROM audit_log WHERE id = ?", (ids[2],))
        db.commit()
    finally:
        db.close()
    rc, rep = _verify(home)
    assert rc == 1 and rep["first_broken"] == ids[3]  # the entry after the hole no longer follows
    assert "missing" in rep["problem"] and str(ids[2]) in rep["problem"]


def test_cut_off_newest_entries_are_caught_with_an_anchor(archive, people, home):
    """The chain alone cannot show its newest entries were cut off; an anchor (ID:HASH) noted from
    an earlier run and kept elsewhere can."""
    ids = _filled_log(archive, people)
    anchor = _verify(home)[1]["anchor"]
    assert damrong("audit", "verify", "--anchor", anchor, home=home).returncode == 0
    db = sqlite3.connect(archive.settings.home / "damrong.sqlite3")
    try:
        db.execute("DROP TRIGGER audit_log_no_delete")
        db.execute("DELETE FROM audit_log WHERE id >= ?", (ids[-2],))
        db.commit()
    finally:
        db.close()
    assert _verify(home)[0] == 0  # what is left is a sound chain...
    r = damrong("audit", "verify", "--anchor", anchor, "--json", home=home, check=False)
    rep = json.loads(r.stdout)
    assert r.returncode == 1 and rep["first_broken"] == ids[-1] and "removed" in rep["problem"]  # ...but short


def test_rewritten_link_is_caught_too(archive, people, home):
    """Renumbering the entries after a deleted one (closing the gap) still breaks the chain."""
    ids = _filled_log(archive, people)
    db = sqlite3.connect(archive.settings.home / "damrong.sqlite3")
    try:
        db.execute("DROP TRIGGER audit_log_no_delete")
        db.execute("DROP TRIGGER audit_log_no_update")
        db.execute("DELETE FROM audit_log WHERE id = ?", (ids[1],))
        for i in ids[2:]:
            db.execute("UPDATE audit_log SET id = ? WHERE id = ?", (i - 1, i))
        db.commit()
    finally:
        db.close()
    rc, rep = _verify(home)
    assert rc == 1 and rep["first_broken"] == ids[1] and "does not follow" in rep["problem"]


def test_intake_is_checked_as_a_whole(archive, people):
    """validate() finds every problem at once and stores nothing; create() raises the first as
    its error (the code a caller reads) with all of them in `problems`."""
    from records.models import Complaint

    counter = people["counter"]
    data = {
        "channel": "pigeon",
        "phone": "12",
        "category_id": category(archive, "เรื่องอื่นๆ"),
        "citizen_id": "1234567890123",
        "latitude": "91",
        "longitude": "ทิศเหนือ",
        "due_date": "31/02/2570",
    }
    expected = [
        ("bad_value", "channel"),
        ("bad_phone", None),
        ("needs_detail", None),
        ("bad_citizen_id", None),
        ("bad_value", "latitude"),
        ("bad_value", "longitude"),
        ("bad_value", "due_date"),
    ]
    found = complaints.validate(archive.db, counter, data)
    assert [(e.code, e.params.get("field")) for e in found] == expected
    e = refused("bad_value", complaints.create, archive.db, counter, data)
    assert [(p.code, p.params.get("field")) for p in e.problems] == expected
    with archive.db.session() as s:
        assert s.scalar(select(Complaint.id)) is None
    assert complaints.validate(archive.db, counter, {"phone": "0812345678", "category_id": category(archive)}) == []
    # a change of details too: both problems, nothing changed
    c = new(archive, counter)
    e = refused("bad_phone", complaints.update, archive.db, people["officer"], c.id, {"phone": "1", "latitude": "-91"})
    assert [p.code for p in e.problems] == ["bad_phone", "bad_value"]
    with archive.db.session() as s:
        assert s.get(Complaint, c.id).phone == "0812345678"


def test_the_same_original_scanned_again_keeps_its_filing_kind(archive, people, petition_png):
    """A re-scan or re-upload of the very same bytes is the same document: it keeps the kind it is
    filed as; only the officer's explicit re-filing changes it (and that is audited)."""
    from ingest.pipeline import intake
    from records.models import ComplaintDocument

    officer = people["officer"]
    c = new(archive, officer)
    r = intake(archive, petition_png, area_id=officer.area_id)
    assert complaints.file_document(archive.db, officer, c.id, r.document_id, "evidence") == "filed"
    again = intake(archive, petition_png, area_id=officer.area_id)
    assert again.duplicate and again.document_id == r.document_id
    outcome = complaints.file_document(archive.db, officer, c.id, again.document_id, "petition", change_kind=False)
    with archive.db.session() as s:
        kinds = list(s.scalars(select(ComplaintDocument.kind).where(ComplaintDocument.complaint_id == c.id)))
    assert (outcome, kinds) == ("unchanged", ["evidence"])
    assert complaints.file_document(archive.db, officer, c.id, r.document_id, "petition") == "kind_changed"
    with archive.db.session() as s:
        assert s.scalar(select(ComplaintDocument.kind).where(ComplaintDocument.complaint_id == c.id)) == "petition"
