"""Scanning through pyinsane2 and real SANE backends: `pnm` (returns a given PNM file as the
scanned page) and `test` (a feeder of ten sheets, with faults injected by its
read-return-value option, exactly as a jammed or empty device reports them)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from records.models import Document, ScanBatch, ScanPage, ScanState
from tests.conftest import PETITION_LINES, damrong
from tests.thai_pages import render_lines

ROAD_LINES = [
    "เรื่อง ขอให้ตรวจสอบการก่อสร้างถนนในหมู่บ้าน",
    "เรียน ผู้ว่าราชการจังหวัดขอนแก่น",
    "ข้าพเจ้าขอร้องเรียนว่าถนนในหมู่บ้านชำรุดเสียหาย",
    "เป็นหลุมเป็นบ่อมานานกว่าสองปี ทำให้ชาวบ้าน",
    "เดินทางลำบาก ขอได้โปรดพิจารณาช่วยเหลือด้วย",
]


pytestmark = pytest.mark.usefixtures("sane_config")


def pnm(im: Image.Image, path: Path) -> Path:
    im.convert("L").save(path, "PPM")
    return path


def feeder_batch(archive, device="test:0", **options) -> int:
    from scanner import batches

    opts = {"test-picture": "Grid", "read-return-value": "Default", **options}
    return batches.create(archive, device, source="feeder", resolution=100, options=opts)


def test_devices_lists_the_virtual_scanners():
    r = damrong("devices", "--json", home=Path("/tmp"))
    found = {d["name"]: d for d in json.loads(r.stdout)["devices"]}
    assert {"pnm:0", "test:0"} <= set(found)
    assert found["test:0"]["sources"] == ["flatbed", "feeder"]
    assert 300 in found["pnm:0"]["resolutions"]


def test_thai_page_scanned_through_pnm_is_ocrd_and_found(home, tmp_path):
    page = pnm(render_lines(PETITION_LINES), tmp_path / "petition.pnm")
    r = damrong("scan", "--device", "pnm:0", "--option", f"filename={page}", "--json", home=home)
    doc = json.loads(r.stdout.strip().splitlines()[-1])
    assert doc["state"] == "done" and doc["pages"] == 1 and doc["filename"].endswith(".tiff")
    assert doc["fields"]["citizen_id"] == "3174218096795"  # the CLI contract: the operator sees what was read
    hits = json.loads(damrong("search", "ทองประเสริฐ", "--json", home=home).stdout)
    assert [h["document_id"] for h in hits["hits"]] == [doc["document_id"]]


def scan_process(archive, *args: str) -> int:
    """Run a scan process (`python -m cli scan-job BATCH`, or a test one) over this archive."""
    env = {**os.environ, **archive.settings.as_env()}
    return subprocess.run(
        [sys.executable, "-m", *args], env=env, timeout=120, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    ).returncode


def test_feeder_jam_keeps_every_page_before_it_and_the_batch_continues(archive):
    from ingest.pipeline import process
    from scanner import batches

    batch_id = feeder_batch(archive)
    # the paper jams while the fourth sheet feeds
    assert scan_process(archive, "tests.fault_scan", str(batch_id), "3", "SANE_STATUS_JAMMED") == 3
    st = batches.status(archive, batch_id)
    assert st["state"] == "interrupted" and st["error_code"] == "scan_jammed"
    assert [p["position"] for p in st["pages"]] == [1, 2, 3]
    for p in st["pages"]:  # stored, not just listed
        with archive.db.session() as s:
            assert archive.store.verify(s.get(ScanPage, p["id"]).sha256)

    # the jam is cleared; the rest of the stack goes through
    assert scan_process(archive, "cli", "scan-job", str(batch_id)) == 0
    st = batches.status(archive, batch_id)
    more = len(st["pages"]) - 3
    assert st["state"] == "open" and more >= 5 and [p["position"] for p in st["pages"]] == list(range(1, 4 + more))

    [result] = batches.file(archive, batch_id)
    doc = process(archive, result.document_id)
    assert doc.state.value == "done" and doc.page_count == 3 + more
    assert batches.status(archive, batch_id)["state"] == "filed"
    with pytest.raises(batches.BatchError):
        batches.file(archive, batch_id)  # once filed, never filed again


@pytest.mark.parametrize(
    "status,code,thai",
    [
        ("SANE_STATUS_NO_DOCS", "scan_no_docs", "ไม่มีกระดาษ"),
        ("SANE_STATUS_COVER_OPEN", "scan_cover_open", "ฝาเครื่องสแกนเปิด"),
    ],
)
def test_empty_feeder_and_open_cover_say_so_clearly(home, status, code, thai):
    r = damrong(
        "scan",
        "--device",
        "test:0",
        "--source",
        "feeder",
        "--option",
        f"read-return-value={status}",
        "--json",
        home=home,
        check=False,
    )
    assert r.returncode == 1
    out = json.loads(r.stdout)
    assert out["error_code"] == code and thai in out["error_th"] and out["pages"] == 0
    assert "continue" in out["error"].lower() or "press" in out["error"].lower()
    r = damrong(
        "scan",
        "--device",
        "test:0",
        "--source",
        "feeder",
        "--option",
        f"read-return-value={status}",
        home=home,
        check=False,
    )
    assert r.returncode == 1 and thai in r.stderr and "damrong scan --batch" in r.stderr
    docs = json.loads(damrong("search", "ถนน", "--json", home=home).stdout)
    assert docs["total"] == 0


def test_unknown_device_and_missing_source_are_refused(archive):
    from scanner import batches, scan_job

    _n, fault = scan_job.run(archive, batches.create(archive, "nonesuch:0"))
    assert fault.code == "scan_no_device"
    _n, fault = scan_job.run(archive, batches.create(archive, "test:0", source="duplex"))
    assert fault.code == "scan_bad_source" and "feeder" in str(fault)


def _scan_flatbed(archive, batch_id: int, image_path: Path) -> None:
    from scanner import scan_job

    with archive.db.session() as s:
        s.get(ScanBatch, batch_id).options = {"filename": str(image_path)}
        s.commit()
    count, fault = scan_job.run(archive, batch_id)
    assert (count, fault) == (1, None)


def test_blank_pages_are_left_out_and_a_sideways_page_is_turned_upright(archive, tmp_path):
    from ingest.pipeline import process
    from scanner import batches

    sideways = pnm(render_lines(ROAD_LINES, font="Loma").rotate(90, expand=True), tmp_path / "sideways.pnm")
    speckled = Image.new("L", (1400, 1980), 246)  # the empty back of a sheet: paper grain and dust
    draw, rnd = ImageDraw.Draw(speckled), random.Random(7)
    for _ in range(120):
        x, y, r = rnd.randrange(1400), rnd.randrange(1980), rnd.randrange(1, 4)
        draw.ellipse((x, y, x + r, y + r), fill=60)
    blank = pnm(speckled, tmp_path / "blank.pnm")
    upright = pnm(render_lines(PETITION_LINES), tmp_path / "petition.pnm")
    batch_id = batches.create(archive, "pnm:0")
    for path in (sideways, blank, upright):
        _scan_flatbed(archive, batch_id, path)
    batches.analyse_batch(archive, batch_id)
    pages = batches.status(archive, batch_id)["pages"]
    assert [(p["blank"], p["rotation"]) for p in pages] == [(False, 90), (True, 0), (False, 0)]

    [result] = batches.file(archive, batch_id)
    doc = process(archive, result.document_id)
    assert doc.page_count == 2
    assert "ผู้ว่าราชการจังหวัดขอนแก่น" in doc.pages[0].text  # read upright
    assert "ทองประเสริฐ" in doc.pages[1].text


def test_the_user_reorders_rotates_deletes_and_keeps_pages(archive, tmp_path):
    from ingest.pipeline import process
    from scanner import batches

    a = pnm(render_lines(ROAD_LINES[:2], font="Loma"), tmp_path / "a.pnm")
    b = pnm(render_lines(PETITION_LINES[:2]).rotate(180), tmp_path / "b.pnm")
    c = pnm(render_lines(["ลงชื่อ"]), tmp_path / "c.pnm")
    batch_id = batches.create(archive, "pnm:0")
    for path in (a, b, c):
        _scan_flatbed(archive, batch_id, path)
    with archive.db.session() as s:
        s.query(ScanPage).update({"analysed": True, "rotation": 0})  # as if the clean-up saw nothing to do
        s.commit()
    ids = [p["id"] for p in batches.status(archive, batch_id)["pages"]]
    batches.edit_page(archive, ids[1], move_to=1)
    batches.edit_page(archive, ids[1], rotate=90)
    batches.edit_page(archive, ids[1], rotate=90)
    batches.edit_page(archive, ids[2], deleted=True)
    pages = batches.status(archive, batch_id)["pages"]
    assert [p["id"] for p in pages] == [ids[1], ids[0], ids[2]] and pages[0]["rotation"] == 180
    [result] = batches.file(archive, batch_id)
    doc = process(archive, result.document_id)
    assert doc.page_count == 2 and "ข้าพเจ้า" in doc.pages[0].text and "ขอนแก่น" in doc.pages[1].text
    with pytest.raises(batches.BatchError):
        batches.edit_page(archive, ids[0], deleted=True)  # a filed batch is closed


def test_separator_sheets_split_one_run_into_documents(archive, tmp_path):
    from scanner import batches
    from scanner.separator import sheet_image, sheet_pdf

    assert sheet_pdf().startswith(b"%PDF")
    sep = pnm(sheet_image().resize((1240 * 2, 1754 * 2)), tmp_path / "sep.pnm")  # printed, scanned at 300 dpi
    a = pnm(render_lines(ROAD_LINES[:2], font="Loma"), tmp_path / "a.pnm")
    b = pnm(render_lines(PETITION_LINES), tmp_path / "b.pnm")
    batch_id = batches.create(archive, "pnm:0")
    for path in (a, sep, b):
        _scan_flatbed(archive, batch_id, path)
    results = batches.file(archive, batch_id)
    assert len(results) == 2 and all(r.state == "pending" for r in results)
    with archive.db.session() as s:
        assert s.query(Document).count() == 2
    assert [p["separator"] for p in batches.status(archive, batch_id)["pages"]] == [False, True, False]


def test_a_killed_scan_loses_no_page_and_the_batch_can_be_filed(archive):
    from scanner import batches

    batch_id = feeder_batch(archive, **{"read-delay": "true", "read-delay-duration": "200000"})
    env = {**os.environ, **archive.settings.as_env()}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "scan-job", str(batch_id)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while len(batches.status(archive, batch_id)["pages"]) < 2:
        assert time.time() < deadline and proc.poll() is None
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    st = batches.status(archive, batch_id)  # the server (re)reads the batch
    assert st["state"] == "interrupted" and st["error_code"] == "scan_stopped"
    assert len(st["pages"]) >= 2
    with archive.db.session() as s:
        assert all(archive.store.verify(p.sha256) for p in s.query(ScanPage))
    assert batch_id in batches.unfinished(archive)
    [result] = batches.file(archive, batch_id)
    assert result.state == "pending"


def test_a_scan_that_ends_as_the_server_looks_keeps_its_own_outcome(archive, monkeypatch):
    """The server finds the batch scanning, and before it asks whether the process still runs,
    the process records that its scan went well and exits: the batch is open, not interrupted."""
    from records.processes import pid_alive
    from scanner import batches

    batch_id = feeder_batch(archive)
    proc = subprocess.Popen(["sleep", "60"])
    batches.begin_scan(archive, batch_id, proc.pid)

    def ends_just_now(pid):
        if pid == proc.pid and proc.poll() is None:
            batches.end_scan(archive, batch_id)  # the scan process's last words
            proc.kill()
            proc.wait()
        return pid_alive(pid)

    monkeypatch.setattr(batches, "pid_alive", ends_just_now)
    st = batches.status(archive, batch_id)
    assert proc.returncode is not None  # the race did happen
    assert (st["state"], st["error_code"]) == ("open", None)


def test_two_devices_scan_at_once_without_mixing_pages(archive):
    from scanner import batches

    env = {**os.environ, **archive.settings.as_env()}
    grid = feeder_batch(archive, "test:0", **{"read-delay": "true", "read-delay-duration": "20000"})
    black = feeder_batch(
        archive, "test:1", **{"test-picture": "Solid black", "read-delay": "true", "read-delay-duration": "20000"}
    )
    procs = [subprocess.Popen([sys.executable, "-m", "cli", "scan-job", str(b)], env=env) for b in (grid, black)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    with pytest.raises(batches.BatchError):  # one device, one scan at a time
        with archive.db.session() as s:
            s.get(ScanBatch, grid).state, s.get(ScanBatch, grid).scan_pid = ScanState.scanning, os.getpid()
            s.commit()
        batches.create(archive, "test:0")
    with archive.db.session() as s:
        for batch_id, dark in ((grid, False), (black, True)):
            pages = s.query(ScanPage).filter_by(batch_id=batch_id).all()
            assert len(pages) == 10
            for p in pages:
                with Image.open(archive.store.path_for(p.sha256)) as im:
                    mean = float(np.asarray(im.convert("L")).mean())
                assert (mean < 10) == dark


def test_verify_checks_scanned_pages_too(archive, tmp_path):
    from records.verify import verify_archive
    from scanner import batches

    batch_id = batches.create(archive, "pnm:0")
    _scan_flatbed(archive, batch_id, pnm(render_lines(ROAD_LINES[:1], font="Loma"), tmp_path / "a.pnm"))
    assert verify_archive(archive).problems == []
    with archive.db.session() as s:
        page = s.query(ScanPage).one()
        path = archive.store.path_for(page.sha256)
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    problems = verify_archive(archive).problems
    assert [(p["object"], p["problem"], p["owner"]) for p in problems] == [
        ("scan-page", "corrupt", f"scan page {page.id}")
    ]
