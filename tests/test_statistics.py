"""The KPI dashboard (records.statistics, webui.stats_views): what each level counts (a district
its own, a province its districts, central all), % closed against the target, overdue, days to
close, the breakdowns, the twelve months in Thai months, the data-completeness backlog — and every
number on the page opens the complaint list with exactly the complaints it counts."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlalchemy import select, update

from records import complaints, statistics
from records.models import Category, Complaint
from records.statistics import Filters, StatsError
from tests.conftest import client_for, damrong, make_user
from thai.dates import thai_today


def _cat(archive, name: str) -> int:
    with archive.db.session() as s:
        return s.scalar(select(Category.id).where(Category.name_th == name))


def _open(archive, user, category="สาธารณูปโภค", **extra):
    data = {"phone": "0812345678", "category_id": _cat(archive, category), "summary": "ถนนชำรุด"} | extra
    return complaints.create(archive.db, user, data)


def _set(archive, complaint_id: int, **values):
    with archive.db.session() as s:
        s.execute(update(Complaint).where(Complaint.id == complaint_id).values(**values))
        s.commit()


@pytest.fixture
def world(archive):
    return _build(archive)


def _build(archive):
    """Two districts of Khon Kaen and one of Chiang Mai, with complaints in each."""
    one = make_user(archive, "officer", "KKN-01", seed=7101, name="ปลัดหนึ่ง")
    two = make_user(archive, "officer", "KKN-02", seed=7102, name="ปลัดสอง")
    north = make_user(archive, "officer", "CMI-01", seed=7103)
    a = [_open(archive, one, incident_province="ขอนแก่น") for _ in range(4)]
    b = [_open(archive, two, channel="hotline_1567", incident_province="ขอนแก่น") for _ in range(2)]
    c = [_open(archive, north, incident_province="เชียงใหม่")]
    now = dt.datetime(2026, 11, 20, 3, 0)
    for i, days in enumerate((1, 2, 3)):  # three of KKN-01 closed after 1, 2 and 3 days
        complaints.transition(archive.db, one, a[i].id, "closed", "แก้ไขแล้ว", outcome="resolved")
        _set(archive, a[i].id, received_at=now, closed_at=now + dt.timedelta(days=days))
    complaints.transition(archive.db, two, b[0].id, "closed", "แก้ไขแล้ว", outcome="resolved")
    _set(archive, b[0].id, received_at=now, closed_at=now + dt.timedelta(days=10))
    _set(archive, a[3].id, due_date=thai_today() - dt.timedelta(days=1), officer_id=one.id)
    return {"one": one, "two": two, "north": north, "a": a, "b": b, "c": c}


def test_each_level_counts_its_own_and_what_is_under_it(archive, world):
    province = make_user(archive, "officer", "KKN", seed=7104)
    central = make_user(archive, "auditor", "MOI", seed=7105)
    with archive.db.session() as s:
        mine = statistics.dashboard(s, world["one"], Filters())
        prov = statistics.dashboard(s, province, Filters())
        nation = statistics.dashboard(s, central, Filters())
    assert (mine.total, mine.closed, mine.overdue) == (4, 3, 1)
    assert mine.closed_share == 0.75 and not mine.meets_target
    assert mine.median_days == pytest.approx(2.0) and mine.p90_days == pytest.approx(2.8)
    assert (prov.total, prov.closed) == (6, 4)
    assert {x.key: (x.total, x.closed) for x in prov.by_area} == {"KKN-01": (4, 3), "KKN-02": (2, 1)}
    assert prov.median_days == pytest.approx(2.5)  # 1, 2, 3, 10 days
    assert prov.p90_days == pytest.approx(3 + 0.7 * 7)
    assert {x.key: x.total for x in prov.by_channel} == {"walk_in": 4, "hotline_1567": 2}
    assert nation.total == 7
    assert {x.key: x.total for x in nation.by_area} == {"KKN": 6, "CMI": 1}
    officer_line = next(x for x in mine.by_officer if x.key == str(world["one"].id))
    assert (officer_line.total, officer_line.overdue) == (1, 1)


def test_a_district_cannot_look_at_another_and_the_filters_narrow(archive, world):
    with archive.db.session() as s:
        with pytest.raises(StatsError):
            statistics.dashboard(s, world["one"], Filters(area_code="KKN-02"))
        with pytest.raises(StatsError):
            statistics.dashboard(s, world["one"], Filters(area_code="KKN"))
        province = make_user(archive, "officer", "KKN", seed=7106)
        only_two = statistics.dashboard(s, province, Filters(area_code="kkn-02"))
        hotline = statistics.dashboard(s, province, Filters(channel="hotline_1567"))
        later = statistics.dashboard(s, province, Filters(date_from=thai_today()))
    assert only_two.total == 2 and only_two.area.code == "KKN-02"
    assert hotline.total == 2
    assert later.total == 2  # the four moved to 20 November are before today


def test_months_are_thai_months(archive, world):
    # 31 October 2026 at 18:00 UTC is 1 November 01:00 in Thailand
    _set(archive, world["c"][0].id, received_at=dt.datetime(2026, 10, 31, 18, 0))
    with archive.db.session() as s:
        months = statistics.months(s, [Complaint.area_id.isnot(None)], dt.date(2026, 12, 2))
    assert len(months) == 12 and months[0].key == "2026-01" and months[-1].key == "2026-12"
    by_key = {m.key: m for m in months}
    assert by_key["2026-10"].received == 0
    assert by_key["2026-11"].received == 5  # the four moved to 20 November and the Chiang Mai one
    assert by_key["2026-11"].closed == 4 and by_key["2026-11"].last == dt.date(2026, 11, 30)


def test_the_completeness_backlog(archive, world):
    _open(archive, world["one"], category="เรื่องอื่นๆ", subcategory_text="อื่น ๆ")
    stale = _open(archive, world["one"])
    _set(archive, stale.id, updated_at=dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=40))
    _set(archive, world["a"][0].id, outcome=None)
    with archive.db.session() as s:
        d = statistics.dashboard(s, world["one"], Filters())
    assert d.completeness["no_category"] == 1
    assert d.completeness["no_place"] == 2  # the two new ones name no place
    assert d.completeness["no_documents"] == d.total == 6
    assert d.completeness["stale"] == 1
    assert d.completeness["no_outcome"] == 1


def _count(html: str) -> int:
    m = re.search(r'id="complaint-count">\D*([\d,]+)', html)
    assert m, html[:400]
    return int(m.group(1).replace(",", ""))


def test_every_number_on_the_page_opens_the_complaints_it_counts(app, archive, world):
    province = make_user(archive, "officer", "KKN", seed=7107)
    web = client_for(app, archive, province)
    page = web.get("/stats")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "ร้อยละที่ยุติ" in html and "เป้าหมาย 80%" in html
    assert re.search(r"(ม\.ค\.|ธ\.ค\.) 25\d\d", html)  # Buddhist Era months
    links = re.findall(r'<a class="stat-link"[^>]*href="([^"]+)">([\d,]+)</a>', html)
    assert len(links) > 40
    checked = 0
    for href, shown in links:
        listed = web.get(href.replace("&amp;", "&"))
        assert listed.status_code == 200, href
        assert _count(listed.get_data(as_text=True)) == int(shown.replace(",", "")), href
        checked += 1
    assert checked == len(links)
    district = web.get("/stats?area=KKN-02").get_data(as_text=True)
    assert 'id="n-total"' in district and re.search(r'id="n-total"[^>]*>2<', district)


def test_who_may_open_it(app, archive, world):
    counter = make_user(archive, "counter", "KKN-01", seed=7108)
    assert client_for(app, archive, counter).get("/stats").status_code == 403
    web = client_for(app, archive, world["one"])
    refused = web.get("/stats?area=CMI-01")
    assert refused.status_code == 200 and "stats-error" in refused.get_data(as_text=True)
    assert web.get("/stats.json?area=CMI-01").status_code == 404
    data = web.get("/stats.json?from=๐๑/๐๑/๒๕๖๙").get_json()
    assert data["total"] == 4 and data["by_status"]["closed"] == 3 and data["target"] == 0.8
    assert web.get("/stats?from=32/13/2569").get_data(as_text=True).count("stats-error") == 1


def test_a_counted_dashboard_is_served_until_it_is_old_and_the_timer_recounts(archive, world):
    from records import stats_cache

    province = make_user(archive, "officer", "KKN", seed=7109)
    with archive.db.session() as s:
        live = stats_cache.dashboard(s, province, Filters(), max_age_s=300)
        kept = stats_cache.dashboard(s, province, Filters(), max_age_s=300)
    assert live.computed_at is None and kept.computed_at is not None
    assert (kept.total, kept.closed, kept.median_days) == (live.total, live.closed, live.median_days) == (6, 4, 2.5)
    assert [(x.key, x.total) for x in kept.by_area] == [(x.key, x.total) for x in live.by_area]
    assert [m.received for m in kept.months] == [m.received for m in live.months]
    _open(archive, world["one"])
    with archive.db.session() as s:
        assert stats_cache.dashboard(s, province, Filters(), max_age_s=300).total == 6  # as counted
        assert stats_cache.dashboard(s, province, Filters(), max_age_s=0).total == 7  # live
        with pytest.raises(StatsError):  # the area rule holds before any figures are read
            stats_cache.dashboard(s, world["one"], Filters(area_code="KKN"), max_age_s=300)
    out = json.loads(damrong("stats", "warm", "--json", home=archive.settings.home).stdout)
    assert len(out["areas"]) == 78 and {
        k: v for k, v in next(a for a in out["areas"] if a["area"] == "KKN").items() if k != "ms"
    } == {"area": "KKN", "complaints": 7}
    with archive.db.session() as s:
        assert stats_cache.dashboard(s, province, Filters(), max_age_s=300).total == 7


def test_postgresql_counts_the_same_in_one_pass(archive, postgres, tmp_path):
    """The PostgreSQL path (one scan with GROUPING SETS, days to close to the hour) gives what the
    query-per-breakdown path gives on SQLite, for every level and narrowing."""
    from config import load_settings
    from records.home import Archive

    pg = Archive(load_settings(env={}, home=str(tmp_path / "pg"), database_url=postgres()))
    try:
        figures = {}
        for name, a in (("sqlite", archive), ("postgres", pg)):
            people = _build(a)
            province = make_user(a, "officer", "KKN", seed=7110)
            central = make_user(a, "auditor", "MOI", seed=7111)
            _set(a, people["a"][3].id, updated_at=dt.datetime(2026, 1, 1))  # stale
            with a.db.session() as s:
                figures[name] = [
                    statistics.to_json(statistics.dashboard(s, u, f))
                    for u in (people["one"], province, central)
                    for f in (Filters(), Filters(channel="hotline_1567"), Filters(date_from=dt.date(2026, 11, 1)))
                ]
        for fig in (*figures["sqlite"], *figures["postgres"]):
            for name in statistics.LINE_LISTS:
                for line in fig[name]:
                    line["key"] = line["label_th"] if name == "by_officer" else line["key"]  # ids differ
                    line["args"] = {
                        k: v for k, v in line["args"].items() if k not in ("category", "subcategory", "officer")
                    }
                fig[name].sort(key=lambda x: x["key"])
            fig.pop("area_id")
            fig["filters"].pop("category_id")
        assert figures["postgres"] == figures["sqlite"]
        assert figures["postgres"][3]["median_days"] == 2.5 and figures["postgres"][3]["p90_days"] == pytest.approx(7.9)
    finally:
        pg.close()
