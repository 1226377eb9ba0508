"""The administration and complaint commands, run for real: `damrong user`, `token`, `area`,
`complaint` and `audit`."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3

from sqlalchemy import select

from records import audit, users
from records.models import ApiToken, User
from tests.conftest import damrong, make_user, valid_cid

BE_YEAR = dt.datetime.now(dt.UTC).year + 543


def _json(r) -> dict:
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_user_add_list_reset_disable(archive, home):
    cid = valid_cid(501)
    r = damrong(
        "user",
        "add",
        f"{cid[0]}-{cid[1:5]}-{cid[5:10]}-{cid[10:12]}-{cid[12]}",
        "--name",
        "สมหญิง ใจงาม",
        "--role",
        "officer",
        "--area",
        "kkn-01",
        "--json",
        home=home,
    )
    out = _json(r)
    first = out["first_password"]
    assert out["citizen_id"] == f"{cid[0]}-{cid[1:5]}-xxxxx-{cid[10:12]}-{cid[12]}" and out["area"] == "KKN-01"
    u = users.authenticate(archive.db, cid, first)
    assert u.must_change_password and u.role.value == "officer" and users.get(archive.db, u.id).area.code == "KKN-01"
    plain = damrong(
        "user", "add", valid_cid(502), "--name", "นายสมชาย", "--role", "auditor", "--area", "MOI", home=home
    )
    assert "first password" in plain.stdout

    listed = damrong("user", "list", "--json", home=home)
    assert cid not in listed.stdout and valid_cid(502) not in listed.stdout  # masked
    assert [(u["name"], u["role"], u["area"]) for u in _json(listed)["users"]] == [
        ("สมหญิง ใจงาม", "officer", "KKN-01"),
        ("นายสมชาย", "auditor", "MOI"),
    ]

    bad = damrong(
        "user",
        "add",
        cid[:12] + str((int(cid[12]) + 1) % 10),
        "--name",
        "x",
        "--role",
        "admin",
        "--area",
        "MOI",
        home=home,
        check=False,
    )
    assert bad.returncode == 1 and "เลขประจำตัวประชาชน" in bad.stderr and "citizen ID" in bad.stderr
    dup = damrong(
        "user", "add", cid, "--name", "x", "--role", "admin", "--area", "MOI", "--json", home=home, check=False
    )
    assert dup.returncode == 1 and _json(dup)["error"] == "user_exists"
    nowhere = damrong(
        "user", "add", valid_cid(503), "--name", "x", "--role", "admin", "--area", "ZZZ", home=home, check=False
    )
    assert nowhere.returncode == 1 and "ZZZ" in nowhere.stderr

    new = _json(damrong("user", "reset-password", cid, "--json", home=home))["first_password"]
    assert new != first and users.authenticate(archive.db, cid, new).must_change_password
    damrong("user", "disable", cid, home=home)
    try:
        users.authenticate(archive.db, cid, new)
        raise AssertionError("a disabled user signed in")
    except users.UserError as e:
        assert e.code == "user_inactive"
    assert [e.action for e in audit.entries_for(archive.db, "user", u.id)] == ["create", "reset_password", "disable"]
    assert audit.verify_chain(archive.db).ok


def test_token_create_shown_once_stored_as_hash_and_revoked(archive, home):
    officer = make_user(archive, "officer", "KKN", seed=511)
    r = damrong("token", "create", officer.citizen_id, "--name", "counter-1", home=home)
    token = r.stdout.strip().split()[-1]
    assert token.startswith("dmr_")
    with archive.db.session() as s:
        row = s.scalar(select(ApiToken))
        assert row.token_sha256 == hashlib.sha256(token.encode()).hexdigest() and row.name == "counter-1"
    # the token itself is nowhere in the database (read through SQLite: opening the file any other
    # way in this process would drop SQLite's locks)
    db = sqlite3.connect(archive.settings.home / "damrong.sqlite3")
    try:
        dump = "\n".join(db.iterdump())
    finally:
        db.close()
    assert "counter-1" in dump and token not in dump
    assert users.user_for_token(archive.db, token).id == officer.id
    listed = damrong("token", "list", "--json", home=home)
    assert token not in listed.stdout and _json(listed)["tokens"][0]["revoked"] is False
    damrong("token", "revoke", str(row.id), home=home)
    assert users.user_for_token(archive.db, token) is None
    nobody = damrong("token", "create", valid_cid(599), home=home, check=False)
    assert nobody.returncode == 1


def test_area_list_and_add_district(archive, home):
    out = _json(damrong("area", "list", "--province", "KKN", "--kind", "district", "--json", home=home))["areas"]
    assert out[0]["code"] == "KKN-01" and all(a["dopa_code"].startswith("40") for a in out)
    r = damrong("area", "add-district", "KKN", "ทดลองใหม่", "--name-en", "Thotlong Mai", "--json", home=home)
    code = _json(r)["code"]
    assert code.startswith("KKN-") and code not in {a["code"] for a in out}
    out = _json(damrong("area", "list", "--province", "KKN", "--kind", "district", "--json", home=home))["areas"]
    assert out[-1] == {
        "code": code,
        "kind": "district",
        "dopa_code": None,
        "name_th": "ทดลองใหม่",
        "name_en": "Thotlong Mai",
        "parent": "KKN",
    }
    assert damrong("area", "add-district", "XYZ", "ที่ไหน", home=home, check=False).returncode == 1
    # a district the province has already (by its name, อำเภอ or not) is refused, nothing added
    again = damrong("area", "add-district", "KKN", "อำเภอบ้านไผ่", "--json", home=home, check=False)
    assert again.returncode == 1
    assert _json(again) == {
        "error": "area_exists",
        "message": "the province has district บ้านไผ่ already (code KKN-10)",
        "message_th": "มีอำเภอ บ้านไผ่ ในจังหวัดนี้แล้ว (รหัส KKN-10)",
    }
    after = _json(damrong("area", "list", "--province", "KKN", "--kind", "district", "--json", home=home))["areas"]
    assert after == out


def test_complaint_create_status_show_and_audit_verify(archive, home):
    counter = make_user(archive, "counter", "KKN-01", seed=521)
    officer = make_user(archive, "officer", "KKN-01", seed=522)
    person = valid_cid(777)
    r = damrong(
        "complaint",
        "create",
        "--as",
        counter.citizen_id,
        "--category-id",
        "1",
        "--phone",
        "๐๘๑-๒๓๔-๕๖๗๘",
        "--citizen-id",
        person,
        "--first-name",
        "สมศักดิ์",
        "--last-name",
        "ทองประเสริฐ",
        "--summary",
        "หนี้นอกระบบ",
        "--channel",
        "hotline_1567",
        "--json",
        home=home,
    )
    tracking = _json(r)["tracking_no"]
    assert tracking == f"KKN-{BE_YEAR}-000001"

    bad = damrong(
        "complaint",
        "create",
        "--as",
        counter.citizen_id,
        "--category-id",
        "1",
        "--phone",
        "0812345678",
        "--citizen-id",
        person[:12] + str((int(person[12]) + 1) % 10),
        home=home,
        check=False,
    )
    assert bad.returncode == 1 and "เลขประจำตัวประชาชนไม่ถูกต้อง" in bad.stderr and "invalid citizen ID" in bad.stderr

    # the counter may not move it; the officer may
    no = damrong("complaint", "status", tracking, "in_progress", "--as", counter.citizen_id, home=home, check=False)
    assert no.returncode == 1 and "ไม่มีสิทธิ์" in no.stderr
    damrong("complaint", "status", tracking, "in_progress", "--as", officer.citizen_id, home=home)
    nope = damrong(
        "complaint",
        "status",
        tracking,
        "closed",
        "--as",
        officer.citizen_id,
        "--reason",
        "จบ",
        "--json",
        home=home,
        check=False,
    )
    assert nope.returncode == 1 and _json(nope)["error"] == "outcome_required"
    assert _json(nope)["message_th"] == "ต้องระบุผลการยุติเรื่อง"
    done = damrong(
        "complaint",
        "status",
        tracking.lower(),
        "closed",
        "--as",
        officer.citizen_id,
        "--reason",
        "จบ",
        "--outcome",
        "resolved",
        "--json",
        home=home,
    )
    assert _json(done) == {"tracking_no": tracking, "status": "closed", "outcome": "resolved", "area": "KKN-01"}

    shown = _json(damrong("complaint", "show", tracking, "--as", officer.citizen_id, "--json", home=home))
    assert [(e["from"], e["to"]) for e in shown["events"]] == [
        (None, "received"),
        ("received", "in_progress"),
        ("in_progress", "closed"),
    ]
    assert shown["phone"] == "0812345678" and shown["channel"] == "hotline_1567"
    assert person not in json.dumps(shown)  # the ID masked
    listed = _json(damrong("complaint", "list", "--as", officer.citizen_id, "--status", "closed", "--json", home=home))
    assert listed["total"] == 1 and listed["complaints"][0]["tracking_no"] == tracking
    elsewhere = make_user(archive, "officer", "CMI-01", seed=523)
    assert _json(damrong("complaint", "list", "--as", elsewhere.citizen_id, "--json", home=home))["total"] == 0
    hidden = damrong("complaint", "show", tracking, "--as", elsewhere.citizen_id, home=home, check=False)
    assert hidden.returncode == 1 and "ไม่พบ" in hidden.stderr

    ok = _json(damrong("audit", "verify", "--json", home=home))
    assert ok["ok"] and ok["entries"] == 3
    entries = _json(damrong("audit", "list", "--object", f"complaint:{tracking}", "--json", home=home))["entries"]
    assert [e["action"] for e in entries] == ["create", "status", "status"]
    assert entries[0]["user"] == counter.name and entries[2]["after"]["outcome"] == "resolved"


def test_acting_user_must_exist_and_be_active(archive, home):
    officer = make_user(archive, "officer", "KKN", seed=531)
    with archive.db.session() as s:
        s.get(User, officer.id).active = False
        s.commit()
    r = damrong("complaint", "list", "--as", officer.citizen_id, home=home, check=False)
    assert r.returncode == 1 and "ปิดใช้งาน" in r.stderr
    r = damrong("complaint", "list", "--as", valid_cid(532), "--json", home=home, check=False)
    assert r.returncode == 1 and _json(r)["error"] == "not_found"
