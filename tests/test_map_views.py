"""The incident map's web side (webui/map_views.py) through the real app: who may open it, the
JSON answers under the area rules, a bad filter refused with a clear 400 in Thai and English,
the page's statistics table and its dates in the Buddhist Era, and the tile setting."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from records import complaints
from records.models import Category
from tests.conftest import client_for, make_user


@pytest.fixture
def people(archive):
    return {
        "kkn01": make_user(archive, "officer", "KKN-01", seed=801),
        "kkn02": make_user(archive, "officer", "KKN-02", seed=802),
        "counter": make_user(archive, "counter", "KKN-01", seed=803),
        "auditor": make_user(archive, "auditor", "KKN", seed=804),
        "field": make_user(archive, "field", "KKN-01-02", seed=805),
        "central": make_user(archive, "admin", "MOI", seed=806),
    }


@pytest.fixture
def made(archive, people):
    with archive.db.session() as s:
        cat = s.scalar(select(Category.id).where(Category.name_th == "สาธารณูปโภค"))
    base = {"phone": "0812345678", "category_id": cat, "summary": "ไฟดับ"}
    return {
        "mine": complaints.create(archive.db, people["kkn01"], base | {"latitude": "16.43", "longitude": "102.83"}),
        "theirs": complaints.create(archive.db, people["kkn02"], base | {"latitude": "16.60", "longitude": "102.60"}),
        "no_place": complaints.create(archive.db, people["kkn01"], base),
    }


def _tracking(body) -> set[str]:
    return {f["properties"]["tracking_no"] for f in body["features"]}


def test_who_may_open_the_map(app, archive, people, made):
    for who in ("kkn01", "counter", "auditor", "central"):
        c = client_for(app, archive, people[who])
        assert c.get("/map").status_code == 200, who
        assert c.get("/map/points.json").status_code == 200, who
        assert c.get("/map/areas.json").status_code == 200, who
    field = client_for(app, archive, people["field"])
    for url in ("/map", "/map/points.json", "/map/areas.json"):
        r = field.get(url, headers={"Accept": "application/json"})
        assert r.status_code == 403 and r.get_json()["error"] == "forbidden", url
    anonymous = app.test_client()
    assert anonymous.get("/map").status_code == 302  # to the sign-in page
    assert "/login" in anonymous.get("/map/points.json").headers["Location"]
    page = client_for(app, archive, people["kkn01"]).get("/map").get_data(as_text=True)
    assert 'id="nav-map"' in page and "แผนที่เรื่องร้องเรียน" in page
    assert 'id="nav-map"' not in field.get("/field/").get_data(as_text=True)


def test_the_points_and_areas_follow_the_area_rules(app, archive, people, made):
    mine = client_for(app, archive, people["kkn01"]).get("/map/points.json").get_json()
    assert mine["type"] == "FeatureCollection"
    assert _tracking(mine) == {made["mine"].tracking_no}
    feature = mine["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [102.83, 16.43]}  # GeoJSON: lon, lat
    assert feature["properties"] == {
        "id": made["mine"].id,
        "tracking_no": made["mine"].tracking_no,
        "status": "received",
        "category": "สาธารณูปโภค",
    }
    assert (mine["total"], mine["shown"], mine["not_shown"], mine["limit"]) == (1, 1, 0, 20_000)
    # asking for the other district by name gives nothing of it
    other = client_for(app, archive, people["kkn01"]).get("/map/points.json?area=KKN-02").get_json()
    assert other["features"] == [] and other["total"] == 0
    english = client_for(app, archive, people["kkn01"]).get("/map/points.json?lang=en").get_json()
    assert english["features"][0]["properties"]["category"] == "Public utilities"
    central = client_for(app, archive, people["central"]).get("/map/points.json").get_json()
    assert _tracking(central) == {made["mine"].tracking_no, made["theirs"].tracking_no}

    areas = client_for(app, archive, people["kkn01"]).get("/map/areas.json").get_json()
    assert areas["level"] == "district"
    assert areas["areas"] == [
        {
            "code": "KKN-01",
            "name": "เมืองขอนแก่น",
            "total": 2,
            "with_place": 1,
            "open": 2,
            "closed": 0,
            "closed_pct": 0.0,
            "lat": 16.43,
            "lon": 102.83,
        }
    ]
    provinces = client_for(app, archive, people["central"]).get("/map/areas.json").get_json()
    assert provinces["level"] == "province" and len(provinces["areas"]) == 77
    assert provinces["areas"][0]["code"] == "KKN" and provinces["areas"][0]["total"] == 3


@pytest.mark.parametrize(
    ("query", "code", "th"),
    [
        ("status=lost", "bad_value", "สถานะ ไม่ถูกต้อง"),
        ("category=abc", "bad_value", "ประเภทเรื่อง ไม่ถูกต้อง"),
        ("category=99999", "bad_value", "ประเภทเรื่อง ไม่ถูกต้อง"),
        ("area=XXX-99", "bad_value", "ศูนย์ที่รับผิดชอบ ไม่ถูกต้อง"),
        ("from=31/02/2569", "bad_date", "วันที่ไม่ถูกต้อง ใช้รูปแบบ วว/ดด/ปปปป (พ.ศ.)"),
        ("from=๐๒/๐๓/๒๕๖๙&to=๐๑/๐๓/๒๕๖๙", "bad_value", "วันที่สิ้นสุด ไม่ถูกต้อง"),
    ],
)
def test_a_bad_filter_is_a_clear_400(app, archive, people, query, code, th):
    c = client_for(app, archive, people["kkn01"])
    for url in ("/map/points.json", "/map/areas.json"):
        r = c.get(f"{url}?{query}")
        assert r.status_code == 400, (url, query)
        body = r.get_json()
        assert (body["error"], body["message_th"], body["error_display"]) == (code, th, th)
        assert body["message"] and "{" not in body["message"]
    # the page shows the same words, and keeps the filters that were good
    page = c.get(f"/map?{query}")
    assert page.status_code == 200 and th in page.get_data(as_text=True)


def test_a_level_above_the_users_own_is_refused(app, archive, people):
    r = client_for(app, archive, people["kkn01"]).get("/map/areas.json?level=province")
    assert r.status_code == 400 and r.get_json()["message_th"] == "ระดับพื้นที่ของสถิติ ไม่ถูกต้อง"
    assert client_for(app, archive, people["central"]).get("/map/areas.json?level=district").status_code == 200


def _with_tiles(archive, url: str):
    import dataclasses

    from webui.app import create_app

    archive.settings = dataclasses.replace(archive.settings, map_tile_url=url)
    return create_app(archive, start_worker=False)


def test_the_page_thai_digits_and_buddhist_era_dates(archive, people, made):
    from config import load_settings

    osm = load_settings(env={}).map_tile_url
    assert osm == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"  # the default
    app = _with_tiles(archive, osm)
    c = client_for(app, archive, people["kkn01"])
    html = c.get("/map?from=๑/๑/๒๕๖๙&to=31/12/2569").get_data(as_text=True)
    assert "รับเรื่องระหว่าง 1 ม.ค. 2569 ถึง 31 ธ.ค. 2569" in html
    assert 'data-code="KKN-01"' in html and "เมืองขอนแก่น" in html
    # the script fetches what the page was asked for, and the tiles are OpenStreetMap's by default
    assert "points.json?from=" in html and "tile.openstreetmap.org" in html
    english = c.get("/map?lang=en").get_data(as_text=True)
    assert "Incident map" in english and "Colour by status (markers and cluster rings)" in english
    app.extensions["ingest_worker"].shutdown()


def test_no_tiles_when_the_setting_says_none(archive, people, made):
    app = _with_tiles(archive, "none")
    try:
        c = client_for(app, archive, people["kkn01"])
        html = c.get("/map").get_data(as_text=True)
        assert 'id="map-no-tiles"' in html and "tile.openstreetmap.org" not in html
        assert "tile.openstreetmap.org" not in c.get("/complaints/new").get_data(as_text=True)
    finally:
        app.extensions["ingest_worker"].shutdown()
