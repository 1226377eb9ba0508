"""Thai characters by what they are: digits, consonants, the vowels and marks above and below the
line, and two helpers for text whose marks OCR dropped or confused: `skeleton` (the text without
its marks) and `mark_pattern` (a regular expression that forgives them).

Combining marks are never stripped for comparison or search: ข้าว ≠ ข่าว. Only these helpers,
used to recognise a known word or label in damaged OCR text, look past them."""

from __future__ import annotations

import re

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
ARABIC_DIGITS = "0123456789"
CONSONANTS = "".join(chr(c) for c in range(0x0E01, 0x0E2F))  # ก … ฮ

UPPER_VOWELS = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e47"  # ั ิ ี ึ ื ็
LOWER_VOWELS = "\u0e38\u0e39\u0e3a"  # ุ ู ฺ
TONES = "\u0e48\u0e49\u0e4a\u0e4b"  # ่ ้ ๊ ๋ : the four tone marks
THANTHAKHAT = "\u0e4c"  # ์ : silences a letter; not a tone, but sits where one does
TOP_MARKS = TONES + THANTHAKHAT  # what stands on top of a stack above a consonant
NIKHAHIT, SARA_AA, SARA_AM = "\u0e4d", "\u0e32", "\u0e33"  # ํ า ำ (ำ is ํ + า drawn as one)
UPPER_MARKS = UPPER_VOWELS + TOP_MARKS + NIKHAHIT  # everything drawn above the line

# consonants OCR takes for one another in faces it was not trained on (Pridi's ข read as ย, a
# bold ก as ค, ด as ต or ล, ภ as ก without its tail, พ as ผ): pairs of look-alikes
LOOK_ALIKE_CONSONANTS = ("ขย", "กค", "ดต", "ดล", "ชซ", "ภก", "พผ")
# every mark above or below the line, as the body of a regular-expression character class
MARK_CLASS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
# Thai letters, marks and digits (a class body): what a run of Thai text is made of
THAI_CHAR = "\u0e01-\u0e4f\u0e50-\u0e59"

_MARK_RE = re.compile(f"[{MARK_CLASS}]")


def skeleton(s: str) -> str:
    """The text without its marks above and below the line (what OCR drops or confuses)."""
    return _MARK_RE.sub("", s)


def mark_pattern(word: str) -> str:
    """A regular expression matching `word` with any of its marks missing or misread."""
    out, prev_mark = [], False
    for ch in word:
        if _MARK_RE.match(ch):
            if not prev_mark:
                out.append(f"[{MARK_CLASS}]{{0,3}}")
            prev_mark = True
        else:
            out.append(re.escape(ch))
            prev_mark = False
    return "".join(out)


def look_alikes(c: str) -> str:
    """The consonants `c` is a look-alike of (ด: ต and ล), '' for none."""
    return "".join(p.replace(c, "") for p in LOOK_ALIKE_CONSONANTS if c in p)
