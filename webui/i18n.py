"""Thai and English UI text, Buddhist Era dates, and numbers typed with Thai or Arabic digits."""
from __future__ import annotations

import datetime as dt

from flask import g, request

LANGUAGES = ("th", "en")

TEXT = {
    "app_name": ("คลังเอกสารศูนย์ดำรงธรรม", "Damrong Archive"),
    "documents": ("เอกสาร", "Documents"),
    "search": ("ค้นหา", "Search"),
    "upload": ("นำเข้าเอกสาร", "Upload documents"),
    "drop_here": ("ลากไฟล์มาวางที่นี่ หรือคลิกเพื่อเลือกไฟล์ (PDF, TIFF, JPEG, PNG)",
                  "Drop files here or click to choose (PDF, TIFF, JPEG, PNG)"),
    "uploading": ("กำลังอัปโหลด", "Uploading"),
    "state_pending": ("รอประมวลผล", "Waiting"),
    "state_processing": ("กำลังอ่านข้อความ (OCR)", "Reading text (OCR)"),
    "state_done": ("เสร็จแล้ว", "Done"),
    "state_failed": ("ไม่สำเร็จ", "Failed"),
    "state_rejected": ("ไม่รับไฟล์", "Rejected"),
    "duplicate": ("มีเอกสารนี้ในคลังแล้ว", "Already in the archive"),
    "filename": ("ชื่อไฟล์", "File name"),
    "pages": ("หน้า", "Pages"),
    "page": ("หน้า", "Page"),
    "received": ("วันที่นำเข้า", "Received"),
    "doc_date": ("วันที่เอกสาร", "Document date"),
    "state": ("สถานะ", "Status"),
    "kind": ("ประเภท", "Kind"),
    "kind_official_letter": ("หนังสือราชการ", "Official letter"),
    "kind_petition": ("คำร้อง", "Petition"),
    "kind_other": ("อื่น ๆ", "Other"),
    "download_original": ("ดาวน์โหลดต้นฉบับ", "Download original"),
    "download_archive": ("ดาวน์โหลด PDF สำหรับจัดเก็บ (ค้นหาข้อความได้)", "Download archival PDF (searchable)"),
    "ocr_text": ("ข้อความที่อ่านได้", "Recognised text"),
    "confidence": ("ความมั่นใจ", "Confidence"),
    "source_ocr": ("OCR", "OCR"),
    "source_text-layer": ("ข้อความในไฟล์ PDF", "PDF text layer"),
    "fields": ("ข้อมูลที่อ่านได้", "Fields found"),
    "sha256": ("ค่าตรวจสอบ SHA-256", "SHA-256 checksum"),
    "search_placeholder": ("คำ ชื่อ เลขประจำตัวประชาชน หรือเลขที่หนังสือ", "Word, name, ID number or document number"),
    "date_from": ("ตั้งแต่วันที่", "From"),
    "date_to": ("ถึงวันที่", "To"),
    "order": ("เรียงตาม", "Order"),
    "order_relevance": ("ตรงที่สุด", "Relevance"),
    "order_newest": ("ใหม่ที่สุด", "Newest first"),
    "results": ("พบ {n} เอกสาร", "{n} documents found"),
    "no_results": ("ไม่พบเอกสาร", "No documents found"),
    "tier_near": ("ใกล้เคียง", "similar"),
    "no_documents": ("ยังไม่มีเอกสาร", "No documents yet"),
    "error": ("ข้อผิดพลาด", "Error"),
    "not_found": ("ไม่พบหน้านี้", "Not found"),
    "bad_date": ("วันที่ไม่ถูกต้อง ใช้รูปแบบ วว/ดด/ปปปป (พ.ศ.)", "Invalid date; use DD/MM/YYYY (BE) or YYYY-MM-DD"),
    "previous": ("ก่อนหน้า", "Previous"),
    "next": ("ถัดไป", "Next"),
    "open": ("เปิด", "Open"),
    "language": ("English", "ภาษาไทย"),
    "date_placeholder": ("วว/ดด/ปปปป", "DD/MM/YYYY"),
    "field_doc_no": ("เลขที่หนังสือ", "Document number"),
    "field_date": ("ลงวันที่", "Date"),
    "field_subject": ("เรื่อง", "Subject"),
    "field_to": ("เรียน", "To"),
    "field_urgency": ("ชั้นความเร็ว", "Urgency"),
    "field_agency": ("ส่วนราชการ", "Agency"),
    "field_references": ("อ้างถึง", "References"),
    "field_receipt_no": ("เลขรับ", "Receipt number"),
    "field_citizen_id": ("เลขประจำตัวประชาชน", "Citizen ID"),
    "field_name": ("ชื่อผู้ร้อง", "Name"),
    "field_phone": ("โทรศัพท์", "Phone"),
    "field_province": ("จังหวัด", "Province"),
    "field_district": ("อำเภอ", "District"),
    "field_category": ("ประเภทเรื่อง", "Category"),
    "counter": ("รับเรื่อง", "Counter"),
    "complainants": ("ผู้ร้อง", "Complainants"),
    "read_card": ("อ่านบัตรประชาชน", "Read ID card"),
    "auto_read": ("อ่านอัตโนมัติเมื่อเสียบบัตร", "Read automatically when a card is inserted"),
    "card_reading": ("กำลังอ่านบัตร…", "Reading the card…"),
    "card_read_ok": ("อ่านบัตรเรียบร้อย", "Card read"),
    "card_insert": ("เสียบบัตรประชาชนที่เครื่องอ่าน", "Insert the ID card into the reader"),
    "card_expired": ("บัตรหมดอายุแล้ว", "The card has expired"),
    "card_checksum_flag": ("เลขประจำตัวประชาชนในบัตรตรวจสอบไม่ผ่าน", "The card's ID number fails its check digit"),
    "citizen_id": ("เลขประจำตัวประชาชน", "Citizen ID"),
    "prefix": ("คำนำหน้า", "Title"),
    "first_name": ("ชื่อ", "First name"),
    "last_name": ("นามสกุล", "Last name"),
    "name_en": ("ชื่อ-นามสกุล (อังกฤษ)", "Name (English)"),
    "birth_date": ("วันเกิด", "Date of birth"),
    "address": ("ที่อยู่", "Address"),
    "phone": ("โทรศัพท์", "Phone"),
    "photo": ("รูปถ่าย", "Photo"),
    "save": ("บันทึก", "Save"),
    "source": ("ที่มา", "Source"),
    "source_card": ("บัตรประชาชน", "ID card"),
    "source_typed": ("พิมพ์เอง", "Typed"),
    "complainant_saved": ("บันทึกผู้ร้อง {name} ({id}) แล้ว", "Saved complainant {name} ({id})"),
    "problem_required": ("ต้องกรอก", "Required"),
    "problem_citizen_id_length": ("เลขประจำตัวประชาชนต้องมี 13 หลัก", "A citizen ID has 13 digits"),
    "problem_citizen_id_checksum": ("เลขประจำตัวประชาชนไม่ถูกต้อง (หลักตรวจสอบไม่ตรง)",
                                    "Invalid citizen ID (the check digit does not match)"),
    "problem_bad_date": ("วันที่ไม่ถูกต้อง", "Invalid date"),
    "problem_bad_phone": ("หมายเลขโทรศัพท์ต้องมี 9–10 หลัก", "A phone number has 9–10 digits"),
    "scan": ("สแกน", "Scan"),
    "scanner": ("เครื่องสแกน", "Scanner"),
    "no_scanners": ("ไม่พบเครื่องสแกน", "No scanners found"),
    "refresh": ("ค้นหาเครื่องใหม่", "Look again"),
    "scan_source": ("แหล่งกระดาษ", "Paper source"),
    "source_flatbed": ("กระจก (ทีละหน้า)", "Flatbed (one page)"),
    "source_feeder": ("เครื่องป้อนกระดาษ", "Document feeder"),
    "source_duplex": ("ป้อนกระดาษ สองหน้า", "Feeder, both sides"),
    "resolution": ("ความละเอียด (dpi)", "Resolution (dpi)"),
    "colour_mode": ("สี", "Colour"),
    "mode_gray": ("ขาวดำ (เทา)", "Grey"),
    "mode_color": ("สี", "Colour"),
    "scan_options": ("ค่าอื่นของเครื่อง (ชื่อ=ค่า)", "Other device options (name=value)"),
    "start_scan": ("เริ่มสแกน", "Scan"),
    "continue_scan": ("สแกนต่อ", "Continue"),
    "file_batch": ("จัดเก็บเป็นเอกสาร", "File as document"),
    "cancel_batch": ("ยกเลิกชุดนี้", "Set this batch aside"),
    "batch": ("ชุดสแกนที่ {id}", "Scan batch {id}"),
    "open_batches": ("ชุดสแกนที่ยังไม่จัดเก็บ", "Batches not yet filed"),
    "scan_state_scanning": ("กำลังสแกน…", "Scanning…"),
    "scan_state_interrupted": ("หยุดสแกน", "Stopped"),
    "scan_state_open": ("สแกนเสร็จ ตรวจหน้าแล้วจัดเก็บ", "Scanned: check the pages, then file"),
    "scan_state_filed": ("จัดเก็บแล้ว", "Filed"),
    "scan_state_cancelled": ("ยกเลิกแล้ว", "Set aside"),
    "page_blank": ("หน้าว่าง (ไม่จัดเก็บ)", "Blank (left out)"),
    "page_separator": ("แผ่นคั่นเอกสาร", "Separator"),
    "page_deleted": ("ลบแล้ว", "Deleted"),
    "rotate": ("หมุน", "Rotate"),
    "move_left": ("ย้ายไปก่อน", "Move earlier"),
    "move_right": ("ย้ายไปหลัง", "Move later"),
    "delete": ("ลบ", "Delete"),
    "restore": ("เอากลับ", "Restore"),
    "keep_page": ("เก็บหน้านี้", "Keep this page"),
    "separator_sheet": ("แผ่นคั่นเอกสาร (PDF สำหรับพิมพ์)", "Separator sheet (PDF to print)"),
    "separator_help": ("พิมพ์แผ่นคั่นวางระหว่างเอกสารแต่ละฉบับ ระบบจะแยกเป็นเอกสารคนละฉบับให้เอง",
                       "Print it and put one between documents in the feeder: each starts a new document"),
    "filed_as": ("จัดเก็บเป็นเอกสาร", "Filed as document"),
    # --- sign-in, roles, areas
    "sign_in": ("เข้าสู่ระบบ", "Sign in"),
    "sign_out": ("ออกจากระบบ", "Sign out"),
    "username_cid": ("เลขประจำตัวประชาชน (13 หลัก)", "Citizen ID (13 digits)"),
    "password": ("รหัสผ่าน", "Password"),
    "change_password": ("เปลี่ยนรหัสผ่าน", "Change password"),
    "must_change_password": ("กรุณาเปลี่ยนรหัสผ่านที่ผู้ดูแลระบบออกให้ก่อนใช้งาน",
                             "Please replace the password the administrator issued before going on"),
    "old_password": ("รหัสผ่านเดิม", "Current password"),
    "new_password": ("รหัสผ่านใหม่", "New password"),
    "confirm_password": ("ยืนยันรหัสผ่านใหม่", "Confirm new password"),
    "role_counter": ("เจ้าหน้าที่รับเรื่อง", "Counter staff"),
    "role_officer": ("เจ้าหน้าที่ผู้รับผิดชอบ", "Officer"),
    "role_auditor": ("ผู้ตรวจสอบ", "Auditor"),
    "role_admin": ("ผู้ดูแลระบบ", "Administrator"),
    "admin": ("ผู้ดูแลระบบ", "Administration"),
    "area": ("พื้นที่", "Area"),
    "forbidden_page": ("ไม่มีสิทธิ์เข้าถึงหน้านี้", "You may not open this page"),
    # --- complaints
    "complaints": ("เรื่องร้องเรียน", "Complaints"),
    "complaint": ("เรื่องร้องเรียน", "Complaint"),
    "follow_up": ("ติดตามเรื่องร้องเรียน", "Follow up a complaint"),
    "tracking_no": ("เลขที่เรื่อง", "Tracking number"),
    "status_received": ("รับเรื่องแล้ว", "Received"),
    "status_in_progress": ("อยู่ระหว่างดำเนินการ", "In progress"),
    "status_forwarded": ("ส่งต่อศูนย์อื่น", "Forwarded to another centre"),
    "status_waiting_agency": ("รอหน่วยงานตอบ", "Waiting on an agency"),
    "status_closed": ("ยุติเรื่องแล้ว", "Closed"),
    "outcome_resolved": ("แก้ไขปัญหาแล้ว", "Resolved"),
    "outcome_not_within_jurisdiction": ("ไม่อยู่ในอำนาจหน้าที่", "Not within jurisdiction"),
    "outcome_withdrawn": ("ผู้ร้องถอนเรื่อง", "Withdrawn"),
    "outcome_duplicate": ("เรื่องซ้ำ", "Duplicate"),
    "channel_walk_in": ("ยื่นที่ศูนย์", "Walk-in"),
    "channel_hotline_1567": ("สายด่วน 1567", "1567 hotline"),
    "channel_letter": ("จดหมาย", "Letter"),
    "channel_online": ("ออนไลน์", "Online"),
    "channel_mobile_unit": ("หน่วยเคลื่อนที่", "Mobile unit"),
    "channel_other": ("อื่นๆ", "Other"),
    "overdue": ("เกินกำหนด", "Overdue"),
    "back_home": ("กลับหน้าเอกสาร", "Back to documents"),
    "server_error": ("เกิดข้อผิดพลาดในระบบ", "Something went wrong on the server"),
}

THAI_MONTHS_ABBR = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
                    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]
EN_MONTHS_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def current_language(default: str = "th") -> str:
    lang = getattr(g, "lang", None)
    if lang:
        return lang
    lang = request.args.get("lang") or request.cookies.get("lang") or default
    g.lang = lang if lang in LANGUAGES else default
    return g.lang


def translate(key: str, **kw) -> str:
    pair = TEXT.get(key)
    if pair is None:
        return key
    s = pair[0] if current_language() == "th" else pair[1]
    return s.format(**kw) if kw else s


def error_text(code: str | None, params: dict | None, fallback: str | None = None) -> str:
    """An intake error in the reader's language."""
    from ingest.errors import MESSAGES, render
    if code and code in MESSAGES:
        return render(code, params, current_language())
    return fallback or ""


def lang_url(lang: str) -> str:
    """This page in another language, keeping its query (search words, dates, page)."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [lang]
    from urllib.parse import urlencode
    return request.path + "?" + urlencode(args, doseq=True)


def format_date(value, with_time: bool = False) -> str:
    """Thai: '15 ส.ค. 2568' (Buddhist Era); English: '15 Aug 2025'."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    d = value.date() if isinstance(value, dt.datetime) else value
    if current_language() == "th":
        s = f"{d.day} {THAI_MONTHS_ABBR[d.month - 1]} {d.year + 543}"
    else:
        s = f"{d.day} {EN_MONTHS_ABBR[d.month - 1]} {d.year}"
    if with_time and isinstance(value, dt.datetime):
        s += value.strftime(" %H:%M")
    return s


def to_be_input(d: dt.date | None) -> str:
    """A date for a form field, as DD/MM/YYYY in the Buddhist Era."""
    return f"{d.day:02d}/{d.month:02d}/{d.year + 543}" if d else ""
