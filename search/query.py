"""Query parsing and execution: what an officer types → tiers of queries → hits with Thai
snippets. Run on the Whoosh index here, on the PostgreSQL index by search.pg_query (the same
tiers in SQL); `search()` takes either.

Tiers, each shown after the one before it:
1. exact — the whole query as one substring (spaces, dashes, dots and slashes ignored, Thai
   and Arabic digits alike), e.g. a name, a phrase, an ID number, a document number;
2. all words — every space-separated part of the query somewhere in the document;
3. near — for queries of 5+ characters, documents holding most of the query's trigrams: finds
   words that OCR damaged by a letter or two.
Within a tier, order by relevance (BM25F over trigrams plus dictionary words) or newest first.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq

from records.models import AreaKind, User
from search import pg_query
from search.index import SearchIndex
from search.pg_index import PgSearchIndex
from search.results import Hit, Results
from search.snippets import snippet
from search.thai_analyzer import grams, query_key, squash, words_of
from search.tiers import (
    NEAR_MIN_LEN,
    NEAR_SHARE,
    NUMBER_CANDIDATES,
    NUMBER_MIN_DIGITS,
    all_words_parts,
    best_numbers,
)


@dataclass(frozen=True)
class Visible:
    """What `search` may return to a user (its `allowed`): the documents indexed with this area
    among those who see them."""

    area_id: int


def visible_to(user: User) -> Visible | None:
    """The filter for what a user's area may find; None for central (everything)."""
    return None if user.area.kind == AreaKind.central else Visible(user.area_id)


def _substring(key: str) -> wq.Query | None:
    gs = grams(key)
    if not gs:
        return None
    if len(key) < 3:
        return wq.Prefix("grams", key)
    if len(gs) == 1:
        return wq.Term("grams", gs[0])
    return wq.Phrase("grams", gs)


def _near_grams(key: str) -> tuple[list[str], int] | None:
    """The trigrams of the query and how many of them a "near" document must hold."""
    gs = sorted(set(grams(key)))
    if len(key) < NEAR_MIN_LEN or len(gs) < 3:
        return None
    return gs, max(2, math.ceil(len(gs) * NEAR_SHARE))


def _near_docs(searcher: Any, key: str, allowed_docs: set[int] | None, numbers: bool = True) -> list[int]:
    """Documents holding most of the query's trigrams, most shared trigrams first. Counted from the
    posting lists directly: far cheaper than scoring an Or with minmatch over common trigrams."""
    spec = _near_grams(key)
    if spec is None:
        return []
    gs, need = spec
    counts: dict[int, int] = {}
    for g in gs:
        try:
            ids = searcher.postings("grams", g).all_ids()
        except Exception:  # a trigram not in the index
            continue
        for d in ids:
            counts[d] = counts.get(d, 0) + 1
    found = [d for d, c in counts.items() if c >= need and (allowed_docs is None or d in allowed_docs)]
    found.sort(key=lambda d: (-counts[d], d))
    if not found and numbers:
        found = _near_numbers(searcher, key, counts, allowed_docs)
    return found


def _near_numbers(searcher: Any, key: str, counts: dict[int, int], allowed_docs: set[int] | None) -> list[int]:
    """For an ID or document number that no document holds exactly (OCR misread a digit or two):
    documents whose digits, read in order, hold a close match to the query's digits. Checked on
    the documents sharing the most trigrams with the query, so it costs a few hundred stored
    texts at most."""
    qdigits = "".join(ch for ch in key if ch.isdigit())
    if len(qdigits) < NUMBER_MIN_DIGITS or len(qdigits) < 0.6 * len(key):
        return []
    cands = sorted(
        (d for d, c in counts.items() if c >= 3 and (allowed_docs is None or d in allowed_docs)),
        key=lambda d: (-counts[d], d),
    )[:NUMBER_CANDIDATES]
    return best_numbers(qdigits, [(d, squash(searcher.stored_fields(d).get("text", ""))[0]) for d in cands])


def _rank_words(text: str) -> wq.Query | None:
    ws = [w for w in words_of(text) if len(w) > 1]
    return wq.Or([wq.Term("words", w, boost=2.0) for w in ws]) if ws else None


def build_tiers(text: str) -> list[tuple[str, wq.Query]]:
    """The Whoosh queries of the exact and all-words tiers (the near tier is counted directly)."""
    exact = _substring(query_key(text))
    if exact is None:
        return []
    tiers: list[tuple[str, wq.Query]] = [("exact", exact)]
    subs = [q for q in map(_substring, all_words_parts(text)) if q is not None]
    if subs:
        tiers.append(("all", wq.And(subs) if len(subs) > 1 else subs[0]))
    return tiers


def _date_filter(date_from: dt.date | None, date_to: dt.date | None) -> wq.Query | None:
    if not date_from and not date_to:
        return None
    start = dt.datetime.combine(date_from, dt.time.min) if date_from else None
    end = dt.datetime.combine(date_to, dt.time.max) if date_to else None
    return wq.DateRange("date", start, end)


def search(
    index: SearchIndex | PgSearchIndex,
    text: str,
    limit: int = 20,
    offset: int = 0,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    order: str = "relevance",
    allowed: Visible | None = None,
) -> Results:
    """Run the tiers until `offset + limit` hits are collected. `allowed` (visible_to) limits
    what the caller may see."""
    if isinstance(index, PgSearchIndex):
        area_id = allowed.area_id if allowed is not None else None
        return pg_query.search(index, text, limit, offset, date_from, date_to, order, area_id)
    return _search_whoosh(index, text, limit, offset, date_from, date_to, order, allowed)


def _search_whoosh(
    index: SearchIndex,
    text: str,
    limit: int,
    offset: int,
    date_from: dt.date | None,
    date_to: dt.date | None,
    order: str,
    visible: Visible | None,
) -> Results:
    allowed = wq.Term("areas", str(visible.area_id)) if visible is not None else None
    tiers = build_tiers(text)
    res = Results(query=text, total=0)
    if not tiers:
        return res
    want = offset + limit
    flt = _date_filter(date_from, date_to)
    if allowed is not None:
        flt = allowed if flt is None else wq.And([flt, allowed])
    rank = _rank_words(text) if order == "relevance" else None
    seen: set[int] = set()
    picked: list[tuple[int, float, str]] = []  # docnum, score, tier
    with index.searcher() as s:
        for tier, q in tiers:
            query = wq.AndMaybe(q, rank) if rank is not None else q
            # optimize=False: the collector then counts every match while ranking (no second pass for the total)
            kwargs: dict[str, Any] = {"filter": flt, "limit": want + len(seen), "optimize": False}
            if order == "newest":
                kwargs.update(sortedby="date", reverse=True)
            r = s.search(query, **kwargs)
            # every earlier tier had fewer than `want` hits, so all its documents are in `seen`
            n = r.scored_length()
            total = n if n < kwargs["limit"] else len(r)
            res.total += max(0, total - len(seen))
            for docnum, score in ((r.docnum(i), r.score(i)) for i in range(n)):  # in rank order
                if docnum not in seen:
                    seen.add(docnum)
                    picked.append((docnum, float(score or 0), tier))
            if len(picked) >= want:
                break
        else:
            allowed_docs = set(s.docs_for_query(flt)) if flt is not None else None
            # the closest numbers only when no document holds the number itself
            near = [d for d in _near_docs(s, query_key(text), allowed_docs, numbers=not seen) if d not in seen]
            res.total += len(near)
            if order == "newest":
                near.sort(key=lambda d: s.stored_fields(d).get("date") or dt.datetime.min, reverse=True)
            picked += [(d, 0.0, "near") for d in near[: max(0, want - len(picked))]]
        for docnum, score, tier in picked[offset:want]:
            f = s.stored_fields(docnum)
            d = f.get("date")
            res.hits.append(
                Hit(
                    f["doc_id"], f["filename"], round(score, 3), tier, d.date() if d else None, snippet(f["text"], text)
                )
            )
    return res
