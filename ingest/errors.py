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
