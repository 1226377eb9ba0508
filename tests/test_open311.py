"""The Open311 GeoReport v2 interface (/open311/v2/): services in JSON and XML with their Thai
names, a submitted request is a complaint of the key's centre (channel open311) with its place,
category and phone, refusals in the spec's error format, the status followed from open to closed
with no personal data in what is shown, the area rules of the key's user, bad keys throttled, and
a browser session alone never submitting anything."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import func, select

from records import audit, complaints, users
from records.models import Category, Complaint
from records.throttle import RateLimit
from tests.conftest import PASSWORD, make_user, valid_cid

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
CITIZEN = valid_cid(311311)  # a citizen ID an officer writes into a reason: never shown through Open311


def category(archive, name_th: str) -> Category:
    with archive.db.session() as s:
        return s.scalar(select(Category).where(Category.name_th == name_th))


def key_of(archive, role: str, area: str, seed: int) -> str:
    return users.create_token(archive.db, make_user(archive, role, area, seed=seed).citizen_id, "open311")


def submission(archive, api_key: str, **extra) -> dict:
    return {
        "api_key": api_key,
        "service_code": str(category(archive, "ถนน").id),
        "lat": "๑๖.๔๓๒๑",
        "long": "102.8236",
        "address_string": "หน้าตลาดบางลำภู ถนนกลางเมือง",
        "description": "ถนนเป็นหลุมลึก รถจักรยานยนต์ล้ม",
        "first_name": "สมหญิง",
        "last_name": "ใจงาม",
        "phone": "๐๘๑-๒๓๔-๕๖๗๘",
        "email": "somying@example.com",
        "device_id": "kiosk-7",
        "media_url": "https://photos.example/road.jpg",
        **extra,
    }


def open311_error(r, status: int, fmt: str = "json") -> str:
    """The spec's error body, its description."""
    assert r.status_code == status, r.get_data(as_text=True)
    if fmt == "xml":
        assert r.content_type == XML_TYPE
        root = ET.fromstring(r.data)
        assert root.tag == "errors" and [e.tag for e in root] == ["error"]
        assert root.findtext("error/code") == str(status)
        return root.findtext("error/description") or ""
    assert r.content_type == JSON_TYPE
    body = r.get_json()
    assert isinstance(body, list) and len(body) == 1 and set(body[0]) == {"code", "description"}, body
    assert body[0]["code"] == status and body[0]["description"]
    return body[0]["description"]


def complaint_count(archive) -> int:
    with archive.db.session() as s:
        return s.scalar(select(func.count(Complaint.id)))


# --- services ---------------------------------------------------------------------------------


def test_services_in_json_and_xml_need_no_key_and_keep_thai_names(app, archive):
    client = app.test_client()
    utilities, roads = category(archive, "สาธารณูปโภค"), category(archive, "ถนน")

    r = client.get("/open311/v2/services.json")
    assert r.status_code == 200 and r.content_type == JSON_TYPE
    by_code = {s["service_code"]: s for s in r.get_json()}
    assert by_code[str(utilities.id)] == {
        **by_code[str(utilities.id)],
        "service_name": "สาธารณูปโภค",
        "group": "สาธารณูปโภค",
        "metadata": False,
        "type": "realtime",
    }
    assert by_code[str(roads.id)]["service_name"] == "ถนน"
    assert by_code[str(roads.id)]["group"] == "สาธารณูปโภค"  # a sub-category: its top one's group
    assert "ถนน" in by_code[str(utilities.id)]["keywords"]

    r = client.get("/open311/v2/services.xml")
    assert r.status_code == 200 and r.content_type == XML_TYPE
    root = ET.fromstring(r.data)
    assert root.tag == "services" and {e.tag for e in root} == {"service"}
    xml_names = {e.findtext("service_code"): e.findtext("service_name") for e in root}
    assert xml_names == {code: s["service_name"] for code, s in by_code.items()}
    road = next(e for e in root if e.findtext("service_code") == str(roads.id))
    assert road.findtext("metadata") == "false" and road.findtext("group") == "สาธารณูปโภค"

    english = client.get("/open311/v2/services.json?locale=en").get_json()
    assert {s["service_code"]: s["service_name"] for s in english}[str(roads.id)] == "Roads"
    english = client.get("/open311/v2/services.json", headers={"Accept-Language": "en-US,en;q=0.8"}).get_json()
    assert {s["service_code"]: s["group"] for s in english}[str(roads.id)] == "Public utilities"

    # the definition: no attributes (metadata false)
    r = client.get(f"/open311/v2/services/{roads.id}.json")
    assert r.status_code == 200 and r.get_json() == {"service_code": str(roads.id), "attributes": []}
    root = ET.fromstring(client.get(f"/open311/v2/services/{roads.id}.xml").data)
    assert root.tag == "service_definition" and root.findtext("service_code") == str(roads.id)
    assert root.find("attributes") is not None and len(root.find("attributes")) == 0
    open311_error(client.get("/open311/v2/services/999999.json"), 404)
    open311_error(client.get("/open311/v2/services/999999.xml"), 404, "xml")
    open311_error(client.get("/open311/v2/services.json?jurisdiction_id=NOWHERE"), 404)
    assert client.get("/open311/v2/services.json?jurisdiction_id=KKN-01").status_code == 200

    # the discovery document
    d = client.get("/open311/discovery.json").get_json()
    assert d["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert d["endpoints"][0]["url"].endswith("/open311/v2") and "text/xml" in d["endpoints"][0]["formats"]
    assert d["changeset"] and d["contact"]
    assert ET.fromstring(client.get("/open311/discovery.xml").data).findtext("endpoints/endpoint/url")

    # an unknown path or format, or a method not served: the spec's errors, never a sign-in page
    open311_error(client.get("/open311/v2/nothing.json"), 404)
    open311_error(client.get("/open311/v2/services.csv"), 404)
    open311_error(client.get("/open311/v2/nothing.xml"), 404, "xml")
    r = client.delete("/open311/v2/requests.json")
    open311_error(r, 405)
    assert "POST" in r.headers["Allow"]


# --- submitting -------------------------------------------------------------------------------


def test_a_posted_request_is_a_complaint_of_the_jurisdiction_given(app, archive):
    key = key_of(archive, "officer", "KKN", seed=11)  # a province: may file for its districts
    client = app.test_client()
    r = client.post("/open311/v2/requests.json", data=submission(archive, key, jurisdiction_id="KKN-01"))
    assert r.status_code == 200 and r.content_type == JSON_TYPE, r.get_data(as_text=True)
    (answer,) = r.get_json()
    assert set(answer) == {"service_request_id", "service_notice", "account_id"}
    assert answer["account_id"] is None
    tracking = answer["service_request_id"]
    assert re.fullmatch(r"KKN-25\d\d-\d{6}", tracking)
    assert tracking in answer["service_notice"] and "/follow-up" in answer["service_notice"]

    admin = make_user(archive, "admin", "MOI", seed=1)
    with archive.db.session() as s:
        c = complaints.by_tracking_no(s, admin, tracking)
        assert c is not None
        assert (c.area.code, c.channel, c.phone) == ("KKN-01", "open311", "0812345678")
        assert (c.category.name_th, c.subcategory.name_th) == ("สาธารณูปโภค", "ถนน")
        assert (c.latitude, c.longitude) == (16.4321, 102.8236)
        assert c.address == "หน้าตลาดบางลำภู ถนนกลางเมือง"
        assert c.complainant is None  # no citizen ID asked
        # the officers read who sent it in the summary
        assert c.summary.startswith("ถนนเป็นหลุมลึก") and "สมหญิง ใจงาม" in c.summary and "kiosk-7" in c.summary
        assert c.status.value == "received" and c.due_date is not None
    assert [e.action for e in audit.entries_for(archive.db, "complaint", tracking)] == ["create"]

    # what Open311 shows of it: the description alone — no name, e-mail or phone
    (shown,) = client.get(f"/open311/v2/requests/{tracking}.json?api_key={key}").get_json()
    assert shown["description"] == "ถนนเป็นหลุมลึก รถจักรยานยนต์ล้ม"
    assert shown["service_code"] == str(category(archive, "ถนน").id) and shown["service_name"] == "ถนน"
    assert (shown["lat"], shown["long"], shown["status"]) == (16.4321, 102.8236, "open")
    assert shown["address"] == "หน้าตลาดบางลำภู ถนนกลางเมือง"
    assert shown["media_url"] == "https://photos.example/road.jpg"
    assert shown["agency_responsible"] == "ศูนย์ดำรงธรรมอำเภอเมืองขอนแก่น"
    assert shown["requested_datetime"].endswith("+07:00") and shown["expected_datetime"].endswith("+07:00")
    dt.datetime.fromisoformat(shown["requested_datetime"])
    text = json.dumps(shown, ensure_ascii=False)
    for private in ("สมหญิง", "ใจงาม", "somying", "5678", "kiosk-7"):
        assert private not in text

    # without a jurisdiction: the key's own centre; the bearer header instead of api_key
    district_key = key_of(archive, "counter", "KKN-02", seed=12)
    form = submission(
        archive,
        "",
        service_code=str(category(archive, "ขอความเป็นธรรม").id),
        lat="",
        long="",
        phone="+66 81 234 5679",  # as systems send it
        media_url="",
        first_name="สม\nmedia_url: http://elsewhere.example/x",  # a name is one line: no fake note line
    )
    r = client.post("/open311/v2/requests.xml", data=form, headers={"Authorization": f"Bearer {district_key}"})
    assert r.status_code == 200 and r.content_type == XML_TYPE
    assert r.data.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = ET.fromstring(r.data)
    assert root.tag == "service_requests" and [e.tag for e in root] == ["request"]
    second = root.findtext("request/service_request_id")
    assert "ติดตามสถานะ" in root.findtext("request/service_notice")  # Thai intact
    with archive.db.session() as s:
        c = complaints.by_tracking_no(s, admin, second)
        assert (c.area.code, c.category.name_th, c.subcategory_id, c.latitude) == (
            "KKN-02",
            "ขอความเป็นธรรม",
            None,
            None,
        )
        assert c.phone == "0812345679"
    r = client.get(f"/open311/v2/requests/{second}.json", headers={"Authorization": f"Bearer {district_key}"})
    assert r.get_json()[0]["media_url"] is None


def test_refusals_are_in_the_spec_error_format_and_store_nothing(app, archive):
    key = key_of(archive, "officer", "KKN-01", seed=21)
    client = app.test_client()

    def post(fmt="json", **fields):
        return client.post(f"/open311/v2/requests.{fmt}", data={**submission(archive, key), **fields})

    assert "service_code" in open311_error(post(service_code="", locale="en"), 400)
    open311_error(post(service_code="999999"), 404)  # the spec: a service_code not found
    assert "address_string" in open311_error(post(lat="", long="", address_string="", locale="en"), 400)
    assert "long" in open311_error(post(long="", locale="en"), 400)  # lat and long go together
    open311_error(post(lat="95"), 400)  # our records' own check, said in Open311's names
    assert "9–10" in open311_error(post(phone="12", locale="en"), 400)
    assert "phone" in open311_error(post(phone="", locale="en"), 400)
    open311_error(post(media_url="javascript:alert(1)"), 400)
    open311_error(post("xml", service_code=""), 400, "xml")
    assert "description" in open311_error(post(description="ก" * 4001, locale="en"), 400)
    # the key
    open311_error(post(api_key=""), 403)
    open311_error(post(api_key="dmr_not-a-key"), 403)
    open311_error(post("xml", api_key="dmr_not-a-key"), 403, "xml")
    auditor = submission(archive, key_of(archive, "auditor", "KKN-01", 23))
    open311_error(client.post("/open311/v2/requests.json", data=auditor), 403)  # auditors read, never file
    # jurisdictions: unknown → 404; another district, or the province above → refused
    open311_error(post(jurisdiction_id="NOWHERE"), 404)
    assert "CMI-01" in open311_error(post(jurisdiction_id="CMI-01", locale="en"), 403)
    open311_error(post(jurisdiction_id="KKN"), 403)
    app.config["MAX_CONTENT_LENGTH"] = 2000
    open311_error(post(description="ก" * 2000), 413)  # a body too big: the spec's shape too
    assert complaint_count(archive) == 0


# --- following a request ----------------------------------------------------------------------


def test_the_status_goes_from_open_to_closed_with_no_personal_data_in_its_notes(app, archive):
    key = key_of(archive, "counter", "KKN-01", seed=31)
    officer = make_user(archive, "officer", "KKN-01", seed=32, name="นายเจ้าหน้าที่ ทดสอบ")
    client = app.test_client()
    r = client.post("/open311/v2/requests.json", data=submission(archive, key))
    tracking = r.get_json()[0]["service_request_id"]

    def shown(fmt="json"):
        r = client.get(f"/open311/v2/requests/{tracking}.{fmt}", query_string={"api_key": key})
        assert r.status_code == 200
        if fmt == "xml":
            return ET.fromstring(r.data).find("request")
        (one,) = r.get_json()
        return one

    assert shown()["status"] == "open" and shown("xml").findtext("status") == "open"
    with archive.db.session() as s:
        complaint_id = complaints.by_tracking_no(s, officer, tracking).id
    complaints.transition(archive.db, officer, complaint_id, "in_progress", reason="โทรหาคุณสมหญิง 081-234-5678")
    assert shown()["status"] == "open"
    reason = f"แก้ไขแล้ว แจ้งนางสมหญิง ใจงาม เลขประจำตัว {CITIZEN} โทร 0812345678"
    complaints.transition(archive.db, officer, complaint_id, "closed", reason=reason, outcome="resolved")
    closed, closed_xml = shown(), shown("xml")
    assert closed["status"] == "closed" and closed_xml.findtext("status") == "closed"
    assert closed["status_notes"] == "ยุติเรื่องแล้ว (แก้ไขปัญหาแล้ว)" == closed_xml.findtext("status_notes")
    assert dt.datetime.fromisoformat(closed["updated_datetime"]) >= dt.datetime.fromisoformat(
        closed["requested_datetime"]
    )
    body = client.get(f"/open311/v2/requests/{tracking}.xml?api_key={key}").get_data(as_text=True)
    body += client.get(f"/open311/v2/requests.json?api_key={key}").get_data(as_text=True)
    for private in ("สมหญิง", "ใจงาม", "5678", CITIZEN, "เจ้าหน้าที่ ทดสอบ", "somying"):
        assert private not in body
    english = client.get(f"/open311/v2/requests/{tracking}.json?api_key={key}&locale=en").get_json()[0]
    assert english["status_notes"] == "Closed (Resolved)"

    # the list's status filter follows it
    def listed(**q):
        r = client.get("/open311/v2/requests.json", query_string={"api_key": key, **q})
        return [x["service_request_id"] for x in r.get_json()]

    assert listed(status="closed") == [tracking] and listed(status="open") == []
    assert listed(status="open,closed") == [tracking]
    open311_error(client.get("/open311/v2/requests.json", query_string={"api_key": key, "status": "done"}), 400)


def test_the_area_rules_of_the_keys_user_hold(app, archive):
    mueang = key_of(archive, "officer", "KKN-01", seed=41)
    ban_fang = key_of(archive, "officer", "KKN-02", seed=42)
    province = key_of(archive, "auditor", "KKN", seed=43)  # reads only, its districts' too
    client = app.test_client()
    r = client.post("/open311/v2/requests.json", data=submission(archive, mueang))
    tracking = r.get_json()[0]["service_request_id"]

    def listed(key, fmt="json", **q):
        r = client.get(f"/open311/v2/requests.{fmt}", query_string={"api_key": key, **q})
        assert r.status_code == 200, r.get_data(as_text=True)
        if fmt == "xml":
            return [e.findtext("service_request_id") for e in ET.fromstring(r.data)]
        return [x["service_request_id"] for x in r.get_json()]

    assert listed(mueang) == [tracking] == listed(mueang, "xml") == listed(province)
    open311_error(client.get(f"/open311/v2/requests/{tracking}.json?api_key={ban_fang}"), 404)
    open311_error(client.get(f"/open311/v2/requests/{tracking}.xml?api_key={ban_fang}"), 404, "xml")
    assert listed(ban_fang) == [] and listed(ban_fang, service_request_id=tracking) == []
    assert listed(province, service_request_id=f"{tracking}, KKN-2500-999999") == [tracking]
    open311_error(client.get("/open311/v2/requests/KKN-2500-999999.json", query_string={"api_key": mueang}), 404)
    open311_error(client.get(f"/open311/v2/requests/{tracking}.json"), 403)  # no key, no record

    # the filters: jurisdiction (unknown → 404, outside → refused), service, times
    assert listed(province, jurisdiction_id="KKN-01") == [tracking]
    assert listed(province, jurisdiction_id="KKN-02") == []
    open311_error(
        client.get("/open311/v2/requests.json", query_string={"api_key": ban_fang, "jurisdiction_id": "KKN-01"}), 403
    )
    open311_error(
        client.get("/open311/v2/requests.json", query_string={"api_key": mueang, "jurisdiction_id": "ZZZ"}), 404
    )
    assert listed(mueang, service_code=str(category(archive, "ถนน").id)) == [tracking]
    assert listed(mueang, service_code=str(category(archive, "สาธารณูปโภค").id)) == [tracking]
    power, water = category(archive, "ไฟฟ้า").id, category(archive, "ประปา").id
    assert listed(mueang, service_code=str(power)) == []
    assert listed(mueang, service_code=f"{power},{category(archive, 'ถนน').id}") == [tracking]
    open311_error(
        client.get("/open311/v2/requests.json", query_string={"api_key": mueang, "service_code": f"{water},999999"}),
        404,
    )
    now = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).replace(microsecond=0)
    hour = dt.timedelta(hours=1)
    assert listed(mueang, start_date=(now - hour).isoformat(), end_date=(now + hour).isoformat()) == [tracking]
    assert listed(mueang, end_date=(now - hour).isoformat()) == []
    assert listed(mueang, start_date=(now - hour).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")) == [tracking]
    # "+07:00" sent unencoded arrives as " 07:00": read as meant
    r = client.get(f"/open311/v2/requests.json?api_key={mueang}&start_date={(now - hour).isoformat()}")
    assert [x["service_request_id"] for x in r.get_json()] == [tracking]
    too_long = {"api_key": mueang, "start_date": "2026-01-01", "end_date": "2026-06-01"}
    assert "90" in open311_error(client.get("/open311/v2/requests.json", query_string=too_long), 400)
    open311_error(client.get("/open311/v2/requests.json", query_string={"api_key": mueang, "start_date": "soon"}), 400)


def test_a_browser_session_alone_submits_nothing_and_bad_keys_are_throttled(app, archive):
    officer = make_user(archive, "officer", "KKN-01", seed=51)
    browser = app.test_client()
    page = browser.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    signed_in = browser.post("/login", data={"username": officer.citizen_id, "password": PASSWORD, "csrf_token": token})
    assert signed_in.status_code == 302 and browser.get("/complaints").status_code == 200
    form = submission(archive, "")
    open311_error(browser.post("/open311/v2/requests.json", data=form), 403)
    open311_error(browser.post("/open311/v2/requests.json", data={**form, "csrf_token": token}), 403)
    open311_error(browser.get("/open311/v2/requests.json"), 403)
    assert complaint_count(archive) == 0

    good = key_of(archive, "officer", "KKN-01", seed=52)
    app.extensions["open311_key_limiter"] = RateLimit(archive.db, "open311_key", 3, 600)
    client = app.test_client()
    for _ in range(3):
        open311_error(client.get("/open311/v2/requests.json?api_key=dmr_guess"), 403)
    open311_error(client.get("/open311/v2/requests.json?api_key=dmr_guess"), 429)
    open311_error(client.post("/open311/v2/requests.json", data=submission(archive, good)), 429)  # no oracle
    assert complaint_count(archive) == 0
    assert client.get("/open311/v2/services.json").status_code == 200  # no key, nothing to throttle


@pytest.mark.parametrize("lang", ["th", "en"])
def test_every_channel_has_its_label(lang):
    from thai import messages

    assert messages.text("channel_open311", lang).endswith("(Open311)")
    assert "open311" in complaints.CHANNELS and "open311" not in complaints.FORM_CHANNELS
