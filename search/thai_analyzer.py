"""The Thai analyzer: canonical text, character trigrams and dictionary words for Whoosh.

Two token streams are indexed for every document:
- `grams`: overlapping character trigrams of the text with everything but letters and digits
  removed (spaces, dashes, dots, slashes, line breaks) and Thai digits folded to Arabic. A
  phrase of trigrams is a substring match, so a word inside a run of Thai, an out-of-dictionary
  name, an ID number written 3-1742-18096-79-5 or split over two lines, and a document number
  มท ๐๒๐๕.๓/ว ๔๗๗๗ typed as มท 0205.3/ว 4777 are all found; OCR-damaged words are still found
  by most of their trigrams (the fuzzy tier of search.query).
- `words`: nlpo3 dictionary segmentation of the same canonical text, for ranking.
Combining marks are kept (ข้าว ≠ ข่าว). The classes are pickled into the index schema, so
they live here, importable, and take no arguments that cannot be pickled.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Token, Tokenizer

from thai.digits import FOLD_DIGITS
from thai.text import normalize_thai
from thai.words import segment

GRAM = 3


def _keep(c: str) -> bool:
    return ("\u0e01" <= c <= "\u0e4e") or c.isdigit() or ("a" <= c <= "z")


def squash(text: str) -> tuple[str, list[int]]:
    """Letters and digits only, digits folded, Latin lower-cased; with each kept character's
    offset in `text` (for snippets)."""
    out: list[str] = []
    offs: list[int] = []
    for i, c in enumerate(text):
        c2 = c.translate(FOLD_DIGITS).lower()
        if len(c2) == 1 and _keep(c2):
            out.append(c2)
            offs.append(i)
    return "".join(out), offs


def query_key(text: str) -> str:
    """The squashed form of what a user typed."""
    return squash(normalize_thai(text))[0]


def grams(s: str, n: int = GRAM) -> list[str]:
    if len(s) < n:
        return [s] if s else []
    return [s[i : i + n] for i in range(len(s) - n + 1)]


class _TermsTokenizer(Tokenizer):  # type: ignore[misc]  # Whoosh ships no type information
    """Turns the list of terms `terms(value)` gives into Whoosh tokens, positions counted."""

    def __eq__(self, other: object) -> bool:
        return other.__class__ is self.__class__

    def __hash__(self) -> int:
        return hash(self.__class__)

    def terms(self, value: str) -> list[str]:
        raise NotImplementedError

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Any]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, term in enumerate(self.terms(value) if tokenize else [value]):
            t.text = term
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = term
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar = t.endchar = start_char
            yield t


class GramTokenizer(_TermsTokenizer):
    """Overlapping character trigrams of the squashed text, with positions."""

    def terms(self, value: str) -> list[str]:
        return grams(squash(value)[0])


class ThaiWordTokenizer(_TermsTokenizer):
    """Dictionary words (nlpo3) of the canonical text; punctuation and spaces dropped."""

    def terms(self, value: str) -> list[str]:
        words = ("".join(c for c in piece if _keep(c)) for piece in segment(value.translate(FOLD_DIGITS).lower()))
        return [w for w in words if w]


def gram_analyzer() -> GramTokenizer:
    return GramTokenizer()


def word_analyzer() -> ThaiWordTokenizer:
    return ThaiWordTokenizer()


def words_of(text: str) -> list[str]:
    return [t.text for t in ThaiWordTokenizer()(normalize_thai(text))]
