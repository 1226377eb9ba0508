"""The incident map in headless Chromium against the production server (gunicorn), with no tile
server to reach (the tile URL points at a closed loopback port) and nothing loaded from any
other host: the markers and clusters are drawn on the plain background, coloured by status
with the Thai legend, only the district's own complaints; a marker's popup leads to the
complaint; the heat layer and the area circles; the page at a phone's width; and the intake
form's picker — a click on the mini-map fills the latitude and longitude, typing moves the
marker, the device's position fills them, and the complaint is saved with them.
Screenshots: /tmp/map-*.png."""

from __future__ import annotations

import os
import re
import signal

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from records import complaints
from records.models import Category, Complaint
from tests.conftest import CHROMIUM, free_port, make_user, sign_in, start_server

if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium on this machine", allow_module_level=True)

pytestmark = pytest.mark.browser

WIDER = """() => [...document.querySelectorAll('body *')]
  .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.right > innerWidth + 1
     && !e.closest('.leaflet-pane'); })
  .slice(0, 5).map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className)"""
# the markers standing alone and the complaints inside the clusters
DRAWN = """() => ({
  single: [...document.querySelectorAll('#incident-map .leaflet-marker-icon.map-marker')].map(e => e.title),
  clustered: [...document.querySelectorAll('#incident-map .marker-cluster')].reduce((n, e) => n + +e.innerText, 0),
})"""
# four in the town of Khon Kaen (close together: a cluster), one 30 km away on its own
PLACES = [(16.4322, 102.8236), (16.4330, 102.8250), (16.4315, 102.8228), (16.4340, 102.8242), (16.20, 102.60)]


def _serve(home, tmp_path, tile_url: str):
    port = free_port()
    env = {**os.environ, "DAMRONG_HOME": str(home), "DAMRONG_MAP_TILE_URL": tile_url}
    return start_server(env, port, log=tmp_path / "serve.log"), f"http://127.0.0.1:{port}"


@pytest.fixture
def served(archive, home, tmp_path):
    """The server over this test's home; tiles asked of a port nothing listens on."""
    server, url = _serve(home, tmp_path, f"http://127.0.0.1:{free_port()}/{{z}}/{{x}}/{{y}}.png")
    yield url
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=20)


@pytest.fixture
def tile_server():
    """An office's own tile server: every tile a pale green PNG; the tiles asked for are noted."""
    import io
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (256, 256), (214, 232, 200)).save(buf, "PNG")
    tile, asked = buf.getvalue(), []

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(tile)))
            self.end_headers()
            self.wfile.write(tile)

        def log_message(self, *args):
            pass

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_port}/tiles/{{z}}/{{x}}/{{y}}.png", asked
    srv.shutdown()
    srv.server_close()


def _context(browser, url, **kw):
    context = browser.new_context(base_url=url, locale="th-TH", timezone_id="Asia/Bangkok", **kw)
    context.set_default_timeout(20_000)
    elsewhere: list[str] = []

    def only_here(route):  # no CDN, no outside tile server: anything not of this machine is refused
        if not route.request.url.startswith("http://127.0.0.1:"):
            elsewhere.append(route.request.url)
            return route.abort()
        return route.continue_()

    context.route("**/*", only_here)
    return context, elsewhere


def _watch(pg) -> list[str]:
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_the_incident_map_without_tiles(browser, archive, served):
    officer = make_user(archive, "officer", "KKN-01", seed=9101, name="นางสาวแผนที่ ทดสอบ")
    other = make_user(archive, "officer", "KKN-02", seed=9102)
    with archive.db.session() as s:
        cat = s.scalar(select(Category.id).where(Category.name_th == "สาธารณูปโภค"))
    base = {"phone": "0812345678", "category_id": cat, "summary": "ไฟฟ้าส่องสว่างดับ"}
    made = [
        complaints.create(archive.db, officer, base | {"latitude": str(lat), "longitude": str(lon)})
        for lat, lon in PLACES
    ]
    complaints.transition(archive.db, officer, made[0].id, "closed", "แก้ไขแล้ว", "resolved")
    complaints.transition(archive.db, officer, made[1].id, "in_progress", "")
    complaints.create(archive.db, officer, base)  # no position: counted, not drawn
    theirs = complaints.create(archive.db, other, base | {"latitude": "16.4325", "longitude": "102.8240"})
    alone = made[4]

    context, elsewhere = _context(browser, served, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors = _watch(pg)
    sign_in(pg, officer)
    pg.click("#nav-map")
    expect(pg).to_have_url(re.compile(r"/map$"))
    expect(pg.locator("h1")).to_have_text("แผนที่เรื่องร้องเรียน")
    pg.wait_for_function("document.getElementById('incident-map').dataset.ready === 'points'")
    pg.wait_for_function("document.getElementById('incident-map').dataset.areas === '1'")
    drawn = pg.evaluate(DRAWN)
    assert alone.tracking_no in drawn["single"]
    assert theirs.tracking_no not in drawn["single"]  # another district's: never sent
    assert len(drawn["single"]) + drawn["clustered"] == 5, drawn
    assert drawn["clustered"] >= 2, drawn  # the town's four are clustered
    expect(pg.locator("#map-count")).to_have_text("แสดง 5 จุด จากเรื่องที่มีพิกัด 5 เรื่อง")
    expect(pg.locator("#map-notice")).to_have_text("โหลดแผนที่พื้นหลังไม่ได้ — แสดงเฉพาะหมุดเรื่องร้องเรียน")
    expect(pg.locator("#map-legend")).to_contain_text("ยุติเรื่องแล้ว")
    expect(pg.locator("#map-legend")).to_contain_text("อยู่ระหว่างดำเนินการ")
    colour = pg.evaluate("getComputedStyle(document.querySelector('#map-legend .status-closed')).backgroundColor")
    assert colour == "rgb(46, 125, 50)"
    assert pg.locator(".area-circle").count() == 1  # the district, at the mean of its points, its count inside
    expect(pg.locator(".leaflet-tooltip.area-count")).to_have_text("6")
    row = pg.locator("#area-stats tr[data-code='KKN-01']")
    assert [row.locator(f"[data-key={k}]").inner_text() for k in ("total", "with_place", "open", "closed")] == [
        "6",
        "5",
        "5",
        "1",
    ]
    assert row.locator("[data-key=closed_pct]").inner_text() == "16.7"
    pg.screenshot(path="/tmp/map-desktop.png", full_page=True)

    pg.check("#layer-heat")
    expect(pg.locator("#incident-map canvas.leaflet-heatmap-layer")).to_have_count(1)
    pg.uncheck("#layer-markers")
    expect(pg.locator("#incident-map .leaflet-marker-icon")).to_have_count(0)
    pg.locator("#incident-map").screenshot(path="/tmp/map-heat.png")
    pg.check("#layer-markers")
    pg.uncheck("#layer-heat")

    pg.locator(f"#incident-map .leaflet-marker-icon[title='{alone.tracking_no}']").click()
    popup = pg.locator(".leaflet-popup-content .map-popup")
    expect(popup.locator(".tracking-no")).to_have_text(alone.tracking_no)
    expect(popup).to_contain_text("รับเรื่องแล้ว")
    expect(popup).to_contain_text("สาธารณูปโภค")
    pg.wait_for_function("getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
    pg.locator("#incident-map").screenshot(path="/tmp/map-popup.png")
    popup.locator(".tracking-no").click()
    expect(pg).to_have_url(re.compile(rf"/complaints/{alone.id}$"))
    expect(pg.locator("h1")).to_contain_text(alone.tracking_no)

    # a cluster opens up when clicked, and the filters narrow what is drawn
    pg.goto("/map?status=closed")
    pg.wait_for_function("document.getElementById('incident-map').dataset.ready === 'points'")
    assert pg.evaluate(DRAWN) == {"single": [made[0].tracking_no], "clustered": 0}
    pg.goto("/map?lang=en")
    pg.wait_for_function("document.getElementById('incident-map').dataset.ready === 'points'")
    expect(pg.locator("#map-legend")).to_contain_text("Closed")
    expect(pg.locator("#map-count")).to_have_text("5 of the 5 complaints with a position shown")
    pg.goto("/map?lang=th")
    assert elsewhere == [] and errors == [], (elsewhere, errors)
    context.close()

    # at a phone's width: nothing wider than the screen, the table as cards
    phone, elsewhere = _context(browser, served, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    pg = phone.new_page()
    errors = _watch(pg)
    sign_in(pg, officer)
    pg.goto("/map")
    pg.wait_for_function("document.getElementById('incident-map').dataset.ready === 'points'")
    pg.wait_for_function("document.getElementById('incident-map').dataset.areas === '1'")
    assert pg.evaluate(WIDER) == []
    nav = pg.locator("header nav a").evaluate_all("links => links.map(a => a.getClientRects().length)")
    assert set(nav) == {1}, nav  # no link broken over two lines
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    assert pg.locator("#incident-map").bounding_box()["width"] <= 390
    pg.screenshot(path="/tmp/map-phone.png", full_page=True)
    assert elsewhere == [] and errors == [], (elsewhere, errors)
    phone.close()


def test_the_intake_form_picks_the_place_on_a_map(browser, archive, served):
    counter = make_user(archive, "counter", "KKN-01", seed=9201)
    context, elsewhere = _context(
        browser,
        served,
        viewport={"width": 1280, "height": 900},
        permissions=["geolocation"],
        geolocation={"latitude": 16.4419, "longitude": 102.8360, "accuracy": 12},
    )
    pg = context.new_page()
    errors = _watch(pg)
    sign_in(pg, counter)
    pg.goto("/complaints/new")
    expect(pg.locator("#pick-map-box")).to_be_visible()
    expect(pg.locator("#latitude")).to_have_value("")
    box = pg.locator("#pick-map").bounding_box()
    pg.locator("#pick-map").click(position={"x": box["width"] / 2, "y": box["height"] / 2})  # mid-Thailand
    lat, lon = float(pg.input_value("#latitude")), float(pg.input_value("#longitude"))
    assert 10 < lat < 16 and 99 < lon < 103, (lat, lon)
    assert re.fullmatch(r"\d+\.\d{6}", pg.input_value("#latitude"))
    expect(pg.locator("#pick-map .leaflet-marker-icon")).to_have_count(1)
    pg.locator("#pick-map-box").screenshot(path="/tmp/map-intake-click.png")

    # typed (Thai digits): the marker goes there
    pg.fill("#latitude", "๑๖.๔๓๒๒")
    pg.fill("#longitude", "๑๐๒.๘๒๓๖")
    moved = pg.evaluate(
        """() => { const m = document.querySelector('#pick-map .leaflet-marker-icon').getBoundingClientRect();
                   const b = document.getElementById('pick-map').getBoundingClientRect();
                   return [m.left + m.width / 2 - b.left, m.bottom - b.top, b.width, b.height]; }"""
    )
    assert abs(moved[0] - moved[2] / 2) < 3 and abs(moved[1] - moved[3] / 2) < 3, moved  # centred on it

    pg.click("#use-my-position")
    expect(pg.locator("#latitude")).to_have_value("16.441900")
    expect(pg.locator("#longitude")).to_have_value("102.836000")
    expect(pg.locator("#position-status")).to_have_text("ได้ตำแหน่งแล้ว (คลาดเคลื่อนประมาณ 12 ม.)")
    pg.locator("#pick-map-box").screenshot(path="/tmp/map-intake-position.png")

    pg.fill("#phone", "0812345678")
    pg.select_option("#category_id", label="สาธารณูปโภค")
    pg.fill("#summary", "ไฟฟ้าดับทั้งซอย")
    pg.click("#save-complaint")
    expect(pg).to_have_url(re.compile(r"/complaints/\d+$"))
    with archive.db.session() as s:
        c = s.scalar(select(Complaint).order_by(Complaint.id.desc()))
        assert (c.latitude, c.longitude) == (16.4419, 102.836)
    assert elsewhere == [] and errors == [], (elsewhere, errors)
    context.close()


def test_the_typed_inputs_work_without_javascript(browser, archive, served):
    counter = make_user(archive, "counter", "KKN-01", seed=9301)
    context, _elsewhere = _context(browser, served, java_script_enabled=False)
    pg = context.new_page()
    sign_in(pg, counter)
    pg.goto("/complaints/new")
    expect(pg.locator("#pick-map-box")).to_be_hidden()
    pg.fill("#phone", "0812345678")
    pg.select_option("#category_id", label="สาธารณูปโภค")
    pg.fill("#summary", "ถนนชำรุด")
    pg.fill("#latitude", "๑๖.๕")
    pg.fill("#longitude", "102.75")
    pg.click("#save-complaint")
    expect(pg).to_have_url(re.compile(r"/complaints/\d+$"))
    with archive.db.session() as s:
        c = s.scalar(select(Complaint).order_by(Complaint.id.desc()))
        assert (c.latitude, c.longitude) == (16.5, 102.75)
    context.close()


def test_the_tiles_of_an_offices_own_tile_server(browser, archive, home, tmp_path, tile_server):
    tile_url, asked = tile_server
    officer = make_user(archive, "officer", "KKN-01", seed=9401)
    with archive.db.session() as s:
        cat = s.scalar(select(Category.id).where(Category.name_th == "สาธารณูปโภค"))
    complaints.create(
        archive.db, officer, {"phone": "0812345678", "category_id": cat, "latitude": "16.43", "longitude": "102.83"}
    )
    server, url = _serve(home, tmp_path, tile_url)
    try:
        context, elsewhere = _context(browser, url, viewport={"width": 1024, "height": 800})
        pg = context.new_page()
        sign_in(pg, officer)
        pg.goto("/map")
        pg.wait_for_function("document.getElementById('incident-map').dataset.ready === 'points'")
        pg.wait_for_function("document.querySelectorAll('#incident-map img.leaflet-tile-loaded').length > 0")
        assert all(re.fullmatch(r"/tiles/\d+/\d+/\d+\.png", p) for p in asked) and asked
        expect(pg.locator("#map-notice")).to_be_hidden()
        expect(pg.locator("#incident-map .leaflet-marker-icon.map-marker")).to_have_count(1)
        pg.locator("#incident-map").screenshot(path="/tmp/map-own-tiles.png")
        assert elsewhere == []
        context.close()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
