"""Why a file was refused, in Thai and English: one catalogue of intake errors, each with a code
so the UI can say it in the reader's language."""
from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "empty": ("ไฟล์ว่างเปล่า (0 ไบต์)", "the file is empty (0 bytes)"),
    "not_supported": ("ไม่ใช่ไฟล์ PDF, TIFF, JPEG หรือ PNG (เนื้อไฟล์ไม่ตรงกับชนิดใดเลย)",
                      "not a PDF, TIFF, JPEG or PNG file (its contents do not match any of them)"),
    "too_big_file": ("ไฟล์ใหญ่เกิน {limit} MB", "the file is larger than the {limit} MB limit"),
    "pdf_password": ("PDF มีรหัสผ่าน กรุณาปลดรหัสผ่านแล้วนำเข้าใหม่",
                     "the PDF is password-protected; remove the password and upload it again"),
    "pdf_damaged": ("ไฟล์ PDF เสียหาย อ่านไม่ได้ ({detail})", "the PDF is damaged and cannot be read ({detail})"),
    "no_pages": ("ไฟล์ไม่มีหน้าเอกสาร", "the file has no pages"),
    "too_many_pages": ("ไฟล์มี {pages} หน้า เกินกำหนด {limit} หน้า", "the file has {pages} pages; the limit is {limit}"),
    "page_too_large": ("หน้า {page} ใหญ่เกินกำหนด {limit} ล้านพิกเซล",
                       "page {page} would exceed the {limit} megapixel limit"),
    "image_too_large": ("ภาพใหญ่เกินกำหนด {limit} ล้านพิกเซล", "the image is larger than the {limit} megapixel limit"),
    "page_unrenderable": ("แสดงผลหน้า {page} ของ PDF ไม่ได้ ({detail})", "page {page} of the PDF cannot be rendered ({detail})"),
    "image_damaged": ("ภาพเสียหาย อ่านไม่ได้", "the image cannot be decoded (damaged or not really an image)"),
    "page_damaged": ("หน้า {page} ของภาพเสียหาย ({detail})", "page {page} of the image is damaged ({detail})"),
    "ocr_timeout": ("อ่านข้อความ (OCR) นานเกิน {seconds} วินาที", "OCR took longer than {seconds} s"),
    "ocr_failed": ("โปรแกรม OCR ทำงานผิดพลาด ({detail})", "Tesseract failed ({detail})"),
    # scanning (scanner.sane_device, scanner.batches)
    "scan_jammed": ("กระดาษติดในเครื่องป้อนกระดาษ นำกระดาษที่ติดออก วางหน้าที่เหลือ แล้วกด \"สแกนต่อ\"",
                    "the document feeder jammed: clear the jam, put the remaining pages back and press Continue"),
    "scan_no_docs": ("ไม่มีกระดาษในเครื่องป้อนกระดาษ ใส่กระดาษแล้วกด \"สแกนต่อ\"",
                     "the document feeder is empty: put the pages in and press Continue"),
    "scan_cover_open": ("ฝาเครื่องสแกนเปิดอยู่ ปิดฝาแล้วกด \"สแกนต่อ\"",
                        "the scanner cover is open: close it and press Continue"),
    "scan_device_busy": ("เครื่องสแกนไม่ว่าง ลองใหม่อีกครั้ง", "the scanner is busy: try again in a moment"),
    "scan_access_denied": ("ไม่มีสิทธิ์ใช้เครื่องสแกนนี้", "access to the scanner was denied"),
    "scan_warming_up": ("หลอดไฟเครื่องสแกนยังไม่พร้อม ลองใหม่อีกครั้ง", "the scanner lamp is warming up: try again"),
    "scan_locked": ("กลไกเครื่องสแกนถูกล็อกไว้สำหรับขนย้าย ปลดล็อกก่อนใช้งาน",
                    "the scanner is locked for transport: unlock it first"),
    "scan_device_error": ("เครื่องสแกนขัดข้อง ({detail})", "scanner error ({detail})"),
    "scan_no_device": ("ไม่พบเครื่องสแกน {device}", "scanner {device} not found or cannot be opened"),
    "scan_bad_source": ("เครื่องสแกนนี้ไม่มีแหล่งกระดาษแบบ {source} (มี: {available})",
                        "this scanner has no {source} source (it has: {available})"),
    "scan_bad_option": ("ตั้งค่า {option} ของเครื่องสแกนไม่ได้ ({detail})", "cannot set scanner option {option} ({detail})"),
    "scan_stopped": ("การสแกนหยุดกลางคัน หน้าที่สแกนแล้วเก็บไว้ครบ กด \"สแกนต่อ\" หรือจัดเก็บได้เลย",
                     "the scan stopped unexpectedly; the pages scanned so far are kept: continue or file them"),
    "scan_device_in_use": ("เครื่องสแกน {device} กำลังสแกนชุดที่ {batch} อยู่",
                           "scanner {device} is already scanning batch {batch}"),
    "batch_scanning": ("ชุดนี้กำลังสแกนอยู่ รอให้สแกนเสร็จก่อน", "this batch is still scanning: wait for it to finish"),
    "batch_closed": ("ชุดนี้จัดเก็บหรือยกเลิกไปแล้ว", "this batch has already been filed or cancelled"),
    "batch_empty": ("ชุดนี้ไม่มีหน้าที่จะจัดเก็บ", "this batch has no pages to file"),
    # users and sign-in (records.users)
    "bad_login": ("เลขประจำตัวประชาชนหรือรหัสผ่านไม่ถูกต้อง", "wrong ID number or password"),
    "login_locked": ("ใส่รหัสผ่านผิดหลายครั้ง บัญชีถูกพักไว้ {minutes} นาที", "too many failed sign-ins: try again in {minutes} minutes"),
    "user_inactive": ("บัญชีนี้ถูกปิดใช้งาน", "this account is disabled"),
    "bad_username": ("ชื่อผู้ใช้ต้องเป็นเลขประจำตัวประชาชน 13 หลักที่ถูกต้อง", "the username must be a valid 13-digit citizen ID"),
    "user_exists": ("มีผู้ใช้เลขนี้แล้ว", "a user with this ID already exists"),
    "weak_password": ("รหัสผ่านต้องยาวอย่างน้อย {min} ตัวอักษร และไม่ใช่เลขประจำตัว", "the password needs at least {min} characters and must not be the ID number"),
    "same_password": ("รหัสผ่านใหม่ต้องไม่ซ้ำรหัสเดิม", "the new password must differ from the old one"),
    "bad_role": ("บทบาทไม่ถูกต้อง ({role})", "unknown role ({role})"),
    "bad_area": ("ไม่พบพื้นที่ {area}", "no area {area}"),
    # complaints (records.complaints)
    "forbidden": ("ไม่มีสิทธิ์ทำรายการนี้", "you may not do this"),
    "required": ("ต้องกรอก{field}", "{field} is required"),
    "bad_value": ("{field} ไม่ถูกต้อง", "{field} is not valid"),
    "bad_citizen_id": ("เลขประจำตัวประชาชนไม่ถูกต้อง (หลักตรวจสอบไม่ตรง)", "invalid citizen ID (check digit)"),
    "bad_phone": ("หมายเลขโทรศัพท์ต้องมี 9–10 หลัก", "a phone number has 9–10 digits"),
    "needs_detail": ("หมวด \"{category}\" ต้องระบุรายละเอียดหมวดย่อย", "category \"{category}\" needs a sub category in words"),
    "bad_transition": ("เปลี่ยนสถานะจาก {from_status} เป็น {to_status} ไม่ได้", "cannot go from {from_status} to {to_status}"),
    "reason_required": ("ต้องระบุเหตุผล", "a reason is required"),
    "outcome_required": ("ต้องระบุผลการยุติเรื่อง", "closing needs an outcome"),
    "not_found": ("ไม่พบ{field}", "{field} not found"),
    "internal": ("เกิดข้อผิดพลาดภายในระหว่างประมวลผล ({detail})", "internal error while processing ({detail})"),
}


def render(code: str, params: dict | None, lang: str = "en") -> str:
    th, en = MESSAGES.get(code, ("{detail}", "{detail}"))
    try:
        return (th if lang == "th" else en).format(**(params or {}))
    except (KeyError, IndexError):
        return en


class IntakeError(Exception):
    """A file cannot be taken in or processed; `code` and `params` say why in any language."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = {k: str(v) for k, v in params.items()}
        super().__init__(render(code, self.params))
