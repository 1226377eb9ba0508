"""The probes of the penetration test of the running system (issue 13), kept as tests: each
failed before its fix. Requests go through the real app (Flask test client with bearer tokens,
or the served app), the real SQLite database and object store."""

from __future__ import annotations

import base64
import io
import json
import threading

import pytest
from PIL import Image
from sqlalchemy import func, select

from records import users
from records.areas import add_district
from records.audit import verify_chain
from records.models import AuditEntry, Category, Complainant, Complaint
from tests.conftest import make_user, valid_cid


@pytest.fixture
def app(archive):
    from webui.app import create_app

    application = create_app(archive, start_worker=False)
    yield application
    application.extensions["ingest_worker"].shutdown()


def client_for(app, archive, user):
    token = users.create_token(archive.db, user.citizen_id)
    c = app.test_client()
    c.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return c


@pytest.fixture
def districts(archive, app):
    """Two districts of one province, a counter clerk in each (clients with bearer tokens)."""
    with archive.db.session() as s:
        add_district(s, "KKN", "บ้านไผ่")
    a = make_user(archive, "counter", "KKN-01", seed=301)
    b = make_user(archive, "counter", "KKN-02", seed=302)
    return client_for(app, archive, a), client_for(app, archive, b), a, b


def _category(archive) -> int:
    with archive.db.session() as s:
        return s.scalar(select(Category.id).where(Category.name_th == "ที่ดิน"))


def _jpeg() -> str:
    buf = io.BytesIO()
    Image.new("RGB", (40, 50), (200, 150, 120)).save(buf, "JPEG")
    return base64.b64encode(buf.getvalue()).decode()


PERSON = "3174218096795"


def _save_in_a(ca) -> None:
    r = ca.post(
        "/counter",
        data={
            "citizen_id": PERSON,
            "first_name_th": "สมศักดิ์",
            "last_name_th": "ทองประเสริฐ",
            "birth_date": "1977-04-15",
            "address": "99 หมู่ 3 ตำบลในเมือง",
            "phone": "0812345678",
            "photo_jpeg_b64": _jpeg(),
        },
    )
    assert r.status_code == 302, r.get_data(as_text=True)[:300]


# --- 1. complainants across districts ----------------------------------------------------------


def test_a_complaint_with_another_districts_person_learns_nothing_of_them(archive, districts):
    ca, cb, _a, _b = districts
    _save_in_a(ca)
    cat = _category(archive)
    # known only in district A: for district B the ID is new, so a name is needed — as for any
    # unknown ID (no existence oracle)
    unknown = cb.post("/api/v1/complaints", json={"phone": "0899999999", "category_id": cat, "citizen_id": PERSON})
    never_seen = cb.post(
        "/api/v1/complaints", json={"phone": "0899999999", "category_id": cat, "citizen_id": valid_cid(77)}
    )
    assert unknown.status_code == never_seen.status_code == 400
    assert unknown.get_json()["error"] == never_seen.get_json()["error"] == "required"
    r = cb.post(
        "/api/v1/complaints",
        json={
            "phone": "0899999999",
            "category_id": cat,
            "citizen_id": PERSON,
            "first_name_th": "ส",
            "last_name_th": "ท",
        },
    )
    assert r.status_code == 201
    body = r.get_data(as_text=True)
    assert "สมศักดิ์" not in body and "ทองประเสริฐ" not in body  # A's stored name is not handed out
    # B's complaint points to B's own record: A's photo, address and phone stay A's
    with archive.db.session() as s:
        from records.models import Area

        code = dict(s.execute(select(Area.id, Area.code)).all())
        people = {code.get(p.area_id): p for p in s.scalars(select(Complainant))}
        a_id, b_id = people["KKN-01"].id, people["KKN-02"].id
        assert people["KKN-02"].photo_sha256 is None and people["KKN-02"].phone == ""
    assert cb.get(f"/complainants/{a_id}/photo.jpg").status_code == 404
    listed = cb.get("/complainants").get_data(as_text=True)
    assert "ทองประเสริฐ" not in listed and "99 หมู่ 3" not in listed
    assert ca.get(f"/complainants/{a_id}/photo.jpg").status_code == 200
    assert b_id != a_id


def test_the_counter_form_in_another_district_never_touches_the_first_districts_record(archive, districts):
    ca, cb, _a, _b = districts
    _save_in_a(ca)
    r = cb.post("/counter", data={"citizen_id": PERSON, "first_name_th": "แก้", "last_name_th": "ชื่อ"})
    assert r.status_code == 302
    with archive.db.session() as s:
        a_rec = s.scalar(select(Complainant).where(Complainant.citizen_id == PERSON, Complainant.phone != ""))
        assert (a_rec.first_name_th, a_rec.last_name_th) == ("สมศักดิ์", "ทองประเสริฐ")
        assert a_rec.birth_date.isoformat() == "1977-04-15" and a_rec.phone == "0812345678"
        assert s.scalar(select(func.count(Complainant.id)).where(Complainant.citizen_id == PERSON)) == 2


def test_saving_a_known_person_again_never_erases_what_is_stored_and_is_audited(archive, districts):
    ca, _cb, _a, _b = districts
    _save_in_a(ca)
    r = ca.post("/counter", data={"citizen_id": PERSON, "first_name_th": "สมศักดิ์", "last_name_th": "ทองดี"})
    assert r.status_code == 302
    with archive.db.session() as s:
        p = s.scalar(select(Complainant).where(Complainant.citizen_id == PERSON))
        assert p.last_name_th == "ทองดี"
        assert p.birth_date.isoformat() == "1977-04-15" and p.phone == "0812345678"
        assert (p.address or {}).get("text") == "99 หมู่ 3 ตำบลในเมือง" and p.photo_sha256
        entry = s.scalars(select(AuditEntry).where(AuditEntry.object_type == "complainant")).all()[-1]
    assert entry.action == "change"
    assert entry.before == {"last_name_th": "ทองประเสริฐ"} and entry.after["last_name_th"] == "ทองดี"
    assert PERSON not in json.dumps(entry.after, ensure_ascii=False)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("photo_jpeg_b64", "not base64!!"),
        ("photo_jpeg_b64", base64.b64encode(b"GIF89a...").decode()),
        ("expiry_date", "31/02/2570"),
        ("expiry_date", "soon"),
    ],
)
def test_a_bad_photo_or_expiry_date_at_the_counter_is_a_clear_error(archive, districts, field, value):
    ca, _cb, _a, _b = districts
    r = ca.post("/counter", data={"citizen_id": PERSON, "first_name_th": "ก", "last_name_th": "ข", field: value})
    assert r.status_code == 422
    with archive.db.session() as s:
        assert s.scalar(select(func.count(Complainant.id))) == 0  # nothing stored


# --- 3. no request fails for a lock ------------------------------------------------------------


def test_three_clients_creating_moving_and_viewing_complaints_never_fail(archive, server):
    import requests

    officers = [make_user(archive, "officer", "KKN-01", seed=320 + i) for i in range(3)]
    tokens = [users.create_token(archive.db, o.citizen_id) for o in officers]
    cat = _category(archive)
    failures, made = [], []

    def client(token: str) -> None:
        h = {"Authorization": f"Bearer {token}"}
        for _ in range(10):
            r = requests.post(
                f"{server}/api/v1/complaints", json={"phone": "0812345678", "category_id": cat}, headers=h, timeout=60
            )
            if r.status_code != 201:
                failures.append(("create", r.status_code, r.text[:200]))
                continue
            cid = r.json()["id"]
            made.append(r.json()["tracking_no"])
            s = requests.post(
                f"{server}/api/v1/complaints/{cid}/status", json={"to_status": "in_progress"}, headers=h, timeout=60
            )
            v = requests.get(f"{server}/complaints/{cid}", headers=h, timeout=60)  # the page: audited as a view
            for what, resp in (("status", s), ("view", v)):
                if resp.status_code != 200:
                    failures.append((what, resp.status_code, resp.text[:200]))

    threads = [threading.Thread(target=client, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert failures == []
    assert len(made) == len(set(made)) == 30
    assert verify_chain(archive.db).ok


def test_two_processes_creating_at_once_lose_no_complaint(archive, home, tmp_path):
    import subprocess
    import sys

    officer = make_user(archive, "officer", "KKN-01", seed=330)
    cat = _category(archive)
    script = tmp_path / "create.py"
    script.write_text(
        "import sys\n"
        "from config import load_settings\n"
        "from records import complaints, users\n"
        "from records.home import Archive\n"
        f"a = Archive(load_settings(env={{}}, home={str(home)!r}))\n"
        f"u = users.get(a.db, {officer.id})\n"
        "for _ in range(60):\n"
        f"    complaints.create(a.db, u, {{'phone': '0812345678', 'category_id': {cat}}})\n"
    )
    procs = [subprocess.Popen([sys.executable, str(script)], stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errors = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    with archive.db.session() as s:
        numbers = list(s.scalars(select(Complaint.tracking_no)))
    assert len(numbers) == len(set(numbers)) == 120
    assert verify_chain(archive.db).ok


def test_reading_with_a_token_writes_nothing_each_time(archive, app):
    officer = make_user(archive, "officer", "KKN-01", seed=340)
    c = client_for(app, archive, officer)
    assert c.get("/api/v1/complaints").status_code == 200
    with archive.db.session() as s:
        from records.models import ApiToken

        first = s.scalar(select(ApiToken.last_used_at))
    assert c.get("/api/v1/complaints").status_code == 200
    with archive.db.session() as s:
        assert s.scalar(select(ApiToken.last_used_at)) == first  # noted once, not rewritten on every read
