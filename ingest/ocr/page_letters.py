"""A look-alike consonant learned from the page's own words: a face whose ข Tesseract reads ย
reads every ข so, and many of the words it makes are still words (ขอ → ยอ, ของ → ยอง, เข้า → เย้า,
เลขที่ → เลย ที่), which the lexicon correction (`correction`) never changes, as one word read
as another is no error it can see.

The page itself says when it is so. Every look-alike consonant of the page's Thai runs is tried
as its twin (`thai.characters.LOOK_ALIKE_CONSONANTS`); a swap is *better Thai* when it leaves
fewer letters in no word, or, all words either way, fewer pieces or words far more common
(`COMMONER`, Thai National Corpus counts: ของ for ยอง; ยัง stays ยัง, ขัง being rarer). A text
in a face Tesseract knows has such swaps here and there at most; where one swap (ย → ข) makes
`EVIDENCE` words or more better Thai (a word the page repeats counts once), and `ONE_WAY` times
as many as its reverse, the face confuses the two — and every place where it is better Thai is swapped. Names (after a
title, on a signature line), codes and abbreviations are left as they are, as the lexicon
correction leaves them, and so are places' names (อำเภอหางดง is no หาง ลง).
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict

from ingest.ocr.correction import SWAP, commonness, runs_to_correct, short_words_common, unknown_letters
from thai.lexicon import districts, provinces
from thai.words import segment

EVIDENCE = 3  # words one swap makes better Thai before the page is taken to confuse the pair
ONE_WAY = 3  # … and how much more often than the other way round
COMMONER = 20.0  # all words either way: the swap's words this many times more common


def better(run: str, cand: str) -> bool:
    """Whether `cand` (the run with one consonant changed or taken out) is better Thai than `run`;
    a lone consonant it leaves (ข, which the dictionary holds as a scrap) is no word."""
    before, after = segment(run), segment(cand)
    if unknown_letters(after) != 0 or not short_words_common(after, before):
        return False
    if any(len(p) == 1 for p in after if p not in before):
        return False
    if unknown_letters(before) > 0:
        return True
    if len(after) != len(before):
        return len(after) < len(before)
    return commonness(after) >= COMMONER * commonness(before)


def _swapped(run: str, i: int, other: str) -> str:
    return run[:i] + other + run[i + 1 :]


def _places(text: str):
    """(run, position in the run) of every look-alike consonant in a run of Thai the lexicon
    correction may touch, but for those in a place's name."""
    for line in text.split("\n"):
        for m, _open_start, _open_end in runs_to_correct(line):
            run = m.group(0)
            for i, c in enumerate(run):
                if c in SWAP and i not in _in_place_name(run):
                    yield run, i


@functools.cache
def _place_names() -> re.Pattern:
    names = sorted({p for p in set(provinces()) | set(districts()) if len(p) >= 4}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


@functools.lru_cache(maxsize=4096)
def _in_place_name(run: str) -> frozenset[int]:
    """Positions of the run inside a province's or district's name (หางดง is no หาง ลง)."""
    return frozenset(i for m in _place_names().finditer(run) for i in range(m.start(), m.end()))


def confused(text: str) -> set[tuple[str, str]]:
    """The look-alike swaps (ย, ข) the page's face calls for: better Thai in `EVIDENCE` words or
    more (a word the page repeats counts once), and `ONE_WAY` times as often as the other way."""
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for run, i in _places(text):
        for other in SWAP[run[i]]:
            cand = _swapped(run, i, other)
            if better(run, cand):
                seen[(run[i], other)].add(_word_at(cand, i))
    return {
        (a, b)
        for (a, b), words in seen.items()
        if len(words) >= EVIDENCE and len(words) >= ONE_WAY * len(seen.get((b, a), ()))
    }


def _word_at(run: str, i: int) -> str:
    """The piece of the run's segmentation holding position `i`."""
    at = 0
    for p in segment(run):
        if at <= i < at + len(p):
            return p
        at += len(p)
    return run


def correct_page(text: str) -> str:
    """The page's text with the look-alike its face confuses swapped wherever that is better Thai
    (left to right in each run, each swap judged on the run as the ones before it left it)."""
    pairs = confused(text)
    if not pairs:
        return text
    lines = text.split("\n")
    for n, line in enumerate(lines):
        out, last = [], 0
        for m, _open_start, _open_end in runs_to_correct(line):
            out += [line[last : m.start()], _correct_run(m.group(0), pairs)]
            last = m.end()
        lines[n] = "".join([*out, line[last:]])
    return "\n".join(lines)


def _correct_run(run: str, pairs: set[tuple[str, str]]) -> str:
    """Left to right, each place judged on the run as the ones before it left it: the look-alike
    swapped, or — where Tesseract wrote both for one letter (ยข้าพเจ้า) — the first of the two
    taken out, wherever that is better Thai."""
    k = 0
    while k < len(run):
        if k in _in_place_name(run):
            k += 1
            continue
        for a, b in pairs:
            if run[k] != a:
                continue
            if run[k + 1 : k + 2] == b and better(run, run[:k] + run[k + 1 :]):
                run = run[:k] + run[k + 1 :]
                break
            if better(run, _swapped(run, k, b)):
                run = _swapped(run, k, b)
                break
        k += 1
    return run
