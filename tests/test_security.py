"""The probes of the penetration test of the running system (issue 13), kept as tests: each
failed before its fix. Requests go through the real app (Flask test client with bearer tokens,
or the served app), the real SQLite database and object store."""

from __future__ import annotations

import base64
import json
import threading

import pytest
from PIL import Image
from sqlalchemy import func, select

from records import complaints, users
from records.audit import verify_chain
from records.models import AuditEntry, Category, Complainant, Complaint
from tests.conftest import client_for, make_user, photo_b64, valid_cid


@pytest.fixture
def districts(archive, app):
    """Two districts of one province (KKN-01, KKN-02: seeded), a counter clerk in each (clients
    with bearer tokens)."""
    a = make_user(archive, "counter", "KKN-01", seed=301)
    b = make_user(archive, "counter", "KKN-02", seed=302)
    return client_for(app, archive, a), client_for(app, archive, b), a, b


def _category(archive) -> int:
    with archive.db.session() as s:
        return s.scalar(select(Category.id).where(Category.name_th == "ที่ดิน"))


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
            "photo_jpeg_b64": photo_b64(),
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


# --- 4. sign-out ends the session on the server ------------------------------------------------


def _csrf(html: str) -> str:
    import re

    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _signed_in(server: str, user, password: str):
    import requests

    from tests.conftest import PASSWORD

    b = requests.Session()
    page = b.get(f"{server}/login", timeout=30).text
    r = b.post(
        f"{server}/login",
        data={"username": user.citizen_id, "password": password or PASSWORD, "csrf_token": _csrf(page)},
        timeout=30,
        allow_redirects=False,
    )
    assert r.status_code == 302, r.text[:300]
    return b


def test_a_cookie_replayed_after_sign_out_is_refused(archive, server):
    import requests

    from tests.conftest import PASSWORD

    officer = make_user(archive, "officer", "KKN-01", seed=350)
    browser = _signed_in(server, officer, PASSWORD)
    page = browser.get(f"{server}/complaints", timeout=30)
    assert page.status_code == 200
    stolen = dict(browser.cookies)
    out = browser.post(f"{server}/logout", data={"csrf_token": _csrf(page.text)}, timeout=30, allow_redirects=False)
    assert out.status_code == 302
    replay = requests.get(f"{server}/complaints", cookies=stolen, timeout=30, allow_redirects=False)
    assert replay.status_code == 302 and "/login" in replay.headers["Location"]
    api = requests.get(f"{server}/api/v1/complaints", cookies=stolen, timeout=30)
    assert api.status_code == 401


def test_a_password_change_ends_the_users_other_sessions(archive, server):
    from tests.conftest import PASSWORD

    officer = make_user(archive, "officer", "KKN-01", seed=351)
    phone, desk = _signed_in(server, officer, PASSWORD), _signed_in(server, officer, PASSWORD)
    page = desk.get(f"{server}/password", timeout=30)
    r = desk.post(
        f"{server}/password",
        data={
            "old_password": PASSWORD,
            "new_password": "another-password-9",
            "confirm_password": "another-password-9",
            "csrf_token": _csrf(page.text),
        },
        timeout=30,
        allow_redirects=False,
    )
    assert r.status_code == 302
    assert desk.get(f"{server}/complaints", timeout=30, allow_redirects=False).status_code == 200
    assert phone.get(f"{server}/complaints", timeout=30, allow_redirects=False).status_code == 302


# --- 5. personal data: no full citizen ID in logs, the API or search results ---------------------


def test_no_full_citizen_id_in_the_access_log_the_api_or_search_snippets(archive, server, petition_png, caplog):
    import logging
    import re

    import requests

    from ingest.pipeline import intake, process
    from search.index import open_index

    admin = make_user(archive, "admin", "MOI", seed=360)
    token = users.create_token(archive.db, admin.citizen_id)
    h = {"Authorization": f"Bearer {token}"}
    doc = intake(archive, petition_png)
    process(archive, doc.document_id)
    open_index(archive).sync()
    full, thai_digits = "3174218096795", "๓๑๗๔๒๑๘๐๙๖๗๙๕"
    with caplog.at_level(logging.INFO):
        for q in (full, "3-1742-18096-79-5", thai_digits):
            page = requests.get(f"{server}/search", params={"q": q}, headers=h, timeout=60)
            snippets = re.findall(r'<p class="snippet"[^>]*>(.*?)</p>', page.text, re.S)
            assert page.status_code == 200 and snippets
            shown = re.sub(r"</?mark>", "", " ".join(snippets))
            assert "18096" not in shown and "31742" in shown.replace("-", "")  # masked, the rest kept
        api = requests.get(f"{server}/api/v1/documents/{doc.document_id}", headers=h, timeout=60).json()
    assert api["fields"]["citizen_id"] == "3-1742-xxxxx-79-5"
    logged = caplog.text
    assert "GET /search" in logged  # the access log was captured
    assert full not in logged and "18096" not in logged and thai_digits not in logged
    assert "31742xxxxx795" in logged  # masked, still telling requests apart


# --- 6 and 8. case files: nothing left behind, any file name ----------------------------------

STRANGE_NAMES = ["ก" * 96 + ".png", "..", "a\x00b.png", "line\r\nbreak.png", "../../etc/passwd", "C:\\x\\y.png"]


def _filed_under_a_complaint(archive, officer, names):
    """A complaint with one small document per name (the name as it might be stored)."""
    from records.models import Document

    cat = _category(archive)
    c = complaints.create(archive.db, officer, {"phone": "0812345678", "category_id": cat})
    for i, name in enumerate(names):
        png = archive.work_dir / f"p{i}.png"
        Image.new("L", (60 + i, 40), 255).save(png)
        from ingest.pipeline import intake

        r = intake(archive, png, area_id=officer.area_id)
        png.unlink()
        with archive.db.session() as s:
            s.get(Document, r.document_id).filename = name  # as an older intake may have stored it
            s.commit()
        complaints.file_document(archive.db, officer, c.id, r.document_id, "evidence")
    return c


def test_a_case_file_download_leaves_nothing_behind_and_takes_any_file_name(archive, app, tmp_path):
    import glob
    import tempfile
    import zipfile

    import bagit

    officer = make_user(archive, "officer", "KKN-01", seed=370)
    c = _filed_under_a_complaint(archive, officer, STRANGE_NAMES)
    before = set(glob.glob(f"{tempfile.gettempdir()}/damrong-case*"))
    client = client_for(app, archive, officer)
    r = client.get(f"/complaints/{c.id}/case-file.zip")
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    data = r.get_data()
    r.close()
    assert set(glob.glob(f"{tempfile.gettempdir()}/damrong-case*")) == before
    assert list(archive.work_dir.iterdir()) == []  # nothing in HOME/tmp either
    zip_path = tmp_path / "case.zip"
    zip_path.write_bytes(data)
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(tmp_path / "out")
        names = z.namelist()
    assert all(len(n.encode().split(b"/")[-1]) <= 255 and "\x00" not in n and "\r" not in n for n in names)
    assert not any(part == ".." for n in names for part in n.split("/"))
    bag = bagit.Bag(str(tmp_path / "out" / c.tracking_no))
    assert bag.is_valid()
    metas = [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "out").rglob("metadata.json")]
    assert sorted(m["filename"] for m in metas) == sorted(STRANGE_NAMES)  # the names as received, kept


def test_downloading_a_document_whose_name_holds_a_line_break_is_no_server_error(archive, app):
    officer = make_user(archive, "officer", "KKN-01", seed=371)
    _filed_under_a_complaint(archive, officer, ["bad\r\nSet-Cookie: x=1.png"])
    client = client_for(app, archive, officer)
    for url in ("/documents/1/original", "/api/v1/documents/1/download"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert "\n" not in r.headers["Content-Disposition"] and "Set-Cookie" not in r.headers


# --- 2. a memory bomb costs a bounded amount, and a document is not retried forever --------------


def _bomb(path, mb: int = 100) -> None:
    """A small PDF (about 200 KB) whose one page's content stream inflates to `mb` MB."""
    import zlib

    import pikepdf

    z = zlib.compressobj(9)
    chunk = b"0 0 m 1 1 l\n" * (1 << 16)
    data = b"".join(z.compress(chunk) for _ in range((mb << 20) // len(chunk))) + z.flush()
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(595, 842))
    page.Contents = pdf.make_stream(data, Filter=pikepdf.Name.FlateDecode)
    pdf.save(path, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)


def test_a_pdf_that_inflates_to_a_hundred_megabytes_fails_without_the_process_growing(home, tmp_path):
    import resource

    from config import load_settings
    from ingest.pipeline import intake, process
    from records.home import Archive

    bomb = tmp_path / "bomb.pdf"
    _bomb(bomb)
    assert bomb.stat().st_size < 400_000
    a = Archive(load_settings(env={}, home=str(home), workers=1, parse_memory_mb=150))
    r = intake(a, bomb)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    doc = process(a, r.document_id)
    grew_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert doc.state.value == "failed" and doc.error_code == "page_unrenderable", doc.error
    assert grew_mb < 60, grew_mb  # the 100 MB stream was never inflated in this process
    a.close()


def test_a_document_that_never_comes_back_is_given_up_after_so_many_attempts(archive, petition_png):
    from ingest.pipeline import intake, resume
    from records.models import Document

    r = intake(archive, petition_png)
    with archive.db.session() as s:  # as if the process had died reading it, every time
        d = s.get(Document, r.document_id)
        d.state, d.attempts = d.state.processing, archive.settings.max_attempts
        s.commit()
    resume(archive)
    with archive.db.session() as s:
        d = s.get(Document, r.document_id)
        assert d.state.value == "failed" and d.error_code == "gave_up"
    assert resume(archive) == []  # not picked up again at the next start


# --- 8. clear errors, never a server error ------------------------------------------------------


def test_what_used_to_answer_a_server_error_now_answers_clearly(archive, app, tmp_path):
    from ingest.pipeline import intake, process

    officer = make_user(archive, "officer", "KKN-01", seed=380)
    client = client_for(app, archive, officer)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n")
    r = intake(archive, broken, area_id=officer.area_id)
    assert process(archive, r.document_id).state.value == "failed"
    assert client.get(f"/documents/{r.document_id}/pages/1.jpg").status_code == 404  # a failed document has no pages
    assert client.get(f"/documents/{r.document_id}").status_code == 200
    huge = "99999999999999999999"
    for url in (
        f"/?page={huge}",
        f"/search?q=x&page={huge}",
        f"/complaints?page={huge}",
        "/?page=-3",
        "/?page=abc",
        "/complaints?page=๒",
    ):
        assert client.get(url).status_code == 200, url
    for url in (
        f"/documents/{huge}",
        f"/documents/{huge}/pages/1.jpg",
        f"/complaints/{huge}",
        f"/api/v1/complaints/{huge}",
        f"/complainants/{huge}/photo.jpg",
    ):
        assert client.get(url).status_code == 404, url
    with archive.db.session() as s:
        from records.models import Document

        assert str(archive.settings.home) not in (s.get(Document, r.document_id).error or "")  # no internal path


# --- 9. a crafted backup is refused before the home is touched -----------------------------------


def test_a_crafted_backup_is_refused_whole_and_a_good_one_restores_after(home, petition_png, tmp_path):
    import os
    import shutil

    from tests.conftest import damrong

    damrong("init", home=home)
    damrong("ingest", str(petition_png), home=home)
    good = tmp_path / "backup"
    damrong("backup", str(good), home=home)
    manifest = json.loads((good / "manifest.json").read_text())
    target = tmp_path / "restored"

    def crafted(name: str, change) -> object:
        b = tmp_path / name
        shutil.copytree(good, b, symlinks=True)
        m = json.loads(json.dumps(manifest))
        change(b, m)
        (b / "manifest.json").write_text(json.dumps(m) if isinstance(m, dict) else m)
        return b

    def outside(b, m):
        m["database"]["file"] = "../../etc/hostname"

    def symlinked(b, m):
        sha = m["objects"][0]["sha256"]
        p = b / "objects" / sha[:2] / sha[2:4] / sha
        p.unlink()
        os.symlink(good / "objects" / sha[:2] / sha[2:4] / sha, p)

    def not_a_name(b, m):
        m["objects"][0]["sha256"] = "../../../../tmp/x"

    def garbage(b, m):
        m.clear()
        m["database"] = 7

    for case in (outside, symlinked, not_a_name, garbage):
        r = damrong("restore", str(crafted(case.__name__, case)), home=target, check=False)
        assert r.returncode == 1, (case.__name__, r.stderr[-500:])
        assert "Traceback" not in r.stderr and "Error:" in r.stderr, (case.__name__, r.stderr[-500:])
        assert not (target / "damrong.sqlite3").exists() and not list(target.glob("objects/??/??/*")), case.__name__
    assert damrong("restore", str(good), home=target).returncode == 0  # the home took no harm: a retry works
    assert damrong("verify", home=target).returncode == 0


# --- 10. the same bytes filed by two districts ----------------------------------------------------


def test_the_same_file_filed_by_two_districts_is_two_records_and_tells_neither_of_the_other(
    archive, app, districts, petition_png, tmp_path
):
    from ingest.pipeline import process
    from records.models import Document

    ca, cb, a, b = districts
    with petition_png.open("rb") as f:
        first = ca.post("/upload", data={"files": (f, "A-ชื่อภายใน.png")}).get_json()["documents"][0]
    process(archive, first["document_id"])
    with petition_png.open("rb") as f:
        second = cb.post("/upload", data={"files": (f, "B-scan.png")}).get_json()["documents"][0]
    assert second["document_id"] != first["document_id"]
    assert second["filename"] == "B-scan.png" and not second["duplicate"]
    assert "A-ชื่อภายใน" not in json.dumps(second, ensure_ascii=False)
    assert second["state"] == "done"  # read once: B's record takes the reading of the same bytes
    assert cb.get(f"/documents/{second['document_id']}").status_code == 200
    assert cb.get(f"/documents/{first['document_id']}").status_code == 404
    with archive.db.session() as s:
        docs = s.scalars(select(Document).order_by(Document.id)).all()
        assert len({d.sha256 for d in docs}) == 1 and [d.filename for d in docs] == ["A-ชื่อภายใน.png", "B-scan.png"]
        assert docs[0].pages[0].text == docs[1].pages[0].text
        uploads = s.scalars(select(AuditEntry).where(AuditEntry.action == "upload")).all()
    assert [u.user_id for u in uploads] == [a.id, b.id]  # each upload audited
    with petition_png.open("rb") as f:  # the same centre again: its own document, filed once
        again = cb.post("/upload", data={"files": (f, "B-again.png")}).get_json()["documents"][0]
    assert again["document_id"] == second["document_id"] and again["duplicate"]


def test_views_of_documents_and_their_pages_are_audited(archive, app, petition_png):
    from ingest.pipeline import intake, process

    officer = make_user(archive, "officer", "KKN-01", seed=390)
    client = client_for(app, archive, officer)
    r = intake(archive, petition_png, area_id=officer.area_id, user=officer)
    process(archive, r.document_id)
    assert client.get(f"/documents/{r.document_id}").status_code == 200
    assert client.get(f"/documents/{r.document_id}/pages/1.jpg").status_code == 200
    assert client.get(f"/api/v1/documents/{r.document_id}").status_code == 200
    with archive.db.session() as s:
        seen = [
            (e.action, e.user_id) for e in s.scalars(select(AuditEntry).where(AuditEntry.object_type == "document"))
        ]
    assert seen == [("upload", officer.id), ("view", officer.id), ("view_page", officer.id), ("view", officer.id)]


# --- 7. a full disk: a clear error, nothing lost ---------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A 16 MB file system of its own (tmpfs), to fill up; skipped where mounting is not allowed."""
    import subprocess

    mnt = tmp_path / "small"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mnt)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def _fill(folder) -> object:
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as f:  # unbuffered: nothing left over for close() to fail on
        try:
            while True:
                f.write(b"\0" * (1 << 16))
                f.flush()
        except OSError:
            pass
    return filler


def test_a_full_disk_is_a_clear_error_in_the_cli_and_the_upload_page_and_loses_nothing(small_disk, petition_png):
    from config import load_settings
    from records.home import Archive
    from tests.conftest import damrong
    from webui.app import create_app

    home = small_disk / "home"
    damrong("init", home=home)
    damrong("ingest", str(petition_png), home=home)
    other = petition_png.with_name("other.png")
    Image.new("L", (300, 200), 255).save(other)
    filler = _fill(small_disk)
    r = damrong("ingest", str(other), "--json", home=home, check=False)
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr[-800:]
    said = r.stdout + r.stderr  # the file refused (JSON), or the command ended, with the reason in both languages
    assert ("disk_full" in said or "disk is full" in said) and ("ดิสก์" in said or "disk_full" in said), said[-800:]
    filler.unlink()
    a = Archive(load_settings(env={}, home=str(home)))
    app = create_app(a, start_worker=False)
    c = client_for(app, a, make_user(a, "counter", "KKN-01", seed=398))
    c.get("/")  # the session's first reads done while there is room
    filler = _fill(small_disk)
    with other.open("rb") as f:
        up = c.post("/upload", data={"files": (f, "other.png")})
    assert up.status_code in (200, 507)
    doc = up.get_json()["documents"][0]
    assert doc["error_code"] == "disk_full" and "ดิสก์" in doc["error_display"]
    filler.unlink()
    app.extensions["ingest_worker"].shutdown()
    assert damrong("verify", home=home).returncode == 0  # nothing half-written
    again = json.loads(damrong("ingest", str(other), "--json", home=home).stdout.strip().splitlines()[-1])
    assert again["state"] == "done"
    a.close()
