"""Fields of a petition (คำร้องเรียน/ร้องทุกข์), by the form citizens and counter staff write it in:

    เขียนที่ …
    วันที่ ๑๕ เดือน สิงหาคม พ.ศ. ๒๕๖๘                                   (date)
    เรื่อง …                                                            (subject → category)
    เรียน …
    ข้าพเจ้า นาย… …  อายุ … ปี  เลขประจำตัวประชาชน ๓-๑๗๔๒-๑๘๐๙๖-๗๙-๕   (name, citizen_id)
    อยู่บ้านเลขที่ … หมู่ที่ … ตำบล… อำเภอ… จังหวัด…  โทรศัพท์ ๐๖๐-๒๙๔-๔๙๖๓
                                  (house_no, moo, subdistrict, district, province, phone)

Labels are matched with their marks forgiven; the line breaks the form puts anywhere (in the
middle of an ID number or a district's name) are read through; the ID's checksum picks the right
reading; provinces and districts are checked against the lexicon."""

from __future__ import annotations

import re

from ingest.fields.letter import after_label
from ingest.fields.numbers import Reading, find_citizen_ids, read_citizen_id, read_phone
from thai import lexicon as lx
from thai.characters import mark_pattern
from thai.dates import century_slip, find_dates
from thai.names import TITLE_PATTERN

Found = dict[str, tuple[object, float]]

SUBJECT = mark_pattern("เรื่อง")
ID_LABEL = (
    mark_pattern("เลขประจำตัว")
    + r"\s*"
    + mark_pattern("ประชาชน")
    + "|"
    + mark_pattern("เลขบัตรประจำตัวประชาชน")
    # ประจำ damaged by OCR (เลขประวจำตัว): เลข, a few letters, then ตัว ประชาชน
    + r"|เลข[ก-๛]{3,8}?"
    + mark_pattern("ตัว")
    + r"\s*"
    + mark_pattern("ประชาชน")
)
PHONE_LABEL = "|".join(mark_pattern(w) for w in ("โทรศัพท์มือถือ", "โทรศัพท์", "มือถือ", "โทร"))
PREFIX = f"(?:{TITLE_PATTERN})"
I_AM = mark_pattern("ข้าพเจ้า")
ADDRESS = mark_pattern("อยู่บ้านเลขที่") + "|" + mark_pattern("บ้านเลขที่") + "|" + mark_pattern("ที่อยู่")

# The keyword cold start (before the archive has taught records.category_model): complaint
# categories — a sub category's name where the words say which — suggested from the subject,
# first match wins. Every seeded category with words of its own (records.areas.CATEGORIES).
CATEGORY_RULES: list[tuple[str, str]] = [
    ("หนี้นอกระบบ", r"หนี้|ดอกเบี้ย|เงินกู้|นายทุน"),
    ("ที่ดิน", r"ที่ดิน|แนวเขต|เอกสารสิทธิ์|โฉนด|บุกรุก"),
    ("ความเดือดร้อนรำคาญ", r"เสียงดัง|กลิ่น|ควัน|ฝุ่น|รำคาญ"),
    ("สาธารณูปโภค", r"ไฟฟ้า|ประปา|ถนน|ท่อระบาย|สาธารณูปโภค"),
    ("ร้องเรียนเจ้าหน้าที่รัฐ", r"เจ้าหน้าที่.{0,20}(ทุจริต|ประพฤติมิชอบ|เรียกรับ)"),
    ("การพนัน", r"พนัน|บ่อน|หวยใต้ดิน|ไก่ชน|สลากกินแบ่งเกินราคา"),
    ("ยาเสพติด", r"ยาเสพติด|ยาบ้า|ยาไอซ์|ค้ายา|เสพยา|มั่วสุม"),
    ("ทุจริต/ประพฤติมิชอบ", r"ทุจริต|ประพฤติมิชอบ|เรียกรับ|สินบน|เงินใต้โต๊ะ"),
    ("ละเลยต่อหน้าที่", r"ละเลย|ละทิ้งหน้าที่|ไม่ปฏิบัติหน้าที่"),
    ("ทรัพยากรธรรมชาติและสิ่งแวดล้อม", r"ป่าไม้|ตัดไม้|ป่าสงวน|สัตว์ป่า|น้ำเสีย|มลพิษ|ขยะ|ลำน้ำ|ชายฝั่ง"),
    ("คุ้มครองผู้บริโภค", r"ผู้บริโภค|ฉ้อโกง|โฆษณาเกินจริง|ฉลาก|หมดอายุ|ไม่ได้รับสินค้า|สินค้าออนไลน์"),
    ("เงินช่วยเหลือ", r"เบี้ยยังชีพ|เงินช่วยเหลือ|เงินสงเคราะห์|เบี้ยความพิการ"),
    ("การรักษาพยาบาล", r"รักษาพยาบาล|ค่ารักษา|สิทธิบัตรทอง"),
    ("ที่อยู่อาศัย", r"ที่อยู่อาศัย|บ้านพัก|บ้านพัง|ซ่อมบ้าน|ไร้ที่อยู่"),
]


def suggest_category(subject: str) -> tuple[str, float]:
    """The keyword rules' category for a subject (the learned model, once trained, may override
    it: records.category_model)."""
    for category, pattern in CATEGORY_RULES:
        if re.search(pattern, subject):
            return category, 0.8
    return "เรื่องอื่นๆ", 0.5


def is_petition(text: str) -> bool:
    head = text[:600]
    return bool(re.search(I_AM, text) or re.search(mark_pattern("คำร้อง"), head))


def _one_line(text: str) -> str:
    """The text with its line breaks taken out where a word or a number runs on."""
    return re.sub(r"(?<=[\d\-ก-๛])\n(?=[\d\-ก-๛])", "", text)


def _place(label: str, text: str, choices) -> tuple[str, float] | None:
    """The place after a label (อำเภอ, จังหวัด), checked against the lexicon; the name may run
    on into the next line."""
    for m in re.finditer(rf"{mark_pattern(label)}\s?([ก-๛]+)(?:\n([ก-๛]+))?", text):
        word, more = m.group(1), m.group(2)
        for cand in ([word + more] if more else []) + [word]:
            found, conf = lx.closest(cand, choices, max_other=1)
            if found:
                return found, conf
    bare = re.search(rf"{mark_pattern(label)}\s?([ก-๛]+)", text)
    return (bare.group(1), 0.4) if bare else None


def _address(text: str) -> str:
    """The complainant's address: from อยู่บ้านเลขที่ on (the heading names the centre's district)."""
    m = re.search(ADDRESS, text)
    return text[m.start() : m.start() + 400] if m else text


HOUSE_NO = rf"(?:{mark_pattern('บ้านเลขที่')}|{mark_pattern('เลขที่')})\s*([0-9][0-9/\-]*)"
MOO = rf"(?:{mark_pattern('หมู่ที่')}|{mark_pattern('หมู่')}|ม\.)\s*([0-9]{{1,3}})(?![0-9])"


def _house(address: str) -> Found:
    """The house number and the village number (หมู่) of the complainant's address."""
    out: Found = {}
    m = re.search(HOUSE_NO, _one_line(address[:80]))
    if m and m.group(1).strip("/-"):
        out["house_no"] = (m.group(1).strip("/-"), 0.8)
    m = re.search(MOO, address[:160])
    if m:
        out["moo"] = (str(int(m.group(1))), 0.8)
    return out


def _subdistrict(address: str) -> tuple[str, float] | None:
    """ตำบล… (แขวง… in Bangkok), checked against the sub-districts geothai knows."""
    for label in ("ตำบล", "แขวง"):
        found = _place(label, address, lx.subdistricts())
        if found:
            return found
    return None


def petition_fields(text: str) -> Found:
    """Values with a confidence (0–1) each; digits Arabic (fold the text first)."""
    out: Found = {}
    subject = after_label(SUBJECT, text)
    if subject:
        out["subject"] = (subject, 0.85)
        out["category"] = suggest_category(subject)
    head_dates = [d for d in find_dates(text[:600]) if d.full_month]
    if head_dates:
        d = head_dates[0]
        slipped = century_slip(d.date, text)
        out["date"] = (slipped.isoformat(), 0.6) if slipped else (d.date.isoformat(), 0.95 if d.exact else 0.8)
    m = re.search(rf"{I_AM}\s*({PREFIX})\s?(\S+)(?:\s+(?!{mark_pattern('อายุ')})(\S+))?", text)
    if m and m.group(3):
        # อายุ glued to the surname where OCR lost the space after it
        surname = re.sub(mark_pattern("อายุ") + r"\d*$", "", m.group(3)) or m.group(3)
        out["name"] = (f"{m.group(1)}{m.group(2)} {surname}", 0.75 if surname == m.group(3) else 0.6)
    elif m:  # the space between the names lost: อายุ is no surname
        out["name"] = (f"{m.group(1)}{m.group(2)}", 0.5)
    flat = _one_line(text)
    m = re.search(ID_LABEL, flat)
    reading = read_citizen_id(flat[m.end() : m.end() + 40]) if m else None
    if reading is None or reading.confidence < 0.5:
        valid = find_citizen_ids(flat)  # a valid ID elsewhere, its label damaged
        if valid:
            reading = Reading(valid[0], 0.8)
    if reading is not None:
        out["citizen_id"] = (reading.value, reading.confidence)
    m = re.search(rf"(?:{PHONE_LABEL})\s*\.?\s*:?", flat)
    if m:
        phone = read_phone(flat[m.end() : m.end() + 30])
        if phone:
            out["phone"] = (phone.value, phone.confidence)
    address = _address(text)
    prov = _place("จังหวัด", address, lx.provinces())
    if prov:
        out["province"] = prov
    dist = _place("อำเภอ", address, lx.districts())
    if dist:
        out["district"] = dist
    if re.search(ADDRESS, text):
        out.update(_house(address))
        sub = _subdistrict(address)
        if sub:
            out["subdistrict"] = sub
    return out
