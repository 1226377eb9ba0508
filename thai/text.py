"""Thai text normalisation for OCR output and PDF text layers.

- SARA AM written as NIKHAHIT + SARA AA (ํา) becomes ำ; also NIKHAHIT + tone + SARA AA.
- Tone marks stored before an upper vowel are put after it (เร่ือ → เรื่อ).
- Spaces Tesseract puts between Thai characters inside a word are removed: before a vowel or
  mark that cannot start a word, and (`join_split_words`) where the pieces join into a
  dictionary word; a space between Thai words that a writer would put is kept.
- Zero-width characters and soft hyphens are dropped; Unicode NFC.
- A letter's number line ("ที่ มท ๐๒๐๕.๓/ว ๔๗๗๗") whose ที่ came out as Latin letters
  (the English model's N, NY, NUN) or lost its marks gets its ที่ back.
Combining marks are never stripped: ข้าว ≠ ข่าว.
"""

from __future__ import annotations

import re
import unicodedata

from thai.characters import LOWER_VOWELS, NIKHAHIT, SARA_AA, SARA_AM, THAI_CHAR, TONES, UPPER_VOWELS
from thai.words import segment, words

ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))

_SARA_AM = re.compile(f"{NIKHAHIT}([{TONES}]?)\\s?{SARA_AA}")
_TONE_BEFORE_VOWEL = re.compile(f"([{TONES}])([{UPPER_VOWELS}{LOWER_VOWELS}])")
_DOUBLE_MARK = re.compile(f"([{TONES}{UPPER_VOWELS}])\\1+")
# A single space between two Thai characters where the next one cannot start a word
# (a vowel or mark that must follow a consonant) is an OCR artefact.
_SPACE_BEFORE_MARK = re.compile(f"(?<=[{THAI_CHAR}]) (?=[\u0e30-\u0e3a\u0e45\u0e47-\u0e4e])")
_SPACE_AFTER_LEADING_VOWEL = re.compile("(?<=[\u0e40-\u0e44]) (?=[\u0e01-\u0e2e])")


# "ที่" opening an official letter's number line, read by the English model as N, NY, NUN, ...
_LETTER_NO_LINE = re.compile(r"^[ \t]*(?:[A-Za-z]{1,4}|ท|ที|ทิ)[ \t]+(?=[ก-ฮ]{2,3}[ \t]*[๐-๙0-9])", re.M)


def normalize_thai(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(ZERO_WIDTH)
    text = _SARA_AM.sub(lambda m: m.group(1) + SARA_AM, text)
    # a tone before SARA AM belongs after the consonant, before ำ: tone + ำ is the canonical order
    text = _TONE_BEFORE_VOWEL.sub(r"\2\1", text)
    text = _DOUBLE_MARK.sub(r"\1", text)
    text = _SPACE_BEFORE_MARK.sub("", text)
    text = _SPACE_AFTER_LEADING_VOWEL.sub("", text)
    text = _LETTER_NO_LINE.sub("ที่ ", text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


_THAI_SPACE_THAI = re.compile(f"(?<=[{THAI_CHAR}]) (?=[{THAI_CHAR}])")
_THAI_RUN_BEFORE = re.compile(f"[{THAI_CHAR}]+$")
_THAI_RUN_AFTER = re.compile(f"^[{THAI_CHAR}]+")


def join_split_words(text: str) -> str:
    """Remove a single space OCR put inside a word: kept only where the pieces on either side
    do not join into a dictionary word (ช่วย เหลือ → ช่วยเหลือ; เรื่อง ขอ stays)."""
    known = words()
    out, last = [], 0
    for m in _THAI_SPACE_THAI.finditer(text):
        left = _THAI_RUN_BEFORE.search(text, 0, m.start())
        right = _THAI_RUN_AFTER.search(text[m.end() :])
        if left is None or right is None:  # never: the space stands between two Thai characters
            continue
        a, b = segment(left.group(0)), segment(right.group(0))
        if a and b and (a[-1] + b[0]) in known:
            out.append(text[last : m.start()])
            last = m.end()
    out.append(text[last:])
    return "".join(out)


def is_thai(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e5b"
