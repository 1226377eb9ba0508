"""Post-correction of OCR'd Thai with the lexicon: a stretch of text that is no Thai word at all
(หนื้อย่าง, เพือ, ปวย) is set right when one change of a mark — one put back, one taken out, one
replaced by another of its kind, ำ for า — or of a consonant for its look-alike (`LOOK_ALIKE_CONSONANTS`:
ย้าพเจ้า → ข้าพเจ้า; or wherever it stands in the run: ย้อยัดย้อง → ข้อขัดข้อง; or one of two
look-alikes written for one letter taken out: ข้าพผเจ้า) makes it words of the dictionary, and
only one such change does (or one is far more common in Thai than the others: Thai National
Corpus counts).

What is already a word is never changed here: ข้าว stays ข้าว even where ข่าว was printed. That
needs evidence from the page, which `mark_reader` weighs. One more repair: a lone consonant
that is no word, standing between two words of three letters or more (เอกสารจสิทธิ์), is a letter
Tesseract made up — it is taken out; so is one standing alone after a word ending in the same
letter (กันยายน น: that letter read twice). Names are words too: the
dictionary holds the lexicon's places and agencies and PyThaiNLP's lists of Thai given names
and surnames, so a name is not "corrected" into something else."""

from __future__ import annotations

import re

from thai.characters import CONSONANTS, LOOK_ALIKE_CONSONANTS, TOP_MARKS, UPPER_VOWELS, look_alikes
from thai.lexicon import known_words
from thai.names import TITLE_PATTERN
from thai.text import normalize_thai
from thai.words import frequency, segment

LOWER = "\u0e38\u0e39"  # ุ ู (the phinthu ฺ is no vowel a correction puts back)
MARKS = UPPER_VOWELS + TOP_MARKS + LOWER
CONSONANT = re.compile(f"[{CONSONANTS}]")
THAI_RUN = re.compile("[\u0e01-\u0e4e]+")
KINDS = [UPPER_VOWELS, TOP_MARKS, LOWER]
# consonants Tesseract takes for one another in faces it was not trained on
# (`thai.characters.LOOK_ALIKE_CONSONANTS`): one may be swapped for the other, as a mark may —
# or, where Tesseract wrote both for one letter (ข้าพผเจ้า), the second taken out
SWAP = {a: look_alikes(a) for p in LOOK_ALIKE_CONSONANTS for a in p}
# ที่, the commonest word of Thai, with its tone mark lost: ที standing alone (หมู่ที, ทีดิน) is a
# word, but one of the rarest to stand alone (once in the truth of four corpora, in a name), and
# so are the two the dictionary holds with it (วันที, a scrap; ตามที, 8 in the Thai National
# Corpus against ตามที่ in every other official letter)
LOST_TONE = {"ที": "ที่", "วันที": "วันที่", "ตามที": "ตามที่"}
DOMINANT = 20.0  # a candidate this many times more common than the next one wins a tie
MIN_FREQUENCY = 100  # Thai National Corpus count a word made by a correction must have


def _pieces(text: str) -> list[str]:
    return segment(text)


def unknown_letters(pieces: list[str]) -> int:
    """Letters in pieces that are no word (one-letter pieces count: Thai has few such words)."""
    words = known_words()
    return sum(len(p) for p in pieces if p not in words)


def _edits(s: str):
    """Every string one change of a mark away from s."""
    for i, c in enumerate(s):
        if c in MARKS:
            yield s[:i] + s[i + 1 :]
            for kind in KINDS:
                if c in kind:
                    for other in kind:
                        if other != c:
                            yield s[:i] + other + s[i + 1 :]
        if c == "\u0e32":
            yield s[:i] + "\u0e33" + s[i + 1 :]
        elif c == "\u0e33":
            yield s[:i] + "\u0e32" + s[i + 1 :]
        for other in SWAP.get(c, ""):
            yield s[:i] + other + s[i + 1 :]
        if i and c in SWAP.get(s[i - 1], ""):
            yield s[:i] + s[i + 1 :]
        if CONSONANT.match(c) or c in UPPER_VOWELS:
            for m in TOP_MARKS if c in UPPER_VOWELS else MARKS:
                yield s[: i + 1] + m + s[i + 1 :]


def commonness(pieces: list[str]) -> float:
    freq = frequency()
    score = 1.0
    for p in pieces:
        score *= freq.get(p, 1)
    return score


def correct_run(run: str, open_start: bool = False, open_end: bool = False) -> str:
    """One run of Thai letters (no spaces), its non-words set right where the lexicon is sure.
    A non-word at an open end (a space and more Thai beyond it) may be half a word: left alone."""
    pieces = _pieces(run)
    if any(p in LOST_TONE for p in pieces):
        run = "".join(LOST_TONE.get(p, p) for p in pieces)
        pieces = _pieces(run)
    words = known_words()
    if all(p in words for p in pieces):
        return run
    swapped = _swap_all(run, pieces)
    if swapped:
        return swapped
    out: list[str] = []
    i = 0
    while i < len(pieces):
        p = pieces[i]
        if p in words or (open_start and i == 0) or (open_end and i == len(pieces) - 1):
            out.append(p)
            i += 1
            continue
        if _stray(p, out[-1] if out else "", pieces[i + 1] if i + 1 < len(pieces) else ""):
            i += 1  # a lone consonant OCR wrote between two words (แนวเขตฑที่ดิน): dropped
            continue
        # the non-word with its neighbours: segmentation may have lent them its letters
        prev = "".join(out[-2:])
        nxt = pieces[i + 1] if i + 1 < len(pieces) else ""
        fixed = _fix(prev + p + nxt)
        if fixed is None:
            out.append(p)
            i += 1
            continue
        del out[len(out) - len(out[-2:]) :]
        out.append(fixed)
        i += 2 if nxt else 1
    return "".join(out)


def short_words_common(pieces: list[str], before: list[str]) -> bool:
    """Whether every short word (three letters or fewer) a correction makes — one of `pieces` not
    among `before` — is a common one: a rare short word is likelier another OCR error than the
    truth (เง้ for เว)."""
    freq = frequency()
    return all(len(p) > 3 or freq.get(p, 0) >= MIN_FREQUENCY for p in pieces if p not in before)


def _swap_all(run: str, pieces: list[str]) -> str | None:
    """The run with one look-alike consonant (standing twice or more) swapped wherever it
    stands, when that alone makes it all words, and fewer of them (a face whose ข Tesseract
    reads ย reads every ข so: มีย้อยัดย้อง → มีข้อขัดข้อง)."""
    found = []
    for c in {c for c in run if run.count(c) > 1}:
        for other in SWAP.get(c, ""):
            cand = run.replace(c, other)
            new = _pieces(cand)
            # the swap must join pieces into longer words (ย้อ ยัด ย้อง → ข้อขัดข้อง), never cut
            # a word into scraps the dictionary happens to hold (หลายครั้ง → หลา ข ครั้ง)
            if unknown_letters(new) == 0 and short_words_common(new, pieces) and len(new) < len(pieces):
                found.append(cand)
    return found[0] if len(found) == 1 else None


def _stray(piece: str, before: str, after: str) -> bool:
    """A piece that is one bare consonant, no word, between two words of three letters or more
    that stay words without it."""
    words = known_words()
    if len(piece) != 1 or not CONSONANT.match(piece) or piece in words:
        return False
    if len(before) < 3 or len(after) < 3 or before not in words or after not in words:
        return False
    return unknown_letters(_pieces(before + after)) == 0


def _fix(window: str) -> str | None:
    original = _pieces(window)
    base = unknown_letters(original)
    best: dict[str, float] = {}
    for cand in set(_edits(window)):
        cand = normalize_thai(cand)
        pieces = _pieces(cand)
        if unknown_letters(pieces) == 0 and short_words_common(pieces, original):
            best[cand] = commonness(pieces)
    if not best or base == 0:
        return None
    # fewest words first (a change that makes one longer word says more), then the commonest
    fewest = min(len(_pieces(c)) for c in best)
    ranked = sorted(((c, sc) for c, sc in best.items() if len(_pieces(c)) == fewest), key=lambda kv: -kv[1])
    if len(ranked) == 1 or ranked[0][1] >= DOMINANT * ranked[1][1]:
        return ranked[0][0]
    return None


TITLE = re.compile(f"^(?:{TITLE_PATTERN})")
SIGNATURE = re.compile(r"^\s*(?:ลงชื่อ|\()")


def _leave_alone(line: str, m: re.Match, after_title: bool) -> bool:
    """Runs the lexicon must not touch: names (after a title, on a signature line), a letter
    number's code and abbreviations (ม.ค., สน 1234), and a run cut off by a space OCR put inside
    a word."""
    run = m.group(0)
    before, after = line[: m.start()], line[m.end() :]
    if after_title or TITLE.match(run) or SIGNATURE.match(line):
        return True
    return bool(len(run) <= 4 and (re.match(r"\s?[\d๐-๙]", after) or after.startswith(".") or before.endswith(".")))


def runs_to_correct(line: str):
    """The runs of Thai letters of one line the lexicon may correct (names, codes and
    abbreviations left out), each with whether it is open at its start and at its end (a space
    and more Thai beyond: it may be half a word OCR cut)."""
    after_title = False
    for m in THAI_RUN.finditer(line):
        if not _leave_alone(line, m, after_title):
            thai = THAI_RUN.match
            open_end = line[m.end() : m.end() + 1] == " " and bool(thai(line, m.end() + 1))
            open_start = m.start() >= 2 and line[m.start() - 1] == " " and bool(thai(line, m.start() - 2))
            yield m, open_start, open_end
        after_title = bool(TITLE.match(m.group(0)))  # the surname follows the given name


# a letter Tesseract wrote twice, the second standing alone (รง ง ๐๑๙๐, กันยายน น ๒๕๖๐)
_ECHO = re.compile(r"([\u0e01-\u0e4e]{2,})[ \t]+([ก-ฮ])(?![\u0e01-\u0e4e.])")


def drop_echoes(line: str) -> str:
    """A lone bare consonant, no word, that repeats the last letter of the word before it, taken
    out (it is that letter read twice: no Thai word stands alone as one consonant but the few
    the dictionary holds, ณ and ก among them)."""

    def keep_or_drop(m: re.Match) -> str:
        word, letter = m.group(1), m.group(2)
        return word if word[-1] == letter and letter not in known_words() else m.group(0)

    return _ECHO.sub(keep_or_drop, line)


def correct_text(text: str) -> str:
    """Every run of Thai letters in the text corrected (spaces, digits and punctuation kept)."""
    out_lines = []
    for line in map(drop_echoes, text.split("\n")):
        out, last = [], 0
        for m, open_start, open_end in runs_to_correct(line):
            out += [line[last : m.start()], correct_run(m.group(0), open_start, open_end)]
            last = m.end()
        out.append(line[last:])
        out_lines.append("".join(out))
    return "\n".join(out_lines)
