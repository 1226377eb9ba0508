"""Area rules on the pieces around complaints: complainants and their photos, scan batches and
their page images, counter-station card reads, administration, the sign-in redirect, and the
search index after a complaint is forwarded. Requests carry bearer tokens (the same checks as a
signed-in browser; no CSRF token needed)."""

from __future__ import annotations

import pytest

from records import complaints
from records.models import Category
from search.index import open_index
from tests.conftest import PETITION_LINES, client_for, make_user, photo_b64
from tests.thai_pages import render_lines


@pytest.fixture
def two_districts(archive, app):
    a = make_user(archive, "counter", "KKN-01", seed=201)
    b = make_user(archive, "counter", "KKN-02", seed=202)
    return client_for(app, archive, a), client_for(app, archive, b), a, b


def test_complainants_and_their_photos_stay_in_their_area(archive, app, two_districts):
    ca, cb, _a, b = two_districts
    r = ca.post(
        "/counter",
        data={
            "citizen_id": "3174218096795",
            "first_name_th": "สมศักดิ์",
            "last_name_th": "ทองประเสริฐ",
            "phone": "0812345678",
            "photo_jpeg_b64": photo_b64(),
        },
    )
    assert r.status_code == 302
    listed_a, listed_b = ca.get("/complainants").get_data(as_text=True), cb.get("/complainants").get_data(as_text=True)
    assert "ทองประเสริฐ" in listed_a and "ทองประเสริฐ" not in listed_b
    assert ca.get("/complainants/1/photo.jpg").status_code == 200
    assert cb.get("/complainants/1/photo.jpg").status_code == 404
    assert "ทองประเสริฐ" not in cb.get("/complaints/new?complainant_id=1").get_data(as_text=True)
    with archive.db.session() as s:
        cat = s.query(Category).filter_by(name_th="ที่ดิน").one().id
    with pytest.raises(complaints.ComplaintError):  # nor can B open a complaint for A's person by id
        complaints.create(archive.db, b, {"phone": "0812345678", "category_id": cat, "complainant_id": 1})


def test_scan_batches_and_page_images_stay_in_their_area(archive, app, two_districts):
    from scanner import batches

    ca, cb, a, _b = two_districts
    batch_id = batches.create(archive, "pnm:0", area_id=a.area_id)
    page_id = batches.add_page(archive, batch_id, render_lines(PETITION_LINES[:1]), 300)
    assert ca.get(f"/scan/batches/{batch_id}.json").status_code == 200
    assert ca.get(f"/scan/pages/{page_id}.jpg").status_code == 200
    for r in (
        cb.get(f"/scan/batches/{batch_id}.json"),
        cb.get(f"/scan/pages/{page_id}.jpg"),
        cb.post(f"/scan/pages/{page_id}", json={"rotate": 90}),
        cb.post(f"/scan/batches/{batch_id}/file"),
        cb.post(f"/scan/batches/{batch_id}/cancel"),
    ):
        assert r.status_code == 404
    assert f"batch={batch_id}" not in cb.get("/scan").get_data(as_text=True)
    r = ca.post(f"/scan/batches/{batch_id}/file")
    assert r.status_code == 200
    [doc_id] = r.json["document_ids"]
    assert ca.get(f"/api/v1/documents/{doc_id}").status_code == 200  # filed under A's area
    assert cb.get(f"/api/v1/documents/{doc_id}").status_code == 404


def test_station_reads_are_kept_per_centre(app, two_districts):
    ca, cb, _a, _b = two_districts
    assert ca.post("/api/v1/stations/counter-1/card", json={"citizen_id": "3174218096795"}).status_code == 200
    assert cb.get("/api/v1/stations/counter-1/card").status_code == 204  # same station name, other centre
    assert ca.get("/api/v1/stations/counter-1/card").json["citizen_id"] == "3174218096795"


def test_only_ministry_administrators_manage_users(archive, app):
    district_admin = make_user(archive, "admin", "KKN-01", seed=203)
    central_admin = make_user(archive, "admin", "MOI", seed=204)
    c = client_for(app, archive, district_admin)
    assert c.get("/admin/users").status_code == 403
    assert c.post(f"/admin/users/{central_admin.id}/reset").status_code == 403
    assert client_for(app, archive, central_admin).get("/admin/users").status_code == 200


@pytest.mark.parametrize("target", ["//evil.example", "/\t/evil.example", "/\\evil.example", "https://evil.example/"])
def test_sign_in_never_redirects_off_site(archive, app, target):
    import re

    user = make_user(archive, "officer", "KKN-01", seed=205)
    c = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").get_data(as_text=True)).group(1)
    r = c.post(
        "/login",
        data={"username": user.citizen_id, "password": "test-password-123", "next": target, "csrf_token": token},
    )
    assert r.status_code == 302 and r.headers["Location"] in ("/", "http://localhost/")


def test_forwarding_moves_the_documents_in_search_too(archive, app, tmp_path):
    from ingest.pipeline import intake, process
    from search.query import search
    from search.query import visible_to as allowed_for

    officer = make_user(archive, "officer", "KKN-01", seed=206)
    bangkok = make_user(archive, "officer", "BKK", seed=207)
    with archive.db.session() as s:
        cat = s.query(Category).filter_by(name_th="ที่ดิน").one().id
    c = complaints.create(archive.db, officer, {"phone": "0812345678", "category_id": cat})
    png = tmp_path / "p.png"
    render_lines(PETITION_LINES).save(png, dpi=(300, 300))
    ministry = make_user(archive, "admin", "MOI", seed=208)
    doc = intake(archive, png, area_id=ministry.area_id)  # taken in at the ministry, filed under the complaint
    process(archive, doc.document_id)
    complaints.file_document(archive.db, ministry, c.id, doc.document_id)
    open_index(archive).sync()

    def hits(user):
        return [h.document_id for h in search(open_index(archive), "ทองประเสริฐ", allowed=allowed_for(user)).hits]

    assert hits(officer) == [doc.document_id] and hits(bangkok) == []
    complaints.transition(archive.db, officer, c.id, "forwarded", "ที่ดินอยู่ในกรุงเทพฯ", to_area_code="BKK")
    open_index(archive).sync()
    assert hits(officer) == [] and hits(bangkok) == [doc.document_id]
    assert client_for(app, archive, officer).get(f"/documents/{doc.document_id}").status_code == 404
    assert client_for(app, archive, bangkok).get(f"/documents/{doc.document_id}").status_code == 200
