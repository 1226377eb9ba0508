"""The incident map's data (records.complaint_map), on a real SQLite home: points only of the
complaints the user may see (a district never gets another district's), the filters as the
complaint list takes them (Thailand's days), the cap, and the statistics per district and per
province checked against the complaints that make them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from records import complaint_map, complaints
from records.complaint_map import MapFilter
from records.complaints import ComplaintError
from records.models import AreaKind, Category, Complaint, ComplaintStatus
from tests.conftest import make_user

# (tracking key, who opens it, its centre, lat, lon); None: no coordinates
PLACES = [
    ("a1", "kkn01", None, 16.43, 102.83),
    ("a2", "kkn01", None, 16.45, 102.85),
    ("a3", "kkn01", None, None, None),
    ("b1", "kkn02", None, 16.60, 102.60),
    ("p1", "province", None, 16.50, 102.70),  # held by the province's own centre
    ("c1", "central", "CMI-01", 18.79, 98.98),
]


@pytest.fixture
def people(archive):
    return {
        "kkn01": make_user(archive, "officer", "KKN-01", seed=701),
        "kkn02": make_user(archive, "officer", "KKN-02", seed=702),
        "province": make_user(archive, "officer", "KKN", seed=703),
        "auditor": make_user(archive, "auditor", "KKN", seed=704),
        "central": make_user(archive, "admin", "MOI", seed=705),
    }


def _category(archive, name_th: str) -> int:
    with archive.db.session() as s:
        return s.scalar(select(Category.id).where(Category.name_th == name_th, Category.parent_id.is_(None)))


@pytest.fixture
def made(archive, people):
    """The complaints of PLACES (utilities), one closed in each KKN district, plus one at a
    sub-district of KKN-01 (forwarded there: it counts for KKN-01)."""
    cat = _category(archive, "สาธารณูปโภค")
    out = {}
    for key, who, area, lat, lon in PLACES:
        data = {"phone": "0812345678", "category_id": cat, "summary": f"เรื่อง {key}"}
        if area:
            data["area_code"] = area
        if lat is not None:
            data |= {"latitude": str(lat), "longitude": str(lon)}
        out[key] = complaints.create(archive.db, people[who], data)
    land = _category(archive, "ที่ดิน")
    out["s1"] = complaints.create(
        archive.db,
        people["kkn01"],
        {"phone": "0812345678", "category_id": land, "latitude": "๑๖.๔๐", "longitude": "๑๐๒.๘๐"},  # Thai digits
    )
    complaints.transition(archive.db, people["kkn01"], out["s1"].id, "forwarded", "ให้ตำบลดูแล", to_area_code="KKN-01-02")
    complaints.transition(archive.db, people["kkn01"], out["a1"].id, "closed", "แก้ไขแล้ว", "resolved")
    complaints.transition(archive.db, people["kkn02"], out["b1"].id, "closed", "แก้ไขแล้ว", "resolved")
    return out


def _nos(found: complaint_map.Points) -> set[str]:
    return {p.tracking_no for p in found.points}


def _no(made, *keys) -> set[str]:
    return {made[k].tracking_no for k in keys}


def test_a_district_never_gets_another_districts_points(archive, people, made):
    with archive.db.session() as s:
        mine = complaint_map.points(s, people["kkn01"])
        assert _nos(mine) == _no(made, "a1", "a2", "s1")  # a3 has no coordinates; b1 is KKN-02's
        assert mine.total == 3 and mine.not_shown == 0
        # naming the other district (or the province above) as the area filter finds nothing more
        assert _nos(complaint_map.points(s, people["kkn01"], MapFilter(area_code="KKN-02"))) == set()
        assert _nos(complaint_map.points(s, people["kkn01"], MapFilter(area_code="KKN"))) == _no(made, "a1", "a2", "s1")
        assert _nos(complaint_map.points(s, people["kkn02"])) == _no(made, "b1")
        # a province sees its districts and its own; central everything
        assert _nos(complaint_map.points(s, people["province"])) == _no(made, "a1", "a2", "b1", "p1", "s1")
        assert _nos(complaint_map.points(s, people["central"])) == _no(made, "a1", "a2", "b1", "p1", "c1", "s1")
        point = next(p for p in mine.points if p.tracking_no == made["s1"].tracking_no)
        assert (point.lat, point.lon, point.status, point.category_th) == (16.40, 102.80, "forwarded", "ที่ดิน")
        assert point.category_en == "Land" and point.id == made["s1"].id


def test_the_filters_status_category_area_and_thai_days(archive, people, made):
    central = people["central"]
    with archive.db.session() as s:
        # received at 23:30 on 1 March 2026 in Thailand = 16:30 UTC; the other two a day later
        s.get(Complaint, made["a1"].id).received_at = dt.datetime(2026, 3, 1, 16, 30)
        s.get(Complaint, made["a2"].id).received_at = dt.datetime(2026, 3, 1, 17, 30)  # 00:30 on the 2nd
        s.get(Complaint, made["b1"].id).received_at = dt.datetime(2026, 3, 2, 10, 0)
        s.commit()
        pts = complaint_map.points
        assert _nos(pts(s, central, MapFilter(status="closed"))) == _no(made, "a1", "b1")
        assert _nos(pts(s, central, MapFilter(category_id=_category(archive, "ที่ดิน")))) == _no(made, "s1")
        assert _nos(pts(s, central, MapFilter(area_code="KKN-01"))) == _no(made, "a1", "a2", "s1")
        assert _nos(pts(s, central, MapFilter(area_code="๔๐๐๑"))) == _no(made, "a1", "a2", "s1")  # DOPA, Thai digits
        one_day = MapFilter(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 1))
        assert _nos(pts(s, central, one_day)) == _no(made, "a1")
        assert _nos(pts(s, central, MapFilter(date_from=dt.date(2026, 3, 2), date_to=dt.date(2026, 3, 2)))) == _no(
            made, "a2", "b1"
        )
        assert _nos(pts(s, central, MapFilter(status="closed", date_from=dt.date(2026, 3, 2)))) == _no(made, "b1")
    with pytest.raises(ComplaintError) as e:
        MapFilter(status="lost")
    assert (e.value.code, e.value.params) == ("bad_value", {"field": "status"})
    with pytest.raises(ComplaintError):
        MapFilter(date_from=dt.date(2026, 3, 2), date_to=dt.date(2026, 3, 1))


def test_the_cap_keeps_the_newest_and_counts_the_rest(archive, people, made):
    with archive.db.session() as s:
        capped = complaint_map.points(s, people["central"], limit=2)
        assert [p.tracking_no for p in capped.points] == [made["s1"].tracking_no, made["c1"].tracking_no]
        assert (capped.total, capped.not_shown) == (6, 4)


def _expected(archive, user, owner_of) -> dict[str | None, dict]:
    """The statistics counted by hand from the complaints themselves: {area code: numbers}."""
    out: dict[str | None, dict] = {}
    with archive.db.session() as s:
        for c in s.scalars(select(Complaint).where(complaints.visible(s, user))):
            row = out.setdefault(owner_of(c.area), {"total": 0, "with_place": 0, "closed": 0, "lats": [], "lons": []})
            row["total"] += 1
            row["closed"] += c.status == ComplaintStatus.closed
            if c.latitude is not None:
                row["with_place"] += 1
                row["lats"].append(c.latitude)
                row["lons"].append(c.longitude)
    return out


def _district_of(a):
    while a is not None and a.kind not in (AreaKind.district, AreaKind.province, AreaKind.central):
        a = a.parent
    return a.code if a is not None and a.kind == AreaKind.district else None


def _province_of(a):
    while a is not None and a.kind not in (AreaKind.province, AreaKind.central):
        a = a.parent
    return a.code if a is not None and a.kind == AreaKind.province else None


def _check(rows, expected) -> None:
    got = {r.area.code if r.area else None: r for r in rows}
    for code, want in expected.items():
        r = got.pop(code)
        assert (r.total, r.with_place, r.closed, r.open) == (
            want["total"],
            want["with_place"],
            want["closed"],
            want["total"] - want["closed"],
        ), code
        assert r.closed_pct == round(100 * want["closed"] / want["total"], 1)
        if want["lats"]:
            lat, lon = r.centroid
            assert lat == pytest.approx(sum(want["lats"]) / len(want["lats"]))
            assert lon == pytest.approx(sum(want["lons"]) / len(want["lons"]))
        else:
            assert r.centroid is None
    assert all(r.total == 0 and r.centroid is None and r.closed_pct is None for r in got.values())


def test_statistics_per_district_match_the_complaints_that_make_them(archive, people, made):
    province = people["province"]
    with archive.db.session() as s:
        rows = complaint_map.area_stats(s, province, AreaKind.district)
        # every district of Khon Kaen, the busiest first, then the province's own complaints
        assert {r.area.code for r in rows if r.area} == set(
            s.scalars(select(complaint_map.Area.code).where(complaint_map.Area.code.like("KKN-__")))
        )
        assert [r.area.code if r.area else None for r in rows[:2]] == ["KKN-01", "KKN-02"]
        assert rows[-1].area is None and rows[-1].total == 1  # p1, held by the province itself
        kkn01 = rows[0]
        # a1 closed, a2 open, a3 without a place, s1 at the sub-district KKN-01-02
        assert (kkn01.total, kkn01.with_place, kkn01.open, kkn01.closed, kkn01.closed_pct) == (4, 3, 3, 1, 25.0)
        assert kkn01.centroid == pytest.approx(((16.43 + 16.45 + 16.40) / 3, (102.83 + 102.85 + 102.80) / 3))
    _check(rows, _expected(archive, province, _district_of))
    with archive.db.session() as s:  # a district sees its own row alone, never a province
        own = complaint_map.area_stats(s, people["kkn01"], AreaKind.district)
        assert [(r.area.code, r.total) for r in own] == [("KKN-01", 4)]
        assert complaint_map.area_stats(s, people["kkn01"], AreaKind.province) == []
        assert complaint_map.levels_for(people["kkn01"]) == [AreaKind.district]
        assert complaint_map.levels_for(people["central"]) == [AreaKind.province, AreaKind.district]


def test_statistics_per_province_and_with_filters(archive, people, made):
    central = people["central"]
    with archive.db.session() as s:
        rows = complaint_map.area_stats(s, central, AreaKind.province)
        assert len(rows) == 77 and rows[0].area.code == "KKN" and rows[0].total == 6
        assert rows[1].area.code == "CMI" and rows[1].total == 1
    _check(rows, _expected(archive, central, _province_of))
    with archive.db.session() as s:
        closed = complaint_map.area_stats(s, central, AreaKind.district, MapFilter(status="closed"))
        assert [(r.area.code, r.total, r.closed) for r in closed if r.total] == [("KKN-01", 1, 1), ("KKN-02", 1, 1)]
        land = complaint_map.area_stats(s, central, AreaKind.province, MapFilter(category_id=_category(archive, "ที่ดิน")))
        assert [(r.area.code, r.total, r.with_place) for r in land if r.total] == [("KKN", 1, 1)]
