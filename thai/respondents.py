"""A respondent's name as two centres are compared by: the party complained about is written many
ways — "บริษัท ทรายทอง จำกัด", "บ.ทรายทอง จก.", "อบต.บ้านเป็ด" for องค์การบริหารส่วนตำบลบ้านเป็ด,
"นายสมชาย  ใจดี" for สมชาย ใจดี. `respondent_key` gives every way of writing one party the same
key: abbreviations of Thai agencies spelt out, personal titles and the legal forms of businesses
dropped, spacing, punctuation and the digits' script taken away. A key too general to name
anyone ("เจ้าหน้าที่", "ไม่ทราบชื่อ") is empty: it matches nothing."""

from __future__ import annotations

import re
import unicodedata

from thai.digits import fold_digits
from thai.names import TITLES

# abbreviations as counters write them → the agency's full name (longest first when applied)
ABBREVIATIONS = {
    "รพ.สต.": "โรงพยาบาลส่งเสริมสุขภาพตำบล",
    "อบต.": "องค์การบริหารส่วนตำบล",
    "อบจ.": "องค์การบริหารส่วนจังหวัด",
    "ทต.": "เทศบาลตำบล",
    "ทม.": "เทศบาลเมือง",
    "ทน.": "เทศบาลนคร",
    "สภ.": "สถานีตำรวจภูธร",
    "สน.": "สถานีตำรวจนครบาล",
    "รพ.": "โรงพยาบาล",
    "ร.ร.": "โรงเรียน",
    "รร.": "โรงเรียน",
    "ผญบ.": "ผู้ใหญ่บ้าน",
    "กฟภ.": "การไฟฟ้าส่วนภูมิภาค",
    "กปภ.": "การประปาส่วนภูมิภาค",
    "ที่ว่าการอำเภอ": "อำเภอ",
    "ศาลากลางจังหวัด": "จังหวัด",
}
# the legal forms of a business: not part of whom a complaint is about
LEGAL_FORMS = (
    "บริษัทมหาชนจำกัด",
    "ห้างหุ้นส่วนจำกัด",
    "ห้างหุ้นส่วนสามัญ",
    "ห้างหุ้นส่วน",
    "(มหาชน)",
    "มหาชน",
    "บริษัท",
    "จำกัด",
    "หจก.",
    "บจก.",
    "บมจ.",
    "บ.",
    "จก.",
    "ร้าน",
    "co.,ltd.",
    "co.,ltd",
    "company",
    "limited",
    "ltd.",
    "ltd",
    "co.",
)
GENERIC = frozenset({"", "เจ้าหน้าที่", "เจ้าหน้าที่รัฐ", "ไม่ทราบชื่อ", "ไม่ระบุ", "ไม่ทราบ", "บุคคล", "นายทุน", "เพื่อนบ้าน", "ชาวบ้าน"})
_PUNCT = re.compile(r"[\s\.\,\-\(\)\"'“”‘’/]+")
_TITLE_AT_WORD = re.compile("(^|\\s)(?:" + "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True)) + ")")


def respondent_key(name: str) -> str:
    """The key one party is known by, however it is written ("" for nothing in particular)."""
    text = unicodedata.normalize("NFC", fold_digits(name or "")).strip().lower()
    text = re.sub(r"\s+", " ", text)
    for short in sorted(ABBREVIATIONS, key=len, reverse=True):
        text = re.sub(rf"(?<![ก-๛]){re.escape(short)}\s*", ABBREVIATIONS[short], text)
    for form in LEGAL_FORMS:
        text = text.replace(form, " ")
    text = _TITLE_AT_WORD.sub(r"\1", text)
    key = _PUNCT.sub("", text)
    return "" if key in GENERIC or len(key) < 3 else key
