"""Month-end reports (records.monthly_report, records.report_files, webui.report_views, `damrong
report monthly`): the figures at the month's end from the complaints' history, rolled up district
→ province → nation, frozen when issued (what happens later does not move them; a re-issue is a
new version), each issue audited; Thai PDF, XLSX with a sheet per level, CSV with a BOM."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess

import pytest
from sqlalchemy import func, select, update

from records import complaints, monthly_report, report_files
from records.models import AreaKind, AuditEntry, Category, Complaint, ComplaintEvent, MonthlyReport
from records.monthly_report import ReportError
from tests.conftest import client_for, damrong, make_user

NOV = dt.date(2026, 11, 1)


def _at(archive, complaint_id: int, received: dt.datetime, closed: dt.datetime | None = None):
    """Move a complaint's history back in time: its intake event at `received`, a closing one at
    `closed` (stored times are UTC)."""
    with archive.db.session() as s:
        s.execute(update(Complaint).where(Complaint.id == complaint_id).values(received_at=received))
        events = list(s.scalars(select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint_id)))
        for e in events:
            e.at = closed if (e.to_status == "closed" and closed) else received
        if closed:
            s.execute(update(Complaint).where(Complaint.id == complaint_id).values(closed_at=closed))
        s.commit()


@pytest.fixture
def november(archive):
    """Khon Kaen's Mueang district: 3 received in November (2 closed in it), 1 from October still
    open at the end of November; Chiang Mai's: 1 received and closed in November."""
    with archive.db.session() as s:
        cat = s.scalar(select(Category.id).where(Category.name_th == "สาธารณูปโภค"))
    kkn = make_user(archive, "officer", "KKN-01", seed=8101)
    cmi = make_user(archive, "officer", "CMI-01", seed=8102)

    def new(user):
        return complaints.create(archive.db, user, {"phone": "0812345678", "category_id": cat, "summary": "ไฟดับ"})

    made = [new(kkn) for _ in range(4)] + [new(cmi)]
    for c in (made[0], made[1], made[4]):
        complaints.transition(
            archive.db, kkn if c is not made[4] else cmi, c.id, "closed", "ซ่อมแล้ว", outcome="resolved"
        )
    _at(archive, made[0].id, dt.datetime(2026, 11, 2, 3), dt.datetime(2026, 11, 4, 3))  # 2 days
    _at(archive, made[1].id, dt.datetime(2026, 11, 10, 3), dt.datetime(2026, 11, 16, 3))  # 6 days
    _at(archive, made[2].id, dt.datetime(2026, 11, 30, 17, 30))  # 1 December 00:30 Thai: not November
    _at(archive, made[3].id, dt.datetime(2026, 10, 20, 3))
    _at(archive, made[4].id, dt.datetime(2026, 11, 5, 3), dt.datetime(2026, 11, 6, 3))
    return {"kkn": kkn, "cmi": cmi, "made": made}


def _row(report, code):
    return next(r for lvl in report.figures["levels"] for r in lvl["rows"] if r["code"] == code)


def test_the_figures_at_month_end_rolled_up_to_the_nation(archive, november):
    central = make_user(archive, "officer", "MOI", seed=8103)
    r = monthly_report.issue(archive.db, central, NOV)
    assert [lvl["level"] for lvl in r.figures["levels"]] == ["nation", "province", "district"]
    with archive.db.session() as s:
        districts = s.scalar(select(func.count()).where(AreaKindFilter.district()))
    assert len(r.figures["levels"][2]["rows"]) == districts == 928
    assert len(r.figures["levels"][1]["rows"]) == 77
    mueang = _row(r, "KKN-01")
    assert mueang["received_month"] == 2  # the 30 November 17:30 UTC one is December in Thailand
    assert mueang["closed_month"] == 2 and mueang["received_total"] == 3
    assert mueang["open_end"] == 1 and mueang["closed_end"] == 2
    assert mueang["median_days"] == 4.0 and mueang["closed_share"] == pytest.approx(2 / 3, abs=1e-4)
    assert _row(r, "KKN")["received_total"] == 3 and _row(r, "CMI")["closed_month"] == 1
    nation = _row(r, "MOI")
    assert nation["received_total"] == 4 and nation["closed_month"] == 3
    assert nation["received_total"] == sum(p["received_total"] for p in r.figures["levels"][1]["rows"])
    assert sum(d["received_month"] for d in r.figures["levels"][2]["rows"]) == nation["received_month"] == 3
    # the report's numbers are the complaints that make them
    with archive.db.session() as s:
        start, end = dt.datetime(2026, 10, 31, 17), dt.datetime(2026, 11, 30, 17)
        got = s.scalar(
            select(func.count(Complaint.id)).where(Complaint.received_at >= start, Complaint.received_at < end)
        )
    assert got == nation["received_month"]


class AreaKindFilter:
    @staticmethod
    def district():
        from records.models import Area

        return Area.kind == AreaKind.district


def test_what_was_issued_does_not_move_and_a_reissue_is_a_new_version(archive, november):
    kkn = november["kkn"]
    first = monthly_report.issue(archive.db, kkn, NOV)
    # in December: the October one is closed, the December one too, and a new one comes in
    open_one = november["made"][3]
    complaints.transition(archive.db, kkn, open_one.id, "closed", "ยุติ", outcome="resolved")
    complaints.create(archive.db, kkn, {"phone": "0812345678", "category_id": open_one.category_id, "summary": "ใหม่"})
    second = monthly_report.issue(archive.db, kkn, NOV)
    assert (first.version, second.version) == (1, 2)
    assert second.figures["total"] == first.figures["total"]  # the month's end is the month's end
    with archive.db.session() as s:
        stored = s.get(MonthlyReport, first.id)
        assert stored.sha256 == first.sha256 == monthly_report.digest(stored.figures)
        entries = list(s.scalars(select(AuditEntry).where(AuditEntry.action == "report_issue")))
    assert [e.object_id for e in entries] == ["KKN-01/2026-11/v1", "KKN-01/2026-11/v2"]
    with pytest.raises(ReportError) as open_month:
        monthly_report.issue(archive.db, kkn, dt.date.today().replace(day=1))
    assert open_month.value.code == "report_month_open"
    auditor = make_user(archive, "auditor", "KKN", seed=8104)
    with pytest.raises(ReportError):
        monthly_report.issue(archive.db, auditor, NOV)
    with pytest.raises(ReportError):
        monthly_report.issue(archive.db, kkn, NOV, "CMI-01")


def test_the_files(archive, november, tmp_path):
    r = monthly_report.issue(archive.db, make_user(archive, "officer", "KKN", seed=8105), NOV)
    text = report_files.as_csv(r).decode("utf-8")
    assert text.startswith("\ufeffระดับ,รหัส,พื้นที่")
    assert "KKN-01,เมืองขอนแก่น,KKN,2,2,3,1,2,66.7,0,4.0" in text.replace("อำเภอ", "")
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(report_files.as_xlsx(r)))
    assert wb.sheetnames == ["สรุป", "ระดับจังหวัด", "ระดับอำเภอ", "ประเภทเรื่อง"]
    districts = list(wb["ระดับอำเภอ"].iter_rows(values_only=True))
    assert districts[0][0] == "รหัส" and len(districts) == 1 + 26  # Khon Kaen's 26 districts
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(report_files.as_pdf(r))
    words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    words = "".join(words.split())  # pdftotext spaces Thai where the shaping split a cluster
    assert "รายงานสถิติเรื่องร้องเรียน/ร้องทุกข์ประจำเดือนพฤศจิกายน2569" in words
    assert "ยังไม่ถึงเป้าหมายยุติเรื่อง80%" in words and "เมืองขอนแก่น" in words
    english = report_files.as_csv(r, "en").decode()
    assert english.startswith("\ufeffLevel,Code,Area")


def test_the_command_line_contract(archive, november, tmp_path):
    kkn = november["kkn"]
    out = tmp_path / "nov.csv"
    args = ["report", "monthly", "2569-11", "--area", "KKN-01", "--format", "csv", "--as", kkn.citizen_id]
    first = json.loads(damrong(*args, "--out", str(out), "--json", home=archive.settings.home).stdout)
    assert first["version"] == 1 and first["issued"] is True and first["total"]["received_month"] == 2
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    again = json.loads(damrong(*args, "--out", str(tmp_path), "--json", home=archive.settings.home).stdout)
    assert again["version"] == 1 and again["issued"] is False and again["sha256"] == first["sha256"]
    assert (tmp_path / "damrong-report-KKN-01-2026-11-v1.csv").exists()
    pdf = json.loads(
        damrong(
            *args[:5],
            "--format",
            "pdf",
            "--as",
            kkn.citizen_id,
            "--out",
            str(tmp_path / "x.pdf"),
            "--reissue",
            "--json",
            home=archive.settings.home,
        ).stdout
    )
    assert pdf["version"] == 2 and (tmp_path / "x.pdf").read_bytes().startswith(b"%PDF")
    bad = damrong(
        "report",
        "monthly",
        "13/2569",
        "--as",
        kkn.citizen_id,
        "--out",
        str(out),
        "--json",
        home=archive.settings.home,
        check=False,
    )
    assert bad.returncode == 1 and json.loads(bad.stdout)["error"] == "bad_month"
    early = damrong(
        "report",
        "monthly",
        "2600-01",
        "--as",
        kkn.citizen_id,
        "--out",
        str(out),
        "--json",
        home=archive.settings.home,
        check=False,
    )
    assert json.loads(early.stdout)["error"] == "report_month_open"


def test_on_the_web(app, archive, november):
    kkn = november["kkn"]
    web = client_for(app, archive, kkn)
    assert "ยังไม่มีรายงาน" in web.get("/reports").get_data(as_text=True)
    done = web.post("/reports", data={"month": "๑๑/๒๕๖๙"}, follow_redirects=True).get_data(as_text=True)
    assert "ออกรายงานเดือนพฤศจิกายน 2569 ฉบับที่ 1 แล้ว" in done
    bad = web.post("/reports", data={"month": "พฤศจิกา"}, follow_redirects=True).get_data(as_text=True)
    assert "เดือนไม่ถูกต้อง" in bad
    early = web.post("/reports", data={"month": "01/2600"}, follow_redirects=True)
    assert early.status_code == 200 and "ยังไม่สิ้นสุด" in early.get_data(as_text=True)
    foreign = web.post("/reports", data={"month": "11/2569", "area": "CMI-01"}, follow_redirects=True)
    assert foreign.status_code == 200 and "ไม่พบศูนย์ที่รับผิดชอบ" in foreign.get_data(as_text=True)
    with archive.db.session() as s:
        assert s.scalar(select(func.count(MonthlyReport.id))) == 1  # only the good one was issued
    with archive.db.session() as s:
        rid = s.scalar(select(MonthlyReport.id))
    for fmt, magic in (("pdf", b"%PDF"), ("xlsx", b"PK"), ("csv", b"\xef\xbb\xbf")):
        got = web.get(f"/reports/{rid}.{fmt}")
        assert got.status_code == 200 and got.data.startswith(magic), fmt
    auditor = client_for(app, archive, make_user(archive, "auditor", "KKN", seed=8106))
    assert auditor.get(f"/reports/{rid}.pdf").status_code == 200
    assert auditor.post("/reports", data={"month": "11/2569"}).status_code == 403
    elsewhere = client_for(app, archive, november["cmi"])
    assert elsewhere.get(f"/reports/{rid}.pdf").status_code == 404
    assert web.get(f"/reports/{rid}.doc").status_code == 404
    with archive.db.session() as s:
        downloads = s.scalar(
            select(func.count()).where(AuditEntry.action == "download", AuditEntry.object_type == "report")
        )
    assert downloads == 4
