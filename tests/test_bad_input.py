"""Bad input: each gets a clear error (or is processed) and the rest of the archive is untouched."""

import pikepdf
import pytest
from PIL import Image
from sqlalchemy import func, select

from ingest.pipeline import intake, process
from records.models import Document, DocumentState
from search.index import open_index
from search.query import search
from tests.thai_pages import render_lines, save_pdf


@pytest.fixture
def filed(archive, petition_png):
    """An archive already holding one document, and a snapshot of what is stored."""
    r = intake(archive, petition_png)
    process(archive, r.document_id)
    open_index(archive).sync()
    return r


def snapshot(archive):
    with archive.db.session() as s:
        done = s.scalar(select(func.count()).select_from(Document).where(Document.state == DocumentState.done))
    objects = {sha: archive.store.path_for(sha).read_bytes() for sha in archive.store}
    return done, objects


def assert_untouched(archive, before):
    done, objects = before
    now_done, now_objects = snapshot(archive)
    assert now_done == done
    for sha, data in objects.items():  # every object stored before is still there, byte for byte
        assert now_objects[sha] == data
    assert [h.filename for h in search(open_index(archive), "ทองประเสริฐ").hits] == ["petition.png"]


def ingest_bad(archive, path):
    r = intake(archive, path)
    if r.document_id and r.state == "pending":
        doc = process(archive, r.document_id)
        return doc.state.value, doc.error
    return r.state, r.error


def test_zero_byte_file(archive, filed, tmp_path):
    before = snapshot(archive)
    p = tmp_path / "empty.pdf"
    p.write_bytes(b"")
    state, error = ingest_bad(archive, p)
    assert state == "rejected" and "empty" in error
    assert_untouched(archive, before)


def test_text_file_named_jpg(archive, filed, tmp_path):
    before = snapshot(archive)
    p = tmp_path / "photo.jpg"
    p.write_text("this is not an image, just text\n" * 10)
    state, error = ingest_bad(archive, p)
    assert state == "rejected" and "not a PDF, TIFF, JPEG or PNG" in error
    assert_untouched(archive, before)


def test_truncated_pdf(archive, filed, tmp_path):
    before = snapshot(archive)
    whole = save_pdf([render_lines(["หน้าที่หนึ่ง"]), render_lines(["หน้าที่สอง"])], tmp_path / "whole.pdf")
    p = tmp_path / "truncated.pdf"
    data = whole.read_bytes()
    p.write_bytes(data[: len(data) // 3])
    state, error = ingest_bad(archive, p)
    assert state == "failed" and "PDF" in error
    assert_untouched(archive, before)
    # the original is kept, as received, so nothing handed in is lost
    with archive.db.session() as s:
        doc = s.scalar(select(Document).where(Document.filename == "truncated.pdf"))
        assert archive.store.path_for(doc.sha256).read_bytes() == p.read_bytes()


def test_decompression_bomb(archive, filed, tmp_path):
    before = snapshot(archive)
    p = tmp_path / "bomb.png"
    # 30000 x 30000 one-bit pixels: a 900-megapixel image in a small file
    Image.new("1", (30000, 30000), 1).save(p, optimize=True)
    assert p.stat().st_size < 2_000_000
    state, error = ingest_bad(archive, p)
    assert state == "failed" and "megapixel limit" in error
    assert_untouched(archive, before)


def test_password_protected_pdf(archive, filed, tmp_path):
    before = snapshot(archive)
    plain = save_pdf([render_lines(["ลับเฉพาะ"])], tmp_path / "plain.pdf")
    p = tmp_path / "locked.pdf"
    with pikepdf.open(plain) as pdf:
        pdf.save(p, encryption=pikepdf.Encryption(owner="o", user="secret"))
    state, error = ingest_bad(archive, p)
    assert state == "failed" and "password" in error
    assert_untouched(archive, before)


def test_two_hundred_page_pdf_is_processed(archive, filed, tmp_path):
    before = snapshot(archive)
    pages = [render_lines([f"หน้า {i}"], px=40, width=400, margin=20) for i in range(1, 201)]
    pages[150] = render_lines(["ตำบลหนองบัว"], px=40, width=500, margin=20)
    p = save_pdf(pages, tmp_path / "long.pdf")
    state, error = ingest_bad(archive, p)
    assert state == "done", error
    open_index(archive).sync()
    with archive.db.session() as s:
        doc = s.scalar(select(Document).where(Document.filename == "long.pdf"))
        assert doc.page_count == 200
        assert "หนองบัว" in doc.pages[150].text
    assert [h.filename for h in search(open_index(archive), "หนองบัว").hits] == ["long.pdf"]
    done, _ = before
    assert snapshot(archive)[0] == done + 1


def test_page_limit_gives_clear_error(archive, tmp_path):
    from dataclasses import replace

    archive.settings = replace(archive.settings, max_pages=3)
    p = save_pdf([render_lines([str(i)], px=30, width=200) for i in range(5)], tmp_path / "five.pdf")
    state, error = ingest_bad(archive, p)
    assert state == "failed" and "5 pages" in error and "limit is 3" in error
