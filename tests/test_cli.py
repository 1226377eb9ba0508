"""The command-line contract the benches and scripts rely on, through the real `damrong` command."""

import json
import os
import signal
import subprocess
import sys
import time

from tests.conftest import damrong, wait_for_ocr


def _commands(*args: str) -> list[str]:
    """The command names a `--help` lists."""
    out = subprocess.run([*args, "--help"], capture_output=True, text=True, check=True, timeout=60).stdout
    listed = out.split("Commands:", 1)[1]
    return sorted(line.split()[0] for line in listed.splitlines() if line.startswith("  ") and line.split())


def test_every_way_of_starting_the_command_knows_every_command():
    """`damrong`, `python -m cli` (how the web server starts scan processes) and `python -m cli.main`
    are one command group: the same commands, however it is started."""
    exe = os.path.join(os.path.dirname(sys.executable), "damrong")
    names = _commands(exe)
    assert {
        "init",
        "ingest",
        "ocr",
        "search",
        "serve",
        "worker",
        "scan",
        "card",
        "complaint",
        "export-case",
        "news",
        "report",
        "stats",
        "peer",
        "categories",
    } <= set(names)
    assert len(names) == 27
    assert _commands(sys.executable, "-m", "cli") == names
    assert _commands(sys.executable, "-m", "cli.main") == names


def test_ocr_ingest_search_contract(home, petition_png, letter_png, tmp_path):
    out = json.loads(damrong("ocr", str(petition_png), "--json", home=home).stdout)
    assert out["pages"][0]["number"] == 1 and "ขอความช่วยเหลือ" in out["pages"][0]["text"]
    assert out["fields"]["citizen_id"] == "3174218096795" and out["kind"] == "petition"
    assert out["field_confidence"]["citizen_id"] >= 0.9  # the check digit agrees
    assert set(out["field_confidence"]) == set(out["fields"])
    assert not (home / "damrong.sqlite3").exists()  # `ocr` stores nothing

    r = damrong("ingest", str(petition_png), str(letter_png), "--json", home=home)
    docs = [json.loads(line) for line in r.stdout.splitlines()]
    assert [d["filename"] for d in docs] == ["petition.png", "letter.png"]
    assert all(d["state"] == "done" and not d["duplicate"] and len(d["sha256"]) == 64 for d in docs)

    again = json.loads(damrong("ingest", str(petition_png), "--json", home=home).stdout)
    assert again["duplicate"] and again["document_id"] == docs[0]["document_id"]

    res = json.loads(damrong("search", "ทองประเสริฐ", "--json", "--limit", "5", home=home).stdout)
    assert res["total"] == 1
    hit = res["hits"][0]
    assert hit["filename"] == "petition.png" and hit["document_id"] == docs[0]["document_id"]
    assert "<mark>" in hit["snippet"] and isinstance(hit["score"], float)

    res = json.loads(damrong("search", "มท ๐๒๐๕.๓/ว ๔๗๗๗", "--json", home=home).stdout)
    assert [h["filename"] for h in res["hits"]] == ["letter.png"]


def test_ingest_as_a_user_files_for_that_users_centre(archive, home, petition_png):
    """`damrong ingest FILE --as CID`: each centre that files the same bytes gets its own document
    record (the object stored once); the same centre filing again finds its own."""
    from sqlalchemy import select

    from records.models import Area, Document
    from tests.conftest import make_user

    first = make_user(archive, "counter", "KKN-01", seed=801)
    second = make_user(archive, "counter", "KKN-02", seed=802)
    one = json.loads(damrong("ingest", str(petition_png), "--as", first.citizen_id, "--json", home=home).stdout)
    two = json.loads(damrong("ingest", str(petition_png), "--as", second.citizen_id, "--json", home=home).stdout)
    assert one["state"] == two["state"] == "done" and not one["duplicate"] and not two["duplicate"]
    assert one["document_id"] != two["document_id"] and one["sha256"] == two["sha256"]
    again = json.loads(damrong("ingest", str(petition_png), "--as", first.citizen_id, "--json", home=home).stdout)
    assert again["duplicate"] and again["document_id"] == one["document_id"]
    with archive.db.session() as s:
        rows = {d.id: d for d in s.scalars(select(Document))}
        codes = {d.id: s.get(Area, d.area_id).code for d in rows.values()}
        assert codes == {one["document_id"]: "KKN-01", two["document_id"]: "KKN-02"}
        assert rows[two["document_id"]].fields["citizen_id"] == "3174218096795"
    assert len(list((home / "objects").rglob(one["sha256"]))) == 1
    refused = damrong("ingest", str(petition_png), "--as", "1234", "--json", home=home, check=False)
    assert refused.returncode != 0 and json.loads(refused.stdout)["error"] == "not_found"


def test_ingest_reports_bad_files_and_exit_code(home, petition_png, tmp_path):
    bad = tmp_path / "bad.png"
    bad.write_text("not an image")
    r = damrong("ingest", str(petition_png), str(bad), "--json", home=home, check=False)
    assert r.returncode == 1
    docs = [json.loads(line) for line in r.stdout.splitlines()]
    assert docs[0]["state"] == "done"
    assert docs[1]["state"] == "rejected" and "not a PDF" in docs[1]["error"]


def test_search_bad_date_is_a_clear_error(home):
    damrong("init", home=home)
    r = damrong("search", "x", "--from", "32/13/2568", home=home, check=False)
    assert r.returncode != 0 and "not a date" in r.stderr


def test_killed_ingest_resumes_without_loss(home, tmp_path):
    """SIGKILL during OCR leaves the original stored and the document pending; `resume` finishes it."""
    from tests.thai_pages import render_lines, save_pdf

    pages = [render_lines([f"หน้าที่ {i} ตำบลหนองบัว"]) for i in range(12)]
    pdf = save_pdf(pages, tmp_path / "batch.pdf")
    env = {**os.environ, "DAMRONG_HOME": str(home), "DAMRONG_WORKERS": "1"}
    exe = os.path.join(os.path.dirname(sys.executable), "damrong")
    proc = subprocess.Popen(
        [exe, "ingest", str(pdf), "--json"],
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    wait_for_ocr(home, proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    from sqlalchemy import select

    from config import load_settings
    from records.home import Archive
    from records.models import Document

    a = Archive(load_settings(env={}, home=str(home)))
    with a.db.session() as s:
        doc = s.scalar(select(Document))
        assert doc.state.value in ("pending", "processing") and doc.page_count == 0
        assert a.store.verify(doc.sha256)
    a.close()
    r = damrong("resume", home=home)
    assert "resumed 1" in r.stdout
    res = json.loads(damrong("search", "หนองบัว", "--json", home=home).stdout)
    assert [h["filename"] for h in res["hits"]] == ["batch.pdf"]


def test_verify_catches_a_flipped_byte_and_a_missing_index_entry(home, petition_png):
    damrong("ingest", str(petition_png), home=home)
    assert "OK" in damrong("verify", home=home).stdout
    objects = list((home / "objects").glob("??/??/*"))
    original = next(p for p in objects if p.read_bytes()[:4] == b"\x89PNG")
    os.chmod(original, 0o644)
    data = bytearray(original.read_bytes())
    data[100] ^= 0xFF
    original.write_bytes(bytes(data))
    r = damrong("verify", "--json", home=home, check=False)
    assert r.returncode == 1
    problems = json.loads(r.stdout)["problems"]
    assert [p["problem"] for p in problems] == ["corrupt"]
    data[100] ^= 0xFF
    original.write_bytes(bytes(data))
    import shutil

    shutil.rmtree(home / "index")
    r = damrong("verify", "--json", home=home, check=False)
    assert r.returncode == 1
    assert [p["problem"] for p in json.loads(r.stdout)["problems"]] == ["missing from the search index"]
    damrong("reindex", home=home)
    assert damrong("verify", home=home).returncode == 0


def test_backup_wipe_restore_gives_the_same_archive(home, petition_png, letter_png, tmp_path):
    damrong("ingest", str(petition_png), str(letter_png), home=home)
    before = [
        json.loads(damrong("search", q, "--json", home=home).stdout)
        for q in ("ทองประเสริฐ", "มท 0205.3/ว 4777", "3174218096795")
    ]
    dest = tmp_path / "backup"
    r = damrong("backup", str(dest), home=home)
    assert "4 objects (4 new" in r.stdout  # two originals, two archival PDFs
    assert "(0 new" in damrong("backup", str(dest), home=home).stdout  # incremental
    import shutil

    shutil.rmtree(home)
    restored = tmp_path / "restored"
    r = damrong("restore", str(dest), home=restored)
    assert "restored 4 objects and 2 documents" in r.stdout
    after = [
        json.loads(damrong("search", q, "--json", home=restored).stdout)
        for q in ("ทองประเสริฐ", "มท 0205.3/ว 4777", "3174218096795")
    ]
    assert after == before and all(res["total"] >= 1 for res in after)
    assert damrong("verify", home=restored).returncode == 0
    # restoring over a home that holds an archive is refused, and changes nothing
    r = damrong("restore", str(dest), home=restored, check=False)
    assert r.returncode != 0 and "not empty" in r.stderr


def test_postgresql_home_backs_up_with_pg_dump_and_restores(postgres, home, petition_png, tmp_path):
    """A home whose database is PostgreSQL: the same archive, backed up with pg_dump, restored
    with pg_restore into an empty database, gives the same search results and verifies clean."""
    source = {"DAMRONG_DATABASE_URL": postgres()}
    damrong("ingest", str(petition_png), home=home, env=source)
    before = json.loads(damrong("search", "ทองประเสริฐ", "--json", home=home, env=source).stdout)
    assert before["total"] == 1
    dest = tmp_path / "backup"
    damrong("backup", str(dest), home=home, env=source)
    assert (dest / "damrong.pgdump").is_file() and not (dest / "damrong.sqlite3").exists()
    manifest = json.loads((dest / "manifest.json").read_text())
    assert manifest["database"]["file"] == "damrong.pgdump"

    target = {"DAMRONG_DATABASE_URL": postgres()}
    restored = tmp_path / "restored"
    r = damrong("restore", str(dest), home=restored, env=target)
    assert "restored 2 objects and 1 documents" in r.stdout
    assert json.loads(damrong("search", "ทองประเสริฐ", "--json", home=restored, env=target).stdout) == before
    assert damrong("verify", home=restored, env=target).returncode == 0
    r = damrong("restore", str(dest), home=tmp_path / "again", env=target, check=False)  # that database is in use
    assert r.returncode != 0 and "not empty" in r.stderr
    r = damrong("restore", str(dest), home=tmp_path / "sqlite-home", check=False)  # kinds differ
    assert r.returncode != 0 and "differs" in r.stderr


def test_restore_refuses_an_incomplete_or_damaged_backup(home, petition_png, tmp_path):
    damrong("ingest", str(petition_png), home=home)
    dest = tmp_path / "backup"
    damrong("backup", str(dest), home=home)
    obj = next((dest / "objects").glob("??/??/*"))
    obj.write_bytes(obj.read_bytes()[:-1] + b"!")
    r = damrong("restore", str(dest), home=tmp_path / "r1", check=False)
    assert r.returncode != 0 and "damaged" in r.stderr
    (dest / "manifest.json").unlink()
    r = damrong("restore", str(dest), home=tmp_path / "r2", check=False)
    assert r.returncode != 0 and "no complete backup" in r.stderr


def test_verify_finds_deleted_object_and_stale_index_and_repairs_the_index(home, petition_png):
    damrong("ingest", str(petition_png), home=home)
    # a stale index entry: the database text changed after indexing
    import sqlite3

    db = sqlite3.connect(home / "damrong.sqlite3")
    db.execute("UPDATE pages SET text = text || ' แก้ไขแล้ว'")
    db.commit()
    db.close()
    r = damrong("verify", "--json", home=home, check=False)
    assert r.returncode == 1
    assert [p["problem"] for p in json.loads(r.stdout)["problems"]] == ["stale in the search index"]
    r = damrong("verify", "--repair-index", home=home)
    assert "repaired 1 index entries" in r.stdout
    assert json.loads(damrong("search", "แก้ไขแล้ว", "--json", home=home).stdout)["total"] == 1
    assert damrong("verify", "--fast", home=home).returncode == 0
    # a deleted object
    archived = next(p for p in (home / "objects").glob("??/??/*") if p.read_bytes()[:5] == b"%PDF-")
    archived.unlink()
    r = damrong("verify", "--json", "--fast", home=home, check=False)
    assert r.returncode == 1
    assert [(p["object"], p["problem"]) for p in json.loads(r.stdout)["problems"]] == [("archive", "missing")]


def test_sigkill_at_random_points_loses_nothing(home, tmp_path):
    """A batch of intakes killed (SIGKILL) at random moments, again and again: after `resume`,
    every document the archive took is complete, none is half-written, and verify is clean."""
    import random

    from tests.thai_pages import render_lines

    files = []
    for i in range(6):
        p = tmp_path / f"doc{i}.png"
        render_lines([f"เอกสารชุดที่ {i} ตำบลหนองบัว"], px=40, width=900).save(p, dpi=(300, 300))
        files.append(str(p))
    env = {**os.environ, "DAMRONG_HOME": str(home), "DAMRONG_WORKERS": "1"}
    exe = os.path.join(os.path.dirname(sys.executable), "damrong")
    rnd = random.Random(7)
    for _round in range(4):
        proc = subprocess.Popen(
            [exe, "ingest", *files, "--json"],
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rnd.uniform(0.3, 2.5))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    damrong("resume", home=home)
    r = damrong("ingest", *files, "--json", home=home)  # finish the batch: those already in say so
    docs = [json.loads(line) for line in r.stdout.splitlines()]
    assert all(d["state"] == "done" for d in docs)
    assert len({d["document_id"] for d in docs}) == 6
    v = json.loads(damrong("verify", "--json", home=home).stdout)
    assert v["problems"] == [] and v["objects_checked"] == 12
    res = json.loads(damrong("search", "หนองบัว", "--json", home=home).stdout)
    assert res["total"] == 6
