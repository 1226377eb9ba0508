"""Fields read from a document's text: official-letter fields (doc_no, agency, date, subject, to,
references, urgency, receipt_no) and petition fields (date, subject, name, citizen_id, phone,
province, district). Dates come back ISO Gregorian; digits are Arabic."""
from __future__ import annotations

import datetime as dt
import re

from ingest.thai_text import fold_digits
from records.citizen_id import checksum_ok

MONTHS = {
    "มกราคม": 1, "กุมภาพันธ์": 2, "มีนาคม": 3, "เมษายน": 4, "พฤษภาคม": 5, "มิถุนายน": 6,
    "กรกฎาคม": 7, "สิงหาคม": 8, "กันยายน": 9, "ตุลาคม": 10, "พฤศจิกายน": 11, "ธันวาคม": 12,
    "ม.ค.": 1, "ก.พ.": 2, "มี.ค.": 3, "เม.ย.": 4, "พ.ค.": 5, "มิ.ย.": 6,
    "ก.ค.": 7, "ส.ค.": 8, "ก.ย.": 9, "ต.ค.": 10, "พ.ย.": 11, "ธ.ค.": 12,
}
_MONTH_RE = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
_DATE = re.compile(rf"(\d{{1,2}})\s*(?:เดือน)?\s*({_MONTH_RE})\s*(?:พ\.\s*ศ\.)?\s*(\d{{4}})")
_DOC_NO = re.compile(r"([ก-ฮ]{1,4}\s?\d{2,5}(?:\.\d+)*\s?/\s?(?:ว\s?)?\d{1,6})")
_CITIZEN = re.compile(r"(?<!\d)(\d(?:[\s-]*\d){12})(?!\d)")
_PHONE = re.compile(r"(?:โทรศัพท์|โทร\.?|มือถือ)\s*:?\s*(0\d(?:[\s-]?\d){7,8})")
_PREFIX = r"(?:นางสาว|นาย|นาง|ด\.ช\.|ด\.ญ\.)"


# Thai digits OCR confuses (folded to Arabic): what each reading may really have been
CONFUSED = {"0": "12", "1": "0", "2": "60", "3": "79", "4": "58", "5": "489", "6": "20", "7": "3", "8": "54",
            "9": "53"}


def repair_citizen_id(digits: str) -> str | None:
    """A 13-digit reading that fails the checksum, repaired when exactly one change of one digit
    to a digit OCR confuses it with makes it valid; None otherwise."""
    if checksum_ok(digits):
        return digits
    if len(digits) != 13:
        return None
    fixes = {digits[:i] + alt + digits[i + 1:] for i, d in enumerate(digits) for alt in CONFUSED.get(d, "")}
    valid = [f for f in fixes if checksum_ok(f)]
    return valid[0] if len(valid) == 1 else None


def thai_date(text: str) -> dt.date | None:
    """'๑๙ ธันวาคม ๒๕๖๓' or 'วันที่ 15 เดือน สิงหาคม พ.ศ. 2568' → a Gregorian date."""
    m = _DATE.search(fold_digits(text))
    if not m:
        return None
    day, month, year = int(m.group(1)), MONTHS[m.group(2)], int(m.group(3))
    if year > 2400:
        year -= 543
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_FULL_MONTHS = "|".join(sorted((m for m in MONTHS if "." not in m), key=len, reverse=True))
_LETTER_DATE = re.compile(rf"^\s*(\d{{1,2}})\s*({_FULL_MONTHS})\s*(\d{{3,4}})(?!\d)", re.M)
_STAMP_DATE = re.compile(rf"วันที่?\s*(\d{{1,2}})\s*({_MONTH_RE})\s*(\d{{4}})")


def letter_date(t: str) -> dt.date | None:
    """An official letter's own date: a line of its own with the month written out (the receipt
    stamp's date follows "วันที่" and abbreviates the month). A year OCR cut to three digits is
    completed from the stamp's year when they agree."""
    stamp = _STAMP_DATE.search(t[:800])
    for m in _LETTER_DATE.finditer(t):
        day, month, year = int(m.group(1)), MONTHS[m.group(2)], m.group(3)
        if len(year) == 3:
            if not (stamp and stamp.group(3).startswith(year)):
                continue
            year = stamp.group(3)
        y = int(year) - 543 if int(year) > 2400 else int(year)
        try:
            return dt.date(y, month, day)
        except ValueError:
            continue
    return None


def _line_after(label: str, text: str) -> str | None:
    m = re.search(rf"^\s*{label}\s+(.+)$", text, re.M)
    return m.group(1).strip() if m else None


# labels as OCR may read them: เรื่อง loses or misplaces its marks (เรือง, เรืยง)
SUBJECT_LABEL = "เร[\u0e34-\u0e37\u0e48-\u0e4b]{0,3}[อย]ง"
TO_LABEL = "เรียน"

# complaint categories suggested from the subject (and body), first match wins
CATEGORY_RULES: list[tuple[str, str]] = [
    ("หนี้นอกระบบ", r"หนี้|ดอกเบี้ย|เงินกู้|นายทุน"),
    ("ที่ดิน", r"ที่ดิน|แนวเขต|เอกสารสิทธิ์|โฉนด|บุกรุก"),
    ("ความเดือดร้อนรำคาญ", r"เสียงดัง|กลิ่น|ควัน|ฝุ่น|รำคาญ"),
    ("สาธารณูปโภค", r"ไฟฟ้า|ประปา|ถนน|ท่อระบาย|สาธารณูปโภค"),
    ("ร้องเรียนเจ้าหน้าที่รัฐ", r"เจ้าหน้าที่.{0,20}(ทุจริต|ประพฤติมิชอบ|เรียกรับ)"),
]


def suggest_category(subject: str) -> str:
    for category, pattern in CATEGORY_RULES:
        if re.search(pattern, subject):
            return category
    return "เรื่องอื่นๆ"


def extract_fields(text: str) -> dict:
    t = fold_digits(text)
    f: dict = {}
    head = t[:600]
    is_letter = bool(re.search(r"^\s*ที่\s*[ก-ฮ]{1,4}\s?\d", t, re.M))
    is_petition = "ข้าพเจ้า" in t or "คำร้อง" in head
    f["kind"] = "official_letter" if is_letter else "petition" if is_petition else "other"
    if is_letter:
        m = re.search(r"^\s*ที่\s*" + _DOC_NO.pattern, t, re.M)
        if m:
            f["doc_no"] = re.sub(r"\s+", " ", m.group(1)).replace(" /", "/").replace("/ ", "/")
        lines = [ln.strip() for ln in t.splitlines() if ln.strip()]
        for i, ln in enumerate(lines):
            if ln.startswith("ที่ ") and i + 1 < len(lines):
                f["agency"] = lines[i + 1]
                break
        urg = re.search(r"ด่วนที่สุด|ด่วนมาก|ด่วน", head)
        f["urgency"] = urg.group(0) if urg else ""
        refs = []
        for m in re.finditer(r"^\s*อ้างถึง\s+(.+(?:\n.+)?)", t, re.M):
            refs += [re.sub(r"\s+", " ", r) for r in _DOC_NO.findall(m.group(1))]
        f["references"] = refs
        rec = re.search(r"เลขรับ\s*:?\s*(\d+)", t)
        if rec:
            f["receipt_no"] = rec.group(1)
        to = _line_after(TO_LABEL, t)
        if to:
            f["to"] = to
    subject = _line_after(SUBJECT_LABEL, t)
    if subject:
        f["subject"] = subject
    # the document's own date: the first Thai date that is not a receipt stamp date
    body = re.sub(r"^.*เลขรับ.*\n.*\n", "", t, count=1, flags=re.M) if "เลขรับ" in head else t
    d = (letter_date(t) if is_letter else None) or thai_date(body)
    if d:
        f["date"] = d.isoformat()
    if is_petition:
        ids = [re.sub(r"\D", "", m) for m in _CITIZEN.findall(t)]
        valid = [i for i in ids if checksum_ok(i)] or [r for r in map(repair_citizen_id, ids) if r]
        if valid or ids:
            f["citizen_id"] = (valid or ids)[0]
        m = _PHONE.search(t)
        if m:
            f["phone"] = re.sub(r"\D", "", m.group(1))
        m = re.search(rf"ข้าพเจ้า\s*({_PREFIX}\s?\S+\s+\S+)", t)
        if m:
            f["name"] = re.sub(r"\s+", " ", m.group(1))
        m = re.search(r"จังหวัด\s?([ก-๛]+)\s+(?:โทร|$)", t, re.M) or re.search(r"จังหวัด\s?([ก-๛]+)", t)
        if m:
            f["province"] = m.group(1)
        m = re.search(r"อยู่บ้านเลขที่.*?อำเภอ\s?([ก-๛]+)", t, re.S)
        if m:
            f["district"] = m.group(1)
        if subject:
            f["category"] = suggest_category(subject)
    return f
