"""Search over the PostgreSQL index (search.pg_index): the tiers of search.query in SQL.

exact — every trigram of the query in the document (`grams @>`, the GIN index) and the query in
its squashed text (`strpos`); all words — the same for each space-separated part; near — the
documents holding most (60%) of the query's trigrams: the trigrams are dealt into n - need + 1
groups, and a document holding `need` of the n holds every trigram of at least one group
(pigeonhole), so each group is one GIN lookup (NEAR_CANDIDATES documents from them all at most,
which bounds the work on a million documents) and each candidate's trigrams are then counted.
Relevance is BM25 of the query in the squashed text, plus the query's dictionary words the
document has (as the Whoosh index ranks by words too). A tier thousands of documents hold is
shown newest first, looked for in the newest part of the archive first (_newest_broad)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from sqlalchemy import text as sql
from sqlalchemy.orm import Session

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

K1, B = 1.2, 0.75
COUNT_CAP = 10_000  # a tier's total is counted exactly up to this many documents
BROAD = 1_000  # a tier with at least this many documents is shown newest first (see search)
NEWEST_WINDOWS = (0.02, 0.1, 0.5)  # shares of the archive, newest first, a broad tier looks in
NEAR_CANDIDATES = 1_000  # candidates the near tier's trigram groups give at most, all together


def _bm25(key_param: str) -> str:
    """BM25 of one substring (bound as :key_param) in the squashed text, length-normalised."""
    tf = f"((length(squashed) - length(replace(squashed, :{key_param}, ''))) / length(:{key_param}))::float"
    return f"({tf} * {K1 + 1} / ({tf} + {K1} * ({1 - B} + {B} * length(squashed) / :avglen)))"


def _substring(key: str, name: str, params: dict[str, Any]) -> str:
    """The SQL condition "the document holds `key`", its parameters added under `name`."""
    params[name] = key
    gs = sorted(set(grams(key)))
    if len(key) < 3:
        return f"strpos(squashed, :{name}) > 0"
    params[f"{name}_g"] = gs
    return f"(grams @> CAST(:{name}_g AS text[]) AND strpos(squashed, :{name}) > 0)"


def _tiers(query: str, params: dict[str, Any], n_words: int) -> list[tuple[str, str, str]]:
    """(tier, condition, relevance) for the exact and all-words tiers; the query's dictionary
    words are bound as :w0, :w1, …"""
    key = query_key(query)
    if not key:
        return []
    words = " + ".join(f"2 * (CAST(:w{i} AS text) = ANY(words))::int" for i in range(n_words)) or "0"
    tiers = [("exact", _substring(key, "k", params), f"{_bm25('k')} + 0.5 * ({words})")]
    parts = all_words_parts(query)
    if parts:
        conds = [_substring(p, f"p{i}", params) for i, p in enumerate(parts)]
        score = " + ".join(_bm25(f"p{i}") for i in range(len(parts)))
        tiers.append(("all", " AND ".join(conds), f"{score} + 0.5 * ({words})"))
    return tiers


def _filters(params: dict[str, Any], date_from: dt.date | None, date_to: dt.date | None, area_id: int | None) -> str:
    out = ["NOT (doc_id = ANY(CAST(:seen AS bigint[])))"]
    if date_from:
        params["date_from"] = date_from
        out.append("date >= :date_from")
    if date_to:
        params["date_to"] = date_to
        out.append("date <= :date_to")
    if area_id is not None:
        params["area"] = [area_id]
        out.append("areas @> CAST(:area AS integer[])")
    return " AND ".join(out)


def _order(order: str) -> str:
    return "date DESC, doc_id DESC" if order == "newest" else "score DESC, doc_id"


def _date_cutoffs(s: Session) -> list[dt.date]:
    """Dates above which lie about the newest 2%, 10% and 50% of the documents (ANALYZE's
    equal-depth histogram of search_docs.date); none before the table is analysed."""
    bounds = s.scalar(
        sql(
            "SELECT histogram_bounds::text FROM pg_stats WHERE schemaname = current_schema()"
            " AND tablename = 'search_docs' AND attname = 'date'"
        )
    )
    if not bounds:
        return []
    days = [dt.date.fromisoformat(d.strip('"')) for d in bounds.strip("{}").split(",")]
    return [days[max(0, min(len(days) - 1, round(len(days) * (1 - share))))] for share in NEWEST_WINDOWS]


def _newest_broad(s: Session, score: str, where: str, p: dict[str, Any]) -> list[Any] | None:
    """The newest :lim documents of a broad tier (thousands of documents hold it), looked for
    among the newest 2% of the archive first, then 10%, then 50%: the date test comes first in
    the condition, so a document outside the window costs a date comparison, not reading its
    text (a common word is in a good part of a million documents). None: no statistics yet
    (a fresh table), or too few documents even in the widest window — the caller asks plainly."""
    for cutoff in _date_cutoffs(s):
        q = (
            f"SELECT doc_id, {score} AS score FROM search_docs WHERE date >= :newest_cut AND {where}"
            f" ORDER BY {_order('newest')} LIMIT :lim"
        )
        rows = list(s.execute(sql(q), {**p, "newest_cut": cutoff}))
        if len(rows) >= p["lim"]:
            return rows
    return None


def _groups(gs: list[str], need: int) -> list[list[str]]:
    """The trigrams dealt into n - need + 1 groups: a document with `need` of them has all of one."""
    n_groups = len(gs) - need + 1
    return [gs[i::n_groups] for i in range(n_groups)]


def _near_ids(
    s: Session, key: str, flt: str, params: dict[str, Any], need: int, order: str, cap: int, body: bool = False
) -> list[Any]:
    """Rows (doc_id[, body]) of the documents holding at least `need` of the key's trigrams, most
    shared first (newest first if asked). The candidates come from the groups' GIN lookups, at
    most NEAR_CANDIDATES shared among the groups (a group of common trigrams holds a good part of
    a million documents, and the near tier is the fuzzy last resort: bounded work, not every
    document);
    each candidate's trigrams are then counted in its squashed text (`strpos`, the same as
    holding the trigram), so no trigram list is walked twice."""
    gs = sorted(set(grams(key)))
    need = min(need, len(gs))
    p = {**params, "need": need}
    groups = []
    dealt = _groups(gs, need)
    per_group = max(50, NEAR_CANDIDATES // len(dealt))
    for i, group in enumerate(dealt):
        p[f"grp{i}"] = group
        groups.append(
            f"(SELECT doc_id FROM search_docs WHERE grams @> CAST(:grp{i} AS text[]) AND {flt} LIMIT {per_group})"
        )
    # the documents of the groups (the pigeonhole: every qualifying one holds all of one group) ...
    cands = list(s.scalars(sql(" UNION ".join(groups)), p))
    if not cands:
        return []
    # ... and for each, how many of the trigrams its text holds
    p["cands"] = cands
    held = []
    for i, g in enumerate(gs):
        p[f"g{i}"] = g
        held.append(f"(strpos(squashed, :g{i}) > 0)::int")
    cols = "doc_id, body" if body else "doc_id"
    newest = "date DESC, " if order == "newest" else ""
    q = (
        f"SELECT {cols} FROM (SELECT doc_id, date, body, {' + '.join(held)} AS c FROM search_docs"
        f" WHERE doc_id = ANY(CAST(:cands AS bigint[]))) n WHERE c >= :need"
        f" ORDER BY {newest}c DESC, doc_id LIMIT {cap}"
    )
    return list(s.execute(sql(q), p).all())


def _near(s: Session, query: str, flt: str, params: dict[str, Any], order: str, numbers: bool) -> list[int]:
    """The near tier: most of the trigrams; for a number nobody holds exactly (`numbers`: no
    earlier tier found it), the closest digits."""
    key = query_key(query)
    n = len(set(grams(key)))
    if len(key) < NEAR_MIN_LEN or n < 3:
        return []
    near = [r.doc_id for r in _near_ids(s, key, flt, params, max(2, math.ceil(n * NEAR_SHARE)), order, COUNT_CAP)]
    digits = "".join(ch for ch in key if ch.isdigit())
    if not near and numbers and len(digits) >= NUMBER_MIN_DIGITS and len(digits) >= 0.6 * len(key):
        cands = _near_ids(s, key, flt, params, 3, "relevance", NUMBER_CANDIDATES, body=True)
        near = best_numbers(digits, [(r.doc_id, squash(r.body)[0]) for r in cands])
    return near


def search(
    index: PgSearchIndex,
    query: str,
    limit: int = 20,
    offset: int = 0,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    order: str = "relevance",
    area_id: int | None = None,
) -> Results:
    """search.query.search on the PostgreSQL index (`area_id`: visible to that area only)."""
    res = Results(query=query, total=0)
    words = [w for w in words_of(query) if len(w) > 1]
    params: dict[str, Any] = {f"w{i}": w for i, w in enumerate(words)}
    tiers = _tiers(query, params, len(words))
    if not tiers:
        return res
    want = offset + limit
    picked: list[tuple[int, float, str]] = []
    with index.db.session() as s:
        # every condition here has a GIN index to start from; the planner, which takes a word's
        # trigrams for independent, would otherwise read a million rows' trigram arrays
        s.execute(sql("SET LOCAL enable_seqscan = off"))
        params["avglen"] = index.average_length(s)
        flt = _filters(params, date_from, date_to, area_id)
        for tier, cond, score in tiers:
            p = {**params, "seen": [d for d, _, _ in picked], "lim": want - len(picked)}
            where = f"{cond} AND {flt}"
            # a key under three letters has no trigram to look up: each document counted is read
            cap = COUNT_CAP if "grams @>" in cond else BROAD
            n = s.scalar(sql(f"SELECT count(*) FROM (SELECT 1 FROM search_docs WHERE {where} LIMIT {cap}) t"), p)
            res.total += n or 0
            res.more |= n == cap
            if not n:
                continue
            # a word in thousands of documents: BM25 over all of them costs more than it tells, so
            # the newest come first, scored for the page alone
            how = "newest" if order == "newest" or n >= BROAD else "relevance"
            rows = _newest_broad(s, score, where, p) if n >= BROAD else None
            if rows is None:
                q = f"SELECT doc_id, {score} AS score FROM search_docs WHERE {where} ORDER BY {_order(how)} LIMIT :lim"
                rows = list(s.execute(sql(q), p))
            picked += [(r.doc_id, float(r.score or 0), tier) for r in rows]
            if len(picked) >= want:
                break
        else:
            near = _near(s, query, flt, {**params, "seen": [d for d, _, _ in picked]}, order, numbers=not picked)
            res.total += len(near)
            picked += [(d, 0.0, "near") for d in near[: max(0, want - len(picked))]]
        page = picked[offset:want]
        q = "SELECT doc_id, filename, date, body FROM search_docs WHERE doc_id = ANY(CAST(:ids AS bigint[]))"
        shown = {r.doc_id: r for r in s.execute(sql(q), {"ids": [d for d, _, _ in page]})} if page else {}
    for doc_id, points, tier_name in page:
        r = shown.get(doc_id)
        if r is not None:
            res.hits.append(Hit(doc_id, r.filename, round(points, 3), tier_name, r.date, snippet(r.body, query)))
    return res
