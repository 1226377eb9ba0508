"""Possible duplicates across districts and provinces (records.duplicates, `damrong complaint check`):
the same person, the same respondent however it is written, a re-told or OCR-typo'd story, the
same category at the same place; another province's candidate shown by its metadata only and the
lookup audited; look-alikes kept out; an archive from before the check gets its sketches."""

from __future__ import annotations

import json

import pytest
from alembic import command
from sqlalchemy import create_engine, select

from records import complaints, duplicates
from records.db import alembic_config
from records.models import AuditEntry, Category, ComplaintTextBand
from tests.conftest import damrong, make_user, valid_cid
from thai.dates import thai_time
from thai.respondents import respondent_key

PERSON = valid_cid(5151)
STORY = "โรงงานของบริษัททรายทองปล่อยน้ำเสียลงคลองสาธารณะ ส่งกลิ่นเหม็นไปทั้งหมู่บ้าน ปลาในคลองตายจำนวนมาก"
RETOLD_WITH_TYPOS = "โรงงานบริษัททรายทองปล่อยนำเสียลงคลองสาธารณะส่งกลิ่นเหม็นทั้งหมูบ้าน ปลาในคลองตายจํานวนมาก"


@pytest.fixture
def people(archive):
    return {
        "kkn": make_user(archive, "counter", "KKN-01", seed=91),
        "kkn_officer": make_user(archive, "officer", "KKN-01", seed=92),
        "cmi": make_user(archive, "counter", "CMI-01", seed=93),
        "central": make_user(archive, "admin", "MOI", seed=94),
    }


def _category(archive, name: str) -> int:
    with archive.db.session() as s:
        return s.scalar(select(Category.id).where(Category.name_th == name, Category.parent_id.is_(None)))


def _new(archive, user, **data):
    base = {"phone": "0812345678", "category_id": _category(archive, "ความเดือดร้อนรำคาญ")}
    return complaints.create(archive.db, user, {**base, **data})


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("บริษัท ทรายทอง จำกัด", "บ.ทรายทอง จก."),
        ("อบต.บ้านเป็ด", "องค์การบริหารส่วนตำบล บ้านเป็ด"),
        ("นายสมชาย  ใจดี", "สมชาย ใจดี"),
        ("ที่ว่าการอำเภอบ้านไผ่", "อำเภอบ้านไผ่"),
        ("ห้างหุ้นส่วนจำกัด รุ่งเรือง๒", "หจก.รุ่งเรือง2"),
    ],
)
def test_one_respondent_written_two_ways_has_one_key(one, other):
    assert respondent_key(one) == respondent_key(other) != ""


def test_a_name_too_general_matches_nothing():
    assert respondent_key("เจ้าหน้าที่") == respondent_key("นาย") == respondent_key("") == ""


def test_a_complaint_filed_again_in_another_province_is_found_by_its_metadata_only(archive, people, home):
    first = _new(
        archive,
        people["kkn"],
        citizen_id=PERSON,
        first_name_th="สมศรี",
        last_name_th="มีสุข",
        respondent_kind="business",
        respondent_name="บริษัท ทรายทอง จำกัด",
        summary=STORY,
        incident_province="ขอนแก่น",
        incident_district="เมืองขอนแก่น",
        incident_subdistrict="ในเมือง",
    )
    look_alike = _new(  # the same category, place and time: another matter, another person
        archive,
        people["kkn"],
        citizen_id=valid_cid(5252),
        first_name_th="มานะ",
        last_name_th="ใจดี",
        respondent_name="ร้านคาราโอเกะริมบึง",
        summary="ร้านคาราโอเกะเปิดเพลงเสียงดังเกินเวลาทุกคืน รบกวนการพักผ่อน",
        incident_province="ขอนแก่น",
        incident_district="เมืองขอนแก่น",
        incident_subdistrict="ในเมือง",
    )

    out = damrong(
        "complaint",
        "check",
        "--as",
        people["cmi"].citizen_id,
        "--citizen-id",
        "-".join([PERSON[0], PERSON[1:5], PERSON[5:10], PERSON[10:12], PERSON[12]]),
        "--respondent-name",
        "บ.ทรายทอง จก.",
        "--summary",
        RETOLD_WITH_TYPOS,
        "--json",
        home=home,
    )
    found = json.loads(out.stdout)["candidates"]
    assert [c["tracking_no"] for c in found] == [first.tracking_no]
    [c] = found
    assert {"tracking_no", "area", "status", "score", "reasons"} <= set(c)
    assert c["received_on"] == thai_time(first.received_at).date().isoformat()  # the day in Thailand
    assert c["area"] == "KKN-01" and c["status"] == "received" and c["score"] >= 0.9
    assert c["reasons"] == ["same_citizen_id", "same_respondent", "similar_text"]
    # Chiang Mai learns that it exists, never what it says or who made it
    assert not c["visible"] and "summary" not in c and "complainant" not in c
    assert STORY not in out.stdout and "สมศรี" not in out.stdout and PERSON not in out.stdout
    with archive.db.session() as s:
        [entry] = s.scalars(select(AuditEntry).where(AuditEntry.action == "duplicate_check"))
        assert first.tracking_no in json.dumps(entry.after, ensure_ascii=False)

    # the district itself sees its own candidate in full; the look-alike is not a candidate
    with archive.db.session() as s:
        mine = duplicates.check(
            s, people["kkn"], duplicates.Probe(citizen_id=PERSON, summary=RETOLD_WITH_TYPOS, respondent_name="ทรายทอง")
        )
    assert [m.complaint.id for m in mine] == [first.id] and mine[0].visible
    assert look_alike.id not in [m.complaint.id for m in mine]
    # a complaint already held is checked against the others, never against itself
    again = json.loads(
        damrong(
            "complaint", "check", "--as", people["kkn"].citizen_id, "--of", first.tracking_no, "--json", home=home
        ).stdout
    )
    assert first.tracking_no not in [c["tracking_no"] for c in again["candidates"]]


def test_the_same_story_about_the_same_party_from_another_person_is_found(archive, people):
    first = _new(
        archive,
        people["kkn"],
        citizen_id=PERSON,
        first_name_th="สมศรี",
        last_name_th="มีสุข",
        respondent_name="อบต.บ้านเป็ด",
        summary="ถนนลูกรังในหมู่ที่ ๓ ชำรุดเป็นหลุมบ่อ รถจักรยานยนต์ล้มบ่อยครั้ง ขอให้ซ่อมแซมโดยด่วน",
    )
    with archive.db.session() as s:
        found = duplicates.check(
            s,
            people["central"],
            duplicates.Probe(
                citizen_id=valid_cid(6161),
                respondent_name="องค์การบริหารส่วนตำบลบ้านเป็ด",
                summary="ถนนลูกรังหมู่ 3 ชำรุดเป็นหลุมเป็นบ่อ รถจักรยานยนต์ล้มบ่อย ขอให้ซ่อมแซมด่วน",
            ),
        )
    assert [f.complaint.id for f in found] == [first.id]
    assert found[0].reasons == ["same_respondent", "similar_text"]


def test_the_same_category_at_the_same_spot_is_shown_by_itself(archive, people):
    """Two people report the broken culvert 120 m apart in the same week: a candidate, although
    nothing else matches; 400 m away, or another category, is not."""
    here = _new(archive, people["kkn"], summary="ท่อระบายน้ำอุดตัน น้ำท่วมขัง", latitude="16.4419", longitude="102.8360")
    _new(archive, people["kkn"], summary="ท่อระบายน้ำแตก", latitude="16.4455", longitude="102.8360")  # 400 m
    other = _category(archive, "สาธารณูปโภค")
    _new(archive, people["kkn"], summary="ไฟดับ", latitude="16.4420", longitude="102.8361", category_id=other)
    probe = duplicates.Probe(
        summary="ถนนหน้าวัดมีหลุมใหญ่", category_id=here.category_id, latitude=16.4430, longitude=102.8360
    )
    with archive.db.session() as s:
        found = duplicates.check(s, people["central"], probe)
    assert [(f.complaint.id, f.reasons) for f in found] == [(here.id, ["nearby"])]


def test_an_edited_summary_is_what_is_compared(archive, people):
    c = _new(archive, people["kkn"], summary="ไฟฟ้าดับทั้งหมู่บ้านเป็นเวลาสามวัน ไม่มีเจ้าหน้าที่มาแก้ไข")
    probe = duplicates.Probe(summary="น้ำประปาไม่ไหลมาหนึ่งสัปดาห์ ชาวบ้านเดือดร้อนหนัก ไม่มีน้ำใช้")
    with archive.db.session() as s:
        assert duplicates.check(s, people["central"], probe) == []
    complaints.update(archive.db, people["kkn_officer"], c.id, {"summary": probe.summary})
    with archive.db.session() as s:
        assert [f.complaint.id for f in duplicates.check(s, people["central"], probe)] == [c.id]


def test_an_archive_from_before_the_check_gets_its_sketches(archive, people, settings):
    c = _new(archive, people["kkn"], respondent_name="บ.ทรายทอง จก.", summary=STORY)
    archive.db.dispose()  # the migration runs on a connection of its own
    engine = create_engine(settings.db_url)
    with engine.begin() as conn:
        cfg = alembic_config(settings.db_url)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0011")
        command.upgrade(cfg, "head")
    engine.dispose()
    with archive.db.session() as s:
        assert len(list(s.scalars(select(ComplaintTextBand).where(ComplaintTextBand.complaint_id == c.id)))) == 16
        found = duplicates.check(s, people["central"], duplicates.Probe(respondent_name="ทรายทอง", summary=STORY))
        assert [f.complaint.id for f in found] == [c.id]


def test_the_province_sees_who_repeats_across_its_districts(archive, people, app):
    from tests.conftest import client_for

    other_district = make_user(archive, "counter", "KKN-02", seed=95)
    _new(
        archive,
        people["kkn"],
        citizen_id=PERSON,
        first_name_th="สมศรี",
        last_name_th="มีสุข",
        respondent_name="บ.ทรายทอง จก.",
    )
    _new(
        archive,
        other_district,
        citizen_id=PERSON,
        first_name_th="สมศรี",
        last_name_th="มีสุข",
        respondent_name="บริษัท ทรายทอง จำกัด",
    )
    _new(archive, people["kkn"], citizen_id=valid_cid(5353), first_name_th="มานะ", last_name_th="ใจดี")
    province = make_user(archive, "officer", "KKN", seed=96)
    page = client_for(app, archive, province).get("/complaints/repeats").get_data(as_text=True)
    person_row = page.split('id="repeat-people"')[1].split("</table>")[0]
    assert "สมศรี มีสุข" in person_row and "KKN-01, KKN-02" in person_row and PERSON not in page
    assert "มานะ" not in person_row
    respondent_row = page.split('id="repeat-respondents"')[1].split("</table>")[0]
    assert "ทรายทอง" in respondent_row and "KKN-01, KKN-02" in respondent_row
    district_page = client_for(app, archive, people["kkn_officer"]).get("/complaints/repeats").get_data(as_text=True)
    assert 'id="repeat-people"' not in district_page  # one centre: nothing repeats across it
    assert client_for(app, archive, people["kkn"]).get("/complaints/repeats").status_code == 403
