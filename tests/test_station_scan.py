"""The counter station scans for a remote server: the scan page asks (`station:NAME`), the
station (`damrong station --scanner`) drives this PC's scanner through SANE and sends the pages
one by one; when the server goes away mid-batch, the pages wait on the counter PC and arrive,
each once, when it is back."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import requests

from records import users
from records.models import ScanBatch, ScanPage
from tests.conftest import damrong_exe, free_port, make_user, start_server, wait_for

OPTIONS = "test-picture=Grid;read-return-value=Default;read-delay=true;read-delay-duration=400000"


def _state(archive, batch_id: int) -> str:
    with archive.db.session() as s:
        return s.get(ScanBatch, batch_id).state.value


def test_the_station_scans_for_the_server_and_a_server_restart_mid_batch_loses_no_page(
    archive, home, sane_config, tmp_path
):
    clerk = make_user(archive, "counter", "KKN-01", seed=91)
    token = users.create_token(archive.db, clerk.citizen_id, "desk-1")
    auth = {"Authorization": f"Bearer {token}"}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DAMRONG_HOME": str(home), "DAMRONG_PROCESSING": "workers"}
    server = start_server(env, port, log=tmp_path / "serve.log")
    spool = tmp_path / "spool"
    station = None
    try:
        # the scan page opened with ?station=desk-1 shows that station's scanner
        page = requests.get(f"{base}/scan?station=desk-1", headers=auth, timeout=10).text
        assert "station:desk-1" in page
        made = requests.post(
            f"{base}/scan/batches",
            json={
                "device": "station:desk-1",
                "station": "desk-1",
                "source": "feeder",
                "resolution": "100",
                "options": OPTIONS,
            },
            headers=auth,
            timeout=10,
        )
        assert made.status_code == 201, made.text
        batch_id = made.json()["id"]
        assert made.json()["state"] == "waiting"
        # another centre's counter with a station of the same name is asked nothing
        other = make_user(archive, "counter", "CMI-01", seed=92)
        other_auth = {"Authorization": f"Bearer {users.create_token(archive.db, other.citizen_id, 'x')}"}
        assert requests.get(f"{base}/api/v1/stations/desk-1/scan", headers=other_auth, timeout=10).status_code == 204

        station = subprocess.Popen(
            [
                damrong_exe(),
                "station",
                "--server",
                base,
                "--name",
                "desk-1",
                "--token",
                token,
                "--scanner",
                "test:0",
                "--no-card",
                "--spool",
                str(spool),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for("the first pages on the server", lambda: len(positions(archive, batch_id)) >= 2, 90, step=0.1)
        server.send_signal(signal.SIGKILL)  # the provincial server goes away mid-batch
        server.wait(timeout=10)
        # the scan goes on at the counter: pages wait in the spool
        wait_for(
            "pages waiting on the counter PC", lambda: any(Path(spool, str(batch_id)).glob("*.png")), 60, step=0.05
        )
        time.sleep(1)
        server = start_server(env, port, log=tmp_path / "serve.log")
        wait_for("the batch to be complete", lambda: _state(archive, batch_id) == "open", 120, step=0.3)
        got = positions(archive, batch_id)
        assert got == list(range(1, 11))  # the test feeder's ten sheets, each once, in order
        # nothing left behind on the counter PC (the station forgets the folder right after the
        # server has taken the batch's end, so a moment after the batch shows complete)
        wait_for("the counter's spool to be empty", lambda: not Path(spool, str(batch_id)).exists(), 10, step=0.05)
        # the server's page shows them, analysed, ready to file
        status = requests.get(f"{base}/scan/batches/{batch_id}.json", headers=auth, timeout=10).json()
        assert len(status["pages"]) == 10 and all(p["analysed"] for p in status["pages"])
    finally:
        if station is not None:
            station.send_signal(signal.SIGTERM)
            try:
                station.wait(timeout=10)
            except subprocess.TimeoutExpired:
                station.kill()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def positions(archive, batch_id: int) -> list[int]:
    from sqlalchemy import select

    with archive.db.session() as s:
        return list(
            s.scalars(select(ScanPage.position).where(ScanPage.batch_id == batch_id).order_by(ScanPage.position))
        )


def test_a_page_sent_out_of_order_or_not_an_image_is_refused_and_a_repeat_is_harmless(archive, app, sane_config):
    from scanner import batches
    from tests.conftest import client_for

    clerk = make_user(archive, "counter", "KKN-01", seed=93)
    c = client_for(app, archive, clerk)
    batch_id = batches.create(archive, "station:desk-2", source="feeder", station="desk-2", area_id=clerk.area_id)
    batches.request_station_scan(archive, batch_id)
    req = c.get("/api/v1/stations/desk-2/scan").get_json()
    assert req["batch_id"] == batch_id and req["next_position"] == 1
    assert c.post(f"/api/v1/stations/desk-2/scan/{batch_id}/begin").status_code == 200
    import io

    from tests.thai_pages import render_lines

    buf = io.BytesIO()
    render_lines(["หน้าแรก"], px=30, width=400).save(buf, "PNG", dpi=(150, 150))
    url = f"/api/v1/stations/desk-2/scan/{batch_id}/pages"
    assert c.put(f"{url}/2", data=buf.getvalue()).status_code == 409  # page 1 first
    first = c.put(f"{url}/1", data=buf.getvalue())
    assert first.status_code == 201
    again = c.put(f"{url}/1", data=buf.getvalue())
    assert (
        again.status_code == 200
        and again.get_json()["duplicate"]
        and again.get_json()["page_id"] == first.get_json()["page_id"]
    )
    bad = c.put(f"{url}/2", data=b"not an image")
    assert bad.status_code == 422 and bad.get_json()["error_code"] == "scan_bad_page"
    assert c.put(f"/api/v1/stations/other/scan/{batch_id}/pages/2", data=buf.getvalue()).status_code == 404
    ended = c.post(f"/api/v1/stations/desk-2/scan/{batch_id}/end", json={"error_code": "scan_jammed"}).get_json()
    assert ended["state"] == "interrupted" and len(ended["pages"]) == 1
