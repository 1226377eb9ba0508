"""Documents in, Thai text out, found by search: real Tesseract, real SQLite, real Whoosh."""

import datetime as dt
import threading

import pikepdf
from sqlalchemy import select

from ingest.pipeline import intake, process
from records.models import Document, DocumentState, Page
from search.index import open_index
from search.query import search
from tests.conftest import CORPUS, SAMPLES
from tests.thai_pages import render_lines, save_pdf, save_tiff


def ingest_all(archive, *paths):
    out = []
    for p in paths:
        r = intake(archive, p)
        assert r.document_id, r.error
        if not r.duplicate:
            doc = process(archive, r.document_id)
            assert doc.state == DocumentState.done, doc.error
        out.append(r)
    open_index(archive).sync()
    return out


def filenames(res):
    return [h.filename for h in res.hits]


def test_scanned_petition_found_by_word_name_and_id(archive, petition_png):
    ingest_all(archive, petition_png)
    with archive.db.session() as s:
        doc = s.scalar(select(Document))
        assert doc.page_count == 1 and doc.text_source == "ocr"
        assert doc.pages[0].confidence and doc.pages[0].confidence > 50
        assert "ขอความช่วยเหลือ" in doc.text
        assert "ํา" not in doc.text  # SARA AM normalised
        assert doc.fields.get("citizen_id") == "3174218096795"
        assert archive.store.verify(doc.sha256) and archive.store.verify(doc.archive_sha256)
    for q in [
        "ขอความช่วยเหลือ",
        "ทองประเสริฐ",
        "3174218096795",
        "3-1742-18096-79-5",
        "๓๑๗๔๒๑๘๐๙๖๗๙๕",
        "3 1742 18096 79 5",
        "0812345678",
    ]:
        res = search(open_index(archive), q)
        assert filenames(res) == ["petition.png"], q
        assert res.hits[0].tier == "exact", q
    hit = search(open_index(archive), "ทองประเสริฐ").hits[0]
    assert "<mark>ทองประเสริฐ</mark>" in hit.snippet
    assert search(open_index(archive), "เชียงใหม่").total == 0


def file_text(archive, name: str, text: str, doc_date=None) -> int:
    """File a document with a known text, bypassing OCR, to test search logic exactly."""
    from ingest.fields import extract_fields
    from records.models import IndexOutbox

    with archive.db.session() as s:
        n = s.query(Document).count()
        d = Document(
            sha256=f"{n + 1:064x}",
            filename=name,
            media_type="image/png",
            size_bytes=1,
            state=DocumentState.done,
            fields=extract_fields(text),
            page_count=1,
            doc_date=doc_date,
        )
        d.pages = [Page(number=1, text=text, source="ocr")]
        s.add(d)
        s.flush()
        s.add(IndexOutbox(document_id=d.id))
        s.commit()
        doc_id = d.id
    open_index(archive).sync()
    return doc_id


def test_document_number_in_either_digit_set(archive):
    file_text(archive, "letter.png", "ที่ มท ๐๒๐๕.๓/ว ๔๗๗๗\nกรมการปกครอง\nเรื่อง การเร่งรัดการยุติเรื่องร้องเรียน")
    file_text(archive, "other.png", "ที่ มท ๐๒๐๕.๓/ว ๔๗๗๘\nเรื่อง อื่น")
    for q in ["มท ๐๒๐๕.๓/ว ๔๗๗๗", "มท 0205.3/ว 4777", "มท0205.3/ว4777", "มท 0205.3 ว 4777"]:
        res = search(open_index(archive), q)
        assert filenames(res)[0] == "letter.png", q
        assert res.hits[0].tier == "exact" and all(h.tier != "exact" for h in res.hits[1:]), q
    hit = search(open_index(archive), "มท 0205.3/ว 4777").hits[0]
    assert "<mark>มท ๐๒๐๕.๓/ว ๔๗๗๗</mark>" in hit.snippet


def test_id_number_split_over_two_lines(archive):
    file_text(archive, "petition.png", "เลขประจำตัวประชาชน ๓-๑๗๔๒-\n๑๘๐๙๖-๗๙-๕ อยู่บ้านเลขที่ ๘/๙")
    for q in ["3174218096795", "3-1742-18096-79-5", "๓ ๑๗๔๒ ๑๘๐๙๖ ๗๙ ๕"]:
        assert filenames(search(open_index(archive), q)) == ["petition.png"], q


def test_ocr_reads_a_letter_number(archive, tmp_path):
    """Through real OCR: a letter whose number Tesseract reads, found in both digit sets."""
    p = tmp_path / "letter.png"
    render_lines(["เลขที่หนังสือ สน 1021.4/ว 7323", "เรื่อง การเร่งรัดการยุติเรื่องร้องเรียน"]).save(p, dpi=(300, 300))
    ingest_all(archive, p)
    for q in ["สน 1021.4/ว 7323", "สน ๑๐๒๑.๔/ว ๗๓๒๓"]:
        assert filenames(search(open_index(archive), q)) == ["letter.png"], q


def test_multipage_pdf_and_tiff_compressions(archive, tmp_path):
    p1 = render_lines(["หน้าที่หนึ่ง ตำบลหนองบัว"])
    p2 = render_lines(["หน้าที่สอง อำเภอเมือง"])
    files = [save_pdf([p1, p2], tmp_path / "scan.pdf")]
    for comp in ("group4", "tiff_lzw", "jpeg"):
        files.append(save_tiff([p1, p2], tmp_path / f"scan-{comp}.tiff", comp))
    jpg = tmp_path / "one.jpg"
    p2.save(jpg, quality=90, dpi=(300, 300))
    files.append(jpg)
    ingest_all(archive, *files)
    with archive.db.session() as s:
        docs = {d.filename: d for d in s.scalars(select(Document))}
        for name in ["scan.pdf", "scan-group4.tiff", "scan-tiff_lzw.tiff", "scan-jpeg.tiff"]:
            assert docs[name].page_count == 2, name
            assert [p.number for p in docs[name].pages] == [1, 2]
            assert "หนองบัว" in docs[name].pages[0].text, name
    assert set(filenames(search(open_index(archive), "หนองบัว"))) == {
        "scan.pdf",
        "scan-group4.tiff",
        "scan-tiff_lzw.tiff",
        "scan-jpeg.tiff",
    }
    # the archival copy holds every page and its text layer
    with archive.db.session() as s:
        doc = s.scalar(select(Document).where(Document.filename == "scan.pdf"))
        with pikepdf.open(archive.store.path_for(doc.archive_sha256)) as pdf:
            assert len(pdf.pages) == 2
            meta = pdf.open_metadata()
            assert meta.get("pdfaid:part") == "2" and meta.get("pdfaid:conformance") == "B"
    import subprocess

    text = subprocess.run(
        ["pdftotext", str(archive.store.path_for(doc.archive_sha256)), "-"], capture_output=True, text=True
    ).stdout
    assert "ห" in text and "บ" in text


def test_born_digital_pdf_uses_sound_text_layer(archive):
    src = (CORPUS if (CORPUS / "p11_004.pdf").is_file() else SAMPLES) / "p11_004.pdf"
    ingest_all(archive, src)
    with archive.db.session() as s:
        doc = s.scalar(select(Document))
        assert doc.text_source == "text-layer"
        # the text layer repaired: no unmapped glyphs, marks in order, SARA AM whole
        assert "(cid:" not in doc.text and "เร่ือง" not in doc.text
        assert "ศูนย์ดำรงธรรมอำเภอคำชะอี" in doc.text
        assert doc.fields["citizen_id"] == "4679160110845"
    assert filenames(search(open_index(archive), "4-6791-60110-84-5")) == ["p11_004.pdf"]
    assert filenames(search(open_index(archive), "บุรณศิริ")) == ["p11_004.pdf"]


def test_broken_text_layer_is_ocrd(archive, tmp_path):
    """A PDF whose text layer is garbage (scrambled marks) is OCR'd instead."""
    from tests.thai_pages import render_lines

    img = render_lines(["ขอความช่วยเหลือ ตำบลหนองบัว"])
    pdf_path = save_pdf([img], tmp_path / "layered.pdf")
    # lay a scrambled invisible text layer over it
    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        font = pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
        )
        page.Resources.Font = pikepdf.Dictionary(F1=font)
        garbage = "BT /F1 12 Tf 3 Tr 10 10 Td (" + "xq~" * 40 + ") Tj ET"
        page.contents_add(pdf.make_stream(garbage.encode()), prepend=False)
        pdf.save(pdf_path)
    ingest_all(archive, pdf_path)
    with archive.db.session() as s:
        doc = s.scalar(select(Document))
        assert doc.text_source == "ocr"
        assert "หนองบัว" in doc.text


def test_same_bytes_twice_is_one_document(archive, petition_png, tmp_path):
    copy = tmp_path / "copy-with-another-name.png"
    copy.write_bytes(petition_png.read_bytes())
    first = intake(archive, petition_png)
    second = intake(archive, copy)
    assert not first.duplicate and second.duplicate
    assert second.document_id == first.document_id
    with archive.db.session() as s:
        assert len(list(s.scalars(select(Document)))) == 1


def test_date_filter_and_newest_first(archive):
    file_text(archive, "old.png", "วันที่ ๑ มกราคม ๒๕๖๐ ตำบลหนองบัว", dt.date(2017, 1, 1))
    file_text(archive, "new.png", "วันที่ ๑ มีนาคม ๒๕๖๗ ตำบลหนองบัว", dt.date(2024, 3, 1))
    with archive.db.session() as s:  # the date comes from the text, Buddhist Era converted
        assert {d.filename: d.fields.get("date") for d in s.scalars(select(Document))} == {
            "old.png": "2017-01-01",
            "new.png": "2024-03-01",
        }
    assert filenames(search(open_index(archive), "หนองบัว", order="newest")) == ["new.png", "old.png"]
    assert filenames(search(open_index(archive), "หนองบัว", date_to=dt.date(2018, 1, 1))) == ["old.png"]
    assert filenames(search(open_index(archive), "หนองบัว", date_from=dt.date(2023, 1, 1))) == ["new.png"]


def test_ocr_damaged_word_found_by_near_tier(archive):
    """A word OCR read with one wrong letter is still found, ranked after exact matches."""
    from records.models import IndexOutbox

    with archive.db.session() as s:
        for i, text in enumerate(
            ["ผู้ร้องขอให้ตรวจสอบการบุกรุกที่สาธารณประโยชน์", "ผู้ร้องขอให้ตรวจสอบการบุกรุกที่สาธารณประโยซน์"]
        ):  # ช read as ซ
            d = Document(
                sha256=f"{i:064x}",
                filename=f"d{i}.png",
                media_type="image/png",
                size_bytes=1,
                state=DocumentState.done,
                fields={},
                page_count=1,
            )
            d.pages = [Page(number=1, text=text, source="ocr")]
            s.add(d)
            s.flush()
            s.add(IndexOutbox(document_id=d.id))
        s.commit()
    open_index(archive).sync()
    res = search(open_index(archive), "สาธารณประโยชน์")
    assert filenames(res) == ["d0.png", "d1.png"]
    assert [h.tier for h in res.hits] == ["exact", "near"]


def test_reindex_rebuilds_from_database(archive, petition_png):
    ingest_all(archive, petition_png)
    import shutil

    shutil.rmtree(archive.settings.index_dir)
    from search.index import SearchIndex

    ix = SearchIndex(archive.settings.index_dir, archive.db)
    assert search(ix, "ทองประเสริฐ").total == 0
    assert ix.rebuild() == 1
    assert filenames(search(ix, "ทองประเสริฐ")) == ["petition.png"]


def test_concurrent_intakes_never_hit_index_lock(archive, tmp_path):
    """Eight threads filing documents and syncing the index at once: no LockError, all found."""
    from records.models import IndexOutbox

    errors = []

    def file_one(i):
        try:
            with archive.db.session() as s:
                d = Document(
                    sha256=f"{i + 100:064x}",
                    filename=f"c{i}.png",
                    media_type="image/png",
                    size_bytes=1,
                    state=DocumentState.done,
                    fields={},
                    page_count=1,
                )
                d.pages = [Page(number=1, text=f"เอกสารทดสอบพร้อมกัน หมายเลข{i}", source="ocr")]
                s.add(d)
                s.flush()
                s.add(IndexOutbox(document_id=d.id))
                s.commit()
            open_index(archive).sync()
        except Exception as e:  # pragma: no cover - the assertion below reports it
            errors.append(e)

    threads = [threading.Thread(target=file_one, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert search(open_index(archive), "เอกสารทดสอบพร้อมกัน").total == 8


def test_misread_number_found_by_its_digits(archive):
    """A document number whose digits OCR misread (๔→๘, ๕→๘) is still found, and nothing else is."""
    file_text(archive, "letter.png", "ที่ มห ๔๘๖๕.๘/๓๑๒๘\nเรื่อง การเร่งรัด")  # true number มห ๔๗๖๕.๕/๓๑๒๘
    file_text(archive, "other.png", "ที่ มห ๑๒๓๐.๙/๕๕๕๑\nเรื่อง อื่น")
    res = search(open_index(archive), "มห 4765.5/3128")
    assert filenames(res) == ["letter.png"] and res.hits[0].tier == "near"
    assert search(open_index(archive), "มห 9999.9/9999").total == 0


def test_a_kind_given_before_the_reading_stays(archive, tmp_path):
    """A scanned page filed under a complaint as a petition is a petition, though the reader finds
    no kind in it ("other"), whether the filing came before its OCR (here) or after; another
    centre's record of the same bytes takes the reading but keeps a kind of its own."""
    from records.models import Area

    page = tmp_path / "subject-only.png"
    render_lines(["เรื่อง ขอความช่วยเหลือเรื่องหนี้นอกระบบ"]).save(page, dpi=(300, 300))
    with archive.db.session() as s:
        kkn1, kkn2 = (s.scalar(select(Area.id).where(Area.code == code)) for code in ("KKN-01", "KKN-02"))
    plain = intake(archive, page, area_id=kkn1)
    given = intake(archive, page, area_id=kkn2)
    with archive.db.session() as s:
        s.get(Document, given.document_id).kind = "petition"  # as records.complaints.file_document sets it
        s.commit()
    assert process(archive, plain.document_id).kind == "other"  # the reader's kind, where none was given
    taken = process(archive, given.document_id)  # takes the other record's reading
    assert taken.state == DocumentState.done and taken.page_count == 1 and taken.kind == "petition"
    with archive.db.session() as s:
        assert s.get(Document, given.document_id).kind == "petition"
    # and read afresh
    other = tmp_path / "another-page.png"
    render_lines(["เรื่อง ขอให้ซ่อมถนนในหมู่บ้าน"]).save(other, dpi=(300, 300))
    fresh = intake(archive, other, area_id=kkn1)
    with archive.db.session() as s:
        s.get(Document, fresh.document_id).kind = "petition"
        s.commit()
    done = process(archive, fresh.document_id)
    assert done.state == DocumentState.done and done.text_source == "ocr" and done.kind == "petition"


def test_a_document_taken_in_after_midnight_in_thailand_is_dated_that_day(archive, petition_png):
    """created_at is UTC: 18:30 UTC on 1 December is 01:30 on 2 December in Thailand."""
    import shutil

    from search.index import SearchIndex

    [r] = ingest_all(archive, petition_png)
    with archive.db.session() as s:
        doc = s.get(Document, r.document_id)
        doc.doc_date, doc.created_at = None, dt.datetime(2026, 12, 1, 18, 30)
        s.commit()
    shutil.rmtree(archive.settings.index_dir)  # `damrong reindex`
    ix = SearchIndex(archive.settings.index_dir, archive.db)
    ix.rebuild()
    [hit] = search(ix, "ทองประเสริฐ").hits
    assert hit.date == dt.date(2026, 12, 2)
    assert search(ix, "ทองประเสริฐ", date_from=dt.date(2026, 12, 2), date_to=dt.date(2026, 12, 2)).total == 1
    assert search(ix, "ทองประเสริฐ", date_to=dt.date(2026, 12, 1)).total == 0
