"""Scan-to-folder: files a scanner writes into a folder are ingested once, when complete, and
moved to done/ or failed/ — with real OCR, SQLite, Whoosh and the real `damrong watch`."""

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time

from sqlalchemy import select

from ingest.pipeline import intake
from records.models import Document
from scanner.watch_folder import watch
from search.index import open_index
from search.query import search
from tests.conftest import damrong, wait_for_ocr

FAST = {"settle_s": 0.3, "poll_s": 0.1}


def documents(archive) -> list[Document]:
    with archive.db.session() as s:
        return list(s.scalars(select(Document).order_by(Document.id)))


def run_once(archive, folder) -> list[dict]:
    results = []
    watch(archive, folder, once=True, on_result=lambda _p, r: results.append(r), **FAST)
    return results


def left_in(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_file_written_in_chunks_is_ingested_once_when_complete(archive, tmp_path, petition_png):
    folder = tmp_path / "scans"
    folder.mkdir()
    data = petition_png.read_bytes()
    step = len(data) // 6 + 1
    results, stop = [], threading.Event()
    watcher = threading.Thread(
        target=watch,
        args=(archive, folder),
        kwargs={"settle_s": 1.0, "poll_s": 0.2, "stop": stop, "on_result": lambda _p, r: results.append(r)},
    )
    watcher.start()
    try:
        with open(folder / "scan.png", "wb") as f:  # a scanner writing over the network, slowly
            for i in range(0, len(data), step):
                f.write(data[i : i + step])
                f.flush()
                time.sleep(0.4)
        deadline = time.time() + 60
        while not results and time.time() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        watcher.join(timeout=60)
    assert not watcher.is_alive()
    assert [(r["file"], r["state"], r["duplicate"]) for r in results] == [("scan.png", "done", False)]
    docs = documents(archive)
    assert [(d.sha256, d.state.value) for d in docs] == [(hashlib.sha256(data).hexdigest(), "done")]
    assert left_in(folder) == ["done", "failed"]
    assert (folder / "done" / "scan.png").read_bytes() == data
    assert [h.document_id for h in search(open_index(archive), "ทองประเสริฐ").hits] == [docs[0].id]


def test_same_bytes_again_go_to_done_without_a_second_document(archive, tmp_path, petition_png):
    folder = tmp_path / "scans"
    folder.mkdir()
    data = petition_png.read_bytes()
    (folder / "scan.png").write_bytes(data)
    first = run_once(archive, folder)
    (folder / "scan.png").write_bytes(data)  # the same page scanned again, same name
    (folder / "again.png").write_bytes(data)
    again = run_once(archive, folder)
    assert [r["state"] for r in first] == ["done"] and not first[0]["duplicate"]
    assert sorted((r["file"], r["state"], r["duplicate"]) for r in again) == [
        ("again.png", "done", True),
        ("scan.png", "done", True),
    ]
    assert {r["document_id"] for r in first + again} == {documents(archive)[0].id}
    assert len(documents(archive)) == 1
    assert left_in(folder / "done") == ["again.png", "scan (2).png", "scan.png"]  # nothing overwritten
    assert left_in(folder) == ["done", "failed"]


def test_bad_files_go_to_failed_with_a_reason(archive, tmp_path):
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "letter.pdf").write_text("this is text, not a PDF")
    first = run_once(archive, folder)
    (folder / "letter.pdf").write_text("another text file, not a PDF")
    second = run_once(archive, folder)
    assert [r["state"] for r in first + second] == ["rejected", "rejected"]
    assert left_in(folder / "failed") == [
        "letter (2).pdf",
        "letter (2).pdf.reason.txt",
        "letter.pdf",
        "letter.pdf.reason.txt",
    ]
    reason = (folder / "failed" / "letter.pdf.reason.txt").read_text(encoding="utf-8")
    assert "ไม่ใช่ไฟล์ PDF, TIFF, JPEG หรือ PNG" in reason and "not a PDF, TIFF, JPEG or PNG" in reason
    assert (folder / "failed" / "letter.pdf").read_text() == "this is text, not a PDF"
    assert documents(archive) == [] and list(archive.store) == []  # the archive is untouched
    assert left_in(folder) == ["done", "failed"]


def test_damaged_image_fails_in_processing_with_its_reason(archive, tmp_path):
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "page.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    [r] = run_once(archive, folder)
    assert r["state"] == "failed" and r["error_code"] == "image_damaged"
    reason = (folder / "failed" / "page.png.reason.txt").read_text(encoding="utf-8")
    assert "ภาพเสียหาย" in reason and "cannot be decoded" in reason and f"document {r['document_id']}" in reason
    assert [d.state.value for d in documents(archive)] == ["failed"]


def test_restart_after_a_crash_between_intake_and_move(archive, tmp_path, petition_png):
    folder = tmp_path / "scans"
    folder.mkdir()
    scan = folder / "scan.png"
    scan.write_bytes(petition_png.read_bytes())
    stored = intake(archive, scan)  # the watcher stored it, then died before processing and moving it
    assert stored.state == "pending"
    [r] = run_once(archive, folder)
    assert r["duplicate"] and r["state"] == "done" and r["document_id"] == stored.document_id
    assert [(d.id, d.state.value) for d in documents(archive)] == [(stored.document_id, "done")]
    assert left_in(folder) == ["done", "failed"] and left_in(folder / "done") == ["scan.png"]
    assert [h.document_id for h in search(open_index(archive), "ทองประเสริฐ").hits] == [stored.document_id]


def test_cli_watch_once_json(home, tmp_path, petition_png):
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "petition.png").write_bytes(petition_png.read_bytes())
    r = damrong("watch", str(folder), "--once", "--json", "--settle", "0.3", home=home)
    [out] = [json.loads(line) for line in r.stdout.splitlines()]
    assert out["file"] == out["filename"] == "petition.png" and out["state"] == "done" and not out["duplicate"]
    assert out["moved_to"] == str(folder / "done" / "petition.png")
    assert left_in(folder) == ["done", "failed"]
    hits = json.loads(damrong("search", "ทองประเสริฐ", "--json", home=home).stdout)["hits"]
    assert [h["document_id"] for h in hits] == [out["document_id"]]


def test_cli_ctrl_c_finishes_the_file_under_way_then_stops(home, tmp_path, petition_png):
    """Ctrl-C reaches the whole foreground process group: the OCR under way (Tesseract, in the
    process's worker threads) must still finish, and the file be filed as done."""
    folder = tmp_path / "scans"
    folder.mkdir()
    env = {**os.environ, "DAMRONG_HOME": str(home), "DAMRONG_WORKERS": "2"}
    exe = os.path.join(os.path.dirname(sys.executable), "damrong")
    proc = subprocess.Popen(
        [exe, "watch", str(folder), "--json", "--settle", "0.3"],
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        (folder / "petition.png").write_bytes(petition_png.read_bytes())
        wait_for_ocr(home, proc)
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 0, err
    [r] = [json.loads(line) for line in out.splitlines()]
    assert r["state"] == "done", r
    assert left_in(folder / "done") == ["petition.png"]
    assert "stopping after the current file" in err
