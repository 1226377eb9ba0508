"""Numbers read from OCR'd text whose own structure says when a reading is wrong: the 13-digit
citizen ID (printed 1-2345-67890-12-3, the last digit a checksum), Thai phone numbers, and the
numbers of official letters (มท 0205.3/ว 4777).

The checksum picks the right reading of an ID when OCR left one digit unreadable (the missing
digit is computed), or misread one as a digit it is often confused with (the one change that
makes the checksum right, if only one does); the printed groups say which group lost a digit
OCR dropped, and it is put back only when one place and value alone pass the checksum.
Digits are Arabic here (the text is folded first)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from thai.characters import MARK_CLASS
from thai.citizen_id import checksum_ok

# Thai digits OCR confuses (folded to Arabic): what each reading may really have been
CONFUSED = {"0": "12", "1": "0", "2": "60", "3": "79", "4": "58", "5": "489", "6": "20", "7": "3", "8": "54", "9": "53"}
ID_GROUPS = (1, 4, 5, 2, 1)
UNKNOWN = "?"


@dataclass(frozen=True)
class Reading:
    value: str
    confidence: float


def repair_citizen_id(digits: str) -> str | None:
    """A 13-digit reading that fails the checksum, repaired when exactly one change of one digit
    to a digit OCR confuses it with makes it valid; None otherwise."""
    if checksum_ok(digits):
        return digits
    if len(digits) != 13 or not digits.isdigit():
        return None
    fixes = {digits[:i] + alt + digits[i + 1 :] for i, d in enumerate(digits) for alt in CONFUSED.get(d, "")}
    valid = [f for f in fixes if checksum_ok(f)]
    return valid[0] if len(valid) == 1 else None


# the Thai digit a letter OCR wrote in a number most resembles (looped and loopless fonts)
LOOKS_LIKE = {
    "ต": "3",
    "ท": "3",
    "ฒ": "7",
    "ญ": "7",
    "ฆ": "7",
    "ข": "7",
    "ส": "8",
    "ซ": "8",
    "อ": "6",
    "ค": "6",
    "ด": "6",
    "ณ": "9",
    "ฝ": "9",
    "ผ": "9",
    "ถ": "3",
    "ๆ": "1",
}


def _fill_unknown(digits: str, hint: str = "") -> str | None:
    """One unreadable digit among 13: the checksum leaves one value, or two (11 − x mod 11 is 1
    for two remainders), when the letter OCR wrote for it says which."""
    i = digits.index(UNKNOWN)
    valid = [digits[:i] + d + digits[i + 1 :] for d in "0123456789" if checksum_ok(digits[:i] + d + digits[i + 1 :])]
    if len(valid) == 2 and LOOKS_LIKE.get(hint):
        valid = [v for v in valid if v[i] == LOOKS_LIKE[hint]]
    return valid[0] if len(valid) == 1 else None


def _by_groups(groups: list[str]) -> str | None:
    """Printed groups 1-4-5-2-1 with one digit too few or too many in one group: the digit to
    put back (checksum) or take out (the one removal that leaves a valid ID)."""
    if len(groups) != len(ID_GROUPS):
        return None
    wrong = [k for k, (g, n) in enumerate(zip(groups, ID_GROUPS)) if len(g) != n]
    if len(wrong) != 1:
        return None
    k = wrong[0]
    g, n = groups[k], ID_GROUPS[k]
    if len(g) == n - 1:
        cands = {g[:i] + UNKNOWN + g[i:] for i in range(len(g) + 1)}
    elif len(g) == n + 1:
        cands = {g[:i] + g[i + 1 :] for i in range(len(g))}
    else:
        return None
    valid = set()
    for c in cands:
        digits = "".join(groups[:k]) + c + "".join(groups[k + 1 :])
        if UNKNOWN in digits:
            filled = _fill_unknown(digits)
            valid |= {filled} if filled else set()
        elif checksum_ok(digits):
            valid.add(digits)
    return valid.pop() if len(valid) == 1 else None


_ID_CHARS = re.compile(r"[\d\s\-–.,?@«»|!]+")


def read_citizen_id(window: str) -> Reading | None:
    """The citizen ID at the start of `window` (the text right after its label): digits in
    groups, with dashes, spaces or line breaks between; what OCR wrote for a digit it could not
    read counts as an unknown digit."""
    # a letter or two OCR wrote for a digit, between digits or dashes (or opening the number,
    # right before its first dash): an unknown digit, the letter kept as a hint
    hints = []

    def unknown(m: re.Match) -> str:
        hints.append(next((c for c in m.group(0) if c in LOOKS_LIKE), ""))
        return UNKNOWN

    window = re.sub(
        rf"(?:(?<=[\d\-])|^)[ก-ฮเแ][{MARK_CLASS}]*(?:[ก-ฮ][{MARK_CLASS}]*)?(?=[\d\-])",
        unknown,
        window.lstrip(" :"),
    )
    m = _ID_CHARS.match(window)
    if not m:
        return None
    raw = m.group(0)
    raw = re.sub(r"[?@«»|!]", UNKNOWN, raw)
    groups = [g for g in re.split(r"[\s\-–.,]+", raw) if g]
    digits = "".join(groups)
    if len(digits) < 10:
        return None
    if len(digits) == 13 and UNKNOWN not in digits:
        if checksum_ok(digits):
            return Reading(digits, 0.97)
        fixed = repair_citizen_id(digits)
        if fixed:
            return Reading(fixed, 0.75)
    if len(digits) == 13 and digits.count(UNKNOWN) == 1:
        filled = _fill_unknown(digits, hints[0] if len(hints) == 1 else "")
        if filled:
            return Reading(filled, 0.7)
    fixed = _by_groups(groups)
    if fixed:
        return Reading(fixed, 0.65)
    clean = digits.replace(UNKNOWN, "")
    return Reading(clean[:13], 0.3) if len(clean) >= 12 else None


def find_citizen_ids(text: str) -> list[str]:
    """Every valid 13-digit citizen ID anywhere in the text (no label needed)."""
    out = []
    for m in re.finditer(r"(?<!\d)(\d(?:[\s\-]?\d){12})(?!\d)", text):
        d = re.sub(r"\D", "", m.group(1))
        if checksum_ok(d):
            out.append(d)
    return out


def read_phone(window: str) -> Reading | None:
    """A Thai phone number at the start of `window`: mobile 0[6-9]x-xxx-xxxx, fixed 0x-xxx-xxxx."""
    # a mobile number's leading ๐ read as a letter (ง๘๗-๖๕๔-๒๗๙๔ in a square face): a number
    # written 0xx-xxx-xxxx can only open with 0 — read so, but never sure
    lost_zero = re.match(r"([\s:.]*)[ก-ฮ](?=\d{2}-\d{3}-\d{4}(?!\d))", window)
    if lost_zero:
        found = read_phone(lost_zero.group(1) + "0" + window[lost_zero.end() :])
        return Reading(found.value, min(found.confidence, 0.6)) if found else None
    # a speck OCR read between the groups (๐๘๒-'๖๖๓-๗๗๗๕) is no digit
    m = re.match(r"[\s:.]*((?:\d[\s\-–.'`]{0,2}){8,11})", window)
    if not m:
        return None
    digits = re.sub(r"\D", "", m.group(1))
    # a number running on into the next line's digits: the phone number is its start
    if re.match(r"0[689]\d{8}", digits):
        digits = digits[:10]
    elif re.match(r"0[2-7]\d{7}", digits) and len(digits) != 10:
        digits = digits[:9]
    if re.fullmatch(r"0[689]\d{8}", digits):
        return Reading(digits, 0.95)
    if re.fullmatch(r"0[2-7]\d{7}", digits):
        return Reading(digits, 0.9)
    if re.fullmatch(r"0\d{8,9}", digits):
        return Reading(digits, 0.6)
    return Reading(digits, 0.3) if len(digits) >= 9 else None


# A letter's number: the writer's code (2–4 Thai consonants), then its numbers, e.g.
# มท 0205.3/ว 4777, สน 5157.5/29669, ศธ 04006/ว1234
# (a slash OCR lost before the ว of a circular letter, or read as ป, is put back: ว stands only
# after one)
_DOC_NO = re.compile(
    r"(?P<code>[ก-ฮ]{2,4})[ .]{0,2}(?P<num>\d[\d ]{0,8}(?: ?\. ?\d+)*)"
    r"(?: ?/ ?(?P<circ>ว {0,2})?| ?ป?(?P<lost>ว) {0,2})(?P<seq>\d(?:[\d ]|['`](?=\d)){0,7}\d|\d)(?!\d)"
)


@dataclass(frozen=True)
class DocNumber:
    code: str
    number: str
    circular: bool
    sequence: str
    start: int
    end: int

    def text(self, code: str | None = None) -> str:
        return f"{code or self.code} {self.number}/{'ว ' if self.circular else ''}{self.sequence}"


def find_doc_numbers(text: str) -> list[DocNumber]:
    out = []
    for m in _DOC_NO.finditer(text):
        num = re.sub(r"\s+", "", m.group("num"))
        # a speck read as a dot inside the writer's four digits (๐๐๗. ๐.๙ for ๐๐๗๐.๙)
        speck = re.fullmatch(r"(\d{3})\.(\d)(\.\d+)", num)
        if speck:
            num = speck.group(1) + speck.group(2) + speck.group(3)
        out.append(
            DocNumber(
                m.group("code"),
                num,
                bool(m.group("circ") or m.group("lost")),
                re.sub(r"[\s'`]+", "", m.group("seq")),  # a speck inside it (๒๕'๖๔๙) no digit
                m.start(),
                m.end(),
            )
        )
    return out
