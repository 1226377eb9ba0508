"""The case file an inspector gets: a BagIt bag that validates with the `bagit` library, fails
validation when one byte of one file changes, holds every document (original, archival PDF,
OCR text), the record and the audit trail with its hash chain, and is itself audited."""

from __future__ import annotations

import json
import zipfile

import bagit
import pytest

from records import complaints
from records.models import AuditEntry, Category
from tests.conftest import PETITION_LINES, damrong, make_user
from tests.thai_pages import render_lines


@pytest.fixture
def case(archive, tmp_path):
    """A complaint at a Khon Kaen district counter with one OCR'd petition filed under it."""
    from ingest.pipeline import intake, process

    clerk = make_user(archive, "counter", "KKN-01", seed=11, name="สมหญิง รับเรื่อง")
    officer = make_user(archive, "officer", "KKN-01", seed=12, name="สมชาย ดำเนินการ")
    with archive.db.session() as s:
        cat = s.query(Category).filter_by(name_th="หนี้สิน/หนี้นอกระบบ").one()
    c = complaints.create(
        archive.db,
        clerk,
        {
            "channel": "walk_in",
            "phone": "0812345678",
            "citizen_id": "3174218096795",
            "first_name_th": "สมศักดิ์",
            "last_name_th": "ทองประเสริฐ",
            "category_id": cat.id,
            "summary": "ขอความช่วยเหลือเรื่องหนี้นอกระบบ",
        },
    )
    png = tmp_path / "petition.png"
    render_lines(PETITION_LINES).save(png, dpi=(300, 300))
    r = intake(archive, png, area_id=clerk.area_id)
    process(archive, r.document_id)
    complaints.file_document(archive.db, clerk, c.id, r.document_id, "petition")
    complaints.transition(archive.db, officer, c.id, "in_progress", "รับไว้พิจารณา")
    return c, r.document_id, officer


def test_case_file_bag_validates_and_holds_everything(archive, case, tmp_path):
    from records.case_file import export

    c, doc_id, _officer = case
    auditor = make_user(archive, "auditor", "KKN", seed=13, name="ผู้ตรวจ จังหวัด")
    bag_dir = export(archive, auditor, c.tracking_no, tmp_path / "bag")
    bag = bagit.Bag(str(bag_dir))
    bag.validate()  # every payload file against manifest-sha256.txt, the tag files against tagmanifest
    assert "sha256" in bag.algorithms and (bag_dir / "tagmanifest-sha256.txt").is_file()
    assert bag.info["External-Identifier"] == c.tracking_no and "ผู้ตรวจ จังหวัด" in bag.info["Exported-By"]
    assert "Source-Organization" in bag.info and "Export-Date" in bag.info

    data = bag_dir / "data"
    [doc_dir] = list((data / "documents").iterdir())
    with archive.db.session() as s:
        from records.models import Document

        doc = s.get(Document, doc_id)
        assert (doc_dir / "original" / doc.filename).read_bytes() == archive.store.path_for(doc.sha256).read_bytes()
    assert (doc_dir / "archive.pdf").read_bytes().startswith(b"%PDF")
    assert "ทองประเสริฐ" in (doc_dir / "text" / "page-001.txt").read_text(encoding="utf-8")
    record = json.loads((data / "complaint.json").read_text(encoding="utf-8"))
    assert record["tracking_no"] == c.tracking_no and [e["to"] for e in record["timeline"]] == [
        "received",
        "in_progress",
    ]
    assert record["documents"][0]["sha256"] == doc.sha256
    trail = json.loads((data / "audit.json").read_text(encoding="utf-8"))
    assert [e["action"] for e in trail] == ["create", "file_document", "status"]
    from records.audit import _digest

    for e in trail:  # each entry checks against its own hash, as README.txt tells an inspector
        assert (
            _digest(
                e["prev_hash"],
                e["at"],
                e["user_id"],
                e["user_name"],
                e["action"],
                e["object_type"],
                e["object_id"],
                e["before"],
                e["after"],
            )
            == e["hash"]
        )
    assert (data / "summary.pdf").read_bytes().startswith(b"%PDF")
    with archive.db.session() as s:  # the export is on record
        assert (
            s.query(AuditEntry)
            .filter_by(action="export_case_file", object_id=c.tracking_no, user_id=auditor.id)
            .count()
            == 1
        )

    # one byte changed in one file: validation fails
    target = doc_dir / "text" / "page-001.txt"
    raw = bytearray(target.read_bytes())
    raw[0] ^= 0x01
    target.write_bytes(bytes(raw))
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(bag_dir)).validate()


def test_case_file_as_zip_from_the_cli_and_area_rules(archive, case, home, tmp_path):
    c, _doc_id, officer = case
    out = tmp_path / "case.zip"
    r = damrong("export-case", c.tracking_no, "--out", str(out), "--as", officer.citizen_id, "--json", home=home)
    assert json.loads(r.stdout)["path"] == str(out)
    with zipfile.ZipFile(out) as z:
        z.extractall(tmp_path / "unzipped")
    bagit.Bag(str(tmp_path / "unzipped" / c.tracking_no)).validate()

    other = make_user(archive, "auditor", "CMI-01", seed=14)  # another province's district
    r = damrong(
        "export-case", c.tracking_no, "--out", str(tmp_path / "x.zip"), "--as", other.citizen_id, home=home, check=False
    )
    assert r.returncode != 0 and "complaint not found" in r.stderr and not (tmp_path / "x.zip").exists()


def test_auditor_downloads_the_case_file_from_the_web(archive, case, page, tmp_path):
    c, _doc_id, _officer = case
    r = page.request.get(f"/complaints/{c.id}/case-file.zip")
    assert r.status == 200 and r.headers["content-type"] == "application/zip"
    (tmp_path / "dl.zip").write_bytes(r.body())
    with zipfile.ZipFile(tmp_path / "dl.zip") as z:
        z.extractall(tmp_path / "dl")
    bagit.Bag(str(tmp_path / "dl" / c.tracking_no)).validate()
    assert page.request.get("/complaints/999999/case-file.zip").status == 404


def _summary_text(pdf_path) -> str:
    import subprocess

    out = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())  # pdftotext puts a space after some shaped Thai glyphs (ดำ เนินการ)


def test_summary_pdf_names_statuses_and_outcomes_in_words(archive, case, home, tmp_path):
    """The summary an inspector reads says ยุติเรื่องแล้ว, not the stored code `closed`: in Thai by
    default, in English when the command line asks for it."""
    from records.case_file import export

    c, _doc_id, officer = case
    complaints.transition(archive.db, officer, c.id, "closed", "เจ้าหนี้ยอมเจรจา", outcome="resolved")
    export(archive, officer, c.tracking_no, tmp_path / "th")
    text = _summary_text(tmp_path / "th" / "data" / "summary.pdf")
    for words in ("ยุติเรื่องแล้ว", "อยู่ระหว่างดำเนินการ", "รับเรื่องแล้ว", "แก้ไขปัญหาแล้ว", c.tracking_no):
        assert words in text, (words, text)
    for code in ("closed", "in_progress", "received", "resolved"):
        assert code not in text, (code, text)

    damrong(
        "export-case",
        c.tracking_no,
        "--out",
        str(tmp_path / "en"),
        "--as",
        officer.citizen_id,
        "--lang",
        "en",
        home=home,
    )
    text = _summary_text(tmp_path / "en" / "data" / "summary.pdf")
    for words in ("Casefileofcomplaint", "Closed", "Inprogress", "Resolved"):
        assert words in text, (words, text)
    for code in ("closed", "in_progress", "resolved"):
        assert code not in text, (code, text)
