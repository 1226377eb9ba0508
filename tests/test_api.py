"""The JSON API (/api/v1): its OpenAPI description is valid and matches the app, schemathesis finds
no server error in any operation, the area and role rules hold through it, the complaint
lifecycle works end to end, and no response ever carries a full citizen ID."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import ClassVar

import pytest
import requests
from sqlalchemy import select

from records import audit, complaints, users
from records.models import ApiToken, Area, Category
from search.index import open_index
from tests.conftest import SAMPLES, make_user, valid_cid, wait_for

SPEC = Path(__file__).resolve().parent.parent / "webui" / "openapi.yaml"
PDF = SAMPLES / "p11_004.pdf"  # a born-digital petition (text layer: no OCR wait); holds "บุรณศิริ"
PDF_WORD = "บุรณศิริ"
COMPLAINANT = valid_cid(424242)  # the complainant's citizen ID: never in full in any response


def token_for(archive, user, name: str = "test") -> str:
    return users.create_token(archive.db, user.citizen_id, name)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def category_id(archive, name_th: str = "หนี้สิน/หนี้นอกระบบ") -> int:
    with archive.db.session() as s:
        return s.scalar(select(Category.id).where(Category.name_th == name_th, Category.parent_id.is_(None)))


def district_code(archive, name_th: str) -> str:
    with archive.db.session() as s:
        return s.scalar(select(Area.code).where(Area.kind == "district", Area.name_th == name_th))


def full_id_forms(cid: str) -> list[str]:
    parts = (cid[0], cid[1:5], cid[5:10], cid[10:12], cid[12])
    return [cid, "-".join(parts), " ".join(parts)]


class Api:
    """requests against the served app as one user, keeping every response body to check for full IDs."""

    bodies: ClassVar[list[str]] = []

    def __init__(self, base: str, token: str | None):
        self.base, self.http = base, requests.Session()
        if token:
            self.http.headers.update(bearer(token))

    def __getattr__(self, method):
        def call(path, **kw):
            r = self.http.request(method.upper(), self.base + "/api/v1" + path, timeout=60, **kw)
            Api.bodies.append(r.text)
            return r

        return call


@pytest.fixture
def seen_bodies():
    Api.bodies = []
    yield Api.bodies
    for text in Api.bodies:
        for form in full_id_forms(COMPLAINANT):
            assert form not in text, f"a full citizen ID in a response: {text[:500]}"


def new_complaint(api: Api, archive, **extra) -> dict:
    body = {
        "channel": "walk_in",
        "phone": "081-234-5678",
        "category_id": category_id(archive),
        "citizen_id": COMPLAINANT,
        "first_name_th": "สมศักดิ์",
        "last_name_th": "ทองประเสริฐ",
        "summary": "ขอความช่วยเหลือเรื่องหนี้นอกระบบ",
        **extra,
    }
    r = api.post("/complaints", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def assert_error(r, status: int, code: str | None = None) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["Content-Type"].startswith("application/json"), r.headers
    body = r.json()
    assert set(body) >= {"error", "message", "message_th"}, body
    assert re.search(r"[\u0E00-\u0E7F]", body["message_th"]), body  # Thai
    if code:
        assert body["error"] == code, body
    return body


# --- the description -------------------------------------------------------------------------


def _flask_path(openapi_path: str) -> str:
    return re.sub(r"\{(\w+)\}", r"<\1>", "/api/v1" + openapi_path)


def test_openapi_description_is_valid_and_matches_the_app(archive):
    import schemathesis
    import yaml

    from webui.app import create_app

    schema = schemathesis.openapi.from_path(SPEC)
    schema.validate()  # against the OpenAPI 3.0 meta-schema: raises when not valid
    ops = [r.ok() for r in schema.get_all_operations()]  # raises on an operation that cannot be loaded
    raw = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    assert raw["components"]["securitySchemes"]["bearerAuth"] == {
        **raw["components"]["securitySchemes"]["bearerAuth"],
        "type": "http",
        "scheme": "bearer",
    }
    assert raw["security"] == [{"bearerAuth": []}]
    assert set(raw["components"]["schemas"]["Error"]["required"]) == {"error", "message", "message_th"}

    app = create_app(archive, start_worker=False)
    try:
        rules = {}
        for rule in app.url_map.iter_rules():
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", rule.rule)
            rules.setdefault(path, set()).update(rule.methods - {"HEAD", "OPTIONS"})
        wanted = {
            ("POST", "/complaints"),
            ("GET", "/complaints"),
            ("GET", "/complaints/{complaint_id}"),
            ("GET", "/complaints/by-tracking/{tracking_no}"),
            ("POST", "/complaints/check"),
            ("PATCH", "/complaints/{complaint_id}"),
            ("POST", "/complaints/{complaint_id}/status"),
            ("GET", "/complaints/{complaint_id}/events"),
            ("POST", "/complaints/{complaint_id}/documents"),
            ("GET", "/complaints/{complaint_id}/documents"),
            ("POST", "/complaints/{complaint_id}/documents/link"),
            ("GET", "/documents/{document_id}"),
            ("GET", "/documents/{document_id}/download"),
            ("GET", "/search"),
            ("GET", "/openapi.yaml"),
        }
        described = {(op.method.upper(), op.path) for op in ops}
        assert described == wanted
        for method, path in described:  # each one served by the app, and described fully
            assert method in rules.get(_flask_path(path), set()), f"{method} {path} is not served"
            op = raw["paths"][path][method.lower()]
            assert op.get("operationId") and op.get("summary")
            assert "401" in op["responses"], f"{method} {path} does not describe 401"
            for status, resp in op["responses"].items():
                if status.startswith(("4", "5")):
                    assert resp == {"$ref": resp.get("$ref")} and resp["$ref"].startswith("#/components/responses/")
        for name, resp in raw["components"]["responses"].items():
            assert resp["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}, name
        # the API's own routes are all described (webui.documents serves GET /documents/{id})
        api_rules = {r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")}
        assert {re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", r) for r in api_rules} == {
            _flask_path(p) for _m, p in described if p != "/documents/{document_id}"
        }

        # served to signed-in callers: the same document as the file
        officer = make_user(archive, "officer", "MOI", seed=5)
        client = app.test_client()
        assert client.get("/api/v1/openapi.yaml").status_code == 401
        served = schemathesis.openapi.from_wsgi(
            "/api/v1/openapi.yaml", app, headers=bearer(token_for(archive, officer))
        )
        assert served.raw_schema == raw
    finally:
        app.extensions["ingest_worker"].shutdown()


# --- property-based: no server error in any operation -----------------------------------------


@pytest.fixture
def fuzz_app(archive):
    """The app over an archive with complaints in four areas and one document filed under each."""
    from ingest.pipeline import intake
    from webui.app import create_app

    admin = make_user(archive, "admin", "MOI", seed=1)
    officer = make_user(archive, "officer", "MOI", seed=2, name="เจ้าหน้าที่ส่วนกลาง")
    cat = category_id(archive)
    r = intake(archive, PDF, area_id=admin.area_id)  # stored, not processed: enough to download
    tracking = []
    for i, area in enumerate(("MOI", "KKN", "KKN-01", "CMI-01")):
        c = complaints.create(
            archive.db,
            admin,
            {
                "phone": f"08123456{i:02d}",
                "category_id": cat,
                "area_code": area,
                "citizen_id": COMPLAINANT,
                "first_name_th": "สมศักดิ์",
                "last_name_th": "ทองประเสริฐ",
                "summary": f"เรื่องที่ {i}",
            },
        )
        complaints.file_document(archive.db, admin, c.id, r.document_id, "petition")
        tracking.append(c.tracking_no)
    app = create_app(archive)
    yield app, token_for(archive, officer, "fuzz"), tracking
    app.extensions["ingest_worker"].shutdown()
    app.extensions["peer_courier"].shutdown()


def test_no_operation_answers_a_server_error(fuzz_app, monkeypatch):
    """schemathesis generates requests from the description for every operation (a central
    officer's token); none may answer 5xx, and every answer must match its described status
    codes and schema. No response may hold the complainant's full citizen ID."""
    import secrets

    import schemathesis
    import whoosh.codec.base
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

    app, token, tracking = fuzz_app
    # Hypothesis seeds the global `random` for every example; Whoosh names index segments with it, so
    # the index writer thread would make the same segment name twice. Names from the OS instead:
    monkeypatch.setattr(
        whoosh.codec.base,
        "random_name",
        lambda size=28: "".join(secrets.choice("0123456789abcdefghijklmnopqrstuvwxyz") for _ in range(size)),
    )
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.yaml", app, headers=bearer(token))
    checks = [not_a_server_error, status_code_conformance, response_schema_conformance]
    failures, tested, statuses = [], [], {}

    def plausible(label, case, data):
        """Half the time, values that get past the first checks (a real phone, category, area,
        tracking number), so generation reaches the code behind them too."""
        if not data.draw(st.booleans(), label="plausible"):
            return
        if label == "POST /complaints" and isinstance(case.body, dict):
            case.body["phone"] = data.draw(st.sampled_from(["0812345678", "๐๘๑-๒๓๔-๕๖๗๘", "043 123 456"]))
            case.body["category_id"] = data.draw(st.integers(1, 30))
            choices = {
                "area": ["MOI", "KKN", "kkn-01", "CMI"],
                "citizen_id": [COMPLAINANT, valid_cid(7), None],
                "officer_id": [1, 2, None],
                "subcategory_id": [None, 2, 3],
                "due_date": [None, "30/09/2569"],
                "latitude": [None, 16.4],
                "longitude": [None, 102.8],
            }
            for key, values in choices.items():
                if key in case.body:
                    case.body[key] = data.draw(st.sampled_from(values))
        elif label == "GET /complaints/by-tracking/{tracking_no}":
            case.path_parameters["tracking_no"] = data.draw(st.sampled_from(tracking))
        elif label == "POST /complaints/{complaint_id}/status" and isinstance(case.body, dict):
            case.body["to_area"] = data.draw(st.sampled_from(["KKN", "MOI", "CMI-01", None]))
            case.body["duplicate_of"] = data.draw(st.sampled_from([*tracking, None]))
            case.body["reason"] = "เหตุผล"
        if case.path_parameters and "complaint_id" in case.path_parameters:
            case.path_parameters["complaint_id"] = data.draw(st.integers(1, 6))

    def fuzz(op) -> None:
        @settings(
            max_examples=25, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
        )
        @given(case=op.as_strategy(), data=st.data())
        def run(case, data):
            plausible(op.label, case, data)
            response = case.call(headers=bearer(token))
            statuses.setdefault(op.label, Counter())[response.status_code] += 1
            text = response.content.decode("utf-8", "replace")
            for form in full_id_forms(COMPLAINANT):
                assert form not in text, f"full citizen ID in {case.method} {case.formatted_path}"
            case.validate_response(response, checks=checks, headers=bearer(token))

        run()

    for result in schema.get_all_operations():
        op = result.ok()
        try:
            fuzz(op)
        except Exception as e:  # keep going: report every operation that fails
            failures.append(f"{op.method.upper()} {op.path}: {e}")
        tested.append(op.label)
    print("\n".join(f"{k}: {dict(v)}" for k, v in statuses.items()))
    assert not failures, "\n\n".join(failures)
    # all but GET /openapi.yaml, which schemathesis leaves out as the document it was loaded from
    assert len(tested) == 14 and "GET /openapi.yaml" not in tested, tested
    reached = [label for label, seen in statuses.items() if any(200 <= code < 300 for code in seen)]
    assert len(reached) >= 10, statuses  # generation got past validation to the records behind it


# --- area and role rules -----------------------------------------------------------------------


def add_text_document(archive, text: str, area_code: str) -> int:
    """A processed document owned by an area, indexed (no OCR)."""
    import hashlib

    from records.models import Area, Document, DocumentState, IndexOutbox, Page

    with archive.db.session() as s:
        area_id = s.scalar(select(Area.id).where(Area.code == area_code))
        d = Document(
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            filename=f"{area_code}.png",
            media_type="image/png",
            size_bytes=1,
            state=DocumentState.done,
            fields={},
            page_count=1,
            area_id=area_id,
        )
        d.pages = [Page(number=1, text=text, source="ocr")]
        s.add(d)
        s.flush()
        s.add(IndexOutbox(document_id=d.id))
        s.commit()
        doc_id = d.id
    open_index(archive).sync()
    return doc_id


@pytest.fixture
def khon_kaen(archive, server, seen_bodies):
    """Khon Kaen with a second district: a complaint there (KKN-02) with a petition uploaded
    through the API and read; officers of the province, of the other district (KKN-01) and of
    the ministry, and a provincial auditor, each with a token."""
    other = district_code(archive, "บ้านฝาง")
    people = {
        "province": make_user(archive, "officer", "KKN", seed=21, name="เจ้าหน้าที่จังหวัด"),
        "district": make_user(archive, "officer", "KKN-01", seed=22, name="เจ้าหน้าที่อำเภอเมือง"),
        "central": make_user(archive, "officer", "MOI", seed=23, name="เจ้าหน้าที่ส่วนกลาง"),
        "auditor": make_user(archive, "auditor", "KKN", seed=24, name="ผู้ตรวจสอบ"),
    }
    api = {k: Api(server, token_for(archive, u)) for k, u in people.items()}
    c = new_complaint(api["province"], archive, area=other)
    assert c["area"] == other and c["tracking_no"].startswith("KKN-")
    with PDF.open("rb") as f:
        r = api["province"].post(
            f"/complaints/{c['id']}/documents",
            files={"file": ("คำร้อง.pdf", f, "application/pdf")},
            data={"kind": "petition"},
        )
    assert r.status_code == 201, r.text
    doc = r.json()
    assert doc["kind"] == "petition" and doc["position"] == 1 and doc["duplicate"] is False
    done = wait_for(
        "OCR",
        lambda: (lambda d: d if d["state"] not in ("pending", "processing") else None)(
            api["province"].get(f"/documents/{doc['document_id']}").json()
        ),
    )
    assert done["state"] == "done", done
    wait_for("the index", lambda: api["province"].get("/search", params={"q": PDF_WORD}).json()["total"])
    return {"api": api, "people": people, "complaint": c, "document_id": doc["document_id"], "area": other}


def test_district_sees_nothing_of_another_district(khon_kaen, archive, server):
    api, c, doc_id = khon_kaen["api"], khon_kaen["complaint"], khon_kaen["document_id"]
    district = api["district"]
    # the other district's complaint looks exactly like one that does not exist
    missing = assert_error(district.get("/complaints/999999"), 404, "not_found")
    for path in (
        f"/complaints/{c['id']}",
        f"/complaints/by-tracking/{c['tracking_no']}",
        f"/complaints/{c['id']}/events",
        f"/complaints/{c['id']}/documents",
    ):
        assert assert_error(district.get(path), 404) == missing, path
    assert_error(district.patch(f"/complaints/{c['id']}", json={"summary": "x"}), 404, "not_found")
    assert_error(district.post(f"/complaints/{c['id']}/status", json={"to_status": "in_progress"}), 404, "not_found")
    assert_error(district.post(f"/complaints/{c['id']}/documents/link", json={"document_id": doc_id}), 404)
    with PDF.open("rb") as f:
        assert_error(district.post(f"/complaints/{c['id']}/documents", files={"file": ("x.pdf", f)}), 404)
    # nor the document filed under it, nor its original
    missing_doc = assert_error(district.get("/documents/999999"), 404, "not_found")
    assert assert_error(district.get(f"/documents/{doc_id}"), 404) == missing_doc
    assert_error(district.get(f"/documents/{doc_id}/download"), 404, "not_found")
    # not in its list, not in its search (which does work: it finds its own document)
    assert c["id"] not in [x["id"] for x in district.get("/complaints", params={"limit": 200}).json()["complaints"]]
    assert district.get("/complaints", params={"area": khon_kaen["area"]}).json()["total"] == 0
    hits = district.get("/search", params={"q": PDF_WORD}).json()
    assert hits["total"] == 0 and hits["hits"] == []
    own = add_text_document(archive, f"หนังสือของอำเภอเมือง เรื่อง {PDF_WORD} ร้องเรียน", "KKN-01")
    assert [h["document_id"] for h in district.get("/search", params={"q": PDF_WORD}).json()["hits"]] == [own]
    # nothing was downloaded
    assert not [e for e in audit.entries_for(archive.db, "document", doc_id) if e.action == "download"]
    # its duplicate check learns the other district's complaint exists: metadata only, audited
    r = district.post("/complaints/check", json={"citizen_id": COMPLAINANT, "summary": c["summary"]})
    assert r.status_code == 200, r.text
    [cand] = r.json()["candidates"]
    assert (cand["tracking_no"], cand["area"], cand["visible"]) == (c["tracking_no"], khon_kaen["area"], False)
    assert cand["reasons"] == ["same_citizen_id", "similar_text"] and "summary" not in cand
    assert [e.action for e in audit.entries_for(archive.db, "complaint", "intake")] == ["duplicate_check"]
    own_view = api["province"].post("/complaints/check", json={"of": c["tracking_no"]}).json()
    assert own_view["candidates"] == []  # never itself
    assert_error(district.post("/complaints/check", json={"of": c["tracking_no"]}), 404, "not_found")
    assert_error(district.post("/complaints/check", json={"limit": 0}), 400, "bad_value")
    assert_error(district.post("/complaints/check", json={"colour": "red"}), 400, "unknown_field")


def test_province_and_central_see_their_districts(khon_kaen, archive):
    api, c, doc_id = khon_kaen["api"], khon_kaen["complaint"], khon_kaen["document_id"]
    for who in ("province", "central", "auditor"):
        a = api[who]
        got = a.get(f"/complaints/{c['id']}")
        assert got.status_code == 200, (who, got.text)
        assert got.json()["tracking_no"] == c["tracking_no"] and got.json()["document_count"] == 1
        assert a.get(f"/complaints/by-tracking/{c['tracking_no'].lower()}").json()["id"] == c["id"]
        docs = a.get(f"/complaints/{c['id']}/documents").json()["documents"]
        assert [(d["document_id"], d["kind"], d["state"]) for d in docs] == [(doc_id, "petition", "done")]
        assert a.get(f"/documents/{doc_id}").json()["state"] == "done"
        hits = a.get("/search", params={"q": PDF_WORD}).json()
        assert [h["document_id"] for h in hits["hits"]] == [doc_id] and hits["total"] == 1
        assert set(hits["hits"][0]) >= {"document_id", "filename", "score", "snippet"}
        listed = a.get("/complaints", params={"area": khon_kaen["area"]}).json()["complaints"]
        assert c["id"] in [x["id"] for x in listed]
    r = api["province"].get(f"/documents/{doc_id}/download")
    assert r.status_code == 200 and r.content == PDF.read_bytes()
    assert r.headers["Content-Type"] == "application/pdf" and "attachment" in r.headers["Content-Disposition"]
    downloads = [e for e in audit.entries_for(archive.db, "document", doc_id) if e.action == "download"]
    assert len(downloads) == 1 and downloads[0].after == {"object": "original"}
    assert downloads[0].user_id == khon_kaen["people"]["province"].id
    # the citizen ID in the document's own text is masked in search snippets too
    hit = api["province"].get("/search", params={"q": "4-6791-60110-84-5"}).json()["hits"]
    assert [h["document_id"] for h in hit] == [doc_id]
    assert "4679160110845" not in re.sub(r"\D", "", hit[0]["snippet"]) and "xxxxx" in hit[0]["snippet"]


def test_auditor_reads_but_never_writes(khon_kaen, archive):
    a, c, doc_id = khon_kaen["api"]["auditor"], khon_kaen["complaint"], khon_kaen["document_id"]
    assert a.get("/complaints").status_code == 200
    new = {"phone": "0812345678", "category_id": category_id(archive)}
    assert_error(a.post("/complaints", json=new), 403, "forbidden")
    assert_error(a.patch(f"/complaints/{c['id']}", json={"summary": "แก้ไข"}), 403, "forbidden")
    assert_error(a.post(f"/complaints/{c['id']}/status", json={"to_status": "in_progress"}), 403, "forbidden")
    assert_error(a.post(f"/complaints/{c['id']}/documents/link", json={"document_id": doc_id}), 403, "forbidden")
    before = len(list((archive.settings.objects_dir).rglob("*")))
    with PDF.open("rb") as f:
        assert_error(a.post(f"/complaints/{c['id']}/documents", files={"file": ("x.pdf", f)}), 403, "forbidden")
    assert len(list((archive.settings.objects_dir).rglob("*"))) == before
    got = khon_kaen["api"]["province"].get(f"/complaints/{c['id']}").json()
    assert got["summary"] == c["summary"] and got["status"] == "received"


def test_no_unknown_or_revoked_token_gets_in(archive, server, seen_bodies):
    import yaml

    officer = make_user(archive, "officer", "MOI", seed=31)
    token = token_for(archive, officer)
    ok = Api(server, token)
    c = new_complaint(ok, archive)
    raw = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    ids = {"complaint_id": c["id"], "document_id": 1, "tracking_no": c["tracking_no"]}
    revoked = token_for(archive, officer, "old")
    with archive.db.session() as s:
        s.scalar(select(ApiToken).where(ApiToken.name == "old")).revoked = True
        s.commit()
    for _label, api, code in (
        (None, Api(server, None), "unauthorized"),
        ("unknown", Api(server, "dmr_not-a-token"), "invalid_token"),
        ("revoked", Api(server, revoked), "invalid_token"),
    ):
        for path, item in raw["paths"].items():
            for method in item:
                if method == "parameters":
                    continue
                url = path.format(**ids)
                r = getattr(api, method)(url, json={} if method in ("post", "patch") else None)
                assert_error(r, 401, code)
    assert ok.get(f"/complaints/{c['id']}").status_code == 200  # the good token still works
    # a session without its CSRF token cannot write either; a token whose user must change the first password is refused
    fresh, _ = users.add_user(archive.db, valid_cid(32), "ผู้ใช้ใหม่", "officer", "MOI", password="first-password-1")
    assert_error(Api(server, token_for(archive, fresh)).get("/complaints"), 403, "password_change_required")


# --- the lifecycle ------------------------------------------------------------------------------


def test_create_transitions_events_and_a_bad_transition(archive, server, seen_bodies):
    officer = make_user(archive, "officer", "KKN", seed=41, name="สมชาย ดำเนินการ")
    counter = make_user(archive, "counter", "KKN-01", seed=42, name="สมหญิง รับเรื่อง")
    api, desk = Api(server, token_for(archive, officer)), Api(server, token_for(archive, counter))
    c = new_complaint(
        desk,
        archive,
        respondent_kind="agency",
        respondent_name="องค์การบริหารส่วนตำบล",
        incident_province="ขอนแก่น",
        latitude=16.43,
        longitude=102.83,
        due_date="30/09/2569",
    )
    assert c["status"] == "received" and c["area"] == "KKN-01" and c["channel"] == "walk_in"
    cid13 = COMPLAINANT
    assert c["complainant"] == {
        "citizen_id": f"{cid13[0]}-{cid13[1:5]}-xxxxx-{cid13[10:12]}-{cid13[12]}",
        "name": "สมศักดิ์ ทองประเสริฐ",
    }
    assert c["due_date"] == "2026-09-30" and c["respondent"] == {"kind": "agency", "name": "องค์การบริหารส่วนตำบล"}
    assert c["category"]["name_th"] == "หนี้สิน/หนี้นอกระบบ" and c["document_count"] == 0
    assert c["incident"]["latitude"] == 16.43 and "phone" not in c
    cid = c["id"]
    # the counter opens complaints but does not work them
    assert_error(desk.post(f"/complaints/{cid}/status", json={"to_status": "in_progress"}), 403, "forbidden")
    # invalid requests: 400 with the field named, nothing changed
    assert_error(api.post("/complaints", json={"phone": "12", "category_id": c["category"]["id"]}), 400, "bad_phone")
    # several problems: the first is the error (the same code as ever), every one is listed
    several = assert_error(
        api.post("/complaints", json={"phone": "12", "category_id": c["category"]["id"], "latitude": 95}),
        400,
        "bad_phone",
    )
    assert [e["error"] for e in several["errors"]] == ["bad_phone", "bad_value"]
    assert several["errors"][1]["message"] == "latitude is not valid"
    assert several["errors"][1]["message_th"] == "ละติจูด ไม่ถูกต้อง"
    assert_error(api.post("/complaints", json={"phone": "0812345678", "category_id": "1"}), 400, "bad_value")
    assert_error(api.post("/complaints", json={"phone": "0812345678"}), 400, "required")
    assert_error(
        api.post("/complaints", json={"phone": "0812345678", "category_id": 1, "colour": "red"}), 400, "unknown_field"
    )
    assert_error(
        api.post("/complaints", data="not json", headers={"Content-Type": "application/json"}), 400, "bad_json"
    )
    assert_error(
        api.post("/complaints", json={"phone": "0812345678", "category_id": 1, "citizen_id": "1234567890123"}),
        400,
        "bad_citizen_id",
    )
    huge = '{"phone": "0812345678", "category_id": 1, "latitude": 1%s}' % ("0" * 400)
    assert_error(api.post("/complaints", data=huge, headers={"Content-Type": "application/json"}), 400, "bad_value")
    assert_error(api.post("/complaints", json={"phone": "0812345678", "category_id": 2**63}), 400, "bad_value")
    assert_error(api.get(f"/complaints/{2**64}"), 404, "not_found")
    assert_error(api.delete(f"/complaints/{cid}"), 405, "method_not_allowed")
    assert_error(api.get("/complaints", params={"status": "lost"}), 400, "bad_value")
    assert_error(api.get("/complaints", params={"limit": 201}), 400, "bad_value")
    assert_error(api.get("/complaints", params={"from": "31/02/2568"}), 400, "bad_value")

    local = make_user(archive, "officer", "KKN-01", seed=44)  # the officer in charge: one of the complaint's centre
    r = api.patch(f"/complaints/{cid}", json={"summary": "หนี้นอกระบบ ดอกเบี้ยร้อยละ 20 ต่อเดือน", "officer_id": local.id})
    assert r.status_code == 200 and r.json()["officer_id"] == local.id and r.json()["summary"].startswith("หนี้นอกระบบ")
    far = make_user(archive, "officer", "CMI-01", seed=45)  # another province: cannot be put in charge
    assert_error(api.patch(f"/complaints/{cid}", json={"officer_id": far.id}), 400, "bad_value")
    assert_error(api.patch(f"/complaints/{cid}", json={"officer_id": counter.id}), 400, "bad_value")  # not an officer
    assert_error(api.patch(f"/complaints/{cid}", json={"subcategory_id": 999}), 400, "bad_value")
    assert api.get(f"/complaints/{cid}").json()["officer_id"] == local.id

    steps = [
        ({"to_status": "in_progress"}, "in_progress"),
        ({"to_status": "waiting_agency", "reason": "ส่งหนังสือถึง สภ.เมือง"}, "waiting_agency"),
        ({"to_status": "closed", "reason": "ไกล่เกลี่ยสำเร็จ", "outcome": "resolved"}, "closed"),
    ]
    for body, status in steps:
        r = api.post(f"/complaints/{cid}/status", json=body)
        assert r.status_code == 200, r.text
        assert r.json()["status"] == status
    assert r.json()["outcome"] == "resolved" and r.json()["closed_at"]

    # a step the lifecycle does not allow: 409, said in Thai
    bad = assert_error(
        api.post(f"/complaints/{cid}/status", json={"to_status": "forwarded", "reason": "x", "to_area": "KKN"}),
        409,
        "bad_transition",
    )
    assert "เปลี่ยนสถานะจาก" in bad["message_th"] and "ยุติเรื่องแล้ว" in bad["message_th"]
    assert bad["message"] == "cannot go from closed to forwarded"
    # reopening needs a reason; closing needs an outcome
    assert_error(api.post(f"/complaints/{cid}/status", json={"to_status": "in_progress"}), 400, "reason_required")
    r = api.post(f"/complaints/{cid}/status", json={"to_status": "in_progress", "reason": "ผู้ร้องแจ้งว่ายังไม่ได้รับเงินคืน"})
    assert r.status_code == 200 and r.json()["status"] == "in_progress" and r.json()["outcome"] is None
    assert_error(
        api.post(f"/complaints/{cid}/status", json={"to_status": "closed", "reason": "x"}), 400, "outcome_required"
    )
    assert_error(api.post(f"/complaints/{cid}/status", json={"to_status": "lost"}), 400, "bad_value")
    # forwarded out of the caller's area: the answer shows what was done, then it is gone from view
    r = api.post(
        f"/complaints/{cid}/status", json={"to_status": "forwarded", "reason": "อยู่ในเขตอุดรธานี", "to_area": "udn"}
    )
    assert r.status_code == 200 and r.json()["status"] == "forwarded" and r.json()["area"] == "UDN"
    assert_error(api.get(f"/complaints/{cid}"), 404, "not_found")
    central = Api(server, token_for(archive, make_user(archive, "officer", "MOI", seed=43)))
    ev = central.get(f"/complaints/{cid}/events")
    assert ev.status_code == 200
    events = ev.json()["events"]
    assert [(e["from_status"], e["to_status"]) for e in events] == [
        (None, "received"),
        ("received", "in_progress"),
        ("in_progress", "waiting_agency"),
        ("waiting_agency", "closed"),
        ("closed", "in_progress"),
        ("in_progress", "forwarded"),
    ]
    assert events[3]["outcome"] == "resolved" and events[3]["reason"] == "ไกล่เกลี่ยสำเร็จ"
    assert events[5]["to_area"] == "UDN" and events[0]["user_name"] == "สมหญิง รับเรื่อง"
    assert events[1]["user_id"] == officer.id
    # the complaint list filters
    listed = central.get("/complaints", params={"status": "forwarded", "q": c["tracking_no"][-6:]}).json()
    assert [x["id"] for x in listed["complaints"]] == [cid] and listed["total"] == 1
    assert central.get("/complaints", params={"status": "closed"}).json()["total"] == 0
    # every change is in the audit log
    actions = [e.action for e in audit.entries_for(archive.db, "complaint", c["tracking_no"])]
    assert actions == ["create", "change"] + ["status"] * 5


def test_documents_filed_by_upload_and_link(archive, server, seen_bodies, tmp_path):
    officer = make_user(archive, "officer", "KKN-01", seed=51)
    api = Api(server, token_for(archive, officer))
    c = new_complaint(api, archive)
    # a file that is not a document is refused, in both languages, and nothing is filed
    bad = api.post(f"/complaints/{c['id']}/documents", files={"file": ("notes.txt", b"hello")})
    assert assert_error(bad, 400, "not_supported")["filename"] == "notes.txt"
    assert_error(api.post(f"/complaints/{c['id']}/documents", data={"kind": "petition"}), 400, "required")
    with PDF.open("rb") as f:
        assert_error(
            api.post(f"/complaints/{c['id']}/documents", files={"file": ("a.pdf", f)}, data={"kind": "memo"}),
            400,
            "bad_value",
        )
    # a document of the district already in the archive, linked; again: the same one, not twice
    own = add_text_document(archive, "หนังสือตอบกลับจากอำเภอ", "KKN-01")
    r = api.post(f"/complaints/{c['id']}/documents/link", json={"document_id": own, "kind": "reply"})
    assert r.status_code == 201 and r.json()["kind"] == "reply" and r.json()["position"] == 1
    again = api.post(f"/complaints/{c['id']}/documents/link", json={"document_id": own, "kind": "reply"})
    assert again.status_code == 200 and again.json()["position"] == 1
    # again under another kind: the same place, now that kind; without a kind it keeps it
    again = api.post(f"/complaints/{c['id']}/documents/link", json={"document_id": own, "kind": "report"})
    assert again.status_code == 200 and (again.json()["position"], again.json()["kind"]) == (1, "report")
    again = api.post(f"/complaints/{c['id']}/documents/link", json={"document_id": own})
    assert again.status_code == 200 and again.json()["kind"] == "report"
    # one of another province may not be linked (it looks like no document at all)
    theirs = add_text_document(archive, "เอกสารของเชียงใหม่", "CMI")
    assert_error(api.post(f"/complaints/{c['id']}/documents/link", json={"document_id": theirs}), 404, "not_found")
    assert_error(api.post(f"/complaints/{c['id']}/documents/link", json={"document_id": 10**9}), 404, "not_found")
    # an upload: stored, OCR'd in the background, filed after the linked one
    with PDF.open("rb") as f:
        r = api.post(f"/complaints/{c['id']}/documents", files={"file": ("คำร้อง.pdf", f)}, data={"kind": "evidence"})
    assert r.status_code == 201, r.text
    up = r.json()
    assert up["position"] == 2 and up["kind"] == "evidence" and up["filename"] == "คำร้อง.pdf"
    wait_for("OCR", lambda: api.get(f"/documents/{up['document_id']}").json()["state"] == "done")
    listed = api.get(f"/complaints/{c['id']}/documents").json()["documents"]
    assert [(d["document_id"], d["kind"], d["position"]) for d in listed] == [
        (own, "report", 1),
        (up["document_id"], "evidence", 2),
    ]
    assert api.get(f"/complaints/{c['id']}").json()["document_count"] == 2
    # the same bytes again: that document, already filed
    with PDF.open("rb") as f:
        again = api.post(f"/complaints/{c['id']}/documents", files={"file": ("copy.pdf", f)})
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert again.json()["document_id"] == up["document_id"] and again.json()["kind"] == "evidence"  # no kind: kept
    # the district's search finds the upload (its complaint's area) by a word in it
    wait_for("the index", lambda: api.get("/search", params={"q": PDF_WORD}).json()["total"])
