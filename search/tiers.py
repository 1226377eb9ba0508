"""The tiers' rules both indexes share: which parts of a query make the all-words tier; for the
near tier, how long a query must be, what share of its trigrams a document must hold, and for ID
and document numbers no document holds exactly, the closest digit strings."""

from __future__ import annotations

from search.thai_analyzer import query_key


def all_words_parts(query: str) -> list[str]:
    """The squashed parts of a query the all-words tier looks for, each anywhere in a document;
    none when the query is one part. Parts under 3 letters are left out: they would expand to
    hundreds of trigrams and select almost nothing (the tier stays when one was left out)."""
    parts = [k for k in (query_key(p) for p in query.split()) if k]
    if len(parts) < 2:
        return []
    long_parts = [p for p in parts if len(p) >= 3]
    return long_parts if len(long_parts) > 1 or (long_parts and len(parts) > len(long_parts)) else []


NEAR_MIN_LEN = 5
NEAR_SHARE = 0.6
NUMBER_MIN_DIGITS = 7
NUMBER_MIN_SIMILARITY = 75.0
NUMBER_BEST_MARGIN = 5.0
NUMBER_CANDIDATES = 100


def best_numbers(qdigits: str, candidates: list[tuple[int, str]]) -> list[int]:
    """Of (document, squashed text) candidates, those whose digits hold the closest match to
    the query's digits (both backends)."""
    from rapidfuzz import fuzz

    scored = []
    for d, squashed in candidates:
        score = fuzz.partial_ratio(qdigits, "".join(ch for ch in squashed if ch.isdigit()))
        if score >= NUMBER_MIN_SIMILARITY:
            scored.append((score, d))
    scored.sort(key=lambda t: (-t[0], t[1]))
    # only the closest: a long digit string half-matches many documents by chance
    return [d for score, d in scored if score >= scored[0][0] - NUMBER_BEST_MARGIN] if scored else []
