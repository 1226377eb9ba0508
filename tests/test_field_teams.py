"""Sub-district field teams (records.field_work, webui.field_views): the district assigns a
complaint to one of its own sub-districts' teams; a team member lists the team's complaints
(nearest first), reports with a note, photos before/after and the phone's position, moves the
complaint on or closes it with the result; a report sent twice is recorded once; the district
sees every report; nobody else's team, district or phone gets in; installable (manifest, worker)."""

from __future__ import annotations

import io
import json
import re

import pytest
from PIL import Image
from sqlalchemy import func, select

from records import complaints, field_work
from records.field_work import FieldError, Report
from records.models import AuditEntry, Category, Complaint, FieldUpdate
from records.users import UserError
from tests.conftest import PASSWORD, client_for, damrong, make_user

GPS = 0x8825


def _phone_photo(colour=(30, 90, 160), size=(2400, 1800)) -> bytes:
    exif = Image.Exif()
    exif[GPS] = {1: "N", 2: (16.0, 26.0, 0.0), 3: "E", 4: (102.0, 50.0, 0.0)}
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "JPEG", exif=exif.tobytes())
    return buf.getvalue()


def _complaint(archive, officer, n: int, lat: float | None = None, lon: float | None = None):
    with archive.db.session() as s:
        cat = s.scalar(select(Category.id).where(Category.name_th == "สาธารณูปโภค"))
    data = {"phone": "0812345678", "category_id": cat, "summary": f"ไฟฟ้าส่องสว่างดับ จุดที่ {n}"}
    if lat is not None:
        data |= {"latitude": str(lat), "longitude": str(lon)}
    return complaints.create(archive.db, officer, data)


@pytest.fixture
def teams(archive):
    """A district officer of Mueang Khon Kaen, its Samran team (KKN-01-02), another team of the
    same district (KKN-01-03) and an officer of another district."""
    return {
        "officer": make_user(archive, "officer", "KKN-01", seed=7001, name="นายอำเภอ ทดสอบ"),
        "samran": make_user(archive, "field", "KKN-01-02", seed=7002, name="นายสนาม สำราญ"),
        "khoksi": make_user(archive, "field", "KKN-01-03", seed=7003, name="นางสนาม โคกสี"),
        "elsewhere": make_user(archive, "officer", "KKN-02", seed=7004, name="อำเภออื่น"),
    }


def test_field_team_members_belong_to_a_sub_district_and_only_they_do(archive):
    with pytest.raises(UserError) as e:
        make_user(archive, "field", "KKN-01", seed=7101)
    assert e.value.code == "field_team_area"
    with pytest.raises(UserError) as e:
        make_user(archive, "counter", "KKN-01-02", seed=7102)
    assert e.value.code == "field_team_area"
    assert make_user(archive, "field", "KKN-01-02", seed=7103).area.code == "KKN-01-02"


def test_the_district_assigns_to_its_own_teams_and_each_team_sees_only_its_own(archive, teams):
    officer, samran, khoksi = teams["officer"], teams["samran"], teams["khoksi"]
    c = _complaint(archive, officer, 1)
    with pytest.raises(FieldError) as e:
        field_work.assign(archive.db, officer, c.id, "KKN-02-01")  # another district's sub-district
    assert e.value.code == "bad_team"
    with pytest.raises(FieldError) as e:
        field_work.assign(archive.db, teams["elsewhere"], c.id, "KKN-01-02")  # not their complaint
    assert e.value.code == "not_found"
    with pytest.raises(FieldError):
        field_work.assign(archive.db, samran, c.id, "KKN-01-02")  # a team does not assign itself
    assert field_work.assign(archive.db, officer, c.id, "KKN-01-02").code == "KKN-01-02"
    with archive.db.session() as s:
        assert [a.complaint.tracking_no for a in field_work.assigned(s, samran)] == [c.tracking_no]
        assert field_work.assigned(s, khoksi) == []
        assert field_work.assigned_one(s, khoksi, c.tracking_no) is None
        assert field_work.assigned(s, officer) == []  # an officer's list is the complaint list
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "assign")).one()
        assert (entry.object_id, entry.after) == (c.tracking_no, {"team": "KKN-01-02"})
    with pytest.raises(FieldError) as e:
        field_work.report(archive, khoksi, c.tracking_no, Report("khoksi-0001", note="ไปดูแล้ว"))
    assert e.value.code == "not_found"


def test_nearest_first_when_the_phone_shares_its_position(archive, teams):
    officer, samran = teams["officer"], teams["samran"]
    far = _complaint(archive, officer, 1, 16.50, 102.90)
    near = _complaint(archive, officer, 2, 16.4410, 102.8350)
    nowhere = _complaint(archive, officer, 3)
    for c in (far, near, nowhere):
        field_work.assign(archive.db, officer, c.id, "KKN-01-02")
    with archive.db.session() as s:
        rows = field_work.assigned(s, samran, near=(16.4400, 102.8300))
    assert [r.complaint.tracking_no for r in rows] == [near.tracking_no, far.tracking_no, nowhere.tracking_no]
    assert 500 < rows[0].distance_m < 600  # 16.441,102.835 is about 550 m from 16.440,102.830
    assert rows[2].distance_m is None


def test_a_report_with_photos_and_position_moves_the_complaint_and_is_recorded_once(archive, teams):
    officer, samran = teams["officer"], teams["samran"]
    c = _complaint(archive, officer, 1)
    field_work.assign(archive.db, officer, c.id, "KKN-01-02")
    report = Report(
        "b1c2d3e4-0000-4000-8000-000000000001",
        note="ตรวจสอบพื้นที่แล้ว เสาไฟล้ม ๒ ต้น",
        to_status="in_progress",
        latitude="๑๖.๔๔๑๒",  # Thai digits as a phone keyboard may type them
        longitude="102.8355",
        accuracy_m="12",
        made_at="2026-12-02T08:15:00+07:00",
        photos=[("before", _phone_photo())],
    )
    u, new = field_work.report(archive, samran, c.tracking_no, report)
    assert new and u.to_status == "in_progress" and (u.latitude, u.longitude) == (16.4412, 102.8355)
    assert u.made_at.isoformat() == "2026-12-02T01:15:00"  # UTC
    [p] = u.photos
    stored = Image.open(archive.store.path_for(p.sha256))
    assert (p.stage, stored.size, dict(stored.getexif())) == ("before", (1600, 1200), {})  # no location metadata

    again, new = field_work.report(archive, samran, c.tracking_no, report)  # the phone sent it again
    assert (again.id, new) == (u.id, False)
    with archive.db.session() as s:
        assert s.scalar(select(func.count(FieldUpdate.id))) == 1
        row = s.get(Complaint, c.id)
        assert row.status.value == "in_progress"
        assert row.events[-1].reason.startswith("ชุดปฏิบัติการตำบลสำราญ: ตรวจสอบพื้นที่แล้ว")

    with pytest.raises(FieldError) as e:  # closing needs the result
        field_work.report(
            archive, samran, c.tracking_no, Report("close-attempt-1", to_status="closed", outcome="resolved")
        )
    assert e.value.code == "result_required"
    with pytest.raises(FieldError) as e:
        field_work.report(archive, samran, c.tracking_no, Report("close-attempt-2", note="เสร็จ", to_status="closed"))
    assert e.value.code == "outcome_required"
    with pytest.raises(FieldError) as e:  # a damaged photo refuses the whole report, nothing kept
        field_work.report(archive, samran, c.tracking_no, Report("bad-photo-01", note="x", photos=[("after", b"no")]))
    assert e.value.code == "image_damaged"
    u2, _ = field_work.report(
        archive,
        samran,
        c.tracking_no,
        Report(
            "close-ok-0001",
            note="ซ่อมเสาไฟเรียบร้อย",
            to_status="closed",
            outcome="resolved",
            photos=[("after", _phone_photo((20, 160, 40)))],
        ),
    )
    with archive.db.session() as s:
        row = s.get(Complaint, c.id)
        assert (row.status.value, row.outcome) == ("closed", "resolved")
        assert s.scalar(select(func.count(FieldUpdate.id))) == 2
        assert [r.id for r in field_work.updates_of(s, c.id)] == [u2.id, u.id]
        assert s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "field_report")) == 2
    late, _ = field_work.report(  # written offline before the close, arriving after it: kept, moves nothing
        archive, samran, c.tracking_no, Report("after-close-1", note="ภาพเพิ่มเติม", to_status="in_progress")
    )
    with archive.db.session() as s:
        assert late.to_status is None and s.get(Complaint, c.id).status.value == "closed"
    with pytest.raises(FieldError) as e:  # another member cannot replay (or learn of) this phone's report
        other = make_user(archive, "field", "KKN-01-02", seed=7201)
        field_work.report(archive, other, c.tracking_no, report)
    assert (e.value.code, e.value.params["field"]) == ("bad_value", "client_uid")


def test_the_phone_pages_the_district_view_and_who_may_see_the_photos(archive, teams, app):
    officer, samran = teams["officer"], teams["samran"]
    c = _complaint(archive, officer, 1, 16.4412, 102.8355)
    office = client_for(app, archive, officer)
    r = office.post(f"/complaints/{c.id}/team", data={"team": "KKN-01-02"})
    assert r.status_code == 302
    phone = app.test_client()
    login = re.search(r'name="csrf_token" value="([^"]+)"', phone.get("/login").get_data(as_text=True)).group(1)
    signed_in = phone.post("/login", data={"username": samran.citizen_id, "password": PASSWORD, "csrf_token": login})
    assert signed_in.status_code == 302
    assert phone.get("/").headers["Location"].endswith("/field/")  # a team's home is its list
    listing = phone.get("/field/?near=16.4400,102.8300").get_data(as_text=True)
    assert c.tracking_no in listing and "ห่าง 602 ม." in listing
    page = phone.get(f"/field/c/{c.tracking_no}").get_data(as_text=True)
    assert "destination=16.441200%2C102.835500" in page and 'href="tel:0812345678"' in page
    assert phone.get("/complaints").status_code == 200 and c.tracking_no not in phone.get("/complaints").get_data(
        as_text=True
    )

    token = phone.get("/field/token.json").get_json()
    assert token["user"] == samran.id
    sent = phone.post(
        f"/field/c/{c.tracking_no}/reports",
        data={
            "client_uid": "web-0000-0001",
            "note": "ถึงที่เกิดเหตุแล้ว",
            "to_status": "in_progress",
            "latitude": "16.4412",
            "longitude": "102.8355",
            "photo_before": (io.BytesIO(_phone_photo()), "IMG_1.jpg"),
        },
        headers={"X-CSRFToken": token["csrf"], "Accept": "application/json"},
    )
    assert sent.status_code == 201 and sent.get_json()["new"] is True
    refused = phone.post(
        f"/field/c/{c.tracking_no}/reports",
        data={"client_uid": "web-0000-0002", "to_status": "closed", "outcome": "resolved"},
        headers={"X-CSRFToken": token["csrf"], "Accept": "application/json"},
    )
    assert refused.status_code == 422 and refused.get_json()["error_display"] == "ยุติเรื่องต้องบันทึกผลการดำเนินการ"
    no_csrf = phone.post(
        f"/field/c/{c.tracking_no}/reports",
        data={"client_uid": "web-0000-0003", "note": "x"},
        headers={"Accept": "application/json"},
    )
    assert no_csrf.status_code == 400

    district = office.get(f"/complaints/{c.id}").get_data(as_text=True)
    assert "ถึงที่เกิดเหตุแล้ว" in district and "นายสนาม สำราญ" in district and "16.44120" in district
    with archive.db.session() as s:
        photo_id = field_work.updates_of(s, c.id)[0].photos[0].id
    assert office.get(f"/field/photos/{photo_id}.jpg").status_code == 200
    assert phone.get(f"/field/photos/{photo_id}.jpg").status_code == 200
    assert client_for(app, archive, teams["elsewhere"]).get(f"/field/photos/{photo_id}.jpg").status_code == 404
    assert client_for(app, archive, teams["khoksi"]).get(f"/field/photos/{photo_id}.jpg").status_code == 404
    assert client_for(app, archive, teams["khoksi"]).get(f"/field/c/{c.tracking_no}").status_code == 404
    assert client_for(app, archive, officer).get("/field/").status_code == 403  # the phone pages are the team's

    anon = app.test_client()
    manifest = json.loads(anon.get("/field/manifest.webmanifest").get_data(as_text=True))
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/field/", "/field/", "standalone")
    for icon in manifest["icons"]:
        assert anon.get(icon["src"]).status_code == 200
    sw = anon.get("/field/sw.js")
    assert sw.status_code == 200 and sw.headers["Service-Worker-Allowed"] == "/field/"
    assert '"/field/"' in sw.get_data(as_text=True)


def test_the_command_line_assigns_and_refuses_another_districts_team(archive, home, teams):
    c = _complaint(archive, teams["officer"], 1)
    out = damrong(
        "complaint",
        "assign",
        c.tracking_no,
        "--team",
        "KKN-01-02",
        "--as",
        teams["officer"].citizen_id,
        "--json",
        home=home,
    )
    assert json.loads(out.stdout) == {"tracking_no": c.tracking_no, "team": "KKN-01-02"}
    bad = damrong(
        "complaint",
        "assign",
        c.tracking_no,
        "--team",
        "KKN-02-01",
        "--as",
        teams["officer"].citizen_id,
        "--json",
        home=home,
        check=False,
    )
    assert bad.returncode != 0 and json.loads(bad.stdout)["error"] == "bad_team"


def test_forwarding_takes_the_complaint_off_the_team(archive, teams):
    officer, samran = teams["officer"], teams["samran"]
    c = _complaint(archive, officer, 1)
    field_work.assign(archive.db, officer, c.id, "KKN-01-02")
    complaints.transition(archive.db, officer, c.id, "forwarded", "ส่งจังหวัด", to_area_code="KKN")
    with archive.db.session() as s:
        assert field_work.assigned(s, samran) == []
        assert s.get(Complaint, c.id).team_area_id is None
