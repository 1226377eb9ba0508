"""Fields of a Thai official letter (หนังสือราชการภายนอก), by its fixed shape:

    [receipt stamp: หน่วยงาน / เลขรับ … / วันที่ … / เวลา …]      (top right, read first)
    ด่วนที่สุด | ด่วนมาก | ด่วน                                  (urgency, above the number)
    ที่ มท ๐๒๐๕.๓/ว ๔๗๗๗                 กรมการปกครอง          (number; the agency beside or below)
                                         ถนน …
                  ๑๙ ธันวาคม ๒๕๖๓                              (the letter's own date, a line alone)
    เรื่อง …                                                    (subject)
    เรียน …                                                     (to)
    อ้างถึง หนังสือ … ที่ … ลงวันที่ …                              (references: letter numbers)

Labels are matched with their marks forgiven (OCR reads เรื่อง as เรือง); the writer's code in
the number is checked against the codes of the provinces and ministries, and set right from
the agency's own name where OCR misread it (รป → รบ under ศาลากลางจังหวัดราชบุรี)."""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from ingest.fields.numbers import DocNumber, find_doc_numbers
from thai import lexicon as lx
from thai.characters import look_alikes, mark_pattern
from thai.dates import century_slip, find_dates, month_number, to_gregorian

Found = dict[str, tuple[object, float]]

SUBJECT = mark_pattern("เรื่อง")
TO = mark_pattern("เรียน")
# อ้างถึง, or what OCR left of it (ฮ้าถึง, อาถึง, อฮ้าถึง: never มาถึง, จนถึง) where a letter's
# หนังสือ follows (numbered: ๑. หนังสือ)
REFERENCE = (
    rf"(?:{mark_pattern('อ้างถึง')}|[อฮ]ฮ?[\u0e31-\u0e4e]{{0,2}}า?[\u0e31-\u0e4e]{{0,2}}ง?ถึง"
    rf"(?=[ \t]+(?:[0-9๐-๙]{{1,2}}[.)][ \t]*)?{mark_pattern('หนังสือ')}))"
)
ENCLOSURE = mark_pattern("สิ่งที่ส่งมาด้วย")
URGENCY = [("ด่วนที่สุด", mark_pattern("ด่วนที่สุด")), ("ด่วนมาก", mark_pattern("ด่วนมาก")), ("ด่วน", mark_pattern("ด่วน"))]
NUMBER_LINE = re.compile(r"^[ \t]*" + mark_pattern("ที่") + r"[ \t]*(?=[ก-ฮ]{2,4}[ .]{0,2}\d)", re.M)
HEAD_GUESS = 0.8  # an agency found only somewhere in the letter's head, not beside its number
RECEIPT = re.compile(r"เลข.{0,2}" + mark_pattern("รับ") + r"(?:ที่)?\s*[:.]?\s*(\d+)")  # เลขรบ: its ั lost
# a stamp's first line whose label OCR spoiled (เลย ๖๗๙๗, เสขรับ ๓๐๐๘): a number alone on a line
# that opens like เลข, the stamp's วันที่ on the next
RECEIPT_DAMAGED = re.compile(
    r"^[ \t]*เ?[ลส][ก-๛]{0,5}[ \t]*[:.]?[ \t]*(\d{2,6})[ \t]*\n[ \t]*" + mark_pattern("วันที่"), re.M
)
STAMP_DATE = re.compile(mark_pattern("วันที่") + r"\s*[:.]?\s*(\d{1,2})\s*([^\d\n]{2,12}?)\s*(\d{2,4})")
STAMP_TIME = re.compile(mark_pattern("เวลา") + r"\s*[:.]?\s*(\d{1,2})\s*[.:]\s*(\d{2})")
_LABEL_LINE = re.compile(rf"^\s*(?:{SUBJECT}|{TO}|{REFERENCE}|{ENCLOSURE})\b", re.M)


def is_letter(text: str) -> bool:
    return bool(NUMBER_LINE.search(text[:1500]))


def after_label(label: str, text: str) -> str | None:
    """What follows a label on its line, with the rest of it where it runs on to a short next
    line (a long subject wraps: the wrapped part is short, the body's first line is long)."""
    m = re.search(rf"^\s*{label}[ \t]+(.+)$", text, re.M)
    if not m:
        return None
    value = m.group(1).strip()
    rest = text[m.end() :].lstrip("\n").split("\n", 1)[0].strip()
    lengths = sorted(len(ln.strip()) for ln in text.splitlines() if len(ln.strip()) > 20)
    typical = lengths[len(lengths) // 2] if lengths else 60
    if (
        rest
        and len(rest) < 0.5 * typical
        and not _LABEL_LINE.match(rest)
        and not re.search(r"\d", rest)
        and len(value) > 0.6 * typical
    ):
        value += rest if re.match(r"[ก-๛]", rest) and re.search(r"[ก-๛]$", value) else " " + rest
    return re.sub(r"\s+[:;,.'|]+$", "", value)  # a speck read as punctuation after the words


def _code_from_agency(agency: str | None) -> str | None:
    """The code an agency writes with: its province's (the name ends with one), else its
    ministry's; a name with one letter misread (ประจวบคีรียันธ์, กระทรวงสาธารณสุย) still counts."""
    if not agency:
        return None
    for name, code in lx.provinces().items():
        if agency.endswith(name):
            return code
    exact = _ministry_code(agency)
    if exact:
        return exact
    near = {
        c
        for name, c in lx.provinces().items()
        if len(name) >= 6 and Levenshtein.distance(agency[-len(name) :], name) <= 1
    }
    return near.pop() if len(near) == 1 else None


def _ministry_code(agency: str | None) -> str | None:
    """The code of the ministry an agency's name opens with (one letter misread still counts)."""
    if not agency:
        return None
    for code, ministry in lx.MINISTRY_CODES.items():
        if agency.startswith(ministry) or (code == "มท" and agency in ("กรมการปกครอง", "สำนักงานปลัดกระทรวงมหาดไทย")):
            return code
    near = {c for c, m in lx.MINISTRY_CODES.items() if len(m) >= 10 and Levenshtein.distance(agency[: len(m)], m) <= 1}
    return near.pop() if len(near) == 1 else None


def _one_letter_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1


def _checked_code(number: DocNumber, agency: str | None) -> tuple[str, float]:
    """The writer's code, checked: a known code stands — unless the agency's own code is one
    letter from it (a look-alike read: สร for สธ); an unknown one is set right from the
    agency's name (also when OCR added a letter to it), or from the one known code it is a
    single letter away from (or, OCR having added one, the one known code left without it)."""
    codes = lx.letter_codes()
    code = number.code
    if code in codes:
        # a ministry writing as itself uses its own code: another known code one letter from it
        # is a misreading (สร for the สธ of กระทรวงสาธารณสุข) — a provincial office of a
        # ministry (สำนักงานศึกษาธิการจังหวัดศรีสะเกษ) writes with the ministry's (ศธ), not the
        # province's (ศก), so a province never overrules a known code
        ministry = _ministry_code(agency)
        if ministry and _one_letter_apart(code, ministry):
            return ministry, 0.7
        return code, 0.95
    from_agency = _code_from_agency(agency)
    if from_agency and len(from_agency) == len(code):
        return from_agency, 0.8
    one_less = {code[:i] + code[i + 1 :] for i in range(len(code))}  # a letter OCR added taken out
    if from_agency in one_less:
        return from_agency, 0.7  # สรธ for the สธ of กระทรวงสาธารณสุข
    # a letter read as its look-alike (ปย for ปข): the one known code a swap makes
    swapped = {code[:i] + o + code[i + 1 :] for i, c in enumerate(code) for o in look_alikes(c)} & set(codes)
    if len(swapped) == 1:
        return swapped.pop(), 0.6
    near, _conf = lx.closest(code, codes, max_other=1)
    if near and len(near) == len(code):
        return near, 0.6
    shorter = one_less & set(codes)
    if len(code) > 2 and len(shorter) == 1:
        return shorter.pop(), 0.6
    return code, 0.4


def _agency(lines: list[str], number_line: int | None, beside: str = "") -> tuple[str, float] | None:
    """The writer: beside the number (the standard layout puts the agency's name at the right of
    ที่ …), right below or above it (the row read as two lines), or else anywhere in the head of
    the letter — the first name the lexicon knows that is not the receipt stamp's (the line over
    its เลขรับ: the office that received the letter), shown doubtful."""
    near = [beside]
    if number_line is not None:
        near += lines[number_line + 1 : number_line + 2] + lines[max(0, number_line - 1) : number_line]
        near += lines[number_line + 2 : number_line + 3]
    head = [ln for i, ln in enumerate(lines[:10]) if not (i + 1 < len(lines) and RECEIPT.search(lines[i + 1]))]
    for k, ln in enumerate(near + head):
        name = re.sub(r"\s+", "", ln)
        if not name:
            continue
        found, conf = lx.closest(name, lx.agencies(), max_other=1)
        if found:
            return found, conf if k < len(near) else min(conf, HEAD_GUESS)
    for ln in near:
        if ln.strip() and not re.search(r"\d{5}", ln):  # not the address line (postcode)
            return ln.strip(), 0.5
    return None


def _letter_date(text: str) -> tuple[str, float] | None:
    """The letter's own date: a line holding only a date with the month written out (stamp dates
    follow วันที่, references ลงวันที่). A year OCR cut to three digits is completed from the
    stamp's year when they agree."""
    stamp_year = None
    m = STAMP_DATE.search(text[:800])
    if m:
        stamp_year = m.group(3)
    for line in text.splitlines():
        s = line.strip()
        for d in find_dates(s):
            if d.start == 0 and d.full_month and len(s) - d.end <= 2:
                slipped = century_slip(d.date, text)
                if slipped:
                    return slipped.isoformat(), 0.6
                return d.date.isoformat(), 0.95 if d.exact else 0.8
        m3 = re.fullmatch(r"(\d{1,2})\s*(\S+)\s*(\d{3})", s)
        if m3 and stamp_year and stamp_year.startswith(m3.group(3)):
            month, _ = month_number(m3.group(2))
            when = to_gregorian(int(m3.group(1)), month, int(stamp_year)) if month else None
            if when:
                return when.isoformat(), 0.6
    return None


def _references(text: str) -> tuple[list[str], float] | None:
    m = re.search(rf"^\s*{REFERENCE}\s*(.+(?:\n(?!\s*(?:{SUBJECT}|{TO}|{ENCLOSURE})).+){{0,3}})", text, re.M)
    if not m:
        return None
    section = m.group(1)
    # the section ends where the body starts: the first line without a number or a date; a
    # number may be broken over two lines (ที่ มท 0205.3/ว ⏎ 4777)
    kept = []
    for i, ln in enumerate(section.splitlines()):
        if i and not re.search(r"\d", ln):
            break
        # an item's number (๒. หนังสือ…) is no part of the number ending the line before
        kept.append(re.sub(r"^\s*\d{1,2}[.)]\s+", "", ln).strip())
    joined = " ".join(kept)
    nums = find_doc_numbers(joined)
    refs = []
    for n in nums:
        # the agency the reference names before its number (หนังสือกระทรวงสาธารณสุข ที่ สธ …)
        named = re.search(r"หนังสือ\s*(\S+)\s*(?:ที่)?\s*$", joined[: n.start])
        code, _ = _checked_code(n, named.group(1) if named else None)
        refs.append(n.text(code))
    return refs, 0.9 if refs else 0.5


def _stamp(text: str) -> Found:
    out: Found = {}
    head = text[:800]
    m = RECEIPT.search(head) or RECEIPT_DAMAGED.search(head)
    if m:
        out["receipt_no"] = (m.group(1), 0.75 if m.re is RECEIPT_DAMAGED else 0.9)
        after = head[m.end(1) :]
        d = STAMP_DATE.search(after)
        if d:
            month, exact = month_number(d.group(2).strip())
            year = d.group(3)
            when = to_gregorian(int(d.group(1)), month, int(year), short_year=len(year) == 2) if month else None
            if when:
                out["receipt_date"] = (when.isoformat(), 0.9 if exact else 0.75)
        t = STAMP_TIME.search(after)
        if t and int(t.group(1)) < 24 and int(t.group(2)) < 60:
            out["receipt_time"] = (f"{int(t.group(1)):02d}:{t.group(2)}", 0.85)
    return out


def letter_fields(text: str) -> Found:
    """Values with a confidence (0–1) each; digits Arabic (fold the text first)."""
    out: Found = _stamp(text)
    lines = text.splitlines()
    m = NUMBER_LINE.search(text)
    number_line = text[: m.start()].count("\n") if m else None
    number_text = text[m.end() :].split("\n")[0] if m else ""
    nums = find_doc_numbers(number_text)
    agency = _agency(lines, number_line, number_text[nums[0].end :] if nums else "")
    if agency:
        out["agency"] = agency
    if nums:
        code, conf = _checked_code(nums[0], agency[0] if agency else None)
        out["doc_no"] = (nums[0].text(code), conf)
    head = text[: m.start()] if m else text[:300]
    for word, pattern in URGENCY:
        if re.search(rf"^\s*{pattern}[ \t.,]*$", head, re.M):  # a speck OCR read as a dot after it
            out["urgency"] = (word, 0.9)
            break
    else:
        out["urgency"] = ("", 0.8)
    d = _letter_date(text)
    if d:
        out["date"] = d
    for name, label in (("subject", SUBJECT), ("to", TO)):
        v = after_label(label, text)
        if v:
            out[name] = (v, 0.85)
    refs = _references(text)
    if refs:
        out["references"] = refs
    else:
        out["references"] = ([], 0.7)
    return out
